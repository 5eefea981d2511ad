package main

import (
	"strings"
	"testing"
)

// --allowed-host is documented in --help, and a value that cannot be a host
// name is a usage error (exit 2) saying why, before anything listens.
func TestServeAllowedHostFlag(t *testing.T) {
	code, _, stderr := runCLI("serve", "--help")
	if code != 0 || !strings.Contains(stderr, "-allowed-host") || !strings.Contains(stderr, "dossier serve --bind 0.0.0.0 --allowed-host ") {
		t.Errorf("serve --help: exit %d, no --allowed-host flag or example:\n%s", code, stderr)
	}
	for value, want := range map[string]string{
		"*.example.org":       "write .example.org",
		"*":                   "list the names instead",
		"http://example.org/": "not a URL",
		"":                    "empty name",
	} {
		code, _, stderr := runCLI("serve", "--source", t.TempDir(), "--allowed-host", "ok.example", "--allowed-host", value)
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("serve --allowed-host %q: exit %d, want 2 and %q in:\n%s", value, code, want, stderr)
		}
	}
}
