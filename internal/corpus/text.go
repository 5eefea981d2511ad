package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Link tokens: bodies are generated once with links as tokens, then written
// as [[wikilinks]] for dossier and as Markdown links for Hugo, so both sites
// hold the same text. A token is
//
//	tokStart kind slug tokSep label tokSep form tokEnd
//
// with kind 'a' (actor), 't' (treaty) or 'd' (dossier); label is the text a
// reader sees.
const (
	tokStart = '\x1e'
	tokSep   = '\x1f'
	tokEnd   = '\x1d'
)

// Link forms of dossier's syntax.
const (
	formSlug  = '0' // [[slug]]: shows the entity's name
	formLabel = '1' // [[slug|label]]
	formName  = '2' // [[Name or alias]]
	formKind  = '3' // [[actors/slug|label]]
)

// text builds Markdown and counts the words it writes.
type text struct {
	strings.Builder
	words int
}

func (t *text) s(s string) { t.WriteString(s) }

func (t *text) token(kind byte, slug, label string, form byte) {
	t.WriteByte(tokStart)
	t.WriteByte(kind)
	t.WriteString(slug)
	t.WriteByte(tokSep)
	t.WriteString(label)
	t.WriteByte(tokSep)
	t.WriteByte(form)
	t.WriteByte(tokEnd)
	t.words += len(strings.Fields(label))
}

// link writes a link to an entity in one of the forms curators use.
func (t *text) link(r *rand.Rand, kind byte, slug, name string, aliases []string) {
	switch x := r.IntN(10); {
	case x < 3:
		t.token(kind, slug, name, formSlug)
	case x < 7:
		t.token(kind, slug, name, formLabel)
	case x < 9 && kind == 'a':
		label := name
		if len(aliases) > 0 && r.IntN(2) == 0 {
			label = pick(r, aliases)
		}
		t.token(kind, slug, label, formName)
	default:
		t.token(kind, slug, name, formKind)
	}
}

// trimEnd drops a final period so a clause can continue.
func (t *text) trimEnd() {
	s := t.String()
	if strings.HasSuffix(s, ".") {
		t.Reset()
		t.WriteString(s[:len(s)-1])
	}
}

// clause writes n words of running text: vocabulary words with now and then
// a comma, a number, an emphasis or a "quoted phrase" (straight quotes, which
// the typographer turns into « »).
func (t *text) clause(c *Corpus, r *rand.Rand, n int) {
	for i := 0; i < n; i++ {
		if i > 0 {
			t.WriteByte(' ')
		}
		switch x := r.IntN(200); {
		case x < 3 && i+3 < n:
			t.WriteString(`"` + c.vocab.word(r) + " " + c.vocab.word(r) + " " + c.vocab.word(r) + `"`)
			t.words += 3
			i += 2
		case x < 6 && i+2 < n:
			t.WriteString("*" + c.vocab.word(r) + " " + c.vocab.word(r) + "*")
			t.words += 2
			i++
		case x < 7 && i+2 < n:
			t.WriteString("**" + c.vocab.word(r) + " " + c.vocab.word(r) + "**")
			t.words += 2
			i++
		case x < 10:
			switch r.IntN(4) {
			case 0:
				fmt.Fprintf(t, "%d", 1950+r.IntN(75))
			case 1:
				fmt.Fprintf(t, "%d %%", 1+r.IntN(99))
			case 2:
				fmt.Fprintf(t, "%d,%d milliards", 1+r.IntN(40), r.IntN(10))
			default:
				fmt.Fprintf(t, "%d", 2+r.IntN(500))
			}
			t.words++
		default:
			t.WriteString(c.vocab.word(r))
			t.words++
		}
		if i+1 < n && r.IntN(14) == 0 {
			t.WriteByte(',')
		}
	}
}

// sentence writes prefix (or a capitalised word) and lo..hi words, then a
// full stop or, now and then, French punctuation with its space before.
func (t *text) sentence(c *Corpus, r *rand.Rand, lo, hi int, prefix string) {
	n := lo + r.IntN(hi-lo+1)
	if prefix == "" {
		t.WriteString(capitalize(c.vocab.word(r)))
		t.WriteByte(' ')
		t.words++
		n--
	} else {
		t.WriteString(prefix)
		t.words += len(strings.Fields(prefix))
	}
	if r.IntN(25) == 0 && n > 6 {
		t.clause(c, r, n/2)
		t.WriteString(" : ")
		t.clause(c, r, n-n/2)
	} else {
		t.clause(c, r, n)
	}
	switch x := r.IntN(40); {
	case x == 0:
		t.WriteString(" ?")
	case x == 1:
		t.WriteString(" !")
	case x == 2:
		t.WriteString(" ; " + c.vocab.word(r) + " " + c.vocab.word(r) + ".")
		t.words += 2
	default:
		t.WriteByte('.')
	}
}

// paragraph writes sentences up to about n words, placing the given links in
// its sentences.
func (t *text) paragraph(c *Corpus, r *rand.Rand, n int, links []func(*text), footnote int) {
	start := t.words
	placed := 0
	for t.words-start < n || placed < len(links) {
		if t.words > start {
			t.WriteByte(' ')
		}
		if placed < len(links) && r.IntN(3) == 0 || placed < len(links) && t.words-start >= n {
			t.WriteString(capitalize(c.vocab.word(r)) + " ")
			t.words++
			t.clause(c, r, 3+r.IntN(8))
			t.WriteByte(' ')
			links[placed](t)
			placed++
			t.WriteByte(' ')
			t.clause(c, r, 2+r.IntN(8))
			t.WriteByte('.')
			continue
		}
		t.sentence(c, r, 8, 26, "")
		if footnote > 0 {
			t.trimEnd()
			fmt.Fprintf(t, "[^%d].", footnote)
			footnote = 0
		}
	}
	if footnote > 0 {
		t.trimEnd()
		fmt.Fprintf(t, "[^%d].", footnote)
	}
	t.WriteString("\n\n")
}
