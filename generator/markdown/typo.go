package markdown

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Narrow and ordinary no-break spaces of French typography.
const (
	nnbsp = "\u202F"
	nbsp  = "\u00A0"
)

// FrenchSpacing applies French spacing to the text of an HTML page: a narrow
// no-break space before ; ! ? and inside « », a no-break space before :. It
// only replaces a space the writer typed (or adds one inside guillemets and
// after a word before ; ! ?), never touches tags, attributes, <pre>, <code>,
// <script> or <style>, and so leaves URLs and times like 12:30 alone.
//
// It never modifies page, and returns page itself when nothing changes.
func FrenchSpacing(page []byte) []byte {
	return frenchSpacing(page, false)
}

// FrenchSpacingInPlace is FrenchSpacing for a page the caller owns and drops:
// like append, it may rewrite page's storage, growing into its spare
// capacity, so only the result may be used afterwards. It saves a second copy
// of every page.
func FrenchSpacingInPlace(page []byte) []byte {
	return frenchSpacing(page, true)
}

// frenchEdit replaces page[start:end], a text run, by scratch[from:to].
type frenchEdit struct{ start, end, from, to int }

// frenchScratch collects the rewritten text runs of one page, so the result
// is assembled once at its exact size (or in place).
type frenchScratch struct {
	buf   []byte
	edits []frenchEdit
}

var frenchPool = sync.Pool{New: func() any { return new(frenchScratch) }}

func frenchSpacing(page []byte, inPlace bool) []byte {
	sc := frenchPool.Get().(*frenchScratch)
	sc.buf, sc.edits = sc.buf[:0], sc.edits[:0]
	sc.scan(page)
	out := page
	if len(sc.edits) > 0 {
		out = sc.apply(page, inPlace)
	}
	if cap(sc.buf) <= 1<<20 {
		frenchPool.Put(sc)
	}
	return out
}

// textStop marks the bytes the text scans stop at: the start of a tag, the
// punctuation, & (of &raquo;, or a character reference whose ";" is not
// punctuation) and 0xC2, the lead byte of « and ».
var textStop = [256]bool{'<': true, ';': true, '!': true, '?': true, ':': true, '&': true, 0xC2: true}

// Eight bytes at a time: a set bit marks the first byte of a word that is
// zero (bits above it may be set spuriously).
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

func zeroBytes(v uint64) uint64 { return (v - ones) &^ v & highs }

