package cards

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden cards in testdata/")

var goldenCards = map[string]Card{
	"quote": {Kind: "quote", Title: "Nous ne laisserons personne s’ingérer dans nos affaires : l’alliance avec la Corée du Nord est « une réponse » aux sanctions occidentales, et elle durera aussi longtemps qu’il le faudra.",
		Speaker: "Vladimir Poutine", Date: "19 juin 2024", Site: "Dossiers — Œuvre d’actualité"},
	"actor":   {Kind: "actor", Title: "김정은 (Kim Jong-un)", Site: "Dossiers"},
	"dossier": {Kind: "dossier", Title: "Traité de partenariat stratégique global entre la Russie et la Corée du Nord", Date: "19 juin 2024", Site: "Dossiers"},
	"dark": {Kind: "treaty", Title: "Traité sur la non-prolifération des armes nucléaires", Date: "1er juillet 1968", Site: "Dossiers",
		Colors: Palette{Background: rgb(0x151413), Text: rgb(0xece8e2), Muted: rgb(0xa9a298), Accent: rgb(0xff8f80)}},
}

// TestGolden renders the golden cards: testdata/<name>.png are the
// pictures to look at (go test ./generator/cards -update rewrites them).
func TestGolden(t *testing.T) {
	for name, c := range goldenCards {
		got, err := Render(c)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", name+".png")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the card differs from %s (sha256 %x, want %x): look at it, then go test -update", name, path, sha256.Sum256(got), sha256.Sum256(want))
		}
	}
}

func rgb(v uint32) color.RGBA {
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}

func decode(t *testing.T, b []byte) *image.Paletted {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := img.(*image.Paletted)
	if !ok || p.Rect != image.Rect(0, 0, Width, Height) || len(p.Palette) != 16 {
		t.Fatalf("card is %T %v", img, img.Bounds())
	}
	return p
}

// inked is the bounding box of the pixels not of the background, below
// the accent band.
func inked(p *image.Paletted, r image.Rectangle) image.Rectangle {
	box := image.Rectangle{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if p.Pix[y*p.Stride+x] != 0 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}

// TestTextFits: titles of every length stay within the margins and above
// the foot line, shrinking as they grow; one too long for the smallest
// size ends in an ellipsis.
func TestTextFits(t *testing.T) {
	word := "Coopération "
	prevSize := 1000
	for _, n := range []int{1, 3, 8, 20, 40, 80, 400} {
		for _, kind := range []string{"dossier", "quote"} {
			c := Card{Kind: kind, Title: strings.Repeat(word, n), Speaker: "Kim Jong-un", Date: "19 juin 2024", Site: strings.Repeat("Site ", 60)}
			p := decode(t, must(Render(c)))
			body := inked(p, image.Rect(0, 12, Width, footerBase-footerSize-30))
			if body.Min.X < margin || body.Max.X > Width-margin || body.Empty() {
				t.Errorf("%s of %d words: text at %v, outside the margins", kind, n, body)
			}
			foot := inked(p, image.Rect(0, footerBase-footerSize-25, Width, Height))
			if foot.Min.X < margin || foot.Max.X > Width-margin || foot.Max.Y > Height-20 {
				t.Errorf("%s of %d words: foot at %v", kind, n, foot)
			}
			lines, size := fit(c.normalized().Title, Width-2*margin, boxBottom-boxTop)
			if kind == "dossier" {
				if size > prevSize {
					t.Errorf("%d words at %d px, fewer at %d", n, size, prevSize)
				}
				prevSize = size
			}
			if n == 400 && !strings.HasSuffix(lines[len(lines)-1], "…") {
				t.Errorf("%d words: last line %q has no ellipsis", n, lines[len(lines)-1])
			}
		}
	}
	// A word longer than a line is broken, not drawn past the margin.
	p := decode(t, must(Render(Card{Title: strings.Repeat("x", 300)})))
	if box := inked(p, image.Rect(0, 12, Width, footerBase-footerSize-30)); box.Max.X > Width-margin {
		t.Errorf("a long word reaches %v", box)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestScripts: French and Korean letters come from the embedded fonts, not
// as the missing-glyph box.
func TestScripts(t *testing.T) {
	for _, r := range "éèêëàâçôîïûüÿœŒæ«»’–—…\u202f\u00a0ŁłŠž€" {
		if !bold.latin.has(r) || !regular.latin.has(r) {
			t.Errorf("%q (%U) is not in the Latin fonts", r, r)
		}
	}
	for _, r := range "김정은한국어블라디미르푸틴ㄱㅎ" {
		if bold.pick(r) != bold.hangul {
			t.Errorf("%q is not drawn from the Hangul font", r)
		}
	}
	// The glyphs differ: a box would make every name look alike.
	a, b := must(Render(Card{Title: "김정은"})), must(Render(Card{Title: "푸틴이"}))
	if bytes.Equal(a, b) {
		t.Error("two Korean names give the same card")
	}
	if bold.pick('漢') != bold.latin {
		t.Error("a Han character should fall back to the Latin font's box")
	}
}

func TestDeterministicAndNamed(t *testing.T) {
	c := goldenCards["quote"]
	a, b := must(Render(c)), must(Render(c))
	if !bytes.Equal(a, b) {
		t.Error("two renders differ")
	}
	if len(a) > 22<<10 {
		t.Errorf("a quote card is %d bytes", len(a))
	}
	seen := map[string]string{}
	for _, v := range []Card{c, {Title: c.Title}, {Title: c.Title, Kind: "quote"}, {Title: c.Title, Site: "x"},
		{Title: c.Title, Date: "x"}, {Title: c.Title, Speaker: "x"}, {Title: c.Title, Colors: goldenCards["dark"].Colors}} {
		n := Name(v)
		if !strings.HasPrefix(n, "card.") || !strings.HasSuffix(n, ".png") {
			t.Errorf("Name = %q", n)
		}
		if other, ok := seen[n]; ok {
			t.Errorf("%+v and %s share the name %s", v, other, n)
		}
		seen[n] = fmt.Sprint(v)
	}
	if Name(Card{Title: "a  b\n"}) != Name(Card{Title: "a b", Colors: DefaultPalette}) {
		t.Error("cards drawn alike are named apart")
	}
}

// BenchmarkCard draws and encodes a new quote card each time, as a build
// does. cpu-ns/op is the process's user+sys time per card (getrusage): on
// a loaded machine it says more than the wall-clock ns/op.
func BenchmarkCard(b *testing.B) {
	c := goldenCards["quote"]
	n := 0
	start := cpuTime()
	for i := 0; b.Loop(); i++ {
		c.Title = fmt.Sprintf("%s %d", goldenCards["quote"].Title, i) // a new card each time, as in a build
		d, err := Render(c)
		if err != nil {
			b.Fatal(err)
		}
		n += len(d)
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(n)/float64(b.N), "bytes/card")
}
