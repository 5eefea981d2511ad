package sitecheck_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossier-ssg/dossier/internal/testimage"
)

// mediaSite copies the example site (content and settings) into a temp
// folder and gives it pictures, as a newsroom's site has: the main
// dossier a lead image with caption and credit and a figure in its body,
// two actors a portrait (shown as their avatar on every page that lists
// them), and a treaty a document image. The images are real JPEGs and
// PNGs (package testimage), processed as in any build.
func mediaSite(t *testing.T) string {
	t.Helper()
	root := filepath.Join("..", "..")
	dir := t.TempDir()
	for _, src := range []string{"content", "dossier.toml"} {
		err := filepath.Walk(filepath.Join(root, src), func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			if info.IsDir() {
				return os.MkdirAll(filepath.Join(dir, rel), 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	write := func(rel string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, rel), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit := func(rel, old, new string) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil || !strings.Contains(string(data), old) {
			t.Fatalf("%s: no %q to replace (%v)", rel, old, err)
		}
		write(rel, []byte(strings.Replace(string(data), old, new, 1)))
	}
	const dossier = "content/dossiers/russie-coree-du-nord-pacte-2024/"
	write(dossier+"sommet.jpg", testimage.JPEG(1400, 930, 1))
	write(dossier+"carte.png", testimage.PNG(900, 600, 2))
	edit(dossier+"index.md", "lang: fr\n",
		"lang: fr\nimage:\n  src: sommet.jpg\n  alt: \"Vladimir Poutine et Kim Jong-un à Pyongyang\"\n  caption: \"La signature du traité, le 19 juin 2024\"\n  credit: \"Photo d’essai\"\n")
	edit(dossier+"index.md", "\n---\n",
		"\n---\n\n![Carte de la Russie et de la Corée du Nord](carte.png \"La frontière commune, sur le fleuve Tumen | Carte d’essai\")\n")
	write("content/actors/kim-jong-un.jpg", testimage.JPEG(480, 600, 3))
	edit("content/actors/kim-jong-un.md", "kind: person\n", "kind: person\nimage: kim-jong-un.jpg\n")
	write("content/actors/vladimir-putin.png", testimage.PNG(400, 500, 4))
	edit("content/actors/vladimir-putin.md", "kind: person\n",
		"kind: person\nimage:\n  src: vladimir-putin.png\n  alt: \"Vladimir Poutine\"\n  credit: \"Photo d’essai\"\n")
	write("content/treaties/document.jpg", testimage.JPEG(800, 1100, 5))
	edit("content/treaties/russia-dprk-partnership-2024.md", "\n---\n",
		"\nimage:\n  src: document.jpg\n  alt: \"La première page du traité\"\n  caption: \"Le texte signé\"\n---\n")
	return dir
}
