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
// dest is missing or mixed. It returns the folder that now holds the old
// site, for the caller to remove ("" when there was none).
func swap(staging, dest string) (retired string, err error) {
	if _, err := os.Stat(dest); errors.Is(err, fs.ErrNotExist) {
		return "", os.Rename(staging, dest)
	}
	if err := unix.Renameat2(unix.AT_FDCWD, staging, unix.AT_FDCWD, dest, unix.RENAME_EXCHANGE); err != nil {
		return swapByRename(staging, dest)
	}
	return staging, nil // now holds the previous site
}

// spareSupported: a rebuild keeps the site its swap retires as the next
// one's staging folder (SpareDir).
const spareSupported = true
