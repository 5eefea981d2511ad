package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cespare/xxhash/v2"
	"github.com/dossier-ssg/dossier/internal/corpus"
)

var reusedRE = regexp.MustCompile(`(\d+) pages and (\d+) Markdown texts unchanged since the last build, (\d+) files not parsed again, (\d+) search documents not analysed again`)

// cacheSite is a generated site with a build cache under test: build builds
// it into dest and reports how many pages and bodies the cache spared.
type cacheSite struct {
	t          *testing.T
	site, dest string
	parsed     int // files the last build took from the cache's parse
	analysed   int // search documents the last build took from the cache
}

func newCacheSite(t *testing.T) *cacheSite {
	t.Helper()
	site := filepath.Join(t.TempDir(), "site")
	if _, err := corpus.Generate(corpus.Options{Dossiers: 40, Seed: 5}).Write(site, ""); err != nil {
		t.Fatal(err)
	}
	return &cacheSite{t: t, site: site, dest: filepath.Join(t.TempDir(), "public")}
}

func (c *cacheSite) build(dest string, args ...string) (pages, bodies int) {
	c.t.Helper()
	code, out, errOut := runCLI(append([]string{"build", "--source", c.site, "--dest", dest}, args...)...)
	if code != 0 {
		c.t.Fatalf("build: exit %d: %s", code, errOut)
	}
	c.parsed, c.analysed = 0, 0
	if m := reusedRE.FindStringSubmatch(out); m != nil {
		pages, _ = strconv.Atoi(m[1])
		bodies, _ = strconv.Atoi(m[2])
		c.parsed, _ = strconv.Atoi(m[3])
		c.analysed, _ = strconv.Atoi(m[4])
	}
	return pages, bodies
}

// checkClean compares dest with a build from scratch (--no-cache, which
// also deletes the cache: call it last).
func (c *cacheSite) checkClean(step string) {
	c.t.Helper()
	clean := filepath.Join(c.t.TempDir(), "clean")
	c.build(clean, "--no-cache")
	sameAsClean(c.t, step, snapshot(c.t, c.dest), snapshot(c.t, clean))
}

// sameAsClean reports every file of a build, got, that differs from a
// clean build's, want, or that a clean build lacks.
func sameAsClean(t *testing.T, step string, got, want map[string]string) {
	t.Helper()
	for _, p := range slices.Sorted(maps.Keys(want)) {
		if got[p] != want[p] {
			t.Errorf("%s: %s differs from a clean build", step, p)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: %s is left over", step, p)
		}
	}
}

func (c *cacheSite) edit(rel, add string) {
	c.t.Helper()
	p := filepath.Join(c.site, filepath.FromSlash(rel))
	data, err := os.ReadFile(p)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(p, append(data, add...), 0o644); err != nil {
		c.t.Fatal(err)
	}
}

func (c *cacheSite) firstDossier() string {
	entries, err := os.ReadDir(filepath.Join(c.site, "content/dossiers"))
	if err != nil || len(entries) == 0 {
		c.t.Fatal("no dossier", err)
	}
	return "content/dossiers/" + entries[0].Name() + "/index.md"
}

// TestBuildCacheRebuildsWhatChanged: after a one-line edit, the second
// build renders one Markdown text and the pages that show the dossier,
// and its output equals a build from scratch.
func TestBuildCacheRebuildsWhatChanged(t *testing.T) {
	c := newCacheSite(t)
	if p, b := c.build(c.dest); p != 0 || b != 0 {
		t.Fatalf("first build reused %d pages, %d bodies: there was no cache", p, b)
	}
	allPages, allBodies := c.build(c.dest)
	allFiles, allDocs := c.parsed, c.analysed
	if allPages == 0 || allBodies == 0 || allFiles == 0 || allDocs == 0 {
		t.Fatalf("unchanged site: reused %d pages, %d bodies, %d files parsed, %d search documents", allPages, allBodies, allFiles, allDocs)
	}
	c.edit(c.firstDossier(), "\nUne phrase ajoutée.\n")
	pages, bodies := c.build(c.dest)
	if c.parsed != allFiles-1 {
		t.Errorf("after a one-line edit, %d of %d files not parsed again; want all but the edited one", c.parsed, allFiles)
	}
	if c.analysed != allDocs-1 {
		t.Errorf("after a one-line edit, %d of %d search documents not analysed again; want all but the edited one", c.analysed, allDocs)
	}
	if bodies != allBodies-1 {
		t.Errorf("after a one-line edit, %d of %d bodies reused; want all but the edited one", bodies, allBodies)
	}
	if pages >= allPages || pages < allPages/2 {
		t.Errorf("after a one-line edit, %d of %d pages reused; want all but those that show the dossier", pages, allPages)
	}
	c.checkClean("one-line edit")
}

