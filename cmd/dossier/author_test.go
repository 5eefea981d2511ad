package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	dir := writeSite(t, goodSite)
	for _, args := range [][]string{
		{"new", "actor", "moon-jae-in", "--source", dir},
		{"new", "--source", dir, "treaty", "new-pact"},
		{"new", "dossier", "new-dossier", "--source", dir},
	} {
		if code, out, errOut := runCLI(args...); code != 0 || !strings.Contains(out, "created content/") {
			t.Fatalf("%v: exit %d %s %s", args, code, out, errOut)
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, "content/actors/moon-jae-in.md"))
	if !strings.Contains(string(data), `name: "Moon Jae In"`) || !strings.Contains(string(data), "kind: person") {
		t.Errorf("actor archetype not filled:\n%s", data)
	}
	if _, err := os.Stat(filepath.Join(dir, "content/dossiers/new-dossier/quotes.md")); err != nil {
		t.Error("new dossier has no quotes.md")
	}
	// New files are drafts with placeholders; the site must still build
	// except for what the curator has to fill in.
	if code, _, errOut := runCLI("new", "actor", "moon-jae-in", "--source", dir); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("overwrite not refused: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI("new", "actor", "Moon_Jae", "--source", dir); code != 1 || !strings.Contains(errOut, "invalid slug") {
		t.Errorf("bad slug not refused: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI("new", "planet", "mars", "--source", dir); code != 1 || !strings.Contains(errOut, "unknown kind") {
		t.Errorf("bad kind not refused: %d %s", code, errOut)
	}
	if code, _, _ := runCLI("new", "actor"); code != 2 {
		t.Errorf("missing slug: exit %d, want 2", code)
	}
}

func TestNewUsesSiteArchetype(t *testing.T) {
	files := map[string]string{"archetypes/actor.md": "---\nname: \"{{ .Title }}\"\nkind: state\n---\nCustom.\n"}
	for k, v := range goodSite {
		files[k] = v
	}
	dir := writeSite(t, files)
	if code, _, e := runCLI("new", "actor", "mars", "--source", dir); code != 0 {
		t.Fatal(e)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "content/actors/mars.md"))
	if !strings.Contains(string(data), "kind: state") {
		t.Errorf("site archetype ignored:\n%s", data)
	}
	if code, _, e := runCLI("build", "--source", dir); code != 0 {
		t.Errorf("site with a new actor does not build: %s", e)
	}
}

func TestImportSeedArticle(t *testing.T) {
	seed := filepath.Join("..", "..", "generator", "importer", "testdata", "seed.txt")
	if _, err := os.Stat(seed); err != nil {
		t.Skip("seed copy missing")
	}
	siteFiles := map[string]string{"dossier.toml": "title = \"T\"\n"}
	for _, name := range []string{"vladimir-putin", "kim-jong-un", "yuri-ushakov"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "content", "actors", name+".md"))
		if err != nil {
			t.Fatal(err)
		}
		siteFiles["content/actors/"+name+".md"] = string(data)
	}
	dir := writeSite(t, siteFiles)
	code, out, errOut := runCLI("import", seed, "--slug", "pacte", "--date", "2024-06-19", "--source", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"vladimir-putin", "kim-jong-un", "yuri-ushakov", "removed:"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	quotes, _ := os.ReadFile(filepath.Join(dir, "content/dossiers/pacte/quotes.md"))
	for _, want := range []string{"[[vladimir-putin]]", "[[kim-jong-un]]", "[[yuri-ushakov]]"} {
		if !strings.Contains(string(quotes), want) {
			t.Errorf("quotes.md lacks %s", want)
		}
	}
	index, _ := os.ReadFile(filepath.Join(dir, "content/dossiers/pacte/index.md"))
	for _, debris := range []string{"PREV", "NEXT", "Photo:AFP"} {
		if strings.Contains(string(index), debris) {
			t.Errorf("draft keeps debris %q", debris)
		}
	}
	if code, _, errOut := runCLI("import", seed, "--slug", "pacte", "--source", dir); code != 1 || !strings.Contains(errOut, "never overwrites") {
		t.Errorf("second import not refused: %d %s", code, errOut)
	}
}

// TestImportSeedIntoExampleSite imports the seed article into a copy of
// the repository's own site, without --date: its quote "Kim" said is
// given to an actor of the site (kim-jong-un, the Kim the article names),
// never to an unknown [[kim]], and the site still builds, the draft's
// undated quotes being warnings; check --drafts reports them as errors.
func TestImportSeedIntoExampleSite(t *testing.T) {
	seed := filepath.Join("..", "..", "generator", "importer", "testdata", "seed.txt")
	files := map[string]string{}
	for _, root := range []string{"dossier.toml", "content"} {
		err := filepath.WalkDir(filepath.Join("..", "..", root), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
			files[filepath.ToSlash(rel)] = string(data)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	dir := writeSite(t, files)
	if code, _, errOut := runCLI("import", seed, "--slug", "seed", "--source", dir); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	quotes, err := os.ReadFile(filepath.Join(dir, "content/dossiers/seed/quotes.md"))
	if err != nil {
		t.Fatal(err)
	}
	speakers := regexp.MustCompile(`(?m)^> — \[\[([^\]|]+)\]\]`).FindAllStringSubmatch(string(quotes), -1)
	if len(speakers) < 5 {
		t.Fatalf("%d quotes:\n%s", len(speakers), quotes)
	}
	for _, m := range speakers {
		if _, err := os.Stat(filepath.Join(dir, "content/actors", m[1]+".md")); err != nil {
			t.Errorf("speaker [[%s]] is no actor of the site", m[1])
		}
	}
	if !strings.Contains(string(quotes), "« Kim » → kim-jong-un (nom ambigu, aussi : kim-il-sung, kim-jong-il)") {
		t.Errorf("no TODO naming the other Kims:\n%s", quotes)
	}
	code, out, errOut := runCLI("build", "--source", dir)
	if code != 0 {
		t.Fatalf("the site does not build with an undated draft: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(out+errOut, `content/dossiers/seed/quotes.md:5:`) || !strings.Contains(out+errOut, "(in a draft, which is not built)") {
		t.Errorf("the draft's problems are not warnings:\n%s%s", out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "public/dossiers/seed")); err == nil {
		t.Error("the draft was built")
	}
	code, _, errOut = runCLI("check", "--drafts", "--source", dir)
	if code == 0 || !strings.Contains(errOut, `quotes.md:5:`) || strings.Contains(errOut, "in a draft") {
		t.Errorf("check --drafts: exit %d\n%s", code, errOut)
	}
	for _, line := range strings.Split(strings.TrimSpace(errOut), "\n") {
		if strings.HasPrefix(line, "content/") && !strings.Contains(line, "0000-00-00") {
			t.Errorf("check --drafts: a problem besides the missing dates: %s", line)
		}
	}
}
