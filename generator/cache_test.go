package generator

import (
	"bytes"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"

	dossier "github.com/dossier-ssg/dossier"

	"github.com/dossier-ssg/dossier/generator/buildcache"
	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/pagecache"
	"github.com/dossier-ssg/dossier/generator/parse"
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
	got := saveAndLoad(t, site, c)
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

// TestCacheLoadHoldsNoBodies: the build cache's load streams the last
// build's rendered bodies from the cache file to the spill file, one at a
// time: the load allocates far less than the bodies (it read the whole
// file, then copied every body, ~150 MB at 10,000 dossiers: the highest
// live heap of a warm build), and once loaded no body is in the heap, also
// in a rebuild, where the last build's state stays for the whole build.
// (That a build reads them back as saved: TestDossierBodiesWaitOnDisk,
// buildcache's TestLoadKeeping.)
func TestCacheLoadHoldsNoBodies(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	if _, err := corpus.Generate(corpus.Options{Dossiers: 3, Seed: 3}).Write(site, ""); err != nil {
		t.Fatal(err)
	}
	opts := Options{SiteDir: site, Theme: dossier.DefaultTheme, BuildCache: true}
	dc := openDiskCache(opts)
	if dc == nil {
		t.Fatal("no build cache")
	}
	dc.close()
	const n, size = 48, 1 << 20 // 48 MB of bodies
	bodies := make(map[uint64]string, n)
	for i := range n {
		bodies[uint64(i+1)] = strings.Repeat(string(rune('a'+i%26)), size)
	}
	if err := buildcache.Save(site, dc.key, &buildcache.State{Token: "t", Bodies: bodies}); err != nil {
		t.Fatal(err)
	}
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: liveHeapMetric}}
	runtime.GC()
	metrics.Read(sample)
	allocs, live := sample[0].Value.Uint64(), sample[1].Value.Uint64()
	dc = openDiskCache(opts)
	defer dc.close()
	runtime.GC()
	metrics.Read(sample)
	if dc.last == nil {
		t.Fatal("the cache saved was not loaded")
	}
	if got := sample[0].Value.Uint64() - allocs; got > n*size/4 {
		t.Errorf("the load allocated %d MB for %d MB of bodies", got>>20, n*size>>20)
	}
	if got := int64(sample[1].Value.Uint64()) - int64(live); got > n*size/4 {
		t.Errorf("the live heap grew by %d MB with %d MB of bodies loaded", got>>20, n*size>>20)
	}
	runtime.KeepAlive(dc)
}

// TestParsedValuesStreamToDisk: parse's values for the next build are
// encoded straight into the spill file, never whole in the heap (at the
// end of parsing, when the files' bytes, the last build's values and the
// parsed site are held too), and saved as Encode makes them.
func TestParsedValuesStreamToDisk(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	if _, err := corpus.Generate(corpus.Options{Dossiers: 200, Seed: 3}).Write(site, ""); err != nil {
		t.Fatal(err)
	}
	fsys := load.OpenSite(site)
	defer fsys.Close()
	var errs diag.List
	files := load.Content(fsys, &errs)
	engine := markdown.New(markdown.Options{})
	pc := parse.DecodeCache(nil, engine)
	(&parse.Parser{Markdown: engine, Cache: pc, Compact: true}).Site(files, &errs)
	want := pc.Encode(files)
	if len(want) < 256<<10 {
		t.Fatalf("parse's values take %d bytes: too few to tell", len(want))
	}
	// The next build's: every value taken from the stored bytes.
	pc = parse.DecodeCache(want, engine)
	(&parse.Parser{Markdown: engine, Cache: pc, Compact: true}).Site(files, &errs)
	if pc.StoredHits() == 0 {
		t.Fatal("no value taken from the stored bytes")
	}
	c := &diskCache{key: 7, dir: filepath.Join(site, buildcache.Dir), known: pagecache.NewKnown(nil),
		bodies: render.NewStoredBodies(nil), analyses: search.NewAnalyses()}
	defer c.close()
	c.spillFile()
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(sample)
	before := sample[0].Value.Uint64()
	c.storeParsed(pc, files)
	metrics.Read(sample)
	if got := sample[0].Value.Uint64() - before; got > uint64(len(want))/4 {
		t.Errorf("storing %d bytes of parse's values allocated %d", len(want), got)
	}
	if c.parsedBytes != nil {
		t.Error("parse's values stayed in memory")
	}
	got := saveAndLoad(t, site, c)
	if !bytes.Equal(got.Parsed, want) {
		t.Errorf("saved %d bytes of parse's values, want the %d Encode makes", len(got.Parsed), len(want))
	}
}

// saveAndLoad saves what c keeps for the next build as the cache of site,
// and loads it back.
func saveAndLoad(t *testing.T, site string, c *diskCache) *buildcache.State {
	t.Helper()
	next := c.state(map[string]uint64{})
	next.Token = "t"
	if err := buildcache.Save(site, c.key, next); err != nil {
		t.Fatal(err)
	}
	got, err := buildcache.Load(site, c.key)
	if err != nil {
		t.Fatal(err)
	}
	return got
}
