package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func read(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestPublishReplacesWholeSite(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if err := Publish(dest, Tree{"index.html": {Data: []byte("v1")}, "old/page.html": {Data: []byte("gone soon")}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := Publish(dest, Tree{"index.html": {Data: []byte("v2")}, "a/b.html": {Data: []byte("b")}}, nil); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dest, "index.html")); got != "v2" {
		t.Errorf("index.html = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dest, "old")); err == nil {
		t.Error("stale folder survived")
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".dossier-") {
			t.Errorf("leftover %s beside the destination", e.Name())
		}
	}
}

func TestPublishCleansLeftoversOfKilledBuilds(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	stale := filepath.Join(parent, stagingPrefix+"public-123")
	_ = os.MkdirAll(stale, 0o755)
	other := filepath.Join(parent, stagingPrefix+"other-1") // another destination's: not ours
	_ = os.MkdirAll(other, 0o755)
	if err := Publish(dest, Tree{"index.html": {Data: []byte("x")}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("leftover staging folder not removed")
	}
	if _, err := os.Stat(other); err != nil {
		t.Error("another destination's staging folder was removed")
	}
}

func TestPublishRefusesForeignFolder(t *testing.T) {
	dest := t.TempDir()
	_ = os.WriteFile(filepath.Join(dest, "notes.txt"), []byte("mine"), 0o644)
	err := Publish(dest, Tree{"index.html": {Data: []byte("x")}}, nil)
	if err == nil || !strings.Contains(err.Error(), "not made by dossier") {
		t.Fatalf("err = %v", err)
	}
	if read(t, filepath.Join(dest, "notes.txt")) != "mine" {
		t.Error("foreign file changed")
	}
}

func TestOutputPathsCannotEscape(t *testing.T) {
	for _, p := range []string{"../x.html", "/etc/passwd", "a/../../x", "a\\b", "", "a//b", "./a"} {
		dest := filepath.Join(t.TempDir(), "public")
		if err := Publish(dest, Tree{p: {Data: []byte("x")}}, nil); err == nil {
			t.Errorf("path %q accepted", p)
		}
	}
}

func TestSyncWritesOnlyChanges(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if err := Publish(dest, Tree{"a.html": {Data: []byte("a")}, "b/c.html": {Data: []byte("c")}}, nil); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(filepath.Join(dest, "a.html"))
	written, removed, err := Sync(dest, Tree{"a.html": {Data: []byte("a")}, "d.html": {Data: []byte("d")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if written != 1 || removed != 1 {
		t.Errorf("written %d removed %d, want 1 and 1", written, removed)
	}
	after, _ := os.Stat(filepath.Join(dest, "a.html"))
	if !os.SameFile(before, after) {
		t.Error("unchanged file was rewritten")
	}
	if _, err := os.Stat(filepath.Join(dest, "b")); err == nil {
		t.Error("emptied folder left behind")
	}
	if read(t, filepath.Join(dest, "d.html")) != "d" {
		t.Error("new file missing")
	}
}

func TestCheckDest(t *testing.T) {
	site := t.TempDir()
	for _, sub := range []string{"content", "layouts"} {
		_ = os.MkdirAll(filepath.Join(site, sub), 0o755)
	}
	bad := []string{site, filepath.Dir(site), filepath.Join(site, "content"), filepath.Join(site, "layouts", "x"), "/"}
	for _, d := range bad {
		if CheckDest(site, d) == nil {
			t.Errorf("CheckDest accepted %s", d)
		}
	}
	for _, d := range []string{filepath.Join(site, "public"), filepath.Join(t.TempDir(), "out"), site + "-public"} {
		if err := CheckDest(site, d); err != nil {
			t.Errorf("CheckDest refused %s: %v", d, err)
		}
	}
}

// TestSyncPaths checks that SyncPaths writes and removes the paths it is
// given, leaves the others alone, and refuses a path out of dest.
func TestSyncPaths(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if err := Publish(dest, Tree{"index.html": {Data: []byte("v1")}, "a/b.html": {Data: []byte("b")}, "c.html": {Data: []byte("c")}}, nil); err != nil {
		t.Fatal(err)
	}
	tree := Tree{"index.html": {Data: []byte("v2")}, "c.html": {Data: []byte("c, not listed")}, "d/e.html": {Data: []byte("e")}}
	written, removed, err := SyncPaths(dest, tree, []string{"index.html", "a/b.html", "d/e.html"}, nil)
	if err != nil || written != 2 || removed != 1 {
		t.Fatalf("SyncPaths = %d written, %d removed, %v; want 2, 1, nil", written, removed, err)
	}
	if got := read(t, filepath.Join(dest, "index.html")); got != "v2" {
		t.Errorf("index.html = %q", got)
	}
	if got := read(t, filepath.Join(dest, "d", "e.html")); got != "e" {
		t.Errorf("d/e.html = %q", got)
	}
	if got := read(t, filepath.Join(dest, "c.html")); got != "c" {
		t.Errorf("c.html, not listed, = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dest, "a")); err == nil {
		t.Error("the emptied folder a/ survived")
	}
	if written, _, err := SyncPaths(dest, tree, []string{"index.html"}, nil); err != nil || written != 0 {
		t.Errorf("unchanged file: %d written, %v", written, err)
	}
	if _, _, err := SyncPaths(dest, Tree{"../x": {Data: []byte("x")}}, []string{"../x"}, nil); err == nil {
		t.Error("a path out of dest was accepted")
	}
}
