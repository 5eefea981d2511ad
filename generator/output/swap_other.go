//go:build !linux

package output

import (
	"errors"
	"io/fs"
	"os"
)

// swap makes staging the new dest; without Linux's RENAME_EXCHANGE it moves
// the old site aside first, so an interruption leaves it recoverable. It
// returns the folder that holds the old site, for the caller to remove.
func swap(staging, dest string) (retired string, err error) {
	if _, err := os.Stat(dest); errors.Is(err, fs.ErrNotExist) {
		return "", os.Rename(staging, dest)
	}
	return swapByRename(staging, dest)
}

// spareSupported is false: without RENAME_EXCHANGE the spare is off, and a
// rebuild links the whole site into a new staging folder.
const spareSupported = false
