package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/i18n"
	"github.com/dossier-ssg/dossier/generator/output"
)

// fakeServer serves the fake site; the attachment lives in a folder of its own.
func fakeServer(t *testing.T) (*testServer, *fakeBuild, string) {
	t.Helper()
	site := t.TempDir()
	attach := filepath.Join(site, "content", "dossiers", "d")
	writeFile(t, filepath.Join(attach, "photo.txt"), "attached file")
	writeFile(t, filepath.Join(site, "secret.txt"), "TOP SECRET")
	fb := &fakeBuild{tree: siteTree(cssV1, attach)}
	ts := startServer(t, fb, Config{SiteDir: site}, nil)
	return ts, fb, site
}

func TestPathSafety(t *testing.T) {
	ts, _, _ := fakeServer(t)
	tests := []struct {
		target string
		status int
	}{
		{"/", 200},
		{"/index.html", 200},
		{"/actors/", 200},
		{"/actors/kim/", 200},
		{"/actors//kim/./", 200},
		{"/" + cssName(cssV1), 200},
		{"/dossiers/d/photo.txt", 200},
		{"/actors", 302},
		{"/no/such/page", 404},
		{"//secret.txt", 404},
		{"/secret.txt", 404},
		{"/content/dossiers/d/photo.txt", 404},
		// Climbing out, plain and encoded.
		{"/../secret.txt", 400},
		{"/actors/../../secret.txt", 400},
		{"/actors/../index.html", 400},
		{"/..", 400},
		{"/%2e%2e/secret.txt", 400},
		{"/%2E%2E/%2e%2E/etc/passwd", 400},
		{"/.%2e/secret.txt", 400},
		{"/..%2fsecret.txt", 400},
		{"/..%2f..%2f..%2fetc%2fpasswd", 400},
		{"/actors/..%2F..%2Fsecret.txt", 400},
		{"/%252e%252e/secret.txt", 400},
		{"/%252e%252e%252fsecret.txt", 400},
		{"/actors/%25252e%25252e/secret.txt", 400},
		{"/%2525252525252e%2525252525252e/x", 400},
		// Backslashes, raw and encoded (Windows separators).
		{`/..\secret.txt`, 400},
		{`/actors\kim`, 400},
		{"/%5c..%5csecret.txt", 400},
		{"/%255c", 400},
		// NUL.
		{"/index.html%00", 400},
		{"/index.html%00.css", 400},
		{"/%2500", 400},
		// Very long.
		{"/" + strings.Repeat("a", 3000), 414},
		{"/?" + strings.Repeat("q", 3000), 414},
		{"/" + strings.Repeat("a/", 40000), 431},
		// A lone percent is just a character.
		{"/100%25", 404},
	}
	for _, tt := range tests {
		name := tt.target
		if len(name) > 60 {
			name = name[:60] + "…"
		}
		t.Run(name, func(t *testing.T) {
			resp, body := raw(t, ts.addr, "GET", tt.target, ts.addr)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d; body %.200q", resp.StatusCode, tt.status, body)
			}
			if strings.Contains(body, "TOP SECRET") {
				t.Errorf("a file outside the site leaked")
			}
			if resp.StatusCode == 200 && tt.target == "/dossiers/d/photo.txt" && body != "attached file" {
				t.Errorf("attachment body %q", body)
			}
		})
	}
}

