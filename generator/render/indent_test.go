package render

import (
	"bytes"
	"os"
	"testing"
)

func TestTrimIndent(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"indented list", "<ul>\n  <li>a</li>\n\t\t<li>b</li>\n</ul>\n", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"},
		{"spaces inside a line stay", "<p>a  b</p>\n   <p>c</p>", "<p>a  b</p>\n<p>c</p>"},
		{"pre keeps its indentation", "<div>\n  <pre><code>x\n    y\n</code></pre>\n  </div>", "<div>\n<pre><code>x\n    y\n</code></pre>\n</div>"},
		{"PRE in capitals too", "<PRE>\n  a\n</PRE>\n  b", "<PRE>\n  a\n</PRE>\nb"},
		{"textarea", "<textarea>\n  a</textarea>", "<textarea>\n  a</textarea>"},
		{"script", "<script>\n  const a = `\n  x`;\n</script>\n  <p>", "<script>\n  const a = `\n  x`;\n</script>\n<p>"},
		{"style", "<style>\n  p { color: red }\n</style>", "<style>\n  p { color: red }\n</style>"},
		{"attribute values", "<img alt=\"a\n   b\" title='c\n  d'>\n  x", "<img alt=\"a\n   b\" title='c\n  d'>\nx"},
		{"a '>' in a value does not end the tag", "<a title=\"x > y\n  z\">\n  t</a>", "<a title=\"x > y\n  z\">\nt</a>"},
		{"comment", "<!-- a\n   <pre> -->\n  b", "<!-- a\n   <pre> -->\nb"},
		{"a text '<' is text", "a < b\n   c", "a < b\nc"},
		{"preformatted is not pre", "<prefix>\n  a", "<prefix>\na"},
		{"unclosed pre", "<pre>\n  a", "<pre>\n  a"},
		{"unclosed tag", "<a href=\"x\n  y", "<a href=\"x\n  y"},
		{"unclosed comment", "<!-- \n  x", "<!-- \n  x"},
		{"blank lines", "<main>\n\n  \r\n<p>a</p>\n\n", "<main>\n<p>a</p>\n"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(TrimIndent([]byte(tc.in))); got != tc.want {
				t.Errorf("TrimIndent(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzTrimIndent: only white space is ever dropped, never more than
// were there, and a second pass changes nothing.
func FuzzTrimIndent(f *testing.F) {
	for _, s := range []string{"<ul>\n  <li>a</li>\n</ul>", "<pre>\n  x</pre>\n  y", "<a b=\"\n  \">\n c", "<!--\n -->\n d", "<script>\n x</SCRIPT>\n y"} {
		f.Add([]byte(s))
	}
	blanks := func(b []byte) []byte {
		return bytes.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		orig := bytes.Clone(in)
		out := TrimIndent(in)
		if len(out) > len(orig) {
			t.Fatalf("longer: %q → %q", orig, out)
		}
		if !bytes.Equal(blanks(out), blanks(orig)) {
			t.Fatalf("dropped more than white space: %q → %q", orig, out)
		}
		again := TrimIndent(bytes.Clone(out))
		if !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %q → %q → %q", orig, out, again)
		}
	})
}

func BenchmarkTrimIndent(b *testing.B) {
	page, err := os.ReadFile("../testdata/golden/dossiers/russie-coree-du-nord-pacte-2024/index.html")
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, len(page))
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		copy(buf, page)
		TrimIndent(buf)
	}
}
