package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"

	"github.com/dossier-ssg/dossier/generator/i18n"
)

// The event stream. Every event's data is one line of JSON; encoding/json
// escapes <, > and & in strings, so a message can never be read as markup,
// and the client builds the overlay with textContent only.
//
//	hello   {gen, errors}  on connect: the current state
//	reload  {gen}          the site changed: reload the page
//	css     {gen, sheets}  only stylesheets changed: swap their links
//	errors  {errors}       the build failed: show the overlay
//	ok      {}             the errors are gone and the site is unchanged: hide it
const (
	eventsPath = "/__dossier/events"
	scriptPath = "/__dossier/live.js"
)

const (
	maxStreams      = 500              // open event streams at once
	streamBuffer    = 16               // events queued for a slow page before it is dropped
	heartbeat       = 15 * time.Second // comment line that keeps idle streams checked
	streamWriteTime = 10 * time.Second // a write to a stream that takes longer ends it
	maxProblems     = 200              // errors sent to the overlay
	maxSourceLine   = 400              // bytes of a source line shown
)

// Problem is one build error as the overlay shows it.
type Problem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Where   string `json:"where,omitempty"` // file:line:col
	Message string `json:"message"`
	Source  string `json:"source,omitempty"` // the offending line, when known
	Mark    int    `json:"mark,omitempty"`   // characters of Source before the column, for a caret
}

func (p Problem) String() string {
	if p.Where == "" {
		return p.Message
	}
	return p.Where + ": " + p.Message
}

// Problems turns a build error into the overlay's list, with source lines
// read from siteDir (if not empty) where the diagnostics lack them.
func Problems(err error, siteDir string) []Problem {
	return problems(err, siteDir, i18n.ServeText("en")["more"])
}

// problems is Problems with the words of its last line when the list is
// cut ("… and %d more errors"), in the server's language.
func problems(err error, siteDir, more string) []Problem {
	var list diag.Errors
	var one diag.Diagnostic
	var ds []diag.Diagnostic
	switch {
	case errors.As(err, &list):
		ds = list
	case errors.As(err, &one):
		ds = []diag.Diagnostic{one}
	default:
		return []Problem{{Message: err.Error()}}
	}
	files := map[string]*diag.LineIndex{}
	out := make([]Problem, 0, min(len(ds), maxProblems+1))
	for i, d := range ds {
		if i == maxProblems {
			out = append(out, Problem{Message: fmt.Sprintf(more, len(ds)-maxProblems)})
			break
		}
		p := Problem{File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col, Message: d.Message, Source: d.Source}
		if d.Pos.File != "" {
			p.Where = d.Pos.String()
		}
		if p.Source == "" && siteDir != "" && d.Pos.Line > 0 && i < 50 {
			p.Source = sourceLine(siteDir, d.Pos.File, d.Pos.Line, files)
		}
		if len(p.Source) > maxSourceLine {
			cut := maxSourceLine
			for cut > 0 && !utf8.RuneStart(p.Source[cut]) {
				cut--
			}
			p.Source = p.Source[:cut] + "…"
		}
		if p.Source != "" && p.Col > 1 && p.Col-1 <= len(p.Source) {
			p.Mark = utf8.RuneCountInString(p.Source[:p.Col-1])
		}
		out = append(out, p)
	}
	return out
}

// sourceLine reads line n of a site file named by a diagnostic. Only files
// inside the site are read.
func sourceLine(siteDir, rel string, n int, cache map[string]*diag.LineIndex) string {
	x, ok := cache[rel]
	if !ok {
		cache[rel] = nil
		name := filepath.FromSlash(rel)
		if !filepath.IsLocal(name) {
			return ""
		}
		abs := filepath.Join(siteDir, name)
		info, err := os.Stat(abs)
		if err != nil || !info.Mode().IsRegular() || info.Size() > load.MaxFileSize {
			return ""
		}
		data, err := os.ReadFile(abs)
		if err != nil {
			return ""
		}
		data, err = load.Normalize(data, rel)
		if err != nil {
			return ""
		}
		x = diag.NewLineIndex(data)
		cache[rel] = x
	}
	if x == nil {
		return ""
	}
	return x.Line(n)
}

