package generator_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/parse"
)

// seedOf names the article each example dossier was written from
// (testdata/seeds/<dossier>.txt, the dispatch as received).
func seedOf(dossier string) string {
	return filepath.Join("..", "testdata", "seeds", dossier+".txt")
}

// cutMarks are where a curator left words out of a quote.
var cutMarks = regexp.MustCompile(`\[(…|\.\.\.)\]`)

// quoteForm reduces a text to what a quotation must keep: its words and
// their order. Quotation marks of any style become one ", with the spaces
// French puts inside them; apostrophes one '; Markdown emphasis goes;
// whitespace (no-break spaces included) is one space; trailing sentence
// punctuation goes (a quote ends a sentence where the article goes on:
// « …des deux pays », a déclaré…).
func quoteForm(s string) string {
	s = strings.NewReplacer("“", `"`, "”", `"`, "«", `"`, "»", `"`, "„", `"`,
		"’", "'", "‘", "'", "*", "", "_", "", "\u00a0", " ", "\u202f", " ").Replace(s)
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(strings.ReplaceAll(s, `" `, `"`), ` "`, `"`)
	return strings.TrimRight(s, ".,;: ")
}

// verbatim says whether a quote's text is in one paragraph of the article
// as it stands, its marked cuts aside: each piece between two […] is in
// the paragraph, in order. With spoken (a full quote or a fragment: the
// speaker's own words), each piece must also sit inside quotation marks
// there and hold none: the journalist's words around a few quoted ones
// are reported speech, not a quote.
func verbatim(article []string, text string, spoken bool) (missing string, ok bool) {
	pieces := cutMarks.Split(text, -1)
	for _, para := range article {
		at, found := 0, true
		for _, piece := range pieces {
			p := quoteForm(piece)
			if p == "" {
				continue
			}
			i := strings.Index(para[at:], p)
			if i < 0 || (spoken && (strings.Contains(p, `"`) || strings.Count(para[:at+i], `"`)%2 == 0)) {
				found, missing = false, p
				break
			}
			at += i + len(p)
		}
		if found {
			return "", true
		}
	}
	return missing, false
}

// paragraphs splits an article into its paragraphs, each in quoteForm.
func paragraphs(article string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(article, "\r\n", "\n"), "\n\n") {
		if p = quoteForm(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// TestExampleQuotesAreTheArticles holds every quote of content/ to the
// article its dossier was written from: the speaker's words as the
// article gives them, with any cut marked […]. Fragments and reported
// speech are held to it too (the words the article prints).
func TestExampleQuotesAreTheArticles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "content", "dossiers", "*", "quotes.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no quotes.md in the example site (%v)", err)
	}
	checked := 0
	for _, f := range files {
		dossier := filepath.Base(filepath.Dir(f))
		seed, err := os.ReadFile(seedOf(dossier))
		if err != nil {
			t.Errorf("%s: no seed article to check its quotes against: %v", f, err)
			continue
		}
		article := paragraphs(string(seed))
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var errs diag.List
		for _, q := range parse.ParseQuotes(f, data, &errs) {
			checked++
			if missing, ok := verbatim(article, string(q.Text), q.Kind != model.QuoteReported); !ok {
				t.Errorf("%s:%d: %s quote not in the article as written (a full quote or fragment must be the words inside its quotation marks): %q", f, q.TextLine, kindName(q.Kind), missing)
			}
		}
		if errs.Len() > 0 {
			t.Errorf("%s: %v", f, errs.Err())
		}
	}
	if checked == 0 {
		t.Fatal("no quote checked")
	}
}

func kindName(k string) string {
	if k == model.QuoteFull {
		return "full"
	}
	return k
}

// TestVerbatimCheckCatches shows the check above fails where it must: the
// quote of Poutine the example once had, with "(mercredi 19 juin)" left out
// without a mark, and a paraphrase given as the speaker's words.
func TestVerbatimCheckCatches(t *testing.T) {
	seed, err := os.ReadFile(seedOf("russie-coree-du-nord-pacte-2024"))
	if err != nil {
		t.Fatal(err)
	}
	article := paragraphs(string(seed))
	for _, tt := range []struct {
		text           string
		spoken, wantOK bool
	}{
		{"Le traité de partenariat mondial signé aujourd’hui prévoit, entre autres,\nune assistance mutuelle", true, false},
		{"Le traité de partenariat mondial signé aujourd’hui […] prévoit, entre autres,\nune assistance mutuelle", true, true},
		{"Le traité de partenariat mondial signé aujourd’hui (mercredi 19 juin) prévoit", true, true},
		{"le soutien « constant et indéfectible » de la Corée du Nord", true, false}, // paraphrase given as a quote
		{"le soutien « constant et indéfectible » de la Corée du Nord", false, true}, // the same, as reported speech
		{"constant et indéfectible", true, true},
		{"Poutine, pour sa part, a remercié Kim", true, false},                // the journalist's words
		{"une assistance mutuelle […] Le traité de partenariat", true, false}, // pieces out of order
	} {
		if _, ok := verbatim(article, tt.text, tt.spoken); ok != tt.wantOK {
			t.Errorf("verbatim(%q, spoken %v) = %v, want %v", tt.text, tt.spoken, ok, tt.wantOK)
		}
	}
}
