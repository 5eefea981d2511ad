package images

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"testing"

	gowebp "github.com/gen2brain/webp"
)

// quadrant is a w×h image, red in its top-left quarter and blue elsewhere:
// where the red goes shows how the image was turned.
func quadrant(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{0, 0, 255, 255}
			if x < w/2 && y < h/2 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeGIF(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeWebP(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gowebp.Encode(&b, img, gowebp.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withOrientation inserts an APP1 EXIF segment saying orientation o after
// a JPEG's SOI marker.
func withOrientation(jpg []byte, o int) []byte {
	tiff := []byte("II*\x00\x08\x00\x00\x00\x01\x00")
	entry := make([]byte, 12)
	binary.LittleEndian.PutUint16(entry[0:], 0x0112)
	binary.LittleEndian.PutUint16(entry[2:], 3)
	binary.LittleEndian.PutUint32(entry[4:], 1)
	binary.LittleEndian.PutUint16(entry[8:], uint16(o))
	tiff = append(append(tiff, entry...), 0, 0, 0, 0)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(append(out, seg...), payload...)
	return append(out, jpg[2:]...)
}

// pngChunk is a PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(append(b, typ...), data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// pngBomb is a ~1 KB PNG whose header claims w×h pixels.
func pngBomb(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, pngChunk("IHDR", ihdr)...)
	b = append(b, pngChunk("IDAT", bytes.Repeat([]byte{0x78, 0x9c, 0xed, 0xc1, 0x01, 0x0d}, 160))...)
	return append(b, pngChunk("IEND", nil)...)
}

// jpegBomb is a small JPEG whose SOF claims 65500 × 65500 pixels.
func jpegBomb(t testing.TB) []byte {
	b := encodeJPEG(t, quadrant(16, 16))
	i := bytes.Index(b, []byte{0xff, 0xc0})
	b = append([]byte{}, b...)
	binary.BigEndian.PutUint16(b[i+5:], 65500)
	binary.BigEndian.PutUint16(b[i+7:], 65500)
	return b
}

// manyScans repeats a JPEG's scan n times: a decoding-time bomb.
func manyScans(t testing.TB, n int) []byte {
	b := encodeJPEG(t, quadrant(16, 16))
	sos := bytes.Index(b, []byte{0xff, 0xda})
	scan := b[sos : len(b)-2]
	out := append([]byte{}, b[:sos]...)
	for range n {
		out = append(out, scan...)
	}
	return append(out, 0xff, 0xd9)
}

func TestInspect(t *testing.T) {
	q := quadrant(40, 20)
	jpg := encodeJPEG(t, q)
	gifBomb := encodeGIF(t, quadrant(8, 8))
	gifBomb = append([]byte{}, gifBomb...)
	binary.LittleEndian.PutUint16(gifBomb[6:], 65000)
	binary.LittleEndian.PutUint16(gifBomb[8:], 65000)
	corruptPNG := append([]byte{}, encodePNG(t, q)...)
	corruptPNG[20] ^= 0xff // in IHDR: its CRC no longer matches
	tests := []struct {
		name    string
		data    []byte
		want    Info
		wantErr string
	}{
		{"jpeg", jpg, Info{"jpeg", 40, 20}, ""},
		{"png", encodePNG(t, q), Info{"png", 40, 20}, ""},
		{"gif", encodeGIF(t, q), Info{"gif", 40, 20}, ""},
		{"webp", encodeWebP(t, q), Info{"webp", 40, 20}, ""},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="300" height="150"><rect width="10" height="10"/></svg>`), Info{"svg", 300, 150}, ""},
		{"svg viewBox", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 480"/>`), Info{"svg", 640, 480}, ""},
		{"png bomb", pngBomb(100000, 100000), Info{}, "100000 × 100000 pixels (10000.0 megapixels), over the limit of 100.0 megapixels"},
		{"jpeg bomb", jpegBomb(t), Info{}, "65500 × 65500 pixels"},
		{"gif bomb", gifBomb, Info{}, "65000 × 65000 pixels"},
		{"scan bomb", manyScans(t, 300), Info{}, "more than 256 scans"},
		{"ten scans", manyScans(t, 10), Info{"jpeg", 16, 16}, ""},
		{"jpeg truncated", jpg[:len(jpg)/2], Info{}, "the JPEG file is truncated"},
		{"jpeg header truncated", jpg[:30], Info{}, "the JPEG file is truncated"},
		{"png truncated", encodePNG(t, q)[:60], Info{}, "the PNG file is truncated"},
		{"gif truncated", encodeGIF(t, q)[:40], Info{}, "the GIF file is truncated"},
		{"webp truncated", encodeWebP(t, q)[:40], Info{}, "the WebP file is truncated"},
		{"png corrupt", corruptPNG, Info{}, "the PNG file is corrupt"},
		{"zero size", pngBomb(0, 10), Info{}, "the PNG file is corrupt"},
		{"empty", nil, Info{}, "the file is empty"},
		{"text", []byte("hello, world"), Info{}, "not an image in a known format"},
		{"tiff", []byte("II*\x00\x08\x00\x00\x00"), Info{}, "TIFF images are not supported"},
		{"heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"), Info{}, "HEIC, AVIF"},
		{"pdf", []byte("%PDF-1.7\n"), Info{}, "a PDF is not an image"},
		{"too big", append(append([]byte{}, jpg...), make([]byte, 2000)...), Info{}, "over the limit of 2 KB"},
	}
	limits := DefaultLimits
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := limits
			if tt.name == "too big" {
				l.MaxBytes = 2048
			}
			got, err := Inspect(tt.data, l)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Inspect = %v, %v; want error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Inspect = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// TestBombIsRefusedWithoutAllocating: the 100,000 × 100,000 PNG (30 GB
// decoded) is refused by its header, allocating next to nothing.
func TestBombIsRefusedWithoutAllocating(t *testing.T) {
	bomb := pngBomb(100000, 100000)
	if len(bomb) > 1100 {
		t.Fatalf("the bomb is %d bytes", len(bomb))
	}
	p, err := NewProcessor("", DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = p.Process("bomb.png", bomb, DefaultSpec)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "over the limit") {
		t.Fatalf("Process(bomb) = %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing the bomb allocated %d bytes", n)
	}
	if p.Stats().Decoded != 0 {
		t.Error("the bomb was decoded")
	}
}

func TestOrientation(t *testing.T) {
	// Where the red top-left quarter of the stored image is displayed.
	corner := map[int]image.Point{1: {0, 0}, 2: {1, 0}, 3: {1, 1}, 4: {0, 1}, 5: {0, 0}, 6: {1, 0}, 7: {1, 1}, 8: {0, 1}}
	p, err := NewProcessor("", DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	base := encodeJPEG(t, quadrant(64, 32))
	for o := 1; o <= 8; o++ {
		data := withOrientation(base, o)
		info, err := Inspect(data, DefaultLimits)
		w, h := 64, 32
		if o >= 5 {
			w, h = 32, 64
		}
		if err != nil || info != (Info{"jpeg", w, h}) {
			t.Fatalf("orientation %d: Inspect = %+v, %v; want %d × %d", o, info, err, w, h)
		}
		res, err := p.Process("q.jpg", data, Spec{Widths: []int{1600}})
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(res.Variants[0].Data))
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
			t.Fatalf("orientation %d: variant is %v", o, img.Bounds())
		}
		c := corner[o]
		r, _, b, _ := img.At(c.X*(w-1)+(1-2*c.X)*w/8, c.Y*(h-1)+(1-2*c.Y)*h/8).RGBA()
		if r>>8 < 200 || b>>8 > 60 {
			t.Errorf("orientation %d: the red quarter is not at %v", o, c)
		}
	}
}
