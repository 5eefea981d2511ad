package watch

// Two kinds of test. Those on a fake clock (synctest) feed the watcher the
// events inotify sends for each file operation, through a fake notifier, and
// check exact rebuild counts and times: nothing in them depends on the speed
// of the machine. Those named TestInotify… run on the real fsnotify and check
// only what does not depend on timing: which paths the rebuilds name, in the
// end, never how many rebuilds it took.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fsnotify/fsnotify"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func hasChange(changes []string, path string) bool { return slices.Contains(changes, path) }

// isDebris reports whether a change names an editor's temporary file.
func isDebris(path string) bool {
	b := filepath.Base(path)
	return b == "4913" || strings.HasSuffix(b, "~") || strings.HasPrefix(b, "#") || strings.HasPrefix(b, ".") || strings.HasSuffix(b, ".tmp")
}

// makeSite writes a small site folder.
func makeSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "dossier.toml"), "title = \"t\"\n")
	write(t, filepath.Join(dir, "content/actors/foo.md"), "---\nname: Foo\n---\n")
	write(t, filepath.Join(dir, "content/dossiers/d/index.md"), "---\ntitle: D\n---\nbody\n")
	write(t, filepath.Join(dir, "layouts/home.html"), "home")
	return dir
}

// ops are the file operations of the save patterns, relative to the site
// folder. Run against the real file system (realOps) they make inotify
// events; on the fake clock (fakeSite) they also send the events inotify
// sends for them.
type ops interface {
	// write creates or truncates the file, then writes text if not empty.
	write(rel, text string)
	// writeParts truncates an existing file, then writes each part.
	writeParts(rel string, parts ...string)
	rename(from, to string)
	remove(rel string)
	chmod(rel string, mode fs.FileMode)
	symlink(target, rel string)
}

// realOps does the operations, nothing more.
type realOps struct {
	t   *testing.T
	dir string
}

func (o realOps) path(rel string) string { return filepath.Join(o.dir, filepath.FromSlash(rel)) }

func (o realOps) write(rel, text string) { write(o.t, o.path(rel), text) }

func (o realOps) writeParts(rel string, parts ...string) {
	f, err := os.OpenFile(o.path(rel), os.O_WRONLY|os.O_TRUNC, 0)
	must(o.t, err)
	for _, p := range parts {
		_, err = f.WriteString(p)
		must(o.t, err)
	}
	must(o.t, f.Close())
}

func (o realOps) rename(from, to string) { must(o.t, os.Rename(o.path(from), o.path(to))) }
func (o realOps) remove(rel string)      { must(o.t, os.Remove(o.path(rel))) }
func (o realOps) chmod(rel string, mode fs.FileMode) {
	must(o.t, os.Chmod(o.path(rel), mode))
}
func (o realOps) symlink(target, rel string) { must(o.t, os.Symlink(target, o.path(rel))) }

// savePatterns are the ways editors and tools save, each with the path the
// rebuild must name. They run in this order, on the site of makeSite.
var savePatterns = []struct {
	name string
	save func(o ops)
	want string
}{
	{"create", func(o ops) { o.write("content/actors/bar.md", "new") }, "content/actors/bar.md"},
	{"plain write", func(o ops) { o.write("content/actors/foo.md", "edited") }, "content/actors/foo.md"},
	{"truncate and write in two steps", func(o ops) {
		o.writeParts("content/actors/foo.md", "part one ", "part two")
	}, "content/actors/foo.md"},
	{"rename", func(o ops) { o.rename("content/actors/bar.md", "content/actors/baz.md") }, "content/actors/baz.md"},
	{"delete", func(o ops) { o.remove("content/actors/baz.md") }, "content/actors/baz.md"},
	{"temp file renamed over", func(o ops) {
		o.write("content/actors/foo.md.tmp", "atomic")
		o.rename("content/actors/foo.md.tmp", "content/actors/foo.md")
	}, "content/actors/foo.md"},
	{"vim: 4913 probe, backup~, new file", func(o ops) {
		o.write("content/actors/4913", "")
		o.remove("content/actors/4913")
		o.rename("content/actors/foo.md", "content/actors/foo.md~")
		o.write("content/actors/foo.md", "vim wrote this")
		o.chmod("content/actors/foo.md", 0o644)
		o.remove("content/actors/foo.md~")
	}, "content/actors/foo.md"},
	{"vim: swap file then save", func(o ops) {
		o.write("content/actors/.foo.md.swp", "swap")
		o.write("content/actors/.foo.md.swp", "swap 2")
		o.write("content/actors/foo.md", "vim again")
		o.remove("content/actors/.foo.md.swp")
	}, "content/actors/foo.md"},
	{"emacs: lock, autosave, backup, save", func(o ops) {
		o.symlink("user@host.1234:1700000000", "content/actors/.#foo.md")
		o.write("content/actors/#foo.md#", "autosave")
		o.rename("content/actors/foo.md", "content/actors/foo.md~")
		o.write("content/actors/foo.md", "emacs wrote this")
		o.remove("content/actors/#foo.md#")
		o.remove("content/actors/.#foo.md")
	}, "content/actors/foo.md"},
	{"dossier.toml replaced atomically", func(o ops) {
		o.write("dossier.toml.tmp", "title = \"u\"\n")
		o.rename("dossier.toml.tmp", "dossier.toml")
	}, "dossier.toml"},
	{"layout edit", func(o ops) { o.write("layouts/home.html", "home 2") }, "layouts/home.html"},
	{"a burst of 50 files", func(o ops) {
		for i := range 50 {
			o.write("content/actors/burst-"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+".md", "x")
		}
	}, "content/actors/burst-a.md"},
}

