package corpus_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/internal/corpus"
)

func write(t *testing.T, n int, seed uint64, hugo bool) (site, hugoSite string, st corpus.Stats) {
	t.Helper()
	site = filepath.Join(t.TempDir(), "site")
	if hugo {
		hugoSite = filepath.Join(t.TempDir(), "hugo")
	}
	st, err := corpus.Generate(corpus.Options{Dossiers: n, Seed: seed}).Write(site, hugoSite)
	if err != nil {
		t.Fatal(err)
	}
	return site, hugoSite, st
}

// TestCorpusBuildsWithoutErrors: dossier accepts the generated site as is,
// with the proportions of the benchmark corpus.
func TestCorpusBuildsWithoutErrors(t *testing.T) {
	const n = 400
	site, _, st := write(t, n, 7, false)
	res, err := generator.Build(generator.Options{SiteDir: site, Theme: dossier.DefaultTheme})
	if err != nil {
		t.Fatalf("generated site does not build:\n%v", err)
	}
	s := res.Site
	if len(s.Dossiers) != n || len(s.Actors) != n/5 || len(s.Treaties) != n/20 {
		t.Errorf("%d dossiers, %d actors, %d treaties; want %d, %d, %d", len(s.Dossiers), len(s.Actors), len(s.Treaties), n, n/5, n/20)
	}
	if q := float64(len(s.Quotes)) / n; q < 3.2 || q > 3.8 {
		t.Errorf("%.2f quotes per dossier, want about 3.5", q)
	}
	if w := float64(st.Words) / n; w < 950 || w > 1150 {
		t.Errorf("%.0f words per dossier, want about 1,050", w)
	}
	top, superseded := 0, 0
	for _, a := range s.Actors {
		top = max(top, len(a.Dossiers))
	}
	for _, tr := range s.Treaties {
		if tr.SupersededByItem != nil {
			superseded++
		}
	}
	if top < n/4 {
		t.Errorf("most popular actor in %d dossiers: popularity is not Zipf-like", top)
	}
	if superseded == 0 {
		t.Error("no supersession chains")
	}
	mentions := 0
	for _, a := range s.Actors {
		mentions += len(a.MentionedBy)
	}
	if mentions == 0 {
		t.Error("no body mentions an actor its front matter does not list")
	}
	// A generated site was never published under the English section
	// names: no redirect page from /actors/… (a file per page).
	if res.Config.OldSectionRedirects || len(res.Redirects) > 0 || res.Stats.Pages["redirect"] > 0 {
		t.Errorf("the corpus has redirects from old section names (%d redirect pages)", res.Stats.Pages["redirect"])
	}
}

// TestCorpusSizesAndSeeds: small and odd sizes, other seeds, still no error.
func TestCorpusSizesAndSeeds(t *testing.T) {
	for _, n := range []int{1, 7, 150} {
		for seed := uint64(1); seed <= 3; seed++ {
			site, _, _ := write(t, n, seed, false)
			if _, err := generator.Build(generator.Options{SiteDir: site, Theme: dossier.DefaultTheme}); err != nil {
				t.Errorf("%d dossiers, seed %d:\n%v", n, seed, err)
			}
		}
	}
}

// TestCorpusIsDeterministic: same seed, same bytes (both sites); another
// seed, other bytes.
func TestCorpusIsDeterministic(t *testing.T) {
	a, ha, _ := write(t, 120, 3, true)
	b, hb, _ := write(t, 120, 3, true)
	c, _, _ := write(t, 120, 4, false)
	same := func(x, y string) bool {
		n := 0
		err := filepath.WalkDir(x, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(x, p)
			want, _ := os.ReadFile(p)
			got, err := os.ReadFile(filepath.Join(y, rel))
			if err != nil || !bytes.Equal(got, want) {
				t.Logf("%s differs", rel)
				n++
			}
			return nil
		})
		return err == nil && n == 0
	}
	if !same(a, b) || !same(b, a) {
		t.Error("two runs with the same seed differ")
	}
	if !same(ha, hb) {
		t.Error("two Hugo sites with the same seed differ")
	}
	idx := func(dir string) []byte {
		data, _ := os.ReadFile(filepath.Join(dir, "content", "actors", firstFile(t, filepath.Join(dir, "content", "actors"))))
		return data
	}
	if bytes.Equal(idx(a), idx(c)) {
		t.Error("another seed gives the same actors")
	}
}

