package importer

import (
	"strings"
	"unicode"
)

// latinFold maps accented Latin letters (already lower-cased) to their base
// letter. It is one rune to one rune, so that folded text keeps the rune
// offsets of the original.
var latinFold = func() map[rune]rune {
	groups := []string{
		"aàáâãäåāăą", "cçćĉċč", "dďđ", "eèéêëēĕėęě", "gĝğġģ", "hĥħ",
		"iìíîïĩīĭįı", "jĵ", "kķ", "lĺļľŀł", "nñńņň", "oòóôõöøōŏő",
		"rŕŗř", "sśŝşšș", "tţťŧț", "uùúûüũūŭůűų", "wŵ", "yýÿŷ", "zźżž",
	}
	m := map[rune]rune{}
	for _, g := range groups {
		rs := []rune(g)
		for _, r := range rs[1:] {
			m[r] = rs[0]
		}
	}
	return m
}()

// foldRune lower-cases r, removes Latin diacritics and unifies apostrophes,
// hyphens and spaces, always returning exactly one rune.
func foldRune(r rune) rune {
	switch r {
	case '\u2019', '\u2018', '\u02bc', '\u00b4', '`':
		return '\''
	case '\u2010', '\u2011':
		return '-'
	}
	if unicode.IsSpace(r) {
		return ' '
	}
	r = unicode.ToLower(r)
	if r < 0x80 {
		return r
	}
	if b, ok := latinFold[r]; ok {
		return b
	}
	return r
}

// foldName folds every rune of s and collapses runs of spaces; hyphens
// become spaces so that "Kim Jong-un" and "Kim Jong Un" compare equal.
func foldName(s string) string {
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = nameRune(foldRune(r))
	}
	return strings.Join(strings.Fields(string(rs)), " ")
}

// nameRune is the rune used when matching names: hyphens count as spaces.
func nameRune(r rune) rune {
	if r == '-' {
		return ' '
	}
	return r
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// set builds a lookup set from space-separated words.
func set(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words {
		for _, f := range strings.Fields(w) {
			m[f] = true
		}
	}
	return m
}
