package output

import (
	"os"
	"path/filepath"
	"sync"
)

// removeTree removes dir and everything in it, like os.RemoveAll, with
// several subtrees removed at once. The previous site a build replaces holds
// tens of thousands of page folders; removed one by one they took longer
// than the build itself, and most of that is waiting on the file system.
func removeTree(dir string) error {
	if info, err := os.Lstat(dir); err == nil && !info.IsDir() {
		return os.Remove(dir) // a symlink: remove the link, never what it points to
	}
	var subtrees []string
	top, err := os.ReadDir(dir)
	if err != nil {
		return os.RemoveAll(dir)
	}
	for _, e := range top {
		p := filepath.Join(dir, e.Name())
		if !e.IsDir() {
			continue
		}
		inner, err := os.ReadDir(p)
		if err != nil {
			subtrees = append(subtrees, p)
			continue
		}
		for _, f := range inner {
			if f.IsDir() {
				subtrees = append(subtrees, filepath.Join(p, f.Name()))
			}
		}
	}
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				_ = removeSubtree(p) // what fails is reported by the last call
			}
		}()
	}
	for _, p := range subtrees {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	return os.RemoveAll(dir)
}
