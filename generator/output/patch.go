package output

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// ErrStale is returned by BeginPatch when the destination does not hold the
// token of the build cache: it was written by something else since.
var ErrStale = errors.New("the destination changed since the build cache was written")

// Tagged returns the marker file's text for a destination written together
// with the build cache of token (see BeginPatch).
func tagged(token string) string { return markerText + "cache " + token + "\n" }

// Tag makes Commit write token into the marker file of the new site, so a
// later build can patch it in place (BeginPatch).
func (s *Staging) Tag(token string) { s.token = token }

// Patch is an update of a destination in place: the files that changed are
// written to a staging folder beside it and moved in by Commit, one rename
// each, and the files that are gone are removed. It is only for a
// destination that still holds what the build cache says it holds.
type Patch struct {
	st     *Staging
	mu     sync.Mutex
	staged []string
}

// BeginPatch locks dest for an in-place update by the build that kept the
// build cache of token. It returns ErrStale when dest does not hold the
// token.
func BeginPatch(dest, token string, waiting func(holder string)) (*Patch, error) {
	st, err := Begin(dest, waiting)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(st.dest, Marker))
	if err != nil || token == "" || string(data) != tagged(token) {
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
	if f.Data != nil && sameBytes(filepath.Join(p.st.dest, filepath.FromSlash(path)), f.Data) {
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

// Commit moves the staged files into the destination, removes the files of
// gone, and writes token into its marker file. The marker loses its old
// token first: an interrupted Commit leaves a destination no cache
// describes, which the next build replaces whole.
func (p *Patch) Commit(gone []string, token string) error {
	defer p.st.Abort() // the staging folder, empty or not, and the lock
	dest := p.st.dest
	if err := os.WriteFile(filepath.Join(dest, Marker), []byte(markerText), 0o644); err != nil {
		return err
	}
	slices.Sort(p.staged)
	for _, path := range p.staged {
		target := filepath.Join(dest, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(p.st.dir, filepath.FromSlash(path)), target); err != nil {
			return err
		}
	}
	for _, path := range gone {
		if checkRel(path) == nil && !strings.EqualFold(path, Marker) {
			syncRemove(dest, path)
		}
	}
	return os.WriteFile(filepath.Join(dest, Marker), []byte(tagged(token)), 0o644)
}

// untag drops the build cache's token from the marker of dest, which an
// in-place update by something else than a Patch (the dev server) is
// about to change: the cache no longer describes it.
func untag(dest string) {
	marker := filepath.Join(dest, Marker)
	if data, err := os.ReadFile(marker); err == nil && string(data) != markerText {
		_ = os.WriteFile(marker, []byte(markerText), 0o644)
	}
}
