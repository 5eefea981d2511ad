package urls

import (
	"strings"
	"testing"
)

func TestScheme(t *testing.T) {
	en := Single("en").Default()
	two := NewScheme([]Language{{Lang: "fr"}, {Lang: "en", Sections: map[string]string{Actors: "people"}}}, false)
	fr, en2 := two.Tree("fr"), two.Tree("en")
	sub := NewScheme([]Language{{Lang: "fr"}, {Lang: "en"}}, true).Default()
	for _, tc := range []struct{ got, want string }{
		{en.Dossier("pact"), "dossiers/pact/"},
		{en.Actor("kim-jong-un"), "actors/kim-jong-un/"},
		{en.Treaty("t-2024"), "treaties/t-2024/"},
		{en.Quote("pact", "putin-2024-06-19"), "quotes/pact/putin-2024-06-19/"},
		{en.Tag("sanctions"), "tags/sanctions/"},
		{en.ActorTimeline("russia"), "timeline/russia/"},
		{en.Attachment("pact", "map.png"), "dossiers/pact/map.png"},
		{en.Entity("actor", "x"), "actors/x/"},
		{en.Entity("quote", "x"), ""},
		{en.Key("treaty/x"), "treaties/x/"},
		{en.Key("dossier/x"), "dossiers/x/"},
		{en.Section(Home), ""},
		{en.Feed(), "feed.xml"},
		{en.SearchIndex(), "search/"},
		{Page(en.Section(Home), 1), ""},
		{Page(en.Section(Home), 2), "page/2/"},
		{Page(en.Tag("a"), 3), "tags/a/page/3/"},
		{File(en.Dossier("x")), "dossiers/x/index.html"},
		{File(Home), "index.html"},
		{File(NotFound), "404.html"},
		// French names on the French tree, at the root.
		{fr.Actor("x"), "acteurs/x/"},
		{fr.Treaty("x"), "traites/x/"},
		{fr.Quote("d", "q"), "citations/d/q/"},
		{fr.Section(Timeline), "chronologie/"},
		{fr.Tag("x"), "themes/x/"},
		{fr.Section(Map), "carte/"},
		{fr.SearchIndex(), "recherche/"},
		{fr.Dossier("x"), "dossiers/x/"},
		{fr.Feed(), "feed.xml"},
		// Another language under its code, with its own names.
		{en2.Actor("x"), "en/people/x/"},
		{en2.Treaty("x"), "en/treaties/x/"},
		{en2.Section(Home), "en/"},
		{en2.Sitemap(), "en/sitemap.xml"},
		{two.Tree("de").Actor("x"), "acteurs/x/"}, // not a language of the site: the default's tree
		{sub.Actor("x"), "fr/acteurs/x/"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if !two.Has("en") || two.Has("de") || len(two.Trees()) != 2 || two.Default() != fr {
		t.Error("Has, Trees or Default is wrong")
	}
}

func TestCheckSection(t *testing.T) {
	for name, ok := range map[string]bool{"acteurs": true, "mes-acteurs": true, "acteurs2": true, "": false,
		"Acteurs": false, "a/b": false, "page": false, "feed.xml": false, "-x": false, "a--b": false, "é": true} {
		if got := CheckSection(name) == ""; got != ok {
			t.Errorf("CheckSection(%q) ok = %v, want %v", name, got, ok)
		}
	}
}

func TestSlugify(t *testing.T) {
	for _, tc := range []struct{ in, on, safe string }{
		{"sécurité", "securite", "sécurité"},
		{"Corée du Nord", "coree-du-nord", "corée-du-nord"},
		{"  Œuvre  d'art ", "oeuvre-d-art", "œuvre-d-art"},
		{"Guerre en Ukraine (2022–)", "guerre-en-ukraine-2022", "guerre-en-ukraine-2022"},
		{"김정은 visite", "김정은-visite", "김정은-visite"},
		{"nucleaire", "nucleaire", "nucleaire"},
		{"ÉTATS-UNIS", "etats-unis", "états-unis"},
		{"---", "", ""},
	} {
		if got := Slugify(tc.in, SlugOn); got != tc.on {
			t.Errorf("Slugify(%q, on) = %q, want %q", tc.in, got, tc.on)
		}
		if got := Slugify(tc.in, SlugSafe); got != tc.safe {
			t.Errorf("Slugify(%q, safe) = %q, want %q", tc.in, got, tc.safe)
		}
	}
}

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"sécurité", "Corée du Nord", "김정은", "a--b", "\\u0301x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, strategy := range []string{SlugOn, SlugSafe} {
			got := Slugify(s, strategy)
			if strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Contains(got, "--") || strings.ContainsAny(got, " /?#") {
				t.Errorf("Slugify(%q, %s) = %q", s, strategy, got)
			}
			if again := Slugify(got, strategy); again != got {
				t.Errorf("Slugify is not idempotent on %q: %q then %q", s, got, again)
			}
		}
	})
}
