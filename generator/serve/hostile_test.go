package serve

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
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
// headers (slowloris): the server closes them after its header timeout, and
// their goroutines go away.
func TestSlowClientIsDropped(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the 5 s header timeout")
	}
	ts, _, _ := fakeServer(t)
	if resp, _ := raw(t, ts.addr, "GET", "/", ts.addr); resp.StatusCode != http.StatusOK {
		t.Fatal("server not up")
	}
	time.Sleep(50 * time.Millisecond)
	base := runtime.NumGoroutine()
	const n = 50
	conns := make([]net.Conn, 0, n)
	for range n {
		conn, err := net.DialTimeout("tcp", ts.addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: "+ts.addr+"\r\nX-Slow: ")
		conns = append(conns, conn)
	}
	for i, conn := range conns {
		_ = conn.SetReadDeadline(time.Now().Add(15 * time.Second))
		start := time.Now()
		_, err := io.ReadAll(conn) // returns when the server hangs up
		if err != nil {
			t.Fatalf("slow client %d: the server kept the connection open (%v after %v)", i, err, time.Since(start))
		}
		conn.Close()
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after slow clients were dropped (base %d)", runtime.NumGoroutine(), base)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if resp, _ := raw(t, ts.addr, "GET", "/", ts.addr); resp.StatusCode != http.StatusOK {
		t.Error("server no longer serves after slow clients")
	}
}