func TestCleanPath(t *testing.T) {
	for in, want := range map[string]string{
		"/":           "/",
		"/a/b/":       "/a/b",
		"//a//b":      "/a/b",
		"/a/./b":      "/a/b",
		"a":           "/a",
		"/caf\u00e9/": "/caf\u00e9",
		"/100%":       "/100%",
		"/%41":        "/%41", // looked up as decoded once, by net/http: "%41" is the name
	} {
		if got, ok := cleanPath(in); !ok || got != want {
			t.Errorf("cleanPath(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"/..", "/a/../b", "/%2e%2e", "/%252E%252E", "/a\\b", "/%5c", "/a\x00", "/%00", "/%25%30%30",
		"/" + strings.Repeat("%25", 6) + "2e" + "/"} {
		if got, ok := cleanPath(in); ok {
			if in == "/"+strings.Repeat("%25", 6)+"2e/" {
				continue // decodes to "%%%2e"-like text, not "..": fine either way
			}
			t.Errorf("cleanPath(%q) = %q, accepted", in, got)
		}
	}
}

func TestMethods(t *testing.T) {
	ts, _, _ := fakeServer(t)
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"} {
		for _, target := range []string{"/", "/index.html", eventsPath, scriptPath} {
			resp, _ := raw(t, ts.addr, m, target, ts.addr)
			if resp.StatusCode != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: status %d, want 405", m, target, resp.StatusCode)
			}
			if allow := resp.Header.Get("Allow"); allow != "GET, HEAD" {
				t.Errorf("%s %s: Allow %q", m, target, allow)
			}
		}
	}
	resp, body := raw(t, ts.addr, "HEAD", "/", ts.addr)
	if resp.StatusCode != 200 || body != "" || resp.ContentLength <= 0 {
		t.Errorf("HEAD /: %d, body %q, length %d", resp.StatusCode, body, resp.ContentLength)
	}
	for _, h := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"} {
		if v := resp.Header.Get(h); v != "" {
			t.Errorf("CORS header %s: %s", h, v)
		}
	}
}

func TestHostCheck(t *testing.T) {
	ts, _, _ := fakeServer(t)
	port := strconv.Itoa(ts.Port())
	for host, want := range map[string]int{
		"127.0.0.1:" + port:               200,
		"localhost:" + port:               200,
		"LOCALHOST:" + port:               200,
		"localhost.:" + port:              200,
		"[::1]:" + port:                   200,
		"127.0.0.1":                       200,
		"evil.example:" + port:            403,
		"evil.example":                    403,
		"127.0.0.1.nip.io:" + port:        403,
		"localhost.evil.example:" + port:  403,
		"attacker.localhost.evil:" + port: 403,
	} {
		resp, body := raw(t, ts.addr, "GET", "/", host)
		if resp.StatusCode != want {
			t.Errorf("Host %q: status %d, want %d", host, resp.StatusCode, want)
		}
		if want == 403 && strings.Contains(body, "<h1>Home") {
			t.Errorf("Host %q: page served", host)
		}
	}
	// The event stream is guarded too.
	if resp, _ := raw(t, ts.addr, "GET", eventsPath, "evil.example:"+port); resp.StatusCode != 403 {
		t.Errorf("event stream for a foreign Host: %d", resp.StatusCode)
	}
	// HTTP/1.1 without Host is refused by net/http itself; with an empty one by us.
	if resp, _ := raw(t, ts.addr, "GET", "/", ""); resp.StatusCode != 400 && resp.StatusCode != 403 {
		t.Errorf("no Host: %d", resp.StatusCode)
	}
	// Bound to all interfaces, the allow-list still holds: TestHostAllowList.
}

func TestNotFound(t *testing.T) {
	ts, fb, _ := fakeServer(t)
	resp, body := get(t, ts, "/no/such/page/")
	if resp.StatusCode != 404 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if !strings.Contains(body, "Not found here") {
		t.Errorf("404.html not served: %.300s", body)
	}
	if !strings.Contains(body, `<script src="/__dossier/live.js"`) {
		t.Error("no live-reload script on the 404 page: the overlay would not show")
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q", ct)
	}
	// Without a 404.html, a minimal page, still with the script.
	fb.set(func(f *fakeBuild) { delete(f.tree, "404.html") })
	ts.Rebuild([]string{"x"})
	resp, body = get(t, ts, "/no/<b>such</b>")
	if resp.StatusCode != 404 || !strings.Contains(body, "404 page not found") || !strings.Contains(body, "live.js") {
		t.Errorf("status %d, body %.300s", resp.StatusCode, body)
	}
	if strings.Contains(body, "<b>such") {
		t.Error("the request path is not escaped on the 404 page")
	}
}

