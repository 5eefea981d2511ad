package search

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"iter"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/cespare/xxhash/v2"
)

// Index is a search index kept in memory between builds (watch mode): after
// an edit, Update re-analyzes the documents that changed and re-encodes only
// the postings, term chunks and document chunks they touch. Its files are
// always, byte for byte, those Build makes of the same documents
// (TestIndexUpdateEqualsBuild): document frequencies and average lengths are
// global, so a weight that an edit moves across a rounding step elsewhere is
// found and rewritten too.
type Index struct {
	chunkBytes int
	ready      bool // Reset succeeded: Update may patch

	docs   map[string]*idoc // by URL
	order  []*idoc          // by ID
	count  []int            // documents per kind
	lenSum []int            // tokens per kind
	avg    []float64        // average length per kind the weights were made with

	terms  map[string]*iterm
	sorted []*iterm   // by compareTerms
	byID   []*iterm   // by iterm.id; nil where free
	freeID []int32    // of terms dropped, for the next new ones
	list   []docEntry // internTerms' buffer

	chunks    []tchunk           // term chunks of the last files
	stopEnc   map[string]string  // posting of each stop word in the last files
	files     map[string][]byte  // every file but meta.json
	sums      map[string]fileSum // of each of files, for the digest
	names     []string           // sorted keys of files
	namesDone bool
}

// fileSum is what the digest reads of a file.
type fileSum struct {
	size int
	sum  [sha256.Size]byte
}

// idoc is one indexed document. It keeps its text's sum and its snippet,
// not the text: the plain text of a site's documents is most of an
// index's memory (100 MB at 10,000 dossiers), and only an edit that
// changes it needs it, to analyze it again.
type idoc struct {
	doc     Document // without its Text
	textSum textSum
	snippet string
	kind    int
	key     string // Normalize(Title): the ID order
	id      int32
	terms   dterms      // once its postings are added
	read    []termCount // its analysis, until then
	length  int
	tfs     []int32 // distinct body term frequencies, for weight checks
	// lo < norm < hi keeps every quantized weight of the document: a change
	// of its kind's average length that stays inside needs no rewrite.
	lo, hi float64
}

// textSum identifies a document's text: its length and xxhash64.
type textSum struct {
	n   int
	sum uint64
}

func sumText(text string) textSum { return textSum{len(text), xxhash.Sum64String(text)} }

// same reports whether d is the document put, Text included.
func (d *idoc) same(put *Document) bool {
	doc := *put
	doc.Text = ""
	return d.doc == doc && d.textSum == sumText(put.Text)
}

// dterm is a term of an indexed document: the index's term, by its id,
// not its string. A term a document lists has a posting of it, so it
// stays in the index (and keeps its id) as long as the document.
type dterm struct {
	id    int32 // iterm.id
	tf    int32 // occurrences in the text
	title bool  // whether the term is in the title
}

// dterms is a document's terms encoded as the one-shot index holds its
// entries between passes (packEntries: the gap from the last id and
// tf<<1|title, as uvarints, in id order; about 3 bytes a term against 16
// for a dterm: a site's documents list millions, 5.5 million at 10,000
// dossiers). Range over all to read them.
type dterms []byte

// all yields the terms, in id order.
func (d dterms) all() iter.Seq[dterm] {
	return func(yield func(dterm) bool) {
		for e := range unpackEntries(d) {
			if !yield(dterm{id: e.term, tf: int32(e.tf >> 1), title: e.tf&1 != 0}) {
				return
			}
		}
	}
}

// iterm is one term and its postings in ID order. Between updates only
// the encoded postings are kept (packed): post is nil and enc stands for
// it, 2 bytes a posting against 8, and an update decodes the postings of
// the terms it touches (unpack). A site's postings are most of an index's
// memory (~70 MB of post at 10,000 dossiers).
type iterm struct {
	term   string
	id     int32 // in Index.byID, which documents list it by
	post   []ipost
	enc    string // encoded postings: a piece of its term chunk's file
	dirty  bool   // post changed since enc was made
	order  bool   // post may be out of ID order
	stop   bool
	packed bool // post is dropped: enc holds the postings
}

