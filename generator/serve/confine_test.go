package serve

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

const secretText = "TOP SECRET, outside the site"

// attachSite makes a site folder with one attachment, photo.txt, and a
// secret file in another folder; it returns the site, the attachment's path
// and the secret's path.
func attachSite(t *testing.T) (site, photo, secret string) {
	t.Helper()
	site = t.TempDir()
	photo = filepath.Join(site, "content", "dossiers", "d", "photo.txt")
	writeFile(t, photo, "attached file")
	secret = filepath.Join(t.TempDir(), "secret.txt")
	writeFile(t, secret, secretText)
	return site, photo, secret
}

// An attachment swapped, over and over, between a file of the site and a
// link to a file outside it is never served from outside: the open itself
// is confined to the site folder, so no check can be raced.
func TestAttachmentSymlinkRace(t *testing.T) {
	site, photo, secret := attachSite(t)
	fb := &fakeBuild{tree: siteTree(cssV1, filepath.Dir(photo))}
	ts := startServer(t, fb, Config{SiteDir: site}, nil)

	// The swapper renames, atomically, a hard link of the regular file or
	// a symlink to the secret over the attachment.
	dir := filepath.Dir(photo)
	good := filepath.Join(dir, "photo.good")
	writeFile(t, good, "attached file")
	tmpFile, tmpLink := filepath.Join(dir, "photo.tmp-file"), filepath.Join(dir, "photo.tmp-link")
	stop := make(chan struct{})
	var swaps atomic.Int64
	var swapErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := os.Symlink(secret, tmpLink); err != nil {
				swapErr = err
				return
			}
			if err := os.Rename(tmpLink, photo); err != nil {
				swapErr = err
				return
			}
			if err := os.Link(good, tmpFile); err != nil {
				swapErr = err
				return
			}
			if err := os.Rename(tmpFile, photo); err != nil {
				swapErr = err
				return
			}
			swaps.Add(1)
		}
	}()
	stopSwapper := sync.OnceFunc(func() {
		close(stop)
		wg.Wait()
	})
	defer stopSwapper()

	const workers, perWorker = 4, 5000
	var served, refused, leaked atomic.Int64
	var reqErr atomic.Value
	url := "http://" + ts.addr + "/dossiers/d/photo.txt"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	defer client.CloseIdleConnections()
	var reqs sync.WaitGroup
	for range workers {
		reqs.Add(1)
		go func() {
			defer reqs.Done()
			for range perWorker {
				if leaked.Load() > 0 || reqErr.Load() != nil {
					return // failed already
				}
				resp, err := client.Get(url)
				if err != nil {
					reqErr.Store(err)
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					reqErr.Store(err)
					return
				}
				switch {
				case strings.Contains(string(body), "TOP SECRET"):
					leaked.Add(1)
				case resp.StatusCode == 200 && string(body) == "attached file":
					served.Add(1)
				case resp.StatusCode == 404:
					refused.Add(1)
				default:
					reqErr.Store(&unexpected{resp.StatusCode, string(body)})
					return
				}
			}
		}()
	}
	reqs.Wait()
	stopSwapper()
	if swapErr != nil {
		t.Fatalf("swapping the attachment: %v", swapErr)
	}
	if err := reqErr.Load(); err != nil {
		t.Fatalf("request: %v", err)
	}
	t.Logf("%d swaps; %d served, %d refused, %d leaked", swaps.Load(), served.Load(), refused.Load(), leaked.Load())
	if leaked.Load() > 0 {
		t.Fatalf("the secret outside the site was served (%d times)", leaked.Load())
	}
	if served.Load() == 0 {
		t.Error("the attachment was never served")
	}
}

type unexpected struct {
	status int
	body   string
}

func (u *unexpected) Error() string {
	return "unexpected response " + http.StatusText(u.status) + ": " + u.body
}

