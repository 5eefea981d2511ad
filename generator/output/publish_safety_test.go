package output

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Safety of Publish on bad trees and failed writes; the bad-input corpus
// and the kill test in internal/reliability check the same end to end.

// listFiles maps every file under dir to its contents.
func listFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !info.IsDir() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = string(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	list, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range list {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func sameFiles(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestPublishRefusesEscapingPathsAndKeepsTheSite: an output path that could
// leave the destination fails the whole publish, writes nothing anywhere
// and leaves the previous site as it was; Sync refuses it too.
func TestPublishRefusesEscapingPathsAndKeepsTheSite(t *testing.T) {
	for _, bad := range []string{"../evil.html", "a/../../evil.html", "/etc/evil", `a\..\..\evil`, "", ".", "a//b", "./a", "a/./b", "a/.."} {
		t.Run(bad, func(t *testing.T) {
			parent := t.TempDir()
			dest := filepath.Join(parent, "public")
			if err := Publish(dest, Tree{"index.html": {Data: []byte("old")}}, nil); err != nil {
				t.Fatal(err)
			}
			before := listFiles(t, dest)
			err := Publish(dest, Tree{"index.html": {Data: []byte("new")}, bad: {Data: []byte("evil")}}, nil)
			if err == nil || !strings.Contains(err.Error(), "invalid output path") {
				t.Fatalf("Publish with %q: err = %v", bad, err)
			}
			if !sameFiles(before, listFiles(t, dest)) {
				t.Errorf("the previous site changed")
			}
			if got := dirEntries(t, parent); len(got) != 1 || got[0] != "public" {
				t.Errorf("beside the destination: %v", got)
			}
			if _, _, err := Sync(dest, Tree{bad: {Data: []byte("evil")}}, nil); err == nil {
				t.Errorf("Sync accepted %q", bad)
			}
			if !sameFiles(before, listFiles(t, dest)) {
				t.Errorf("Sync changed the site")
			}
		})
	}
}

// TestPublishCleansOnlyItsOwnLeftovers: the staging and retired folders of
// killed builds of the same destination go; those of another destination
// in the same folder, and anything else, stay.
func TestPublishCleansOnlyItsOwnLeftovers(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	for _, d := range []string{".dossier-staging-public-123/x", ".dossier-old-public-456/y", ".dossier-staging-other-1/z", "keep/k"} {
		p := filepath.Join(parent, filepath.FromSlash(d))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := Publish(dest, Tree{"index.html": {Data: []byte("x")}}, nil); err != nil {
		t.Fatal(err)
	}
	got := dirEntries(t, parent)
	want := []string{".dossier-staging-other-1", "keep", "public"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("beside the destination: %v, want %v", got, want)
	}
}

// TestPublishFailedCopyKeepsTheOldSite: an attachment that cannot be read
// fails the publish after other files were staged; the old site stays and
// the staging folder goes.
func TestPublishFailedCopyKeepsTheOldSite(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	if err := Publish(dest, Tree{"index.html": {Data: []byte("old")}}, nil); err != nil {
		t.Fatal(err)
	}
	before := listFiles(t, dest)
	tree := Tree{"index.html": {Data: []byte("new")}, "dossiers/x/report.pdf": {From: filepath.Join(parent, "missing.pdf")}}
	if err := Publish(dest, tree, nil); err == nil {
		t.Fatal("Publish succeeded with a missing attachment")
	}
	if !sameFiles(before, listFiles(t, dest)) {
		t.Errorf("the previous site changed")
	}
	if e := dirEntries(t, parent); len(e) != 1 {
		t.Errorf("left beside the destination: %v", e)
	}
}
