package parse

import (
	"fmt"
	"testing"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
)

// patchFiles is a site of n dossiers, each with quotes and an attachment,
// the first also in English (without quotes of its own), and an actor and
// a treaty, sorted by path as load gives them.
func patchFiles(n int) []load.File {
	files := []load.File{
		{Path: "content/actors/kim.md", Kind: load.ActorFile, Slug: "kim", Data: []byte("---\nname: Kim\nkind: person\n---\n")},
	}
	for i := range n {
		slug := fmt.Sprintf("d%03d", i)
		dir := "content/dossiers/" + slug + "/"
		if i == 0 {
			files = append(files, load.File{Path: dir + "index.en.md", Kind: load.DossierIndex, Slug: slug, Lang: "en",
				Data: []byte("---\ntitle: D in English\ndate: 2024-01-02\n---\nText.\n")})
		}
		files = append(files,
			load.File{Path: dir + "index.md", Kind: load.DossierIndex, Slug: slug, Data: []byte(fmt.Sprintf("---\ntitle: D %d\ndate: 2024-01-02\n---\nTexte %d.\n", i, i))},
			load.File{Path: dir + "map.png", Kind: load.Attachment, Slug: slug},
			load.File{Path: dir + "quotes.md", Kind: load.DossierQuotes, Slug: slug, Data: []byte(fmt.Sprintf("> Mots %d.\n>\n> — [[kim]], 2024-01-02\n", i))})
	}
	return append(files, load.File{Path: "content/treaties/t.md", Kind: load.TreatyFile, Slug: "t",
		Data: []byte("---\ntitle: T\nkind: treaty\nstatus: in-force\nsigned: 2000-01-01\nparties: [kim]\n---\n")})
}

// sameSite fails unless two sites hold the same entities, in the same
// order, with the same values (their folders included).
func sameSite(t *testing.T, step string, got, want *model.Site) {
	t.Helper()
	if len(got.Dossiers) != len(want.Dossiers) || len(got.Actors) != len(want.Actors) || len(got.Treaties) != len(want.Treaties) || len(got.Broken) != len(want.Broken) {
		t.Fatalf("%s: %d dossiers, %d actors, %d treaties, %d broken; want %d, %d, %d, %d", step, len(got.Dossiers), len(got.Actors), len(got.Treaties), len(got.Broken),
			len(want.Dossiers), len(want.Actors), len(want.Treaties), len(want.Broken))
	}
	for i, d := range got.Dossiers {
		w := want.Dossiers[i]
		if d.Slug != w.Slug || d.Lang != w.Lang || d.Title != w.Title || d.Stamp != w.Stamp || string(d.Body.Src) != string(w.Body.Src) ||
			fmt.Sprint(d.Attachments) != fmt.Sprint(w.Attachments) || len(d.Quotes) != len(w.Quotes) {
			t.Fatalf("%s: dossier %d is %s/%s %q, want %s/%s %q", step, i, d.Slug, d.Lang, d.Title, w.Slug, w.Lang, w.Title)
		}
		for k, q := range d.Quotes {
			if string(q.Text.Src) != string(w.Quotes[k].Text.Src) {
				t.Fatalf("%s: dossier %s's quote %d says %q, want %q", step, d.Slug, k, q.Text.Src, w.Quotes[k].Text.Src)
			}
		}
	}
	for i, a := range got.Actors {
		if a.Name != want.Actors[i].Name {
			t.Fatalf("%s: actor %q, want %q", step, a.Name, want.Actors[i].Name)
		}
	}
	for i, tr := range got.Treaties {
		if tr.Title != want.Treaties[i].Title {
			t.Fatalf("%s: treaty %q, want %q", step, tr.Title, want.Treaties[i].Title)
		}
	}
}

// With a cache, a Site call given the last call's files but a few looks
// up and assembles only those few (a save in the dev loop costs parse
// what changed, not the site), and makes the site a parser without a
// cache makes of the same files. A broken file, or another list of files,
// takes the whole site again.
func TestSiteWithCacheAssemblesOnlyWhatChanged(t *testing.T) {
	const n = 60
	files := patchFiles(n)
	engine := markdown.New(markdown.Options{})
	p := &Parser{Markdown: engine, SiteLang: "fr", Langs: []string{"fr", "en"}, Cache: NewCache()}
	parse := func(step string, files []load.File, wantLooked, wantAssembled int) {
		t.Helper()
		var errs, cleanErrs diag.List
		got := p.Site(files, &errs)
		clean := (&Parser{Markdown: engine, SiteLang: "fr", Langs: []string{"fr", "en"}}).Site(files, &cleanErrs)
		if fmt.Sprint(errs.Sorted()) != fmt.Sprint(cleanErrs.Sorted()) {
			t.Fatalf("%s: errors %v, want %v", step, errs.Sorted(), cleanErrs.Sorted())
		}
		if step != "a broken body" && errs.Len() > 0 {
			t.Fatalf("%s: %v", step, errs.Err())
		}
		sameSite(t, step, got, clean)
		if wantLooked >= 0 && (p.Cache.looked != wantLooked || p.Cache.assembled != wantAssembled) {
			t.Errorf("%s: %d files looked up, %d dossiers assembled; want %d and %d", step, p.Cache.looked, p.Cache.assembled, wantLooked, wantAssembled)
		}
	}
	parse("first", files, len(files), n+1)
	edit := func(path, data string) []load.File {
		files = append([]load.File(nil), files...)
		for i := range files {
			if files[i].Path == path {
				files[i].Data = []byte(data)
			}
		}
		return files
	}
	parse("same files", files, 0, 0)
	parse("a body", edit("content/dossiers/d007/index.md", "---\ntitle: D 7 bis\ndate: 2024-01-02\n---\nAutre texte.\n"), 1, 1)
	parse("a quote", edit("content/dossiers/d009/quotes.md", "> Autres mots.\n>\n> — [[kim]], 2024-01-03\n"), 1, 1)
	// The English dossier shows the French quotes: both are assembled again.
	parse("the translated dossier's quotes", edit("content/dossiers/d000/quotes.md", "> Mots neufs.\n>\n> — [[kim]], 2024-01-03\n"), 1, 2)
	parse("an actor", edit("content/actors/kim.md", "---\nname: Kim Jong-un\nkind: person\n---\n"), 1, 0)
	parse("a treaty", edit("content/treaties/t.md", "---\ntitle: T bis\nkind: treaty\nstatus: in-force\nsigned: 2000-01-01\nparties: [kim]\n---\n"), 1, 0)
	parse("the same bytes again", edit("content/dossiers/d007/index.md", "---\ntitle: D 7 bis\ndate: 2024-01-02\n---\nAutre texte.\n"), 1, 1)
	parse("a broken body", edit("content/dossiers/d011/index.md", "---\ntitle: [\n---\n"), 1, n)
	// The call before was broken: the whole site again, then a patch.
	parse("mended", edit("content/dossiers/d011/index.md", "---\ntitle: D 11\ndate: 2024-01-02\n---\nTexte.\n"), len(files), n+1)
	parse("a body after", edit("content/dossiers/d012/index.md", "---\ntitle: D 12 bis\ndate: 2024-01-02\n---\nTexte.\n"), 1, 1)
	// A new file: another list, the whole site again.
	files = append(files, load.File{Path: "content/dossiers/zzz/index.md", Kind: load.DossierIndex, Slug: "zzz",
		Data: []byte("---\ntitle: Z\ndate: 2024-01-02\n---\nTexte.\n")})
	parse("a new dossier", files, len(files), n+2)
}
