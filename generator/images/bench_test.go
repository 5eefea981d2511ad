package images

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// photo makes a w×h JPEG with smooth gradients and detail, like a photo
// rather than a flat test card (which would compress unrealistically well).
func photo(tb testing.TB, w, h int, seed uint32) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	s := seed | 1
	for y := range h {
		for x := range w {
			s ^= s << 13
			s ^= s >> 17
			s ^= s << 5
			n := uint8(s & 15)
			img.SetRGBA(x, y, color.RGBA{uint8(x*255/w) + n, uint8(y*255/h) + n, uint8((x+y)*127/(w+h)+int(seed)) + n, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkProcess is a 2000×1333 JPEG made into DefaultSpec's variants
// (4 widths × JPEG and WebP): cold (empty cache), then warm (a disk hit).
func BenchmarkProcess(b *testing.B) {
	src := photo(b, 2000, 1333, 7)
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			p, err := NewProcessor("", DefaultLimits)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := p.Process("photo.jpg", src, DefaultSpec); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("warm", func(b *testing.B) {
		p, err := NewProcessor(b.TempDir(), DefaultLimits)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.Process("photo.jpg", src, DefaultSpec); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := p.Process("photo.jpg", src, DefaultSpec); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkStages(b *testing.B) {
	src := photo(b, 2000, 1333, 7)
	h, _ := inspect(src, DefaultLimits)
	img, _ := decode(h, src)
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			decode(h, src)
		}
	})
	b.Run("resize", func(b *testing.B) {
		for b.Loop() {
			for _, w := range []int{480, 800, 1200, 1600} {
				resize(img, w, height(2000, 1333, w))
			}
		}
	})
	small := resize(img, 1600, 1066)
	b.Run("jpeg1600", func(b *testing.B) {
		for b.Loop() {
			encode(small, "jpeg", 80)
		}
	})
	b.Run("webp1600", func(b *testing.B) {
		for b.Loop() {
			encode(small, "webp", 80)
		}
	})
}
