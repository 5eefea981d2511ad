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

// The sections of the site.
const (
	Home     = ""
	Dossiers = "dossiers/"
	Actors   = "actors/"
	Treaties = "treaties/"
	Quotes   = "quotes/"
	Tags     = "tags/"
	Timeline = "timeline/"
	Map      = "map/"
	Search   = "search/"
	NotFound = "404.html" // a file, not a folder: hosts serve it for any missing page
)

// Dossier is the page of a dossier.
func Dossier(slug string) string { return Dossiers + slug + "/" }

// Actor is the page of an actor.
func Actor(slug string) string { return Actors + slug + "/" }

// Treaty is the page of a treaty.
func Treaty(slug string) string { return Treaties + slug + "/" }

// Quote is the page of one quote of a dossier.
func Quote(dossier, id string) string { return Quotes + dossier + "/" + id + "/" }

// DossierQuotes is the page listing every quote of a dossier.
func DossierQuotes(dossier string) string { return Quotes + dossier + "/" }

// Tag is the first page of a tag's dossiers.
func Tag(slug string) string { return Tags + slug + "/" }

// ActorTimeline is the timeline filtered to one actor.
func ActorTimeline(slug string) string { return Timeline + slug + "/" }

// Attachment is a file of a dossier folder, published beside its page.
func Attachment(dossier, name string) string { return Dossier(dossier) + name }

// Entity is the page of an entity by kind ("dossier", "actor", "treaty"),
// or "" for another kind.
func Entity(kind, slug string) string {
	switch kind {
	case "dossier":
		return Dossier(slug)
	case "actor":
		return Actor(slug)
	case "treaty":
		return Treaty(slug)
	}
	return ""
}

// Key is Entity for a model key ("actor/kim-jong-un").
func Key(key string) string {
	kind, slug, _ := strings.Cut(key, "/")
	return Entity(kind, slug)
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
