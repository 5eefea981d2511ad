package parse

import (
	"strings"
	"testing"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
)

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name, in, yaml, body, err string
		line                      int
	}{
		{name: "basic", in: "---\ntitle: x\n---\nbody\n", yaml: "title: x\n", body: "body\n"},
		{name: "trailing spaces on fences", in: "---  \ntitle: x\n---\t\nbody", yaml: "title: x\n", body: "body"},
		{name: "no body", in: "---\ntitle: x\n---", yaml: "title: x\n", body: ""},
		{name: "empty yaml", in: "---\n---\nb", yaml: "", body: "b"},
		{name: "dashes inside yaml value", in: "---\na: ---x\n---\nb", yaml: "a: ---x\n", body: "b"},
		{name: "missing", in: "title: x\n", err: "missing front matter"},
		{name: "not closed", in: "---\ntitle: x\n", err: "not closed"},
		{name: "four dashes is not a fence", in: "----\ntitle: x\n---\n", err: "missing front matter"},
		{name: "empty file", in: "", err: "missing front matter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y, line, start, err := SplitFrontMatter([]byte(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(y) != tt.yaml || tt.in[start:] != tt.body || line != 2 {
				t.Errorf("got yaml %q body %q line %d", y, tt.in[start:], line)
			}
		})
	}
}

func parser() *Parser { return &Parser{Markdown: markdown.New(markdown.Options{}), SiteLang: "fr"} }

// TestDossierFrontMatter checks every field rule and that each error names
// the exact line and column of the offending value.
func TestDossierFrontMatter(t *testing.T) {
	tests := []struct {
		name string
		fm   string
		want []string // diagnostics, "" for none
	}{
		{"valid", "title: T\ndate: 2024-06-19\nactors: [a, b]\ntags: [x]\ndraft: false\nsource: {publisher: P, url: https://x.org, published: 2024-06-19}", nil},
		{"missing title and date", "summary: s", []string{`f.md:2:1: missing required field "date"`, `f.md:2:1: missing required field "title"`}},
		{"unknown field with suggestion", "title: T\ndate: 2024-06-19\nactor: [a]", []string{`f.md:4:1: unknown field "actor" (did you mean "actors"?)`}},
		{"bad date", "title: T\ndate: 19/06/2024", []string{`f.md:3:7: date: "19/06/2024" is not a date like 2024-06-19`}},
		{"list given as scalar", "title: T\ndate: 2024-06-19\nactors: kim", []string{`f.md:4:9: actors must be a list, e.g. actors: [kim]`}},
		{"invalid slug in list", "title: T\ndate: 2024-06-19\nactors: [ok, Kim_Jong]", []string{`f.md:4:14: invalid slug "Kim_Jong": use only lower-case ASCII letters, digits and hyphens`}},
		{"title is a list", "title: [a]\ndate: 2024-06-19", []string{`f.md:2:8: title must be a text value, not a list`}},
		{"draft not bool", "title: T\ndate: 2024-06-19\ndraft: maybe", []string{`f.md:4:8: draft must be true or false`}},
		{"bad lang", "title: T\ndate: 2024-06-19\nlang: de", []string{`f.md:4:7: lang "de" is not supported (use fr or en)`}},
		{"bad source url", "title: T\ndate: 2024-06-19\nsource: {url: ftp://x}", []string{`f.md:4:15: source.url "ftp://x" must start with http:// or https://`}},
		{"unknown source field", "title: T\ndate: 2024-06-19\nsource: {publishr: x}", []string{`f.md:4:10: unknown field "source.publishr" (did you mean "publisher"?)`}},
		{"syntax error", "title: T\ndate: [2024", []string{"f.md:3: invalid front matter: did not find expected ',' or ']'"}},
		{"alias", "title: &a T\ndate: 2024-06-19\nsummary: *a", []string{"f.md:2:8: YAML aliases", "f.md:4:10: YAML aliases"}},
		{"duplicate key", "title: T\ntitle: U\ndate: 2024-06-19", []string{`f.md:3:1: field "title" is set twice (first on line 2)`}},
		{"updated and authors", "title: T\ndate: 2024-06-19\nupdated: 2024-06-20\nauthors: [A, B]", nil},
		{"updated before date", "title: T\ndate: 2024-06-19\nupdated: 2024-06-18", []string{`f.md:4:10: updated 2024-06-18 is before the dossier's date 2024-06-19`}},
		{"author and authors", "title: T\ndate: 2024-06-19\nauthor: A\nauthors: [B]", []string{`f.md:5:1: author and authors both set`}},
		{"not a mapping", "- a\n- b", []string{"f.md:2:1: front matter must be a mapping of fields (key: value)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errs diag.List
			f := load.File{Path: "f.md", Slug: "x", Kind: load.DossierIndex, Data: []byte("---\n" + tt.fm + "\n---\nBody\n")}
			d := parser().Dossier(f, &errs)
			got := errs.Sorted()
			if len(got) != len(tt.want) {
				t.Fatalf("got %d diagnostics %v, want %v", len(got), got, tt.want)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i].String(), w) {
					t.Errorf("diagnostic %d = %q, want prefix %q", i, got[i], w)
				}
			}
			if len(tt.want) == 0 && (d == nil || d.Title != "T") {
				t.Errorf("valid dossier not returned: %+v", d)
			}
			if len(tt.want) > 0 && d != nil {
				t.Errorf("invalid dossier returned")
			}
		})
	}
}

