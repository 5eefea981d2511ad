// Package model owns the content types every later stage shares: dossiers,
// actors, treaties and quotes as a curator wrote them (filled by parse), plus
// the two-way relations between them (filled by resolve). Parse's values
// are never written after parse: resolve fills the relations, and each
// body's link table, in copies of them that make the resolved site, and
// render fills those copies' HTML. It has no logic beyond small accessors,
// so any stage may import it.
package model

import (
	"html/template"
	"time"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/markdown"
)

// Kinds of actor.
const (
	KindPerson       = "person"
	KindState        = "state"
	KindOrganisation = "organisation"
)

// Treaty statuses.
var TreatyStatuses = []string{"in-force", "superseded", "expired", "proposed", "signed"}

// TreatyKinds are the kinds of treaty a curator may name (front matter
// kind:); the first is the default. Each has its noun, gender and number
// per language in i18n, so labels agree with it (a declaration is
// "Signée" in French).
var TreatyKinds = []string{"treaty", "agreement", "agreements", "convention", "declaration", "charter", "protocol", "pact", "memorandum", "resolution"}

// Ref is a slug written by a curator, with where it was written, so an
// unknown slug can be reported at its exact place.
type Ref struct {
	Slug string
	Pos  diag.Pos
	// Text is what the curator wrote, where the slug is made from it (a
	// tag: "Corée du Nord" has the slug coree-du-nord).
	Text string
}

// Date is a calendar date (no time of day, no zone): what front matter holds.
type Date struct{ time.Time }

// ISO formats the date as 2006-01-02, or "" for the zero date.
func (d Date) ISO() string {
	if d.IsZero() {
		return ""
	}
	return d.Format("2006-01-02")
}

// Body is a Markdown text and where it sits in its file.
type Body struct {
	File string // the file it comes from, for diagnostics
	Src  []byte // the Markdown text
	// FirstLine is the file line of Src's first line (1-based).
	FirstLine int
	// Inline marks one line of inline Markdown (a quote's context), rendered
	// without an enclosing paragraph.
	Inline bool
	// Indent, when set, holds per line of Src the bytes stripped from the
	// file line before it (the "> " of a quote), so columns stay exact.
	Indent []int
	// HTML is the rendered body, filled by the render stage. Its plain
	// text (search, titles, descriptions) is markdown.HTMLText of it.
	HTML template.HTML
	// Links lists the entity keys (see Key) the body links to, filled by resolve.
	Links []string
	// Targets is resolve's link table: where each link of Doc goes, in the
	// order of Doc's links (markdown.Doc.Links). Render applies it.
	Targets []markdown.Target
	// LinkSig sums up where the body's links point (filled by resolve):
	// with the text, it is what the HTML is made from, so a rebuild
	// renders a body again only when one of them changed.
	LinkSig string
	// Doc is the parsed Markdown tree; its concrete type belongs to package markdown.
	Doc any
	// Figures is the media step's answer to the body's images, in the
	// order of Doc's images (markdown.Doc.Images); FigureSig sums it up
	// as LinkSig does the link table.
	Figures   []markdown.Picture
	FigureSig string
}

// Text is the plain text of the rendered body (markdown.HTMLText of HTML):
// for titles, descriptions and the search index.
func (b *Body) Text() string { return markdown.HTMLText(string(b.HTML)) }

// Pos maps a byte offset in Src to a position in the file.
func (b *Body) Pos(off int) diag.Pos {
	p := diag.NewLineIndex(b.Src).Pos(b.File, off)
	line := p.Line - 1
	if line < len(b.Indent) {
		p.Col += b.Indent[line]
	}
	p.Line += b.FirstLine - 1
	return p
}

// Image is a picture named in front matter (a dossier's lead image, an
// actor's portrait, a treaty's document image) as the curator wrote it.
type Image struct {
	// Src is the file as written, relative to the content file's folder;
	// File is its path in the site (content/dossiers/pact/summit.jpg).
	Src, File string
	Alt       string
	// Decorative marks an image that says nothing the text does not (alt="").
	Decorative      bool
	Caption, Credit string
	Pos             diag.Pos // where src is written, for errors about the file
}

