package search

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Query parameters, mirrored by assets/js/search.js.
const (
	tierExact       = 1.0
	tierStem        = 0.75
	tierPrefix      = 0.5
	titleBoost      = 1.5 // added to the weight of a posting whose term is in the title
	allTitleBonus   = 1.5 // factor when every query term is in the title (n ≥ 2)
	minPrefix       = 3   // query terms shorter than this (in runes) match exactly only
	maxPrefixChunks = 3   // term chunks fetched for completions of a query term
	maxTermChunks   = 4   // term chunks fetched for one query term
)

// Hit is one search result.
type Hit struct {
	ID    int     // document ID: index in (kind, title, URL) order
	Kind  string  // one of [Kinds]
	Score float64 // higher is better; rounded to 1e-6
}

// Result is the stored record of a document, as shown in search results.
type Result struct {
	URL, Title, Lang, Date string
	Excerpt                string // start of the text, "…" at the end if cut
}

// Searcher queries an index produced by [Build] with exactly the algorithm
// of assets/js/search.js. It is the executable reference for the client, used
// by the tests to check ranking and to measure what a query downloads.
type Searcher struct {
	fetch  func(name string) ([]byte, error)
	meta   indexMeta
	chunks map[string][]termEntry
	docs   map[int][][5]string
}

// NewSearcher opens an index. fetch returns the file at a path relative to the
// output root, such as "search/meta.json"; it is called once per file.
func NewSearcher(fetch func(name string) ([]byte, error)) (*Searcher, error) {
	s := &Searcher{fetch: fetch, chunks: make(map[string][]termEntry), docs: make(map[int][][5]string)}
	b, err := fetch("search/meta.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &s.meta); err != nil {
		return nil, fmt.Errorf("search: meta.json: %w", err)
	}
	if s.meta.Version != formatVersion {
		return nil, fmt.Errorf("search: index format %d, want %d", s.meta.Version, formatVersion)
	}
	return s, nil
}

// termEntry is a term of a loaded chunk.
type termEntry struct {
	term, postings string
}

func (s *Searcher) load(name string) ([]termEntry, error) {
	if c, ok := s.chunks[name]; ok {
		return c, nil
	}
	b, err := s.fetch(name)
	if err != nil {
		return nil, err
	}
	var raw [][2]string
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("search: %s: %w", name, err)
	}
	c := make([]termEntry, len(raw))
	for i, e := range raw {
		c[i] = termEntry{term: e[0], postings: e[1]}
	}
	s.chunks[name] = c
	return c, nil
}

// chunkOf returns the index of the term chunk that holds t if it exists: the
// last chunk whose lower bound is ≤ t. Bounds are the shortest prefixes that
// separate chunks, so a later chunk can hold terms starting with t only if
// its bound starts with t.
func (s *Searcher) chunkOf(t string) int {
	i, found := slices.BinarySearchFunc(s.meta.Terms, t, compareTerms)
	if found {
		return i
	}
	return max(i-1, 0)
}

// chunksFor lists the term chunks that can hold matches of the query term
// q, at most maxTermChunks: the chunk of q itself, up to maxPrefixChunks
// chunks of completions of q, then the chunks of the variants sharing q's
// French or English stem (when that stem is shorter than q), shortest
// variants first.
func (s *Searcher) chunksFor(q string) []int {
	if len(s.meta.Terms) == 0 {
		return nil
	}
	k := s.chunkOf(q)
	set := []int{k}
	add := func(n int) {
		if len(set) < maxTermChunks && !slices.Contains(set, n) {
			set = append(set, n)
		}
	}
	if utf8.RuneCountInString(q) >= minPrefix {
		for n := k + 1; n < len(s.meta.Terms) && n < k+maxPrefixChunks && strings.HasPrefix(s.meta.Terms[n], q); n++ {
			add(n)
		}
		var variants []string
		for _, lang := range []string{"fr", "en"} {
			st := Stem(q, lang)
			if st == q {
				continue
			}
			for _, v := range stemVariants(st, lang) {
				if Stem(v, lang) == st {
					variants = append(variants, v)
				}
			}
		}
		slices.SortStableFunc(variants, func(a, b string) int {
			return cmp.Or(cmp.Compare(utf8.RuneCountInString(a), utf8.RuneCountInString(b)), compareTerms(a, b))
		})
		for _, v := range variants {
			add(s.chunkOf(v))
		}
	}
	slices.Sort(set)
	return set
}

// queryTerm is a query term with its stems.
type queryTerm struct {
	q, fr, en string
	prefix    bool
}

func newQueryTerm(q string) queryTerm {
	return queryTerm{q: q, fr: Stem(q, "fr"), en: Stem(q, "en"), prefix: utf8.RuneCountInString(q) >= minPrefix}
}

// tier tells how well index term u matches the query term: exactly, by
// French or English stem, as a completion of it, or not at all (0). Stems
// are prefixes, so u can only share a stem that it starts with.
func (qt queryTerm) tier(u string) float64 {
	switch {
	case u == qt.q:
		return tierExact
	case strings.HasPrefix(u, qt.fr) && Stem(u, "fr") == qt.fr || strings.HasPrefix(u, qt.en) && Stem(u, "en") == qt.en:
		return tierStem
	case qt.prefix && strings.HasPrefix(u, qt.q):
		return tierPrefix
	}
	return 0
}

