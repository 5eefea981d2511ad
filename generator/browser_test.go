package generator_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// chromium is Debian's browser, which the browser tests of this package drive.
const chromium = "/usr/bin/chromium"

// needChromium skips the test where Chromium is not installed, and fails
// it in CI, where .ci/run installs it.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is required in CI")
		}
		t.Skip("chromium not installed: apt-get install chromium")
	}
}

// headless is an allocator of headless Chromium windows of the given size,
// with the flags every browser test of this package uses.
func headless(ctx context.Context, width, height int) (context.Context, context.CancelFunc) {
	return chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(width, height))
}

// heldBack serves a built site, holding back the files whose path starts
// with held until the page asks for /release: served at once from this
// machine, they would arrive before the first layout, where a slow network
// or a loaded machine brings them after it. rearm holds them again, for
// the next page.
type heldBack struct {
	*httptest.Server
	mu   sync.Mutex
	gate chan struct{}
}

func serveHeldBack(public, held string) *heldBack {
	h := &heldBack{gate: make(chan struct{})}
	files := http.FileServer(http.Dir(public))
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		gate := h.gate
		h.mu.Unlock()
		switch {
		case r.URL.Path == "/release":
			select {
			case <-gate:
			default:
				close(gate)
			}
		case strings.HasPrefix(r.URL.Path, held):
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
		}
		files.ServeHTTP(w, r)
	}))
	return h
}

func (h *heldBack) rearm() {
	h.mu.Lock()
	h.gate = make(chan struct{})
	h.mu.Unlock()
}