func TestInjectionOnlyHTML(t *testing.T) {
	ts, fb, _ := fakeServer(t)
	tree := siteTree(cssV1, "")
	for _, p := range []string{"index.html", "actors/index.html", cssName(cssV1), "feed.xml", "img/logo.svg", "search/index.json"} {
		target := "/" + strings.TrimSuffix(p, "index.html")
		resp, body := get(t, ts, target)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d", target, resp.StatusCode)
		}
		ct := resp.Header.Get("Content-Type")
		n := strings.Count(body, scriptPath)
		if strings.HasPrefix(ct, "text/html") {
			if n != 1 {
				t.Errorf("%s (%s): script injected %d times", target, ct, n)
			}
			want := strings.Replace(string(tree[p].Data), "</body>", `<script src="/__dossier/live.js" data-gen="`+ts.site.Load().gen+`"></script>`+"\n</body>", 1)
			if body != want {
				t.Errorf("%s: injected page\n%s\nwant\n%s", target, body, want)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("%s: Cache-Control %q", target, cc)
			}
		} else if body != string(tree[p].Data) {
			t.Errorf("%s (%s) altered: %q", target, ct, body)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", target)
		}
	}
	// The build output itself is never touched.
	res, _ := fb.build()
	for p, f := range res.Tree {
		if bytes.Contains(f.Data, []byte("__dossier")) {
			t.Errorf("build output %s contains the script", p)
		}
	}
	if string(ts.site.Load().file("index.html").data) != string(tree["index.html"].Data) {
		t.Error("the served copy was modified in place")
	}
	// inject itself: case, no </body>, several </body>.
	for in, want := range map[string]string{
		"<p>x</BODY></html>":         `<p>x<script src="/__dossier/live.js" data-gen="g"></script>` + "\n</BODY></html>",
		"<p>no body":                 `<p>no body<script src="/__dossier/live.js" data-gen="g"></script>` + "\n",
		"<pre></body></pre></body>x": `<pre></body></pre><script src="/__dossier/live.js" data-gen="g"></script>` + "\n</body>x",
	} {
		if got := string(inject([]byte(in), "g")); got != want {
			t.Errorf("inject(%q) = %q, want %q", in, got, want)
		}
	}
}

// The JSON an overlay is built from cannot carry live markup, and the
// client puts text in with textContent only.
func TestOverlayEscaping(t *testing.T) {
	evil := `<script>alert("pwned")</script>`
	fb := &fakeBuild{err: diag.Errors{
		{Pos: diag.Pos{File: "content/actors/<img src=x onerror=alert(1)>.md", Line: 2, Col: 3}, Message: "bad value " + evil, Source: "name: " + evil},
	}}
	ts := startServer(t, fb, Config{}, nil)

	// First build failed: every page is the error page, escaped, with the script.
	resp, body := get(t, ts, "/")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status %d before the first good build", resp.StatusCode)
	}
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
		t.Errorf("markup from an error message reached the page unescaped:\n%s", body)
	}
	if !strings.Contains(body, "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;") {
		t.Errorf("escaped message missing:\n%s", body)
	}
	if !strings.Contains(body, scriptPath) {
		t.Error("no overlay script on the error page")
	}

	c := dialEvents(t, ts.addr)
	hello := c.expect(t, "hello")
	if strings.ContainsAny(hello.data, "<>") {
		t.Errorf("raw < or > in the event: %s", hello.data)
	}
	var h helloEvent
	hello.decode(t, &h)
	if len(h.Errors) != 1 || h.Errors[0].Message != "bad value "+evil || h.Errors[0].Source != "name: "+evil ||
		h.Errors[0].Where != "content/actors/<img src=x onerror=alert(1)>.md:2:3" {
		t.Errorf("errors %+v", h.Errors)
	}
	// A later failure, through the "errors" event.
	fb.set(func(f *fakeBuild) { f.err = diag.Errors{{Pos: diag.Pos{File: "a.md"}, Message: evil + "&"}} })
	ts.Rebuild([]string{"a.md"})
	ev := c.expect(t, "errors")
	if strings.ContainsAny(ev.data, "<>&") {
		t.Errorf("raw markup characters in the event: %s", ev.data)
	}
	var pe problemsEvent
	ev.decode(t, &pe)
	if pe.Errors[0].Message != evil+"&" {
		t.Errorf("message %q", pe.Errors[0].Message)
	}
	if raw := c.rawText(); strings.Contains(raw, "<script") || strings.Contains(raw, "<img") {
		t.Errorf("markup in the raw event stream:\n%s", raw)
	}
	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if bytes.Contains(liveJS, []byte(sink)) {
			t.Errorf("live.js uses %s", sink)
		}
	}
	if !bytes.Contains(liveJS, []byte("textContent")) {
		t.Error("live.js does not use textContent")
	}
}

