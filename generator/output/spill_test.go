package output

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestSpillStoresAndReadsBack(t *testing.T) {
	dir := t.TempDir()
	s, err := NewSpill(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pages := [][]byte{[]byte("<p>one</p>"), bytes.Repeat([]byte("deux "), 10000), []byte("x")}
	var stored []*Stored
	for _, p := range pages {
		st, err := s.Store(p)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, st)
	}
	for i, st := range stored {
		got, err := st.Bytes()
		if err != nil || !bytes.Equal(got, pages[i]) {
			t.Fatalf("stored %d: got %q, %v", i, got, err)
		}
		read, err := io.ReadAll(st.Reader())
		if err != nil || !bytes.Equal(read, pages[i]) {
			t.Fatalf("reader %d: got %q, %v", i, read, err)
		}
		if st.Len() != len(pages[i]) || !st.Holds(pages[i]) {
			t.Fatalf("stored %d does not hold its bytes", i)
		}
		if got, err := (File{Stored: st}).Bytes(); err != nil || !bytes.Equal(got, pages[i]) {
			t.Fatalf("File.Bytes %d: got %q, %v", i, got, err)
		}
	}
	if stored[0].Holds([]byte("<p>One</p>")) || stored[0].Same(stored[2]) {
		t.Fatal("different bytes are taken for the same")
	}
	again, err := s.Store(pages[1])
	if err != nil {
		t.Fatal(err)
	}
	if !again.Same(stored[1]) || !stored[1].Same(stored[1]) {
		t.Fatal("the same bytes stored twice are not the same")
	}
	if want := int64(len(pages[0]) + 2*len(pages[1]) + len(pages[2])); s.Size() != want {
		t.Fatalf("size %d, want %d", s.Size(), want)
	}
}

// The spill leaves nothing in its folder, even before it is closed (where
// the system lets an open file be removed), and nothing can be read once
// it is closed.
func TestSpillLeavesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache") // made by NewSpill
	s, err := NewSpill(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Store([]byte("page"))
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if runtime.GOOS != "windows" && len(entries) != 0 {
		t.Fatalf("the spill file is visible in its folder: %v", entries)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Bytes(); !errors.Is(err, ErrSpillClosed) {
		t.Fatalf("read after Close: %v, want ErrSpillClosed", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the spill file is left after Close: %v", entries)
	}
}

// A tree whose files are in a spill is written out like one in memory.
func TestPublishStoredFiles(t *testing.T) {
	s, err := NewSpill(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := s.Store([]byte("<!doctype html><title>x</title>"))
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	tree := Tree{"index.html": {Stored: st}, "a.txt": {Data: []byte("a")}}
	if err := Publish(dest, tree, nil); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dest, "index.html"))
	if err != nil || string(got) != "<!doctype html><title>x</title>" {
		t.Fatalf("index.html: %q, %v", got, err)
	}
	if w, _, err := Sync(dest, tree, nil); err != nil || w != 0 {
		t.Fatalf("Sync of the same tree wrote %d files (%v), want none", w, err)
	}
}

// TestSpillStoresFrom: what a writer writes is stored as Store stores its
// bytes, between other stored files, with the same sum (Holds).
func TestSpillStoresFrom(t *testing.T) {
	s, err := NewSpill(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before, err := s.Store([]byte("before"))
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("analyses "), 20000)
	st, err := s.StoreFrom(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	after, err := s.Store([]byte("after"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		st   *Stored
		want []byte
	}{{before, []byte("before")}, {st, data}, {after, []byte("after")}} {
		got, err := c.st.Bytes()
		if err != nil || !bytes.Equal(got, c.want) || !c.st.Holds(c.want) {
			t.Errorf("stored %d bytes read back as %d (%v), want them as written", len(c.want), len(got), err)
		}
	}
}
