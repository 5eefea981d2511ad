// Package markdown owns Markdown: the goldmark configuration every page uses
// (GFM, footnotes, heading anchors, typography per language, [[wikilinks]],
// chroma highlighting with CSS classes, escaped raw HTML), parsing into a tree
// that resolve can rewrite, and rendering that tree to HTML.
package markdown

import (
	"bufio"
	"bytes"
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"
)

// Options configure an Engine.
type Options struct {
	// Unsafe lets raw HTML through; otherwise it is shown escaped.
	Unsafe bool
	// TimeLimit bounds the parse of one text (0: DefaultTimeLimit).
	TimeLimit time.Duration
	// now replaces time.Now in tests.
	now func() time.Time
}

// Engine parses and renders Markdown. It is safe for concurrent use.
type Engine struct {
	byLang map[string]goldmark.Markdown
	opts   Options
}

// budget starts the allowance of one parse.
func (e *Engine) budget(ctx context.Context) *budget {
	now := e.opts.now
	if now == nil {
		now = time.Now
	}
	limit := e.opts.TimeLimit
	if limit == 0 {
		limit = DefaultTimeLimit
	}
	return &budget{ctx: ctx, start: now(), limit: limit, now: now, maxLinks: MaxLinks}
}

// Doc is a parsed Markdown text.
type Doc struct {
	Src  []byte // the Markdown text
	Lang string
	// root is the tree of a full Doc; a compact Doc (see ParseCompact)
	// keeps only links, and Render parses Src again.
	root   ast.Node
	links  []Link
	images []Image
	eng    *Engine
}

// Link is one link of a text, in document order: a [[wikilink]] or a
// Markdown link. Resolve reads them and answers with a Target each.
type Link struct {
	Wiki bool
	// Target, Fragment and Label are a wikilink's parts (ParseWikiTarget).
	Target, Fragment, Label string
	// Dest is a Markdown link's destination as written.
	Dest string
	// Offset is the byte offset in Src where the link starts ("[[" of a
	// wikilink, the first text of a Markdown link), or -1 when unknown.
	Offset int
}

// Target is where a link goes once resolved: its URL and, for a wikilink,
// the title shown on hover. A zero Target keeps a Markdown link as written.
type Target struct {
	Dest, Title string
}

// Links lists the links of the text in document order, nested ones too.
func (doc *Doc) Links() []Link {
	if doc.root == nil {
		return doc.links
	}
	return linksOf(doc.root)
}

// linksOf reads the links of a tree.
func linksOf(root ast.Node) []Link {
	var out []Link
	for _, n := range linkNodes(root) {
		switch n := n.(type) {
		case *WikiLink:
			out = append(out, Link{Wiki: true, Target: n.Target, Fragment: n.Fragment, Label: n.Label, Offset: n.Offset})
		case *ast.Link:
			off := -1
			for c := n.FirstChild(); c != nil; c = c.FirstChild() {
				if t, ok := c.(*ast.Text); ok {
					off = max(0, t.Segment.Start-1)
					break
				}
			}
			out = append(out, Link{Dest: string(n.Destination), Offset: off})
		}
	}
	return out
}

// New builds an engine with one goldmark instance per supported language,
// because typographic quotes differ between French and English.
func New(opts Options) *Engine {
	e := &Engine{byLang: map[string]goldmark.Markdown{}, opts: opts}
	for _, lang := range []string{"fr", "en"} {
		e.byLang[lang] = newGoldmark(lang, opts)
	}
	return e
}

