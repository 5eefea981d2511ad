package markdown

import (
	"context"
	"strings"
	"testing"
)

func TestHTMLText(t *testing.T) {
	tests := []struct {
		name, markdown, want string
		unsafe               bool
	}{
		{name: "blocks and inlines", markdown: "# Titre\n\nUn *mot* et `code`.\n\n```go\nskip()\n```\n", want: "Titre\nUn mot et code."},
		{name: "soft breaks are spaces", markdown: "une\nligne\n\ndeux", want: "une ligne\ndeux"},
		{name: "entities decoded", markdown: "A & B < C \"D\"", want: "A & B < C “D”"},
		{name: "lists", markdown: "- un\n- deux\n\n1. trois", want: "un\ndeux\ntrois"},
		{name: "wikilink shows its label", markdown: "Voir [[kim|le dirigeant]].", want: "Voir le dirigeant."},
		{name: "image alt", markdown: "![Une carte](carte.png) ici", want: "Une carte ici"},
		{name: "footnote marks left out", markdown: "Texte[^1].\n\n[^1]: La note.", want: "Texte.\nLa note."},
		{name: "table cells", markdown: "| a | b |\n|---|---|\n| c | d |", want: "a\nb\nc\nd"},
		{name: "escaped raw HTML reads as text", markdown: "<b>gras</b>", want: "<b>gras</b>"},
		{name: "raw script left out when allowed", markdown: "a\n\n<script>alert(1)</script>\n\nb", want: "a\nb", unsafe: true},
		{name: "empty", markdown: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(Options{Unsafe: tt.unsafe})
			doc, err := e.Parse(context.Background(), []byte(tt.markdown), "en")
			if err != nil {
				t.Fatal(err)
			}
			out, err := e.Render(doc, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := HTMLText(string(out)); got != tt.want {
				t.Errorf("HTMLText(%q) = %q, want %q", out, got, tt.want)
			}
		})
	}
}

