package markdown

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Image is one Markdown image of a text, in document order, as written:
// the media step reads them and answers with a Picture each.
type Image struct {
	Dest string
	// Alt is the plain text of the image's description; Title the quoted
	// title, which holds the caption and, after " | ", the credit.
	Alt, Title string
	// Alone marks an image that is the only content of its paragraph: it
	// is published as a <figure> with its caption.
	Alone bool
	// Offset is the byte offset of "![" in Src, or -1 when unknown.
	Offset int
}

// Caption splits an image's title into its caption and credit:
// "Le sommet de Pyongyang | Photo KCNA" → ("Le sommet de Pyongyang", "Photo KCNA").
func (im Image) Caption() (caption, credit string) {
	caption, credit, _ = strings.Cut(im.Title, " | ")
	return strings.TrimSpace(caption), strings.TrimSpace(credit)
}

// Decorative is the description that marks an image as decorative: it is
// published with an empty alt, which an empty description would be
// mistaken for (a forgotten one).
const Decorative = "decorative"

// Picture is an image as published: its size, its default file and its
// variants (URL paths), what it shows to a reader who cannot see it, and
// its caption and credit. The media step makes it; templates and Render
// write it as <picture> (see WritePicture).
type Picture struct {
	Src           string // the default file: the largest variant in the source format
	Width, Height int
	SrcSet        string // "/media/a.480.jpg 480w, …", the source format
	WebPSrcSet    string // the same widths in WebP; "" when none
	Alt           string // "" for a decorative image
	Caption       string
	Credit        string
}

// BodySizes is the sizes attribute of a figure in an article: the text
// column is at most 44rem wide.
const BodySizes = "(min-width: 48rem) 44rem, 100vw"

// Images lists the images of the text in document order.
func (doc *Doc) Images() []Image {
	if doc.root == nil {
		return doc.images
	}
	return imagesOf(doc.root, doc.Src)
}

func imagesOf(root ast.Node, src []byte) []Image {
	var out []Image
	for _, n := range imageNodes(root) {
		out = append(out, Image{Dest: string(n.Destination), Title: string(n.Title),
			Alt: string(plainText(n, src)), Alone: alone(n), Offset: imageOffset(n, src)})
	}
	return out
}

// imageNodes lists the images of a tree in document order; an image
// written inside another's description is part of that text, not shown.
func imageNodes(root ast.Node) []*ast.Image {
	var out []*ast.Image
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if im, ok := n.(*ast.Image); ok && entering {
			out = append(out, im)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return out
}

// alone reports whether an image is the whole of a paragraph (blank text
// around it aside).
func alone(n *ast.Image) bool {
	p, ok := n.Parent().(*ast.Paragraph)
	if !ok {
		return false
	}
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		if c == ast.Node(n) {
			continue
		}
		if t, ok := c.(*ast.Text); !ok || t.Segment.Len() > 0 {
			return false
		}
	}
	return true
}

// plainText is the text of an image's description, as goldmark writes it in alt.
func plainText(n ast.Node, src []byte) []byte {
	var b bytes.Buffer
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		default:
			b.Write(plainText(c, src))
		}
	}
	return b.Bytes()
}

// imageOffset finds "![" of an image: before its first text, or else
// after the text before it (an image without description has no text).
func imageOffset(n *ast.Image, src []byte) int {
	if t, ok := n.FirstChild().(*ast.Text); ok && t.Segment.Start >= 2 && bytes.HasPrefix(src[t.Segment.Start-2:], []byte("![")) {
		return t.Segment.Start - 2
	}
	from := -1
	if t, ok := n.PreviousSibling().(*ast.Text); ok {
		from = t.Segment.Stop
	}
	for b := n.Parent(); from < 0 && b != nil; b = b.Parent() {
		if b.Type() == ast.TypeBlock && b.Lines().Len() > 0 {
			from = b.Lines().At(0).Start
		}
	}
	if from < 0 || from > len(src) {
		return -1
	}
	if i := bytes.Index(src[from:], []byte("![")); i >= 0 {
		return from + i
	}
	return -1
}

// KindFigure and KindPicture are the node kinds of published images.
var (
	KindFigure  = ast.NewNodeKind("Figure")
	KindPicture = ast.NewNodeKind("Picture")
)