// unpack decodes the postings of t, if packed, so that post can change.
func (t *iterm) unpack() {
	if !t.packed {
		return
	}
	t.post = unpackPostings(t.enc)
	t.packed = false
}

// empty reports whether t has no posting left.
func (t *iterm) empty() bool { return len(t.post) == 0 && (!t.packed || t.enc == "") }

type ipost struct {
	id int32
	w  uint8
}

// tchunk is one term chunk file: sorted[i:i+n] of the build that made it.
type tchunk struct {
	first, last *iterm
	n           int
	data        []byte
}

// NewIndex returns an empty index; call Reset before Update.
func NewIndex() *Index { return &Index{chunkBytes: termChunkBytes} }

// Reset indexes exactly docs and returns the files Build returns for them,
// or its error (the index is then empty until the next Reset).
func (ix *Index) Reset(docs []Document) (map[string][]byte, error) {
	return ix.ResetText(docs, func(i int) string { return docs[i].Text })
}

// ResetText is Reset with each document's text made by text(i) when it is
// analyzed, in place of its Text: the texts of a site (110 MB at 10,000
// dossiers) are never all in memory at once, and each is dropped once
// analyzed, its terms the index's own copies.
func (ix *Index) ResetText(docs []Document, text func(i int) string) (map[string][]byte, error) {
	chunkBytes := cmp.Or(ix.chunkBytes, termChunkBytes)
	*ix = Index{chunkBytes: chunkBytes}
	if err := validate(docs); err != nil {
		return nil, err
	}
	ix.docs = map[string]*idoc{}
	ix.count = make([]int, len(Kinds))
	ix.lenSum = make([]int, len(Kinds))
	ix.avg = make([]float64, len(Kinds))
	ix.terms = map[string]*iterm{}
	ix.stopEnc = map[string]string{}
	ix.files = map[string][]byte{}
	ix.sums = map[string]fileSum{}
	ix.ready = true
	added := make([]*idoc, len(docs))
	var mu sync.Mutex // over ix.terms and fresh
	var fresh []*iterm
	analyzeEach(len(docs), func(i int, tf map[string]*termCount) {
		body := text(i)
		d := &idoc{doc: docs[i], kind: kindIndex(docs[i].Kind), key: Normalize(docs[i].Title), textSum: sumText(body)}
		d.doc.Text = ""
		d.snippet = d.doc.snippet(body)
		d.analyze(body, tf)
		// The document lists the index's terms at once: the analyses
		// of a site are not all kept until the postings are added.
		mu.Lock()
		fresh = ix.internTerms(d, fresh)
		mu.Unlock()
		added[i] = d
	})
	update{ix: ix, added: added, fresh: fresh}.apply(nil)
	return ix.output(), nil
}

// Update removes the documents whose URLs are in del, adds put (a document
// replaced is in both) and returns every index file. It returns ok false,
// changing nothing, when it cannot: before the first Reset, or for a
// document Build would refuse or a URL in del that is not indexed. The
// caller then calls Reset with every document, which reports the problem.
func (ix *Index) Update(put []Document, del []string) (map[string][]byte, bool) {
	if !ix.ready {
		return nil, false
	}
	gone := make(map[string]*idoc, len(del)) // made here to stay on the stack
	if !ix.checkUpdate(put, del, gone) {
		return nil, false
	}
	// The lists u grows start in 32-byte buffers on this stack frame (see
	// update).
	u := update{
		ix:       ix,
		oldN:     len(ix.order),
		added:    make([]*idoc, 0, 4),
		dirty:    make([]*iterm, 0, 4),
		emptied:  make([]*iterm, 0, 4),
		fresh:    make([]*iterm, 0, 4),
		unsorted: make([]*iterm, 0, 4),
	}
	var changedText []*idoc
	u, changedText = u.newDocs(put, gone)
	if len(u.added) == 0 && len(gone) == 0 && ix.namesDone {
		return ix.output(), true
	}
	analyzeAll(changedText)

	u.apply(gone)
	return ix.output(), true
}

