package cards

import (
	"bytes"
	"image"
	"image/png"
	"math/rand/v2"
	"testing"
)

// naive draws a glyph a pixel at a time on an 8-bit image: what blit must
// give, byte for byte once packed.
func naive(pix []uint8, g *glyph, x, y int, base uint8) {
	for _, s := range g.spans {
		for i, level := range s.levels {
			px, py := x+s.dx+i, y+s.dy
			if level == 0 || px < 0 || px >= Width || py < 0 || py >= Height {
				continue
			}
			idx := base + level - 1
			if cur := pix[py*Width+px]; cur >= base && cur < base+shades && cur >= idx {
				continue
			}
			pix[py*Width+px] = idx
		}
	}
}

// TestBlit: glyphs drawn a word at a time, at even and odd x, overlapping
// one another in one ink and across inks, and past every edge of the card,
// give the pixels of a pixel-by-pixel drawing, and the canvas marks every
// inked block dirty.
func TestBlit(t *testing.T) {
	img := canvases.Get().(*canvas)
	defer canvases.Put(img)
	img.reset()
	want := make([]uint8, Width*Height)
	rng := rand.New(rand.NewPCG(1, 2))
	letters := []rune("Wéœgj@김M…")
	for n := range 400 {
		g := bold.glyph(sizes[n%len(sizes)], letters[n%len(letters)])
		x, y := rng.IntN(Width+160)-80, rng.IntN(Height+160)-40
		if n%5 == 0 { // on top of the last one
			x, y = x%Width, y%Height
		}
		base := uint8(1 + rng.IntN(3)*shades)
		blit(img, g, x, y, base)
		naive(want, g, x, y, base)
	}
	for y := range Height {
		for x := range Width {
			b := img.pix[y*rowBytes+1+x/2]
			got := b >> 4
			if x&1 == 1 {
				got = b & 0x0f
			}
			if got != want[y*Width+x] {
				t.Fatalf("pixel (%d, %d) is %d, want %d", x, y, got, want[y*Width+x])
			}
			if got != 0 && img.dirty[y]>>((1+x/2)/block)&1 == 0 {
				t.Fatalf("pixel (%d, %d) is inked in a block not marked dirty", x, y)
			}
		}
		if img.pix[y*rowBytes] != 0 {
			t.Fatalf("row %d: filter byte %d", y, img.pix[y*rowBytes])
		}
	}
	// reset blanks it all.
	img.reset()
	if bytes.Count(img.pix, []byte{0}) != len(img.pix) {
		t.Error("reset leaves ink")
	}
}

// TestEncodeAnyCanvas: the encoder's output decodes to the canvas, byte
// for byte, for canvases unlike a card: noise of all 16 colours, long runs
// of one colour, stripes repeating row after row, and a blank one.
func TestEncodeAnyCanvas(t *testing.T) {
	pal := palette(DefaultPalette)
	rng := rand.New(rand.NewPCG(3, 4))
	fills := map[string]func(x, y int) uint8{
		"blank":   func(x, y int) uint8 { return 0 },
		"noise":   func(x, y int) uint8 { return uint8(rng.IntN(16)) },
		"sparse":  func(x, y int) uint8 { return uint8(rng.IntN(16) * (rng.IntN(50) / 49)) },
		"runs":    func(x, y int) uint8 { return uint8((x / 300) % 16) },
		"stripes": func(x, y int) uint8 { return uint8((x*7 + x/13) % 16) },
		"bands":   func(x, y int) uint8 { return uint8((y / 40) % 16) },
	}
	for name, f := range fills {
		img := &canvas{pix: make([]byte, size+8)}
		for y := range Height {
			for x := range Width {
				if c := f(x, y); c != 0 {
					img.set(x, y, c)
					img.touch(y, x, x+1)
				}
			}
		}
		data := encodePNG(img, pal)
		dec, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p := dec.(*image.Paletted)
		for y := range Height {
			for x := range Width {
				if got, want := p.Pix[y*p.Stride+x], f2(img, x, y); got != want {
					t.Fatalf("%s: pixel (%d, %d) is %d, want %d", name, x, y, got, want)
				}
			}
		}
		t.Logf("%s: %d bytes", name, len(data))
	}
}

func f2(img *canvas, x, y int) uint8 {
	b := img.pix[y*rowBytes+1+x/2]
	if x&1 == 0 {
		return b >> 4
	}
	return b & 0x0f
}

// TestHuffmanLengths: code lengths stay within the limit and make a
// complete code (Kraft sum 1), even for counts that would make a deeper
// tree (Fibonacci counts), for one symbol, and for none.
func TestHuffmanLengths(t *testing.T) {
	fib := make([]int32, 30)
	fib[0], fib[1] = 1, 1
	for i := 2; i < len(fib); i++ {
		fib[i] = fib[i-1] + fib[i-2]
	}
	one := make([]int32, 19)
	one[7] = 100
	cases := map[string]struct {
		freq  []int32
		limit int
	}{
		"fibonacci/15": {fib, 15},
		"fibonacci/7":  {fib[:19], 7},
		"one symbol":   {one, 7},
		"none":         {make([]int32, 30), 15},
		"equal":        {[]int32{5, 5, 5, 5, 5, 5, 5, 5, 5}, 15},
	}
	var h huffman
	for name, c := range cases {
		lens := make([]uint8, len(c.freq))
		h.lengths(c.freq, lens, c.limit)
		kraft, used := 0, 0
		for s, l := range lens {
			if int(l) > c.limit {
				t.Errorf("%s: symbol %d is %d bits long", name, s, l)
			}
			if c.freq[s] > 0 && l == 0 {
				t.Errorf("%s: symbol %d is used and has no code", name, s)
			}
			if l > 0 {
				kraft += 1 << (c.limit - int(l))
				used++
			}
		}
		if kraft != 1<<c.limit || used < 2 {
			t.Errorf("%s: Kraft sum %d/%d over %d codes: not a complete code", name, kraft, 1<<c.limit, used)
		}
	}
}
