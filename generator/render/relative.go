package render

import (
	"path"
	"regexp"
	"strings"

	"github.com/dossier-ssg/dossier/generator/urls"
)

var integrityAttr = regexp.MustCompile(` integrity="[^"]*"`)

var rootedAttr = regexp.MustCompile(`\b(href|src|action|data-search-root)="(/[^"]*)"`)

var srcsetAttr = regexp.MustCompile(`\bsrcset="([^"]*)"`)

// Relativize rewrites the rooted links of a page (href="/base/x/") relative to
// the page at out ("dossiers/y/index.html"), adding index.html to folder links
// so the site works from file:// where folders do not open their index.
//
// Integrity attributes are dropped: browsers refuse SRI on file:// URLs and
// would leave the page unstyled.
func Relativize(page []byte, base, out string) []byte {
	dir := path.Dir(out)
	page = integrityAttr.ReplaceAll(page, nil)
	page = srcsetAttr.ReplaceAllFunc(page, func(m []byte) []byte {
		return []byte(`srcset="` + relativeSrcset(string(srcsetAttr.FindSubmatch(m)[1]), base, dir) + `"`)
	})
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

// relativeSrcset rewrites the rooted URLs of a srcset ("/media/a.480.jpg
// 480w, …") relative to the folder dir.
func relativeSrcset(set, base, dir string) string {
	parts := strings.Split(set, ",")
	for i, c := range parts {
		c = strings.TrimSpace(c)
		url, desc, _ := strings.Cut(c, " ")
		if strings.HasPrefix(url, base) && !strings.HasPrefix(url, "//") {
			url = urls.Relative(dir, strings.TrimPrefix(url, base))
		}
		parts[i] = strings.TrimSpace(url + " " + desc)
	}
	return strings.Join(parts, ", ")
}