// TestBuildCacheRemovesGonePages: a deleted dossier's pages leave the
// destination patched in place.
func TestBuildCacheRemovesGonePages(t *testing.T) {
	c := newCacheSite(t)
	c.build(c.dest)
	if err := os.RemoveAll(filepath.Join(c.site, filepath.Dir(c.firstDossier()))); err != nil {
		t.Fatal(err)
	}
	if p, _ := c.build(c.dest); p == 0 {
		t.Error("the build after a deletion reused no page")
	}
	c.checkClean("deleted dossier")
}

// TestBuildCacheDestinationAsTheCacheSays: the patched destination is made
// from the files the build cache knows, not from what the destination
// holds. A file dropped into it by hand is left out, as a clean build
// leaves it out; a file the cache knows that was removed from it makes
// the build clean (no page can stand on a missing file). Both times the
// output equals a build from scratch. (When the patch walked the
// destination, the first was kept and the second stayed missing.)
func TestBuildCacheDestinationAsTheCacheSays(t *testing.T) {
	c := newCacheSite(t)
	c.build(c.dest)
	for _, stray := range []string{"stray.txt", "dossiers/stray/index.html"} {
		p := filepath.Join(c.dest, filepath.FromSlash(stray))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("not dossier's"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c.edit(c.firstDossier(), "\nUne phrase ajoutée.\n")
	if p, _ := c.build(c.dest); p == 0 {
		t.Fatal("the build after a file was dropped into the destination reused no page")
	}
	for _, stray := range []string{"stray.txt", "dossiers/stray"} {
		if _, err := os.Lstat(filepath.Join(c.dest, filepath.FromSlash(stray))); err == nil {
			t.Errorf("%s, dropped into the destination, is still there", stray)
		}
	}

	// A page that stands unchanged through the next edit, removed.
	missing := filepath.Join(c.dest, "robots.txt")
	if err := os.Remove(missing); err != nil {
		t.Fatal(err)
	}
	c.edit(c.firstDossier(), "\nUne autre phrase.\n")
	c.build(c.dest)
	if _, err := os.Stat(missing); err != nil {
		t.Errorf("a file removed from the destination is still missing after a build: %v", err)
	}
	c.checkClean("destination changed by hand")
}

// TestBuildCacheNeverTrusted: a damaged cache, one of another version, and
// one that describes another destination are ignored: the build is
// clean and equals a build from scratch.
func TestBuildCacheNeverTrusted(t *testing.T) {
	damage := map[string]func(t *testing.T, c *cacheSite, data []byte) []byte{
		"corrupted": func(t *testing.T, c *cacheSite, data []byte) []byte {
			data[len(data)/2] ^= 0x55
			return data
		},
		"truncated": func(t *testing.T, c *cacheSite, data []byte) []byte { return data[:len(data)/2] },
		"empty":     func(t *testing.T, c *cacheSite, data []byte) []byte { return nil },
		"another version": func(t *testing.T, c *cacheSite, data []byte) []byte {
			// A well-formed cache, checksum and all, made under another key.
			const keyAt = len("dossier build cache\x00\x01")
			body := data[:len(data)-8]
			binary.LittleEndian.PutUint64(body[keyAt:], binary.LittleEndian.Uint64(body[keyAt:])+1)
			return binary.LittleEndian.AppendUint64(body, xxhash.Sum64(body))
		},
		"another destination": func(t *testing.T, c *cacheSite, _ []byte) []byte {
			c.build(filepath.Join(t.TempDir(), "elsewhere")) // the cache now describes that one
			data, err := os.ReadFile(filepath.Join(c.site, ".dossier-cache/build/state"))
			if err != nil {
				t.Fatal(err)
			}
			return data
		},
	}
	for name, fn := range damage {
		t.Run(name, func(t *testing.T) {
			c := newCacheSite(t)
			c.t = t
			c.build(c.dest)
			c.edit(c.firstDossier(), "\nUne phrase ajoutée.\n")
			state := filepath.Join(c.site, ".dossier-cache/build/state")
			data, err := os.ReadFile(state)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(state, fn(t, c, data), 0o644); err != nil {
				t.Fatal(err)
			}
			p, b := c.build(c.dest)
			if p != 0 || (b != 0 && name != "another destination") {
				t.Errorf("%s cache: %d pages and %d bodies taken from it", name, p, b)
			}
			// What parse made and the bodies rendered depend on the files
			// alone: a cache that describes another destination still
			// spares parsing and rendering them.
			if (c.parsed != 0 || c.analysed != 0) && name != "another destination" {
				t.Errorf("%s cache: %d files not parsed again, %d search documents not analysed again", name, c.parsed, c.analysed)
			}
			if name == "another destination" && (b == 0 || c.parsed == 0) {
				t.Errorf("a cache of another destination: %d bodies taken from it, %d files not parsed again; want both", b, c.parsed)
			}
			c.checkClean(name)
		})
	}
}

// TestBuildCacheIntoANewFolder: a build into a new folder (what the
// bench times as a warm build) with the cache of a build into another
// takes every body from the cache, renders none, and its output equals a
// build from scratch; so does a build after an edit, into a third folder.
func TestBuildCacheIntoANewFolder(t *testing.T) {
	c := newCacheSite(t)
	c.build(c.dest)
	_, all := c.build(c.dest) // the same destination: every body from the cache
	if all == 0 {
		t.Fatal("no body taken from the cache of the same destination")
	}
	c.dest = filepath.Join(t.TempDir(), "second")
	if p, b := c.build(c.dest); p != 0 || b != all {
		t.Errorf("into a new folder: %d pages and %d of %d bodies taken from the cache; want 0 pages and every body", p, b, all)
	}
	c.checkClean("a new folder")
	c.build(c.dest) // --no-cache above dropped the cache
	c.edit(c.firstDossier(), "\nUne phrase ajoutée.\n")
	c.dest = filepath.Join(t.TempDir(), "third")
	if _, b := c.build(c.dest); b != all-1 {
		t.Errorf("after an edit, into a new folder: %d of %d bodies taken from the cache; want all but the edited one", b, all)
	}
	c.checkClean("an edit, into a new folder")
}

// TestBuildCacheAfterAnImageChanged: an image file replaced under the same
// name gives the figure of a body that shows it new files (and, of another
// size, a new width, height and variants); a build with the cache, into
// the same folder or a new one, points the body at them (the Markdown text
// did not change), as a build from scratch does: the stored body is not
// taken, and the dossier's page, signed by its body's key while the body
// waits in the spill, is made again.
func TestBuildCacheAfterAnImageChanged(t *testing.T) {
	c := newCacheSite(t)
	dossier := c.firstDossier()
	writePNG := func(shade uint8, w, h int) {
		t.Helper()
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{shade, 80, 120, 255}}, image.Point{}, draw.Src)
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(c.site, filepath.Dir(dossier), "figure.png"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writePNG(10, 600, 400)
	c.edit(dossier, "\n![Une figure](figure.png)\n")
	c.build(c.dest)
	writePNG(200, 600, 400)
	c.build(c.dest)
	c.checkClean("an image replaced")
	writePNG(200, 400, 600)
	c.build(c.dest)
	c.checkClean("an image replaced by one of another size")
	writePNG(10, 600, 400)
	c.build(c.dest)
	writePNG(200, 600, 400)
	c.dest = filepath.Join(t.TempDir(), "new")
	c.build(c.dest)
	c.checkClean("an image replaced, into a new folder")
}

// TestBuildCacheAfterEditsOfEveryKind: edits of an actor's name, a
// treaty's text, a dossier's title and a quotes file, and a new actor,
// in one build with the cache: the files edited are parsed again, the
// others are taken from the cache, and the output equals a build from
// scratch.
func TestBuildCacheAfterEditsOfEveryKind(t *testing.T) {
	c := newCacheSite(t)
	c.build(c.dest)
	c.build(c.dest)
	all := c.parsed
	replace := func(dir, old, new string) {
		t.Helper()
		entries, err := os.ReadDir(filepath.Join(c.site, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			p := filepath.Join(c.site, dir, e.Name())
			if e.IsDir() {
				p = filepath.Join(p, "quotes.md")
			}
			data, err := os.ReadFile(p)
			if err == nil && strings.Contains(string(data), old) {
				if err := os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
		t.Fatalf("no file of %s holds %q", dir, old)
	}
	replace("content/actors", "role: \"", "role: \"Nouveau rôle, ")
	replace("content/dossiers", "> —", "> Une ligne de plus.\n>\n> —")
	c.edit(c.firstDossier(), "\nUne phrase avec [[nouvel-acteur]].\n")
	entries, _ := os.ReadDir(filepath.Join(c.site, "content/treaties"))
	c.edit("content/treaties/"+entries[0].Name(), "\nUn paragraphe de plus.\n")
	if err := os.WriteFile(filepath.Join(c.site, "content/actors/nouvel-acteur.md"), []byte("---\nname: Nouvel Acteur\nkind: person\n---\nBio.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.build(c.dest)
	if c.parsed != all-4 {
		t.Errorf("after editing 4 files and adding one, %d of %d files not parsed again; want %d", c.parsed, all, all-4)
	}
	c.checkClean("edits of every kind")
}

// TestBuildCacheAfterEditsOfWhatPrepareReads: a page's titles,
// description and JSON-LD are signed by what they are made from
// (render's prepareReads), not made to be signed: edits of what they are
// made from (a treaty's status, a dossier's source, an actor's aliases,
// which only the JSON-LD shows, a quote's words) make the pages again,
// and the output equals a clean build's.
func TestBuildCacheAfterEditsOfWhatPrepareReads(t *testing.T) {
	c := newCacheSite(t)
	c.build(c.dest)
	c.build(c.dest)
	entries, err := os.ReadDir(filepath.Join(c.site, "content/treaties"))
	if err != nil || len(entries) == 0 {
		t.Fatal("no treaty", err)
	}
	aliased := ""
	actors, _ := os.ReadDir(filepath.Join(c.site, "content/actors"))
	for _, e := range actors {
		if data, err := os.ReadFile(filepath.Join(c.site, "content/actors", e.Name())); err == nil && strings.Contains(string(data), "\naliases: [") {
			aliased = "content/actors/" + e.Name()
			break
		}
	}
	if aliased == "" {
		t.Fatal("no actor with aliases")
	}
	status := regexp.MustCompile(`\nstatus: [a-z-]+`)
	for _, e := range []struct {
		rel  string
		edit func(string) string
	}{
		{"content/treaties/" + entries[0].Name(), func(s string) string {
			if strings.Contains(s, "\nstatus: expired") {
				return status.ReplaceAllString(s, "\nstatus: in-force")
			}
			return status.ReplaceAllString(s, "\nstatus: expired")
		}},
		{c.firstDossier(), func(s string) string { return strings.Replace(s, "  author: \"", "  author: \"Autre ", 1) }},
		// An alias is shown only in the actor page's JSON-LD.
		{aliased, func(s string) string { return strings.Replace(s, "\naliases: [", "\naliases: [\"Alias ajouté\", ", 1) }},
		{strings.Replace(c.firstDossier(), "index.md", "quotes.md", 1), func(s string) string {
			return strings.Replace(s, "\n>\n> —", " Et encore.\n>\n> —", 1)
		}},
	} {
		p := filepath.Join(c.site, filepath.FromSlash(e.rel))
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		edited := e.edit(string(data))
		if edited == string(data) {
			t.Fatalf("%s: the edit changed nothing", e.rel)
		}
		if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if pages, _ := c.build(c.dest); pages == 0 {
		t.Fatal("nothing reused after three edits")
	}
	c.checkClean("edits of what Prepare reads")
}

// TestBuildCacheKeepsCards: a social card the last build wrote stands in
// the destination: a rebuild neither reads it from the image cache nor
// draws it (its name is the fingerprint of what it shows), yet keeps it in
// the image cache for a later clean build; a card whose text changed is
// drawn.
func TestBuildCacheKeepsCards(t *testing.T) {
	c := newCacheSite(t)
	c.build(c.dest)
	images := filepath.Join(c.site, ".dossier-cache/images")
	cards := func() int {
		t.Helper()
		n := 0
		_ = filepath.WalkDir(images, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".img") {
				n++
			}
			return nil
		})
		return n
	}
	drawn := cards()
	if drawn == 0 {
		t.Fatal("no card in the image cache: the site draws none")
	}
	c.edit(c.firstDossier(), "\nUne phrase ajoutée.\n")
	c.build(c.dest)
	if n := cards(); n != drawn {
		t.Fatalf("after a rebuild, %d cards in the image cache, want the %d the site shows", n, drawn)
	}
	// Without the image cache, a rebuild that changes no card draws none.
	if err := os.RemoveAll(images); err != nil {
		t.Fatal(err)
	}
	c.edit(c.firstDossier(), "\nUne autre phrase.\n")
	c.build(c.dest)
	if n := cards(); n != 0 {
		t.Errorf("a rebuild that changes no card drew %d", n)
	}
	// A quote edited: its card is drawn, the others stand.
	entries, _ := os.ReadDir(filepath.Join(c.site, "content/dossiers"))
	for _, e := range entries {
		p := filepath.Join(c.site, "content/dossiers", e.Name(), "quotes.md")
		data, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(data), "> ") {
			if err := os.WriteFile(p, []byte(strings.Replace(string(data), "> ", "> Ajouté ", 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	c.build(c.dest)
	if n := cards(); n != 1 {
		t.Errorf("a rebuild after a quote's edit drew %d cards, want 1", n)
	}
	c.checkClean("cards kept")
}
