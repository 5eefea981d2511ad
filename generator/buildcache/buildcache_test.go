package buildcache

import (
	"bytes"
	"maps"
	"testing"
)

func sample() *State {
	return &State{Token: "abc", Pages: map[string]uint64{"index.html": 1, "actors/a/index.html": 1 << 62},
		Files: []string{"feed.xml", "search/0.json"}, Sums: []uint64{Sum([]byte("feed")), 0}, Bodies: map[uint64]string{7: "<p>x</p>\n", 9: ""}}
}

func encoded(t testing.TB, key uint64, s *State) []byte {
	var b bytes.Buffer
	if err := encode(&b, key, s); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := sample()
	if err := Save(dir, 42, want); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir, 42)
	if err != nil {
		t.Fatal(err)
	}
	if got.Token != want.Token || !maps.Equal(got.Pages, want.Pages) || !maps.Equal(got.Bodies, want.Bodies) ||
		len(got.Files) != 2 || got.Files[1] != "search/0.json" {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, err := Load(dir, 43); err == nil {
		t.Error("a cache made under another key was loaded")
	}
	Remove(dir)
	if _, err := Load(dir, 42); err == nil {
		t.Error("a removed cache was loaded")
	}
}

// TestDamageIsRefused: every truncation and every flipped byte is refused.
func TestDamageIsRefused(t *testing.T) {
	data := encoded(t, 42, sample())
	for n := range len(data) {
		if _, err := decode(data[:n], 42); err == nil {
			t.Fatalf("truncated to %d bytes: accepted", n)
		}
		bad := bytes.Clone(data)
		bad[n] ^= 0x20
		if _, err := decode(bad, 42); err == nil {
			t.Fatalf("byte %d flipped: accepted", n)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(encoded(f, 1, sample()))
	f.Add([]byte("dossier build cache\x00\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := decode(data, 1)
		if err != nil {
			return
		}
		// What decodes encodes to the same bytes.
		if again := encoded(t, 1, s); !bytes.Equal(again, data) {
			t.Errorf("decode then encode changed the bytes")
		}
	})
}

// TestStands: a file stands when the last build wrote it with the same
// bytes, never when its sum was not known or it was not written.
func TestStands(t *testing.T) {
	dir := t.TempDir()
	if err := Save(dir, 1, sample()); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		data string
		want bool
	}{
		{"feed.xml", "feed", true},
		{"feed.xml", "feed!", false},
		{"search/0.json", "", false}, // sum not known
		{"other.xml", "feed", false},
		{"index.html", "feed", false}, // a page: its signature says
	} {
		if got := s.Stands(tc.path, Sum([]byte(tc.data))); got != tc.want {
			t.Errorf("Stands(%s, %q) = %v, want %v", tc.path, tc.data, got, tc.want)
		}
	}
}
