package render

import (
	"bytes"
	"maps"
	"testing"
	"testing/fstest"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/theme"
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
// are not held in memory until Used, which gives back every one.
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
	if got := s.Used(); !maps.Equal(got, want) {
		t.Errorf("Used: %v, want %v", got, want)
	}
}

// TestSpilledBodiesAreNotSpilledAgain: a dossier's body the build cache's
// store put in the spill already is read back from there while pages are
// made, not written to the spill a second time; one it did not is.
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
	spilled := spillBodies(site, Options{Theme: th, Spill: spill, Stored: stored, Emit: func(string, []byte) error { return nil }}, nil)
	if writes != 2 || len(spilled) != 2 {
		t.Errorf("%d writes to the spill for %d bodies spilled, want 2 for 2 (one by the store, one by the pages)", writes, len(spilled))
	}
	for _, d := range site.Dossiers {
		if d.Body.HTML != "" {
			t.Errorf("body %q still held", d.Body.HTML)
		}
	}
	if got, _ := spilled[kept](); string(got) != "<p>kept</p>" {
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
	if load := stored.spilledBody(&b); load == nil {
		t.Error("the body looked up cannot be read back for its page")
	}
	if used := stored.Used(); len(used) != 1 || used[1] != "<p>one</p>" {
		t.Errorf("used: %v", used)
	}
}
