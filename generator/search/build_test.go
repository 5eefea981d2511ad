package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

var smallCorpus = []Document{
	{URL: "dossiers/coree-du-nord/", Kind: "dossier", Title: "Corée du Nord", Lang: "fr", Date: "2024-03-01",
		Text: "La péninsule reste divisée. Pyongyang poursuit son programme balistique malgré les sanctions."},
	{URL: "dossiers/nucleaire/", Kind: "dossier", Title: "Le programme nucléaire iranien", Lang: "fr", Date: "2023-11-20",
		Text: "Comme la Corée avant lui, l'Iran négocie. L'accord de Vienne, signé en 2015, encadrait l'enrichissement."},
	{URL: "dossiers/korea-sanctions/", Kind: "dossier", Title: "North Korea sanctions", Lang: "en",
		Text: "The treaties signed in 1961 did not stop Pyongyang. Sanctioned entities keep trading; Kim Jong-un's regime adapts."},
	{URL: "actors/kim-jong-un/", Kind: "actor", Title: "Kim Jong-un", Lang: "fr",
		Text: "Dirigeant de la Corée du Nord depuis 2011, petit-fils de Kim Il-sung."},
	{URL: "actors/iouri-ouchakov/", Kind: "actor", Title: "Iouri Ouchakov", Lang: "fr",
		Text: "Conseiller diplomatique du Kremlin, ancien ambassadeur à Washington."},
	{URL: "treaties/tnp/", Kind: "treaty", Title: "Traité sur la non-prolifération des armes nucléaires", Lang: "fr", Date: "1968-07-01",
		Text: "Le traité distingue les États dotés et non dotés de l'arme nucléaire."},
	{URL: "treaties/amitie-1961/", Kind: "treaty", Title: "Traité d’amitié sino-nord-coréen", Lang: "fr", Date: "1961-07-11",
		Text: "Signé à Pékin, il engage la Chine à défendre Pyongyang."},
	{URL: "dossiers/coree-du-nord/#q-1", Kind: "quote", Title: "« Nous ne céderons pas »", Lang: "fr",
		Text: "Nous ne céderons pas aux pressions, a déclaré le porte-parole."},
	{URL: "dossiers/le-monde/", Kind: "dossier", Title: "Le monde d'après", Lang: "fr",
		Text: "Recomposition des alliances après la pandémie."},
}

