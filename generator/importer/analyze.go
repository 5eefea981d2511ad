package importer

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// token is a word or a punctuation mark of a paragraph.
type token struct {
	s, e  int    // rune range in the paragraph
	w     string // folded text
	cap   bool   // the original starts with an upper-case letter
	punct bool
}

type mentionKind int

const (
	known   mentionKind = iota // a known actor's name or alias
	role                       // a role phrase standing for a known actor
	name                       // a capitalised, person-like name
	pronoun                    // il, elle, he, she…
)

// mention is a possible speaker: tokens [ts, te) of a paragraph.
type mention struct {
	ts, te int
	kind   mentionKind
	slug   string // known and role mentions
	text   string // as written
}

// para is a paragraph prepared for attribution: quotation contents and HTML
// comments are blanked out of fold, so that the words around a quotation
// are analysed without the words inside it.
type para struct {
	orig  []rune
	fold  []rune
	toks  []token
	ments []mention
	owner []int // token → index in ments, or -1
}

func newPara(text string) *para {
	orig := []rune(text)
	fold := make([]rune, len(orig))
	for i, r := range orig {
		fold[i] = foldRune(r)
	}
	blankComments(fold)
	return &para{orig: orig, fold: fold}
}

// blankComments blanks HTML comments (such as CaptionMarker).
func blankComments(fold []rune) {
	for i := 0; i+4 <= len(fold); i++ {
		if !runesAt(fold, i, "<!--") {
			continue
		}
		end := len(fold)
		for j := i + 4; j+3 <= len(fold); j++ {
			if runesAt(fold, j, "-->") {
				end = j + 3
				break
			}
		}
		for k := i; k < end; k++ {
			fold[k] = ' '
		}
		i = end - 1
	}
}

// runesAt reports whether rs holds the ASCII string s at i.
func runesAt(rs []rune, i int, s string) bool {
	for k := 0; k < len(s); k++ {
		if i+k >= len(rs) || rs[i+k] != rune(s[k]) {
			return false
		}
	}
	return true
}

func (p *para) blank(from, to int) {
	for i := max(from, 0); i < to && i < len(p.fold); i++ {
		p.fold[i] = ' '
	}
}

// tokenize splits the folded text into words (letters and digits, with
// inner hyphens) and single punctuation marks.
func (p *para) tokenize() {
	f := p.fold
	for i := 0; i < len(f); {
		r := f[i]
		switch {
		case r == ' ':
			i++
		case isWordRune(r):
			j := i + 1
			for j < len(f) && (isWordRune(f[j]) || f[j] == '-' && j+1 < len(f) && isWordRune(f[j+1])) {
				j++
			}
			p.toks = append(p.toks, token{s: i, e: j, w: string(f[i:j]), cap: unicode.IsUpper(p.orig[i])})
			i = j
		default:
			p.toks = append(p.toks, token{s: i, e: i + 1, w: string(r), punct: true})
			i++
		}
	}
}

// tokenAt returns the index of the first token ending after rune r.
func (p *para) tokenAt(r int) int {
	return sort.Search(len(p.toks), func(i int) bool { return p.toks[i].e > r })
}

func (p *para) text(ts, te int) string {
	if ts >= te {
		return ""
	}
	return strings.TrimSpace(string(p.orig[p.toks[ts].s:p.toks[te-1].e]))
}

func (p *para) word(i int) string {
	if i < 0 || i >= len(p.toks) || p.toks[i].punct {
		return ""
	}
	return p.toks[i].w
}

func (p *para) isPunct(i int, marks string) bool {
	return i >= 0 && i < len(p.toks) && p.toks[i].punct && strings.Contains(marks, p.toks[i].w)
}

// isBoundary reports whether token i ends a sentence.
func (p *para) isBoundary(i int) bool {
	t := p.toks[i]
	if !t.punct || !strings.Contains(".!?;…", t.w) {
		return false
	}
	if t.w == "." && i > 0 {
		prev := p.toks[i-1]
		if !prev.punct && prev.e == t.s && (abbreviations[prev.w] || len([]rune(prev.w)) == 1 && prev.cap) {
			return false
		}
	}
	return true
}

// maxContext bounds, in tokens, the words searched for a speaker on each
// side of a quotation, so that a long run-on paragraph stays linear.
const maxContext = 80