// pattern is the save pattern of that name.
func pattern(t *testing.T, name string) func(o ops) {
	t.Helper()
	for _, p := range savePatterns {
		if p.name == name {
			return p.save
		}
	}
	t.Fatalf("no save pattern %q", name)
	return nil
}

// --- On the fake clock -------------------------------------------------

// fakeNotifier stands in for fsnotify: the test sends the events.
type fakeNotifier struct {
	events  chan fsnotify.Event
	errs    chan error
	mu      sync.Mutex
	watched map[string]bool
}

func (f *fakeNotifier) Add(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.watched[name] = true
	return nil
}

func (f *fakeNotifier) Remove(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.watched[name] {
		return errors.New("not watched")
	}
	delete(f.watched, name)
	return nil
}

func (f *fakeNotifier) Close() error { return nil }

func (f *fakeNotifier) isWatched(name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.watched[name]
}

// recorder is a fake rebuild function that records its calls. With gate
// set, a call returns only once it receives from gate: a rebuild as long as
// the test wants.
type recorder struct {
	gate chan struct{}
	// obey makes a gated call also return when its context is cancelled,
	// as a real rebuild does; cancelled counts those calls.
	obey      bool
	cancelled atomic.Int32
	mu        sync.Mutex
	calls     [][]string
	running   atomic.Int32
	maxRun    atomic.Int32
}

func (r *recorder) rebuild(ctx context.Context, changes []string) {
	n := r.running.Add(1)
	for {
		m := r.maxRun.Load()
		if n <= m || r.maxRun.CompareAndSwap(m, n) {
			break
		}
	}
	r.mu.Lock()
	r.calls = append(r.calls, changes)
	r.mu.Unlock()
	if r.gate != nil {
		select {
		case <-r.gate:
		case <-obeyed(ctx, r.obey):
			r.cancelled.Add(1)
		}
	}
	r.running.Add(-1)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

func (r *recorder) last() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.calls) == 0 {
		return nil
	}
	return r.calls[len(r.calls)-1]
}

// quiet is longer than any wait of the debounce (maxDelay at most).
const quiet = time.Second

// advance moves the fake clock of the caller's synctest bubble on by d,
// running every timer due on the way, and returns once every goroutine of
// the bubble is blocked again. It is the only sleep of these tests, and it
// takes no real time.
func advance(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}

// expect lets the fake clock run until every debounce has fired, then
// checks there have been want calls in all.
func (r *recorder) expect(t *testing.T, want int) {
	t.Helper()
	advance(quiet)
	r.is(t, want)
}

// is checks there have been want calls so far.
func (r *recorder) is(t *testing.T, want int) {
	t.Helper()
	if got := r.count(); got != want {
		r.mu.Lock()
		defer r.mu.Unlock()
		t.Fatalf("%d rebuilds, want %d; calls: %q", got, want, r.calls)
	}
}

// fakeSite is a site folder watched through a fakeNotifier, inside a
// synctest bubble. Its operations change the files and send the events
// inotify sends for them (as fsnotify reports them on Linux), each handled
// before the next operation, with gap of fake time between two operations.
type fakeSite struct {
	t    *testing.T
	dir  string
	fake *fakeNotifier
	w    *Watcher
	r    *recorder
	gap  time.Duration
}

