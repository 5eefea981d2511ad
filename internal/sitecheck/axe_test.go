package sitecheck_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeScript finds axe-core, installed by `make tools` (npm package
// axe-core), or $AXE_JS.
func axeScript() string {
	if p := os.Getenv("AXE_JS"); p != "" {
		return p
	}
	p, _ := filepath.Abs(filepath.Join("..", "..", ".tools", "node_modules", "axe-core", "axe.min.js"))
	return p
}

// axeViolation is one rule axe-core finds broken, with the elements.
type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axeRun is what the page answers: axe's violations as JSON, or an error.
// No rule and no element is excepted (the maps are role="group" with
// focusable links, so nested-interactive holds them too).
const axeRun = `(async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))})));
})()`

// TestAccessibility runs axe-core in headless Chromium on every page of
// the example site, and on every page that shows a picture in a copy of it
// given pictures (mediaSite: a lead image with caption and credit, a
// figure, portraits as avatars, a document image), in light and dark
// (prefers-color-scheme), and expects no violation. It reports each with
// its page, colour scheme and element. CI installs axe-core and sets
// DOSSIER_REQUIRE_AXE=1 so the test cannot skip there.
func TestAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs axe-core in Chromium on every page")
	}
	script, err := os.ReadFile(axeScript())
	if err != nil {
		if os.Getenv("DOSSIER_REQUIRE_AXE") != "" {
			t.Fatalf("axe-core required but missing: %v; run make tools", err)
		}
		t.Skip("axe-core not installed (make tools installs it)")
	}
	if _, err := os.Stat(chromium); err != nil && os.Getenv("DOSSIER_REQUIRE_AXE") != "" {
		t.Fatalf("axe test required but chromium is missing: %v", err)
	}
	ts, pages := exampleServer(t)
	if len(pages) < 50 {
		t.Fatalf("only %d pages in the example site", len(pages))
	}
	mts, mpages := siteServer(t, mediaSite(t))
	var pictured []string
	for _, p := range mpages {
		if html := get(t, mts.URL+p); strings.Contains(html, "<img") {
			pictured = append(pictured, p)
		}
	}
	if len(pictured) < 10 {
		t.Fatalf("only %d pages of the site with pictures show one: %v", len(pictured), pictured)
	}
	ctx := browser(t)
	failures := 0
	for _, scheme := range []string{"light", "dark"} {
		if err := chromedp.Do(ctx, colorScheme(scheme), chromedp.EmulateViewport(1366, 900)); err != nil {
			t.Fatal(err)
		}
		for _, site := range []struct {
			url   string
			pages []string
		}{{ts.URL, pages}, {mts.URL, pictured}} {
			for _, page := range site.pages {
				violations, err := axePage(ctx, site.url+page, string(script))
				if err != nil {
					t.Fatalf("%s (%s): %v", page, scheme, err)
				}
				for _, v := range violations {
					for _, n := range v.Nodes {
						failures++
						t.Errorf("%s%s (%s): %s: %s\n  at %v\n  %s", site.url, page, scheme, v.ID, v.Help, n.Target, strings.ReplaceAll(n.Summary, "\n", "\n  "))
					}
				}
			}
		}
	}
	t.Logf("axe-core: %d pages and %d pages with pictures × 2 colour schemes, %d violations", len(pages), len(pictured), failures)
}

// get returns the body of url.
func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// axePage loads a page, injects axe-core and runs it.
func axePage(ctx context.Context, url, script string) ([]axeViolation, error) {
	pctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(pctx, chromedp.Navigate(url)); err != nil {
		return nil, fmt.Errorf("navigate: %w", err)
	}
	if _, err := chromedp.Run(pctx, chromedp.Evaluate[any](script+"\n;0")); err != nil {
		return nil, fmt.Errorf("injecting axe-core: %w", err)
	}
	out, err := chromedp.Run(pctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		return nil, err
	}
	return vs, nil
}
