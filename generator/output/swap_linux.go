//go:build linux

package output

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// swap makes staging the new dest. On Linux both folders are exchanged in a
// single renameat2(RENAME_EXCHANGE) call, so there is no instant at which
// dest is missing or mixed; the old site then goes away.
func swap(staging, dest string) error {
	if _, err := os.Stat(dest); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(staging, dest)
	}
	if err := unix.Renameat2(unix.AT_FDCWD, staging, unix.AT_FDCWD, dest, unix.RENAME_EXCHANGE); err != nil {
		return swapByRename(staging, dest)
	}
	return removeTree(staging) // now holds the previous site
}
