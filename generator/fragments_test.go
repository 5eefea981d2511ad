package generator_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
)

// TestFragmentsLiveOneBuild checks that partials cached with partialCached
// (dossier cards, actor rows, timeline events, the navigation) are executed
// afresh by the next build: after a retitle, no page of the rebuild shows the
// old title, and the pages that show the dossier as a card or an event show
// the new one.
func TestFragmentsLiveOneBuild(t *testing.T) {
	dir := copySite(t)
	b := generator.NewBuilder(generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme})
	first, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	const oldTitle, newTitle = "Russie et Corée du Nord promettent", "Un titre changé pour le test"
	shown := []string{
		"acteurs/vladimir-putin/index.html", // dossier card
		"chronologie/index.html",            // timeline event
	}
	for _, p := range shown {
		if !bytes.Contains(held(t, first.Tree[p]), []byte(oldTitle)) {
			t.Fatalf("%s does not show the dossier title before the edit", p)
		}
	}
	file := filepath.Join(dir, "content/dossiers/russie-coree-du-nord-pacte-2024/index.md")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(src), oldTitle, newTitle, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	b.Changed(file)
	next, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range shown {
		if !bytes.Contains(held(t, next.Tree[p]), []byte(newTitle)) {
			t.Errorf("%s does not show the new title after the edit", p)
		}
	}
	for p, f := range next.Tree {
		if bytes.Contains(held(t, f), []byte(oldTitle)) {
			t.Errorf("%s still shows the old title after the edit", p)
		}
	}
}