func TestProblemsSourceLine(t *testing.T) {
	site := t.TempDir()
	writeFile(t, filepath.Join(site, "content/actors/kim.md"), "---\nname: Kim\ndate: n\u00e9pe\n---\n")
	err := diag.Errors{
		{Pos: diag.Pos{File: "content/actors/kim.md", Line: 3, Col: 11}, Message: "bad date"},
		{Pos: diag.Pos{File: "../outside.md", Line: 1}, Message: "outside"},
		{Pos: diag.Pos{File: "content/actors/kim.md"}, Message: "whole file"},
	}
	ps := Problems(err, site)
	if ps[0].Source != "date: n\u00e9pe" || ps[0].Mark != 9 || ps[0].Where != "content/actors/kim.md:3:11" {
		t.Errorf("%+v", ps[0])
	}
	if ps[1].Source != "" || ps[2].Source != "" {
		t.Errorf("source read where it should not be: %+v %+v", ps[1], ps[2])
	}
	if ps := Problems(errors.New("plain"), site); len(ps) != 1 || ps[0].Message != "plain" {
		t.Errorf("%+v", ps)
	}
	if ps := Problems(diag.Diagnostic{Pos: diag.Pos{File: "dossier.toml", Line: 1}, Message: "one"}, ""); len(ps) != 1 || ps[0].Where != "dossier.toml:1" {
		t.Errorf("%+v", ps)
	}
}

func TestEvents(t *testing.T) {
	ts, fb, site := fakeServer(t)
	c := dialEvents(t, ts.addr)
	var h helloEvent
	c.expect(t, "hello").decode(t, &h)
	if h.Gen == "" || h.Errors != nil {
		t.Fatalf("hello %+v", h)
	}

	// Nothing changed: nothing said.
	if rep := ts.Rebuild([]string{"x"}); rep.Action != "" || len(rep.Updated) != 0 {
		t.Errorf("no-op rebuild: %+v", rep)
	}
	barrier(t, ts.Server, c)

	// A page changed: reload.
	fb.set(func(f *fakeBuild) { f.tree["actors/index.html"] = output.File{Data: page("Actors 2", cssV1)} })
	rep := ts.Rebuild([]string{"x"})
	var g genEvent
	c.expect(t, "reload").decode(t, &g)
	if rep.Action != "reload" || g.Gen == h.Gen || g.Gen != ts.site.Load().gen {
		t.Errorf("reload: %+v, gen %s (was %s)", rep, g.Gen, h.Gen)
	}
	if len(rep.Updated) != 1 || rep.Updated[0] != "actors/index.html" {
		t.Errorf("updated %q", rep.Updated)
	}

	// Only the stylesheet changed (new fingerprint, pages differ only by its
	// name and digest): swap it.
	fb.set(func(f *fakeBuild) {
		tree := siteTree(cssV2, filepath.Join(site, "content", "dossiers", "d"))
		tree["actors/index.html"] = output.File{Data: page("Actors 2", cssV2)}
		f.tree = tree
	})
	rep = ts.Rebuild([]string{"assets/css/main.css"})
	var ce cssEvent
	c.expect(t, "css").decode(t, &ce)
	want := sheet{Prefix: "/css/main.", Suffix: ".css", Href: "/" + cssName(cssV2), Integrity: sri([]byte(cssV2))}
	if rep.Action != "css" || len(ce.Sheets) != 1 || ce.Sheets[0] != want {
		t.Errorf("css: %+v, event %+v, want %+v", rep, ce, want)
	}

	// A failure: errors; the last good site is still served.
	fb.set(func(f *fakeBuild) {
		f.err = diag.Errors{{Pos: diag.Pos{File: "content/actors/kim.md", Line: 3, Col: 7}, Message: "bad date"}}
	})
	ts.Rebuild([]string{"content/actors/kim.md"})
	var pe problemsEvent
	c.expect(t, "errors").decode(t, &pe)
	if len(pe.Errors) != 1 || pe.Errors[0].Where != "content/actors/kim.md:3:7" {
		t.Errorf("errors %+v", pe.Errors)
	}
	if resp, body := get(t, ts, "/actors/"); resp.StatusCode != 200 || !strings.Contains(body, "Actors 2") {
		t.Errorf("last good site not served during errors: %d", resp.StatusCode)
	}
	// A page loading now learns about the errors in its hello.
	c2 := dialEvents(t, ts.addr)
	var h2 helloEvent
	c2.expect(t, "hello").decode(t, &h2)
	if len(h2.Errors) != 1 {
		t.Errorf("hello during errors: %+v", h2)
	}

	// Fixed, same output as before: hide the overlay, no reload.
	fb.set(func(f *fakeBuild) { f.err = nil })
	if rep := ts.Rebuild([]string{"content/actors/kim.md"}); rep.Action != "ok" {
		t.Errorf("fix: %+v", rep)
	}
	c.expect(t, "ok")
	c2.expect(t, "ok")

	// Broken again, then fixed with a change: reload (which clears it).
	fb.set(func(f *fakeBuild) { f.err = errors.New("boom") })
	ts.Rebuild([]string{"x"})
	c.expect(t, "errors")
	fb.set(func(f *fakeBuild) { f.err = nil; f.tree["index.html"] = output.File{Data: page("Home 2", cssV2)} })
	ts.Rebuild([]string{"x"})
	c.expect(t, "reload")
	c2.expect(t, "errors")
	c2.expect(t, "reload")
}

