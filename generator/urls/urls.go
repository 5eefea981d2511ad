// Package urls owns the URL scheme: where each page of the content model
// lives in the built site. Every path is relative to the site root and ends
// in "/" (the page is that folder's index.html); the base URL is put in
// front later. Nothing else in the generator spells a section name, so a
// new page kind or a translated tree changes this file alone.
package urls

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Section keys: the sections of a language tree, by the name a theme and
// dossier.toml use for them ([languages.fr.sections] actors = "acteurs").
const (
	Dossiers = "dossiers"
	Actors   = "actors"
	Treaties = "treaties"
	Quotes   = "quotes"
	Tags     = "tags"
	Timeline = "timeline"
	Map      = "map"
	Search   = "search"
)

// SectionKeys lists the section keys in a fixed order.
var SectionKeys = []string{Dossiers, Actors, Treaties, Quotes, Tags, Timeline, Map, Search}

// Home is the path of a tree's home page relative to its root, and
// NotFound the page hosts serve for any missing path (a file, not a
// folder; the default language's tree only, at the site root).
const (
	Home     = ""
	NotFound = "404.html"
)

// defaultSections are the folder names of each section by language: a
// French tree reads /acteurs/, an English one /actors/. A language not
// listed uses the English names.
var defaultSections = map[string]map[string]string{
	"fr": {Dossiers: "dossiers", Actors: "acteurs", Treaties: "traites", Quotes: "citations", Tags: "themes",
		Timeline: "chronologie", Map: "carte", Search: "recherche"},
	"en": {Dossiers: "dossiers", Actors: "actors", Treaties: "treaties", Quotes: "quotes", Tags: "tags",
		Timeline: "timeline", Map: "map", Search: "search"},
}

// DefaultSection is the folder name of section key in lang when
// dossier.toml does not name it.
func DefaultSection(lang, key string) string {
	if m, ok := defaultSections[lang]; ok {
		return m[key]
	}
	return defaultSections["en"][key]
}

// Tree is the URL tree of one language: its prefix ("" at the site root,
// "en/" for a language in a subfolder) and its section folders.
type Tree struct {
	Lang     string
	Prefix   string
	sections map[string]string // key → "acteurs/"
}

// Section is the path of a section's first page in the tree ("acteurs/",
// "en/actors/"); Section(Home) is the tree's home, and another name a
// file of the tree (Section("feed.xml") is "en/feed.xml").
func (t *Tree) Section(key string) string {
	if s, ok := t.sections[key]; ok {
		return t.Prefix + s
	}
	return t.Prefix + key
}

// Dossier is the page of a dossier.
func (t *Tree) Dossier(slug string) string { return t.Section(Dossiers) + slug + "/" }

// Actor is the page of an actor.
func (t *Tree) Actor(slug string) string { return t.Section(Actors) + slug + "/" }

// Treaty is the page of a treaty.
func (t *Tree) Treaty(slug string) string { return t.Section(Treaties) + slug + "/" }

// Quote is the page of one quote of a dossier.
func (t *Tree) Quote(dossier, id string) string { return t.Section(Quotes) + dossier + "/" + id + "/" }

// DossierQuotes is the page listing every quote of a dossier.
func (t *Tree) DossierQuotes(dossier string) string { return t.Section(Quotes) + dossier + "/" }

// Tag is the first page of a tag's dossiers.
func (t *Tree) Tag(slug string) string { return t.Section(Tags) + slug + "/" }

// ActorTimeline is the timeline filtered to one actor.
func (t *Tree) ActorTimeline(slug string) string { return t.Section(Timeline) + slug + "/" }

// Attachment is a file of a dossier folder, published beside its page.
func (t *Tree) Attachment(dossier, name string) string { return t.Dossier(dossier) + name }

// Feed, Sitemap and SearchIndex are the tree's Atom feed, sitemap and the
// folder of its search index (beside the search page).
func (t *Tree) Feed() string        { return t.Prefix + "feed.xml" }
func (t *Tree) Sitemap() string     { return t.Prefix + "sitemap.xml" }
func (t *Tree) SearchIndex() string { return t.Section(Search) }

// Entity is the page of an entity by kind ("dossier", "actor", "treaty"),
// or "" for another kind.
func (t *Tree) Entity(kind, slug string) string {
	switch kind {
	case "dossier":
		return t.Dossier(slug)
	case "actor":
		return t.Actor(slug)
	case "treaty":
		return t.Treaty(slug)
	}
	return ""
}

// Key is Entity for a model key ("actor/kim-jong-un").
func (t *Tree) Key(key string) string {
	kind, slug, _ := strings.Cut(key, "/")
	return t.Entity(kind, slug)
}

// Scheme is the URL scheme of a site: one tree per language, the default
// language's first.
type Scheme struct {
	trees  []*Tree
	byLang map[string]*Tree
}

// Language is what a Scheme needs of one language of the site.
type Language struct {
	Lang string
	// Sections overrides the default folder names by section key.
	Sections map[string]string
}

