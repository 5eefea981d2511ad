// Package watch turns file system events under a site's sources into calls
// of a rebuild function. It watches folders recursively (new folders as they
// appear), ignores exactly the editor debris a build ignores (load.Ignored:
// swap, backup, lock and temporary files), and debounces bursts, so that the
// save patterns of common editors — write a temporary file then rename it
// over the original, move the original to a backup~ first, vim's 4913 probe,
// emacs' #autosave# and .#lock files — cause exactly one rebuild.
//
// Rebuilds never overlap and never queue up: changes seen while the rebuild
// function runs are merged and, once it returns, cause one more call.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/dossier-ssg/dossier/generator/load"
)

// DefaultDebounce is how long a burst of events must go quiet before the
// rebuild runs. Editors finish an atomic save in well under a millisecond to
// a few milliseconds; 30 ms merges a save into one rebuild while adding
// little to the time until the browser reloads.
const DefaultDebounce = 30 * time.Millisecond

// A burst that so far is one file, present, regular and not empty (a plain
// save, or an atomic save whose rename has landed), needs a much shorter
// quiet time: the save is complete, and what would follow it in the same
// burst (a backup removed, a chmod) changes nothing a build reads. The wait
// is debounce/quickDivisor: 5 ms by default. A second path, or a path that
// is missing (an editor's rename-away before it writes the new file) or
// empty (truncated, not yet written), puts the burst back on the full
// debounce, so multi-step saves still make one rebuild.
const quickDivisor = 6

// maxDelay bounds how long a never-ending stream of events (a large copy, a
// git checkout) can postpone a rebuild.
const maxDelay = 500 * time.Millisecond

// maxPending bounds the list of changed paths kept between two rebuilds.
// Events beyond it still cause the rebuild; they are only not named.
const maxPending = 10000

// Overflow is the change reported when the kernel dropped events: something
// changed, but which files is unknown.
const Overflow = "(too many changes to list)"

// SitePaths lists what a site build reads from its folder: content/,
// layouts/, assets/ and dossier.toml. They need not exist yet.
func SitePaths(siteDir string) []string {
	return []string{
		filepath.Join(siteDir, "content"),
		filepath.Join(siteDir, "layouts"),
		filepath.Join(siteDir, "assets"),
		filepath.Join(siteDir, "dossier.toml"), // config.FileName; watch may not import config
	}
}

// Options tune a Watcher. The zero value is ready to use.
type Options struct {
	// Debounce is the quiet time after the last event before a rebuild;
	// zero means DefaultDebounce.
	Debounce time.Duration
	// Errorf reports problems that do not stop the watcher (a folder that
	// cannot be watched, a dropped event queue). Nil discards them.
	Errorf func(format string, args ...any)
}

// notifier is what a Watcher needs of fsnotify.Watcher besides its event
// channels: adding and removing the watch of a folder. Tests replace it
// (and the channels) to drive the debounce with events of their own, on a
// fake clock.
type notifier interface {
	Add(name string) error
	Remove(name string) error
	Close() error
}

// Watcher calls its function after files under its paths change.
type Watcher struct {
	fsw      notifier
	events   <-chan fsnotify.Event // fsw's events
	errs     <-chan error          // fsw's errors
	onChange func(ctx context.Context, changes []string)
	debounce time.Duration
	errorf   func(string, ...any)

	roots   map[string]bool // the paths asked for, cleaned
	parents map[string]bool // their parent folders, watched for creation and atomic replacement
	dirs    map[string]bool // folders watched under the roots (touched only by the event loop)

	mu      sync.Mutex
	pending map[string]bool
	// cancel stops the onChange call running, if any; cancelled counts the
	// calls in a row that were stopped (see supersede).
	cancel    context.CancelFunc
	cancelled int

	kick    chan struct{} // capacity 1: "there is work"; many kicks during a rebuild make one
	done    chan struct{}
	wg      sync.WaitGroup
	closeMu sync.Once
}

// New watches paths — folders recursively, files through their folder — and
// calls onChange with the changed paths (cleaned, as joined from paths) after
// every debounced burst of changes. A path that does not exist yet is picked
// up when it appears; its parent folder must exist. onChange runs on a
// goroutine of the watcher, one call at a time. Its context is cancelled
// when a newer burst is ready while it runs (see supersede) and when the
// watcher closes: a rebuild stuck on old content gives way to the new.
// Stop the watcher with Close.
func New(paths []string, onChange func(ctx context.Context, changes []string), opts Options) (*Watcher, error) {
	if len(paths) == 0 {
		return nil, errors.New("watch: no paths to watch")
	}
	fsw, err := fsnotify.NewBufferedWatcher(1024)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	w, err := start(paths, onChange, opts, fsw, fsw.Events, drain(fsw.Errors))
	if err != nil {
		fsw.Close()
		return nil, err
	}
	return w, nil
}

