package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStem(t *testing.T) {
	tests := []struct{ lang, term, want string }{
		// French.
		{"fr", "traites", "trait"},
		{"fr", "traite", "trait"},
		{"fr", "traiter", "trait"},
		{"fr", "traitement", "trait"},
		{"fr", "accordee", "accord"},
		{"fr", "accordees", "accord"},
		{"fr", "accords", "accord"},
		{"fr", "negociations", "negoci"},
		{"fr", "negocier", "negoci"},
		{"fr", "negociee", "negoci"},
		{"fr", "gouvernements", "gouvern"},
		{"fr", "constitution", "constitu"},
		{"fr", "journaux", "journa"},
		{"fr", "journal", "journa"},
		{"fr", "generales", "genera"},
		{"fr", "generaux", "genera"},
		{"fr", "dangereuse", "danger"},
		{"fr", "dangereux", "danger"},
		{"fr", "dossiers", "dossi"},
		{"fr", "premiere", "premi"},
		{"fr", "coree", "cor"},
		{"fr", "nations", "nation"}, // "tion" would leave 2 runes
		{"fr", "nation", "nation"},
		{"fr", "stress", "stress"},
		{"fr", "eaux", "eau"},
		{"fr", "paix", "pai"},
		{"fr", "mer", "mer"},
		{"fr", "1960s", "1960s"},
		{"fr", "ête", "ête"}, // not normalized: unchanged
		{"fr-CA", "traites", "trait"},
		// English.
		{"en", "countries", "countr"},
		{"en", "country", "countr"},
		{"en", "treaties", "treat"},
		{"en", "treaty", "treat"},
		{"en", "sanctions", "sanction"},
		{"en", "sanctioned", "sanction"},
		{"en", "negotiating", "negotiat"},
		{"en", "negotiated", "negotiat"},
		{"en", "negotiate", "negotiat"},
		{"en", "stopped", "stop"},
		{"en", "planning", "plan"},
		{"en", "killed", "kill"},
		{"en", "taxes", "tax"},
		{"en", "churches", "church"},
		{"en", "classes", "class"},
		{"en", "buses", "bus"},
		{"en", "crisis", "crisis"},
		{"en", "status", "status"},
		{"en", "string", "string"}, // "str" has no vowel
		{"en", "red", "red"},
		{"en", "playing", "pla"},
		{"en", "plays", "pla"},
		{"en", "en", "en"},
		{"en-GB", "treaties", "treat"},
		// Other languages: unchanged.
		{"de", "treaties", "treaties"},
		{"", "traites", "traites"},
	}
	for _, tt := range tests {
		if got := Stem(tt.term, tt.lang); got != tt.want {
			t.Errorf("Stem(%q, %q) = %q, want %q", tt.term, tt.lang, got, tt.want)
		}
	}
}

// checkStem verifies that the stem of term is a prefix of at least minStem
// runes (or the term itself), is stable, and that term is among the variants
// the client derives from the stem to locate stem matches.
func checkStem(t *testing.T, term, lang string) {
	t.Helper()
	s := Stem(term, lang)
	if !strings.HasPrefix(term, s) {
		t.Fatalf("Stem(%q, %q) = %q: not a prefix", term, lang, s)
	}
	if s != term && utf8.RuneCountInString(s) < minStem {
		t.Fatalf("Stem(%q, %q) = %q: shorter than %d runes", term, lang, s, minStem)
	}
	if s != term && !slices.Contains(stemVariants(s, lang), term) {
		t.Fatalf("Stem(%q, %q) = %q, but %q is not in stemVariants(%q)", term, lang, s, term, s)
	}
}

func TestStemProperties(t *testing.T) {
	words := strings.Fields(`traites accordees journaux generales dangereuse stopped planning
		countries classes buses taxes playing studies studied hopping hoped sanctions nations
		gouvernements premieres negociations ees eeux aux sss yies yyy sses zzing bbed abbed`)
	for _, w := range words {
		for _, lang := range []string{"fr", "en"} {
			checkStem(t, w, lang)
		}
	}
}

func FuzzStem(f *testing.F) {
	for _, s := range []string{"traitees", "countries", "stopped", "journaux", "generales"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, word string) {
		term := Normalize(word)
		checkStem(t, term, "fr")
		checkStem(t, term, "en")
	})
}