// NewScheme makes the scheme of a site whose languages are langs, the
// default first. The default language's tree is at the root unless
// defaultInSubdir (Hugo's defaultContentLanguageInSubdir); the others are
// under their language code. Section names must have been checked
// (CheckSection).
func NewScheme(langs []Language, defaultInSubdir bool) *Scheme {
	s := &Scheme{byLang: map[string]*Tree{}}
	for i, l := range langs {
		t := &Tree{Lang: l.Lang, sections: map[string]string{}}
		if i > 0 || defaultInSubdir {
			t.Prefix = l.Lang + "/"
		}
		for _, key := range SectionKeys {
			name := l.Sections[key]
			if name == "" {
				name = DefaultSection(l.Lang, key)
			}
			t.sections[key] = name + "/"
		}
		s.trees = append(s.trees, t)
		s.byLang[l.Lang] = t
	}
	return s
}

// Single is the scheme of a site in one language, at the root, with the
// default section names.
func Single(lang string) *Scheme { return NewScheme([]Language{{Lang: lang}}, false) }

// Tree is the tree of lang; a language the site does not have (a
// dossier's lang: de on a French site) lives in the default tree.
func (s *Scheme) Tree(lang string) *Tree {
	if t, ok := s.byLang[lang]; ok {
		return t
	}
	return s.trees[0]
}

// Default is the default language's tree.
func (s *Scheme) Default() *Tree { return s.trees[0] }

// Trees lists every tree, the default language's first.
func (s *Scheme) Trees() []*Tree { return s.trees }

// Has reports whether lang has a tree of its own.
func (s *Scheme) Has(lang string) bool { _, ok := s.byLang[lang]; return ok }

// CheckSection says what is wrong with a section folder name, or "".
func CheckSection(name string) string {
	if name == "" || Slugify(name, SlugSafe) != name {
		return "a section name is lower-case letters, digits and single hyphens, such as \"acteurs\""
	}
	if name == "page" || strings.HasSuffix(name, ".xml") {
		return "this name is taken by the site's own files"
	}
	return ""
}

// Page is page n (from 1) of a paginated list whose first page is first:
// first itself, then first+"page/2/"…
func Page(first string, n int) string {
	if n <= 1 {
		return first
	}
	return first + "page/" + strconv.Itoa(n) + "/"
}

// File is the output file of a page path.
func File(path string) string {
	if path == NotFound {
		return path
	}
	return path + "index.html"
}

// Redirect normalises an old site path an entity was once at (its
// redirect_from): "/dossiers/old/" and "dossiers/old" give "dossiers/old/";
// a path ending in .html stays a file. msg says what is wrong, or is "".
func Redirect(old string) (p, msg string) {
	u, err := url.Parse(old)
	switch {
	case err != nil:
		return "", "not a path"
	case u.Scheme != "" || u.Host != "":
		return "", "give a path on this site (such as /dossiers/old-name/), not a full URL"
	case u.RawQuery != "" || u.Fragment != "":
		return "", "a path cannot hold ? or #"
	}
	p = strings.TrimPrefix(u.Path, "/")
	for _, seg := range strings.Split(strings.TrimSuffix(p, "/"), "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", "give a path such as /dossiers/old-name/ (no empty, . or .. parts)"
		}
	}
	if strings.HasSuffix(p, ".html") {
		return p, ""
	}
	return strings.TrimSuffix(p, "/") + "/", ""
}

// RedirectFile is the output file of a normalised redirect path.
func RedirectFile(p string) string {
	if strings.HasSuffix(p, ".html") {
		return p
	}
	return File(p)
}

// Slug strategies for text a curator writes (tags), as Zola's slugify:
// SlugOn transliterates to ASCII where it can ("Corée du Nord" →
// "coree-du-nord"); SlugSafe keeps letters of every script with their
// accents ("corée-du-nord").
const (
	SlugOn   = "on"
	SlugSafe = "safe"
)

// foldedLetters are Latin letters that do not decompose into a base letter
// and marks.
var foldedLetters = map[rune]string{'œ': "oe", 'æ': "ae", 'ß': "ss", 'ø': "o", 'đ': "d", 'ł': "l", 'þ': "th", 'ð': "d", 'ı': "i"}

// Slugify makes a URL slug of text: lower case, words joined by "-".
// Letters of scripts without an ASCII spelling (Korean, Cyrillic) are kept
// with SlugOn too, so no tag ever has an empty slug.
func Slugify(text, strategy string) string {
	var b strings.Builder
	gap := false
	write := func(s string) {
		if gap && b.Len() > 0 {
			b.WriteByte('-')
		}
		gap = false
		b.WriteString(s)
	}
	for _, r := range norm.NFD.String(strings.ToLower(text)) {
		switch {
		case unicode.Is(unicode.Mn, r): // an accent, after its letter
			if strategy == SlugSafe && b.Len() > 0 && !gap {
				b.WriteRune(r)
			}
		case strategy != SlugSafe && foldedLetters[r] != "":
			write(foldedLetters[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			write(string(r))
		default:
			gap = true
		}
	}
	return norm.NFC.String(b.String())
}

// Relative returns target (a slash path from the site root) relative to
// the folder dir (also from the root; "." or "" for the root).
func Relative(dir, target string) string {
	if dir == "." {
		dir = ""
	}
	depth := 0
	if dir != "" {
		depth = strings.Count(dir, "/") + 1
	}
	prefix := strings.Repeat("../", depth)
	if target == "" {
		if prefix == "" {
			return "./"
		}
		return prefix
	}
	return prefix + target
}

// MediaDir is the folder of published images and social cards.
const MediaDir = "media/"

// Media is a published image file (a variant or a card), by its
// fingerprinted name.
func Media(name string) string { return MediaDir + name }
