//go:build !linux

package output

import (
	"errors"
	"io/fs"
	"os"
)

// swap makes staging the new dest; without Linux's RENAME_EXCHANGE it moves
// the old site aside first, so an interruption leaves it recoverable.
func swap(staging, dest string) error {
	if _, err := os.Stat(dest); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(staging, dest)
	}
	return swapByRename(staging, dest)
}
