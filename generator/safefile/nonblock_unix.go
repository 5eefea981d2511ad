//go:build unix

package safefile

import (
	"os"
	"syscall"
)

const nonBlock = syscall.O_NONBLOCK

// clearNonBlock puts a regular file back in blocking mode. Regular files
// ignore O_NONBLOCK on Linux, but not every Unix promises it.
func clearNonBlock(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = syscall.SetNonblock(int(fd), false) }); err != nil {
		return err
	}
	return serr
}
