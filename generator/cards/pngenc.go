package cards

import (
	"encoding/binary"
	"hash/crc32"
	"image/color"
	"math/bits"
	"slices"
	"sync"
)

// encodePNG writes a canvas as a PNG of 4 bits a pixel with the palette
// pal (16 colours at most).
//
// The compression is the package's own deflate encoder (RFC 1951), made
// for a card: a card is mostly background with text on it, so it skips the
// blocks the canvas knows are blank (a run, without reading them) and
// looks for three repeats only: a run of the byte before, the bytes of the
// row above, and the last place the same 4 bytes were seen after a blank
// byte (the same letter drawn before). What is left is coded with Huffman
// codes made for the card, in one dynamic block. 378 KB of rows become 5
// to 22 KB, 5 % more than the standard library's level 4, in a small part
// of its time (BenchmarkCard).
func encodePNG(img *canvas, pal color.Palette) []byte {
	e := encoders.Get().(*encoder)
	defer encoders.Put(e)

	e.w.out = append(e.w.out[:0], 0x78, 0x01) // zlib: deflate, 32 KB window, fastest
	e.tokenize(img)
	e.write()
	e.w.out = binary.BigEndian.AppendUint32(e.w.out, adler32(img))

	out := make([]byte, 0, 8+12+13+12+3*len(pal)+12+len(e.w.out)+12)
	out = append(out, "\x89PNG\r\n\x1a\n"...)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], Width)
	binary.BigEndian.PutUint32(ihdr[4:], Height)
	ihdr[8], ihdr[9] = 4, 3 // 4 bits a pixel, paletted
	out = chunk(out, "IHDR", ihdr[:])
	var plte [3 * 256]byte
	for i, c := range pal {
		r, g, b, _ := c.RGBA()
		plte[3*i], plte[3*i+1], plte[3*i+2] = byte(r>>8), byte(g>>8), byte(b>>8)
	}
	out = chunk(out, "PLTE", plte[:3*len(pal)])
	out = chunk(out, "IDAT", e.w.out)
	return chunk(out, "IEND", nil)
}

func chunk(out []byte, typ string, data []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	start := len(out)
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
}

// adler32 is the zlib checksum of the canvas's rows, the blocks that are
// not dirty (all 0) added at once.
func adler32(img *canvas) uint32 {
	const mod = 65521
	s1, s2 := uint32(1), uint32(0)
	for y, m := range img.dirty {
		row := img.pix[y*rowBytes : (y+1)*rowBytes] // fewer than zlib's 5552 bytes: no overflow
		done := 0
		for ; m != 0; m &= m - 1 {
			k := bits.TrailingZeros64(m) * block
			s2 += uint32(k-done) * s1
			p := row[k:min(k+block, rowBytes)]
			done = k + len(p)
			for ; len(p) >= 8; p = p[8:] {
				s1, s2 = adler8(s1, s2, binary.LittleEndian.Uint64(p))
			}
			for _, c := range p {
				s1 += uint32(c)
				s2 += s1
			}
		}
		s2 += uint32(rowBytes-done) * s1
		s1, s2 = s1%mod, s2%mod
	}
	return s2<<16 | s1
}

// adler8 adds 8 bytes (x, the first in the low bits) to the sums: s1
// gains their sum, s2 8·s1 and the sum of (8-j)·byte j. The bytes are
// split into even and odd ones, 16 bits each, and each sum is a product's
// top 16 bits (no lane overflows: 255 · (2+4+6+8) < 2¹⁶).
func adler8(s1, s2 uint32, x uint64) (uint32, uint32) {
	if x == 0 {
		return s1, s2 + 8*s1
	}
	const lanes = 0x00ff00ff00ff00ff
	even, odd := x&lanes, x>>8&lanes
	sum := uint32((even + odd) * 0x0001000100010001 >> 48)
	weighted := uint32((even*0x0008000600040002)>>48) + uint32((odd*0x0007000500030001)>>48)
	return s1 + sum, s2 + 8*s1 + weighted
}

// An encoder holds what one encodePNG needs, kept between cards.
type encoder struct {
	tokens []uint32 // a literal byte, or matchFlag | distance code<<24 | (length-3)<<16 | (distance-1)
	inked  [Height + 1]int
	table  [1 << hashBits]int32 // 4 bytes' hash → 1 + where they were last seen
	lit    [286]int32
	dist   [30]int32
	w      bitWriter
	h      huffman
}

var encoders = sync.Pool{New: func() any { return &encoder{tokens: make([]uint32, 0, 64<<10)} }}

