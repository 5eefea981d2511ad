package sitecheck_test

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
)

// chromium is Debian's browser, which the browser tests drive.
const chromium = "/usr/bin/chromium"

// exampleServer builds the example site into a temp folder and serves it
// on 127.0.0.1 until the test ends (404.html for missing pages, as hosts
// do). It returns the server and the site paths of its pages.
func exampleServer(t *testing.T) (*httptest.Server, []string) {
	t.Helper()
	return siteServer(t, filepath.Join("..", ".."))
}

// siteServer builds the site in dir and serves it, as exampleServer does.
func siteServer(t *testing.T, dir string) (*httptest.Server, []string) {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := generator.Publish(generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme}, dest); err != nil {
		t.Fatal(err)
	}
	var pages []string
	err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		if data, err := os.ReadFile(p); err != nil || bytes.Contains(data, []byte(`http-equiv="refresh"`)) {
			return err // a redirect from an old path is not a page to check
		}
		rel, _ := filepath.Rel(dest, p)
		rel = "/" + filepath.ToSlash(rel)
		pages = append(pages, strings.TrimSuffix(rel, "index.html"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(pages)
	files := http.FileServer(http.Dir(dest))
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Join(dest, filepath.FromSlash(r.URL.Path))
		if _, err := os.Stat(p); err != nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			data, _ := os.ReadFile(filepath.Join(dest, "404.html"))
			_, _ = w.Write(data)
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts, pages
}

// browser starts headless Chromium for the test and returns a tab; the
// browser ends with the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("chromium not installed: apt-get install chromium")
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
	)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// colorScheme emulates prefers-color-scheme: "light" or "dark".
func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
		return err
	})
}

// TestReaderInBrowser checks in Chromium what only a browser shows: at
// 390 px the menu is one disclosure button that opens the seven links, and
// no page of the main kinds scrolls sideways; the share button of a quote
// appears with the script and, clicked, copies the link or shares it.
func TestReaderInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: drives Chromium")
	}
	ts, _ := exampleServer(t)
	ctx := browser(t)
	run := func(what, expr string) string {
		t.Helper()
		ectx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		out, err := chromedp.Run(ectx, chromedp.Evaluate[string](`(async () => String(await (`+expr+`)))()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return out
	}
	navigate := func(path string) {
		t.Helper()
		nctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(nctx, chromedp.Navigate(ts.URL+path)); err != nil {
			t.Fatalf("navigate %s: %v", path, err)
		}
	}
	if err := chromedp.Do(ctx, colorScheme("light"), chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	for _, p := range shotPages {
		navigate(p.path)
		if w := run("page width", `document.documentElement.scrollWidth`); w != "390" {
			t.Errorf("%s at 390 px is %s px wide: it scrolls sideways", p.path, w)
		}
	}
	navigate("/")
	visible := `[...document.querySelectorAll('.site-nav a')].filter(a => a.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true})).length`
	if n := run("visible menu links", visible); n != "0" {
		t.Errorf("at 390 px, %s menu links show before the menu is opened", n)
	}
	// Clicked, then two animation frames: the opened disclosure is laid
	// out and painted before its links are counted (a signal, not a delay).
	run("open the menu", `(document.querySelector('.site-menu__button').click(),
		new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))`)
	if n := run("visible menu links", visible); n != "7" {
		t.Errorf("the opened menu shows %s links, want 7", n)
	}

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900)); err != nil {
		t.Fatal(err)
	}
	navigate("/")
	if n := run("visible menu links", visible); n != "7" {
		t.Errorf("at 1366 px %s menu links show, want 7 in a row", n)
	}
	if v := run("menu button", `document.querySelector('.site-menu__button').checkVisibility()`); v != "false" {
		t.Error("at 1366 px the menu button shows beside the row of links")
	}
	navigate(shotPages[3].path)
	// The button is in the markup, invisible until the script makes it
	// work (its room kept from the first paint).
	if v := run("share button", `document.querySelector('.quote__share').checkVisibility({visibilityProperty: true})`); v != "true" {
		t.Fatal("the share button stays invisible with the script")
	}
	if l := run("share label", `document.querySelector('.quote__share').textContent`); l != "Partager" {
		t.Errorf("the share button says %q, want Partager", l)
	}
	// Where the browser cannot share, the button copies, and says so.
	if l := run("share title", `typeof navigator.share === 'function' || document.querySelector('.quote__share').title`); l != "true" && l != "Copier le lien" {
		t.Errorf("the share button's title is %q, want Copier le lien where the browser cannot share", l)
	}
	run("click share", `(document.querySelector('.quote__share').click(), true)`)
	status := `new Promise(r => { const s = document.querySelector('.quote__share-status'); const f = () => s.textContent ? r(s.textContent) : requestAnimationFrame(f); f(); })`
	if got := run("share status", status); got != "Lien copié" && !strings.HasSuffix(got, shotPages[3].path) {
		t.Errorf("after a click the share status says %q, want Lien copié (or the address to copy)", got)
	}
}
