package graph

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Label metrics, in SVG user units. The SVG sets font-size to fontSize so
// that the width estimates below hold whatever the page's font size is.
const (
	fontSize       = 12.0
	centerFontSize = 13.0
	maxLabelWidth  = 160.0 // labels wider than this wrap onto a second line, then are cut with "…"
	lineHeight     = 1.25  // label box height, in em
)

// cleanText makes untrusted text safe to measure and to escape: invalid
// UTF-8 and characters XML forbids become U+FFFD, and runs of white space
// (including line breaks) collapse to one space.
func cleanText(s string) string {
	if clean(s) {
		return s // nothing to replace or collapse
	}
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

// clean reports whether cleanText would return s unchanged: valid UTF-8
// of characters XML allows, whose only white space is single spaces
// between other characters.
func clean(s string) bool {
	space := true // at the start, a space would be leading
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ':
				if space {
					return false
				}
				space = true
			case c < ' ' || c == 0x7F:
				return false // white space or a control character
			default:
				space = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || !xmlChar(r) || unicode.IsSpace(r) {
			return false
		}
		space = false
		i += n
	}
	return !space || s == ""
}

// xmlChar reports whether r may appear in an XML 1.0 document, excluding the
// C0 and C1 control characters that HTML also treats as errors.
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20, r >= 0x7F && r <= 0x9F:
		return false
	case r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= utf8.MaxRune:
		return true
	}
	return false
}

// esc escapes s for use as XML/HTML text or as a double- or single-quoted
// attribute value. Invalid UTF-8 (each run of bad bytes) and characters XML
// forbids become U+FFFD.
func esc(s string) string {
	i := 0
	for i < len(s) && s[i] >= ' ' && s[i] <= '~' && !escaped(s[i]) {
		i++
	}
	if i == len(s) {
		return s // printable ASCII with nothing to escape
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	bad := false // in a run of invalid bytes, replaced once
	for i < len(s) {
		// Copy runs that need nothing as they are.
		j := i
		for j < len(s) && s[j] >= ' ' && s[j] <= '~' && !escaped(s[j]) {
			j++
		}
		if j > i {
			b.WriteString(s[i:j])
			i, bad = j, false
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
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
			default: // other control characters
				b.WriteString("\uFFFD")
			}
			i, bad = i+1, false
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			if !bad {
				b.WriteString("\uFFFD")
			}
			bad = true
		case !xmlChar(r):
			b.WriteString("\uFFFD")
			bad = false
		default:
			b.WriteString(s[i : i+n])
			bad = false
		}
		i += n
	}
	return b.String()
}

// escaped reports whether esc replaces the printable ASCII character c.
func escaped(c byte) bool {
	return c == '&' || c == '<' || c == '>' || c == '"' || c == '\''
}

// runeWidth estimates the advance of r in a proportional sans-serif font,
// in thousandths of an em. It only needs to be roughly right (it leans
// wide): it drives truncation and label collision avoidance, never the text
// rendering itself. Integer units make truncation exact on every platform.
func runeWidth(r rune) int {
	switch {
	case r == ' ':
		return 320
	case strings.ContainsRune("iljI.,;:'!|`", r):
		return 280
	case strings.ContainsRune("frt()[]-/\"", r):
		return 400
	case r == 'm' || r == 'w':
		return 920
	case r == 'M' || r == 'W':
		return 980
	case r == '…':
		return 1000
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == '\u200d':
		return 0
	case unicode.IsUpper(r):
		return 720
	case wide(r):
		return 1000
	}
	return 610
}

// wide reports whether r is usually drawn full-width (CJK, Hangul, kana).
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0xFF00 && r <= 0xFF60)
}

// asciiWidth caches runeWidth for ASCII, which is most of what labels hold.
var asciiWidth = func() (t [utf8.RuneSelf]int) {
	for r := range t {
		t[r] = runeWidth(rune(r))
	}
	return t
}()

// width is runeWidth, from the table for ASCII.
func width(r rune) int {
	if r >= 0 && r < utf8.RuneSelf {
		return asciiWidth[r]
	}
	return runeWidth(r)
}

// emWidth estimates the width of s in thousandths of an em.
func emWidth(s string) int {
	w := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			for _, r := range s[i:] {
				w += width(r)
			}
			return w
		}
		w += asciiWidth[s[i]]
	}
	return w
}

// textWidth estimates the width of s at the given font size.
func textWidth(s string, size float64) float64 {
	return float64(emWidth(s)) * size / 1000
}

