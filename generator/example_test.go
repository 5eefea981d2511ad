package generator_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
)

// TestExampleDossier holds the repository's own content to what the product
// promises: a curated dossier with attributed quotes, actors and treaties,
// and references that go both ways.
func TestExampleDossier(t *testing.T) {
	res, err := generator.Build(generator.Options{SiteDir: "..", Theme: dossier.DefaultTheme})
	if err != nil {
		t.Fatal(err)
	}
	site := res.Site
	if len(site.Actors) < 12 {
		t.Errorf("%d actors, want at least 12", len(site.Actors))
	}
	if len(site.Quotes) < 8 {
		t.Errorf("%d quotes, want at least 8", len(site.Quotes))
	}
	speakers := map[string]int{}
	for _, q := range site.Quotes {
		speakers[q.SpeakerActor.Slug]++
	}
	for _, s := range []string{"vladimir-putin", "kim-jong-un", "yuri-ushakov"} {
		if speakers[s] == 0 {
			t.Errorf("no quote by %s", s)
		}
	}
	years := map[int]bool{}
	for _, tr := range site.Treaties {
		years[tr.Signed.Year()] = true
	}
	for _, y := range []int{1961, 2000, 2001, 2024} {
		if !years[y] {
			t.Errorf("no treaty signed in %d", y)
		}
	}
	page := func(p string) string { return string(res.Tree[p].Data) }
	treaty := page("traites/russia-dprk-partnership-2024/index.html")
	for _, want := range []string{"/traites/russia-dprk-treaty-2000/", "/traites/russia-dprk-moscow-declaration-2001/", "/dossiers/russie-coree-du-nord-pacte-2024/"} {
		if !strings.Contains(treaty, want) {
			t.Errorf("2024 treaty page lacks a link to %s", want)
		}
	}
	putin := page("acteurs/vladimir-putin/index.html")
	for _, want := range []string{"/dossiers/russie-coree-du-nord-pacte-2024/", "/traites/", "/acteurs/kim-jong-un/", "/citations/russie-coree-du-nord-pacte-2024/vladimir-putin-2024-06-19-"} {
		if !strings.Contains(putin, want) {
			t.Errorf("Putin's page lacks %s", want)
		}
	}
	d := page("dossiers/russie-coree-du-nord-pacte-2024/index.html")
	for _, want := range []string{`lang="fr"`, "19 juin 2024", "\u00a0:", "«\u202f", "\u202f»", `datetime="2024-06-19"`} {
		if !strings.Contains(d, want) {
			t.Errorf("dossier page lacks %q", want)
		}
	}
	for _, debris := range []string{"PREV", "NEXT", "Photo:AFP", "cCorée"} {
		if strings.Contains(d, debris) {
			t.Errorf("dossier page still has scraping debris %q", debris)
		}
	}
}

