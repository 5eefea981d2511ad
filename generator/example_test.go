package generator_test

import (
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
	for _, want := range []string{"/dossiers/russie-coree-du-nord-pacte-2024/", "/traites/", "/acteurs/kim-jong-un/", "#vladimir-putin-2024-06-19"} {
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