// An attachment rewritten in place (same path in the tree) reloads pages.
func TestAttachmentChange(t *testing.T) {
	ts, _, site := fakeServer(t)
	c := dialEvents(t, ts.addr)
	c.expect(t, "hello")
	photo := filepath.Join(site, "content", "dossiers", "d", "photo.txt")
	writeFile(t, photo, "new bytes")
	if rep := ts.Rebuild([]string{photo}); rep.Action != "reload" {
		t.Errorf("attachment change: %+v", rep)
	}
	c.expect(t, "reload")
	if _, body := get(t, ts, "/dossiers/d/photo.txt"); body != "new bytes" {
		t.Errorf("attachment %q", body)
	}
	// Replaced by a link to a file outside the site: refused.
	if err := os.Remove(photo); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(site, "..", filepath.Base(site)+"-outside"), photo); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(site, "..", filepath.Base(site)+"-outside"), "TOP SECRET")
	t.Cleanup(func() { os.Remove(filepath.Join(site, "..", filepath.Base(site)+"-outside")) })
	if resp, body := get(t, ts, "/dossiers/d/photo.txt"); resp.StatusCode != 404 || strings.Contains(body, "TOP SECRET") {
		t.Errorf("attachment pointing outside the site: %d %q", resp.StatusCode, body)
	}
}

func TestFirstBuildFailsThenServes(t *testing.T) {
	fb := &fakeBuild{err: diag.Errors{{Pos: diag.Pos{File: "dossier.toml", Line: 1, Col: 1}, Message: "broken"}}}
	ts := startServer(t, fb, Config{}, nil)
	for _, target := range []string{"/", "/actors/", "/style.css"} {
		resp, body := get(t, ts, target)
		if resp.StatusCode != 503 || !strings.Contains(body, "dossier.toml:1:1") || !strings.Contains(body, `data-gen=""`) {
			t.Errorf("%s: %d %s", target, resp.StatusCode, body)
		}
	}
	c := dialEvents(t, ts.addr)
	var h helloEvent
	c.expect(t, "hello").decode(t, &h)
	if h.Gen != "" || len(h.Errors) != 1 {
		t.Errorf("hello %+v", h)
	}
	fb.set(func(f *fakeBuild) { f.err = nil; f.tree = siteTree(cssV1, "") })
	ts.Rebuild([]string{"dossier.toml"})
	c.expect(t, "reload")
	if resp, _ := get(t, ts, "/"); resp.StatusCode != 200 {
		t.Errorf("after the fix: %d", resp.StatusCode)
	}
}