// TestExampleReaderPages holds the pages a reader meets to issue 18: a
// quote page whose heading is the quote, with its dossier named once; a
// dossier page that shows its key quotes and links to all of them; the
// example's treaties and quotes as the article has them.
func TestExampleReaderPages(t *testing.T) {
	res, err := generator.Build(generator.Options{SiteDir: "..", Theme: dossier.DefaultTheme})
	if err != nil {
		t.Fatal(err)
	}
	page := func(p string) string {
		f, ok := res.Tree[p]
		if !ok {
			t.Fatalf("no page %s", p)
		}
		return string(f.Data)
	}
	const dossierPath = "/dossiers/russie-coree-du-nord-pacte-2024/"
	q := page("citations/russie-coree-du-nord-pacte-2024/vladimir-putin-2024-06-19-le-traite-de-partenariat/index.html")
	h1 := regexp.MustCompile(`(?s)<h1[^>]*>(.*?)</h1>`).FindStringSubmatch(q)
	if h1 == nil || !strings.Contains(h1[1], "Le traité de partenariat mondial signé aujourd’hui […] prévoit") || strings.Contains(h1[1], "Vladimir Poutine") {
		t.Errorf("quote page heading is not the quote: %q", h1)
	}
	if n := strings.Count(q, `href="`+dossierPath+`"`); n != 1 {
		t.Errorf("quote page links its dossier %d times, want once", n)
	}
	if strings.Contains(q, `class="card`) {
		t.Error("quote page still has a dossier card")
	}
	d := page("dossiers/russie-coree-du-nord-pacte-2024/index.html")
	keys := regexp.MustCompile(`(?s)<section class="key-quotes".*?</section>`).FindString(d)
	if n := strings.Count(keys, `<figure id=`); n != 3 {
		t.Errorf("dossier page shows %d key quotes, want the 3 marked {key}", n)
	}
	if !strings.Contains(keys, `href="/citations/russie-coree-du-nord-pacte-2024/">Toutes les citations du dossier (12)</a>`) {
		t.Error("dossier page does not link to all its quotes")
	}
	if !strings.Contains(d, `<span class="byline__author">La rédaction</span>`) || !strings.Contains(d, `<time datetime="2026-12-07">`) ||
		!strings.Contains(d, `"dateModified":"2026-12-07"`) {
		t.Error("dossier page lacks its byline, updated date or dateModified")
	}
	if !strings.Contains(page("index.html"), `<li class="chips__more"><a href="`+dossierPath+`#side-actors"`) {
		t.Error("+n actors on the home card is not a link")
	}
	all := page("citations/russie-coree-du-nord-pacte-2024/index.html")
	for _, want := range []string{`class="quote quote--fragment"`, `class="quote quote--reported"`, `<p class="quote__kind">Propos rapportés</p>`, `<h2 class="day__title">sans date</h2>`} {
		if !strings.Contains(all, want) {
			t.Errorf("the dossier's quotes page lacks %s", want)
		}
	}
	for _, p := range []string{"index.html", "404.html", "acteurs/china/index.html"} {
		if !strings.Contains(page(p), `<form role="search" class="site-search" action="/recherche/"`) {
			t.Errorf("%s has no search box in its header", p)
		}
	}
	site := res.Site
	for _, tr := range site.Treaties {
		switch tr.Slug {
		case "russia-dprk-moscow-declaration-2001":
			if tr.Kind != "declaration" {
				t.Errorf("2001 Moscow Declaration is a %s", tr.Kind)
			}
		case "soviet-dprk-treaty-1961":
			if tr.Status != "expired" {
				t.Errorf("1961 treaty status %s, want expired (it lapsed in 1996)", tr.Status)
			}
		case "russia-dprk-partnership-2024":
			var chain []string
			for _, c := range tr.Chain {
				chain = append(chain, c.Slug)
			}
			if !slices.Contains(chain, "russia-dprk-moscow-declaration-2001") {
				t.Errorf("2024 treaty chronology %v omits the 2001 declaration it replaces", chain)
			}
		}
	}
	for _, q := range site.Quotes {
		if q.SpeakerActor.Slug == "yuri-ushakov" && !q.Undated {
			t.Error("Ouchakov's quote is dated; the article does not date it")
		}
	}
}

// TestQuoteSourceAndDefaultKeys: a quote's primary source is linked from
// its pages and in its JSON-LD; a dossier whose curator marked no {key}
// shows its first three full quotes, not fragments or reported speech.
func TestQuoteSourceAndDefaultKeys(t *testing.T) {
	dir := copySite(t)
	quotes := filepath.Join(dir, "content", "dossiers", "russie-coree-du-nord-pacte-2024", "quotes.md")
	data, err := os.ReadFile(quotes)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(data), " {key}", "")
	text = strings.Replace(text, "à propos des relations bilatérales, lors de sa rencontre avec Vladimir Poutine à Pyongyang",
		"à Pyongyang {source=https://example.org/transcript}", 1)
	if err := os.WriteFile(quotes, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := generator.Build(generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme})
	if err != nil {
		t.Fatal(err)
	}
	q := string(res.Tree["citations/russie-coree-du-nord-pacte-2024/kim-jong-un-2024-06-19-nouvelle-ere/index.html"].Data)
	for _, want := range []string{`<a class="quote__source" href="https://example.org/transcript" rel="external">Source primaire</a>`, `"isBasedOn":"https://example.org/transcript"`} {
		if !strings.Contains(q, want) {
			t.Errorf("quote page lacks %s", want)
		}
	}
	d := string(res.Tree["dossiers/russie-coree-du-nord-pacte-2024/index.html"].Data)
	keys := regexp.MustCompile(`<figure id="([^"]+)"`).FindAllStringSubmatch(d, -1)
	var ids []string
	for _, k := range keys {
		ids = append(ids, k[1])
	}
	want := "vladimir-putin-2024-06-19-le-traite-de-partenariat vladimir-putin-2024-06-19-nos-pays-defendent-constamment yuri-ushakov-undated-cela-n-aura-aucun"
	if strings.Join(ids, " ") != want {
		t.Errorf("default key quotes = %v, want the first three full quotes: %s", ids, want)
	}
}
