//go:build !unix

package output

import "os"

// Without flock, builds of one destination are not serialised on this
// system (docs/publishing.md says so).
func tryLock(*os.File) (bool, error) { return false, nil }

func waitLock(*os.File) error { return nil }
