package main

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dossier-ssg/dossier/internal/testimage"
)

// TestBuildPublishesImagesWithoutMetadata builds a site whose lead image
// is a JPEG carrying GPS EXIF, the camera's owner and a 90° orientation,
// as a phone writes it: the published files hold no metadata (checked by
// parsing each JPEG's segments, and by looking for the owner's text in
// every file), the original is not copied, the picture is shown upright
// with its size on the <img>, and the social card is absolute.
func TestBuildPublishesImagesWithoutMetadata(t *testing.T) {
	files := maps.Clone(goodSite)
	files["content/dossiers/pact/index.md"] = strings.Replace(goodSite["content/dossiers/pact/index.md"], "tags: [alliances]\n",
		"tags: [alliances]\nimage: {src: photo.jpg, alt: \"Putin and Kim in Pyongyang\", credit: \"Photo: a source\"}\n", 1) +
		"\n![The treaty's first page](photo.jpg \"The first page | Photo: a source\")\n"
	dir := writeSite(t, files)
	photo := testimage.WithEXIF(testimage.JPEG(1800, 1300, 1), 6)
	if found, _ := testimage.Metadata(photo); !slices.Contains(found, "exif") || !bytes.Contains(photo, []byte(testimage.Secret)) {
		t.Fatalf("the source JPEG does not carry the EXIF the test is about: %v", found)
	}
	if err := os.WriteFile(filepath.Join(dir, "content/dossiers/pact/photo.jpg"), photo, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI("build", "--source", dir, "--base-url", "https://example.org/news/"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	public := filepath.Join(dir, "public")
	if _, err := os.Stat(filepath.Join(public, "dossiers/pact/photo.jpg")); err == nil {
		t.Error("the original photo.jpg, with its EXIF, was copied beside the page")
	}
	jpegs := 0
	err := filepath.Walk(public, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte(testimage.Secret)) {
			t.Errorf("%s holds the camera owner's text", p)
		}
		if strings.HasSuffix(p, ".jpg") {
			jpegs++
			found, ok := testimage.Metadata(data)
			if !ok || len(found) > 0 {
				t.Errorf("%s: metadata %v (a JPEG: %v)", p, found, ok)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if jpegs < 3 {
		t.Errorf("%d JPEG files published, want the variants and the card", jpegs)
	}
	page, err := os.ReadFile(filepath.Join(public, "dossiers/pact/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	// 1800×1300 stored, orientation 6: shown 1300 wide and 1800 high.
	hero := regexp.MustCompile(`<figure class="hero"><picture>.*?<img src="/news/media/photo\.[0-9a-f]+\.1300\.jpg" srcset="[^"]+" sizes="[^"]+" width="1300" height="1800" style="aspect-ratio:1300/1800" alt="Putin and Kim in Pyongyang" fetchpriority="high">`)
	if !hero.Match(page) {
		t.Errorf("no upright hero image with its size:\n%s", grep(page, "hero"))
	}
	for _, want := range []string{
		`<meta property="og:image" content="https://example.org/news/media/photo.`,
		`<meta property="og:image:width" content="1200">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`<link rel="canonical" href="https://example.org/news/dossiers/pact/">`,
		`<figcaption>The first page <span class="credit">Photo: a source</span></figcaption>`,
	} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the dossier page lacks %s", want)
		}
	}
}

// grep returns the lines of data holding s, to show in a failure.
func grep(data []byte, s string) string {
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, s) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// TestSocialCardsNeedAHost: Open Graph and schema.org want absolute URLs.
// With a host in baseURL, the dossier, actor, treaty and quote pages name
// their social card (og:image, og:image:*, twitter:card
// summary_large_image, JSON-LD image) by absolute URL; without one ("/"
// or "/sub/"), they name none (twitter:card summary, no image in JSON-LD),
// and build says so once, naming dossier.toml and how to set baseURL.
func TestSocialCardsNeedAHost(t *testing.T) {
	for _, base := range []string{"https://example.org/news/", "/", "/sub/"} {
		dir := writeSite(t, goodSite)
		code, _, errOut := runCLI("build", "--source", dir, "--base-url", base)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", base, code, errOut)
		}
		public := filepath.Join(dir, "public")
		quotes, _ := filepath.Glob(filepath.Join(public, "quotes", "pact", "*", "index.html"))
		if len(quotes) != 1 {
			t.Fatalf("%s: quote pages %v", base, quotes)
		}
		pages := append([]string{"dossiers/pact/index.html", "actors/vladimir-putin/index.html", "treaties/pact-2024/index.html"},
			strings.TrimPrefix(filepath.ToSlash(quotes[0]), filepath.ToSlash(public)+"/"))
		hosted := strings.HasPrefix(base, "https://")
		for _, p := range pages {
			page, err := os.ReadFile(filepath.Join(public, p))
			if err != nil {
				t.Fatal(err)
			}
			html := string(page)
			_, ld, _ := strings.Cut(html, `<script type="application/ld+json">`)
			ld, _, _ = strings.Cut(ld, "</script>")
			if hosted {
				for _, want := range []string{`<meta property="og:image" content="https://example.org/news/media/card.`,
					`<meta property="og:image:width" content="1200">`, `<meta property="og:image:height" content="630">`,
					`<meta property="og:image:alt" content="`, `<meta name="twitter:card" content="summary_large_image">`,
					`<link rel="canonical" href="https://example.org/news/`, `<meta property="og:url" content="https://example.org/news/`} {
					if !strings.Contains(html, want) {
						t.Errorf("%s %s: no %s", base, p, want)
					}
				}
				if !strings.Contains(ld, `"image":["https://example.org/news/media/card.`) {
					t.Errorf("%s %s: JSON-LD without an absolute image: %s", base, p, ld)
				}
				// The card named is on disk, written as it was drawn.
				_, card, _ := strings.Cut(html, `<meta property="og:image" content="https://example.org/news/`)
				card, _, _ = strings.Cut(card, `"`)
				if data, err := os.ReadFile(filepath.Join(public, filepath.FromSlash(card))); err != nil || !bytes.HasPrefix(data, []byte("\x89PNG")) {
					t.Errorf("%s %s: its card %s is not a PNG on disk (%v)", base, p, card, err)
				}
				continue
			}
			for _, bad := range []string{`og:image`, `summary_large_image`, `rel="canonical"`, `og:url`} {
				if strings.Contains(html, bad) {
					t.Errorf("%s %s: %s without a host:\n%s", base, p, bad, grep(page, bad))
				}
			}
			if !strings.Contains(html, `<meta name="twitter:card" content="summary">`) {
				t.Errorf("%s %s: no twitter:card summary", base, p)
			}
			if strings.Contains(ld, `"image"`) {
				t.Errorf("%s %s: JSON-LD has a relative image: %s", base, p, ld)
			}
		}
		// Without a host no page names a card: none is drawn.
		if cards, _ := filepath.Glob(filepath.Join(public, "media", "card.*")); !hosted && len(cards) > 0 {
			t.Errorf("%s: %d cards drawn that no page names", base, len(cards))
		}
		warnings := strings.Count(errOut, "warning:")
		const advice = `has no host: feed.xml and sitemap.xml then hold relative URLs, which feed readers and search engines refuse, and pages have no social card (og:image), og:url or canonical link; set baseURL = "https://…" (the site's public address) in dossier.toml`
		switch {
		case hosted && warnings != 0:
			t.Errorf("%s: warnings %q", base, errOut)
		case !hosted && (warnings != 1 || !strings.Contains(errOut, "warning: dossier.toml: baseURL \""+base+"\" "+advice)):
			t.Errorf("%s: want one warning with the advice, got %q", base, errOut)
		}
	}
}