// newFakeSite must run inside synctest.Test.
func newFakeSite(t *testing.T, r *recorder) *fakeSite {
	t.Helper()
	s := &fakeSite{t: t, dir: makeSite(t), r: r}
	s.fake = &fakeNotifier{events: make(chan fsnotify.Event, 1024), errs: make(chan error, 16), watched: map[string]bool{}}
	w, err := start(SitePaths(s.dir), r.rebuild, Options{Errorf: t.Logf}, s.fake, s.fake.events, s.fake.errs)
	if err != nil {
		t.Fatal(err)
	}
	s.w = w
	t.Cleanup(func() { w.Close() })
	return s
}

func (s *fakeSite) path(rel string) string { return filepath.Join(s.dir, filepath.FromSlash(rel)) }

// event sends one event and waits until the watcher has handled it.
func (s *fakeSite) event(op fsnotify.Op, rel string) {
	s.fake.events <- fsnotify.Event{Name: s.path(rel), Op: op}
	synctest.Wait()
}

// pause lets gap pass between two operations.
func (s *fakeSite) pause() {
	if s.gap > 0 {
		advance(s.gap)
	}
}

func (s *fakeSite) write(rel, text string) {
	p := s.path(rel)
	must(s.t, os.MkdirAll(filepath.Dir(p), 0o755))
	_, err := os.Lstat(p)
	existed := err == nil
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	must(s.t, err)
	defer f.Close()
	if existed {
		s.event(fsnotify.Write, rel) // the truncation
	} else {
		s.event(fsnotify.Create, rel)
	}
	if text != "" {
		s.pause()
		_, err = f.WriteString(text)
		must(s.t, err)
		s.event(fsnotify.Write, rel)
	}
	s.pause()
}

func (s *fakeSite) writeParts(rel string, parts ...string) {
	f, err := os.OpenFile(s.path(rel), os.O_WRONLY|os.O_TRUNC, 0)
	must(s.t, err)
	defer f.Close()
	s.event(fsnotify.Write, rel)
	for _, p := range parts {
		s.pause()
		_, err = f.WriteString(p)
		must(s.t, err)
		s.event(fsnotify.Write, rel)
	}
	s.pause()
}

func (s *fakeSite) rename(from, to string) {
	must(s.t, os.Rename(s.path(from), s.path(to)))
	s.event(fsnotify.Rename, from)
	s.event(fsnotify.Create, to)
	s.pause()
}

func (s *fakeSite) remove(rel string) {
	must(s.t, os.Remove(s.path(rel)))
	s.event(fsnotify.Remove, rel)
	s.pause()
}

func (s *fakeSite) removeAll(rel string) {
	must(s.t, os.RemoveAll(s.path(rel)))
	s.event(fsnotify.Remove, rel)
	s.pause()
}

func (s *fakeSite) chmod(rel string, mode fs.FileMode) {
	must(s.t, os.Chmod(s.path(rel), mode))
	s.event(fsnotify.Chmod, rel)
	s.pause()
}

func (s *fakeSite) symlink(target, rel string) {
	must(s.t, os.Symlink(target, s.path(rel)))
	s.event(fsnotify.Create, rel)
	s.pause()
}

func (s *fakeSite) mkdir(rel string) {
	must(s.t, os.Mkdir(s.path(rel), 0o755))
	s.event(fsnotify.Create, rel)
	s.pause()
}

// mkdirWith makes folder top, with the folders and the file of file below
// it (mkdir -p top/a/b && cp x top/a/b): inotify reports only top, which
// is not watched yet when the rest appears.
func (s *fakeSite) mkdirWith(top, file string) {
	write(s.t, s.path(file), "x")
	s.event(fsnotify.Create, top)
	s.pause()
}

// checkLast checks the last rebuild names want and no editor debris.
func (s *fakeSite) checkLast(want string) {
	s.t.Helper()
	got := s.r.last()
	if !hasChange(got, s.path(want)) {
		s.t.Errorf("changes %q do not name %s", got, want)
	}
	for _, c := range got {
		if isDebris(c) {
			s.t.Errorf("editor debris %s reported as a change", c)
		}
	}
}

// Each editor's save is one rebuild, also when its steps are a few
// milliseconds apart (a slow or busy machine).
func TestSavePatterns(t *testing.T) {
	for _, gap := range []time.Duration{0, time.Millisecond, 4 * time.Millisecond} {
		t.Run(fmt.Sprintf("steps %s apart", gap), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := &recorder{}
				s := newFakeSite(t, r)
				s.gap = gap
				for i, p := range savePatterns {
					p.save(s)
					r.expect(t, i+1)
					s.checkLast(p.want)
					if t.Failed() {
						t.Fatalf("after %q", p.name)
					}
				}
			})
		})
	}
}

