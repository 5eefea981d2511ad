package render

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/dossier-ssg/dossier/generator/urls"
)

// anchorTag matches the start tag of a link, and its href.
var anchorTag = regexp.MustCompile(`<a\s[^>]*?href="([^"]*)"[^>]*>`)

// MarkOtherLanguages gives each link of a page of tree that leads into
// another language's tree (an entity with no translation in the page's
// language is linked in the language it has) that language: hreflang and
// lang, so a screen reader reads its text in that language. Links that
// say their language already (the language switcher) are left alone, as
// are links outside the site (base is the base path).
func MarkOtherLanguages(page []byte, tree *urls.Tree, sc *urls.Scheme, base string) []byte {
	if len(sc.Trees()) < 2 || !bytes.Contains(page, []byte("<a ")) {
		return page
	}
	mark := func(part []byte, svg bool) []byte {
		return anchorTag.ReplaceAllFunc(part, func(tag []byte) []byte {
			if bytes.Contains(tag, []byte(" lang=")) || bytes.Contains(tag, []byte(" hreflang=")) {
				return tag
			}
			href := string(anchorTag.FindSubmatch(tag)[1])
			p, ok := strings.CutPrefix(href, base)
			if !ok || strings.Contains(href, "://") {
				return tag
			}
			lang := treeOf(sc, p).Lang
			if lang == tree.Lang {
				return tag
			}
			if svg { // an SVG link has no hreflang
				return append([]byte(`<a lang="`+lang+`"`), tag[2:]...)
			}
			return append([]byte(`<a hreflang="`+lang+`" lang="`+lang+`"`), tag[2:]...)
		})
	}
	// The parts outside and inside <svg> elements (a map's nodes) in turn.
	var out []byte
	for len(page) > 0 {
		i := bytes.Index(page, []byte("<svg"))
		if i < 0 {
			i = len(page)
		}
		out = append(out, mark(page[:i], false)...)
		page = page[i:]
		j := bytes.Index(page, []byte("</svg>"))
		if j < 0 {
			j = len(page)
		}
		out = append(out, mark(page[:j], true)...)
		page = page[j:]
	}
	return out
}

// treeOf is the tree a site path is in: the one whose prefix it starts
// with, the longest first, else the tree at the root.
func treeOf(sc *urls.Scheme, p string) *urls.Tree {
	var root *urls.Tree
	for _, t := range sc.Trees() {
		if t.Prefix == "" {
			root = t
			continue
		}
		if strings.HasPrefix(p, t.Prefix) {
			return t
		}
	}
	if root == nil {
		return sc.Default()
	}
	return root
}
