package buildcache

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"slices"
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

// section is a Section over bytes, which may claim a length it does not write.
type section struct {
	data  []byte
	claim int
}

func (s section) Len() int { return s.claim }
func (s section) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(s.data)
	return int64(n), err
}

// TestSectionsSaveAsBytes: parts saved from Sections (a spill file, the
// search analyses written in place) make the same file as the same bytes
// held in the State, and a Section that writes less than it said fails
// the save rather than leaving a cache that decodes wrong.
func TestSectionsSaveAsBytes(t *testing.T) {
	parsed, search := bytes.Repeat([]byte("parse "), 20000), bytes.Repeat([]byte("search "), 30000)
	held := sample()
	held.Parsed, held.Search = parsed, search
	from := sample()
	from.ParsedFrom, from.SearchFrom = section{parsed, len(parsed)}, section{search, len(search)}
	if want, got := encoded(t, 42, held), encoded(t, 42, from); !bytes.Equal(got, want) {
		t.Fatalf("saved from sections: %d bytes, differ from the %d saved from bytes", len(got), len(want))
	}

	dir := t.TempDir()
	if err := Save(dir, 42, from); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir, 42)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Parsed, parsed) || !bytes.Equal(got.Search, search) {
		t.Error("the sections did not load back as saved")
	}

	short := sample()
	short.SearchFrom = section{search[:100], len(search)}
	if err := Save(t.TempDir(), 42, short); err == nil {
		t.Error("a section that wrote less than its length was saved")
	}
}

// bodies is a BodySource of a map.
type bodies map[uint64]string

func (m bodies) Keys() []uint64 { return slices.Sorted(maps.Keys(m)) }
func (m bodies) Body(k uint64) ([]byte, error) {
	if m[k] == "fail" {
		return nil, errors.New("cannot read it back")
	}
	return []byte(m[k]), nil
}

// TestBodiesSaveAsBytes: bodies saved one at a time from a BodySource (a
// spill file) make the same file as the same bodies held in a map, and a
// body that cannot be read back fails the save.
func TestBodiesSaveAsBytes(t *testing.T) {
	held := sample()
	from := sample()
	from.BodiesFrom, from.Bodies = bodies(held.Bodies), nil
	if want, got := encoded(t, 42, held), encoded(t, 42, from); !bytes.Equal(got, want) {
		t.Fatalf("saved from a body source: %d bytes, differ from the %d saved from a map", len(got), len(want))
	}
	from.BodiesFrom = bodies{1: "<p>a</p>", 2: "fail"}
	if err := Save(t.TempDir(), 42, from); err == nil {
		t.Error("a body that could not be read back was saved")
	}
}

// TestLoadKeeping: with keep, every body is handed over as read, none is
// held in the State; the rest loads as Load does. A cache damaged anywhere
// fails the load (its bodies are then not to be used).
func TestLoadKeeping(t *testing.T) {
	dir := t.TempDir()
	want := sample()
	if err := Save(dir, 42, want); err != nil {
		t.Fatal(err)
	}
	kept := map[uint64]string{}
	got, err := LoadKeeping(dir, 42, func(k uint64, html []byte) error {
		kept[k] = string(html)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Bodies != nil || !maps.Equal(kept, want.Bodies) {
		t.Errorf("bodies held %v, handed over %v; want none held, %v handed over", got.Bodies, kept, want.Bodies)
	}
	if got.Token != want.Token || !maps.Equal(got.Pages, want.Pages) || !slices.Equal(got.Files, want.Files) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	stop := errors.New("stop")
	if _, err := LoadKeeping(dir, 42, func(uint64, []byte) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("keep's error: got %v", err)
	}
	data := encoded(t, 42, want)
	for n := range len(data) {
		bad := bytes.Clone(data)
		bad[n] ^= 0x20
		if _, err := decodeFrom(bytes.NewReader(bad), int64(len(bad)), 42, func(uint64, []byte) error { return nil }); err == nil {
			t.Fatalf("byte %d flipped: accepted", n)
		}
	}
}
