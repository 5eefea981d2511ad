package watch

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is a fake rebuild function that counts its calls.
type recorder struct {
	delay   time.Duration
	mu      sync.Mutex
	calls   [][]string
	running atomic.Int32
	maxRun  atomic.Int32
}

func (r *recorder) rebuild(changes []string) {
	n := r.running.Add(1)
	for {
		m := r.maxRun.Load()
		if n <= m || r.maxRun.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(r.delay)
	r.mu.Lock()
	r.calls = append(r.calls, changes)
	r.mu.Unlock()
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
	return r.calls[len(r.calls)-1]
}

// settle is how long to wait for extra, unwanted rebuilds: many debounce times.
const settle = 10 * DefaultDebounce

// expect waits until there have been want calls in all, then makes sure no
// further call follows.
func (r *recorder) expect(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for r.count() < want && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(settle)
	if got := r.count(); got != want {
		r.mu.Lock()
		defer r.mu.Unlock()
		t.Fatalf("%d rebuilds, want %d; calls: %q", got, want, r.calls)
	}
}

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

// newSite makes a small site folder and watches it like the dev server does.
func newSite(t *testing.T, r *recorder) (string, *Watcher) {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "dossier.toml"), "title = \"t\"\n")
	write(t, filepath.Join(dir, "content/actors/foo.md"), "---\nname: Foo\n---\n")
	write(t, filepath.Join(dir, "content/dossiers/d/index.md"), "---\ntitle: D\n---\nbody\n")
	write(t, filepath.Join(dir, "layouts/home.html"), "home")
	w, err := New(SitePaths(dir), r.rebuild, Options{Errorf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return dir, w
}

func hasChange(changes []string, path string) bool { return slices.Contains(changes, path) }

func TestSavePatterns(t *testing.T) {
	r := &recorder{}
	dir, _ := newSite(t, r)
	foo := filepath.Join(dir, "content/actors/foo.md")
	actors := filepath.Join(dir, "content/actors")
	n := 0
	steps := []struct {
		name string
		save func(t *testing.T)
		want string // a path the rebuild must name
	}{
		{"create", func(t *testing.T) { write(t, filepath.Join(actors, "bar.md"), "new") }, filepath.Join(actors, "bar.md")},
		{"plain write", func(t *testing.T) { write(t, foo, "edited") }, foo},
		{"truncate and write in two steps", func(t *testing.T) {
			f, err := os.OpenFile(foo, os.O_WRONLY|os.O_TRUNC, 0)
			must(t, err)
			_, err = f.WriteString("part one ")
			must(t, err)
			_, err = f.WriteString("part two")
			must(t, err)
			must(t, f.Close())
		}, foo},
		{"rename", func(t *testing.T) {
			must(t, os.Rename(filepath.Join(actors, "bar.md"), filepath.Join(actors, "baz.md")))
		}, filepath.Join(actors, "baz.md")},
		{"delete", func(t *testing.T) { must(t, os.Remove(filepath.Join(actors, "baz.md"))) }, filepath.Join(actors, "baz.md")},
		{"temp file renamed over", func(t *testing.T) {
			write(t, foo+".tmp", "atomic")
			must(t, os.Rename(foo+".tmp", foo))
		}, foo},
		{"vim: 4913 probe, backup~, new file", func(t *testing.T) {
			probe := filepath.Join(actors, "4913")
			write(t, probe, "")
			must(t, os.Remove(probe))
			must(t, os.Rename(foo, foo+"~"))
			write(t, foo, "vim wrote this")
			must(t, os.Chmod(foo, 0o644))
			must(t, os.Remove(foo+"~"))
		}, foo},
		{"vim: swap file then save", func(t *testing.T) {
			swp := filepath.Join(actors, ".foo.md.swp")
			write(t, swp, "swap")
			write(t, swp, "swap 2")
			write(t, foo, "vim again")
			must(t, os.Remove(swp))
		}, foo},
		{"emacs: lock, autosave, backup, save", func(t *testing.T) {
			lock := filepath.Join(actors, ".#foo.md")
			auto := filepath.Join(actors, "#foo.md#")
			must(t, os.Symlink("user@host.1234:1700000000", lock))
			write(t, auto, "autosave")
			must(t, os.Rename(foo, foo+"~"))
			write(t, foo, "emacs wrote this")
			must(t, os.Remove(auto))
			must(t, os.Remove(lock))
		}, foo},
		{"dossier.toml replaced atomically", func(t *testing.T) {
			toml := filepath.Join(dir, "dossier.toml")
			write(t, toml+".tmp", "title = \"u\"\n")
			must(t, os.Rename(toml+".tmp", toml))
		}, filepath.Join(dir, "dossier.toml")},
		{"layout edit", func(t *testing.T) { write(t, filepath.Join(dir, "layouts/home.html"), "home 2") }, filepath.Join(dir, "layouts/home.html")},
		{"a burst of 50 files", func(t *testing.T) {
			for i := range 50 {
				write(t, filepath.Join(actors, "burst-"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+".md"), "x")
			}
		}, filepath.Join(actors, "burst-a.md")},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.save(t)
			n++
			r.expect(t, n)
			if got := r.last(); !hasChange(got, s.want) {
				t.Errorf("changes %q do not name %s", got, s.want)
			}
			for _, c := range r.last() {
				if b := filepath.Base(c); b == "4913" || strings.HasSuffix(b, "~") || strings.HasPrefix(b, "#") || strings.HasPrefix(b, ".") || strings.HasSuffix(b, ".tmp") {
					t.Errorf("editor debris %s reported as a change", c)
				}
			}
		})
	}
}

