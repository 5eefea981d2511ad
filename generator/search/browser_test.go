package search

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// testPage follows the DOM contract of docs/search.md and adds a script that
// drives the UI (typing, keyboard) and reports what it saw in <pre id=report>.
const testPage = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>search test</title></head><body>
<form role="search" class="search" data-search-root="/sub/" data-label-dossier="Dossiers" data-label-actor="Acteurs"
  data-label-treaty="Traités" data-label-quote="Citations" data-label-none="Aucun résultat" data-label-more="Plus"
  data-months="janvier,février,mars,avril,mai,juin,juillet,août,septembre,octobre,novembre,décembre">
  <label for="search-input">Rechercher</label>
  <input id="search-input" type="search" name="q" autocomplete="off">
</form>
<div id="search-results" aria-live="polite"></div>
<script src="/sub/js/search.js"></script>
<script>
(async () => {
  const input = document.getElementById('search-input');
  const out = document.getElementById('search-results');
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const until = async (f) => { for (let i = 0; i < 200 && !f(); i++) await sleep(20); };
  const key = (el, k) => el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  const type = async (q) => { const before = out.innerText; input.value = q; input.dispatchEvent(new Event('input')); await until(() => out.innerText !== before); await sleep(200); };
  const state = () => ({
    headings: [...out.querySelectorAll('h2')].map((h) => h.textContent),
    kinds: [...out.querySelectorAll('section')].map((s) => s.dataset.kind),
    links: [...out.querySelectorAll('a')].map((a) => a.getAttribute('href')),
    titles: [...out.querySelectorAll('.search-title')].map((e) => e.textContent),
    marks: [...out.querySelectorAll('mark')].map((m) => m.textContent),
    dates: [...out.querySelectorAll('time')].map((t) => t.textContent + '|' + t.dateTime),
    imgs: out.querySelectorAll('img, script').length,
    none: (out.querySelector('.search-none') || {}).textContent || '',
    focus: document.activeElement === input ? 'input' : document.activeElement.getAttribute('href') || document.activeElement.tagName,
  });
  const report = {};
  await until(() => out.children.length > 0);
  await sleep(200);
  report.initial = state();
  report.inputValue = input.value;
  key(input, 'ArrowDown'); report.down1 = state().focus;
  key(document.activeElement, 'ArrowDown'); report.down2 = state().focus;
  key(document.activeElement, 'ArrowUp'); key(document.activeElement, 'ArrowUp'); report.up2 = state().focus;
  key(input, 'Escape'); await sleep(200); report.escaped = { value: input.value, children: out.children.length };
  await type('ouch'); report.ouch = state();
  await type('traités'); report.traites = state();
  await type('zzzz'); report.zzzz = state(); report.url = location.search;
  report.title = document.title;
  const pre = document.createElement('pre');
  pre.id = 'report';
  pre.textContent = JSON.stringify(report);
  document.body.append(pre);
})();
</script>
</body></html>`

func findChrome() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowserUI serves an index under a subpath and drives the client in
// headless Chromium: results from ?q=, grouping and labels, highlighting,
// escaping of hostile titles, keyboard navigation, typing and no results.
func TestBrowserUI(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chrome := findChrome()
	if chrome == "" {
		t.Skip("chromium not installed")
	}
	js, err := os.ReadFile(jsClient)
	if err != nil {
		t.Fatal(err)
	}
	docs := append(slices.Clone(smallCorpus), Document{URL: "actors/evil/", Kind: "actor", Lang: "en",
		Title: `<img src=x onerror="document.title='pwned'">Corée evil`, Text: `<script>document.title='pwned'</script> coree`})
	files := buildOrFail(t, docs)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := strings.TrimPrefix(r.URL.Path, "/sub/"); {
		case p == "index.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(testPage))
		case p == "js/search.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(js)
		case files[p] != nil:
			w.Header().Set("Content-Type", "application/json")
			w.Write(files[p])
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chrome, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir="+t.TempDir(), "--virtual-time-budget=20000", "--dump-dom", srv.URL+"/sub/index.html?q=cor%C3%A9e")
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	m := regexp.MustCompile(`<pre id="report">(.*?)</pre>`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("no report in page:\n%s", dom)
	}
	var r struct {
		Initial, Ouch, Traites, Zzzz uiState
		InputValue                   string
		Down1, Down2, Up2            string
		Escaped                      struct {
			Value    string
			Children int
		}
		URL   string
		Title string
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &r); err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", r)

	in := r.Initial
	if r.InputValue != "corée" {
		t.Errorf("input value %q, want the ?q= query", r.InputValue)
	}
	if !slices.Equal(in.Kinds, []string{"dossier", "actor", "treaty"}) || !slices.Equal(in.Headings, []string{"Dossiers", "Acteurs", "Traités"}) {
		t.Errorf("groups %q with headings %q", in.Kinds, in.Headings)
	}
	if len(in.Links) == 0 || in.Links[0] != "/sub/dossiers/coree-du-nord/" || in.Titles[0] != "Corée du Nord" {
		t.Errorf("first result %q %q, want the Corée du Nord dossier under /sub/", in.Links, in.Titles)
	}
	// Dates as the French pages write them, ISO in datetime.
	if !slices.Contains(in.Dates, "1er mars 2024|2024-03-01") || !slices.Contains(in.Dates, "11 juillet 1961|1961-07-11") {
		t.Errorf("dates %q, want them in French", in.Dates)
	}
	if !slices.Contains(in.Marks, "Corée") {
		t.Errorf("marks %q, want Corée highlighted", in.Marks)
	}
	if in.Imgs != 0 || r.Title != "search test" || !slices.Contains(in.Titles, `<img src=x onerror="document.title='pwned'">Corée evil`) {
		t.Errorf("hostile title not shown as text: %d img/script elements, title %q, titles %q", in.Imgs, r.Title, in.Titles)
	}
	if r.Down1 != in.Links[0] || r.Down2 != in.Links[1] || r.Up2 != "input" {
		t.Errorf("keyboard focus: down %q, down %q, up up %q", r.Down1, r.Down2, r.Up2)
	}
	if r.Escaped.Value != "" || r.Escaped.Children != 0 {
		t.Errorf("after Escape: %+v, want empty input and results", r.Escaped)
	}
	if !slices.Contains(r.Ouch.Titles, "Iouri Ouchakov") || !slices.Contains(r.Ouch.Marks, "Ouchakov") {
		t.Errorf("typing ouch: %+v", r.Ouch)
	}
	if len(r.Traites.Titles) == 0 || !strings.HasPrefix(r.Traites.Titles[0], "Traité") {
		t.Errorf("typing traités: %+v", r.Traites)
	}
	if r.Zzzz.None != "Aucun résultat" || len(r.Zzzz.Links) != 0 {
		t.Errorf("no results: %+v", r.Zzzz)
	}
	if r.URL != "?q=zzzz" {
		t.Errorf("URL query %q, want ?q=zzzz", r.URL)
	}
}

type uiState struct {
	Headings, Kinds, Links, Titles, Marks, Dates []string
	Imgs                                         int
	None, Focus                                  string
}
