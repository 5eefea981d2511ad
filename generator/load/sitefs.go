package load

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/dossier-ssg/dossier/generator/safefile"
)

// SiteFS is a site folder on disk as an fs.FS: what the stages read a site
// through when it is a real folder (fstest.MapFS stands in for one in
// tests). Beyond os.DirFS, it
//
//   - never blocks on a named pipe, socket or device: Open is non-blocking
//     and refuses every type but files and folders, checked on the open
//     descriptor (safefile);
//   - never reads outside the site: a symlink that stays inside the site is
//     followed, one that leaves it is refused (*OutsideError), and opens go
//     through an os.Root, so a link swapped in after the check cannot lead
//     out either;
//   - names files in its errors by their path on disk (the site folder as
//     given, joined with the name), as a build's messages always have.
//
// It implements fs.ReadFileFS (refusing folders, as safefile.ReadFile does),
// fs.StatFS and fs.ReadLinkFS. Close it when the build is done.
type SiteFS struct {
	dir  string   // the site folder as given
	real string   // dir absolute, with its symlinks resolved, to tell inside from outside
	root *os.Root // dir, opened once; nil when it could not be, with err
	err  error
}

// OpenSite opens the site folder dir as a SiteFS. A folder that cannot be
// opened (missing, not a folder) gives a SiteFS whose every call fails with
// that error, as a read under a missing folder does.
func OpenSite(dir string) *SiteFS {
	s := &SiteFS{dir: dir, real: absolute(dir)}
	if r, err := filepath.EvalSymlinks(dir); err == nil {
		s.real = absolute(r)
	}
	s.root, s.err = os.OpenRoot(dir)
	if s.err != nil {
		s.err = unwrapPathError(s.err)
	}
	return s
}

// Close releases the site folder.
func (s *SiteFS) Close() error {
	if s.root == nil {
		return nil
	}
	return s.root.Close()
}

// OutsideError says a symlink leads out of the site: it is refused rather
// than read, so that a build publishes only what the site holds.
type OutsideError struct {
	Target string // where the link leads
}

func (e *OutsideError) Error() string {
	return fmt.Sprintf("symlink points outside the site (%s); copy the file into the site instead", e.Target)
}

// Open opens a file or folder of the site (see SiteFS).
func (s *SiteFS) Open(name string) (fs.File, error) {
	f, _, err := s.open(name)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ReadFile reads a whole regular file of the site; a folder is refused.
func (s *SiteFS) ReadFile(name string) ([]byte, error) {
	f, info, err := s.open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info.IsDir() {
		return nil, s.pathError("open", name, &safefile.NotRegularError{Mode: info.Mode()})
	}
	return safefile.ReadAll(f, info.Size(), 0)
}

// open opens name through the root. os.Root follows only the relative links
// that stay under it; a path it refuses (an absolute link, a link that
// climbs out and back in, or one that is broken) is resolved as a build
// always has and, when it stays inside, opened by its resolved path.
func (s *SiteFS) open(name string) (*os.File, fs.FileInfo, error) {
	if err := s.check("open", name); err != nil {
		return nil, nil, err
	}
	f, info, err := safefile.OpenIn(s.root, name)
	var notRegular *safefile.NotRegularError
	if err != nil && !errors.As(err, &notRegular) {
		rel, ierr := s.inside(name)
		if ierr != nil {
			return nil, nil, s.pathError("open", name, ierr)
		}
		f, info, err = safefile.OpenIn(s.root, rel)
	}
	if err != nil {
		return nil, nil, s.pathError("open", name, err)
	}
	return f, info, nil
}

// Stat describes a file of the site, following symlinks that stay inside.
func (s *SiteFS) Stat(name string) (fs.FileInfo, error) {
	if err := s.check("stat", name); err != nil {
		return nil, err
	}
	info, err := s.root.Stat(name)
	if err != nil {
		rel, ierr := s.inside(name)
		if ierr != nil {
			return nil, s.pathError("stat", name, ierr)
		}
		info, err = s.root.Stat(rel)
	}
	if err != nil {
		return nil, s.pathError("stat", name, err)
	}
	return info, nil
}

// Lstat describes a file of the site without following it if it is a symlink.
func (s *SiteFS) Lstat(name string) (fs.FileInfo, error) {
	return inParent(s, "lstat", name, s.root.Lstat)
}

// ReadLink returns where a symlink of the site points, as written.
func (s *SiteFS) ReadLink(name string) (string, error) {
	return inParent(s, "readlink", name, s.root.Readlink)
}

// inParent runs op on name through the root; when the root refuses the
// folder name is in, it resolves that folder as open does.
func inParent[T any](s *SiteFS, opName, name string, op func(string) (T, error)) (T, error) {
	var zero T
	if err := s.check(opName, name); err != nil {
		return zero, err
	}
	v, err := op(name)
	if err != nil {
		dir, ierr := s.inside(path.Dir(name))
		if ierr != nil {
			return zero, s.pathError(opName, name, ierr)
		}
		v, err = op(filepath.Join(dir, path.Base(name)))
	}
	if err != nil {
		return zero, s.pathError(opName, name, err)
	}
	return v, nil
}

// check refuses a name fs.FS does not allow, and every name when the site
// folder could not be opened.
func (s *SiteFS) check(op, name string) error {
	if !fs.ValidPath(name) {
		return &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if s.root == nil {
		return s.pathError(op, name, s.err)
	}
	return nil
}

// inside returns the path, relative to the site folder, that name leads to
// once its symlinks are resolved; or why it cannot be read: the error
// os.Stat gives (so a broken link reads as a missing file, as it always
// has), or an *OutsideError.
func (s *SiteFS) inside(name string) (string, error) {
	p := s.osPath(name)
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		if _, serr := os.Stat(p); serr != nil {
			return "", unwrapPathError(serr)
		}
		return "", unwrapPathError(err)
	}
	if !Within(s.real, absolute(real)) {
		return "", &OutsideError{Target: real}
	}
	return filepath.Rel(s.real, absolute(real))
}

// followLink follows the symlink name for the walk of content/, with the
// messages a build has always given: where a broken link points as
// written, where a link leaving the site leads on disk.
func (s *SiteFS) followLink(name string) (fs.FileInfo, error) {
	p := s.osPath(name)
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		link, _ := os.Readlink(p)
		return nil, &brokenLinkError{link: link, err: err}
	}
	if !Within(s.real, absolute(target)) {
		return nil, &OutsideError{Target: target}
	}
	return s.Stat(name)
}