func TestActorAndTreaty(t *testing.T) {
	var errs diag.List
	p := parser()
	a := p.Actor(load.File{Path: "a.md", Slug: "a", Data: []byte("---\nname: A\nkind: persn\n---\n")}, &errs)
	tr := p.Treaty(load.File{Path: "t.md", Slug: "t", Data: []byte("---\ntitle: T\nstatus: in-forse\nkind: declaraton\n---\n")}, &errs)
	want := []string{
		`a.md:3:7: kind "persn" is not one of person, state, organisation (did you mean "person"?)`,
		`t.md:3:9: status "in-forse" is not one of in-force, superseded, expired, proposed, signed (did you mean "in-force"?)`,
		`t.md:3:1: missing required field "signed" (only a proposed treaty may have no signature date)`,
		`t.md:4:7: kind "declaraton" is not one of treaty, agreement, agreements, convention, declaration, charter, protocol, pact, memorandum, resolution (did you mean "declaration"?)`,
	}
	got := errs.Sorted()
	if a != nil || tr != nil || len(got) != 4 {
		t.Fatalf("got %v", got)
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g.String() == w
		}
		if !found {
			t.Errorf("missing %q in %v", w, got)
		}
	}
}

func TestTreatyKind(t *testing.T) {
	for _, tt := range []struct{ fm, kind, err string }{
		{"", "", ""},
		{"kind: declaration\n", "declaration", ""},
		{"kind: agreements\n", "agreements", ""},
		{"kind: declaraton\n", "", `t.md:3:7: kind "declaraton" is not one of treaty, agreement, agreements, convention, declaration, charter, protocol, pact, memorandum, resolution (did you mean "declaration"?)`},
		{"kind: \n", "", `t.md:3:`},
	} {
		var errs diag.List
		tr := parser().Treaty(load.File{Path: "t.md", Slug: "t", Data: []byte("---\ntitle: T\n" + tt.fm + "signed: 2001-08-04\nstatus: signed\n---\n")}, &errs)
		got := errs.Sorted()
		switch {
		case tt.err == "" && (len(got) != 0 || tr == nil || tr.Kind != tt.kind):
			t.Errorf("%q: %v %+v", tt.fm, got, tr)
		case tt.err != "" && (len(got) != 1 || !strings.HasPrefix(got[0].String(), tt.err) || tr != nil):
			t.Errorf("%q: got %v, want %s", tt.fm, got, tt.err)
		}
	}
}

