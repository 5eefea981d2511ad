package parse

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
)

// TestCompactRendersLikeFull checks that a compact Doc, given a link table
// the way resolve makes it, renders the same HTML and plain text as the
// full tree: links nested in other links, in tables, footnotes and quotes
// included.
func TestCompactRendersLikeFull(t *testing.T) {
	const src = `---
title: T
date: 2024-01-02
---
Lead with [[kim]], [[Moscou|la capitale]] and [a file](../../actors/kim.md#x).

## Une section « ici »

> A quote naming [[traite-2024]] and [link [[inner]] text](other.md).

| a | b |
|---|---|
| [[kim]] | [t](https://example.org) |

Footnote[^1] and ` + "`[[not a link]]`" + `.

[^1]: Note with [[kim#bio]].
`
	eng := markdown.New(markdown.Options{})
	f := load.File{Path: "content/dossiers/d/index.md", Kind: load.DossierIndex, Slug: "d", Data: []byte(src)}
	render := func(compact bool) (string, string, []markdown.Link) {
		var errs diag.List
		d := (&Parser{Markdown: eng, SiteLang: "fr", Compact: compact}).Dossier(f, &errs)
		if errs.Len() > 0 {
			t.Fatal(errs.Err())
		}
		doc := d.Body.Doc.(*markdown.Doc)
		links := doc.Links()
		targets := make([]markdown.Target, len(links)) // every link rewritten, as resolve would
		for i, l := range links {
			if l.Wiki {
				targets[i] = markdown.Target{Dest: fmt.Sprintf("/to/%d/", i+1), Title: fmt.Sprintf("Title %d", i+1)}
			} else {
				targets[i] = markdown.Target{Dest: fmt.Sprintf("/link/%d/", i+1)}
			}
		}
		html, err := eng.Render(doc, targets)
		if err != nil {
			t.Fatal(err)
		}
		return string(html), markdown.HTMLText(string(html)), links
	}
	fullHTML, fullText, fullLinks := render(false)
	html, text, links := render(true)
	if len(links) != 9 || fmt.Sprint(links) != fmt.Sprint(fullLinks) {
		t.Errorf("compact links %v, full %v; want 9 alike", links, fullLinks)
	}
	if html != fullHTML {
		t.Errorf("compact HTML differs:\n%s\nfull:\n%s", html, fullHTML)
	}
	if text != fullText {
		t.Errorf("compact text differs:\n%s\nfull:\n%s", text, fullText)
	}
	for _, want := range []string{`href="/to/2/">la capitale`, `href="/link/3/"`, `href="/to/6/">Title 6`, `href="/to/9/#bio"`} {
		if !strings.Contains(html, want) {
			t.Errorf("compact HTML lacks %s:\n%s", want, html)
		}
	}
	if l := links[2]; l.Wiki || l.Dest != "../../actors/kim.md#x" || l.Offset < 0 {
		t.Errorf("the Markdown link reads %+v", l)
	}
	if l := links[1]; !l.Wiki || l.Target != "Moscou" || l.Label != "la capitale" || src[len("---\ntitle: T\ndate: 2024-01-02\n---\n")+l.Offset:][:2] != "[[" {
		t.Errorf("the wikilink reads %+v", l)
	}
}

// TestCompactKeepsOnlyLinks checks that a compact Doc lists its links and
// holds no tree.
func TestCompactKeepsOnlyLinks(t *testing.T) {
	eng := markdown.New(markdown.Options{})
	doc, err := eng.ParseCompact(context.Background(), []byte("# Title\n\nText [[a]] more *text* [b](b.md) and [[c|C]].\n"), "fr")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, l := range doc.Links() {
		kinds = append(kinds, fmt.Sprint(l.Wiki))
	}
	if fmt.Sprint(kinds) != "[true false true]" {
		t.Errorf("compact links = %v", kinds)
	}
	var b model.Body
	b.Doc = doc
	if _, ok := b.Doc.(*markdown.Doc); !ok {
		t.Error("a compact Doc is not a *markdown.Doc")
	}
}

