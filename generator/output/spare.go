package output

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// The spare is the site a cached rebuild's swap retired, kept beside the
// destination (sparePrefix + its name) as the next rebuild's staging
// folder: it differs from the destination only in the files the build
// that retired it wrote or removed, which its marker lists. The next
// rebuild brings those files up to the destination, writes its own
// changes and swaps it in, so that no folder is made, linked or removed
// but those that changed (docs/performance.md, "The cached rebuild's
// spare staging folder"). Its unchanged files are hard links of the
// destination's: nothing is ever written through a file of the spare, each
// is written under a new name and renamed over.
const sparePrefix = ".dossier-spare-"

// SpareMarker is the marker file inside a spare: the destination state
// (MarkerID) it pairs with and the paths in which it differs. It is written
// last, once the spare is complete, and removed first when a rebuild starts
// to change the spare: a spare without it is never trusted.
const SpareMarker = ".dossier-spare"

// spareMagic starts a spare marker; its last byte is the format's version.
const spareMagic = "dossier spare 1"

// spareStep, when set (tests), is called after each change a rebuild makes
// to the spare before its marker is back: a test stops there as a kill would.
var spareStep func(st *Staging, step string)

// SpareDir is the spare of the destination real (a path from Resolve).
func SpareDir(real string) string {
	return filepath.Join(filepath.Dir(real), sparePrefix+filepath.Base(real))
}

// readSpare reads the marker of the spare dir: the destination state it
// pairs with and the paths in which it differs. ok is false when the
// marker is missing or not whole.
func readSpare(dir string) (token string, paths []string, ok bool) {
	data, err := os.ReadFile(filepath.Join(dir, SpareMarker))
	if err != nil {
		return "", nil, false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	line := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		return sc.Text(), true
	}
	if l, _ := line(); l != spareMagic {
		return "", nil, false
	}
	l, _ := line()
	if token, err = strconv.Unquote(l); err != nil || token == "" {
		return "", nil, false
	}
	l, _ = line()
	n, err := strconv.Atoi(l)
	if err != nil || n < 0 {
		return "", nil, false
	}
	paths = make([]string, 0, min(n, 1<<16))
	for range n {
		l, _ := line()
		p, err := strconv.Unquote(l)
		if err != nil || checkRel(p) != nil {
			return "", nil, false
		}
		paths = append(paths, p)
	}
	if l, _ := line(); l != "end" {
		return "", nil, false
	}
	return token, paths, true
}

// writeSpareMarker marks dir, complete, as the spare of the destination
// whose marker has the id token, differing from it in paths. It writes a
// temporary file and renames it: the marker is whole or absent.
func writeSpareMarker(dir, token string, paths []string) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n%s\n%d\n", spareMagic, strconv.Quote(token), len(paths))
	for _, p := range paths {
		b.WriteString(strconv.Quote(p))
		b.WriteByte('\n')
	}
	b.WriteString("end\n")
	marker := filepath.Join(dir, SpareMarker)
	tmp := marker + ".dossier-tmp"
	_ = os.Remove(tmp)
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, marker)
}

// dropSpare moves the spare of s's destination aside, if there is one, and
// removes it while the build goes on (Staging.finish waits for it). A
// spare dropped by a build that is killed is a retired folder the next
// build removes (cleanLeftovers).
func (s *Staging) dropSpare() {
	dir := SpareDir(s.dest)
	if _, err := os.Lstat(dir); err != nil {
		return
	}
	aside, err := os.MkdirTemp(filepath.Dir(s.dest), retiredPrefix+filepath.Base(s.dest)+"-spare-")
	if err == nil {
		err = os.Rename(dir, filepath.Join(aside, "spare"))
	}
	if err != nil {
		if aside != "" {
			_ = os.Remove(aside)
		}
		_ = removeTree(dir)
		return
	}
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		_ = removeTree(aside)
	}()
}

