package search

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unsafe"
	"weak"
)

// sameFiles fails unless got and want hold the same files, byte for byte.
func sameFiles(t *testing.T, step string, got, want map[string][]byte) {
	t.Helper()
	for name, data := range want {
		if g, ok := got[name]; !ok {
			t.Fatalf("%s: %s missing", step, name)
		} else if !bytes.Equal(g, data) {
			t.Fatalf("%s: %s differs:\n got %.300s\nwant %.300s", step, name, g, data)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Fatalf("%s: extra file %s", step, name)
		}
	}
}

// TestIndexUpdateEqualsBuild applies random edits to an Index and checks
// after each that its files are those a clean Build makes of the same
// documents: text edits that move an average length (and so weights
// elsewhere), retitles that move IDs, documents added and removed, new and
// vanished terms, stop words in titles, documents put back unchanged.
func TestIndexUpdateEqualsBuild(t *testing.T) {
	for _, chunk := range []int{600, termChunkBytes} {
		t.Run(fmt.Sprint("chunk=", chunk), func(t *testing.T) {
			docs := genCorpus(40, 2)
			r := rand.New(rand.NewPCG(7, uint64(chunk)))
			ix := &Index{chunkBytes: chunk}
			got, err := ix.Reset(slices.Clone(docs))
			if err != nil {
				t.Fatal(err)
			}
			want, err := build(docs, nil, nil, chunk, nil)
			if err != nil {
				t.Fatal(err)
			}
			sameFiles(t, "reset", got, want)
			words := strings.Fields(docs[0].Text + " " + docs[1].Text)
			kinds := map[string]int{}
			for step := range 150 {
				i := r.IntN(len(docs))
				d := docs[i]
				var put []Document
				var del []string
				what := ""
				switch r.IntN(10) {
				case 0, 1, 2: // a line more in the body
					what = "text"
					d.Text += " " + strings.Join([]string{words[r.IntN(len(words))], words[r.IntN(len(words))], fmt.Sprint("mot", r.IntN(30))}, " ")
				case 3: // a shorter body
					what = "cut"
					d.Text = d.Text[:len(d.Text)/2]
				case 4: // a new title: the ID order moves
					what = "title"
					d.Title = []string{"Le ", "Zèbre ", "", "Ab "}[r.IntN(4)] + d.Title + fmt.Sprint(" ", r.IntN(9))
				case 5: // added
					what = "add"
					d = Document{URL: fmt.Sprintf("dossiers/new-%d/", step), Kind: Kinds[r.IntN(len(Kinds))], Title: fmt.Sprint("Nouveau ", r.IntN(100), " de la paix"),
						Lang: []string{"fr", "en"}[r.IntN(2)], Text: strings.Join(words[r.IntN(50):50+r.IntN(200)], " "), Date: "2024-01-02"}
					docs = append(docs, d)
					put = append(put, d)
				case 6: // removed
					what = "remove"
					docs = slices.Delete(docs, i, i+1)
					del = append(del, d.URL)
				case 7: // put back as it was
					what = "same"
				case 8: // date and language: the record, not the terms
					what = "date"
					d.Date = fmt.Sprintf("20%02d-01-01", r.IntN(30))
					d.Lang = []string{"fr", "en"}[r.IntN(2)]
				case 9: // many at once (a pull): more than Update inserts in place
					what = "bulk"
					for _, j := range r.Perm(len(docs))[:12] {
						e := docs[j]
						e.Title = []string{"Le ", "Zèbre ", "", "Ab "}[r.IntN(4)] + e.Title
						e.Text += fmt.Sprint(" mot", r.IntN(30))
						docs[j] = e
						put, del = append(put, e), append(del, e.URL)
					}
				}
				if what != "add" && what != "remove" && what != "bulk" {
					docs[i] = d
					put, del = []Document{d}, []string{d.URL}
				}
				kinds[what]++
				got, ok := ix.Update(put, del)
				if !ok {
					t.Fatalf("step %d (%s): update refused", step, what)
				}
				want, err := build(slices.Clone(docs), nil, nil, chunk, nil)
				if err != nil {
					t.Fatal(err)
				}
				sameFiles(t, fmt.Sprintf("step %d (%s)", step, what), got, want)
			}
			if len(kinds) != 8 {
				t.Fatalf("not every edit kind ran: %v", kinds)
			}
		})
	}
}