func TestDebrisAloneDoesNotRebuild(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &recorder{}
		s := newFakeSite(t, r)
		s.gap = time.Millisecond
		// emacs starts editing: a lock link and auto-saves, but no save yet.
		s.symlink("user@host.1:1", "content/actors/.#foo.md")
		s.write("content/actors/#foo.md#", "auto")
		s.write("content/actors/#foo.md#", "auto 2")
		// vim's swap file and probe.
		s.write("content/actors/.foo.md.swp", "swap")
		s.write("content/actors/4913", "")
		s.remove("content/actors/4913")
		// A hidden folder with files in it: neither watched nor reported.
		s.mkdirWith("content/.git", "content/.git/objects/ab")
		s.write("content/.git/objects/cd", "obj")
		if s.fake.isWatched(s.path("content/.git")) {
			t.Error("a hidden folder is watched")
		}
		// Files next to the watched ones, but not read by a build.
		s.write("public/index.html", "out")
		s.write("README.md", "readme")
		s.chmod("content/actors/foo.md", 0o600) // attributes only
		r.expect(t, 0)
	})
}

func TestNewFolders(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &recorder{}
		s := newFakeSite(t, r)
		s.mkdir("content/dossiers/new")
		r.expect(t, 1)
		s.checkLast("content/dossiers/new")
		if !s.fake.isWatched(s.path("content/dossiers/new")) {
			t.Error("the new folder is not watched")
		}
		s.write("content/dossiers/new/index.md", "in the new folder")
		r.expect(t, 2)
		s.checkLast("content/dossiers/new/index.md")
		// mkdir -p and a file at once: the file is there before the watch.
		s.mkdirWith("content/dossiers/deep", "content/dossiers/deep/pics/2024/a.png")
		r.expect(t, 3)
		s.checkLast("content/dossiers/deep/pics/2024/a.png")
		for _, d := range []string{"deep", "deep/pics", "deep/pics/2024"} {
			if !s.fake.isWatched(s.path("content/dossiers/" + d)) {
				t.Errorf("%s is not watched", d)
			}
		}
		// A watched path that did not exist at start.
		s.mkdirWith("assets", "assets/css/main.css")
		r.expect(t, 4)
		s.checkLast("assets/css/main.css")
		if !s.fake.isWatched(s.path("assets/css")) {
			t.Error("assets/css is not watched")
		}
		s.write("assets/css/main.css", "body{color:red}")
		r.expect(t, 5)
		s.checkLast("assets/css/main.css")
	})
}

func TestFolderRenameAndDelete(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &recorder{}
		s := newFakeSite(t, r)
		s.mkdirWith("content/dossiers/d/pics", "content/dossiers/d/pics/a.png")
		r.expect(t, 1)
		s.rename("content/dossiers/d", "content/dossiers/e")
		r.expect(t, 2)
		s.checkLast("content/dossiers/d")
		s.checkLast("content/dossiers/e")
		// The watches follow the new name.
		for _, d := range []string{"d", "d/pics"} {
			if s.fake.isWatched(s.path("content/dossiers/" + d)) {
				t.Errorf("%s still watched under its old name", d)
			}
		}
		for _, d := range []string{"e", "e/pics"} {
			if !s.fake.isWatched(s.path("content/dossiers/" + d)) {
				t.Errorf("%s not watched", d)
			}
		}
		s.removeAll("content/dossiers/e")
		r.expect(t, 3)
		s.checkLast("content/dossiers/e")
		if s.fake.isWatched(s.path("content/dossiers/e/pics")) {
			t.Error("a deleted folder is still watched")
		}
		// The whole content folder goes and comes back.
		s.removeAll("content")
		r.expect(t, 4)
		s.checkLast("content")
		s.mkdirWith("content", "content/actors/x.md")
		r.expect(t, 5)
		s.checkLast("content/actors/x.md")
		s.write("content/actors/x.md", "x 2")
		r.expect(t, 6)
		s.checkLast("content/actors/x.md")
	})
}

