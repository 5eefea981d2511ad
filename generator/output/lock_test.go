//go:build unix

package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Two builds of one destination take turns. Before the lock, the second
// build removed the first one's staging folder as a "leftover", and the
// first then reported success over a site missing most of its files.
func TestBuildsOfOneDestinationTakeTurns(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	first, err := Begin(dest, nil)
	if err != nil {
		t.Fatal(err)
	}
	tree := siteOf(50, "first")
	for p, f := range tree {
		if err := first.Write(p, f); err != nil {
			t.Fatal(err)
		}
	}

	waited := make(chan string, 1)
	secondDone := make(chan error, 1)
	var second *Staging
	go func() {
		var err error
		second, err = Begin(dest, func(holder string) { waited <- holder })
		secondDone <- err
	}()
	select {
	case holder := <-waited:
		if !strings.Contains(holder, "pid ") {
			t.Errorf("the waiting message names %q, want the holder's pid", holder)
		}
	case err := <-secondDone:
		t.Fatalf("the second build began while the first held the destination (err %v)", err)
	case <-time.After(30 * time.Second): // a guard against a hang, not a timing
		t.Fatal("the second build neither waited nor began")
	}
	// The first build's staging folder is whole, and it commits.
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := listFiles(t, dest); len(got) != len(tree)+1 {
		t.Fatalf("the first build published %d files, want %d", len(got), len(tree)+1)
	}
	if err := <-secondDone; err != nil {
		t.Fatal(err)
	}
	if err := second.Write("index.html", File{Data: []byte("second")}); err != nil {
		t.Fatal(err)
	}
	if err := second.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dest, "index.html")); got != "second" {
		t.Errorf("index.html = %q after the second build", got)
	}
	if got := dirEntries(t, filepath.Dir(dest)); len(got) != 1 {
		t.Errorf("left beside the destination: %v", got)
	}
}

// A build killed while it held the lock does not block the next one: the
// lock is the kernel's and goes with its process. Closing the descriptor
// without Release is what a killed process leaves.
func TestLockOfADeadBuildIsFree(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	dead, err := Acquire(dest, nil)
	if err != nil {
		t.Fatal(err)
	}
	dead.file.Close() // the process is gone; its lock file stays
	if err := os.MkdirAll(filepath.Join(filepath.Dir(dest), stagingPrefix+"public-1", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Publish(dest, Tree{"index.html": {Data: []byte("x")}}, func(string) {
		t.Error("waited for a dead build")
	}); err != nil {
		t.Fatal(err)
	}
	if got := dirEntries(t, filepath.Dir(dest)); strings.Join(got, " ") != "public" {
		// the dead build's staging folder and lock file are gone
		t.Errorf("beside the destination: %v", got)
	}
}

// Watch mode's in-place sync takes the lock too.
func TestSyncWaitsForABuild(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if err := Publish(dest, Tree{"a.html": {Data: []byte("a")}}, nil); err != nil {
		t.Fatal(err)
	}
	build, err := Begin(dest, nil)
	if err != nil {
		t.Fatal(err)
	}
	waited := make(chan bool, 1)
	done := make(chan error, 1)
	go func() {
		_, _, err := Sync(dest, Tree{"b.html": {Data: []byte("b")}}, func(string) { waited <- true })
		done <- err
	}()
	select {
	case <-waited:
	case err := <-done:
		t.Fatalf("Sync ran while a build held the destination (err %v)", err)
	case <-time.After(30 * time.Second):
		t.Fatal("Sync neither waited nor ran")
	}
	build.Abort()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := listFiles(t, dest); got["b.html"] != "b" || got["a.html"] != "" {
		t.Errorf("after the sync: %v", got)
	}
}
