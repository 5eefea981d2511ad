package render

import (
	"bytes"
	"html/template"
	"maps"
	"testing"
	"testing/fstest"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/diag"
	dmaps "github.com/dossier-ssg/dossier/generator/maps"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/pagecache"
	"github.com/dossier-ssg/dossier/generator/theme"
	"github.com/dossier-ssg/dossier/generator/view"
)

// TestBodiesSpillOnlyWhereTheirPageAloneShowsThem: a dossier's body
// leaves the heap while pages are made only when no page template but
// dossier.html reads it; a site layout that shows every article on the
// home page keeps them all (its pages would show empty articles).
func TestBodiesSpillOnlyWhereTheirPageAloneShowsThem(t *testing.T) {
	for _, c := range []struct {
		name   string
		layout string
		spill  bool
	}{
		{"built-in theme", "", true},
		{"home shows articles", `{{ define "main" }}{{ range .Dossiers }}{{ .Body.HTML }}{{ end }}{{ end }}`, false},
		{"home shows their text", `{{ define "main" }}{{ range .Dossiers }}{{ .Body.Text }}{{ end }}{{ end }}`, false},
		{"home shows titles", `{{ define "main" }}{{ range .Dossiers }}{{ .Title }}{{ end }}{{ end }}`, true},
	} {
		site := fstest.MapFS{}
		if c.layout != "" {
			site["layouts/home.html"] = &fstest.MapFile{Data: []byte(c.layout)}
		}
		var errs diag.List
		th := theme.Load(site, dossier.DefaultTheme, nil, nil, Funcs(config.Default()), &errs)
		if errs.Len() > 0 {
			t.Fatal(errs.Sorted())
		}
		if got := onlyOwnPageShowsBody(Plans(th)); got != c.spill {
			t.Errorf("%s: spills bodies %v, want %v", c.name, got, c.spill)
		}
	}
}

// TestStoredBodiesWaitInTheSpill: with a spill, the bodies a build uses
// are not held in memory until the save, which reads back every one.
func TestStoredBodiesWaitInTheSpill(t *testing.T) {
	disk := map[int][]byte{}
	s := NewStoredBodies(map[uint64]string{1: "<p>one</p>"})
	s.SpillTo(func(data []byte) (func() ([]byte, error), error) {
		n := len(disk)
		disk[n] = data
		return func() ([]byte, error) { return disk[n], nil }, nil
	})
	if html, ok := s.lookup(1, &model.Body{}); !ok || html != "<p>one</p>" {
		t.Fatalf("lookup: %q, %v", html, ok)
	}
	s.keep(2, &model.Body{}, "<p>two</p>", false)
	if len(s.used) != 0 || len(disk) != 2 {
		t.Errorf("%d bodies held in memory, %d spilled; want 0 and 2", len(s.used), len(disk))
	}
	want := map[uint64]string{1: "<p>one</p>", 2: "<p>two</p>"}
	got := map[uint64]string{}
	for _, key := range s.Keys() {
		html, err := s.Body(key)
		if err != nil {
			t.Fatal(err)
		}
		got[key] = string(html)
	}
	if !maps.Equal(got, want) {
		t.Errorf("Keys and Body: %v, want %v", got, want)
	}
}

// TestSpilledBodiesAreNotSpilledAgain: a dossier's body the build cache's
// store put in the spill already is read back from there while pages are
// made, not written to the spill a second time; one it did not (its
// spill failed) stays in memory, since its page is signed by its HTML.
func TestSpilledBodiesAreNotSpilledAgain(t *testing.T) {
	var errs diag.List
	th := theme.Load(fstest.MapFS{}, dossier.DefaultTheme, nil, nil, Funcs(config.Default()), &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Sorted())
	}
	writes := 0
	spill := func(data []byte) (func() ([]byte, error), error) {
		writes++
		return func() ([]byte, error) { return data, nil }, nil
	}
	stored := NewStoredBodies(nil)
	stored.SpillTo(spill)
	kept, other := &model.Dossier{}, &model.Dossier{}
	kept.Body.HTML, other.Body.HTML = "<p>kept</p>", "<p>other</p>"
	stored.keep(1, &kept.Body, string(kept.Body.HTML), false)
	site := &model.Site{Dossiers: []*model.Dossier{kept, other}}
	spilled := spillBodies(site, Options{Theme: th, Stored: stored, Emit: func(string, []byte) error { return nil }}, nil)
	if writes != 1 || len(spilled) != 1 {
		t.Errorf("%d writes to the spill for %d bodies spilled, want 1 for 1 (by the store)", writes, len(spilled))
	}
	if kept.Body.HTML != "" || other.Body.HTML != "<p>other</p>" {
		t.Errorf("bodies held: %q and %q, want the stored one spilled and the other held", kept.Body.HTML, other.Body.HTML)
	}
	if sb := spilled[&kept.Body]; sb.key != 1 {
		t.Errorf("spilled body's key %d, want 1", sb.key)
	} else if got, _ := sb.load(); string(got) != "<p>kept</p>" {
		t.Errorf("kept body read back as %q", got)
	}
}