// drain receives fsnotify's errors as soon as they are sent and passes them
// on through a channel that never makes the sender wait. fsnotify (v1.10,
// inotify) sends some errors while it holds the lock that Add and Remove
// take; the watcher's loop calls Add and Remove between two receives, so an
// error sent then would wait for a receive that waits for the lock: a
// deadlock that stopped every later rebuild (TestWatchChurn under load).
func drain(errs <-chan error) <-chan error {
	out := make(chan error)
	go func() {
		defer close(out)
		var queue []error
		for {
			var send chan error
			var next error
			if len(queue) > 0 {
				send, next = out, queue[0]
			}
			select {
			case err, ok := <-errs:
				if !ok {
					return // closed with the watcher: nobody reads the rest
				}
				if len(queue) < 1024 { // beyond, the errors say nothing new
					queue = append(queue, err)
				}
			case send <- next:
				queue = queue[1:]
			}
		}
	}()
	return out
}

// start is New with the source of events given: fsw adds and removes
// watches, events and errs deliver what it sees. Everything after the
// events arrive — filtering, watching new folders, debouncing, running
// onChange — is the same whatever the source.
func start(paths []string, onChange func(ctx context.Context, changes []string), opts Options, fsw notifier, events <-chan fsnotify.Event, errs <-chan error) (*Watcher, error) {
	w := &Watcher{
		fsw:      fsw,
		events:   events,
		errs:     errs,
		onChange: onChange,
		debounce: opts.Debounce,
		errorf:   opts.Errorf,
		roots:    map[string]bool{},
		parents:  map[string]bool{},
		dirs:     map[string]bool{},
		pending:  map[string]bool{},
		kick:     make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
	if w.debounce <= 0 {
		w.debounce = DefaultDebounce
	}
	if w.errorf == nil {
		w.errorf = func(string, ...any) {}
	}
	for _, p := range paths {
		w.roots[filepath.Clean(p)] = true
	}
	for root := range w.roots {
		parent := filepath.Dir(root)
		if w.parents[parent] {
			continue
		}
		if err := fsw.Add(parent); err != nil {
			return nil, fmt.Errorf("watch: %s: %w", parent, err)
		}
		w.parents[parent] = true
	}
	for root := range w.roots {
		w.addTree(root, false)
	}
	w.wg.Add(2)
	go w.loop()
	go w.worker()
	return w, nil
}

// Close stops watching and waits for a running onChange call to return.
// Changes still waiting for a call are dropped: once a running call
// returns, no other starts.
func (w *Watcher) Close() error {
	var err error
	w.closeMu.Do(func() {
		close(w.done)
		w.mu.Lock()
		if w.cancel != nil {
			w.cancel() // Ctrl-C must not wait for a rebuild to finish
		}
		w.mu.Unlock()
		err = w.fsw.Close()
		w.wg.Wait()
	})
	return err
}

// loop turns fsnotify events into pending changes and kicks the worker once
// a burst has been quiet for the debounce time.
func (w *Watcher) loop() {
	defer w.wg.Done()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var first time.Time // first event of the current burst
	arm := func() {
		now := time.Now()
		if first.IsZero() {
			first = now
		}
		wait := w.debounce
		if w.oneSavedFile() {
			wait = w.debounce / quickDivisor
		}
		if left := first.Add(maxDelay).Sub(now); left < wait {
			wait = max(left, 0)
		}
		timer.Reset(wait)
	}
	for {
		select {
		case <-w.done:
			timer.Stop()
			return
		case ev, ok := <-w.events:
			if !ok {
				return
			}
			if w.handle(ev) {
				arm()
			}
		case err, ok := <-w.errs:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.errorf("watch: too many changes at once; rescanning")
				for root := range w.roots {
					w.addTree(root, false)
				}
				w.add(Overflow)
				arm()
				continue
			}
			w.errorf("watch: %v", err)
		case <-timer.C:
			first = time.Time{}
			// Cancel the running call first, then kick: kicked first, the
			// worker could start a call with the kick and have it cancelled
			// here, with no kick left to start the next (a hang until the
			// next save, found by TestWatchChurn).
			w.supersede()
			select {
			case w.kick <- struct{}{}:
			default: // a kick is already waiting; it will take these changes too
			}
		}
	}
}

// worker runs onChange, one call at a time, with every change pending.
func (w *Watcher) worker() {
	defer w.wg.Done()
	for {
		select {
		case <-w.done:
			return
		case <-w.kick:
		}
		select {
		case <-w.done:
			return // closing: no new rebuild starts, even with a kick waiting
		default:
		}
		ctx, cancel := context.WithCancel(context.Background())
		w.mu.Lock()
		pending := w.pending
		w.pending = map[string]bool{}
		w.cancel = cancel
		w.mu.Unlock()
		if changes := names(pending); len(changes) > 0 {
			w.onChange(ctx, changes)
		}
		w.mu.Lock()
		w.cancel = nil
		if ctx.Err() != nil {
			// Its changes go with the next call, which is on its way.
			w.cancelled++
			for p := range pending {
				w.pending[p] = true
			}
		} else {
			w.cancelled = 0
		}
		w.mu.Unlock()
		cancel()
	}
}

