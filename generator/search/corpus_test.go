package search

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// genCorpus returns a deterministic synthetic site: dossiers long articles,
// 0.8 actors and 0.2 treaties per dossier, and quotesPerDossier quotes each.
// Words follow a Zipf distribution over a vocabulary built from French- and
// English-looking syllables (so that prefixes cluster like real words), with
// about a third of stop words.
func genCorpus(dossiers, quotesPerDossier int) []Document {
	r := rand.New(rand.NewPCG(42, 1961))
	syll := strings.Fields(`con tra pre de re ment tion ar mi na lo ri ter pol sa ve ca la to po ble que par vi an en
		or is el go nu clé sé cu ro ma ko rea pyon yang kim jong ou cha kov gou ver nu di plo ma tie sanc té ré pu bli
		as sem é tat mi nis tre guer re paix ac cord trai ar mée fron ti è re élec tion pré si dent sta te port fo li o`)
	seen := map[string]bool{}
	var vocab []string
	for len(vocab) < 60000 {
		n := 2 + r.IntN(3)
		var b strings.Builder
		for range n {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	zipf := rand.NewZipf(r, 1.05, 2, uint64(len(vocab)-1))
	word := func() string {
		if r.IntN(3) == 0 {
			return stopWords[r.IntN(len(stopWords))]
		}
		return vocab[zipf.Uint64()]
	}
	text := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				if r.IntN(12) == 0 {
					b.WriteString(". ")
				} else {
					b.WriteByte(' ')
				}
			}
			b.WriteString(word())
		}
		return b.String()
	}
	title := func(n int) string {
		var parts []string
		for range n {
			w := vocab[zipf.Uint64()]
			parts = append(parts, strings.ToUpper(w[:1])+w[1:])
		}
		return strings.Join(parts, " ")
	}
	date := func() string {
		return fmt.Sprintf("%04d-%02d-%02d", 1950+r.IntN(75), 1+r.IntN(12), 1+r.IntN(28))
	}
	var docs []Document
	lang := func() string { return []string{"fr", "en"}[r.IntN(2)] }
	for i := range dossiers {
		url := "dossiers/d" + strconv.Itoa(i) + "/"
		docs = append(docs, Document{URL: url, Kind: "dossier", Title: title(3 + r.IntN(5)), Lang: lang(), Text: text(500 + r.IntN(700)), Date: date()})
		for q := range quotesPerDossier {
			docs = append(docs, Document{URL: url + "#q-" + strconv.Itoa(q+1), Kind: "quote", Title: title(2 + r.IntN(3)), Lang: lang(), Text: text(20 + r.IntN(50))})
		}
	}
	for i := range dossiers * 4 / 5 {
		docs = append(docs, Document{URL: "actors/a" + strconv.Itoa(i) + "/", Kind: "actor", Title: title(2 + r.IntN(2)), Lang: lang(), Text: text(80 + r.IntN(200))})
	}
	for i := range dossiers / 5 {
		docs = append(docs, Document{URL: "treaties/t" + strconv.Itoa(i) + "/", Kind: "treaty", Title: "Traité " + title(2+r.IntN(4)), Lang: lang(), Text: text(150 + r.IntN(300)), Date: date()})
	}
	return docs
}

var big struct {
	once  sync.Once
	docs  []Document
	files map[string][]byte
	err   error
	dur   time.Duration
}

// bigIndex builds the 10,000-dossier (60,000-document) synthetic index once.
func bigIndex(tb testing.TB) ([]Document, map[string][]byte) {
	if testing.Short() {
		tb.Skip("large synthetic corpus skipped in -short mode")
	}
	big.once.Do(func() {
		big.docs = genCorpus(10000, 4)
		start := time.Now()
		big.files, big.err = Build(big.docs)
		big.dur = time.Since(start)
	})
	if big.err != nil {
		tb.Fatal(big.err)
	}
	return big.docs, big.files
}

// queryCost is what a query downloads: meta.json, the term chunks, and the
// document chunks of the first hit ("first") or of the first page the client
// shows, up to 5 hits per kind ("page"). Sizes are raw and gzipped.
type queryCost struct {
	hits                                int
	first, firstGz, page, pageGz, files int
	elapsed                             time.Duration
}

func measureQuery(tb testing.TB, files map[string][]byte, query string) queryCost {
	seen := map[string]bool{}
	var c queryCost
	var firstDone bool
	fetch := func(name string) ([]byte, error) {
		b, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("no file %s", name)
		}
		if !seen[name] {
			seen[name] = true
			gz := gzipLen(b)
			c.files++
			c.page += len(b)
			c.pageGz += gz
			if !firstDone {
				c.first += len(b)
				c.firstGz += gz
			}
		}
		return b, nil
	}
	start := time.Now()
	s, err := NewSearcher(fetch)
	if err != nil {
		tb.Fatal(err)
	}
	hits, err := s.Search(query)
	if err != nil {
		tb.Fatal(err)
	}
	c.elapsed = time.Since(start)
	c.hits = len(hits)
	if len(hits) > 0 {
		if _, err := s.Doc(hits[0].ID); err != nil {
			tb.Fatal(err)
		}
	}
	firstDone = true
	shown := map[string]int{}
	for _, h := range hits {
		if shown[h.Kind] < 5 {
			shown[h.Kind]++
			if _, err := s.Doc(h.ID); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return c
}

func gzipLen(b []byte) int {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Len()
}

// typicalQueries picks content words by frequency rank in the corpus: a
// frequent word (rank 10), mid-frequency topical words and rare names.
func typicalQueries(docs []Document) (one, two []string) {
	count := map[string]int{}
	for _, d := range docs {
		for _, tok := range Tokenize(d.Text, d.Lang) {
			if !isStopWord[tok.Term] {
				count[tok.Term]++
			}
		}
	}
	words := make([]string, 0, len(count))
	for w := range count {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		return count[words[i]] > count[words[j]] || count[words[i]] == count[words[j]] && words[i] < words[j]
	})
	ranks := []int{10, 30, 100, 300, 1000, 3000, 10000, 30000}
	for _, r := range ranks {
		one = append(one, words[r])
	}
	for i := range len(ranks) - 1 {
		two = append(two, words[ranks[i]]+" "+words[ranks[i+1]])
	}
	return one, two
}

