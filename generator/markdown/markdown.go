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
	Root ast.Node
	Src  []byte // the Markdown text the tree's segments point into
	Lang string

	// A compact Doc (see ParseCompact) keeps in Root only its link nodes;
	// eng parses Src again to render it.
	eng *Engine
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
	return &Doc{Root: root, Src: src, Lang: lang}, nil
}

// ParseCompact parses src like Parse but keeps only the link nodes
// ([[wikilinks]] and Markdown links, with their children), moved under an
// empty root: resolve reads and rewrites them as in a full tree, and Render
// parses src again and carries their resolved targets over. A full tree
// takes several times its text in memory, and a one-shot build holds every
// body from parse to render; this trades one more parse for that memory.
func (e *Engine) ParseCompact(ctx context.Context, src []byte, lang string) (*Doc, error) {
	doc, err := e.Parse(ctx, src, lang)
	if err != nil {
		return nil, err
	}
	root := ast.NewDocument()
	for _, n := range linkNodes(doc.Root, true) {
		n.Parent().RemoveChild(n.Parent(), n)
		root.AppendChild(root, n)
	}
	doc.Root, doc.eng = root, e
	return doc, nil
}

// linkNodes lists the link nodes of a tree in document order; top keeps
// only those that are not inside another link.
func linkNodes(root ast.Node, top bool) []ast.Node {
	var out []ast.Node
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *WikiLink, *ast.Link:
			out = append(out, n)
			if top {
				return ast.WalkSkipChildren, nil
			}
		}
		return ast.WalkContinue, nil
	})
	return out
}

// tree returns the full tree: Root, or for a compact Doc its text parsed
// again with the resolved link targets of Root.
func (doc *Doc) tree() (ast.Node, error) {
	if doc.eng == nil {
		return doc.Root, nil
	}
	// Parsed once within its limits already: the second parse has no context
	// to cancel and the same text, so only a far slower moment can fail it.
	parsed, err := doc.eng.Parse(context.Background(), doc.Src, doc.Lang)
	if err != nil {
		return nil, err
	}
	full := parsed.Root
	// The same text parses to the same links in the same order.
	resolved, fresh := linkNodes(doc.Root, false), linkNodes(full, false)
	for i := range min(len(resolved), len(fresh)) {
		switch to := fresh[i].(type) {
		case *WikiLink:
			if from, ok := resolved[i].(*WikiLink); ok {
				to.Dest, to.Title = from.Dest, from.Title
			}
		case *ast.Link:
			if from, ok := resolved[i].(*ast.Link); ok {
				to.Destination, to.Title = from.Destination, from.Title
			}
		}
	}
	return full, nil
}

// Render renders a parsed (and resolved) document to HTML (its text is
// HTMLText of it). A compact Doc is parsed again here, in full.
func (e *Engine) Render(doc *Doc) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(doc.Src) + len(doc.Src)/4 + 64) // HTML is a little longer than its Markdown
	// goldmark wraps a plain writer in a new 4 KB bufio.Writer per call:
	// 80,000 bodies in a large site. A pooled one is reused instead.
	tree, err := doc.tree()
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
	return buf.Bytes(), nil
}

var bufWriters = sync.Pool{New: func() any { return bufio.NewWriter(nil) }}

// RenderInline renders a one-line Markdown text without the enclosing <p>.
func (e *Engine) RenderInline(doc *Doc) ([]byte, error) {
	out, err := e.Render(doc)
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