// Picture is an image as published (markdown.Picture): the media step
// makes it, templates show it.
type Picture = markdown.Picture

// Card is the picture of a page shared on social networks (og:image).
type Card struct {
	Path          string // site path of the file (media/card.3f9a.png)
	Width, Height int
	Alt           string
}

// Source is where a dossier's article comes from.
type Source struct {
	Publisher string
	URL       string
	Published Date
	Author    string
}

// Dossier is one curated event: content/dossiers/<slug>/index.md and quotes.md.
type Dossier struct {
	// Stamp identifies the source bytes (index.md and quotes.md): equal
	// stamps mean an unchanged dossier. Actors and treaties have one too.
	Stamp   uint64
	Slug    string
	File    string // content/dossiers/<slug>/index.md
	Title   string
	Date    Date
	Lang    string
	Summary string
	Source  Source
	// Updated is the day the dossier was last revised (updated:), or zero.
	Updated Date
	// Authors are the dossier's writers (author: or authors:), the byline.
	Authors  []string
	Actors   []Ref
	Treaties []Ref
	Tags     []Ref
	Draft    bool
	// RedirectFrom lists the entity's old site paths (redirect_from): each
	// gets a page that redirects here. Actors and treaties have them too.
	RedirectFrom []Ref
	// Image is the lead image (front matter "image"), nil when none.
	Image  *Image
	Body   Body
	Quotes []*Quote
	// Attachments are the other files of the dossier folder, slash paths
	// relative to it (map.png), copied beside the page.
	Attachments []string

	// Filled by resolve.
	ActorList   []*Actor
	TreatyList  []*Treaty
	Related     []Related // other dossiers ranked by shared actors and treaties
	MentionedBy []*Dossier

	// Filled by the media step: the lead image as published, and the
	// social card of the page.
	Picture *Picture
	Card    *Card
}

// Related is a dossier and how strongly it relates to another.
type Related struct {
	Dossier *Dossier
	Score   int
}

// Kinds of quote (Quote.Kind).
const (
	QuoteFull     = ""         // the speaker's words as a whole, possibly cut with […]
	QuoteFragment = "fragment" // a few of the speaker's words inside the writer's sentence
	QuoteReported = "reported" // the writer's account of what was said, not the speaker's words
)

// QuoteCut marks where words were left out of a quote.
const QuoteCut = "[…]"

// Quote is one key quote of a dossier's quotes.md.
type Quote struct {
	ID      string   // stable anchor: q-<speaker>-<date>-<n>
	Dossier *Dossier // the dossier whose quotes.md it is in, filled by resolve
	// Lang is the language of its quotes file (quotes.en.md: en), which
	// says in which language's tree its page is.
	Lang    string
	Speaker Ref
	// Date is the day the words were said; zero for an undated quote
	// (Undated), which lists put after the dated ones and the timeline
	// leaves out.
	Date    Date
	Undated bool
	// Kind is QuoteFull, QuoteFragment or QuoteReported.
	Kind string
	// Key marks a quote the curator chose for the dossier page ({key}).
	Key bool
	// SourceURL is the primary source of the words ({source=https://…}).
	SourceURL string
	// Text is the quote's Markdown; Context the rest of the attribution line.
	Text    Body
	Context Body
	Pos     diag.Pos

	SpeakerActor *Actor // filled by resolve
	Card         *Card  // filled by the media step
}