// indexTagEnd returns the index of the first ">" of p, or -1. Most tags
// are short: test eight bytes at a time before calling IndexByte.
func indexTagEnd(p []byte) int {
	i := 0
	for ; i+8 <= len(p) && i < 64; i += 8 {
		if m := zeroBytes(binary.LittleEndian.Uint64(p[i:]) ^ ('>' * ones)); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	if j := bytes.IndexByte(p[i:], '>'); j >= 0 {
		return i + j
	}
	return -1
}

// indexStop returns the index of the first textStop byte of p, or len(p).
// It tests eight bytes at a time for 0x38-0x3F (: ; < ? and a few
// others), !, & and 0xC2, and looks closer only at words that have one.
func indexStop(p []byte) int {
	i := 0
	for ; i+8 <= len(p); i += 8 {
		v := binary.LittleEndian.Uint64(p[i:])
		if zeroBytes(v&(0xF8*ones)^(0x38*ones))|zeroBytes(v^('!'*ones))|zeroBytes(v^('&'*ones))|zeroBytes(v^(0xC2*ones)) == 0 {
			continue
		}
		for j := i; j < i+8; j++ {
			if textStop[p[j]] {
				return j
			}
		}
	}
	for ; i < len(p); i++ {
		if textStop[p[i]] {
			return i
		}
	}
	return len(p)
}

// scan finds the text runs to rewrite (those outside verbatim elements that
// hold ; ! ? : « » or &raquo;) and records their new text.
func (sc *frenchScratch) scan(page []byte) {
	verbatim := 0 // kind of the open verbatim element, see tagKind
	i := 0
	for i < len(page) {
		if page[i] == '<' {
			end := indexTagEnd(page[i:])
			if end < 0 {
				return // an unclosed tag: the rest is left as is
			}
			t := page[i+1 : i+end+1] // the tag after "<", through ">"
			i += end + 1
			// Only an opening tag can start a verbatim element, and only its
			// closing tag end it.
			if verbatim == 0 {
				if mayOpenVerbatim(t) {
					verbatim = tagKind(t, false)
				}
			} else if t[0] == '/' && tagKind(t[1:], true) == verbatim {
				verbatim = 0
			}
			continue
		}
		if verbatim != 0 {
			next := bytes.IndexByte(page[i:], '<')
			if next < 0 {
				return
			}
			i += next
			continue
		}
		start := i
		trigger := false
		for {
			i += indexStop(page[i:])
			if i == len(page) || page[i] == '<' {
				break
			}
			if c := page[i]; c == '&' && !bytes.HasPrefix(page[i:], []byte("&raquo;")) ||
				c == 0xC2 && (i+1 == len(page) || page[i+1] != 0xAB && page[i+1] != 0xBB) {
				i++
				continue
			}
			trigger = true
			break
		}
		if !trigger {
			continue
		}
		end := len(page)
		if n := bytes.IndexByte(page[i:], '<'); n >= 0 {
			end = i + n
		}
		sc.text(page, start, end)
		i = end
	}
}

// text rewrites the text run page[start:end] into the scratch buffer and
// records an edit if the run changes.
func (sc *frenchScratch) text(page []byte, start, end int) {
	s := page[start:end]
	if !utf8.Valid(s) {
		// Runs used to be rewritten rune by rune, so invalid bytes come out
		// as U+FFFD; keep that.
		s = []byte(string([]rune(string(s))))
	}
	from := len(sc.buf)
	sc.buf = appendFrench(sc.buf, s)
	if bytes.Equal(sc.buf[from:], page[start:end]) {
		sc.buf = sc.buf[:from]
		return
	}
	sc.edits = append(sc.edits, frenchEdit{start, end, from, len(sc.buf)})
}

// apply builds the page with the edits made: in place, moving the untouched
// spans right to left, when allowed and when no edit shrinks the page
// before a later one; otherwise in one buffer of the exact size.
func (sc *frenchScratch) apply(page []byte, inPlace bool) []byte {
	shift, minShift := 0, 0
	for _, e := range sc.edits {
		shift += (e.to - e.from) - (e.end - e.start)
		minShift = min(minShift, shift)
	}
	size := len(page) + shift
	if inPlace && minShift >= 0 && size <= cap(page) {
		out := page[:size]
		tail := len(page) // end of the untouched span after edit i
		for i := len(sc.edits) - 1; i >= 0; i-- {
			e := sc.edits[i]
			copy(out[e.end+shift:], page[e.end:tail])
			shift -= (e.to - e.from) - (e.end - e.start)
			copy(out[e.start+shift:], sc.buf[e.from:e.to])
			tail = e.start
		}
		return out
	}
	out := make([]byte, 0, size)
	last := 0
	for _, e := range sc.edits {
		out = append(out, page[last:e.start]...)
		out = append(out, sc.buf[e.from:e.to]...)
		last = e.end
	}
	return append(out, page[last:]...)
}

// mayOpenVerbatim reports whether the tag t (after "<", through ">") may
// name a verbatim element, from its first two bytes: pr, co, sc, st, kb, sa
// or te in either case, or a non-ASCII byte, which lower-cases by Unicode
// rules.
func mayOpenVerbatim(t []byte) bool {
	if len(t) < 3 {
		return false // the shortest verbatim names have three bytes
	}
	if t[0] >= utf8.RuneSelf || t[1] >= utf8.RuneSelf {
		return true
	}
	// c|0x20 is a lower-case letter only when c is a letter.
	switch uint16(t[0]|0x20)<<8 | uint16(t[1]|0x20) {
	case 'p'<<8 | 'r', 'c'<<8 | 'o', 's'<<8 | 'c', 's'<<8 | 't', 'k'<<8 | 'b', 's'<<8 | 'a', 't'<<8 | 'e':
		return true
	}
	return false
}

// verbatimWords are the names of the elements whose text is left alone,
// packed by nameWord; an element's kind is its index + 1.
var verbatimWords = func() (w [7]uint64) {
	for k, name := range []string{"pre", "code", "script", "style", "kbd", "samp", "textarea"} {
		w[k] = nameWord([]byte(name))
	}
	return w
}()

// nameWord packs a name of up to 8 bytes into a word, ASCII letters
// lower-cased: c|0x20 is a lower-case letter only when c is a letter.
func nameWord(name []byte) uint64 {
	var w uint64
	for i, c := range name {
		w |= uint64(c|0x20) << (8 * i)
	}
	return w
}

// tagKind returns the kind of verbatim element named by the tag t (the
// bytes after "<" or "</", through ">"), or 0 for any other name.
func tagKind(t []byte, closing bool) int {
	ascii := true
	n := 0
	for ; ; n++ {
		c := t[n]
		if c == ' ' || c == '\t' || c == '\n' || c == '>' || c == '/' && !closing {
			break
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	name := t[:n]
	if !ascii {
		// Lower-case as Unicode does (the Kelvin sign is a k): rare enough
		// to allocate.
		name = bytes.ToLower(name)
	}
	if len(name) < 3 || len(name) > 8 {
		return 0
	}
	w := nameWord(name)
	for k, v := range verbatimWords {
		if w == v {
			return k + 1
		}
	}
	return 0
}

// appendFrench appends the text run s (valid UTF-8) to dst with French
// spacing. Spaces before punctuation are looked for in what it wrote, never
// before dst's original end.
func appendFrench(dst, s []byte) []byte {
	base := len(dst)
	last := 0 // s[last:k] is still to copy
	k := 0
	for {
		k += indexStop(s[k:]) // a text run has no "<"
		if k == len(s) {
			break
		}
		c := s[k]
		w := 1
		switch c {
		case '&':
			if n := entityLen(s[k:]); n > 0 {
				k += n // copy a character reference (&#160; &laquo;) whole
			} else {
				k++
			}
			continue
		case 0xC2:
			if k+1 == len(s) || s[k+1] != 0xAB && s[k+1] != 0xBB {
				k++
				continue
			}
			if s[k+1] == 0xAB { // «: replace the spaces after it
				dst = append(dst, s[last:k+2]...)
				k += 2
				for k < len(s) {
					n := spaceLen(s[k:])
					if n == 0 {
						break
					}
					k += n
				}
				// Space the guillemet even at the end of a run: the quoted
				// words may start inside a tag (« <a>Accord</a> »).
				dst = append(dst, nnbsp...)
				last = k
				continue
			}
			w = 2 // »
		}
		// ; ! ? : »: drop spaces already written, then write the right one.
		dst = append(dst, s[last:k]...)
		last = k
		j := len(dst)
		for j > base {
			n := lastSpaceLen(dst[base:j])
			if n == 0 {
				break
			}
			j -= n
		}
		hadSpace := j < len(dst)
		// At the start of a text run the word before sits in a tag
		// (<a>…</a> »): replace a typed space, and always space a ». Add a
		// space before ; ! ? only after a word, and before : never.
		if hadSpace || c == 0xC2 || j > base && c != ':' && followsWord(dst[base:j], s[k+1:]) {
			dst = dst[:j]
			if c == ':' {
				dst = append(dst, nbsp...)
			} else {
				dst = append(dst, nnbsp...)
			}
		}
		k += w
	}
	return append(dst, s[last:]...)
}

// spaceLen returns the length of the space a writer may have typed at the
// start of b (space, tab, newline, no-break or narrow no-break space), or 0.
func spaceLen(b []byte) int {
	switch {
	case b[0] == ' ' || b[0] == '\t' || b[0] == '\n':
		return 1
	case b[0] == 0xC2 && len(b) >= 2 && b[1] == 0xA0:
		return 2
	case b[0] == 0xE2 && len(b) >= 3 && b[1] == 0x80 && b[2] == 0xAF:
		return 3
	}
	return 0
}

// lastSpaceLen is spaceLen for the end of b, which is valid UTF-8.
func lastSpaceLen(b []byte) int {
	n := len(b)
	switch c := b[n-1]; {
	case c == ' ' || c == '\t' || c == '\n':
		return 1
	case c == 0xA0 && n >= 2 && b[n-2] == 0xC2:
		return 2
	case c == 0xAF && n >= 3 && b[n-3] == 0xE2 && b[n-2] == 0x80:
		return 3
	}
	return 0
}

// followsWord reports whether ; ! ? between before and after closes a word
// and is followed by a space or the end, so "Hein!" gets its space but
// "?q=1" does not.
func followsWord(before, after []byte) bool {
	prev, _ := utf8.DecodeLastRune(before)
	if !(unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '»' || prev == ')') {
		return false
	}
	if len(after) == 0 {
		return true
	}
	next, _ := utf8.DecodeRune(after)
	return next == ' ' || next == '\u00A0' || next == '\u202F' || next == '\t' || next == '\n' ||
		next == '!' || next == '?' || next == ')' || next == '»'
}

// entityLen returns the length of the character reference at the start of s
// ("&#160;", "&#x21a9;", "&amp;"), or 0.
func entityLen(s []byte) int {
	for i := 1; i < len(s) && i < 12; i++ {
		c := s[i]
		switch {
		case c == ';':
			if i > 1 {
				return i + 1
			}
			return 0
		case c == '#' && i == 1, c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return 0
		}
	}
	return 0
}
