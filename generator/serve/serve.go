// Package serve is the live-preview server of `dossier serve`. It keeps the
// last good build (its bytes in memory or in the build's spill file,
// output.Spill) and serves it from there — never from the file system by
// path, except the attachments the build names — over plain HTTP on the
// loopback interface by default. After every rebuild it tells the open pages
// over server-sent events to reload, to swap a stylesheet in place (a
// CSS-only change), or to show an overlay listing the build errors; the
// small script that listens is injected into HTML responses only, never into
// the build output.
//
// A failing build never stops the server: it keeps serving the last good
// site (or, before the first good build, a page that lists the errors) until
// a build succeeds again.
package serve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/dossier-ssg/dossier/generator/output"
)

// DefaultPort is the port `dossier serve` tries first.
const DefaultPort = 1313

// portTries is how many ports after a taken one New tries.
const portTries = 100

// Config says what to serve and where.
type Config struct {
	// Bind is the address to listen on; empty means 127.0.0.1. Anything but
	// a loopback address exposes the site (drafts included) to the network.
	Bind string
	// AllowedHosts lists more names the Host header of a request may carry.
	// Whatever the bind address, requests are answered only for loopback
	// names and addresses (localhost, *.localhost, 127.0.0.0/8, ::1), the
	// bind address, the machine's host name (also with .local), the
	// addresses of its interfaces, and these names; any other gets 403, so
	// that a web page whose name resolves to this machine (DNS rebinding)
	// cannot read the site. A name starting with a dot, .example.org, allows
	// example.org and all its subdomains. See CheckAllowedHost.
	AllowedHosts []string
	// Port is the port to listen on; when it is taken, the next free one
	// is used (and said in the log). Zero lets the system pick any free port.
	Port int
	// SiteDir is the site folder. Optional: it lets the error overlay show
	// the offending source line, the log name changed files relative to it,
	// and confines the attachments read at request time to it (New opens it
	// as an os.Root, and fails if it cannot).
	SiteDir string
	// Log receives the warnings; nil discards them.
	Log io.Writer
	// Lang is the site's language, which the server's own pages and the
	// error overlay speak (English for a language without its words).
	Lang string
}

// Server serves one site. Make it with New, run it with Run.
type Server struct {
	cfg      Config
	ln       net.Listener
	http     *http.Server
	port     int
	loopback bool            // bound to a loopback address
	hosts    map[string]bool // Host header names accepted, normalized (see normalizeHost)
	suffixes []string        // ".example.org" of AllowedHosts: that name and its subdomains are accepted
	instance string          // random, so that a restarted server never reuses a generation
	siteReal string          // SiteDir with symlinks resolved
	root     *os.Root        // SiteDir, to which attachments are confined; nil without SiteDir

	text   map[string]string // the server's own words (i18n.ServeText)
	lang   string            // the language of text
	script []byte            // live.js with its words

	refusedMu sync.Mutex
	refused   map[string]bool // Host names refused and already logged (a few)

	takeMu sync.Mutex // one build taken at a time
	seq    int        // builds taken that changed the site (under takeMu)
	site   atomic.Pointer[snapshot]

	hub     hub
	closing chan struct{} // closed on shutdown: ends the event streams
	logMu   sync.Mutex

	running   atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// New listens, starts watching, runs the first build and returns the server,
// ready to Run. A failing first build is no error: the server then shows the
// errors to the browser until a build succeeds. Close the server (or Run it)
// to release the port.
func New(cfg Config) (*Server, error) {
	if cfg.Bind == "" {
		cfg.Bind = "127.0.0.1"
	}
	cfg.Bind = strings.TrimSuffix(strings.TrimPrefix(cfg.Bind, "["), "]")
	if cfg.Port < 0 || cfg.Port > 65535 {
		return nil, fmt.Errorf("serve: port %d out of range", cfg.Port)
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	s := &Server{cfg: cfg, closing: make(chan struct{}), instance: randomID()}
	s.lang, s.text, s.script = serverText(cfg.Lang)
	s.hub.init()
	var err error
	if s.hosts, s.suffixes, err = allowList(cfg.Bind, cfg.AllowedHosts); err != nil {
		return nil, err
	}
	if cfg.SiteDir != "" {
		abs, err := filepath.Abs(cfg.SiteDir)
		if err != nil {
			return nil, fmt.Errorf("serve: site folder: %w", err)
		}
		s.cfg.SiteDir = abs
		s.siteReal = abs
		if r, err := filepath.EvalSymlinks(abs); err == nil {
			s.siteReal = r
		}
		if s.root, err = os.OpenRoot(abs); err != nil {
			return nil, fmt.Errorf("serve: site folder: %w", err)
		}
	}

	ln, port, err := listen(cfg.Bind, cfg.Port)
	if err != nil {
		s.closeRoot()
		return nil, err
	}
	s.ln, s.port = ln, port
	if cfg.Port != 0 && port != cfg.Port {
		s.logf("port %d is in use; serving on port %d instead", cfg.Port, port)
	}
	ip := net.ParseIP(cfg.Bind)
	s.loopback = strings.EqualFold(cfg.Bind, "localhost") || (ip != nil && ip.IsLoopback())
	switch {
	case ip != nil && ip.IsUnspecified():
		s.logf("warning: listening on all interfaces (%s): anyone who can reach this machine can read the site, drafts included", cfg.Bind)
	case !s.loopback:
		s.logf("warning: listening on %s, not loopback: others on that network can read the site, drafts included", cfg.Bind)
	}
	if !s.loopback {
		s.logf("only requests for this machine's names and addresses are answered; allow another name with --allowed-host NAME")
	}

	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		// Event streams outlive it: they move their write deadline before
		// each write (see serveEvents).
		WriteTimeout:   30 * time.Second,
		IdleTimeout:    60 * time.Second,
		MaxHeaderBytes: 32 << 10,
		ErrorLog:       log.New(io.Discard, "", 0),
	}
	s.http.RegisterOnShutdown(s.endStreams)

	return s, nil
}

// allowList makes the names the Host header may carry (besides loopback
// names, which hostAllowed accepts by themselves): the bind address, the
// machine's host name, with and without .local, the addresses of its
// interfaces, and the entries of Config.AllowedHosts, whose dotted ones
// (.example.org) are returned as suffixes.
func allowList(bind string, extra []string) (hosts map[string]bool, suffixes []string, err error) {
	hosts = map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}
	add := func(name string) {
		if h := normalizeHost(name); h != "" {
			hosts[h] = true
		}
	}
	add(bind)
	if name, err := os.Hostname(); err == nil && name != "" {
		add(name)
		add(strings.TrimSuffix(name, ".local") + ".local")
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			switch a := a.(type) {
			case *net.IPNet:
				add(a.IP.String())
			case *net.IPAddr:
				add(a.IP.String())
			}
		}
	}
	for _, name := range extra {
		h, err := allowedHost(name)
		if err != nil {
			return nil, nil, fmt.Errorf("serve: allowed host %q: %w", name, err)
		}
		if strings.HasPrefix(h, ".") {
			suffixes = append(suffixes, h)
		} else {
			hosts[h] = true
		}
	}
	return hosts, suffixes, nil
}

