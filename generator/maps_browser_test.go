package generator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
)

// mapReport is what the page script below reads of one page's map.
type mapReport struct {
	Related   []string // hrefs of the "Acteurs liés" list
	Treaties  []string // hrefs of the actor's treaty list
	Map       []string // hrefs of the map's points
	More      []string // the map's "and N more" links
	NoMap     bool
	Texts     int      // map texts drawn
	Small     []string // map texts drawn under 11 CSS px
	Overflow  bool     // the page is wider than the window
	NestedImg []string // interactive elements inside role=img
	Focusable int      // map links that take the keyboard focus
}

const mapScript = `(() => {
  const r = {Related: [], Treaties: [], Map: [], More: [], Small: [], NestedImg: [], Texts: 0, Focusable: 0};
  const hrefs = sel => [...document.querySelectorAll(sel)].map(a => new URL(a.getAttribute("href"), location.href).pathname);
  r.Related = hrefs('[aria-labelledby="side-related-actors"] .actor-rows a');
  r.Treaties = hrefs('[aria-labelledby="side-treaties"] a');
  const svg = document.querySelector("figure.map svg.graph");
  r.NoMap = !svg;
  if (svg) {
    r.Map = [...svg.querySelectorAll("a")].map(a => new URL(a.getAttribute("href"), location.href).pathname);
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll("text")) {
      const box = t.getBoundingClientRect();
      if (box.width === 0 || getComputedStyle(t).display === "none") continue;
      r.Texts++;
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (px < 11) r.Small.push(t.textContent + " " + px.toFixed(1) + "px");
    }
    for (const a of svg.querySelectorAll("a")) { a.focus(); if (document.activeElement === a) r.Focusable++; }
  }
  r.More = [...document.querySelectorAll(".map__more a")].map(a => a.textContent);
  r.Overflow = document.documentElement.scrollWidth > window.innerWidth;
  for (const el of document.querySelectorAll('[role="img"] :is(a[href], button, input, select, textarea, [tabindex])')) r.NestedImg.push(el.outerHTML.slice(0, 80));
  return JSON.stringify(r);
})()`

// TestBrowserMaps builds the example site, serves it on 127.0.0.1 and
// opens every actor page and every treaty page in headless Chromium, at
// 1366 and at 390 CSS px: an actor's map holds every actor of its "Acteurs
// liés" list (or says how many it left out, with a link) and every treaty
// it lists; no map text is drawn under 11 CSS px; the map does not widen
// the page; no link sits inside role=img (axe's nested-interactive), and
// every point of the map takes the keyboard focus.
func TestBrowserMaps(t *testing.T) {
	needChromium(t)
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := generator.Publish(generator.Options{SiteDir: "..", Theme: dossier.DefaultTheme}, dest); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dest)))
	defer srv.Close()
	var pages []string
	for _, section := range []string{"acteurs", "traites"} { // the French tree
		dirs, err := os.ReadDir(filepath.Join(dest, section))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range dirs {
			if d.IsDir() {
				pages = append(pages, "/"+section+"/"+d.Name()+"/")
			}
		}
	}
	if len(pages) < 10 {
		t.Fatalf("only %d actor and treaty pages", len(pages))
	}

	bound, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for _, width := range []int{1366, 390} {
		alloc, cancelAlloc := headless(bound, width, 900)
		ctx, cancelTab := chromedp.NewContext(alloc)
		for _, page := range pages {
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page)); err != nil {
				t.Fatalf("%s at %d px: %v", page, width, err)
			}
			out, err := chromedp.Run(ctx, chromedp.Evaluate[string](mapScript))
			if err != nil {
				t.Fatalf("%s at %d px: %v", page, width, err)
			}
			var r mapReport
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatal(err)
			}
			checkMap(t, page, width, r)
		}
		cancelTab()
		cancelAlloc()
	}
}

func checkMap(t *testing.T, page string, width int, r mapReport) {
	t.Helper()
	where := page + " at " + itoa(width) + " px"
	if r.NoMap {
		if len(r.Related) > 0 || len(r.Treaties) > 0 {
			t.Errorf("%s: no map, but the page lists %d related actors and %d treaties", where, len(r.Related), len(r.Treaties))
		}
		return
	}
	var missing []string
	for _, h := range r.Related {
		if !slices.Contains(r.Map, h) {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 && !slices.ContainsFunc(r.More, func(s string) bool { return strings.Contains(s, itoa(len(missing))) }) {
		t.Errorf("%s: the map lacks %d related actors the page lists, and no \"and %d more\" link: %v", where, len(missing), len(missing), missing)
	}
	missing = missing[:0]
	for _, h := range r.Treaties {
		if strings.HasPrefix(h, "/traites/") && !slices.Contains(r.Map, h) {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 && !slices.ContainsFunc(r.More, func(s string) bool { return strings.Contains(s, itoa(len(missing))) }) {
		t.Errorf("%s: the map lacks %d treaties the page lists, and no \"and %d more\" link: %v", where, len(missing), len(missing), missing)
	}
	if r.Texts == 0 {
		t.Errorf("%s: the map draws no text", where)
	}
	if len(r.Small) > 0 {
		t.Errorf("%s: map text under 11 CSS px: %v", where, r.Small)
	}
	if r.Overflow {
		t.Errorf("%s: the page is wider than the window", where)
	}
	if len(r.NestedImg) > 0 {
		t.Errorf("%s: interactive elements inside role=img: %v", where, r.NestedImg)
	}
	if r.Focusable != len(r.Map) {
		t.Errorf("%s: %d of the map's %d links take the focus", where, r.Focusable, len(r.Map))
	}
}
