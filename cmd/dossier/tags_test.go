package main

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Tags are written as people write them: the URL is made from the text,
// the page shows the text, two spellings of one tag are one tag with a
// warning naming both places, and [tags] names still win.
func TestTagsAsWritten(t *testing.T) {
	files := maps.Clone(goodSite)
	files["content/dossiers/pact/index.md"] = strings.Replace(files["content/dossiers/pact/index.md"], "tags: [alliances]", "tags: [Corée du Nord, sécurité, alliances]", 1)
	files["content/dossiers/other/index.md"] = "---\ntitle: Other\ndate: 2024-07-01\ntags: [Sécurité]\n---\nText.\n"
	files["dossier.toml"] = "baseURL = \"https://example.org/\"\n[tags]\nalliances = \"Alliances\"\n"
	dir := writeSite(t, files)
	code, _, errOut := runCLI("build", "--source", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, `content/dossiers/pact/index.md:`) || !strings.Contains(errOut, `tag "sécurité" is also written "Sécurité" (content/dossiers/other/index.md:4:8): both are the tag /themes/securite/`) {
		t.Errorf("no warning about two spellings:\n%s", errOut)
	}
	out := snapshot(t, filepath.Join(dir, "public"))
	for page, want := range map[string]string{
		"themes/coree-du-nord/index.html": "Corée du Nord",
		"themes/securite/index.html":      "Sécurité", // the first file's spelling
		"themes/alliances/index.html":     "Alliances",
	} {
		if !strings.Contains(out[page], `<h1 class="page-title">`+want) {
			t.Errorf("%s: no heading %q", page, want)
		}
	}
	if strings.Count(out["themes/securite/index.html"], `class="card__title"`) != 2 {
		t.Error("the two spellings are not one tag")
	}
	if err := os.WriteFile(filepath.Join(dir, "dossier.toml"), []byte("baseURL = \"https://example.org/\"\n[slugify]\ntags = \"safe\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI("build", "--source", dir); code != 0 {
		t.Fatalf("safe slugs: %s", errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "tags", "corée-du-nord", "index.html")); err != nil {
		t.Errorf("slugify.tags = safe keeps accents: %v", err)
	}
	files["content/dossiers/other/index.md"] = "---\ntitle: Other\ndate: 2024-07-01\ntags: [\"!!!\"]\n---\nText.\n"
	bad := writeSite(t, files)
	if code, _, errOut := runCLI("build", "--source", bad); code != 1 || !strings.Contains(errOut, `content/dossiers/other/index.md:4:8: tag "!!!" has no letter or digit`) {
		t.Errorf("a tag without letters: %d %s", code, errOut)
	}
}
