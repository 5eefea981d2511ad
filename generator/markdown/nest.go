package markdown

import (
	"bytes"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// French quotation marks nest: « … “ … ‘ … ’ … ” … ». The typographer
// turns every straight double quote into « », so a quotation inside a
// quotation comes out « … « … » … »; NestQuotes puts each level in its
// marks. Level 0 keeps « », level 1 is “ ”, deeper levels ‘ ’.

// openers and closers of each level after the first.
var (
	nestOpen  = [...]string{"“", "‘"}
	nestClose = [...]string{"”", "’"}
)

// quoteNester follows the quotation depth of a text, across calls (a
// quotation may hold a link: « <a>…</a> »).
type quoteNester struct {
	open []int // for each open quotation, its level (0: « », 1: “ ”, 2: ‘ ’)
}

// level of the next quotation opened.
func (q *quoteNester) level() int { return min(len(q.open), len(nestOpen)) }

// appendText appends the text s to dst with its nested guillemets replaced,
// and the spaces inside a replaced pair dropped (“mot”, not “ mot ”).
func (q *quoteNester) appendText(dst []byte, s []byte) []byte {
	for len(s) > 0 {
		i := bytes.IndexByte(s, 0xC2)
		if i < 0 {
			return append(dst, s...)
		}
		if i+1 >= len(s) || s[i+1] != 0xAB && s[i+1] != 0xBB {
			dst = append(dst, s[:i+1]...)
			s = s[i+1:]
			continue
		}
		dst = append(dst, s[:i]...)
		if s[i+1] == 0xAB { // «
			lv := q.level()
			q.open = append(q.open, lv)
			s = s[i+2:]
			if lv == 0 {
				dst = append(dst, "«"...)
				continue
			}
			dst = append(dst, nestOpen[lv-1]...)
			for len(s) > 0 && spaceLen(s) > 0 {
				s = s[spaceLen(s):]
			}
			continue
		}
		// »
		s = s[i+2:]
		if len(q.open) == 0 {
			dst = append(dst, "»"...)
			continue
		}
		lv := q.open[len(q.open)-1]
		q.open = q.open[:len(q.open)-1]
		if lv == 0 {
			dst = append(dst, "»"...)
			continue
		}
		for len(dst) > 0 && lastSpaceLen(dst) > 0 {
			dst = dst[:len(dst)-lastSpaceLen(dst)]
		}
		dst = append(dst, nestClose[lv-1]...)
	}
	return dst
}

// NestQuotes replaces the guillemets of quotations inside quotations in
// the text of an HTML fragment (a rendered French body), leaving tags,
// <pre>, <code>, <script> and <style> alone. It returns html itself when
// there is nothing to nest.
func NestQuotes(html []byte) []byte {
	if bytes.Count(html, []byte("«")) < 2 {
		return html
	}
	var q quoteNester
	out := make([]byte, 0, len(html)+16)
	verbatim := 0
	for len(html) > 0 {
		lt := bytes.IndexByte(html, '<')
		if lt < 0 {
			lt = len(html)
		}
		if verbatim == 0 {
			out = q.appendText(out, html[:lt])
		} else {
			out = append(out, html[:lt]...)
		}
		html = html[lt:]
		if len(html) == 0 {
			break
		}
		end := indexTagEnd(html)
		if end < 0 {
			return append(out, html...)
		}
		t := html[1 : end+1]
		if verbatim == 0 && mayOpenVerbatim(t) {
			verbatim = tagKind(t, false)
		} else if verbatim != 0 && t[0] == '/' && tagKind(t[1:], true) == verbatim {
			verbatim = 0
		}
		out = append(out, html[:end+1]...)
		html = html[end+1:]
	}
	return out
}

// NestQuotesText is NestQuotes for plain text, inside depth quotations
// already open: a text shown between « » (a quote's title) has its own
// quotations in “ ”.
func NestQuotesText(s string, depth int) string {
	if !strings.Contains(s, "«") {
		return s
	}
	q := quoteNester{open: make([]int, depth)}
	for i := range q.open {
		q.open[i] = min(i, len(nestOpen))
	}
	return string(q.appendText(nil, []byte(s)))
}

// FrenchText applies French typography to a plain text (a title, a meta
// description, a feed entry, a search document): quotations nested in « »
// take “ ”, and the spaces before ; ! ? : » and after « are the no-break
// spaces FrenchSpacing puts in pages.
//
// A text it leaves as it was (most of them: a URL, a date, a name) is
// returned without a copy: a French build sets every page's title,
// description and JSON-LD strings in French typography, and copied each.
func FrenchText(s string) string {
	s = NestQuotesText(s, 0)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	// appendFrench only reads its source: the string's bytes, not a copy.
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	if indexStop(b) == len(b) {
		return s // no punctuation, guillemet or tag: nothing to change
	}
	var scratch [256]byte
	out := appendFrench(scratch[:0], b)
	if string(out) == s {
		return s
	}
	return string(out)
}
