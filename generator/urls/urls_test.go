package urls

import (
	"strings"
	"testing"
)

func TestScheme(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Dossier("pact"), "dossiers/pact/"},
		{Actor("kim-jong-un"), "actors/kim-jong-un/"},
		{Treaty("t-2024"), "treaties/t-2024/"},
		{Quote("pact", "putin-2024-06-19"), "quotes/pact/putin-2024-06-19/"},
		{Tag("sanctions"), "tags/sanctions/"},
		{ActorTimeline("russia"), "timeline/russia/"},
		{Attachment("pact", "map.png"), "dossiers/pact/map.png"},
		{Entity("actor", "x"), "actors/x/"},
		{Entity("quote", "x"), ""},
		{Key("treaty/x"), "treaties/x/"},
		{Key("dossier/x"), "dossiers/x/"},
		{Page(Home, 1), ""},
		{Page(Home, 2), "page/2/"},
		{Page(Tag("a"), 3), "tags/a/page/3/"},
		{File(Dossier("x")), "dossiers/x/index.html"},
		{File(Home), "index.html"},
		{File(NotFound), "404.html"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
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
