package search

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"maps"
	"slices"
	"sync"

	"github.com/cespare/xxhash/v2"
)

// Analyses keeps pass 1 of a build, the analysis of each document (its
// terms with their counts and title flags, its length in tokens, its
// excerpt), from one build to the next, by the hash of what it is made
// from: title, language, lead and text. The build cache on disk stores it
// (Encode); a document that did not change is not tokenized again. The
// output does not depend on it: a document analysed again, or taken from
// here, gives the same entries.
//
// Stored form: a version byte, the term table, then each analysis by key
// in term numbers of that table, decoded when a build looks it up.
type Analyses struct {
	mu    sync.Mutex
	terms []string          // the term table: the last build's, then this one's new terms
	ids   map[string]uint32 // the table's terms, made when a new analysis is stored
	last  map[uint64][]byte // the last build's analyses, by key
	used  map[uint64][]byte // this build's, by key: what Encode stores
	hits  int
}

// analysesVersion starts the stored bytes: another version is an empty
// Analyses.
const analysesVersion = 1

// NewAnalyses returns an empty Analyses.
func NewAnalyses() *Analyses { return DecodeAnalyses(nil) }

// DecodeAnalyses reads what Encode stored; bytes of another version, or
// cut short, are an empty Analyses. The analyses refer to data, which
// must not change.
func DecodeAnalyses(data []byte) *Analyses {
	a := &Analyses{last: map[uint64][]byte{}, used: map[uint64][]byte{}}
	if len(data) == 0 || data[0] != analysesVersion {
		return a
	}
	r := storedReader{data: data[1:]}
	n := r.count()
	terms := make([]string, 0, n)
	for range n {
		terms = append(terms, string(r.bytes()))
	}
	n = r.count()
	last := make(map[uint64][]byte, n)
	for range n {
		k := r.u64()
		last[k] = r.bytes()
	}
	if r.bad || len(r.data) != 0 {
		return a
	}
	a.terms, a.last = terms, last
	return a
}

// Hits counts the documents whose analysis came from the last build.
func (a *Analyses) Hits() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.hits
}

// Encode returns the analyses of the documents of this build (every
// Build that used a), with the term table they refer to.
func (a *Analyses) Encode() []byte {
	var buf bytes.Buffer
	_, _ = a.WriteTo(&buf) // a bytes.Buffer does not fail
	return buf.Bytes()
}

// Len is the length of what Encode returns, and WriteTo writes.
func (a *Analyses) Len() int {
	n, _ := a.WriteTo(io.Discard)
	return int(n)
}

// WriteTo writes what Encode returns without making it in memory: the
// build cache saves it so (buildcache.Section).
func (a *Analyses) WriteTo(w io.Writer) (int64, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	cw := &countWriter{w: w}
	bw := bufio.NewWriterSize(cw, 64<<10)
	// Each entry is made in b and copied into bw; errors show at Flush.
	b := binary.AppendUvarint([]byte{analysesVersion}, uint64(len(a.terms)))
	_, _ = bw.Write(b)
	for _, t := range a.terms {
		b = appendBytes(b[:0], t)
		_, _ = bw.Write(b)
	}
	keys := slices.Sorted(maps.Keys(a.used))
	b = binary.AppendUvarint(b[:0], uint64(len(keys)))
	_, _ = bw.Write(b)
	for _, k := range keys {
		b = appendBytes(binary.LittleEndian.AppendUint64(b[:0], k), string(a.used[k]))
		_, _ = bw.Write(b)
	}
	err := bw.Flush()
	return cw.n, err
}

// Drop lets go of the analyses held in memory once the caller has written
// them elsewhere (WriteTo; the build cache's spill file): a build that
// looks no document up again need not hold them until the save. Hits
// stays; a document looked up after Drop is not found (analysed again).
func (a *Analyses) Drop() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.terms, a.ids = nil, nil
	a.last, a.used = map[uint64][]byte{}, map[uint64][]byte{}
}

// countWriter counts the bytes it passes on to w.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

