package importer

import (
	"strings"
	"unicode"
)

// Quotations shorter than minWords words are scare quotes (« défensive »,
// « meilleur ami ») unless a speech verb directly introduces them as the
// whole statement. A quoted term right after a determiner or a preposition
// (l'« Accord de partenariat stratégique global ») is skipped unless it has
// at least minTermWords words.
const (
	minWords     = 4
	minTermWords = 8
)

// how tells how the speaker of a quotation was found.
type how int

const (
	byNone       how = iota // no speech verb: the speaker is unknown
	byName                  // a known actor named by name or alias
	byRole                  // a role phrase ("le président russe")
	byContext               // a pronoun, or the previous quotation's speaker
	byUnknown               // a name that matches no known actor
	byUnresolved            // a speech verb, but no usable name
	byPartial               // part of known actors' names ("Kim"): see resolvePartial
)

// found is a quotation with how its speaker was found.
type found struct {
	Quote
	how  how
	hint string // what stood in the speaker's place, for TODO comments
	// candidates are the known actors a partial name may stand for (slugs,
	// the chosen one first), when it is ambiguous.
	candidates []string
}

// speaker is the result of attribution.
type speaker struct {
	verb   bool // a speech verb attributes the quotation
	direct bool // the verb introduces the quotation as a whole statement
	how    how
	slug   string
	name   string // the name, as written
	hint   string // the words in the speaker's place
}

// FindQuotes finds the quotations of paragraphs and their speakers. lang
// ("fr", "en", or anything else for both) selects the speech verbs. Each
// Quote's Paragraph is the index in paragraphs where it starts; Speaker is
// a slug of actors, or "" when the speaker is not a known actor.
func FindQuotes(paragraphs []string, lang string, actors []KnownActor) []Quote {
	fs := findQuotes(paragraphs, lang, actors)
	out := make([]Quote, len(fs))
	for i, f := range fs {
		out[i] = f.Quote
	}
	return out
}

type finder struct {
	paras []*para
	lang  string
}

func findQuotes(paragraphs []string, lang string, actors []KnownActor) []found {
	f := &finder{lang: lang}
	runes := make([][]rune, len(paragraphs))
	for i, text := range paragraphs {
		f.paras = append(f.paras, newPara(text))
		runes[i] = f.paras[i].orig
	}
	spans := scanQuotes(runes)
	for _, s := range spans {
		for _, g := range s.segs {
			f.paras[g.p].blank(g.from, g.to)
		}
		for _, c := range s.conts {
			f.paras[c.p].blank(c.r, c.r+1)
		}
	}
	matcher := newActorMatcher(actors)
	for _, p := range f.paras {
		p.tokenize()
		p.findMentions(matcher, nil)
	}
	if roles := learnRoles(f.paras); len(roles) > 0 {
		for _, p := range f.paras {
			p.findMentions(matcher, roles)
		}
	}

	var out []found
	var last speaker // the last quotation attributed to someone
	lastPara := -1
	for _, s := range spans {
		text, words := quoteText(f.paras, s)
		if words == 0 {
			continue
		}
		sp := f.attribute(s)
		switch pron := sp.how == byUnresolved && pronouns[strings.ToLower(sp.hint)]; {
		case pron || sp.how == byNone:
			// A pronoun stands for the previous speaker of this paragraph or
			// the one before; a quotation with no verb at all goes on with
			// the speaker of its paragraph.
			if lastPara == s.open.p || pron && lastPara == s.open.p-1 {
				sp.how, sp.slug, sp.name = byContext, last.slug, last.name
			}
		case sp.how != byUnresolved:
			last, lastPara = sp, s.close.p
		}
		if words < minWords && !sp.direct || f.isTerm(s) && words < minTermWords {
			continue
		}
		q := found{Quote: Quote{Text: text, Speaker: sp.slug, SpeakerName: sp.name, Paragraph: s.open.p},
			how: sp.how, hint: sp.hint}
		out = append(out, q)
	}
	return out
}

