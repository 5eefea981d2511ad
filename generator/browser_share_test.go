package generator_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdpage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
)

// TestBrowserShareButtonsDoNotShift holds js/share.js back until the page
// has been laid out and painted, as a slow network or a loaded machine
// does (the script is deferred, so nothing waits for it), then lets it run
// and compares every quote's box before and after: the buttons it makes
// work must be in the room the markup kept for them, or every row below
// the quotes moves (a layout shift the reader sees, which
// TestBrowserPicturesDoNotShift once caught under load). Checked on the
// three layouts that load the script, at a desktop, a narrow desktop and a
// phone width.
func TestBrowserShareButtonsDoNotShift(t *testing.T) {
	needChromium(t)
	public := filepath.Join(t.TempDir(), "public")
	if _, err := generator.Publish(generator.Options{SiteDir: "..", Theme: dossier.DefaultTheme}, public); err != nil {
		t.Fatal(err)
	}
	quotePage := firstPage(t, public, "citations", 2) // /citations/<dossier>/<quote>/
	dossierPage := "/" + strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(filepath.Dir(mainDossier)), "content/"), "/") + "/"
	pages := []string{dossierPage, quotePage, "/citations/"}

	// The script waits until the page asks for /release.
	srv := serveHeldBack(public, "/js/share.")
	defer srv.Close()

	// Each quote's box, and where the page ends, before the script runs
	// and after its buttons are in.
	const measure = `(async () => {
		const boxes = () => [...document.querySelectorAll("figure.quote")].map(f => {
			const r = f.getBoundingClientRect();
			return Math.round(r.width * 100) / 100 + "×" + Math.round(r.height * 100) / 100;
		}).concat(["page " + document.documentElement.scrollHeight]);
		await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
		const before = boxes();
		await fetch("/release");
		await new Promise(r => { if (document.readyState === "complete") r(); else addEventListener("load", r); });
		await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
		return JSON.stringify({before, after: boxes(), buttons: document.querySelectorAll(".quote__share--live").length});
	})()`

	bound, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for _, width := range []int{1366, 1000, 390} {
		alloc, cancelAlloc := headless(bound, width, 800)
		browser, cancelBrowser := chromedp.NewContext(alloc)
		if err := chromedp.Do(browser); err != nil {
			t.Fatal(err)
		}
		for _, page := range pages {
			srv.rearm()
			// A new tab for each page: polling a page just navigated away
			// from can ask a context that is gone.
			ctx, cancelTab := chromedp.NewContext(browser)
			// The viewport set before the page loads (as in
			// TestBrowserPicturesDoNotShift).
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), 800)); err != nil {
				t.Fatal(err)
			}
			// Navigate without waiting for the load event, which waits
			// for the script held back.
			if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, cdpage.Navigate, cdpage.NavigateParams{URL: srv.URL + page})
				return err
			})); err != nil {
				t.Fatalf("%s at %d px: %v", page, width, err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState !== "loading" && !!document.querySelector("figure.quote")`)); err != nil {
				t.Fatalf("%s at %d px: the page does not load: %v", page, width, err)
			}
			out, err := chromedp.Run(ctx, chromedp.Evaluate[string](measure, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("%s at %d px: %v", page, width, err)
			}
			var got struct {
				Before, After []string
				Buttons       int
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if got.Buttons == 0 {
				t.Fatalf("%s at %d px: the script made no share button work (%s)", page, width, out)
			}
			if !slices.Equal(got.Before, got.After) {
				t.Errorf("%s at %d px: the quotes' boxes changed when the share buttons came in:\nbefore %q\nafter  %q", page, width, got.Before, got.After)
			}
			cancelTab()
		}
		cancelBrowser()
		cancelAlloc()
	}
}

// firstPage is the first page, in name order, depth folders under the
// section of a built site: "/section/a/b/" for depth 2.
func firstPage(t *testing.T, public, section string, depth int) string {
	t.Helper()
	path := section
	for range depth {
		dirs, err := os.ReadDir(filepath.Join(public, path))
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(dirs, os.DirEntry.IsDir)
		if i < 0 {
			t.Fatalf("no folder in %s", path)
		}
		path += "/" + dirs[i].Name()
	}
	return "/" + path + "/"
}
