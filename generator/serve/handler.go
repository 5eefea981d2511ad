package serve

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dossier-ssg/dossier/generator/i18n"
)

// liveJS is the client: it listens to the event stream, reloads, swaps
// stylesheets, keeps the scroll position and shows the error overlay.
//
//go:embed live.js
var liveJS []byte

// maxPath bounds the length of a request path; longer ones get 414. (The
// whole request head is bounded by http.Server.MaxHeaderBytes.)
const maxPath = 2048

// ServeHTTP serves the site from memory, the event stream and the script.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if !s.hostAllowed(r.Host) {
		// A page of another site whose name resolves to this machine (DNS
		// rebinding) must not read this one.
		s.refuseHost(w, r.Host)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "dossier serve: method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if len(r.URL.Path) > maxPath || len(r.URL.RawPath) > maxPath || len(r.URL.RawQuery) > maxPath {
		http.Error(w, "dossier serve: URL too long", http.StatusRequestURITooLong)
		return
	}
	p, ok := cleanPath(r.URL.Path)
	if !ok {
		http.Error(w, "dossier serve: bad path", http.StatusBadRequest)
		return
	}
	switch p {
	case eventsPath:
		s.serveEvents(w, r)
		return
	case scriptPath:
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", `"live-`+s.instance+`"`)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(s.script))
		return
	}
	s.serveSite(w, r, p, strings.HasSuffix(r.URL.Path, "/"))
}

// hostAllowed reports whether the Host header names this server, whatever
// address it is bound to: loopback names and addresses (localhost,
// *.localhost, 127.0.0.0/8, ::1), and the names and addresses New listed
// (the bind address, the machine's host name and addresses, and
// Config.AllowedHosts). A port, IPv6 brackets, case and a final dot do not
// matter.
func (s *Server) hostAllowed(host string) bool {
	h := normalizeHost(host)
	switch {
	case h == "":
		return false
	case s.hosts[h], h == "localhost", strings.HasSuffix(h, ".localhost"):
		return true
	}
	if a, err := netip.ParseAddr(h); err == nil {
		return a.IsLoopback()
	}
	for _, suffix := range s.suffixes { // ".example.org"
		if h == suffix[1:] || strings.HasSuffix(h, suffix) {
			return true
		}
	}
	return false
}

// normalizeHost returns the name or address of a Host header or of an
// allowed host: without port or IPv6 brackets, in lower case, without a
// final dot; an IP address in its canonical form, without zone, an
// IPv4-mapped IPv6 address as IPv4.
func normalizeHost(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")), ".")
	if a, err := netip.ParseAddr(strings.Replace(host, "%25", "%", 1)); err == nil {
		return a.WithZone("").Unmap().String()
	}
	return host
}

// hostChars reports whether h (normalized) holds only the characters of a
// host name or an IP address.
func hostChars(h string) bool {
	for _, c := range h {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_' || c == ':') {
			return false
		}
	}
	return h != ""
}

// maxRefusedLogged bounds the Host names whose refusal is logged.
const maxRefusedLogged = 8

// refuseHost answers a request for a Host name not allowed with 403, saying
// how to allow it, and logs the first refusal of a name (of the first few).
func (s *Server) refuseHost(w http.ResponseWriter, host string) {
	h, allow := normalizeHost(host), "NAME"
	if hostChars(h) {
		allow = h
	}
	s.refusedMu.Lock()
	first := !s.refused[h] && len(s.refused) < maxRefusedLogged
	if first {
		if s.refused == nil {
			s.refused = map[string]bool{}
		}
		s.refused[h] = true
	}
	s.refusedMu.Unlock()
	if first {
		s.logf("refused a request for Host %s: not a name of this machine (DNS-rebinding protection); if the name is yours, restart with --allowed-host %s", strconv.Quote(host), allow)
	}
	http.Error(w, "dossier serve: refused: the Host header "+strconv.Quote(host)+" does not name this server (DNS-rebinding protection).\n"+
		"Open "+s.URL()+", or, if the name is yours, restart dossier serve with --allowed-host "+allow+".", http.StatusForbidden)
}

