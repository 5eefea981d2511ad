package generator_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
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
	"generator/diag":       {},
	"generator/model":      {"generator/diag", "generator/markdown"},
	"generator/config":     {"generator/diag", "generator/safefile", "generator/urls"},
	"generator/markdown":   {},
	"generator/graph":      {},
	"generator/search":     {"generator/markdown", "generator/model", "generator/urls"},
	"generator/importer":   {"generator/markdown"},
	"generator/safefile":   {},
	"generator/urls":       {},
	"generator/i18n":       {"generator/model"},
	"generator/view":       {"generator/config", "generator/i18n", "generator/model", "generator/urls"},
	"generator/jsonld":     {"generator/model", "generator/urls", "generator/view"},
	"generator/hosting":    {"generator/config", "generator/diag", "generator/markdown", "generator/model", "generator/urls", "generator/view"},
	"generator/maps":       {"generator/graph", "generator/i18n", "generator/model", "generator/reads", "generator/urls", "generator/view"},
	"generator/reads":      {},
	"generator/buildcache": {},
	"generator/pagecache":  {"generator/model", "generator/reads", "generator/resolve", "generator/view"},
	"generator/load":       {"generator/diag", "generator/safefile"},
	"generator/parse":      {"generator/diag", "generator/load", "generator/markdown", "generator/model", "generator/urls"},
	"generator/resolve":    {"generator/diag", "generator/markdown", "generator/model", "generator/urls", "generator/i18n"},
	"generator/theme":      {"generator/diag", "generator/load", "generator/safefile"},
	"generator/render":     {"generator/config", "generator/diag", "generator/markdown", "generator/model", "generator/theme", "generator/graph", "generator/search", "generator/resolve", "generator/urls", "generator/view", "generator/i18n", "generator/jsonld", "generator/hosting", "generator/maps", "generator/pagecache", "generator/reads"},
	"generator/output":     {"generator/safefile"},
	"generator/media":      {"generator/cards", "generator/diag", "generator/i18n", "generator/images", "generator/markdown", "generator/model", "generator/safefile", "generator/urls"},
	"generator": {"generator/config", "generator/diag", "generator/load", "generator/markdown", "generator/model",
		"generator/output", "generator/parse", "generator/render", "generator/resolve", "generator/theme", "generator/importer", "generator/linkcheck", "generator/safefile", "generator/urls", "generator/watch", "generator/search", "generator/pagecache", "generator/deploy", "generator/hosting", "generator/buildcache", "generator/images", "generator/media"},
	"generator/linkcheck": {},
	"generator/deploy":    {},
	"generator/watch":     {"generator/load"},
	"generator/serve":     {"generator/diag", "generator/output", "generator/load", "generator/i18n"},
	"generator/images":    {},
	"generator/cards":     {},
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

// commandImports is everything of the module each command may import: the
// generator's entry points, never a stage.
var commandImports = map[string][]string{
	"cmd/dossier":    {"", "generator", "generator/diag", "generator/serve"},
	"cmd/corpus":     {"internal/corpus"},
	"cmd/imagebench": {"internal/imagebench"},
}

// thirdParty says which packages may import each outside package: one
// owner each, so that replacing a library touches one package.
var thirdParty = map[string][]string{
	"github.com/yuin/goldmark":           {"generator/markdown"},
	"github.com/alecthomas/chroma":       {"generator/markdown"},
	"github.com/fsnotify/fsnotify":       {"generator/watch"},
	"github.com/tdewolff/minify":         {"generator/render"},
	"github.com/BurntSushi/toml":         {"generator/config"},
	"go.yaml.in/yaml":                    {"generator/parse", "generator/importer"},
	"golang.org/x/sys":                   {"generator/output"},
	"golang.org/x/net":                   {"generator/linkcheck"},
	"golang.org/x/text":                  {"generator/markdown", "generator/urls", "generator/i18n"},
	"golang.org/x/image":                 {"generator/images", "generator/cards"},
	"github.com/gen2brain/webp":          {"generator/images"},
	"net/http":                           {"generator/serve"},
	"gocloud.dev":                        {"generator/deploy"},
	"github.com/aws":                     {"generator/deploy"},
	"github.com/andybalholm/brotli":      {"generator/deploy"},
	"github.com/chromedp":                {}, // tests only
	"github.com/mmcdole/gofeed":          {}, // tests only
	"github.com/dossier-ssg/dossier/cmd": {},
}

