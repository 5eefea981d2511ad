package output

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// lockPrefix names the lock file kept beside a destination while a build
// holds it.
const lockPrefix = ".dossier-lock-"

// Lock is one process's hold on a destination: builds and watch syncs of
// one folder take turns. Two builds at once would otherwise each remove the
// other's staging folder as a "leftover" and both report success over a
// half-written site. The lock is the operating system's (flock), so it goes
// away with its process however that process ends; a staging folder found
// while holding the lock is therefore always a dead build's.
type Lock struct {
	file *os.File
	path string
}

// Acquire locks the destination real (a path from Resolve). When another
// process holds it, waiting (if not nil) is told who, then Acquire waits.
func Acquire(real string, waiting func(holder string)) (*Lock, error) {
	path := filepath.Join(filepath.Dir(real), lockPrefix+filepath.Base(real))
	told := false
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("cannot lock %s: %w", real, err)
		}
		busy, err := tryLock(f)
		if err == nil && busy {
			if waiting != nil && !told {
				waiting(holder(f))
				told = true
			}
			err = waitLock(f)
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", real, err)
		}
		// The holder before us removes the file as it releases it, so the
		// lock we waited on may belong to a file that is gone: then lock
		// the one at the path now.
		if sameFile(f, path) {
			l := &Lock{file: f, path: path}
			l.sign()
			return l, nil
		}
		f.Close()
	}
}

// holder reads who holds the lock, as the holder wrote it.
func holder(f *os.File) string {
	data := make([]byte, 256)
	n, _ := f.ReadAt(data, 0)
	if h := strings.TrimSpace(string(data[:n])); h != "" {
		return h
	}
	return "another process"
}

// sign writes who holds the lock, for the message of the next one to wait.
func (l *Lock) sign() {
	exe := filepath.Base(os.Args[0])
	if len(os.Args) > 1 {
		exe += " " + os.Args[1]
	}
	_, _ = fmt.Fprintf(l.file, "%s (pid %d, since %s)\n", exe, os.Getpid(), time.Now().Format("15:04:05"))
}

// sameFile reports whether the open file is still the one at path.
func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

// Release lets the next build in and removes the lock file, so nothing is
// left beside the destination. It is safe on a nil Lock and twice.
func (l *Lock) Release() {
	if l == nil || l.file == nil {
		return
	}
	_ = os.Remove(l.path) // while still locked: a waiter then sees it is gone
	_ = l.file.Close()    // closing the only descriptor releases the flock
	l.file = nil
}
