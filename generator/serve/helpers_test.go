package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/output"
)

// fakeBuild stands in for the dev loop (generator.Dev): its builds are
// what the test sets, and rebuild hands them to a server as the loop does.
type fakeBuild struct {
	mu    sync.Mutex
	tree  output.Tree
	base  string
	err   error
	calls int
}

func (f *fakeBuild) build() (*output.Site, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	tree := output.Tree{}
	for p, file := range f.tree {
		tree[p] = file
	}
	base := f.base
	if base == "" {
		base = "/"
	}
	return &output.Site{Tree: tree, BasePath: config.Site{BaseURL: base}.BasePath()}, nil
}

// rebuild builds and hands the result to s, as the dev loop does.
func (f *fakeBuild) rebuild(s *Server, changes []string) Report {
	site, err := f.build()
	if err != nil {
		return s.keep(changes, err)
	}
	return s.take(changes, site)
}

// newServer is New followed by the first build, as the dev loop makes it.
func newServer(cfg Config, fb *fakeBuild) (*Server, error) {
	s, err := New(cfg)
	if err == nil && fb != nil {
		fb.rebuild(s, nil)
	}
	return s, err
}

func (f *fakeBuild) set(fn func(f *fakeBuild)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

const (
	cssV1 = "body { color: black }\n"
	cssV2 = "body { color: navy }\n"
)

func cssName(css string) string {
	if css == cssV1 {
		return "css/main.0123456789.css"
	}
	return "css/main.abcdef0123.css"
}

// page is an HTML page of the fake site linking the stylesheet.
func page(title, css string) []byte {
	return []byte(`<!doctype html>
<html><head><title>` + title + `</title>
<link rel="stylesheet" href="/` + cssName(css) + `" integrity="` + sri([]byte(css)) + `">
</head>
<body><h1>` + title + `</h1></body>
</html>
`)
}

// siteTree is the fake site: pages, a 404 page, a stylesheet, a feed, an
// SVG, JSON and an attachment read from attachDir.
func siteTree(css, attachDir string) output.Tree {
	t := output.Tree{
		"index.html":            {Data: page("Home", css)},
		"actors/index.html":     {Data: page("Actors", css)},
		"actors/kim/index.html": {Data: page("Kim", css)},
		"404.html":              {Data: page("Not found here", css)},
		cssName(css):            {Data: []byte(css)},
		"feed.xml":              {Data: []byte(`<?xml version="1.0"?><feed><title>body</title></feed>`)},
		"img/logo.svg":          {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><text>x</text></svg>`)},
		"search/index.json":     {Data: []byte(`{"html":"</body>"}`)},
	}
	if attachDir != "" {
		t["dossiers/d/photo.txt"] = output.File{From: filepath.Join(attachDir, "photo.txt")}
	}
	return t
}

type testServer struct {
	*Server
	fb     *fakeBuild
	addr   string
	cancel context.CancelFunc
	done   chan error
}

// newTestServer makes a server on 127.0.0.1 that logs to the test, after
// its first build.
func newTestServer(t testing.TB, fb *fakeBuild, cfg Config) *Server {
	t.Helper()
	cfg.Bind = "127.0.0.1"
	if cfg.Log == nil {
		cfg.Log = testLog{t}
	}
	s, err := newServer(cfg, fb)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// startServer runs a server on 127.0.0.1, any port, until the test ends.
// before, if not nil, can adjust the server before it runs.
func startServer(t testing.TB, fb *fakeBuild, cfg Config, before func(*Server)) *testServer {
	t.Helper()
	s := newTestServer(t, fb, cfg)
	if before != nil {
		before(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{Server: s, fb: fb, addr: s.Addr().String(), cancel: cancel, done: make(chan error, 1)}
	go func() { ts.done <- s.Run(ctx) }()
	t.Cleanup(func() { ts.stop(t) })
	return ts
}

// Rebuild runs the fake build and hands it to the server.
func (ts *testServer) Rebuild(changes []string) Report { return ts.fb.rebuild(ts.Server, changes) }

func (ts *testServer) stop(t testing.TB) {
	ts.cancel()
	select {
	case err, ok := <-ts.done:
		if ok && err != nil {
			t.Errorf("Run: %v", err)
		}
		close(ts.done)
	case <-time.After(10 * time.Second):
		t.Error("server did not stop within 10s")
	}
}

type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// raw sends a request line as is (no client-side cleaning) and returns the
// response with its body read.
func raw(t testing.TB, addr, method, target, host string) (*http.Response, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return rawOn(t, conn, method, target, host)
}

// rawOn is raw on a connection made already, which it closes.
func rawOn(t testing.TB, conn net.Conn, method, target, host string) (*http.Response, string) {
	t.Helper()
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	req := method + " " + target + " HTTP/1.1\r\n"
	if host != "" {
		req += "Host: " + host + "\r\n"
	}
	req += "Connection: close\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

func get(t testing.TB, ts *testServer, target string) (*http.Response, string) {
	t.Helper()
	return raw(t, ts.addr, "GET", target, ts.addr)
}

// event is one server-sent event.
type event struct {
	name string
	data string
}

func (e event) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(e.data), v); err != nil {
		t.Fatalf("event %s: bad JSON %q: %v", e.name, e.data, err)
	}
}

// sseClient reads an event stream over a raw connection.
type sseClient struct {
	conn   net.Conn
	events chan event
	rawMu  sync.Mutex
	raw    strings.Builder // everything received, as sent
}

func dialEvents(t testing.TB, addr string) *sseClient {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return openEvents(t, conn, addr)
}

// openEvents asks for the event stream on a connection made already.
func openEvents(t testing.TB, conn net.Conn, host string) *sseClient {
	t.Helper()
	if _, err := io.WriteString(conn, "GET "+eventsPath+" HTTP/1.1\r\nHost: "+host+"\r\nAccept: text/event-stream\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(br, &http.Request{Method: "GET"})
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Time{})
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("event stream: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	c := &sseClient{conn: conn, events: make(chan event, 64)}
	go func() {
		defer close(c.events)
		lines := bufio.NewReader(resp.Body)
		var ev event
		for {
			line, err := lines.ReadString('\n')
			if err != nil {
				return
			}
			c.rawMu.Lock()
			c.raw.WriteString(line)
			c.rawMu.Unlock()
			line = strings.TrimRight(line, "\n")
			switch {
			case line == "":
				if ev.name != "" || ev.data != "" {
					c.events <- ev
				}
				ev = event{}
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data += strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	t.Cleanup(func() { conn.Close() })
	return c
}

func (c *sseClient) rawText() string {
	c.rawMu.Lock()
	defer c.rawMu.Unlock()
	return c.raw.String()
}

// next returns the next event, failing after timeout.
func (c *sseClient) next(t testing.TB, timeout time.Duration) event {
	t.Helper()
	select {
	case ev, ok := <-c.events:
		if !ok {
			t.Fatal("event stream closed")
		}
		return ev
	case <-time.After(timeout):
		t.Fatalf("no event within %s", timeout)
	}
	return event{}
}

// waitEvent bounds the wait for an event; it only fails a test that hangs.
const waitEvent = 30 * time.Second

// expect returns the next event and checks its name.
func (c *sseClient) expect(t testing.TB, name string) event {
	t.Helper()
	ev := c.next(t, waitEvent)
	if ev.name != name {
		t.Fatalf("event %q (%s), want %q", ev.name, ev.data, name)
	}
	return ev
}

// barrier sends an event of its own to every open stream and checks it is
// the next event of each client: the server sent them nothing before it.
// Events reach a stream in the order they are sent, so this needs no wait.
func barrier(t testing.TB, s *Server, clients ...*sseClient) {
	t.Helper()
	s.hub.mu.Lock()
	s.hub.broadcast(formatEvent("barrier", struct{}{}))
	s.hub.mu.Unlock()
	for _, c := range clients {
		c.expect(t, "barrier")
	}
}

// copyExample copies the example site's content and settings into a temp
// folder; the theme comes from the embedded default theme.
func copyExample(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	root := filepath.Join("..", "..")
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(filepath.Join(root, "content"))); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "dossier.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "dossier.toml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeFile(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func fakeResult(tree output.Tree) *output.Site {
	return &output.Site{BasePath: "/", Tree: tree}
}

// pipeListener is a net.Listener of in-memory connections (net.Pipe). A
// server inside a synctest bubble must serve on it: a goroutine blocked on
// a real socket is never "durably blocked", so the fake clock would not
// move, and synctest.Wait would not return.
type pipeListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

// dial connects to the server; it fails once the listener is closed.
func (l *pipeListener) dial() (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		client.Close()
		server.Close()
		return nil, net.ErrClosed
	}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

// pipeServer is a Server running inside a synctest bubble, on a pipeListener.
type pipeServer struct {
	*Server
	fb    *fakeBuild
	pipes *pipeListener
}

// Rebuild runs the fake build and hands it to the server.
func (ps *pipeServer) Rebuild(changes []string) Report { return ps.fb.rebuild(ps.Server, changes) }

// pipeHost is the Host header of requests to a pipeServer.
const pipeHost = "localhost"

// startPipeServer is startServer for a synctest bubble: the server runs
// until the test ends, on in-memory connections instead of the socket New
// opened.
func startPipeServer(t *testing.T, fb *fakeBuild, cfg Config, before func(*Server)) *pipeServer {
	t.Helper()
	s := newTestServer(t, fb, cfg)
	s.ln.Close()
	ps := &pipeServer{Server: s, fb: fb, pipes: newPipeListener()}
	s.ln = ps.pipes
	if before != nil {
		before(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return ps
}

// dial opens a connection to the server.
func (ps *pipeServer) dial(t testing.TB) net.Conn {
	t.Helper()
	conn, err := ps.pipes.dial()
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

func (ps *pipeServer) get(t testing.TB, target string) (*http.Response, string) {
	t.Helper()
	return rawOn(t, ps.dial(t), "GET", target, pipeHost)
}

func (ps *pipeServer) events(t testing.TB) *sseClient {
	t.Helper()
	return openEvents(t, ps.dial(t), pipeHost)
}

// advance moves the fake clock of the caller's synctest bubble on by d,
// running every timer due on the way, and returns once every goroutine of
// the bubble is blocked again. It takes no real time.
func advance(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}

// bubbleMark finds ", synctest bubble N" in a goroutine's header line.
var bubbleMark = regexp.MustCompile(`, synctest bubble (\d+)[\] ]`)

// bubbleGoroutines returns the stacks of the goroutines of the caller's
// synctest bubble, the caller's left out: the runtime names the bubble of
// a goroutine in its traceback. Call it after synctest.Wait, when they all
// are durably blocked, for a count that does not depend on timing.
func bubbleGoroutines(t testing.TB) []string {
	t.Helper()
	buf := make([]byte, 1<<20)
	self, _, _ := strings.Cut(string(buf[:runtime.Stack(buf, false)]), "\n")
	m := bubbleMark.FindStringSubmatch(self)
	if m == nil {
		t.Fatalf("not in a synctest bubble, or the runtime no longer says which: %q", self)
	}
	selfID, _, _ := strings.Cut(self, " [")
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		header, _, _ := strings.Cut(g, "\n")
		if id, _, _ := strings.Cut(header, " ["); id == selfID {
			continue
		}
		if gm := bubbleMark.FindStringSubmatch(header); gm != nil && gm[1] == m[1] {
			out = append(out, g)
		}
	}
	return out
}
