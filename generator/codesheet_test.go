package generator_test

import (
	"regexp"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
)

// TestCodeStylesheetOnlyWhereCode: the code stylesheet is linked from the
// pages that show highlighted code (a dossier's body, an actor's bio, a
// quote's text, on its own page and in the lists that show it) and from
// no other page: it was 140 bytes of every page.
func TestCodeStylesheetOnlyWhereCode(t *testing.T) {
	files := map[string]string{
		"dossier.toml":                     "title = \"Dossiers\"\nbaseURL = \"https://example.org/\"\nlanguage = \"fr\"\n",
		"content/dossiers/code/index.md":   "---\ntitle: Du code\ndate: 2024-06-19\nactors: [kim]\n---\nUn bloc :\n\n```go\nfunc main() {}\n```\n",
		"content/dossiers/texte/index.md":  "---\ntitle: Du texte\ndate: 2024-06-20\nactors: [kim]\n---\nRien que du texte.\n",
		"content/dossiers/code/quotes.md":  "> Sans code.\n>\n> — [[kim]], 2024-06-19\n",
		"content/dossiers/texte/quotes.md": "> Un bloc :\n>\n> ```go\n> x := 1\n> ```\n>\n> — [[kim]], 2024-06-20\n",
		"content/actors/kim.md":            "---\nname: Kim Jong-un\nkind: person\n---\nDirigeant.\n",
		"content/actors/lee.md":            "---\nname: Lee\nkind: person\n---\nUn exemple :\n\n```sh\nls\n```\n",
		"content/actors/park.md":           "---\nname: Park\nkind: person\n---\nSans code.\n",
	}
	res, err := generator.Build(generator.Options{SiteDir: writeFiles(t, files), Theme: dossier.DefaultTheme})
	if err != nil {
		t.Fatal(err)
	}
	sheet := regexp.MustCompile(`<link rel="stylesheet" href="/css/code\.[0-9a-f]+\.css" integrity="sha384-`)
	want := map[string]bool{
		"dossiers/code/index.html":  true,  // the body
		"acteurs/lee/index.html":    true,  // the bio
		"dossiers/texte/index.html": true,  // its key quote
		"acteurs/kim/index.html":    true,  // the quote among the actor's
		"citations/index.html":      true,  // the quotes index
		"acteurs/park/index.html":   false, // neither
		"index.html":                false,
		"chronologie/index.html":    true, // the quote on the timeline
		"404.html":                  false,
		"citations/code/index.html": false, // the quotes of the dossier with code, not its body
	}
	quotes := 0
	quote := regexp.MustCompile(`^citations/(code|texte)/[^/]+/index\.html$`)
	for p := range res.Tree {
		if m := quote.FindStringSubmatch(p); m != nil {
			want[p] = m[1] == "texte" // the quote's own page: its text has code, the other's has not
			quotes++
		}
	}
	if quotes != 2 {
		t.Fatalf("%d quote pages, want 2", quotes)
	}
	for p, code := range want {
		f, ok := res.Tree[p]
		if !ok {
			t.Errorf("no %s", p)
			continue
		}
		if got := sheet.Match(f.Data); got != code {
			t.Errorf("%s links the code stylesheet: %v, want %v", p, got, code)
		}
	}
}
