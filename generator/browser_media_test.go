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
	"github.com/dossier-ssg/dossier/internal/testimage"
)

// TestBrowserPicturesDoNotShift opens, in headless Chromium, the example
// dossier with a 1800×1200 lead image (the hero, above the fold) and a
// figure lower in the article, scrolls to the figure so that it loads
// (it is lazy), waits until every picture is decoded, and reads the
// Cumulative Layout Shift through PerformanceObserver: it must be 0, which
// the width and height of each <img> ensure (and their ratio as the box's:
// the ratio of the variant picked differs by a fraction of a pixel). It
// checks that no picture's box changed when it arrived, and too that the
// browser picked a srcset candidate for each picture (currentSrc is one of
// the variants, WebP or the source format).
func TestBrowserPicturesDoNotShift(t *testing.T) {
	needChromium(t)
	dir := copySite(t)
	addMedia(t, dir)
	if err := os.WriteFile(filepath.Join(dir, leadImage), testimage.JPEG(1800, 1200, 3), 0o644); err != nil {
		t.Fatal(err)
	}
	public := filepath.Join(t.TempDir(), "public")
	if _, err := generator.Publish(generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme}, public); err != nil {
		t.Fatal(err)
	}
	// Pictures are held back until the page has been laid out and painted
	// (the page asks for /release): served at once, they would arrive
	// before the first layout, and a missing size would shift nothing.
	srv := serveHeldBack(public, "/media/")
	defer srv.Close()

	bound, cancelBound := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancelBound()
	allocCtx, cancelAlloc := headless(bound, 1000, 700)
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	defer cancelTab()
	page := srv.URL + "/" + strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(filepath.Dir(mainDossier)), "content/"), "/") + "/"
	// The viewport is set before the page loads: once, under heavy load,
	// the header's menu row showed up 1.5 s after the first layout (NAV
	// shifted, no picture did), as if the first layout had a narrower
	// window than the one asked for (the menu's row needs 40 rem).
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1000, 700)); err != nil {
		t.Fatal(err)
	}
	// Navigate without waiting for the load event, which waits for the
	// pictures held back.
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdpage.Navigate, cdpage.NavigateParams{URL: page})
		return err
	})); err != nil {
		t.Fatalf("navigate %s: %v", page, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState !== "loading" && !!document.querySelector("main picture img")`)); err != nil {
		t.Fatalf("the page does not load: %v", err)
	}
	// Every picture of the article is brought into view in turn and
	// decoded; then the layout shifts recorded since the page started.
	const measure = `(async () => {
		await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
		// Each picture's box before it arrives, to compare with its box
		// after: any difference is a shift, whether or not it happened
		// in view, which the observer alone cannot tell.
		const box = img => { const r = img.getBoundingClientRect(); return r.width + "×" + r.height; };
		const before = [...document.querySelectorAll("main picture img")].map(box);
		await fetch("/release");
		let cls = 0;
		const shifts = [];
		const observed = new Promise(resolve => {
			new PerformanceObserver(list => {
				for (const e of list.getEntries()) {
					if (e.hadRecentInput) continue;
					cls += e.value;
					// What moved, for the failure message.
					for (const s of e.sources || []) {
						const n = s.node;
						shifts.push({at: Math.round(e.startTime), node: n ? (n.nodeName + (n.className && n.className.baseVal === undefined ? "." + n.className : "")) : "?", from: [s.previousRect.y, s.previousRect.height], to: [s.currentRect.y, s.currentRect.height]});
					}
				}
				resolve();
			}).observe({type: "layout-shift", buffered: true});
			requestAnimationFrame(() => requestAnimationFrame(resolve));
		});
		const imgs = [...document.querySelectorAll("main picture img")];
		for (const img of imgs) {
			img.scrollIntoView({block: "center"});
			await img.decode();
		}
		window.scrollTo(0, 0);
		await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
		await observed;
		const picked = imgs.map(img => {
			const sets = [img.getAttribute("srcset") || img.getAttribute("src")];
			const source = img.parentElement.querySelector("source");
			if (source) sets.push(source.getAttribute("srcset"));
			const candidates = sets.join(",").split(",").map(c => new URL(c.trim().split(" ")[0], location.href).href);
			return {src: img.currentSrc, ok: candidates.includes(img.currentSrc), width: img.getAttribute("width"), height: img.getAttribute("height")};
		});
		return JSON.stringify({cls, count: imgs.length, picked, shifts, before, after: imgs.map(box)});
	})()`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](measure, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("measuring: %v", err)
	}
	var got struct {
		CLS    float64
		Count  int
		Picked []struct {
			Src           string
			OK            bool
			Width, Height string
		}
		Before, After []string
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Count < 2 {
		t.Fatalf("%d pictures in the article, want the hero and the figure: %s", got.Count, out)
	}
	if got.CLS != 0 {
		t.Errorf("Cumulative Layout Shift %g, want 0: %s", got.CLS, out)
	}
	if !slices.Equal(got.Before, got.After) {
		t.Errorf("the pictures' boxes changed when they arrived: %q before, %q after", got.Before, got.After)
	}
	for _, p := range got.Picked {
		if !p.OK || p.Width == "" || p.Height == "" {
			t.Errorf("picture %+v: the browser's choice is not a srcset candidate, or the <img> has no size", p)
		}
	}
}
