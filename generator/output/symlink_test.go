package output

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// siteOf makes a tree of n page folders, each with an index.html saying v.
func siteOf(n int, v string) Tree {
	tree := Tree{"index.html": {Data: []byte(v)}}
	for i := range n {
		tree[fmt.Sprintf("p%d/index.html", i)] = File{Data: []byte(v)}
	}
	return tree
}

// A symlinked destination (public -> /var/www/site) is written through: the
// link stays a link and its target becomes the complete new site. Before,
// the build replaced the link with a folder and then removed, through the
// old link, every page folder of the target.
func TestPublishThroughSymlinkedDestination(t *testing.T) {
	for _, tc := range []struct {
		name     string
		relative bool
		dangling bool
	}{
		{"absolute link", false, false},
		{"relative link", true, false},
		{"link to a target not made yet", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			target := filepath.Join(root, "www", "site")
			if !tc.dangling {
				if err := Publish(target, siteOf(30, "old"), nil); err != nil {
					t.Fatal(err)
				}
			} else if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				t.Fatal(err)
			}
			siteDir := filepath.Join(root, "site")
			if err := os.MkdirAll(siteDir, 0o755); err != nil {
				t.Fatal(err)
			}
			link := filepath.Join(siteDir, "public")
			to := target
			if tc.relative {
				to = filepath.Join("..", "www", "site")
			}
			if err := os.Symlink(to, link); err != nil {
				t.Fatal(err)
			}
			for round, n := range []int{40, 10} { // a second build replaces a site made through the link
				v := fmt.Sprintf("new%d", round)
				if err := Publish(link, siteOf(n, v), nil); err != nil {
					t.Fatal(err)
				}
				if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
					t.Fatalf("round %d: public/ is no longer a symlink (%v)", round, err)
				}
				got := listFiles(t, target)
				if len(got) != n+2 { // pages, the home page and the marker
					t.Errorf("round %d: the target holds %d files, want %d", round, len(got), n+2)
				}
				for p, data := range got {
					if p != Marker && data != v {
						t.Errorf("round %d: %s = %q, want %q", round, p, data, v)
					}
				}
				if got := dirEntries(t, filepath.Dir(target)); len(got) != 1 || got[0] != "site" {
					t.Errorf("round %d: beside the target: %v, want only the site", round, got)
				}
				if got := dirEntries(t, siteDir); len(got) != 1 || got[0] != "public" {
					t.Errorf("round %d: beside the link: %v, want only the link", round, got)
				}
			}
		})
	}
}

// Watch mode writes through the link too, and sees what the target holds.
func TestSyncThroughSymlinkedDestination(t *testing.T) {
	root := t.TempDir()
	target := filepath.Join(root, "site")
	if err := Publish(target, Tree{"a.html": {Data: []byte("a")}, "b.html": {Data: []byte("b")}}, nil); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "public")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	written, removed, err := Sync(link, Tree{"a.html": {Data: []byte("a")}, "c.html": {Data: []byte("c")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if written != 1 || removed != 1 {
		t.Errorf("written %d, removed %d; want 1 and 1", written, removed)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatal("public/ is no longer a symlink")
	}
	want := map[string]string{"a.html": "a", "c.html": "c", Marker: markerText}
	if got := listFiles(t, target); !sameFiles(got, want) {
		t.Errorf("target = %v, want %v", got, want)
	}
}

// removeTree given a symlink removes the link, not the folder it names.
func TestRemoveTreeKeepsWhatASymlinkNames(t *testing.T) {
	root := t.TempDir()
	target := filepath.Join(root, "target")
	if err := os.MkdirAll(filepath.Join(target, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "a", "b", "f"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := removeTree(link); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(link); !os.IsNotExist(err) {
		t.Error("the link is still there")
	}
	if got := read(t, filepath.Join(target, "a", "b", "f")); got != "x" {
		t.Errorf("the target lost its file: %q", got)
	}
}
