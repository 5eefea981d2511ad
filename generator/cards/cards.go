// Package cards owns the social-card pictures (og:image) drawn at build time:
// a 1200×630 PNG with the title or a quote, its speaker, the date and the
// site's name, in the theme's colours, with embedded open-licensed fonts
// (fonts/: Noto Sans subsets for Latin and French typography, Noto Sans CJK
// KR's Hangul for Korean names).
//
// A card is a paletted image of 16 colours (the background and a ramp of 5
// shades from it to each of the three ink colours: 4 bits a pixel) with
// glyphs rasterised once per size and kept, encoded with a fast deflate
// level: a few milliseconds and 5 to 20 KB a card, the same bytes for the
// same Card on every machine.
package cards

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"strings"
)

// Width and Height are the size of a card: the 1.91:1 of Open Graph.
const Width, Height = 1200, 630

// version is part of every card's name: a new layout renames every card.
const version = "cards/1"

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

func palette(p Palette) color.Palette {
	pal := color.Palette{opaque(p.Background)}
	for _, c := range []color.RGBA{p.Text, p.Muted, p.Accent} {
		for i := 1; i <= shades; i++ {
			pal = append(pal, mix(p.Background, c, i))
		}
	}
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
	img := image.NewPaletted(image.Rect(0, 0, Width, Height), palette(c.Colors))
	fill(img, image.Rect(0, 0, Width, 10), inkAccent)
	layout(img, c)
	return encodePNG(img, 4)
}

// fill paints r in the full shade of an ink.
func fill(img *image.Paletted, r image.Rectangle, k ink) {
	idx := uint8(1 + int(k)*shades + shades - 1)
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[y*img.Stride+r.Min.X : y*img.Stride+r.Max.X]
		for i := range row {
			row[i] = idx
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
func layout(img *image.Paletted, c Card) {
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
// inside a word longer than a line.
func wrap(text string, size, width int) []string {
	var lines []string
	line := ""
	space := measure(" ", bold, size)
	lw := 0
	for _, word := range strings.Split(text, " ") {
		ww := measure(word, bold, size)
		switch {
		case line == "":
			line, lw = word, ww
		case lw+space+ww <= width:
			line, lw = line+" "+word, lw+space+ww
		default:
			lines = append(lines, line)
			line, lw = word, ww
		}
		for lw > width { // a word longer than a line: break it
			head := cut(line, bold, size, width)
			lines = append(lines, head)
			line = line[len(head):]
			lw = measure(line, bold, size)
		}
	}
	return append(lines, line)
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
