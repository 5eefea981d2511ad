//go:build unix

package safefile

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A named pipe with no writer blocks open(2) forever; Open must refuse it
// at once. If it blocked, this test would hang until go test's timeout.
func TestOpenRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.md")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no mkfifo here:", err)
	}
	sock := filepath.Join(dir, "s.md")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	link := filepath.Join(dir, "link.md")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{fifo, "a named pipe"},
		{link, "a named pipe"},
		{sock, ""}, // open(2) of a socket fails by itself (ENXIO)
		{dir, "a folder"},
	} {
		_, err := ReadFile(tc.path, 0)
		if err == nil {
			t.Errorf("%s: read, want refused", tc.path)
			continue
		}
		var nr *NotRegularError
		if tc.want != "" && (!errors.As(err, &nr) || Describe(nr.Mode) != tc.want) {
			t.Errorf("%s: %v, want %s", tc.path, err, tc.want)
		}
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.md")
	if err := os.WriteFile(p, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadFile(p, 0); err != nil || string(data) != "hello" {
		t.Fatalf("ReadFile = %q, %v", data, err)
	}
	if data, err := ReadFile(p, 5); err != nil || string(data) != "hello" {
		t.Fatalf("ReadFile at the limit = %q, %v", data, err)
	}
	var tl *TooLargeError
	if _, err := ReadFile(p, 4); !errors.As(err, &tl) || tl.Size != 5 {
		t.Fatalf("ReadFile over the limit = %v", err)
	}
	empty := filepath.Join(dir, "empty.md")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadFile(empty, 0); err != nil || len(data) != 0 {
		t.Fatalf("empty file = %q, %v", data, err)
	}
}
