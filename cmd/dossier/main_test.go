package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goodSite is a minimal valid site; cases below break one file of it.
var goodSite = map[string]string{
	"dossier.toml": "title = \"Test\"\nlanguage = \"en\"\n",
	"content/dossiers/pact/index.md": `---
title: "The pact"
date: 2024-06-19
actors: [vladimir-putin, kim-jong-un]
treaties: [pact-2024]
tags: [alliances]
---

[[Putin]] met [[kim-jong-un|Kim]] to sign the [[pact-2024]].
`,
	"content/dossiers/pact/quotes.md": `> Mutual assistance in case of attack.
>
> — [[vladimir-putin]], 2024-06-19, after the signing
`,
	"content/actors/vladimir-putin.md": "---\nname: Vladimir Putin\nkind: person\naliases: [Putin]\n---\nPresident.\n",
	"content/actors/kim-jong-un.md":    "---\nname: Kim Jong-un\nkind: person\n---\nLeader.\n",
	"content/treaties/pact-2024.md":    "---\ntitle: Pact\nsigned: 2024-06-19\nparties: [vladimir-putin]\nstatus: in-force\n---\n",
}

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// snapshot reads every file under dir, to prove a failed build left it alone.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files, err := trySnapshot(dir)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestBuildGoodSite(t *testing.T) {
	dir := writeSite(t, goodSite)
	code, out, errOut := runCLI("build", "--source", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Built ") || !strings.Contains(out, "dossiers 1") {
		t.Errorf("summary: %q", out)
	}
	for _, f := range []string{"index.html", "dossiers/pact/index.html", "actors/vladimir-putin/index.html", "actors/index.html",
		"treaties/pact-2024/index.html", "quotes/index.html", "timeline/index.html", "tags/alliances/index.html",
		"feed.xml", "sitemap.xml", "robots.txt", "404.html"} {
		if _, err := os.Stat(filepath.Join(dir, "public", f)); err != nil {
			t.Errorf("missing output %s", f)
		}
	}
	page, _ := os.ReadFile(filepath.Join(dir, "public/actors/vladimir-putin/index.html"))
	if !bytes.Contains(page, []byte("/dossiers/pact/")) {
		t.Errorf("actor page does not link back to its dossier")
	}
}

// --memory-limit is a megabyte count; a small one still builds the site
// (the limit follows what the site needs), a negative one is refused.
func TestBuildMemoryLimit(t *testing.T) {
	dir := writeSite(t, goodSite)
	if code, _, errOut := runCLI("build", "--source", dir, "--memory-limit", "1"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "public/dossiers/pact/index.html")); err != nil {
		t.Errorf("no site under a 1 MB limit: %v", err)
	}
	code, _, errOut := runCLI("build", "--source", dir, "--memory-limit", "-5")
	if code != 2 || !strings.Contains(errOut, "--memory-limit -5: want a number of megabytes") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// serve and watch take --memory-limit too, and refuse a negative one
// before they build or listen.
func TestDevMemoryLimitFlag(t *testing.T) {
	dir := writeSite(t, goodSite)
	for _, cmd := range []string{"serve", "watch"} {
		code, _, errOut := runCLI(cmd, "--source", dir, "--memory-limit", "-5")
		if code != 2 || !strings.Contains(errOut, "dossier "+cmd+": --memory-limit -5: want a number of megabytes") {
			t.Errorf("%s: exit %d, stderr %q", cmd, code, errOut)
		}
	}
}

