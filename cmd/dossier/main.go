// Command dossier builds, serves and checks dossier sites. It only parses
// flags and calls the generator; see docs/architecture.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/generator/diag"
)

const usage = `dossier turns a folder of Markdown dossiers into a cross-linked static website.

Usage:
  dossier <command> [flags]

Commands:
  build     build the site into public/
  serve     build, serve on http://127.0.0.1:1313 and rebuild on every save
  watch     rebuild into public/ on every save, without serving
  check     validate the content and every link of the built site
  new       create a dossier, actor or treaty from an archetype
  import    turn a raw article text into a draft dossier
  version   print the version

Run "dossier <command> --help" for the flags of a command.

Examples:
  dossier build
  dossier build --source ~/sites/news --dest /tmp/out --base-url https://example.org/dossiers/
  dossier serve --port 8080
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the exit code: 0 success, 1 build or
// content errors, 2 usage errors.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version", "--version":
		fmt.Fprintln(stdout, "dossier", version)
		return 0
	case "build":
		return cmdBuild(rest, stdout, stderr)
	}
	if c, ok := commands[cmd]; ok {
		return c(rest, stdout, stderr)
	}
	fmt.Fprintf(stderr, "dossier: unknown command %q\n\n%s", cmd, usage)
	return 2
}

// commands registers the commands defined in other files of this package.
var commands = map[string]func(args []string, stdout, stderr io.Writer) int{}

const version = "0.1.0"

// siteFlags are the flags every building command shares.
type siteFlags struct {
	source, dest, baseURL string
	relative, minify      bool
	drafts                bool
}

func (s *siteFlags) register(fs *flag.FlagSet, defaultDrafts bool) {
	fs.StringVar(&s.source, "source", ".", "the site `folder` (holds dossier.toml and content/)")
	fs.StringVar(&s.dest, "dest", "", "where to write the site (default: public/ inside the source folder)")
	fs.StringVar(&s.baseURL, "base-url", "", "the site's public `URL`, e.g. https://example.org/dossiers/ (overrides dossier.toml)")
	fs.BoolVar(&s.relative, "relative", false, "write relative links only, so the site works opened from disk")
	fs.BoolVar(&s.minify, "minify", false, "minify HTML, CSS and JS")
	fs.BoolVar(&s.drafts, "drafts", defaultDrafts, "include dossiers marked draft: true")
}

func (s *siteFlags) options() generator.Options {
	return generator.Options{SiteDir: s.source, Theme: dossier.DefaultTheme, BaseURL: s.baseURL,
		Relative: s.relative, Minify: s.minify, Drafts: s.drafts}
}

func (s *siteFlags) destination() string {
	if s.dest != "" {
		return s.dest
	}
	return strings.TrimSuffix(s.source, "/") + "/public"
}

// newFlagSet makes a flag set whose --help prints the command's text.
func newFlagSet(name, help string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), help)
		fs.PrintDefaults()
	}
	return fs
}

// defaultMemoryLimit is the memory a build aims to stay under, in MB: the
// process's resident memory, its binary and runtime included (the limit
// given to the Go runtime is this less what is resident outside the heap).
// A site that needs more gets more (the limit follows its live heap), a
// small one never nears it. 470 keeps a 10,000-dossier build's peak near
// 460–490 MB, under the 500 MB target (docs/performance.md, "The memory
// aim counts the whole process").
const defaultMemoryLimit = 470

func cmdBuild(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("build", `Usage: dossier build [flags]

Builds the site folder into public/ (or --dest). The new site is assembled
beside the destination and swapped in at once; on any error nothing is
written and every error is listed as path:line:col: message.

A build keeps a cache in .dossier-cache/build/ in the site folder: the next
build into the same destination makes and writes only what changed. A cache
from another version of dossier, other settings or theme, or a damaged one,
is ignored and made again.

Examples:
  dossier build
  dossier build --source ~/sites/news --dest /srv/www --base-url https://example.org/
  dossier build --relative          # a site that works from a USB stick

Flags:
`, stderr)
	var s siteFlags
	s.register(fs, false)
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to `file` (for performance work)")
	noCache := fs.Bool("no-cache", false, "build from scratch and keep no build cache in "+generator.BuildCacheDir+" (the next build is from scratch too)")
	memoryLimit := fs.Int("memory-limit", defaultMemoryLimit, "aim to stay under `MB` megabytes of memory: garbage collection works harder near it, the build takes more CPU (0: no aim, fastest)")
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if *memoryLimit < 0 {
		fmt.Fprintf(stderr, "dossier build: --memory-limit %d: want a number of megabytes, or 0 for none\n", *memoryLimit)
		return 2
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(stderr, "dossier build:", err)
			return 2
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "dossier build:", err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dossier build: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	stop := startProgress(stderr)
	opts := s.options()
	opts.MemoryLimit = int64(*memoryLimit) << 20
	opts.BuildCache = !*noCache
	if *noCache {
		generator.ForgetBuildCache(s.source)
	}
	opts.Waiting = waitingMessage(stderr, s.destination())
	res, err := generator.Publish(opts, s.destination())
	stop()
	if err != nil {
		return reportErrors(stderr, err)
	}
	fmt.Fprintf(stdout, "Built %s → %s\n", res.Stats.Summary(), s.destination())
	printWarnings(stderr, res.Warnings)
	if !res.Config.Relative {
		fmt.Fprintln(stdout, "Look at it with `dossier serve`, or build with --relative to open its index.html from disk.")
	}
	return 0
}

// printWarnings prints what a site that builds will get wrong once published.
func printWarnings(stderr io.Writer, warnings []diag.Diagnostic) {
	for _, w := range warnings {
		fmt.Fprintln(stderr, "warning: "+w.String())
	}
}

// waitingMessage tells the user why a build does not start: another build,
// watch or deploy of the same destination holds it (output.Lock).
func waitingMessage(stderr io.Writer, dest string) func(holder string) {
	return func(holder string) {
		fmt.Fprintf(stderr, "waiting for another build of %s to finish: %s\n", dest, holder)
	}
}

func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// reportErrors prints every diagnostic and a count.
func reportErrors(stderr io.Writer, err error) int {
	var list diag.Errors
	var one diag.Diagnostic
	if errors.As(err, &list) || errors.As(err, &one) {
		fmt.Fprint(stderr, generator.ListErrors(err, ""))
		fmt.Fprintf(stderr, "build failed: %s; nothing was written\n", generator.CountErrors(err))
	} else {
		fmt.Fprintln(stderr, "dossier:", err)
	}
	return 1
}
