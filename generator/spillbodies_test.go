package generator_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/internal/corpus"
)

// TestDossierBodiesWaitOnDisk: a one-shot build with the build cache keeps
// the HTML of dossiers' bodies, shown on their own page alone, in its
// spill file while it makes pages, not in the heap: once built, only the
// feed's dossiers (50, put back for the feed) hold theirs. The pages are
// those of a build that holds every body, and so are a second build's,
// whose bodies come from the saved cache (read back from the spill).
func TestDossierBodiesWaitOnDisk(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	if _, err := corpus.Generate(corpus.Options{Dossiers: 120, Seed: 5}).Write(site, ""); err != nil {
		t.Fatal(err)
	}
	opts := generator.Options{SiteDir: site, Theme: dossier.DefaultTheme}
	want, err := generator.Build(opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.BuildCache = true
	dest := filepath.Join(t.TempDir(), "public")
	for _, build := range []string{"clean", "cached"} {
		res, err := generator.Publish(opts, dest)
		if err != nil {
			t.Fatal(err)
		}
		held := 0
		for _, d := range res.Site.Dossiers {
			if d.Body.HTML != "" {
				held++
			}
		}
		if len(res.Site.Dossiers) != 120 || held > 50 {
			t.Errorf("%s build: %d of %d dossiers hold their body's HTML after the build, want the feed's 50 at most",
				build, held, len(res.Site.Dossiers))
		}
		if build == "cached" && res.Stats.ReusedBodies == 0 {
			t.Error("cached build: no body taken from the saved cache")
		}
		for path, f := range want.Tree {
			if f.Data == nil {
				continue
			}
			got, err := os.ReadFile(filepath.Join(dest, path))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, f.Data) {
				t.Errorf("%s build: %s differs from a build that holds every body", build, path)
			}
		}
	}
}
