package generator_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/generator/output"
)

// bilingualFiles is a French site with an English tree: the dossier pact
// and the actor putin are translated (pact's quotes too), the dossier
// autre, the actor kim and the treaty t2024 are not.
var bilingualFiles = map[string]string{
	"dossier.toml": "title = \"Dossiers\"\ndescription = \"Des dossiers.\"\nbaseURL = \"https://example.org/\"\nlanguage = \"fr\"\n\n" +
		"[languages.en]\ntitle = \"Dossiers in English\"\ndescription = \"Dossiers, translated.\"\n",
	"content/dossiers/pact/index.md":     "---\ntitle: Le pacte\ndate: 2024-06-19\nsummary: Un traité signé.\nactors: [putin, kim]\ntreaties: [t2024]\ntags: [alliances]\n---\nLe traité lie [[putin]] et [[kim]].\n",
	"content/dossiers/pact/index.en.md":  "---\ntitle: The pact\ndate: 2024-06-19\nsummary: A treaty signed.\nactors: [putin, kim]\ntreaties: [t2024]\ntags: [alliances]\n---\nThe treaty binds [[putin]] and [[kim]], see [[autre]].\n",
	"content/dossiers/pact/quotes.md":    "> Nous nous défendrons.\n>\n> — [[putin]], 2024-06-19, à Pyongyang\n\n> Une nouvelle ère.\n>\n> — [[kim]], 2024-06-19\n",
	"content/dossiers/pact/quotes.en.md": "> We will defend each other.\n>\n> — [[putin]], 2024-06-19, in Pyongyang\n\n> A new era.\n>\n> — [[kim]], 2024-06-19\n",
	"content/dossiers/pact/carte.txt":    "une annexe\n",
	"content/dossiers/autre/index.md":    "---\ntitle: Un autre dossier\ndate: 2024-07-01\nactors: [kim]\n---\nVoir [[pact]].\n",
	"content/actors/putin.md":            "---\nname: Vladimir Poutine\nkind: person\n---\nPrésident de la Russie.\n",
	"content/actors/putin.en.md":         "---\nname: Vladimir Putin\nkind: person\n---\nPresident of Russia.\n",
	"content/actors/kim.md":              "---\nname: Kim Jong-un\nkind: person\n---\nDirigeant nord-coréen.\n",
	"content/treaties/t2024.md":          "---\ntitle: Traité de 2024\nstatus: in-force\nsigned: 2024-06-19\nparties: [putin, kim]\n---\nLe traité.\n",
}

func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// alternate is one <link rel="alternate" hreflang> of a page.
type alternate struct{ lang, href string }

// pageLinks parses a page: its lang, its hreflang alternates and its
// links (<a>) with their attributes.
func pageLinks(t *testing.T, data []byte) (lang string, alts []alternate, links []map[string]string) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attrs := map[string]string{}
			for _, a := range n.Attr {
				attrs[a.Key] = a.Val
			}
			switch {
			case n.Data == "html":
				lang = attrs["lang"]
			case n.Data == "link" && attrs["rel"] == "alternate" && attrs["hreflang"] != "":
				alts = append(alts, alternate{attrs["hreflang"], attrs["href"]})
			case n.Data == "a":
				links = append(links, attrs)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return lang, alts, links
}