// cleanPath checks a request path (decoded once by net/http) and returns it
// cleaned. It refuses, rather than cleans away, anything that tries to climb
// out: ".." segments — also once decoded again, for double-encoding
// (%252e%252e) — backslashes and NUL bytes, and paths whose percent escapes
// never end.
func cleanPath(p string) (string, bool) {
	d := p
	for range 4 {
		if strings.ContainsAny(d, "\\\x00") || hasDotDot(d) {
			return "", false
		}
		next := unescape(d)
		if next == d {
			if !strings.HasPrefix(p, "/") {
				p = "/" + p
			}
			return path.Clean(p), true // the path as net/http decoded it, once
		}
		d = next
	}
	return "", false // still escaped after several rounds: no real page is named so
}

// unescape decodes every valid %XX escape and leaves anything else (a lone
// %) as it is.
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

func hasDotDot(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return true
		}
	}
	return false
}

// serveSite serves path p (cleaned, starting with "/") of the site;
// trailing says the request ended with a slash.
func (s *Server) serveSite(w http.ResponseWriter, r *http.Request, p string, trailing bool) {
	snap := s.site.Load()
	if snap == nil {
		s.serveNoSite(w, r)
		return
	}
	base := snap.base
	full := p // with the request's trailing slash
	if trailing && p != "/" {
		full += "/"
	}
	if full+"/" == base || (full == "/" && base != "/") {
		s.redirect(w, r, base)
		return
	}
	if !strings.HasPrefix(full, base) {
		s.notFound(w, r, snap)
		return
	}
	key := strings.TrimPrefix(full, base)
	if key == "" || strings.HasSuffix(key, "/") {
		key += "index.html"
	}
	e := snap.file(key)
	if e == nil && !strings.HasSuffix(key, "index.html") && snap.file(key+"/index.html") != nil {
		s.redirect(w, r, p+"/")
		return
	}
	if e == nil {
		s.notFound(w, r, snap)
		return
	}
	s.serveEntry(w, r, snap, key, e, http.StatusOK)
}

// redirect sends the browser to a path of this server (never elsewhere:
// target is a cleaned path starting with a single slash).
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, target string) {
	u := url.URL{Path: target, RawQuery: r.URL.RawQuery}
	http.Redirect(w, r, u.String(), http.StatusFound) // not 301: browsers would keep it after the site changes
}

func (s *Server) serveEntry(w http.ResponseWriter, r *http.Request, snap *snapshot, name string, e *entry, status int) {
	h := w.Header()
	h.Set("Content-Type", e.ctype)
	switch {
	case e.html:
		page := e.bytes()
		if page == nil { // the build's spill is gone (the builder was closed)
			http.Error(w, "this page can no longer be read", http.StatusInternalServerError)
			return
		}
		h.Set("Cache-Control", "no-store")
		writeBody(w, r, status, inject(page, snap.gen))
	case e.built():
		h.Set("Cache-Control", "no-cache")
		if status != http.StatusOK {
			writeBody(w, r, status, e.bytes())
			return
		}
		h.Set("ETag", e.etag)
		var body io.ReadSeeker
		if e.stored != nil {
			body = e.stored.Reader()
		} else {
			body = bytes.NewReader(e.data)
		}
		http.ServeContent(w, r, name, time.Time{}, body)
	default:
		s.serveAttachment(w, r, snap, name, e)
	}
}

// serveAttachment reads a file the build named (and only such a file) from
// disk, at request time.
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request, snap *snapshot, name string, e *entry) {
	f, err := s.openAttachment(e.from)
	if err != nil {
		s.notFound(w, r, snap)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		s.notFound(w, r, snap)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, name, info.ModTime(), f)
}

