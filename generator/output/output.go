// Package output owns the last stage: it puts a rendered site on disk. A
// build is assembled in a folder beside the destination and swapped in at
// once, so a host syncing the folder never sees half a site and a killed
// build leaves the previous site whole. It refuses destinations that would
// put the sources at risk and never deletes outside the destination.
package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dossier-ssg/dossier/generator/safefile"
)

// Marker is the file that marks a folder as dossier output, so a build never
// replaces a folder it did not make.
const Marker = ".dossier-build"

// staging folders are siblings of the destination with these prefixes.
const (
	stagingPrefix = ".dossier-staging-"
	retiredPrefix = ".dossier-old-"
)

// File is one output file: bytes in memory, or a source file to copy.
type File struct {
	Data []byte
	From string // absolute path to copy from when Data is nil
	// Stored, when set (Data nil, From empty), holds the bytes in a
	// Spill rather than in memory.
	Stored *Stored
}

// SameBytes reports whether f and g, files a build made (not copies of
// source files), hold the same bytes, each in memory or in a spill; a
// stored file is compared by its length and hash, never read back.
func (f File) SameBytes(g File) bool {
	switch {
	case f.Stored != nil && g.Stored != nil:
		return f.Stored.Same(g.Stored)
	case f.Stored != nil:
		return f.Stored.Holds(g.Data)
	case g.Stored != nil:
		return g.Stored.Holds(f.Data)
	}
	return bytes.Equal(f.Data, g.Data)
}

// Bytes returns the bytes of a file held in memory or in a spill; nil for
// a file copied from a source file.
func (f File) Bytes() ([]byte, error) {
	if f.Stored != nil {
		return f.Stored.Bytes()
	}
	return f.Data, nil
}

// held returns the bytes of a file held in memory or in a spill, nil when
// they cannot be read (a copy from a source file, a closed spill).
func (f File) held() []byte {
	data, err := f.Bytes()
	if err != nil {
		return nil
	}
	return data
}

// Tree is the whole output by slash path.
type Tree map[string]File

// CheckDest refuses a destination that is the site folder, contains it, sits
// inside content/, layouts/ or assets/, or is a filesystem root.
func CheckDest(siteDir, dest string) error {
	site, err := filepath.Abs(siteDir)
	if err != nil {
		return err
	}
	d, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	site, d = realPath(site), realPath(d)
	if d == filepath.Dir(d) {
		return fmt.Errorf("refusing to build into %s: a filesystem root", dest)
	}
	if within(d, site) {
		return fmt.Errorf("refusing to build into %s: it contains the site folder %s", dest, siteDir)
	}
	for _, src := range []string{"content", "layouts", "assets", "archetypes"} {
		if within(filepath.Join(site, src), d) {
			return fmt.Errorf("refusing to build into %s: it is inside the site's %s/ folder", dest, src)
		}
	}
	if home, err := os.UserHomeDir(); err == nil && d == realPath(home) {
		return fmt.Errorf("refusing to build into your home folder")
	}
	return nil
}

// realPath resolves symlinks of the longest existing prefix of p.
func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	return filepath.Join(realPath(parent), filepath.Base(p))
}

// within reports whether p is dir or inside it, by whole path elements.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && (rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))))
}

// checkOwned refuses to replace a non-empty folder that lacks the marker.
func checkOwned(dest string) error {
	entries, err := os.ReadDir(dest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dest, Marker)); err != nil {
		return fmt.Errorf("refusing to replace %s: it is not empty and was not made by dossier (no %s file); empty it or choose another --dest", dest, Marker)
	}
	return nil
}

// Publish writes tree as the new content of dest, atomically: the files are
// written to a staging folder beside dest, which then replaces dest in one
// rename. Staging folders left by a killed build are removed first.
// waiting, when not nil, is told who holds dest when this build must wait
// for another one to finish (see Lock).
func Publish(dest string, tree Tree, waiting func(holder string)) error {
	st, err := Begin(dest, waiting)
	if err != nil {
		return err
	}
	return st.fill(tree)
}

// fill writes tree into the staging folder and swaps it in, or throws it
// away on error.
func (s *Staging) fill(tree Tree) error {
	if err := writeTree(s.dir, tree); err != nil {
		s.Abort()
		return err
	}
	return s.Commit()
}