// TestBilingualSite builds a French site with an English tree and checks
// every page's hreflang alternates both ways, x-default, the language
// switcher, the fallback links to untranslated entities, and each
// language's feed, sitemap and search index.
func TestBilingualSite(t *testing.T) {
	res, err := generator.Build(generator.Options{SiteDir: writeFiles(t, bilingualFiles), Theme: dossier.DefaultTheme})
	if err != nil {
		t.Fatal(err)
	}
	page := func(p string) []byte {
		t.Helper()
		f, ok := res.Tree[p]
		if !ok {
			t.Fatalf("no %s", p)
		}
		return f.Data
	}
	const origin = "https://example.org/"
	for _, p := range []string{"index.html", "en/index.html", "dossiers/pact/index.html", "en/dossiers/pact/index.html",
		"acteurs/putin/index.html", "en/actors/putin/index.html", "acteurs/kim/index.html", "en/actors/index.html",
		"traites/t2024/index.html", "en/treaties/index.html", "en/timeline/index.html", "en/search/index.html",
		"dossiers/pact/carte.txt", "en/dossiers/pact/carte.txt", "404.html"} {
		page(p)
	}
	for _, p := range []string{"en/actors/kim/index.html", "en/dossiers/autre/index.html", "en/treaties/t2024/index.html", "en/404.html"} {
		if _, ok := res.Tree[p]; ok {
			t.Errorf("%s exists: an untranslated entity has no page in English", p)
		}
	}
	// hreflang both ways, x-default, on every page.
	pages := 0
	for name, f := range res.Tree {
		if !strings.HasSuffix(name, ".html") || strings.Contains(string(f.Data), `http-equiv="refresh"`) {
			continue
		}
		lang, alts, _ := pageLinks(t, f.Data)
		if len(alts) == 0 {
			continue
		}
		pages++
		self := origin + strings.TrimSuffix(name, "index.html")
		byLang := map[string]string{}
		for _, a := range alts {
			byLang[a.lang] = a.href
		}
		if byLang[lang] != self {
			t.Errorf("%s: no hreflang=%s alternate to itself (%v)", name, lang, alts)
		}
		if byLang["x-default"] == "" || byLang["x-default"] != byLang["fr"] {
			t.Errorf("%s: x-default is not the French page (%v)", name, alts)
		}
		for l, href := range byLang {
			if l == "x-default" || l == lang {
				continue
			}
			other := strings.TrimPrefix(href, origin) + "index.html"
			back, ok := res.Tree[other]
			if !ok {
				t.Errorf("%s: hreflang=%s leads to %s, which does not exist", name, l, other)
				continue
			}
			otherLang, otherAlts, _ := pageLinks(t, back.Data)
			if otherLang != l || !containsAlt(otherAlts, alternate{lang, self}) {
				t.Errorf("%s: hreflang=%s leads to %s, which is in %q and does not lead back (%v)", name, l, other, otherLang, otherAlts)
			}
		}
	}
	// Home, the 7 section pages, pact, its two quotes and putin, in both languages.
	if want := 2 * (1 + 7 + 1 + 2 + 1); pages < want {
		t.Errorf("%d pages have hreflang alternates, want at least %d", pages, want)
	}
	// The English pact links the untranslated kim and autre in French, marked.
	_, _, links := pageLinks(t, page("en/dossiers/pact/index.html"))
	marked := map[string]bool{}
	for _, a := range links {
		if a["href"] == "/acteurs/kim/" || a["href"] == "/dossiers/autre/" {
			if a["lang"] != "fr" || a["hreflang"] != "fr" {
				t.Errorf("fallback link %v is not marked lang=fr", a)
			}
			marked[a["href"]] = true
		}
		if a["href"] == "/acteurs/putin/" {
			t.Errorf("the English pact links the French putin though it is translated")
		}
		if strings.HasPrefix(a["href"], "/en/") && a["lang"] != "" && !strings.Contains(a["href"], "/en/dossiers/pact/") && a["lang"] != "en" {
			t.Errorf("link %v in the page's own language is marked", a)
		}
	}
	if !marked["/acteurs/kim/"] || !marked["/dossiers/autre/"] {
		t.Errorf("the English pact does not link the untranslated kim and autre: %v", marked)
	}
	// The switcher: the same entity in the other language, or its home, marked.
	if s := string(page("acteurs/kim/index.html")); !strings.Contains(s, `<a href="/en/" hreflang="en" lang="en">English</a> <span class="lang-switch__note">(page non traduite`+"\u00a0"+`: accueil)</span>`) {
		t.Errorf("kim's switcher does not send to the English home, marked")
	}
	if s := string(page("en/actors/putin/index.html")); !strings.Contains(s, `<a href="/acteurs/putin/" hreflang="fr" lang="fr">Français</a></li>`) {
		t.Errorf("putin's English switcher does not link the French putin")
	}
	checkTreesFiles(t, res.Tree)
}

func containsAlt(alts []alternate, a alternate) bool {
	for _, b := range alts {
		if b == a {
			return true
		}
	}
	return false
}

