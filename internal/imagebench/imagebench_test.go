package imagebench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateAndRun: the photos, the Hugo site and a cold then warm run
// on small pictures (the benchmark itself is scripts/bench-images.sh).
func TestGenerateAndRun(t *testing.T) {
	dir := t.TempDir()
	photos, hugo, cache := filepath.Join(dir, "photos"), filepath.Join(dir, "hugo"), filepath.Join(dir, "cache")
	if err := Generate(3, 900, 600, photos, hugo); err != nil {
		t.Fatal(err)
	}
	tmpl, err := os.ReadFile(filepath.Join(hugo, "layouts/_default/single.html"))
	if err != nil || !strings.Contains(string(tmpl), "slice 480 800 1200 1600") || !strings.Contains(string(tmpl), `"%dx webp"`) {
		t.Fatalf("template %q, %v", tmpl, err)
	}
	if _, err := os.Stat(filepath.Join(hugo, "content/p0002/photo.jpg")); err != nil {
		t.Fatal(err)
	}
	cold, err := Run(photos, cache, filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	// 900 px wide: 480, 800 and 900, as JPEG and WebP.
	if cold.Images != 3 || cold.Files != 18 || cold.Decoded != 3 || cold.Hits != 0 {
		t.Errorf("cold: %+v", cold)
	}
	warm, err := Run(photos, cache, "")
	if err != nil || warm.Decoded != 0 || warm.Hits != 3 || warm.Bytes != cold.Bytes {
		t.Errorf("warm: %+v, %v", warm, err)
	}
	if files, _ := os.ReadDir(filepath.Join(dir, "out")); len(files) != 18 {
		t.Errorf("%d files written", len(files))
	}
}
