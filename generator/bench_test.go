package generator_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/output"
	"github.com/dossier-ssg/dossier/generator/parse"
	"github.com/dossier-ssg/dossier/generator/render"
	"github.com/dossier-ssg/dossier/generator/resolve"
	"github.com/dossier-ssg/dossier/generator/theme"
	"github.com/dossier-ssg/dossier/internal/corpus"
)

// Benchmarks of each pipeline stage on a synthetic corpus (internal/corpus):
// 1,000 dossiers by default, BENCH_DOSSIERS=10000 for the large one. Each
// top-level benchmark generates its corpus once into a temporary folder and
// times only the stage, chaining the earlier stages as generator.Build does.
//
//	go test -run '^$' -bench . -benchmem ./generator
//	BENCH_DOSSIERS=10000 go test -run '^$' -bench FullBuild -benchtime 1x ./generator
//	go run ./cmd/corpus -n 10000 -out /tmp/c10k
//	BENCH_SITE=/tmp/c10k go test -run '^$' -bench FullBuild -benchtime 1x -cpuprofile cpu.prof ./generator
//
// Targets are measured here and by scripts/bench.sh, never in a timed test.

func benchDossiers(b *testing.B) int {
	n := 1000
	if s := os.Getenv("BENCH_DOSSIERS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			b.Fatalf("BENCH_DOSSIERS=%q: want a positive number", s)
		}
		n = v
	}
	return n
}

// benchCorpus writes the corpus and runs fn as the sub-benchmark
// "dossiers=N" with it. BENCH_SITE=folder benchmarks an existing site
// instead (a corpus written by cmd/corpus, so a profile holds only the build).
func benchCorpus(b *testing.B, fn func(b *testing.B, site string, bytes int64)) {
	if site := os.Getenv("BENCH_SITE"); site != "" {
		var size int64
		_ = filepath.WalkDir(filepath.Join(site, "content"), func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if info, err := d.Info(); err == nil {
					size += info.Size()
				}
			}
			return err
		})
		b.Run("site="+filepath.Base(site), func(b *testing.B) {
			b.ReportAllocs()
			fn(b, site, size)
		})
		return
	}
	n := benchDossiers(b)
	site := filepath.Join(b.TempDir(), "site")
	st, err := corpus.Generate(corpus.Options{Dossiers: n, Seed: 1}).Write(site, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("dossiers=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		fn(b, site, st.Bytes)
	})
}

func noErrors(b *testing.B, stage string, errs *diag.List) {
	b.Helper()
	if errs.Len() > 0 {
		b.Fatalf("%s: %v", stage, errs.Err())
	}
}

// stages holds what each stage hands to the next.
type stages struct {
	cfg   config.Site
	eng   *markdown.Engine
	files []load.File
	site  *model.Site
}

// prepare runs the stages up to and including upTo ("load", "parse",
// "resolve", "bodies") outside the timer.
func prepare(b *testing.B, siteDir, upTo string) *stages {
	b.Helper()
	site := load.OpenSite(siteDir)
	b.Cleanup(func() { site.Close() })
	cfg, err := config.Load(site)
	if err != nil {
		b.Fatal(err)
	}
	s := &stages{cfg: cfg, eng: markdown.New(markdown.Options{Unsafe: cfg.Markup.Unsafe})}
	var errs diag.List
	s.files = load.Content(site, &errs)
	noErrors(b, "load", &errs)
	if upTo == "load" {
		return s
	}
	s.site = (&parse.Parser{Markdown: s.eng, SiteLang: cfg.Language}).Site(s.files, &errs)
	noErrors(b, "parse", &errs)
	if upTo == "parse" {
		return s
	}
	s.site, _ = resolve.Site(s.site, resolveOptions(cfg), &errs)
	noErrors(b, "resolve", &errs)
	if upTo == "resolve" {
		return s
	}
	render.Bodies(s.site, s.eng, nil, nil, false, &errs)
	noErrors(b, "bodies", &errs)
	return s
}

// loadTheme loads the theme, as every build does: a theme holds the
// partialCached fragments of one build.
func (s *stages) loadTheme(b *testing.B, siteDir string) *theme.Theme {
	codeCSS, err := markdown.CodeCSS(s.cfg.Markup.CodeStyle, s.cfg.Markup.CodeStyleDark)
	if err != nil {
		b.Fatal(err)
	}
	var errs diag.List
	site := load.OpenSite(siteDir)
	defer site.Close()
	th := theme.Load(site, dossier.DefaultTheme, map[string][]byte{"css/code.css": codeCSS}, nil, render.Funcs(s.cfg), &errs)
	noErrors(b, "theme", &errs)
	return th
}

