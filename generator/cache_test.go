package generator

import (
	"bytes"
	"path/filepath"
	"testing"

	dossier "github.com/dossier-ssg/dossier"

	"github.com/dossier-ssg/dossier/generator/buildcache"
	"github.com/dossier-ssg/dossier/generator/pagecache"
	"github.com/dossier-ssg/dossier/generator/render"
	"github.com/dossier-ssg/dossier/generator/search"
	"github.com/dossier-ssg/dossier/internal/corpus"
)

// TestParsedValuesWaitOnDisk: parse's values for the next build leave the
// heap as soon as they are made (a spill file in the cache folder) and are
// saved from there, byte for byte.
func TestParsedValuesWaitOnDisk(t *testing.T) {
	site := t.TempDir()
	c := &diskCache{key: 7, dir: site + "/" + buildcache.Dir, known: pagecache.NewKnown(nil),
		bodies: render.NewStoredBodies(nil), analyses: search.NewAnalyses()}
	defer c.close()
	parsed := bytes.Repeat([]byte("values of parse "), 4096)
	c.keepParsed(bytes.Clone(parsed))
	if c.parsed == nil || c.parsedBytes != nil {
		t.Fatal("parse's values stayed in memory")
	}
	next := c.state(map[string]uint64{})
	next.Token = "t"
	if err := buildcache.Save(site, c.key, next); err != nil {
		t.Fatal(err)
	}
	got, err := buildcache.Load(site, c.key)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Parsed, parsed) {
		t.Errorf("saved %d bytes of parse's values, want the %d kept", len(got.Parsed), len(parsed))
	}
	if !bytes.Equal(got.Search, search.NewAnalyses().Encode()) {
		t.Error("the analyses were not saved as Encode makes them")
	}
}

// TestSearchAnalysesWaitOnDisk: a one-shot build with the build cache
// moves its search analyses out of the heap (the cache's spill file) once
// the search index is made, before the pages: none is held in memory
// after the build, the save writes them from the spill, and the next
// build takes its documents' analyses from what was saved.
func TestSearchAnalysesWaitOnDisk(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	if _, err := corpus.Generate(corpus.Options{Dossiers: 40, Seed: 3}).Write(site, ""); err != nil {
		t.Fatal(err)
	}
	opts := Options{SiteDir: site, Theme: dossier.DefaultTheme, BuildCache: true}
	dc := openDiskCache(opts)
	if dc == nil {
		t.Fatal("no build cache")
	}
	defer dc.close()
	if _, err := buildOnce(opts, nil, dc); err != nil {
		t.Fatal(err)
	}
	if held, empty := dc.analyses.Len(), search.NewAnalyses().Len(); held != empty {
		t.Errorf("%d bytes of search analyses held in memory after the build, want none (%d)", held, empty)
	}
	next := dc.state(map[string]uint64{})
	next.Token = "t"
	if err := buildcache.Save(site, dc.key, next); err != nil {
		t.Fatal(err)
	}
	got, err := buildcache.Load(site, dc.key)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Search) < 1000 {
		t.Fatalf("saved %d bytes of search analyses, want this build's", len(got.Search))
	}
	// The next build (the cache just saved, another destination) analyses
	// no document again.
	dc.close()
	dc2 := openDiskCache(opts)
	defer dc2.close()
	res, err := buildOnce(opts, nil, dc2)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.ReusedDocs == 0 {
		t.Error("the next build took no analysis from the saved cache")
	}
}
