// Package safefile opens the files a curator's site names, once, without
// ever blocking on what is not a regular file. A named pipe under content/
// would otherwise hang a build forever in open(2), and a path checked by
// name and then opened by name can be swapped in between; opening once with
// O_NONBLOCK and checking the open file closes both holes. load.SiteFS,
// through which the stages read a site, opens every file with OpenIn.
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
	return open(func(flag int) (*os.File, error) { return os.OpenFile(path, flag, 0) }, path, false)
}

// OpenIn opens name inside root as Open opens a path, except that a folder
// is opened too (a file system lists a folder through its Open). Through
// root, the open cannot leave root's folder, also by a symlink swapped in.
func OpenIn(root *os.Root, name string) (*os.File, fs.FileInfo, error) {
	return open(func(flag int) (*os.File, error) { return root.OpenFile(name, flag, 0) }, name, true)
}

// open opens with the non-blocking flag and checks the type of what it got.
func open(openFlags func(flag int) (*os.File, error), path string, folders bool) (*os.File, fs.FileInfo, error) {
	f, err := openFlags(os.O_RDONLY | nonBlock)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !Regular(info.Mode()) && !(folders && info.IsDir()) {
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
	return ReadAll(f, info.Size(), limit)
}

// ReadAll reads an open regular file of size bytes to its end, refusing it
// if it holds more than limit bytes (limit ≤ 0: no limit) with a
// *TooLargeError.
func ReadAll(f io.Reader, size, limit int64) ([]byte, error) {
	if limit > 0 && size > limit {
		return nil, &TooLargeError{Size: size, Limit: limit}
	}
	// As os.ReadFile: one buffer of the file's size (and a byte to see
	// EOF), grown only if the file grew since it was opened.
	data := make([]byte, 0, size+1)
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