func TestHTMLTextMalformed(t *testing.T) {
	for in, want := range map[string]string{
		"a <b":                         "a",
		"<pre>never closed":            "",
		"x</p>y":                       "x\ny",
		"<P>UP</P>":                    "UP",
		"<img alt=\"&amp;\">":          "&",
		"a<svg viewBox=\"0 0 1 1\"/>b": "ab",
		"a<svg><text>no</text></svg>b": "ab",
		"a<!-- x > y -->b":             "ab",
		"a<!-- never closed":           "a",
	} {
		if got := HTMLText(in); got != want {
			t.Errorf("HTMLText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTruncate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"un deux trois quatre cinq", 12, "un deux…"},
		{"court", 12, "court"},
		{"  des   espaces\n partout ", 40, "des espaces partout"},
		{"une phrase, coupée après la virgule", 12, "une phrase…"},
		// A cut never leaves a quotation open: back before it, or closed.
		{"Il a parlé du « meilleur ami de la Corée du Nord »", 30, "Il a parlé du…"},
		{"« Le traité garantira de manière fiable l’alliance »", 30, "« Le traité garantira de… »"},
		{"Il a dit « le “meilleur ami” du pays, le seul » hier", 30, "Il a dit « le “meilleur ami”… »"},
		{"Le président russe a dit « le “meilleur ami” du pays, le seul » hier", 50, "Le président russe a dit…"},
		{"« Il a dit “le meilleur ami” du pays » hier", 20, "« Il a dit “le…” »"},
		{"l’ami d’un « ami » qui parle longtemps", 25, "l’ami d’un « ami » qui…"},
	} {
		if got := Truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestNestQuotesText(t *testing.T) {
	for _, tc := range []struct {
		in    string
		depth int
		want  string
	}{
		{"« meilleur ami » de la Corée du Nord", 1, "“meilleur ami” de la Corée du Nord"},
		{"« meilleur ami » de la Corée du Nord", 0, "« meilleur ami » de la Corée du Nord"},
		{"« a « b « c » b » a »", 0, "« a “b ‘c’ b” a »"},
		{"« a « b « c « d » c » b » a »", 0, "« a “b ‘c ‘d’ c’ b” a »"},
		{"» seul « ouvert", 0, "» seul « ouvert"},
		{"sans guillemets", 1, "sans guillemets"},
	} {
		if got := NestQuotesText(tc.in, tc.depth); got != tc.want {
			t.Errorf("NestQuotesText(%q, %d) = %q, want %q", tc.in, tc.depth, got, tc.want)
		}
	}
}

func TestFrenchText(t *testing.T) {
	const nn, nb = "\u202F", "\u00A0"
	for _, tc := range []struct{ in, want string }{
		{"Corée du Nord : le pacte", "Corée du Nord" + nb + ": le pacte"},
		{"Vraiment ? Oui !", "Vraiment" + nn + "? Oui" + nn + "!"},
		{"un « pacte » ; deux", "un «" + nn + "pacte" + nn + "»" + nn + "; deux"},
		{"le « meilleur « ami » »", "le «" + nn + "meilleur “ami”" + nn + "»"},
		{"https://example.org/?q=1 12:30", "https://example.org/?q=1 12:30"},
		{"", ""},
	} {
		got := FrenchText(tc.in)
		if got != tc.want {
			t.Errorf("FrenchText(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if again := FrenchText(got); again != got {
			t.Errorf("FrenchText is not idempotent on %q: %q", got, again)
		}
	}
}

// TestFrenchTextUnchangedIsNotCopied: a text French typography leaves as
// it was comes back without an allocation (a French build passes every
// page's title, description and JSON-LD strings through it), and a text
// it changes is its own copy.
func TestFrenchTextUnchangedIsNotCopied(t *testing.T) {
	for _, s := range []string{"https://example.org/acteurs/kim-jong-un/", "2024-06-19", "Corée du Nord" + "\u00A0" + ": le pacte", strings.Repeat("un texte assez long ", 40)} {
		if allocs := testing.AllocsPerRun(50, func() { _ = FrenchText(s) }); allocs != 0 {
			t.Errorf("FrenchText(%.30q…) allocates %v times, want 0", s, allocs)
		}
	}
	src := []byte("Vraiment ? Oui !")
	got := FrenchText(string(src))
	copy(src, "XXXXXXXXXXXXXXXX")
	if got != "Vraiment\u202F? Oui\u202F!" {
		t.Errorf("FrenchText's result changed with its source: %q", got)
	}
}

// FuzzNestQuotes: any fragment keeps its tags, never gains a guillemet,
// and no text function panics on it.
func FuzzNestQuotes(f *testing.F) {
	for _, s := range []string{"« a « b » c »", "<p>« a <a href=\"«\">« b</a> » »</p>", "<code>« « »</code> « « » »", "»»««", "\xc2«"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := NestQuotes([]byte(s))
		if strings.Count(string(out), "<") != strings.Count(s, "<") {
			t.Fatalf("tags changed: %q → %q", s, out)
		}
		if strings.Count(string(out), "«") > strings.Count(s, "«") || strings.Count(string(out), "»") > strings.Count(s, "»") {
			t.Fatalf("guillemets added: %q → %q", s, out)
		}
		_ = FrenchText(s)
		_ = Truncate(s, 10)
	})
}

// TestTruncateAsRunes: Truncate cuts as the slice of runes of the text
// with its words one space apart would (truncateRunes), whatever the
// spaces, quotation marks and bytes.
func TestTruncateAsRunes(t *testing.T) {
	texts := []string{"", " ", "a", "  lead and trail  ", "one two\tthree\nfour\u00a0five\u2003six",
		"« Un long discours sur la défense » et la suite", "Il a dit “non, jamais” puis ‘peut-être’ enfin",
		"bad \xff byte here and there \xfe", "été à l'œuvre, déjà là — ça va ?", strings.Repeat("mot ", 80)}
	for _, s := range texts {
		for n := 0; n <= 90; n += 3 {
			if got, want := Truncate(s, n), truncateRunes(s, n); got != want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", s, n, got, want)
			}
		}
	}
}

// FuzzTruncate: Truncate is truncateRunes, the cut of a []rune.
func FuzzTruncate(f *testing.F) {
	f.Add("« Un long discours » et  la suite", 10)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = max(0, n%300)
		if got, want := Truncate(s, n), truncateRunes(s, n); got != want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", s, n, got, want)
		}
	})
}

// TestTruncateAllocates: a text whose words are one space apart is cut
// without copies of the whole (a 10,000-dossier rebuild made ~130 MB of
// such copies, its quotes' titles and descriptions signed).
func TestTruncateAllocates(t *testing.T) {
	s := strings.TrimSpace(strings.Repeat("La mutuelle assistance lie les deux parties. ", 20))
	if n := testing.AllocsPerRun(10, func() { Truncate(s, 5000) }); n != 0 {
		t.Errorf("Truncate of a text shorter than the cut: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(10, func() { Truncate(s, 200) }); n > 1 {
		t.Errorf("Truncate of a long text: %v allocations, want at most 1 (the cut with its \"…\")", n)
	}
}
