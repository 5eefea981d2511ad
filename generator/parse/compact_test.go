package parse

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
)

// TestCompactRendersLikeFull checks that a compact tree, once its links are
// rewritten the way resolve does it, renders the same HTML and plain text as
// the full tree: links nested in other links, in tables, footnotes and
// quotes included.
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
	render := func(compact bool) (string, string, int) {
		var errs diag.List
		d := (&Parser{Markdown: eng, SiteLang: "fr", Compact: compact}).Dossier(f, &errs)
		if errs.Len() > 0 {
			t.Fatal(errs.Err())
		}
		doc := d.Body.Doc.(*markdown.Doc)
		n := 0 // rewrite every link as resolve would, in walk order
		_ = ast.Walk(doc.Root, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch node := node.(type) {
			case *markdown.WikiLink:
				n++
				node.Dest, node.Title = fmt.Sprintf("/to/%d/", n), fmt.Sprintf("Title %d", n)
			case *ast.Link:
				n++
				node.Destination = fmt.Appendf(nil, "/link/%d/", n)
			}
			return ast.WalkContinue, nil
		})
		html, err := eng.Render(doc)
		if err != nil {
			t.Fatal(err)
		}
		return string(html), markdown.HTMLText(string(html)), n
	}
	fullHTML, fullText, fullLinks := render(false)
	html, text, links := render(true)
	if links != fullLinks || links != 9 {
		t.Errorf("compact tree walks %d links, full tree %d; want 9", links, fullLinks)
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
}

// TestCompactKeepsOnlyLinks checks that the compact tree holds the link
// nodes and nothing else at its top.
func TestCompactKeepsOnlyLinks(t *testing.T) {
	eng := markdown.New(markdown.Options{})
	doc, err := eng.ParseCompact(context.Background(), []byte("# Title\n\nText [[a]] more *text* [b](b.md) and [[c|C]].\n"), "fr")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for c := doc.Root.FirstChild(); c != nil; c = c.NextSibling() {
		kinds = append(kinds, c.Kind().String())
	}
	if fmt.Sprint(kinds) != "[WikiLink Link WikiLink]" {
		t.Errorf("compact root children = %v", kinds)
	}
	var b model.Body
	b.Doc = doc
	if _, ok := b.Doc.(*markdown.Doc); !ok {
		t.Error("a compact tree is not a *markdown.Doc")
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
	if c := doc.Root.FirstChild(); c == nil || c.Kind() != markdown.KindWikiLink || c.NextSibling() != nil {
		t.Errorf("cached parse keeps a full tree: %v", c)
	}
	second := p.Site([]load.File{f}, &errs)
	if second.Dossiers[0] != first.Dossiers[0] || second.Dossiers[0].Stamp != fileStamp(f) {
		t.Errorf("second parse: same dossier %v, stamp %x, want %x", second.Dossiers[0] == first.Dossiers[0], second.Dossiers[0].Stamp, fileStamp(f))
	}
}