// figureNode replaces a paragraph holding one image: <figure>.
type figureNode struct {
	ast.BaseBlock
	pic Picture
}

func (n *figureNode) Kind() ast.NodeKind            { return KindFigure }
func (n *figureNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// pictureNode replaces an image within a text: <picture>.
type pictureNode struct {
	ast.BaseInline
	pic Picture
}

func (n *pictureNode) Kind() ast.NodeKind            { return KindPicture }
func (n *pictureNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// applyPictures puts the published pictures in the tree, one per image as
// Images lists them; an image without one (figures is short, or its Src is
// empty) stays a plain <img>.
func applyPictures(root ast.Node, figures []Picture) {
	if len(figures) == 0 {
		return
	}
	for i, n := range imageNodes(root) {
		if i >= len(figures) || figures[i].Src == "" {
			continue
		}
		if alone(n) {
			p := n.Parent()
			fig := &figureNode{pic: figures[i]}
			p.Parent().ReplaceChild(p.Parent(), p, fig)
			continue
		}
		n.Parent().ReplaceChild(n.Parent(), n, &pictureNode{pic: figures[i]})
	}
}

type pictureRenderer struct{}

func (pictureRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindFigure, func(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			pic := node.(*figureNode).pic
			_, _ = w.WriteString("<figure>")
			WritePicture(w, pic, BodySizes, true)
			WriteCaption(w, pic)
			_, _ = w.WriteString("</figure>\n")
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(KindPicture, func(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			WritePicture(w, node.(*pictureNode).pic, BodySizes, true)
		}
		return ast.WalkSkipChildren, nil
	})
}

// writer is what WritePicture writes to.
type writer interface {
	WriteString(s string) (int, error)
}

// WritePicture writes pic as <picture>: a WebP <source> when there are
// WebP variants, and an <img> with its size (and that ratio), srcset and sizes, loaded
// lazily unless it is the page's lead image (lazy false: fetched first).
func WritePicture(w writer, pic Picture, sizes string, lazy bool) {
	attr := func(name, value string) {
		_, _ = w.WriteString(" " + name + `="`)
		_, _ = w.WriteString(string(util.EscapeHTML([]byte(value))))
		_, _ = w.WriteString(`"`)
	}
	_, _ = w.WriteString("<picture>")
	if pic.WebPSrcSet != "" {
		_, _ = w.WriteString(`<source type="image/webp"`)
		attr("srcset", pic.WebPSrcSet)
		attr("sizes", sizes)
		_, _ = w.WriteString(">")
	}
	_, _ = w.WriteString("<img")
	attr("src", pic.Src)
	if pic.SrcSet != "" {
		attr("srcset", pic.SrcSet)
		attr("sizes", sizes)
	}
	attr("width", strconv.Itoa(pic.Width))
	attr("height", strconv.Itoa(pic.Height))
	// The box keeps the ratio of width and height when the picture
	// arrives: the browser would otherwise switch to the ratio of the
	// variant it picked, whose rounded height differs by a fraction of a
	// pixel, and shift what follows (a layout shift).
	attr("style", "aspect-ratio:"+strconv.Itoa(pic.Width)+"/"+strconv.Itoa(pic.Height))
	attr("alt", pic.Alt)
	if lazy {
		_, _ = w.WriteString(` loading="lazy" decoding="async"`)
	} else {
		_, _ = w.WriteString(` fetchpriority="high"`)
	}
	_, _ = w.WriteString("></picture>")
}

// WriteCaption writes a figure's <figcaption> (caption, then credit), if
// it has either.
func WriteCaption(w writer, pic Picture) {
	if pic.Caption == "" && pic.Credit == "" {
		return
	}
	_, _ = w.WriteString("<figcaption>")
	_, _ = w.WriteString(string(util.EscapeHTML([]byte(pic.Caption))))
	if pic.Credit != "" {
		if pic.Caption != "" {
			_, _ = w.WriteString(" ")
		}
		_, _ = w.WriteString(`<span class="credit">`)
		_, _ = w.WriteString(string(util.EscapeHTML([]byte(pic.Credit))))
		_, _ = w.WriteString("</span>")
	}
	_, _ = w.WriteString("</figcaption>")
}
