package images

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/webp"
)

func newProcessor(t testing.TB, dir string) *Processor {
	t.Helper()
	p, err := NewProcessor(dir, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// decodeVariant decodes a variant with the standard decoders (x/image for
// WebP: another decoder than the encoder's) and checks its size.
func decodeVariant(t testing.TB, v Variant) image.Image {
	t.Helper()
	var img image.Image
	var err error
	switch v.Format {
	case "jpeg":
		img, err = jpeg.Decode(bytes.NewReader(v.Data))
	case "png":
		img, err = png.Decode(bytes.NewReader(v.Data))
	case "webp":
		img, err = webp.Decode(bytes.NewReader(v.Data))
	default:
		t.Fatalf("%s: format %q", v.Name, v.Format)
	}
	if err != nil {
		t.Fatalf("%s: %v", v.Name, err)
	}
	if b := img.Bounds(); b.Dx() != v.Width || b.Dy() != v.Height {
		t.Fatalf("%s: decodes to %v, says %d × %d", v.Name, b, v.Width, v.Height)
	}
	return img
}

func TestProcessWidths(t *testing.T) {
	p := newProcessor(t, "")
	tests := []struct {
		w, h   int
		spec   Spec
		format string
		want   []string
	}{
		{2000, 1333, DefaultSpec, "jpeg", []string{"480x320.jpeg", "800x533.jpeg", "1200x800.jpeg", "1600x1066.jpeg", "480x320.webp", "800x533.webp", "1200x800.webp", "1600x1066.webp"}},
		{1000, 500, DefaultSpec, "jpeg", []string{"480x240.jpeg", "800x400.jpeg", "1000x500.jpeg", "480x240.webp", "800x400.webp", "1000x500.webp"}},
		{300, 200, DefaultSpec, "png", []string{"300x200.png", "300x200.webp"}},                  // never upscaled
		{800, 600, Spec{Widths: []int{800, 480}}, "gif", []string{"480x360.png", "800x600.png"}}, // a GIF gives PNG
		{900, 300, Spec{Widths: []int{480}, WebP: true}, "webp", []string{"480x160.webp"}},       // WebP once
		{640, 480, Spec{}, "jpeg", []string{"640x480.jpeg"}},                                     // no widths: the original
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d %s %v", tt.w, tt.h, tt.format, tt.spec.Widths), func(t *testing.T) {
			var data []byte
			switch q := quadrant(tt.w, tt.h); tt.format {
			case "jpeg":
				data = encodeJPEG(t, q)
			case "png":
				data = encodePNG(t, q)
			case "gif":
				data = encodeGIF(t, q)
			case "webp":
				data = encodeWebP(t, q)
			}
			res, err := p.Process("photos/Kim Jong Un.JPG", data, tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range res.Variants {
				got = append(got, fmt.Sprintf("%dx%d.%s", v.Width, v.Height, v.Format))
				decodeVariant(t, v)
				ext := map[string]string{"jpeg": ".jpg", "png": ".png", "webp": ".webp"}[v.Format]
				if !strings.HasPrefix(v.Name, "Kim-Jong-Un.") || !strings.HasSuffix(v.Name, fmt.Sprintf(".%d%s", v.Width, ext)) || v.MIME != "image/"+v.Format {
					t.Errorf("variant %s, %s", v.Name, v.MIME)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("variants %v, want %v", got, tt.want)
			}
			if res.Info != (Info{tt.format, tt.w, tt.h}) {
				t.Errorf("Info = %+v", res.Info)
			}
		})
	}
}

// TestMetadataStripped processes a JPEG made by ImageMagick and tagged by
// exiftool (testdata/gps.jpg: GPS position, camera serial number, owner,
// XMP creator, IPTC by-line, a comment, orientation 6) and parses what is
// published: no APPn or COM segment in the JPEG, no metadata chunk in the
// WebP, none of the strings anywhere, and the orientation applied.
func TestMetadataStripped(t *testing.T) {
	src, err := os.ReadFile("testdata/gps.jpg")
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"Exif", "Jane Source", "CAM-123456", "secret comment", "http://ns.adobe.com/xap/1.0/"} {
		if !bytes.Contains(src, []byte(secret)) {
			t.Fatalf("the fixture lacks %q", secret)
		}
	}
	res, err := newProcessor(t, "").Process("gps.jpg", src, Spec{Widths: []int{60, 1600}, WebP: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Info != (Info{"jpeg", 80, 120}) {
		t.Errorf("Info = %+v, want the 120 × 80 source turned upright", res.Info)
	}
	if len(res.Variants) != 4 {
		t.Fatalf("%d variants", len(res.Variants))
	}
	for _, v := range res.Variants {
		for _, secret := range []string{"Exif", "Jane Source", "CAM-123456", "secret comment", "xap", "Photoshop", "ICC_PROFILE"} {
			if bytes.Contains(v.Data, []byte(secret)) {
				t.Errorf("%s contains %q", v.Name, secret)
			}
		}
		switch v.Format {
		case "jpeg":
			err := walkJPEG(v.Data, func(m byte, _ []byte) bool {
				if m >= 0xe0 && m <= 0xef || m == 0xfe {
					t.Errorf("%s has segment 0x%02x (APPn or COM)", v.Name, m)
				}
				return true
			})
			if err != nil {
				t.Errorf("%s: %v", v.Name, err)
			}
			if o := orientation("jpeg", v.Data); o != 1 {
				t.Errorf("%s: orientation %d", v.Name, o)
			}
		case "webp":
			err := walkRIFF(v.Data, func(fourcc string, _ []byte) bool {
				if fourcc != "VP8 " && fourcc != "VP8L" && fourcc != "VP8X" && fourcc != "ALPH" {
					t.Errorf("%s has chunk %q", v.Name, fourcc)
				}
				return true
			})
			if err != nil {
				t.Errorf("%s: %v", v.Name, err)
			}
		}
		img := decodeVariant(t, v)
		// The white rectangle at the stored top left is displayed at the top right.
		b := img.Bounds()
		r, g, bl, _ := img.At(b.Dx()-1-b.Dx()/10, b.Dy()/20).RGBA()
		if r>>8 < 200 || g>>8 < 200 || bl>>8 < 200 {
			t.Errorf("%s: the top right is not white", v.Name)
		}
	}
}

func TestDeterministic(t *testing.T) {
	src := photo(t, 640, 427, 3)
	a, err := newProcessor(t, "").Process("a.jpg", src, DefaultSpec)
	if err != nil {
		t.Fatal(err)
	}
	b, err := newProcessor(t, t.TempDir()).Process("a.jpg", src, DefaultSpec)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Variants {
		if a.Variants[i].Name != b.Variants[i].Name || !bytes.Equal(a.Variants[i].Data, b.Variants[i].Data) {
			t.Errorf("variant %d differs: %s, %s", i, a.Variants[i].Name, b.Variants[i].Name)
		}
	}
	c, _ := newProcessor(t, "").Process("a.jpg", src, Spec{Widths: DefaultSpec.Widths, WebP: true, Quality: 60})
	if c.Variants[0].Name == a.Variants[0].Name {
		t.Error("another quality gives the same name")
	}
}

func TestTransparency(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 100, 50))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+3] = 200, uint8(i/4%100*2)
	}
	res, err := newProcessor(t, "").Process("alpha.png", encodePNG(t, img), Spec{Widths: []int{50}, WebP: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res.Variants {
		out := decodeVariant(t, v)
		// A half-transparent red pixel stays red (not darkened by premultiplication).
		c := image.NewNRGBA(image.Rect(0, 0, 1, 1))
		c.Set(0, 0, out.At(25, 10))
		if c.Pix[0] < 180 || c.Pix[3] < 60 || c.Pix[3] > 140 {
			t.Errorf("%s: pixel %v", v.Name, c.Pix)
		}
	}
}

func TestCorruptPixels(t *testing.T) {
	src := append([]byte{}, encodeJPEG(t, quadrant(64, 64))...)
	sos := bytes.Index(src, []byte{0xff, 0xda})
	n := int(binary.BigEndian.Uint16(src[sos+2:]))
	for i := sos + 2 + n; i < len(src)-2; i++ {
		src[i] = 0xff // no longer a Huffman code; 0xff 0xff are fill bytes
	}
	src[len(src)-3] = 0x00
	if _, err := Inspect(src, DefaultLimits); err != nil {
		t.Logf("Inspect: %v", err)
	}
	_, err := newProcessor(t, "").Process("bad.jpg", src, DefaultSpec)
	if err == nil || !strings.Contains(err.Error(), "the JPEG file is") {
		t.Fatalf("Process = %v", err)
	}
}

func TestCover(t *testing.T) {
	p := newProcessor(t, "")
	for _, tt := range []struct{ w, h, ww, wh int }{
		{2000, 1333, 1200, 630},
		{1000, 3000, 1000, 525}, // tall: cropped, never upscaled
		{600, 400, 600, 315},
	} {
		v, err := p.Cover("lead.jpg", encodeJPEG(t, quadrant(tt.w, tt.h)), 1200, 630)
		if err != nil {
			t.Fatal(err)
		}
		if v.Width != tt.ww || v.Height != tt.wh || v.Format != "jpeg" || !strings.HasSuffix(v.Name, fmt.Sprintf(".%dx%d.jpg", tt.ww, tt.wh)) {
			t.Errorf("Cover of %dx%d = %s %dx%d", tt.w, tt.h, v.Name, v.Width, v.Height)
		}
		decodeVariant(t, v)
	}
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`)
	if _, err := p.Cover("a.svg", svg, 1200, 630); err == nil {
		t.Error("Cover of an SVG")
	}
	res, err := p.Process("Map.svg", svg, DefaultSpec)
	if err != nil || len(res.Variants) != 1 || !bytes.Equal(res.Variants[0].Data, svg) || !strings.HasSuffix(res.Variants[0].Name, ".svg") {
		t.Errorf("Process(svg) = %+v, %v", res, err)
	}
}

// TestCache: a second Processor on the same folder hits without decoding;
// a damaged entry is made again; Prune keeps only what was used.
func TestCache(t *testing.T) {
	dir := t.TempDir()
	a, b := photo(t, 300, 200, 1), photo(t, 300, 200, 2)
	first := newProcessor(t, dir)
	ra, err := first.Process("a.jpg", a, DefaultSpec)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.Process("b.jpg", b, DefaultSpec); err != nil {
		t.Fatal(err)
	}
	if s := first.Stats(); s != (Stats{Decoded: 2}) {
		t.Fatalf("first build: %+v", s)
	}
	entries, _ := filepath.Glob(filepath.Join(dir, "*", "*.img"))
	if len(entries) != 2 {
		t.Fatalf("entries %v", entries)
	}

	second := newProcessor(t, dir)
	again, err := second.Process("a.jpg", a, DefaultSpec)
	if err != nil {
		t.Fatal(err)
	}
	if s := second.Stats(); s != (Stats{Hits: 1}) {
		t.Errorf("second build: %+v, want a hit without decoding", s)
	}
	if fmt.Sprint(again) != fmt.Sprint(ra) {
		t.Error("the hit differs from what was made")
	}

	// Damage every entry in another way; each is made again, then sound.
	damages := []func([]byte) []byte{
		func(e []byte) []byte { return e[:len(e)/2] },                               // truncated
		func(e []byte) []byte { e[len(e)/2] ^= 1; return e },                        // a flipped bit
		func(e []byte) []byte { return nil },                                        // empty
		func(e []byte) []byte { return append(e, 0) },                               // a byte too many
		func(e []byte) []byte { copy(e, "dsimg99\n"); return e },                    // another version
		func(e []byte) []byte { return append(e[:len(e)-32], make([]byte, 32)...) }, // bad hash
	}
	for i, damage := range damages {
		for _, e := range entries {
			data, _ := os.ReadFile(e)
			if err := os.WriteFile(e, damage(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		p := newProcessor(t, dir)
		res, err := p.Process("a.jpg", a, DefaultSpec)
		if err != nil || p.Stats() != (Stats{Decoded: 1}) || fmt.Sprint(res) != fmt.Sprint(ra) {
			t.Errorf("damage %d: %+v, %v", i, p.Stats(), err)
		}
		if _, err := p.Process("b.jpg", b, DefaultSpec); err != nil {
			t.Fatal(err)
		}
		if p := newProcessor(t, dir); func() bool { p.Process("a.jpg", a, DefaultSpec); return p.Stats().Hits != 1 }() {
			t.Errorf("damage %d: the remade entry is not a hit", i)
		}
	}

	// Prune after a build that used only a.jpg: b's entry goes, other files stay.
	other := filepath.Join(dir, "README")
	os.WriteFile(other, []byte("x"), 0o644)
	tmp := filepath.Join(filepath.Dir(entries[0]), filepath.Base(entries[0])+".123.tmp")
	os.WriteFile(tmp, []byte("half"), 0o644)
	third := newProcessor(t, dir)
	third.Process("a.jpg", a, DefaultSpec)
	if err := third.Prune(); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	if len(left) != 1 || third.Stats().Hits != 1 {
		t.Errorf("after Prune: %v", left)
	}
	if _, err := os.Stat(other); err != nil {
		t.Error("Prune removed a file that is not an entry")
	}
	if fourth := newProcessor(t, dir); func() bool { fourth.Process("a.jpg", a, DefaultSpec); return fourth.Stats().Hits != 1 }() {
		t.Error("Prune removed the used entry")
	}
}

func TestMemoryCachePrune(t *testing.T) {
	p := newProcessor(t, "")
	a := photo(t, 100, 100, 1)
	p.Process("a.jpg", a, DefaultSpec)
	p.Process("a.jpg", a, DefaultSpec)
	if s := p.Stats(); s != (Stats{Decoded: 1, Hits: 1}) {
		t.Errorf("memory cache: %+v", s)
	}
	if err := p.Prune(); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentProcess: callers asking for one image at once share one
// decoding (run with -race).
func TestConcurrentProcess(t *testing.T) {
	p := newProcessor(t, t.TempDir())
	src := photo(t, 320, 200, 5)
	var wg sync.WaitGroup
	results := make([]Result, 8)
	for i := range results {
		wg.Go(func() {
			r, err := p.Process("a.jpg", src, DefaultSpec)
			if err != nil {
				t.Error(err)
			}
			results[i] = r
		})
	}
	wg.Wait()
	if s := p.Stats(); s.Decoded != 1 {
		t.Errorf("%+v: want one decoding", s)
	}
	for _, r := range results[1:] {
		if fmt.Sprint(r) != fmt.Sprint(results[0]) {
			t.Error("results differ")
		}
	}
}

// TestCached: a file kept by name is made once, then read back by another
// Processor on the same folder; Prune keeps it only while used.
func TestCached(t *testing.T) {
	dir := t.TempDir()
	made := 0
	mk := func() ([]byte, error) { made++; return []byte("card bytes"), nil }
	for i := range 2 {
		p := newProcessor(t, dir)
		got, err := p.Cached("card.0123.png", mk)
		if err != nil || string(got) != "card bytes" || made != 1 {
			t.Fatalf("run %d: %q, %v, made %d times", i, got, err, made)
		}
		if i == 1 && p.Stats().Hits != 1 {
			t.Errorf("run %d: %+v", i, p.Stats())
		}
	}
	if _, err := newProcessor(t, dir).Cached("x", func() ([]byte, error) { return nil, os.ErrInvalid }); err == nil {
		t.Error("an error of make is lost")
	}
	p := newProcessor(t, dir)
	if err := p.Prune(); err != nil {
		t.Fatal(err)
	}
	p.Cached("card.0123.png", mk)
	if made != 2 {
		t.Errorf("after a Prune by a build that did not use it, the file was not made again (%d)", made)
	}
}

// TestCachedBytesAreTheCallers: what Cached returns is the caller's to
// overwrite (a one-shot build hands a card's bytes to its writer, which
// reuses them for pages): a memory-only cache, one on disk, and a caller
// that waited for another's call all get bytes of their own.
func TestCachedBytesAreTheCallers(t *testing.T) {
	scribble := func(b []byte) {
		for i := range b {
			b[i] = 'x'
		}
	}
	mk := func() ([]byte, error) { return []byte("card bytes"), nil }
	for _, dir := range []string{"", t.TempDir()} {
		p := newProcessor(t, dir)
		for i := range 3 {
			got, err := p.Cached("card.0123.png", mk)
			if err != nil || string(got) != "card bytes" {
				t.Fatalf("cache %q, call %d: %q, %v", dir, i, got, err)
			}
			scribble(got)
		}
	}
	// A caller waiting for another's call to make the same file.
	p := newProcessor(t, t.TempDir())
	release := make(chan struct{})
	made := make(chan []byte)
	go func() {
		got, _ := p.Cached("card.4567.png", func() ([]byte, error) { <-release; return []byte("card bytes"), nil })
		scribble(got)
		made <- got
	}()
	waiting := func(n int) bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		c := p.inflight[fileKey("card.4567.png")]
		return c != nil && c.waiters >= n
	}
	for !waiting(0) {
		runtime.Gosched()
	}
	waited := make(chan []byte)
	go func() {
		got, _ := p.Cached("card.4567.png", mk)
		waited <- got
	}()
	for !waiting(1) {
		runtime.Gosched()
	}
	close(release)
	<-made
	if got := <-waited; string(got) != "card bytes" {
		t.Errorf("the caller that waited got %q", got)
	}
}

// TestReadInto: an entry read from the cache on disk is read into the
// bytes the caller's buffer gives, and its file's bytes come back in them.
func TestReadInto(t *testing.T) {
	dir := t.TempDir()
	mk := func() ([]byte, error) { return []byte("card bytes"), nil }
	if _, err := newProcessor(t, dir).Cached("card.0123.png", mk); err != nil {
		t.Fatal(err)
	}
	p := newProcessor(t, dir)
	var given [][]byte
	p.ReadInto(func(n int) []byte {
		b := make([]byte, n, n+100)
		given = append(given, b)
		return b
	})
	got, err := p.Cached("card.0123.png", mk)
	if err != nil || string(got) != "card bytes" || p.Stats().Hits != 1 {
		t.Fatalf("%q, %v, %+v", got, err, p.Stats())
	}
	if len(given) != 1 || &got[0] != &given[0][len(given[0])-32-len(got)] {
		t.Errorf("the entry was not read into the buffer given (%d buffers)", len(given))
	}
}

// TestGIFFrame: a GIF whose first frame is smaller than its screen and
// placed inside it keeps the screen's size and the frame's place.
func TestGIFFrame(t *testing.T) {
	frame := image.NewPaletted(image.Rect(20, 10, 40, 20), color.Palette{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}})
	var b bytes.Buffer
	err := gif.EncodeAll(&b, &gif.GIF{Image: []*image.Paletted{frame}, Delay: []int{0},
		Config: image.Config{ColorModel: frame.Palette, Width: 40, Height: 20}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := newProcessor(t, "").Process("f.gif", b.Bytes(), Spec{Widths: []int{40}})
	if err != nil {
		t.Fatal(err)
	}
	img := decodeVariant(t, res.Variants[0])
	if img.Bounds() != image.Rect(0, 0, 40, 20) {
		t.Fatalf("variant is %v", img.Bounds())
	}
	if _, _, _, a := img.At(5, 5).RGBA(); a != 0 {
		t.Error("outside the frame is not transparent")
	}
	if r, _, _, a := img.At(30, 15).RGBA(); r>>8 != 255 || a>>8 != 255 {
		t.Error("the frame is not in its place")
	}
}