// TestIndexSize reports the index size and per-query downloads on the
// 10,000-dossier synthetic site and fails if a typical query fetches more
// than 200 KB (uncompressed) before showing its first result.
func TestIndexSize(t *testing.T) {
	docs, files := bigIndex(t)
	total, totalGz := 0, 0
	kinds := map[string][2]int{}
	for name, b := range files {
		total += len(b)
		gz := gzipLen(b)
		totalGz += gz
		k := strings.SplitN(strings.TrimPrefix(name, "search/"), "/", 2)[0]
		kinds[k] = [2]int{kinds[k][0] + len(b), kinds[k][1] + 1}
	}
	t.Logf("%d documents, built in %v: %d files, %.1f MB (%.1f MB gzipped)", len(docs), big.dur.Round(time.Millisecond), len(files), float64(total)/1e6, float64(totalGz)/1e6)
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range kinds {
			if !yield(k) {
				return
			}
		}
	}) {
		t.Logf("  %-10s %6d files %8.1f KB", k, kinds[k][1], float64(kinds[k][0])/1e3)
	}
	t.Logf("  meta.json %.1f KB (%.1f KB gzipped)", float64(len(files["search/meta.json"]))/1e3, float64(gzipLen(files["search/meta.json"]))/1e3)
	one, two := typicalQueries(docs)
	prefixes := []string{one[2][:3], one[4][:4], one[6][:5]}
	report := func(label string, queries []string) []queryCost {
		var costs []queryCost
		for _, q := range queries {
			c := measureQuery(t, files, q)
			costs = append(costs, c)
			t.Logf("  %-6s %-28q %6d hits  first result %6.1f KB (%5.1f KB gz)  first page %6.1f KB (%5.1f KB gz, %2d files)  %v",
				label, q, c.hits, float64(c.first)/1e3, float64(c.firstGz)/1e3, float64(c.page)/1e3, float64(c.pageGz)/1e3, c.files, c.elapsed.Round(100*time.Microsecond))
		}
		return costs
	}
	check := func(label string, costs []queryCost) {
		firsts := make([]int, len(costs))
		for i, c := range costs {
			firsts[i] = c.first
		}
		slices.Sort(firsts)
		median := firsts[len(firsts)/2]
		t.Logf("%s: median first-result download %.1f KB, max %.1f KB", label, float64(median)/1e3, float64(firsts[len(firsts)-1])/1e3)
		if median > 200e3 {
			t.Errorf("%s: median download %d bytes, want < 200 KB", label, median)
		}
	}
	check("1-word", report("1-word", one))
	check("2-word", report("2-word", two))
	check("prefix", report("prefix", prefixes))

	// Time the JavaScript client on the same queries (files read from disk,
	// so this is computation only: parsing, decoding, ranking).
	if _, err := exec.LookPath("node"); err != nil {
		return
	}
	dir := t.TempDir()
	writeFiles(t, dir, files)
	queries := slices.Concat(one, two, prefixes)
	var got []jsResult
	runJS(t, "search", map[string]any{"dir": dir, "queries": queries}, &got)
	var worst, worstCPU float64
	for i, q := range queries {
		t.Logf("  node   %-28q %6d hits  %6.1f ms (%5.1f ms CPU)", q, len(got[i].Hits), got[i].Ms, got[i].CPU)
		worst, worstCPU = max(worst, got[i].Ms), max(worstCPU, got[i].CPU)
	}
	t.Logf("JS client, cold index per query, downloads excluded: slowest %.1f ms (%.1f ms CPU)", worst, worstCPU)
}

func writeFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	docs := genCorpus(1000, 4) // 6,000 documents
	b.ResetTimer()
	for b.Loop() {
		if _, err := Build(docs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs)), "docs")
}

// BenchmarkQuery times a cold 1-word query on the 60,000-document synthetic
// site (open the index, search, load the first hit: JSON parsing included,
// downloads excluded) and reports the total index size and the bytes a
// typical 1-word and 2-word query fetches before showing its first result
// (meta.json + term chunks + first document chunk), raw and gzipped.
func BenchmarkQuery(b *testing.B) {
	docs, files := bigIndex(b)
	total := 0
	for _, f := range files {
		total += len(f)
	}
	one, two := typicalQueries(docs)
	c1, c2 := measureQuery(b, files, one[3]), measureQuery(b, files, two[3])
	fetch := func(name string) ([]byte, error) { return files[name], nil }
	for b.Loop() {
		s, err := NewSearcher(fetch)
		if err != nil {
			b.Fatal(err)
		}
		hits, err := s.Search(one[3])
		if err != nil || len(hits) == 0 {
			b.Fatal(err)
		}
		if _, err := s.Doc(hits[0].ID); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(total), "index-bytes")
	b.ReportMetric(float64(c1.first), "1word-bytes")
	b.ReportMetric(float64(c2.first), "2word-bytes")
	b.ReportMetric(float64(c1.firstGz), "1word-gz-bytes")
	b.ReportMetric(float64(c2.firstGz), "2word-gz-bytes")
}