// TestBadInput builds a good site, breaks one thing, and checks the build
// fails with every expected path:line:col message and leaves public/ as it was.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name  string
		edit  map[string]string // file → new content ("" deletes)
		wants []string
	}{
		{"invalid front matter", map[string]string{"content/actors/kim-jong-un.md": "---\nname: [Kim\nkind: person\n---\n"},
			[]string{"content/actors/kim-jong-un.md:2: invalid front matter"}},
		{"missing required field", map[string]string{"content/actors/kim-jong-un.md": "---\nname: Kim\n---\n"},
			[]string{`content/actors/kim-jong-un.md:2:1: missing required field "kind"`}},
		{"wrong type", map[string]string{"content/treaties/pact-2024.md": "---\ntitle: Pact\nsigned: 2024-06-19\nparties: vladimir-putin\nstatus: in-force\n---\n"},
			[]string{"content/treaties/pact-2024.md:4:10: parties must be a list"}},
		{"unknown slug with suggestion", map[string]string{"content/dossiers/pact/index.md": "---\ntitle: P\ndate: 2024-06-19\nactors: [kim-jong-um]\n---\n"},
			[]string{`content/dossiers/pact/index.md:4:10: unknown actor "kim-jong-um" (did you mean "kim-jong-un"?)`}},
		{"unknown wikilink and speaker, all reported", map[string]string{
			"content/dossiers/pact/index.md":  "---\ntitle: P\ndate: 2024-06-19\n---\nSee [[vladimir-putn]].\n",
			"content/dossiers/pact/quotes.md": "> Q\n> — [[kim-jong]], 2024-06-19\n"},
			[]string{`content/dossiers/pact/index.md:5:5: unknown link target [[vladimir-putn]] (did you mean "vladimir-putin"?)`,
				`content/dossiers/pact/quotes.md:2:7: unknown speaker "kim-jong": a speaker must be an actor (did you mean "kim-jong-un"?)`}},
		{"duplicate alias", map[string]string{"content/actors/kim-jong-un.md": "---\nname: Kim Jong-un\nkind: person\naliases: [Putin]\n---\n"},
			[]string{`name "Putin" is already used by actor`}},
		{"ambiguous slug across kinds", map[string]string{"content/actors/pact-2024.md": "---\nname: X\nkind: state\n---\n",
			"content/dossiers/pact/index.md": "---\ntitle: P\ndate: 2024-06-19\n---\n[[pact-2024]]\n"},
			[]string{`content/dossiers/pact/index.md:5:1: ambiguous link [[pact-2024]]`}},
		{"invalid slug", map[string]string{"content/actors/Kim_Jong.md": "---\nname: K\nkind: person\n---\n"},
			[]string{`content/actors/Kim_Jong.md: invalid slug "Kim_Jong"`}},
		{"upper-case slug that would collide on case-insensitive disks", map[string]string{"content/actors/Kim-Jong-Un.md": "---\nname: K\nkind: person\n---\n"},
			[]string{`content/actors/Kim-Jong-Un.md: invalid slug "Kim-Jong-Un": use lower case ("kim-jong-un")`}},
		{"unreadable file (dangling symlink)", nil, []string{"content/actors/ghost.md: broken or looping symlink"}},
		{"invalid UTF-8", map[string]string{"content/actors/kim-jong-un.md": "---\nname: K\xff\nkind: person\n---\n"},
			[]string{"content/actors/kim-jong-un.md:2:8: invalid UTF-8"}},
		{"supersession disagreement", map[string]string{"content/treaties/old.md": "---\ntitle: Old\nsigned: 2000-01-01\nstatus: superseded\nsuperseded_by: pact-2024\n---\n"},
			[]string{`content/treaties/old.md:5:16: superseded_by "pact-2024", but content/treaties/pact-2024.md does not list "old" in supersedes`}},
		{"bad dossier.toml", map[string]string{"dossier.toml": "title = \n"}, []string{"dossier.toml:1:"}},
		{"template syntax error in a site override", map[string]string{"layouts/dossier.html": "{{ define \"main\" }}\n<h1>{{ .Title }</h1>\n{{ end }}\n"},
			[]string{"layouts/dossier.html:2: template: "}},
		{"template execution error", map[string]string{"layouts/actor.html": "{{ define \"main\" }}\n\n{{ .Actor.Nope }}\n{{ end }}\n"},
			[]string{"layouts/actor.html:3:9: template: executing", "can't evaluate field Nope", "(rendering actors/kim-jong-un/index.html and 1 other page)", "build failed: 1 error;"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeSite(t, goodSite)
			if code, _, errOut := runCLI("build", "--source", dir); code != 0 {
				t.Fatalf("good site failed: %s", errOut)
			}
			before := snapshot(t, filepath.Join(dir, "public"))
			for name, body := range tt.edit {
				p := filepath.Join(dir, filepath.FromSlash(name))
				_ = os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.name == "unreadable file (dangling symlink)" {
				if err := os.Symlink(filepath.Join(dir, "nowhere.md"), filepath.Join(dir, "content/actors/ghost.md")); err != nil {
					t.Fatal(err)
				}
			}
			code, _, errOut := runCLI("build", "--source", dir)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr:\n%s", code, errOut)
			}
			for _, w := range tt.wants {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if !strings.Contains(errOut, "nothing was written") {
				t.Errorf("stderr does not say nothing was written:\n%s", errOut)
			}
			after := snapshot(t, filepath.Join(dir, "public"))
			if len(after) != len(before) {
				t.Fatalf("public/ changed: %d files before, %d after", len(before), len(after))
			}
			for name, data := range before {
				if after[name] != data {
					t.Errorf("public/%s changed", name)
				}
			}
		})
	}
}

