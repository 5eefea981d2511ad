package generator_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
)

// copySite copies the example site's content and settings into a temp folder.
func copySite(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for _, src := range []string{"content", "dossier.toml"} {
		err := filepath.Walk(filepath.Join("..", src), func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel("..", p)
			dst := filepath.Join(dir, rel)
			if info.IsDir() {
				return os.MkdirAll(dst, 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// edit is one change a curator might make; it returns the paths it touched.
type edit func(dir string, r *rand.Rand) []string

func rewrite(dir, rel string, fn func(string) string) []string {
	p := filepath.Join(dir, rel)
	data, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	_ = os.WriteFile(p, []byte(fn(string(data))), 0o644)
	return []string{rel}
}

var edits = map[string]edit{
	"rename actor": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, "content/actors/kim-jong-un.md", func(s string) string {
			return strings.Replace(s, "name: ", fmt.Sprintf("name: K%d ", r.IntN(100)), 1)
		})
	},
	"change actor role": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, "content/actors/russia.md", func(s string) string {
			return strings.Replace(s, "role: \"", fmt.Sprintf("role: \"R%d ", r.IntN(100)), 1)
		})
	},
	"edit dossier body": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, "content/dossiers/russie-coree-du-nord-pacte-2024/index.md", func(s string) string {
			return s + fmt.Sprintf("\nParagraphe ajouté %d, voir [[vladimir-putin]].\n", r.IntN(1000))
		})
	},
	"retitle dossier": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, "content/dossiers/russie-coree-du-nord-pacte-2024/index.md", func(s string) string {
			return strings.Replace(s, "title: \"", fmt.Sprintf("title: \"T%d ", r.IntN(100)), 1)
		})
	},
	"edit a quote": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, "content/dossiers/russie-coree-du-nord-pacte-2024/quotes.md", func(s string) string {
			return strings.Replace(s, "> ", fmt.Sprintf("> Q%d ", r.IntN(100)), 1)
		})
	},
	"add a dossier": func(dir string, r *rand.Rand) []string {
		slug := fmt.Sprintf("extra-%d", r.IntN(5))
		rel := "content/dossiers/" + slug + "/index.md"
		_ = os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755)
		body := fmt.Sprintf("---\ntitle: \"Extra %d\"\ndate: 2024-0%d-01\nactors: [kim-jong-un]\ntreaties: [russia-dprk-treaty-2000]\ntags: [sanctions]\n---\nTexte [[russia]].\n", r.IntN(9), 1+r.IntN(9))
		_ = os.WriteFile(filepath.Join(dir, rel), []byte(body), 0o644)
		return []string{rel}
	},
	"remove a dossier": func(dir string, r *rand.Rand) []string {
		slug := fmt.Sprintf("extra-%d", r.IntN(5))
		_ = os.RemoveAll(filepath.Join(dir, "content/dossiers", slug))
		return []string{"content/dossiers/" + slug + "/index.md"}
	},
	"change treaty status": func(dir string, r *rand.Rand) []string {
		statuses := []string{"in-force", "signed", "expired"}
		return rewrite(dir, "content/treaties/russia-dprk-partnership-2024.md", func(s string) string {
			for _, st := range statuses {
				s = strings.Replace(s, "status: "+st, "status: "+statuses[r.IntN(3)], 1)
			}
			return s
		})
	},
	"break and keep front matter": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, "content/actors/japan.md", func(s string) string {
			if strings.Contains(s, "kind: nope") {
				return strings.Replace(s, "kind: nope", "kind: state", 1)
			}
			return strings.Replace(s, "kind: state", "kind: nope", 1)
		})
	},
}

// TestIncrementalEqualsClean applies random edits and checks, after each,
// that an incremental rebuild gives exactly the output (or errors) of a
// clean build of the same files.
func TestIncrementalEqualsClean(t *testing.T) {
	dir := copySite(t)
	opts := generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme}
	b := generator.NewBuilder(opts)
	if _, err := b.Build(); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(edits))
	for name := range edits {
		names = append(names, name)
	}
	sort.Strings(names)
	r := rand.New(rand.NewPCG(1, 2))
	for step := 0; step < 40; step++ {
		name := names[r.IntN(len(names))]
		touched := edits[name](dir, r)
		if step%3 != 2 { // sometimes the builder is told, sometimes it must rescan
			b.Changed(touched...)
		} else {
			b.Changed(filepath.Join(dir, "dossier.toml"))
		}
		inc, incErr := b.Build()
		clean, cleanErr := generator.Build(opts)
		if fmt.Sprint(incErr) != fmt.Sprint(cleanErr) {
			t.Fatalf("step %d (%s): incremental error %v, clean error %v", step, name, incErr, cleanErr)
		}
		if cleanErr != nil {
			continue
		}
		if len(inc.Tree) != len(clean.Tree) {
			t.Fatalf("step %d (%s): %d files incrementally, %d clean", step, name, len(inc.Tree), len(clean.Tree))
		}
		for p, f := range clean.Tree {
			if !bytes.Equal(inc.Tree[p].Data, f.Data) {
				t.Fatalf("step %d (%s): %s differs from a clean build", step, name, p)
			}
		}
	}
}
