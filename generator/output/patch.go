package output

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
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
// swaps the folder in whole (the files that are gone are left out). It is
// only for a destination that still holds what the build cache says it
// holds. The staging folder is the destination's spare when it has one
// that pairs with it (SpareDir): then only the files that changed in the
// last two builds are linked or removed.
type Patch struct {
	st     *Staging
	mu     sync.Mutex
	staged []string
	// last lists the destination's files as the build cache knows them;
	// lastSet holds them when the staging folder is the spare.
	last    []string
	lastSet map[string]bool
	id      string   // the destination's MarkerID
	touched []string // the paths Write tried in the spare, under mu
}

// BeginPatch locks dest for an in-place update by the build that noted its
// marker as id (MarkerID) and the files of last. It returns ErrStale when
// the marker changed, or when a file of last that the spare must take
// from dest is missing.
func BeginPatch(dest, id string, last []string, waiting func(holder string)) (*Patch, error) {
	real, lock, err := lockDest(dest, waiting)
	if err != nil {
		return nil, err
	}
	st, err := prepare(real)
	if err != nil {
		lock.Release()
		return nil, err
	}
	st.lock = lock
	if id == "" || MarkerID(st.dest) != id {
		st.Abort() // the clean build that follows drops the spare
		return nil, ErrStale
	}
	p := &Patch{st: st, last: last, id: id}
	lastSet := make(map[string]bool, len(last))
	for _, path := range last {
		lastSet[path] = true
	}
	took, err := st.takeSpare(id, lastSet)
	switch {
	case err == nil && took:
		p.lastSet = lastSet
		return p, nil
	case err == nil:
	case errors.Is(err, ErrStale):
		// The spare, unmarked, is dropped by the clean build that follows.
		st.dir = ""
		st.Abort()
		return nil, err
	default:
		// An error of the file system while bringing the spare up: drop
		// it and link the whole site, as without one.
		st.dropSpare()
		st.dir, st.reuse, st.dirs = "", false, map[string]bool{}
	}
	if err := st.mkdirStaging(); err != nil {
		st.Abort()
		return nil, err
	}
	return p, nil
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
	if p.st.reuse {
		p.mu.Lock()
		p.touched = append(p.touched, path)
		p.mu.Unlock()
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

// Spared reports whether the patch is staged in the destination's spare.
func (p *Patch) Spared() bool { return p.st.reuse }

// Abort drops what was staged; the destination is untouched. Staged in
// the spare, it marks the spare again rather than removing it (a build
// that fails, as on an error in the content, leaves the next one its
// spare): it differs from the destination in the files Write tried, and
// in the destination's files at or under them (a file of the spare is
// removed where a folder is written, and the other way round).
func (p *Patch) Abort() {
	if p.st.reuse && p.st.dir != "" {
		if writeSpareMarker(p.st.dir, p.id, p.differsOnAbort()) == nil {
			p.st.dir = "" // kept
		}
	}
	p.st.Abort()
}

// differsOnAbort lists, sorted, the paths in which the spare differs from
// the destination after the writes a failed rebuild tried: those paths,
// the destination's files at or under them, and the destination's files
// standing where one of them needed a folder.
func (p *Patch) differsOnAbort() []string {
	p.mu.Lock()
	touched := slices.Clone(p.touched)
	p.mu.Unlock()
	set := make(map[string]bool, len(touched))
	for _, t := range touched {
		set[t] = true
	}
	differ := touched
	for _, l := range p.last {
		for d := l; d != "."; d = path.Dir(d) {
			if set[d] {
				differ = append(differ, l)
				break
			}
		}
	}
	for _, t := range touched {
		for d := path.Dir(t); d != "."; d = path.Dir(d) {
			if p.lastSet[d] {
				differ = append(differ, d)
			}
		}
	}
	slices.Sort(differ)
	return slices.Compact(differ)
}

// Commit puts the patched site in place at once and swaps the staging
// folder in whole, as a clean build's is (Staging.CommitLater). A build
// killed at any moment leaves the destination as it was or as it is now,
// never a mix; a link copies no bytes. paths are the files of the new
// site. In a new staging folder, every file of paths that Write did not
// stage (it stands unchanged in the destination) is hard-linked in beside
// the staged ones (copied where links fail). In the spare, which holds the
// destination's files already, only the files of the last build that
// paths lacks are removed. The destination is not walked: paths is what
// the build cache knows, and a file of it missing from the destination is
// ErrStale (it is not what the cache says; the destination is untouched).
// A file in the destination that paths lacks is left out, as a clean build
// leaves it out.
// The site the swap retires is kept as the next build's spare (marked with
// the files in which it differs from the new site: those written and
// removed), or removed while the caller goes on, and finish must be
// called, as with CommitLater.
func (p *Patch) Commit(paths []string) (finish func() error, err error) {
	staged := make(map[string]bool, len(p.staged))
	for _, path := range p.staged {
		staged[path] = true
	}
	next := make(map[string]bool, len(paths))
	keep := make([]string, 0, len(paths))
	for _, path := range paths {
		next[path] = true
		if staged[path] || isMarker(path) || p.lastSet[path] {
			continue // in the spare, a file of the last build stands as in dest
		}
		if err := checkRel(path); err != nil {
			p.st.Abort()
			return nil, err
		}
		keep = append(keep, path)
	}
	var gone []string
	for _, path := range p.last {
		if !next[path] && !isMarker(path) {
			gone = append(gone, path)
		}
	}
	if p.st.reuse {
		err = p.st.removeFiles(gone)
		if err == nil {
			err = p.st.relink(keep)
		}
	} else {
		err = p.st.linkAll(keep)
	}
	if err != nil {
		p.st.Abort()
		return nil, err
	}
	differ := append(slices.Clone(p.staged), gone...)
	slices.Sort(differ)
	p.st.spare = &spareNext{folders: foldersOf(p.last), paths: slices.Compact(differ)}
	return p.st.CommitLater()
}

// linkAll links each of paths from the destination into the staging
// folder. The folders are made first, once each, a level of depth at a
// time, then the files are linked. The file system changes one folder at a
// time (a folder's entries are under its lock): calls into one folder
// made on several goroutines only wait on each other, and spinning on that
// lock cost more CPU than the calls (mkdir at 10,000 dossiers: 4.3 s of
// CPU on 8 goroutines, 1.9 s on one). So each folder's entries are made
// by one goroutine, folders side by side on several.
func (s *Staging) linkAll(paths []string) error {
	var levels []map[string][]string // by depth: folders to make, by parent
	need := map[string]bool{}
	for _, path := range paths {
		for d := filepath.Dir(filepath.FromSlash(path)); d != "." && !need[d]; d = filepath.Dir(d) {
			need[d] = true
			if s.dirs[filepath.Join(s.dir, d)] {
				continue // Write made it
			}
			depth := strings.Count(d, string(filepath.Separator))
			for len(levels) <= depth {
				levels = append(levels, map[string][]string{})
			}
			parent := filepath.Dir(d)
			levels[depth][parent] = append(levels[depth][parent], d)
		}
	}
	for _, level := range levels {
		err := eachFolder(level, func(d string) error {
			if err := os.Mkdir(filepath.Join(s.dir, d), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return err
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	files := map[string][]string{}
	for _, path := range paths {
		parent := filepath.Dir(filepath.FromSlash(path))
		files[parent] = append(files[parent], path)
	}
	return eachFolder(files, func(path string) error {
		return s.linkFromDest(path, filepath.Join(s.dir, filepath.FromSlash(path)))
	})
}

// linkFromDest makes to, a new name, a link of the destination's file
// path (a copy where links fail). A file missing from the destination is
// ErrStale: the destination is not what the build cache says.
func (s *Staging) linkFromDest(path, to string) error {
	src := filepath.Join(s.dest, filepath.FromSlash(path))
	err := os.Link(src, to)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		if _, serr := os.Lstat(src); errors.Is(serr, fs.ErrNotExist) {
			return fmt.Errorf("%s is missing from %s: %w", path, s.dest, ErrStale)
		}
		return err
	}
	return writeFile(to, File{From: src}, true) // no hard links here: a copy
}

// eachFolder calls f for every item of every folder of byFolder: the items
// of one folder in turn, folders on several goroutines, the largest first
// (it takes longest). It returns the first error.
func eachFolder(byFolder map[string][]string, f func(string) error) error {
	groups := make([][]string, 0, len(byFolder))
	for _, items := range byFolder {
		groups = append(groups, items)
	}
	slices.SortFunc(groups, func(a, b []string) int { return cmp.Compare(len(b), len(a)) })
	workers := min(len(groups), 2*runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	next := make(chan []string)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for items := range next {
				for _, item := range items {
					if err := f(item); err != nil {
						mu.Lock()
						first = cmp.Or(first, err)
						mu.Unlock()
						break
					}
				}
			}
		}()
	}
	for _, items := range groups {
		next <- items
	}
	close(next)
	wg.Wait()
	return first
}
