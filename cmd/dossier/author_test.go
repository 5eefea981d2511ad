package main

import (
	"os"
	"path/filepath"
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