// The debounce waits, to the nanosecond: 5 ms after a plain save, 30 ms
// when the burst is more than one saved file, at most 500 ms after the
// first event of a burst that never goes quiet.
func TestDebounceTimes(t *testing.T) {
	// within checks that the rebuilds after an operation that ended now
	// come exactly after wait: none a nanosecond before, one then.
	within := func(t *testing.T, r *recorder, before int, wait time.Duration) {
		t.Helper()
		advance(wait - time.Nanosecond)
		r.is(t, before)
		advance(time.Nanosecond)
		r.is(t, before+1)
	}
	quick := DefaultDebounce / quickDivisor
	if quick != 5*time.Millisecond {
		t.Fatalf("the quick debounce is %s, docs/serve.md says 5 ms", quick)
	}
	t.Run("a plain save", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r := &recorder{}
			s := newFakeSite(t, r)
			s.write("content/actors/foo.md", "saved")
			within(t, r, 0, quick)
			s.write("content/actors/new.md", "created")
			within(t, r, 1, quick)
		})
	})
	t.Run("a file truncated, not yet written", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r := &recorder{}
			s := newFakeSite(t, r)
			s.write("content/actors/foo.md", "")
			within(t, r, 0, DefaultDebounce)
		})
	})
	t.Run("a file renamed away", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r := &recorder{}
			s := newFakeSite(t, r)
			must(t, os.Rename(s.path("content/actors/foo.md"), s.path("content/actors/foo.md~")))
			s.event(fsnotify.Rename, "content/actors/foo.md")
			within(t, r, 0, DefaultDebounce)
		})
	})
	t.Run("two files", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r := &recorder{}
			s := newFakeSite(t, r)
			s.write("content/actors/foo.md", "one")
			s.write("content/actors/bar.md", "two")
			within(t, r, 0, DefaultDebounce)
		})
	})
	t.Run("a second file within 5 ms of a save joins it", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r := &recorder{}
			s := newFakeSite(t, r)
			s.write("content/actors/foo.md", "one")
			advance(quick - time.Millisecond)
			s.write("content/actors/bar.md", "two")
			r.expect(t, 1)
			if got := r.last(); len(got) != 2 {
				t.Errorf("changes %q, want both files", got)
			}
		})
	})
	t.Run("a second file 6 ms after a save is a rebuild of its own", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r := &recorder{}
			s := newFakeSite(t, r)
			s.write("content/actors/foo.md", "one")
			advance(quick + time.Millisecond)
			s.write("content/actors/bar.md", "two")
			r.expect(t, 2)
		})
	})
	t.Run("a burst that never goes quiet", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r := &recorder{}
			s := newFakeSite(t, r)
			start := time.Now()
			// A save every 3 ms, of two files in turn: never 30 ms of quiet.
			const every = 3 * time.Millisecond
			for i := 0; time.Since(start) < 2*time.Second; i++ {
				s.write([]string{"content/actors/a.md", "content/actors/b.md"}[i%2], strings.Repeat("x", i+1))
				if since := time.Since(start); since < maxDelay {
					r.is(t, 0)
				} else if since < maxDelay+every {
					r.is(t, 1) // maxDelay after the first event, and not before
				}
				advance(every)
			}
			// Bursts start at 0, 501, 1002 and 1503 ms; the first three
			// were cut at 500 ms; the last ends 5 ms after its last save.
			r.is(t, 3)
			r.expect(t, 4)
		})
	})
}

// Changes during a running rebuild give exactly one more rebuild after it,
// never two at once, whatever they are.
func TestCoalesceDuringRebuild(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &recorder{gate: make(chan struct{})}
		s := newFakeSite(t, r)
		s.write("content/actors/foo.md", "1")
		advance(quiet)
		if r.running.Load() != 1 {
			t.Fatal("rebuild did not start")
		}
		for i := range 5 { // well separated: five bursts while the first rebuild runs
			s.write("content/actors/foo.md", strings.Repeat("x", i+2))
			advance(3 * DefaultDebounce)
		}
		pattern(t, "vim: 4913 probe, backup~, new file")(s)
		s.write("content/actors/new.md", "new")
		advance(quiet)
		r.is(t, 1)
		r.gate <- struct{}{} // the first rebuild ends
		synctest.Wait()
		r.is(t, 2)
		if got := r.last(); !hasChange(got, s.path("content/actors/foo.md")) || !hasChange(got, s.path("content/actors/new.md")) {
			t.Errorf("changes %q do not name every file saved during the first rebuild", got)
		}
		r.gate <- struct{}{}
		r.expect(t, 2)
		if m := r.maxRun.Load(); m != 1 {
			t.Errorf("%d rebuilds ran at once", m)
		}
	})
}

