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

// Files are the files static hosts and crawlers look for.
func Files(site *model.Site, info *view.SiteInfo, cfg config.Site) map[string][]byte {
	return map[string][]byte{
		"feed.xml":    Feed(site, info, cfg),
		"sitemap.xml": sitemap(site, info),
		"robots.txt":  []byte("User-agent: *\nAllow: /\n\nSitemap: " + info.Absolute("sitemap.xml") + "\n"),
	}
}

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
		ID:       info.Absolute(""),
		Links: []atomLink{
			{Href: info.Absolute("feed.xml"), Rel: "self", Type: "application/atom+xml"},
			{Href: info.Absolute(""), Rel: "alternate", Type: "text/html"},
		},
		Author: atomPerson{Name: author},
		Gen:    "dossier",
	}
	var newest model.Date
	for i, d := range site.Dossiers {
		if i == FeedSize {
			break
		}
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
			ID:        info.Absolute(urls.Dossier(d.Slug)),
			Link:      atomLink{Href: info.Absolute(urls.Dossier(d.Slug)), Rel: "alternate", Type: "text/html"},
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

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapDoc struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

// sitemap lists the canonical pages with the date of the content they show.
func sitemap(site *model.Site, info *view.SiteInfo) []byte {
	var doc sitemapDoc
	add := func(path string, d model.Date) {
		doc.URLs = append(doc.URLs, sitemapURL{Loc: info.Absolute(path), LastMod: d.ISO()})
	}
	var newest model.Date
	if len(site.Dossiers) > 0 {
		newest = site.Dossiers[0].Date
	}
	add("", newest)
	for _, d := range site.Dossiers {
		add(urls.Dossier(d.Slug), revised(d))
		if len(d.Quotes) > 0 {
			add(urls.DossierQuotes(d.Slug), d.Date)
		}
		for _, q := range d.Quotes {
			add(urls.Quote(q.Dossier.Slug, q.ID), d.Date)
		}
	}
	add(urls.Actors, newest)
	for _, a := range site.Actors {
		var last model.Date
		if len(a.Dossiers) > 0 {
			last = a.Dossiers[0].Date
		}
		add(urls.Actor(a.Slug), last)
	}
	add(urls.Treaties, newest)
	for _, t := range site.Treaties {
		last := t.Signed
		if len(t.Dossiers) > 0 && t.Dossiers[0].Date.After(last.Time) {
			last = t.Dossiers[0].Date
		}
		add(urls.Treaty(t.Slug), last)
	}
	add(urls.Quotes, newest)
	add(urls.Timeline, newest)
	add(urls.Map, newest)
	add(urls.Tags, newest)
	for _, tag := range site.Tags {
		add(urls.Tag(tag.Slug), tag.Dossiers[0].Date)
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