// checkTreesFiles checks each language's feed, sitemap and search index.
func checkTreesFiles(t *testing.T, tree output.Tree) {
	t.Helper()
	file := func(p string) string { return string(tree[p].Data) }
	if f := file("feed.xml"); !strings.Contains(f, "<title>Le pacte</title>") || strings.Contains(f, "The pact") || !strings.Contains(f, `xml:lang="fr"`) {
		t.Errorf("French feed:\n%s", f)
	}
	if f := file("en/feed.xml"); !strings.Contains(f, "<title>The pact</title>") || strings.Contains(f, "Le pacte") || strings.Contains(f, "<title>Un autre dossier</title>") ||
		!strings.Contains(f, `xml:lang="en"`) || !strings.Contains(f, `href="https://example.org/en/feed.xml" rel="self"`) {
		t.Errorf("English feed:\n%s", f)
	}
	sm := file("en/sitemap.xml")
	if !strings.Contains(sm, `<loc>https://example.org/en/actors/putin/</loc>`) ||
		!strings.Contains(sm, `<xhtml:link rel="alternate" hreflang="fr" href="https://example.org/acteurs/putin/"></xhtml:link>`) ||
		!strings.Contains(sm, `<xhtml:link rel="alternate" hreflang="x-default" href="https://example.org/acteurs/putin/"></xhtml:link>`) ||
		strings.Contains(sm, "/acteurs/kim/</loc>") {
		t.Errorf("English sitemap:\n%s", sm)
	}
	if sm := file("sitemap.xml"); !strings.Contains(sm, `<loc>https://example.org/acteurs/kim/</loc>`) || !strings.Contains(sm, `hreflang="en" href="https://example.org/en/dossiers/pact/"`) {
		t.Errorf("French sitemap:\n%s", sm)
	}
	if r := file("robots.txt"); !strings.Contains(r, "Sitemap: https://example.org/sitemap.xml\n") || !strings.Contains(r, "Sitemap: https://example.org/en/sitemap.xml\n") {
		t.Errorf("robots.txt: %s", r)
	}
	// Each search index holds its tree's pages; the search page loads it.
	for dir, want := range map[string][2]string{"recherche/": {"acteurs/kim/", "en/"}, "en/search/": {"en/actors/putin/", "acteurs/"}} {
		if _, ok := tree[dir+"meta.json"]; !ok {
			t.Fatalf("no %smeta.json", dir)
		}
		var urls []string
		for name, f := range tree {
			if strings.HasPrefix(name, dir+"d/") {
				var recs [][]any
				if err := json.Unmarshal(f.Data, &recs); err != nil {
					t.Fatal(err)
				}
				for _, r := range recs {
					urls = append(urls, r[0].(string))
				}
			}
		}
		joined := strings.Join(urls, " ")
		if !strings.Contains(joined, want[0]) || strings.Contains(" "+joined, " "+want[1]) {
			t.Errorf("%s indexes %v", dir, urls)
		}
	}
	if s := file("en/search/index.html"); !strings.Contains(s, `data-search-index="/en/search/"`) {
		t.Errorf("the English search page does not load the English index")
	}
}

// Translation edits for checkIncrementalIn: a translation file added,
// edited and removed, on the example site given an English tree.
func init() {
	toggle := func(rel, text string) edit {
		return func(dir string, r *rand.Rand) []string {
			p := filepath.Join(dir, rel)
			if err := os.Remove(p); err != nil {
				_ = os.WriteFile(p, []byte(text), 0o644)
			}
			return []string{rel}
		}
	}
	enDossier := strings.Replace(mainDossier, "index.md", "index.en.md", 1)
	edits["add or remove the dossier's translation"] = toggle(enDossier,
		"---\ntitle: \"Russia and North Korea pledge to defend each other\"\ndate: 2024-06-19\nactors: [vladimir-putin, kim-jong-un]\ntags: [alliances]\n---\nThe treaty binds [[vladimir-putin]] and [[kim-jong-un]].\n")
	edits["edit the dossier's translation"] = func(dir string, r *rand.Rand) []string {
		return rewrite(dir, enDossier, func(s string) string {
			return s + fmt.Sprintf("\nAdded paragraph %d, see [[russia]].\n", r.IntN(1000))
		})
	}
	edits["add or remove the translated quotes"] = func(dir string, r *rand.Rand) []string {
		en := strings.Replace(mainQuotes, "quotes.md", "quotes.en.md", 1)
		if err := os.Remove(filepath.Join(dir, en)); err == nil {
			return []string{en}
		}
		src, err := os.ReadFile(filepath.Join(dir, mainQuotes))
		if err != nil {
			return nil
		}
		// The same speakers and dates, other words: each quote pairs with its original.
		_ = os.WriteFile(filepath.Join(dir, en), []byte(strings.ReplaceAll(string(src), "\n> ", fmt.Sprintf("\n> EN%d ", r.IntN(10)))), 0o644)
		return []string{en}
	}
	edits["add or remove an actor's translation"] = toggle("content/actors/vladimir-putin.en.md",
		"---\nname: Vladimir Putin\nkind: person\nrole: President of Russia\n---\nPresident of Russia since 2012.\n")
}

