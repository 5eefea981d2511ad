package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/output"
	"github.com/dossier-ssg/dossier/generator/serve"
	"github.com/dossier-ssg/dossier/generator/watch"
)

func init() {
	commands["serve"] = cmdServe
	commands["watch"] = cmdWatch
}

func cmdServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", `Usage: dossier serve [flags]

Builds the site in memory, serves it on http://127.0.0.1:1313 and rebuilds
on every save under content/, layouts/, assets/ and dossier.toml. Open pages
reload by themselves (a CSS-only change swaps the stylesheet in place); build
errors show in the browser over the last good build until they are fixed.
Nothing is written to disk. Drafts are included unless --drafts=false.
Ctrl-C stops the server. See docs/serve.md.

Requests are answered only when they name this machine (localhost,
127.0.0.1, its host name and addresses, the --bind address), also with
--bind 0.0.0.0: other names get 403, so that no web page can read the site
through DNS rebinding. Allow more names with --allowed-host.

Examples:
  dossier serve
  dossier serve --port 8080 --drafts=false
  dossier serve --bind 0.0.0.0      # let other machines on the network see it
  dossier serve --bind 0.0.0.0 --allowed-host preview.example.org --allowed-host .lan
                                    # also answer for that name, and any name under .lan

Flags:
`, stderr)
	var s siteFlags
	fs.StringVar(&s.source, "source", ".", "the site `folder` (holds dossier.toml and content/)")
	fs.StringVar(&s.baseURL, "base-url", "", "the site's public `URL`, e.g. https://example.org/dossiers/ (its path is served)")
	fs.BoolVar(&s.drafts, "drafts", true, "include dossiers marked draft: true")
	port := fs.Int("port", serve.DefaultPort, "the `port` to listen on (the next free one if taken; 0: any)")
	bind := fs.String("bind", "127.0.0.1", "the `address` to listen on; 0.0.0.0 exposes the site to the network")
	var allowed hostList
	fs.Var(&allowed, "allowed-host", "also answer requests for this host `name` (repeatable); .example.org allows example.org and its subdomains")
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dossier serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *port < 0 || *port > 65535 {
		fmt.Fprintf(stderr, "dossier serve: --port %d: not a port number\n", *port)
		return 2
	}
	site, code := siteDir(s.source, "serve", stderr)
	if code != 0 {
		return code
	}
	s.source = site
	opts := s.options()
	opts.Serve = true

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	builder := generator.NewBuilder(opts) // rebuilds redo only what the changes affect
	srv, err := serve.New(serve.Config{
		Bind:         *bind,
		AllowedHosts: allowed,
		Port:         *port,
		Build:        builder.BuildContext,
		Changed:      builder.Changed,
		Updated:      builder.Updated,
		SiteDir:      site,
		Watch:        watch.SitePaths(site),
		Log:          stdout,
	})
	if err != nil {
		fmt.Fprintln(stderr, "dossier serve:", err)
		return 1
	}
	drafts := "drafts included"
	if !s.drafts {
		drafts = "drafts hidden"
	}
	fmt.Fprintf(stdout, "Serving %s at %s (%s; Ctrl-C to stop)\n", displayPath(site), srv.URL(), drafts)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills at once
	}()
	if err := srv.Run(ctx); err != nil {
		fmt.Fprintln(stderr, "dossier serve:", err)
		return 1
	}
	fmt.Fprintln(stdout, "Stopped.")
	return 0
}

// hostList is the repeatable --allowed-host flag.
type hostList []string

func (l *hostList) String() string { return strings.Join(*l, ",") }

func (l *hostList) Set(name string) error {
	if err := serve.CheckAllowedHost(name); err != nil {
		return err
	}
	*l = append(*l, name)
	return nil
}

func cmdWatch(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("watch", `Usage: dossier watch [flags]

Builds the site into public/ (or --dest), then rebuilds on every save under
content/, layouts/, assets/ and dossier.toml, rewriting only the files that
changed. Nothing is served. On a build error the errors are printed and the
folder keeps the last good build. Drafts are left out unless --drafts.
Ctrl-C stops watching.

