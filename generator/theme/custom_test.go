package theme

import (
	"html/template"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/dossier-ssg/dossier/generator/diag"
)

// Custom says which page templates use a file of the site's own layouts:
// the page file itself, or baseof.html or a partial, which every page has.
func TestCustom(t *testing.T) {
	builtin := fstest.MapFS{
		"layouts/baseof.html":        {Data: []byte(`{{ block "main" . }}{{ end }}`)},
		"layouts/partials/card.html": {Data: []byte(`{{ define "card" }}c{{ end }}`)},
	}
	for _, p := range Pages {
		builtin["layouts/"+p] = &fstest.MapFile{Data: []byte(`{{ define "main" }}m{{ end }}`)}
	}
	load := func(files map[string]string) *Theme {
		site := t.TempDir()
		for name, text := range files {
			p := filepath.Join(site, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var errs diag.List
		th := Load(site, builtin, nil, nil, func(*Theme) template.FuncMap { return template.FuncMap{} }, &errs)
		if errs.Len() > 0 {
			t.Fatal(errs.Err())
		}
		return th
	}
	if th := load(nil); th.Custom("home.html") || th.Custom("actor.html") {
		t.Error("the built-in theme alone counts as custom")
	}
	th := load(map[string]string{"layouts/home.html": `{{ define "main" }}mine{{ end }}`})
	if !th.Custom("home.html") || th.Custom("actor.html") {
		t.Error("a site's home.html: want home.html custom, actor.html not")
	}
	th = load(map[string]string{"layouts/partials/card.html": `{{ define "card" }}mine{{ end }}`})
	if !th.Custom("home.html") || !th.Custom("actor.html") {
		t.Error("a site's partial: want every page custom")
	}
}
