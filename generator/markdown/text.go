package markdown

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// HTMLText returns the text of a rendered body without markup, for search
// indexes, titles and meta descriptions: one line per block, code blocks,
// scripts, styles and footnote marks left out, entities decoded.
//
// Text is derived from the HTML a body keeps anyway rather than stored
// beside it, which would hold a large site's whole text twice for the
// length of the build.
func HTMLText(h string) string {
	var b strings.Builder
	b.Grow(len(h) * 3 / 4)
	newline := func() {
		s := b.String()
		if n := len(s); n > 0 && s[n-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	skipUntil := "" // the closing tag that ends a left-out element
	for i := 0; i < len(h); {
		if h[i] != '<' {
			j := strings.IndexByte(h[i:], '<')
			if j < 0 {
				j = len(h) - i
			}
			if skipUntil == "" {
				writeText(&b, h[i:i+j])
			}
			i += j
			continue
		}
		if strings.HasPrefix(h[i:], "<!--") { // a comment (raw HTML) may hold '>'
			end := strings.Index(h[i+4:], "-->")
			if end < 0 {
				break
			}
			i += 4 + end + 3
			continue
		}
		end := strings.IndexByte(h[i:], '>')
		if end < 0 {
			break // a cut tag: nothing after it is text
		}
		tag := h[i+1 : i+end]
		i += end + 1
		name, closing := tagName(tag)
		if skipUntil != "" {
			if closing && name == skipUntil {
				skipUntil = ""
			}
			continue
		}
		switch {
		case closing && blockTags[name], name == "br", name == "hr":
			newline()
		case !closing && leftOut[name] && !strings.HasSuffix(tag, "/"): // <svg … /> holds nothing
			skipUntil = name
		case !closing && name == "a" && strings.Contains(tag, `class="footnote-`):
			skipUntil = "a" // a footnote's number or its way back
		case !closing && name == "img":
			if alt := attr(tag, "alt"); alt != "" {
				writeText(&b, alt)
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// writeText appends a run of HTML text: entities decoded, line breaks
// (soft breaks of the Markdown) as spaces, and no space at a line's start.
func writeText(b *strings.Builder, run string) {
	if strings.IndexByte(run, '&') >= 0 {
		run = html.UnescapeString(run)
	}
	s := b.String()
	if len(s) == 0 || s[len(s)-1] == '\n' {
		run = strings.TrimLeft(run, " \t\r\n")
	}
	if strings.IndexByte(run, '\n') < 0 {
		b.WriteString(run)
		return
	}
	for _, r := range []byte(run) {
		if r == '\n' {
			r = ' '
		}
		b.WriteByte(r)
	}
}

// tagName returns the lower-case name of a tag's inside ("p class=x",
// "/p") and whether it closes an element.
func tagName(tag string) (string, bool) {
	closing := strings.HasPrefix(tag, "/")
	if closing {
		tag = tag[1:]
	}
	end := strings.IndexAny(tag, " \t\r\n/")
	if end < 0 {
		end = len(tag)
	}
	return strings.ToLower(tag[:end]), closing
}

// attr returns the value of a double-quoted attribute of a tag, decoded.
func attr(tag, name string) string {
	k := strings.Index(tag, " "+name+`="`)
	if k < 0 {
		return ""
	}
	v := tag[k+len(name)+3:]
	if end := strings.IndexByte(v, '"'); end >= 0 {
		v = v[:end]
	}
	return html.UnescapeString(v)
}

// blockTags end a line of text when they close.
var blockTags = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"li": true, "ul": true, "ol": true, "blockquote": true, "div": true, "section": true,
	"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	"dl": true, "dt": true, "dd": true, "figure": true, "figcaption": true,
}

// leftOut elements hold no prose: code, and in sites that allow raw HTML,
// scripts, styles and drawings.
var leftOut = map[string]bool{
	"pre": true, "script": true, "style": true, "svg": true, "template": true, "textarea": true,
}

// Truncate cuts text at a word boundary to at most n runes, adding "…".
// A cut never leaves a quotation open: it moves back before the opening
// mark of a quotation it would cut (« “ ‘), or, when that would leave
// little of the text, closes the quotation after the "…".
func Truncate(s string, n int) string {
	if !utf8.ValidString(s) {
		return truncateRunes(s, n)
	}
	s = spaced(s)
	// The first n runes, without a rune slice of the whole text (a quote's
	// page and its search document truncate it three times a build).
	end, count := len(s), 0
	for i := range s {
		if count == n {
			end = i
			break
		}
		count++
	}
	if end == len(s) {
		return s
	}
	cut := s[:end]
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return EndCut(cut, n/3)
}

// spaced is strings.Join(strings.Fields(s), " "), without a copy when s
// has its words one space apart already (most texts).
func spaced(s string) string {
	prevSpace := true // a leading space is one to drop
	for _, c := range s {
		sp := unicode.IsSpace(c)
		if sp && (prevSpace || c != ' ') {
			return strings.Join(strings.Fields(s), " ")
		}
		prevSpace = sp
	}
	if prevSpace && s != "" { // a trailing space
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

// truncateRunes is Truncate for a text that is not valid UTF-8: its bad
// bytes become U+FFFD, as in a []rune.
func truncateRunes(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return EndCut(cut, n/3)
}

// EndCut ends a text cut short: it adds "…", and never leaves a quotation
// open. It moves back before the opening mark of a quotation the cut is
// in (« “ ‘), when more than keep runes remain before it, or else closes
// the quotation after the "…" (« Un long discours… »).
func EndCut(cut string, keep int) string {
	trim := func(s string) string { return strings.TrimRight(s, " ,;:.\u00A0\u202F") }
	open := openQuotes(cut)
	if len(open) > 0 {
		if before := trim(cut[:open[0]]); utf8.RuneCountInString(before) > keep {
			return before + "…"
		}
	}
	out := trim(cut) + "…"
	for i := len(open) - 1; i >= 0; i-- {
		switch at := cut[open[i]:]; {
		case strings.HasPrefix(at, "«"):
			out += " »"
		case strings.HasPrefix(at, "“"):
			out += "”"
		default:
			out += "’"
		}
	}
	return out
}

var closes = map[rune]rune{'»': '«', '”': '“', '’': '‘'}

// openQuotes returns the byte offsets of the quotation marks (« “ ‘) that
// s opens and does not close, outermost first. A ’ closes a ‘ only: it is
// also the apostrophe.
func openQuotes(s string) []int {
	var open []int
	var marks []rune
	for i, c := range s {
		switch c {
		case '«', '“', '‘':
			open, marks = append(open, i), append(marks, c)
		case '»', '”', '’':
			want := closes[c]
			if k := len(marks) - 1; k >= 0 && marks[k] == want {
				open, marks = open[:k], marks[:k]
			}
		}
	}
	return open
}