// takeSpare makes the destination's spare, when its marker pairs it with
// the destination state id, the staging folder of s, brought up to the
// destination: each path its marker lists is linked from the destination
// when last (the destination's files as the build cache lists them) has
// it, removed otherwise. It reports false, the spare dropped, when there
// is none to take. ErrStale: a file of last is missing from the
// destination.
func (s *Staging) takeSpare(id string, lastSet map[string]bool) (bool, error) {
	if !spareSupported {
		s.dropSpare()
		return false, nil
	}
	dir := SpareDir(s.dest)
	if info, err := os.Lstat(dir); err != nil || !info.IsDir() {
		s.dropSpare() // none, or not a folder (a symlink is never followed)
		return false, nil
	}
	token, paths, ok := readSpare(dir)
	if !ok || token != id {
		s.dropSpare()
		return false, nil
	}
	// From here on the spare is not what its marker said: a build killed
	// before it is swapped in leaves a spare the next one drops.
	if err := os.Remove(filepath.Join(dir, SpareMarker)); err != nil {
		s.dropSpare()
		return false, nil
	}
	s.dir, s.reuse = dir, true
	s.step("unmarked")
	var link, remove []string
	for _, p := range paths {
		switch {
		case isMarker(p):
		case lastSet[p]:
			link = append(link, p)
		default:
			remove = append(remove, p)
		}
	}
	// Removals first: a file of the spare may stand where the destination
	// has a folder, and the other way round.
	if err := s.removeFiles(remove); err != nil {
		return true, err
	}
	return true, s.relink(link)
}

// step calls the test hook spareStep.
func (s *Staging) step(name string) {
	if spareStep != nil {
		spareStep(s, name)
	}
}

// isMarker reports whether path is one of the markers, which no list of
// the build's files holds and which are written apart.
func isMarker(path string) bool {
	return strings.EqualFold(path, Marker) || strings.EqualFold(path, SpareMarker)
}

// removeFiles removes paths, files, from the spare, and the folders they
// leave empty. A path already gone is no error.
func (s *Staging) removeFiles(paths []string) error {
	for _, p := range paths {
		full := filepath.Join(s.dir, filepath.FromSlash(p))
		info, err := os.Lstat(full)
		if err != nil {
			// Gone: its folder may stand empty (a write that failed).
			s.removeEmptyFolders(filepath.Dir(full))
			continue
		}
		if info.IsDir() {
			continue // a folder a new file's path made (Write)
		}
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		s.removeEmptyFolders(filepath.Dir(full))
		s.step("removed " + p)
	}
	return nil
}

// removeEmptyFolders removes dir and the folders above it that it leaves
// empty, up to the staging folder; never a file.
func (s *Staging) removeEmptyFolders(dir string) {
	for within(s.dir, dir) && dir != s.dir {
		if info, err := os.Lstat(dir); err != nil || !info.IsDir() {
			return
		}
		if err := os.Remove(dir); err != nil {
			return
		}
		s.mu.Lock()
		delete(s.dirs, dir)
		s.mu.Unlock()
		dir = filepath.Dir(dir)
	}
}

// relink links each of paths from the destination into the spare, under a
// new name renamed over the spare's file (copied where links fail).
func (s *Staging) relink(paths []string) error {
	slices.Sort(paths)
	for _, p := range paths {
		full, err := s.place(p)
		if err != nil {
			return err
		}
		err = s.replace(full, func(tmp string) error { return s.linkFromDest(p, tmp) })
		if err != nil {
			return err
		}
		s.step("linked " + p)
	}
	return nil
}

// replace makes the file full of the spare anew: make writes a temporary
// file beside it, renamed over full, so that the file full was (a link
// the destination shares) is never written through. A folder standing at
// full, of the previous site, is removed first: the new site has a file
// there, so nothing in it.
func (s *Staging) replace(full string, make func(tmp string) error) error {
	tmp := full + ".dossier-tmp-" + strconv.FormatUint(s.tmp.Add(1), 10)
	if err := make(tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	err := os.Rename(tmp, full)
	if err != nil {
		if info, lerr := os.Lstat(full); lerr == nil && info.IsDir() {
			if err = removeTree(full); err == nil {
				err = os.Rename(tmp, full)
			}
		}
	}
	// Renamed over a link of the same file, tmp stays (rename does
	// nothing then): remove it whatever happened.
	_ = os.Remove(tmp)
	return err
}

// mkdirReuse makes dir inside a spare, level by level: a file of the
// previous site standing where the new one has a folder is removed (it is
// not in the new site).
func (s *Staging) mkdirReuse(dir string) error {
	rel, err := filepath.Rel(s.dir, dir)
	if err != nil || rel == "." {
		return err
	}
	d := s.dir
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		d = filepath.Join(d, part)
		s.mu.Lock()
		known := s.dirs[d]
		s.mu.Unlock()
		if known {
			continue
		}
		info, err := os.Lstat(d)
		switch {
		case err == nil && info.IsDir():
		case err == nil:
			if err := os.Remove(d); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			fallthrough
		default:
			if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return err
			}
		}
		s.mu.Lock()
		s.dirs[d] = true
		s.mu.Unlock()
	}
	return nil
}

