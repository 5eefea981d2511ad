package images

import (
	"image"
	"os"
	"testing"
)

func fuzzSeeds(f *testing.F) {
	q := quadrant(12, 8)
	for _, s := range [][]byte{
		encodeJPEG(f, q), encodePNG(f, q), encodeGIF(f, q), encodeWebP(f, q),
		withOrientation(encodeJPEG(f, q), 6), pngBomb(100000, 100000), manyScans(f, 3),
		[]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="3" height="2"><rect onload="x"/></svg>`),
		[]byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 3 2"><use href="#a"/></svg>`),
	} {
		f.Add(s)
	}
	if gps, err := os.ReadFile("testdata/gps.jpg"); err == nil {
		f.Add(gps)
	}
}

// FuzzInspect: any bytes are inspected or refused, never a panic; what is
// accepted is within the limits.
func FuzzInspect(f *testing.F) {
	fuzzSeeds(f)
	limits := Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Inspect(data, limits)
		if err != nil {
			return
		}
		if info.Format != "svg" && (info.Width <= 0 || info.Height <= 0 || int64(info.Width)*int64(info.Height) > limits.MaxPixels) {
			t.Fatalf("accepted %+v", info)
		}
	})
}

// FuzzProcess: any small image is processed or refused, never a panic;
// every variant decodes to its stated size, and never upscaled.
func FuzzProcess(f *testing.F) {
	fuzzSeeds(f)
	p, err := NewProcessor("", Limits{MaxBytes: 1 << 16, MaxPixels: 64 * 64})
	if err != nil {
		f.Fatal(err)
	}
	spec := Spec{Widths: []int{4, 16}}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := p.Process("f.jpg", data, spec)
		if err != nil || res.Info.Format == "svg" {
			return
		}
		for _, v := range res.Variants {
			img := decodeVariant(t, v)
			if v.Width > res.Info.Width || img.Bounds() != image.Rect(0, 0, v.Width, v.Height) {
				t.Fatalf("%s: %v from %+v", v.Name, img.Bounds(), res.Info)
			}
		}
	})
}
