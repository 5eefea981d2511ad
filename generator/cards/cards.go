// Package cards owns the social-card pictures (og:image) drawn at build time:
// a 1200×630 PNG with the title or a quote, its speaker, the date and the
// site's name, in the theme's colours, with an embedded open-licensed font.
package cards

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image/color"
)

// Palette holds the theme colours a card is drawn in.
type Palette struct{ Background, Text, Muted, Accent color.RGBA }

// Card is what a card shows.
type Card struct {
	Kind    string // "dossier", "actor", "treaty", "quote"
	Title   string // title, or the quote's text for a quote card
	Speaker string // quote cards: who said it
	Date    string // already formatted for the page language
	Site    string // the site's name
	Colors  Palette
}

// Render draws a 1200×630 PNG with the embedded open-licensed font (covers
// French and Korean names). Deterministic: the same Card gives the same bytes.
func Render(c Card) ([]byte, error) {
	return nil, errors.New("cards: not implemented yet")
}

// Name is the fingerprinted file name of the card for c ("card.<hash>.png"),
// so a caller can skip Render when the file is already made.
func Name(c Card) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%v", c.Kind, c.Title, c.Speaker, c.Date, c.Site, c.Colors)
	return "card." + hex.EncodeToString(h.Sum(nil))[:16] + ".png"
}