// TestCacheKeepsCompactTrees checks that a parser with a cache (watch mode,
// which holds every body until it stops) makes compact trees, and that a
// second Site call hands back the cached dossier with the same stamp.
func TestCacheKeepsCompactTrees(t *testing.T) {
	f := load.File{Path: "content/dossiers/d/index.md", Kind: load.DossierIndex, Slug: "d",
		Data: []byte("---\ntitle: T\ndate: 2024-01-02\n---\n# Title\n\nText [[a]] and *more*.\n")}
	p := &Parser{Markdown: markdown.New(markdown.Options{}), SiteLang: "fr", Cache: NewCache()}
	var errs diag.List
	first := p.Site([]load.File{f}, &errs)
	if errs.Len() > 0 || len(first.Dossiers) != 1 {
		t.Fatalf("site: %v, %d dossiers", errs.Err(), len(first.Dossiers))
	}
	doc := first.Dossiers[0].Body.Doc.(*markdown.Doc)
	if links := doc.Links(); len(links) != 1 || !links[0].Wiki || links[0].Target != "a" {
		t.Errorf("cached parse links: %+v", links)
	}
	second := p.Site([]load.File{f}, &errs)
	if second.Dossiers[0] != first.Dossiers[0] || second.Dossiers[0].Stamp != fileStamp(f) {
		t.Errorf("second parse: same dossier %v, stamp %x, want %x", second.Dossiers[0] == first.Dossiers[0], second.Dossiers[0].Stamp, fileStamp(f))
	}
}

// TestCacheNeverWritesWhatItHandedOver: with a cache, a dossier whose
// folder changed (a new quotes.md, a new attachment) is handed over as a
// new value, and the one handed over before keeps its quotes, attachments
// and stamp; an unchanged dossier is the same value; parse leaves a
// quote's dossier to resolve.
func TestCacheNeverWritesWhatItHandedOver(t *testing.T) {
	files := []load.File{
		{Path: "content/dossiers/a/index.md", Kind: load.DossierIndex, Slug: "a", Data: []byte("---\ntitle: A\ndate: 2024-01-02\n---\nText.\n")},
		{Path: "content/dossiers/a/quotes.md", Kind: load.DossierQuotes, Slug: "a", Data: []byte("> Words.\n>\n> — [[kim]], 2024-01-02\n")},
		{Path: "content/dossiers/b/index.md", Kind: load.DossierIndex, Slug: "b", Data: []byte("---\ntitle: B\ndate: 2024-01-03\n---\nText.\n")},
		{Path: "content/dossiers/c/index.md", Kind: load.DossierIndex, Slug: "c", Data: []byte("---\ntitle: C\ndate: 2024-01-04\n---\nText.\n")},
	}
	p := &Parser{Markdown: markdown.New(markdown.Options{}), SiteLang: "fr", Cache: NewCache()}
	site := func(files []load.File) map[string]*model.Dossier {
		var errs diag.List
		s := p.Site(files, &errs)
		if errs.Len() > 0 {
			t.Fatal(errs.Err())
		}
		out := map[string]*model.Dossier{}
		for _, d := range s.Dossiers {
			out[d.Slug] = d
		}
		return out
	}
	first := site(files)
	a, b := *first["a"], *first["b"]
	quote := *a.Quotes[0]
	files[1].Data = []byte("> Other words.\n>\n> — [[kim]], 2024-01-02\n")
	files = append(files, load.File{Path: "content/dossiers/b/map.png", Kind: load.Attachment, Slug: "b"})
	second := site(files)
	for slug, was := range map[string]model.Dossier{"a": a, "b": b} {
		if second[slug] == first[slug] || !reflect.DeepEqual(*first[slug], was) {
			t.Errorf("%s: its folder changed, and the value handed over before was written or handed over again", slug)
		}
	}
	if !reflect.DeepEqual(*a.Quotes[0], quote) || quote.Dossier != nil {
		t.Error("a quote handed over before was written, or given its dossier")
	}
	if second["c"] != first["c"] || len(second["b"].Attachments) != 1 || second["a"].Quotes[0].Text.Src[0] != 'O' {
		t.Errorf("unchanged c handed over as another value, or b, a without their new files")
	}
	if third := site(files); third["a"] != second["a"] || third["b"] != second["b"] {
		t.Error("unchanged folders handed over as other values")
	}
}
