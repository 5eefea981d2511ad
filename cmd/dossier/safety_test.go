package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// public/ as a symlink to the served folder: the build writes through the
// link and leaves it a link, and the target holds the complete new site.
// Before, the link became a folder and the target lost its page folders
// while the build printed "Built … pages" and exited 0.
func TestBuildThroughSymlinkedPublic(t *testing.T) {
	site := writeSite(t, goodSite)
	www := filepath.Join(t.TempDir(), "www")
	if code, _, stderr := runCLI("build", "--source", site, "--dest", www); code != 0 {
		t.Fatalf("first build: exit %d: %s", code, stderr)
	}
	want := snapshot(t, www)
	if err := os.Symlink(www, filepath.Join(site, "public")); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if code, _, stderr := runCLI("build", "--source", site); code != 0 {
			t.Fatalf("build through the link: exit %d: %s", code, stderr)
		}
		if info, err := os.Lstat(filepath.Join(site, "public")); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Fatal("public/ is no longer a symlink")
		}
		got := snapshot(t, www)
		if len(got) != len(want) {
			t.Fatalf("the target holds %d files, want %d", len(got), len(want))
		}
		for p, data := range want {
			if got[p] != data {
				t.Errorf("%s differs from a build straight into the folder", p)
			}
		}
	}
}

// --source naming no folder is an error, and nothing is created.
func TestBuildMissingSourceCreatesNothing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "does", "not", "exist")
	code, _, stderr := runCLI("build", "--source", missing)
	if code == 0 {
		t.Fatal("a build of a missing folder succeeded")
	}
	if !strings.Contains(stderr, "no site folder at "+missing) {
		t.Errorf("stderr = %q", stderr)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
		t.Errorf("the build made %s", filepath.Dir(missing))
	}
}

// A named pipe under content/ is refused by its type at path:1:1; opening
// it would block build and check forever. If this test hangs, it failed.
func TestNamedPipeInContentIsRefused(t *testing.T) {
	for _, place := range []string{"content/actors/pipe.md", "content/dossiers/pact/feed.csv", "content/dossiers/pact/quotes.md"} {
		t.Run(place, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range goodSite {
				if k != place {
					files[k] = v
				}
			}
			site := writeSite(t, files)
			if err := syscall.Mkfifo(filepath.Join(site, filepath.FromSlash(place)), 0o644); err != nil {
				t.Skip("no mkfifo here:", err)
			}
			for _, cmd := range []string{"build", "check"} {
				code, _, stderr := runCLI(cmd, "--source", site)
				if code != 1 {
					t.Errorf("%s: exit %d, want 1; stderr: %s", cmd, code, stderr)
				}
				if want := place + ":1:1: this is a named pipe, not a regular file"; !strings.Contains(stderr, want) {
					t.Errorf("%s: stderr = %q, want %q", cmd, stderr, want)
				}
			}
		})
	}
}