func TestSymlinkOutsideSiteRefused(t *testing.T) {
	dir := writeSite(t, goodSite)
	outside := filepath.Join(t.TempDir(), "secret.md")
	_ = os.WriteFile(outside, []byte("---\nname: S\nkind: person\n---\n"), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "content/actors/secret.md")); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI("build", "--source", dir)
	if code != 1 || !strings.Contains(errOut, "content/actors/secret.md: symlink points outside the site") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestRemovedPageDisappears(t *testing.T) {
	dir := writeSite(t, goodSite)
	extra := "---\ntitle: Extra\ndate: 2024-01-01\n---\nx\n"
	_ = os.MkdirAll(filepath.Join(dir, "content/dossiers/extra"), 0o755)
	_ = os.WriteFile(filepath.Join(dir, "content/dossiers/extra/index.md"), []byte(extra), 0o644)
	if code, _, e := runCLI("build", "--source", dir); code != 0 {
		t.Fatal(e)
	}
	if _, err := os.Stat(filepath.Join(dir, "public/dossiers/extra/index.html")); err != nil {
		t.Fatal("extra page not built")
	}
	_ = os.RemoveAll(filepath.Join(dir, "content/dossiers/extra"))
	if code, _, e := runCLI("build", "--source", dir); code != 0 {
		t.Fatal(e)
	}
	if _, err := os.Stat(filepath.Join(dir, "public/dossiers/extra")); err == nil {
		t.Fatal("removed dossier still in public/")
	}
}

func TestDeterministicOutput(t *testing.T) {
	dir := writeSite(t, goodSite)
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	for _, dest := range []string{a, b} {
		if code, _, e := runCLI("build", "--source", dir, "--dest", dest); code != 0 {
			t.Fatal(e)
		}
	}
	sa, sb := snapshot(t, a), snapshot(t, b)
	if len(sa) != len(sb) {
		t.Fatalf("%d vs %d files", len(sa), len(sb))
	}
	for name, data := range sa {
		if sb[name] != data {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

func TestDestinationSafety(t *testing.T) {
	dir := writeSite(t, goodSite)
	for _, dest := range []string{dir, filepath.Dir(dir), filepath.Join(dir, "content", "out")} {
		code, _, errOut := runCLI("build", "--source", dir, "--dest", dest)
		if code != 1 || !strings.Contains(errOut, "refusing to build into") {
			t.Errorf("dest %s: exit %d: %s", dest, code, errOut)
		}
	}
	foreign := t.TempDir()
	_ = os.WriteFile(filepath.Join(foreign, "precious.txt"), []byte("keep"), 0o644)
	code, _, errOut := runCLI("build", "--source", dir, "--dest", foreign)
	if code != 1 || !strings.Contains(errOut, "was not made by dossier") {
		t.Errorf("foreign dest: exit %d: %s", code, errOut)
	}
	if data, _ := os.ReadFile(filepath.Join(foreign, "precious.txt")); string(data) != "keep" {
		t.Error("a file outside dossier's output was lost")
	}
}

func TestHelp(t *testing.T) {
	code, out, _ := runCLI("--help")
	if code != 0 || !strings.Contains(out, "build") || !strings.Contains(out, "Examples:") {
		t.Errorf("help: %d %q", code, out)
	}
	code, _, errOut := runCLI("build", "--help")
	if code != 0 || !strings.Contains(errOut, "--base-url") || !strings.Contains(errOut, "Examples:") {
		t.Errorf("build help: %d %q", code, errOut)
	}
	if code, _, _ := runCLI("frobnicate"); code != 2 {
		t.Errorf("unknown command exit %d, want 2", code)
	}
}