// Actor is one person, state or organisation: content/actors/<slug>.md.
type Actor struct {
	Stamp uint64
	Slug  string
	File  string
	// Lang is the language of the file (putin.en.md: en; the site's
	// default language without a suffix): its page is in that tree.
	Lang    string
	Name    string
	Kind    string
	Aliases []Ref // Ref.Slug holds the alias text
	Role    string
	Country Ref
	// RedirectFrom lists the actor's old site paths (see Dossier).
	RedirectFrom []Ref
	// Image is the portrait (front matter "image"), nil when none.
	Image *Image
	Body  Body

	// Filled by resolve.
	CountryActor *Actor
	Citizens     []*Actor // actors whose country is this one
	Dossiers     []*Dossier
	Quotes       []*Quote
	Treaties     []*Treaty // treaties it is a party to or signed
	RelatedTo    []RelatedActor
	MentionedBy  []*Dossier

	// Filled by the media step (see Dossier).
	Picture *Picture
	Card    *Card
}

// RelatedActor is an actor co-occurring with another in Count dossiers.
type RelatedActor struct {
	Actor *Actor
	Count int
}

// Treaty is one treaty, agreement or background document: content/treaties/<slug>.md.
type Treaty struct {
	Stamp uint64
	Slug  string
	File  string
	Lang  string // as an actor's
	Title string
	// Kind is one of TreatyKinds ("" when the front matter names none:
	// a treaty). Use KindOrDefault.
	Kind    string
	Signed  Date
	Parties []Ref
	// Signatories are the people who signed it (actor slugs), beside the
	// parties it binds.
	Signatories  []Ref
	Status       string
	Supersedes   []Ref
	SupersededBy Ref
	RedirectFrom []Ref  // old site paths (see Dossier)
	Image        *Image // the document image (front matter "image"), nil when none
	Body         Body

	// Filled by resolve.
	PartyList        []*Actor
	SignatoryList    []*Actor
	SupersedesList   []*Treaty
	SupersededByItem *Treaty
	Chain            []*Treaty // the whole supersession chain, oldest first, including this one
	Dossiers         []*Dossier

	// Filled by the media step (see Dossier).
	Picture *Picture
	Card    *Card
}

// Site is everything a build knows about the content.
type Site struct {
	Dossiers []*Dossier // newest first once resolved
	Actors   []*Actor   // by name once resolved
	Treaties []*Treaty  // by signature date once resolved
	Quotes   []*Quote   // newest first once resolved
	Tags     []*Tag     // by name
	// Translations maps the key of each entity of the site's language
	// (Key; QuoteKey for a quote) to the site path of its page in every
	// language that has it, its own included: its hreflang alternates and
	// language switcher. Nil on a site of one language.
	Translations map[string]map[string]string
	// Broken holds the keys (see Key) of entities whose file exists but was
	// refused with an error already reported; resolve does not report the
	// references to them again, so a curator sees the cause, not its echoes.
	Broken map[string]bool
}

// Tag is a tag with its dossiers.
type Tag struct {
	Slug     string
	Lang     string // the language tree whose tag page it is
	Dossiers []*Dossier
	// Spellings are the ways curators wrote the tag, each once, in the
	// order of the dossiers' files: the first is its display name (unless
	// dossier.toml names it); more than one is worth a warning.
	Spellings []Ref
}

// Key returns the entity key used in link tables: "dossier/x", "actor/x", "treaty/x".
func Key(kind, slug string) string { return kind + "/" + slug }

// QuoteKey is the key of a quote in Site.Translations.
func QuoteKey(dossier, id string) string { return "quote/" + dossier + "/" + id }

// ForEachBody calls fn for every Markdown body of the site.
func (s *Site) ForEachBody(fn func(*Body)) {
	for _, d := range s.Dossiers {
		fn(&d.Body)
		for _, q := range d.Quotes {
			fn(&q.Text)
			fn(&q.Context)
		}
	}
	for _, a := range s.Actors {
		fn(&a.Body)
	}
	for _, t := range s.Treaties {
		fn(&t.Body)
	}
}

// KindOrDefault is the treaty's kind, "treaty" when none was written.
func (t *Treaty) KindOrDefault() string {
	if t.Kind == "" {
		return TreatyKinds[0]
	}
	return t.Kind
}