// searcherFor opens the built files with a fetch that counts bytes.
func searcherFor(t testing.TB, files map[string][]byte, fetched *int) *Searcher {
	t.Helper()
	s, err := NewSearcher(func(name string) ([]byte, error) {
		b, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("no file %s", name)
		}
		if fetched != nil {
			*fetched += len(b)
		}
		return b, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func buildOrFail(t testing.TB, docs []Document) map[string][]byte {
	t.Helper()
	files, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// titles returns the titles of the hits, best first.
func titles(t *testing.T, s *Searcher, query string) []string {
	t.Helper()
	hits, err := s.Search(query)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range hits {
		r, err := s.Doc(h.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r.Title)
	}
	return out
}

func TestSearchRanking(t *testing.T) {
	s := searcherFor(t, buildOrFail(t, smallCorpus), nil)
	tests := []struct {
		query     string
		first     string   // expected best hit ("" = no hits)
		contains  []string // other titles that must be found
		notFound  []string // titles that must not be found
		exactHits int      // if > 0, the exact number of hits
	}{
		{query: "coree", first: "Corée du Nord", contains: []string{"Le programme nucléaire iranien", "Kim Jong-un"}},
		{query: "Corée", first: "Corée du Nord"},
		{query: "COREE", first: "Corée du Nord"},
		{query: "corée du nord", first: "Corée du Nord", contains: []string{"Kim Jong-un"}},
		{query: "ouch", first: "Iouri Ouchakov", exactHits: 1},
		{query: "Ouchakov", first: "Iouri Ouchakov", exactHits: 1},
		{query: "traités", first: "Traité sur la non-prolifération des armes nucléaires", contains: []string{"Traité d’amitié sino-nord-coréen"}, notFound: []string{"North Korea sanctions"}},
		{query: "treaty", contains: []string{"North Korea sanctions"}},
		{query: "sanction", first: "North Korea sanctions", contains: []string{"Corée du Nord"}},
		{query: "jong-un", first: "Kim Jong-un", contains: []string{"North Korea sanctions"}},
		{query: "jongun", first: "Kim Jong-un"},
		{query: "l’accord", first: "Le programme nucléaire iranien", exactHits: 1},
		{query: "1961", first: "North Korea sanctions", exactHits: 1}, // dates are not indexed
		{query: "nucleaires", first: "Traité sur la non-prolifération des armes nucléaires", contains: []string{"Le programme nucléaire iranien"}},
		{query: "le", contains: []string{"Le monde d'après", "Le programme nucléaire iranien"}, notFound: []string{"Corée du Nord"}},
		{query: "le monde", first: "Le monde d'après", exactHits: 1},
		{query: "the", exactHits: -1},
		{query: "zzzz", exactHits: -1},
		{query: "", exactHits: -1},
		{query: "« — »", exactHits: -1},
	}
	for _, tt := range tests {
		got := titles(t, s, tt.query)
		if tt.exactHits < 0 && len(got) > 0 {
			t.Errorf("%q: got %q, want no hits", tt.query, got)
		}
		if tt.exactHits > 0 && len(got) != tt.exactHits {
			t.Errorf("%q: got %d hits %q, want %d", tt.query, len(got), got, tt.exactHits)
		}
		if tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
			t.Errorf("%q: got %q, want %q first", tt.query, got, tt.first)
		}
		for _, c := range tt.contains {
			if !slices.Contains(got, c) {
				t.Errorf("%q: got %q, want it to contain %q", tt.query, got, c)
			}
		}
		for _, c := range tt.notFound {
			if slices.Contains(got, c) {
				t.Errorf("%q: got %q, want it not to contain %q", tt.query, got, c)
			}
		}
	}
}

// TestMatchTiers checks exact > stem > prefix with otherwise identical
// documents, and the deterministic tie-break by kind, title and URL.
func TestMatchTiers(t *testing.T) {
	docs := []Document{
		{URL: "d/prefix/", Kind: "dossier", Title: "Alpha", Text: "traiteur x y z"},
		{URL: "d/stem/", Kind: "dossier", Title: "Beta", Text: "traites x y z"},
		{URL: "d/exact/", Kind: "dossier", Title: "Gamma", Text: "traite x y z"},
		{URL: "q/b/", Kind: "quote", Title: "Same", Text: "zebra"},
		{URL: "q/a/", Kind: "quote", Title: "Same", Text: "zebra"},
		{URL: "a/z/", Kind: "actor", Title: "Zed", Text: "zebra"},
		{URL: "a/y/", Kind: "actor", Title: "Yod", Text: "zebra"},
		{URL: "d/z/", Kind: "dossier", Title: "Zulu", Text: "zebra"},
	}
	s := searcherFor(t, buildOrFail(t, docs), nil)
	urls := func(q string) []string {
		hits, err := s.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range hits {
			r, _ := s.Doc(h.ID)
			out = append(out, r.URL)
		}
		return out
	}
	if got, want := urls("traite"), []string{"d/exact/", "d/stem/", "d/prefix/"}; !slices.Equal(got, want) {
		t.Errorf("traite: got %q, want %q", got, want)
	}
	if got, want := urls("zebra"), []string{"d/z/", "a/y/", "a/z/", "q/a/", "q/b/"}; !slices.Equal(got, want) {
		t.Errorf("zebra: got %q, want %q", got, want)
	}
}

func TestBuildDeterministic(t *testing.T) {
	docs := append(slices.Clone(smallCorpus), genCorpus(60, 3)...)
	a := buildOrFail(t, docs)
	b := buildOrFail(t, docs)
	shuffled := slices.Clone(docs)
	rand.New(rand.NewPCG(7, 7)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	c := buildOrFail(t, shuffled)
	for name, want := range a {
		if !bytes.Equal(b[name], want) {
			t.Errorf("%s differs between two builds", name)
		}
		if !bytes.Equal(c[name], want) {
			t.Errorf("%s differs after shuffling the input", name)
		}
	}
	if len(b) != len(a) || len(c) != len(a) {
		t.Errorf("file counts differ: %d, %d, %d", len(a), len(b), len(c))
	}
	// A change in content changes the cache-busting hash.
	docs[0].Text += " nouveau"
	d := buildOrFail(t, docs)
	var ma, md indexMeta
	if err := json.Unmarshal(a["search/meta.json"], &ma); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(d["search/meta.json"], &md); err != nil {
		t.Fatal(err)
	}
	if ma.Hash == md.Hash {
		t.Errorf("hash %s unchanged after a content change", ma.Hash)
	}
}

// BuildText reads each text once, through its function only, and gives
// what Build gives for the same texts.
func TestBuildTextEqualsBuild(t *testing.T) {
	docs := append(slices.Clone(smallCorpus), genCorpus(60, 3)...)
	want := buildOrFail(t, docs)
	lazy := slices.Clone(docs)
	reads := make([]int, len(lazy))
	for i := range lazy {
		lazy[i].Text = ""
	}
	got, err := BuildText(lazy, func(i int) string {
		reads[i]++
		return docs[i].Text
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("%d files, want %d", len(got), len(want))
	}
	for name, data := range want {
		if !bytes.Equal(got[name], data) {
			t.Errorf("%s differs from Build's", name)
		}
	}
	for i, n := range reads {
		if n != 1 {
			t.Errorf("text of document %d read %d times, want once", i, n)
		}
	}
}

func TestBuildLayout(t *testing.T) {
	files := buildOrFail(t, smallCorpus)
	for name, b := range files {
		if !strings.HasPrefix(name, "search/") || !strings.HasSuffix(name, ".json") {
			t.Errorf("unexpected file %s", name)
		}
		if !json.Valid(b) {
			t.Errorf("%s: invalid JSON", name)
		}
	}
	var m indexMeta
	if err := json.Unmarshal(files["search/meta.json"], &m); err != nil {
		t.Fatal(err)
	}
	if m.Docs != len(smallCorpus) || !slices.Equal(m.Counts, []int{4, 2, 2, 1}) || m.Version != formatVersion {
		t.Errorf("meta = %+v", m)
	}
	for i := range m.Terms {
		if _, ok := files[fmt.Sprintf("search/t/%d.json", i)]; !ok {
			t.Errorf("missing term chunk %d", i)
		}
		if i > 0 && compareTerms(m.Terms[i-1], m.Terms[i]) >= 0 {
			t.Errorf("chunk boundaries out of order: %q, %q", m.Terms[i-1], m.Terms[i])
		}
	}
	for _, w := range m.Stop {
		if strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") != "" {
			t.Errorf("stop word %q is not a safe file name", w)
		}
		if _, ok := files["search/s/"+w+".json"]; !ok {
			t.Errorf("missing stop word file %s", w)
		}
	}
	// Stop words are not in term chunks, and are only indexed from titles.
	s := searcherFor(t, files, nil)
	if got := titles(t, s, "la"); slices.Contains(got, "Corée du Nord") || !slices.Contains(got, "Traité sur la non-prolifération des armes nucléaires") {
		t.Errorf("la: got %q", got)
	}
}

func TestBuildEscapesAndValidates(t *testing.T) {
	evil := `<img src=x onerror="alert(1)"> & </script>`
	files := buildOrFail(t, []Document{{URL: "a/x/", Kind: "actor", Title: evil, Text: evil + " \xff"}})
	chunk := files["search/d/0.json"]
	if bytes.ContainsAny(chunk, "<>") || !json.Valid(chunk) {
		t.Errorf("document chunk not escaped: %s", chunk)
	}
	s := searcherFor(t, files, nil)
	r, err := s.Doc(0)
	if err != nil || r.Title != evil {
		t.Errorf("Doc(0) = %+v, %v; want title %q back", r, err, evil)
	}

	for _, bad := range [][]Document{
		{{URL: "javascript:alert(1)", Kind: "actor"}},
		{{URL: "https://evil.example/", Kind: "actor"}},
		{{URL: "/actors/x/", Kind: "actor"}},
		{{URL: "//evil.example/", Kind: "actor"}},
		{{URL: "", Kind: "actor"}},
		{{URL: "a b/", Kind: "actor"}},
		{{URL: "a/", Kind: "person"}},
		{{URL: "a/", Kind: "actor"}, {URL: "a/", Kind: "quote"}},
	} {
		if _, err := Build(bad); err == nil {
			t.Errorf("Build(%+v) succeeded, want an error", bad)
		}
	}
	if _, err := Build([]Document{{URL: "dossiers/x/#q-3", Kind: "quote"}, {URL: "a/x:y/", Kind: "actor"}}); err != nil {
		t.Errorf("valid URLs rejected: %v", err)
	}
}

func TestBuildEmpty(t *testing.T) {
	files := buildOrFail(t, nil)
	s := searcherFor(t, files, nil)
	if hits, err := s.Search("coree"); err != nil || len(hits) != 0 {
		t.Errorf("Search on empty index = %v, %v", hits, err)
	}
}

func TestPostingsRoundTrip(t *testing.T) {
	var b []byte
	ids := []int{0, 1, 2, 40, 1000, 1 << 20, 1<<20 + 1}
	prev := -1
	for i, id := range ids {
		b = appendVarint(b, id-prev-1)
		b = append(b, postingAlphabet[i%64])
		prev = id
	}
	var got []int
	decodePostings(string(b), func(id, w int) {
		if w != len(got)%64 {
			t.Errorf("weight %d, want %d", w, len(got)%64)
		}
		got = append(got, id)
	})
	if !slices.Equal(got, ids) {
		t.Errorf("decoded %v, want %v", got, ids)
	}
	for _, bad := range []string{"!", "_", "0", "____________"} {
		decodePostings(bad, func(int, int) {}) // must not panic
	}
}

func TestCompareTerms(t *testing.T) {
	// UTF-16 order: U+FB01 sorts after supplementary characters.
	sorted := []string{"a", "ab", "b", "é", "\U0001d400", "\ufb01"}
	for i := 1; i < len(sorted); i++ {
		if compareTerms(sorted[i-1], sorted[i]) >= 0 || compareTerms(sorted[i], sorted[i-1]) <= 0 {
			t.Errorf("compareTerms(%q, %q) out of order", sorted[i-1], sorted[i])
		}
	}
	if compareTerms("x", "x") != 0 {
		t.Error("compareTerms(x, x) != 0")
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("mot ", 100)
	tests := []struct{ in, want string }{
		{"", ""},
		{"  a \n\t b  ", "a b"},
		{"x\xffy", "x\uFFFDy"},
		{long, strings.Repeat("mot ", 59) + "mot…"},
		{strings.Repeat("é", 200), strings.Repeat("é", 120) + "…"},
	}
	for _, tt := range tests {
		if got := excerpt("", tt.in); got != tt.want {
			t.Errorf("excerpt(%.20q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSeparator(t *testing.T) {
	for _, tt := range []struct{ prev, t, want string }{
		{"abc", "abd", "abd"},
		{"abc", "b", "b"},
		{"abc", "abcd", "abcd"},
		{"ab", "b-long", "b"},
		{"coree", "cotes", "cot"},
		{"é", "ü", "ü"},
	} {
		if got := separator(tt.prev, tt.t); got != tt.want {
			t.Errorf("separator(%q, %q) = %q, want %q", tt.prev, tt.t, got, tt.want)
		}
	}
}

// TestSearchFindsEveryTerm checks chunk lookups on an index with many small
// chunks: every indexed term is found by exact search, and by each prefix.
func TestSearchFindsEveryTerm(t *testing.T) {
	docs := genCorpus(40, 2)
	files := buildOrFail(t, docs)
	var m indexMeta
	if err := json.Unmarshal(files["search/meta.json"], &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Terms) < 5 {
		t.Fatalf("only %d term chunks; the test needs several", len(m.Terms))
	}
	s := searcherFor(t, files, nil)
	for k := range m.Terms {
		var chunk [][2]string
		if err := json.Unmarshal(files[fmt.Sprintf("search/t/%d.json", k)], &chunk); err != nil {
			t.Fatal(err)
		}
		for i, e := range chunk {
			if i%7 != 0 {
				continue // a sample keeps the test fast
			}
			if got := s.chunkOf(e[0]); got != k {
				t.Errorf("chunkOf(%q) = %d, want %d", e[0], got, k)
			}
			hits, err := s.Search(e[0])
			if err != nil || len(hits) < postingCount(e[1]) {
				t.Errorf("Search(%q) = %d hits, %v; want at least %d", e[0], len(hits), err, postingCount(e[1]))
			}
		}
	}
}

func FuzzSearch(f *testing.F) {
	files := buildOrFail(f, smallCorpus)
	for _, q := range []string{"coree", "ouch", "le monde", "jong-un", "l'", "\xff", "a-b-c-d"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		s := searcherFor(t, files, nil)
		hits, err := s.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range hits {
			if h.ID < 0 || h.ID >= len(smallCorpus) || h.Score <= 0 || i > 0 && hits[i-1].Score < h.Score {
				t.Fatalf("Search(%q): bad hit %d %+v", q, i, h)
			}
		}
	})
}

// A lead is indexed exactly as if joined to the text by a newline, by
// Build and by the incremental index, and excerpted joined by " · ".
func TestLeadEqualsJoinedText(t *testing.T) {
	leads := []string{"", "Résumé court-", "Un sommaire : l'accord", "  ", strings.Repeat("long lead ", 40)}
	texts := []string{"", "corps du texte, Putin's plan", "-suite du texte", strings.Repeat("mot ", 100)}
	var split, joined []Document
	for i, lead := range leads {
		for j, text := range texts {
			d := Document{URL: fmt.Sprintf("dossiers/d%d-%d/", i, j), Kind: "dossier", Title: "Titre " + lead, Lang: "fr", Text: text, Lead: lead}
			split = append(split, d)
			// The snippet shows them apart ("lead · text"); the
			// separator is no word, so the index is the same.
			if lead != "" {
				d.Text, d.Lead = lead+"\n"+text, ""
				if strings.TrimSpace(lead) != "" && strings.TrimSpace(text) != "" {
					d.Text = lead + excerptSeparator + text
				}
			}
			joined = append(joined, d)
			if got, want := excerpt(lead, text), excerpt("", d.Text); got != want {
				t.Errorf("excerpt(%q, %q) = %q, want %q", lead, text, got, want)
			}
		}
	}
	want, err := Build(joined)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Build(split)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(got, want, bytes.Equal) {
		t.Error("Build with leads differs from Build with joined text")
	}
	inc, err := NewIndex().Reset(split)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(inc, want, bytes.Equal) {
		t.Error("Index.Reset with leads differs from Build with joined text")
	}
}

// A snippet tells a lead from the text after it, and a quote's snippet
// does not repeat the words its title shows.
func TestSnippets(t *testing.T) {
	for _, tt := range []struct {
		doc  Document
		want string
	}{
		{Document{Lead: "Président de la Fédération de Russie", Text: "Vladimir Poutine dirige la Russie"},
			"Président de la Fédération de Russie · Vladimir Poutine dirige la Russie"},
		{Document{Lead: "Résumé.", Text: "  "}, "Résumé."},
		{Document{Lead: " ", Text: "Texte"}, "Texte"},
		{Document{Lead: "Le traité prévoit une assistance", LeadInTitle: true, Text: "déclaration après la signature"},
			"déclaration après la signature"},
	} {
		if got := tt.doc.snippet(tt.doc.Text); got != tt.want {
			t.Errorf("snippet of %+v = %q, want %q", tt.doc, got, tt.want)
		}
	}
}
