package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

const jsClient = "../../assets/js/search.js"

// TestJSFoldTableIdentical checks, without node, that the client embeds the
// same accent folding table.
func TestJSFoldTableIdentical(t *testing.T) {
	src, err := os.ReadFile(jsClient)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte("const FOLD_TABLE = '"+foldTable+"';")) {
		t.Error("assets/js/search.js FOLD_TABLE differs from foldTable")
	}
	t.Logf("search.js: %d bytes", len(src))
	if len(src) > 20<<10 {
		t.Errorf("search.js is %d bytes; keep it under 20 KB", len(src))
	}
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if bytes.Contains(src, []byte(bad)) {
			t.Errorf("search.js uses %s; insert results with DOM APIs and textContent only", bad)
		}
	}
}

// runJS runs testdata/harness.js in mode with input as JSON on stdin and
// decodes its output into out. It skips the test if node is not installed.
func runJS(t *testing.T, mode string, input, out any) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	// Read the scripts here so that the test cache notices their changes.
	for _, f := range []string{jsClient, "testdata/harness.js"} {
		if _, err := os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
	in, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "testdata/harness.js", jsClient, mode)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("node harness %s: %v\n%s", mode, err, stderr.Bytes())
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("node harness %s: %v", mode, err)
	}
}

func TestJSVectors(t *testing.T) {
	v := loadVectors(t)
	var got struct {
		Tokenize  [][][3]any `json:"tokenize"`
		Normalize []string   `json:"normalize"`
		Stem      []string   `json:"stem"`
	}
	runJS(t, "vectors", v, &got)
	for i, c := range v.Tokenize {
		if g, w := terms(tokenString(got.Tokenize[i])), terms(tokenString(c.Tokens)); g != w {
			t.Errorf("JS tokenize(%q)\n got %s\nwant %s", c.Text, g, w)
		}
	}
	for i, c := range v.Normalize {
		if got.Normalize[i] != c.Out {
			t.Errorf("JS normalize(%q) = %q, want %q", c.In, got.Normalize[i], c.Out)
		}
	}
	for i, c := range v.Stem {
		if got.Stem[i] != c.Stem {
			t.Errorf("JS stem(%q, %q) = %q, want %q", c.Term, c.Lang, got.Stem[i], c.Stem)
		}
	}
}

// assignedInGo reports whether r is assigned in Go's Unicode tables; newer
// characters known only to node's ICU are not compared.
func assignedInGo(r rune) bool {
	return !unicode.Is(unassigned, r)
}

var unassigned = unicode.Categories["Cn"]

// TestJSUnicode compares Normalize and the word-character class of every code
// point with the client.
func TestJSUnicode(t *testing.T) {
	var got struct {
		Norm  [][2]any   `json:"norm"`
		Words [][2]int32 `json:"words"`
	}
	runJS(t, "unicode", struct{}{}, &got)
	jsNorm := make(map[rune]string, len(got.Norm))
	for _, e := range got.Norm {
		jsNorm[rune(e[0].(float64))] = e[1].(string)
	}
	jsWord := func(r rune) bool {
		i, _ := slices.BinarySearchFunc(got.Words, r, func(rg [2]int32, r rune) int {
			if rg[1] < r {
				return -1
			}
			if rg[0] > r {
				return 1
			}
			return 0
		})
		return i < len(got.Words) && got.Words[i][0] <= r && r <= got.Words[i][1]
	}
	diffs := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) || !assignedInGo(r) {
			continue
		}
		s := string(r)
		js, ok := jsNorm[r]
		if !ok {
			js = s
		}
		goNorm := Normalize(s)
		if goNorm != js || isWordRune(r) != jsWord(r) {
			if diffs++; diffs <= 20 {
				t.Errorf("U+%04X %q: Go normalize %q word %v, JS %q word %v", r, s, goNorm, isWordRune(r), js, jsWord(r))
			}
		}
	}
	if diffs > 20 {
		t.Errorf("%d differences in all", diffs)
	}
}

// parityQueries returns hand-picked queries and, for words picked by
// frequency, the word, its first three runes and all but its last rune.
func parityQueries(docs []Document) []string {
	qs := []string{"con", "tra", "pre", "par", "ter", "coree", "Corée du Nord", "ouch", "traités", "jong-un", "l'accord", "le", "le monde", "the who",
		"sanction", "nucleaires", "1961", "zzzz", "", "« — »", "traite traites", "kim corée", "dʼattaque"}
	one, two := typicalQueries(docs)
	for _, q := range append(one[:5], two[:3]...) {
		qs = append(qs, q, q[:3], q[:len(q)-1])
	}
	return qs
}