// quoteText returns the text of a quotation (paragraphs separated by a
// blank line) and its number of words.
func quoteText(paras []*para, s span) (string, int) {
	var parts []string
	words := 0
	for _, g := range s.segs {
		t := strings.Join(strings.Fields(string(paras[g.p].orig[g.from:g.to])), " ")
		if t != "" {
			parts = append(parts, t)
			words += countWords(t)
		}
	}
	text := strings.Join(parts, "\n\n")
	return strings.TrimRight(text, ", "), words
}

// isTerm reports whether the quotation follows a determiner or a
// preposition, which makes it a quoted term: un « système de … ».
func (f *finder) isTerm(s span) bool {
	p := f.paras[s.open.p]
	k := p.tokenAt(s.open.r) - 1
	if p.isPunct(k, "'") {
		k--
	}
	return termPreceders[p.word(k)]
}

// attribute finds who speaks a quotation: first a verb right after it (« … »,
// a déclaré X / "…," X said), then a verb before it in the same sentence (X
// a déclaré : « … »), then "selon X" or "comme l'a dit X" later in the
// sentence after it.
func (f *finder) attribute(s span) speaker {
	p, q := f.paras[s.open.p], f.paras[s.close.p]
	ob, cb := p.tokenAt(s.open.r), q.tokenAt(s.close.r)
	sb := p.sentenceStart(ob)
	startsSentence := true
	for k := sb; k < ob; k++ {
		if !p.isPunct(k, "—–-") {
			startsSentence = false
		}
	}
	end := q.sentenceEnd(cb + 1)
	endsSentence := end == cb+1 || q.isPunct(cb+1, ")") && end == cb+2

	after, adjacent := f.after(q, cb+1, end)
	after.direct = adjacent && startsSentence
	if after.verb && adjacent && after.how != byUnresolved {
		return after
	}
	bp, bs, bo := p, sb, ob
	if ob == 0 && s.open.p > 0 {
		// A quotation opening a paragraph may be introduced at the end of
		// the previous one: "Il a déclaré :".
		prev := f.paras[s.open.p-1]
		if n := len(prev.toks); n > 0 && prev.isPunct(n-1, ":") {
			bp, bs, bo = prev, prev.sentenceStart(n-1), n
		}
	}
	if before := f.before(bp, bs, bo); before.verb && (before.how != byUnresolved || !after.verb) {
		// A name before the verb beats a pronoun after the quotation
		// (« … », selon lui).
		before.direct = before.direct && endsSentence
		return before
	}
	return after
}

// verbKind tells where the speaker stands relative to a speech verb.
type verbKind int

const (
	normal    verbKind = iota // X a déclaré / a déclaré X / X said / said X
	according                 // selon X, d'après X, according to X
	inverted                  // a-t-il déclaré, dit-elle: a pronoun speaker
)

type verb struct {
	s, e int
	kind verbKind
	head string // the participle or verb, folded
	pron string // the pronoun of an inverted verb
}

func (f *finder) french() bool  { return f.lang != "en" }
func (f *finder) english() bool { return f.lang != "fr" }

// verbAt matches a speech verb starting at token i.
func (f *finder) verbAt(p *para, i int) (verb, bool) {
	w := p.word(i)
	if w == "" {
		return verb{}, false
	}
	if f.french() {
		switch {
		case w == "selon":
			return verb{s: i, e: i + 1, kind: according, head: w}, true
		case w == "d" && p.isPunct(i+1, "'") && p.word(i+2) == "apres":
			return verb{s: i, e: i + 3, kind: according, head: "apres"}, true
		case frAux[w]:
			j := i + 1
			for n := 0; n < 4 && (frAdverbs[p.word(j)] && !frParticiples[p.word(j)] || p.isPunct(j, "'")); n++ {
				j++
			}
			if e, head := participle(p, j); e > 0 {
				return verb{s: i, e: e, kind: normal, head: head}, true
			}
		case frPresent[w] || frGerunds[w]:
			return verb{s: i, e: i + 1, kind: normal, head: w}, true
		case w == "dit" && (p.word(i+1) == "que" || p.word(i+1) == "qu" || p.isPunct(i+1, ":")):
			return verb{s: i, e: i + 1, kind: normal, head: w}, true
		}
		if base, pron, ok := invertedForm(w); ok {
			if frAux[base] {
				if e, head := participle(p, i+1); e > 0 {
					return verb{s: i, e: e, kind: inverted, head: head, pron: pron}, true
				}
			} else if frPresent[base] || base == "dit" || frParticiples[base] {
				return verb{s: i, e: i + 1, kind: inverted, head: base, pron: pron}, true
			}
		}
	}
	if f.english() {
		switch {
		case enVerbs[w]:
			return verb{s: i, e: i + 1, kind: normal, head: w}, true
		case w == "according" && p.word(i+1) == "to":
			return verb{s: i, e: i + 2, kind: according, head: w}, true
		}
	}
	return verb{}, false
}