// openAttachment opens the file at path from. With a site folder, it opens
// it through s.root, relative to that folder: the open itself refuses a path
// that leads outside — by "..", or by a symlink, also one swapped in while
// the file is being opened — so there is no gap between a check and the
// open for a swapped link to slip through. (Links that stay inside the site
// are followed.)
func (s *Server) openAttachment(from string) (*os.File, error) {
	if s.root == nil {
		return os.Open(from) // no site folder given: nothing to confine to
	}
	abs, err := filepath.Abs(from)
	if err != nil {
		return nil, err
	}
	// The build may name the site folder as it was given or with its links
	// resolved; either way the path inside it is the same.
	for _, dir := range []string{s.cfg.SiteDir, s.siteReal} {
		if rel, err := filepath.Rel(dir, abs); err == nil && filepath.IsLocal(rel) {
			return s.root.Open(rel)
		}
	}
	return nil, errOutsideSite
}

var errOutsideSite = errors.New("serve: attachment outside the site folder")

func writeBody(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// notFound serves the site's 404.html with status 404, or a minimal page
// (both with the script, so the overlay shows on them too).
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, snap *snapshot) {
	if e := snap.file("404.html"); e != nil && e.html {
		s.serveEntry(w, r, snap, "404.html", e, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	writeBody(w, r, http.StatusNotFound, inject(s.renderPage(s.text["notfound"], "", nil, r.URL.Path), snap.gen))
}

// serveNoSite answers every request before the first good build: a page
// that lists the errors (the overlay shows them too, and reloads once fixed).
func (s *Server) serveNoSite(w http.ResponseWriter, r *http.Request) {
	s.hub.mu.Lock()
	problems := s.hub.problems
	s.hub.mu.Unlock()
	title := s.text["building"]
	if problems != nil {
		title = s.text["failing"]
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Retry-After", "1")
	page := s.renderPage(title, s.text["reloads"], problems, "")
	writeBody(w, r, http.StatusServiceUnavailable, inject(page, ""))
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="{{ .Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ .Title }} · dossier serve</title>
</head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 50rem; margin: 3rem auto; padding: 0 1rem">
<h1>{{ .Title }}</h1>
{{- with .Path }}
<p><code>{{ . }}</code></p>
{{- end }}
{{- with .Problems }}
<ol>
{{- range . }}
<li><p>{{ with .Where }}<strong><code>{{ . }}</code></strong>: {{ end }}{{ .Message }}</p>{{ with .Source }}<pre>{{ . }}</pre>{{ end }}</li>
{{- end }}
</ol>
{{- end }}
{{- with .Note }}
<p>{{ . }}</p>
{{- end }}
</body>
</html>
`))

// renderPage renders a minimal page in the server's language; html/template
// escapes every field.
func (s *Server) renderPage(title, note string, problems []Problem, urlPath string) []byte {
	var b bytes.Buffer
	_ = pageTemplate.Execute(&b, map[string]any{"Title": title, "Note": note, "Problems": problems, "Path": urlPath, "Lang": s.lang})
	return b.Bytes()
}

// serverText returns the server's words in lang and the client script
// that carries them: live.js with its TEXT placeholder replaced by them
// as JSON (the overlay writes them with textContent).
func serverText(lang string) (string, map[string]string, []byte) {
	if !i18n.Has(lang, "serve.failed") {
		lang = "en"
	}
	text := i18n.ServeText(lang)
	data, _ := json.Marshal(text)
	return lang, text, bytes.Replace(liveJS, []byte("/*TEXT*/{}"), data, 1)
}

// inject returns a copy of page with the live-reload script before its
// last </body> (or at the end). gen is the generation the page belongs to,
// so that a page that missed a rebuild reloads when it reconnects.
func inject(page []byte, gen string) []byte {
	tag := `<script src="` + scriptPath + `" data-gen="` + template.HTMLEscapeString(gen) + `"></script>`
	at := lastIndexFold(page, "</body>")
	if at < 0 {
		at = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag)+1)
	out = append(out, page[:at]...)
	out = append(out, tag...)
	out = append(out, '\n')
	return append(out, page[at:]...)
}

// lastIndexFold is bytes.LastIndex for an ASCII needle, ignoring case.
func lastIndexFold(s []byte, needle string) int {
	for i := len(s) - len(needle); i >= 0; i-- {
		if s[i] == '<' && strings.EqualFold(string(s[i:i+len(needle)]), needle) {
			return i
		}
	}
	return -1
}
