package generator_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/generator/output"
	"github.com/dossier-ssg/dossier/internal/corpus"
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
	// Issue 18: what a dossier page and the sitemap show of a revision,
	// the key quotes a curator picks, a quote's kind.
	"revise the dossier": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, mainDossier, func(s string) string {
			return regexp.MustCompile(`updated: \S+`).ReplaceAllString(s, fmt.Sprintf("updated: 2026-12-%02d", 7+r.IntN(20)))
		})
	},
	"toggle a key quote": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, mainQuotes, func(s string) string {
			if strings.Contains(s, "constant et indéfectible »\n>\n> — [[vladimir-putin]], 2024-06-19, en remerciant Kim Jong-un pour le soutien de la Corée du Nord {key}") {
				return strings.Replace(s, "Corée du Nord {key}", "Corée du Nord", 1)
			}
			return strings.Replace(s, "en remerciant Kim Jong-un pour le soutien de la Corée du Nord", "en remerciant Kim Jong-un pour le soutien de la Corée du Nord {key}", 1)
		})
	},
	"report a fragment": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, mainQuotes, func(s string) string {
			if strings.Contains(s, "à propos de Vladimir Poutine {reported}") {
				return strings.Replace(s, "à propos de Vladimir Poutine {reported}", "à propos de Vladimir Poutine", 1)
			}
			return strings.Replace(s, "à propos de Vladimir Poutine\n", "à propos de Vladimir Poutine {reported}\n", 1)
		})
	},
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
		return rewrite(dir, mainDossier, func(s string) string {
			return s + fmt.Sprintf("\nParagraphe ajouté %d, voir [[vladimir-putin]].\n", r.IntN(1000))
		})
	},
	"retitle dossier": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, mainDossier, func(s string) string {
			return strings.Replace(s, "title: \"", fmt.Sprintf("title: \"T%d ", r.IntN(100)), 1)
		})
	},
	"edit a quote": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, mainQuotes, func(s string) string {
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
	// Only the folder changes: parse hands over the same dossier with
	// another list of attachments.
	"add or remove an attachment": func(dir string, r *rand.Rand) []string {
		rel := filepath.Join(filepath.Dir(mainDossier), "annexe.txt")
		if err := os.Remove(filepath.Join(dir, rel)); err != nil {
			_ = os.WriteFile(filepath.Join(dir, rel), []byte("annexe\n"), 0o644)
		}
		return []string{rel}
	},
	"remove a dossier": func(dir string, r *rand.Rand) []string {
		slug := fmt.Sprintf("extra-%d", r.IntN(5))
		_ = os.RemoveAll(filepath.Join(dir, "content/dossiers", slug))
		return []string{"content/dossiers/" + slug} // as a watcher reports rm -rf
	},
	"mention actors in the body": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, mainDossier, func(s string) string {
			return s + fmt.Sprintf("\nMention ajoutée de [[%s]] et de [[%s]].\n", []string{"kim-il-sung", "vietnam", "rodong-sinmun"}[r.IntN(3)], []string{"kim-jong-il", "vietnam", "russia"}[r.IntN(3)])
		})
	},
	"drop added paragraphs": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, mainDossier, dropAdded)
	},
	"link two dossiers both ways": func(dir string, r *rand.Rand) []string {
		// Both files change in one build: each is the other's backlink.
		extra := existingExtra(dir, r)
		if extra == "" {
			return nil
		}
		touched := rewrite(dir, "content/dossiers/"+extra+"/index.md", func(s string) string {
			return s + "\nVoir [[russie-coree-du-nord-pacte-2024]].\n"
		})
		return append(touched, rewrite(dir, mainDossier, func(s string) string {
			return s + fmt.Sprintf("\nParagraphe ajouté, voir [[%s]].\n", extra)
		})...)
	},
	"unlink an extra dossier": func(dir string, r *rand.Rand) []string {
		extra := existingExtra(dir, r)
		if extra == "" {
			return nil
		}
		return rewrite(dir, "content/dossiers/"+extra+"/index.md", dropAdded)
	},
	"edit summary": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, mainDossier, func(s string) string {
			return strings.Replace(s, "summary: \"", fmt.Sprintf("summary: \"S%d ", r.IntN(100)), 1)
		})
	},
	"edit a quote context": func(dir string, r *rand.Rand) []string {
		return rewrite(dir, mainQuotes, func(s string) string {
			return strings.Replace(s, "2024-06-19, ", fmt.Sprintf("2024-06-19, C%d ", r.IntN(100)), 1)
		})
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
	"rename an unreferenced actor": func(dir string, r *rand.Rand) []string {
		return renameBetween(dir, r, "content/actors/zz-%d.md", "---\nname: Zz\nkind: person\n---\nNobody cites me.\n")
	},
	"rename an unreferenced treaty": func(dir string, r *rand.Rand) []string {
		return renameBetween(dir, r, "content/treaties/zz-%d.md", "---\ntitle: Zz pact\nsigned: 2001-01-01\nparties: [russia]\nstatus: signed\n---\n")
	},
	"atomic save of a treaty": func(dir string, r *rand.Rand) []string {
		// As vim, VS Code and JetBrains save: write a temporary file, rename it over.
		rel := "content/treaties/russia-dprk-treaty-2000.md"
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			return nil
		}
		tmp := rel + ".tmp"
		text := strings.Replace(string(data), "title: ", fmt.Sprintf("title: A%d ", r.IntN(100)), 1)
		_ = os.WriteFile(filepath.Join(dir, tmp), []byte(text), 0o644)
		_ = os.Rename(filepath.Join(dir, tmp), filepath.Join(dir, rel))
		return []string{tmp, rel}
	},
	"delete and restore an actor": func(dir string, r *rand.Rand) []string {
		rel, aside := "content/actors/vietnam.md", "vietnam.md.deleted"
		if data, err := os.ReadFile(filepath.Join(dir, rel)); err == nil {
			_ = os.WriteFile(filepath.Join(dir, aside), data, 0o644)
			_ = os.Remove(filepath.Join(dir, rel))
		} else if data, err := os.ReadFile(filepath.Join(dir, aside)); err == nil {
			_ = os.WriteFile(filepath.Join(dir, rel), data, 0o644)
		}
		return []string{rel}
	},
	"rename a referenced actor and back": func(dir string, r *rand.Rand) []string {
		from, to := "content/actors/japan.md", "content/actors/japon.md"
		if _, err := os.Stat(filepath.Join(dir, from)); err != nil {
			from, to = to, from
		}
		_ = os.Rename(filepath.Join(dir, from), filepath.Join(dir, to))
		return []string{from, to}
	},
	"rename a dossier folder": func(dir string, r *rand.Rand) []string {
		extra := existingExtra(dir, r)
		if extra == "" {
			return nil
		}
		to := fmt.Sprintf("extra-%d", r.IntN(5))
		if _, err := os.Stat(filepath.Join(dir, "content/dossiers", to)); err == nil {
			return nil
		}
		_ = os.Rename(filepath.Join(dir, "content/dossiers", extra), filepath.Join(dir, "content/dossiers", to))
		return []string{"content/dossiers/" + extra, "content/dossiers/" + to}
	},
	"move a quotes file": func(dir string, r *rand.Rand) []string {
		extra := existingExtra(dir, r)
		if extra == "" {
			return nil
		}
		q := "content/dossiers/" + extra + "/quotes.md"
		aside := "content/dossiers/" + extra + "/quotes-old.txt"
		if _, err := os.Stat(filepath.Join(dir, q)); err == nil {
			_ = os.Rename(filepath.Join(dir, q), filepath.Join(dir, aside))
			return []string{q, aside}
		}
		if _, err := os.Stat(filepath.Join(dir, aside)); err != nil {
			_ = os.WriteFile(filepath.Join(dir, aside), []byte("> Extra words.\n>\n> — [[kim-jong-un]], 2024-06-19\n"), 0o644)
		}
		_ = os.Rename(filepath.Join(dir, aside), filepath.Join(dir, q))
		return []string{aside, q}
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

const (
	mainDossier = "content/dossiers/russie-coree-du-nord-pacte-2024/index.md"
	mainQuotes  = "content/dossiers/russie-coree-du-nord-pacte-2024/quotes.md"
)

// dropAdded removes the lines edits appended to a body.
func dropAdded(s string) string {
	var keep []string
	for _, line := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(line, "Paragraphe ajouté") && !strings.HasPrefix(line, "Mention ajoutée") && !strings.HasPrefix(line, "Voir [[") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "")
}

