package search

import (
	"encoding/json"
	"os"
	"testing"
)

// vectors is testdata/vectors.json: expected tokenizer, normalizer and
// stemmer outputs shared by the Go tests and the JavaScript client tests.
// Token offsets are UTF-8 byte offsets.
type vectors struct {
	Tokenize  []tokenVector `json:"tokenize"`
	Normalize []normVector  `json:"normalize"`
	Stem      []stemVector  `json:"stem"`
}

type tokenVector struct {
	Text   string   `json:"text"`
	Tokens [][3]any `json:"tokens"` // [term, start, end]
}

type normVector struct {
	In  string `json:"in"`
	Out string `json:"out"`
}

type stemVector struct {
	Term string `json:"term"`
	Lang string `json:"lang"`
	Stem string `json:"stem"`
}

func loadVectors(t *testing.T) vectors {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Tokenize) == 0 || len(v.Normalize) == 0 || len(v.Stem) == 0 {
		t.Fatal("empty vectors")
	}
	return v
}

// tokenString renders vector tokens like terms() renders tokens.
func tokenString(toks [][3]any) []Token {
	out := make([]Token, len(toks))
	for i, tok := range toks {
		out[i] = Token{Term: tok[0].(string), Start: int(tok[1].(float64)), End: int(tok[2].(float64))}
	}
	return out
}

func TestVectors(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Tokenize {
		if got, want := terms(Tokenize(c.Text, "fr")), terms(tokenString(c.Tokens)); got != want {
			t.Errorf("Tokenize(%q)\n got %s\nwant %s", c.Text, got, want)
		}
	}
	for _, c := range v.Normalize {
		if got := Normalize(c.In); got != c.Out {
			t.Errorf("Normalize(%q) = %q, want %q", c.In, got, c.Out)
		}
	}
	for _, c := range v.Stem {
		if got := Stem(c.Term, c.Lang); got != c.Stem {
			t.Errorf("Stem(%q, %q) = %q, want %q", c.Term, c.Lang, got, c.Stem)
		}
	}
}
