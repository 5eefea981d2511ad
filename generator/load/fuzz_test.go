package load

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dossier-ssg/dossier/generator/diag"
)

// Seed corpora: testdata/fuzz/FuzzValidSlug and testdata/fuzz/FuzzNormalize.
// Run one longer with: go test -fuzz=FuzzNormalize -fuzztime=10m ./generator/load

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// FuzzValidSlug: ValidSlug accepts exactly ^[a-z0-9]+(-[a-z0-9]+)*$ up to
// 100 bytes, and its advice to use lower case is only given when the
// lower-case form would be accepted.
func FuzzValidSlug(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		msg := ValidSlug(s)
		want := len(s) <= 100 && slugRE.MatchString(s)
		if (msg == "") != want {
			t.Fatalf("ValidSlug(%q) = %q, want valid=%v", s, msg, want)
		}
		if lower, ok := strings.CutPrefix(msg, "use lower case ("); ok {
			suggested := strings.TrimSuffix(lower, ")")
			if len(suggested) < 2 || ValidSlug(suggested[1:len(suggested)-1]) != "" {
				t.Fatalf("ValidSlug(%q) suggests an invalid slug: %s", s, msg)
			}
		}
		if msg != "" && !utf8.ValidString(msg) {
			t.Fatalf("message is not UTF-8: %q", msg)
		}
	})
}

// FuzzNormalize: Normalize either returns valid UTF-8 text without BOM or
// CR, with the same lines as the input, or an invalid-UTF-8 diagnostic that
// points at the first bad byte.
func FuzzNormalize(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "content/actors/x.md"
		in := append([]byte(nil), data...)
		out, err := Normalize(data, file)
		if !bytes.Equal(in, data) {
			t.Fatal("Normalize modified its input")
		}
		body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if err != nil {
			d, ok := err.(diag.Diagnostic)
			if !ok {
				t.Fatalf("error %T is not a diagnostic: %v", err, err)
			}
			if utf8.Valid(body) {
				t.Fatalf("valid UTF-8 refused: %v", err)
			}
			// The position names the first invalid byte of the text as
			// the curator's editor shows it (CRLF or CR ending a line).
			unified := bytes.ReplaceAll(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
			lines := bytes.Split(unified, []byte("\n"))
			p := d.Pos
			if p.File != file || p.Line < 1 || p.Line > len(lines) || p.Col < 1 || p.Col > len(lines[p.Line-1]) {
				t.Fatalf("position %s outside the text %q", p, data)
			}
			off := p.Col - 1
			for _, l := range lines[:p.Line-1] {
				off += len(l) + 1
			}
			if r, size := utf8.DecodeRune(unified[off:]); !utf8.Valid(unified[:off]) || r != utf8.RuneError || size != 1 {
				t.Fatalf("position %s is not the first invalid byte of %q", p, data)
			}
			return
		}
		if out == nil {
			t.Fatal("nil text for valid input")
		}
		if !utf8.Valid(out) || bytes.IndexByte(out, '\r') >= 0 {
			t.Fatalf("output %q holds invalid UTF-8 or a CR", out)
		}
		if bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) != bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) {
			t.Fatalf("more than one BOM stripped, or none: %q → %q", data, out)
		}
		// Same text once line endings are unified.
		want := bytes.ReplaceAll(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
		if !bytes.Equal(out, want) {
			t.Fatalf("Normalize(%q) = %q, want %q", data, out, want)
		}
		again, err := Normalize(out, file)
		if err != nil || (!bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) && !bytes.Equal(again, out)) {
			t.Fatalf("Normalize is not idempotent on %q: %q, %v", out, again, err)
		}
	})
}
