package generator_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/generator/output"
	"github.com/dossier-ssg/dossier/internal/corpus"
)

// Publish writes pages while it renders them and recycles each page's
// buffer once it is written (render.ReleasePage): what lands on disk must be
// exactly the site Build makes in memory, file for file. Three hundred
// dossiers make ~1,700 pages, enough for every buffer to be reused many
// times over.
func TestPublishEqualsBuild(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	if _, err := corpus.Generate(corpus.Options{Dossiers: 300, Seed: 3}).Write(site, ""); err != nil {
		t.Fatal(err)
	}
	opts := generator.Options{SiteDir: site, Theme: dossier.DefaultTheme}
	want, err := generator.Build(opts)
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := generator.Publish(opts, dest); err != nil {
		t.Fatal(err)
	}
	seen := 0
	err = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		rel = filepath.ToSlash(rel)
		f, ok := want.Tree[rel]
		if !ok {
			if rel != output.Marker {
				t.Errorf("%s: written, not in the built site", rel)
			}
			return nil
		}
		seen++
		if f.Data == nil {
			return nil // an attachment, copied
		}
		got, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, f.Data) {
			t.Errorf("%s: written bytes differ from the built page", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != len(want.Tree) || seen < 1000 {
		t.Errorf("%d files written of %d built", seen, len(want.Tree))
	}
}
