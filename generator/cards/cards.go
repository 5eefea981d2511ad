// Package cards owns the social-card pictures (og:image) drawn at build time:
// a 1200×630 PNG with the title or a quote, its speaker, the date and the
// site's name, in the theme's colours, with embedded open-licensed fonts
// (fonts/: Noto Sans subsets for Latin and French typography, Noto Sans CJK
// KR's Hangul for Korean names).
//
// A card is a paletted image of 16 colours (the background and a ramp of 5
// shades from it to each of the three ink colours: 4 bits a pixel), drawn
// straight into the rows PNG stores, with glyphs rasterised once per size
// and kept, and compressed by the package's own deflate encoder, made for
// such pictures (runs and the row above): about a millisecond of CPU and 5
// to 25 KB a card, the same bytes for the same Card on every machine.
package cards

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"math/bits"
	"strings"
	"sync"
)

// Width and Height are the size of a card: the 1.91:1 of Open Graph.
const Width, Height = 1200, 630

// version is part of every card's name: a new layout renames every card.
const version = "cards/2"

// Palette holds the theme colours a card is drawn in.
type Palette struct{ Background, Text, Muted, Accent color.RGBA }

// DefaultPalette is the built-in theme's light palette (assets/css/main.css:
// --bg, --ink, --muted, --accent).
var DefaultPalette = Palette{
	Background: color.RGBA{0xfd, 0xfc, 0xfa, 0xff},
	Text:       color.RGBA{0x1b, 0x1a, 0x18, 0xff},
	Muted:      color.RGBA{0x5f, 0x5a, 0x53, 0xff},
	Accent:     color.RGBA{0xa3, 0x19, 0x1c, 0xff},
}

// Card is what a card shows.
type Card struct {
	Kind    string // "dossier", "actor", "treaty", "quote"
	Title   string // title, or the quote's text for a quote card
	Speaker string // quote cards: who said it
	Date    string // already formatted for the page language
	Site    string // the site's name
	Colors  Palette
}

// Name is the fingerprinted file name of the card for c ("card.<hash>.png"),
// so a caller can skip Render when the file is already made.
func Name(c Card) string {
	c = c.normalized()
	h := sha256.New()
	p := c.Colors
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%v%v%v%v", version, c.Kind, c.Title, c.Speaker, c.Date, c.Site,
		p.Background, p.Text, p.Muted, p.Accent)
	return "card." + hex.EncodeToString(h.Sum(nil))[:16] + ".png"
}

// normalized folds white space (a quote's line breaks) and gives a card
// without colours the default palette.
func (c Card) normalized() Card {
	c.Title, c.Speaker = strings.Join(strings.Fields(c.Title), " "), strings.Join(strings.Fields(c.Speaker), " ")
	c.Date, c.Site = strings.Join(strings.Fields(c.Date), " "), strings.Join(strings.Fields(c.Site), " ")
	if c.Colors == (Palette{}) {
		c.Colors = DefaultPalette
	}
	return c
}

// shades is the number of anti-aliasing levels of each ink.
const shades = 5

// ink is an ink colour of the palette: its ramp starts at index
// 1 + ink*shades.
type ink int

const (
	inkText ink = iota
	inkMuted
	inkAccent
)

// palettes keeps each Palette's colours, made once.
var palettes sync.Map // Palette → color.Palette

func palette(p Palette) color.Palette {
	if pal, ok := palettes.Load(p); ok {
		return pal.(color.Palette)
	}
	pal := color.Palette{opaque(p.Background)}
	for _, c := range []color.RGBA{p.Text, p.Muted, p.Accent} {
		for i := 1; i <= shades; i++ {
			pal = append(pal, mix(p.Background, c, i))
		}
	}
	palettes.Store(p, pal)
	return pal
}

func opaque(c color.RGBA) color.RGBA { c.A = 0xff; return c }

func mix(bg, fg color.RGBA, level int) color.RGBA {
	m := func(a, b uint8) uint8 { return uint8((int(a)*(shades-level) + int(b)*level + shades/2) / shades) }
	return color.RGBA{m(bg.R, fg.R), m(bg.G, fg.G), m(bg.B, fg.B), 0xff}
}

// Render draws a 1200×630 PNG with the embedded open-licensed font (covers
// French and Korean names). Deterministic: the same Card gives the same bytes.
func Render(c Card) ([]byte, error) {
	c = c.normalized()
	img := canvases.Get().(*canvas)
	defer canvases.Put(img)
	img.reset()
	fill(img, image.Rect(0, 0, Width, 10), inkAccent)
	layout(img, c)
	return encodePNG(img, palette(c.Colors)), nil
}

// canvas is a card being drawn, in the form PNG stores it: each row is a
// filter byte (0, none) then the pixels, 4 bits each, the left one of a
// pair in the high bits of the byte. The background is colour 0, so a
// cleared canvas is a blank card. The canvas knows where it is inked: bit
// k of dirty[y] is set when bytes 16k to 16k+15 of row y may be other than
// 0; the encoder skips the others, and reset clears only the dirty ones.
type canvas struct {
	pix   []byte // the rows, followed by 8 bytes to spare for blit's words
	dirty [Height]uint64
}

// rowBytes is the length of a canvas row; block is the length of the
// parts of a row dirty marks (rowBytes/block < 64).
const rowBytes, block = 1 + Width/2, 16

// size is the length of a canvas's rows.
const size = rowBytes * Height

var canvases = sync.Pool{New: func() any { return &canvas{pix: make([]byte, size+8)} }}

// reset blanks the canvas.
func (img *canvas) reset() {
	for y, m := range img.dirty {
		for ; m != 0; m &= m - 1 {
			k := bits.TrailingZeros64(m)
			clear(img.pix[y*rowBytes+k*block : y*rowBytes+min((k+1)*block, rowBytes)])
		}
		img.dirty[y] = 0
	}
}

