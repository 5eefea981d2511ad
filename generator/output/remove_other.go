//go:build !unix

package output

import "os"

// removeSubtree removes the folder dir and everything in it.
func removeSubtree(dir string) error { return os.RemoveAll(dir) }
