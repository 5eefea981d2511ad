package markdown

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseWikiTarget(t *testing.T) {
	tests := []struct {
		in, target, frag, label string
		ok                      bool
	}{
		{"kim-jong-un", "kim-jong-un", "", "", true},
		{"kim-jong-un|Kim", "kim-jong-un", "", "Kim", true},
		{" Kim Jong-un ", "Kim Jong-un", "", "", true},
		{"pact#article-4|l'article 4", "pact", "article-4", "l'article 4", true},
		{"|label", "", "", "", false},
		{"", "", "", "", false},
		{"a\nb", "", "", "", false},
		{"a[b", "", "", "", false},
	}
	for _, tt := range tests {
		target, frag, label, ok := ParseWikiTarget(tt.in)
		if target != tt.target || frag != tt.frag || label != tt.label || ok != tt.ok {
			t.Errorf("ParseWikiTarget(%q) = %q %q %q %v", tt.in, target, frag, label, ok)
		}
	}
}

func render(t *testing.T, e *Engine, lang, src string) string {
	t.Helper()
	doc, err := e.Parse(context.Background(), []byte(src), lang)
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.Render(doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestRender(t *testing.T) {
	safe := New(Options{})
	tests := []struct {
		name, lang, in string
		want           []string
		not            []string
	}{
		{"wikilink unresolved keeps text", "en", "See [[kim-jong-un|Kim]].", []string{`<a class="wikilink" href="">Kim</a>`}, nil},
		{"raw html escaped", "en", "Hi <script>alert(1)</script>\n\n<div onclick=x>block</div>\n", []string{"&lt;script&gt;", "&lt;div onclick=x&gt;"}, []string{"<script>", "<div onclick"}},
		{"gfm table", "en", "| a | b |\n|---|---|\n| 1 | 2 |\n", []string{"<table>", "<td>1</td>"}, nil},
		{"strikethrough and autolink", "en", "~~old~~ https://example.org", []string{"<del>old</del>", `<a href="https://example.org">`}, nil},
		{"footnote", "en", "Fact.[^1]\n\n[^1]: Source.\n", []string{`class="footnote-ref"`, "Source."}, nil},
		{"heading id folds accents", "fr", "## « Une nouvelle ère »\n", []string{`id="une-nouvelle-ere"`}, nil},
		{"duplicate headings get numbered ids", "en", "## A\n\n## A\n", []string{`id="a"`, `id="a-1"`}, nil},
		{"french quotes from straight quotes", "fr", `Il a dit "oui".`, []string{"«oui»"}, nil},
		{"nested french quotes", "fr", `Il a dit : "le "meilleur ami" du pays".`, []string{"«le “meilleur ami” du pays»"}, []string{"««", "»»"}},
		{"nested typed guillemets, spaces dropped inside “ ”", "fr", "« un « vrai » ami »", []string{"« un “vrai” ami »"}, nil},
		{"nested across a link", "fr", `« le ["pacte"](https://x.org) »`, []string{`« le <a href="https://x.org">“pacte”</a> »`}, nil},
		{"code keeps its guillemets", "fr", "« a `« b »` c »", []string{"<code>« b »</code>"}, nil},
		{"english curly quotes", "en", `He said "yes".`, []string{"“yes”"}, nil},
		{"code highlighted with classes", "en", "```go\nfunc main() {}\n```\n", []string{`<div class="code" data-lang="go">`, `class="kd"`}, []string{"style="}},
		{"code without language escaped", "en", "```\n<b>\n```\n", []string{"&lt;b&gt;"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, safe, tt.lang, tt.in)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(out, n) {
					t.Errorf("output has %q:\n%s", n, out)
				}
			}
		})
	}
	unsafe := New(Options{Unsafe: true})
	if out := render(t, unsafe, "en", "<b>bold</b>\n"); !strings.Contains(out, "<b>bold</b>") {
		t.Errorf("unsafe mode escaped raw HTML: %s", out)
	}
}

