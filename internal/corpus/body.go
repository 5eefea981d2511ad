package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Body generates the article of dossier d: about 850–1,000 words in a lead
// and two to four sections with headings, a few links to actors, treaties
// and earlier dossiers, one or two footnotes, and now and then a list, a
// blockquote, a table (one dossier in five) or a fenced code block (one in
// twenty). The text holds link tokens; see WriteSite and WriteHugo.
func (c *Corpus) Body(d *Dossier) string {
	r := c.Opts.stream(streamBody, uint64(d.Index))
	target := 550 + r.IntN(150)

	// Paragraph plan: a lead, then sections.
	var lengths []int
	lengths = append(lengths, 60+r.IntN(50))
	for sum := lengths[0]; sum < target; {
		n := 50 + r.IntN(80)
		lengths = append(lengths, n)
		sum += n
	}
	sections := min(2+r.IntN(3), len(lengths)-1)
	sectionAt := map[int]bool{}
	for k := 0; k < sections; k++ {
		sectionAt[1+k*(len(lengths)-1)/max(1, sections)] = true
	}

	// Link plan: each link goes to a random paragraph.
	links := make([][]func(*text), len(lengths))
	for k, n := 0, 3+r.IntN(4); k < n; k++ {
		p := r.IntN(len(lengths))
		links[p] = append(links[p], c.planLink(r, d))
	}
	footnotes := 1
	if r.IntN(10) < 3 {
		footnotes = 2
	}
	notesAt := map[int]int{}
	for k := 1; k <= footnotes; k++ {
		notesAt[r.IntN(len(lengths))] = k
	}
	if len(notesAt) < footnotes {
		footnotes = len(notesAt)
		k := 1
		for p := range lengths {
			if notesAt[p] > 0 {
				notesAt[p] = k
				k++
			}
		}
	}
	tableAt, codeAt := -1, -1
	if r.IntN(5) == 0 {
		tableAt = 1 + r.IntN(len(lengths)-1)
	}
	if r.IntN(20) == 0 {
		codeAt = 1 + r.IntN(len(lengths)-1)
	}

	var t text
	t.Grow(8 << 10)
	for p, n := range lengths {
		if sectionAt[p] {
			t.s("## ")
			if r.IntN(4) == 0 {
				t.s(`"` + capitalize(c.vocab.word(r)) + " " + c.vocab.word(r) + " " + c.vocab.word(r) + `" `)
				t.words += 3
				t.clause(c, r, 1+r.IntN(4))
			} else {
				t.s(capitalize(c.vocab.word(r)) + " ")
				t.words++
				t.clause(c, r, 2+r.IntN(6))
			}
			t.s("\n\n")
		} else if p > 1 && r.IntN(8) == 0 {
			t.s("### " + capitalize(c.vocab.word(r)) + " ")
			t.words++
			t.clause(c, r, 2+r.IntN(4))
			t.s("\n\n")
		}
		t.paragraph(c, r, n, links[p], notesAt[p])
		switch {
		case p == tableAt:
			c.table(&t, r)
		case p == codeAt:
			c.code(&t, r, d)
		case p > 0 && r.IntN(10) == 0:
			for k, items := 0, 3+r.IntN(3); k < items; k++ {
				t.s("- ")
				t.clause(c, r, 5+r.IntN(10))
				t.s("\n")
			}
			t.s("\n")
		case p > 0 && r.IntN(14) == 0:
			t.s("> ")
			t.sentence(c, r, 10, 25, "")
			t.s("\n\n")
		}
	}
	for k := 1; k <= footnotes; k++ {
		fmt.Fprintf(&t, "[^%d]: ", k)
		t.sentence(c, r, 8, 20, "")
		if r.IntN(2) == 0 {
			fmt.Fprintf(&t, " Voir [la source](https://example.org/sources/%s/%d).", d.Slug, k)
		}
		t.s("\n")
	}
	return t.String()
}

// planLink chooses the target of one link of dossier d's body: mostly its
// actors, then its treaties, an actor it does not list (a mention) or an
// earlier dossier.
func (c *Corpus) planLink(r *rand.Rand, d *Dossier) func(*text) {
	switch x := r.IntN(20); {
	case x < 13:
		a := c.bySlug[pick(r, d.Actors)]
		return func(t *text) { t.link(r, 'a', a.Slug, a.Name, a.Aliases) }
	case x < 16 && len(d.Treaties) > 0:
		slug := pick(r, d.Treaties)
		tr := c.treatyBySlug[slug]
		return func(t *text) { t.link(r, 't', tr.Slug, tr.Title, nil) }
	case x < 19 || d.Index == 0:
		a := c.Actors[c.popOrder[c.actorPop.sample(r)]]
		return func(t *text) { t.link(r, 'a', a.Slug, a.Name, a.Aliases) }
	default:
		o := c.Dossiers[r.IntN(d.Index)]
		return func(t *text) { t.token('d', o.Slug, "un précédent dossier", formKind) }
	}
}

func (c *Corpus) table(t *text, r *rand.Rand) {
	y := 2000 + r.IntN(20)
	fmt.Fprintf(t, "| Indicateur | %d | %d | Variation |\n|---|---:|---:|---:|\n", y, y+1)
	for k, rows := 0, 3+r.IntN(4); k < rows; k++ {
		a, b := 10+r.IntN(990), 10+r.IntN(990)
		fmt.Fprintf(t, "| %s %s | %d | %d | %+d %% |\n", capitalize(c.vocab.word(r)), c.vocab.word(r), a, b, (b-a)*100/a)
		t.words += 6
	}
	t.s("\n")
}

func (c *Corpus) code(t *text, r *rand.Rand, d *Dossier) {
	t.s("```json\n{\n")
	fmt.Fprintf(t, "  \"dossier\": %q,\n  \"date\": %q,\n  \"acteurs\": [", d.Slug, d.Date.Format("2006-01-02"))
	for i, a := range d.Actors {
		if i > 0 {
			t.s(", ")
		}
		fmt.Fprintf(t, "%q", a)
	}
	fmt.Fprintf(t, "],\n  \"articles\": %d,\n  \"ratifie\": %t,\n  \"note\": %q\n}\n```\n\n", 3+r.IntN(40), r.IntN(2) == 0,
		strings.Join([]string{c.vocab.word(r), c.vocab.word(r), c.vocab.word(r)}, " "))
	t.words += 12 + len(d.Actors)
}
