package load

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/safefile"
)

// These tests need a real folder: what SiteFS adds to a folder on disk is
// the point.

// newSite makes a site folder under a fresh temporary folder (which stands
// for the world outside the site) and returns both.
func newSite(t *testing.T) (site, outside string) {
	t.Helper()
	outside = t.TempDir()
	site = filepath.Join(outside, "site")
	for name, text := range map[string]string{
		"dossier.toml":          "title = \"T\"\n",
		"content/actors/kim.md": actor,
		"shared/jo.md":          actor,
		"layouts/home.html":     "home",
	} {
		p := filepath.Join(site, filepath.FromSlash(name))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(text), 0o644))
	}
	must(t, os.WriteFile(filepath.Join(outside, "secret.md"), []byte("secret"), 0o644))
	return site, outside
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func openSite(t *testing.T, dir string) *SiteFS {
	s := OpenSite(dir)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSiteFSIsAnFS(t *testing.T) {
	site, _ := newSite(t)
	must(t, os.Symlink("../../shared/jo.md", filepath.Join(site, "content/actors/jo.md")))
	if err := fstest.TestFS(openSite(t, site), "dossier.toml", "content/actors/kim.md", "content/actors/jo.md", "shared/jo.md", "layouts/home.html"); err != nil {
		t.Fatal(err)
	}
}

// A symlink that stays inside the site is followed however it is written;
// one that leaves it is refused, with where it leads on disk.
func TestSiteFSKeepsReadsInside(t *testing.T) {
	site, outside := newSite(t)
	actors := filepath.Join(site, "content", "actors")
	links := map[string]string{
		"rel.md":     "../../shared/jo.md",
		"abs.md":     filepath.Join(site, "shared", "jo.md"),
		"outin.md":   "../../../site/shared/jo.md", // out and back in: os.Root alone refuses it
		"out.md":     "../../../secret.md",
		"outabs.md":  filepath.Join(outside, "secret.md"),
		"ghost.md":   "nowhere.md",
		"folder.md":  "../../shared",
		"climbed.md": "../../shared/../../secret.md",
	}
	for name, target := range links {
		must(t, os.Symlink(target, filepath.Join(actors, name)))
	}
	fsys := openSite(t, site)
	for _, name := range []string{"rel.md", "abs.md", "outin.md"} {
		if data, err := fs.ReadFile(fsys, "content/actors/"+name); err != nil || string(data) != actor {
			t.Errorf("%s: %q, %v; want the file it links to", name, data, err)
		}
	}
	for _, name := range []string{"out.md", "outabs.md", "climbed.md"} {
		_, err := fs.ReadFile(fsys, "content/actors/"+name)
		var out *OutsideError
		if !errors.As(err, &out) || out.Target != filepath.Join(outside, "secret.md") {
			t.Errorf("%s: %v; want refused as outside, leading to the secret", name, err)
		}
		if _, err := fsys.Stat("content/actors/" + name); !errors.As(err, &out) {
			t.Errorf("Stat %s: %v; want refused as outside", name, err)
		}
		if info, err := fsys.Lstat("content/actors/" + name); err != nil || info.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("Lstat %s: %v, %v; want the link itself", name, info, err)
		}
	}
	// A broken link reads as a missing file, as it always has (a missing
	// dossier.toml gives the defaults; a missing layout, the built-in one).
	if _, err := fs.ReadFile(fsys, "content/actors/ghost.md"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ghost.md: %v; want not found", err)
	}
	var notRegular *safefile.NotRegularError
	if _, err := fs.ReadFile(fsys, "content/actors/folder.md"); !errors.As(err, &notRegular) || !notRegular.Mode.IsDir() {
		t.Errorf("ReadFile of a folder: %v; want refused as a folder", err)
	}
	if target, err := fsys.ReadLink("content/actors/out.md"); err != nil || target != links["out.md"] {
		t.Errorf("ReadLink = %q, %v; want the link as written", target, err)
	}
}

// Messages name a file by its path on disk, the site folder as given.
func TestSiteFSErrorsNameTheFileOnDisk(t *testing.T) {
	site, _ := newSite(t)
	fsys := openSite(t, site)
	_, err := fsys.Open("layouts/baseof.html")
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Op != "open" || pe.Path != filepath.Join(site, "layouts", "baseof.html") || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of a missing file: %#v", err)
	}
	if _, err := fsys.Open("../site/dossier.toml"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("Open of a path fs.FS does not allow: %v", err)
	}
	missing := openSite(t, filepath.Join(site, "nowhere"))
	if _, err := fs.ReadFile(missing, "dossier.toml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing site folder: %v; want not found", err)
	}
}

// dossier build takes the site folder as given, often relative: a link to
// an absolute path inside it is inside all the same (it was once refused as
// outside, comparing a relative folder with an absolute target).
func TestRelativeSiteFolderAndAbsoluteLink(t *testing.T) {
	site, outside := newSite(t)
	must(t, os.Symlink(filepath.Join(site, "shared", "jo.md"), filepath.Join(site, "content", "actors", "jo.md")))
	must(t, os.Symlink(filepath.Join(outside, "secret.md"), filepath.Join(site, "content", "actors", "secret.md")))
	t.Chdir(outside)
	var errs diag.List
	var paths []string
	for _, f := range Content(openSite(t, "site"), &errs) {
		if !f.Refused {
			paths = append(paths, f.Path)
		}
	}
	if want := []string{"content/actors/jo.md", "content/actors/kim.md"}; !slices.Equal(paths, want) {
		t.Errorf("read %q, want %q", paths, want)
	}
	want := []string{"content/actors/secret.md: symlink points outside the site (" + filepath.Join(outside, "secret.md") + "); copy the file into the site instead"}
	if msgs := messages(&errs); !slices.Equal(msgs, want) {
		t.Errorf("errors = %q, want %q", msgs, want)
	}
}
