package serve

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	dossier "github.com/dossier-ssg/dossier"
)

const chromiumPath = "/usr/bin/chromium"

// waitFor bounds every wait of the browser test.
const waitFor = 15 * time.Second

// TestBrowserLiveReload drives headless Chromium against a served temp copy
// of the example site: an edit shows without navigating (scroll kept), a
// broken front matter shows the overlay with file and line, the fix hides
// it, a CSS-only change restyles without a reload, and the overlay shows on
// the 404 page too.
func TestBrowserLiveReload(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("chromium not installed: apt-get install chromium")
	}
	ts, eb := startExample(t, nil)
	index := filepath.Join(eb.dir, filepath.FromSlash(dossierFile))
	orig := readFile(t, index)

	// Bound the whole test: the browser dies with this context. Its profile
	// is a folder of chromedp's own, which cancelAlloc removes once the
	// browser and its helper processes are gone.
	bound, cancelBound := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancelBound()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(bound,
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(1000, 700),
	)
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	defer cancelTab()
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting chromium: %v", err)
	}

	navigate := func(url string) {
		t.Helper()
		nctx, cancel := context.WithTimeout(ctx, waitFor)
		defer cancel()
		if err := chromedp.Do(nctx, chromedp.Navigate(url)); err != nil {
			t.Fatalf("navigate %s: %v", url, err)
		}
	}
	eval := func(expr string) (string, error) {
		ectx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		return chromedp.Run(ectx, chromedp.Evaluate[string](`String(`+expr+`)`))
	}
	// waitJS waits until expr is true in the page: the browser evaluates it
	// at every animation frame and answers as soon as it holds. A page
	// reloading in between ends one wait with an error; the next one
	// starts on the new page. waitFor only fails a test that hangs.
	waitJS := func(what, expr string) {
		t.Helper()
		wctx, cancel := context.WithTimeout(ctx, waitFor)
		defer cancel()
		var lastErr error
		for wctx.Err() == nil {
			if _, lastErr = chromedp.Run(wctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(0))); lastErr == nil {
				return
			}
		}
		t.Fatalf("%s: not within %s (last error: %v)", what, waitFor, lastErr)
	}
	connected := func() {
		t.Helper()
		waitJS("live script connected", `!!(window.__dossierLive && window.__dossierLive.connected)`)
	}
	const overlay = `(document.getElementById("__dossier-overlay") || {textContent: ""}).textContent`

	// 1. Open the dossier, scroll down, mark the page to see whether it reloads.
	navigate(ts.URL() + dossierPage)
	connected()
	// The browser's own scroll restoration off: the script's must do the work.
	if _, err := eval(`(history.scrollRestoration = "manual", window.scrollTo(0, 600), window.__marker = 1)`); err != nil {
		t.Fatal(err)
	}
	y, _ := eval(`window.scrollY`)
	scrollY, _ := strconv.ParseFloat(y, 64)
	if scrollY < 100 {
		t.Fatalf("page too short to test the scroll position (scrollY %s)", y)
	}

	// 2. Edit the body text: the page shows it by itself, at the same place.
	const added = "Paragraphe ajouté pendant le test du navigateur."
	edited := orig + "\n" + added + "\n"
	writeFile(t, index, edited)
	waitJS("the edit shows in the page", `document.body.innerText.includes("`+added+`")`)
	if m, _ := eval(`window.__marker`); m != "undefined" {
		t.Errorf("the page was not reloaded (marker %s)", m)
	}
	waitJS("the scroll position survives", `Math.abs(window.scrollY - `+y+`) < 5`)
	connected()

	// 3. Break the front matter: the overlay names the file and line.
	writeFile(t, index, strings.Replace(edited, goodDate, badDate, 1))
	waitJS("the overlay appears", overlay+`.includes("`+dossierFile+`:3")`)
	text, _ := eval(overlay)
	// The overlay speaks the site's language (French), with its plural.
	for _, want := range []string{badDate, "nope", "Échec de la construction\u00A0: 1 erreur", "dernière construction réussie"} {
		if !strings.Contains(text, want) {
			t.Errorf("overlay lacks %q: %s", want, text)
		}
	}
	if !strings.Contains(text, added) { // the page under it is the last good build
		if body, _ := eval(`document.body.innerText.includes("` + added + `")`); body != "true" {
			t.Error("the last good page is not shown under the overlay")
		}
	}

	// 4. Fix it: the overlay goes away by itself.
	writeFile(t, index, edited)
	waitJS("the overlay disappears", `document.getElementById("__dossier-overlay") === null`)
	connected()

	// 5. A CSS-only change restyles the page without reloading it.
	if _, err := eval(`window.__marker = 2`); err != nil {
		t.Fatal(err)
	}
	css, err := fs.ReadFile(dossier.DefaultTheme, "assets/css/main.css")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(eb.dir, "assets/css/main.css"), string(css)+"\nbody { outline: 3px solid rgb(1, 2, 3); }\n")
	waitJS("the new stylesheet applies", `getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)"`)
	if m, _ := eval(`window.__marker`); m != "2" {
		t.Errorf("the page reloaded for a CSS-only change (marker %s)", m)
	}
	if n, _ := eval(`document.querySelectorAll('link[rel="stylesheet"][href*="/css/main."]').length`); n != "1" {
		t.Errorf("%s main stylesheets linked after the swap", n)
	}

	// 6. The overlay shows on the 404 page as well.
	navigate(ts.URL() + "no/such/page/")
	connected()
	writeFile(t, index, strings.Replace(edited, goodDate, badDate, 1))
	waitJS("the overlay appears on the 404 page", overlay+`.includes("`+dossierFile+`:3")`)
	writeFile(t, index, edited)
	waitJS("the overlay disappears from the 404 page", `document.getElementById("__dossier-overlay") === null`)
}
