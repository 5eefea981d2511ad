package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dossier-ssg/dossier/generator/output"
)

// syncBuffer is a bytes.Buffer safe to read while a process writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines is an io.Writer that hands each complete line to a channel, and
// keeps everything for failure messages. Tests wait on the lines a process
// prints (one per rebuild), never on the clock.
type lines struct {
	syncBuffer
	mu      sync.Mutex
	partial []byte
	ch      chan string
}

func newLines() *lines { return &lines{ch: make(chan string, 1<<16)} }

func (l *lines) Write(p []byte) (int, error) {
	_, _ = l.syncBuffer.Write(p)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		select {
		case l.ch <- string(l.partial[:i]):
		default: // nobody reads that far behind; the text is kept above
		}
		l.partial = l.partial[i+1:]
	}
}

// next waits for the next line that contains want.
func (l *lines) next(t *testing.T, want string) string {
	t.Helper()
	guard := time.NewTimer(2 * time.Minute) // fails a hung process; no test waits this long
	defer guard.Stop()
	for {
		select {
		case line := <-l.ch:
			if strings.Contains(line, want) {
				return line
			}
		case <-guard.C:
			t.Fatalf("no line with %q; output:\n%s", want, tail(l.String()))
		}
	}
}

// TestWatchChurn runs the real `dossier watch` while a thousand seeded
// random operations hit the site: creates, edits, deletes, editor-style
// saves, and pure renames (content unchanged) of actors, treaties, quotes
// files and dossier folders. Every 50 operations it checks that public/ is
// exactly a clean build of the content. DOSSIER_CHURN_SEED replays a run,
// DOSSIER_CHURN_STEPS changes its length.
func TestWatchChurn(t *testing.T) {
	if testing.Short() {
		t.Skip("churn test: skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "dossier")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := writeSite(t, goodSite)
	out := newLines()
	cmd := exec.Command(bin, "watch", "--source", dir)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() }()
	out.next(t, "Watching")

	seed := uint64(time.Now().UnixNano())
	if v, err := strconv.ParseUint(os.Getenv("DOSSIER_CHURN_SEED"), 10, 64); err == nil {
		seed = v
	}
	steps := 1000
	if v, err := strconv.Atoi(os.Getenv("DOSSIER_CHURN_STEPS")); err == nil && v > 0 {
		steps = v
	}
	t.Logf("seed %d (DOSSIER_CHURN_SEED=%d replays this run)", seed, seed)
	c := churn{dir: dir, r: rand.New(rand.NewPCG(seed, 7))}
	for op := 1; op <= steps; op++ {
		renamed := c.step()
		// Check every 50 operations, and after one rename in four: a stale
		// page may be mended by a later change before a regular check.
		if op%50 == 0 || op == steps || (renamed && c.r.IntN(4) == 0) {
			c.restore()
			c.checkpoint(t, out, op)
		}
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(time.Minute): // a guard against a hang
		t.Error("watch did not stop on Ctrl-C")
	}
	if !strings.Contains(out.String(), "Stopped.") {
		t.Errorf("no clean stop:\n%s", tail(out.String()))
	}
}

// checkpoint waits for the watcher to take every change made so far, then
// checks that public/ is exactly a clean build of the content. A sentinel
// dossier at a new path is written last: the builder reads only the paths
// it is told of (or walks everything), so the rebuild that shows it took
// the events of every earlier change too.
func (c *churn) checkpoint(t *testing.T, out *lines, op int) {
	t.Helper()
	if c.sentinel != "" {
		_ = os.RemoveAll(c.path(c.sentinel))
	}
	c.sentinel = fmt.Sprintf("content/dossiers/zz-sentinel-%d", op)
	c.write(c.sentinel+"/index.md", "---\ntitle: Sentinel\ndate: 2024-01-01\n---\nLast.\n")
	want := filepath.Join(t.TempDir(), "want")
	if code, _, errOut := runCLI("build", "--source", c.dir, "--dest", want); code != 0 {
		t.Fatalf("after %d operations the content does not build: %s", op, errOut)
	}
	wantFiles := snapshot(t, want)
	// The watch process holds the destination's lock while it writes: with
	// the lock, public/ is one whole build, not one being written.
	public, err := output.Resolve(filepath.Join(c.dir, "public"))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	for got == nil {
		out.next(t, " → ")
		lock, err := output.Acquire(public, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(public, strings.TrimPrefix(c.sentinel, "content/"), "index.html")); err == nil {
			got = snapshot(t, public)
		}
		lock.Release()
	}
	bad := 0
	for name, data := range wantFiles {
		if got[name] != data {
			t.Errorf("after %d operations: public/%s differs from a clean build", op, name)
			bad++
		}
	}
	for name := range got {
		if _, ok := wantFiles[name]; !ok {
			t.Errorf("after %d operations: public/%s is not in a clean build", op, name)
			bad++
		}
	}
	if bad > 0 {
		t.Fatalf("watch output:\n%s", tail(out.String()))
	}
}

// churn makes random changes to a site made from goodSite.
type churn struct {
	dir      string
	r        *rand.Rand
	sentinel string // the folder of the last checkpoint's sentinel dossier
	made     int    // actors made so far
}

func (c *churn) path(rel string) string { return filepath.Join(c.dir, filepath.FromSlash(rel)) }

func (c *churn) exists(rel string) bool {
	_, err := os.Stat(c.path(rel))
	return err == nil
}

func (c *churn) write(rel, text string) {
	_ = os.MkdirAll(filepath.Dir(c.path(rel)), 0o755)
	_ = os.WriteFile(c.path(rel), []byte(text), 0o644)
}

// move renames from to to (content unchanged) when from exists and to does not.
func (c *churn) move(from, to string) bool {
	if c.exists(from) && !c.exists(to) {
		return os.Rename(c.path(from), c.path(to)) == nil
	}
	return false
}

func (c *churn) dossierBody(n int) string {
	return fmt.Sprintf("---\ntitle: \"Churn %d\"\ndate: 2024-0%d-1%d\nactors: [kim-jong-un]\ntags: [t%d]\n---\nText %d about [[Putin]].\n",
		n, 1+c.r.IntN(9), c.r.IntN(10), c.r.IntN(3), c.r.IntN(1000))
}

// step makes one random change and reports whether it renamed an entity.
func (c *churn) step() (renamed bool) {
	r := c.r
	n, m := r.IntN(12), r.IntN(12)
	d := func(n int) string { return fmt.Sprintf("content/dossiers/c%d", n) }
	switch r.IntN(12) {
	case 0, 1: // create or edit in place
		c.write(d(n)+"/index.md", c.dossierBody(n))
	case 2: // atomic save: a temporary file renamed over
		if c.exists(d(n)) {
			c.write(d(n)+"/index.md.tmp", c.dossierBody(n))
			_ = os.Rename(c.path(d(n)+"/index.md.tmp"), c.path(d(n)+"/index.md"))
		}
	case 3: // vim: backup~, 4913 probe, write, remove backup
		if data, err := os.ReadFile(c.path(d(n) + "/index.md")); err == nil {
			c.write(d(n)+"/4913", "")
			_ = os.Remove(c.path(d(n) + "/4913"))
			c.write(d(n)+"/index.md~", string(data))
			c.write(d(n)+"/index.md", c.dossierBody(n))
			_ = os.Remove(c.path(d(n) + "/index.md~"))
		}
	case 4: // pure renames of dossier folders
		renamed = c.move(d(n), d(12+m))
		if r.IntN(2) == 0 {
			c.move(d(12+m), d(n))
		}
		c.move(d(12+n), d(m))
	case 5: // delete a dossier
		_ = os.RemoveAll(c.path(d(n)))
	case 6: // quotes: write one, move it to another dossier, or aside and back
		q := d(n) + "/quotes.md"
		switch {
		case !c.exists(q) && c.exists(d(n)+"/index.md") && r.IntN(2) == 0:
			c.write(q, fmt.Sprintf("> Words %d.\n>\n> — [[kim-jong-un]], 2024-06-19\n", r.IntN(100)))
		case c.exists(d(m)+"/index.md") && r.IntN(2) == 0:
			c.move(q, d(m)+"/quotes.md")
		default:
			c.move(q, d(n)+"/quotes.txt") // an attachment now
			if r.IntN(2) == 0 {
				c.move(d(n)+"/quotes.txt", q)
			}
		}
	case 7: // pure rename of an actor nobody cites, or its creation
		from, to := fmt.Sprintf("content/actors/zz-%d.md", n%4), fmt.Sprintf("content/actors/zz-%d.md", m%4)
		if !c.exists(from) && r.IntN(2) == 0 {
			c.made++ // names must be unique across actors
			c.write(from, fmt.Sprintf("---\nname: Zz %d\nkind: person\n---\n", c.made))
		} else {
			renamed = c.move(from, to)
		}
	case 8: // pure rename of a treaty nobody cites, or its creation
		from, to := fmt.Sprintf("content/treaties/zz-%d.md", n%4), fmt.Sprintf("content/treaties/zz-%d.md", m%4)
		if !c.exists(from) && r.IntN(2) == 0 {
			c.write(from, fmt.Sprintf("---\ntitle: Zz pact %d\nsigned: 2001-01-0%d\nparties: [kim-jong-un]\nstatus: signed\n---\n", r.IntN(100), 1+r.IntN(9)))
		} else {
			renamed = c.move(from, to)
		}
	case 9: // rename a cited actor (the site breaks) or rename it back
		c.move("content/actors/kim-jong-un.md", "content/actors/kim-jong-eun.md")
		if r.IntN(2) == 0 {
			c.move("content/actors/kim-jong-eun.md", "content/actors/kim-jong-un.md")
		}
	case 10: // rename the cited treaty, and back at random
		c.move("content/treaties/pact-2024.md", "content/treaties/pact.md")
		if r.IntN(2) == 0 {
			c.move("content/treaties/pact.md", "content/treaties/pact-2024.md")
		}
	case 11: // delete an actor nobody cites
		_ = os.Remove(c.path(fmt.Sprintf("content/actors/zz-%d.md", n%4)))
	}
	return renamed
}

// restore undoes what keeps the site from building.
func (c *churn) restore() {
	c.move("content/actors/kim-jong-eun.md", "content/actors/kim-jong-un.md")
	c.move("content/treaties/pact.md", "content/treaties/pact-2024.md")
	for n := range 24 {
		dir := fmt.Sprintf("content/dossiers/c%d", n)
		if c.exists(dir) && !c.exists(dir+"/index.md") {
			_ = os.RemoveAll(c.path(dir)) // quotes left in a folder whose index went
		}
	}
}

func tail(s string) string {
	lines := strings.Split(s, "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return strings.Join(lines, "\n")
}

// trySnapshot reads every file under dir, failing (rather than stopping the
// test) when one vanishes during the walk.
func trySnapshot(dir string) (map[string]string, error) {
	files := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[rel] = string(data)
		return nil
	})
	return files, err
}