// CheckAllowedHost reports whether name can be an entry of
// Config.AllowedHosts — a host name or address (a port, brackets and a final
// dot are ignored), or a name starting with a dot for it and its subdomains
// — and if not, why (for a flag's error message).
func CheckAllowedHost(name string) error {
	_, err := allowedHost(name)
	return err
}

// allowedHost normalizes an entry of Config.AllowedHosts, or says why it
// cannot be one.
func allowedHost(name string) (string, error) {
	n := strings.TrimSpace(name)
	switch {
	case n == "":
		return "", errors.New("empty name")
	case n == "*" || n == ".":
		return "", errors.New("allowing every name would let any web page read the site (DNS rebinding); list the names instead")
	case strings.HasPrefix(n, "*."):
		return "", fmt.Errorf("write .%s to allow %s and its subdomains", n[2:], n[2:])
	case strings.Contains(n, "://") || strings.ContainsAny(n, "/?#@"):
		return "", errors.New("give a host name, like example.org, not a URL")
	}
	dot := ""
	if strings.HasPrefix(n, ".") {
		dot, n = ".", n[1:]
	}
	if _, port, err := net.SplitHostPort(n); err == nil {
		if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			return "", errors.New("not a host name or address (with a port number or none)")
		}
	}
	h := normalizeHost(n)
	if _, err := netip.ParseAddr(h); h == "" || !hostChars(h) || strings.HasPrefix(h, ".") || (strings.Contains(h, ":") && err != nil) {
		return "", errors.New("not a host name or address")
	}
	return dot + h, nil
}

// listen binds bind:port, or the next free port when that one is taken.
func listen(bind string, port int) (net.Listener, int, error) {
	var firstErr error
	for p := port; p <= min(port+portTries, 65535); p++ {
		ln, err := net.Listen("tcp", net.JoinHostPort(bind, strconv.Itoa(p)))
		if err == nil {
			return ln, ln.Addr().(*net.TCPAddr).Port, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if port == 0 || !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
	}
	if port != 0 && errors.Is(firstErr, syscall.EADDRINUSE) {
		return nil, 0, fmt.Errorf("serve: ports %d to %d on %s are all in use; choose another with --port", port, min(port+portTries, 65535), bind)
	}
	return nil, 0, fmt.Errorf("serve: %w", firstErr)
}

func randomID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Port is the port the server listens on.
func (s *Server) Port() int { return s.port }

// URL is where to open the site: the loopback address when bound to all
// interfaces, and the site's base path.
func (s *Server) URL() string {
	host := s.cfg.Bind
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	base := "/"
	if snap := s.site.Load(); snap != nil {
		base = snap.base
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(s.port)) + base
}

// Run serves until ctx is done, then stops cleanly: it stops watching (after
// a running build), ends the event streams, and shuts the HTTP server down,
// waiting a few seconds for requests in flight. It returns nil after a
// clean stop.
func (s *Server) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return errors.New("serve: Run called twice")
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.ln) }()
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	err := s.Close()
	if serveErr == nil {
		serveErr = <-errc
	}
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	return errors.Join(serveErr, err)
}

