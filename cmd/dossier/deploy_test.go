package main

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// deploySite is goodSite with a base URL, a deploy target (a folder) and
// an old path of the dossier.
func deploySite(t *testing.T, target string) string {
	files := maps.Clone(goodSite)
	files["dossier.toml"] = "baseURL = \"https://example.org/news/\"\n\n[[deploy.targets]]\nname = \"www\"\nurl = \"file://" + target + "\"\n"
	files["content/dossiers/pact/index.md"] = strings.Replace(files["content/dossiers/pact/index.md"], "---\n", "---\nredirect_from: [/dossiers/old-pact/]\n", 1)
	return writeSite(t, files)
}

// dossier deploy builds the site and sends it: the target then holds
// exactly public/ (and the deploy's manifest); a second deploy sends
// nothing; the redirect page of an old path is there and in _redirects.
func TestDeployToFolder(t *testing.T) {
	target := filepath.Join(t.TempDir(), "www")
	dir := deploySite(t, target)
	code, out, errOut := runCLI("deploy", "--source", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Deployed ") || !strings.Contains(out, "0 changed, 0 deleted") {
		t.Errorf("summary: %q", out)
	}
	public, deployed := snapshot(t, filepath.Join(dir, "public")), snapshot(t, target)
	delete(public, ".dossier-build")
	if _, ok := deployed[".dossier-deploy.json"]; !ok {
		t.Error("no manifest in the target")
	}
	delete(deployed, ".dossier-deploy.json")
	if len(public) != len(deployed) {
		t.Errorf("target holds %d files, public/ %d", len(deployed), len(public))
	}
	for name, data := range public {
		if deployed[name] != data {
			t.Errorf("%s differs in the target", name)
		}
	}
	redirect := deployed["dossiers/old-pact/index.html"]
	if !strings.Contains(redirect, `url=/news/dossiers/pact/`) || !strings.Contains(redirect, `rel="canonical" href="https://example.org/news/dossiers/pact/"`) {
		t.Errorf("redirect page:\n%s", redirect)
	}
	// The curator's old path, and the English section names French pages
	// had before they had French names.
	if r := deployed["_redirects"]; !strings.Contains(r, "\n/news/dossiers/old-pact/ /news/dossiers/pact/ 301\n") ||
		!strings.Contains(r, "\n/news/actors/kim-jong-un/ /news/acteurs/kim-jong-un/ 301\n") {
		t.Errorf("_redirects: %q", deployed["_redirects"])
	}
	if _, out, _ := runCLI("deploy", "--source", dir); !strings.Contains(out, "0 new, 0 changed, 0 deleted") {
		t.Errorf("second deploy: %q", out)
	}
	// One edited article: its page changes, and the pages that show its
	// text (feed, search index); no asset, no other entity's page.
	page := filepath.Join(dir, "content/dossiers/pact/index.md")
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, append(data, "\nOne more sentence.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI("deploy", "--source", dir, "--dry-run")
	if code != 0 || !strings.Contains(out, "~ dossiers/pact/index.html") || strings.Contains(out, "~ css/") || strings.Contains(out, "~ acteurs/") || strings.Contains(out, "+ ") {
		t.Errorf("one edited dossier:\n%s", out)
	}
	code, out, _ = runCLI("deploy", "--source", dir, "--dry-run", "--base-url", "https://example.org/other/")
	if code != 0 || !strings.Contains(out, "dry run") || !strings.Contains(out, "~ index.html") {
		t.Errorf("dry run after a base URL change: %d %q", code, out)
	}
}

// A site whose base URL has no host is not deployed, nor is a target
// that does not exist; a secret in a target URL is warned about.
func TestDeployRefusals(t *testing.T) {
	target := filepath.Join(t.TempDir(), "www")
	dir := deploySite(t, target)
	code, _, errOut := runCLI("deploy", "--source", dir, "--base-url", "/")
	if code != 1 || !strings.Contains(errOut, "has no host") {
		t.Errorf("relative base URL: %d %q", code, errOut)
	}
	code, _, errOut = runCLI("deploy", "--source", dir, "--target", "ww")
	if code != 1 || !strings.Contains(errOut, `no deploy target "ww"`) || !strings.Contains(errOut, `"www"`) {
		t.Errorf("unknown target: %d %q", code, errOut)
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("a refused deploy wrote the target")
	}
	toml := "baseURL = \"https://example.org/\"\n[[deploy.targets]]\nname = \"s3\"\nurl = \"file://" + target + "?secret=x\"\n"
	if err := os.WriteFile(filepath.Join(dir, "dossier.toml"), []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ := runCLI("deploy", "--source", dir, "--dry-run")
	if !strings.Contains(out, "holds the parameter secret") {
		t.Errorf("no warning about a secret: %q", out)
	}
}

// An old path that is a page of the site, or that two entities claim, is
// an error where it is written; nothing is built.
func TestRedirectFromErrors(t *testing.T) {
	files := maps.Clone(goodSite)
	files["content/dossiers/pact/index.md"] = strings.Replace(files["content/dossiers/pact/index.md"], "---\n", "---\nredirect_from: [/actors/kim-jong-un/, /old/]\n", 1)
	files["content/actors/kim-jong-un.md"] = "---\nname: Kim Jong-un\nkind: person\nredirect_from: [old]\n---\nLeader.\n"
	dir := writeSite(t, files)
	code, _, errOut := runCLI("build", "--source", dir)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		`content/dossiers/pact/index.md:2:17: redirect_from "actors/kim-jong-un/" is a page of this site`,
		`content/actors/kim-jong-un.md:4:17: redirect_from "old/" is already claimed by content/dossiers/pact/index.md:2:39`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("missing %q in:\n%s", want, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("a failed build wrote public/")
	}
}

// --no-build deploys public/ as built; it refuses a build made without an
// absolute base URL, and a folder dossier did not build.
func TestDeployNoBuild(t *testing.T) {
	target := filepath.Join(t.TempDir(), "www")
	dir := deploySite(t, target)
	if code, _, errOut := runCLI("build", "--source", dir, "--base-url", "/"); code != 0 {
		t.Fatal(errOut)
	}
	code, _, errOut := runCLI("deploy", "--source", dir, "--no-build")
	if code != 1 || !strings.Contains(errOut, "without an absolute base URL") {
		t.Errorf("relative build: %d %q", code, errOut)
	}
	if code, _, errOut := runCLI("build", "--source", dir); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := runCLI("deploy", "--source", dir, "--no-build")
	if code != 0 || !strings.Contains(out, "Deployed") {
		t.Fatalf("no-build deploy: %d %q %q", code, out, errOut)
	}
	if got := snapshot(t, target)["dossiers/old-pact/index.html"]; !strings.Contains(got, "url=/news/dossiers/pact/") {
		t.Errorf("redirect page: %q", got)
	}
	other := t.TempDir()
	code, _, errOut = runCLI("deploy", "--source", dir, "--no-build", "--dest", other)
	if code != 1 || !strings.Contains(errOut, "was not built by dossier") {
		t.Errorf("a folder dossier did not build: %d %q", code, errOut)
	}
}
