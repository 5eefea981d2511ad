package serve

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/generator/output"
)

const (
	dossierSlug = "russie-coree-du-nord-pacte-2024"
	dossierPage = "dossiers/" + dossierSlug + "/"
	dossierFile = "content/dossiers/" + dossierSlug + "/index.md"
	goodDate    = "date: 2024-06-19"
	badDate     = "date: nope"
)

// exampleBuild runs the dev loop of `dossier serve` on a site folder, with
// the server as its sink; builds counts the builds and nanos their time.
type exampleBuild struct {
	dir    string
	server *Server
	builds atomic.Int64
	nanos  atomic.Int64
}

func (e *exampleBuild) Take(changes []string, site *output.Site) (string, error) {
	e.builds.Add(1)
	e.nanos.Add(int64(site.Took))
	return e.server.Take(changes, site)
}

func (e *exampleBuild) Keep(changes []string, err error) string {
	e.builds.Add(1)
	return e.server.Keep(changes, err)
}

// startExample serves a temp copy of the example site, watched.
func startExample(t testing.TB, log io.Writer) (*testServer, *exampleBuild) {
	t.Helper()
	return startSite(t, copyExample(t), log)
}

// startSite serves a site folder as `dossier serve` does: the dev loop
// (generator.Dev) watches it and hands every build to the server.
func startSite(t testing.TB, dir string, log io.Writer) (*testServer, *exampleBuild) {
	t.Helper()
	if log == nil {
		log = testLog{t}
	}
	// As `dossier serve` does: the server speaks the site's language.
	ts := startServer(t, nil, Config{SiteDir: dir, Log: log, Lang: generator.Language(dir)}, nil)
	eb := &exampleBuild{dir: dir, server: ts.Server}
	dev := generator.NewDev(generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme, Serve: true, Drafts: true}, eb, log)
	if err := dev.Start(0, t.Logf); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(dev.Close)
	if ts.site.Load() == nil {
		t.Fatal("the site did not build")
	}
	return ts, eb
}

// settle checks that a save was one reload: it adds an attachment (marker
// n) and reads events until the attachment is served. The marker's own
// rebuild is one reload; at most one more may come first, if the watcher
// took the marker's creation with the tail of the save. Exact counts of
// rebuilds per save are the watch package's, on a fake clock.
func settle(t *testing.T, ts *testServer, c *sseClient, dir string, n int) {
	t.Helper()
	name := fmt.Sprintf("marker-%d.txt", n)
	writeFile(t, filepath.Join(dir, "content", "dossiers", dossierSlug, name), "marker\n")
	for reloads := 1; ; reloads++ {
		c.expect(t, "reload")
		if resp, _ := get(t, ts, "/"+dossierPage+name); resp.StatusCode == 200 {
			return
		}
		if reloads == 2 {
			t.Fatal("a save made more than one reload")
		}
	}
}

