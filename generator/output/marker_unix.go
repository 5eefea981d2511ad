//go:build unix

package output

import (
	"os"
	"syscall"
)

// inode is the file's inode number, or 0.
func inode(info os.FileInfo) uint64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
