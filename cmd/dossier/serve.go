package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/generator/serve"
)

func init() {
	commands["serve"] = cmdServe
	commands["watch"] = cmdWatch
}

func cmdServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", `Usage: dossier serve [flags]

Builds the site, serves it on http://127.0.0.1:1313 and rebuilds
on every save under content/, layouts/, assets/ and dossier.toml. Open pages
reload by themselves (a CSS-only change swaps the stylesheet in place); build
errors show in the browser over the last good build until they are fixed.
Nothing is written to public/ (pages are kept in a spill file under
.dossier-cache/, removed as soon as it is made). Drafts are included
unless --drafts=false.
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
	memoryLimit := devMemoryLimit(fs)
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if *memoryLimit < 0 {
		fmt.Fprintf(stderr, "dossier serve: --memory-limit %d: want a number of megabytes, or 0 for none\n", *memoryLimit)
		return 2
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
	opts.MemoryLimit = int64(*memoryLimit) << 20

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := serve.New(serve.Config{Bind: *bind, AllowedHosts: allowed, Port: *port, SiteDir: site, Log: stdout,
		Lang: generator.Language(site)})
	if err != nil {
		fmt.Fprintln(stderr, "dossier serve:", err)
		return 1
	}
	dev := generator.NewDev(opts, srv, stdout) // rebuilds redo only what the changes affect
	if err := dev.Start(0, errorf(stderr)); err != nil {
		srv.Close()
		fmt.Fprintln(stderr, "dossier serve:", err)
		return 1
	}
	defer dev.Close()
	drafts := "drafts included"
	if !s.drafts {
		drafts = "drafts hidden"
	}
	fmt.Fprintf(stdout, "Serving %s at %s (%s; Ctrl-C to stop)\n", displayPath(site), srv.URL(), drafts)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills at once
	}()
	err = srv.Run(ctx)
	dev.Close() // stops watching; a build in progress is cancelled
	if err != nil {
		fmt.Fprintln(stderr, "dossier serve:", err)
		return 1
	}
	fmt.Fprintln(stdout, "Stopped.")
	return 0
}

// devMemoryLimit registers --memory-limit for the dev loop: each build
// aims to stay under it, as `dossier build` does. There is no aim by
// default: the dev loop keeps its caches between builds, so its live heap
// is far above the build's aim on a large site, and a limit that follows
// the live heap up doubled the CPU time of the first build at 10,000
// dossiers (docs/performance.md, "Serve memory").
func devMemoryLimit(fs *flag.FlagSet) *int {
	return fs.Int("memory-limit", 0, "aim to stay under `MB` megabytes of memory while building: garbage collection works harder near it, builds take more CPU (0: no aim, fastest)")
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
	memoryLimit := devMemoryLimit(fs)
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dossier watch: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *memoryLimit < 0 {
		fmt.Fprintf(stderr, "dossier watch: --memory-limit %d: want a number of megabytes, or 0 for none\n", *memoryLimit)
		return 2
	}
	site, code := siteDir(s.source, "watch", stderr)
	if code != 0 {
		return code
	}
	dest := s.destination()
	s.source = site
	opts := s.options()
	opts.MemoryLimit = int64(*memoryLimit) << 20
	sink, err := generator.Disk(site, dest, waitingMessage(stderr, dest))
	if err != nil {
		fmt.Fprintln(stderr, "dossier watch:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dev := generator.NewDev(opts, sink, stdout)
	if err := dev.Start(0, errorf(stderr)); err != nil {
		fmt.Fprintln(stderr, "dossier watch:", err)
		return 1
	}
	fmt.Fprintf(stdout, "Watching %s (Ctrl-C to stop)\n", displayPath(site))
	<-ctx.Done()
	stop()
	dev.Close() // waits for a build in progress, cancelled
	fmt.Fprintln(stdout, "Stopped.")
	return 0
}

// errorf prints the watcher's warnings (a folder it cannot watch).
func errorf(stderr io.Writer) func(format string, args ...any) {
	return func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }
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