func appendBytes(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// analysisKey sums up what a document's analysis is made from.
func analysisKey(d *Document, body string) uint64 {
	h := xxhash.New()
	for _, s := range [...]string{d.Title, d.Lang, d.Lead, body} {
		_, _ = h.WriteString(s)
		_, _ = h.Write([]byte{0xff}) // never in UTF-8 text
	}
	if d.LeadInTitle {
		_, _ = h.Write([]byte{1})
	}
	return h.Sum64()
}

// analysisKeyByBody is analysisKey for a document whose text is a
// function of what bodyKey sums up (a dossier's body: its HTML is made
// from what render.BodyKey covers, its text from its HTML). A byte that
// never ends a UTF-8 text keeps it apart from any analysisKey.
func analysisKeyByBody(d *Document, bodyKey uint64) uint64 {
	h := xxhash.New()
	for _, s := range [...]string{d.Title, d.Lang, d.Lead} {
		_, _ = h.WriteString(s)
		_, _ = h.Write([]byte{0xff}) // never in UTF-8 text
	}
	var b [9]byte
	b[0] = 0xfe // never in UTF-8 text: the body by its key
	binary.LittleEndian.PutUint64(b[1:], bodyKey)
	_, _ = h.Write(b[:])
	if d.LeadInTitle {
		_, _ = h.Write([]byte{1})
	}
	return h.Sum64()
}

// stored is a decoded analysis: its entries name terms by their number in
// the Analyses' table.
type storedAnalysis struct {
	length  int
	excerpt string
	terms   []uint32
	tfs     []uint32 // docEntry.tf: the count shifted left by one, the title flag in the low bit
}

// lookUp returns the analysis stored under key, with the term table it
// refers to, and keeps it for the next build; ok is false when there is
// none or it does not decode.
func (a *Analyses) lookUp(key uint64) (s storedAnalysis, terms []string, ok bool) {
	a.mu.Lock()
	raw, ok := a.last[key]
	if !ok {
		raw, ok = a.used[key] // a document of the same text in another tree
	}
	terms = a.terms // store only appends: these stay as they are
	nterms := len(terms)
	a.mu.Unlock()
	if !ok {
		return storedAnalysis{}, nil, false
	}
	r := storedReader{data: raw}
	s = storedAnalysis{length: int(r.uvarint()), excerpt: string(r.bytes())}
	n := r.count()
	s.terms, s.tfs = make([]uint32, n), make([]uint32, n)
	for i := range n {
		t, tf := r.uvarint(), r.uvarint()
		if t >= uint64(nterms) || tf > 1<<32-1 {
			r.bad = true
			break
		}
		s.terms[i], s.tfs[i] = uint32(t), uint32(tf)
	}
	if r.bad || len(r.data) != 0 || s.length < 0 {
		return storedAnalysis{}, nil, false
	}
	a.mu.Lock()
	a.used[key] = raw
	a.hits++
	a.mu.Unlock()
	return s, terms, true
}

// store keeps the analysis of a document analysed by this build.
func (a *Analyses) store(key uint64, dt docTerms, excerpt string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ids == nil {
		a.ids = make(map[string]uint32, len(a.terms))
		for i, t := range a.terms {
			a.ids[t] = uint32(i)
		}
	}
	raw := binary.AppendUvarint(nil, uint64(dt.length))
	raw = appendBytes(raw, excerpt)
	raw = binary.AppendUvarint(raw, uint64(len(dt.terms)))
	for _, tc := range dt.terms {
		id, ok := a.ids[tc.term]
		if !ok {
			id = uint32(len(a.terms))
			a.ids[tc.term] = id
			a.terms = append(a.terms, tc.term)
		}
		tf := uint64(tc.tf) << 1
		if tc.title {
			tf |= 1
		}
		raw = binary.AppendUvarint(raw, uint64(id))
		raw = binary.AppendUvarint(raw, tf)
	}
	a.used[key] = raw
}

// storedReader reads stored bytes; bad is set, and zero values returned,
// past the end.
type storedReader struct {
	data []byte
	bad  bool
}

func (r *storedReader) u64() uint64 {
	if len(r.data) < 8 {
		r.bad, r.data = true, nil
		return 0
	}
	v := binary.LittleEndian.Uint64(r.data)
	r.data = r.data[8:]
	return v
}

func (r *storedReader) uvarint() uint64 {
	v, k := binary.Uvarint(r.data)
	if k <= 0 {
		r.bad, r.data = true, nil
		return 0
	}
	r.data = r.data[k:]
	return v
}

// count reads a number of entries, bounded by the bytes left (each takes
// at least one).
func (r *storedReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.data)) {
		r.bad, r.data = true, nil
		return 0
	}
	return int(n)
}

func (r *storedReader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.data)) {
		r.bad, r.data = true, nil
		return nil
	}
	b := r.data[:n:n]
	r.data = r.data[n:]
	return b
}
