package deploy

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gocloud.dev/blob"
)

// site writes a small built site into a new folder.
func site(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var sample = map[string]string{
	"index.html":                   "<p>home</p>",
	"dossiers/a/index.html":        "<p>a</p>",
	"css/main.0123456789.css":      "body{}",
	"feed.xml":                     "<feed/>",
	"sitemap.xml":                  "<urlset/>",
	"dossiers/a/map.png":           "png",
	".dossier-build":               "marker",
	"search/index.0a1b2c3d4e.json": "{}",
}

// folder lists the files of a deployed folder with their contents.
func folder(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func deployTo(t *testing.T, src, target string, o Options) Summary {
	t.Helper()
	o.Dir, o.URL = src, "file://"+target
	if o.MaxDeletes == 0 {
		o.MaxDeletes = DefaultMaxDeletes
	}
	s, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A folder target ends equal to the site (plus the manifest): first all,
// then nothing, then only what changed, and deletes.
func TestDeployToFolder(t *testing.T) {
	src, dst := site(t, sample), filepath.Join(t.TempDir(), "www")
	s := deployTo(t, src, dst, Options{})
	if len(s.Uploads) != len(sample)-1 || len(s.Updates)+len(s.Deletes) != 0 {
		t.Fatalf("first deploy: %+v", s.Plan)
	}
	got := folder(t, dst)
	if _, ok := got[ManifestKey]; !ok {
		t.Error("no manifest")
	}
	delete(got, ManifestKey)
	want := folder(t, src)
	delete(want, ".dossier-build")
	if len(got) != len(want) {
		t.Fatalf("deployed %d files, want %d", len(got), len(want))
	}
	for name, data := range want {
		if got[name] != data {
			t.Errorf("%s differs", name)
		}
	}
	if s := deployTo(t, src, dst, Options{}); len(s.Uploads)+len(s.Updates)+len(s.Deletes) != 0 || s.Unchanged != len(want) {
		t.Errorf("second deploy changed something: %+v", s.Plan)
	}
	if err := os.WriteFile(filepath.Join(src, "dossiers/a/index.html"), []byte("<p>a, edited</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(src, "dossiers/a/map.png")); err != nil {
		t.Fatal(err)
	}
	s = deployTo(t, src, dst, Options{})
	if strings.Join(s.Updates, ",") != "dossiers/a/index.html" || strings.Join(s.Deletes, ",") != "dossiers/a/map.png" || len(s.Uploads) != 0 {
		t.Errorf("after one edit and one delete: %+v", s.Plan)
	}
	if got := folder(t, dst)["dossiers/a/index.html"]; got != "<p>a, edited</p>" {
		t.Errorf("edited page: %q", got)
	}
	if _, err := os.Stat(filepath.Join(dst, "dossiers/a/map.png")); !errors.Is(err, os.ErrNotExist) {
		t.Error("deleted file still there")
	}
}

// A dry run prints the plan and writes nothing; a mass delete is refused
// before anything changes.
func TestDryRunAndMaxDeletes(t *testing.T) {
	src, dst := site(t, sample), filepath.Join(t.TempDir(), "www")
	var log bytes.Buffer
	deployTo(t, src, dst, Options{DryRun: true, Log: &log})
	if _, err := os.Stat(dst); err == nil {
		if entries, _ := os.ReadDir(dst); len(entries) > 0 {
			t.Error("a dry run wrote files")
		}
	}
	if !strings.Contains(log.String(), "dry run") || !strings.Contains(log.String(), "+ dossiers/a/index.html") {
		t.Errorf("plan:\n%s", log.String())
	}
	deployTo(t, src, dst, Options{})
	empty := site(t, map[string]string{"index.html": "x"})
	_, err := Run(context.Background(), Options{Dir: empty, URL: "file://" + dst, MaxDeletes: 3})
	if err == nil || !strings.Contains(err.Error(), "refusing to delete 6 files") {
		t.Fatalf("mass delete: %v", err)
	}
	if got := folder(t, dst)["index.html"]; got != "<p>home</p>" {
		t.Error("a refused deploy changed the target")
	}
	s := deployTo(t, empty, dst, Options{MaxDeletes: -1})
	if len(s.Deletes) != 6 {
		t.Errorf("unbounded deploy deleted %d", len(s.Deletes))
	}
}

// Headers: the built-in rules, a site rule before them, and compression
// that gives the same bytes each time (so a re-deploy sends nothing).
func TestHeaders(t *testing.T) {
	for _, tc := range []struct{ name, typ, cache string }{
		{"index.html", "text/html; charset=utf-8", PageCache},
		{"css/main.0123456789.css", "text/css; charset=utf-8", ImmutableCache},
		{"feed.xml", "application/atom+xml; charset=utf-8", PageCache},
		{"img/photo.webp", "image/webp", FileCache},
		{"fonts/a.0123456789.woff2", "font/woff2", ImmutableCache},
		{"events.ics", "text/calendar; charset=utf-8", PageCache},
		{"_redirects", "application/octet-stream", PageCache},
		{"img/logo.svg", "image/svg+xml", FileCache},
		{"img/p.avif", "image/avif", FileCache},
	} {
		h := headersFor(tc.name, DefaultRules)
		if h.ContentType != tc.typ || h.CacheControl != tc.cache {
			t.Errorf("%s: %q %q, want %q %q", tc.name, h.ContentType, h.CacheControl, tc.typ, tc.cache)
		}
	}
	rules := append([]Rule{{Pattern: regexp.MustCompile(`^img/`), CacheControl: "public, max-age=86400", Compress: "gzip"}}, DefaultRules...)
	if h := headersFor("img/logo.svg", rules); h.CacheControl != "public, max-age=86400" || h.Encoding != "gzip" || h.ContentType != "image/svg+xml" {
		t.Errorf("site rule: %+v", h)
	}
	for _, enc := range []string{"gzip", "br"} {
		a, err := compress([]byte(strings.Repeat("dossier ", 100)), enc)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := compress([]byte(strings.Repeat("dossier ", 100)), enc)
		if !bytes.Equal(a, b) || len(a) >= 800 {
			t.Errorf("%s: not deterministic or not compressed (%d bytes)", enc, len(a))
		}
	}
}

// Headers are stored with the files, and a change of headers alone sends
// the file again.
func TestHeadersStoredAndCompared(t *testing.T) {
	src, dst := site(t, sample), filepath.Join(t.TempDir(), "www")
	url := "file://" + dst + "?metadata="
	if _, err := Run(context.Background(), Options{Dir: src, URL: url, MaxDeletes: -1}); err != nil {
		t.Fatal(err)
	}
	b, err := blob.OpenBucket(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	a, err := b.Attributes(context.Background(), "css/main.0123456789.css")
	if err != nil {
		t.Fatal(err)
	}
	if a.ContentType != "text/css; charset=utf-8" || a.CacheControl != ImmutableCache {
		t.Errorf("stored headers: %q %q", a.ContentType, a.CacheControl)
	}
	rules := []Rule{{Pattern: regexp.MustCompile(`\.css$`), Compress: "gzip"}}
	s, err := Run(context.Background(), Options{Dir: src, URL: url, Rules: rules, MaxDeletes: -1})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(s.Updates, ",") != "css/main.0123456789.css" {
		t.Errorf("headers changed, updates: %v", s.Updates)
	}
	if a, _ := b.Attributes(context.Background(), "css/main.0123456789.css"); a.ContentEncoding != "gzip" {
		t.Errorf("encoding %q", a.ContentEncoding)
	}
	data, err := b.ReadAll(context.Background(), "css/main.0123456789.css")
	if err != nil || bytes.Equal(data, []byte("body{}")) {
		t.Errorf("stored bytes are not compressed: %q %v", data, err)
	}
}

// A deploy cut short (here after its first upload) is completed by the
// next one, which trusts the manifest the first left.
func TestInterruptedDeployIsCompleted(t *testing.T) {
	src, dst := site(t, sample), filepath.Join(t.TempDir(), "www")
	deployTo(t, src, dst, Options{})
	for name, data := range map[string]string{"index.html": "<p>home 2</p>", "dossiers/b/index.html": "<p>b</p>", "css/main.9876543210.css": "a{}"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(src, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(filepath.Join(src, "css/main.0123456789.css")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	afterPut = func(string) { cancel() }
	defer func() { afterPut = nil }()
	if _, err := Run(ctx, Options{Dir: src, URL: "file://" + dst, MaxDeletes: -1, Workers: 1}); err == nil {
		t.Fatal("the cut deploy did not fail")
	}
	afterPut = nil
	if got := folder(t, dst); got["index.html"] == "<p>home 2</p>" && got["dossiers/b/index.html"] == "<p>b</p>" {
		t.Fatal("the deploy was not cut")
	}
	deployTo(t, src, dst, Options{})
	got, want := folder(t, dst), folder(t, src)
	delete(got, ManifestKey)
	delete(want, ".dossier-build")
	if len(got) != len(want) {
		t.Errorf("target holds %d files, the site %d", len(got), len(want))
	}
	for name, data := range want {
		if got[name] != data {
			t.Errorf("%s: %q, want %q", name, got[name], data)
		}
	}
}

// A deploy trusts its manifest, not a listing (which is slow on large
// buckets): a target changed behind its back is repaired with Verify, which
// lists and compares every object by content; a target without a manifest
// is always listed.
func TestVerifyRepairsATarget(t *testing.T) {
	src, dst := site(t, sample), filepath.Join(t.TempDir(), "www")
	deployTo(t, src, dst, Options{})
	if err := os.Remove(filepath.Join(dst, "feed.xml")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "index.html"), []byte("<p>HOME</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "stray.html"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s := deployTo(t, src, dst, Options{}); len(s.Uploads)+len(s.Updates)+len(s.Deletes) != 0 {
		t.Errorf("without Verify the manifest stands: %+v", s.Plan)
	}
	s := deployTo(t, src, dst, Options{Verify: true})
	if strings.Join(s.Uploads, ",") != "feed.xml" || strings.Join(s.Updates, ",") != "index.html" || strings.Join(s.Deletes, ",") != "stray.html" {
		t.Errorf("verify: %+v", s.Plan)
	}
	if err := os.Remove(filepath.Join(dst, ManifestKey)); err != nil {
		t.Fatal(err)
	}
	if s := deployTo(t, src, dst, Options{}); len(s.Updates) != len(sample)-1 {
		t.Errorf("without a manifest every file's headers are unknown: %+v", s.Plan)
	}
	if s := deployTo(t, src, dst, Options{}); len(s.Updates)+len(s.Uploads) != 0 {
		t.Errorf("after it: %+v", s.Plan)
	}
}

func TestRetry(t *testing.T) {
	retryDelay = 0
	calls := 0
	err := retry(context.Background(), func() error { calls++; return errors.New("503") })
	if calls != 4 || err == nil {
		t.Errorf("a failing upload: %d calls, %v", calls, err)
	}
	calls = 0
	_ = retry(context.Background(), func() error { calls++; return os.ErrNotExist })
	if calls != 1 {
		t.Errorf("a permanent error was tried %d times", calls)
	}
}

func TestSecretAndTargets(t *testing.T) {
	for url, want := range map[string]string{
		"s3://b?region=eu-west-3":                   "",
		"s3://b?region=x&aws_secret_access_key=abc": "the parameter aws_secret_access_key",
		"azblob://c?sas_token=x":                    "the parameter sas_token",
		"s3://user:pass@b":                          "a password",
		"file:///srv/www":                           "",
	} {
		if got := Secret(url); got != want {
			t.Errorf("Secret(%s) = %q, want %q", url, got, want)
		}
	}
	if _, err := targetURL("ftp://host/x"); err == nil {
		t.Error("ftp:// accepted")
	}
	if got := Redact("s3://b?secret=x"); got != "s3://b" {
		t.Errorf("Redact: %q", got)
	}
}