// touch notes that pixels x0 to x1-1 of row y are to be inked.
func (img *canvas) touch(y, x0, x1 int) {
	first, last := (1+x0/2)/block, (1+(x1-1)/2)/block
	img.dirty[y] |= (1<<(last+1) - 1) &^ (1<<first - 1)
}

// set gives the pixel (x, y) the palette index idx.
func (img *canvas) set(x, y int, idx uint8) {
	p := &img.pix[y*rowBytes+1+x/2]
	if x&1 == 0 {
		*p = *p&0x0f | idx<<4
	} else {
		*p = *p&0xf0 | idx
	}
}

var bounds = image.Rect(0, 0, Width, Height)

// fill paints r in the full shade of an ink.
func fill(img *canvas, r image.Rectangle, k ink) {
	idx := uint8(1 + int(k)*shades + shades - 1)
	r = r.Intersect(bounds)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		img.touch(y, r.Min.X, r.Max.X)
		x := r.Min.X
		for ; x < r.Max.X && x&1 == 1; x++ {
			img.set(x, y, idx)
		}
		row := img.pix[y*rowBytes+1:]
		for ; x+1 < r.Max.X; x += 2 {
			row[x/2] = idx<<4 | idx
		}
		for ; x < r.Max.X; x++ {
			img.set(x, y, idx)
		}
	}
}

const (
	margin     = 80
	footerBase = Height - 64 // baseline of the site name and date
	footerSize = 30
	boxTop     = 64 // the text box, above the footer
	boxBottom  = Height - 130
)

// layout places the text: the title or quote (shrunk to fit), the
// speaker, then the site's name and the date at the foot.
func layout(img *canvas, c Card) {
	left, width := margin, Width-2*margin
	bottom := boxBottom
	if c.Kind == "quote" {
		left, width = margin+36, Width-2*margin-36
		if c.Speaker != "" {
			bottom -= 64
		}
	}
	lines, size := fit(c.Title, width, bottom-boxTop)
	lineHeight := size * 5 / 4
	blockTop := boxTop + (bottom-boxTop-len(lines)*lineHeight)/2
	y := blockTop + size
	for _, l := range lines {
		draw(img, l, bold, size, left, y, inkText)
		y += lineHeight
	}
	if c.Kind == "quote" && len(lines) > 0 {
		fill(img, image.Rect(margin, blockTop+size/6, margin+8, y-lineHeight+size/3), inkAccent)
		if c.Speaker != "" {
			speaker := ellipsize("— "+c.Speaker, bold, 36, width)
			draw(img, speaker, bold, 36, left, y-lineHeight+size/3+64, inkAccent)
		}
	}
	date := ellipsize(c.Date, regular, footerSize, width/2)
	dw := measure(date, regular, footerSize)
	draw(img, date, regular, footerSize, Width-margin-dw, footerBase, inkMuted)
	site := ellipsize(c.Site, bold, footerSize, width-dw-40)
	draw(img, site, bold, footerSize, margin, footerBase, inkText)
	fill(img, image.Rect(margin, footerBase-footerSize-28, Width-margin, footerBase-footerSize-26), inkMuted)
}

// sizes are the title sizes tried, largest first.
var sizes = []int{72, 64, 56, 50, 44, 40, 36, 32}

// fit wraps text at the largest size whose lines fit in width × height;
// at the smallest, the lines that fit end in an ellipsis.
func fit(text string, width, height int) ([]string, int) {
	if text == "" {
		return nil, sizes[0]
	}
	for _, size := range sizes {
		lines := wrap(text, size, width)
		if len(lines)*size*5/4 <= height {
			return lines, size
		}
	}
	size := sizes[len(sizes)-1]
	lines := wrap(text, size, width)
	n := max(height/(size*5/4), 1)
	last := ellipsize(lines[n-1]+" "+strings.Join(lines[n:], " "), bold, size, width)
	return append(lines[:n-1:n-1], last), size
}

// wrap breaks text into lines of at most width pixels at spaces, and
// inside a word longer than a line. The lines are parts of text.
func wrap(text string, size, width int) []string {
	var lines []string
	space := measure(" ", bold, size)
	ls, le, lw := 0, 0, 0 // the line is text[ls:le], lw wide
	for ws := 0; ws <= len(text); {
		we := strings.IndexByte(text[ws:], ' ')
		if we < 0 {
			we = len(text)
		} else {
			we += ws
		}
		ww := measure(text[ws:we], bold, size)
		switch {
		case ls == le:
			ls, le, lw = ws, we, ww
		case lw+space+ww <= width:
			le, lw = we, lw+space+ww
		default:
			lines = append(lines, text[ls:le])
			ls, le, lw = ws, we, ww
		}
		for lw > width { // a word longer than a line: break it
			head := cut(text[ls:le], bold, size, width)
			lines = append(lines, head)
			ls += len(head)
			lw = measure(text[ls:le], bold, size)
		}
		ws = we + 1
	}
	return append(lines, text[ls:le])
}

// cut returns the longest prefix of s (at least one rune) that fits width.
func cut(s string, f *family, size, width int) string {
	w := 0
	for i, r := range s {
		w += advance(f, size, r)
		if w > width && i > 0 {
			return s[:i]
		}
	}
	return s
}

// ellipsize shortens s with "…" until it fits width.
func ellipsize(s string, f *family, size, width int) string {
	if measure(s, f, size) <= width {
		return s
	}
	head := cut(s, f, size, width-measure("…", f, size))
	return strings.TrimRight(head, " ,;:") + "…"
}
