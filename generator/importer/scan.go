package importer

// Quotation marks: « … » (French), “ … ” (English and French web), and
// straight " … ". A quotation can hold other quotations of another kind.

// maxHops bounds how many paragraph breaks one quotation may span.
const maxHops = 5

// pos is a rune position in a paragraph.
type pos struct{ p, r int }

// segment is the text of a quotation inside one paragraph: runes [from, to).
type segment struct{ p, from, to int }

// span is one top-level quotation, possibly spread over several paragraphs.
type span struct {
	open  pos       // the opening mark
	close pos       // the closing mark
	segs  []segment // its text, one segment per paragraph
	conts []pos     // marks repeated at the start of continued paragraphs
}

func closerOf(r rune) rune {
	switch r {
	case '«':
		return '»'
	case '“':
		return '”'
	}
	return '"'
}

func isOpener(r rune) bool { return r == '«' || r == '“' || r == '"' }
func isCloser(r rune) bool { return r == '»' || r == '”' || r == '"' }

// scanQuotes finds the top-level quotations of the paragraphs, in order.
// Marks inside a quotation (nested quotations) belong to it. A closing mark
// with no opening one is ignored; an opening mark that is never closed is
// ignored too, and scanning resumes right after it.
func scanQuotes(paras [][]rune) []span {
	var out []span
	p, i := 0, 0
	for p < len(paras) {
		if i >= len(paras[p]) {
			p, i = p+1, 0
			continue
		}
		if !isOpener(paras[p][i]) {
			i++
			continue
		}
		if s, ok := closeQuote(paras, pos{p, i}); ok {
			out = append(out, s)
			p, i = s.close.p, s.close.r+1
		} else {
			i++
		}
	}
	return out
}

// closeQuote looks for the mark that closes the quotation opened at o. A
// quotation may go on in the next paragraph when that paragraph starts with
// a continuation mark (“, «, or » in older French typography) or closes the
// quotation without opening another.
func closeQuote(paras [][]rune, o pos) (span, bool) {
	open := paras[o.p][o.r]
	s := span{open: o}
	stack := []rune{closerOf(open)}
	q, from, j := o.p, o.r+1, o.r+1
	for hops := 0; ; hops++ {
		rs := paras[q]
		for ; j < len(rs); j++ {
			r := rs[j]
			switch top := stack[len(stack)-1]; {
			case r == top:
				stack = stack[:len(stack)-1]
			case isOpener(r):
				stack = append(stack, closerOf(r))
				continue
			case isCloser(r):
				// A closing mark of an outer level closes the levels
				// opened since, which were never closed.
				k := len(stack) - 1
				for k >= 0 && stack[k] != r {
					k--
				}
				if k < 0 {
					continue
				}
				stack = stack[:k]
			default:
				continue
			}
			if len(stack) == 0 {
				s.segs = append(s.segs, segment{q, from, j})
				s.close = pos{q, j}
				return s, true
			}
		}
		// End of paragraph q with the quotation still open.
		stack = stack[:1]
		if q+1 >= len(paras) || hops >= maxHops {
			return span{}, false
		}
		next := paras[q+1]
		k := 0
		for k < len(next) && (next[k] == ' ' || next[k] == '\u00a0' || next[k] == '\n') {
			k++
		}
		switch {
		case k < len(next) && continues(open, next, k):
			s.segs = append(s.segs, segment{q, from, len(rs)})
			s.conts = append(s.conts, pos{q + 1, k})
			from, j = k+1, k+1
		case closesIn(open, next):
			s.segs = append(s.segs, segment{q, from, len(rs)})
			from, j = 0, 0
		default:
			return span{}, false
		}
		q++
	}
}

// continues reports whether next[k] repeats the opening mark, the convention
// for a quotation that runs over several paragraphs.
func continues(open rune, next []rune, k int) bool {
	switch r := next[k]; open {
	case '«':
		return r == '«' || r == '»'
	case '“':
		return r == '“'
	default: // a straight quote continues if another one closes it later
		return r == '"' && count(next[k+1:], '"')%2 == 1
	}
}

// closesIn reports whether paragraph next closes a quotation left open: it
// holds a closing mark that no opening mark of its own matches.
func closesIn(open rune, next []rune) bool {
	if open == '"' {
		return count(next, '"')%2 == 1
	}
	closer, depth := closerOf(open), 0
	for _, r := range next {
		switch r {
		case open:
			depth++
		case closer:
			if depth--; depth < 0 {
				return true
			}
		}
	}
	return false
}

func count(rs []rune, r rune) int {
	n := 0
	for _, x := range rs {
		if x == r {
			n++
		}
	}
	return n
}