// writers may create, change or remove files: the output stage, and the
// authoring commands that make new content files. (Besides them, only
// cmd/dossier's --cpuprofile, the benchmark corpus and the test store's log write;
// the build cache, its own folder .dossier-cache/build/ in the site; the image cache.)
var writers = []string{"generator/output", "generator/buildcache", "generator/images", "generator/authoring.go", "cmd/dossier/main.go", "cmd/corpus", "internal/corpus", "internal/seaweed", "cmd/imagebench", "internal/imagebench"}

// goFiles lists the non-test Go files under dir, with their package path.
func goFiles(t *testing.T, dir string) map[string]string {
	files := map[string]string{}
	err := filepath.Walk(filepath.Join("..", dir), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || strings.Contains(p, "testdata") {
			return err
		}
		rel, _ := filepath.Rel("..", filepath.Dir(p))
		files[p] = filepath.ToSlash(rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestCommandOnlyCallsTheGenerator keeps the commands thin: they parse
// flags and call the generator, never a stage.
func TestCommandOnlyCallsTheGenerator(t *testing.T) {
	for p, pkg := range goFiles(t, "cmd") {
		allowed, known := commandImports[pkg]
		if !known {
			t.Errorf("%s: command %s is not in the import rules", p, pkg)
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if path != strings.TrimSuffix(module, "/") && !strings.HasPrefix(path, module) {
				continue
			}
			dep := strings.TrimPrefix(strings.TrimPrefix(path, strings.TrimSuffix(module, "/")), "/")
			if !slices.Contains(allowed, dep) {
				t.Errorf("%s imports %s: the command must call the generator, not its stages", p, dep)
			}
		}
	}
}

// TestThirdPartyOwners holds that each outside package has one owner, and
// that only the output stage (and authoring) writes files.
func TestThirdPartyOwners(t *testing.T) {
	files := goFiles(t, "generator")
	maps.Copy(files, goFiles(t, "cmd"))
	maps.Copy(files, goFiles(t, "internal"))
	for p, pkg := range files {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for prefix, owners := range thirdParty {
				if (path == prefix || strings.HasPrefix(path, prefix+"/")) && !slices.Contains(owners, pkg) && !strings.HasPrefix(pkg, "internal/") {
					t.Errorf("%s imports %s, which only %v may import (see docs/architecture.md)", p, path, owners)
				}
			}
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, ".."+string(filepath.Separator)))
		if slices.ContainsFunc(writers, func(w string) bool { return rel == w || pkg == w }) {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "os" {
				switch sel.Sel.Name {
				case "WriteFile", "Create", "CreateTemp", "Mkdir", "MkdirAll", "MkdirTemp", "Remove", "RemoveAll", "Rename", "Symlink", "Link", "Chmod", "Truncate":
					t.Errorf("%s: os.%s: only the output stage writes files (see docs/architecture.md)", fset.Position(call.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
}

// maxFunctionLines bounds every function of the generator: past it, a
// function does several things and wants splitting into named steps.
const maxFunctionLines = 120

func TestFunctionsStayShort(t *testing.T) {
	for p := range goFiles(t, "generator") {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if n := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1; n > maxFunctionLines {
				t.Errorf("%s: %s is %d lines, over %d: split it into named steps", fset.Position(fd.Pos()), fd.Name.Name, n, maxFunctionLines)
			}
		}
	}
}
