package importer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CaptionMarker precedes a paragraph that Clean takes for a photo caption: it
// stood right before a photo credit line. The curator keeps or deletes it.
const CaptionMarker = "<!-- TODO: légende photo ? -->"

// Lines longer than this are never credits, navigation or captions.
const (
	maxCreditRunes   = 100
	maxCaptionRunes  = 300
	maxFragmentWords = 8
)

var (
	// navigation lines: PREV / NEXT teasers, "Lire aussi", "Read more"…
	navRes = []*regexp.Regexp{
		regexp.MustCompile(`^(?:PREV|PREVIOUS|NEXT)\b`),
		regexp.MustCompile(`(?i)^(?:article\s+)?(?:précédent|suivant|previous|next|prev)(?:\s+article)?\s*(?:[:›»→>|].*)?$`),
		regexp.MustCompile(`(?i)^(?:à\s+lire\s+(?:aussi|également)|a\s+lire\s+(?:aussi|également)|lire\s+(?:aussi|également|la\s+suite|plus)|voir\s+aussi|read\s+(?:more|also|next)|see\s+also|continue\s+reading|sur\s+le\s+même\s+sujet)\b`),
		regexp.MustCompile(`(?i)^(?:related(?:\s+(?:articles?|stories|content))?|publicité|advertisement|partager(?:\s+(?:sur|cet\s+article))?|share(?:\s+(?:this|on))?(?:\s+article)?|abonnez-vous|subscribe|newsletter)\s*[:›»→]?\s*$`),
	}
	// photo credits: "Photo:AFP", "Photo : Reuters", "Crédit photo AFP", "© AFP".
	creditKeyRe = regexp.MustCompile(`(?i)^\(?\s*(?:photos?\s+credits?|crédits?\s+photos?|credits?\s+photos?|crédits?|credits?|photos?|image|illustration|foto)\b\s*`)
	creditSymRe = regexp.MustCompile(`(?i)^\(?\s*(?:©|\(c\)\s)`)
)

// paragraph is a cleaned paragraph; caption marks a probable photo caption.
type paragraph struct {
	text    string
	caption bool
}

// Clean removes scraping debris from a raw article and returns its
// paragraphs, plus one line per change for the curator to check, each
// prefixed by its kind: "duplicate:", "punctuation:", "navigation:",
// "credit:", "fragment:", "glued:" or "mended:". A paragraph that stood right
// before a photo credit is kept, prefixed by CaptionMarker and a newline.
func Clean(text string) (paragraphs []string, removed []string) {
	ps, removed := clean(text)
	for _, p := range ps {
		if p.caption {
			paragraphs = append(paragraphs, CaptionMarker+"\n"+p.text)
		} else {
			paragraphs = append(paragraphs, p.text)
		}
	}
	return paragraphs, removed
}

type cleaner struct {
	out     []paragraph
	removed []string
	seen    map[string]bool
	block   []string // kept lines of the block being read
	wrapped bool     // join the lines of a block (hard-wrapped text)
}

func clean(text string) ([]paragraph, []string) {
	lines := splitLines(text)
	c := &cleaner{seen: map[string]bool{}, wrapped: isHardWrapped(lines)}
	for _, line := range lines {
		switch kind := lineKind(line); {
		case line == "":
			c.endBlock()
		case kind != "":
			c.endBlock()
			c.removed = append(c.removed, kind+": "+line)
			if kind == "credit" {
				c.markCaption()
			}
		case countWords(line) >= 3 && c.seen[line]:
			c.endBlock()
			c.removed = append(c.removed, "duplicate: "+line)
		default:
			c.seen[line] = true
			c.block = append(c.block, line)
			if !c.wrapped {
				c.endBlock()
			}
		}
	}
	c.endBlock()
	return c.out, c.removed
}

// splitLines normalises line ends, invisible characters and runs of spaces,
// and trims every line.
func splitLines(text string) []string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n\n",
		"\ufeff", "", "\u200b", "", "\u2060", "", "\u00ad", "").Replace(text)
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = collapseSpaces(strings.TrimSpace(l))
	}
	return lines
}

var spacesRe = regexp.MustCompile(`[ \t\f\v]{2,}|\t`)

func collapseSpaces(s string) string { return spacesRe.ReplaceAllString(s, " ") }

// isHardWrapped tells text wrapped at a fixed width (no line over 100
// characters, several of at least 50) from scraped text, which has one
// paragraph per line.
func isHardWrapped(lines []string) bool {
	long, multi := 0, false
	for i, l := range lines {
		n := utf8.RuneCountInString(l)
		if n > 100 {
			return false
		}
		if n >= 50 {
			long++
		}
		if l != "" && i > 0 && lines[i-1] != "" {
			multi = true
		}
	}
	return long >= 2 && multi
}

// lineKind names the debris a line is, or returns "".
func lineKind(line string) string {
	switch {
	case isPunctuationOnly(line):
		return "punctuation"
	case isNavigation(line):
		return "navigation"
	case isCredit(line):
		return "credit"
	}
	return ""
}