// foldersOf returns the folders of paths, "." for the top.
func foldersOf(paths []string) []string {
	seen := map[string]bool{".": true}
	out := []string{"."}
	for _, p := range paths {
		for d := filepath.Dir(filepath.FromSlash(p)); d != "." && !seen[d]; d = filepath.Dir(d) {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// untouched reports whether no folder of folders in the retired site dir
// changed after its marker was written, the last change a build makes to a
// site before it swaps it in: nothing was added to or removed from it by
// hand since. (A file's bytes changed in place would not show; they are
// shared with the destination's link, as a rebuild's links always were.)
func untouched(dir string, folders []string) bool {
	marker, err := os.Lstat(filepath.Join(dir, Marker))
	if err != nil {
		return false
	}
	at := marker.ModTime()
	for _, d := range folders {
		info, err := os.Lstat(filepath.Join(dir, d))
		if err != nil || !info.IsDir() || info.ModTime().After(at) {
			return false
		}
	}
	return true
}

// keepSpare makes the retired site the destination's spare, marked as
// pairing with the destination state token and differing from it in
// s.spare's paths, when nothing changed it by hand (untouched). It reports
// whether it did; if not, the caller removes retired.
func (s *Staging) keepSpare(retired, token string) bool {
	if s.spare == nil || token == "" || !untouched(retired, s.spare.folders) {
		return false
	}
	dir := SpareDir(s.dest)
	if retired != dir {
		if err := os.Rename(retired, dir); err != nil {
			return false
		}
	}
	if err := writeSpareMarker(dir, token, s.spare.paths); err != nil {
		_ = os.Rename(dir, retired)
		return false
	}
	return true
}

// spareNext is what a patch knows of the site its swap retires: the
// folders the build cache lists for it, and the paths in which it differs
// from the new site.
type spareNext struct {
	folders []string
	paths   []string
}

// VerifySpare checks the spare of dest against dest: its marker is whole
// and pairs with dest's marker, and outside the paths it lists (and the
// folders that hold them) the spare has the same folders and the same
// files as dest, each file dest's own (a link). It returns an error that
// wraps fs.ErrNotExist when there is no spare. Tests use it; it reads both
// trees whole.
func VerifySpare(dest string) error {
	real, err := Resolve(dest)
	if err != nil {
		return err
	}
	dir := SpareDir(real)
	if _, err := os.Lstat(dir); err != nil {
		return err
	}
	token, paths, ok := readSpare(dir)
	if !ok {
		return fmt.Errorf("the spare %s has no whole marker", dir)
	}
	if id := MarkerID(real); token != id {
		return fmt.Errorf("the spare %s pairs with %s, the destination is %s", dir, token, id)
	}
	listed := map[string]bool{}
	for _, p := range paths {
		listed[p] = true
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			listed[d] = true // may be in one tree only
		}
	}
	entries := func(root string) (map[string]fs.FileInfo, error) {
		out := map[string]fs.FileInfo{}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || p == root {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			rel = filepath.ToSlash(rel)
			if isMarker(rel) || listed[rel] {
				return nil
			}
			info, err := os.Lstat(p)
			out[rel] = info
			return err
		})
		return out, err
	}
	a, err := entries(real)
	if err != nil {
		return err
	}
	b, err := entries(dir)
	if err != nil {
		return err
	}
	var problems []string
	for _, p := range slices.Sorted(maps.Keys(a)) {
		switch s, ok := b[p]; {
		case !ok:
			problems = append(problems, p+" is missing from the spare")
		case a[p].IsDir() != s.IsDir():
			problems = append(problems, p+" is a file in one and a folder in the other")
		case !s.IsDir() && !os.SameFile(a[p], s):
			problems = append(problems, p+" is not the destination's file")
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			problems = append(problems, p+" is in the spare only")
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return fmt.Errorf("the spare %s differs from %s outside its list: %s", dir, real, strings.Join(problems, "; "))
	}
	return nil
}
