// Package search builds the static full-text index and owns the tokenizer
// shared with the client.
//
// [Build] turns the site's documents into a set of small JSON files under
// search/ that assets/js/search.js queries in the browser, fetching only the
// files a query needs. [Tokenize], [Normalize] and [Stem] define how text is
// cut into terms; the client reimplements them exactly (the shared vectors in
// testdata/vectors.json and the node-based tests keep both in step), and
// [Searcher] is the Go reference of the client's query algorithm.
//
// docs/search.md describes the index format and the rules in detail.
package search

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/dossier-ssg/dossier/generator/markdown"
)

// Document is one searchable page.
type Document struct {
	URL   string // site-relative URL path without base, e.g. "actors/kim-jong-un/" or "dossiers/x/#q-3"
	Kind  string // "dossier" | "actor" | "treaty" | "quote"
	Title string
	Lang  string // "fr" | "en"
	Text  string // plain text body (no HTML)
	Date  string // optional ISO date
	// Lead, when set, is text before Text (a summary), as if joined to it
	// by a newline: Build reads both without making the joined copy. The
	// snippet shows them apart: "lead · text".
	Lead string
	// LeadInTitle says the title shows the lead already (a quote's words):
	// the snippet leaves it out instead of repeating it.
	LeadInTitle bool
}

// snippet is the excerpt shown under the document's title in results.
func (d *Document) snippet(text string) string {
	if d.LeadInTitle {
		return excerpt("", text)
	}
	return excerpt(d.Lead, text)
}

// Kinds lists the document kinds in display order. Document IDs are assigned
// kind by kind in this order, so the client knows a hit's kind without
// fetching its document.
var Kinds = []string{"dossier", "actor", "treaty", "quote"}

// Index format parameters. The client reads the ones it needs from
// search/meta.json.
const (
	formatVersion  = 1
	maxTermBytes   = 64       // longer terms are neither indexed nor searched
	termChunkBytes = 24 << 10 // target size of a term chunk file
	docChunkSize   = 16       // documents per search/d/<n>.json file (fewer files to write and upload; ~6 KB each)
	excerptBytes   = 240      // stored plain text per document, for snippets
	bm25K1         = 1.2
	bm25B          = 0.75
	maxBodyWeight  = 31 // body weights are quantized to 1..maxBodyWeight
	titleFlag      = 32 // added to a posting weight when the term is in the title
)

// postingAlphabet encodes posting lists as JSON-safe text: 6 bits a character.
const postingAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

// indexMeta is search/meta.json.
type indexMeta struct {
	Version  int      `json:"version"`
	Hash     string   `json:"hash"`     // digest of all other files, for cache busting
	Docs     int      `json:"docs"`     // number of documents
	Kinds    []string `json:"kinds"`    // kind names in ID order
	Counts   []int    `json:"counts"`   // documents of each kind
	DocChunk int      `json:"docChunk"` // documents per search/d/<n>.json
	Terms    []string `json:"terms"`    // lower bound of the terms of each search/t/<n>.json
	Stop     []string `json:"stop"`     // stop words, each in search/s/<word>.json
}

// docEntry is one term of a document: its ID, and its count shifted left
// by one with the title flag in the low bit (8 bytes: a large site has
// millions).
type docEntry struct {
	term int32
	tf   uint32
}

// Build returns the index files to write, keyed by path relative to the
// output root (all under "search/"). The output is deterministic byte for
// byte: it does not depend on the order of docs.
//
// Build fails on a document with an unknown kind, a duplicate URL, or a URL
// that is not a site-relative path (no scheme, no leading slash).
func Build(docs []Document) (map[string][]byte, error) {
	return build(docs, nil, nil, termChunkBytes, nil)
}

// BuildText is Build for documents whose Text is made by text(i) for
// docs[i] when the index reads it. Build reads each text once and keeps
// only the terms and the excerpt, so a large site's text need never be all
// in memory at once.
func BuildText(docs []Document, text func(i int) string) (map[string][]byte, error) {
	return build(docs, text, nil, termChunkBytes, nil)
}

