package main

import (
	"os"
	"path/filepath"
	"strings"
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