Examples:
  dossier watch
  dossier watch --dest /tmp/site --relative

Flags:
`, stderr)
	var s siteFlags
	s.register(fs, false)
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dossier watch: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	site, code := siteDir(s.source, "watch", stderr)
	if code != 0 {
		return code
	}
	dest := s.destination()
	s.source = site
	opts := s.options()
	if err := output.CheckDest(site, dest); err != nil {
		fmt.Fprintln(stderr, "dossier watch:", err)
		return 1
	}

	var mu sync.Mutex // the first build and the watcher's never overlap
	published := false
	synced := false // dest holds the builder's last good build
	builder := generator.NewBuilder(opts)
	waiting := waitingMessage(stderr, dest)
	rebuild := func(ctx context.Context, changes []string) {
		mu.Lock()
		defer mu.Unlock()
		start := time.Now()
		what := "build"
		if changes != nil {
			what = watch.Describe(site, changes)
			builder.Changed(changes...)
		}
		var line string
		res, err := builder.BuildContext(ctx)
		if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			fmt.Fprintf(stdout, "%s %s → superseded by a newer save after %s\n", time.Now().Format("15:04:05"), what, time.Since(start).Round(time.Millisecond))
			return
		}
		if err == nil {
			if !published {
				err = output.Publish(dest, res.Tree, waiting)
				published = err == nil
				synced = published
				line = fmt.Sprintf("%s → %s", res.Stats.Summary(), dest)
			} else {
				var written, removed int
				if paths, known := builder.Updated(); known && synced {
					// dest holds the last build: write only what changed since.
					written, removed, err = output.SyncPaths(dest, res.Tree, paths, waiting)
				} else {
					written, removed, err = output.Sync(dest, res.Tree, waiting)
				}
				synced = err == nil
				line = fmt.Sprintf("%d pages, %d files written, %d removed, in %s", pageCount(res), written, removed, time.Since(start).Round(time.Millisecond))
			}
		}
		stamp := time.Now().Format("15:04:05")
		if err != nil {
			fmt.Fprintf(stdout, "%s %s → build failed in %s; %s keeps the last good build\n", stamp, what, time.Since(start).Round(time.Millisecond), dest)
			printErrors(stdout, err)
			return
		}
		fmt.Fprintf(stdout, "%s %s → %s\n", stamp, what, line)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	w, err := watch.New(watch.SitePaths(site), rebuild, watch.Options{Errorf: func(format string, args ...any) {
		fmt.Fprintf(stderr, format+"\n", args...)
	}})
	if err != nil {
		fmt.Fprintln(stderr, "dossier watch:", err)
		return 1
	}
	rebuild(context.Background(), nil)
	fmt.Fprintf(stdout, "Watching %s (Ctrl-C to stop)\n", displayPath(site))
	<-ctx.Done()
	stop()
	w.Close() // waits for a build in progress
	fmt.Fprintln(stdout, "Stopped.")
	return 0
}

// siteDir makes the source folder absolute and checks it is a folder.
func siteDir(source, cmd string, stderr io.Writer) (string, int) {
	abs, err := filepath.Abs(source)
	if err == nil {
		var info os.FileInfo
		if info, err = os.Stat(abs); err == nil && !info.IsDir() {
			err = errors.New("not a folder")
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "dossier %s: --source %s: %v\n", cmd, source, err)
		return "", 2
	}
	return abs, 0
}

func displayPath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}

func pageCount(res *generator.Result) int {
	n := 0
	for _, c := range res.Stats.Pages {
		n += c
	}
	return n
}

// printErrors lists every diagnostic of a failed build, indented.
func printErrors(w io.Writer, err error) {
	var list diag.Errors
	var one diag.Diagnostic
	switch {
	case errors.As(err, &list):
		for _, d := range list {
			fmt.Fprintln(w, "    "+d.String())
		}
	case errors.As(err, &one):
		fmt.Fprintln(w, "    "+one.String())
	default:
		fmt.Fprintln(w, "    "+err.Error())
	}
}