// BuildStored is BuildText with the analyses of the last build: a
// document whose title, language, lead and text are unchanged is not
// analysed again, and a keeps this build's for the next (Analyses.Encode).
func BuildStored(docs []Document, text func(i int) string, a *Analyses) (map[string][]byte, error) {
	return build(docs, text, nil, termChunkBytes, a)
}

// validate reports documents with an unknown kind, a bad URL or a URL
// another document has.
func validate(docs []Document) error {
	seen := make(map[string]bool, len(docs))
	var errs []error
	for _, d := range docs {
		if kindIndex(d.Kind) < 0 {
			errs = append(errs, fmt.Errorf("search: document %q: unknown kind %q", d.URL, d.Kind))
		}
		if err := checkURL(d.URL); err != nil {
			errs = append(errs, err)
		}
		if seen[d.URL] {
			errs = append(errs, fmt.Errorf("search: duplicate document URL %q", d.URL))
		}
		seen[d.URL] = true
	}
	return errors.Join(errs...)
}

// kindIndex is the rank of a kind in Kinds, or -1.
func kindIndex(kind string) int {
	return slices.Index(Kinds, kind)
}

// build is BuildText with a given term chunk size (tests use small chunks);
// a nil text reads each document's Text. bodyKey, when set, gives a sum of
// what docs[i]'s text is made from, for the documents it knows (a dossier's
// body key, Bodies.Key): their stored analyses are looked up by it.
func build(docs []Document, text func(i int) string, bodyKey func(i int) (uint64, bool), chunkBytes int, stored *Analyses) (map[string][]byte, error) {
	if text == nil {
		text = func(i int) string { return docs[i].Text }
	}
	if err := validate(docs); err != nil {
		return nil, err
	}
	// The position of each kind in Kinds. Passed to the steps that need it
	// rather than kept in builder, which escapes: this way it stays on the
	// stack.
	kindRank := make(map[string]int, len(Kinds))
	for i, k := range Kinds {
		kindRank[k] = i
	}
	b := newBuilder(docs, kindRank)
	b.analyzeDocs(text, bodyKey, stored)
	b.writePostings(b.averageLengths(kindRank), kindRank)
	stop := b.stopWordFiles()
	bounds := b.termChunkFiles(chunkBytes)
	b.docChunkFiles()
	b.metaFile(bounds, stop) // last: its hash covers the other files
	return b.files, nil
}

// builder carries one build from step to step. Documents are indexed by
// ID, terms by term ID (the order in which pass 1 met them).
type builder struct {
	sorted []sortDoc // the documents in ID order
	counts []int     // documents per kind

	// Pass 1: each document's term entries (packEntries), length in
	// tokens and excerpt; every distinct term once.
	entries  [][]byte
	lengths  []int
	excerpts []string
	termID   map[string]int32
	terms    []string

	postings [][]byte // encoded postings of each term (pass 2)
	files    map[string][]byte
}

// sortDoc is a document with its place in docs and its ID order key.
type sortDoc struct {
	*Document
	key string // Normalize(Title)
	at  int    // index in docs
}

// newBuilder assigns IDs in (kind, title, URL) order: ties in ranking are
// broken by ID, and each kind is a contiguous ID range.
func newBuilder(docs []Document, kindRank map[string]int) *builder {
	sorted := make([]sortDoc, len(docs))
	for i := range docs {
		sorted[i] = sortDoc{&docs[i], Normalize(docs[i].Title), i}
	}
	slices.SortFunc(sorted, func(a, b sortDoc) int {
		return cmp.Or(cmp.Compare(kindRank[a.Kind], kindRank[b.Kind]),
			strings.Compare(a.key, b.key), strings.Compare(a.Title, b.Title), strings.Compare(a.URL, b.URL))
	})
	counts := make([]int, len(Kinds))
	for _, d := range sorted {
		counts[kindRank[d.Kind]]++
	}
	return &builder{sorted: sorted, counts: counts, files: make(map[string][]byte)}
}