// Staging is a new site being written beside its destination. A build can
// write pages into it as they are rendered, so a large site never has to
// sit whole in memory; Commit swaps it in, Abort throws it away.
type Staging struct {
	dest, dir string
	lock      *Lock
	mu        sync.Mutex
	dirs      map[string]bool
	// reuse is set when dir is the destination's spare (takeSpare): its
	// files are links the destination shares, so every file is written
	// under a new name and renamed over, never through.
	reuse bool
	tmp   atomic.Uint64 // numbers the temporary names of reuse
	// spare, when set, says what the site the swap retires is (a patch
	// sets it): it is kept as the next build's spare instead of removed.
	spare *spareNext
	// background is the removal of a dropped spare, waited for before the
	// destination is released.
	background sync.WaitGroup
}

// Begin locks the destination, checks it, removes leftovers of killed builds
// and makes a staging folder beside it. When dest is a symlink (public ->
// /var/www/site) the link stays: its target is what gets replaced, staged
// beside the target so that the swap is one rename on one file system.
// A clean build drops the destination's spare (see SpareDir).
func Begin(dest string, waiting func(holder string)) (*Staging, error) {
	real, lock, err := lockDest(dest, waiting)
	if err != nil {
		return nil, err
	}
	st, err := begin(real)
	if err != nil {
		lock.Release()
		return nil, err
	}
	st.lock = lock
	return st, nil
}

// lockDest resolves dest (Resolve), makes its parent and locks it.
func lockDest(dest string, waiting func(holder string)) (real string, lock *Lock, err error) {
	real, err = Resolve(dest)
	if err != nil {
		return "", nil, err
	}
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		return "", nil, err
	}
	lock, err = Acquire(real, waiting)
	if err != nil {
		return "", nil, err
	}
	return real, lock, nil
}

// begin does Begin's work under the lock.
func begin(dest string) (*Staging, error) {
	st, err := prepare(dest)
	if err != nil {
		return nil, err
	}
	st.dropSpare()
	if err := st.mkdirStaging(); err != nil {
		st.background.Wait()
		return nil, err
	}
	return st, nil
}

// prepare checks dest, under its lock, and removes the leftovers of
// killed builds.
func prepare(dest string) (*Staging, error) {
	if err := checkOwned(dest); err != nil {
		return nil, err
	}
	// Holding the lock, every staging folder of this destination belongs to
	// a build that is gone: each build holds the lock as long as its folder.
	cleanLeftovers(filepath.Dir(dest), filepath.Base(dest))
	return &Staging{dest: dest, dirs: map[string]bool{}}, nil
}

// mkdirStaging makes a new, empty staging folder beside the destination.
func (s *Staging) mkdirStaging() error {
	dir, err := os.MkdirTemp(filepath.Dir(s.dest), stagingPrefix+filepath.Base(s.dest)+"-")
	if err != nil {
		return err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		_ = os.RemoveAll(dir)
		return err
	}
	s.dir = dir
	return nil
}

// Write puts one file into the staging folder. It is safe for concurrent use.
func (s *Staging) Write(path string, f File) error {
	if err := checkRel(path); err != nil {
		return err
	}
	full, err := s.place(path)
	if err != nil {
		return err
	}
	if s.reuse {
		return s.replace(full, func(tmp string) error { return writeFile(tmp, f, true) })
	}
	return writeFile(full, f, false)
}

// place returns where path goes in the staging folder, its folder made.
func (s *Staging) place(path string) (string, error) {
	full := filepath.Join(s.dir, filepath.FromSlash(path))
	parent := filepath.Dir(full)
	s.mu.Lock()
	known := s.dirs[parent]
	s.mu.Unlock()
	if !known && s.reuse {
		if err := s.mkdirReuse(parent); err != nil {
			return "", err
		}
	} else if !known {
		if err := s.mkdir(parent); err != nil {
			return "", err
		}
	}
	return full, nil
}

