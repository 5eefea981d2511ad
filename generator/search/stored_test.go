package search

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestStoredAnalysesEqualBuild edits documents at random and, after each
// step, builds the index with the analyses the last step stored: its
// files are those of a build from scratch, and every document not edited
// is taken from the store. Edits: text, lead, title, language, a quote's
// lead in its title, documents added and removed, and one document's
// twin (the same analysis twice).
func TestStoredAnalysesEqualBuild(t *testing.T) {
	docs := genCorpus(30, 2)
	r := rand.New(rand.NewPCG(3, 19))
	words := strings.Fields(docs[0].Text + " " + docs[1].Text)
	stored := NewAnalyses()
	if _, err := build(slices.Clone(docs), nil, nil, 600, stored); err != nil {
		t.Fatal(err)
	}
	for step := range 80 {
		edited := map[string]bool{}
		for range 1 + r.IntN(3) {
			i := r.IntN(len(docs))
			d := &docs[i]
			switch r.IntN(8) {
			case 0, 1:
				d.Text += " " + words[r.IntN(len(words))] + fmt.Sprint(" mot", r.IntN(40))
			case 2:
				d.Lead += " " + words[r.IntN(len(words))]
			case 3:
				d.Title = words[r.IntN(len(words))] + " " + d.Title
			case 4:
				d.Lang = map[string]string{"fr": "en", "en": "fr"}[d.Lang]
			case 5:
				d.LeadInTitle = !d.LeadInTitle
			case 6:
				docs = slices.Delete(docs, i, i+1)
				continue
			case 7:
				twin := *d
				twin.URL += fmt.Sprint("twin-", step, "/")
				docs = append(docs, twin) // the same analysis as d
				edited[twin.URL] = true
				continue
			}
			edited[d.URL] = true
		}
		want, err := build(slices.Clone(docs), nil, nil, 600, nil)
		if err != nil {
			t.Fatal(err)
		}
		stored = DecodeAnalyses(stored.Encode())
		got, err := build(slices.Clone(docs), nil, nil, 600, stored)
		if err != nil {
			t.Fatal(err)
		}
		sameFiles(t, fmt.Sprint("step ", step), got, want)
		if stored.Hits() < len(docs)-len(edited) {
			t.Fatalf("step %d: %d of %d documents taken from the store, want at least %d", step, stored.Hits(), len(docs), len(docs)-len(edited))
		}
	}
}

// TestStoredAnalysesRefuseBadBytes: another version, bytes cut short and
// an analysis naming a term the table does not have are an empty store or
// a miss, never a wrong analysis.
func TestStoredAnalysesRefuseBadBytes(t *testing.T) {
	docs := genCorpus(5, 1)
	a := NewAnalyses()
	want, err := build(slices.Clone(docs), nil, nil, 600, a)
	if err != nil {
		t.Fatal(err)
	}
	data := a.Encode()
	other := slices.Clone(data)
	other[0]++
	for name, bad := range map[string][]byte{"other version": other, "cut short": data[:len(data)-3], "empty": nil} {
		b := DecodeAnalyses(bad)
		if len(b.last) != 0 {
			t.Errorf("%s: %d analyses decoded", name, len(b.last))
		}
	}
	// A table cut to one term: every analysis names a term past it.
	b := DecodeAnalyses(data)
	b.terms = b.terms[:1]
	got, err := build(slices.Clone(docs), nil, nil, 600, b)
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "short table", got, want)
	if b.Hits() != 0 {
		t.Errorf("%d analyses taken that name unknown terms", b.Hits())
	}
}

// FuzzDecodeAnalyses: any bytes decode to a store whose every analysis
// is taken or refused, never a panic.
func FuzzDecodeAnalyses(f *testing.F) {
	a := NewAnalyses()
	if _, err := build(genCorpus(3, 1), nil, nil, 600, a); err != nil {
		f.Fatal(err)
	}
	f.Add(a.Encode())
	f.Add([]byte{analysesVersion, 1, 1, 'a', 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		b := DecodeAnalyses(data)
		for k := range b.last {
			if s, terms, ok := b.lookUp(k); ok {
				for _, id := range s.terms {
					_ = terms[id]
				}
			}
		}
		_ = DecodeAnalyses(b.Encode())
	})
}

// TestAnalysesWriteToEqualsEncode: the build cache saves the analyses with
// WriteTo and Len (in chunks, never all at once); both must say what
// Encode says, over several chunks.
func TestAnalysesWriteToEqualsEncode(t *testing.T) {
	stored := NewAnalyses()
	if _, err := build(genCorpus(200, 3), nil, nil, 600, stored); err != nil {
		t.Fatal(err)
	}
	want := stored.Encode()
	if len(want) < 3*64<<10 {
		t.Fatalf("the analyses are %d bytes: too few to be written in several chunks", len(want))
	}
	var got bytes.Buffer
	n, err := stored.WriteTo(&got)
	if err != nil || n != int64(len(want)) || !bytes.Equal(got.Bytes(), want) {
		t.Errorf("WriteTo wrote %d bytes (err %v), differing from Encode's %d", n, err, len(want))
	}
	if stored.Len() != len(want) {
		t.Errorf("Len is %d, Encode made %d bytes", stored.Len(), len(want))
	}
}
