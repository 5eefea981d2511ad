// Package view owns what every template receives: the page (its kind,
// entity, lists, pager, map and JSON-LD) and the site-wide data, with the
// methods templates call on them.
package view

import (
	"html/template"
	"strings"
	"unicode"

	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/i18n"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/urls"
)

// Page is what every template receives. Exactly one of the entity fields is
// set on an entity page; list pages use the list fields.
type Page struct {
	Site        *SiteInfo
	Kind        string // home, dossier, actors, actor, treaties, treaty, quotes, quote, timeline, tags, tag, map, search, 404
	Section     string // the navigation entry to mark current: dossiers, actors, treaties, quotes, timeline, map, search
	Title       string
	Description string
	Path        string // site-relative: "actors/kim-jong-un/"
	Lang        string
	NoIndex     bool // 404 and filter pages: keep out of search engines

	Dossier *model.Dossier
	Actor   *model.Actor
	Treaty  *model.Treaty
	Quote   *model.Quote
	Tag     *model.Tag

	Dossiers   []*model.Dossier
	Treaties   []*model.Treaty
	Quotes     []*model.Quote
	Tags       []*model.Tag
	ActorKinds []ActorGroup
	QuoteDays  []QuoteGroup
	Years      []YearGroup
	Filters    []Filter // timeline filter links
	Pager      *Pager
	// MoreDossiers and MoreQuotes count what an entity page left out of its
	// lists; the theme links to the entity's timeline for the rest.
	MoreDossiers, MoreQuotes int
	// Related holds the actors most often named with an actor (the
	// first of Actor.RelatedTo), MoreRelated how many more there are.
	Related     []model.RelatedActor
	MoreRelated int
	Map         template.HTML // relationship map SVG
	MapList     []MapEdge     // the map as text, its accessible alternative
	MapKeys     []MapKey      // the map's legend: the kinds it draws, and only those
	MapMore     []MapMore     // what the map left out, and where it is listed
	MapMinor    int           // links the map hides until "all links" is chosen
	JSONLD      any           // schema.org data, written as JSON by html/template
	// Code says that the page shows highlighted code (ShowsCode): the
	// theme links the code stylesheet (its light and dark colours, 9 KB)
	// from such pages only, 455 of the 60,822 of the 10,000-dossier
	// corpus, instead of 140 bytes of every page.
	Code   bool
	OGType string
	// Translations are the page in each language of a site of several
	// (none on a site of one), for the language switcher: a language with
	// no version of the page has its home, Missing. Alternates are the
	// versions that exist, with x-default, for <link rel="alternate"
	// hreflang>: none when the page has no translation.
	Translations []Translation
	Alternates   []Translation
}

// Translation is one language's version of a page.
type Translation struct {
	Lang    string // "fr", or "x-default" among Alternates
	Name    string // the language's own name: Français
	Path    string // site-relative
	Current bool   // the page itself
	Missing bool   // no version in this language: Path is its home
}

// SectionTranslations are the versions of a section's first page (key:
// urls.Actors…; "" for the home) in every language of a site of several.
func SectionTranslations(info *SiteInfo, key string) []Translation {
	trees := info.URLs.Trees()
	if len(trees) < 2 {
		return nil
	}
	out := make([]Translation, len(trees))
	for i, t := range trees {
		out[i] = Translation{Lang: t.Lang, Name: i18n.LanguageName(t.Lang), Path: t.Section(key), Current: t == info.Tree}
	}
	return out
}

// EntityTranslations are the versions of an entity's page, from its paths
// by language (model.Site.Translations), in every language of a site of
// several; lang is the page's own.
func EntityTranslations(info *SiteInfo, paths map[string]string, lang string) []Translation {
	trees := info.URLs.Trees()
	if len(trees) < 2 {
		return nil
	}
	out := make([]Translation, len(trees))
	for i, t := range trees {
		p, ok := paths[t.Lang]
		out[i] = Translation{Lang: t.Lang, Name: i18n.LanguageName(t.Lang), Path: p, Current: t.Lang == lang, Missing: !ok}
		if !ok {
			out[i].Path = t.Section("")
		}
	}
	return out
}

// Alternates are the versions of translations that exist, then
// x-default (the default language's, listed first), or none when only
// one exists: what hreflang links and sitemap alternates list.
func Alternates(translations []Translation) []Translation {
	var out []Translation
	for _, t := range translations {
		if !t.Missing {
			out = append(out, Translation{Lang: t.Lang, Path: t.Path})
		}
	}
	if len(out) < 2 || translations[0].Missing {
		return nil
	}
	return append(out, Translation{Lang: "x-default", Path: translations[0].Path})
}