const (
	hashBits  = 10
	matchFlag = 1 << 31
	maxMatch  = 258
	endOfData = 256
)

// tokenize turns the rows into literals and matches, counting the codes.
// A match found is taken (no lazy matching: looking one byte further
// makes 3 % smaller cards for a fifth more time).
func (e *encoder) tokenize(img *canvas) {
	e.tokens = e.tokens[:0]
	clear(e.lit[:])
	clear(e.dist[:])
	clear(e.table[:])
	b := img.pix[:size]
	// inked[y] is where the first dirty block at row y or below starts.
	inked := e.inked[:]
	inked[Height] = len(b)
	for y := Height - 1; y >= 0; y-- {
		inked[y] = inked[y+1]
		if m := img.dirty[y]; m != 0 {
			inked[y] = y*rowBytes + bits.TrailingZeros64(m)*block
		}
	}
	tokens := e.tokens
	for i, y := 0, 0; i < len(b); {
		for i >= (y+1)*rowBytes {
			y++
		}
		n, d := e.match(img, i, y)
		if n < 3 || (n == 3 && d != 1) {
			tokens = append(tokens, uint32(b[i]))
			e.lit[b[i]]++
			i++
			continue
		}
		dc := distCode(d)
		tokens = append(tokens, matchFlag|uint32(dc)<<24|uint32(n-3)<<16|uint32(d-1))
		e.lit[257+int(lengthCode[n-3])]++
		e.dist[dc]++
		i += n
	}
	e.tokens = tokens
	e.lit[endOfData]++
}

// match is the longest match found at i, in row y: a run of the byte
// before (distance 1; the bytes of blocks that are not dirty are a run
// without looking at them), the bytes of the row above, or the last
// place the same 4 bytes were seen (a letter drawn before).
func (e *encoder) match(img *canvas, i, y int) (n, d int) {
	b := img.pix[:size]
	limit := min(maxMatch, len(b)-i)
	if limit < 4 || i == 0 {
		return 0, 0
	}
	if k := (i - y*rowBytes) / block; b[i] == 0 && b[i-1] == 0 && img.dirty[y]>>k&1 == 0 {
		// blank up to the next dirty block
		end := e.inked[y+1]
		if rest := img.dirty[y] >> k; rest != 0 {
			end = y*rowBytes + (k+bits.TrailingZeros64(rest))*block
		}
		n = min(limit, end-i)
		return n + matchLen(b[i+n:i+limit], b[i+n-1:]), 1
	}
	// Candidates are checked 4 bytes at once.
	k := binary.LittleEndian.Uint32(b[i:])
	if k == uint32(b[i-1])*0x01010101 {
		if n, d = 4+matchLen(b[i+4:i+limit], b[i+3:]), 1; n >= 8 {
			return n, d
		}
	}
	if i >= rowBytes && binary.LittleEndian.Uint32(b[i-rowBytes:]) == k {
		if m := 4 + matchLen(b[i+4:i+limit], b[i+4-rowBytes:]); m > n {
			if n, d = m, rowBytes; n >= 8 {
				return n, d
			}
		}
	}
	if b[i-1] != 0 { // a letter's row starts after a blank byte: look there only
		return n, d
	}
	h := k * 0x1e35a7bd >> (32 - hashBits)
	if j := int(e.table[h]) - 1; j >= 0 && i-j <= 1<<15 && binary.LittleEndian.Uint32(b[j:]) == k {
		if m := 4 + matchLen(b[i+4:i+limit], b[j+4:]); m > n && m >= minFar(i-j) {
			n, d = m, i-j
		}
	}
	e.table[h] = int32(i + 1)
	return n, d
}

// matchLen is how many bytes at the start of a and b are equal, a word
// at a time; b may overlap a (a run).
func matchLen(a, b []byte) int {
	n := 0
	for n+8 <= len(a) {
		if x := binary.LittleEndian.Uint64(a[n:]) ^ binary.LittleEndian.Uint64(b[n:]); x != 0 {
			return n + bits.TrailingZeros64(x)/8
		}
		n += 8
	}
	for n < len(a) && a[n] == b[n] {
		n++
	}
	return n
}

// The length and distance codes of RFC 1951 (3.2.5).
var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	lengthCode  = func() (t [256]uint8) { // by length-3
		for c := range lengthBase {
			for l := int(lengthBase[c]); l < int(lengthBase[c])+1<<lengthExtra[c] && l <= maxMatch; l++ {
				t[l-3] = uint8(c)
			}
		}
		return t
	}()
)

