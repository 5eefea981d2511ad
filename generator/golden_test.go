package generator_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/internal/testimage"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGoldenExampleSite builds the repository's own site and compares every
// page, the feed and the sitemap with the files in testdata/golden. After an
// intended change of output, run: go test ./generator -run Golden -update
func TestGoldenExampleSite(t *testing.T) {
	res, err := generator.Build(generator.Options{SiteDir: "..", Theme: dossier.DefaultTheme})
	if err != nil {
		t.Fatalf("example site does not build:\n%v", err)
	}
	golden := filepath.Join("testdata", "golden")
	var names []string
	for name, f := range res.Tree {
		if f.Data != nil && (strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".txt")) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if *update {
		_ = os.RemoveAll(golden)
		for _, name := range names {
			p := filepath.Join(golden, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, res.Tree[name].Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	seen := map[string]bool{}
	for _, name := range names {
		seen[name] = true
		want, err := os.ReadFile(filepath.Join(golden, filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("%s: no golden file (run with -update): %v", name, err)
			continue
		}
		if got := res.Tree[name].Data; !bytes.Equal(got, want) {
			t.Errorf("%s differs from its golden file (run with -update if intended):\n%s", name, firstDiff(got, want))
		}
	}
	_ = filepath.Walk(golden, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(golden, p)
			if !seen[filepath.ToSlash(rel)] {
				t.Errorf("golden file %s is no longer produced", rel)
			}
		}
		return nil
	})
}

// firstDiff shows the first differing line of two outputs.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + itoa(i+1) + ":\n  got:  " + gl + "\n  want: " + wl
		}
	}
	return ""
}

func itoa(n int) string {
	var b []byte
	for n > 0 || len(b) == 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// TestBuildIsDeterministic builds the example site twice in one process;
// parallel stages must not change a byte.
func TestBuildIsDeterministic(t *testing.T) {
	a, err := generator.Build(generator.Options{SiteDir: "..", Theme: dossier.DefaultTheme})
	if err != nil {
		t.Fatal(err)
	}
	b, err := generator.Build(generator.Options{SiteDir: "..", Theme: dossier.DefaultTheme})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Tree) != len(b.Tree) {
		t.Fatalf("%d vs %d files", len(a.Tree), len(b.Tree))
	}
	for name, f := range a.Tree {
		if !bytes.Equal(f.Data, b.Tree[name].Data) || f.From != b.Tree[name].From {
			t.Errorf("%s differs between builds", name)
		}
	}
}

// TestGoldenMediaSite builds the example site with pictures (addMedia: a
// lead image with caption and credit, a figure, a portrait) and compares
// the pages that show them with testdata/golden-media. Update as above.
func TestGoldenMediaSite(t *testing.T) {
	dir := copySite(t)
	addMedia(t, dir)
	if err := os.WriteFile(filepath.Join(dir, leadImage), testimage.JPEG(1000, 667, 3), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := generator.Build(generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme, BaseURL: "https://example.org/dossiers/"})
	if err != nil {
		t.Fatalf("the site with pictures does not build:\n%v", err)
	}
	golden := filepath.Join("testdata", "golden-media")
	pages := []string{"index.html", "dossiers/russie-coree-du-nord-pacte-2024/index.html", "acteurs/kim-jong-un/index.html",
		"acteurs/index.html", "citations/russie-coree-du-nord-pacte-2024/kim-jong-un-2024-06-19-meilleur-ami/index.html"}
	for _, name := range pages {
		p := filepath.Join(golden, filepath.FromSlash(name))
		got := res.Tree[name].Data
		if got == nil {
			t.Errorf("%s: not built", name)
			continue
		}
		if *update {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s: no golden file (run with -update): %v", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from its golden file (run with -update if intended):\n%s", name, firstDiff(got, want))
		}
	}
}