// A newer burst ready while a rebuild runs cancels it; the next call takes
// the changes of both. Three calls in a row at most are cancelled: saves
// faster than a rebuild must not keep the preview from ever updating.
func TestNewerBurstCancelsRebuild(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &recorder{gate: make(chan struct{}), obey: true}
		s := newFakeSite(t, r)
		s.write("content/actors/a.md", "1")
		advance(quiet)
		r.is(t, 1)
		s.write("content/actors/b.md", "1")
		advance(quiet) // the burst is ready: the first call is cancelled, a second runs
		r.is(t, 2)
		if got := r.cancelled.Load(); got != 1 {
			t.Fatalf("%d calls cancelled, want 1", got)
		}
		if got := r.last(); !hasChange(got, s.path("content/actors/a.md")) || !hasChange(got, s.path("content/actors/b.md")) {
			t.Errorf("the call after a cancelled one has %q, want the changes of both", got)
		}
		for i, want := range []int32{2, 3, 3, 3} {
			s.write("content/actors/b.md", strings.Repeat("x", i+2))
			advance(quiet)
			if got := r.cancelled.Load(); got != want {
				t.Fatalf("after burst %d: %d calls cancelled, want %d", i+2, got, want)
			}
		}
		r.is(t, 4) // the fourth call was not cancelled: it runs on
		r.gate <- struct{}{}
		synctest.Wait()
		r.is(t, 5) // the bursts during it
		r.gate <- struct{}{}
		r.expect(t, 5)
		if m := r.maxRun.Load(); m != 1 {
			t.Errorf("%d rebuilds ran at once", m)
		}
	})
}

// Close cancels the running rebuild, so Ctrl-C never waits for a long one.
func TestCloseCancelsRebuild(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &recorder{gate: make(chan struct{}), obey: true}
		s := newFakeSite(t, r)
		s.write("content/actors/foo.md", "1")
		advance(quiet)
		r.is(t, 1)
		if err := s.w.Close(); err != nil { // returns only once the call has
			t.Fatal(err)
		}
		if r.cancelled.Load() != 1 || r.running.Load() != 0 {
			t.Error("Close did not cancel the running rebuild")
		}
	})
}

// obeyed is ctx.Done() when obey is set, else a channel that never closes.
func obeyed(ctx context.Context, obey bool) <-chan struct{} {
	if obey {
		return ctx.Done()
	}
	return nil
}

// Close waits for the running rebuild; no rebuild starts after Close, not
// even for changes seen before it.
func TestCloseWaitsForRebuild(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &recorder{gate: make(chan struct{})}
		s := newFakeSite(t, r)
		s.write("content/actors/foo.md", "1")
		advance(quiet)
		r.is(t, 1)
		s.write("content/actors/foo.md", "2") // debounced, waiting for the worker
		advance(quiet)
		closed := make(chan struct{})
		go func() {
			if err := s.w.Close(); err != nil {
				t.Error(err)
			}
			close(closed)
		}()
		synctest.Wait()
		select {
		case <-closed:
			t.Fatal("Close returned while the rebuild was running")
		default:
		}
		close(r.gate) // the rebuild ends; any other would not wait
		<-closed
		if r.running.Load() != 0 {
			t.Error("Close returned while the rebuild was running")
		}
		s.fake.events <- fsnotify.Event{Name: s.path("content/actors/foo.md"), Op: fsnotify.Write}
		r.expect(t, 1)
	})
}

// A dropped event queue is a rebuild with Overflow; so are more changes
// than are kept.
func TestOverflow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &recorder{}
		s := newFakeSite(t, r)
		s.fake.errs <- fsnotify.ErrEventOverflow
		r.expect(t, 1)
		if got := r.last(); len(got) != 1 || got[0] != Overflow {
			t.Errorf("changes %q, want %q", got, Overflow)
		}
		for i := range maxPending + 5 {
			s.fake.events <- fsnotify.Event{Name: s.path(fmt.Sprintf("content/actors/a%d.md", i)), Op: fsnotify.Create}
		}
		r.expect(t, 2)
		if got := r.last(); len(got) != maxPending+1 || !hasChange(got, Overflow) {
			t.Errorf("%d changes, want %d and %q", len(got), maxPending+1, Overflow)
		}
	})
}

// --- On the real fsnotify ----------------------------------------------

// liveSite is a site folder watched by New. Its rebuild function records
// the calls; sync tells when every change made so far has been passed on.
type liveSite struct {
	realOps
	mu     sync.Mutex
	calls  [][]string
	seen   int           // calls already returned by sync
	signal chan struct{} // a call was recorded
	n      int           // sentinels written
}

