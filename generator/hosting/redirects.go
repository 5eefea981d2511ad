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

// redirectList lists every redirect of the site, by output file.
func redirectList(site *model.Site) []redirect {
	var out []redirect
	add := func(refs []model.Ref, to string) {
		for _, r := range refs {
			out = append(out, redirect{from: r, file: urls.RedirectFile(r.Slug), to: to})
		}
	}
	for _, d := range site.Dossiers {
		add(d.RedirectFrom, urls.Dossier(d.Slug))
	}
	for _, a := range site.Actors {
		add(a.RedirectFrom, urls.Actor(a.Slug))
	}
	for _, t := range site.Treaties {
		add(t.RedirectFrom, urls.Treaty(t.Slug))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].file < out[j].file })
	return out
}

// Redirects maps the output file of every redirect page to the URL path it
// points to (with the base path): what an S3 website answers with a real
// redirect.
func Redirects(site *model.Site, cfg config.Site) map[string]string {
	out := map[string]string{}
	for _, r := range redirectList(site) {
		out[r.file] = cfg.BasePath() + r.to
	}
	return out
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
	list := redirectList(site)
	if len(list) == 0 {
		return nil
	}
	files := map[string][]byte{}
	claimed := map[string]model.Ref{}
	var lines strings.Builder
	base, origin := cfg.BasePath(), cfg.Origin()
	for _, r := range list {
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
		_ = redirectPage.Execute(&b, map[string]string{"Lang": cfg.Language, "To": to, "Canonical": origin + base + r.to})
		files[r.file] = b.Bytes()
		from := base + strings.TrimSuffix(r.from.Slug, "index.html")
		lines.WriteString(from + " " + base + r.to + " 301\n")
	}
	if lines.Len() > 0 {
		files["_redirects"] = []byte(lines.String())
	}
	return files
}