// maxSuperseded is how many onChange calls in a row a newer burst may cancel.
// Saves that come faster than a rebuild takes would otherwise cancel every
// one, and the preview would never show anything new.
const maxSuperseded = 3

// supersede cancels the running onChange call: a newer burst of changes is
// ready, and the next call takes the old changes with the new.
func (w *Watcher) supersede() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cancel != nil && w.cancelled < maxSuperseded {
		w.cancel()
	}
}

// names lists the changed paths, sorted. Every path is kept, also those of
// temporary files that came and went within the burst: an incremental
// builder must hear of every path it may have seen.
func names(pending map[string]bool) []string {
	out := make([]string, 0, len(pending))
	for p := range pending {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// oneSavedFile reports whether the pending changes are one path that is a
// regular file with content now.
func (w *Watcher) oneSavedFile() bool {
	w.mu.Lock()
	var only string
	n := len(w.pending)
	for p := range w.pending {
		only = p
	}
	w.mu.Unlock()
	if n != 1 || only == Overflow {
		return false
	}
	// An empty file may be a save caught between truncation and write.
	info, err := os.Lstat(only)
	return err == nil && info.Mode().IsRegular() && info.Size() > 0
}

// add records a changed path.
func (w *Watcher) add(p string) {
	w.mu.Lock()
	if len(w.pending) < maxPending {
		w.pending[p] = true
	} else if !w.pending[p] {
		w.pending[Overflow] = true
	}
	w.mu.Unlock()
}

// handle records one event and reports whether it is a change worth a rebuild.
func (w *Watcher) handle(ev fsnotify.Event) bool {
	name := filepath.Clean(ev.Name)
	if !w.relevant(name) {
		return false
	}
	if ev.Op&^fsnotify.Chmod == 0 {
		return false // attribute changes only: indexers and backup tools cause them
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// The path is gone (or moved away): forget watches on it and below,
		// which would otherwise report events under the old name.
		w.removeTree(name)
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Lstat(name); err == nil && info.IsDir() {
			w.addTree(name, true)
		}
	}
	w.add(name)
	return true
}

// relevant reports whether a path is one of the roots or inside one, and
// is not editor debris by its own name or the name of a folder on the way.
func (w *Watcher) relevant(name string) bool {
	for p := name; ; p = filepath.Dir(p) {
		if w.roots[p] {
			return true
		}
		if load.Ignored(filepath.Base(p)) {
			return false
		}
		if parent := filepath.Dir(p); parent == p {
			return false
		}
	}
}

// addTree watches dir and every folder below it that a build does not
// ignore. With report, the files and folders found are recorded as changes:
// they may have been created before the watch was in place (mkdir -p a/b &&
// cp x a/b), so no event will ever name them.
func (w *Watcher) addTree(dir string, report bool) {
	info, err := os.Lstat(dir)
	if err != nil || !info.IsDir() {
		return // not there (yet), or a file: its folder's watch sees it
	}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil
		}
		if p != dir && load.Ignored(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if report && p != dir {
			w.add(p)
		}
		if !d.IsDir() {
			return nil
		}
		if w.dirs[p] {
			return nil
		}
		if err := w.fsw.Add(p); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return filepath.SkipDir // gone while walking: its removal is an event too
			}
			w.errorf("watch: cannot watch %s: %v%s", p, err, limitHint(err))
			return nil
		}
		w.dirs[p] = true
		return nil
	})
}

// removeTree drops the watches of dir and of every folder below it.
func (w *Watcher) removeTree(dir string) {
	prefix := dir + string(filepath.Separator)
	for p := range w.dirs {
		if p == dir || strings.HasPrefix(p, prefix) {
			_ = w.fsw.Remove(p) // may already be gone with the folder
			delete(w.dirs, p)
		}
	}
}

func limitHint(err error) string {
	if strings.Contains(err.Error(), "no space left on device") || strings.Contains(err.Error(), "too many open files") {
		return " (raise the limit: sysctl fs.inotify.max_user_watches=524288)"
	}
	return ""
}

// Describe names a list of changes for a log line, relative to root: the
// first path that still exists as a file (the one saved, rather than an
// editor's temporary file), and how many more.
func Describe(root string, changes []string) string {
	if len(changes) == 0 {
		return "rebuild"
	}
	name := changes[0]
	for _, c := range changes {
		if info, err := os.Stat(c); err == nil && info.Mode().IsRegular() {
			name = c
			break
		}
	}
	if rel, err := filepath.Rel(root, name); err == nil && root != "" && filepath.IsLocal(rel) {
		name = filepath.ToSlash(rel)
	}
	if len(changes) > 1 {
		name += fmt.Sprintf(" and %d more", len(changes)-1)
	}
	return name
}
