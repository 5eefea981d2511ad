package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while a process writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestWatchChurn runs the real `dossier watch` while hundreds of random
// creates, edits, renames, deletes and editor-style atomic saves hit the
// site, then checks that public/ ends up equal to a clean build of the final
// content.
func TestWatchChurn(t *testing.T) {
	if testing.Short() {
		t.Skip("churn test: skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "dossier")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := writeSite(t, goodSite)
	var out syncBuffer
	cmd := exec.Command(bin, "watch", "--source", dir)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() }()
	waitFor(t, 20*time.Second, func() bool { return strings.Contains(out.String(), "Watching") }, "watch to start", &out)

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 7))
	dossierFile := func(n int) string {
		return filepath.Join(dir, "content", "dossiers", fmt.Sprintf("c%d", n), "index.md")
	}
	body := func(n int) string {
		return fmt.Sprintf("---\ntitle: \"Churn %d\"\ndate: 2024-0%d-1%d\nactors: [kim-jong-un]\ntags: [t%d]\n---\nText %d about [[Putin]].\n",
			n, 1+r.IntN(9), r.IntN(10), r.IntN(3), r.IntN(1000))
	}
	for op := 0; op < 300; op++ {
		n := r.IntN(12)
		p := dossierFile(n)
		switch r.IntN(6) {
		case 0, 1: // create or edit in place
			_ = os.MkdirAll(filepath.Dir(p), 0o755)
			_ = os.WriteFile(p, []byte(body(n)), 0o644)
		case 2: // atomic save: write a temp file, rename it over
			if _, err := os.Stat(filepath.Dir(p)); err == nil {
				tmp := p + ".tmp"
				_ = os.WriteFile(tmp, []byte(body(n)), 0o644)
				_ = os.Rename(tmp, p)
			}
		case 3: // vim: backup~, 4913 probe, write, remove backup
			if data, err := os.ReadFile(p); err == nil {
				d := filepath.Dir(p)
				_ = os.WriteFile(filepath.Join(d, "4913"), nil, 0o644)
				_ = os.Remove(filepath.Join(d, "4913"))
				_ = os.WriteFile(p+"~", data, 0o644)
				_ = os.WriteFile(p, []byte(body(n)), 0o644)
				_ = os.Remove(p + "~")
			}
		case 4: // rename the dossier folder
			to := filepath.Dir(dossierFile(12 + r.IntN(12)))
			if _, err := os.Stat(to); os.IsNotExist(err) {
				_ = os.Rename(filepath.Dir(p), to)
			}
		case 5: // delete
			_ = os.RemoveAll(filepath.Dir(p))
		}
		if r.IntN(4) == 0 {
			time.Sleep(time.Duration(r.IntN(20)) * time.Millisecond)
		}
	}
	want := filepath.Join(t.TempDir(), "want")
	if code, _, errOut := runCLI("build", "--source", dir, "--dest", want); code != 0 {
		t.Fatalf("final content does not build: %s", errOut)
	}
	wantFiles := snapshot(t, want)
	same := func() bool {
		got, err := trySnapshot(filepath.Join(dir, "public"))
		if err != nil || len(got) != len(wantFiles) { // a file may vanish mid-walk while watch writes
			return false
		}
		for name, data := range wantFiles {
			if got[name] != data {
				return false
			}
		}
		return true
	}
	waitFor(t, 30*time.Second, same, "public/ to equal a clean build", &out)
	_ = cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Error("watch did not stop on Ctrl-C")
	}
	if !strings.Contains(out.String(), "Stopped.") {
		t.Errorf("no clean stop:\n%s", tail(out.String()))
	}
}

func waitFor(t *testing.T, limit time.Duration, cond func() bool, what string, out *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; watch output:\n%s", what, tail(out.String()))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func tail(s string) string {
	lines := strings.Split(s, "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return strings.Join(lines, "\n")
}

// trySnapshot reads every file under dir, failing (rather than stopping the
// test) when one vanishes during the walk.
func trySnapshot(dir string) (map[string]string, error) {
	files := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[rel] = string(data)
		return nil
	})
	return files, err
}
