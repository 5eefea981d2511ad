package generator_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/dossier-ssg/dossier/"

// allowedImports is the dependency rule of docs/architecture.md: each package
// of generator/ may import only the project packages listed for it. Stages
// never import later stages, and leaves (diag, markdown, graph, search,
// importer) import no stage at all.
var allowedImports = map[string][]string{
	"generator/diag":      {},
	"generator/model":     {"generator/diag", "generator/markdown"},
	"generator/config":    {"generator/diag", "generator/safefile"},
	"generator/markdown":  {},
	"generator/graph":     {},
	"generator/search":    {"generator/markdown", "generator/model", "generator/urls"},
	"generator/importer":  {"generator/markdown"},
	"generator/safefile":  {},
	"generator/urls":      {},
	"generator/i18n":      {"generator/model"},
	"generator/view":      {"generator/config", "generator/i18n", "generator/model"},
	"generator/jsonld":    {"generator/model", "generator/urls", "generator/view"},
	"generator/hosting":   {"generator/config", "generator/model", "generator/urls", "generator/view"},
	"generator/maps":      {"generator/graph", "generator/model", "generator/urls", "generator/view"},
	"generator/pagecache": {"generator/model", "generator/resolve", "generator/urls", "generator/view"},
	"generator/load":      {"generator/diag", "generator/safefile"},
	"generator/parse":     {"generator/diag", "generator/load", "generator/markdown", "generator/model"},
	"generator/resolve":   {"generator/diag", "generator/markdown", "generator/model", "generator/urls"},
	"generator/theme":     {"generator/diag", "generator/load", "generator/safefile"},
	"generator/render":    {"generator/config", "generator/diag", "generator/markdown", "generator/model", "generator/theme", "generator/graph", "generator/search", "generator/resolve", "generator/urls", "generator/view", "generator/i18n", "generator/jsonld", "generator/hosting", "generator/maps", "generator/pagecache"},
	"generator/output":    {"generator/safefile"},
	"generator": {"generator/config", "generator/diag", "generator/load", "generator/markdown", "generator/model",
		"generator/output", "generator/parse", "generator/render", "generator/resolve", "generator/theme", "generator/importer", "generator/linkcheck", "generator/safefile", "generator/urls", "generator/watch", "generator/search", "generator/pagecache"},
	"generator/linkcheck": {},
	"generator/watch":     {"generator/load"},
	"generator/serve":     {"generator/diag", "generator/output", "generator/load"},
}

func TestImportRules(t *testing.T) {
	root := ".."
	err := filepath.Walk(filepath.Join(root, "generator"), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || strings.Contains(p, "testdata") {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		pkg := filepath.ToSlash(rel)
		allowed, known := allowedImports[pkg]
		if !known {
			t.Errorf("%s: package %s is not in the import rules; add it to docs/architecture.md and this test", p, pkg)
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if !strings.HasPrefix(path, module) {
				continue
			}
			dep := strings.TrimPrefix(path, module)
			i := sort.SearchStrings(sorted(allowed), dep)
			if i == len(allowed) || sorted(allowed)[i] != dep {
				t.Errorf("%s imports %s, which %s may not import (see docs/architecture.md)", p, dep, pkg)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// TestCommandOnlyCallsTheGenerator keeps cmd/dossier thin: it may import
// the generator entry points but no stage internals.
func TestCommandOnlyCallsTheGenerator(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "cmd", "dossier", "*.go"))
	forbidden := []string{"generator/load", "generator/parse", "generator/resolve", "generator/render", "generator/markdown", "generator/theme", "generator/model"}
	for _, p := range files {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if path == module+bad {
					t.Errorf("%s imports %s: the command must call the generator, not its stages", p, bad)
				}
			}
		}
	}
}
