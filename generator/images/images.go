// Package images owns decoding, checking, transforming and encoding the site's
// raster images, and the persistent image cache. Pure Go: no cgo, no external
// program.
//
// Inspect reads a file's header only: its format, its displayed size (after
// EXIF orientation) and the limits (file size, pixel count: a decompression
// bomb is refused before anything is decoded); an SVG is checked for script.
// A Processor makes the published variants of an image: orientation applied,
// every metadata block dropped (nothing of the source's bytes but its pixels
// is written), resized to each wanted width, in the source format and WebP,
// with fingerprinted names, through a persistent cache.
package images

import "errors"

// Limits bound what Inspect accepts.
type Limits struct {
	MaxBytes  int64 // source file size
	MaxPixels int64 // width*height declared by the header (decompression bombs)
}

// DefaultLimits: 64 MB files, 100 megapixels (a 12,000 × 8,000 photo is 96).
var DefaultLimits = Limits{MaxBytes: 64 << 20, MaxPixels: 100_000_000}

// Info is what the header says, after EXIF orientation (a 90° rotated photo
// swaps W/H).
type Info struct {
	Format        string // "jpeg", "png", "gif", "webp", "svg"
	Width, Height int
}

// Inspect reads only the header (and checks SVG for script). Errors are plain
// curator-readable messages without a position; the caller adds file:line:col.
func Inspect(data []byte, limits Limits) (Info, error) {
	return Info{}, errors.New("images: not implemented yet")
}

// Spec says which variants Process makes.
type Spec struct {
	Widths  []int // wanted widths; never upscaled; the original width (capped at the max) is included when smaller than the largest wanted
	WebP    bool  // also encode each width as WebP
	Quality int   // 0 = default
}

// DefaultSpec: widths 480, 800, 1200, 1600, and WebP.
var DefaultSpec = Spec{Widths: []int{480, 800, 1200, 1600}, WebP: true}

// Variant is one published file of an image.
type Variant struct {
	Name          string // fingerprinted file name, e.g. "kim.3f9a1c2e.800.webp"
	Width, Height int
	Format, MIME  string
	Data          []byte // the encoded file, metadata-free
}

// Result is what Process made of an image.
type Result struct {
	Info     Info
	Variants []Variant // grouped by format (source format first), ascending width
}

// Processor resizes with a persistent cache keyed by source content and
// parameters. Safe for concurrent use. A cache hit never decodes the source.
type Processor struct {
	dir    string
	limits Limits
}

// NewProcessor returns a Processor caching in cacheDir ("" = memory only).
func NewProcessor(cacheDir string, limits Limits) (*Processor, error) {
	return &Processor{dir: cacheDir, limits: limits}, nil
}

// Process makes the variants of spec from the image data; name is the
// source's file name (its stem names the variants).
func (p *Processor) Process(name string, data []byte, spec Spec) (Result, error) {
	return Result{}, errors.New("images: not implemented yet")
}

// Cover crops to fill w×h (centred) and encodes JPEG: the social card made
// from a lead image.
func (p *Processor) Cover(name string, data []byte, w, h int) (Variant, error) {
	return Variant{}, errors.New("images: not implemented yet")
}

// Prune removes cache entries no Process/Cover of this Processor used (call
// after a good full build).
func (p *Processor) Prune() error { return nil }
