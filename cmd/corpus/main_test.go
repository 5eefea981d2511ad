package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateThenBare(t *testing.T) {
	dir := t.TempDir()
	site, hugo, floor := filepath.Join(dir, "site"), filepath.Join(dir, "hugo"), filepath.Join(dir, "floor")
	var out, errOut bytes.Buffer
	if code := run([]string{"-n", "20", "-seed", "3", "-out", site, "-hugo", hugo}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "20 dossiers, 10 actors") {
		t.Errorf("summary: %s", out.String())
	}
	for _, p := range []string{filepath.Join(site, "dossier.toml"), filepath.Join(hugo, "config.toml")} {
		if _, err := os.Stat(p); err != nil {
			t.Error(err)
		}
	}
	out.Reset()
	if code := run([]string{"bare", "-cpuprofile", filepath.Join(dir, "cpu.prof"), site, floor}, &out, &errOut); code != 0 {
		t.Fatalf("bare: exit %d: %s", code, errOut.String())
	}
	if !strings.HasPrefix(out.String(), "rendered ") {
		t.Errorf("bare: %s", out.String())
	}
	if code := run([]string{"-n", "20", "-out", site}, &out, &errOut); code != 1 {
		t.Errorf("writing into a non-empty folder: exit %d, want 1", code)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"-n", "0", "-out", "x"}, {"extra"}, {"bare", "one"}, {"-nope"}} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}