func resolveOptions(cfg config.Site) resolve.Options {
	return resolve.Options{BasePath: cfg.BasePath(), IncludeDrafts: cfg.IncludeDrafts, Lang: cfg.Language}
}

// BenchmarkLoad: walking content/ and reading every file (load.Content).
func BenchmarkLoad(b *testing.B) {
	benchCorpus(b, func(b *testing.B, site string, size int64) {
		b.SetBytes(size)
		fsys := load.OpenSite(site)
		defer fsys.Close()
		for b.Loop() {
			var errs diag.List
			load.Content(fsys, &errs)
			noErrors(b, "load", &errs)
		}
	})
}

// BenchmarkParse: front matter, quotes and Markdown parsing of every file
// ((*parse.Parser).Site).
func BenchmarkParse(b *testing.B) {
	benchCorpus(b, func(b *testing.B, site string, size int64) {
		s := prepare(b, site, "load")
		p := &parse.Parser{Markdown: s.eng, SiteLang: s.cfg.Language}
		b.SetBytes(size)
		for b.Loop() {
			var errs diag.List
			p.Site(s.files, &errs)
			noErrors(b, "parse", &errs)
		}
	})
}

// BenchmarkResolve: references, link rewriting, backlinks and rankings
// (resolve.Site). Resolution derives into copies of the parsed entities and
// never writes them, so the same parsed site is resolved again each
// iteration.
func BenchmarkResolve(b *testing.B) {
	benchCorpus(b, func(b *testing.B, site string, _ int64) {
		s := prepare(b, site, "parse")
		for b.Loop() {
			var errs diag.List
			resolve.Site(s.site, resolveOptions(s.cfg), &errs)
			noErrors(b, "resolve", &errs)
		}
	})
}

// BenchmarkRender: Markdown bodies to HTML (render.Bodies), then every page
// of the content model with the built-in theme, the feed, sitemap and
// search index (render.Site).
func BenchmarkRender(b *testing.B) {
	benchCorpus(b, func(b *testing.B, site string, _ int64) {
		s := prepare(b, site, "bodies")
		b.Run("bodies", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var errs diag.List
				render.Bodies(s.site, s.eng, nil, nil, false, &errs) // no cache: every body is rendered
				noErrors(b, "bodies", &errs)
			}
		})
		b.Run("pages", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				th := s.loadTheme(b, site)
				b.StartTimer()
				var errs diag.List
				files := render.Site(s.site, render.Options{Config: s.cfg, Markdown: s.eng, Theme: th}, &errs)
				noErrors(b, "pages", &errs)
				b.ReportMetric(float64(len(files)), "files")
			}
		})
	})
}

// BenchmarkFullBuild: generator.Build, every stage but the write, in memory.
func BenchmarkFullBuild(b *testing.B) {
	benchCorpus(b, func(b *testing.B, site string, size int64) {
		b.SetBytes(size)
		for b.Loop() {
			res, err := generator.Build(generator.Options{SiteDir: site, Theme: dossier.DefaultTheme})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(res.Stats.Files), "files")
		}
	})
}

// BenchmarkPublish: putting a site on disk. "tree" writes an already built
// site (output.Publish: staging folder, then the atomic swap with the
// previous build); "streamed" is what dossier build does (generator.Publish:
// the build, with pages streamed to the staging folder as they are rendered).
func BenchmarkPublish(b *testing.B) {
	benchCorpus(b, func(b *testing.B, site string, _ int64) {
		opts := generator.Options{SiteDir: site, Theme: dossier.DefaultTheme}
		b.Run("tree", func(b *testing.B) {
			b.ReportAllocs()
			res, err := generator.Build(opts)
			if err != nil {
				b.Fatal(err)
			}
			var size int64
			for _, f := range res.Tree {
				size += int64(len(f.Data))
			}
			dest := filepath.Join(b.TempDir(), "public")
			b.SetBytes(size)
			for b.Loop() {
				if err := output.Publish(dest, res.Tree, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("streamed", func(b *testing.B) {
			b.ReportAllocs()
			dest := filepath.Join(b.TempDir(), "public")
			for b.Loop() {
				if _, err := generator.Publish(opts, dest); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
