package render_test

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/render"
	"github.com/dossier-ssg/dossier/generator/theme"
)

var update = flag.Bool("update", false, "rewrite testdata/plans.golden")

// Every page template of the built-in theme has a plan: the page cache
// knows what each page reads. The golden file lists the reads, so a
// change of the theme shows what its pages now depend on.
func TestBuiltinThemePlans(t *testing.T) {
	var errs diag.List
	th := theme.Load(nil, dossier.DefaultTheme, nil, nil, render.Funcs(config.Default()), &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Sorted())
	}
	plans := render.Plans(th)
	var b strings.Builder
	for _, name := range theme.Pages {
		plan, ok := plans[name]
		if !ok {
			t.Errorf("%s has no plan: its pages would be executed on every rebuild", name)
			continue
		}
		b.WriteString("# " + name + "\n")
		for _, p := range plan.Paths() {
			b.WriteString(p + "\n")
		}
	}
	golden := filepath.Join("testdata", "plans.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("the built-in theme's plans changed; check %s with -update and git diff", golden)
	}
}

// The built-in theme gives a cached partial its data with
// partialCachedDict, which makes the map only when it executes the
// partial: partialCached (dict …) would make one on every use, and most
// uses are hits (hundreds of thousands on a large site). Dates are cached.
func TestBuiltinThemeCachedPartialsBuildNoDict(t *testing.T) {
	err := fs.WalkDir(dossier.DefaultTheme, "layouts", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(dossier.DefaultTheme, name)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, "partialCached ") && strings.Contains(line, "(dict ") {
				t.Errorf("%s:%d: partialCached with (dict …), not partialCachedDict: %s", name, i+1, strings.TrimSpace(line))
			}
			// A date and a quote's date are drawn on most pages, from
			// few values: cached by date and language; the share
			// script's tag by language.
			for _, uncached := range []string{`template "partials/time"`, `template "partials/quote-date"`, `template "partials/share-script"`} {
				if strings.Contains(line, uncached) {
					t.Errorf("%s:%d: %s executed on every use, not cached: %s", name, i+1, uncached, strings.TrimSpace(line))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
