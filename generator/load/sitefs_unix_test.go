//go:build unix

package load

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/dossier-ssg/dossier/generator/safefile"
)

// A named pipe with no writer blocks open(2) forever: through SiteFS it is
// refused at once, also behind a symlink, however it is read. If an open
// blocked, this test would hang until go test's timeout.
func TestSiteFSNeverBlocksOnAPipe(t *testing.T) {
	site, _ := newSite(t)
	pipe := filepath.Join(site, "content", "actors", "pipe.md")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skip("no mkfifo here:", err)
	}
	must(t, os.Symlink("pipe.md", filepath.Join(site, "content", "actors", "link.md")))
	fsys := openSite(t, site)
	for _, name := range []string{"content/actors/pipe.md", "content/actors/link.md"} {
		for how, read := range map[string]func() error{
			"Open":     func() error { _, err := fsys.Open(name); return err },
			"ReadFile": func() error { _, err := fs.ReadFile(fsys, name); return err },
		} {
			var nr *safefile.NotRegularError
			if err := read(); !errors.As(err, &nr) || safefile.Describe(nr.Mode) != "a named pipe" {
				t.Errorf("%s %s: %v; want refused as a named pipe", how, name, err)
			}
		}
		want := name + ":1:1: this is a named pipe, not a regular file: a site holds only files and folders; remove it"
		if _, err := ReadText(fsys, name); err == nil || err.Error() != want {
			t.Errorf("ReadText %s: %v; want %s", name, err, want)
		}
	}
	if info, err := fsys.Stat("content/actors/link.md"); err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("Stat of a link to a pipe: %v, %v; want the pipe described, not opened", info, err)
	}
}
