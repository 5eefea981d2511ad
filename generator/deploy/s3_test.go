package deploy

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gocloud.dev/blob"

	"github.com/dossier-ssg/dossier/internal/seaweed"
)

// keys lists the bucket's objects with their contents.
func keys(t *testing.T, b *blob.Bucket) map[string]string {
	t.Helper()
	out := map[string]string{}
	it := b.List(nil)
	for {
		obj, err := it.Next(context.Background())
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := b.ReadAll(context.Background(), obj.Key)
		if err != nil {
			t.Fatal(err)
		}
		out[obj.Key] = string(data)
	}
}

// get fetches a key over HTTP (a presigned GET, as a CDN in front of the
// bucket would) and returns the response headers.
func get(t *testing.T, b *blob.Bucket, key string) http.Header {
	t.Helper()
	u, err := b.SignedURL(context.Background(), key, &blob.SignedURLOptions{Expiry: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Asked for explicitly, gzip is not decoded by the client: the test
	// sees the Content-Encoding the store serves.
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", key, resp.Status)
	}
	return resp.Header
}

// Against a real S3 store: first deploy, no-change deploy, one edit, a
// delete, the mass-delete refusal, a dry run, and the headers a browser
// gets, read over HTTP.
func TestDeployToS3(t *testing.T) {
	store := seaweed.Start(t, "site")
	ctx := context.Background()
	// SeaweedFS does not keep x-amz-website-redirect-location (AWS S3
	// does): a proxy in front of it records what the deploy sends.
	var mu sync.Mutex
	redirects := map[string]string{}
	backend, err := url.Parse(store.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(backend)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if loc := r.Header.Get("X-Amz-Website-Redirect-Location"); loc != "" && r.Method == http.MethodPut {
			mu.Lock()
			redirects[r.URL.Path] = loc
			mu.Unlock()
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()
	targetURL := strings.Replace(store.URL(), store.Endpoint, front.URL, 1)
	src := site(t, sample)
	rules := []Rule{{Pattern: regexp.MustCompile(`\.css$`), Compress: "gzip"}}
	run := func(o Options) Summary {
		t.Helper()
		o.Dir, o.URL, o.Rules = src, targetURL, rules
		if o.MaxDeletes == 0 {
			o.MaxDeletes = DefaultMaxDeletes
		}
		s, err := Run(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := run(Options{DryRun: true}); len(s.Uploads) != len(sample)-1 {
		t.Errorf("dry run plan: %+v", s.Plan)
	}
	b, err := blob.OpenBucket(ctx, store.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got := keys(t, b); len(got) != 0 {
		t.Fatalf("a dry run wrote %d objects", len(got))
	}
	run(Options{Redirects: map[string]string{"dossiers/a/index.html": "/dossiers/b/"}})
	got := keys(t, b)
	want := folder(t, src)
	delete(want, ".dossier-build")
	if len(got) != len(want)+1 {
		t.Errorf("bucket holds %d objects, want %d and the manifest", len(got), len(want))
	}
	for name, data := range want {
		if name != "css/main.0123456789.css" && got[name] != data {
			t.Errorf("%s: %q, want %q", name, got[name], data)
		}
	}
	for key, want := range map[string][3]string{
		"index.html":              {"text/html; charset=utf-8", PageCache, ""},
		"css/main.0123456789.css": {"text/css; charset=utf-8", ImmutableCache, "gzip"},
		"feed.xml":                {"application/atom+xml; charset=utf-8", PageCache, ""},
		"dossiers/a/map.png":      {"image/png", FileCache, ""},
	} {
		h := get(t, b, key)
		if h.Get("Content-Type") != want[0] || h.Get("Cache-Control") != want[1] || h.Get("Content-Encoding") != want[2] {
			t.Errorf("%s: %q %q %q, want %v", key, h.Get("Content-Type"), h.Get("Cache-Control"), h.Get("Content-Encoding"), want)
		}
	}
	mu.Lock()
	if loc := redirects["/site/dossiers/a/index.html"]; loc != "/dossiers/b/" || len(redirects) != 1 {
		t.Errorf("redirect locations sent: %v", redirects)
	}
	mu.Unlock()
	if s := run(Options{Redirects: map[string]string{"dossiers/a/index.html": "/dossiers/b/"}}); len(s.Uploads)+len(s.Updates)+len(s.Deletes) != 0 {
		t.Errorf("no-change deploy: %+v", s.Plan)
	}
	if err := os.WriteFile(filepath.Join(src, "index.html"), []byte("<p>home, edited</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(src, "feed.xml")); err != nil {
		t.Fatal(err)
	}
	s := run(Options{Redirects: map[string]string{"dossiers/a/index.html": "/dossiers/b/"}})
	if strings.Join(s.Updates, ",") != "index.html" || strings.Join(s.Deletes, ",") != "feed.xml" || len(s.Uploads) != 0 {
		t.Errorf("one edit, one delete: %+v", s.Plan)
	}
	for _, name := range []string{"dossiers/a/index.html", "dossiers/a/map.png", "sitemap.xml"} {
		if err := os.Remove(filepath.Join(src, name)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Run(ctx, Options{Dir: src, URL: store.URL(), Rules: rules, MaxDeletes: 2}); err == nil || !strings.Contains(err.Error(), "refusing to delete 3") {
		t.Errorf("mass delete: %v", err)
	}
	after := keys(t, b)
	var names []string
	for k := range after {
		names = append(names, k)
	}
	sort.Strings(names)
	if _, ok := after["sitemap.xml"]; !ok {
		t.Errorf("a refused deploy deleted files: %v", names)
	}
}