func TestBasePath(t *testing.T) {
	fb := &fakeBuild{tree: siteTree(cssV1, ""), base: "https://example.org/sub/"}
	ts := startServer(t, fb, Config{}, nil)
	for target, want := range map[string]string{
		"/":               "302 /sub/",
		"/sub":            "302 /sub/",
		"/sub/":           "200",
		"/sub/actors/":    "200",
		"/sub/actors?x=1": "302 /sub/actors/?x=1",
		"/actors/":        "404",
		"/subactors/":     "404",
	} {
		resp, _ := get(t, ts, target)
		got := strconv.Itoa(resp.StatusCode)
		if loc := resp.Header.Get("Location"); loc != "" {
			got += " " + loc
		}
		if got != want {
			t.Errorf("%s: %s, want %s", target, got, want)
		}
	}
	if u := ts.URL(); !strings.HasSuffix(u, "/sub/") || !strings.HasPrefix(u, "http://127.0.0.1:") {
		t.Errorf("URL %s", u)
	}
}

func TestCSSOnly(t *testing.T) {
	snap := func(tree output.Tree) *snapshot {
		s, _ := newSnapshot(nil, fakeResult(tree), nil, "g")
		return s
	}
	old := snap(siteTree(cssV1, ""))
	check := func(name string, tree output.Tree, wantCSS bool) {
		t.Helper()
		next, updated := newSnapshot(old, fakeResult(tree), nil, "h")
		if _, ok := cssOnly(old, next, updated); ok != wantCSS {
			t.Errorf("%s: cssOnly = %v, want %v (updated %q)", name, ok, wantCSS, updated)
		}
	}
	check("stylesheet only", siteTree(cssV2, ""), true)
	mixed := siteTree(cssV2, "")
	mixed["actors/index.html"] = output.File{Data: page("Actors, edited", cssV2)}
	check("stylesheet and text", mixed, false)
	extra := siteTree(cssV2, "")
	extra["new/index.html"] = output.File{Data: page("New", cssV2)}
	check("stylesheet and a new page", extra, false)
	feed := siteTree(cssV2, "")
	feed["feed.xml"] = output.File{Data: []byte("<feed/>")}
	check("stylesheet and the feed", feed, false)
	text := siteTree(cssV1, "")
	text["index.html"] = output.File{Data: page("Home 2", cssV1)}
	check("text only", text, false)
}

// The server's WriteTimeout must not cut event streams. On the fake clock
// of a synctest bubble, so that the stream stays idle for four
// WriteTimeouts exactly, however busy the machine.
func TestStreamOutlivesWriteTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fb := &fakeBuild{tree: siteTree(cssV1, "")}
		ts := startPipeServer(t, fb, Config{}, func(s *Server) {
			s.http.WriteTimeout = 200 * time.Millisecond
			s.http.ReadTimeout = 200 * time.Millisecond
		})
		c := ts.events(t)
		c.expect(t, "hello")
		advance(800 * time.Millisecond) // four WriteTimeouts, on the fake clock
		fb.set(func(f *fakeBuild) { f.tree["index.html"] = output.File{Data: page("Later", cssV1)} })
		ts.Rebuild([]string{"x"})
		c.expect(t, "reload")
		// Ordinary responses still have the timeouts.
		if ts.http.ReadHeaderTimeout == 0 || ts.http.IdleTimeout == 0 || ts.http.MaxHeaderBytes == 0 {
			t.Error("server timeouts not set")
		}
	})
}