// apply removes the documents gone, adds u.added, and writes the files
// that changed: the steps of every update, the first one's too.
func (u update) apply(gone map[string]*idoc) {
	dirtyDocChunks := map[int]bool{} // document chunks to write again
	u = u.removeGone(gone, dirtyDocChunks)
	u = u.renumber(gone, dirtyDocChunks)
	u, newAvg := u.addPostings()
	u = u.reweight(newAvg)
	u.updateTerms()
	u.writeFiles(dirtyDocChunks)
}

// checkUpdate fills gone with the indexed documents that del names, by
// URL, and reports false when Update must refuse: a URL in del not indexed
// or named twice, a document in put Build would refuse, a URL twice in put,
// or one already indexed and not in del.
func (ix *Index) checkUpdate(put []Document, del []string, gone map[string]*idoc) bool {
	for _, u := range del {
		d := ix.docs[u]
		if d == nil || gone[u] != nil {
			return false
		}
		gone[u] = d
	}
	seen := make(map[string]bool, len(put))
	for i := range put {
		d := &put[i]
		if kindIndex(d.Kind) < 0 || checkURL(d.URL) != nil || seen[d.URL] || (ix.docs[d.URL] != nil && gone[d.URL] == nil) {
			return false
		}
		seen[d.URL] = true
	}
	return true
}

// update is the state of one Update, handed from step to step. Steps take
// it by value and return it, because the lists it grows start in small
// buffers on Update's stack, which a save's lists often fit: reached
// through a pointer, or stored anywhere but in u (their elements may be),
// they would all move to the heap. For the same reason the maps of
// documents gone and of dirty document chunks are arguments.
type update struct {
	ix    *Index
	oldN  int     // documents before the update
	added []*idoc // documents added, in ID order once renumbered

	dirty    []*iterm // terms whose postings changed (see touch)
	emptied  []*iterm // terms that lost all their postings here
	fresh    []*iterm // terms new to the index
	unsorted []*iterm // postings that may be out of ID order
}

// touch marks the postings of t as changed and lists t in dirty, once.
func touch(dirty []*iterm, t *iterm) []*iterm {
	if !t.dirty {
		t.dirty = true
		dirty = append(dirty, t)
	}
	return dirty
}

// comparePostID orders a posting against a document ID, for binary search.
func comparePostID(p ipost, id int32) int { return cmp.Compare(p.id, id) }

// compareDocs is the ID order: kind, normalized title, title, URL.
func compareDocs(a, b *idoc) int {
	return cmp.Or(cmp.Compare(a.kind, b.kind), strings.Compare(a.key, b.key),
		strings.Compare(a.doc.Title, b.doc.Title), strings.Compare(a.doc.URL, b.doc.URL))
}

// newDocs lists in added the documents of put to add, and in changedText
// those of them to analyze. One put back unchanged is no change at all: it
// is taken out of gone and not added. One whose language, title, lead and
// text are unchanged keeps its old analysis.
func (u update) newDocs(put []Document, gone map[string]*idoc) (_ update, changedText []*idoc) {
	for i := range put {
		old := gone[put[i].URL]
		if old != nil && old.same(&put[i]) {
			delete(gone, put[i].URL)
			continue
		}
		d := &idoc{doc: put[i], kind: kindIndex(put[i].Kind), key: Normalize(put[i].Title), textSum: sumText(put[i].Text)}
		d.snippet = d.doc.snippet(d.doc.Text)
		if old != nil && old.doc.Lang == d.doc.Lang && old.doc.Title == d.doc.Title && old.doc.Lead == d.doc.Lead && old.textSum == d.textSum {
			d.terms, d.length, d.tfs = old.terms, old.length, old.tfs
			d.doc.Text = ""
		} else {
			changedText = append(changedText, d)
		}
		u.added = append(u.added, d)
	}
	return u, changedText
}

// removeGone is step 1: removed documents leave their terms' postings and
// their kind's counts.
func (u update) removeGone(gone map[string]*idoc, dirtyDocChunks map[int]bool) update {
	ix := u.ix
	for _, d := range gone {
		for tc := range d.terms.all() {
			t := ix.byID[tc.id]
			t.unpack()
			i, found := slices.BinarySearchFunc(t.post, d.id, comparePostID)
			if !found {
				panic("search: index out of step with its documents")
			}
			t.post = slices.Delete(t.post, i, i+1)
			u.dirty = touch(u.dirty, t)
			if len(t.post) == 0 {
				u.emptied = append(u.emptied, t)
			}
		}
		ix.count[d.kind]--
		ix.lenSum[d.kind] -= d.length
		delete(ix.docs, d.doc.URL)
		dirtyDocChunks[int(d.id)/docChunkSize] = true
	}
	return u
}

