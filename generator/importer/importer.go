// Package importer turns a raw, scraped article text into a draft dossier:
// it strips scraping debris, keeps paragraphs and finds attributed
// quotations.
//
// Everything it cannot decide is left to the curator as a TODO marker;
// docs/authoring.md describes the rules and the markers.
package importer

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// KnownActor is an actor of the site, used to recognise speakers and
// mentions by name or alias.
type KnownActor struct {
	Slug, Name string
	Aliases    []string
}

// Options configure Import.
type Options struct {
	Slug   string       // dossier slug (validated by the caller)
	Lang   string       // "fr" | "en" | "" (detect: simple heuristic on stop words)
	Date   string       // optional ISO date; "" → TODO marker
	Actors []KnownActor // known actors for speaker matching
}

// Quote is a quotation found in the text.
type Quote struct {
	Text        string // the quoted words; paragraphs separated by a blank line
	Speaker     string // actor slug, or "" when no known actor matched
	SpeakerName string // the speaker as found in the text ("Poutine", "le président russe")
	Paragraph   int    // index of the paragraph where the quotation opens
}

// Draft is the result of Import.
type Draft struct {
	IndexMD        []byte   // front matter + cleaned body
	QuotesMD       []byte   // quotes in the content-model format
	Quotes         []Quote  // the quotes of QuotesMD, in text order
	ProposedActors []string // speakers' names that match no known actor, sorted, deduplicated
	Removed        []string // what Clean removed or mended, for the CLI to report
}

// Headlines longer than this, or ending with a period, are taken for body
// text, and the title is left as a TODO.
const (
	maxTitleRunes = 200
	maxTitleWords = 30
)

// Import cleans raw (see Clean), finds its quotations (see FindQuotes) and
// writes a draft index.md and quotes.md. The first paragraph becomes the
// title when it looks like a headline. The output is deterministic.
func Import(raw []byte, opts Options) (Draft, error) {
	switch opts.Lang {
	case "", "fr", "en":
	default:
		return Draft{}, fmt.Errorf("import %s: language %q is not supported (use fr or en)", opts.Slug, opts.Lang)
	}
	if opts.Date != "" {
		if _, err := time.Parse(time.DateOnly, opts.Date); err != nil {
			return Draft{}, fmt.Errorf("import %s: %q is not a date like 2024-06-19", opts.Slug, opts.Date)
		}
	}
	paragraphs, removed := Clean(string(raw))
	if len(paragraphs) == 0 {
		return Draft{}, fmt.Errorf("import %s: no text left after removing debris", opts.Slug)
	}
	lang := opts.Lang
	if lang == "" {
		lang = detectLang(paragraphs)
	}
	quotes := findQuotes(paragraphs, lang, opts.Actors)

	title, body := "", paragraphs
	if isHeadline(paragraphs[0]) {
		title, body = paragraphs[0], paragraphs[1:]
	}

	actors := map[string]bool{}
	mentions := map[string]int{}
	matcher := newActorMatcher(opts.Actors)
	for _, text := range paragraphs {
		p := newPara(text)
		for _, a := range matcher.match(p.orig, p.fold) {
			actors[a.slug] = true
			mentions[a.slug]++
		}
	}
	resolvePartial(quotes, opts.Actors, mentions)
	proposed := map[string]bool{}
	d := Draft{Removed: removed}
	for _, q := range quotes {
		d.Quotes = append(d.Quotes, q.Quote)
		if q.Speaker != "" {
			actors[q.Speaker] = true
		} else if q.how == byUnknown || q.how == byContext && q.SpeakerName != "" {
			proposed[q.SpeakerName] = true
		}
	}
	d.ProposedActors = slices.Sorted(maps.Keys(proposed))
	d.IndexMD = renderIndex(title, opts.Date, lang, slices.Sorted(maps.Keys(actors)), body)
	d.QuotesMD = renderQuotes(quotes, opts.Date)
	return d, nil
}

// isHeadline: a short first paragraph that does not end like a sentence.
func isHeadline(s string) bool {
	return !strings.HasPrefix(s, "<!--") && !strings.HasSuffix(s, ".") &&
		utf8.RuneCountInString(s) <= maxTitleRunes && len(strings.Fields(s)) <= maxTitleWords
}