// analyzeDocs is pass 1: term frequencies per document (in parallel), each
// term interned as soon as it is analysed, so that only compact entries are
// kept until the average lengths, hence the weights, are known.
func (b *builder) analyzeDocs(text func(i int) string, bodyKey func(i int) (uint64, bool), stored *Analyses) {
	n := len(b.sorted)
	b.entries, b.lengths, b.excerpts = make([][]byte, n), make([]int, n), make([]string, n)
	b.termID = make(map[string]int32)
	var mu sync.Mutex // guards termID, terms and remap
	var remap []int32 // a stored term's ID in this build, +1 (0: none yet)
	analyzeEach(n, func(i int, tf map[string]*termCount) {
		d := b.sorted[i]
		var body string
		read := false // body holds the document's text
		var key uint64
		if stored != nil {
			if k, ok := keyOf(bodyKey, d.at); ok {
				key = analysisKeyByBody(d.Document, k) // the text is made only when it is analysed
			} else {
				body, read = text(d.at), true
				key = analysisKey(d.Document, body)
			}
			if s, terms, ok := stored.lookUp(key); ok {
				es := make([]docEntry, len(s.terms))
				mu.Lock()
				remap = b.internStored(s, terms, remap, es)
				mu.Unlock()
				b.entries[i], b.lengths[i], b.excerpts[i] = packEntries(es), s.length, s.excerpt
				return
			}
		}
		if !read {
			body = text(d.at)
		}
		a := analyze(d.Document, body, tf)
		b.excerpts[i] = d.snippet(body)
		if stored != nil {
			stored.store(key, a, b.excerpts[i])
		}
		es := make([]docEntry, len(a.terms)) // allocated outside the lock
		mu.Lock()
		b.intern(a.terms, es)
		mu.Unlock()
		b.entries[i], b.lengths[i] = packEntries(es), a.length
	})
}

// packEntries is a document's entries as pass 2 reads them back
// (unpackEntries), in term order: the gap from the last term ID and the
// count, each a uvarint, in a slice of their size. Held for every document
// until the average lengths are known, they are ~2.5 bytes an entry rather
// than a docEntry's 8 (tens of millions of entries at 100,000 dossiers).
// It sorts es.
func packEntries(es []docEntry) []byte {
	slices.SortFunc(es, func(a, b docEntry) int { return cmp.Compare(a.term, b.term) })
	var buf [2 * binary.MaxVarintLen32]byte
	n := 0
	last := int32(0)
	for _, e := range es {
		n += len(binary.AppendUvarint(binary.AppendUvarint(buf[:0], uint64(e.term-last)), uint64(e.tf)))
		last = e.term
	}
	out := make([]byte, 0, n)
	last = 0
	for _, e := range es {
		out = binary.AppendUvarint(binary.AppendUvarint(out, uint64(e.term-last)), uint64(e.tf))
		last = e.term
	}
	return out
}

// unpackEntries yields the entries packEntries packed, in term order.
func unpackEntries(packed []byte) iter.Seq[docEntry] {
	return func(yield func(docEntry) bool) {
		term := int32(0)
		for len(packed) > 0 {
			gap, k := binary.Uvarint(packed)
			tf, l := binary.Uvarint(packed[k:])
			packed = packed[k+l:]
			term += int32(gap)
			if !yield(docEntry{term: term, tf: uint32(tf)}) {
				return
			}
		}
	}
}

// keyOf is bodyKey(i), false when there is no bodyKey.
func keyOf(bodyKey func(i int) (uint64, bool), i int) (uint64, bool) {
	if bodyKey == nil {
		return 0, false
	}
	return bodyKey(i)
}

// internStored is intern for a stored analysis, whose terms are numbers in
// terms: remap gives each its ID in this build once it has one. It returns
// remap, grown to terms. The caller holds the lock on termID and terms.
func (b *builder) internStored(s storedAnalysis, terms []string, remap []int32, es []docEntry) []int32 {
	if len(remap) < len(terms) {
		remap = append(remap, make([]int32, len(terms)-len(remap))...)
	}
	for k, st := range s.terms {
		t := remap[st] - 1
		if t < 0 {
			var ok bool
			if t, ok = b.termID[terms[st]]; !ok {
				t = int32(len(b.terms))
				b.termID[terms[st]] = t
				b.terms = append(b.terms, terms[st])
			}
			remap[st] = t + 1
		}
		es[k] = docEntry{term: t, tf: s.tfs[k]}
	}
	return remap
}

