package resolve

import (
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/urls"
)

// PagePath is the site-relative URL path of an entity page ("actors/x/").
func PagePath(key string) string { return urls.Key(key) }

type linker struct {
	ix   *Index
	base string
	errs *diag.List
}

// links resolves the links of every body.
func (l *linker) links(site *model.Site) { site.ForEachBody(l.body) }

// body rewrites the wikilinks and .md links of one body to page URLs.
func (l *linker) body(b *model.Body) {
	doc, ok := b.Doc.(*markdown.Doc)
	if !ok {
		return
	}
	b.Links = b.Links[:0]
	var sig strings.Builder
	linked := map[string]bool{}
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *markdown.WikiLink:
			if key := l.wiki(b, n); key != "" && !linked[key] {
				linked[key] = true
				b.Links = append(b.Links, key)
			}
			sig.WriteString(n.Dest + "\x00" + n.Title + "\x00")
		case *ast.Link:
			if key := l.mdLink(b, n, doc.Src); key != "" && !linked[key] {
				linked[key] = true
				b.Links = append(b.Links, key)
			}
			sig.Write(n.Destination)
			sig.WriteByte(0)
		}
		return ast.WalkContinue, nil
	})
	sort.Strings(b.Links)
	b.LinkSig = sig.String()
}

func (l *linker) wiki(b *model.Body, n *markdown.WikiLink) string {
	keys := l.ix.Lookup(n.Target)
	switch len(keys) {
	case 0:
		n.Dest = "#unresolved"
		slug := markdown.Slugify(n.Target)
		if l.ix.Broken(n.Target) {
			return "" // its file's own error says why
		}
		if l.ix.drafts[n.Target] {
			l.errs.Add(b.Pos(n.Offset), "[[%s]] links to a draft dossier; publish it or remove the link", n.Target)
			return ""
		}
		hint := diag.DidYouMean(n.Target, l.ix.suggestions())
		if hint == "" && slug != n.Target {
			hint = diag.DidYouMean(slug, l.ix.suggestions())
		}
		l.errs.Add(b.Pos(n.Offset), "unknown link target [[%s]]%s", n.Target, hint)
		return ""
	case 1:
	default:
		described := make([]string, len(keys))
		for i, k := range keys {
			described[i] = "[[" + PagePath(k)[:len(PagePath(k))-1] + "]]"
		}
		l.errs.Add(b.Pos(n.Offset), "ambiguous link [[%s]]: write one of %s", n.Target, strings.Join(described, ", "))
		n.Dest = "#unresolved"
		return ""
	}
	key := keys[0]
	n.Dest = l.base + PagePath(key)
	n.Title = l.title(key)
	return key
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
// scheme, absolute paths and links to other files are left alone.
func (l *linker) mdLink(b *model.Body, n *ast.Link, src []byte) string {
	dest := string(n.Destination)
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") || !strings.HasSuffix(u.Path, ".md") {
		return ""
	}
	target := path.Clean(path.Join(path.Dir(b.File), u.Path))
	key := keyForFile(target)
	if key != "" && !l.ix.has(key[:strings.IndexByte(key, '/')], key[strings.IndexByte(key, '/')+1:]) {
		key = ""
	}
	if key == "" && l.ix.broken[keyForFile(target)] {
		return ""
	}
	if key == "" {
		l.errs.Add(l.linkPos(b, n, src), "link to %s, which is not a content page%s", u.Path, diag.DidYouMean(target, l.files()))
		return ""
	}
	frag := ""
	if u.Fragment != "" {
		frag = "#" + u.Fragment
	} else if strings.HasSuffix(target, "/quotes.md") {
		frag = "#quotes"
	}
	n.Destination = []byte(l.base + PagePath(key) + frag)
	return key
}

// linkPos approximates a link's position by its first text child: goldmark
// keeps no offset for the link itself.
func (l *linker) linkPos(b *model.Body, n *ast.Link, src []byte) diag.Pos {
	for c := n.FirstChild(); c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			return b.Pos(max(0, t.Segment.Start-1))
		}
	}
	return diag.Pos{File: b.File, Line: b.FirstLine}
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
