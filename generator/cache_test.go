package generator

import (
	"bytes"
	"testing"

	"github.com/dossier-ssg/dossier/generator/buildcache"
	"github.com/dossier-ssg/dossier/generator/pagecache"
	"github.com/dossier-ssg/dossier/generator/render"
	"github.com/dossier-ssg/dossier/generator/search"
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
