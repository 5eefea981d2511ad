package cards

import (
	_ "embed"
	"encoding/binary"
	"image"
	"sync"
	"sync/atomic"

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

// family is a Latin font with the Hangul font as its fallback, and the
// glyph each letter is drawn with, by size.
type family struct {
	latin, hangul *source
	glyphs        sync.Map // glyphKey → *glyph
	table         [80]atomic.Pointer[[tableRunes]atomic.Pointer[glyph]]
}

// tableRunes is the number of letters looked up in a table.
const tableRunes = 0x2100

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

// glyph is a rasterised glyph: its coverage as shade levels from 0
// (none) to shades, row by row from the first to the last inked pixel,
// placed from the pen on the baseline; and its advance in whole pixels.
type glyph struct {
	spans   []span
	advance int
}

// span is the inked part of a row of a glyph: levels from (dx, dy); and
// the same packed two pixels a byte as on the canvas, for a span starting
// at an even x (packed[0]) or an odd one (packed[1]), with ones[p] holding
// 1 in each nibble of packed[p] that is inked. packed and ones are a whole
// number of 8-byte words, for blit.
type span struct {
	dx, dy int
	levels []uint8
	packed [2][]byte
	ones   [2][]byte
}

func newSpan(dx, dy int, levels []uint8) span {
	s := span{dx: dx, dy: dy, levels: levels}
	for p := range 2 {
		n := (p + len(levels) + 1) / 2
		s.packed[p] = make([]byte, (n+7)/8*8)
		s.ones[p] = make([]byte, len(s.packed[p]))
		for i, l := range levels {
			shift := 4 * uint(1-(p+i)&1)
			s.packed[p][(p+i)/2] |= l << shift
			if l > 0 {
				s.ones[p][(p+i)/2] |= 1 << shift
			}
		}
	}
	return s
}

var bold, regular = loadFamilies()

func loadFamilies() (*family, *family) {
	hangul := load(hangulBold)
	return &family{latin: load(latinBold), hangul: hangul}, &family{latin: load(latinRegular), hangul: hangul}
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
	g := &glyph{advance: adv.Round()}
	if a, ok := mask.(*image.Alpha); ok {
		for y := range dr.Dy() {
			row := a.Pix[a.PixOffset(mp.X, mp.Y+y):][:dr.Dx()]
			levels := make([]uint8, len(row))
			first, last := len(row), -1
			for x, cov := range row {
				if levels[x] = uint8((int(cov)*shades + 127) / 255); levels[x] > 0 {
					first, last = min(first, x), x
				}
			}
			if last >= 0 {
				g.spans = append(g.spans, newSpan(dr.Min.X+first, dr.Min.Y+y, levels[first:last+1]))
			}
		}
	}
	s.mu.Unlock()
	actual, _ := s.glyphs.LoadOrStore(k, g)
	return actual.(*glyph)
}

// glyph is r at size from the font that draws it (pick), looked up once:
// Latin letters and punctuation (below U+2100) in a table by size, the
// others in a map.
func (f *family) glyph(size int, r rune) *glyph {
	var slot *atomic.Pointer[glyph]
	if size >= 0 && size < len(f.table) && r >= 0 && r < tableRunes {
		t := f.table[size].Load()
		if t == nil {
			f.table[size].CompareAndSwap(nil, new([tableRunes]atomic.Pointer[glyph]))
			t = f.table[size].Load()
		}
		slot = &t[r]
		if g := slot.Load(); g != nil {
			return g
		}
	}
	k := glyphKey{size, r}
	if g, ok := f.glyphs.Load(k); ok {
		return g.(*glyph)
	}
	g, _ := f.glyphs.LoadOrStore(k, f.pick(r).glyph(size, r))
	if slot != nil {
		slot.Store(g.(*glyph))
	}
	return g.(*glyph)
}

func advance(f *family, size int, r rune) int {
	return f.glyph(size, r).advance
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
func draw(img *canvas, s string, f *family, size, x, y int, k ink) {
	base := uint8(1 + int(k)*shades)
	for _, r := range s {
		g := f.glyph(size, r)
		blit(img, g, x, y, base)
		x += g.advance
	}
}

// blit writes a glyph's shades from the ink's ramp, keeping the darker
// where two glyphs of one ink touch: a byte (two pixels) at a time where
// the canvas is blank under the glyph.
func blit(img *canvas, g *glyph, x, y int, base uint8) {
	for _, s := range g.spans {
		py, x0 := y+s.dy, x+s.dx
		if py < 0 || py >= Height {
			continue
		}
		if x0 < 0 || x0+len(s.levels) > Width {
			blitClipped(img, s, x0, py, base)
			continue
		}
		img.touch(py, x0, x0+len(s.levels))
		p := x0 & 1
		row := img.pix[py*rowBytes+1+x0/2:]
		ones, add := s.ones[p], uint64(base-1)
		for i, packed := 0, s.packed[p]; i < len(packed); i += 8 {
			v := binary.LittleEndian.Uint64(packed[i:])
			if v == 0 {
				continue
			}
			o := binary.LittleEndian.Uint64(ones[i:])
			v += o * add // each level to its index on the ramp: no carry, an index is 4 bits
			cur := binary.LittleEndian.Uint64(row[i:])
			if cur&(o*0x0f) == 0 { // blank under the glyph
				binary.LittleEndian.PutUint64(row[i:], cur|v)
				continue
			}
			for j := range 8 {
				if ob := uint8(o >> (8 * j)); ob != 0 {
					row[i+j] = darker(row[i+j], uint8(v>>(8*j)), ob, base)
				}
			}
		}
	}
}

// darker puts the inked nibbles of v (those of o) into cur, except where
// cur holds a darker shade of the same ink (the ramp from base).
func darker(cur, v, o, base uint8) uint8 {
	for _, shift := range []uint8{4, 0} {
		if o>>shift&1 == 0 {
			continue
		}
		c, idx := cur>>shift&0x0f, v>>shift&0x0f
		if c >= base && c < base+shades && c >= idx {
			continue
		}
		cur = cur&^(0x0f<<shift) | idx<<shift
	}
	return cur
}

// blitClipped writes a span that goes past the edge of the card, a pixel
// at a time.
func blitClipped(img *canvas, s span, x0, py int, base uint8) {
	levels := s.levels
	if x0 < 0 {
		levels, x0 = levels[min(-x0, len(levels)):], 0
	}
	levels = levels[:max(min(len(levels), Width-x0), 0)]
	if len(levels) == 0 {
		return
	}
	img.touch(py, x0, x0+len(levels))
	for i, level := range levels {
		if level == 0 {
			continue
		}
		px := x0 + i
		shift := uint8(4 * (1 - px&1)) // the left pixel of a byte is in its high bits
		p := &img.pix[py*rowBytes+1+px/2]
		*p = darker(*p, (base+level-1)<<shift, 1<<shift, base)
	}
}