// SiteInfo is the site-wide data of every page.
type SiteInfo struct {
	Title       string
	Description string
	Lang        string
	BaseURL     string // as configured, ends with /
	BasePath    string // path part, ends with /
	Origin      string // scheme://host, or ""
	Serve       bool   // true in the dev server
	Counts      map[string]int
	TagNames    map[string]string
	// URLs is the site's URL scheme, Tree the pages' language tree in it.
	URLs *urls.Scheme
	Tree *urls.Tree
}

// ActorGroup is the actors of one kind.
type ActorGroup struct {
	Kind   string
	Actors []*model.Actor
}

// QuoteGroup is the quotes said on one day.
type QuoteGroup struct {
	Date    model.Date
	Undated bool // quotes without a date (Date is then their dossier's)
	Quotes  []*model.Quote
}

// YearGroup is one year of the timeline.
type YearGroup struct {
	Year    int
	Entries []TimelineEntry
}

// TimelineEntry is one dated event: a dossier, a treaty signature or a quote.
type TimelineEntry struct {
	Date    model.Date
	Kind    string // dossier | treaty | quote
	Dossier *model.Dossier
	Treaty  *model.Treaty
	Quote   *model.Quote
}

// Key names the entry's event for partialCached: a dossier appears on the
// timelines of each of its actors.
func (e TimelineEntry) Key() string {
	switch {
	case e.Dossier != nil:
		return "dossier/" + e.Dossier.Slug
	case e.Treaty != nil:
		return "treaty/" + e.Treaty.Slug
	case e.Quote != nil:
		return "quote/" + e.Quote.Dossier.Slug + "/" + e.Quote.ID
	}
	return e.Kind
}

// Filter is a link that narrows a list (timeline by actor).
type Filter struct {
	Label   string
	Path    string
	Current bool
}

// Pager links the pages of a paginated list.
type Pager struct {
	Number, Total int
	Prev, Next    string // site-relative paths, "" at the ends
}

// MapEdge is one relation of the map, as text.
type MapEdge struct {
	From, To         string
	FromPath, ToPath string // site-relative paths, for the url function
	Weight           int
	Text             string // what the relation is, in words
}

// MapKey is one entry of a map's legend: a kind of node (Edge false: its
// class is node--<Class>) or of edge (edge--<Class>), and its name.
type MapKey struct {
	Class, Text string
	Edge        bool
	Count       int // how many the map draws
}

// MapMore says what a map left out: Text ("and 12 more related actors")
// links to Fragment on the page ("side-related-actors") or to Path.
type MapMore struct {
	Text, Fragment, Path string
}

// MethodReads declares, for each method a template may call on what it
// receives, the fields of the receiver the method reads: the page cache
// (package reads) signs a page by what its template reads, and a method
// hides its reads from the template's parse tree. A method missing here
// makes the templates that call it executed on every build
// (TestMethodsDeclareTheirReads lists the view's).
var MethodReads = map[string][]string{
	"view.Page.T":          {"Lang"},
	"view.Page.Plural":     {"Lang"},
	"view.Page.Agree":      {"Lang"},
	"view.Page.Months":     {"Lang"},
	"view.Page.TreatyKind": {"Lang"},
	"view.Page.FilterKey":  {"Filters"},
	"view.Page.TagName":    {"Site.TagNames"},
	"view.Page.Date":       {"Lang"},
	"view.Page.URL":        {"Site.BasePath", "Path"},
	// The tree is the settings': a new one starts a new page cache.
	"view.Page.SectionPath":  {},
	"view.Page.Permalink":    {"Site.Origin", "Site.BasePath", "Path"},
	"view.SiteInfo.Absolute": {"Origin", "BasePath"},
	"view.TimelineEntry.Key": {"Kind", "Dossier.Slug", "Treaty.Slug", "Quote.ID", "Quote.Dossier.Slug"},
	"model.Body.Text":        {"HTML"},
}

// T returns the interface label for key in the page language. With a count
// as its one argument it prefers the singular key.one when the count takes
// the singular in the language (i18n.One: 0 and 1 in French).
func (p *Page) T(key string, args ...any) string {
	if len(args) == 1 {
		if n, ok := args[0].(int); ok {
			return i18n.Count(p.Lang, key, n, args...)
		}
	}
	return i18n.Label(p.Lang, key, args...)
}

// Plural returns the label key in the page language for a count of n,
// without the number: "dossier" for 1, "dossiers" otherwise (key.one is
// the singular).
func (p *Page) Plural(key string, n int) string { return i18n.Count(p.Lang, key, n) }

// Agree returns the label key in the page language agreeing with a treaty
// of the given kind: "Signée le" for a French declaration (i18n.Agree).
// kind may be missing (nil, from a dict without it: a site layout written
// before kinds), which is a treaty.
func (p *Page) Agree(key string, kind any) string {
	k, _ := kind.(string)
	return i18n.Agree(p.Lang, key, k)
}

