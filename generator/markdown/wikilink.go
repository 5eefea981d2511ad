package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindWikiLink is the node kind of [[target|label]] links.
var KindWikiLink = ast.NewNodeKind("WikiLink")

// WikiLink is a [[target#fragment|label]] link. Parse fills Target, Fragment,
// Label and Offset; resolve fills Dest (and Title when there is no label).
type WikiLink struct {
	ast.BaseInline
	Target   string
	Fragment string
	Label    string
	Offset   int // byte offset of "[[" in the parsed text
	Dest     string
	Title    string
}

// Kind implements ast.Node.
func (n *WikiLink) Kind() ast.NodeKind { return KindWikiLink }

// Dump implements ast.Node.
func (n *WikiLink) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Target": n.Target, "Label": n.Label}, nil)
}

// Shown is what the link shows: the label, else the resolved title, else the target.
func (n *WikiLink) Shown() string {
	switch {
	case n.Label != "":
		return n.Label
	case n.Title != "":
		return n.Title
	}
	return n.Target
}

// ParseWikiTarget splits the inside of [[…]] into target, fragment and label.
// It reports false when the text cannot be a wikilink (empty target, or a
// newline, bracket or another "[[" inside).
func ParseWikiTarget(inner string) (target, fragment, label string, ok bool) {
	if inner == "" || len(inner) > 500 {
		return "", "", "", false
	}
	for i := 0; i < len(inner); i++ {
		switch inner[i] {
		case '\n', '[', ']':
			return "", "", "", false
		}
	}
	target = inner
	if i := bytes.IndexByte([]byte(target), '|'); i >= 0 {
		target, label = target[:i], trimSpace(target[i+1:])
	}
	if i := bytes.IndexByte([]byte(target), '#'); i >= 0 {
		target, fragment = target[:i], trimSpace(target[i+1:])
	}
	target = trimSpace(target)
	if target == "" {
		return "", "", "", false
	}
	return target, fragment, label, true
}

func trimSpace(s string) string { return string(bytes.TrimSpace([]byte(s))) }

type wikiLinkParser struct{}

func (wikiLinkParser) Trigger() []byte { return []byte{'['} }

func (wikiLinkParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 4 || line[1] != '[' {
		return nil
	}
	end := bytes.Index(line[2:], []byte("]]"))
	if end < 0 {
		return nil
	}
	target, fragment, label, ok := ParseWikiTarget(string(line[2 : 2+end]))
	if !ok {
		return nil
	}
	block.Advance(2 + end + 2)
	budgetOf(pc).link()
	return &WikiLink{Target: target, Fragment: fragment, Label: label, Offset: seg.Start}
}

type wikiLinkRenderer struct{}

func (wikiLinkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindWikiLink, func(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		n := node.(*WikiLink)
		dest := n.Dest
		if n.Fragment != "" {
			dest += "#" + n.Fragment
		}
		_, _ = w.WriteString(`<a class="wikilink" href="`)
		_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(dest), true)))
		_, _ = w.WriteString(`">`)
		_, _ = w.Write(util.EscapeHTML([]byte(n.Shown())))
		_, _ = w.WriteString(`</a>`)
		return ast.WalkSkipChildren, nil
	})
}