// renameBetween renames the file of pattern (with %d from 0 to 2) that
// exists to one that does not, content unchanged, as `mv` does; it makes
// the first when there is none.
func renameBetween(dir string, r *rand.Rand, pattern, text string) []string {
	var have, free []string
	for i := range 3 {
		rel := fmt.Sprintf(pattern, i)
		if _, err := os.Stat(filepath.Join(dir, rel)); err == nil {
			have = append(have, rel)
		} else {
			free = append(free, rel)
		}
	}
	if len(have) == 0 {
		_ = os.WriteFile(filepath.Join(dir, free[0]), []byte(text), 0o644)
		return free[:1]
	}
	from, to := have[r.IntN(len(have))], free[r.IntN(len(free))]
	_ = os.Rename(filepath.Join(dir, from), filepath.Join(dir, to))
	return []string{from, to}
}

// existingExtra picks one of the dossiers "add a dossier" made, or "".
func existingExtra(dir string, r *rand.Rand) string {
	var found []string
	for i := range 5 {
		slug := fmt.Sprintf("extra-%d", i)
		if _, err := os.Stat(filepath.Join(dir, "content/dossiers", slug, "index.md")); err == nil {
			found = append(found, slug)
		}
	}
	if len(found) == 0 {
		return ""
	}
	return found[r.IntN(len(found))]
}