type jsResult struct {
	Terms []string `json:"terms"`
	Stop  bool     `json:"stop"`
	Hits  [][3]any `json:"hits"`
	Files []string `json:"files"`
	Ms    float64  `json:"ms"`  // wall time
	CPU   float64  `json:"cpu"` // CPU time, ms
}

// TestJSSearchParity runs the same queries through the client and through
// Searcher: same hits in the same order with the same scores, from the
// same downloaded files. The index has small chunks, so that queries span
// several files.
func TestJSSearchParity(t *testing.T) {
	docs := append(slices.Clone(smallCorpus), genCorpus(300, 3)...)
	files, err := build(docs, nil, nil, 4<<10, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFiles(t, dir, files)
	queries := parityQueries(docs)
	var got []jsResult
	runJS(t, "search", map[string]any{"dir": dir, "queries": queries}, &got)
	for i, q := range queries {
		var loaded []string
		s, err := NewSearcher(func(name string) ([]byte, error) {
			loaded = append(loaded, name)
			return files[name], nil
		})
		if err != nil {
			t.Fatal(err)
		}
		hits, err := s.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) > 0 {
			s.Doc(hits[0].ID)
		}
		slices.Sort(loaded)
		if !slices.Equal(loaded, got[i].Files) {
			t.Errorf("%q: JS loaded %q, Go %q", q, got[i].Files, loaded)
		}
		terms, stop := queryTerms(q)
		if !slices.Equal(terms, got[i].Terms) && len(terms)+len(got[i].Terms) > 0 || stop != got[i].Stop {
			t.Errorf("%q: JS terms %q stop %v, Go %q %v", q, got[i].Terms, got[i].Stop, terms, stop)
		}
		var g, w []string
		for _, h := range got[i].Hits {
			g = append(g, fmt.Sprintf("%v:%v:%v", h[0], h[1], h[2]))
		}
		for _, h := range hits {
			w = append(w, fmt.Sprintf("%d:%v:%s", h.ID, h.Score, h.Kind))
		}
		if !slices.Equal(g, w) {
			t.Errorf("%q: JS and Go hits differ\n JS %s\n Go %s", q, strings.Join(g[:min(len(g), 10)], " "), strings.Join(w[:min(len(w), 10)], " "))
		}
	}
}

func TestJSSnippet(t *testing.T) {
	text := "Dirigeant de la Corée du Nord depuis 2011, petit-fils de Kim Il-sung. " + strings.Repeat("Texte de remplissage. ", 20) + "Fin du Kremlin."
	cases := []struct {
		Text  string   `json:"text"`
		Terms []string `json:"terms"`
		Stop  bool     `json:"stop"`
		Size  int      `json:"size"`
		want  string
	}{
		{Text: "Corée du Nord", Terms: []string{"coree"}, Size: 180, want: "[Corée] du Nord"},
		{Text: "Kim Jong-un et Jong", Terms: []string{"jongun", "jong", "un"}, Size: 180, want: "Kim [Jong-un] et [Jong]"},
		{Text: "Les traités d’amitié", Terms: []string{"traite"}, Size: 180, want: "Les [traités] d’amitié"},
		{Text: "Ouchakov, l’Ouchakovien", Terms: []string{"ouch"}, Size: 180, want: "[Ouchakov], l’[Ouchakovien]"},
		{Text: "le Monde et le reste", Terms: []string{"le", "monde"}, Stop: true, Size: 180, want: "[le] [Monde] et [le] reste"},
		{Text: "<b>x</b> & y", Terms: []string{"x"}, Size: 180, want: "<b>[x]</b> & y"},
		{Text: text, Terms: []string{"kremlin"}, Size: 60, want: "… Texte de remplissage. Texte de remplissage. Fin du [Kremlin]."},
		{Text: text, Terms: []string{"coree"}, Size: 40, want: "Dirigeant de la [Corée] du Nord depuis …"},
	}
	var got []struct {
		Text   string   `json:"text"`
		Ranges [][2]int `json:"ranges"`
	}
	runJS(t, "snippet", cases, &got)
	for i, c := range cases {
		u := utf16Of(got[i].Text)
		var b strings.Builder
		p := 0
		for _, r := range got[i].Ranges {
			b.WriteString(fromUTF16(u[p:r[0]]) + "[" + fromUTF16(u[r[0]:r[1]]) + "]")
			p = r[1]
		}
		b.WriteString(fromUTF16(u[p:]))
		if b.String() != c.want {
			t.Errorf("snippet(%.30q, %q)\n got %q\nwant %q", c.Text, c.Terms, b.String(), c.want)
		}
	}
}