// absolute makes p absolute, so that a site folder given relative (as
// dossier build takes it) and a link to an absolute path compare. The
// messages keep p as it was.
func absolute(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// osPath is where name is on disk, as messages name it.
func (s *SiteFS) osPath(name string) string {
	return filepath.Join(s.dir, filepath.FromSlash(name))
}

// pathError names the file by its path on disk, whatever named it on the
// way (os.Root names it relative to the root, by the op of its system call).
func (s *SiteFS) pathError(op, name string, err error) error {
	return &fs.PathError{Op: op, Path: s.osPath(name), Err: unwrapPathError(err)}
}

// brokenLinkError says a symlink does not resolve: it points nowhere, or
// back to itself.
type brokenLinkError struct {
	link string // where it points, as written
	err  error
}

func (e *brokenLinkError) Error() string {
	switch {
	case errors.Is(e.err, fs.ErrNotExist):
		return fmt.Sprintf("broken or looping symlink: its target %s does not exist; fix or remove the link", e.link)
	case strings.Contains(e.err.Error(), "too many links"):
		return fmt.Sprintf("broken or looping symlink: it leads back to itself through %s; fix or remove the link", e.link)
	}
	return fmt.Sprintf("broken or looping symlink: %v", unwrapPathError(e.err))
}

func (e *brokenLinkError) Unwrap() error { return e.err }

// errLinkLoop is what following a chain of symlinks too long gives, in the
// words of filepath.EvalSymlinks.
var errLinkLoop = errors.New("too many links")

// maxLinks bounds a chain of symlinks, as filepath.EvalSymlinks does.
const maxLinks = 255

// followLink follows the symlink name of fsys and describes what it leads
// to. A SiteFS follows its own; in any other file system a link must lead,
// by relative steps, to a file of the same file system.
func followLink(fsys fs.FS, name string) (fs.FileInfo, error) {
	if s, ok := fsys.(*SiteFS); ok {
		return s.followLink(name)
	}
	link, err := fs.ReadLink(fsys, name)
	if err != nil {
		return nil, err
	}
	cur, target := name, link
	for range maxLinks {
		next := path.Join(path.Dir(cur), target)
		if path.IsAbs(target) || !fs.ValidPath(next) {
			return nil, &OutsideError{Target: target}
		}
		info, err := fs.Lstat(fsys, next)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, &brokenLinkError{link: link, err: err}
			}
			return nil, err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			return info, nil
		}
		if target, err = fs.ReadLink(fsys, next); err != nil {
			return nil, err
		}
		cur = next
	}
	return nil, &brokenLinkError{link: link, err: errLinkLoop}
}