// Hundreds of event streams opened and dropped leave no goroutine behind.
// The server runs in a synctest bubble, whose goroutines can be counted
// once they are all blocked (synctest.Wait): no waiting for them to end.
func TestStreamsDoNotLeak(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fb := &fakeBuild{tree: siteTree(cssV1, "")}
		ts := startPipeServer(t, fb, Config{}, nil)
		ts.get(t, "/") // warm up the server's own goroutines
		synctest.Wait()
		base := len(bubbleGoroutines(t))

		const n = 200
		conns := make([]net.Conn, 0, n)
		for range n {
			conn := ts.dial(t)
			conns = append(conns, conn)
			if _, err := io.WriteString(conn, "GET "+eventsPath+" HTTP/1.1\r\nHost: "+pipeHost+"\r\n\r\n"); err != nil {
				t.Fatal(err)
			}
		}
		for i, conn := range conns { // each gets its hello: the handler is running
			buf := make([]byte, 0, 512)
			tmp := make([]byte, 512)
			for !bytes.Contains(buf, []byte("event: hello")) {
				k, err := conn.Read(tmp)
				if err != nil {
					t.Fatalf("stream %d: %v", i, err)
				}
				buf = append(buf, tmp[:k]...)
			}
		}
		synctest.Wait()
		if got := ts.Streams(); got != n {
			t.Fatalf("%d streams open, want %d", got, n)
		}
		full := len(bubbleGoroutines(t))
		if full < base+n {
			t.Fatalf("only %d goroutines with %d streams (base %d): the test measures nothing", full, n, base)
		}
		// Half go away quietly: their handlers end with nothing to send.
		for _, conn := range conns[:n/2] {
			conn.Close()
		}
		synctest.Wait()
		if left := len(bubbleGoroutines(t)); left-base > (full-base)/2 || ts.Streams() != n/2 {
			t.Fatalf("%d goroutines, %d streams after closing half of %d streams (base %d, %d with all open)", left, ts.Streams(), n, base, full)
		}
		// The other half mid-broadcast.
		fb.set(func(f *fakeBuild) { f.tree["index.html"] = output.File{Data: page("Later", cssV1)} })
		ts.Rebuild([]string{"x"})
		for _, conn := range conns[n/2:] {
			conn.Close()
		}
		synctest.Wait()
		if left := bubbleGoroutines(t); len(left) > base || ts.Streams() != 0 {
			t.Fatalf("%d goroutines, %d streams after closing every stream (base %d)\n%s", len(left), ts.Streams(), base, strings.Join(left, "\n\n"))
		}
	})
}

// Stopping the server ends open streams and returns at once: without
// waiting for any timer (the fake clock does not move), such as the
// 5 s that Shutdown gives requests in flight.
func TestShutdownEndsStreams(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fb := &fakeBuild{tree: siteTree(cssV1, "")}
		s, err := newServer(Config{Bind: "127.0.0.1"}, fb)
		if err != nil {
			t.Fatal(err)
		}
		s.ln.Close()
		pipes := newPipeListener()
		s.ln = pipes
		ts := &pipeServer{Server: s, pipes: pipes}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		c := ts.events(t)
		c.expect(t, "hello")
		start := time.Now()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(time.Minute): // on the fake clock
			t.Fatal("Run did not return within a minute of the cancel")
		}
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Errorf("stopping took %s", d)
		}
		select {
		case _, ok := <-c.events:
			if ok {
				t.Error("event after shutdown")
			}
		case <-time.After(time.Minute):
			t.Error("stream still open after shutdown")
		}
		if conn, err := pipes.dial(); err == nil {
			conn.Close()
			t.Error("still listening after shutdown")
		}
	})
}

// Close releases the port at once.
func TestCloseReleasesPort(t *testing.T) {
	s, err := newServer(Config{Bind: "127.0.0.1"}, &fakeBuild{tree: siteTree(cssV1, "")})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", s.Addr().String())
	if err != nil {
		t.Fatalf("the port is still taken after Close: %v", err)
	}
	ln.Close()
}

