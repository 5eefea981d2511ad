//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/dossier-ssg/dossier/generator/output"
)

// A named pipe under content/ is refused by its type at path:1:1; opening
// it would block build and check forever. If this test hangs, it failed.
func TestNamedPipeInContentIsRefused(t *testing.T) {
	for _, place := range []string{"content/actors/pipe.md", "content/dossiers/pact/feed.csv", "content/dossiers/pact/quotes.md"} {
		t.Run(place, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range goodSite {
				if k != place {
					files[k] = v
				}
			}
			site := writeSite(t, files)
			if err := syscall.Mkfifo(filepath.Join(site, filepath.FromSlash(place)), 0o644); err != nil {
				t.Skip("no mkfifo here:", err)
			}
			for _, cmd := range []string{"build", "check"} {
				code, _, stderr := runCLI(cmd, "--source", site)
				if code != 1 {
					t.Errorf("%s: exit %d, want 1; stderr: %s", cmd, code, stderr)
				}
				if want := place + ":1:1: this is a named pipe, not a regular file"; !strings.Contains(stderr, want) {
					t.Errorf("%s: stderr = %q, want %q", cmd, stderr, want)
				}
			}
		})
	}
}

// A build started while another holds the destination says so and waits,
// then builds. The test holds the lock itself (output.Acquire), starts a
// real `dossier build` and reads its stderr line by line: no clock.
func TestSecondBuildWaitsForTheFirst(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "dossier")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	site := writeSite(t, goodSite)
	dest, err := output.Resolve(filepath.Join(site, "public"))
	if err != nil {
		t.Fatal(err)
	}
	first, err := output.Acquire(dest, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := newLines()
	cmd := exec.Command(bin, "build", "--source", site)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() }()
	line := out.next(t, "waiting for another build")
	if !strings.Contains(line, "pid ") {
		t.Errorf("the message does not name the holder: %q", line)
	}
	if _, err := os.Stat(filepath.Join(site, "public")); err == nil {
		t.Error("the waiting build wrote public/")
	}
	first.Release()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the second build: %v\n%s", err, out.String())
	}
	if _, err := os.Stat(filepath.Join(site, "public", "index.html")); err != nil {
		t.Errorf("no site after the wait: %v\n%s", err, out.String())
	}
}
