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

// A site without a host in its base URL builds, but its feed and sitemap
// hold relative URLs: build and check say so, and say how to fix it.
func TestWarnsOfARelativeBaseURL(t *testing.T) {
	site := writeSite(t, goodSite) // no baseURL: "/"
	const warning = `warning: dossier.toml: baseURL "/" has no host: feed.xml and sitemap.xml then hold relative URLs`
	for _, args := range [][]string{{"build", "--source", site}, {"check", "--source", site}} {
		code, stdout, stderr := runCLI(args...)
		if code != 0 || !strings.Contains(stderr, warning) {
			t.Errorf("%s: exit %d, stderr %q; want the warning", args[0], code, stderr)
		}
		if args[0] == "build" && !strings.Contains(stdout, "`dossier serve`") {
			t.Errorf("build does not say how to look at the site: %q", stdout)
		}
	}
	code, _, stderr := runCLI("build", "--source", site, "--base-url", "https://example.org/news/")
	if code != 0 || strings.Contains(stderr, "warning") {
		t.Errorf("with a host: exit %d, stderr %q", code, stderr)
	}
}