// The whole loop on the real generator and a real watcher, without a browser.
func TestExampleSiteLive(t *testing.T) {
	ts, eb := startExample(t, nil)
	dir := eb.dir
	index := filepath.Join(dir, filepath.FromSlash(dossierFile))
	orig := readFile(t, index)
	resp, body := get(t, ts, "/"+dossierPage)
	if resp.StatusCode != 200 || !strings.Contains(body, scriptPath) {
		t.Fatalf("dossier page: %d", resp.StatusCode)
	}
	c := dialEvents(t, ts.addr)
	c.expect(t, "hello")

	// Edit the body: one reload, and the page has the text.
	edited := orig + "\nUne phrase ajoutée pendant le test.\n"
	writeFile(t, index, edited)
	c.expect(t, "reload")
	settle(t, ts, c, dir, 1)
	if _, body := get(t, ts, "/"+dossierPage); !strings.Contains(body, "Une phrase ajoutée pendant le test.") {
		t.Error("the page does not have the new text")
	}

	// An editor's atomic save: still exactly one reload.
	edited2 := strings.Replace(edited, "pendant le test.", "pendant le test, deux fois.", 1)
	writeFile(t, index+".tmp", edited2)
	if err := os.Rename(index+".tmp", index); err != nil {
		t.Fatal(err)
	}
	c.expect(t, "reload")
	settle(t, ts, c, dir, 2)

	// Break the front matter: the overlay data names file, line and source.
	writeFile(t, index, strings.Replace(edited2, goodDate, badDate, 1))
	var pe problemsEvent
	c.expect(t, "errors").decode(t, &pe)
	found := false
	for _, p := range pe.Errors {
		if strings.HasPrefix(p.Where, dossierFile+":3:") && p.Source == badDate && strings.Contains(p.Message, "nope") {
			found = true
		}
	}
	if !found {
		t.Errorf("errors do not point at %s:3 with its source line: %+v", dossierFile, pe.Errors)
	}
	if resp, body := get(t, ts, "/"+dossierPage); resp.StatusCode != 200 || !strings.Contains(body, "deux fois") {
		t.Errorf("the last good page is not served during the error: %d", resp.StatusCode)
	}
	// Fix it back to the last good text: the overlay goes, nothing reloads.
	writeFile(t, index, edited2)
	c.expect(t, "ok")

	// A CSS-only change: the stylesheet is swapped.
	css, err := fs.ReadFile(dossier.DefaultTheme, "assets/css/main.css")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "assets/css/main.css"), string(css)+"\nbody { outline: 3px solid rgb(1, 2, 3); }\n")
	var ce cssEvent
	c.expect(t, "css").decode(t, &ce)
	if len(ce.Sheets) != 1 || ce.Sheets[0].Prefix != "/css/main." || ce.Sheets[0].Suffix != ".css" {
		t.Fatalf("css event %+v", ce)
	}
	_, body = get(t, ts, "/"+dossierPage)
	integrity := strings.ReplaceAll(ce.Sheets[0].Integrity, "+", "&#43;") // as html/template writes it
	if !strings.Contains(body, `href="`+ce.Sheets[0].Href+`" integrity="`+integrity+`"`) {
		t.Errorf("the page does not link %s with its digest", ce.Sheets[0].Href)
	}
	if _, css := get(t, ts, ce.Sheets[0].Href); !strings.Contains(css, "rgb(1, 2, 3)") {
		t.Error("the new stylesheet is not served")
	}
}

// saveUntilReloads, once per benchmark iteration, saves file with one more
// line (orig is its text) and waits for the page's "reload" event.
func saveUntilReloads(b *testing.B, c *sseClient, file, orig string, timeout time.Duration) (each []time.Duration) {
	i := 0
	for b.Loop() {
		i++
		start := time.Now()
		writeFile(b, file, orig+"\nMesure numéro "+strings.Repeat("x", i%50)+time.Now().String()+".\n")
		for {
			ev := c.next(b, timeout)
			if ev.name == "reload" {
				break
			}
			if ev.name == "errors" {
				b.Fatalf("build failed: %s", ev.data)
			}
		}
		each = append(each, time.Since(start))
	}
	return each
}

// BenchmarkSaveToReload measures the time from writing a file of the
// example site to a page's event stream receiving "reload": watcher
// debounce, full build, diff and notification.
func BenchmarkSaveToReload(b *testing.B) {
	ts, eb := startExample(b, io.Discard)
	index := filepath.Join(eb.dir, filepath.FromSlash(dossierFile))
	orig := readFile(b, index)
	c := dialEvents(b, ts.addr)
	c.expect(b, "hello")
	eb.builds.Store(0)
	eb.nanos.Store(0)
	saveUntilReloads(b, c, index, orig, 10*time.Second)
	if n := eb.builds.Load(); n > 0 && b.N > 0 {
		build := float64(eb.nanos.Load()) / float64(n) / 1e6
		total := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 1e6
		b.ReportMetric(build, "build-ms/op")
		// What the dev server adds to the build: debounce, diff, event.
		b.ReportMetric(total-build, "overhead-ms/op")
	}
}