// intern fills es with the entries of terms, giving each term not seen yet
// the next term ID. The caller holds the lock on termID and terms.
func (b *builder) intern(terms []termCount, es []docEntry) {
	for k, tc := range terms {
		t, ok := b.termID[tc.term]
		if !ok {
			t = int32(len(b.terms))
			b.termID[tc.term] = t
			b.terms = append(b.terms, tc.term)
		}
		es[k] = docEntry{term: t, tf: uint32(tc.tf) << 1}
		if tc.title {
			es[k].tf |= 1
		}
	}
}

// averageLengths returns the average length in tokens of each kind's
// documents: BM25 normalizes a document's length by its kind's.
func (b *builder) averageLengths(kindRank map[string]int) []float64 {
	kindLen := make([]float64, len(Kinds))
	for id, n := range b.lengths {
		kindLen[kindRank[b.sorted[id].Kind]] += float64(n)
	}
	for k, n := range b.counts {
		if n > 0 {
			kindLen[k] /= float64(n)
		}
	}
	return kindLen
}

// writePostings is pass 2: the postings of each term in document order,
// each a (gap, weight) pair, weighted with the kinds' average lengths.
func (b *builder) writePostings(avgLen []float64, kindRank map[string]int) {
	postings := make([][]byte, len(b.terms))
	last := make([]int, len(b.terms)) // ID of each term's last posting
	for i := range last {
		last[i] = -1
	}
	for id, packed := range b.entries {
		norm := lengthNorm(b.lengths[id], avgLen[kindRank[b.sorted[id].Kind]])
		for e := range unpackEntries(packed) {
			w := postingWeight(int32(e.tf>>1), e.tf&1 != 0, norm)
			p := postings[e.term]
			p = appendVarint(p, id-last[e.term]-1)
			postings[e.term] = append(p, postingAlphabet[w])
			last[e.term] = id
		}
		b.entries[id] = nil // done with: free as we go
	}
	b.postings = postings
	b.entries, b.lengths = nil, nil // not needed any more
}

// stopWordFiles writes one file per stop word, with its title postings only
// (bodies do not index stop words), and returns the sorted stop words.
func (b *builder) stopWordFiles() []string {
	stop := slices.Clone(stopWords)
	slices.Sort(stop)
	stop = slices.Compact(stop)
	for _, w := range stop {
		list := [][2]string{}
		if id, ok := b.termID[w]; ok {
			list = append(list, [2]string{w, string(b.postings[id])})
		}
		b.files["search/s/"+w+".json"] = mustJSON(list)
	}
	return stop
}

// termChunkFiles cuts the sorted terms, stop words aside, into consecutive
// ranges of about chunkBytes, writes a file for each, and returns the
// chunks' lower bounds for meta.json ("" for the first).
func (b *builder) termChunkFiles(chunkBytes int) []string {
	var bounds []string
	var chunk [][2]string
	size, prev := 0, ""
	flush := func() {
		if len(chunk) > 0 {
			b.files["search/t/"+strconv.Itoa(len(bounds)-1)+".json"] = termChunkJSON(chunk)
			chunk, size = nil, 0
		}
	}
	for _, id := range b.sortedTermIDs() {
		t := b.terms[id]
		if isStopWord[t] {
			continue
		}
		n := len(t) + len(b.postings[id]) + 8
		if len(chunk) > 0 && size+n > chunkBytes {
			flush()
		}
		if len(chunk) == 0 {
			sep := ""
			if len(bounds) > 0 {
				sep = separator(prev, t)
			}
			bounds = append(bounds, sep)
		}
		chunk = append(chunk, [2]string{t, string(b.postings[id])})
		size, prev = size+n, t
	}
	flush()
	return bounds
}

// sortedTermIDs returns the term IDs in the compareTerms order of their
// terms, the order the client binary-searches.
func (b *builder) sortedTermIDs() []int {
	order := make([]int, len(b.terms))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return compareTerms(b.terms[x], b.terms[y]) })
	return order
}

