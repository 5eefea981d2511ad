package reliability

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/linkcheck"
)

var update = flag.Bool("update", false, "rewrite testdata/bad-input/*/expect.txt from the actual output (then review every message by eye)")

// corpus is the bad-input corpus: _base/ is a small valid site; every other
// folder is a case holding the files it adds to or replaces in the base,
// and expect.txt. See docs/reliability.md.
const corpus = "../../testdata/bad-input"

// expectation is a parsed expect.txt: either the exact diagnostics of a
// failed build, as printed, or "ok" and checks on the output.
type expectation struct {
	comments []string // leading "# …" lines, kept by -update
	ok       bool
	diags    []string
	checks   []outputCheck
}

// outputCheck is a "contains: <path> <text>" or "absent: <path> <text>"
// line: the file of public/ at path must (or must not) hold text.
type outputCheck struct {
	absent     bool
	path, text string
}

func readExpectation(t *testing.T, file string) expectation {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		if *update && os.IsNotExist(err) {
			return expectation{}
		}
		t.Fatalf("each case needs an expect.txt: %v", err)
	}
	var e expectation
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "#") && len(e.diags) == 0 && !e.ok:
			e.comments = append(e.comments, line)
		case line == "ok" && len(e.diags) == 0:
			e.ok = true
		case e.ok:
			kind, rest, _ := strings.Cut(line, ": ")
			path, text, found := strings.Cut(rest, " ")
			if (kind != "contains" && kind != "absent") || !found || text == "" {
				t.Fatalf("%s:%d: want \"contains: <path> <text>\" or \"absent: <path> <text>\", got %q", file, i+1, line)
			}
			e.checks = append(e.checks, outputCheck{absent: kind == "absent", path: path, text: text})
		case line != "":
			e.diags = append(e.diags, line)
		}
	}
	if !e.ok && len(e.diags) == 0 && !*update {
		t.Fatalf("%s: no expectation", file)
	}
	return e
}

func (e expectation) write(t *testing.T, file string) {
	t.Helper()
	var b strings.Builder
	for _, c := range e.comments {
		b.WriteString(c + "\n")
	}
	if e.ok {
		b.WriteString("ok\n")
		for _, c := range e.checks {
			kind := "contains"
			if c.absent {
				kind = "absent"
			}
			fmt.Fprintf(&b, "%s: %s %s\n", kind, c.path, c.text)
		}
	}
	for _, d := range e.diags {
		b.WriteString(d + "\n")
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// publish runs a build as `dossier build --source site` does, turning a
// panic into a test failure with its stack.
func publish(t *testing.T, site string) (res *generator.Result, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("build panicked: %v\n%s", r, debug.Stack())
		}
	}()
	return generator.Publish(generator.Options{SiteDir: site, Theme: dossier.DefaultTheme}, filepath.Join(site, "public"))
}

// printed renders a build error as the command prints it, one line per
// diagnostic, with the site folder written <site> and the temporary folder
// that holds it <tmp>.
func printed(err error, site, tmp string) []string {
	var list diag.Errors
	var one diag.Diagnostic
	var lines []string
	switch {
	case errors.As(err, &list):
		for _, d := range list {
			lines = append(lines, d.String())
		}
	case errors.As(err, &one):
		lines = append(lines, one.String())
	default:
		lines = append(lines, "dossier: "+err.Error())
	}
	replacer := []string{site, "<site>", tmp, "<tmp>"}
	if real, err := filepath.EvalSymlinks(tmp); err == nil && real != tmp {
		replacer = append(replacer, filepath.Join(real, "site"), "<site>", real, "<tmp>")
	}
	r := strings.NewReplacer(replacer...)
	for i, l := range lines {
		lines[i] = r.Replace(l)
	}
	return lines
}