func firstFile(t *testing.T, dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("%s: %v", dir, err)
	}
	return entries[0].Name()
}

// TestHugoSiteBuilds: Debian's hugo builds the twin site without errors or
// warnings.
func TestHugoSiteBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site with hugo")
	}
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		t.Skip("hugo is not installed (apt-get install hugo)")
	}
	_, site, _ := write(t, 150, 5, true)
	dest := t.TempDir()
	out, err := exec.Command(hugo, "--source", site, "--destination", dest, "--cacheDir", t.TempDir()).CombinedOutput()
	if err != nil || bytes.Contains(out, []byte("ERROR")) || bytes.Contains(out, []byte("WARN")) {
		t.Fatalf("hugo: %v\n%s", err, out)
	}
	for _, p := range []string{"index.html", "page/2/index.html", "quotes/page/2/index.html", "timeline/index.html", "actors/index.html", "treaties/index.html", "tags/index.html", "search-index.json"} {
		if _, err := os.Stat(filepath.Join(dest, p)); err != nil {
			t.Errorf("hugo did not write %s", p)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dest, "dossiers"))
	if len(entries) != 150 {
		t.Errorf("hugo wrote %d dossier pages, want 150", len(entries))
	}
	page, _ := os.ReadFile(filepath.Join(dest, "dossiers", entries[0].Name(), "index.html"))
	for _, want := range []string{`class="actor-row"`, `href="/actors/`, `class="prose"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("hugo dossier page lacks %s", want)
		}
	}
}

// TestHugoLiteSiteBuilds: the lite twin builds without a warning and makes
// dossier, actor, treaty, tag and list pages only.
func TestHugoLiteSiteBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site with hugo")
	}
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		t.Skip("hugo is not installed (apt-get install hugo)")
	}
	c := corpus.Generate(corpus.Options{Dossiers: 150, Seed: 5, HugoLite: true})
	site := filepath.Join(t.TempDir(), "lite")
	if _, err := c.Write("", site); err != nil {
		t.Fatal(err)
	}
	dest := t.TempDir()
	out, err := exec.Command(hugo, "--source", site, "--destination", dest, "--cacheDir", t.TempDir()).CombinedOutput()
	if err != nil || bytes.Contains(out, []byte("ERROR")) || bytes.Contains(out, []byte("WARN")) {
		t.Fatalf("hugo: %v\n%s", err, out)
	}
	for _, p := range []string{"index.html", "page/2/index.html", "actors/index.html", "treaties/index.html", "tags/index.html", "index.xml"} {
		if _, err := os.Stat(filepath.Join(dest, p)); err != nil {
			t.Errorf("hugo did not write %s", p)
		}
	}
	for _, p := range []string{"quotes", "timeline", "search-index.json", "actors/" + c.Actors[0].Slug + "/timeline"} {
		if _, err := os.Stat(filepath.Join(dest, p)); err == nil {
			t.Errorf("the lite twin has %s", p)
		}
	}
}

// TestBare renders the site's Markdown with bare goldmark, one file per file.
func TestBare(t *testing.T) {
	site, _, _ := write(t, 30, 1, false)
	out := t.TempDir()
	st, err := corpus.Bare(site, out)
	if err != nil {
		t.Fatal(err)
	}
	var md int
	_ = filepath.WalkDir(filepath.Join(site, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			md++
		}
		return err
	})
	if st.Files != md || st.Out == 0 {
		t.Errorf("rendered %d files (%d bytes) of %d", st.Files, st.Out, md)
	}
}

// TestSameOutput writes a file of the same size at every path of a built
// folder.
func TestSameOutput(t *testing.T) {
	site, _, _ := write(t, 20, 2, false)
	like := t.TempDir()
	for p, size := range map[string]int{"index.html": 5000, "a/b/index.html": 10, "feed.xml": 0} {
		full := filepath.Join(like, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, bytes.Repeat([]byte("x"), size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "floor")
	st, err := corpus.SameOutput(site, like, out)
	if err != nil || st.Files != 3 || st.Out != 5010 {
		t.Fatalf("SameOutput: %+v, %v", st, err)
	}
	for p, size := range map[string]int64{"index.html": 5000, "a/b/index.html": 10, "feed.xml": 0} {
		if info, err := os.Stat(filepath.Join(out, filepath.FromSlash(p))); err != nil || info.Size() != size {
			t.Errorf("%s: %v, %v", p, info, err)
		}
	}
}