// docChunkFiles writes the document chunks: [url, title, lang, date,
// excerpt] by ID, docChunkSize documents a file.
func (b *builder) docChunkFiles() {
	for start := 0; start < len(b.sorted); start += docChunkSize {
		var recs [][5]string
		for id := start; id < min(start+docChunkSize, len(b.sorted)); id++ {
			d := b.sorted[id]
			recs = append(recs, stored(d.Document, b.excerpts[id]))
		}
		b.files["search/d/"+strconv.Itoa(start/docChunkSize)+".json"] = mustJSON(recs)
	}
}

// metaFile writes meta.json, whose hash is the digest of every other file:
// it must come last.
func (b *builder) metaFile(bounds, stop []string) {
	meta := indexMeta{
		Version:  formatVersion,
		Hash:     digest(b.files),
		Docs:     len(b.sorted),
		Kinds:    Kinds,
		Counts:   b.counts,
		DocChunk: docChunkSize,
		Terms:    bounds,
		Stop:     stop,
	}
	if meta.Terms == nil {
		meta.Terms = []string{}
	}
	b.files["search/meta.json"] = mustJSON(meta)
}

// lengthNorm is the BM25 length normalization of a document of length
// tokens in a kind whose documents average avgLen tokens.
func lengthNorm(length int, avgLen float64) float64 {
	return bm25K1 * (1 - bm25B + bm25B*float64(length)/max(avgLen, 1))
}

// postingWeight is the quantized weight of a term in a document: its BM25
// term-frequency part on 1..maxBodyWeight (0 for a term only in the title),
// plus titleFlag when the term is in the title.
func postingWeight(tf int32, title bool, norm float64) int {
	w := 0
	if tf > 0 {
		f := float64(tf)
		w = int(math.Round(f * (bm25K1 + 1) / (f + norm) / (bm25K1 + 1) * maxBodyWeight))
		w = min(max(w, 1), maxBodyWeight)
	}
	if title {
		w += titleFlag
	}
	return w
}

type termCount struct {
	term  string
	tf    int32 // occurrences in the text
	title bool  // whether the term is in the title
}

// docTerms is the analysis of one document: its terms (stop words only from
// the title) and its length in tokens.
type docTerms struct {
	terms  []termCount
	length int
}

// analyze tokenizes d, whose text is body; tf is a scratch map, cleared here.
func analyze(d *Document, body string, tf map[string]*termCount) docTerms {
	clear(tf)
	for _, tok := range Tokenize(d.Title, d.Lang) {
		if len(tok.Term) <= maxTermBytes {
			if tf[tok.Term] == nil {
				tf[tok.Term] = &termCount{term: tok.Term}
			}
			tf[tok.Term].title = true
		}
	}
	// The lead and the text are cut apart: no term spans the newline
	// between them.
	length := 0
	for _, text := range [2]string{d.Lead, body} {
		toks := Tokenize(text, d.Lang)
		length += len(toks)
		for _, tok := range toks {
			if len(tok.Term) > maxTermBytes || isStopWord[tok.Term] {
				continue
			}
			if tf[tok.Term] == nil {
				tf[tok.Term] = &termCount{term: tok.Term}
			}
			tf[tok.Term].tf++
		}
	}
	out := docTerms{terms: make([]termCount, 0, len(tf)), length: length}
	for _, tc := range tf {
		out.terms = append(out.terms, *tc)
	}
	return out // in map order: term IDs vary, the output does not
}

// checkURL rejects document URLs that would not resolve under the site root
// or could carry a scheme such as javascript:.
func checkURL(u string) error {
	switch {
	case u == "":
		return errors.New("search: document with empty URL")
	case u[0] == '/' || u[0] == '\\':
		return fmt.Errorf("search: document URL %q must be relative to the site root (no leading slash)", u)
	case strings.ContainsFunc(u, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) || !utf8.ValidString(u):
		return fmt.Errorf("search: document URL %q contains spaces, control characters or invalid UTF-8", u)
	}
	if i := strings.IndexAny(u, ":/?#"); i >= 0 && u[i] == ':' {
		return fmt.Errorf("search: document URL %q must not have a scheme", u)
	}
	return nil
}

