package i18n

import (
	"slices"
	"strings"
	"testing"

	"github.com/dossier-ssg/dossier/generator/model"
)

// TestTreatyKindGrammar is the grammar table: for every treaty kind, the
// French labels that agree with it, and English, which has one form.
func TestTreatyKindGrammar(t *testing.T) {
	type forms struct{ noun, signed, superseded, supersededBy, supersedes, citing, proposed string }
	masc := forms{"", "Signé le", "Remplacé", "Remplacé par", "Remplace", "Dossiers qui le citent", "Proposé"}
	fem := forms{"", "Signée le", "Remplacée", "Remplacée par", "Remplace", "Dossiers qui la citent", "Proposée"}
	mascPl := forms{"", "Signés le", "Remplacés", "Remplacés par", "Remplacent", "Dossiers qui les citent", "Proposés"}
	with := func(f forms, noun string) forms { f.noun = noun; return f }
	fr := map[string]forms{
		"":            with(masc, "Traité"),
		"treaty":      with(masc, "Traité"),
		"agreement":   with(masc, "Accord"),
		"agreements":  with(mascPl, "Accords"),
		"convention":  with(fem, "Convention"),
		"declaration": with(fem, "Déclaration"),
		"charter":     with(fem, "Charte"),
		"protocol":    with(masc, "Protocole"),
		"pact":        with(masc, "Pacte"),
		"memorandum":  with(masc, "Mémorandum"),
		"resolution":  with(fem, "Résolution"),
	}
	for _, kind := range model.TreatyKinds {
		if _, ok := fr[kind]; !ok {
			t.Errorf("treaty kind %q has no row in this test", kind)
		}
	}
	for kind, want := range fr {
		got := forms{TreatyKind("fr", kind).Name, Agree("fr", "signed", kind), Agree("fr", "status.superseded", kind),
			Agree("fr", "superseded_by", kind), Agree("fr", "supersedes", kind), Agree("fr", "citing", kind), Agree("fr", "status.proposed", kind)}
		if got != want {
			t.Errorf("fr %q:\n got %q\nwant %q", kind, got, want)
		}
		if got := Agree("fr", "status.in-force", kind); got != "En vigueur" {
			t.Errorf("fr %q: in-force = %q", kind, got)
		}
	}
	for _, tt := range []struct{ kind, key, want string }{
		{"declaration", "status.superseded", "Superseded"},
		{"declaration", "citing", "Dossiers citing it"},
		{"agreements", "citing", "Dossiers citing them"},
		{"agreements", "supersedes", "Supersede"},
		{"treaty", "signed", "Signed"},
		{"declaration", "kind", "Kind"},
	} {
		if got := Agree("en", tt.key, tt.kind); got != tt.want {
			t.Errorf("en %s %s = %q, want %q", tt.kind, tt.key, got, tt.want)
		}
	}
	// A language without tables speaks English; an unknown kind is a treaty.
	if got := Agree("de", "status.superseded", "declaration"); got != "Superseded" {
		t.Errorf("de: %q", got)
	}
	if got := Agree("fr", "status.superseded", "nonsense"); got != "Remplacé" {
		t.Errorf("unknown kind: %q", got)
	}
}

// TestGrammarTablesComplete: every kind has a noun in every language, and
// every agreeing form is a form of a label that exists.
func TestGrammarTablesComplete(t *testing.T) {
	for lang, kinds := range treatyKinds {
		for _, kind := range model.TreatyKinds {
			if kinds[kind].Name == "" {
				t.Errorf("%s: treaty kind %q has no noun", lang, kind)
			}
		}
		if len(kinds) != len(model.TreatyKinds) {
			t.Errorf("%s: %d treaty kinds, the model has %d", lang, len(kinds), len(model.TreatyKinds))
		}
	}
	for lang, m := range agreeing {
		for key := range m {
			base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(key, ".pl"), ".f"), ".f")
			if !Has(lang, base) {
				t.Errorf("%s: %q is a form of %q, which has no label", lang, key, base)
			}
		}
	}
}

// TestCounts: the singular where the language takes it, with the number.
func TestCounts(t *testing.T) {
	for _, tt := range []struct {
		lang, key string
		n         int
		want      string
	}{
		{"fr", "count.dossiers", 1, "1 dossier"},
		{"fr", "count.dossiers", 2, "2 dossiers"},
		{"fr", "count.dossiers", 0, "0 dossier"},
		{"fr", "count.quotes", 1, "1 citation"},
		{"fr", "count.quotes", 12, "12 citations"},
		{"fr", "more.dossiers", 1, "et 1 autre dossier dans la chronologie"},
		{"fr", "more.dossiers", 3, "et 3 autres dossiers dans la chronologie"},
		{"fr", "more.quotes", 1, "et 1 autre citation dans la chronologie"},
		{"fr", "more.quotes", 40, "et 40 autres citations dans la chronologie"},
		{"en", "count.dossiers", 0, "0 dossiers"},
		{"en", "count.quotes", 1, "1 quote"},
		{"en", "more.dossiers", 1, "and 1 more dossier in the timeline"},
		{"en", "more.quotes", 2, "and 2 more quotes in the timeline"},
	} {
		if got := Count(tt.lang, tt.key, tt.n, tt.n); got != tt.want {
			t.Errorf("Count(%s, %s, %d) = %q, want %q", tt.lang, tt.key, tt.n, got, tt.want)
		}
	}
	for _, tt := range []struct {
		lang, key string
		n         int
		want      string
	}{
		{"fr", "stats.dossiers", 1, "dossier"}, {"fr", "stats.dossiers", 2, "dossiers"},
		{"fr", "stats.actors", 1, "acteur"}, {"fr", "stats.actors", 16, "acteurs"},
		{"fr", "stats.treaties", 1, "traité"}, {"fr", "stats.treaties", 4, "traités"},
		{"fr", "stats.quotes", 1, "citation"}, {"fr", "stats.quotes", 12, "citations"},
		{"en", "stats.treaties", 1, "treaty"}, {"en", "stats.treaties", 0, "treaties"},
	} {
		if got := Count(tt.lang, tt.key, tt.n); got != tt.want {
			t.Errorf("Count(%s, %s, %d) = %q, want %q", tt.lang, tt.key, tt.n, got, tt.want)
		}
	}
	// Every count label has its singular in every language.
	for lang, m := range labels {
		for key := range m {
			if (strings.HasPrefix(key, "count.") || strings.HasPrefix(key, "more.") || strings.HasPrefix(key, "stats.")) &&
				!strings.HasSuffix(key, ".one") && !Has(lang, key+".one") {
				t.Errorf("%s: count label %q has no singular %q", lang, key, key+".one")
			}
		}
	}
	if !slices.Equal([]bool{One("fr", 0), One("fr", 1), One("fr", 2), One("en", 0), One("en", 1)}, []bool{true, true, false, false, true}) {
		t.Error("plural rules")
	}
}
