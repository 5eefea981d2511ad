package images

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"path"
	"slices"
	"strings"
	"unicode"

	gowebp "github.com/gen2brain/webp"
	"golang.org/x/image/webp"
)

// Spec says which variants Process makes.
type Spec struct {
	Widths  []int // wanted widths; never upscaled; the original width (capped at the max) is included when smaller than the largest wanted
	WebP    bool  // also encode each width as WebP
	Quality int   // 0 = default (DefaultQuality)
}

// DefaultSpec: widths 480, 800, 1200, 1600, and WebP.
var DefaultSpec = Spec{Widths: []int{480, 800, 1200, 1600}, WebP: true}

// DefaultQuality is the JPEG and WebP quality when a Spec says none.
const DefaultQuality = 80

// webpMethod is libwebp's effort (0-6; its default is 4). 2 is a third to
// a fifth of 4's time for 1-4 % more bytes on photos: methods 3 and up add
// rate-distortion optimisation, which costs most of the encoding time
// (docs/media.md).
const webpMethod = 2

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

// widths lists the widths made of an image w pixels wide: the wanted ones
// up to w, and w itself (capped at the largest wanted) when it is smaller
// than the largest wanted.
func (s Spec) widths(w int) []int {
	var out []int
	top := 0
	for _, x := range s.Widths {
		if x > 0 && x <= w {
			out = append(out, x)
		}
		top = max(top, x)
	}
	if top == 0 || w < top {
		out = append(out, w)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (s Spec) quality() int {
	if s.Quality <= 0 || s.Quality > 100 {
		return DefaultQuality
	}
	return s.Quality
}

// formats lists the formats the variants are encoded in: the source's
// (PNG for a GIF: a resized photo has more than 256 colours, and only the
// first frame of an animation is kept), then WebP.
func (s Spec) formats(source string) []string {
	first := source
	if source == "gif" {
		first = "png"
	}
	out := []string{first}
	if s.WebP && first != "webp" {
		out = append(out, "webp")
	}
	return out
}

// decode decodes the whole image (after inspect has checked its limits)
// into premultiplied RGBA with its orientation applied.
func decode(h header, data []byte) (*image.RGBA, error) {
	r := bytes.NewReader(data)
	var img image.Image
	var err error
	switch h.Format {
	case "jpeg":
		img, err = jpeg.Decode(r)
	case "png":
		img, err = png.Decode(r)
	case "gif":
		img, err = gif.Decode(r)
	case "webp":
		img, err = webp.Decode(r)
	default:
		return nil, fmt.Errorf("%s images are published as they are, not resized", name(h.Format))
	}
	if err != nil {
		return nil, corrupt(h.Format, err)
	}
	rgba, ok := img.(*image.RGBA)
	if !ok {
		rgba = image.NewRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
		draw.Draw(rgba, rgba.Rect, img, img.Bounds().Min, draw.Src)
	}
	return orient(rgba, h.orientation), nil
}

// encode writes img in format; nothing but the pixels goes in: no EXIF,
// XMP, IPTC, ICC profile or comment.
func encode(img *image.RGBA, format string, quality int) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch format {
	case "jpeg":
		err = jpeg.Encode(&buf, flatten(img), &jpeg.Options{Quality: quality})
	case "png":
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img)
	case "webp":
		var m image.Image = img
		if !img.Opaque() { // libwebp reads straight, not premultiplied, alpha
			n := image.NewNRGBA(img.Rect)
			draw.Draw(n, n.Rect, img, img.Rect.Min, draw.Src)
			m = n
		}
		err = gowebp.Encode(&buf, m, gowebp.Options{Quality: quality, Method: webpMethod})
	default:
		err = errors.New("unknown format " + format)
	}
	if err != nil {
		return nil, fmt.Errorf("encoding %s: %v", name(format), err)
	}
	return buf.Bytes(), nil
}

// flatten composes an image with transparency over white (JPEG has no
// alpha: a transparent pixel would come out black).
func flatten(img *image.RGBA) *image.RGBA {
	if img.Opaque() {
		return img
	}
	out := image.NewRGBA(img.Rect)
	draw.Draw(out, out.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(out, out.Rect, img, img.Rect.Min, draw.Over)
	return out
}

// height keeps the aspect ratio at width w.
func height(srcW, srcH, w int) int {
	return max(int((int64(srcH)*int64(w)*2+int64(srcW))/(2*int64(srcW))), 1)
}

// cover crops img to the aspect of w×h around its centre and scales it
// to w×h, or keeps the crop's size when it is smaller (never upscaled).
func cover(img *image.RGBA, w, h int) *image.RGBA {
	sw, sh := img.Rect.Dx(), img.Rect.Dy()
	cw, ch := sw, sw*h/w
	if ch > sh {
		cw, ch = sh*w/h, sh
	}
	cw, ch = max(cw, 1), max(ch, 1)
	x0, y0 := (sw-cw)/2, (sh-ch)/2
	crop := img.SubImage(image.Rect(x0, y0, x0+cw, y0+ch)).(*image.RGBA)
	if cw < w {
		w, h = cw, ch
	}
	return resize(crop, w, h)
}

var mimes = map[string]string{"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif", "svg": "image/svg+xml"}
var exts = map[string]string{"jpeg": "jpg", "png": "png", "webp": "webp", "gif": "gif", "svg": "svg"}

// stem is the source's base name without extension, kept to letters,
// digits, '-' and '_' (others become '-'), for the variants' names.
func stem(name string) string {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	base = strings.TrimSuffix(base, path.Ext(base))
	var b strings.Builder
	dash := false
	for _, r := range base {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" || s == "." {
		return "image"
	}
	return s
}
