package images

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// checkStructure walks a file's blocks (JPEG markers, PNG chunks, GIF blocks,
// RIFF chunks) without decoding them: a truncated file is found here, before
// any pixel is decoded, and so is a JPEG of too many scans.
func checkStructure(format string, data []byte) error {
	var err error
	switch format {
	case "jpeg":
		err = walkJPEG(data, func(byte, []byte) bool { return true })
	case "png":
		err = walkPNG(data, func(string, []byte) bool { return true })
	case "gif":
		err = walkGIF(data)
	case "webp":
		err = walkRIFF(data, func(string, []byte) bool { return true })
	}
	if err == errTruncated {
		return corrupt(format, err)
	}
	if err != nil {
		return fmt.Errorf("the %s file is corrupt: %v", name(format), err)
	}
	return nil
}

// walkJPEG calls seg with each marker segment before the first scan and
// its payload, counts the scans, and needs the end-of-image marker. seg
// returns false to stop the walk early (without error).
func walkJPEG(data []byte, seg func(marker byte, payload []byte) bool) error {
	pos, scans := 2, 0
	for {
		for pos < len(data) && data[pos] == 0xff && pos+1 < len(data) && data[pos+1] == 0xff {
			pos++ // fill bytes
		}
		if pos+2 > len(data) {
			return errTruncated
		}
		if data[pos] != 0xff {
			return fmt.Errorf("a marker was expected at byte %d", pos)
		}
		m := data[pos+1]
		pos += 2
		switch {
		case m == 0xd9:
			return nil
		case m >= 0xd0 && m <= 0xd7, m == 0x01:
			continue
		case m == 0xd8 || m == 0x00:
			return fmt.Errorf("an unexpected marker at byte %d", pos-2)
		}
		if pos+2 > len(data) {
			return errTruncated
		}
		n := int(binary.BigEndian.Uint16(data[pos:]))
		if n < 2 {
			return fmt.Errorf("a segment of length %d at byte %d", n, pos)
		}
		if pos+n > len(data) {
			return errTruncated
		}
		if scans == 0 && !seg(m, data[pos+2:pos+n]) {
			return nil
		}
		pos += n
		if m != 0xda {
			continue
		}
		if scans++; scans > maxScans {
			return fmt.Errorf("it has more than %d scans (a decoding-time bomb)", maxScans)
		}
		pos = skipEntropy(data, pos)
	}
}

// skipEntropy returns the position of the marker that ends the
// entropy-coded data from pos (0xff followed by neither 0x00 nor a restart
// marker), or len(data).
func skipEntropy(data []byte, pos int) int {
	for {
		i := bytes.IndexByte(data[pos:], 0xff)
		if i < 0 || pos+i+1 >= len(data) {
			return len(data)
		}
		pos += i
		if b := data[pos+1]; b != 0x00 && (b < 0xd0 || b > 0xd7) && b != 0xff {
			return pos
		}
		pos++
	}
}

// walkPNG calls chunk with each chunk up to IEND, which it needs.
func walkPNG(data []byte, chunk func(typ string, payload []byte) bool) error {
	pos := 8
	for {
		if pos+12 > len(data) {
			return errTruncated
		}
		n := int64(binary.BigEndian.Uint32(data[pos:]))
		typ := string(data[pos+4 : pos+8])
		if int64(pos)+12+n > int64(len(data)) {
			return errTruncated
		}
		if !chunk(typ, data[pos+8:pos+8+int(n)]) || typ == "IEND" {
			return nil
		}
		pos += 12 + int(n)
	}
}

// walkGIF follows the GIF blocks to the trailer.
func walkGIF(data []byte) error {
	if len(data) < 13 {
		return errTruncated
	}
	pos := 13
	if data[10]&0x80 != 0 {
		pos += 3 << (data[10]&7 + 1)
	}
	for {
		if pos >= len(data) {
			return errTruncated
		}
		switch data[pos] {
		case 0x3b:
			return nil
		case 0x21:
			pos += 2
		case 0x2c:
			if pos+10 > len(data) {
				return errTruncated
			}
			flags := data[pos+9]
			pos += 10
			if flags&0x80 != 0 {
				pos += 3 << (flags&7 + 1)
			}
			pos++ // LZW minimum code size
		default:
			return fmt.Errorf("an unknown block 0x%02x at byte %d", data[pos], pos)
		}
		var err error
		if pos, err = skipSubBlocks(data, pos); err != nil {
			return err
		}
	}
}

func skipSubBlocks(data []byte, pos int) (int, error) {
	for {
		if pos >= len(data) {
			return 0, errTruncated
		}
		n := int(data[pos])
		pos++
		if n == 0 {
			return pos, nil
		}
		pos += n
	}
}

// walkRIFF checks the RIFF size and calls chunk with each chunk.
func walkRIFF(data []byte, chunk func(fourcc string, payload []byte) bool) error {
	size := int64(binary.LittleEndian.Uint32(data[4:8]))
	if size+8 > int64(len(data)) {
		return errTruncated
	}
	data = data[:size+8]
	for pos := 12; pos+8 <= len(data); {
		n := int64(binary.LittleEndian.Uint32(data[pos+4:]))
		if int64(pos)+8+n > int64(len(data)) {
			return errTruncated
		}
		if !chunk(string(data[pos:pos+4]), data[pos+8:pos+8+int(n)]) {
			return nil
		}
		pos += 8 + int(n) + int(n&1)
	}
	return nil
}

// orientation reads the EXIF orientation (1-8) of a JPEG (APP1), PNG
// (eXIf) or WebP (EXIF chunk); 1 when there is none or it is unreadable.
func orientation(format string, data []byte) int {
	o := 1
	switch format {
	case "jpeg":
		_ = walkJPEG(data, func(m byte, p []byte) bool {
			if m == 0xe1 && bytes.HasPrefix(p, []byte("Exif\x00\x00")) {
				o = exifOrientation(p[6:])
				return false
			}
			return m != 0xda
		})
	case "png":
		_ = walkPNG(data, func(typ string, p []byte) bool {
			if typ == "eXIf" {
				o = exifOrientation(p)
			}
			return typ != "IDAT"
		})
	case "webp":
		_ = walkRIFF(data, func(fourcc string, p []byte) bool {
			if fourcc == "EXIF" {
				o = exifOrientation(bytes.TrimPrefix(p, []byte("Exif\x00\x00")))
			}
			return true
		})
	}
	return o
}

// exifOrientation reads tag 0x0112 of IFD0 of a TIFF structure.
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(tiff[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1
	}
	ifd := int64(bo.Uint32(tiff[4:]))
	if ifd+2 > int64(len(tiff)) {
		return 1
	}
	n := int64(bo.Uint16(tiff[ifd:]))
	for i := range n {
		e := ifd + 2 + 12*i
		if e+12 > int64(len(tiff)) {
			return 1
		}
		if bo.Uint16(tiff[e:]) == 0x0112 && bo.Uint16(tiff[e+2:]) == 3 {
			if v := int(bo.Uint16(tiff[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}