// At request time, an attachment that leads outside the site — a symlink,
// a linked folder, a path the build recorded outside it — gets 404; links
// that stay inside the site, also through a linked site folder, are served.
func TestAttachmentConfined(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, site, photo, secret string) (siteDir, attachDir string)
		want  int
	}{
		{"regular file", func(t *testing.T, site, photo, secret string) (string, string) {
			return site, filepath.Dir(photo)
		}, 200},
		{"symlink to a file outside", func(t *testing.T, site, photo, secret string) (string, string) {
			replaceWithLink(t, photo, secret)
			return site, filepath.Dir(photo)
		}, 404},
		{"relative symlink climbing out", func(t *testing.T, site, photo, secret string) (string, string) {
			rel, err := filepath.Rel(filepath.Dir(photo), secret)
			if err != nil {
				t.Fatal(err)
			}
			replaceWithLink(t, photo, rel)
			return site, filepath.Dir(photo)
		}, 404},
		{"folder linked outside", func(t *testing.T, site, photo, secret string) (string, string) {
			outside := filepath.Dir(secret)
			writeFile(t, filepath.Join(outside, "photo.txt"), secretText)
			replaceWithLink(t, filepath.Dir(photo), outside)
			return site, filepath.Dir(photo)
		}, 404},
		{"recorded outside the site", func(t *testing.T, site, photo, secret string) (string, string) {
			writeFile(t, filepath.Join(filepath.Dir(secret), "photo.txt"), secretText)
			return site, filepath.Dir(secret)
		}, 404},
		{"symlink inside the site", func(t *testing.T, site, photo, secret string) (string, string) {
			other := filepath.Join(site, "content", "dossiers", "other.txt")
			writeFile(t, other, "attached file")
			replaceWithLink(t, photo, filepath.Join("..", "other.txt"))
			return site, filepath.Dir(photo)
		}, 200},
		{"site folder reached through a link", func(t *testing.T, site, photo, secret string) (string, string) {
			link := filepath.Join(t.TempDir(), "site-link")
			if err := os.Symlink(site, link); err != nil {
				t.Fatal(err)
			}
			return link, filepath.Join(link, "content", "dossiers", "d")
		}, 200},
		{"folder instead of a file", func(t *testing.T, site, photo, secret string) (string, string) {
			if err := os.Remove(photo); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(photo, 0o755); err != nil {
				t.Fatal(err)
			}
			return site, filepath.Dir(photo)
		}, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site, photo, secret := attachSite(t)
			siteDir, attachDir := tt.setup(t, site, photo, secret)
			fb := &fakeBuild{tree: siteTree(cssV1, attachDir)}
			ts := startServer(t, fb, Config{SiteDir: siteDir}, nil)
			resp, body := get(t, ts, "/dossiers/d/photo.txt")
			if strings.Contains(body, "TOP SECRET") {
				t.Fatalf("the secret outside the site was served: %d %q", resp.StatusCode, body)
			}
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d; body %q", resp.StatusCode, tt.want, body)
			}
			if tt.want == 200 {
				if body != "attached file" {
					t.Errorf("body %q", body)
				}
				if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
					t.Errorf("Cache-Control %q", cc)
				}
			}
		})
	}
}

// replaceWithLink replaces path (a file or a folder) by a symlink to target.
func replaceWithLink(t *testing.T, path, target string) {
	t.Helper()
	if err := os.RemoveAll(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}

// The root that confines attachments is released with the server.
func TestCloseReleasesRoot(t *testing.T) {
	site, photo, _ := attachSite(t)
	s, err := newServer(Config{Bind: "127.0.0.1", SiteDir: site}, &fakeBuild{tree: siteTree(cssV1, filepath.Dir(photo))})
	if err != nil {
		t.Fatal(err)
	}
	if s.root == nil {
		t.Fatal("no root opened for the site folder")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.root.Open("content"); err == nil {
		t.Error("the root is still open after Close")
	}
}
