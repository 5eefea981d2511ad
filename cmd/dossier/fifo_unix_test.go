//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
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
