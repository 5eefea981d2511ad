package render_test

import (
	"flag"
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