func newGoldmark(lang string, opts Options) goldmark.Markdown {
	subs := map[extension.TypographicPunctuation]string{
		extension.LeftDoubleQuote:  "“",
		extension.RightDoubleQuote: "”",
		extension.LeftSingleQuote:  "‘",
		extension.RightSingleQuote: "’",
		extension.Apostrophe:       "’",
		extension.EnDash:           "–",
		extension.EmDash:           "—",
		extension.Ellipsis:         "…",
		extension.LeftAngleQuote:   "«",
		extension.RightAngleQuote:  "»",
	}
	if lang == "fr" {
		subs[extension.LeftDoubleQuote] = "«"
		subs[extension.RightDoubleQuote] = "»"
	}
	var rendererOpts []renderer.Option
	if opts.Unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			extension.NewTypographer(extension.WithTypographicSubstitutions(subs)),
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithInlineParsers(util.Prioritized(budgetParser{}, 0), util.Prioritized(wikiLinkParser{}, 199)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	md.Renderer().AddOptions(renderer.WithNodeRenderers(
		util.Prioritized(wikiLinkRenderer{}, 100),
		util.Prioritized(codeRenderer{}, 100),
		util.Prioritized(pictureRenderer{}, 100),
	))
	if !opts.Unsafe {
		md.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(escapedHTMLRenderer{}, 100)))
	}
	return md
}

func (e *Engine) md(lang string) goldmark.Markdown {
	if md, ok := e.byLang[lang]; ok {
		return md
	}
	return e.byLang["en"]
}

// Parse parses src as Markdown in language lang. Node segments and WikiLink
// offsets are relative to src. It fails with a *LimitError when the text
// takes too long or holds too many links, and with ctx's error when ctx is
// done first (ctx may be nil).
func (e *Engine) Parse(ctx context.Context, src []byte, lang string) (*Doc, error) {
	pc := parser.NewContext(parser.WithIDs(newIDs()))
	b := e.budget(ctx)
	pc.Set(budgetKey, b)
	var root ast.Node
	err := parseWithin(func() {
		root = e.md(lang).Parser().Parse(budgetReader{text.NewReader(src), b}, parser.WithContext(pc))
	})
	if err != nil {
		return nil, err
	}
	return &Doc{root: root, Src: src, Lang: lang}, nil
}

// ParseCompact parses src like Parse but keeps only its links: a full
// tree takes several times its text in memory, and a build holds every
// body from parse to render; Render parses src again. This trades one
// more parse for that memory.
func (e *Engine) ParseCompact(ctx context.Context, src []byte, lang string) (*Doc, error) {
	doc, err := e.Parse(ctx, src, lang)
	if err != nil {
		return nil, err
	}
	doc.links, doc.images, doc.root, doc.eng = linksOf(doc.root), imagesOf(doc.root, src), nil, e
	return doc, nil
}

// Compact is a compact Doc made again from what ParseCompact kept of
// src: its links and images (Links, Images), as a cache of parse results
// stored them. Render parses src again, as for any compact Doc.
func (e *Engine) Compact(src []byte, lang string, links []Link, images []Image) *Doc {
	return &Doc{Src: src, Lang: lang, links: links, images: images, eng: e}
}

// IsCompact reports whether doc keeps only its links and images (see
// ParseCompact).
func (doc *Doc) IsCompact() bool { return doc.root == nil }

// linkNodes lists the link nodes of a tree in document order, nested ones
// too.
func linkNodes(root ast.Node) []ast.Node {
	var out []ast.Node
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *WikiLink, *ast.Link:
			out = append(out, n)
		}
		return ast.WalkContinue, nil
	})
	return out
}

// tree returns the full tree of doc (parsed again for a compact Doc) with
// its links pointing at targets, one per link as Links lists them, and its
// images published as pictures, one per image as Images lists them.
func (doc *Doc) tree(targets []Target, pictures []Picture) (ast.Node, error) {
	root := doc.root
	if root == nil {
		// Parsed once within its limits already: the second parse has no
		// context to cancel and the same text, so only a far slower
		// moment can fail it.
		parsed, err := doc.eng.Parse(context.Background(), doc.Src, doc.Lang)
		if err != nil {
			return nil, err
		}
		root = parsed.root
	}
	// The same text parses to the same links in the same order.
	for i, n := range linkNodes(root) {
		if i >= len(targets) {
			break
		}
		t := targets[i]
		switch n := n.(type) {
		case *WikiLink:
			n.Dest, n.Title = t.Dest, t.Title
		case *ast.Link:
			if t.Dest != "" {
				n.Destination = []byte(t.Dest)
			}
		}
	}
	applyPictures(root, pictures)
	return root, nil
}

