package generator_test

import (
	"strings"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/generator/linkcheck"
)

// TestSubpathLinksResolve builds the example site under a subpath base URL
// and checks that every internal URL of every page, the feed and the sitemap
// resolves inside the output.
func TestSubpathLinksResolve(t *testing.T) {
	for _, base := range []string{"https://example.org/dossiers/", "/", "https://example.org/"} {
		res, err := generator.Build(generator.Options{SiteDir: "..", Theme: dossier.DefaultTheme, BaseURL: base})
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		for name, f := range res.Tree {
			files[name] = f.Data
		}
		for _, p := range linkcheck.Check(files, res.Config.BasePath(), res.Config.Origin()) {
			t.Errorf("base %s: %s", base, p)
		}
		if base == "https://example.org/dossiers/" {
			page := string(files["dossiers/russie-coree-du-nord-pacte-2024/index.html"])
			if !strings.Contains(page, `href="/dossiers/actors/`) || strings.Contains(page, `href="/actors/`) {
				t.Errorf("links on a subpath site do not carry the base path")
			}
			if !strings.Contains(string(files["sitemap.xml"]), "<loc>https://example.org/dossiers/actors/</loc>") {
				t.Errorf("sitemap URLs are not absolute under the base URL")
			}
		}
	}
}

// TestRelativeLinksResolve checks --relative output: no rooted internal link
// is left, and every link resolves from the page's own folder.
func TestRelativeLinksResolve(t *testing.T) {
	res, err := generator.Build(generator.Options{SiteDir: "..", Theme: dossier.DefaultTheme, Relative: true})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for name, f := range res.Tree {
		files[name] = f.Data
		if strings.HasSuffix(name, ".html") && (strings.Contains(string(f.Data), `href="/`) || strings.Contains(string(f.Data), `src="/`)) {
			t.Errorf("%s keeps a rooted link in relative mode", name)
		}
	}
	for _, p := range linkcheck.Check(files, "/", "") {
		t.Errorf("relative: %s", p)
	}
}