func TestNextFreePort(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port
	var log bytes.Buffer
	s, err := newServer(Config{Bind: "127.0.0.1", Port: port, Log: &log}, &fakeBuild{tree: siteTree(cssV1, "")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Port() == port {
		t.Fatal("took a port that is in use")
	}
	if !strings.Contains(log.String(), "port "+strconv.Itoa(port)+" is in use; serving on port "+strconv.Itoa(s.Port())) {
		t.Errorf("log does not say so: %q", log.String())
	}
}

func TestBindWarning(t *testing.T) {
	// Only checks the message logic: tests never listen beyond loopback.
	var log bytes.Buffer
	s, err := newServer(Config{Bind: "127.0.0.1", Log: &log}, &fakeBuild{tree: siteTree(cssV1, "")})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if strings.Contains(log.String(), "warning") {
		t.Errorf("warning on loopback: %s", log.String())
	}
	if !s.loopback {
		t.Error("127.0.0.1 not seen as loopback")
	}
}

func TestScriptServed(t *testing.T) {
	ts, _, _ := fakeServer(t)
	resp, body := get(t, ts, scriptPath)
	if resp.StatusCode != 200 || body != string(ts.Server.script) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// TestPatchSnapshot checks that patching a snapshot with the paths a build
// lists gives what comparing every file gives, through enough patches for
// the overlay to be folded into the base.
func TestPatchSnapshot(t *testing.T) {
	tree := siteTree(cssV1, "")
	full, _ := newSnapshot(nil, fakeResult(tree), nil, "g0")
	patched := full
	prev := maps.Clone(tree)
	folded := false
	for i := 1; i <= 400; i++ {
		next := maps.Clone(prev)
		p := fmt.Sprintf("dossiers/d%d/index.html", i%150)
		switch i % 3 {
		case 0:
			delete(next, p)
		default:
			next[p] = output.File{Data: page(fmt.Sprintf("Dossier %d", i), cssV1)}
		}
		next["index.html"] = output.File{Data: page(fmt.Sprintf("Home %d", i%2), cssV1)}
		var paths []string // what changed, plus one path that did not
		for q, f := range next {
			if o, ok := prev[q]; !ok || !bytes.Equal(o.Data, f.Data) || q == "404.html" {
				paths = append(paths, q)
			}
		}
		for q := range prev {
			if _, ok := next[q]; !ok {
				paths = append(paths, q)
			}
		}
		gen := fmt.Sprint("g", i)
		var wantUpdated, gotUpdated []string
		full, wantUpdated = newSnapshot(full, fakeResult(next), nil, gen)
		patched, gotUpdated = patchSnapshot(patched, fakeResult(next), paths, nil, gen)
		if !slices.Equal(gotUpdated, wantUpdated) {
			t.Fatalf("save %d: updated %q, want %q", i, gotUpdated, wantUpdated)
		}
		if patched.pages != full.pages {
			t.Fatalf("save %d: %d pages, want %d", i, patched.pages, full.pages)
		}
		n := 0
		patched.each(func(q string, e *entry) {
			n++
			if w := full.file(q); w == nil || !bytes.Equal(w.data, e.data) || w.etag != e.etag {
				t.Fatalf("save %d: %s differs from a full comparison", i, q)
			}
		})
		if n != len(full.files) {
			t.Fatalf("save %d: %d files, want %d", i, n, len(full.files))
		}
		folded = folded || patched.over == nil
		prev = next
	}
	if !folded {
		t.Fatal("the overlay was never folded into the base")
	}
}

// TestServerSpeaksTheSiteLanguage: the server's own pages and the words of
// its overlay script are in the site's language, English when it has none
// of its own.
func TestServerSpeaksTheSiteLanguage(t *testing.T) {
	for _, tt := range []struct{ lang, htmlLang, notFound, failed string }{
		{"fr", `<html lang="fr">`, "404\u00a0: page introuvable", `"failed":"Échec de la construction"`},
		{"en", `<html lang="en">`, "404 page not found", `"failed":"Build failed"`},
		{"de", `<html lang="en">`, "404 page not found", `"failed":"Build failed"`},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			site := t.TempDir()
			fb := &fakeBuild{tree: siteTree(cssV1, site)}
			delete(fb.tree, "404.html")
			ts := startServer(t, fb, Config{SiteDir: site, Lang: tt.lang}, nil)
			_, body := get(t, ts, "/no/such/page")
			if !strings.Contains(body, tt.htmlLang) || !strings.Contains(body, tt.notFound) {
				t.Errorf("404 page: %.400s", body)
			}
			_, script := get(t, ts, scriptPath)
			if !strings.Contains(script, tt.failed) || strings.Contains(script, "/*TEXT*/") {
				t.Errorf("live.js lacks its words %s: %.300s", tt.failed, script)
			}
		})
	}
}

// TestProblemsCutInFrench: the last line of a cut overlay list speaks the
// server's language too.
func TestProblemsCutInFrench(t *testing.T) {
	var many diag.Errors
	for i := range maxProblems + 3 {
		many = append(many, diag.Diagnostic{Pos: diag.Pos{File: "a.md", Line: i + 1}, Message: "x"})
	}
	ps := problems(many, "", i18n.ServeText("fr")["more"])
	if last := ps[len(ps)-1].Message; last != "… et 3 autres erreurs" {
		t.Errorf("last line %q", last)
	}
}
