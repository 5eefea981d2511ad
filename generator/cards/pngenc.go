package cards

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"sync"
)

// encodePNG writes a paletted image as PNG: 4 bits a pixel when the
// palette has 16 colours or fewer, rows unfiltered (flat colours and text
// compress best so), deflate at level (the standard encoder offers only 1
// and 6; on a long quote card 4 makes 20 KB in a third of 6's time, 1 and
// 2 make 24 KB).
func encodePNG(img *image.Paletted, level int) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(24 << 10)
	out.WriteString("\x89PNG\r\n\x1a\n")
	w, h := img.Rect.Dx(), img.Rect.Dy()
	depth := 8
	if len(img.Palette) <= 16 {
		depth = 4
	}
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	chunk(&out, "IHDR", append(ihdr, byte(depth), 3, 0, 0, 0))
	plte := make([]byte, 0, 3*len(img.Palette))
	for _, c := range img.Palette {
		r, g, b, _ := c.RGBA()
		plte = append(plte, byte(r>>8), byte(g>>8), byte(b>>8))
	}
	chunk(&out, "PLTE", plte)

	z := zlibWriters.Get().(*zlibWriter)
	defer zlibWriters.Put(z)
	z.buf.Reset()
	if z.level != level || z.w == nil {
		z.w, _ = zlib.NewWriterLevel(&z.buf, level)
		z.level = level
	} else {
		z.w.Reset(&z.buf)
	}
	stride := 1 + (w*depth+7)/8
	row := make([]byte, stride)
	for y := range h {
		src := img.Pix[y*img.Stride : y*img.Stride+w]
		if depth == 8 {
			copy(row[1:], src)
		} else {
			for x := 0; x < w; x += 2 {
				b := src[x] << 4
				if x+1 < w {
					b |= src[x+1]
				}
				row[1+x/2] = b
			}
		}
		if _, err := z.w.Write(row); err != nil {
			return nil, err
		}
	}
	if err := z.w.Close(); err != nil {
		return nil, err
	}
	chunk(&out, "IDAT", z.buf.Bytes())
	chunk(&out, "IEND", nil)
	return out.Bytes(), nil
}

type zlibWriter struct {
	w     *zlib.Writer
	level int
	buf   bytes.Buffer
}

var zlibWriters = sync.Pool{New: func() any { return &zlibWriter{} }}

func chunk(out *bytes.Buffer, typ string, data []byte) {
	out.Write(binary.BigEndian.AppendUint32(nil, uint32(len(data))))
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	out.WriteString(typ)
	out.Write(data)
	out.Write(binary.BigEndian.AppendUint32(nil, crc.Sum32()))
}