// shortLabel returns the cleaned label laid out on at most two lines
// (joined by "\n") of at most maxLabelWidth each, broken at spaces. A label
// too long for two lines keeps its beginning on the first line and its end
// on the second, after "…", so that two long titles that differ only at
// the end ("… (1961)", "… (2000)") still read differently; the full text is
// always in the node's <title>.
func shortLabel(label string, size float64) string {
	s := cleanText(label)
	limit := int(maxLabelWidth * 1000 / size) // in thousandths of an em
	if emWidth(s) <= limit {
		return s
	}
	words := strings.Fields(s)
	// Two lines, if the words fit.
	first := ""
	for i, w := range words {
		next := strings.TrimSpace(first + " " + w)
		if emWidth(next) > limit {
			rest := strings.Join(words[i:], " ")
			if first != "" && emWidth(rest) <= limit {
				return first + "\n" + rest
			}
			break
		}
		first = next
	}
	if first == "" { // one long word
		first = cutEnd(s, limit-runeWidth('…')) + "…"
		return first
	}
	// Head on the first line, "…" and the tail on the second.
	tail := cutStart(s[len(first):], limit-runeWidth('…'))
	return first + "\n…" + tail
}

// cutEnd returns the longest beginning of s within limit thousandths of an
// em, cut at a rune boundary (never inside a combining sequence),
// preferably at a word boundary.
func cutEnd(s string, limit int) string {
	w, cut := 0, 0
	for i, r := range s {
		w += width(r)
		if w > limit {
			break
		}
		cut = i + utf8.RuneLen(r)
	}
	// Do not leave a base character without its combining marks.
	for cut > 0 && cut < len(s) {
		r, _ := utf8.DecodeRuneInString(s[cut:])
		if !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Me, r) && r != '\u200d' {
			break
		}
		_, n := utf8.DecodeLastRuneInString(s[:cut])
		cut -= n
	}
	// Prefer ending at a word boundary if that keeps most of the text.
	if sp := strings.LastIndexByte(s[:cut], ' '); sp > 0 && emWidth(s[:sp])*10 >= limit*6 {
		cut = sp
	}
	return strings.TrimRight(s[:cut], " ,;:-–—")
}

// cutStart returns the longest end of s within limit thousandths of an em,
// starting at a word when that keeps most of it.
func cutStart(s string, limit int) string {
	s = strings.TrimSpace(s)
	if emWidth(s) <= limit {
		return s
	}
	start := len(s)
	w := 0
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:start])
		if w+width(r) > limit {
			break
		}
		w += width(r)
		start -= n
	}
	// Never start on a combining mark.
	for start < len(s) {
		r, n := utf8.DecodeRuneInString(s[start:])
		if !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Me, r) && r != '\u200d' {
			break
		}
		start += n
	}
	if sp := strings.IndexByte(s[start:], ' '); sp >= 0 && emWidth(s[start+sp+1:])*10 >= limit*3 {
		start += sp + 1
	}
	return strings.TrimLeft(s[start:], " ,;:-–—")
}

// labelSize returns the width of a label's widest line and its number of
// lines.
func labelSize(text string, size float64) (w float64, lines int) {
	for line := range strings.SplitSeq(text, "\n") {
		w = max(w, textWidth(line, size))
		lines++
	}
	return w, lines
}

// safeURL returns u without the characters browsers ignore in URLs, or ""
// when it uses a scheme other than http, https or mailto (javascript:, data:
// and the like), in which case the node is drawn without a link.
func safeURL(u string) string {
	u = strings.ToValidUTF8(u, "")
	u = strings.Map(func(r rune) rune {
		if r <= 0x20 || (r >= 0x7F && r <= 0x9F) || !xmlChar(r) {
			// Leading/trailing controls and spaces are stripped by
			// browsers and tabs/newlines removed anywhere; dropping them
			// all makes the scheme check below see what a browser sees.
			if r == ' ' {
				return r
			}
			return -1
		}
		return r
	}, u)
	u = strings.TrimSpace(u)
	u = strings.ReplaceAll(u, " ", "%20")
	if i := strings.IndexByte(u, ':'); i >= 0 && validScheme(u[:i]) {
		switch strings.ToLower(u[:i]) {
		case "http", "https", "mailto":
		default:
			return ""
		}
	}
	return u
}

// validScheme reports whether s is syntactically a URL scheme, i.e. whether
// a browser would read "s:" as one rather than as part of a relative path.
func validScheme(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return true
}

// classToken reduces s to a safe CSS class suffix: lower-case letters,
// digits and hyphens. It returns "other" when nothing is left.
func classToken(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "other"
	}
	return b.String()
}

// idToken reduces a caller-given ID prefix to characters that are safe in
// an XML ID and in the space-separated aria-labelledby list.
func idToken(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s)
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		s = "g" + s
	}
	return s
}