// TestIncrementalEqualsClean applies random edits and checks, after each,
// that an incremental rebuild gives exactly the output (or errors) of a
// clean build of the same files.
func TestIncrementalEqualsClean(t *testing.T) {
	names := make([]string, 0, len(edits))
	for name := range edits {
		names = append(names, name)
	}
	sort.Strings(names)
	checkIncremental(t, names, churnSteps(t, 1000), true)
}

// churnSteps is how many random edits a churn test makes: n, or
// DOSSIER_CHURN_STEPS, or a tenth of n with -short.
func churnSteps(t *testing.T, n int) int {
	if v, err := strconv.Atoi(os.Getenv("DOSSIER_CHURN_STEPS")); err == nil && v > 0 {
		return v
	}
	if testing.Short() {
		return n / 10
	}
	return n
}

// TestPatchedEqualsClean is TestIncrementalEqualsClean with only the edits
// that later builds patch in instead of redoing (resolve.Cache, the kept
// page list of render.PageCache), and no settings change between them: a
// long run of patches on patches, with backlinks that come and go.
func TestPatchedEqualsClean(t *testing.T) {
	checkIncremental(t, []string{"add a dossier", "drop added paragraphs", "edit a quote", "edit a quote context", "edit dossier body",
		"edit summary", "link two dossiers both ways", "mention actors in the body", "unlink an extra dossier",
		"edit the lead image caption", "edit a figure caption", "replace the lead image file", "replace the portrait file",
		"revise the dossier", "toggle a key quote", "report a fragment"}, 60, false)
}

func checkIncremental(t *testing.T, names []string, steps int, rescan bool) {
	dir := copySite(t)
	addMedia(t, dir)
	checkIncrementalIn(t, dir, names, steps, rescan)
}