func TestParseQuotes(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		quotes  int
		speaker string
		date    string
		text    string
		context string
		kind    string
		key     bool
		source  string
		undated bool
		errs    []string
	}{
		{name: "canonical", in: "> Bonjour\n> le monde.\n>\n> — [[vladimir-putin]], 2024-06-19, à Pyongyang\n",
			quotes: 1, speaker: "vladimir-putin", date: "2024-06-19", text: "Bonjour\nle monde.\n", context: "à Pyongyang"},
		{name: "no context, alias speaker", in: "> Texte\n> — [[Kim Jong-un]], 2024-06-19\n",
			quotes: 1, speaker: "Kim Jong-un", date: "2024-06-19", text: "Texte\n"},
		{name: "label in speaker link", in: "> T\n>\n> — [[kim-jong-un|Kim]], 2024-06-19\n", quotes: 1, speaker: "kim-jong-un", date: "2024-06-19", text: "T\n"},
		{name: "context with commas and link", in: "> T\n>\n> — [[a]], 2024-06-19, dit-il, [AFP](https://afp.com)\n",
			quotes: 1, speaker: "a", date: "2024-06-19", text: "T\n", context: "dit-il, [AFP](https://afp.com)"},
		{name: "two quotes with heading and comment", in: "# Citations\n<!-- note -->\n> A\n> — [[a]], 2024-01-01\n\n> B\n> — [[b]], 2024-01-02\n", quotes: 2, speaker: "a", date: "2024-01-01", text: "A\n"},
		{name: "multi-line comment", in: "<!--\nTODO\n-->\n> A\n> — [[a]], 2024-01-01\n", quotes: 1, speaker: "a", date: "2024-01-01", text: "A\n"},
		{name: "ascii dashes", in: "> A\n> -- [[a]], 2024-01-01\n", quotes: 1, speaker: "a", date: "2024-01-01", text: "A\n"},
		{name: "missing attribution", in: "> Just text\n", errs: []string{"q.md:1:3: quote has no attribution"}},
		{name: "missing date", in: "> A\n> — [[a]]\n", errs: []string{"q.md:2:12: attribution needs a date"}},
		{name: "bad date", in: "> A\n> — [[a]], 19 juin\n", errs: []string{`q.md:2:14: "19 juin" is not a date like 2024-06-19`}},
		{name: "speaker not a link", in: "> A\n> — Poutine, 2024-06-19\n", errs: []string{"q.md:2:7: attribution must name the speaker as a link"}},
		{name: "text outside", in: "Intro text\n\n> A\n> — [[a]], 2024-01-01\n", quotes: 1, speaker: "a", date: "2024-01-01", text: "A\n", errs: []string{"q.md:1:1: text outside a quote"}},
		{name: "attribution only", in: "> — [[a]], 2024-01-01\n", errs: []string{"q.md:1:3: quote has no attribution"}},
		{name: "empty file", in: ""},
		{name: "fragment in guillemets", in: "> « constant et\n> indéfectible »\n>\n> — [[a]], 2024-06-19, en remerciant Kim\n",
			quotes: 1, speaker: "a", date: "2024-06-19", text: "constant et\nindéfectible\n", context: "en remerciant Kim", kind: "fragment"},
		{name: "fragment in curly quotes", in: "> “meilleur ami”\n> — [[a]], 2024-06-19\n", quotes: 1, speaker: "a", date: "2024-06-19", text: "meilleur ami\n", kind: "fragment"},
		{name: "two quotations are no fragment", in: "> « a » et « b »\n> — [[a]], 2024-06-19\n", quotes: 1, speaker: "a", date: "2024-06-19", text: "« a » et « b »\n"},
		{name: "flags", in: "> Texte [...] coupé\n> — [[a]], 2024-06-19, à Pyongyang {key source=https://kremlin.ru/x}\n",
			quotes: 1, speaker: "a", date: "2024-06-19", text: "Texte [...] coupé\n", context: "à Pyongyang", key: true, source: "https://kremlin.ru/x"},
		{name: "flags right after the date", in: "> le traité « garantira »\n> — [[a]], 2024-06-19 {reported}\n",
			quotes: 1, speaker: "a", date: "2024-06-19", text: "le traité « garantira »\n", kind: "reported"},
		{name: "reported keeps its marks", in: "> « garantira »\n> — [[a]], 2024-06-19 {reported}\n",
			quotes: 1, speaker: "a", date: "2024-06-19", text: "« garantira »\n", kind: "reported"},
		{name: "undated", in: "> Texte\n> — [[a]], undated, propos rapportés\n", quotes: 1, speaker: "a", text: "Texte\n", context: "propos rapportés", undated: true},
		{name: "unknown flag", in: "> A\n> — [[a]], 2024-06-19 {kye}\n", errs: []string{`q.md:2:26: unknown quote flag "kye" in {…}: use key, fragment, reported or source=https://… (did you mean "key"?)`}},
		{name: "fragment and reported", in: "> A\n> — [[a]], 2024-06-19 {fragment reported}\n", errs: []string{"q.md:2:26: a quote is a fragment or reported speech, not both"}},
		{name: "bad source", in: "> A\n> — [[a]], 2024-06-19 {source=kremlin.ru}\n", errs: []string{`q.md:2:26: quote source "kremlin.ru" must start with http`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errs diag.List
			qs := ParseQuotes("q.md", []byte(tt.in), &errs)
			got := errs.Sorted()
			if len(got) != len(tt.errs) {
				t.Fatalf("diagnostics %v, want %v", got, tt.errs)
			}
			for i, w := range tt.errs {
				if !strings.HasPrefix(got[i].String(), w) {
					t.Errorf("diagnostic %q, want prefix %q", got[i], w)
				}
			}
			if len(qs) != tt.quotes {
				t.Fatalf("%d quotes, want %d", len(qs), tt.quotes)
			}
			if tt.quotes == 0 {
				return
			}
			q := qs[0]
			if q.Speaker != tt.speaker || q.Date.ISO() != tt.date || string(q.Text) != tt.text || string(q.Context) != tt.context {
				t.Errorf("got speaker %q date %q text %q context %q", q.Speaker, q.Date.ISO(), q.Text, q.Context)
			}
			if q.Kind != tt.kind || q.Key != tt.key || q.SourceURL != tt.source || q.Undated != tt.undated {
				t.Errorf("got kind %q key %v source %q undated %v", q.Kind, q.Key, q.SourceURL, q.Undated)
			}
		})
	}
}

func TestQuoteIDsAreStableAndUnique(t *testing.T) {
	var errs diag.List
	in := "> Le traité prévoit une assistance\n> — [[a]], 2024-06-19\n\n> Le traité prévoit une assistance\n> — [[a]], 2024-06-19\n"
	qs := parser().Quotes(load.File{Path: "q.md", Data: []byte(in)}, &errs)
	if len(qs) != 2 || qs[0].ID != "a-2024-06-19-le-traite-prevoit-une" || qs[1].ID != qs[0].ID+"-2" {
		t.Fatalf("ids: %q %q", qs[0].ID, qs[1].ID)
	}
}
