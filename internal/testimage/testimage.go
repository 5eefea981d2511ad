// Package testimage makes the image files tests and the benchmark corpus
// need: deterministic photographs-like JPEGs and PNGs, a JPEG carrying GPS
// EXIF, a PNG claiming 100,000 × 100,000 pixels, and a reader of a JPEG's
// metadata segments to check what was published.
package testimage

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// Picture draws a deterministic w×h picture: smooth gradients and a few
// shapes (seed varies them), so that it compresses as a photograph does.
func Picture(w, h int, seed int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	s := uint8(seed * 47)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r := uint8(x*255/max(w, 1)) + s
			g := uint8(y*255/max(h, 1)) + s/2
			b := uint8((x+y)*255/max(w+h, 1)) ^ s
			dx, dy := x-w/2, y-h/3
			if dx*dx+dy*dy < (h/5)*(h/5) {
				r, g, b = 230-s/4, 200, 170
			}
			img.SetRGBA(x, y, color.RGBA{r, g, b, 255})
		}
	}
	return img
}

// JPEG encodes Picture(w, h, seed) as a JPEG.
func JPEG(w, h, seed int) []byte {
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, Picture(w, h, seed), &jpeg.Options{Quality: 85})
	return buf.Bytes()
}

// PNG encodes Picture(w, h, seed) as a PNG.
func PNG(w, h, seed int) []byte {
	var buf bytes.Buffer
	_ = png.Encode(&buf, Picture(w, h, seed))
	return buf.Bytes()
}

// Secret is the text the EXIF of WithEXIF carries as camera owner and
// serial number: a published file must not hold it.
const Secret = "SOURCE-CAMERA-SN-4711"

// WithEXIF inserts an EXIF block (APP1) after the start of a JPEG: the
// camera's make and owner (Secret), a GPS position (Pyongyang) and the
// orientation given (1: as stored; 6: turn 90° clockwise to show).
func WithEXIF(jpg []byte, orientation uint16) []byte {
	le := binary.LittleEndian
	var t bytes.Buffer
	t.WriteString("II*\x00")
	_ = binary.Write(&t, le, uint32(8))
	// IFD0: Make (ASCII), Orientation (SHORT), GPS IFD pointer (LONG).
	const n0 = 3
	ifd0End := 8 + 2 + n0*12 + 4
	secretOff := ifd0End
	secret := append([]byte(Secret), 0)
	gpsOff := secretOff + len(secret)
	entry := func(tag, typ uint16, count, value uint32) {
		_ = binary.Write(&t, le, tag)
		_ = binary.Write(&t, le, typ)
		_ = binary.Write(&t, le, count)
		_ = binary.Write(&t, le, value)
	}
	_ = binary.Write(&t, le, uint16(n0))
	entry(0x010F, 2, uint32(len(secret)), uint32(secretOff))
	entry(0x0112, 3, 1, uint32(orientation))
	entry(0x8825, 4, 1, uint32(gpsOff))
	_ = binary.Write(&t, le, uint32(0))
	t.Write(secret)
	// GPS IFD: LatitudeRef "N", Latitude 39/1 1/1 0/1.
	const n1 = 2
	ratOff := gpsOff + 2 + n1*12 + 4
	_ = binary.Write(&t, le, uint16(n1))
	entry(0x0001, 2, 2, uint32('N'))
	entry(0x0002, 5, 3, uint32(ratOff))
	_ = binary.Write(&t, le, uint32(0))
	for _, v := range []uint32{39, 1, 1, 1, 0, 1} {
		_ = binary.Write(&t, le, v)
	}
	payload := append([]byte("Exif\x00\x00"), t.Bytes()...)
	var out bytes.Buffer
	out.Write(jpg[:2]) // SOI
	out.Write([]byte{0xFF, 0xE1})
	_ = binary.Write(&out, binary.BigEndian, uint16(len(payload)+2))
	out.Write(payload)
	out.Write(jpg[2:])
	return out.Bytes()
}

// Metadata lists the metadata segments of a JPEG before its image data:
// "exif", "xmp", "icc", "iptc", "comment" (and "other-APPn"). ok is false
// when data is not a JPEG this reader can walk.
func Metadata(data []byte) (found []string, ok bool) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil, false
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return found, false
		}
		marker := data[i+1]
		if marker == 0xD9 || marker == 0xDA { // end, start of scan
			return found, true
		}
		size := int(binary.BigEndian.Uint16(data[i+2:]))
		if size < 2 || i+2+size > len(data) {
			return found, false
		}
		body := data[i+4 : i+2+size]
		switch {
		case marker == 0xE1 && bytes.HasPrefix(body, []byte("Exif\x00")):
			found = append(found, "exif")
		case marker == 0xE1:
			found = append(found, "xmp")
		case marker == 0xE2:
			found = append(found, "icc")
		case marker == 0xED:
			found = append(found, "iptc")
		case marker == 0xFE:
			found = append(found, "comment")
		case marker >= 0xE2 && marker <= 0xEF:
			found = append(found, "other-APP")
		}
		i += 2 + size
	}
	return found, false
}

// Bomb is a small PNG whose header claims w×h pixels: decoding it would
// allocate w*h*4 bytes. Its single IDAT is a tiny valid zlib stream.
func Bomb(w, h uint32) []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&out, binary.BigEndian, uint32(len(data)))
		out.WriteString(typ)
		out.Write(data)
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		_ = binary.Write(&out, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8 bits, RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", bytes.Repeat([]byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}, 100))
	chunk("IEND", nil)
	return out.Bytes()
}

// BMP is a 2×2 Windows bitmap: an image, in a format a site does not publish.
func BMP() []byte {
	var out bytes.Buffer
	out.WriteString("BM")
	_ = binary.Write(&out, binary.LittleEndian, []uint32{70, 0, 54, 40, 2, 2})
	_ = binary.Write(&out, binary.LittleEndian, []uint16{1, 24})
	_ = binary.Write(&out, binary.LittleEndian, []uint32{0, 16, 2835, 2835, 0, 0})
	out.Write(make([]byte, 16))
	return out.Bytes()
}
