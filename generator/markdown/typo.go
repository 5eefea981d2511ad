package markdown

import (
	"bytes"
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
func FrenchSpacing(page []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(page) + len(page)/50)
	skipUntil := "" // closing tag that ends a verbatim element
	i := 0
	for i < len(page) {
		if page[i] == '<' {
			end := bytes.IndexByte(page[i:], '>')
			if end < 0 {
				out.Write(page[i:])
				break
			}
			tag := page[i : i+end+1]
			out.Write(tag)
			i += end + 1
			name := tagName(tag)
			if skipUntil == "" {
				switch name {
				case "pre", "code", "script", "style", "kbd", "samp", "textarea":
					skipUntil = "/" + name
				}
			} else if name == skipUntil {
				skipUntil = ""
			}
			continue
		}
		next := bytes.IndexByte(page[i:], '<')
		if next < 0 {
			next = len(page) - i
		}
		chunk := page[i : i+next]
		if skipUntil == "" {
			out.Write(frenchText(chunk))
		} else {
			out.Write(chunk)
		}
		i += next
	}
	return out.Bytes()
}

func tagName(tag []byte) string {
	t := bytes.TrimPrefix(tag, []byte("<"))
	end := bytes.IndexAny(t, " \t\n>/")
	if len(t) > 0 && t[0] == '/' {
		rest := t[1:]
		e := bytes.IndexAny(rest, " \t\n>")
		if e < 0 {
			e = len(rest)
		}
		return "/" + string(bytes.ToLower(rest[:e]))
	}
	if end < 0 {
		end = len(t)
	}
	return string(bytes.ToLower(t[:end]))
}

// isSpace reports spaces a writer may have typed before punctuation.
func isSpace(r rune) bool {
	return r == ' ' || r == '\u00A0' || r == '\u202F' || r == '\t' || r == '\n'
}

func frenchText(s []byte) []byte {
	if !bytes.ContainsAny(s, ":;!?«»") && !bytes.Contains(s, []byte("&raquo;")) {
		return s
	}
	var out bytes.Buffer
	runes := []rune(string(s))
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		if r == '&' {
			// Copy a character reference (&#160; &laquo;) whole: its ";"
			// is not punctuation.
			if n := entityLen(runes[i:]); n > 0 {
				out.WriteString(string(runes[i : i+n]))
				i += n - 1
				continue
			}
		}
		switch r {
		case ';', '!', '?', ':', '»':
			// Drop spaces already written, then write the right one, but only
			// when the punctuation follows text (not at the start of a chunk).
			j := out.Len()
			b := out.Bytes()
			for j > 0 {
				pr, size := utf8.DecodeLastRune(b[:j])
				if !isSpace(pr) {
					break
				}
				j -= size
			}
			hadSpace := j < out.Len()
			prevRune, _ := utf8.DecodeLastRune(b[:j])
			// At the start of a text run the word before sits in a tag
			// (<a>…</a> »): replace a typed space, and always space a ».
			if (j == 0 && !hadSpace && r != '»') || (j > 0 && r != '»' && !hadSpace && !followsWord(prevRune, runes, i)) {
				out.WriteRune(r)
				continue
			}
			if r == ':' && !hadSpace {
				out.WriteRune(r)
				continue
			}
			out.Truncate(j)
			if r == ':' {
				out.WriteString(nbsp)
			} else {
				out.WriteString(nnbsp)
			}
			out.WriteRune(r)
		case '«':
			out.WriteRune(r)
			k := i + 1
			for k < len(runes) && isSpace(runes[k]) {
				k++
			}
			// Space the guillemet even at the end of a run: the quoted
			// words may start inside a tag (« <a>Accord</a> »).
			out.WriteString(nnbsp)
			i = k - 1
		default:
			out.WriteRune(r)
		}
	}
	return out.Bytes()
}

// followsWord reports whether ; ! ? at runes[i] closes a word and is followed
// by a space or the end, so "Hein!" gets its space but "?q=1" does not.
func followsWord(prev rune, runes []rune, i int) bool {
	if !(unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '»' || prev == ')') {
		return false
	}
	if i+1 == len(runes) {
		return true
	}
	next := runes[i+1]
	return isSpace(next) || next == '!' || next == '?' || next == ')' || next == '»'
}

// entityLen returns the length of the character reference at the start of
// runes ("&#160;", "&#x21a9;", "&amp;"), or 0.
func entityLen(runes []rune) int {
	for i := 1; i < len(runes) && i < 12; i++ {
		r := runes[i]
		switch {
		case r == ';':
			if i > 1 {
				return i + 1
			}
			return 0
		case r == '#' && i == 1, r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		default:
			return 0
		}
	}
	return 0
}
