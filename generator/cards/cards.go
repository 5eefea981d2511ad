// Package cards owns the social-card pictures (og:image) drawn at build time.
//
// TEMPORARY STUB written by media-site against the media contract; it is
// replaced by branch media-lib's implementation.
package cards

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
)

// Palette is the theme's colours.
type Palette struct{ Background, Text, Muted, Accent color.RGBA }

// Card is what a card shows.
type Card struct {
	Kind    string
	Title   string
	Speaker string
	Date    string
	Site    string
	Colors  Palette
}

// Render draws a 1200×630 PNG (stub: background and accent bar).
func Render(c Card) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, 1200, 630))
	draw.Draw(img, img.Bounds(), &image.Uniform{c.Colors.Background}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 600, 1200, 630), &image.Uniform{c.Colors.Accent}, image.Point{}, draw.Src)
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}

// Name is the fingerprinted file name of the card.
func Name(c Card) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%#v", c)))
	return "card." + hex.EncodeToString(h[:6]) + ".png"
}
