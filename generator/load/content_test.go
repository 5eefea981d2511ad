package load

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dossier-ssg/dossier/generator/diag"
)

// Where a real folder is not the point, a site is a MapFS: these tests
// hold what Content makes of each file by its place and type.

const actor = "---\nname: Kim\nkind: person\n---\n"

func file(text string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(text)} }

func link(target string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte(target), Mode: fs.ModeSymlink}
}

// loaded is one file of Content's answer, in short.
type loaded struct {
	Path    string
	Kind    Kind
	Slug    string
	Data    string
	Refused bool
}

func TestContentOnAMapFS(t *testing.T) {
	for _, tc := range []struct {
		name  string
		site  fstest.MapFS
		files []loaded
		errs  []string // diagnostics, as printed
	}{
		{
			name: "every kind by its place",
			site: fstest.MapFS{
				"content/dossiers/pact/index.md":             file("---\ntitle: T\n---\n"),
				"content/dossiers/pact/quotes.md":            file("q"),
				"content/dossiers/pact/map.png":              file("png"),
				"content/dossiers/pact/scans/p1.jpg":         file("jpg"),
				"content/actors/kim.md":                      file(actor),
				"content/treaties/pact-2024.md":              file("t"),
				"content/actors/.kim.md.swp":                 file("debris"),
				"content/actors/kim.md~":                     file("debris"),
				"content/dossiers/.git/config":               file("hidden folder"),
				"dossier.toml":                               file("not content"),
				"content/dossiers/pact/notes.tmp":            file("debris"),
				"content/dossiers/pact/scans/.DS_Store":      file("debris"),
				"content/treaties/pact-2024.md.bak":          file("debris"),
				"content/dossiers/pact/scans/4913":           file("vim's probe"),
				"content/dossiers/pact/#index.md#":           file("emacs"),
				"content/dossiers/pact/index.md___jb_tmp___": file("JetBrains"),
			},
			files: []loaded{
				{Path: "content/actors/kim.md", Kind: ActorFile, Slug: "kim", Data: actor},
				{Path: "content/dossiers/pact/index.md", Kind: DossierIndex, Slug: "pact", Data: "---\ntitle: T\n---\n"},
				{Path: "content/dossiers/pact/map.png", Kind: Attachment, Slug: "pact"},
				{Path: "content/dossiers/pact/quotes.md", Kind: DossierQuotes, Slug: "pact", Data: "q"},
				{Path: "content/dossiers/pact/scans/p1.jpg", Kind: Attachment, Slug: "pact"},
				{Path: "content/treaties/pact-2024.md", Kind: TreatyFile, Slug: "pact-2024", Data: "t"},
			},
		},
		{
			name:  "text is normalised",
			site:  fstest.MapFS{"content/actors/kim.md": file("\xef\xbb\xbfa\r\nb\rc")},
			files: []loaded{{Path: "content/actors/kim.md", Kind: ActorFile, Slug: "kim", Data: "a\nb\nc"}},
		},
		{
			name: "files in the wrong place",
			site: fstest.MapFS{
				"content/readme.md":              file("x"),
				"content/actors/kim.txt":         file("x"),
				"content/dossiers/pact/extra.md": file("x"),
				"content/actors/Kim.md":          file(actor),
				"content/treaties/a--b.md":       file("x"),
			},
			errs: []string{
				`content/actors/Kim.md: invalid slug "Kim": use lower case ("kim")`,
				"content/actors/kim.txt: unexpected file: actors/ holds only <slug>.md files and the images they show",
				"content/dossiers/pact/extra.md: unexpected Markdown file: a dossier folder holds index.md, quotes.md and attachments",
				"content/readme.md: unexpected file: content/ holds dossiers/<slug>/, actors/<slug>.md and treaties/<slug>.md",
				`content/treaties/a--b.md: invalid slug "a--b": a slug cannot hold two hyphens in a row`,
			},
		},
		{
			name: "names that differ only in case",
			site: fstest.MapFS{
				"content/dossiers/pact/Map.png": file("1"),
				"content/dossiers/pact/map.png": file("2"),
			},
			files: []loaded{
				{Path: "content/dossiers/pact/Map.png", Kind: Attachment, Slug: "pact"},
				{Path: "content/dossiers/pact/map.png", Kind: Attachment, Slug: "pact"},
			},
			errs: []string{"content/dossiers/pact/Map.png: differs only in case from content/dossiers/pact/map.png: the two are one file on macOS and Windows disks; rename or merge them"},
		},
		{
			name:  "invalid UTF-8 is refused at its first byte",
			site:  fstest.MapFS{"content/actors/kim.md": file("ok\nok \xff")},
			files: []loaded{{Path: "content/actors/kim.md", Kind: ActorFile, Slug: "kim", Refused: true}},
			errs:  []string{"content/actors/kim.md:2:4: invalid UTF-8; save the file as UTF-8"},
		},
		{
			name: "what is not a file is refused by its type, never opened",
			site: fstest.MapFS{
				"content/actors/pipe.md":     {Mode: fs.ModeNamedPipe},
				"content/dossiers/pact/sock": {Mode: fs.ModeSocket},
				"content/treaties/dev.md":    {Mode: fs.ModeDevice | fs.ModeCharDevice},
			},
			files: []loaded{
				{Path: "content/actors/pipe.md", Kind: ActorFile, Slug: "pipe", Refused: true},
				{Path: "content/treaties/dev.md", Kind: TreatyFile, Slug: "dev", Refused: true},
			},
			errs: []string{
				"content/actors/pipe.md:1:1: this is a named pipe, not a regular file: a site holds only files and folders; remove it",
				"content/dossiers/pact/sock:1:1: this is a socket, not a regular file: a site holds only files and folders; remove it",
				"content/treaties/dev.md:1:1: this is a character device, not a regular file: a site holds only files and folders; remove it",
			},
		},
		{
			name: "a symlink inside the site is followed",
			site: fstest.MapFS{
				"shared/kim.md":                 file(actor),
				"content/actors/kim.md":         link("../../shared/kim.md"),
				"content/actors/kim-jong-un.md": link("kim.md"), // a chain
				"content/dossiers/pact/map.png": link("../../../shared/map.png"),
				"shared/map.png":                file("png"),
			},
			files: []loaded{
				{Path: "content/actors/kim-jong-un.md", Kind: ActorFile, Slug: "kim-jong-un", Data: actor},
				{Path: "content/actors/kim.md", Kind: ActorFile, Slug: "kim", Data: actor},
				{Path: "content/dossiers/pact/map.png", Kind: Attachment, Slug: "pact"},
			},
		},
		{
			name: "symlinks that leave the site, break, loop or name a folder are refused",
			site: fstest.MapFS{
				"content/actors/climb.md":    link("../../../secret.md"),
				"content/actors/abs.md":      link("/etc/passwd"),
				"content/actors/ghost.md":    link("nowhere.md"),
				"content/actors/loop.md":     link("loop.md"),
				"content/treaties/folder.md": link("../actors"),
				"content/dossiers/pact/pipe": link("../../../p"),
				"p":                          {Mode: fs.ModeNamedPipe},
				"content/dossiers/elsewhere": link("../../shared"),
				"shared/index.md":            file("x"),
			},
			files: []loaded{
				{Path: "content/actors/abs.md", Kind: ActorFile, Slug: "abs", Refused: true},
				{Path: "content/actors/climb.md", Kind: ActorFile, Slug: "climb", Refused: true},
				{Path: "content/actors/ghost.md", Kind: ActorFile, Slug: "ghost", Refused: true},
				{Path: "content/actors/loop.md", Kind: ActorFile, Slug: "loop", Refused: true},
				{Path: "content/treaties/folder.md", Kind: TreatyFile, Slug: "folder", Refused: true},
			},
			errs: []string{
				"content/actors/abs.md: symlink points outside the site (/etc/passwd); copy the file into the site instead",
				"content/actors/climb.md: symlink points outside the site (../../../secret.md); copy the file into the site instead",
				"content/actors/ghost.md: broken or looping symlink: its target nowhere.md does not exist; fix or remove the link",
				"content/actors/loop.md: broken or looping symlink: it leads back to itself through loop.md; fix or remove the link",
				"content/dossiers/elsewhere: symlinked folders are not followed; copy the folder or link its files one by one",
				"content/dossiers/pact/pipe:1:1: this is a named pipe, not a regular file: a site holds only files and folders; remove it",
				"content/treaties/folder.md: symlinked folders are not followed; copy the folder or link its files one by one",
			},
		},
		{
			name: "no content folder",
			site: fstest.MapFS{"dossier.toml": file("")},
			errs: []string{"content: no content folder: file does not exist"},
		},
		{
			name: "content/ itself a link out of the site",
			site: fstest.MapFS{"content": link("../elsewhere")},
			errs: []string{"content: symlink points outside the site (../elsewhere); copy the file into the site instead"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var errs diag.List
			var got []loaded
			for _, f := range Content(tc.site, &errs) {
				got = append(got, loaded{Path: f.Path, Kind: f.Kind, Slug: f.Slug, Data: string(f.Data), Refused: f.Refused})
			}
			if !slices.Equal(got, tc.files) {
				t.Errorf("files:\n got %+v\nwant %+v", got, tc.files)
			}
			if msgs := messages(&errs); !slices.Equal(msgs, tc.errs) {
				t.Errorf("errors:\n got %s\nwant %s", strings.Join(msgs, "\n     "), strings.Join(tc.errs, "\n     "))
			}
		})
	}
}

