package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one indexable word found by [Tokenize].
type Token struct {
	Term  string // normalized form (see [Normalize]); never empty
	Start int    // byte offset of the first byte of the word in the text
	End   int    // byte offset just past the word
}

// foldTable lists accent and ligature foldings applied after lower-casing,
// as space-separated "target:sources" groups. assets/js/search.js embeds the
// very same literal (checked by TestJSFoldTableIdentical).
const foldTable = "a:àáâãäåāăąǎǟǡǻȁȃȧḁạảấầẩẫậắằẳẵặ ae:æ b:ƀḃḅḇ c:çćĉċčƈȼḉ d:ðďđƌḋḍḏḑḓ dz:ǆǳ e:èéêëēĕėęěǝȅȇȩɇḕḗḙḛḝẹẻẽếềểễệ f:ƒḟ ff:ﬀ ffi:ﬃ ffl:ﬄ fi:ﬁ fl:ﬂ g:ĝğġģǥǧǵɠḡ h:ĥħȟḣḥḧḩḫẖ i:ìíîïĩīĭįıǐȉȋḭḯỉị ij:ĳ j:ĵǰɉ k:ķĸƙǩḱḳḵ l:ĺļľŀłƚḷḹḻḽ lj:ǉ m:ḿṁṃ n:ñńņňŉǹṅṇṉṋ nj:ǌ o:òóôõöøōŏőơǒǫǭȍȏȫȭȯȱṍṏṑṓọỏốồổỗộớờởỡợ oe:œ p:ƥṕṗ r:ŕŗřȑȓɍṙṛṝṟ s:śŝşšſșṡṣṥṧṩẛ ss:ß st:ﬅﬆ t:ţťŧƭțṫṭṯṱẗ th:þ u:ùúûüũūŭůűųưǔǖǘǚǜȕȗʉṳṵṷṹṻụủứừửữự v:ṽṿ w:ŵẁẃẅẇẉẘ x:ẋẍ y:ýÿŷȳɏẏẙỳỵỷỹ z:źżžƶẑẓẕ α:ά β:ϐ ε:έϵ η:ή θ:ϑ ι:ΐίϊ κ:ϰ ο:ό π:ϖ ρ:ϱ σ:ςϲ υ:ΰϋύϒϓϔ φ:ϕ ω:ώ а:ӑӓ г:ѓ е:ѐёӗ ж:ӂӝ з:ӟ и:йѝӣӥ к:ќ о:ӧ у:ўӯӱӳ ч:ӵ ы:ӹ э:ӭ і:ї"

var fold = func() map[rune]string {
	m := make(map[rune]string)
	for _, group := range strings.Fields(foldTable) {
		target, sources, _ := strings.Cut(group, ":")
		for _, r := range sources {
			m[r] = target
		}
	}
	return m
}()

// elisions are the French articles and pronouns dropped before an apostrophe
// at the start of a word: l'accord → accord, qu'il → il.
var elisions = map[string]bool{
	"l": true, "d": true, "j": true, "m": true, "n": true, "s": true, "t": true, "c": true,
	"qu": true, "jusqu": true, "lorsqu": true, "puisqu": true, "quoiqu": true,
}

const softHyphen = '\u00ad'

// isDiacritic reports whether r is a combining diacritical mark, which
// [Normalize] drops (so decomposed "e\u0301" folds like "é").
func isDiacritic(r rune) bool {
	return r >= 0x300 && r <= 0x36f || r >= 0x1ab0 && r <= 0x1aff ||
		r >= 0x1dc0 && r <= 0x1dff || r >= 0x20d0 && r <= 0x20ff || r >= 0xfe20 && r <= 0xfe2f
}

// isApostrophe reports whether r joins the two halves of an elision or
// contraction: ' ’ ‘ ʼ ´.
func isApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019' || r == '\u2018' || r == '\u02bc' || r == '\u00b4'
}

// isHyphen reports whether r joins the parts of a compound word: - ‐ ‑.
// En and em dashes separate words.
func isHyphen(r rune) bool {
	return r == '-' || r == '\u2010' || r == '\u2011'
}

// isWordRune reports whether r belongs to a word: letters, marks and numbers
// (Unicode L, M, N), except the modifier apostrophe ʼ.
func isWordRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return r != '\u02bc' && (unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r))
}