// TestTranslationsEqualsClean: adding, editing and removing translation
// files in watch mode gives the pages of a clean build.
func TestTranslationsEqualsClean(t *testing.T) {
	dir := copySite(t)
	f, err := os.OpenFile(filepath.Join(dir, "dossier.toml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString("\n[languages.en]\ntitle = \"Dossiers in English\"\n")
	f.Close()
	checkIncrementalIn(t, dir, []string{"add or remove the dossier's translation", "edit the dossier's translation",
		"add or remove the translated quotes", "add or remove an actor's translation", "edit dossier body", "edit a quote",
		"edit summary", "rename actor"}, 60, false)
}

// TestTranslationErrors: a file named in a language the site does not
// have, a lang field that disagrees with the file name, a default file
// that claims another language of the site, and quotes without their
// article are errors where they are written.
func TestTranslationErrors(t *testing.T) {
	files := map[string]string{}
	for k, v := range bilingualFiles {
		files[k] = v
	}
	files["content/actors/kim.de.md"] = "---\nname: Kim\nkind: person\n---\n"
	files["content/dossiers/pact/index.en.md"] = strings.Replace(files["content/dossiers/pact/index.en.md"], "date:", "lang: fr\ndate:", 1)
	files["content/dossiers/autre/index.md"] = strings.Replace(files["content/dossiers/autre/index.md"], "date:", "lang: en\ndate:", 1)
	files["content/dossiers/autre/quotes.en.md"] = "> Words.\n>\n> — [[kim]], 2024-06-19\n"
	_, err := generator.Build(generator.Options{SiteDir: writeFiles(t, files), Theme: dossier.DefaultTheme})
	if err == nil {
		t.Fatal("built")
	}
	for _, want := range []string{
		`content/actors/kim.de.md: "de" is not a language of this site: add [languages.de] to dossier.toml, or name the file kim.md`,
		`content/dossiers/pact/index.en.md:3:7: lang "fr", but the file name says "en": remove lang, or rename the file`,
		`content/dossiers/autre/index.md:3:7: lang "en" is a language of this site with pages of its own: name the file index.en.md`,
		`content/dossiers/autre/quotes.en.md: quotes.en.md without an index.en.md in the same folder`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}

// TestBilingualLinksResolve checks every internal link of the bilingual
// site, with the default language at the root and in /fr/
// (defaultLanguageInSubdir, whose root redirects to /fr/), and relative.
func TestBilingualLinksResolve(t *testing.T) {
	for _, tc := range []struct {
		toml         string
		relative     bool
		want, absent []string
	}{
		// The old English path of a French page redirects to it.
		{"", false, []string{"acteurs/kim/index.html", "en/actors/putin/index.html", "actors/kim/index.html", "traites/index.html", "treaties/index.html"}, nil},
		{"", true, []string{"acteurs/kim/index.html"}, nil},
		{"defaultLanguageInSubdir = true\n", false, []string{"fr/acteurs/kim/index.html", "en/actors/putin/index.html", "fr/feed.xml", "index.html", "actors/kim/index.html"}, nil},
		{"oldSectionRedirects = false\n", false, []string{"acteurs/kim/index.html"}, []string{"actors/kim/index.html", "treaties/index.html", "_redirects"}},
	} {
		files := map[string]string{}
		for k, v := range bilingualFiles {
			files[k] = v
		}
		files["dossier.toml"] = tc.toml + files["dossier.toml"]
		problems, _, err := generator.Check(generator.Options{SiteDir: writeFiles(t, files), Theme: dossier.DefaultTheme, Relative: tc.relative})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("%q relative=%v: %s", tc.toml, tc.relative, p)
		}
		res, err := generator.Build(generator.Options{SiteDir: writeFiles(t, files), Theme: dossier.DefaultTheme, Relative: tc.relative})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range tc.want {
			if _, ok := res.Tree[p]; !ok {
				t.Errorf("%q: no %s", tc.toml, p)
			}
		}
		for _, p := range tc.absent {
			if _, ok := res.Tree[p]; ok {
				t.Errorf("%q: %s exists", tc.toml, p)
			}
		}
		if strings.HasPrefix(tc.toml, "default") && !strings.Contains(string(res.Tree["index.html"].Data), `url=/fr/`) {
			t.Errorf("the root does not redirect to /fr/")
		}
	}
}
