package parse

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/internal/corpus"
)

// storedSites are sites whose every file a stored cache must give back as
// parse made it: the example site, a generated corpus, and a site with
// what the corpus lacks (translations, images, attachments, sources,
// bylines, aliases, supersession, redirects, quotes of every kind).
func storedSites(t *testing.T) map[string][]load.File {
	t.Helper()
	sites := map[string][]load.File{}
	var errs diag.List
	sites["example"] = load.Content(os.DirFS("../.."), &errs)
	dir := t.TempDir()
	if _, err := corpus.Generate(corpus.Options{Dossiers: 40, Seed: 7}).Write(dir, ""); err != nil {
		t.Fatal(err)
	}
	sites["corpus"] = load.Content(os.DirFS(dir), &errs)
	sites["features"] = load.Content(featureSite(t), &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Err())
	}
	return sites
}

func featureSite(t *testing.T) fs.FS {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"content/dossiers/pact/index.md": "---\ntitle: \"Le pacte « ici »\"\ndate: 2024-06-19\nupdated: 2024-07-01\nsummary: Un résumé.\n" +
			"source: { publisher: Le Monde, url: \"https://example.org/a\", published: 2024-06-20, author: A. B. }\n" +
			"authors: [Anne, Bruno]\nactors: [kim, putin]\ntreaties: [pact-2024]\ntags: [Corée du Nord, Défense]\n" +
			"redirect_from: [/old/pact/]\nimage: { src: lead.jpg, alt: Le sommet, caption: Le sommet | Photo X }\n---\n" +
			"Texte avec [[kim]], [[putin#bio|le président]], [un lien](https://example.org) et ![une photo](map.png \"Carte | AFP\").\n\n" +
			"![decorative](lead.jpg)\n",
		"content/dossiers/pact/index.en.md": "---\ntitle: The pact\ndate: 2024-06-19\nactors: [kim]\n---\nText with [[kim]].\n",
		"content/dossiers/pact/quotes.md": "> Les mots [[putin]] de Kim.\n> Sur deux lignes.\n>\n> — [[kim]], 2024-06-19, à Pyongyang [[pact]] {key} {source=https://example.org/q}\n\n" +
			"> « fragment »\n>\n> — [[putin]], undated\n\n> Ce qu'il a dit.\n>\n> — [[kim]], 2024-06-20 {reported}\n",
		"content/dossiers/pact/map.png":    "png",
		"content/dossiers/empty/index.md":  "---\ntitle: Vide\ndate: 2024-01-01\ndraft: true\n---\n",
		"content/dossiers/empty/quotes.md": "",
		"content/actors/kim.md": "---\nname: Kim Jong-un\nkind: person\naliases: [Kim, Le dirigeant]\nrole: Dirigeant\ncountry: north-korea\n" +
			"redirect_from: [/old/kim/]\nimage: { src: kim.jpg, alt: decorative }\n---\nBio [[north-korea]].\n",
		"content/actors/kim.en.md":      "---\nname: Kim Jong Un\nkind: person\n---\n",
		"content/actors/putin.md":       "---\nname: Vladimir Poutine\nkind: person\n---\n",
		"content/actors/north-korea.md": "---\nname: Corée du Nord\nkind: state\n---\n",
		"content/treaties/pact-2024.md": "---\ntitle: Pacte\nkind: pact\nsigned: 2024-06-19\nparties: [north-korea]\nsignatories: [kim]\n" +
			"status: in-force\nsupersedes: [old-1961]\nredirect_from: [/old/t/]\n---\nTexte du [[kim]].\n",
		"content/treaties/old-1961.md": "---\ntitle: Traité de 1961\nsigned: 1961-07-11\nstatus: superseded\nsuperseded_by: pact-2024\n---\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return os.DirFS(dir)
}

// TestStoredCacheGivesBackWhatParseMade encodes the parse cache of each
// site, decodes it and parses the same files with it: the site is equal,
// field by field, to a clean parse's, and no file is parsed again. A
// field parse fills that Encode leaves out fails it.
func TestStoredCacheGivesBackWhatParseMade(t *testing.T) {
	eng := markdown.New(markdown.Options{})
	for name, files := range storedSites(t) {
		t.Run(name, func(t *testing.T) {
			parser := func(c *Cache) *Parser {
				return &Parser{Markdown: eng, SiteLang: "fr", Langs: []string{"fr", "en"}, Compact: true, Cache: c}
			}
			first := NewCache()
			var errs diag.List
			clean := parser(first).Site(files, &errs)
			if errs.Len() > 0 {
				t.Fatal(errs.Err())
			}
			data := first.Encode(files)
			stored := DecodeCache(data, eng)
			if got, want := len(stored.entries), textFiles(files); got != want {
				t.Fatalf("%d files stored, want %d", got, want)
			}
			again := parser(stored).Site(files, &errs)
			if errs.Len() > 0 {
				t.Fatal(errs.Err())
			}
			compareSites(t, again, clean)
			for path, e := range stored.entries {
				if e.stored != nil {
					t.Errorf("%s was not taken from the stored cache", path)
				}
			}
			if again := stored.Encode(files); string(again) != string(data) {
				t.Errorf("a cache stored again is not the same: %d bytes, was %d", len(again), len(data))
			}
		})
	}
}

func textFiles(files []load.File) int {
	n := 0
	for _, f := range files {
		if f.Kind.Text() {
			n++
		}
	}
	return n
}