// sentenceStart returns the first token of the sentence holding token i,
// at most maxContext tokens back.
func (p *para) sentenceStart(i int) int {
	for k := i - 1; k >= 0 && k >= i-maxContext; k-- {
		if p.isBoundary(k) {
			return k + 1
		}
	}
	return max(0, i-maxContext)
}

// sentenceEnd returns the boundary token ending the sentence that goes on
// at token i, or the end of the paragraph, at most maxContext tokens on.
func (p *para) sentenceEnd(i int) int {
	for k := i; k < len(p.toks) && k < i+maxContext; k++ {
		if p.isBoundary(k) {
			return k
		}
	}
	return min(len(p.toks), i+maxContext)
}

// actorMatcher finds known actors by name or alias, case- and
// accent-insensitively, the longest name first.
type actorMatcher struct {
	names []actorName
}

type actorName struct {
	key   []rune // folded, hyphens as spaces
	slug  string
	words int
}

func newActorMatcher(actors []KnownActor) *actorMatcher {
	m := &actorMatcher{}
	seen := map[string]bool{}
	for _, a := range actors {
		if a.Slug == "" {
			continue
		}
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			key := foldName(n)
			if key == "" || seen[key+"\x00"+a.Slug] {
				continue
			}
			seen[key+"\x00"+a.Slug] = true
			m.names = append(m.names, actorName{key: []rune(key), slug: a.Slug, words: len(strings.Fields(key))})
		}
	}
	slices.SortFunc(m.names, func(a, b actorName) int {
		return cmp.Or(cmp.Compare(len(b.key), len(a.key)), cmp.Compare(a.slug, b.slug), slices.Compare(a.key, b.key))
	})
	return m
}

// match returns the known actors named in fold (rune ranges), leftmost and
// longest first, without overlaps. A one-word name next to another
// capitalised word is taken for someone else's name ("Kim" in "Kim
// Il-sung"), unless that word is a title or a common word.
func (m *actorMatcher) match(orig, fold []rune) (out []actorSpan) {
	if len(m.names) == 0 {
		return nil
	}
	nf := make([]rune, len(fold))
	for i, r := range fold {
		nf[i] = nameRune(r)
	}
	for i := 0; i < len(nf); i++ {
		if i > 0 && isWordRune(nf[i-1]) || !isWordRune(nf[i]) {
			continue
		}
		for _, n := range m.names {
			end := i + len(n.key)
			if end > len(nf) || nf[i] != n.key[0] || !slices.Equal(nf[i:end], n.key) ||
				end < len(nf) && isWordRune(nf[end]) {
				continue
			}
			if n.words == 1 && (capitalisedNeighbour(orig, fold, end, true) || capitalisedNeighbour(orig, fold, i, false)) {
				break
			}
			out = append(out, actorSpan{i, end, n.slug})
			i = end - 1
			break
		}
	}
	return out
}

type actorSpan struct {
	s, e int
	slug string
}

// capitalisedNeighbour reports whether the word right after rune at (after)
// or right before it (!after), separated by one space, is capitalised and
// neither a common word nor a title.
func capitalisedNeighbour(orig, fold []rune, at int, after bool) bool {
	var s, e int
	if after {
		if at+1 >= len(orig) || orig[at] != ' ' {
			return false
		}
		s = at + 1
		e = s
		for e < len(orig) && (isWordRune(orig[e]) || fold[e] == '-') {
			e++
		}
	} else {
		if at < 2 || orig[at-1] != ' ' {
			return false
		}
		e = at - 1
		s = e
		for s > 0 && (isWordRune(orig[s-1]) || fold[s-1] == '-') {
			s--
		}
	}
	if s == e || !unicode.IsUpper(orig[s]) {
		return false
	}
	w := string(fold[s:e])
	return !stopFR[w] && !stopEN[w] && !roleNouns[w]
}

