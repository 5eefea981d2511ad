package render

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/parse"
	"github.com/dossier-ssg/dossier/generator/resolve"
)

// TestBodyCache: a body rendered before from the same text and link table
// is taken from the cache, or left as it is in a copy a patched resolution
// kept, not rendered again; one whose text or links changed is rendered
// again; the values parse made get no HTML; a build that looks at every
// body drops the entries of texts gone.
func TestBodyCache(t *testing.T) {
	const (
		a, b, lee = "content/dossiers/a/index.md", "content/dossiers/b/index.md", "content/actors/lee.md"
	)
	files := map[string]string{
		lee: "---\nname: Lee\nkind: person\n---\nA *person*.\n",
		a:   "---\ntitle: A\ndate: 2024-01-01\n---\nAbout [[lee]].\n",
		b:   "---\ntitle: B\ndate: 2024-01-02\n---\nPlain *text*.\n",
	}
	eng := markdown.New(markdown.Options{})
	pc, rc, cache := parse.NewCache(), resolve.NewCache(), NewBodyCache()
	var parsed []*model.Site
	build := func(patched bool) map[string]renderedHTML {
		t.Helper()
		var list []load.File
		for path, body := range files {
			f := load.File{Path: path, Data: []byte(body), Kind: load.DossierIndex, Slug: strings.Split(path, "/")[2]}
			if path == lee {
				f.Kind, f.Slug = load.ActorFile, "lee"
			}
			list = append(list, f)
		}
		var errs diag.List
		p := (&parse.Parser{Markdown: eng, SiteLang: "en", Cache: pc}).Site(list, &errs)
		site, _ := resolve.Site(p, resolve.Options{Cache: rc}, &errs)
		Bodies(site, eng, cache, nil, false, &errs)
		if errs.Len() > 0 {
			t.Fatal(errs.Err())
		}
		if (rc.LastPatch() != nil) != patched {
			t.Fatalf("resolution patched: %v, want %v", rc.LastPatch() != nil, patched)
		}
		parsed = append(parsed, p)
		html := map[string]renderedHTML{}
		site.ForEachBody(func(b *model.Body) { html[b.File] = renderedHTML{string(b.HTML), unsafe.StringData(string(b.HTML))} })
		return html
	}
	first := build(false)
	if again := build(true); again[a] != first[a] || again[b] != first[b] || again[lee] != first[lee] || first[a].text == "" {
		t.Errorf("rendered again, or differently, with nothing changed")
	}
	files[b] = "---\ntitle: B\ndate: 2024-01-02\n---\nOther *text*.\n"
	edited := build(true)
	if edited[b] == first[b] || !strings.Contains(edited[b].text, "Other") || edited[a] != first[a] {
		t.Errorf("after an edit of b: a rendered again, or b not: %v", edited)
	}
	files[lee] = "---\nname: Lee Jae-myung\nkind: person\n---\nA *person*.\n"
	renamed := build(false)
	if renamed[a] == first[a] || !strings.Contains(renamed[a].text, ">Lee Jae-myung<") {
		t.Errorf("a link to a renamed actor kept its name: %s", renamed[a].text)
	}
	// (Lee's own body is parsed again with its file: a new text.)
	if renamed[b] != edited[b] {
		t.Error("a body whose text and links are unchanged was rendered again")
	}
	if n := len(cache.entries); n != len(renamed) {
		t.Errorf("the cache holds %d bodies, want the %d of the last build", n, len(renamed))
	}
	for _, p := range parsed {
		p.ForEachBody(func(b *model.Body) {
			if b.HTML != "" || b.LinkSig != "" {
				t.Errorf("%s: the value parse made was written", b.File)
			}
		})
	}
}

// renderedHTML is a body's HTML and where its bytes are: equal places, the
// same string, taken from the cache rather than rendered.
type renderedHTML struct {
	text string
	data *byte
}