// checkIncrementalIn is checkIncremental on the site in dir.
func checkIncrementalIn(t *testing.T, dir string, names []string, steps int, rescan bool) {
	opts := generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme}
	b := generator.NewBuilder(opts)
	if _, err := b.Build(); err != nil {
		t.Fatal(err)
	}
	prev, err := generator.Build(opts) // the last good build, to check Updated against
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cancels := 0
	defer func() {
		if cancels == 0 && steps >= 20 {
			t.Error("no build was cancelled: the test does not test cancellation")
		}
	}()
	for step := 0; step < steps; step++ {
		// One to three edits a build, as a watcher batches a burst of saves.
		var touched []string
		name := ""
		for range 1 + r.IntN(3) {
			n := names[r.IntN(len(names))]
			touched = append(touched, edits[n](dir, r)...)
			name += n + "; "
		}
		if !rescan || step%3 != 2 { // sometimes the builder is told, sometimes it must rescan
			b.Changed(touched...)
		} else {
			b.Changed(filepath.Join(dir, "dossier.toml"))
		}
		if r.IntN(4) == 0 {
			// A newer save cancels this build while it parses (watch and
			// serve): the next one must still equal a clean build.
			if _, err := b.BuildContext(cancelled); errors.Is(err, context.Canceled) {
				cancels++ // else nothing was left to parse, or the content has errors
			}
		}
		inc, incErr := b.Build()
		clean, cleanErr := generator.Build(opts)
		if fmt.Sprint(incErr) != fmt.Sprint(cleanErr) {
			t.Fatalf("step %d (%s): incremental error\n%v\nclean error\n%v", step, name, incErr, cleanErr)
		}
		if cleanErr != nil {
			continue
		}
		if len(inc.Tree) != len(clean.Tree) {
			t.Fatalf("step %d (%s): %d files incrementally, %d clean", step, name, len(inc.Tree), len(clean.Tree))
		}
		for p, f := range clean.Tree {
			if !bytes.Equal(held(t, inc.Tree[p]), f.Data) || inc.Tree[p].From != f.From {
				t.Fatalf("step %d (%s): %s differs from a clean build", step, name, p)
			}
		}
		checkUpdated(t, b, prev.Tree, clean.Tree, fmt.Sprintf("step %d (%s)", step, name))
		prev = clean
	}
}

// held returns the bytes of a file of a builder's tree, which keeps them
// on disk (output.Spill).
func held(t testing.TB, f output.File) []byte {
	t.Helper()
	data, err := f.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// checkUpdated checks that the paths the builder says it updated are those
// that differ between two clean builds (plus attachments it read again).
func checkUpdated(t *testing.T, b *generator.Builder, prev, next output.Tree, step string) {
	t.Helper()
	updated, known := b.Updated()
	if !known {
		return
	}
	said := map[string]bool{}
	for _, p := range updated {
		said[p] = true
	}
	for p, f := range next {
		o, ok := prev[p]
		if (!ok || o.From != f.From || !bytes.Equal(o.Data, f.Data)) && !said[p] {
			t.Fatalf("%s: %s changed, but Updated does not list it", step, p)
		}
	}
	for p := range prev {
		if _, ok := next[p]; !ok && !said[p] {
			t.Fatalf("%s: %s went away, but Updated does not list it", step, p)
		}
	}
	for p := range said {
		o, inPrev := prev[p]
		f, inNext := next[p]
		if inPrev && inNext && f.From == "" && o.From == "" && bytes.Equal(o.Data, f.Data) {
			t.Fatalf("%s: Updated lists %s, which did not change", step, p)
		}
	}
}

// BenchmarkIncrementalSave times what a save costs the builder in watch
// mode: one line appended to one dossier (which resolve patches in), or to
// one actor (which resolves and signs every page again), then Changed and
// Build. The site is BENCH_SITE (copied, so it is not modified) or a
// generated corpus of BENCH_DOSSIERS dossiers. SAVE_CPUPROFILE=file
// profiles the saves alone, without the first build.
//
//	BENCH_SITE=/tmp/c10k go test -run '^$' -bench IncrementalSave -benchtime 20x ./generator
func BenchmarkIncrementalSave(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "site")
	if src := os.Getenv("BENCH_SITE"); src != "" {
		if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
			b.Fatal(err)
		}
	} else if _, err := corpus.Generate(corpus.Options{Dossiers: benchDossiers(b), Seed: 1}).Write(dir, ""); err != nil {
		b.Fatal(err)
	}
	for _, kind := range []string{"dossier", "actor"} {
		b.Run(kind, func(b *testing.B) { benchSave(b, dir, kind) })
	}
}

func benchSave(b *testing.B, dir, kind string) {
	folder, file := filepath.Join("content", "dossiers"), "/index.md"
	if kind == "actor" {
		folder, file = filepath.Join("content", "actors"), ""
	}
	entries, err := os.ReadDir(filepath.Join(dir, folder))
	if err != nil || len(entries) == 0 {
		b.Fatal("nothing in", folder, err)
	}
	rel := filepath.ToSlash(folder) + "/" + entries[len(entries)/2].Name() + file
	orig, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(filepath.Join(dir, rel), orig, 0o644)
	builder := generator.NewBuilder(generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme, Serve: true})
	if _, err := builder.Build(); err != nil {
		b.Fatal(err)
	}
	if p := os.Getenv("SAVE_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		_ = pprof.StartCPUProfile(f)
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		line := fmt.Sprintf("\nMesure numéro %d.\n", i)
		if err := os.WriteFile(filepath.Join(dir, rel), append(orig[:len(orig):len(orig)], line...), 0o644); err != nil {
			b.Fatal(err)
		}
		builder.Changed(rel)
		if _, err := builder.Build(); err != nil {
			b.Fatal(err)
		}
	}
}

