package markdown

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"unicode"
	"unicode/utf8"
)

// frenchSpacingReference is the original, straightforward FrenchSpacing (a
// rune-by-rune rewrite of every text run), kept to check that the fast one
// produces exactly the same bytes for every input.
func frenchSpacingReference(page []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(page) + len(page)/50)
	skipUntil := "" // closing tag that ends a verbatim element
	i := 0
	for i < len(page) {
		if page[i] == '<' {
			end := bytes.IndexByte(page[i:], '>')
			if end < 0 {
				out.Write(page[i:])
				break
			}
			tag := page[i : i+end+1]
			out.Write(tag)
			i += end + 1
			name := refTagName(tag)
			if skipUntil == "" {
				switch name {
				case "pre", "code", "script", "style", "kbd", "samp", "textarea":
					skipUntil = "/" + name
				}
			} else if name == skipUntil {
				skipUntil = ""
			}
			continue
		}
		next := bytes.IndexByte(page[i:], '<')
		if next < 0 {
			next = len(page) - i
		}
		chunk := page[i : i+next]
		if skipUntil == "" {
			out.Write(refFrenchText(chunk))
		} else {
			out.Write(chunk)
		}
		i += next
	}
	return out.Bytes()
}

func refTagName(tag []byte) string {
	t := bytes.TrimPrefix(tag, []byte("<"))
	end := bytes.IndexAny(t, " \t\n>/")
	if len(t) > 0 && t[0] == '/' {
		rest := t[1:]
		e := bytes.IndexAny(rest, " \t\n>")
		if e < 0 {
			e = len(rest)
		}
		return "/" + string(bytes.ToLower(rest[:e]))
	}
	if end < 0 {
		end = len(t)
	}
	return string(bytes.ToLower(t[:end]))
}

func refIsSpace(r rune) bool {
	return r == ' ' || r == '\u00A0' || r == '\u202F' || r == '\t' || r == '\n'
}

func refFrenchText(s []byte) []byte {
	if !bytes.ContainsAny(s, ":;!?«»") && !bytes.Contains(s, []byte("&raquo;")) {
		return s
	}
	var out bytes.Buffer
	runes := []rune(string(s))
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		if r == '&' {
			if n := refEntityLen(runes[i:]); n > 0 {
				out.WriteString(string(runes[i : i+n]))
				i += n - 1
				continue
			}
		}
		switch r {
		case ';', '!', '?', ':', '»':
			j := out.Len()
			b := out.Bytes()
			for j > 0 {
				pr, size := utf8.DecodeLastRune(b[:j])
				if !refIsSpace(pr) {
					break
				}
				j -= size
			}
			hadSpace := j < out.Len()
			prevRune, _ := utf8.DecodeLastRune(b[:j])
			if (j == 0 && !hadSpace && r != '»') || (j > 0 && r != '»' && !hadSpace && !refFollowsWord(prevRune, runes, i)) {
				out.WriteRune(r)
				continue
			}
			if r == ':' && !hadSpace {
				out.WriteRune(r)
				continue
			}
			out.Truncate(j)
			if r == ':' {
				out.WriteString(nbsp)
			} else {
				out.WriteString(nnbsp)
			}
			out.WriteRune(r)
		case '«':
			out.WriteRune(r)
			k := i + 1
			for k < len(runes) && refIsSpace(runes[k]) {
				k++
			}
			out.WriteString(nnbsp)
			i = k - 1
		default:
			out.WriteRune(r)
		}
	}
	return out.Bytes()
}

func refFollowsWord(prev rune, runes []rune, i int) bool {
	if !(unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '»' || prev == ')') {
		return false
	}
	if i+1 == len(runes) {
		return true
	}
	next := runes[i+1]
	return refIsSpace(next) || next == '!' || next == '?' || next == ')' || next == '»'
}