// distCode is the code of distance d (1 to 32768); it has
// max(code/2-1, 0) extra bits.
func distCode(d int) int {
	x := uint32(d - 1)
	if x < 4 {
		return int(x)
	}
	nb := bits.Len32(x) - 1
	return 2*nb + int(x>>(nb-1)&1)
}

// codeLengthOrder is the order code-length code lengths are written in.
var codeLengthOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// write writes the tokens as one final deflate block with dynamic Huffman
// codes, then pads to a byte.
func (e *encoder) write() {
	h := &e.h
	lit, dist := h.lit[:], h.dist[:]
	h.lengths(e.lit[:], lit, 15)
	h.lengths(e.dist[:], dist, 15)
	nlit, ndist := 257, 1
	for i, l := range lit {
		if l > 0 && i >= nlit {
			nlit = i + 1
		}
	}
	for i, l := range dist {
		if l > 0 && i >= ndist {
			ndist = i + 1
		}
	}
	// The code lengths, run-length coded (3.2.7): symbol | extra<<8.
	seq := h.runs(append(append(h.seq[:0], lit[:nlit]...), dist[:ndist]...))
	var clFreq [19]int32
	for _, s := range seq {
		clFreq[s&0xff]++
	}
	cl := h.cl[:]
	h.lengths(clFreq[:], cl, 7)
	ncl := 19
	for ncl > 4 && cl[codeLengthOrder[ncl-1]] == 0 {
		ncl--
	}

	w := &e.w
	w.bits(1, 1) // final block
	w.bits(2, 2) // dynamic Huffman codes
	w.bits(uint64(nlit-257), 5)
	w.bits(uint64(ndist-1), 5)
	w.bits(uint64(ncl-4), 4)
	for _, s := range codeLengthOrder[:ncl] {
		w.bits(uint64(cl[s]), 3)
	}
	clCodes := h.codes(cl, h.clCode[:])
	for _, s := range seq {
		sym := s & 0xff
		w.bits(uint64(clCodes[sym]), uint(cl[sym]))
		switch sym {
		case 16:
			w.bits(uint64(s>>8), 2)
		case 17:
			w.bits(uint64(s>>8), 3)
		case 18:
			w.bits(uint64(s>>8), 7)
		}
	}

	litCodes, distCodes := h.codes(lit, h.litCode[:]), h.codes(dist, h.distCode[:])
	// Each length's code and extra bits, as one write.
	var lengths [256]uint64 // bits | count<<32
	for n := range lengths {
		c := 257 + int(lengthCode[n])
		v := uint64(litCodes[c]) | uint64(n+3-int(lengthBase[c-257]))<<lit[c]
		lengths[n] = v | uint64(lit[c]+lengthExtra[c-257])<<32
	}
	var literals [256]uint64 // bits | count<<32
	for c := range literals {
		literals[c] = uint64(litCodes[c]) | uint64(lit[c])<<32
	}
	for _, t := range e.tokens {
		if t&matchFlag == 0 {
			l := literals[t&0xff]
			w.bits(l&(1<<32-1), uint(l>>32))
			continue
		}
		l := lengths[t>>16&0xff]
		w.bits(l&(1<<32-1), uint(l>>32))
		dc, x := t>>24&0x1f, uint64(t&0xffff)
		nb := uint(max(int(dc)/2-1, 0))
		w.bits(uint64(distCodes[dc])|x&(1<<nb-1)<<dist[dc], uint(dist[dc])+nb)
	}
	w.bits(uint64(litCodes[endOfData]), uint(lit[endOfData]))
	w.flush()
}

// bitWriter writes bits from the least significant, as deflate packs
// them; fewer than 32 are kept in acc between writes.
type bitWriter struct {
	out []byte
	acc uint64
	n   uint
}

// bits writes the n low bits of v (n ≤ 28).
func (w *bitWriter) bits(v uint64, n uint) {
	w.acc |= v << w.n
	w.n += n
	if w.n >= 32 {
		w.out = binary.LittleEndian.AppendUint32(w.out, uint32(w.acc))
		w.acc >>= 32
		w.n -= 32
	}
}

// flush writes the last bits, padded to a byte.
func (w *bitWriter) flush() {
	for ; w.n > 0; w.n -= min(w.n, 8) {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
	}
	w.acc = 0
}

// huffman makes the block's codes; its slices are kept between cards.
type huffman struct {
	lit      [286]uint8
	dist     [30]uint8
	cl       [19]uint8
	litCode  [286]uint16
	distCode [30]uint16
	clCode   [19]uint16
	seq      []uint8
	runSeq   []uint16
	nodes    []node
	leaves   []int
	depth    []int
}