// participle matches a French speech participle at token j ("déclaré",
// "fait valoir") and returns the token after it.
func participle(p *para, j int) (int, string) {
	w := p.word(j)
	switch {
	case frParticiples[w]:
		return j + 1, w
	case w == "fait" && (p.word(j+1) == "valoir" || p.word(j+1) == "savoir"):
		return j + 2, w + " " + p.word(j+1)
	}
	return 0, ""
}

// invertedForm splits "a-t-il", "dit-elle", "ajoute-t-on" into the verb and
// its pronoun.
func invertedForm(w string) (base, pron string, ok bool) {
	if !strings.Contains(w, "-") {
		return "", "", false
	}
	for _, pr := range []string{"il", "elle", "ils", "elles", "on"} {
		if b, found := strings.CutSuffix(w, "-t-"+pr); found {
			return b, pr, true
		}
		if b, found := strings.CutSuffix(w, "-"+pr); found {
			return b, pr, true
		}
	}
	return "", "", false
}

// after looks for the attribution following a quotation, in tokens
// [k, end). adjacent tells that the verb directly follows the quotation.
func (f *finder) after(p *para, k, end int) (speaker, bool) {
	for k < end && p.isPunct(k, ",—–-)") {
		k++
	}
	if k >= end {
		return speaker{}, false
	}
	if v, ok := f.verbAt(p, k); ok && v.e <= end {
		return f.speakerOf(p, v, k, end), true
	}
	// "…," the Russian president said / "…", Poutine a déclaré.
	for j := k + 1; j < end && j <= k+6; j++ {
		if p.toks[j].punct && p.toks[j].w != "'" {
			break
		}
		if v, ok := f.verbAt(p, j); ok && v.kind == normal {
			sp := p.subject(k, j)
			sp.verb = true
			return sp, true
		}
	}
	// Later in the sentence: "…", selon X / comme l'a déclaré X.
	for j := k; j < end; j++ {
		if v, ok := f.verbAt(p, j); ok {
			if v.kind == according || p.afterComme(j) {
				sp := p.slot(v.e, end)
				sp.verb = true
				return sp, false
			}
			j = v.e - 1
		}
	}
	return speaker{}, false
}

// before looks for the attribution in tokens [sb, ob) before a quotation:
// the last speech verb of the sentence, and its subject.
func (f *finder) before(p *para, sb, ob int) speaker {
	var v verb
	found := false
	for j := sb; j < ob; j++ {
		if w, ok := f.verbAt(p, j); ok && w.e <= ob {
			v, found = w, true
			j = w.e - 1
		}
	}
	if !found {
		return speaker{}
	}
	sp := f.speakerOf(p, v, sb, ob)
	// Direct: only ":", "que" or the speaker's name between verb and quotation.
	sp.direct = true
	for j := v.e; j < ob; j++ {
		if !p.isPunct(j, ":,'") && !linkers[p.word(j)] &&
			(p.owner[j] < 0 || p.ments[p.owner[j]].text != sp.name) {
			sp.direct = false
		}
	}
	return sp
}

