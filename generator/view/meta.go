package view

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dossier-ssg/dossier/generator/model"
)

// Meta returns what baseof.html writes from <title> to the twitter:card
// meta tag: the title, description, robots, canonical and alternate
// links, Open Graph and the card of the page's entity. It writes the
// bytes the template text it replaced wrote, escaped as html/template
// escapes a string in each place (TestMetaEqualsTheTemplate executes
// that text, metaTemplate, on every page of several sites and compares).
// As template text it was ~30 reflected calls a page (~130 objects), a
// tenth of the objects a build's templates allocate.
//
// A site whose baseof.html writes its own head need not call it; what it
// reads is declared in MethodReads.
func (p *Page) Meta() template.HTML {
	var b strings.Builder
	b.Grow(p.metaSize())
	b.WriteString("<title>")
	if p.Kind == "home" {
		escapeText(&b, p.Site.Title)
	} else {
		escapeText(&b, p.Title)
		b.WriteString(" · ")
		escapeText(&b, p.Site.Title)
	}
	if p.Pager != nil && p.Pager.Number > 1 {
		b.WriteString(" · ")
		escapeText(&b, p.T("page.of", p.Pager.Number, p.Pager.Total))
	}
	b.WriteString("</title>")
	if p.Description != "" {
		metaTag(&b, "name", "description", p.Description)
	}
	b.WriteString("\n<meta name=\"color-scheme\" content=\"light dark\">" +
		"\n<meta name=\"theme-color\" content=\"#fdfcfa\" media=\"(prefers-color-scheme: light)\">" +
		"\n<meta name=\"theme-color\" content=\"#151413\" media=\"(prefers-color-scheme: dark)\">")
	if p.NoIndex {
		b.WriteString("\n<meta name=\"robots\" content=\"noindex\">")
	}
	b.WriteString("\n")
	permalink := p.Permalink()
	if permalink != "" {
		b.WriteString("<link rel=\"canonical\" href=\"")
		escapeURL(&b, permalink)
		b.WriteString("\">")
	}
	for _, t := range p.Alternates {
		b.WriteString("\n<link rel=\"alternate\" hreflang=\"")
		escapeText(&b, t.Lang)
		b.WriteString("\" href=\"")
		escapeURL(&b, p.Site.Absolute(t.Path))
		b.WriteString("\">")
	}
	metaTag(&b, "property", "og:title", p.Title)
	metaTag(&b, "property", "og:type", p.OGType)
	b.WriteString("\n")
	if permalink != "" {
		b.WriteString("<meta property=\"og:url\" content=\"")
		escapeText(&b, permalink)
		b.WriteString("\">")
	}
	if p.Description != "" {
		metaTag(&b, "property", "og:description", p.Description)
	}
	metaTag(&b, "property", "og:site_name", p.Site.Title)
	switch p.Lang {
	case "fr":
		b.WriteString("\n<meta property=\"og:locale\" content=\"fr_FR\">")
	case "en":
		b.WriteString("\n<meta property=\"og:locale\" content=\"en_GB\">")
	}
	// Open Graph wants absolute URLs: without a host in baseURL, no
	// og:image (and so the small twitter:card).
	if card := p.card(); card != nil {
		metaTag(&b, "property", "og:image", p.Site.Absolute(card.Path))
		metaTag(&b, "property", "og:image:width", strconv.Itoa(card.Width))
		metaTag(&b, "property", "og:image:height", strconv.Itoa(card.Height))
		if card.Alt != "" {
			metaTag(&b, "property", "og:image:alt", card.Alt)
		}
		b.WriteString("\n<meta name=\"twitter:card\" content=\"summary_large_image\">")
	} else {
		b.WriteString("\n<meta name=\"twitter:card\" content=\"summary\">")
	}
	return template.HTML(b.String())
}

// metaSize is room for Meta's text: its fixed part and every value it
// writes, twice for those written twice, with some left for escapes, so
// that the text is made in one allocation (growing from 1 KB made 2.4 KB
// of garbage a page).
func (p *Page) metaSize() int {
	url := len(p.Site.Origin) + len(p.Site.BasePath) + len(p.Path)
	n := 450 + 2*len(p.Title) + 2*len(p.Description) + 2*len(p.Site.Title) + 2*url + len(p.OGType)
	for _, t := range p.Alternates {
		n += 48 + len(t.Lang) + len(p.Site.Origin) + len(p.Site.BasePath) + len(t.Path)
	}
	if card := p.card(); card != nil {
		n += 240 + len(p.Site.Origin) + len(p.Site.BasePath) + len(card.Path) + len(card.Alt)
	}
	return n + n/8
}

// card is the social card of the page's entity, nil without one or
// without a host in baseURL.
func (p *Page) card() *model.Card {
	if p.Site.Origin == "" {
		return nil
	}
	switch {
	case p.Kind == "dossier":
		return p.Dossier.Card
	case p.Kind == "actor":
		return p.Actor.Card
	case p.Kind == "treaty":
		return p.Treaty.Card
	case p.Kind == "quote":
		return p.Quote.Card
	}
	return nil
}

// metaTag writes "\n<meta attr="name" content="value">".
func metaTag(b *strings.Builder, attr, name, value string) {
	b.WriteString("\n<meta ")
	b.WriteString(attr)
	b.WriteString("=\"")
	b.WriteString(name)
	b.WriteString("\" content=\"")
	escapeText(b, value)
	b.WriteString("\">")
}

// escapeText writes s as html/template writes a string in text, RCDATA
// (<title>) or a quoted attribute that is not a URL: its rcdata and attr
// escapers, which replace the same characters.
func escapeText(b *strings.Builder, s string) {
	written := 0
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		var repl string
		switch r {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		}
		if repl != "" {
			b.WriteString(s[written:i])
			b.WriteString(repl)
			written = i + w
		}
		i += w
	}
	b.WriteString(s[written:])
}

// escapeURL writes s as html/template writes a string in a quoted URL
// attribute (href): its URL filter (a scheme other than http, https or
// mailto becomes "#ZgotmplZ"), normalizer (bytes outside RFC 3986's
// reserved and unreserved sets, and a % not starting an escape, are
// percent-encoded) and attribute escaper.
func escapeURL(b *strings.Builder, s string) {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			s = "#ZgotmplZ"
		}
	}
	var n strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0,
			'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		}
		if written == 0 {
			n.Grow(len(s) + 16)
		}
		n.WriteString(s[written:i])
		fmt.Fprintf(&n, "%%%02x", c)
		written = i + 1
	}
	if written != 0 {
		n.WriteString(s[written:])
		s = n.String()
	}
	escapeText(b, s)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
