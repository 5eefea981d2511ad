package resolve

import (
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/urls"
)

type linker struct {
	ix   *Index
	base string
	urls *urls.Scheme
	errs *diag.List
}

// path is the site-relative URL path of an entity page ("acteurs/x/"), in
// the tree of the entity's language: an entity with no translation in
// this site's language is linked in the language it has.
func (l *linker) path(key string) string {
	kind, slug, _ := strings.Cut(key, "/")
	lang := ""
	switch kind {
	case "actor":
		lang = l.ix.Actors[slug].Lang
	case "treaty":
		lang = l.ix.Treaties[slug].Lang
	case "dossier":
		lang = l.ix.Dossiers[slug].Lang
	}
	return l.urls.Tree(lang).Key(key)
}

// links resolves the links of every body.
func (l *linker) links(site *model.Site) { site.ForEachBody(l.body) }

// body resolves the wikilinks and .md links of one body, a resolution's
// own: its link table (Body.Targets), the entities it links to and a
// signature of both.
func (l *linker) body(b *model.Body) {
	doc, ok := b.Doc.(*markdown.Doc)
	if !ok {
		return
	}
	links := doc.Links()
	b.Links = nil
	b.Targets = make([]markdown.Target, len(links))
	var sig strings.Builder
	linked := map[string]bool{}
	for i, link := range links {
		var key string
		if link.Wiki {
			b.Targets[i], key = l.wiki(b, link)
			sig.WriteString(b.Targets[i].Dest + "\x00" + b.Targets[i].Title + "\x00")
		} else {
			b.Targets[i], key = l.mdLink(b, link)
			dest := b.Targets[i].Dest
			if dest == "" {
				dest = link.Dest
			}
			sig.WriteString(dest)
			sig.WriteByte(0)
		}
		if key != "" && !linked[key] {
			linked[key] = true
			b.Links = append(b.Links, key)
		}
	}
	sort.Strings(b.Links)
	b.LinkSig = sig.String()
}

// unresolved is where a link that names nothing goes (its error says why).
var unresolved = markdown.Target{Dest: "#unresolved"}

func (l *linker) wiki(b *model.Body, n markdown.Link) (markdown.Target, string) {
	keys := l.ix.Lookup(n.Target)
	switch len(keys) {
	case 0:
		slug := markdown.Slugify(n.Target)
		if l.ix.Broken(n.Target) {
			return unresolved, "" // its file's own error says why
		}
		if l.ix.drafts[n.Target] {
			l.errs.Add(b.Pos(n.Offset), "[[%s]] links to a draft dossier; publish it or remove the link", n.Target)
			return unresolved, ""
		}
		hint := diag.DidYouMean(n.Target, l.ix.suggestions())
		if hint == "" && slug != n.Target {
			hint = diag.DidYouMean(slug, l.ix.suggestions())
		}
		l.errs.Add(b.Pos(n.Offset), "unknown link target [[%s]]%s", n.Target, hint)
		return unresolved, ""
	case 1:
	default:
		described := make([]string, len(keys))
		for i, k := range keys {
			described[i] = "[[" + folderOf(k) + "]]"
		}
		l.errs.Add(b.Pos(n.Offset), "ambiguous link [[%s]]: write one of %s", n.Target, strings.Join(described, ", "))
		return unresolved, ""
	}
	key := keys[0]
	return markdown.Target{Dest: l.base + l.path(key), Title: l.title(key)}, key
}

func (l *linker) title(key string) string {
	kind, slug, _ := strings.Cut(key, "/")
	switch kind {
	case "actor":
		return l.ix.Actors[slug].Name
	case "treaty":
		return l.ix.Treaties[slug].Title
	case "dossier":
		return l.ix.Dossiers[slug].Title
	}
	return slug
}

// mdLink rewrites [text](../actors/x.md#frag) to the page URL. Links with a
// scheme, absolute paths and links to other files are left alone (a zero
// Target).
func (l *linker) mdLink(b *model.Body, n markdown.Link) (markdown.Target, string) {
	u, err := url.Parse(n.Dest)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") || !strings.HasSuffix(u.Path, ".md") {
		return markdown.Target{}, ""
	}
	target := path.Clean(path.Join(path.Dir(b.File), u.Path))
	key := keyForFile(target)
	if key != "" && !l.ix.has(key[:strings.IndexByte(key, '/')], key[strings.IndexByte(key, '/')+1:]) {
		key = ""
	}
	if key == "" && l.ix.broken[keyForFile(target)] {
		return markdown.Target{}, ""
	}
	if key == "" {
		pos := diag.Pos{File: b.File, Line: b.FirstLine}
		if n.Offset >= 0 {
			pos = b.Pos(n.Offset)
		}
		l.errs.Add(pos, "link to %s, which is not a content page%s", u.Path, diag.DidYouMean(target, l.files()))
		return markdown.Target{}, ""
	}
	frag := ""
	if u.Fragment != "" {
		frag = "#" + u.Fragment
	} else if strings.HasSuffix(target, "/quotes.md") {
		frag = "#quotes"
	}
	return markdown.Target{Dest: l.base + l.path(key) + frag}, key
}

func (l *linker) files() []string {
	var out []string
	for s := range l.ix.Actors {
		out = append(out, "content/actors/"+s+".md")
	}
	for s := range l.ix.Treaties {
		out = append(out, "content/treaties/"+s+".md")
	}
	for s := range l.ix.Dossiers {
		out = append(out, "content/dossiers/"+s+"/index.md")
	}
	sort.Strings(out)
	return out
}

// keyForFile maps a content file path to its entity key.
func keyForFile(p string) string {
	parts := strings.Split(p, "/")
	switch {
	case len(parts) == 3 && parts[0] == "content" && parts[1] == "actors":
		return "actor/" + strings.TrimSuffix(parts[2], ".md")
	case len(parts) == 3 && parts[0] == "content" && parts[1] == "treaties":
		return "treaty/" + strings.TrimSuffix(parts[2], ".md")
	case len(parts) == 4 && parts[0] == "content" && parts[1] == "dossiers" && (parts[3] == "index.md" || parts[3] == "quotes.md"):
		return "dossier/" + parts[2]
	}
	return ""
}