func TestDebrisAloneDoesNotRebuild(t *testing.T) {
	r := &recorder{}
	dir, _ := newSite(t, r)
	actors := filepath.Join(dir, "content/actors")
	// emacs starts editing: a lock link and auto-saves, but no save yet.
	must(t, os.Symlink("user@host.1:1", filepath.Join(actors, ".#foo.md")))
	write(t, filepath.Join(actors, "#foo.md#"), "auto")
	write(t, filepath.Join(actors, "#foo.md#"), "auto 2")
	// vim's swap file and probe.
	write(t, filepath.Join(actors, ".foo.md.swp"), "swap")
	write(t, filepath.Join(actors, "4913"), "")
	must(t, os.Remove(filepath.Join(actors, "4913")))
	// A hidden folder with files in it.
	write(t, filepath.Join(dir, "content/.git/objects/ab"), "obj")
	// Files next to the watched ones, but not read by a build.
	write(t, filepath.Join(dir, "public/index.html"), "out")
	write(t, filepath.Join(dir, "README.md"), "readme")
	must(t, os.Chmod(filepath.Join(actors, "foo.md"), 0o600)) // attributes only
	r.expect(t, 0)
}

func TestNewFolders(t *testing.T) {
	r := &recorder{}
	dir, _ := newSite(t, r)
	sub := filepath.Join(dir, "content/dossiers/new")
	must(t, os.Mkdir(sub, 0o755))
	r.expect(t, 1)
	write(t, filepath.Join(sub, "index.md"), "in the new folder")
	r.expect(t, 2)
	if !hasChange(r.last(), filepath.Join(sub, "index.md")) {
		t.Errorf("changes %q miss the file in the new folder", r.last())
	}
	// mkdir -p and a file at once: the file is there before the watch.
	deep := filepath.Join(dir, "content/dossiers/deep/pics/2024")
	write(t, filepath.Join(deep, "a.png"), "png")
	r.expect(t, 3)
	if !hasChange(r.last(), filepath.Join(deep, "a.png")) {
		t.Errorf("changes %q miss the file created with its folders", r.last())
	}
	write(t, filepath.Join(deep, "b.png"), "png")
	r.expect(t, 4)
	if !hasChange(r.last(), filepath.Join(deep, "b.png")) {
		t.Errorf("changes %q: the deep new folder is not watched", r.last())
	}
	// A watched path that did not exist at start.
	write(t, filepath.Join(dir, "assets/css/main.css"), "body{}")
	r.expect(t, 5)
	if !hasChange(r.last(), filepath.Join(dir, "assets/css/main.css")) {
		t.Errorf("changes %q miss assets/css/main.css", r.last())
	}
	write(t, filepath.Join(dir, "assets/css/main.css"), "body{color:red}")
	r.expect(t, 6)
}

func TestFolderRenameAndDelete(t *testing.T) {
	r := &recorder{}
	dir, _ := newSite(t, r)
	old := filepath.Join(dir, "content/dossiers/d")
	write(t, filepath.Join(old, "pics/a.png"), "png")
	r.expect(t, 1)
	moved := filepath.Join(dir, "content/dossiers/e")
	must(t, os.Rename(old, moved))
	r.expect(t, 2)
	if got := r.last(); !hasChange(got, old) || !hasChange(got, moved) {
		t.Errorf("changes %q should name %s and %s", got, old, moved)
	}
	// Events inside the moved folder carry its new name.
	write(t, filepath.Join(moved, "pics/a.png"), "png 2")
	r.expect(t, 3)
	if got := r.last(); !hasChange(got, filepath.Join(moved, "pics/a.png")) {
		t.Errorf("changes %q: want the new path", got)
	}
	must(t, os.RemoveAll(moved))
	r.expect(t, 4)
	// The whole content folder goes and comes back.
	content := filepath.Join(dir, "content")
	must(t, os.RemoveAll(content))
	r.expect(t, 5)
	write(t, filepath.Join(content, "actors/x.md"), "x")
	r.expect(t, 6)
	write(t, filepath.Join(content, "actors/x.md"), "x 2")
	r.expect(t, 7)
}

// A change during a running rebuild gives exactly one more rebuild after it,
// never two at once.
func TestCoalesceDuringRebuild(t *testing.T) {
	r := &recorder{delay: 400 * time.Millisecond}
	dir, _ := newSite(t, r)
	foo := filepath.Join(dir, "content/actors/foo.md")
	write(t, foo, "1")
	deadline := time.Now().Add(5 * time.Second)
	for r.running.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if r.running.Load() == 0 {
		t.Fatal("rebuild did not start")
	}
	for i := range 5 { // well separated: five bursts while the first rebuild runs
		write(t, foo, strings.Repeat("x", i+2))
		time.Sleep(3 * DefaultDebounce)
	}
	r.expect(t, 2)
	if m := r.maxRun.Load(); m != 1 {
		t.Errorf("%d rebuilds ran at once", m)
	}
}

func TestCloseWaitsForRebuild(t *testing.T) {
	r := &recorder{delay: 200 * time.Millisecond}
	dir, w := newSite(t, r)
	write(t, filepath.Join(dir, "content/actors/foo.md"), "1")
	for r.running.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	must(t, w.Close())
	if r.running.Load() != 0 {
		t.Error("Close returned while the rebuild was running")
	}
	write(t, filepath.Join(dir, "content/actors/foo.md"), "2")
	time.Sleep(settle)
	if r.count() != 1 {
		t.Errorf("%d rebuilds after Close", r.count())
	}
}

func TestMissingParent(t *testing.T) {
	if _, err := New([]string{filepath.Join(t.TempDir(), "no/such/content")}, func([]string) {}, Options{}); err == nil {
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
