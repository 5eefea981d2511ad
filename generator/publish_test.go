package generator_test

import (
	"crypto/sha512"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

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
			if !strings.Contains(page, `href="/dossiers/acteurs/`) || strings.Contains(page, `href="/acteurs/`) {
				t.Errorf("links on a subpath site do not carry the base path")
			}
			if !strings.Contains(string(files["sitemap.xml"]), "<loc>https://example.org/dossiers/acteurs/</loc>") {
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

// TestMinifiedSiteKeepsIntegrity builds with --minify and checks that pages
// shrink, links still resolve and every SRI digest matches the bytes served.
func TestMinifiedSiteKeepsIntegrity(t *testing.T) {
	plain, err := generator.Build(generator.Options{SiteDir: "..", Theme: dossier.DefaultTheme})
	if err != nil {
		t.Fatal(err)
	}
	res, err := generator.Build(generator.Options{SiteDir: "..", Theme: dossier.DefaultTheme, Minify: true})
	if err != nil {
		t.Fatal(err)
	}
	page := "dossiers/russie-coree-du-nord-pacte-2024/index.html"
	if len(res.Tree[page].Data) >= len(plain.Tree[page].Data) {
		t.Errorf("minified page is not smaller: %d >= %d", len(res.Tree[page].Data), len(plain.Tree[page].Data))
	}
	files := map[string][]byte{}
	for name, f := range res.Tree {
		files[name] = f.Data
	}
	for _, p := range linkcheck.Check(files, "/", "") {
		t.Errorf("minified: %s", p)
	}
	checked := 0
	for _, m := range integrityRE.FindAllStringSubmatch(string(files[page]), -1) {
		data, ok := files[strings.TrimPrefix(m[1], "/")]
		if !ok {
			t.Errorf("asset %s missing", m[1])
			continue
		}
		sum := sha512.Sum384(data)
		if want := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); m[2] != want {
			t.Errorf("%s: integrity %s, bytes hash to %s", m[1], m[2], want)
		}
		checked++
	}
	if checked == 0 {
		t.Error("no asset with an integrity attribute on the dossier page")
	}
}

var integrityRE = regexp.MustCompile(`(?:href|src)="([^"]+)"[^>]*integrity="([^"]+)"`)

// TestFeedParses reads feed.xml with a real feed parser.
func TestFeedParses(t *testing.T) {
	res, err := generator.Build(generator.Options{SiteDir: "..", Theme: dossier.DefaultTheme, BaseURL: "https://example.org/dossiers/"})
	if err != nil {
		t.Fatal(err)
	}
	feed, err := gofeed.NewParser().ParseString(string(res.Tree["feed.xml"].Data))
	if err != nil {
		t.Fatalf("feed.xml does not parse: %v", err)
	}
	if feed.FeedType != "atom" || feed.Title == "" || len(feed.Items) == 0 {
		t.Fatalf("feed: type %q title %q items %d", feed.FeedType, feed.Title, len(feed.Items))
	}
	item := feed.Items[0]
	if item.Link != "https://example.org/dossiers/dossiers/russie-coree-du-nord-pacte-2024/" || item.GUID == "" ||
		item.UpdatedParsed == nil || len(item.Authors) == 0 || item.Description == "" || item.Content == "" {
		t.Errorf("feed entry incomplete: link %q id %q updated %v authors %v", item.Link, item.GUID, item.UpdatedParsed, item.Authors)
	}
	// The example dossier was revised (updated: in its front matter): Atom's
	// updated is the last revision, published stays the dossier's date.
	if item.UpdatedParsed.Format("2006-01-02") != "2026-12-07" || item.PublishedParsed == nil || item.PublishedParsed.Format("2006-01-02") != "2024-06-19" {
		t.Errorf("entry updated %v published %v, want the revision and the dossier date", item.UpdatedParsed, item.PublishedParsed)
	}
}
