package sitecheck_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// shotPages are the main page kinds of the example site, by name.
var shotPages = []struct{ name, path string }{
	{"home", "/"},
	{"dossier", "/dossiers/russie-coree-du-nord-pacte-2024/"},
	{"dossier-quotes", "/citations/russie-coree-du-nord-pacte-2024/"},
	{"quote", "/citations/russie-coree-du-nord-pacte-2024/vladimir-putin-2024-06-19-le-traite-de-partenariat/"},
	{"quote-fragment", "/citations/russie-coree-du-nord-pacte-2024/vladimir-putin-2024-06-19-constant-et-indefectible/"},
	{"quotes", "/citations/"},
	{"actor-person", "/acteurs/vladimir-putin/"},
	{"actor-state", "/acteurs/north-korea/"},
	{"actors", "/acteurs/"},
	{"treaty", "/traites/russia-dprk-partnership-2024/"},
	{"treaties", "/traites/"},
	{"timeline", "/chronologie/"},
	{"tag", "/themes/sanctions/"},
	{"map", "/carte/"},
	{"search", "/recherche/?q=traité"},
	{"404", "/no-such-page/"},
}

// TestShots writes full-page screenshots of the main page kinds at 1366
// and 390 CSS px, light and dark, into $DOSSIER_SHOTS (make shots): files
// to look at when reviewing a change of the theme, not goldens. Without
// the variable it does nothing.
func TestShots(t *testing.T) {
	dir := os.Getenv("DOSSIER_SHOTS")
	if dir == "" {
		t.Skip("set DOSSIER_SHOTS=folder (make shots) to write screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ts, _ := exampleServer(t)
	ctx := browser(t)
	n := 0
	for _, width := range []int64{1366, 390} {
		for _, scheme := range []string{"light", "dark"} {
			if err := chromedp.Do(ctx, colorScheme(scheme), chromedp.EmulateViewport(width, 900, chromedp.EmulateScale(1))); err != nil {
				t.Fatal(err)
			}
			for _, p := range shotPages {
				png, err := shot(ctx, ts.URL+p.path)
				if err != nil {
					t.Fatalf("%s at %d px, %s: %v", p.path, width, scheme, err)
				}
				name := filepath.Join(dir, fmt.Sprintf("%s-%d-%s.png", p.name, width, scheme))
				if err := os.WriteFile(name, png, 0o644); err != nil {
					t.Fatal(err)
				}
				n++
			}
		}
	}
	t.Logf("%d screenshots in %s", n, dir)
}

// shot loads a page, waits until its scripts have run and its fonts are
// ready, and captures the whole page.
func shot(ctx context.Context, url string) ([]byte, error) {
	sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, chromedp.Navigate(url)); err != nil {
		return nil, err
	}
	if _, err := chromedp.Run(sctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r(true))))`, chromedp.EvalAwaitPromise)); err != nil {
		return nil, err
	}
	return chromedp.Run(sctx, chromedp.FullScreenshot(90))
}
