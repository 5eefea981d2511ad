package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// minStem is the minimum length, in runes, of a stem: a suffix is only
// removed if at least minStem runes remain.
const minStem = 3

// A suffixRule removes the last strip bytes of a term ending in end, unless
// the term ends in one of not.
type suffixRule struct {
	end   string
	strip int
	not   []string
}

var (
	frPlural   = []suffixRule{{end: "aux", strip: 2}, {end: "s", strip: 1, not: []string{"ss"}}, {end: "x", strip: 1}}
	frSuffix   = []suffixRule{{end: "ement", strip: 5}, {end: "ation", strip: 5}, {end: "tion", strip: 4}, {end: "euse", strip: 2}}
	frEnding   = []suffixRule{{end: "er", strip: 2}, {end: "eu", strip: 2}, {end: "al", strip: 1}}
	enPlural   = []suffixRule{{end: "ies", strip: 3}, {end: "sses", strip: 2}, {end: "xes", strip: 2}, {end: "ches", strip: 2}, {end: "shes", strip: 2}, {end: "zes", strip: 2}, {end: "s", strip: 1, not: []string{"ss", "us", "is"}}}
	finalE     = []suffixRule{{end: "e", strip: 1}}
	finalY     = []suffixRule{{end: "y", strip: 1}}
	enVerbal   = []suffixRule{{end: "ing", strip: 3}, {end: "ed", strip: 2}}
	undoubleOK = "bcdfgkmnprtvz"
)

// applyRules applies the first rule of rules that matches t and leaves at
// least minStem runes.
func applyRules(t string, rules []suffixRule) (string, bool) {
	for _, r := range rules {
		if !strings.HasSuffix(t, r.end) || utf8.RuneCountInString(t)-r.strip < minStem {
			continue
		}
		excluded := false
		for _, n := range r.not {
			excluded = excluded || strings.HasSuffix(t, n)
		}
		if !excluded {
			return t[:len(t)-r.strip], true
		}
	}
	return t, false
}

func hasNumber(t string) bool {
	for _, r := range t {
		if unicode.IsNumber(r) {
			return true
		}
	}
	return false
}

// Stem reduces a normalized term (see [Normalize]) to a light stem for lang
// ("fr" or "en", optionally with a region such as "fr-CA"); other languages
// and terms containing digits are returned unchanged.
//
// Stemming only ever removes a suffix (the stem is a prefix of the term, of
// at least 3 runes), in a fixed sequence of steps where each step applies its
// first matching rule:
//
// French: plural -aux → -a, -s (not -ss), -x; then -ement, -ation, -tion,
// -euse → -eu; then a final -e, twice (accordée → accord); then -er, -eu,
// -al → -a (journal, journaux → journa).
//
// English: plural -ies, -sses/-xes/-ches/-shes/-zes → -e less, -s (not -ss,
// -us, -is); then -ing or -ed when the rest has a vowel, undoubling a final
// double consonant (stopped → stop); then a final -e; then a final -y
// (countries, country → countr).
func Stem(term, lang string) string {
	switch langCode(lang) {
	case "fr":
		return stemFr(term)
	case "en":
		return stemEn(term)
	}
	return term
}

// langCode returns "fr", "en" or "" for a language tag.
func langCode(lang string) string {
	l := strings.ToLower(lang)
	for _, c := range []string{"fr", "en"} {
		if l == c || strings.HasPrefix(l, c+"-") || strings.HasPrefix(l, c+"_") {
			return c
		}
	}
	return ""
}

func stemFr(t string) string {
	if hasNumber(t) {
		return t
	}
	t, _ = applyRules(t, frPlural)
	t, _ = applyRules(t, frSuffix)
	t, _ = applyRules(t, finalE)
	t, _ = applyRules(t, finalE)
	t, _ = applyRules(t, frEnding)
	return t
}

func stemEn(t string) string {
	if hasNumber(t) {
		return t
	}
	t, _ = applyRules(t, enPlural)
	if s, ok := applyRules(t, enVerbal); ok && strings.ContainsAny(s, "aeiouy") {
		t = s
		if n := len(t); n >= 2 && t[n-1] == t[n-2] && strings.IndexByte(undoubleOK, t[n-1]) >= 0 && utf8.RuneCountInString(t) > minStem {
			t = t[:n-1]
		}
	}
	t, _ = applyRules(t, finalE)
	t, _ = applyRules(t, finalY)
	return t
}

// stemVariants returns every term whose stem for lang may be stem: stem
// followed by each combination of suffixes the stemmer can remove. Callers
// keep the variants v with Stem(v, lang) == stem. The client uses it to
// fetch only the index chunks that can hold stem matches.
func stemVariants(stem, lang string) []string {
	var out []string
	switch langCode(lang) {
	case "fr":
		for _, p4 := range []string{"", "er", "eu", "l"} {
			for _, p3 := range []string{"", "e", "ee"} {
				for _, p2 := range []string{"", "ement", "ation", "tion", "se"} {
					for _, p1 := range []string{"", "ux", "s", "x"} {
						out = append(out, stem+p4+p3+p2+p1)
					}
				}
			}
		}
	case "en":
		for _, p4 := range []string{"", "y"} {
			for _, p3 := range []string{"", "e"} {
				base := stem + p4 + p3
				for _, p2 := range []string{"", "ing", "ed", "+ing", "+ed"} {
					if p2 != "" && p2[0] == '+' {
						last := base[len(base)-1:]
						if !strings.Contains(undoubleOK, last) {
							continue
						}
						p2 = last + p2[1:]
					}
					for _, p1 := range []string{"", "ies", "es", "s"} {
						out = append(out, base+p2+p1)
					}
				}
			}
		}
	}
	return out
}
