package cards

import (
	_ "embed"
	"image"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

var (
	//go:embed fonts/NotoSans-Bold.subset.ttf
	latinBold []byte
	//go:embed fonts/NotoSans-Regular.subset.ttf
	latinRegular []byte
	//go:embed fonts/NotoSansCJKkr-Bold.hangul.otf
	hangulBold []byte
)

// family is a Latin font with the Hangul font as its fallback.
type family struct {
	latin, hangul *source
}

// source is one font file, its faces by size and the glyphs drawn with
// them: each glyph is rasterised once per size, at a whole-pixel position.
type source struct {
	font *sfnt.Font
	buf  sfnt.Buffer

	mu     sync.Mutex // faces and buf are not safe for concurrent use
	faces  map[int]font.Face
	glyphs sync.Map // glyphKey → *glyph
}

type glyphKey struct {
	size int
	r    rune
}

// glyph is a rasterised glyph: its coverage, placed at (dx, dy) from the
// pen on the baseline, and its advance in whole pixels.
type glyph struct {
	mask    *image.Alpha
	dx, dy  int
	advance int
}

var bold, regular = loadFamilies()

func loadFamilies() (*family, *family) {
	hangul := load(hangulBold)
	return &family{load(latinBold), hangul}, &family{load(latinRegular), hangul}
}

func load(data []byte) *source {
	f, err := opentype.Parse(data)
	if err != nil {
		panic("cards: an embedded font does not parse: " + err.Error()) // a build defect, caught by every test
	}
	return &source{font: f, faces: map[int]font.Face{}}
}

// has says whether the font has a glyph for r.
func (s *source) has(r rune) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, err := s.font.GlyphIndex(&s.buf, r)
	return err == nil && i != 0
}

// pick is the font that draws r: the Latin one, else the Hangul one, else
// the Latin one's missing-glyph box.
func (f *family) pick(r rune) *source {
	if f.latin.has(r) || !f.hangul.has(r) {
		return f.latin
	}
	return f.hangul
}

func (s *source) glyph(size int, r rune) *glyph {
	k := glyphKey{size, r}
	if g, ok := s.glyphs.Load(k); ok {
		return g.(*glyph)
	}
	s.mu.Lock()
	face, ok := s.faces[size]
	if !ok {
		var err error
		face, err = opentype.NewFace(s.font, &opentype.FaceOptions{Size: float64(size), DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			panic("cards: " + err.Error())
		}
		s.faces[size] = face
	}
	dr, mask, mp, adv, _ := face.Glyph(fixed.P(0, 0), r)
	g := &glyph{dx: dr.Min.X, dy: dr.Min.Y, advance: adv.Round()}
	if a, ok := mask.(*image.Alpha); ok && !dr.Empty() {
		g.mask = image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
		for y := range dr.Dy() {
			copy(g.mask.Pix[y*g.mask.Stride:(y+1)*g.mask.Stride], a.Pix[a.PixOffset(mp.X, mp.Y+y):])
		}
	}
	s.mu.Unlock()
	actual, _ := s.glyphs.LoadOrStore(k, g)
	return actual.(*glyph)
}

func advance(f *family, size int, r rune) int {
	return f.pick(r).glyph(size, r).advance
}

// measure is the width of s in whole pixels.
func measure(s string, f *family, size int) int {
	w := 0
	for _, r := range s {
		w += advance(f, size, r)
	}
	return w
}

// draw writes s with its baseline at y from x, in the shades of k.
func draw(img *image.Paletted, s string, f *family, size, x, y int, k ink) {
	base := 1 + int(k)*shades
	for _, r := range s {
		g := f.pick(r).glyph(size, r)
		if g.mask != nil {
			blit(img, g, x, y, base)
		}
		x += g.advance
	}
}

// blit writes a glyph's coverage as the ramp's shades, keeping the darker
// where two glyphs of one ink touch.
func blit(img *image.Paletted, g *glyph, x, y, base int) {
	r := g.mask.Rect.Add(image.Pt(x+g.dx, y+g.dy)).Intersect(img.Rect)
	for py := r.Min.Y; py < r.Max.Y; py++ {
		src := g.mask.Pix[(py-y-g.dy)*g.mask.Stride:]
		dst := img.Pix[py*img.Stride:]
		for px := r.Min.X; px < r.Max.X; px++ {
			level := (int(src[px-x-g.dx])*shades + 127) / 255
			if level == 0 {
				continue
			}
			idx := base + level - 1
			if cur := int(dst[px]); cur >= base && cur < base+shades && cur >= idx {
				continue
			}
			dst[px] = uint8(idx)
		}
	}
}
