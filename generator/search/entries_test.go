package search

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestPackEntries: the entries read back are those packed, in term order.
func TestPackEntries(t *testing.T) {
	es := []docEntry{{term: 70000, tf: 7}, {term: 3, tf: 2}, {term: 1 << 30, tf: 1<<32 - 1}, {term: 0, tf: 1}}
	want := slices.Clone(es)
	slices.SortFunc(want, func(a, b docEntry) int { return int(a.term) - int(b.term) })
	var got []docEntry
	for e := range unpackEntries(packEntries(es)) {
		got = append(got, e)
	}
	if !slices.Equal(got, want) {
		t.Errorf("read back %v, want %v", got, want)
	}
	if n := len(packEntries(nil)); n != 0 {
		t.Errorf("no entries packed in %d bytes", n)
	}
}

// TestEntriesHeldPacked: between the two passes the index holds every
// document's entries; they are held packed, not as 8-byte docEntry
// values (at 100,000 dossiers, tens of millions of them: the search
// step's highest point). 4,000 documents of 200 terms each hold under
// 1,000 bytes each after pass 1, their excerpts included (~1,900 unpacked).
func TestEntriesHeldPacked(t *testing.T) {
	vocab := make([]string, 300)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%dx", i)
	}
	docs := make([]Document, 4000)
	for i := range docs {
		words := make([]string, 200)
		for k := range words {
			words[k] = vocab[(i*7+k)%len(vocab)]
		}
		docs[i] = Document{URL: fmt.Sprintf("d/%d/", i), Kind: "dossier", Title: "T", Lang: "en", Text: strings.Join(words, " ")}
	}
	kindRank := map[string]int{}
	for i, k := range Kinds {
		kindRank[k] = i
	}
	b := newBuilder(docs, kindRank)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.analyzeDocs(func(i int) string { return docs[i].Text }, nil, nil)
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / int64(len(docs))
	if per > 1000 {
		t.Errorf("pass 1 holds %d bytes a document of 200 terms, want under 1,000", per)
	}
	runtime.KeepAlive(b)
}