// Close stops the server at once if Run is not running it, and releases the
// port; Run calls it on the way out. It is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.endStreams()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.http.Shutdown(ctx); err != nil {
			s.closeErr = err
			s.http.Close()
		}
		_ = s.ln.Close() // Shutdown closes it only when Serve ran
		s.closeRoot()    // a request still running now gets 404 for an attachment
	})
	return s.closeErr
}

func (s *Server) closeRoot() {
	if s.root != nil {
		_ = s.root.Close()
	}
}

// endStreams ends every event stream, so that Shutdown need not wait for them.
func (s *Server) endStreams() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	select {
	case <-s.closing:
	default:
		close(s.closing)
	}
	s.hub.closeAll()
}

// Report says what taking one build did.
type Report struct {
	Changes []string // the changed source files that caused it (nil for the first build)
	Err     error    // the build error; the last good site is still served
	Pages   int      // HTML pages in the site
	Updated []string // output paths added, changed or removed, sorted
	Action  string   // what the pages were told: "reload", "css", "errors", "ok" (overlay cleared) or "" (nothing)
}

// Take serves site from now on and tells the open pages: a reload, a
// stylesheet swap, or nothing when no page changed (output.Sink; the dev
// loop, generator.Dev, calls it after each good build).
func (s *Server) Take(changes []string, site *output.Site) (string, error) {
	rep := s.take(changes, site)
	return rep.said(), nil
}

// Keep shows a failed build's errors in the open pages, over the last good
// site, which is still served (output.Sink).
func (s *Server) Keep(changes []string, err error) string {
	s.keep(changes, err)
	if s.site.Load() != nil {
		return "still serving the last good build"
	}
	return "nothing to serve until it builds"
}

func (s *Server) keep(changes []string, err error) Report {
	s.takeMu.Lock()
	defer s.takeMu.Unlock()
	s.hub.setProblems(problems(err, s.cfg.SiteDir, s.text["more"]))
	rep := Report{Changes: changes, Err: err, Action: "errors"}
	if old := s.site.Load(); old != nil {
		rep.Pages = old.pages
	}
	return rep
}

func (s *Server) take(changes []string, site *output.Site) Report {
	s.takeMu.Lock()
	defer s.takeMu.Unlock()
	rep := Report{Changes: changes}
	old := s.site.Load()
	var next *snapshot
	var updated []string
	gen := s.instance + "." + strconv.Itoa(s.seq+1)
	if site.Known && old != nil {
		next, updated = patchSnapshot(old, site, site.Updated, s.absChanges(changes), gen)
	} else {
		next, updated = newSnapshot(old, site, s.absChanges(changes), gen)
	}
	rep.Pages = next.pages
	rep.Updated = updated
	if old != nil && len(updated) == 0 {
		if s.hub.clearProblems() {
			rep.Action = "ok"
		}
		return rep
	}
	s.seq++
	if sheets, ok := cssOnly(old, next, updated); ok {
		s.hub.swap(&s.site, next, "css", cssEvent{Gen: next.gen, Sheets: sheets})
		rep.Action = "css"
	} else {
		s.hub.swap(&s.site, next, "reload", genEvent{Gen: next.gen})
		rep.Action = "reload"
	}
	return rep
}

// said is what a report says in the log.
func (rep Report) said() string {
	htmlUpdated := 0
	for _, p := range rep.Updated {
		if strings.HasSuffix(p, ".html") {
			htmlUpdated++
		}
	}
	switch {
	case rep.Changes == nil:
		return fmt.Sprintf("%d pages", rep.Pages)
	case len(rep.Updated) == 0 && rep.Action == "ok":
		return fmt.Sprintf("%d pages, none changed; errors fixed", rep.Pages)
	case len(rep.Updated) == 0:
		return fmt.Sprintf("%d pages, none changed", rep.Pages)
	case rep.Action == "css":
		return fmt.Sprintf("%d pages; stylesheet swapped, no reload", rep.Pages)
	}
	return fmt.Sprintf("%d pages, %d updated (%d files); reloading", rep.Pages, htmlUpdated, len(rep.Updated))
}

// absChanges makes the changed paths absolute, to compare them with the
// attachment paths of the build.
func (s *Server) absChanges(changes []string) map[string]bool {
	m := make(map[string]bool, len(changes))
	for _, c := range changes {
		if a, err := filepath.Abs(c); err == nil {
			m[a] = true
		}
	}
	return m
}

func (s *Server) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.cfg.Log, format+"\n", args...)
}
