package hosting

import (
	"bytes"
	"html/template"
	"path"
	"sort"
	"strings"

	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/urls"
)

// redirect is one old path of an entity (redirect_from).
type redirect struct {
	from model.Ref // the old path, normalised, where the curator wrote it
	file string    // the redirect page's output file
	to   string    // the entity's page, site-relative
}

// redirectList lists every redirect of a language tree's entities, by
// output file.
func redirectList(site *model.Site, tree *urls.Tree, sc *urls.Scheme) []redirect {
	var out []redirect
	add := func(lang string, refs []model.Ref, to string) {
		if sc.Tree(lang) != tree {
			return // another tree's: listed with it
		}
		for _, r := range refs {
			out = append(out, redirect{from: r, file: urls.RedirectFile(r.Slug), to: to})
		}
	}
	for _, d := range site.Dossiers {
		add(d.Lang, d.RedirectFrom, tree.Dossier(d.Slug))
	}
	for _, a := range site.Actors {
		add(a.Lang, a.RedirectFrom, tree.Actor(a.Slug))
	}
	for _, t := range site.Treaties {
		add(t.Lang, t.RedirectFrom, tree.Treaty(t.Slug))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].file < out[j].file })
	return out
}

// legacyList lists the redirects of the default language's pages from
// where they were before sections had names of their language: the
// English names at the site root (/actors/x/ for /acteurs/x/). pages
// holds every page's output file. A page, or a path a curator's
// redirect_from claims, wins over them.
func legacyList(tree *urls.Tree, sc *urls.Scheme, pages map[string]bool, sections bool) []redirect {
	if tree != sc.Default() {
		return nil
	}
	old := urls.NewScheme([]urls.Language{{Lang: "en"}}, false).Default()
	var out []redirect
	if tree.Prefix != "" {
		out = append(out, redirect{from: model.Ref{Slug: "index.html"}, file: "index.html", to: tree.Prefix})
	}
	if !sections {
		return out
	}
	for file := range pages {
		p, ok := strings.CutSuffix(file, "index.html")
		if !ok || !strings.HasPrefix(p, tree.Prefix) {
			continue
		}
		for _, key := range urls.SectionKeys {
			now, was := tree.Section(key), old.Section(key)
			if now == was || !strings.HasPrefix(p, now) {
				continue
			}
			from := was + strings.TrimPrefix(p, now)
			out = append(out, redirect{from: model.Ref{Slug: from}, file: from + "index.html", to: p})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].file < out[j].file })
	return out
}

// sortLines sorts the lines of data in place: _redirects lists entity and
// section redirects in one order.
func sortLines(data []byte) {
	lines := strings.SplitAfter(string(data), "\n")
	sort.Strings(lines)
	copy(data, strings.Join(lines, ""))
}

var redirectPage = template.Must(template.New("redirect").Parse(`<!doctype html>
<html lang="{{ .Lang }}">
<head>
<meta charset="utf-8">
<title>{{ .To }}</title>
<link rel="canonical" href="{{ .Canonical }}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={{ .To }}">
</head>
<body><p><a href="{{ .To }}">{{ .To }}</a></p></body>
</html>
`))

// RedirectFiles makes the redirect pages of every entity's old paths and,
// when there are any, _redirects for Netlify and Cloudflare Pages. An old
// path that is a page of the site (pages holds their output files), or
// that two entities claim, is an error at the place it is written.
func RedirectFiles(site *model.Site, pages map[string]bool, cfg config.Site, errs *diag.List) map[string][]byte {
	sc := cfg.URLs()
	tree := sc.Tree(cfg.Language)
	list := redirectList(site, tree, sc)
	var legacy []redirect
	if cfg.OldSectionRedirects || tree.Prefix != "" {
		legacy = legacyList(tree, sc, pages, cfg.OldSectionRedirects)
	}
	if len(list) == 0 && len(legacy) == 0 {
		return nil
	}
	files := map[string][]byte{}
	claimed := map[string]model.Ref{}
	var lines strings.Builder
	base, origin := cfg.BasePath(), cfg.Origin()
	for i, r := range append(list, legacy...) {
		if i >= len(list) && (pages[r.file] || claimed[r.file].Slug != "") {
			continue // a page or a curator's redirect wins over an old section name
		}
		if pages[r.file] || pages[r.file+"/index.html"] {
			errs.Add(r.from.Pos, "redirect_from %q is a page of this site (%s): an old path must be free", r.from.Slug, r.file)
			continue
		}
		if other, ok := claimed[r.file]; ok {
			errs.Add(r.from.Pos, "redirect_from %q is already claimed by %s", r.from.Slug, other.Pos)
			continue
		}
		claimed[r.file] = r.from
		to := base + r.to
		if cfg.Relative {
			to = urls.Relative(path.Dir(r.file), r.to+"index.html")
		}
		var b bytes.Buffer
		canonical := origin + base + r.to
		if cfg.Relative && origin == "" {
			canonical = to // a relative site has no rooted link
		}
		_ = redirectPage.Execute(&b, map[string]string{"Lang": cfg.Language, "To": to, "Canonical": canonical})
		files[r.file] = b.Bytes()
		from := base + strings.TrimSuffix(r.from.Slug, "index.html")
		lines.WriteString(from + " " + base + r.to + " 301\n")
	}
	if lines.Len() > 0 {
		files["_redirects"] = []byte(lines.String())
		sortLines(files["_redirects"])
	}
	return files
}