func refEntityLen(runes []rune) int {
	for i := 1; i < len(runes) && i < 12; i++ {
		r := runes[i]
		switch {
		case r == ';':
			if i > 1 {
				return i + 1
			}
			return 0
		case r == '#' && i == 1, r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		default:
			return 0
		}
	}
	return 0
}

// frenchPages reads the real pages in testdata/french: French pages of a
// built 1,000-dossier corpus and of the example site, with the typography
// undone (narrow no-break spaces back to typed spaces) so that they are what
// FrenchSpacing receives from the templates.
func frenchPages(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "french", "*.html"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no pages in testdata/french: %v", err)
	}
	pages := make(map[string][]byte)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		pages[filepath.Base(f)] = b
	}
	return pages
}

// trickySnippets are edge cases of the tag scanner, entities, spaces and
// invalid UTF-8, for the differential test and as fuzz seeds.
var trickySnippets = []string{
	"", "<", ">", "<>", "</>", "<<>>", "a<b", "?", ":", ";", "!", "»", "«", "« ", " »", "&raquo;", "x &raquo; y",
	"<p>Pourquoi ?</p>", "<p>Pourquoi?</p>", "<p>Hein!?</p>", "<p>Hein !?! )?</p>", "<p>a?b a? b a ?b</p>",
	"<p>Titre : sous-titre</p>", "<p>Titre: sous-titre 12:30 a\u00a0:b a\u202f: b</p>",
	"<p>« nouvelle ère »</p>", "<p>«oui»</p>", "«\u00a0\u202f \t\noui \t\u00a0\u202f»", "«?", "« ?", "«»", "»»", "« »",
	"<p>L’« <a>Accord</a> » et «<a>x</a>»</p>", "<p><a>lien</a> ? <a>b</a>?</p>",
	"<p>note.&#160;<a>&#x21a9;&#xfe0e;</a> a &amp; b ; c</p>", "&;", "&#;", "&##1;", "&abcdefghij;", "&abcdefghijk;?", "&a&b;!", "x&amp;!", "x &nbsp;?",
	"<pre><code>a ; b ?</code></pre><p>c ; d</p>", "<script>if (a ? b : c) {}</script>", "<PRE>a ?</Pre> b ?", "<pre>a ?</pre >b ?",
	"<pre><code>x ?</pre>y ?</code>z ?", "<code>a ?</code/>b ?", "<//code>a ?", "<code/>a ?", "<code\n>a ?</code\t>b ?",
	"<style>a:b</style>c ?", "<textarea>x ?</TEXTAREA>y ?", "<kbd>Ctrl ?</kbd>ok ?", "<samp>z !</samp>w !",
	"<scr\u0130pt>a ?</script>b ?", "<\u212Abd>a ?</kbd>b ?", "</\u212Abd>", "<k\xffbd>a ?</kbd>b ?", "<pre\xff>a ?",
	"<p>caf\xe9 ?</p>", "\xff?", "a\xc2?", "\xc2\xab", "\xe2\x80\xaf?", "\xe2\x80?", "x\xed\xa0\x80 ?", "\xef\xbf\xbd ?",
	"<a href=\"/x?y=1\" title=\"a : b\">lien</a>", "<!-- a ? --> b ?", "<!-- a > b ? -->", "1 < 2 ? oui : non",
	"Quoi?» x", "« Quoi?»", "Ah!) b", "Ah;(", "3?\u00a0", "é?\u202f", "x!\t", "»?", ")?",
	// A run that shrinks before one that grows: in place must not move
	// text left over text not yet moved.
	"a \t\n ?<b>x</b>«y»", "<p>a  \u00a0 ; b</p><p>«c»</p>",
	"(a) ? b) ! 3 ; é !", "É?x", "日本?", "٣?", "\u00a0?", "\u202f!", "a\u00a0\u00a0?", "a \t\n?", "a\r?",
}

