package importer

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// The seed corpora are in testdata/fuzz/FuzzImport and
// testdata/fuzz/FuzzFindQuotes.

func FuzzImport(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw []byte, lang string) {
		opts := Options{Slug: "fuzz", Lang: lang, Actors: testActors}
		d, err := Import(raw, opts)
		d2, err2 := Import(raw, opts)
		if (err == nil) != (err2 == nil) || !reflect.DeepEqual(d, d2) {
			t.Fatal("Import is not deterministic")
		}
		if err != nil {
			return
		}
		for _, b := range [][]byte{d.IndexMD, d.QuotesMD} {
			if !utf8.Valid(b) {
				t.Fatalf("invalid UTF-8: %q", b)
			}
		}
		if !strings.HasPrefix(string(d.IndexMD), "---\n") || !strings.Contains(string(d.IndexMD), "\ndraft: true\n---\n") {
			t.Fatalf("bad front matter:\n%s", d.IndexMD)
		}
		for _, s := range append(append(d.Removed, d.ProposedActors...), quoteStrings(d.Quotes)...) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8: %q", s)
			}
		}
	})
}

func FuzzFindQuotes(f *testing.F) {
	f.Fuzz(func(t *testing.T, text, lang string) {
		ps := strings.Split(text, "\n\n")
		qs := FindQuotes(ps, lang, testActors)
		if !reflect.DeepEqual(qs, FindQuotes(ps, lang, testActors)) {
			t.Fatal("FindQuotes is not deterministic")
		}
		for _, q := range qs {
			if q.Paragraph < 0 || q.Paragraph >= len(ps) {
				t.Fatalf("paragraph %d out of range", q.Paragraph)
			}
			if q.Text == "" {
				t.Fatal("empty quote")
			}
		}
		for _, s := range quoteStrings(qs) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8: %q", s)
			}
		}
	})
}

func quoteStrings(qs []Quote) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Text, q.Speaker, q.SpeakerName)
	}
	return out
}
