package render

import (
	"html/template"
	"strings"
	"testing"

	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/view"
)

func TestRelativize(t *testing.T) {
	page := []byte(`<a href="/">home</a><a href="/actors/x/#q">x</a><link href="/css/main.1.css" integrity="sha384-abc"><img src="/dossiers/d/map.png"><a href="https://e.org/">ext</a><a href="#top">top</a><form data-search-root="/">`)
	got := string(Relativize(page, "/", "dossiers/d/index.html"))
	for _, want := range []string{
		`href="../../index.html"`, `href="../../actors/x/index.html#q"`, `href="../../css/main.1.css"`,
		`src="../../dossiers/d/map.png"`, `href="https://e.org/"`, `href="#top"`, `data-search-root="../../"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %s in %s", want, got)
		}
	}
	if strings.Contains(got, "integrity") {
		t.Error("integrity kept in a relative build (file:// refuses SRI)")
	}
	if got := string(Relativize([]byte(`<a href="/sub/a/">a</a><a href="/other/">o</a>`), "/sub/", "index.html")); got != `<a href="a/index.html">a</a><a href="/other/">o</a>` {
		t.Errorf("subpath: %s", got)
	}
	srcset := `<source srcset="/sub/media/a.480.webp 480w, /sub/media/a.800.webp 800w"><img src="/sub/media/a.800.jpg" srcset="/sub/media/a.480.jpg 480w, https://e.org/b.jpg 900w">`
	want := `<source srcset="../media/a.480.webp 480w, ../media/a.800.webp 800w"><img src="../media/a.800.jpg" srcset="../media/a.480.jpg 480w, https://e.org/b.jpg 900w">`
	if got := string(Relativize([]byte(srcset), "/sub/", "dossiers/index.html")); got != want {
		t.Errorf("srcset:\n got %s\nwant %s", got, want)
	}
}

func TestPaginate(t *testing.T) {
	var paths []string
	var pagers []view.Pager
	paginate([]int{1, 2, 3, 4, 5}, 2, "quotes/", func(items []int, p *view.Pager, path string) {
		paths = append(paths, path)
		pagers = append(pagers, *p)
	})
	if strings.Join(paths, " ") != "quotes/ quotes/page/2/ quotes/page/3/" {
		t.Errorf("paths %v", paths)
	}
	if pagers[0].Prev != "" || pagers[0].Next != "quotes/page/2/" || pagers[2].Next != "" || pagers[2].Prev != "quotes/page/2/" {
		t.Errorf("pagers %+v", pagers)
	}
	n := 0
	paginate([]int{}, 2, "", func([]int, *view.Pager, string) { n++ })
	if n != 1 {
		t.Errorf("an empty list must still get its first page")
	}
}

func TestPlainify(t *testing.T) {
	for in, want := range map[any]string{
		template.HTML("<p>Un <em>mot</em> &amp; deux</p>\n<pre>code</pre>"): "Un mot & deux",
		"<h2>Titre</h2><p>texte</p>":                                        "Titre\ntexte",
	} {
		got, err := Plainify(in)
		if err != nil || got != want {
			t.Errorf("Plainify(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := Plainify(3); err == nil {
		t.Errorf("Plainify(3): no error")
	}
	// Themes reach it as the template function plainify.
	tmpl := template.Must(template.New("x").Funcs(Funcs(config.Site{})(nil)).Parse(`<meta content="{{ . | plainify }}">`))
	var b strings.Builder
	if err := tmpl.Execute(&b, template.HTML("<p>A <b>B</b></p>")); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), `<meta content="A B">`; got != want {
		t.Errorf("template: %q, want %q", got, want)
	}
}