// queryTerms returns the distinct terms of query that the search uses: all
// terms but stop words, or only stop words if there is nothing else.
func queryTerms(query string) (terms []string, stop bool) {
	var all, content []string
	for _, tok := range Tokenize(query, "") {
		if len(tok.Term) > maxTermBytes || slices.Contains(all, tok.Term) {
			continue
		}
		all = append(all, tok.Term)
		if !isStopWord[tok.Term] {
			content = append(content, tok.Term)
		}
	}
	if len(content) == 0 {
		return all, true
	}
	return content, false
}

type match struct {
	postings string
	df       int
	tier     float64
}

// Search returns the documents matching query, best first; ties are broken
// by ID, that is by kind, title and URL.
func (s *Searcher) Search(query string) ([]Hit, error) {
	terms, stop := queryTerms(query)
	if len(terms) == 0 {
		return nil, nil
	}
	type acc struct {
		score         float64
		matched, titl int
	}
	accs := make(map[int]*acc)
	for _, q := range terms {
		var matches []match
		if stop {
			c, err := s.load("search/s/" + q + ".json")
			if err != nil {
				return nil, err
			}
			for _, e := range c {
				if e.term == q {
					matches = append(matches, match{e.postings, postingCount(e.postings), tierExact})
				}
			}
		} else {
			qt := newQueryTerm(q)
			for _, k := range s.chunksFor(q) {
				c, err := s.load("search/t/" + strconv.Itoa(k) + ".json")
				if err != nil {
					return nil, err
				}
				for _, e := range c {
					if tier := qt.tier(e.term); tier > 0 {
						matches = append(matches, match{e.postings, postingCount(e.postings), tier})
					}
				}
			}
		}
		best := make(map[int]float64)
		titled := make(map[int]bool)
		n := float64(s.meta.Docs)
		for _, m := range matches {
			idf := math.Log(1 + (n-float64(m.df)+0.5)/(float64(m.df)+0.5))
			decodePostings(m.postings, func(id, w int) {
				// Explicit conversions forbid fused multiply-adds, which
				// JavaScript never uses.
				sc := m.tier * idf * (float64(float64(w&(titleFlag-1))/maxBodyWeight*(bm25K1+1)) + float64(float64(w/titleFlag)*titleBoost))
				if sc > best[id] {
					best[id] = sc
				}
				if w&titleFlag != 0 {
					titled[id] = true
				}
			})
		}
		for id, sc := range best {
			a := accs[id]
			if a == nil {
				a = &acc{}
				accs[id] = a
			}
			a.score += sc
			a.matched++
			if titled[id] {
				a.titl++
			}
		}
	}
	hits := make([]Hit, 0, len(accs))
	nt := len(terms)
	for id, a := range accs {
		sc := a.score * float64(a.matched*a.matched) / float64(nt*nt)
		if nt >= 2 && a.titl == nt {
			sc *= allTitleBonus
		}
		hits = append(hits, Hit{ID: id, Kind: s.kindOf(id), Score: math.Round(sc*1e6) / 1e6})
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID))
	})
	return hits, nil
}

func (s *Searcher) kindOf(id int) string {
	for i, n := range s.meta.Counts {
		if id < n {
			return s.meta.Kinds[i]
		}
		id -= n
	}
	return ""
}

// Doc returns the stored record of document id, fetching its chunk.
func (s *Searcher) Doc(id int) (Result, error) {
	if id < 0 || id >= s.meta.Docs {
		return Result{}, fmt.Errorf("search: no document %d", id)
	}
	k := id / s.meta.DocChunk
	c, ok := s.docs[k]
	if !ok {
		b, err := s.fetch("search/d/" + strconv.Itoa(k) + ".json")
		if err != nil {
			return Result{}, err
		}
		if err := json.Unmarshal(b, &c); err != nil {
			return Result{}, fmt.Errorf("search: doc chunk %d: %w", k, err)
		}
		s.docs[k] = c
	}
	i := id % s.meta.DocChunk
	if i >= len(c) {
		return Result{}, fmt.Errorf("search: no document %d in chunk %d", id, k)
	}
	r := c[i]
	return Result{URL: r[0], Title: r[1], Lang: r[2], Date: r[3], Excerpt: r[4]}, nil
}

var postingValue = func() (t [128]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(postingAlphabet); i++ {
		t[postingAlphabet[i]] = int8(i)
	}
	return t
}()

// decodePostings calls f for each (document ID, weight) of a posting list.
// Malformed input stops the decoding.
func decodePostings(p string, f func(id, w int)) {
	id := -1
	for i := 0; i < len(p); {
		gap, shift := 0, 0
		for {
			if i >= len(p) || p[i] >= 128 || postingValue[p[i]] < 0 || shift > 25 {
				return
			}
			v := int(postingValue[p[i]])
			i++
			gap |= (v & 31) << shift
			shift += 5
			if v < 32 {
				break
			}
		}
		if i >= len(p) || p[i] >= 128 || postingValue[p[i]] < 0 {
			return
		}
		id += gap + 1
		f(id, int(postingValue[p[i]]))
		i++
	}
}

func postingCount(p string) int {
	n := 0
	decodePostings(p, func(int, int) { n++ })
	return n
}