// Normalize lower-cases word and folds accents and ligatures, so that
// "Corée" and "COREE" both become "coree" and "Œuvre" becomes "oeuvre".
// Combining diacritics, soft hyphens and invalid UTF-8 bytes are dropped;
// other characters are kept lower-cased.
func Normalize(word string) string {
	ascii := true
	for i := 0; i < len(word); i++ {
		if c := word[i]; c >= 0x80 || 'A' <= c && c <= 'Z' {
			ascii = false
			break
		}
	}
	if ascii {
		return word
	}
	var b strings.Builder
	b.Grow(len(word))
	for i := 0; i < len(word); {
		r, size := utf8.DecodeRuneInString(word[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			continue
		case r < 0x80:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		case r == '\u0130': // İ: JavaScript lower-cases it to "i" + U+0307.
			b.WriteByte('i')
			continue
		}
		r = unicode.ToLower(r)
		if isDiacritic(r) || r == softHyphen {
			continue
		}
		if f, ok := fold[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Tokenize splits text into normalized words with their byte offsets.
//
// The rules are the same for every language, so that a query typed on an
// English page matches French documents and vice versa; lang is accepted for
// symmetry with [Stem] and currently unused.
//
//   - A word is a run of letters, marks and digits; everything else
//     (spaces, punctuation, « » “ ” — …, symbols, invalid UTF-8) separates
//     words. Soft hyphens inside a word are ignored.
//   - Apostrophes (' ’ ‘ ʼ ´) and hyphens (- ‐ ‑) between two word characters
//     join the parts of a compound. A compound of several parts yields its
//     joined form first ("jong-un" → "jongun") followed by each part
//     ("jong", "un"), so that both spellings find it.
//   - A leading French elision is dropped: "l'accord" → "accord",
//     "d’attaque" → "attaque", "qu'il" → "il".
//   - A trailing English possessive is dropped: "Putin's" → "putin".
//     Other contractions are joined like hyphens: "don't" → "dont", "don", "t".
//
// Tokens are returned in text order (non-decreasing Start); Start < End and
// every term is non-empty.
func Tokenize(text, lang string) []Token {
	_ = lang
	toks := make([]Token, 0, len(text)/7+1) // a word and its space: ~7 bytes in French and English prose
	var parts []span
	var apos []bool
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		parts, apos = parts[:0], apos[:0]
		for {
			start := i
			i = scanWord(text, i)
			parts = append(parts, span{start: start, end: i, term: Normalize(text[start:i])})
			if i >= len(text) {
				break
			}
			r, size := utf8.DecodeRuneInString(text[i:])
			isApos := isApostrophe(r)
			if !isApos && !isHyphen(r) || i+size >= len(text) {
				break
			}
			if next, _ := utf8.DecodeRuneInString(text[i+size:]); !isWordRune(next) {
				break
			}
			apos = append(apos, isApos)
			i += size
		}
		toks = appendCompound(toks, parts, apos)
	}
	return toks
}

type span struct {
	start, end int
	term       string
}

// scanWord returns the end of the run of word runes starting at i, skipping
// soft hyphens that sit between two word runes.
func scanWord(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			i += size
			continue
		}
		if r == softHyphen && i+size < len(text) {
			if next, _ := utf8.DecodeRuneInString(text[i+size:]); isWordRune(next) {
				i += size
				continue
			}
		}
		break
	}
	return i
}

// appendCompound applies the elision, possessive and joining rules to the
// parts of one compound word; apos[i] tells whether parts i and i+1 are
// joined by an apostrophe.
func appendCompound(toks []Token, parts []span, apos []bool) []Token {
	if len(parts) == 1 { // most words: nothing to join or drop
		if p := parts[0]; p.term != "" {
			toks = append(toks, Token{Term: p.term, Start: p.start, End: p.end})
		}
		return toks
	}
	if len(parts) >= 2 && apos[0] && elisions[parts[0].term] {
		parts, apos = parts[1:], apos[1:]
	}
	if n := len(parts); n >= 2 && apos[n-2] && parts[n-1].term == "s" {
		parts = parts[:n-1]
	}
	kept := parts[:0:0]
	for _, p := range parts {
		if p.term != "" {
			kept = append(kept, p)
		}
	}
	if len(kept) >= 2 {
		var b strings.Builder
		for _, p := range kept {
			b.WriteString(p.term)
		}
		toks = append(toks, Token{Term: b.String(), Start: kept[0].start, End: kept[len(kept)-1].end})
	}
	for _, p := range kept {
		toks = append(toks, Token{Term: p.term, Start: p.start, End: p.end})
	}
	return toks
}