type genEvent struct {
	Gen string `json:"gen"`
}

type cssEvent struct {
	Gen    string  `json:"gen"`
	Sheets []sheet `json:"sheets"`
}

type problemsEvent struct {
	Errors []Problem `json:"errors"`
}

type helloEvent struct {
	Gen    string    `json:"gen"`
	Errors []Problem `json:"errors"`
}

// formatEvent encodes one server-sent event.
func formatEvent(name string, v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		data = []byte("{}")
	}
	return []byte("event: " + name + "\ndata: " + string(data) + "\n\n")
}

// hub holds the state the pages are told about and the open streams.
type hub struct {
	mu       sync.Mutex
	streams  map[*stream]struct{}
	gen      string // of the site being served; "" before the first good build
	problems []Problem
	closed   bool
}

type stream struct {
	ch chan []byte // closed when the hub drops the stream
}

func (h *hub) init() { h.streams = map[*stream]struct{}{} }

var errTooManyStreams = errors.New("too many open event streams")

// subscribe opens a stream and returns it with its hello event, taken under
// the same lock as every change, so no event can fall between them.
func (h *hub) subscribe() (*stream, []byte, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, nil, http.ErrServerClosed
	}
	if len(h.streams) >= maxStreams {
		return nil, nil, errTooManyStreams
	}
	st := &stream{ch: make(chan []byte, streamBuffer)}
	h.streams[st] = struct{}{}
	return st, formatEvent("hello", helloEvent{Gen: h.gen, Errors: h.problems}), nil
}

func (h *hub) unsubscribe(st *stream) {
	h.mu.Lock()
	delete(h.streams, st)
	h.mu.Unlock()
}

// count is the number of open streams.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.streams)
}

// broadcast queues an event on every stream; the caller holds h.mu. A page
// too slow to take its events is dropped: its EventSource reconnects and
// gets the current state in its hello.
func (h *hub) broadcast(msg []byte) {
	for st := range h.streams {
		select {
		case st.ch <- msg:
		default:
			delete(h.streams, st)
			close(st.ch)
		}
	}
}

func (h *hub) setProblems(p []Problem) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.problems = p
	h.broadcast(formatEvent("errors", problemsEvent{Errors: p}))
}

// clearProblems hides the overlay after a build that fixed the errors but
// changed nothing; it reports whether there was an overlay to hide.
func (h *hub) clearProblems() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.problems == nil {
		return false
	}
	h.problems = nil
	h.broadcast(formatEvent("ok", struct{}{}))
	return true
}

// swap makes next the served site and tells the pages, under one lock so
// that a page loaded from next never gets a hello of the old generation.
func (h *hub) swap(site *atomic.Pointer[snapshot], next *snapshot, event string, v any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	site.Store(next)
	h.gen = next.gen
	h.problems = nil
	h.broadcast(formatEvent(event, v))
}

// closeAll ends every stream; the caller holds h.mu.
func (h *hub) closeAll() {
	h.closed = true
	for st := range h.streams {
		delete(h.streams, st)
		close(st.ch)
	}
}

// serveEvents streams events to one page until it goes away or the server
// stops. The server's WriteTimeout would cut the stream, so each write sets
// its own deadline instead.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	st, hello, err := s.hub.subscribe()
	if err != nil {
		http.Error(w, "dossier serve: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer s.hub.unsubscribe(st)
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	send := func(msg []byte) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(streamWriteTime))
		if _, err := w.Write(msg); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send(append([]byte("retry: 1000\n\n"), hello...)) {
		return
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case msg, ok := <-st.ch:
			if !ok || !send(msg) {
				return
			}
		case <-tick.C:
			if !send([]byte(": ping\n\n")) {
				return
			}
		}
	}
}

// Streams is the number of pages listening for events.
func (s *Server) Streams() int { return s.hub.count() }