// TreatyKind names a kind of treaty in the page language: "Déclaration".
func (p *Page) TreatyKind(kind string) string { return i18n.TreatyKind(p.Lang, kind).Name }

// FilterKey names the page's timeline filter bar for partialCached: the path
// of the current filter, or "" when none of the bar is current (the bar is
// then the same as on the site timeline).
func (p *Page) FilterKey() string {
	for _, f := range p.Filters {
		if f.Current {
			return f.Path
		}
	}
	return ""
}

// TagName is a tag's display name: from [tags] in dossier.toml, else the
// slug with spaces.
func (p *Page) TagName(slug string) string {
	if name, ok := p.Site.TagNames[slug]; ok {
		return name
	}
	return strings.ReplaceAll(slug, "-", " ")
}

// Months lists the month names of the page language, comma-separated,
// for the search script to write dates as the pages do.
func (p *Page) Months() string { return strings.Join(i18n.MonthNames(p.Lang), ",") }

// Date formats a date in the page language.
func (p *Page) Date(d model.Date) string { return i18n.FormatDate(p.Lang, d) }

// SectionPath is the path of a section of the page's language tree, by
// its key (urls.Actors: "actors"): "acteurs/" on a French tree,
// "en/actors/" on an English one; "" is the tree's home, and a file name
// ("feed.xml") the tree's file. With a slug, it is the page of that slug
// in the section: SectionPath "timeline" "putin" is "chronologie/putin/".
func (p *Page) SectionPath(key string, slug ...string) string {
	s := p.Site.Tree.Section(key)
	for _, x := range slug {
		s += x + "/"
	}
	return s
}

// URL is the page's own URL path (with the base path).
func (p *Page) URL() string { return p.Site.BasePath + p.Path }

// Permalink is the page's absolute URL, or "" when baseURL has no host
// (canonical and og:url must be absolute, so the theme then leaves them out).
func (p *Page) Permalink() string {
	if p.Site.Origin == "" {
		return ""
	}
	return p.Site.Origin + p.Site.BasePath + p.Path
}

// ShowsCode reports whether the page shows highlighted code: a fenced
// block in the body of its dossier, actor or treaty, or in the text of a
// quote it shows or lists. The lister sets Page.Code from it once the
// page's lists are made. (A function, not a method: a method would hide
// from the page cache that it reads the lists' quotes.)
func ShowsCode(p *Page) bool {
	// A quote's page and a timeline hold a dossier or an actor without
	// showing its body: only the entity's own page does.
	switch {
	case p.Kind == "dossier" && p.Dossier != nil && hasCode(p.Dossier.Body.HTML),
		p.Kind == "actor" && p.Actor != nil && hasCode(p.Actor.Body.HTML),
		p.Kind == "treaty" && p.Treaty != nil && hasCode(p.Treaty.Body.HTML),
		p.Quote != nil && hasCode(p.Quote.Text.HTML):
		return true
	}
	for _, q := range p.Quotes {
		if hasCode(q.Text.HTML) {
			return true
		}
	}
	for _, g := range p.QuoteDays {
		for _, q := range g.Quotes {
			if hasCode(q.Text.HTML) {
				return true
			}
		}
	}
	for _, y := range p.Years {
		for _, e := range y.Entries {
			if e.Quote != nil && hasCode(e.Quote.Text.HTML) {
				return true
			}
		}
	}
	return false
}

// hasCode reports whether rendered Markdown holds a highlighted block (the
// markup generator/markdown writes for one).
func hasCode(h template.HTML) bool { return strings.Contains(string(h), `<pre class="chroma"`) }

// Initials returns up to two initials for an actor's badge: "Kim Jong-un" → "KJ".
func Initials(name string) string {
	var out []rune
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == '-' }) {
		r := []rune(w)[0]
		if unicode.IsLetter(r) && unicode.IsUpper(r) {
			out = append(out, r)
		}
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 && name != "" {
		out = append(out, unicode.ToUpper([]rune(name)[0]))
	}
	return string(out)
}

// NewSiteInfo makes the site-wide data of a build.
func NewSiteInfo(cfg config.Site, serve bool) *SiteInfo {
	return &SiteInfo{
		Title:       cfg.Title,
		Description: cfg.Description,
		Lang:        cfg.Language,
		BaseURL:     cfg.BaseURL,
		BasePath:    cfg.BasePath(),
		Origin:      cfg.Origin(),
		Serve:       serve,
		TagNames:    cfg.Tags,
		URLs:        cfg.URLs(),
		Tree:        cfg.URLs().Tree(cfg.Language),
	}
}

// Absolute returns an absolute URL for a site path when the site has an
// origin, else the rooted path (feeds then work only behind the same host).
func (s *SiteInfo) Absolute(path string) string { return s.Origin + s.BasePath + path }
