package search

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// terms renders tokens as "term@start-end" for compact comparisons.
func terms(toks []Token) string {
	var b []string
	for _, t := range toks {
		b = append(b, fmt.Sprintf("%s@%d-%d", t.Term, t.Start, t.End))
	}
	return strings.Join(b, " ")
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", ""},
		{"spaces and punctuation only", "  ,;. — … « » “ ” !? ", ""},
		{"accents and case", "Corée du Nord", "coree@0-6 du@7-9 nord@10-14"},
		{"decomposed accent", "Core\u0301e", "coree@0-7"},
		{"ligature", "Œuvre", "oeuvre@0-6"},
		{"elision apostrophe", "l'accord", "accord@2-8"},
		{"elision typographic apostrophe", "d’attaque", "attaque@4-11"},
		{"elision upper case", "L’Accord", "accord@4-10"},
		{"elision qu", "qu'il", "il@3-5"},
		{"elision jusqu", "jusqu’à", "a@8-10"},
		{"elision then compound", "l'Île-de-France", "iledefrance@2-16 ile@2-6 de@7-9 france@10-16"},
		{"not an elision", "aujourd'hui", "aujourdhui@0-11 aujourd@0-7 hui@8-11"},
		{"English contraction", "don't", "dont@0-5 don@0-3 t@4-5"},
		{"English possessive", "Putin's speech", "putin@0-5 speech@8-14"},
		{"possessive typographic", "Kim Jong-un’s", "kim@0-3 jongun@4-11 jong@4-8 un@9-11"},
		{"plural possessive apostrophe", "students' union", "students@0-8 union@10-15"},
		{"O'Neill", "O'Neill", "oneill@0-7 o@0-1 neill@2-7"},
		{"hyphen compound", "Kim Jong-un", "kim@0-3 jongun@4-11 jong@4-8 un@9-11"},
		{"unicode hyphen", "Jong‐un", "jongun@0-9 jong@0-4 un@7-9"},
		{"dangling hyphen and apostrophe", "-abc- l' 'x", "abc@1-4 l@6-7 x@10-11"},
		{"double joiner splits", "rock--roll", "rock@0-4 roll@6-10"},
		{"em dash separates", "paix—guerre", "paix@0-4 guerre@7-13"},
		{"digits", "En 1961, 3,5 %", "en@0-2 1961@3-7 3@9-10 5@11-12"},
		{"digits and letters", "2e arrondissement", "2e@0-2 arrondissement@3-17"},
		{"number range", "1961-1962", "19611962@0-9 1961@0-4 1962@5-9"},
		{"french quotes", "«Paix»", "paix@2-6"},
		{"english quotes", "“peace”", "peace@3-8"},
		{"soft hyphen", "inter\u00adnational", "international@0-15"},
		{"trailing soft hyphen", "mot\u00ad", "mot@0-3"},
		{"invalid UTF-8", "ab\xffcd \xc3", "ab@0-2 cd@3-5"},
		{"invalid UTF-8 after apostrophe", "l'\xff", "l@0-1"},
		{"cyrillic", "Ушаков", "ушаков@0-12"},
		{"greek", "Αθήνα", "αθηνα@0-10"},
		{"modifier apostrophe", "dʼattaque", "attaque@3-10"},
		{"lone mark", "\u0301 a", "a@3-4"},
		{"mark-only part dropped", "ab-\u0301", "ab@0-2"},
		{"turkish dotted I", "İstanbul", "istanbul@0-9"},
		{"sharp s", "Straße", "strasse@0-7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := terms(Tokenize(tt.text, "fr")); got != tt.want {
				t.Errorf("Tokenize(%q)\n got %s\nwant %s", tt.text, got, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"coree", "coree"},
		{"Corée", "coree"},
		{"CORÉE", "coree"},
		{"Ouchakov", "ouchakov"},
		{"Œuvre", "oeuvre"},
		{"Ærø", "aero"},
		{"Łódź", "lodz"},
		{"Nguyễn", "nguyen"},
		{"Ștefan", "stefan"},
		{"ÉTATS", "etats"},
		{"Ёлка", "елка"},
		{"ΣΟΦΊΑ", "σοφια"},
		{"ﬁn", "fin"},
		{"a\u0301", "a"},
		{"x\xff\xfey", "xy"},
		{"inter\u00adnational", "international"},
		{"İ", "i"},
		{"北京", "北京"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTokenizeInvariants checks the properties the fuzz test checks on a
// corpus of awkward strings.
func TestTokenizeInvariants(t *testing.T) {
	for _, s := range []string{"\xff\xfe", "a'", "'a", "a-'b", "l'l'l", "-", "\u00ad\u00ad", "é\u0301\u0301", strings.Repeat("a-", 100)} {
		checkTokens(t, s, Tokenize(s, "en"))
	}
}

func checkTokens(t *testing.T, text string, toks []Token) {
	t.Helper()
	prev := 0
	for _, tok := range toks {
		if tok.Term == "" || !utf8.ValidString(tok.Term) {
			t.Fatalf("Tokenize(%q): bad term %q", text, tok.Term)
		}
		if tok.Start < prev || tok.Start >= tok.End || tok.End > len(text) {
			t.Fatalf("Tokenize(%q): bad offsets %d-%d after %d", text, tok.Start, tok.End, prev)
		}
		prev = tok.Start
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"Kim Jong-un", "l'accord d’attaque", "don't Putin's", "«Corée» 1961 — …", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		toks := Tokenize(text, "fr")
		checkTokens(t, text, toks)
		for _, tok := range toks {
			// A term is the normalization of its own text, minus joiners and
			// an elided article.
			if n := Normalize(text[tok.Start:tok.End]); !strings.Contains(strings.Map(dropJoiners, n), tok.Term) {
				t.Fatalf("Tokenize(%q): term %q not derived from %q", text, tok.Term, text[tok.Start:tok.End])
			}
			if Normalize(tok.Term) != tok.Term {
				t.Fatalf("Tokenize(%q): term %q is not normalized", text, tok.Term)
			}
		}
	})
}

func dropJoiners(r rune) rune {
	if isApostrophe(r) || isHyphen(r) {
		return -1
	}
	return r
}