// TestIndexUpdateRefuses: what Build would refuse, Update leaves to Reset.
func TestIndexUpdateRefuses(t *testing.T) {
	ix := NewIndex()
	if _, ok := ix.Update(smallCorpus, nil); ok {
		t.Fatal("Update before Reset")
	}
	if _, err := ix.Reset(smallCorpus); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		put []Document
		del []string
	}{
		"duplicate URL": {put: smallCorpus[:1]},
		"unknown kind":  {put: []Document{{URL: "x/", Kind: "page"}}},
		"bad URL":       {put: []Document{{URL: "/x/", Kind: "actor"}}},
		"not indexed":   {del: []string{"nowhere/"}},
		"deleted twice": {del: []string{smallCorpus[0].URL, smallCorpus[0].URL}},
	} {
		if _, ok := ix.Update(c.put, c.del); ok {
			t.Errorf("%s: accepted", name)
		}
	}
	// Refusals changed nothing.
	got, ok := ix.Update(nil, nil)
	if !ok {
		t.Fatal("empty update refused")
	}
	sameFiles(t, "after refusals", got, buildOrFail(t, smallCorpus))
	if _, err := ix.Reset(append(slices.Clone(smallCorpus), smallCorpus[0])); err == nil {
		t.Fatal("Reset accepted a duplicate")
	}
	if _, ok := ix.Update(nil, nil); ok {
		t.Fatal("Update after a failed Reset")
	}
}

// termChunkJSON is mustJSON without reflection: the same bytes for any
// term and any postings.
func TestTermChunkJSON(t *testing.T) {
	texts := []string{"", "abc", "é", `"quoted" \ back`, "<script>&amp;</script>", "\x00\x01\x1f\x7f", "\b\f\n\r\t",
		"line\u2028sep\u2029", "bad \xff utf8 \xc3", "emoji 😀", "tab\tand\u00a0nbsp"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		texts = append(texts, string(b))
	}
	for i := 0; i <= len(texts); i++ {
		var list [][2]string
		for j := range i % 5 {
			post := make([]byte, r.IntN(40))
			for k := range post {
				post[k] = postingAlphabet[r.IntN(len(postingAlphabet))]
			}
			list = append(list, [2]string{texts[(i+j)%len(texts)], string(post)})
		}
		if list == nil {
			list = [][2]string{}
		}
		if got, want := termChunkJSON(list), mustJSON(list); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n got %s\nwant %s", list, got, want)
		}
	}
}

// BenchmarkIndexUpdate times what one save costs the index in watch mode: a
// line appended to one dossier of a 6,000-document site, then Update.
func BenchmarkIndexUpdate(b *testing.B) {
	docs := genCorpus(1000, 4)
	ix := NewIndex()
	if _, err := ix.Reset(docs); err != nil {
		b.Fatal(err)
	}
	i := slices.IndexFunc(docs, func(d Document) bool { return d.Kind == "dossier" })
	d := docs[i]
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		d.Text = docs[i].Text + fmt.Sprintf("\nMesure numéro %d.\n", n)
		if _, ok := ix.Update([]Document{d}, []string{d.URL}); !ok {
			b.Fatal("update refused")
		}
	}
}

