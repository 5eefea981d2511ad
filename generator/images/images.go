// Package images owns decoding, checking, transforming and encoding the
// site's raster images, and the persistent image cache.
//
// TEMPORARY STUB written by media-site against the media contract; it is
// replaced by branch media-lib's implementation.
package images

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // decoders
	"image/jpeg"
	"image/png"
	"path"
	"strconv"
	"strings"
)

// Limits bound a source image.
type Limits struct {
	MaxBytes  int64
	MaxPixels int64
}

// DefaultLimits: 64 MB, 100 megapixels.
var DefaultLimits = Limits{MaxBytes: 64 << 20, MaxPixels: 100_000_000}

// Info is what the header says.
type Info struct {
	Format        string
	Width, Height int
}

// Inspect reads only the header.
func Inspect(data []byte, limits Limits) (Info, error) {
	if limits.MaxBytes > 0 && int64(len(data)) > limits.MaxBytes {
		return Info{}, fmt.Errorf("the file is over %d MB", limits.MaxBytes>>20)
	}
	trimmed := bytes.TrimSpace(data)
	if bytes.HasPrefix(trimmed, []byte("<svg")) || bytes.HasPrefix(trimmed, []byte("<?xml")) {
		if bytes.Contains(bytes.ToLower(data), []byte("<script")) || bytes.Contains(bytes.ToLower(data), []byte(" on")) {
			return Info{}, fmt.Errorf("the SVG holds a script")
		}
		return Info{Format: "svg", Width: 100, Height: 100}, nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Info{}, fmt.Errorf("not an image this build can read (JPEG, PNG, GIF, WebP, SVG): %v", err)
	}
	if limits.MaxPixels > 0 && int64(cfg.Width)*int64(cfg.Height) > limits.MaxPixels {
		return Info{}, fmt.Errorf("the image claims %d×%d pixels, over the limit of %d megapixels", cfg.Width, cfg.Height, limits.MaxPixels/1_000_000)
	}
	return Info{Format: format, Width: cfg.Width, Height: cfg.Height}, nil
}

// Spec says which variants to make.
type Spec struct {
	Widths  []int
	WebP    bool
	Quality int
}

// DefaultSpec: 480, 800, 1200, 1600.
var DefaultSpec = Spec{Widths: []int{480, 800, 1200, 1600}, WebP: true}

// Variant is one encoded file.
type Variant struct {
	Name          string
	Width, Height int
	Format, MIME  string
	Data          []byte
}

// Result is a processed image.
type Result struct {
	Info     Info
	Variants []Variant
}

// Processor resizes (stub: no cache).
type Processor struct{ limits Limits }

// NewProcessor returns a processor.
func NewProcessor(cacheDir string, limits Limits) (*Processor, error) {
	return &Processor{limits: limits}, nil
}

func stem(name string) string {
	b := path.Base(name)
	return strings.TrimSuffix(b, path.Ext(b))
}

func hash(data []byte, params string) string {
	h := sha256.Sum256(append(append([]byte{}, data...), params...))
	return hex.EncodeToString(h[:4])
}

// Process makes the variants (stub: nearest-neighbour, no WebP).
func (p *Processor) Process(name string, data []byte, spec Spec) (Result, error) {
	info, err := Inspect(data, p.limits)
	if err != nil {
		return Result{}, err
	}
	if info.Format == "svg" {
		return Result{Info: info, Variants: []Variant{{Name: stem(name) + "." + hash(data, "") + ".svg", Width: info.Width, Height: info.Height, Format: "svg", MIME: "image/svg+xml", Data: data}}}, nil
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return Result{}, fmt.Errorf("the image is damaged: %v", err)
	}
	var out []Variant
	widths := []int{}
	for _, w := range spec.Widths {
		if w < info.Width {
			widths = append(widths, w)
		}
	}
	widths = append(widths, min(info.Width, spec.Widths[len(spec.Widths)-1]))
	for _, w := range widths {
		h := info.Height * w / info.Width
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				dst.Set(x, y, src.At(x*info.Width/w, y*info.Height/h))
			}
		}
		var buf bytes.Buffer
		format, mime, ext := "jpeg", "image/jpeg", ".jpg"
		if info.Format == "png" {
			format, mime, ext = "png", "image/png", ".png"
			_ = png.Encode(&buf, dst)
		} else {
			_ = jpeg.Encode(&buf, dst, nil)
		}
		out = append(out, Variant{Name: stem(name) + "." + hash(data, strconv.Itoa(w)) + "." + strconv.Itoa(w) + ext, Width: w, Height: h, Format: format, MIME: mime, Data: buf.Bytes()})
	}
	return Result{Info: info, Variants: out}, nil
}

// Cover crops to w×h.
func (p *Processor) Cover(name string, data []byte, w, h int) (Variant, error) {
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return Variant{}, err
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), src, src.Bounds().Min, draw.Src)
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, dst, nil)
	return Variant{Name: stem(name) + "." + hash(data, "cover") + ".1200x630.jpg", Width: w, Height: h, Format: "jpeg", MIME: "image/jpeg", Data: buf.Bytes()}, nil
}

// Prune removes unused entries.
func (p *Processor) Prune() error { return nil }