// spliceEvent is a change of the old ID order at one place.
type spliceEvent struct {
	pos int   // in ix.order
	d   *idoc // inserted before ix.order[pos]; nil: ix.order[pos] is gone
}

// renumber is step 2, the new ID order: survivors keep their relative
// order, new documents are merged in. The document chunks of every new or
// moved document are marked dirty.
//
// The old order is spliced: a document gone is an event at its ID, a new
// one at its place among the old documents. Between two events every
// survivor moves by the same amount, so a run that does not move is copied
// without looking at its documents. (One function: events and moved stay
// on its stack when small.)
func (u update) renumber(gone map[string]*idoc, dirtyDocChunks map[int]bool) update {
	ix, oldN := u.ix, u.oldN
	slices.SortFunc(u.added, compareDocs)
	events := make([]spliceEvent, 0, len(gone)+len(u.added))
	for _, d := range gone {
		events = append(events, spliceEvent{pos: int(d.id)})
	}
	for _, d := range u.added {
		pos, _ := slices.BinarySearchFunc(ix.order, d, compareDocs)
		events = append(events, spliceEvent{pos: pos, d: d})
	}
	// Stable: new documents at one place stay in order.
	slices.SortStableFunc(events, func(a, b spliceEvent) int { return cmp.Compare(a.pos, b.pos) })
	order := make([]*idoc, 0, oldN-len(gone)+len(u.added))
	var remap []int32 // old ID → new ID of every remaining document
	var moved []*idoc
	run := func(from, to int) { // survivors ix.order[from:to]
		if shift := len(order) - from; shift != 0 {
			if remap == nil {
				remap = make([]int32, oldN)
				for j := range remap {
					remap[j] = int32(j)
				}
			}
			for j, d := range ix.order[from:to] {
				id := from + j + shift
				remap[d.id] = int32(id)
				moved = append(moved, d)
				dirtyDocChunks[id/docChunkSize] = true
			}
		}
		order = append(order, ix.order[from:to]...)
	}
	next := 0 // first survivor not yet in order
	for _, e := range events {
		if e.pos > next {
			run(next, e.pos)
			next = e.pos
		}
		if e.d == nil {
			next = e.pos + 1
			continue
		}
		e.d.id = int32(len(order))
		dirtyDocChunks[len(order)/docChunkSize] = true
		order = append(order, e.d)
	}
	run(next, oldN)
	u = u.renumberPostings(moved, remap)
	ix.order = order
	return u
}

// renumberPostings gives the moved documents their new IDs, remap[old ID],
// in their terms' postings (left out of ID order) and in themselves.
func (u update) renumberPostings(moved []*idoc, remap []int32) update {
	for _, d := range moved {
		for tc := range d.terms.all() {
			t := u.ix.byID[tc.id]
			if t.order {
				continue // renumbered already
			}
			t.unpack()
			t.order = true
			u.dirty = touch(u.dirty, t)
			u.unsorted = append(u.unsorted, t)
			for i := range t.post {
				t.post[i].id = remap[t.post[i].id]
			}
		}
	}
	for _, d := range moved {
		d.id = remap[d.id]
	}
	return u
}

