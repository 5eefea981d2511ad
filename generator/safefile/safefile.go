// Package safefile opens the files a curator's site names, once, without
// ever blocking on what is not a regular file. A named pipe under content/
// would otherwise hang a build forever in open(2), and a path checked by
// name and then opened by name can be swapped in between; opening once with
// O_NONBLOCK and checking the open file closes both holes.
package safefile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// NotRegularError says a path is a named pipe, socket, device or folder.
type NotRegularError struct {
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("not a regular file (%s); only regular files and symlinks to them are read", Describe(e.Mode))
}

// Describe names a file type as a curator would.
func Describe(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "a " + m.Type().String() + " file"
}

// Regular reports whether a mode (from Lstat, Stat or a directory entry)
// is a regular file.
func Regular(m fs.FileMode) bool { return m.Type() == 0 }

// Open opens path for reading, following symlinks, and refuses anything
// that is not a regular file. It never blocks on a FIFO: the open is
// non-blocking and the file's type is checked on the open descriptor.
func Open(path string) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|nonBlock, 0)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !Regular(info.Mode()) {
		f.Close()
		return nil, nil, &fs.PathError{Op: "open", Path: path, Err: &NotRegularError{Mode: info.Mode()}}
	}
	if err := clearNonBlock(f); err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

// ReadFile reads a whole regular file, refusing it if it is larger than
// limit bytes (limit ≤ 0: no limit). A refused size is a *TooLargeError.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, info, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if limit > 0 && info.Size() > limit {
		return nil, &TooLargeError{Size: info.Size(), Limit: limit}
	}
	// As os.ReadFile: one buffer of the file's size (and a byte to see
	// EOF), grown only if the file grew since it was opened.
	data := make([]byte, 0, info.Size()+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if limit > 0 && int64(len(data)) > limit {
			return nil, &TooLargeError{Size: int64(len(data)), Limit: limit}
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
	return data, nil
}

// TooLargeError says a file is over a size limit.
type TooLargeError struct{ Size, Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("file is %d bytes, over the limit of %d", e.Size, e.Limit)
}
