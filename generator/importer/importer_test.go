package importer

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/parse"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test -update and review the diff):\n%s", path, got)
	}
}

func TestImportSeed(t *testing.T) {
	raw, err := os.ReadFile("testdata/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Import(raw, Options{Slug: "coree-russie", Date: "2024-06-19", Actors: testActors})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "seed.index.md.golden", d.IndexMD)
	golden(t, "seed.quotes.md.golden", d.QuotesMD)
	checkValid(t, d)

	// The key quotations, with their speakers.
	for _, want := range []struct{ speaker, start string }{
		{"vladimir-putin", "Le traité de partenariat mondial signé aujourd’hui"},
		{"kim-jong-un", "La Corée du Nord exprime son plein soutien"},
		{"yuri-ushakov", "cela n’aura aucun caractère conflictuel"},
		{"kim-jong-un", "garantira de manière fiable l’alliance"},
		{"vladimir-putin", "Nos pays défendent constamment"},
	} {
		i := slices.IndexFunc(d.Quotes, func(q Quote) bool { return strings.HasPrefix(q.Text, want.start) })
		switch {
		case i < 0:
			t.Errorf("no quote %q", want.start)
		case d.Quotes[i].Speaker != want.speaker:
			t.Errorf("quote %q: speaker %q, want %q", want.start, d.Quotes[i].Speaker, want.speaker)
		}
	}
	// Scare quotes and quoted terms are not key quotes.
	for _, q := range d.Quotes {
		if q.Speaker == "" {
			t.Errorf("quote without a speaker: %q", q.Text)
		}
		for _, scare := range []string{"défensive", "meilleur ami", "n’exclut pas", "Accord de partenariat", "nouvelle ère"} {
			if strings.HasPrefix(q.Text, scare) {
				t.Errorf("scare quote kept: %q", q.Text)
			}
		}
	}
	// No debris.
	index := string(d.IndexMD)
	for _, debris := range []string{"PREV", "NEXT", "Photo:AFP", "Djokovic", "cCorée", "Selon les critères de", "heures. à", "\n-\n"} {
		if strings.Contains(index, debris) {
			t.Errorf("index.md still holds %q", debris)
		}
	}
	title := "Ils promettent de se défendre en cas d’agression"
	if n := strings.Count(index, title); n != 1 {
		t.Errorf("the headline appears %d times, want once (in the front matter)", n)
	}
	for _, kind := range []string{"duplicate:", "punctuation:", "navigation:", "credit:", "glued:", "fragment:", "mended:"} {
		if !slices.ContainsFunc(d.Removed, func(r string) bool { return strings.HasPrefix(r, kind) }) {
			t.Errorf("Removed reports no %q", kind)
		}
	}
	if n := strings.Count(index, CaptionMarker); n != 4 {
		t.Errorf("%d captions marked, want 4", n)
	}
	if len(d.ProposedActors) != 0 {
		t.Errorf("ProposedActors = %q, want none", d.ProposedActors)
	}
}

// checkValid parses a draft with the site's own parsers: the front matter
// is YAML, and quotes.md is in the quotes format.
func checkValid(t *testing.T, d Draft) {
	t.Helper()
	fm, _, _, err := parse.SplitFrontMatter(d.IndexMD)
	if err != nil {
		t.Fatalf("index.md: %v", err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(fm, &m); err != nil {
		t.Fatalf("index.md front matter: %v\n%s", err, fm)
	}
	var errs diag.List
	quotes := parse.ParseQuotes("quotes.md", d.QuotesMD, &errs)
	dateErrs := 0
	for _, e := range errs.Sorted() {
		if strings.Contains(e.Message, noDate) { // the TODO date is meant to fail
			dateErrs++
		} else {
			t.Errorf("quotes.md: %v", e)
		}
	}
	if len(quotes)+dateErrs != len(d.Quotes) {
		t.Errorf("quotes.md holds %d quotes (and %d undated), Draft.Quotes %d", len(quotes), dateErrs, len(d.Quotes))
	}
}

func TestImport(t *testing.T) {
	raw := "Poutine \"répond\" \\ Kim\n\n" +
		"« Nous ne reculerons devant aucune menace », a déclaré Jean Dupont.\n\n" +
		"« Le traité est purement défensif, il ne vise personne », a affirmé Kim Jong Un.\n\n" +
		"« Nous avons été surpris par la rapidité de la signature », a confié un diplomate."
	d, err := Import([]byte(raw), Options{Slug: "x", Actors: testActors})
	if err != nil {
		t.Fatal(err)
	}
	checkValid(t, d)
	index, quotes := string(d.IndexMD), string(d.QuotesMD)
	for _, want := range []string{
		`title: "Poutine \"répond\" \\ Kim"`,
		"date: 0000-00-00 # TODO",
		"lang: fr\n",
		"actors: [kim-jong-un, vladimir-putin]\n",
		"draft: true\n",
	} {
		if !strings.Contains(index, want) {
			t.Errorf("index.md lacks %q:\n%s", want, index)
		}
	}
	for _, want := range []string{
		"<!-- TODO: date inconnue",
		"<!-- TODO: locuteur inconnu « Jean Dupont » : créer l'acteur ou corriger -->\n> Nous ne reculerons devant aucune menace\n>\n> — [[jean-dupont]], 0000-00-00, TODO: contexte\n",
		"> — [[kim-jong-un]], 0000-00-00, TODO: contexte\n",
		"<!-- TODO: locuteur à identifier (« un diplomate ») -->\n",
		"> — [[todo]], 0000-00-00, TODO: contexte\n",
	} {
		if !strings.Contains(quotes, want) {
			t.Errorf("quotes.md lacks %q:\n%s", want, quotes)
		}
	}
	if !slices.Equal(d.ProposedActors, []string{"Jean Dupont"}) {
		t.Errorf("ProposedActors = %q", d.ProposedActors)
	}
}

func TestImportEnglish(t *testing.T) {
	raw := "Putin and Kim sign defence pact\n\n" +
		"The Russian President Vladimir Putin arrived in Pyongyang on Wednesday.\n\n" +
		"\"The treaty provides for mutual assistance in case of aggression,\" the Russian President said."
	d, err := Import([]byte(raw), Options{Slug: "x", Date: "2024-06-19", Actors: testActors})
	if err != nil {
		t.Fatal(err)
	}
	checkValid(t, d)
	if !strings.Contains(string(d.IndexMD), "lang: en\n") {
		t.Errorf("language not detected:\n%s", d.IndexMD)
	}
	if len(d.Quotes) != 1 || d.Quotes[0].Speaker != "vladimir-putin" {
		t.Fatalf("quotes = %#v", d.Quotes)
	}
	if !strings.Contains(string(d.QuotesMD), "> — [[vladimir-putin]], 2024-06-19, TODO: contexte\n") {
		t.Errorf("quotes.md:\n%s", d.QuotesMD)
	}
}

func TestImportNoTitle(t *testing.T) {
	d, err := Import([]byte("Ceci est une phrase complète qui commence l’article."), Options{Lang: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(d.IndexMD), "title: \"TODO\" # TODO") ||
		!strings.Contains(string(d.IndexMD), "\nCeci est une phrase complète") {
		t.Errorf("index.md:\n%s", d.IndexMD)
	}
	if !strings.Contains(string(d.QuotesMD), "aucune citation") {
		t.Errorf("quotes.md:\n%s", d.QuotesMD)
	}
}

func TestImportMarkdownEscapes(t *testing.T) {
	d, err := Import([]byte("Titre\n\n# pas un titre\n\n1. pas une liste\n\n- pas une liste\n\nun [[lien]] qui n’en est pas un."), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\n\\# pas un titre\n", "\n1\\. pas une liste\n", "\n\\- pas une liste\n", `un \[\[lien]] qui`} {
		if !strings.Contains(string(d.IndexMD), want) {
			t.Errorf("index.md lacks %q:\n%s", want, d.IndexMD)
		}
	}
}

func TestImportErrors(t *testing.T) {
	for _, tt := range []struct {
		raw  string
		opts Options
		want string
	}{
		{"Titre\n\nTexte.", Options{Slug: "x", Lang: "de"}, `language "de"`},
		{"Titre\n\nTexte.", Options{Slug: "x", Date: "19/06/2024"}, `"19/06/2024" is not a date`},
		{"-\n\nPhoto: AFP\n\nPREV x\n", Options{Slug: "x"}, "no text left"},
		{"", Options{Slug: "x"}, "no text left"},
	} {
		_, err := Import([]byte(tt.raw), tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Import(%q, %+v) = %v, want an error with %q", tt.raw, tt.opts, err, tt.want)
		}
	}
}

func TestYAMLQuote(t *testing.T) {
	for _, s := range []string{"", `a "b" \c`, "tab\tnew\nline", "ctrl\x01\x7f\u0085\u2028", "« Corée » d’été"} {
		var m map[string]string
		if err := yaml.Unmarshal([]byte("v: "+yamlQuote(s)), &m); err != nil {
			t.Errorf("yamlQuote(%q) = %s: %v", s, yamlQuote(s), err)
			continue
		}
		if m["v"] != s {
			t.Errorf("yamlQuote(%q) = %s reads back as %q", s, yamlQuote(s), m["v"])
		}
	}
}