// addPostings is step 3: it counts the new documents in their kinds and
// returns the new average lengths, then adds the new documents' postings,
// weighted with them, and puts back in ID order the postings that left it.
func (u update) addPostings() (_ update, newAvg []float64) {
	ix := u.ix
	for _, d := range u.added {
		ix.count[d.kind]++
		ix.lenSum[d.kind] += d.length
		ix.docs[d.doc.URL] = d
	}
	newAvg = make([]float64, len(Kinds))
	for k, n := range ix.count {
		if n > 0 {
			newAvg[k] = float64(ix.lenSum[k]) / float64(n)
		}
	}
	for _, d := range u.added {
		norm := lengthNorm(d.length, newAvg[d.kind])
		d.lo, d.hi = stableNorms(d.tfs, norm)
		if d.read != nil {
			u.fresh = ix.internTerms(d, u.fresh)
		}
		for tc := range d.terms.all() {
			t := ix.byID[tc.id]
			t.unpack()
			p := ipost{id: d.id, w: uint8(postingWeight(tc.tf, tc.title, norm))}
			u.dirty = touch(u.dirty, t)
			if n := len(t.post); n > 0 && t.post[n-1].id > d.id && !t.order {
				// A few documents (a save) go in place; many are
				// appended and sorted once.
				if len(u.added) <= 8 {
					i, _ := slices.BinarySearchFunc(t.post, d.id, comparePostID)
					t.post = slices.Insert(t.post, i, p)
					continue
				}
				t.order = true
				u.unsorted = append(u.unsorted, t)
			}
			t.post = append(t.post, p)
		}
	}
	for _, t := range u.unsorted {
		slices.SortFunc(t.post, func(a, b ipost) int { return cmp.Compare(a.id, b.id) })
		t.order = false
	}
	return u, newAvg
}

// reweight is step 4: a new average length moves the weights of its kind's
// documents only where a quantized weight crosses a rounding step.
func (u update) reweight(newAvg []float64) update {
	ix := u.ix
	isNew := make(map[*idoc]bool, len(u.added)) // weighted with newAvg already
	for _, d := range u.added {
		isNew[d] = true
	}
	start := 0 // of the kind's documents, contiguous in ID order
	for k := range Kinds {
		kindDocs := ix.order[start : start+ix.count[k]]
		start += ix.count[k]
		if newAvg[k] == ix.avg[k] {
			continue
		}
		for _, d := range kindDocs {
			if isNew[d] {
				continue
			}
			norm := lengthNorm(d.length, newAvg[k])
			if norm > d.lo && norm < d.hi {
				continue // inside the range where no weight changes
			}
			u = u.reweightDoc(d, lengthNorm(d.length, ix.avg[k]), norm)
		}
	}
	ix.avg = newAvg
	return u
}

// reweightDoc rewrites the postings of d whose weight differs between
// length norms oldNorm and norm, and moves d's stable range around norm.
func (u update) reweightDoc(d *idoc, oldNorm, norm float64) update {
	changed := map[int32]bool{}
	for _, tf := range d.tfs {
		if postingWeight(tf, false, oldNorm) != postingWeight(tf, false, norm) {
			changed[tf] = true
		}
	}
	d.lo, d.hi = stableNorms(d.tfs, norm)
	if len(changed) == 0 {
		return u
	}
	for tc := range d.terms.all() {
		if !changed[tc.tf] {
			continue
		}
		t := u.ix.byID[tc.id]
		t.unpack()
		i, _ := slices.BinarySearchFunc(t.post, d.id, comparePostID)
		t.post[i].w = uint8(postingWeight(tc.tf, tc.title, norm))
		u.dirty = touch(u.dirty, t)
	}
	return u
}

// updateTerms is step 5: it drops the terms left without postings, merges
// the new ones into the sorted terms, and encodes the changed postings.
func (u update) updateTerms() {
	slices.SortFunc(u.fresh, func(a, b *iterm) int { return compareTerms(a.term, b.term) })
	emptied := slices.DeleteFunc(u.emptied, func(t *iterm) bool { return len(t.post) > 0 })
	if len(u.fresh)+len(emptied) <= 64 {
		u.ix.patchSorted(u.fresh, emptied) // a save: a few terms come and go
	} else {
		u.ix.mergeSorted(u.fresh)
	}
	for _, t := range u.dirty {
		// A document re-added with the same ID and weights leaves its
		// terms' postings as they were: their chunks need no rewrite.
		if enc := encodePostings(t.post); enc != t.enc {
			t.enc = enc
		} else {
			t.dirty = false
		}
	}
}

