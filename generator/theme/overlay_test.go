package theme

import (
	"bytes"
	"html/template"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/dossier-ssg/dossier/generator/diag"
)

// builtinTheme is a small built-in theme: every page shows the partial
// partials/who.html.
func builtinTheme() fstest.MapFS {
	fsys := fstest.MapFS{
		"layouts/baseof.html":       {Data: []byte(`{{ block "main" . }}{{ end }}`)},
		"layouts/partials/who.html": {Data: []byte(`built-in`)},
		"assets/css/main.css":       {Data: []byte(`body{}`)},
	}
	for _, p := range Pages {
		fsys["layouts/"+p] = &fstest.MapFile{Data: []byte(`{{ define "main" }}{{ template "partials/who.html" }}{{ end }}`)}
	}
	return fsys
}

func noFuncs(*Theme) template.FuncMap { return template.FuncMap{} }

// A site's layouts/ and assets/ overlay the built-in theme file by file;
// editor debris is not part of it. A MapFS stands in for the site folder.
func TestOverlayOnAMapFS(t *testing.T) {
	site := fstest.MapFS{
		"layouts/partials/who.html":  {Data: []byte(`the site's`)},
		"assets/css/main.css":        {Data: []byte(`main{}`)},
		"assets/js/extra.js":         {Data: []byte(`1`)},
		"assets/js/.extra.js.swp":    {Data: []byte(`debris`)},
		"layouts/partials/who.html~": {Data: []byte(`{{ broken`)},
	}
	var errs diag.List
	th := Load(site, builtinTheme(), nil, nil, noFuncs, &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Err())
	}
	var buf bytes.Buffer
	if err := th.Template("home.html").ExecuteTemplate(&buf, "baseof.html", nil); err != nil || buf.String() != "the site's" {
		t.Errorf("home = %q, %v; want the site's partial", buf.String(), err)
	}
	if got, want := th.Sources["partials/who.html"], "layouts/partials/who.html"; got != want {
		t.Errorf("source of the partial = %q, want %q", got, want)
	}
	if got, want := th.Sources["home.html"], "layouts/home.html (built-in theme)"; got != want {
		t.Errorf("source of home = %q, want %q", got, want)
	}
	var names []string
	for _, a := range th.Assets() {
		names = append(names, a.Name)
	}
	if want := []string{"css/main.css", "js/extra.js"}; !slices.Equal(names, want) {
		t.Errorf("assets = %q, want %q", names, want)
	}
	if a := th.Asset("css/main.css"); a == nil || string(a.Data) != "main{}" {
		t.Errorf("css/main.css = %+v, want the site's", a)
	}

	// Without a site folder, the built-in theme alone.
	th = Load(nil, builtinTheme(), nil, nil, noFuncs, &errs)
	buf.Reset()
	if err := th.Template("home.html").ExecuteTemplate(&buf, "baseof.html", nil); err != nil || buf.String() != "built-in" || errs.Len() > 0 {
		t.Errorf("home without a site = %q, %v, %v", buf.String(), err, errs.Err())
	}
}

// An error in a site's layout names the site's file.
func TestOverlayErrorNamesTheSiteFile(t *testing.T) {
	site := fstest.MapFS{"layouts/partials/who.html": {Data: []byte("ok\n{{ if }}")}}
	var errs diag.List
	Load(site, builtinTheme(), nil, nil, noFuncs, &errs)
	got := errs.Sorted()
	if len(got) != 1 || got[0].Pos.File != "layouts/partials/who.html" || got[0].Pos.Line != 2 {
		t.Fatalf("errors = %v, want one at layouts/partials/who.html:2", got)
	}
}