// The index keeps no document's text, whole or in pieces: a document
// lists the index's own terms, whose strings are copies, not pieces of
// the text they were read from (the plain text of a 10,000-dossier site is
// 100 MB a dev server would hold). An update still finds an unchanged
// text unchanged.
func TestIndexKeepsNoText(t *testing.T) {
	docs := genCorpus(40, 2)
	ix := NewIndex()
	if _, err := ix.Reset(slices.Clone(docs)); err != nil {
		t.Fatal(err)
	}
	check := func(step string) {
		t.Helper()
		for _, d := range ix.order {
			if d.doc.Text != "" {
				t.Fatalf("%s: %s keeps its text (%d bytes)", step, d.doc.URL, len(d.doc.Text))
			}
			if d.read != nil {
				t.Fatalf("%s: %s keeps its analysis", step, d.doc.URL)
			}
			for tc := range d.terms.all() {
				if it := ix.byID[tc.id]; it == nil || it != ix.terms[it.term] {
					t.Fatalf("%s: %s lists a term (id %d) the index does not have", step, d.doc.URL, tc.id)
				}
			}

		}
	}
	// No term's string is a piece of a text given to the index.
	pieceOfText := func(term string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(term)))
		for _, d := range docs {
			start := uintptr(unsafe.Pointer(unsafe.StringData(d.Text)))
			if len(d.Text) > 0 && p >= start && p < start+uintptr(len(d.Text)) {
				return true
			}
		}
		return false
	}
	for term, it := range ix.terms {
		if pieceOfText(it.term) {
			t.Fatalf("the index's term %q is a piece of a document's text", term)
		}
	}
	check("reset")
	edited := docs[3]
	edited.Text += " encore"
	if _, ok := ix.Update([]Document{edited}, []string{edited.URL}); !ok {
		t.Fatal("update refused")
	}
	check("update")
	if _, ok := ix.Update([]Document{edited}, []string{edited.URL}); !ok {
		t.Fatal("update refused")
	}
	if d := ix.docs[edited.URL]; d == nil || !d.same(&edited) {
		t.Error("a document put back unchanged is not recognised")
	}
}

// Between updates the index keeps each term's postings encoded only (2
// bytes a posting, against 8 decoded: ~70 MB at 10,000 dossiers), and an
// update decodes only the terms it touches: a one-word edit leaves every
// other term packed. The files stay those of a clean build
// (TestIndexUpdateEqualsBuild).
func TestIndexKeepsPostingsEncoded(t *testing.T) {
	docs := genCorpus(40, 2)
	ix := NewIndex()
	if _, err := ix.Reset(slices.Clone(docs)); err != nil {
		t.Fatal(err)
	}
	decoded := func(step string) {
		t.Helper()
		for term, it := range ix.terms {
			if it.post != nil || !it.packed {
				t.Fatalf("%s: term %q keeps %d decoded postings", step, term, len(it.post))
			}
			if it.enc == "" {
				t.Fatalf("%s: term %q has no postings", step, term)
			}
		}
	}
	decoded("reset")
	edited := docs[3]
	edited.Text += " zyzzyva"
	got, ok := ix.Update([]Document{edited}, []string{edited.URL})
	if !ok {
		t.Fatal("update refused")
	}
	decoded("update")
	docs[3] = edited
	want, err := build(docs, nil, nil, termChunkBytes, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "update", got, want)
}

// ResetText makes each text as it analyzes it and drops it once analyzed:
// the texts of a site are never all alive at once (110 MB at 10,000
// dossiers, held through the first build of a dev server until every
// posting was added, since the analysed terms were pieces of them). Each
// text here is its own allocation, watched by a weak pointer; after a
// collection, the texts made before it must be gone, but for those the
// workers may still hold.
func TestResetTextDropsEachText(t *testing.T) {
	docs := genCorpus(200, 2)
	texts := make([]string, len(docs))
	for i := range docs {
		texts[i], docs[i].Text = docs[i].Text, ""
	}
	var (
		mu      sync.Mutex
		made    []weak.Pointer[byte]
		maxLive int
	)
	text := func(i int) string {
		b := []byte(texts[i]) // a fresh copy: the test's own is not the one watched
		if len(b) == 0 {
			return ""
		}
		mu.Lock()
		defer mu.Unlock()
		made = append(made, weak.Make(&b[0]))
		if len(made)%25 == 0 {
			runtime.GC()
			live := 0
			for _, w := range made {
				if w.Value() != nil {
					live++
				}
			}
			maxLive = max(maxLive, live)
		}
		return unsafe.String(&b[0], len(b))
	}
	ix := NewIndex()
	got, err := ix.ResetText(docs, text)
	if err != nil {
		t.Fatal(err)
	}
	// Each worker holds the text it analyzes, and may hold its last one
	// until it takes the next; and the one being made.
	if limit := 2*runtime.GOMAXPROCS(0) + 1; maxLive > limit {
		t.Errorf("%d texts alive at once while the index was made (of %d made), want at most %d", maxLive, len(made), limit)
	}
	for i := range docs {
		docs[i].Text = texts[i]
	}
	want, err := build(docs, nil, nil, termChunkBytes, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "reset", got, want)
}