// Render renders a parsed document to HTML (its text is HTMLText of it),
// with its links pointing at targets (see Links; nil keeps them as
// written), and its images published as pictures (see Images; an image
// without one stays a plain <img>). A compact Doc is parsed again here, in
// full. A full Doc's tree is rewritten: render it once.
func (e *Engine) Render(doc *Doc, targets []Target, pictures ...Picture) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(doc.Src) + len(doc.Src)/4 + 64) // HTML is a little longer than its Markdown
	// goldmark wraps a plain writer in a new 4 KB bufio.Writer per call,
	// once per body: a pooled one is reused instead.
	tree, err := doc.tree(targets, pictures)
	if err != nil {
		return nil, err
	}
	w := bufWriters.Get().(*bufio.Writer)
	w.Reset(&buf)
	err = e.md(doc.Lang).Renderer().Render(w, doc.Src, tree)
	if err == nil {
		err = w.Flush()
	}
	w.Reset(nil)
	bufWriters.Put(w)
	if err != nil {
		return nil, err
	}
	if doc.Lang == "fr" {
		return NestQuotes(buf.Bytes()), nil // « … « … » … » → « … “ … ” … »
	}
	return buf.Bytes(), nil
}

var bufWriters = sync.Pool{New: func() any { return bufio.NewWriter(nil) }}

// RenderInline renders a one-line Markdown text without the enclosing <p>.
func (e *Engine) RenderInline(doc *Doc, targets []Target, pictures ...Picture) ([]byte, error) {
	out, err := e.Render(doc, targets, pictures...)
	if err != nil {
		return nil, err
	}
	out = bytes.TrimSpace(out)
	if bytes.HasPrefix(out, []byte("<p>")) && bytes.HasSuffix(out, []byte("</p>")) && bytes.Count(out, []byte("<p>")) == 1 {
		out = out[3 : len(out)-4]
	}
	return out, nil
}

// escapedHTMLRenderer shows raw HTML as text, so a pasted <script> is inert
// but still visible to the curator who pasted it.
type escapedHTMLRenderer struct{}

func (escapedHTMLRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			n := node.(*ast.RawHTML)
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				_, _ = w.Write(util.EscapeHTML(seg.Value(source)))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			n := node.(*ast.HTMLBlock)
			_, _ = w.WriteString("<p class=\"raw-html\">")
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				_, _ = w.Write(util.EscapeHTML(seg.Value(source)))
			}
			if n.HasClosure() {
				_, _ = w.Write(util.EscapeHTML(n.ClosureLine.Value(source)))
			}
			_, _ = w.WriteString("</p>\n")
		}
		return ast.WalkSkipChildren, nil
	})
}

// ids generates heading anchors that read well in French: accents are folded
// ("Une nouvelle ère" → "une-nouvelle-ere") and duplicates get -1, -2….
type ids struct{ used map[string]bool }

func newIDs() *ids { return &ids{used: map[string]bool{}} }

// Generate implements parser.IDs.
func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	base := Slugify(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; s.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	s.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs.
func (s *ids) Put(value []byte) { s.used[string(value)] = true }

// FoldAccents removes combining marks: "Corée" → "Coree".
func FoldAccents(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Slugify folds accents, lower-cases and joins words with hyphens:
// "Corée du Nord !" → "coree-du-nord". Characters with no ASCII form are dropped.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range FoldAccents(s) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		case r == 'œ' || r == 'Œ':
			b.WriteString("oe")
		default:
			dash = true
		}
	}
	return b.String()
}
