package corpus

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// With Images, every dossier has a distinct lead.jpg of 2000×1333 named in
// its front matter, and every other actor a portrait.
func TestImages(t *testing.T) {
	c := Generate(Options{Dossiers: 8, Seed: 1, Images: true})
	dir := t.TempDir()
	if _, err := c.Write(dir, ""); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, d := range c.Dossiers {
		base := filepath.Join(dir, "content", "dossiers", d.Slug)
		data, err := os.ReadFile(filepath.Join(base, "lead.jpg"))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != PictureWidth || cfg.Height != PictureHeight {
			t.Errorf("%s: %v %dx%d", d.Slug, err, cfg.Width, cfg.Height)
		}
		if seen[string(data)] {
			t.Errorf("%s: the same bytes as another lead image", d.Slug)
		}
		seen[string(data)] = true
		index, _ := os.ReadFile(filepath.Join(base, "index.md"))
		if !strings.Contains(string(index), "image: {src: lead.jpg, alt: ") {
			t.Errorf("%s: no image field", d.Slug)
		}
	}
	portraits := 0
	for _, a := range c.Actors {
		_, err := os.Stat(filepath.Join(dir, "content", "actors", a.Slug+".jpg"))
		md, _ := os.ReadFile(filepath.Join(dir, "content", "actors", a.Slug+".md"))
		if (err == nil) != strings.Contains(string(md), "image: "+a.Slug+".jpg") {
			t.Errorf("%s: portrait file and field disagree", a.Slug)
		}
		if err == nil {
			portraits++
		}
	}
	if portraits != (len(c.Actors)+1)/2 {
		t.Errorf("%d portraits for %d actors", portraits, len(c.Actors))
	}
}