func newLiveSite(t *testing.T) *liveSite {
	t.Helper()
	s := &liveSite{realOps: realOps{t: t, dir: makeSite(t)}, signal: make(chan struct{}, 1)}
	w, err := New(SitePaths(s.dir), s.rebuild, Options{Errorf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return s
}

func (s *liveSite) rebuild(_ context.Context, changes []string) {
	s.mu.Lock()
	s.calls = append(s.calls, changes)
	s.mu.Unlock()
	select {
	case s.signal <- struct{}{}:
	default:
	}
}

// sync writes a new file and waits for the rebuild that names it. inotify
// reports events in order, and the watcher passes them on in order, so by
// then every change made before it has been passed to the rebuild function.
// It returns the paths named by the rebuilds since the last sync, this
// one's sentinel file left out.
func (s *liveSite) sync() []string {
	s.t.Helper()
	s.n++
	sentinel := s.path(fmt.Sprintf("layouts/sentinel-%d.html", s.n))
	write(s.t, sentinel, "s")
	guard := time.NewTimer(30 * time.Second) // only for a hung test
	defer guard.Stop()
	for {
		s.mu.Lock()
		for i := s.seen; i < len(s.calls); i++ {
			if hasChange(s.calls[i], sentinel) {
				var named []string
				for _, c := range s.calls[s.seen : i+1] {
					for _, p := range c {
						if p != sentinel {
							named = append(named, p)
						}
					}
				}
				s.seen = i + 1
				s.mu.Unlock()
				return named
			}
		}
		s.mu.Unlock()
		select {
		case <-s.signal:
		case <-guard.C:
			s.t.Fatalf("no rebuild named %s within 30 s", sentinel)
		}
	}
}

// expectNamed checks the paths named since the last sync: they include
// every path of want, no editor debris, and nothing in absent.
func (s *liveSite) expectNamed(named []string, want []string, absent ...string) {
	s.t.Helper()
	for _, w := range want {
		if !hasChange(named, s.path(w)) {
			s.t.Errorf("changes %q do not name %s", named, w)
		}
	}
	for _, a := range absent {
		if hasChange(named, s.path(a)) {
			s.t.Errorf("changes %q name %s", named, a)
		}
	}
	for _, c := range named {
		if isDebris(c) {
			s.t.Errorf("editor debris %s reported as a change", c)
		}
	}
}

// The inotify events of each save pattern reach the rebuild with the saved
// file's name, and never with debris.
func TestInotifySavePatterns(t *testing.T) {
	s := newLiveSite(t)
	for _, p := range savePatterns {
		p.save(s)
		s.expectNamed(s.sync(), []string{p.want})
		if t.Failed() {
			t.Fatalf("after %q", p.name)
		}
	}
}

func TestInotifyDebrisIgnored(t *testing.T) {
	s := newLiveSite(t)
	actors := "content/actors/"
	s.symlink("user@host.1:1", actors+".#foo.md")
	s.write(actors+"#foo.md#", "auto")
	s.write(actors+".foo.md.swp", "swap")
	s.write(actors+"4913", "")
	s.remove(actors + "4913")
	s.write("content/.git/objects/ab", "obj")
	s.write("content/.git/objects/cd", "obj") // in a folder that must not be watched
	s.write("public/index.html", "out")
	s.write("README.md", "readme")
	s.chmod(actors+"foo.md", 0o600)
	if named := s.sync(); len(named) > 0 {
		t.Errorf("rebuilds for %q", named)
	}
}

func TestInotifyNewFolders(t *testing.T) {
	s := newLiveSite(t)
	must(t, os.Mkdir(s.path("content/dossiers/new"), 0o755))
	s.expectNamed(s.sync(), []string{"content/dossiers/new"})
	s.write("content/dossiers/new/index.md", "in the new folder")
	s.expectNamed(s.sync(), []string{"content/dossiers/new/index.md"})
	// mkdir -p and a file at once: the file is there before the watch.
	s.write("content/dossiers/deep/pics/2024/a.png", "png")
	s.expectNamed(s.sync(), []string{"content/dossiers/deep/pics/2024/a.png"})
	s.write("content/dossiers/deep/pics/2024/b.png", "png") // the deep new folder is watched
	s.expectNamed(s.sync(), []string{"content/dossiers/deep/pics/2024/b.png"})
	// A watched path that did not exist at start.
	s.write("assets/css/main.css", "body{}")
	s.expectNamed(s.sync(), []string{"assets/css/main.css"})
	s.write("assets/css/main.css", "body{color:red}")
	s.expectNamed(s.sync(), []string{"assets/css/main.css"})
}

func TestInotifyFolderRenameAndDelete(t *testing.T) {
	s := newLiveSite(t)
	s.write("content/dossiers/d/pics/a.png", "png")
	s.expectNamed(s.sync(), []string{"content/dossiers/d/pics/a.png"})
	s.rename("content/dossiers/d", "content/dossiers/e")
	s.expectNamed(s.sync(), []string{"content/dossiers/d", "content/dossiers/e"})
	// Events inside the moved folder carry its new name.
	s.write("content/dossiers/e/pics/a.png", "png 2")
	s.expectNamed(s.sync(), []string{"content/dossiers/e/pics/a.png"}, "content/dossiers/d/pics/a.png")
	must(t, os.RemoveAll(s.path("content/dossiers/e")))
	s.expectNamed(s.sync(), []string{"content/dossiers/e"})
	// The whole content folder goes and comes back.
	must(t, os.RemoveAll(s.path("content")))
	s.expectNamed(s.sync(), []string{"content"})
	s.write("content/actors/x.md", "x")
	s.expectNamed(s.sync(), []string{"content/actors/x.md"})
	s.write("content/actors/x.md", "x 2")
	s.expectNamed(s.sync(), []string{"content/actors/x.md"})
}

// --- Without events ----------------------------------------------------

func TestMissingParent(t *testing.T) {
	if _, err := New([]string{filepath.Join(t.TempDir(), "no/such/content")}, func(context.Context, []string) {}, Options{}); err == nil {
		t.Error("no error for a path whose folder does not exist")
	}
}

func TestDescribe(t *testing.T) {
	dir := t.TempDir()
	saved := filepath.Join(dir, "content/actors/foo.md")
	write(t, saved, "x")
	gone := filepath.Join(dir, "content/actors/sedAbC123")
	for _, tt := range []struct {
		changes []string
		want    string
	}{
		{nil, "rebuild"},
		{[]string{saved}, "content/actors/foo.md"},
		{[]string{filepath.Join(dir, "content/actors"), gone, saved}, "content/actors/foo.md and 2 more"},
		{[]string{gone}, "content/actors/sedAbC123"},
		{[]string{"/elsewhere/x.md"}, "/elsewhere/x.md"},
	} {
		if got := Describe(dir, tt.changes); got != tt.want {
			t.Errorf("Describe(%q) = %q, want %q", tt.changes, got, tt.want)
		}
	}
}

// A burst that is one saved file gets the short quiet time; one with a
// missing path (an editor renamed the file away and has not written the
// new one yet) or with more paths waits the full debounce.
func TestOneSavedFile(t *testing.T) {
	dir := t.TempDir()
	foo := filepath.Join(dir, "foo.md")
	write(t, foo, "x")
	w := &Watcher{pending: map[string]bool{}}
	if w.oneSavedFile() {
		t.Error("no change counts as a saved file")
	}
	w.add(foo)
	if !w.oneSavedFile() {
		t.Error("one present file is not a saved file")
	}
	w.add(filepath.Join(dir, "bar.md"))
	if w.oneSavedFile() {
		t.Error("two paths count as one saved file")
	}
	w.pending = map[string]bool{filepath.Join(dir, "gone.md"): true}
	if w.oneSavedFile() {
		t.Error("a missing file counts as saved")
	}
	w.pending = map[string]bool{dir: true}
	if w.oneSavedFile() {
		t.Error("a folder counts as a saved file")
	}
	write(t, foo, "") // truncated, not written yet
	w.pending = map[string]bool{foo: true}
	if w.oneSavedFile() {
		t.Error("an empty file counts as saved")
	}
}

// fsnotify sends some errors while it holds the lock Add and Remove take.
// The errors must be taken at once, whether or not the loop reads them now,
// or the loop's next Add deadlocks with fsnotify's reader. Here nobody
// reads out while thousands of errors are sent: with a plain channel the
// first send would block for ever.
func TestErrorsNeverBlockTheSender(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		errs := make(chan error)
		out := drain(errs)
		for range 5000 {
			errs <- errors.New("inotify: invalid argument")
		}
		if err := <-out; err == nil {
			t.Fatal("no error passed on")
		}
		close(errs)
		for range out { // closed once errs is: the goroutine is gone
		}
	})
}
