package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/dossier-ssg/dossier/generator/output"
)

// TestBuildCacheSpareFollowsEdits: a run of edits, each followed by a
// cached rebuild (from the third build on, staged in the spare the build
// before kept): a dossier edited, one added, one deleted (its files and
// folders go), an actor renamed (pages across the site change). After
// each, the destination equals a clean build of the same sources, files
// and folders, and the spare differs from it only in the paths its marker
// lists (output.VerifySpare).
func TestBuildCacheSpareFollowsEdits(t *testing.T) {
	c := newCacheSite(t)
	c.build(c.dest)
	dossiers := filepath.Join(c.site, "content/dossiers")
	entries, err := os.ReadDir(dossiers)
	if err != nil || len(entries) < 3 {
		t.Fatal("too few dossiers", err)
	}
	first, second := entries[0].Name(), unlinked(t, c.site, entries[1:])
	actors, err := os.ReadDir(filepath.Join(c.site, "content/actors"))
	if err != nil || len(actors) == 0 {
		t.Fatal("no actor", err)
	}
	steps := []struct {
		name string
		edit func()
	}{
		{"a dossier edited", func() { c.edit(c.firstDossier(), "\nUne phrase ajoutée.\n") }},
		{"the same dossier edited again", func() { c.edit(c.firstDossier(), "\nUne autre phrase.\n") }},
		{"a dossier added", func() {
			if err := os.CopyFS(filepath.Join(dossiers, "zz-nouveau-dossier"), os.DirFS(filepath.Join(dossiers, first))); err != nil {
				t.Fatal(err)
			}
		}},
		{"a dossier deleted", func() {
			if err := os.RemoveAll(filepath.Join(dossiers, second)); err != nil {
				t.Fatal(err)
			}
		}},
		{"an actor renamed", func() {
			var p string
			var data []byte
			for _, a := range actors { // one with aliases
				p = filepath.Join(c.site, "content/actors", a.Name())
				if data, err = os.ReadFile(p); err != nil {
					t.Fatal(err)
				}
				if bytes.Contains(data, []byte("\naliases: [")) {
					break
				}
			}
			// The old name stays an alias: links by name still resolve.
			m := regexp.MustCompile(`(?m)^name: (.*)$`).FindSubmatch(data)
			if m == nil || !bytes.Contains(data, []byte("\naliases: [")) {
				t.Fatalf("no name or aliases in %s", p)
			}
			renamed := bytes.Replace(data, m[0], []byte(`name: "Un acteur renommé"`), 1)
			renamed = bytes.Replace(renamed, []byte("\naliases: ["), []byte("\naliases: ["+string(m[1])+", "), 1)
			if bytes.Equal(renamed, data) {
				t.Fatal("the actor was not renamed")
			}
			if err := os.WriteFile(p, renamed, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"the added dossier deleted", func() {
			if err := os.RemoveAll(filepath.Join(dossiers, "zz-nouveau-dossier")); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for i, step := range steps {
		step.edit()
		if p, _ := c.build(c.dest); p == 0 {
			t.Fatalf("%s: the rebuild reused no page", step.name)
		}
		c.checkCleanCopy(step.name)
		if err := output.VerifySpare(c.dest); err != nil {
			t.Errorf("%s (build %d): %v", step.name, i+2, err)
		}
	}
}

// checkCleanCopy compares dest, files and folders, with a build from
// scratch of a copy of the sources (the site's own build cache stays).
func (c *cacheSite) checkCleanCopy(step string) {
	c.t.Helper()
	site := filepath.Join(c.t.TempDir(), "site")
	if err := os.CopyFS(site, os.DirFS(c.site)); err != nil {
		c.t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(site, ".dossier-cache")); err != nil {
		c.t.Fatal(err)
	}
	clean := filepath.Join(c.t.TempDir(), "clean")
	if code, _, errOut := runCLI("build", "--no-cache", "--source", site, "--dest", clean); code != 0 {
		c.t.Fatalf("clean build: exit %d: %s", code, errOut)
	}
	sameAsClean(c.t, step, snapshot(c.t, c.dest), snapshot(c.t, clean))
	if g, w := folders(c.t, c.dest), folders(c.t, clean); !slices.Equal(g, w) {
		c.t.Errorf("%s: the folders differ from a clean build's: %d against %d", step, len(g), len(w))
	}
}

// unlinked returns the first dossier of entries no content file links to.
func unlinked(t *testing.T, site string, entries []fs.DirEntry) string {
	t.Helper()
	var all []byte
	err := filepath.WalkDir(filepath.Join(site, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, err := os.ReadFile(p)
			all = append(all, data...)
			return err
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !bytes.Contains(all, []byte("dossiers/"+e.Name())) {
			return e.Name()
		}
	}
	t.Fatal("every dossier is linked to")
	return ""
}

// folders lists the folders under dir.
func folders(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
