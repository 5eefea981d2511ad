//go:build !unix

package safefile

import "os"

// Without named pipes in the file system there is nothing to not block on.
const nonBlock = 0

func clearNonBlock(*os.File) error { return nil }
