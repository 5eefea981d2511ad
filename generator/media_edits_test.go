package generator_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/internal/testimage"
)

// Pictures the incremental tests add to the copy of the example site: a
// lead image with a caption, a figure in the article and a portrait.
var (
	leadImage = filepath.Join(filepath.Dir(mainDossier), "lead.jpg")
	portrait  = "content/actors/kim-jong-un.jpg"
)

// addMedia gives the copied example site its pictures.
func addMedia(t testing.TB, dir string) {
	t.Helper()
	write := func(rel string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, rel), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(leadImage, testimage.JPEG(320, 200, 1))
	write(portrait, testimage.PNG(120, 160, 2))
	rewrite(dir, mainDossier, func(s string) string {
		s = strings.Replace(s, "lang: fr\n", "lang: fr\nimage:\n  src: lead.jpg\n  alt: \"Le sommet\"\n  caption: \"Légende 0\"\n  credit: \"Photo d’essai\"\n", 1)
		end := strings.Index(s[3:], "\n---\n") + 3 + 5
		return s[:end] + "\n![Une carte](lead.jpg \"Figure 0 | Carte d’essai\")\n" + s[end:]
	})
	rewrite(dir, "content/actors/kim-jong-un.md", func(s string) string {
		return strings.Replace(s, "kind: person\n", "kind: person\nimage: kim-jong-un.jpg\n", 1)
	})
}

// The image edits draw among four files each: every new file is resized
// once for the whole test (the image cache keeps it), and a test of a
// thousand builds should not spend its time encoding WebP.
func init() {
	edits["replace the lead image file"] = func(dir string, r *rand.Rand) []string {
		_ = os.WriteFile(filepath.Join(dir, leadImage), testimage.JPEG(320+8*r.IntN(2), 200, r.IntN(2)), 0o644)
		return []string{leadImage}
	}
	edits["replace the portrait file"] = func(dir string, r *rand.Rand) []string {
		_ = os.WriteFile(filepath.Join(dir, portrait), testimage.PNG(120, 160+8*r.IntN(2), r.IntN(2)), 0o644)
		return []string{portrait}
	}
	edits["remove or restore the portrait file"] = func(dir string, r *rand.Rand) []string {
		if err := os.Remove(filepath.Join(dir, portrait)); err != nil {
			_ = os.WriteFile(filepath.Join(dir, portrait), testimage.PNG(120, 160, 3), 0o644)
		}
		return []string{portrait}
	}
	edits["edit the lead image caption"] = func(dir string, r *rand.Rand) []string {
		return rewrite(dir, mainDossier, func(s string) string {
			i := strings.Index(s, "caption: \"Légende ")
			if i < 0 {
				return s
			}
			j := i + strings.Index(s[i:], "\"\n")
			return s[:i] + fmt.Sprintf("caption: \"Légende %d", r.IntN(100)) + s[j:]
		})
	}
	edits["edit a figure caption"] = func(dir string, r *rand.Rand) []string {
		return rewrite(dir, mainDossier, func(s string) string {
			i := strings.Index(s, "\"Figure ")
			if i < 0 {
				return s
			}
			j := i + strings.Index(s[i:], " | ")
			return s[:i] + fmt.Sprintf("\"Figure %d", r.IntN(100)) + s[j:]
		})
	}
}

// TestCardsFollowEditsInWatchMode: on a site with a host, whose pages
// name their social cards, every edit that changes what a card shows (a
// quote's text, its speaker's name, a dossier's title or date, an actor's
// role) gives the card and the pages that name it of a clean build. A
// save names again only the cards whose input changed (media.Cache), so
// a memo that missed an input (the speaker is another file's) would keep
// a stale name here.
func TestCardsFollowEditsInWatchMode(t *testing.T) {
	dir := copySite(t)
	addMedia(t, dir)
	rewrite(dir, "dossier.toml", func(s string) string {
		return strings.Replace(s, `baseURL = "/"`, `baseURL = "https://example.org/"`, 1)
	})
	checkIncrementalIn(t, dir, []string{"rename actor", "change actor role", "edit a quote", "retitle dossier", "edit dossier body",
		"revise the dossier", "toggle a key quote"}, churnSteps(t, 40), false)
}

// TestSaveNamesOnlyTheChangedCards: a save that resolve patches (a
// dossier's body) names the cards of that dossier and its quotes, not
// every card of the site (counted: Stats.Cards), and still equals a
// clean build, also after a quote's card changed (the old card is gone)
// and after a save of an actor, which names every card again.
func TestSaveNamesOnlyTheChangedCards(t *testing.T) {
	dir := copySite(t)
	addMedia(t, dir)
	rewrite(dir, "dossier.toml", func(s string) string {
		return strings.Replace(s, `baseURL = "/"`, `baseURL = "https://example.org/"`, 1)
	})
	opts := generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme, Serve: true}
	b := generator.NewBuilder(opts)
	first, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	all := first.Stats.Cards
	r := rand.New(rand.NewPCG(1, 2))
	words := 0
	// A quote's words: the dossier is patched, the quote's card is a new
	// one, and the old one is gone.
	steps := map[string]func(string, *rand.Rand) []string{"edit a quote's words": func(dir string, _ *rand.Rand) []string {
		words++
		return rewrite(dir, mainQuotes, func(s string) string {
			return regexp.MustCompile(`entre autres[0-9 ]*,`).ReplaceAllString(s, fmt.Sprintf("entre autres %d,", words))
		})
	}}
	for _, name := range []string{"edit dossier body", "edit a quote", "change actor role"} {
		steps[name] = edits[name]
	}
	for step, edit := range []string{"edit dossier body", "edit a quote's words", "edit dossier body", "edit a quote's words", "edit a quote",
		"change actor role", "edit dossier body", "edit a quote's words"} {
		b.Changed(steps[edit](dir, r)...)
		inc, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		want := all
		switch edit {
		case "edit a quote": // patched or not, as resolve sees it: the output is checked
			want = inc.Stats.Cards
		case "edit dossier body", "edit a quote's words":
			// The main dossier's card and its quotes': the quotes are
			// the dossier's in every language of this one-language site.
			want = 1
			for _, d := range inc.Site.Dossiers {
				if strings.Contains(mainDossier, "/"+d.Slug+"/") {
					want += len(d.Quotes)
				}
			}
		}
		if inc.Stats.Cards != want {
			t.Errorf("step %d (%s): %d cards named, want %d (of %d)", step, edit, inc.Stats.Cards, want, all)
		}
		clean, err := generator.Build(opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(inc.Tree) != len(clean.Tree) {
			t.Fatalf("step %d (%s): %d files incrementally, %d clean", step, edit, len(inc.Tree), len(clean.Tree))
		}
		for p, f := range clean.Tree {
			if !bytes.Equal(held(t, inc.Tree[p]), f.Data) || inc.Tree[p].From != f.From {
				t.Fatalf("step %d (%s): %s differs from a clean build", step, edit, p)
			}
		}
	}
}
