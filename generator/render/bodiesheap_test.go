package render

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"weak"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/parse"
	"github.com/dossier-ssg/dossier/generator/resolve"
	"github.com/dossier-ssg/dossier/generator/theme"
)

// bodiesSite parses and resolves n dossiers of ~16 KB of Markdown each as
// a one-shot build does (compact trees, resolved in place), and returns
// them with a weak pointer to each file's bytes: after parse only the
// bodies hold them.
func bodiesSite(t *testing.T, eng *markdown.Engine, n int) (*model.Site, []weak.Pointer[byte]) {
	t.Helper()
	var files []load.File
	var texts []weak.Pointer[byte]
	para := strings.Repeat("Some *words* of a dossier's body. ", 40) + "\n\n"
	for i := range n {
		slug := fmt.Sprintf("d%d", i)
		data := []byte(fmt.Sprintf("---\ntitle: D %d\ndate: 2024-01-01\n---\n%s", i, strings.Repeat(para, 12)))
		texts = append(texts, weak.Make(&data[0]))
		files = append(files, load.File{Path: "content/dossiers/" + slug + "/index.md", Data: data, Kind: load.DossierIndex, Slug: slug})
	}
	var errs diag.List
	p := (&parse.Parser{Markdown: eng, SiteLang: "en", Compact: true}).Site(files, &errs)
	site, _ := resolve.Site(p, resolve.Options{InPlace: true}, &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Err())
	}
	return site, texts
}

// TestBodiesFreeEachFilesText: in a build nothing follows (drop, no
// cache), a file's Markdown is freed as soon as its bodies are rendered,
// not held to the end of Bodies: when the last body is stored, only the
// files of the bodies still being rendered are in the heap. (Bodies kept
// every Doc it rendered for a cache it did not have: 159 MB of Markdown
// held at the build's highest point at 20,000 dossiers.)
func TestBodiesFreeEachFilesText(t *testing.T) {
	eng := markdown.New(markdown.Options{})
	site, texts := bodiesSite(t, eng, 64)
	total := 0
	site.ForEachBody(func(*model.Body) { total++ })
	var mu sync.Mutex
	stored, alive := 0, -1
	s := NewStoredBodies(nil)
	s.SpillTo(func(data []byte) (func() ([]byte, error), error) {
		mu.Lock()
		defer mu.Unlock()
		if stored++; stored == total {
			runtime.GC()
			alive = 0
			for _, w := range texts {
				if w.Value() != nil {
					alive++
				}
			}
		}
		return func() ([]byte, error) { return data, nil }, nil
	})
	var errs diag.List
	Bodies(site, eng, nil, s, true, &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Err())
	}
	if limit := runtime.GOMAXPROCS(0); alive < 0 || alive > limit {
		t.Errorf("%d of %d files' Markdown in the heap when the last body was stored, want at most %d (the bodies being rendered)", alive, len(texts), limit)
	}
}

// TestBodiesLeaveTheHeapAsRendered: with LeaveHeap, each dossier's body
// leaves the heap as soon as it is in the spill, not when the search
// index starts; the pages still read it back (spillBodies), and a body of
// another site is left alone.
func TestBodiesLeaveTheHeapAsRendered(t *testing.T) {
	var errs diag.List
	th := theme.Load(fstest.MapFS{}, dossier.DefaultTheme, nil, nil, Funcs(config.Default()), &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Sorted())
	}
	eng := markdown.New(markdown.Options{})
	site, _ := bodiesSite(t, eng, 8)
	other, _ := bodiesSite(t, eng, 1)
	s := NewStoredBodies(nil)
	s.SpillTo(func(data []byte) (func() ([]byte, error), error) {
		return func() ([]byte, error) { return data, nil }, nil
	})
	opts := Options{Theme: th, Stored: s, Emit: func(string, []byte) error { return nil }}
	if !SpillsBodies(opts) {
		t.Fatal("the built-in theme's pages do not read the dossiers' bodies back")
	}
	s.LeaveHeap(site)
	Bodies(site, eng, nil, s, true, &errs)
	Bodies(other, eng, nil, s, true, &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Err())
	}
	for _, d := range site.Dossiers {
		if d.Body.HTML != "" {
			t.Fatalf("%s: body held in the heap after Bodies", d.Slug)
		}
	}
	if other.Dossiers[0].Body.HTML == "" {
		t.Error("a body LeaveHeap was not given left the heap")
	}
	spilled := spillBodies(site, opts, nil)
	if len(spilled) != len(site.Dossiers) {
		t.Fatalf("%d bodies read back by their pages, want %d", len(spilled), len(site.Dossiers))
	}
	for _, d := range site.Dossiers {
		html, err := spilled[&d.Body].load()
		if err != nil || !strings.Contains(string(html), "<em>words</em>") {
			t.Errorf("%s: read back %.40q, %v", d.Slug, html, err)
		}
	}
}