func TestFrenchSpacingMatchesReference(t *testing.T) {
	inputs := make(map[string][]byte)
	for name, page := range frenchPages(t) {
		inputs[name] = page
	}
	for _, s := range trickySnippets {
		inputs[s] = []byte(s)
	}
	for name, in := range inputs {
		orig := bytes.Clone(in)
		want := frenchSpacingReference(orig)
		got := FrenchSpacing(in)
		if !bytes.Equal(got, want) {
			t.Errorf("FrenchSpacing(%.60q) differs from the reference\n got %.300q\nwant %.300q", name, got, want)
		}
		if !bytes.Equal(in, orig) {
			t.Errorf("FrenchSpacing(%.60q) modified its input", name)
		}
		checkInPlace(t, orig, want)
	}
}

// TestFrenchSpacingPagesChange guards the benchmark inputs: they must need
// real work, or the benchmark would only measure the scan.
func TestFrenchSpacingPagesChange(t *testing.T) {
	for name, page := range frenchPages(t) {
		if out := FrenchSpacing(page); bytes.Equal(out, page) {
			t.Errorf("%s: FrenchSpacing changed nothing", name)
		}
	}
}

func FuzzFrenchSpacing(f *testing.F) {
	for _, page := range frenchPages(f) {
		f.Add(page)
		// Slices of the pages give the fuzzer smaller starting points.
		for i := 0; i+2048 <= len(page); i += 7919 {
			f.Add(page[i : i+2048])
		}
	}
	for _, s := range trickySnippets {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		orig := bytes.Clone(in)
		want := frenchSpacingReference(orig)
		got := FrenchSpacing(in)
		if !bytes.Equal(got, want) {
			t.Errorf("FrenchSpacing(%q)\n got %q\nwant %q", orig, got, want)
		}
		if !bytes.Equal(in, orig) {
			t.Errorf("FrenchSpacing(%q) modified its input", orig)
		}
		checkInPlace(t, orig, want)
	})
}

// checkInPlace checks FrenchSpacingInPlace against want with no spare
// capacity (it must allocate), a little (it may or may not fit) and plenty.
func checkInPlace(t *testing.T, in, want []byte) {
	t.Helper()
	for _, extra := range []int{0, 1, 4, 4096} {
		buf := append(make([]byte, 0, len(in)+extra), in...)
		if got := FrenchSpacingInPlace(buf); !bytes.Equal(got, want) {
			t.Errorf("FrenchSpacingInPlace(%q) with %d spare bytes\n got %q\nwant %q", in, extra, got, want)
		}
	}
}

// bigActorPage builds a page like the largest actor pages of the corpus
// (190 KB and more, too big for testdata): the actor page with its body
// repeated.
func bigActorPage(tb testing.TB) []byte {
	page := frenchPages(tb)["actor.html"]
	start := bytes.Index(page, []byte("<main"))
	end := bytes.LastIndex(page, []byte("</main>"))
	if start < 0 || end < start {
		tb.Fatal("actor.html has no <main>")
	}
	var b bytes.Buffer
	b.Write(page[:end])
	for b.Len() < 200<<10 {
		b.Write(page[start:end])
	}
	b.Write(page[end:])
	return b.Bytes()
}

type benchPage struct {
	name string
	page []byte
}

func benchPages(b *testing.B) []benchPage {
	pages := frenchPages(b)
	return []benchPage{
		{"dossier", pages["dossier.html"]},
		{"actor", pages["actor.html"]},
		{"quote", pages["quote.html"]},
		{"actor-200KB", bigActorPage(b)},
		// A page FrenchSpacing already went over: nothing left to change.
		{"done", frenchSpacingReference(pages["dossier.html"])},
	}
}

// BenchmarkFrenchSpacingReference times the original implementation, for a
// before/after comparison in the same run.
func BenchmarkFrenchSpacingReference(b *testing.B) {
	for _, c := range benchPages(b) {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.page)))
			b.ReportAllocs()
			for b.Loop() {
				frenchSpacingReference(c.page)
			}
		})
	}
}

