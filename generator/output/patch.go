package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// ErrStale is returned by BeginPatch when the destination's marker is not
// the one the build cache noted: something else wrote it since.
var ErrStale = errors.New("the destination changed since the build cache was written")

// MarkerID identifies the marker file of dest as it is now (inode,
// modification time, size), or "" when there is none. Every build that
// replaces dest makes a new marker, and every in-place writer but a Patch
// replaces it (renew), so a destination whose marker has the id the build
// cache noted holds what the cache says.
func MarkerID(dest string) string {
	real, err := Resolve(dest)
	if err != nil {
		return ""
	}
	info, err := os.Stat(filepath.Join(real, Marker))
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d:%d:%d", inode(info), info.ModTime().UnixNano(), info.Size())
}

// renew replaces the marker of dest with a new file (a new inode and
// time): the build cache no longer describes dest.
func renew(dest string) error {
	marker := filepath.Join(dest, Marker)
	tmp := marker + ".dossier-tmp"
	if err := os.WriteFile(tmp, []byte(markerText), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, marker)
}

// Patch is an update of a destination: the files that changed are written
// to a staging folder beside it, and Commit links the unchanged ones in and
// swaps the folder in whole (the files that are gone are left out). It is only for a
// destination that still holds what the build cache says it holds.
type Patch struct {
	st     *Staging
	mu     sync.Mutex
	staged []string
}

// BeginPatch locks dest for an in-place update by the build that noted its
// marker as id (MarkerID). It returns ErrStale when the marker changed.
func BeginPatch(dest, id string, waiting func(holder string)) (*Patch, error) {
	st, err := Begin(dest, waiting)
	if err != nil {
		return nil, err
	}
	if id == "" || MarkerID(st.dest) != id {
		st.Abort()
		return nil, ErrStale
	}
	return &Patch{st: st}, nil
}

// Write stages one file unless dest holds it with the same bytes already.
// It is safe for concurrent use.
func (p *Patch) Write(path string, f File) error {
	if err := checkRel(path); err != nil {
		return err
	}
	if data := f.held(); data != nil && sameBytes(filepath.Join(p.st.dest, filepath.FromSlash(path)), data) {
		return nil
	}
	if err := p.st.Write(path, f); err != nil {
		return err
	}
	p.mu.Lock()
	p.staged = append(p.staged, path)
	p.mu.Unlock()
	return nil
}

// Written returns how many files Write staged.
func (p *Patch) Written() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.staged)
}

// Abort drops what was staged; the destination is untouched.
func (p *Patch) Abort() { p.st.Abort() }

// Commit puts the patched site in place at once: every file of the
// destination that did not change (all but the staged ones, those of gone
// and the marker) is hard-linked into the staging folder beside the staged
// files (copied where links fail), and the folder is swapped in whole, as
// a clean build's is (Staging.Commit). A build killed at any moment leaves
// the destination as it was or as it is now, never a mix; a link copies no
// bytes.
func (p *Patch) Commit(gone []string) error {
	defer p.st.Abort() // the staging folder (the previous site after the swap) and the lock
	dest := p.st.dest
	skip := make(map[string]bool, len(p.staged)+len(gone))
	for _, path := range p.staged {
		skip[path] = true
	}
	for _, path := range gone {
		skip[path] = true
	}
	err := filepath.WalkDir(dest, func(full string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dest, full)
		if err != nil {
			return err
		}
		path := filepath.ToSlash(rel)
		if skip[path] || strings.EqualFold(path, Marker) {
			return nil
		}
		return p.st.link(path, full)
	})
	if err != nil {
		return err
	}
	return p.st.Commit()
}