// findMentions lists the possible speakers of a paragraph: known actors,
// role phrases learnt from the text, capitalised names and pronouns.
func (p *para) findMentions(m *actorMatcher, roles map[string]string) {
	p.ments = p.ments[:0]
	p.owner = make([]int, len(p.toks))
	for i := range p.owner {
		p.owner[i] = -1
	}
	add := func(mt mention) {
		for k := mt.ts; k < mt.te; k++ {
			if p.owner[k] >= 0 {
				return
			}
		}
		mt.text = p.text(mt.ts, mt.te)
		for k := mt.ts; k < mt.te; k++ {
			p.owner[k] = len(p.ments)
		}
		p.ments = append(p.ments, mt)
	}
	for _, a := range m.match(p.orig, p.fold) {
		ts, te := p.tokenAt(a.s), p.tokenAt(a.e-1)+1
		if ts < te && te <= len(p.toks) {
			add(mention{ts: ts, te: te, kind: known, slug: a.slug})
		}
	}
	for i := range p.toks {
		if ts, te, slug := p.roleAt(i, roles); slug != "" {
			add(mention{ts: ts, te: te, kind: role, slug: slug})
		}
	}
	for i := 0; i < len(p.toks); i++ {
		if p.owner[i] >= 0 || !p.isNameWord(i) {
			continue
		}
		te := i + 1
		for te < len(p.toks) && te-i < 4 && p.owner[te] < 0 {
			if p.isNameWord(te) {
				te++
			} else if nameParticles[p.word(te)] && !p.toks[te].cap && p.isNameWord(te+1) && p.owner[te+1] < 0 {
				te += 2
			} else {
				break
			}
		}
		add(mention{ts: i, te: te, kind: name})
		i = te - 1
	}
	for i, t := range p.toks {
		if !t.punct && pronouns[t.w] {
			add(mention{ts: i, te: i + 1, kind: pronoun})
		}
	}
	slices.SortFunc(p.ments, func(a, b mention) int { return cmp.Compare(a.ts, b.ts) })
	for i, mt := range p.ments {
		for k := mt.ts; k < mt.te; k++ {
			p.owner[k] = i
		}
	}
}

// isNameWord: a capitalised word that is not a common word nor a role noun.
func (p *para) isNameWord(i int) bool {
	if i >= len(p.toks) {
		return false
	}
	t := p.toks[i]
	return !t.punct && t.cap && !stopFR[t.w] && !stopEN[t.w] && !roleNouns[t.w] &&
		!unicode.IsDigit([]rune(t.w)[0])
}

// roleAt matches a learnt role phrase starting at token i: a determiner
// then the role words ("le président russe", "the Russian president").
func (p *para) roleAt(i int, roles map[string]string) (int, int, string) {
	if len(roles) == 0 || !determiners[p.word(i)] {
		return 0, 0, ""
	}
	k := i + 1
	if p.word(i) == "l" && p.isPunct(k, "'") {
		k++
	}
	for n := 3; n >= 1; n-- {
		if k+n > len(p.toks) {
			continue
		}
		words := make([]string, 0, n)
		for _, t := range p.toks[k : k+n] {
			if t.punct {
				break
			}
			words = append(words, t.w)
		}
		if len(words) == n {
			if slug := roles[strings.Join(words, " ")]; slug != "" {
				return i, k + n, slug
			}
		}
	}
	return 0, 0, ""
}

// learnRoles finds role phrases in apposition before a known actor ("le
// président russe Vladimir Poutine", "the Russian President Vladimir Putin")
// and maps the role words to the actor. A role seen with two actors is
// dropped.
func learnRoles(paras []*para) map[string]string {
	roles := map[string]string{}
	for _, p := range paras {
		for _, mt := range p.ments {
			if mt.kind != known {
				continue
			}
			var words []string
			for k := mt.ts - 1; k >= 0 && k >= mt.ts-5; k-- {
				t := p.toks[k]
				if t.punct {
					if t.w == "'" && k > 0 && p.word(k-1) == "l" {
						continue
					}
					break
				}
				if p.owner[k] >= 0 && p.ments[p.owner[k]].kind == known {
					break
				}
				if determiners[t.w] {
					if len(words) > 0 && len(words) <= 3 && hasRoleNoun(words) {
						slices.Reverse(words)
						key := strings.Join(words, " ")
						if old, ok := roles[key]; ok && old != mt.slug {
							roles[key] = ""
						} else if !ok {
							roles[key] = mt.slug
						}
					}
					break
				}
				words = append(words, t.w)
			}
		}
	}
	return roles
}

func hasRoleNoun(words []string) bool {
	for _, w := range words {
		if isRoleNoun(w) {
			return true
		}
	}
	return false
}

// isRoleNoun also accepts hyphenated forms: "vice-président".
func isRoleNoun(w string) bool {
	if roleNouns[w] {
		return true
	}
	if i := strings.LastIndexByte(w, '-'); i >= 0 {
		return roleNouns[w[i+1:]]
	}
	return false
}
