// Package images owns decoding, checking, transforming and encoding the site's
// raster images, and the persistent image cache. Pure Go: no cgo, no external
// program.
//
// Inspect reads a file's header only: its format, its displayed size (after
// EXIF orientation) and the limits (file size, pixel count, number of JPEG
// scans: a decompression bomb is refused before anything is decoded); an SVG
// is checked for script and external references. A Processor makes the
// published variants of an image: orientation applied, every metadata block
// dropped (the variants are encoded from the pixels alone, so nothing else of
// the source reaches them), resized to each wanted width, in the source format
// and WebP, with fingerprinted names, through a persistent cache (cache.go).
package images

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strings"

	"golang.org/x/image/webp"
)

// Limits bound what Inspect accepts.
type Limits struct {
	MaxBytes  int64 // source file size
	MaxPixels int64 // width*height declared by the header (decompression bombs)
}

// DefaultLimits: 64 MB files, 100 megapixels (a 12,000 × 8,000 photo is 96;
// decoding it takes 400 MB).
var DefaultLimits = Limits{MaxBytes: 64 << 20, MaxPixels: 100_000_000}

// maxScans bounds the scans of a progressive JPEG: each is a pass over the
// whole image, so a small file of thousands of scans is a decoding-time bomb.
// Encoders write about ten.
const maxScans = 256

// Info is what the header says, after EXIF orientation (a 90° rotated photo
// swaps W/H).
type Info struct {
	Format        string // "jpeg", "png", "gif", "webp", "svg"
	Width, Height int
}

// header is what Inspect finds: the Info, and the EXIF orientation (1-8)
// Process applies.
type header struct {
	Info
	orientation int
}

// Inspect reads only the header (and checks SVG for script). Errors are plain
// curator-readable messages without a position; the caller adds file:line:col.
func Inspect(data []byte, limits Limits) (Info, error) {
	h, err := inspect(data, limits)
	return h.Info, err
}

func inspect(data []byte, limits Limits) (header, error) {
	if limits.MaxBytes > 0 && int64(len(data)) > limits.MaxBytes {
		return header{}, fmt.Errorf("the file is %s, over the limit of %s", size(int64(len(data))), size(limits.MaxBytes))
	}
	format := sniff(data)
	if format == "" {
		return header{}, errors.New(unknownFormat(data))
	}
	if format == "svg" {
		w, h, err := checkSVG(data)
		return header{Info: Info{Format: "svg", Width: w, Height: h}, orientation: 1}, err
	}
	cfg, err := decodeConfig(format, data)
	if err != nil {
		return header{}, corrupt(format, err)
	}
	h := header{Info: Info{Format: format, Width: cfg.Width, Height: cfg.Height}, orientation: 1}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return header{}, fmt.Errorf("the %s header says the image is %d × %d pixels", name(format), cfg.Width, cfg.Height)
	}
	if limits.MaxPixels > 0 && int64(cfg.Width)*int64(cfg.Height) > limits.MaxPixels {
		return header{}, fmt.Errorf("the image is %d × %d pixels (%s), over the limit of %s: resize it before adding it",
			cfg.Width, cfg.Height, megapixels(int64(cfg.Width)*int64(cfg.Height)), megapixels(limits.MaxPixels))
	}
	if err := checkStructure(format, data); err != nil {
		return header{}, err
	}
	h.orientation = orientation(format, data)
	if h.orientation >= 5 {
		h.Width, h.Height = h.Height, h.Width
	}
	return h, nil
}

// sniff names the format by the file's first bytes.
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "gif"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "webp"
	case looksLikeSVG(data):
		return "svg"
	}
	return ""
}

func unknownFormat(data []byte) string {
	switch {
	case len(data) == 0:
		return "the file is empty"
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		return "this image format (HEIC, AVIF or another ISO media file) is not supported: use JPEG, PNG, GIF, WebP or SVG"
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return "TIFF images are not supported: use JPEG, PNG, GIF, WebP or SVG"
	case bytes.HasPrefix(data, []byte("BM")):
		return "BMP images are not supported: use JPEG, PNG, GIF, WebP or SVG"
	case bytes.HasPrefix(data, []byte("%PDF")):
		return "a PDF is not an image: use JPEG, PNG, GIF, WebP or SVG"
	}
	return "not an image in a known format (JPEG, PNG, GIF, WebP or SVG)"
}

func decodeConfig(format string, data []byte) (image.Config, error) {
	r := bytes.NewReader(data)
	switch format {
	case "jpeg":
		return jpeg.DecodeConfig(r)
	case "png":
		return png.DecodeConfig(r)
	case "gif":
		return gif.DecodeConfig(r)
	default:
		return webp.DecodeConfig(r)
	}
}

// corrupt is the message of a decoder's error.
func corrupt(format string, err error) error {
	if errors.Is(err, errTruncated) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || strings.HasSuffix(err.Error(), "unexpected EOF") {
		return fmt.Errorf("the %s file is truncated: it ends before the image does (copy it again from its source)", name(format))
	}
	return fmt.Errorf("the %s file is corrupt: %v", name(format), err)
}

var errTruncated = errors.New("truncated")

func name(format string) string {
	switch format {
	case "jpeg":
		return "JPEG"
	case "webp":
		return "WebP"
	}
	return map[string]string{"png": "PNG", "gif": "GIF", "svg": "SVG"}[format]
}

func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}

func megapixels(n int64) string {
	return fmt.Sprintf("%.1f megapixels", float64(n)/1e6)
}