// excerptSeparator stands between a lead and the text in a snippet: a
// summary and the article's first words are two texts, not one sentence.
const excerptSeparator = " · "

// excerpt returns the start of lead + " · " + text (either alone when the
// other is blank) with white space collapsed, cut at a word boundary near
// excerptBytes; "…" marks a cut.
func excerpt(lead, text string) string {
	var b strings.Builder
	space, sep := false, false
	add := func(s string) bool {
		for _, r := range s { // invalid bytes come as U+FFFD
			if unicode.IsSpace(r) {
				space = b.Len() > 0
				continue
			}
			if b.Len() > excerptBytes {
				return false // enough to cut at a word boundary below
			}
			if sep {
				b.WriteString(excerptSeparator)
				space, sep = false, false
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
		return true
	}
	if add(lead) {
		sep, space = b.Len() > 0, false // between lead and text, once text starts
		add(text)
	}
	text = b.String()
	if len(text) <= excerptBytes {
		return text
	}
	cut := excerptBytes
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	if sp := strings.LastIndexByte(text[:cut], ' '); sp > excerptBytes*3/4 {
		cut = sp
	}
	return markdown.EndCut(text[:cut], excerptBytes/4) // never a lone «
}

// stored is a document as the client shows it: [url, title, lang, date,
// excerpt], its title and excerpt in the typography of its language.
func stored(d *Document, excerpt string) [5]string {
	title := d.Title
	if d.Lang == "fr" {
		title, excerpt = markdown.FrenchText(title), markdown.FrenchText(excerpt)
	}
	return [5]string{d.URL, title, d.Lang, d.Date, excerpt}
}

func appendVarint(b []byte, v int) []byte {
	for v >= 32 {
		b = append(b, postingAlphabet[32+v&31])
		v >>= 5
	}
	return append(b, postingAlphabet[v])
}

// separator returns the shortest prefix of t that sorts after prev (prev < t):
// a chunk boundary that keeps meta.json small.
func separator(prev, t string) string {
	for i := range t {
		if i > 0 && compareTerms(t[:i], prev) > 0 {
			return t[:i]
		}
	}
	return t
}

// compareTerms orders terms by UTF-16 code units, the order of JavaScript's
// string comparison, so that the client can binary-search chunk boundaries.
func compareTerms(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return cmp.Compare(utf16Key(ra), utf16Key(rb))
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

// utf16Key maps a rune to a key whose order is that of its first UTF-16
// code unit (supplementary runes sort between U+D7FF and U+E000).
func utf16Key(r rune) rune {
	switch {
	case r >= 0x10000:
		return 0xd800 + (r - 0x10000)
	case r >= 0xe000:
		return r + 0x100000
	}
	return r
}

// digest is the cache-busting hash of files: a SHA-256 of each file's name,
// length and own SHA-256, so that Index rehashes only the files an edit
// changes.
func digest(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	var d digester
	for _, name := range names {
		d.add(name, len(files[name]), sha256.Sum256(files[name]))
	}
	return d.sum()
}

// digester accumulates the input of digest.
type digester struct{ buf []byte }

func (d *digester) add(name string, size int, sum [sha256.Size]byte) {
	d.buf = append(d.buf, name...)
	d.buf = append(d.buf, 0)
	d.buf = strconv.AppendInt(d.buf, int64(size), 10)
	d.buf = append(d.buf, 0)
	d.buf = append(d.buf, sum[:]...)
}

func (d *digester) sum() string {
	s := sha256.Sum256(d.buf)
	return hex.EncodeToString(s[:6])
}

func mustJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(v); err != nil {
		panic(err) // only strings, slices and ints: cannot fail
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// analyzeEach calls fn(0..n-1) on all cores; each worker passes fn its own
// term-count scratch map, which analyze reuses from document to document.
func analyzeEach(n int, fn func(i int, tf map[string]*termCount)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(n/64, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tf := make(map[string]*termCount)
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				fn(i, tf)
			}
		}()
	}
	wg.Wait()
}