// TestBadInput builds the base site, snapshots public/, applies one case,
// builds again and compares the diagnostics with expect.txt exactly. On
// failure public/ must be exactly as before; on success the output checks
// of expect.txt must hold and every internal link must resolve. No case may
// panic or leave staging folders behind.
func TestBadInput(t *testing.T) {
	entries, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(corpus, "_base")
	seen := map[string]bool{}
	for _, entry := range entries {
		name := entry.Name()
		if !entry.IsDir() || strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
			continue
		}
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			caseDir := filepath.Join(corpus, name)
			want := readExpectation(t, filepath.Join(caseDir, "expect.txt"))
			tmp := t.TempDir()
			if testing.Short() && slowCases[name] {
				t.Skip("writes tens of megabytes; skipped with -short")
			}
			if needsCaseSensitiveFS[name] && caseInsensitiveFS(t, tmp) {
				t.Skip("needs a case-sensitive file system")
			}
			site := filepath.Join(tmp, "site")
			copyTree(t, base, site, nil)
			if _, err := publish(t, site); err != nil {
				t.Fatalf("the base site does not build:\n%s", strings.Join(printed(err, site, tmp), "\n"))
			}
			public := filepath.Join(site, "public")
			before := readManifest(t, public)

			copyTree(t, caseDir, site, func(rel string) bool { return rel == "expect.txt" })
			if check := committedBytes[name]; check != nil {
				check(t, site)
			}
			if gen := generators[name]; gen != nil {
				gen(t, site, tmp)
			}
			res, err := publish(t, site)

			if l := leftovers(t, site); len(l) > 0 {
				t.Errorf("staging folders left beside public/: %v", l)
			}
			got := expectation{comments: want.comments, ok: err == nil}
			if err != nil {
				got.diags = printed(err, site, tmp)
				if d := before.diff(readManifest(t, public)); d != "" {
					t.Errorf("a failed build changed public/: %s", d)
				}
			} else if want.ok {
				got.checks = want.checks
			}
			if *update {
				got.write(t, filepath.Join(caseDir, "expect.txt"))
				return
			}
			switch {
			case want.ok && err != nil:
				t.Fatalf("build failed, want success:\n%s", strings.Join(got.diags, "\n"))
			case !want.ok && err == nil:
				t.Fatalf("build succeeded, want:\n%s", strings.Join(want.diags, "\n"))
			case !want.ok:
				if strings.Join(got.diags, "\n") != strings.Join(want.diags, "\n") {
					t.Errorf("diagnostics differ\n got:\n%s\nwant:\n%s", strings.Join(got.diags, "\n"), strings.Join(want.diags, "\n"))
				}
				return
			}
			for _, c := range want.checks {
				data, err := os.ReadFile(filepath.Join(public, filepath.FromSlash(c.path)))
				if err != nil {
					t.Errorf("%s: %v", c.path, err)
					continue
				}
				if has := bytes.Contains(data, []byte(c.text)); has == c.absent {
					verb := "lacks"
					if c.absent {
						verb = "holds"
					}
					t.Errorf("public/%s %s %q", c.path, verb, c.text)
				}
			}
			// Check what was written: Publish streams pages to disk, so the
			// result in memory holds only the files written last.
			files := map[string][]byte{}
			for p := range readManifest(t, public) {
				data, err := os.ReadFile(filepath.Join(public, filepath.FromSlash(p)))
				if err != nil {
					t.Fatal(err)
				}
				files[p] = data
			}
			for i, p := range linkcheck.Check(files, res.Config.BasePath(), res.Config.Origin()) {
				if i == 10 {
					t.Errorf("… and more broken links")
					break
				}
				t.Errorf("broken link in the output: %s", p)
			}
			if after := readManifest(t, public); len(after) != res.Stats.Files+1 { // + the marker file
				t.Errorf("public/ holds %d files, the build made %d", len(after), res.Stats.Files+1)
			}
		})
	}
	for name := range generators {
		if !seen[name] {
			t.Errorf("generator for %q, which has no folder in %s", name, corpus)
		}
	}
}
