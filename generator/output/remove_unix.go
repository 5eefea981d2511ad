//go:build unix

package output

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// removeSubtree removes the folder dir and everything in it. A folder's
// entries say which are folders, so each takes one call: os.RemoveAll tries
// to unlink a folder as a file, then as an empty folder, before it reads
// it, and does so twice for the folder it is given, which for the tens of
// thousands of page folders of a site was a quarter of their removal. Names are
// unlinked relative to their open folder (no path to resolve); a symlink is
// removed, never followed. Whatever fails is left to os.RemoveAll.
func removeSubtree(dir string) error {
	if removeAt(unix.AT_FDCWD, dir) != nil {
		return os.RemoveAll(dir) // nil when dir is gone
	}
	return nil
}

// removeAt removes the folder name of the open folder parent, and what it
// holds.
func removeAt(parent int, name string) error {
	fd, err := unix.Openat(parent, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(fd), name)
	entries, err := f.ReadDir(-1)
	for _, e := range entries {
		if e.IsDir() {
			err = errors.Join(err, removeAt(fd, e.Name()))
		} else {
			err = errors.Join(err, unix.Unlinkat(fd, e.Name(), 0))
		}
	}
	_ = f.Close()
	if err != nil {
		return err
	}
	return unix.Unlinkat(parent, name, unix.AT_REMOVEDIR)
}
