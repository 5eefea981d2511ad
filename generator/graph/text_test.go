package graph

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
)

// The straightforward versions of esc, cleanText and emWidth, which the
// fast paths must match byte for byte.

func escRef(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&#39;")
		case '\t':
			b.WriteString("&#9;")
		case '\n':
			b.WriteString("&#10;")
		case '\r':
			b.WriteString("&#13;")
		default:
			if !xmlChar(r) {
				r = '\uFFFD'
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

func cleanTextRef(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if !xmlChar(r) {
			return '\uFFFD'
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func emWidthRef(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

// TestTextFastPaths compares esc, cleanText and emWidth with their
// reference versions on hostile and random strings.
func TestTextFastPaths(t *testing.T) {
	inputs := []string{
		"", " ", "  ", "a", " a", "a ", "a  b", "a b", "Kim Jong-un", "AT&T <x> \"q\" 'a'",
		"tab\there", "line\nbreak", "cr\rx", "\x00nul", "del\x7f", "\u0085next line", "\u00a0nbsp",
		"a\u2028b", "\u3000ideographic", "Côte d’Ivoire", "北朝鮮", "\uFFFD", "\uFFFE", "\U0001F600",
		"bad\xffbyte", "\xff\xfe\xfdrun", "\xff\uFFFD\xff", "e\u0301", "\xed\xa0\x80surrogate",
		"\xc0\xafoverlong", "trail\xe2\x82", "\u0080\u009fC1", "end ", " start",
	}
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", "Z", " ", "  ", "&", "<", ">", "\"", "'", "\t", "\n", "\r", "\x01", "\x7f",
		"é", "’", "北", "\u00a0", "\u2003", "\u0085", "\uFFFD", "\uFFFF", "\xff", "\xe2\x82", "\U0001F600", "\u0301"}
	for range 5000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		inputs = append(inputs, b.String())
	}
	for _, s := range inputs {
		if got, want := esc(s), escRef(s); got != want {
			t.Errorf("esc(%q) = %q, want %q", s, got, want)
		}
		if got, want := cleanText(s), cleanTextRef(s); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", s, got, want)
		}
		if got, want := emWidth(s), emWidthRef(s); got != want {
			t.Errorf("emWidth(%q) = %d, want %d", s, got, want)
		}
	}
}

// Long labels wrap onto two lines, then keep their beginning and their
// end: titles that differ only at the end stay different, every line fits.
func TestShortLabel(t *testing.T) {
	limit := maxLabelWidth
	for _, tc := range []struct{ in, want string }{
		{"Kim Jong-un", "Kim Jong-un"},
		{"Democratic People's Republic of Korea", "Democratic People's\nRepublic of Korea"},
		{"Traité d’amitié, de coopération et d’assistance mutuelle entre l’URSS et la RPDC (1961)",
			"Traité d’amitié, de\n…et la RPDC (1961)"},
		{"Traité d’amitié, de bon voisinage et de coopération (2000)", "Traité d’amitié, de bon\n…de coopération (2000)"},
		{strings.Repeat("x", 80), strings.Repeat("x", 20) + "…"},
	} {
		got := shortLabel(tc.in, fontSize)
		if got != tc.want {
			t.Errorf("shortLabel(%q) = %q, want %q", tc.in, got, tc.want)
		}
		for line := range strings.SplitSeq(got, "\n") {
			if w := textWidth(line, fontSize); w > limit+0.01 {
				t.Errorf("shortLabel(%q): line %q is %.1f wide, over %.0f", tc.in, line, w, limit)
			}
		}
	}
	// Titles alike but for their end (or middle) never read the same.
	a := shortLabel("Traité d’amitié, de coopération et d’assistance mutuelle entre l’URSS et la RPDC (1961)", fontSize)
	b := shortLabel("Traité d’amitié, de coopération et d’assistance mutuelle entre la Russie et la RPDC (2000)", fontSize)
	if a == b {
		t.Errorf("two titles read the same: %q", a)
	}
}