// A site's own layout may show what the built-in theme never does: here
// the home page shows each dossier's article, which a card never does. Its
// plan (package reads) reads .Dossiers[].Body.HTML, so an edited article
// executes the home page again. The second layout reads a field of an
// interface value, known only when executed: the analysis cannot follow
// it, so its pages are executed on every build.
func TestCustomLayoutEqualsClean(t *testing.T) {
	for name, home := range map[string]string{
		"analysed":   `{{ define "main" }}{{ range .Dossiers }}<article>{{ .Body.HTML }}</article>{{ end }}{{ end }}`,
		"unanalysed": `{{ define "main" }}{{ range .Dossiers }}<article>{{ .Body.HTML }}</article>{{ end }}{{ with .JSONLD }}{{ .name }}{{ end }}{{ end }}`,
	} {
		t.Run(name, func(t *testing.T) { checkCustomLayout(t, home) })
	}
}

func checkCustomLayout(t *testing.T, home string) {
	dir := copySite(t)
	if err := os.MkdirAll(filepath.Join(dir, "layouts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "layouts", "home.html"), []byte(home), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme}
	b := generator.NewBuilder(opts)
	if _, err := b.Build(); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for step := range 6 {
		touched := edits["edit dossier body"](dir, r)
		b.Changed(touched...)
		inc, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		clean, err := generator.Build(opts)
		if err != nil {
			t.Fatal(err)
		}
		for p, f := range clean.Tree {
			if !bytes.Equal(held(t, inc.Tree[p]), f.Data) {
				t.Fatalf("step %d: %s differs from a clean build", step, p)
			}
		}
	}
}

// A builder keeps its pages and cards on disk (output.Spill), not in
// memory, and leaves no file there; a build that fails while the tree is
// updated (an attachment that clashes with a page) starts the tree and
// the caches that handed it their pages afresh, so the next build still
// equals a clean one.
func TestBuilderKeepsPagesOnDisk(t *testing.T) {
	dir := copySite(t)
	opts := generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme}
	b := generator.NewBuilder(opts)
	first, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	spilled := 0
	for p, f := range first.Tree {
		if strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".png") {
			if f.Stored == nil {
				t.Fatalf("%s is held in memory", p)
			}
			spilled++
		}
	}
	if spilled == 0 {
		t.Fatal("no page in the tree")
	}
	if runtime.GOOS != "windows" {
		entries, _ := os.ReadDir(filepath.Join(dir, generator.CacheDir))
		for _, e := range entries {
			if !e.IsDir() {
				t.Fatalf("the builder left %s in %s", e.Name(), generator.CacheDir)
			}
		}
	}
	page := filepath.Join(dir, "content/dossiers/russie-coree-du-nord-pacte-2024/index.md")
	src, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, append(src, "\nUne ligne de plus.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	clash := filepath.Join(dir, "content/dossiers/russie-coree-du-nord-pacte-2024/INDEX.HTML")
	if err := os.WriteFile(clash, []byte("clash"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.Changed(page, clash)
	if _, err := b.Build(); err == nil {
		t.Fatal("an attachment that clashes with the dossier's page built")
	}
	if err := os.Remove(clash); err != nil {
		t.Fatal(err)
	}
	b.Changed(clash)
	inc, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	clean, err := generator.Build(opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(inc.Tree) != len(clean.Tree) {
		t.Fatalf("%d files incrementally, %d clean", len(inc.Tree), len(clean.Tree))
	}
	for p, f := range clean.Tree {
		if !bytes.Equal(held(t, inc.Tree[p]), f.Data) || inc.Tree[p].From != f.From {
			t.Fatalf("%s differs from a clean build", p)
		}
	}
}