// Between updates a document lists its terms encoded (dterms: ~3 bytes a
// term, against 16 for a list of pointers and counts; 5.5 million terms at
// 10,000 dossiers, ~90 MB a dev server kept). What the index holds after a
// Reset, measured on the heap, is counted per posting (a document's term):
// the postings encoded, the term chunk files and the documents' lists.
func TestIndexKeepsTermListsEncoded(t *testing.T) {
	// Many postings over a small vocabulary, as a site's documents are:
	// what each term holds is then spread over many postings.
	r := rand.New(rand.NewPCG(19, 7))
	vocab := make([]string, 1500)
	for i := range vocab {
		vocab[i] = "k" + strconv.FormatInt(int64(i)*7919+100000, 36) + "ab"
	}
	docs := make([]Document, 500)
	for i := range docs {
		words := make([]string, 600)
		for j := range words {
			words[j] = vocab[r.IntN(len(vocab))]
		}
		docs[i] = Document{URL: "dossiers/d" + strconv.Itoa(i) + "/", Kind: "dossier", Title: vocab[i], Lang: "fr", Text: strings.Join(words, " ")}
	}
	var ms runtime.MemStats
	live := func() uint64 {
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := live()
	ix := NewIndex()
	if _, err := ix.Reset(docs); err != nil {
		t.Fatal(err)
	}
	held := int64(live()) - int64(before)
	postings := 0
	for _, it := range ix.terms {
		postings += postingCount(it.enc)
	}
	runtime.KeepAlive(ix)
	runtime.KeepAlive(docs)
	perPosting := float64(held) / float64(postings)
	t.Logf("%d postings of %d documents, %d terms: %.1f bytes held a posting", postings, len(ix.order), len(ix.terms), perPosting)
	if perPosting > 14 {
		t.Errorf("the index holds %.1f bytes a posting after a Reset, want at most 14 (term lists encoded)", perPosting)
	}
}

// A term's encoded postings are not a copy of their own: they are the
// piece of its term chunk's file that shows them (13 MB at 10,000
// dossiers, the same bytes twice), after a Reset and after each update.
// The files stay those of a clean build.
func TestIndexPostingsArePiecesOfChunks(t *testing.T) {
	docs := genCorpus(60, 2)
	ix := NewIndex()
	ix.chunkBytes = 600 // many chunks, and an edit moves their bounds
	if _, err := ix.Reset(slices.Clone(docs)); err != nil {
		t.Fatal(err)
	}
	check := func(step string) {
		t.Helper()
		var files [][]byte
		for name, data := range ix.files {
			if strings.HasPrefix(name, "search/t/") {
				files = append(files, data)
			}
		}
		inFile := func(enc string) bool {
			p := uintptr(unsafe.Pointer(unsafe.StringData(enc)))
			for _, f := range files {
				start := uintptr(unsafe.Pointer(unsafe.SliceData(f)))
				if p >= start && p+uintptr(len(enc)) <= start+uintptr(len(f)) {
					return true
				}
			}
			return false
		}
		for term, it := range ix.terms {
			if !it.stop && it.enc != "" && !inFile(it.enc) {
				t.Fatalf("%s: the postings of %q are not a piece of a term chunk file", step, term)
			}
		}
	}
	check("reset")
	for i, extra := range []string{" zyzzyva", " encore", "", " zyzzyva zyzzyvas"} {
		edited := docs[i*7]
		edited.Text += extra
		got, ok := ix.Update([]Document{edited}, []string{edited.URL})
		if !ok {
			t.Fatal("update refused")
		}
		docs[i*7] = edited
		check(fmt.Sprint("update ", i))
		want, err := build(docs, nil, nil, 600, nil)
		if err != nil {
			t.Fatal(err)
		}
		sameFiles(t, fmt.Sprint("update ", i), got, want)
	}
}