func TestFrenchSpacing(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>Pourquoi ?</p>", "<p>Pourquoi\u202f?</p>"},
		{"<p>Pourquoi?</p>", "<p>Pourquoi\u202f?</p>"},
		{"<p>Titre : sous-titre</p>", "<p>Titre\u00a0: sous-titre</p>"},
		{"<p>« nouvelle ère »</p>", "<p>«\u202fnouvelle ère\u202f»</p>"},
		{"<p>«oui»</p>", "<p>«\u202foui\u202f»</p>"},
		{"<p>Hein!?</p>", "<p>Hein\u202f!?</p>"},
		{"<p>à 12:30 sur https://x.org/?q=1</p>", "<p>à 12:30 sur https://x.org/?q=1</p>"},
		{`<a href="/x?y=1" title="a : b">lien</a>`, `<a href="/x?y=1" title="a : b">lien</a>`},
		{"<pre><code>a ; b ?</code></pre><p>c ; d</p>", "<pre><code>a ; b ?</code></pre><p>c\u202f; d</p>"},
		{"<script>if (a ? b : c) {}</script>", "<script>if (a ? b : c) {}</script>"},
		{"<p>déjà\u00a0:</p>", "<p>déjà\u00a0:</p>"},
		{"<p>L’« <a>Accord</a> » et «<a>x</a>»</p>", "<p>L’«\u202f<a>Accord</a>\u202f» et «\u202f<a>x</a>\u202f»</p>"},
		{"<p><a>lien</a> ? <a>b</a>?</p>", "<p><a>lien</a>\u202f? <a>b</a>?</p>"},
		{"<p>note.&#160;<a>&#x21a9;&#xfe0e;</a> a &amp; b ; c</p>", "<p>note.&#160;<a>&#x21a9;&#xfe0e;</a> a &amp; b\u202f; c</p>"},
	}
	for _, tt := range tests {
		if got := string(FrenchSpacing([]byte(tt.in))); got != tt.want {
			t.Errorf("FrenchSpacing(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Corée du Nord !": "coree-du-nord", "  Kim Jong-un ": "kim-jong-un", "Œuvre": "oeuvre", "": "", "???": "",
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzWikiTarget(f *testing.F) {
	for _, s := range []string{"kim", "a|b", "a#b|c", "", "|", "[[x]]", "a\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		target, _, _, ok := ParseWikiTarget(s)
		if ok && (target == "" || strings.ContainsAny(target, "[]\n|#")) {
			t.Errorf("ParseWikiTarget(%q) accepted target %q", s, target)
		}
	})
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{"[[a]]", "[[a|b]] c", "## T\n\n> q", "```go\nx\n```", "<script>", "« a »"} {
		f.Add(s)
	}
	e := New(Options{})
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := e.Parse(context.Background(), []byte(s), "fr")
		if err != nil {
			if !IsLimit(err) {
				t.Fatal(err)
			}
			return
		}
		out, err := e.Render(doc, nil)
		if err != nil {
			return
		}
		if strings.Contains(string(out), "<script") {
			t.Errorf("raw script survived: %q", out)
		}
		text := HTMLText(string(out))
		if utf8.ValidString(s) && !utf8.ValidString(text) {
			t.Errorf("HTMLText(%q) = %q: not UTF-8", out, text)
		}
		if text != strings.TrimSpace(text) {
			t.Errorf("HTMLText(%q) = %q: untrimmed", out, text)
		}
		FrenchSpacing(out)
	})
}

func TestImages(t *testing.T) {
	e := New(Options{})
	src := "Intro.\n\n![Une carte](carte.png \"Les sites | Carte : Y\")\n\nDans ![](a.png) une phrase ![décor](b.png).\n\n![decorative](filet.png)\n"
	for _, compact := range []bool{false, true} {
		parse := e.Parse
		if compact {
			parse = e.ParseCompact
		}
		doc, err := parse(context.Background(), []byte(src), "fr")
		if err != nil {
			t.Fatal(err)
		}
		got := doc.Images()
		want := []Image{
			{Dest: "carte.png", Alt: "Une carte", Title: "Les sites | Carte : Y", Alone: true, Offset: strings.Index(src, "![Une")},
			{Dest: "a.png", Offset: strings.Index(src, "![]")},
			{Dest: "b.png", Alt: "décor", Offset: strings.Index(src, "![décor")},
			{Dest: "filet.png", Alt: "decorative", Alone: true, Offset: strings.Index(src, "![decorative")},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("compact=%v:\n got %+v\nwant %+v", compact, got, want)
		}
		if c, cr := got[0].Caption(); c != "Les sites" || cr != "Carte : Y" {
			t.Errorf("caption %q, credit %q", c, cr)
		}
		pics := []Picture{
			{Src: "/m/c.800.png", Width: 800, Height: 600, SrcSet: "/m/c.480.png 480w, /m/c.800.png 800w", WebPSrcSet: "/m/c.480.webp 480w", Alt: "Une carte", Caption: "Les sites", Credit: "Carte : Y"},
			{}, // no answer: stays an <img>
			{Src: "/m/b.png", Width: 10, Height: 10, Alt: "décor"},
		}
		out, err := e.Render(doc, nil, pics...)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			`<figure><picture><source type="image/webp" srcset="/m/c.480.webp 480w" sizes="` + BodySizes + `"><img src="/m/c.800.png" srcset="/m/c.480.png 480w, /m/c.800.png 800w" sizes="` + BodySizes + `" width="800" height="600" style="aspect-ratio:800/600" alt="Une carte" loading="lazy" decoding="async"></picture><figcaption>Les sites <span class="credit">Carte : Y</span></figcaption></figure>`,
			`<img src="a.png" alt="">`,
			`une phrase <picture><img src="/m/b.png" width="10" height="10" style="aspect-ratio:10/10" alt="décor" loading="lazy" decoding="async"></picture>`,
			`<img src="filet.png" alt="decorative">`,
		} {
			if !strings.Contains(string(out), want) {
				t.Errorf("compact=%v: lacks %s in\n%s", compact, want, out)
			}
		}
	}
}

func FuzzImages(f *testing.F) {
	for _, s := range []string{"![a](b.png)", "x ![](c) y", "![a ![b](c)](d \"t | u\")", "[![a](b)](c)", "- ![a](b)\n", "![a](<b c> 't')"} {
		f.Add(s)
	}
	e := New(Options{})
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := e.ParseCompact(context.Background(), []byte(s), "fr")
		if err != nil {
			return
		}
		images := doc.Images()
		pics := make([]Picture, len(images))
		for i, im := range images {
			if im.Offset >= 0 && !strings.HasPrefix(s[im.Offset:], "![") {
				t.Fatalf("image %d offset %d is not at ![ in %q", i, im.Offset, s)
			}
			pics[i] = Picture{Src: "/m/" + strconv.Itoa(i) + ".png", Width: 1, Height: 1, Alt: im.Alt, Caption: im.Title}
		}
		out, err := e.Render(doc, nil, pics...)
		if err != nil {
			return
		}
		if n := strings.Count(string(out), "<picture>"); n != len(images) {
			t.Errorf("%d images, %d pictures in %q", len(images), n, out)
		}
	})
}
