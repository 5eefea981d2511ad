package generator_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
)

// vnuJar finds the W3C Nu HTML checker installed by `make tools` (npm
// package vnu-jar), or $VNU_JAR.
func vnuJar() string {
	if p := os.Getenv("VNU_JAR"); p != "" {
		return p
	}
	p, _ := filepath.Abs(filepath.Join("..", ".tools", "node_modules", "vnu-jar", "build", "dist", "vnu.jar"))
	return p
}

// TestHTMLValidates runs the W3C Nu HTML checker on every page of the
// example site (plain and minified) and expects zero errors. CI installs the
// checker and sets DOSSIER_REQUIRE_VNU=1 so the test cannot skip there.
func TestHTMLValidates(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs Java")
	}
	jar := vnuJar()
	java, err := exec.LookPath("java")
	if _, statErr := os.Stat(jar); err != nil || statErr != nil {
		if os.Getenv("DOSSIER_REQUIRE_VNU") != "" {
			t.Fatalf("vnu checker required but missing (java: %v, jar %s: %v); run make tools", err, jar, statErr)
		}
		t.Skip("W3C Nu HTML checker not installed (make tools installs it)")
	}
	// The example site; a copy with pictures: a lead image with its
	// caption, a figure, a portrait shown as avatars; and a site of two
	// languages (hreflang links, the language switcher, links marked with
	// their language).
	withMedia := copySite(t)
	addMedia(t, withMedia)
	for _, site := range []string{"..", withMedia, writeFiles(t, bilingualFiles)} {
		for _, minify := range []bool{false, true} {
			dest := filepath.Join(t.TempDir(), "public")
			if _, err := generator.Publish(generator.Options{SiteDir: site, Theme: dossier.DefaultTheme, Minify: minify}, dest); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(java, "-jar", jar, "--errors-only", "--skip-non-html", "--format", "gnu", dest).CombinedOutput()
			if err != nil || len(strings.TrimSpace(string(out))) > 0 {
				t.Errorf("%s, minify=%v: the HTML checker reports errors:\n%s", site, minify, strings.ReplaceAll(string(out), dest+"/", ""))
			}
		}
	}
}
