package generator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/output"
	"github.com/dossier-ssg/dossier/generator/watch"
)

// Dev is the dev loop of `dossier watch` and `dossier serve`: it watches
// the site, tells the builder what changed, builds, and hands each good
// build to a sink — the disk for watch, the server's in-memory site for
// serve — printing one line per build. Builds never overlap; a newer save
// cancels a running build (watch.New), whose changes go with the next.
type Dev struct {
	builder *Builder
	sink    output.Sink
	log     io.Writer
	site    string // the site folder, to name changed files in the log

	mu      sync.Mutex // one build at a time, the first one included
	watcher *watch.Watcher
}

// NewDev prepares the dev loop of a site; Start runs it.
func NewDev(opts Options, sink output.Sink, log io.Writer) *Dev {
	return &Dev{builder: NewBuilder(opts), sink: sink, log: log, site: opts.SiteDir}
}

// Start watches the site and runs the first build. It watches first, so
// that a save during the first build is not lost. errorf reports what does
// not stop the watcher (a folder that cannot be watched).
func (d *Dev) Start(debounce time.Duration, errorf func(format string, args ...any)) error {
	w, err := watch.New(watch.SitePaths(d.site), d.Rebuild, watch.Options{Debounce: debounce, Errorf: errorf})
	if err != nil {
		return err
	}
	d.watcher = w
	d.Rebuild(context.Background(), nil)
	return nil
}

// Close stops watching; a build in progress is cancelled and waited for.
func (d *Dev) Close() {
	if d.watcher != nil {
		d.watcher.Close()
	}
}

// Rebuild builds after changes (nil for the first build) and hands the
// result to the sink. A cancelled ctx stops the build while it parses.
func (d *Dev) Rebuild(ctx context.Context, changes []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	start := time.Now()
	what := "build"
	if changes != nil {
		what = watch.Describe(d.site, changes)
		d.builder.Changed(changes...)
	}
	restore := limitMemory(d.builder.opts.MemoryLimit)
	res, err := d.builder.BuildContext(ctx)
	restore()
	line := func(format string, args ...any) {
		fmt.Fprintf(d.log, "%s %s → %s\n", time.Now().Format("15:04:05"), what, fmt.Sprintf(format, args...))
	}
	took := func() time.Duration { return time.Since(start).Round(time.Millisecond) }
	switch {
	case err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()):
		line("superseded by a newer save after %s", took())
	case err != nil:
		said := d.sink.Keep(changes, err)
		line("build failed in %s: %s; %s", took(), CountErrors(err), said)
		fmt.Fprint(d.log, ListErrors(err, "    "))
	default:
		paths, known := d.builder.Updated()
		site := &output.Site{Tree: res.Tree, BasePath: res.Config.BasePath(), Pages: res.Stats.PageCount(),
			Summary: res.Stats.Contents(), Updated: paths, Known: known, Took: time.Since(start)}
		said, err := d.sink.Take(changes, site)
		if err != nil {
			line("%s; %v", said, err)
			return
		}
		line("%s, in %s", said, took())
	}
}

// CountErrors says how many problems a build error holds: "1 error".
func CountErrors(err error) string {
	n := 1
	var list diag.Errors
	if errors.As(err, &list) {
		n = len(list)
	}
	if n == 1 {
		return "1 error"
	}
	return fmt.Sprintf("%d errors", n)
}

// ListErrors lists every problem of a build error, one a line, each after
// indent.
func ListErrors(err error, indent string) string {
	var b strings.Builder
	var list diag.Errors
	var one diag.Diagnostic
	switch {
	case errors.As(err, &list):
		for _, d := range list {
			b.WriteString(indent + d.String() + "\n")
		}
	case errors.As(err, &one):
		b.WriteString(indent + one.String() + "\n")
	default:
		b.WriteString(indent + err.Error() + "\n")
	}
	return b.String()
}

// PageCount is the number of HTML pages of a build.
func (s Stats) PageCount() int {
	n := 0
	for _, c := range s.Pages {
		n += c
	}
	return n
}

// Disk is the sink of `dossier watch`: it keeps dest equal to the last good
// build, once dest is known to be safe to write (output.CheckDest).
func Disk(siteDir, dest string, waiting func(holder string)) (output.Sink, error) {
	if err := output.CheckDest(siteDir, dest); err != nil {
		return nil, err
	}
	return &output.Disk{Dest: dest, Waiting: waiting}, nil
}
