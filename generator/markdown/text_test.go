package markdown

import (
	"context"
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
	} {
		if got := Truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