// compareSites compares what parse made, field by field (Docs included:
// their text, links, images and engine).
func compareSites(t *testing.T, got, want *model.Site) {
	t.Helper()
	if len(got.Dossiers) != len(want.Dossiers) || len(got.Actors) != len(want.Actors) || len(got.Treaties) != len(want.Treaties) {
		t.Fatalf("got %d/%d/%d dossiers/actors/treaties, want %d/%d/%d", len(got.Dossiers), len(got.Actors), len(got.Treaties),
			len(want.Dossiers), len(want.Actors), len(want.Treaties))
	}
	for i := range want.Dossiers {
		if !reflect.DeepEqual(got.Dossiers[i], want.Dossiers[i]) {
			t.Errorf("dossier %s differs:\n got %+v\nwant %+v", want.Dossiers[i].File, got.Dossiers[i], want.Dossiers[i])
		}
	}
	for i := range want.Actors {
		if !reflect.DeepEqual(got.Actors[i], want.Actors[i]) {
			t.Errorf("actor %s differs:\n got %+v\nwant %+v", want.Actors[i].File, got.Actors[i], want.Actors[i])
		}
	}
	for i := range want.Treaties {
		if !reflect.DeepEqual(got.Treaties[i], want.Treaties[i]) {
			t.Errorf("treaty %s differs:\n got %+v\nwant %+v", want.Treaties[i].File, got.Treaties[i], want.Treaties[i])
		}
	}
}

// TestStoredCacheMisses checks that a stored entry is used only for the
// file it was made from: an edit of the same size, a longer file, or a
// stored value that does not decode are parsed again.
func TestStoredCacheMisses(t *testing.T) {
	eng := markdown.New(markdown.Options{})
	f := load.File{Path: "content/actors/kim.md", Kind: load.ActorFile, Slug: "kim",
		Data: []byte("---\nname: Kim\nkind: person\n---\nBio [[putin]].\n")}
	p := &Parser{Markdown: eng, SiteLang: "fr", Cache: NewCache()}
	var errs diag.List
	p.Site([]load.File{f}, &errs)
	data := p.Cache.Encode([]load.File{f})
	for _, tc := range []struct {
		name string
		edit func(load.File, []byte) (load.File, []byte)
		hit  bool
	}{
		{"same file", func(f load.File, d []byte) (load.File, []byte) { return f, d }, true},
		{"same size", func(f load.File, d []byte) (load.File, []byte) {
			f.Data = []byte(strings.Replace(string(f.Data), "Kim", "Kom", 1))
			return f, d
		}, false},
		{"longer", func(f load.File, d []byte) (load.File, []byte) {
			f.Data = append([]byte(string(f.Data)), "More.\n"...)
			return f, d
		}, false},
		{"other path", func(f load.File, d []byte) (load.File, []byte) {
			f.Path, f.Slug = "content/actors/kom.md", "kom"
			return f, d
		}, false},
		{"bad value", func(f load.File, d []byte) (load.File, []byte) {
			d = []byte(string(d))
			d[len(d)-2] = 0xff // a bool of the last Doc's image list or the like
			return f, d
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, d := tc.edit(f, data)
			c := DecodeCache(d, eng)
			c.lock()
			v, _, hit := c.getLocked(f)
			c.unlock()
			if hit != tc.hit {
				t.Fatalf("hit = %v, want %v", hit, tc.hit)
			}
			if hit && v.(*model.Actor).Name != "Kim" {
				t.Fatalf("got %+v", v)
			}
		})
	}
}

// FuzzDecodeCache checks that any bytes decode to a cache, never a panic,
// and that every entry looked up is decoded or refused.
func FuzzDecodeCache(f *testing.F) {
	eng := markdown.New(markdown.Options{})
	file := load.File{Path: "content/dossiers/d/index.md", Kind: load.DossierIndex, Slug: "d",
		Data: []byte("---\ntitle: T\ndate: 2024-01-02\nactors: [kim]\n---\nText [[kim]] ![a](b.png).\n")}
	p := &Parser{Markdown: eng, SiteLang: "fr", Cache: NewCache()}
	var errs diag.List
	p.Site([]load.File{file}, &errs)
	f.Add(p.Cache.Encode([]load.File{file}))
	f.Add([]byte{storedVersion, 1})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		// One value's bytes, against the file above.
		if len(data) > 0 {
			d := decoder{data: data[1:], file: file.Data, path: file.Path, engine: eng}
			if v := d.value(data[0]); !d.bad && v != nil {
				enc := encoder{data: file.Data}
				enc.value(v) // what decodes encodes
			}
		}
		c := DecodeCache(data, eng)
		for path, e := range c.entries {
			g := file
			g.Path = path
			if e.stored != nil && e.stored.size >= 0 && e.stored.size < 1<<20 {
				g.Data = make([]byte, e.stored.size)
			}
			c.lock()
			c.getLocked(g)
			c.getLocked(file)
			c.unlock()
		}
	})
}

// TestStoredCacheEncodesInOneBuffer: a cache whose every entry was taken
// from the last build's is encoded into one buffer made its size, not
// grown to it (a rebuild's ~100 MB at 10,000 dossiers were ~250 MB of
// allocation, the copies of the buffer as it grew).
func TestStoredCacheEncodesInOneBuffer(t *testing.T) {
	eng := markdown.New(markdown.Options{})
	files := storedSites(t)["corpus"]
	first := NewCache()
	var errs diag.List
	p := &Parser{Markdown: eng, SiteLang: "fr", Langs: []string{"fr", "en"}, Compact: true, Cache: first}
	p.Site(files, &errs)
	data := first.Encode(files)
	if len(data) < 128<<10 {
		t.Fatalf("the corpus encodes to %d bytes: too few to grow a buffer", len(data))
	}
	stored := DecodeCache(data, eng)
	p.Cache = stored
	p.Site(files, &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Err())
	}
	if n := testing.AllocsPerRun(1, func() { stored.Encode(files) }); n > 2 {
		t.Errorf("Encode of a stored cache made %v allocations, want at most 2 (its buffer and head)", n)
	}
}