func messages(errs *diag.List) []string {
	var out []string
	for _, d := range errs.Sorted() {
		out = append(out, d.String())
	}
	return out
}

// The watcher's path: One reads one file again, or says the caller must
// walk content/ again (a folder, a symlink).
func TestOneOnAMapFS(t *testing.T) {
	site := fstest.MapFS{
		"content/actors/kim.md":         file(actor),
		"content/actors/bad.md":         file("\xff"),
		"content/actors/pipe.md":        {Mode: fs.ModeNamedPipe},
		"content/actors/link.md":        link("kim.md"),
		"content/dossiers/pact/map.png": file("png"),
		"content/actors/.kim.md.swp":    file("debris"),
	}
	for _, tc := range []struct {
		path            string
		want            loaded
		present, rescan bool
		errs            []string
	}{
		{path: "content/actors/kim.md", want: loaded{Path: "content/actors/kim.md", Kind: ActorFile, Slug: "kim", Data: actor}, present: true},
		{path: "content/dossiers/pact/map.png", want: loaded{Path: "content/dossiers/pact/map.png", Kind: Attachment, Slug: "pact"}, present: true},
		{path: "content/actors/gone.md"},
		{path: "content/actors/.kim.md.swp"},
		{path: "content/actors/link.md", rescan: true},
		{path: "content/dossiers/pact", rescan: true},
		{path: "content/actors/bad.md", want: loaded{Path: "content/actors/bad.md", Kind: ActorFile, Slug: "bad", Refused: true}, present: true,
			errs: []string{"content/actors/bad.md:1:1: invalid UTF-8; save the file as UTF-8"}},
		{path: "content/actors/pipe.md", want: loaded{Path: "content/actors/pipe.md", Kind: ActorFile, Slug: "pipe", Refused: true}, present: true,
			errs: []string{"content/actors/pipe.md:1:1: this is a named pipe, not a regular file: a site holds only files and folders; remove it"}},
	} {
		var errs diag.List
		f, present, rescan := One(site, tc.path, &errs)
		got := loaded{Path: f.Path, Kind: f.Kind, Slug: f.Slug, Data: string(f.Data), Refused: f.Refused}
		if got != tc.want || present != tc.present || rescan != tc.rescan {
			t.Errorf("One(%s) = %+v, present %v, rescan %v; want %+v, %v, %v", tc.path, got, present, rescan, tc.want, tc.present, tc.rescan)
		}
		if msgs := messages(&errs); !slices.Equal(msgs, tc.errs) {
			t.Errorf("One(%s) errors = %q, want %q", tc.path, msgs, tc.errs)
		}
	}
}