func BenchmarkFrenchSpacing(b *testing.B) {
	cases := benchPages(b)
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.page)))
			b.ReportAllocs()
			for b.Loop() {
				FrenchSpacing(c.page)
			}
		})
	}
	// As render uses it: on a fresh page buffer with spare capacity, as
	// bytes.Buffer leaves it. The copy into the buffer is timed too.
	for _, c := range cases {
		b.Run("inplace-"+c.name, func(b *testing.B) {
			buf := make([]byte, 0, len(c.page)+len(c.page)/8)
			b.SetBytes(int64(len(c.page)))
			b.ReportAllocs()
			for b.Loop() {
				buf = FrenchSpacingInPlace(append(buf[:0], c.page...))
			}
		})
	}
}

// TestFrenchSpacingUnchanged checks that a page with nothing to change comes
// back as is, without a copy.
func TestFrenchSpacingUnchanged(t *testing.T) {
	done := frenchSpacingReference(frenchPages(t)["dossier.html"])
	if got := FrenchSpacing(done); len(got) != len(done) || &got[0] != &done[0] {
		t.Errorf("FrenchSpacing copied a page it did not change")
	}
	if got := FrenchSpacingInPlace(done); len(got) != len(done) || &got[0] != &done[0] {
		t.Errorf("FrenchSpacingInPlace copied a page it did not change")
	}
}

// frenchTokens are the pieces TestFrenchSpacingRandomTokens strings together:
// what the byte-flipping fuzzer rarely builds on its own.
var frenchTokens = []string{
	"<p>", "</p>", "<pre>", "</pre>", "<PRE >", "</Pre\n>", "<code>", "</code>", "<code/>", "<script>", "</script>",
	"<style>", "</style>", "<textarea>", "</textarea>", "<kbd>", "</kbd>", "<samp>", "</samp>", "<scr\u0130pt>",
	"<\u212Abd>", "<a href=\"/x?y=1:2\">", "</a>", "<br/>", "<!-- ? -->", "<", ">", "«", "»", "&raquo;", "&laquo;",
	"&amp;", "&#160;", "&#x21a9;", "&", "&#", "&a", ";", "!", "?", ":", ")", "(", " ", "  ", "\u00a0", "\u202f",
	"\t", "\n", "\r", "a", "Mot", "é", "3", "日", "٣", "\xff", "\xc2", "\xe2\x80", "\xef\xbf\xbd",
}

// TestFrenchSpacingRandomTokens compares FrenchSpacing with the reference on
// many random strings of frenchTokens (a fixed seed: reproducible).
func TestFrenchSpacingRandomTokens(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var b []byte
	for range 50000 {
		b = b[:0]
		for range 1 + rng.IntN(24) {
			b = append(b, frenchTokens[rng.IntN(len(frenchTokens))]...)
		}
		in := bytes.Clone(b)
		want := frenchSpacingReference(in)
		if got := FrenchSpacing(in); !bytes.Equal(got, want) {
			t.Fatalf("FrenchSpacing(%q)\n got %q\nwant %q", in, got, want)
		}
		if !bytes.Equal(in, b) {
			t.Fatalf("FrenchSpacing(%q) modified its input", b)
		}
		checkInPlace(t, in, want)
	}
}

// BenchmarkFrenchText: the strings a French page's head and JSON-LD pass
// through FrenchText (URLs, dates, types, a title, a description), most of
// which it leaves as they were.
func BenchmarkFrenchText(b *testing.B) {
	texts := []string{"https://schema.org", "NewsArticle", "2024-06-19", "https://example.org/dossiers/traite-russie-coree-du-nord/",
		"Traité Russie–Corée du Nord : un pacte d'assistance mutuelle", "Vladimir Poutine", "Organization",
		"Le 19 juin 2024, la Russie et la Corée du Nord signent un traité de partenariat stratégique global."}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			_ = FrenchText(s)
		}
	}
}