// TestLastBodiesWaitInTheSpill: the last build's bodies go to the spill
// as soon as the store is given one, not held in the heap through parsing
// and indexing; a body looked up is read back from there, not written
// again, and is among the bodies used.
func TestLastBodiesWaitInTheSpill(t *testing.T) {
	writes := 0
	spill := func(data []byte) (func() ([]byte, error), error) {
		writes++
		data = bytes.Clone(data)
		return func() ([]byte, error) { return data, nil }, nil
	}
	stored := NewStoredBodies(map[uint64]string{1: "<p>one</p>", 2: "<p>two</p>"})
	stored.SpillTo(spill)
	if writes != 2 || stored.last != nil {
		t.Fatalf("%d bodies written to the spill, %d still in the heap; want 2 and none", writes, len(stored.last))
	}
	var b model.Body
	if html, ok := stored.lookup(1, &b); !ok || html != "<p>one</p>" {
		t.Fatalf("lookup: %q, %v", html, ok)
	}
	if writes != 2 {
		t.Errorf("a body looked up was written to the spill again (%d writes)", writes)
	}
	if _, ok := stored.spilledBody(&b); !ok {
		t.Error("the body looked up cannot be read back for its page")
	}
	if keys := stored.Keys(); len(keys) != 1 || keys[0] != 1 {
		t.Errorf("used: %v", keys)
	}
	if html, err := stored.Body(1); err != nil || string(html) != "<p>one</p>" {
		t.Errorf("body 1: %q, %v", html, err)
	}
}

// TestSpilledBodySignsItsPage: a dossier's page is signed while its body
// waits in the spill, by the body's key: an edit of the body (a new key)
// changes the page's signature, and the same body signs it alike.
func TestSpilledBodySignsItsPage(t *testing.T) {
	var errs diag.List
	th := theme.Load(fstest.MapFS{}, dossier.DefaultTheme, nil, nil, Funcs(config.Default()), &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Sorted())
	}
	plans := Plans(th)
	info := view.NewSiteInfo(config.Default(), false)
	sign := func(html string, key uint64) uint64 {
		t.Helper()
		d := &model.Dossier{Slug: "d", Title: "D", Lang: "en"}
		d.Body.HTML = template.HTML(html)
		stored := NewStoredBodies(nil)
		stored.SpillTo(func(data []byte) (func() ([]byte, error), error) {
			return func() ([]byte, error) { return data, nil }, nil
		})
		stored.keep(key, &d.Body, html, false)
		site := &model.Site{Dossiers: []*model.Dossier{d}}
		opts := Options{Theme: th, Stored: stored, Known: pagecache.NewKnown(nil), Emit: func(string, []byte) error { return nil }}
		spilled := spillBodies(site, opts, plans)
		if d.Body.HTML != "" {
			t.Fatal("the body was not spilled before its page is signed")
		}
		jobs := []pagecache.Job{{Out: "dossiers/d/index.html", Template: bodyPage, Page: &view.Page{Site: info, Kind: "dossier", Dossier: d, Lang: "en"}}}
		known(opts, plans, jobs, dmaps.New(site, info.BasePath, info.URLs), spilled)
		sig, ok := opts.Known.Signatures()["dossiers/d/index.html"]
		if !ok { // a page that cannot be signed is not recorded
			t.Fatal("the dossier's page was not signed")
		}
		return sig
	}
	one := sign("<p>one</p>", 1)
	if sign("<p>one</p>", 1) != one {
		t.Error("the same body signed its page otherwise")
	}
	if sign("<p>two</p>", 2) == one {
		t.Error("a body edit did not change its page's signature")
	}
}