type node struct {
	weight int64
	parent int
}

// runs codes a sequence of code lengths with the repeat symbols 16, 17
// and 18: each entry is the symbol, with its extra bits' value << 8.
func (h *huffman) runs(seq []uint8) []uint16 {
	h.seq = seq
	out := h.runSeq[:0]
	for i := 0; i < len(seq); {
		v, n := seq[i], 1
		for i+n < len(seq) && seq[i+n] == v {
			n++
		}
		i += n
		if v == 0 {
			for ; n >= 11; n -= min(n, 138) {
				out = append(out, 18|uint16(min(n, 138)-11)<<8)
			}
			if n >= 3 {
				out = append(out, 17|uint16(n-3)<<8)
				n = 0
			}
		} else {
			out = append(out, uint16(v))
			n--
			for ; n >= 3; n -= min(n, 6) {
				out = append(out, 16|uint16(min(n, 6)-3)<<8)
			}
		}
		for ; n > 0; n-- {
			out = append(out, uint16(v))
		}
	}
	h.runSeq = out
	return out
}

// lengths sets the Huffman code length of each symbol from its count, no
// code longer than limit bits. A symbol not used gets no code; when fewer
// than two are used, a second one gets a code too, so the code is complete
// (every decoder takes it).
func (h *huffman) lengths(freq []int32, lens []uint8, limit int) {
	clear(lens)
	leaves := h.leaves[:0]
	for s, f := range freq {
		if f > 0 {
			leaves = append(leaves, s)
		}
	}
	for s := 0; len(leaves) < 2; s++ {
		if freq[s] == 0 {
			leaves = append(leaves, s)
		}
	}
	weight := func(s int) int64 { return max(int64(freq[s]), 1) }
	slices.SortFunc(leaves, func(a, b int) int { // rarest first, then by symbol
		if wa, wb := weight(a), weight(b); wa != wb {
			return int(wa - wb)
		}
		return a - b
	})
	h.leaves = leaves

	// Two queues (leaves sorted, then the joined nodes in the order they
	// are made, which is by weight) give the tree; nodes[i] for i <
	// len(leaves) is leaves[i].
	nodes := h.nodes[:0]
	for _, s := range leaves {
		nodes = append(nodes, node{weight(s), -1})
	}
	nl, li, ni := len(leaves), 0, len(leaves)
	take := func() int {
		if li < nl && (ni >= len(nodes) || nodes[li].weight <= nodes[ni].weight) {
			li++
			return li - 1
		}
		ni++
		return ni - 1
	}
	for len(nodes)-nl < nl-1 {
		a, b := take(), take()
		nodes = append(nodes, node{nodes[a].weight + nodes[b].weight, -1})
		nodes[a].parent, nodes[b].parent = len(nodes)-1, len(nodes)-1
	}
	h.nodes = nodes
	// Depths from the root (the last node) down; count codes by length,
	// those too long made limit bits long.
	depth := append(h.depth[:0], make([]int, len(nodes))...)
	h.depth = depth
	var count [16]int
	for i := len(nodes) - 2; i >= 0; i-- {
		depth[i] = depth[nodes[i].parent] + 1
		if i < nl {
			count[min(depth[i], limit)]++
		}
	}
	// Shortening codes broke the Kraft sum: lengthen a shorter code for
	// each code too many (as zlib and miniz do).
	total := 0
	for l := 1; l <= limit; l++ {
		total += count[l] << (limit - l)
	}
	for ; total > 1<<limit; total-- {
		count[limit]--
		for l := limit - 1; l > 0; l-- {
			if count[l] > 0 {
				count[l]--
				count[l+1] += 2
				break
			}
		}
	}
	// The rarest symbols get the longest codes.
	i := 0
	for l := limit; l > 0; l-- {
		for range count[l] {
			lens[leaves[i]] = uint8(l)
			i++
		}
	}
}

// codes gives each symbol its canonical code (3.2.2), bits reversed for
// writing from the least significant bit.
func (h *huffman) codes(lens []uint8, codes []uint16) []uint16 {
	var count [16]uint16
	for _, l := range lens {
		count[l]++
	}
	count[0] = 0
	var next [16]uint16
	code := uint16(0)
	for l := 1; l < 16; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	for s, l := range lens {
		if l > 0 {
			codes[s] = bits.Reverse16(next[l]) >> (16 - l)
			next[l]++
		}
	}
	return codes
}

// minFar is the shortest match worth its distance's extra bits.
func minFar(d int) int {
	switch {
	case d <= 256:
		return 4
	case d <= 2048:
		return 6
	}
	return 8
}