// speakerOf finds the speaker of verb v; [from, to) bounds the sentence
// part to search.
func (f *finder) speakerOf(p *para, v verb, from, to int) speaker {
	var sp speaker
	switch {
	case v.kind == inverted:
		sp = speaker{how: byUnresolved, hint: v.pron}
	case v.kind == according || p.afterComme(v.s):
		sp = p.slot(v.e, to)
	case v.s > from:
		// The subject before the verb; failing that, the name after it.
		sp = p.subject(from, v.s)
		if sp.how == byNone && !notInvertible[v.head] {
			sp = p.slot(v.e, to)
		}
	default:
		sp = p.slot(v.e, to)
	}
	sp.verb = true
	if sp.how == byNone {
		sp.how = byUnresolved
	}
	return sp
}

// afterComme reports whether the verb at token j follows "comme (l')" or
// "ainsi que l'" or "as": the subject comes after the verb.
func (p *para) afterComme(j int) bool {
	k := j - 1
	if p.isPunct(k, "'") && p.word(k-1) == "l" {
		k -= 2
	}
	w := p.word(k)
	return w == "comme" || w == "as" || w == "que" && p.word(k-1) == "ainsi"
}

// subject walks back from the verb for the nearest possible speaker. A
// pronoun stands for the nearest known actor before it in the sentence; a
// role noun met first ("le porte-parole du Kremlin a dit") means an unnamed
// speaker.
func (p *para) subject(from, to int) speaker {
	for k := to - 1; k >= from; k-- {
		if i := p.owner[k]; i >= 0 {
			m := p.ments[i]
			k = m.ts
			if m.kind == name && complements[p.word(m.ts-1)] {
				continue
			}
			if m.kind == pronoun {
				for j := k - 1; j >= from; j-- {
					if i := p.owner[j]; i >= 0 && (p.ments[i].kind == known || p.ments[i].kind == role) {
						sp := fromMention(p.ments[i])
						sp.how, sp.hint = byContext, m.text
						return sp
					}
				}
				return speaker{how: byUnresolved, hint: m.text}
			}
			return fromMention(m)
		}
		if !p.toks[k].punct && isRoleNoun(p.toks[k].w) {
			s := k
			if determiners[p.word(k-1)] || articles[p.word(k-1)] {
				s = k - 1
			}
			return speaker{how: byUnresolved, hint: p.text(s, to)}
		}
	}
	return speaker{}
}

// slot reads the speaker named in tokens [k, end) after a verb, up to the
// next punctuation: a known actor first, then a role phrase, then the last
// name that is not a complement ("porte-parole du Kremlin").
func (p *para) slot(k, end int) speaker {
	stop := k
	for stop < end && stop-k < 10 && (!p.toks[stop].punct || p.toks[stop].w == "'") {
		stop++
	}
	var best *mention
	for j := k; j < stop; j++ {
		i := p.owner[j]
		if i < 0 {
			continue
		}
		m := &p.ments[i]
		switch {
		case m.kind == known:
			return fromMention(*m)
		case m.kind == role && (best == nil || best.kind != role):
			best = m
		case m.kind == name && !complements[p.word(m.ts-1)] && (best == nil || best.kind != role):
			best = m
		case m.kind == pronoun && best == nil:
			best = m
		}
		j = m.te - 1
	}
	switch {
	case best == nil:
		return speaker{hint: p.text(k, stop)}
	case best.kind == pronoun:
		return speaker{how: byUnresolved, hint: best.text}
	}
	return fromMention(*best)
}

func fromMention(m mention) speaker {
	switch m.kind {
	case known:
		return speaker{how: byName, slug: m.slug, name: m.text}
	case role:
		return speaker{how: byRole, slug: m.slug, name: m.text, hint: m.text}
	case name:
		return speaker{how: byUnknown, name: m.text}
	}
	return speaker{how: byUnresolved, hint: m.text}
}

// detectLang guesses "fr" or "en" from stop words; "fr" on a tie.
func detectLang(paragraphs []string) string {
	fr, en := 0, 0
	for _, p := range paragraphs {
		for _, w := range strings.FieldsFunc(strings.ToLower(p), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if frOnly[w] {
				fr++
			}
			if enOnly[w] {
				en++
			}
		}
	}
	if en > fr {
		return "en"
	}
	return "fr"
}
