package render

import (
	"path"
	"regexp"
	"strings"

	"github.com/dossier-ssg/dossier/generator/urls"
)

var integrityAttr = regexp.MustCompile(` integrity="[^"]*"`)

var rootedAttr = regexp.MustCompile(`\b(href|src|action|data-search-root)="(/[^"]*)"`)

// Relativize rewrites the rooted links of a page (href="/base/x/") relative to
// the page at out ("dossiers/y/index.html"), adding index.html to folder links
// so the site works from file:// where folders do not open their index.
//
// Integrity attributes are dropped: browsers refuse SRI on file:// URLs and
// would leave the page unstyled.
func Relativize(page []byte, base, out string) []byte {
	dir := path.Dir(out)
	page = integrityAttr.ReplaceAll(page, nil)
	return rootedAttr.ReplaceAllFunc(page, func(m []byte) []byte {
		sub := rootedAttr.FindSubmatch(m)
		attr, target := string(sub[1]), string(sub[2])
		if !strings.HasPrefix(target, base) || strings.HasPrefix(target, "//") {
			return m
		}
		rest := strings.TrimPrefix(target, base)
		frag := ""
		if i := strings.IndexAny(rest, "#?"); i >= 0 {
			rest, frag = rest[:i], rest[i:]
		}
		if attr != "data-search-root" && (rest == "" || strings.HasSuffix(rest, "/")) {
			rest += "index.html"
		}
		rel := urls.Relative(dir, rest)
		if attr == "data-search-root" && !strings.HasSuffix(rel, "/") {
			rel += "/"
		}
		return []byte(attr + `="` + rel + frag + `"`)
	})
}