// mkdir makes dir inside the staging folder. Every page has a folder of its
// own, so when its parent is known to exist one mkdir call does, instead of
// MkdirAll's stat of each level.
func (s *Staging) mkdir(dir string) error {
	s.mu.Lock()
	parentKnown := s.dirs[filepath.Dir(dir)]
	s.mu.Unlock()
	var err error
	if parentKnown {
		if err = os.Mkdir(dir, 0o755); errors.Is(err, fs.ErrExist) {
			err = nil // made by another writer; a file there fails the write
		}
	} else {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	s.mu.Lock()
	for d := dir; len(d) > len(s.dir) && !s.dirs[d]; d = filepath.Dir(d) {
		s.dirs[d] = true // MkdirAll made the levels above too
	}
	s.mu.Unlock()
	return nil
}

// Commit marks the staging folder as dossier output and swaps it in.
func (s *Staging) Commit() error {
	finish, err := s.CommitLater()
	if err != nil {
		return err
	}
	return finish()
}

// CommitLater is Commit for a caller with work left to do: the new site
// is in place when it returns, and the previous site, moved aside by the
// swap, is removed while the caller goes on. finish waits for that
// removal and releases the destination; the caller must call it before it
// returns, so that a build that succeeds leaves no folder behind (a build
// killed before leaves one, which the next build removes first).
//
// A patch's retired site (Staging.spare set) is kept as the destination's
// spare instead, marked last, unless something changed it by hand.
func (s *Staging) CommitLater() (finish func() error, err error) {
	// The marker is a new file (a new MarkerID): a spare holds the marker
	// of the site before, which is removed, never written through.
	marker := filepath.Join(s.dir, Marker)
	if s.reuse {
		if err := os.Remove(marker); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.Abort()
			return nil, err
		}
	}
	if err := writeFile(marker, File{Data: []byte(markerText)}, s.reuse); err != nil {
		s.Abort()
		return nil, err
	}
	s.step("marked")
	retired, err := swap(s.dir, s.dest)
	if err != nil {
		s.Abort()
		return nil, err
	}
	token := ""
	if s.spare != nil && spareSupported && retired != "" {
		token = MarkerID(s.dest)
	}
	removed := make(chan error, 1)
	go func() {
		if retired == "" || s.keepSpare(retired, token) {
			removed <- nil
			return
		}
		removed <- removeTree(retired)
	}()
	return sync.OnceValue(func() error {
		err := <-removed
		s.background.Wait()
		s.lock.Release()
		return err
	}), nil
}

// Abort removes the staging folder; the destination is untouched.
func (s *Staging) Abort() {
	if s.dir != "" {
		_ = removeTree(s.dir)
	}
	s.background.Wait()
	s.lock.Release()
}

const markerText = "This folder is written by dossier build; it is replaced on every build.\n"

// cleanLeftovers removes staging and retired folders of earlier, interrupted
// builds of the same destination. They only ever hold build output.
func cleanLeftovers(parent, base string) {
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() && (strings.HasPrefix(n, stagingPrefix+base+"-") || strings.HasPrefix(n, retiredPrefix+base+"-")) {
			_ = removeTree(filepath.Join(parent, n))
		}
	}
}