// patchSorted removes the terms emptied from the sorted terms and inserts
// the fresh ones (sorted), in place: cheap for a few terms.
func (ix *Index) patchSorted(fresh, emptied []*iterm) {
	byTerm := func(a, b *iterm) int { return compareTerms(a.term, b.term) }
	for _, t := range emptied {
		i, _ := slices.BinarySearchFunc(ix.sorted, t, byTerm)
		ix.sorted = slices.Delete(ix.sorted, i, i+1)
		ix.dropTerm(t)
	}
	for _, t := range fresh {
		i, _ := slices.BinarySearchFunc(ix.sorted, t, byTerm)
		ix.sorted = slices.Insert(ix.sorted, i, t)
	}
}

// mergeSorted merges the fresh terms (sorted) into the sorted terms in one
// pass, dropping every term left without postings.
func (ix *Index) mergeSorted(fresh []*iterm) {
	merged := make([]*iterm, 0, len(ix.sorted)+len(fresh))
	k := 0
	for _, t := range ix.sorted {
		for k < len(fresh) && compareTerms(fresh[k].term, t.term) < 0 {
			merged = append(merged, fresh[k])
			k++
		}
		if t.empty() {
			ix.dropTerm(t)
			continue
		}
		merged = append(merged, t)
	}
	ix.sorted = append(merged, fresh[k:]...)
}

// writeFiles is step 6: it rewrites the term, stop-word and document files
// the update touched, and lists the file names again if the set changed.
func (u update) writeFiles(dirtyDocChunks map[int]bool) {
	ix := u.ix
	before := len(ix.files)
	ix.termChunks()
	ix.stopFiles()
	ix.docChunks(dirtyDocChunks, u.oldN)
	for _, t := range u.dirty {
		t.dirty = false
		// Packed again: the next update decodes what it touches.
		t.post, t.packed = nil, true
	}
	if len(ix.files) != before || !ix.namesDone {
		ix.names = ix.names[:0]
		for name := range ix.files {
			ix.names = append(ix.names, name)
		}
		slices.Sort(ix.names)
		ix.namesDone = true
	}
}

// output is every file, meta.json made now: its digest covers the others.
func (ix *Index) output() map[string][]byte {
	var d digester
	d.buf = make([]byte, 0, len(ix.names)*64)
	for _, name := range ix.names {
		s := ix.sums[name]
		d.add(name, s.size, s.sum)
	}
	out := maps.Clone(ix.files)
	stop := slices.Clone(stopWords)
	slices.Sort(stop)
	meta := indexMeta{
		Version:  formatVersion,
		Hash:     d.sum(),
		Docs:     len(ix.order),
		Kinds:    Kinds,
		Counts:   slices.Clone(ix.count),
		DocChunk: docChunkSize,
		Terms:    []string{},
		Stop:     slices.Compact(stop),
	}
	for i, c := range ix.chunks {
		sep := ""
		if i > 0 {
			sep = separator(ix.chunks[i-1].last.term, c.first.term)
		}
		meta.Terms = append(meta.Terms, sep)
	}
	out["search/meta.json"] = mustJSON(meta)
	return out
}

