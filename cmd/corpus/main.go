// Command corpus writes deterministic synthetic dossier sites for
// performance measurement (see docs/performance.md).
//
//	corpus -n 10000 -out /tmp/site [-hugo /tmp/hugo-site] [-hugo-lite /tmp/hugo-lite] [-seed 1] [-images] [-cpuprofile f]
//	corpus bare [-cpuprofile f] [-like BUILT] SITE OUT
//
// The first form writes N dossiers with N/5 actors, N/20 treaties, about 3.5
// quotes and 1,050 words per dossier in dossier's format, and optionally the
// same content as a Hugo site. The second renders every Markdown file of a
// site with bare goldmark (GFM, footnotes) into OUT, on all cores: the
// practical floor a full build is compared with.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/dossier-ssg/dossier/internal/corpus"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "bare" {
		return bare(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("corpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 1000, "number of dossiers")
	out := fs.String("out", "", "write the dossier site into this `folder` (empty or absent)")
	hugo := fs.String("hugo", "", "also write the equivalent Hugo site into this `folder`")
	lite := fs.String("hugo-lite", "", "also write the Hugo site a Hugo user would make (dossier, actor, treaty, tag and list pages) into this `folder`")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same bytes")
	images := fs.Bool("images", false, "give every dossier a lead image and every other actor a portrait (2000×1333 JPEGs)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the generation to `file`")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: corpus -n N -out DIR [-hugo DIR] [-hugo-lite DIR] [-seed S] [-images] [-cpuprofile FILE]\n       corpus bare [-cpuprofile FILE] [-like BUILT] SITE OUT\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" && *hugo == "" && *lite == "" || fs.NArg() > 0 || *n < 1 {
		fs.Usage()
		return 2
	}
	stop, ok := profiled(*cpuprofile, stderr)
	if !ok {
		return 1
	}
	defer stop()
	start := time.Now()
	c := corpus.Generate(corpus.Options{Dossiers: *n, Seed: *seed, Images: *images})
	st, err := c.Write(*out, *hugo)
	if err == nil && *lite != "" {
		c.Opts.HugoLite = true
		_, err = c.Write("", *lite)
	}
	if err != nil {
		fmt.Fprintln(stderr, "corpus:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s (in %s)\n", st, time.Since(start).Round(time.Millisecond))
	return 0
}

// profiled starts a CPU profile into path when path is set; ok is false
// when it could not (said on stderr).
func profiled(path string, stderr io.Writer) (stop func(), ok bool) {
	if path == "" {
		return func() {}, true
	}
	stop, err := startProfile(path)
	if err != nil {
		fmt.Fprintln(stderr, "corpus:", err)
		return nil, false
	}
	return stop, true
}

func bare(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("corpus bare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to `file`")
	like := fs.String("like", "", "the same-output floor: write a file of the same size at every path of this `folder` (a dossier build of SITE) instead of one per Markdown file")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: corpus bare [-cpuprofile FILE] [-like BUILT] SITE OUT\n\nRenders SITE/content/**/*.md with bare goldmark into OUT (one .html per .md;\nwith -like, a file of the same size at every path of BUILT).\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	stop, ok := profiled(*cpuprofile, stderr)
	if !ok {
		return 1
	}
	defer stop()
	start := time.Now()
	bare := corpus.Bare
	if *like != "" {
		bare = func(site, out string) (corpus.BareStats, error) { return corpus.SameOutput(site, *like, out) }
	}
	st, err := bare(fs.Arg(0), fs.Arg(1))
	if err != nil {
		fmt.Fprintln(stderr, "corpus:", err)
		return 1
	}
	fmt.Fprintf(stdout, "rendered %d files, %.1f MB → %.1f MB, in %s\n", st.Files, float64(st.In)/1e6, float64(st.Out)/1e6, time.Since(start).Round(time.Millisecond))
	return 0
}

// startProfile starts a CPU profile into path; stop ends it and closes the file.
func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
