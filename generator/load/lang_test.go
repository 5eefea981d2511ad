package load

import (
	"strings"
	"testing"
)

func TestSplitLang(t *testing.T) {
	for _, tc := range []struct{ name, base, lang string }{
		{"index.md", "index.md", ""},
		{"index.en.md", "index.md", "en"},
		{"quotes.fr.md", "quotes.md", "fr"},
		{"vladimir-putin.en.md", "vladimir-putin.md", "en"},
		{"index.pt-br.md", "index.md", "pt-br"},
		{"index.zh-hant.md", "index.md", "zh-hant"},
		{"x.eng.md", "x.md", "eng"},
		{"x.english.md", "x.english.md", ""}, // not a language code
		{"x.EN.md", "x.EN.md", ""},
		{"x.e.md", "x.e.md", ""},
		{"x.en-.md", "x.en-.md", ""},
		{"x.en-b.md", "x.en-b.md", ""},
		{".en.md", ".en.md", ""}, // no name before the language
		{"en.md", "en.md", ""},
		{"map.en.png", "map.en.png", ""}, // an attachment
		{"index.en.md.bak", "index.en.md.bak", ""},
	} {
		base, lang := SplitLang(tc.name)
		if base != tc.base || lang != tc.lang {
			t.Errorf("SplitLang(%q) = %q, %q; want %q, %q", tc.name, base, lang, tc.base, tc.lang)
		}
	}
}

func TestClassifyTranslations(t *testing.T) {
	for _, tc := range []struct {
		path       string
		kind       Kind
		slug, lang string
	}{
		{"content/dossiers/pact/index.en.md", DossierIndex, "pact", "en"},
		{"content/dossiers/pact/quotes.en.md", DossierQuotes, "pact", "en"},
		{"content/actors/putin.en.md", ActorFile, "putin", "en"},
		{"content/treaties/t.fr.md", TreatyFile, "t", "fr"},
		{"content/dossiers/pact/carte.en.pdf", Attachment, "pact", ""},
	} {
		f, ok := classify(tc.path, nil)
		if !ok || f.Kind != tc.kind || f.Slug != tc.slug || f.Lang != tc.lang {
			t.Errorf("classify(%q) = %+v, %v", tc.path, f, ok)
		}
	}
}

// FuzzSplitLang: a split name is the base with ".<lang>" before ".md",
// the language a code; any other name comes back whole.
func FuzzSplitLang(f *testing.F) {
	for _, s := range []string{"index.en.md", "a.pt-br.md", "x.md", ".en.md", "a.b.c.md", "é.fr.md"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		base, lang := SplitLang(name)
		if lang == "" {
			if base != name {
				t.Fatalf("SplitLang(%q) = %q without a language", name, base)
			}
			return
		}
		if !langCode(lang) || strings.TrimSuffix(base, ".md")+"."+lang+".md" != name || base == ".md" {
			t.Fatalf("SplitLang(%q) = %q, %q", name, base, lang)
		}
	})
}
