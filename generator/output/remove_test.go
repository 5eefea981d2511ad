package output

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRemoveTree(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(root, "outside")
	if err := os.MkdirAll(filepath.Join(outside, "keep"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "site")
	for _, p := range []string{"index.html", "a/index.html", "a/b/index.html", "a/b/c/d/index.html", "e/f/g.html", "h/i/j/k.txt"} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Links are removed, never followed.
	if err := os.Symlink(outside, filepath.Join(dir, "a", "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "toplink")); err != nil {
		t.Fatal(err)
	}
	if err := removeTree(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(dir); !os.IsNotExist(err) {
		t.Errorf("%s still exists (%v)", dir, err)
	}
	if _, err := os.Stat(filepath.Join(outside, "keep")); err != nil {
		t.Errorf("a linked folder outside was touched: %v", err)
	}
	if err := removeTree(filepath.Join(root, "missing")); err != nil {
		t.Errorf("a missing folder: %v", err)
	}
}

// TestRemoveSubtree: a folder and its folders go, a symlink to a folder
// outside inside them is removed, never followed, and a missing folder is
// no error.
func TestRemoveSubtree(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(root, "outside")
	if err := os.MkdirAll(filepath.Join(outside, "keep"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "page")
	for _, p := range []string{"index.html", "a/index.html", "a/b/c/index.html"} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(dir, "a", "b", "link")); err != nil {
		t.Fatal(err)
	}
	if err := removeSubtree(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(dir); !os.IsNotExist(err) {
		t.Errorf("%s still exists (%v)", dir, err)
	}
	if _, err := os.Stat(filepath.Join(outside, "keep")); err != nil {
		t.Errorf("a linked folder outside was touched: %v", err)
	}
	if err := removeSubtree(dir); err != nil {
		t.Errorf("a missing folder: %v", err)
	}
}