func isPunctuationOnly(s string) bool {
	for _, r := range s {
		if !unicode.IsPunct(r) && !unicode.IsSymbol(r) && !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

func isNavigation(line string) bool {
	for _, re := range navRes {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

// isCredit recognises a short photo credit: a credit keyword followed by a
// colon, "by"/"par"/"de", or only capitalised words ("Photo AFP"); or a
// line starting with ©.
func isCredit(line string) bool {
	if utf8.RuneCountInString(line) > maxCreditRunes {
		return false
	}
	if creditSymRe.MatchString(line) {
		return true
	}
	m := creditKeyRe.FindString(line)
	if m == "" {
		return false
	}
	rest := line[len(m):]
	switch {
	case rest == "":
		return false
	case strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, "："):
		return true
	}
	words := strings.Fields(rest)
	if w := strings.ToLower(words[0]); w == "by" || w == "par" || w == "de" || w == "d'" {
		return len(words) > 1
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// markCaption marks the last paragraph as a photo caption when it is short,
// holds no quotation, and is not the headline.
func (c *cleaner) markCaption() {
	if n := len(c.out); n > 1 && utf8.RuneCountInString(c.out[n-1].text) <= maxCaptionRunes &&
		!strings.ContainsAny(c.out[n-1].text, "«“\"") {
		c.out[n-1].caption = true
	}
}

// endBlock turns the kept lines of the current block into a paragraph and
// applies the paragraph rules to it.
func (c *cleaner) endBlock() {
	if len(c.block) == 0 {
		return
	}
	text := strings.Join(c.block, " ")
	c.block = c.block[:0]
	if len(c.out) > 0 {
		title := c.out[0].text
		if rest, ok := strings.CutPrefix(text, title+" "); ok && rest != "" {
			c.removed = append(c.removed, "duplicate: "+title)
			text = rest
		}
	}
	text = c.unglue(text)
	text = c.mend(text)
	if isFragment(text) {
		c.removed = append(c.removed, "fragment: "+text)
		return
	}
	c.out = append(c.out, paragraph{text: text})
}

// unglue drops a stray lower-case letter glued to a capitalised word at the
// start of a paragraph ("cCorée" → "Corée"). Camel-case brands (iPhone,
// eBay) are left alone.
func (c *cleaner) unglue(text string) string {
	rs := []rune(text)
	if len(rs) < 4 || !unicode.IsLower(rs[0]) || !unicode.IsUpper(rs[1]) ||
		!unicode.IsLower(rs[2]) || !unicode.IsLower(rs[3]) || rs[0] == 'i' || rs[0] == 'e' {
		return text
	}
	end := 1
	for end < len(rs) && isWordRune(rs[end]) {
		end++
	}
	c.removed = append(c.removed, "glued: "+string(rs[:end])+" → "+string(rs[1:end]))
	return string(rs[1:])
}

// mend joins sentences broken mid-way by a stray period: "de deux heures. à
// Pyongyang" and "en 2001.comme" lose the period.
func (c *cleaner) mend(text string) string {
	rs := []rune(text)
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		if rs[i] == '.' {
			if n := strayPeriod(rs, i); n > 0 {
				before, after := wordsAround(rs, i, 3), wordsAround(rs[i+n:], -1, 3)
				if n == 1 { // "2001.comme"
					out = append(out, ' ')
					c.removed = append(c.removed, "mended: "+before+"."+after+" → "+before+" "+after)
				} else {
					c.removed = append(c.removed, "mended: "+before+". "+after+" → "+before+" "+after)
				}
				continue
			}
		}
		out = append(out, rs[i])
	}
	return string(out)
}

// strayPeriod reports whether the period at rs[i] wrongly ends a sentence
// that goes on in lower case. It returns 2 for ". x" (delete the period),
// 1 for "1.x" after a number (replace by a space), 0 otherwise.
func strayPeriod(rs []rune, i int) int {
	if i == 0 || rs[i-1] == '.' {
		return 0
	}
	prev := rs[i-1]
	if i+2 < len(rs) && rs[i+1] == ' ' && unicode.IsLower(rs[i+2]) &&
		(isWordRune(prev) || prev == ')') {
		start := i
		for start > 0 && isWordRune(rs[start-1]) {
			start--
		}
		word := strings.ToLower(string(rs[start:i]))
		switch {
		case start > 0 && rs[start-1] == '.': // e.g., a.m.
			return 0
		case utf8.RuneCountInString(word) == 1 && !unicode.IsDigit(prev):
			return 0 // an initial
		case abbreviations[word]:
			return 0
		case start == 0 && isDigits(word):
			return 0 // "1. le premier point"
		}
		return 2
	}
	if unicode.IsDigit(prev) && i+3 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsLower(rs[i+2]) {
		j := i + 1
		for j < len(rs) && unicode.IsLetter(rs[j]) {
			j++
		}
		if j == len(rs) || rs[j] == ' ' {
			return 1
		}
	}
	return 0
}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// wordsAround returns up to n words before rs[i] (i ≥ 0) or, with i < 0, the
// first n words of rs.
func wordsAround(rs []rune, i, n int) string {
	if i >= 0 {
		f := strings.Fields(string(rs[:i]))
		return strings.Join(f[max(0, len(f)-n):], " ")
	}
	f := strings.Fields(string(rs))
	return strings.Join(f[:min(n, len(f))], " ")
}

// isFragment recognises a truncated label such as "Selon les critères de":
// a few words, no sentence punctuation, ending on a word that cannot end a
// sentence.
func isFragment(text string) bool {
	if strings.ContainsAny(text, ".!?…:;«»“”\"()") {
		return false
	}
	words := strings.Fields(text)
	if len(words) == 0 || len(words) > maxFragmentWords {
		return false
	}
	last := []rune(words[len(words)-1])
	for i, r := range last {
		last[i] = foldRune(r)
	}
	return danglingWords[string(last)]
}

func countWords(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		if strings.IndexFunc(f, isWordRune) >= 0 {
			n++
		}
	}
	return n
}