// termChunks cuts the sorted terms into chunks exactly as build does
// (builder.termChunkFiles) and encodes the chunks whose terms or postings
// changed.
func (ix *Index) termChunks() {
	old := make(map[*iterm]tchunk, len(ix.chunks))
	for _, c := range ix.chunks {
		old[c.first] = c
	}
	var chunks []tchunk
	var cur tchunk
	dirty := false
	size := 0
	flush := func() {
		if cur.n == 0 {
			return
		}
		// Same first and last term, as many terms, none changed: the
		// same file. (A term added or dropped in between changes n.)
		if o, ok := old[cur.first]; ok && !dirty && o.last == cur.last && o.n == cur.n {
			cur.data = o.data
		}
		chunks = append(chunks, cur)
		cur, dirty, size = tchunk{}, false, 0
	}
	starts := []int{}
	for i, t := range ix.sorted {
		if t.stop {
			continue
		}
		n := len(t.term) + len(t.enc) + 8
		if cur.n > 0 && size+n > ix.chunkBytes {
			flush()
		}
		if cur.n == 0 {
			cur.first = t
			starts = append(starts, i)
		}
		cur.last = t
		cur.n++
		dirty = dirty || t.dirty
		size += n
	}
	flush()
	var list [][2]string
	var terms []*iterm
	var at []int
	for k := range chunks {
		name := "search/t/" + strconv.Itoa(k) + ".json"
		if chunks[k].data != nil {
			// Its terms' postings are pieces of it already.
			ix.setFile(name, chunks[k].data)
			continue
		}
		list, terms = list[:0], terms[:0]
		for _, t := range ix.sorted[starts[k]:] {
			if t.stop {
				continue
			}
			list = append(list, [2]string{t.term, t.enc})
			terms = append(terms, t)
			if t == chunks[k].last {
				break
			}
		}
		var data []byte
		data, at = termChunkJSONAt(list, at[:0])
		ix.setFile(name, data)
		// The file kept (the last one, when its bytes are these) holds
		// each term's postings as they are: the term keeps that piece
		// of it, not a copy of its own.
		data = ix.files[name]
		chunks[k].data = data
		for j, t := range terms {
			if n := len(t.enc); n > 0 {
				t.enc = unsafe.String(&data[at[j]], n)
			}
		}
	}
	for k := len(chunks); k < len(ix.chunks); k++ {
		ix.dropFile("search/t/" + strconv.Itoa(k) + ".json")
	}
	ix.chunks = chunks
}

// stopFiles writes the file of each stop word whose postings changed.
func (ix *Index) stopFiles() {
	for _, w := range stopWords {
		enc, ok := "", false
		if t := ix.terms[w]; t != nil {
			enc, ok = t.enc, true
		}
		name := "search/s/" + w + ".json"
		if last, had := ix.stopEnc[w]; had && last == enc && ix.files[name] != nil {
			continue
		}
		list := [][2]string{}
		if ok {
			list = append(list, [2]string{w, enc})
			ix.stopEnc[w] = enc
		} else {
			ix.stopEnc[w] = ""
		}
		ix.setFile(name, mustJSON(list))
	}
}

// docChunks writes the document chunks that hold a new or renumbered
// document, and drops those past the end.
func (ix *Index) docChunks(dirty map[int]bool, oldN int) {
	n := (len(ix.order) + docChunkSize - 1) / docChunkSize
	for c := range dirty {
		if c >= n {
			continue
		}
		var recs [][5]string
		for _, d := range ix.order[c*docChunkSize : min((c+1)*docChunkSize, len(ix.order))] {
			recs = append(recs, stored(&d.doc, d.snippet))
		}
		ix.setFile("search/d/"+strconv.Itoa(c)+".json", mustJSON(recs))
	}
	for c := n; c < (oldN+docChunkSize-1)/docChunkSize; c++ {
		ix.dropFile("search/d/" + strconv.Itoa(c) + ".json")
	}
}

// setFile sets a file and its digest sum, hashing only new content.
func (ix *Index) setFile(name string, data []byte) {
	if old, ok := ix.files[name]; ok && bytes.Equal(old, data) {
		return
	}
	ix.files[name] = data
	ix.sums[name] = fileSum{len(data), sha256.Sum256(data)}
}

func (ix *Index) dropFile(name string) {
	delete(ix.files, name)
	delete(ix.sums, name)
}

// encodePostings writes (gap, weight) pairs as build does
// (builder.writePostings).
func encodePostings(post []ipost) string {
	b := make([]byte, 0, len(post)*2)
	last := -1
	for _, p := range post {
		b = appendVarint(b, int(p.id)-last-1)
		b = append(b, postingAlphabet[p.w])
		last = int(p.id)
	}
	return string(b)
}

