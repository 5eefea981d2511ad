package generator_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/internal/corpus"
	"github.com/dossier-ssg/dossier/internal/testimage"
)

// equalsClean fails unless a builder's tree holds what a clean build of the
// same content makes.
func equalsClean(t *testing.T, opts generator.Options, inc *generator.Result, step string) {
	t.Helper()
	clean, err := generator.Build(opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(inc.Tree) != len(clean.Tree) {
		t.Fatalf("%s: %d files incrementally, %d clean", step, len(inc.Tree), len(clean.Tree))
	}
	for p, f := range clean.Tree {
		if !bytes.Equal(held(t, inc.Tree[p]), f.Data) || inc.Tree[p].From != f.From {
			t.Fatalf("%s: %s differs from a clean build", step, p)
		}
	}
}

// A save that resolve patches hands over to the dev loop's tree only the
// pages render looked at again (with the hosting, search index and picture
// files), not every page of the site: what a save costs the tree grows with
// what changed, not with the site. The tree still equals a clean build's.
func TestSaveHandsOverOnlyWhatChanged(t *testing.T) {
	dir := t.TempDir()
	c := corpus.Generate(corpus.Options{Dossiers: 40, Seed: 1})
	if _, err := c.Write(dir, ""); err != nil {
		t.Fatal(err)
	}
	opts := generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme, Serve: true}
	b := generator.NewBuilder(opts)
	first, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	all := first.Stats.Handed
	if pages := first.Stats.PageCount(); all < pages {
		t.Fatalf("first build: %d files handed over, fewer than its %d pages", all, pages)
	}
	index := filepath.Join("content", "dossiers", c.Dossiers[7].Slug, "index.md")
	for step := range 4 {
		b.Changed(rewrite(dir, index, func(s string) string { return s + fmt.Sprintf("\nLigne ajoutée %d.\n", step) })...)
		inc, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		// The dossier's page and the pages that show its summary or
		// its quotes; the search index's files.
		if inc.Stats.Handed*4 > all {
			t.Errorf("save %d: %d files handed over of %d, want under a quarter", step, inc.Stats.Handed, all)
		}
		equalsClean(t, opts, inc, fmt.Sprintf("save %d", step))
	}
	// An actor's file resolves the site in full: every page again.
	actor := filepath.Join("content", "actors", c.Actors[0].Slug+".md")
	b.Changed(rewrite(dir, actor, func(s string) string { return strings.Replace(s, "\nkind: ", "\nrole: \"Rôle\"\nkind: ", 1) })...)
	inc, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if inc.Stats.Handed < all {
		t.Errorf("actor's save: %d files handed over, want every one of %d", inc.Stats.Handed, all)
	}
	equalsClean(t, opts, inc, "actor's save")
}

// After a patched save, a picture no page shows any more leaves the tree
// (its variants are handed over whole, and those of the last save not
// handed over again went), and its file is published as an attachment;
// shown again, it comes back.
func TestPatchedSaveDropsPicturesGone(t *testing.T) {
	dir := copySite(t)
	addMedia(t, dir)
	figure := filepath.Join(filepath.Dir(mainDossier), "carte.png")
	if err := os.WriteFile(filepath.Join(dir, figure), testimage.PNG(200, 120, 3), 0o644); err != nil {
		t.Fatal(err)
	}
	line := "\n![Une autre carte](carte.png \"Figure 1 | Carte\")\n"
	rewrite(dir, mainDossier, func(s string) string { return s + line })
	opts := generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme, Serve: true}
	b := generator.NewBuilder(opts)
	if _, err := b.Build(); err != nil {
		t.Fatal(err)
	}
	for step, fn := range []func(string) string{
		func(s string) string { return strings.Replace(s, line, "\nPlus de carte.\n", 1) },
		func(s string) string { return strings.Replace(s, "\nPlus de carte.\n", line, 1) },
		func(s string) string { return strings.Replace(s, line, "\nPlus de carte.\n", 1) },
	} {
		b.Changed(rewrite(dir, mainDossier, fn)...)
		inc, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		equalsClean(t, opts, inc, fmt.Sprintf("step %d", step))
	}
}
