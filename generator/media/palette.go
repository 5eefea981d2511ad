package media

import (
	"image/color"
	"regexp"
	"strconv"

	"github.com/dossier-ssg/dossier/generator/cards"
)

var cssColor = regexp.MustCompile(`--(bg|ink|muted|accent):\s*#([0-9a-fA-F]{6})\b`)

// DefaultPalette is the built-in theme's light colours.
var DefaultPalette = cards.Palette{
	Background: color.RGBA{0xfd, 0xfc, 0xfa, 0xff},
	Text:       color.RGBA{0x1b, 0x1a, 0x18, 0xff},
	Muted:      color.RGBA{0x5f, 0x5a, 0x53, 0xff},
	Accent:     color.RGBA{0xa3, 0x19, 0x1c, 0xff},
}

// PaletteFromCSS reads the theme's colours from its stylesheet: the first
// --bg, --ink, --muted and --accent given as #rrggbb (the light scheme, in
// the built-in theme's order); a colour it does not find keeps the
// built-in theme's.
func PaletteFromCSS(css []byte) cards.Palette {
	p := DefaultPalette
	seen := map[string]bool{}
	for _, m := range cssColor.FindAllSubmatch(css, -1) {
		name := string(m[1])
		if seen[name] {
			continue
		}
		seen[name] = true
		v, _ := strconv.ParseUint(string(m[2]), 16, 32)
		c := color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
		switch name {
		case "bg":
			p.Background = c
		case "ink":
			p.Text = c
		case "muted":
			p.Muted = c
		case "accent":
			p.Accent = c
		}
	}
	return p
}
