// Package hosting owns the files a static host and its visitors' tools read
// besides the pages: the Atom feed, the sitemap and robots.txt.
package hosting

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"time"

	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/urls"
	"github.com/dossier-ssg/dossier/generator/view"
)

// FeedSize is how many dossiers the Atom feed carries.
const FeedSize = 50

// Files are the files static hosts and crawlers look for, of the
// language tree of info: its feed and sitemap, and robots.txt (naming
// every tree's sitemap) with the default language's.
func Files(site *model.Site, info *view.SiteInfo, cfg config.Site) map[string][]byte {
	files := map[string][]byte{
		info.Tree.Feed():    Feed(site, info, cfg),
		info.Tree.Sitemap(): sitemap(site, info),
	}
	if info.Tree == info.URLs.Default() {
		robots := "User-agent: *\nAllow: /\n\n"
		for _, t := range info.URLs.Trees() {
			robots += "Sitemap: " + info.Absolute(t.Sitemap()) + "\n"
		}
		files["robots.txt"] = []byte(robots)
	}
	return files
}

// own reports whether an entity of language lang has its page in the
// tree of info (else it is another language's, linked as a fallback).
func own(info *view.SiteInfo, lang string) bool { return info.URLs.Tree(lang) == info.Tree }

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title     string       `xml:"title"`
	ID        string       `xml:"id"`
	Link      atomLink     `xml:"link"`
	Updated   string       `xml:"updated"`
	Published string       `xml:"published"`
	Authors   []atomPerson `xml:"author"`
	Summary   *atomText    `xml:"summary,omitempty"`
	Content   *atomText    `xml:"content,omitempty"`
	Category  []atomCat    `xml:"category"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

type atomFeedDoc struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Links    []atomLink  `xml:"link"`
	Updated  string      `xml:"updated"`
	Author   atomPerson  `xml:"author"`
	Gen      string      `xml:"generator"`
	Entries  []atomEntry `xml:"entry"`
}

// atomTime formats a date as RFC 3339 at midnight UTC: content dates, never
// the clock, so two builds give the same feed.
// revised is when a dossier last changed: its updated date, else its date.
func revised(d *model.Dossier) model.Date {
	if d.Updated.After(d.Date.Time) {
		return d.Updated
	}
	return d.Date
}

func atomTime(d model.Date) string {
	if d.IsZero() {
		d = model.Date{Time: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)}
	}
	return d.UTC().Format(time.RFC3339)
}

func Feed(site *model.Site, info *view.SiteInfo, cfg config.Site) []byte {
	author := cfg.Author
	if author == "" {
		author = info.Title
	}
	feed := atomFeedDoc{
		Lang:     info.Lang,
		Title:    info.Title,
		Subtitle: info.Description,
		ID:       info.Absolute(info.Tree.Section("")),
		Links: []atomLink{
			{Href: info.Absolute(info.Tree.Feed()), Rel: "self", Type: "application/atom+xml"},
			{Href: info.Absolute(info.Tree.Section("")), Rel: "alternate", Type: "text/html"},
		},
		Author: atomPerson{Name: author},
		Gen:    "dossier",
	}
	var newest model.Date
	for _, d := range FeedDossiers(site, info) {
		if revised(d).After(newest.Time) {
			newest = revised(d)
		}
		title, summary, content := d.Title, d.Summary, string(d.Body.HTML)
		if d.Lang == "fr" { // the typography of the dossier's page
			title, summary = markdown.FrenchText(title), markdown.FrenchText(summary)
			content = string(markdown.FrenchSpacing([]byte(content)))
		}
		e := atomEntry{
			Title:     title,
			ID:        info.Absolute(info.Tree.Dossier(d.Slug)),
			Link:      atomLink{Href: info.Absolute(info.Tree.Dossier(d.Slug)), Rel: "alternate", Type: "text/html"},
			Updated:   atomTime(revised(d)),
			Published: atomTime(d.Date),
			Content:   &atomText{Type: "html", Body: content},
		}
		if summary != "" {
			e.Summary = &atomText{Type: "text", Body: summary}
		}
		for _, a := range d.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: a})
		}
		if len(e.Authors) == 0 {
			name := d.Source.Author
			if name == "" {
				name = author
			}
			e.Authors = []atomPerson{{Name: name}}
		}
		for _, t := range d.Tags {
			e.Category = append(e.Category, atomCat{Term: t.Slug})
		}
		feed.Entries = append(feed.Entries, e)
	}
	feed.Updated = atomTime(newest)
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(feed); err != nil {
		panic(fmt.Sprintf("atom feed: %v", err)) // only strings and fixed structs: cannot fail
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}

// FeedDossiers are the dossiers of a tree's feed: its newest FeedSize
// dossiers in its own language.
func FeedDossiers(site *model.Site, info *view.SiteInfo) []*model.Dossier {
	var out []*model.Dossier
	for _, d := range site.Dossiers {
		if len(out) == FeedSize {
			break
		}
		if own(info, d.Lang) {
			out = append(out, d)
		}
	}
	return out
}

type sitemapURL struct {
	Loc     string        `xml:"loc"`
	LastMod string        `xml:"lastmod,omitempty"`
	Links   []sitemapLink `xml:"xhtml:link"`
}

// sitemapLink is one language version of a page (Google's sitemap
// alternates: every version, itself included, and x-default).
type sitemapLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

type sitemapDoc struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	XHTML   string       `xml:"xmlns:xhtml,attr,omitempty"`
	URLs    []sitemapURL `xml:"url"`
}

// sitemap lists the canonical pages of a language tree with the date of
// the content they show and, on a site of several languages, each page's
// versions in the others.
func sitemap(site *model.Site, info *view.SiteInfo) []byte {
	var doc sitemapDoc
	several := len(info.URLs.Trees()) > 1
	if several {
		doc.XHTML = "http://www.w3.org/1999/xhtml"
	}
	add := func(path string, d model.Date, versions []view.Translation) {
		u := sitemapURL{Loc: info.Absolute(path), LastMod: d.ISO()}
		for _, v := range view.Alternates(versions) {
			u.Links = append(u.Links, sitemapLink{Rel: "alternate", Hreflang: v.Lang, Href: info.Absolute(v.Path)})
		}
		doc.URLs = append(doc.URLs, u)
	}
	section := func(key string, d model.Date) {
		var versions []view.Translation
		if several {
			versions = view.SectionTranslations(info, key)
		}
		add(info.Tree.Section(key), d, versions)
	}
	entity := func(key, path string, d model.Date) {
		add(path, d, view.EntityTranslations(info, site.Translations[key], info.Tree.Lang))
	}
	var newest model.Date
	if len(site.Dossiers) > 0 {
		newest = site.Dossiers[0].Date
	}
	section(urls.Home, newest)
	for _, d := range site.Dossiers {
		if !own(info, d.Lang) {
			continue
		}
		entity(model.Key("dossier", d.Slug), info.Tree.Dossier(d.Slug), revised(d))
		if len(d.Quotes) > 0 {
			add(info.Tree.DossierQuotes(d.Slug), d.Date, nil)
		}
		for _, q := range d.Quotes {
			if own(info, q.Lang) {
				entity(model.QuoteKey(d.Slug, q.ID), info.Tree.Quote(d.Slug, q.ID), d.Date)
			}
		}
	}
	section(urls.Actors, newest)
	for _, a := range site.Actors {
		var last model.Date
		if len(a.Dossiers) > 0 {
			last = a.Dossiers[0].Date
		}
		if own(info, a.Lang) {
			entity(model.Key("actor", a.Slug), info.Tree.Actor(a.Slug), last)
		}
	}
	section(urls.Treaties, newest)
	for _, t := range site.Treaties {
		last := t.Signed
		if len(t.Dossiers) > 0 && t.Dossiers[0].Date.After(last.Time) {
			last = t.Dossiers[0].Date
		}
		if own(info, t.Lang) {
			entity(model.Key("treaty", t.Slug), info.Tree.Treaty(t.Slug), last)
		}
	}
	section(urls.Quotes, newest)
	section(urls.Timeline, newest)
	section(urls.Map, newest)
	section(urls.Tags, newest)
	for _, tag := range site.Tags {
		add(info.Tree.Tag(tag.Slug), tag.Dossiers[0].Date, nil)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		panic(fmt.Sprintf("sitemap: %v", err))
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}
