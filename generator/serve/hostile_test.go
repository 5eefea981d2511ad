package serve

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// TestHugeHeadersAndURLs sends what no browser sends: the server answers
// with an error status and keeps serving.
func TestHugeHeadersAndURLs(t *testing.T) {
	ts, _, _ := fakeServer(t)
	conn, err := net.DialTimeout("tcp", ts.addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	big := strings.Repeat("a", 64<<10)
	_, _ = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: "+ts.addr+"\r\nX-Big: "+big+"\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a 64 KB header: %v", err)
	}
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KB header: status %d, want 431", resp.StatusCode)
	}
	for _, target := range []string{"/" + strings.Repeat("x", 20<<10), "/" + strings.Repeat("%2e%2e/", 2000) + "etc/passwd"} {
		resp, _ := raw(t, ts.addr, "GET", target, ts.addr)
		if resp.StatusCode == http.StatusOK {
			t.Errorf("GET %s…: status 200", target[:20])
		}
	}
	if resp, _ := raw(t, ts.addr, "GET", "/", ts.addr); resp.StatusCode != http.StatusOK {
		t.Errorf("server no longer serves after hostile requests: %d", resp.StatusCode)
	}
}

// TestSlowClientIsDropped opens connections that never finish their
// headers (slowloris): the server closes them when its 5 s header timeout
// is over, not before, and their goroutines go away. On the fake clock of a
// synctest bubble, so the test takes no time and counts goroutines once
// they are all blocked.
func TestSlowClientIsDropped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const headerTimeout = 5 * time.Second // docs/serve.md
		fb := &fakeBuild{tree: siteTree(cssV1, "")}
		ts := startPipeServer(t, fb, Config{}, nil)
		if resp, _ := ts.get(t, "/"); resp.StatusCode != http.StatusOK {
			t.Fatal("server not up")
		}
		synctest.Wait()
		base := len(bubbleGoroutines(t))
		const n = 50
		conns := make([]net.Conn, 0, n)
		for range n {
			conn := ts.dial(t)
			if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: "+pipeHost+"\r\nX-Slow: "); err != nil {
				t.Fatal(err)
			}
			conns = append(conns, conn)
		}
		// open reports whether the server still holds conn open.
		open := func(conn net.Conn) bool {
			_ = conn.SetReadDeadline(time.Now()) // nothing to wait for: the server is blocked
			_, err := conn.Read(make([]byte, 1))
			var ne net.Error
			return errors.As(err, &ne) && ne.Timeout()
		}
		advance(headerTimeout - time.Nanosecond)
		for i, conn := range conns {
			if !open(conn) {
				t.Fatalf("slow client %d dropped before the header timeout", i)
			}
		}
		advance(time.Nanosecond)
		for i, conn := range conns {
			if open(conn) {
				t.Fatalf("slow client %d: the server kept the connection open after %s", i, headerTimeout)
			}
			conn.Close()
		}
		synctest.Wait()
		if left := bubbleGoroutines(t); len(left) > base {
			t.Fatalf("%d goroutines after slow clients were dropped (base %d)\n%s", len(left), base, strings.Join(left, "\n\n"))
		}
		if resp, _ := ts.get(t, "/"); resp.StatusCode != http.StatusOK {
			t.Error("server no longer serves after slow clients")
		}
	})
}
