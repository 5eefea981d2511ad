package serve

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// interfaceIP returns an address of one of the machine's interfaces that is
// not loopback, or "" if it has none.
func interfaceIP(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Logf("interface addresses: %v", err)
		return ""
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	return ""
}

type hostCase struct {
	host string
	want bool
}

// Whatever the bind address, only this machine's names and addresses and
// the allowed hosts are accepted: binding 0.0.0.0 no longer turns the
// DNS-rebinding protection off.
func TestHostAllowList(t *testing.T) {
	extra := []string{"Preview.Example.ORG", ".team.example", "[fd00::5]:8080", "laptop.lan."}
	ifIP := interfaceIP(t)
	hostname, _ := os.Hostname()
	hostname = strings.ToLower(hostname)
	for _, bind := range []string{"0.0.0.0", "127.0.0.1"} {
		hosts, suffixes, err := allowList(bind, extra)
		if err != nil {
			t.Fatal(err)
		}
		s := &Server{loopback: bind == "127.0.0.1", hosts: hosts, suffixes: suffixes}
		tests := []hostCase{
			// Attackers' names, also ones resolving to loopback.
			{"attacker.example", false},
			{"attacker.example:1313", false},
			{"ATTACKER.example:1313", false},
			{"evil.example", false},
			{"127.0.0.1.nip.io:1313", false},
			{"localhost.evil.example", false},
			{"attacker.localhost.evil:1313", false},
			{"localhost-evil.example", false},
			{"", false},
			{":1313", false},
			{"[]:1313", false},
			// Not the interfaces' addresses.
			{"203.0.113.9", false},
			{"[2001:db8::9]:1313", false},
			// Loopback names and addresses.
			{"localhost", true},
			{"localhost:1313", true},
			{"LocalHost.:1313", true},
			{"site.localhost:1313", true},
			{"a.b.localhost", true},
			{"127.0.0.1", true},
			{"127.0.0.1:1313", true},
			{"127.1.2.3:1313", true},
			{"[::1]:1313", true},
			{"[::1]", true},
			{"::1", true},
			{"[0:0:0:0:0:0:0:1]:1313", true},
			{"[::ffff:127.0.0.1]:1313", true},
			// The allowed hosts: exact, case-insensitive, any port.
			{"preview.example.org", true},
			{"PREVIEW.EXAMPLE.ORG:1313", true},
			{"preview.example.org.:80", true},
			{"other.example.org", false},
			{"example.org", false},
			{"xpreview.example.org", false},
			{"team.example", true},
			{"Team.Example:1313", true},
			{"a.team.example", true},
			{"a.b.team.example:1313", true},
			{"ateam.example", false},
			{"team.example.evil", false},
			{"[fd00::5]:1313", true},
			{"[FD00:0::5]", true},
			{"[fd00::6]:1313", false},
			{"laptop.lan:1313", true},
			// The bind address.
			{bind, true},
			{net.JoinHostPort(bind, "1313"), true},
		}
		if ifIP != "" {
			tests = append(tests,
				hostCase{ifIP, true},
				hostCase{net.JoinHostPort(ifIP, "1313"), true})
			if a := netip.MustParseAddr(ifIP); a.Is6() {
				tests = append(tests, hostCase{"[" + strings.ToUpper(ifIP) + "]:1313", true})
			}
		} else {
			t.Log("no interface address besides loopback: not checked")
		}
		if hostname != "" && hostChars(hostname) {
			tests = append(tests,
				hostCase{hostname + ":1313", true},
				hostCase{strings.ToUpper(hostname) + ".local:1313", true},
				hostCase{hostname + ".evil.example", false})
		}
		for _, tt := range tests {
			if got := s.hostAllowed(tt.host); got != tt.want {
				t.Errorf("bound to %s: hostAllowed(%q) = %v, want %v", bind, tt.host, got, tt.want)
			}
		}
	}
}

func TestCheckAllowedHost(t *testing.T) {
	for name, want := range map[string]string{
		"example.org":          "",
		"Example.ORG:8080":     "",
		".example.org":         "",
		"192.168.1.20":         "",
		"[fd00::5]":            "",
		"my_host.lan.":         "",
		"":                     "empty",
		"  ":                   "empty",
		"*":                    "every name",
		".":                    "every name",
		"*.example.org":        "write .example.org",
		"http://example.org/":  "not a URL",
		"example.org/path":     "not a URL",
		"user@example.org":     "not a URL",
		"exa mple.org":         "not a host name",
		"ex\"ample.org":        "not a host name",
		"bücher.example":       "not a host name",
		"example.org:notaport": "not a host name",
		"a:b:c":                "not a host name",
		"..example.org":        "not a host name",
	} {
		err := CheckAllowedHost(name)
		switch {
		case want == "" && err != nil:
			t.Errorf("CheckAllowedHost(%q): %v", name, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("CheckAllowedHost(%q) = %v, want an error saying %q", name, err, want)
		}
	}
	// New refuses a bad entry before listening.
	if _, err := newServer(Config{AllowedHosts: []string{"ok.example", "*"}}, &fakeBuild{}); err == nil {
		t.Error("New accepted the allowed host *")
	}
}

// syncBuffer is a log that the server writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A server bound to all interfaces (reached here on 127.0.0.1 only) still
// refuses a foreign Host header, says how to allow it, and answers the
// names it was told to allow.
func TestHostCheckAllInterfaces(t *testing.T) {
	var log syncBuffer
	s, err := newServer(Config{Bind: "0.0.0.0",
		AllowedHosts: []string{"preview.example.org", ".team.example"}, Log: &log}, &fakeBuild{tree: siteTree(cssV1, "")})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("server did not stop within 10s")
		}
	}()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port()))
	port := strconv.Itoa(s.Port())

	resp, body := raw(t, addr, "GET", "/", "evil.example:"+port)
	if resp.StatusCode != 403 {
		t.Fatalf("Host evil.example on a server bound to 0.0.0.0: %d, want 403", resp.StatusCode)
	}
	if strings.Contains(body, "<h1>Home") {
		t.Error("page served to a foreign Host")
	}
	if !strings.Contains(body, "--allowed-host evil.example") {
		t.Errorf("403 body does not say how to allow the name: %q", body)
	}
	if resp, _ := raw(t, addr, "GET", eventsPath, "evil.example:"+port); resp.StatusCode != 403 {
		t.Errorf("event stream for a foreign Host: %d", resp.StatusCode)
	}
	// A name that cannot be shown as a flag value is not echoed as one.
	if resp, body := raw(t, addr, "GET", "/", "<b>x</b>"); resp.StatusCode != 400 && (resp.StatusCode != 403 || strings.Contains(body, "--allowed-host <")) {
		t.Errorf("Host with markup: %d %q", resp.StatusCode, body)
	}
	for _, host := range []string{addr, "localhost:" + port, "preview.example.org:" + port, "a.team.example:" + port} {
		if resp, body := raw(t, addr, "GET", "/", host); resp.StatusCode != 200 || !strings.Contains(body, "<h1>Home") {
			t.Errorf("Host %q: %d", host, resp.StatusCode)
		}
	}
	if !strings.Contains(log.String(), `refused a request for Host "evil.example:`+port+`"`) ||
		!strings.Contains(log.String(), "--allowed-host evil.example") {
		t.Errorf("refusal not logged with the way to allow it:\n%s", log.String())
	}
	if n := strings.Count(log.String(), "refused a request for Host"); n != 1 {
		t.Errorf("the refusal of one name logged %d times:\n%s", n, log.String())
	}
}