// internTerms makes the terms d read the index's own (d.terms, d.read
// dropped): a term's string may be a piece of the text, which the index
// does not keep (idoc). The terms new to the index are appended to fresh,
// which it returns.
func (ix *Index) internTerms(d *idoc, fresh []*iterm) []*iterm {
	list := ix.list[:0]
	for _, tc := range d.read {
		t := ix.terms[tc.term]
		if t == nil {
			term := strings.Clone(tc.term)
			t = &iterm{term: term, stop: isStopWord[term]}
			if n := len(ix.freeID); n > 0 {
				t.id = ix.freeID[n-1]
				ix.freeID = ix.freeID[:n-1]
				ix.byID[t.id] = t
			} else {
				t.id = int32(len(ix.byID))
				ix.byID = append(ix.byID, t)
			}
			ix.terms[term] = t
			fresh = append(fresh, t)
		}
		e := docEntry{term: t.id, tf: uint32(tc.tf) << 1}
		if tc.title {
			e.tf |= 1
		}
		list = append(list, e)
	}
	d.terms = packEntries(list)
	ix.list = list[:0]
	d.read = nil
	return fresh
}

// dropTerm takes t, left without postings, out of the index's terms; its
// id goes to the next new term.
func (ix *Index) dropTerm(t *iterm) {
	delete(ix.terms, t.term)
	ix.byID[t.id] = nil
	ix.freeID = append(ix.freeID, t.id)
}

// unpackPostings reads what encodePostings wrote.
func unpackPostings(enc string) []ipost {
	post := make([]ipost, 0, postingCount(enc))
	decodePostings(enc, func(id, w int) { post = append(post, ipost{id: int32(id), w: uint8(w)}) })
	return post
}

// analyzeAll analyzes documents on all cores.
func analyzeAll(docs []*idoc) {
	analyzeEach(len(docs), func(i int, tf map[string]*termCount) {
		d := docs[i]
		d.analyze(d.doc.Text, tf)
		d.doc.Text = "" // its sum stands for it from now on
	})
}

// analyze analyzes the document d, whose text is text.
func (d *idoc) analyze(text string, tf map[string]*termCount) {
	a := analyze(&d.doc, text, tf)
	d.read, d.length = a.terms, a.length
	seen := map[int32]bool{}
	for _, tc := range a.terms {
		if tc.tf > 0 && !seen[tc.tf] {
			seen[tc.tf] = true
			d.tfs = append(d.tfs, tc.tf)
		}
	}
}

// stableNorms returns the open range of length norms around norm in which
// postingWeight gives every one of tfs the weight it has at norm. The range
// is narrowed by a margin for rounding, so inside it nothing can change;
// outside, the caller compares the weights themselves.
func stableNorms(tfs []int32, norm float64) (lo, hi float64) {
	lo, hi = math.Inf(-1), math.Inf(1)
	for _, tf := range tfs {
		f := float64(tf)
		w := postingWeight(tf, false, norm)
		// The weight is round(maxBodyWeight·f/(f+norm)), clamped to
		// 1..maxBodyWeight: it decreases as norm grows. It steps up at
		// w+½ and down at w−½; norm = maxBodyWeight·f/c − f there.
		if w < maxBodyWeight {
			lo = max(lo, maxBodyWeight*f/(float64(w)+0.5)-f)
		}
		if w > 1 {
			hi = min(hi, maxBodyWeight*f/(float64(w)-0.5)-f)
		}
	}
	const margin = 1e-9
	return lo + math.Abs(lo)*margin + margin, hi - math.Abs(hi)*margin - margin
}

// termChunkJSON encodes a term chunk, a list of (term, encoded postings)
// pairs, exactly as mustJSON does, without reflection: term chunks are most
// of what a build writes. The postings, in postingAlphabet, need no escaping
// and are copied as they are.
func termChunkJSON(list [][2]string) []byte {
	b, _ := termChunkJSONAt(list, nil)
	return b
}

// termChunkJSONAt is termChunkJSON that also appends to at the offset of
// each pair's postings in the bytes it returns.
func termChunkJSONAt(list [][2]string, at []int) ([]byte, []int) {
	n := 2
	for _, p := range list {
		n += len(p[0]) + len(p[1]) + 8
	}
	b := make([]byte, 0, n)
	b = append(b, '[')
	for i, p := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendJSONString(b, p[0])
		b = append(b, ',', '"')
		at = append(at, len(b))
		b = append(b, p[1]...)
		b = append(b, '"', ']')
	}
	return append(b, ']'), at
}

// appendJSONString quotes s as encoding/json does with HTML escaping (its
// default): <, > and & as \u003c…, U+2028 and U+2029 escaped, invalid UTF-8
// as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