// writeTree writes every file under root, using all cores.
func writeTree(root string, tree Tree) error {
	paths := make([]string, 0, len(tree))
	dirs := map[string]bool{}
	for p := range tree {
		if err := checkRel(p); err != nil {
			return err
		}
		paths = append(paths, p)
		for d := filepath.Dir(filepath.FromSlash(p)); d != "."; d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	sort.Strings(paths)
	dirList := make([]string, 0, len(dirs))
	for d := range dirs {
		dirList = append(dirList, d)
	}
	sort.Strings(dirList)
	for _, d := range dirList {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			return err
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	next := make(chan string)
	for w := 0; w < runtime.GOMAXPROCS(0)*2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				if err := writeFile(filepath.Join(root, filepath.FromSlash(p)), tree[p], false); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, p := range paths {
		next <- p
	}
	close(next)
	wg.Wait()
	return firstErr
}

// checkRel refuses output paths that could leave the output folder.
func checkRel(p string) error {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || filepath.IsAbs(p) {
		return fmt.Errorf("invalid output path %q", p)
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." || part == "." || part == "" {
			return fmt.Errorf("invalid output path %q", p)
		}
	}
	return nil
}

// writeFile writes f at path. With fresh, path must not exist: it is a new
// file, so no file another folder links is written through (a spare's).
func writeFile(path string, f File, fresh bool) error {
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if fresh {
		flag = os.O_WRONLY | os.O_CREATE | os.O_EXCL
	}
	data := f.Data
	if f.Stored != nil {
		var err error
		if data, err = f.Stored.Bytes(); err != nil {
			return err
		}
	} else if f.Data == nil && f.From != "" {
		in, _, err := safefile.Open(f.From) // never blocks on a pipe swapped in since the build
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(path, flag, 0o644)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	}
	out, err := os.OpenFile(path, flag, 0o644)
	if err != nil {
		return err
	}
	if _, err := out.Write(data); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Sync updates dest in place to hold exactly tree: it writes only files whose
// bytes changed (each through a temporary file and a rename, so no file is
// ever half-written) and removes files that are gone. Watch mode uses it:
// one edit then touches a handful of files instead of the whole site.
// It returns how many files it wrote and removed.
func Sync(dest string, tree Tree, waiting func(holder string)) (written, removed int, err error) {
	dest, unlock, err := syncBegin(dest, waiting)
	if err != nil {
		return 0, 0, err
	}
	defer unlock()
	if _, err := os.Stat(dest); errors.Is(err, fs.ErrNotExist) {
		return len(tree), 0, publishLocked(dest, tree)
	}
	existing := map[string]bool{}
	_ = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dest, p)
			existing[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	paths := make([]string, 0, len(tree))
	for p := range tree {
		if err := checkRel(p); err != nil {
			return written, removed, err
		}
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		f := tree[p]
		if data := f.held(); existing[p] && data != nil && sameBytes(filepath.Join(dest, filepath.FromSlash(p)), data) {
			continue
		}
		if err := syncWrite(dest, p, f); err != nil {
			return written, removed, err
		}
		written++
	}
	for p := range existing {
		if _, keep := tree[p]; keep || p == Marker {
			continue
		}
		if syncRemove(dest, p) {
			removed++
		}
	}
	if _, err := os.Stat(filepath.Join(dest, Marker)); err != nil {
		_ = os.WriteFile(filepath.Join(dest, Marker), []byte(markerText), 0o644)
	}
	return written, removed, nil
}

// SyncPaths is Sync for a dest that already holds the previous tree, when
// the caller knows which paths changed since (generator.Builder.Updated):
// only those are written or removed, so a save costs what it changed, not
// a read of every file of the site.
func SyncPaths(dest string, tree Tree, paths []string, waiting func(holder string)) (written, removed int, err error) {
	dest, unlock, err := syncBegin(dest, waiting)
	if err != nil {
		return 0, 0, err
	}
	defer unlock()
	if _, err := os.Stat(dest); errors.Is(err, fs.ErrNotExist) {
		return len(tree), 0, publishLocked(dest, tree)
	}
	paths = slices.Clone(paths)
	sort.Strings(paths)
	for _, p := range paths {
		if err := checkRel(p); err != nil {
			return written, removed, err
		}
		f, keep := tree[p]
		if !keep {
			if syncRemove(dest, p) {
				removed++
			}
			continue
		}
		if data := f.held(); data != nil && sameBytes(filepath.Join(dest, filepath.FromSlash(p)), data) {
			continue
		}
		if err := syncWrite(dest, p, f); err != nil {
			return written, removed, err
		}
		written++
	}
	if _, err := os.Stat(filepath.Join(dest, Marker)); err != nil {
		_ = os.WriteFile(filepath.Join(dest, Marker), []byte(markerText), 0o644)
	}
	return written, removed, nil
}

// syncBegin resolves and locks dest for an in-place update and checks that
// it is dossier's to change.
func syncBegin(dest string, waiting func(holder string)) (real string, unlock func(), err error) {
	real, err = Resolve(dest)
	if err != nil {
		return "", nil, err
	}
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		return "", nil, err
	}
	lock, err := Acquire(real, waiting)
	if err != nil {
		return "", nil, err
	}
	if err := checkOwned(real); err != nil {
		lock.Release()
		return "", nil, err
	}
	_ = renew(real) // the build cache no longer describes dest
	return real, lock.Release, nil
}

// publishLocked is Publish for a caller that holds the lock already.
func publishLocked(dest string, tree Tree) error {
	st, err := begin(dest)
	if err != nil {
		return err
	}
	return st.fill(tree)
}

// syncWrite writes one file of dest through a temporary file and a rename.
func syncWrite(dest, p string, f File) error {
	target := filepath.Join(dest, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	tmp := target + ".dossier-tmp"
	if err := writeFile(tmp, f, false); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, target)
}

// syncRemove removes one file of dest and the folders it leaves empty.
func syncRemove(dest, p string) bool {
	target := filepath.Join(dest, filepath.FromSlash(p))
	if err := os.Remove(target); err != nil {
		return false
	}
	removeEmptyParents(dest, filepath.Dir(target))
	return true
}

func sameBytes(path string, data []byte) bool {
	info, err := os.Stat(path)
	if err != nil || info.Size() != int64(len(data)) {
		return false
	}
	old, err := os.ReadFile(path)
	return err == nil && string(old) == string(data)
}

func removeEmptyParents(root, dir string) {
	for within(root, dir) && dir != root {
		if err := os.Remove(dir); err != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}

// swapByRename is the fallback for filesystems without RENAME_EXCHANGE: the
// old site is moved aside first, so an interruption leaves it recoverable.
// It returns the folder that holds the old site, for the caller to remove.
func swapByRename(staging, dest string) (retired string, err error) {
	retired = filepath.Join(filepath.Dir(dest), retiredPrefix+filepath.Base(dest)+"-"+filepath.Base(staging))
	if err := os.Rename(dest, retired); err != nil {
		return "", err
	}
	if err := os.Rename(staging, dest); err != nil {
		_ = os.Rename(retired, dest)
		return "", err
	}
	return retired, nil
}
