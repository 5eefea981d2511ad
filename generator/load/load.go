// Package load owns the first stage and the site's file system. It walks a
// site's content/ folder, classifies every file by where it sits (dossier
// article, quotes, actor, treaty, attachment) and reads the text files into
// memory, refusing what could escape the site (symlinks pointing outside,
// loops), what is not a regular file (pipes, sockets, devices) or what is
// not text (invalid UTF-8). It knows nothing of front matter or Markdown.
//
// Every stage that reads the site folder reads it as an fs.FS; SiteFS is
// that file system for a folder on disk, with the guarantees above built in
// (OpenSite), and tests hand the stages an fstest.MapFS instead.
package load

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/safefile"
)

// Kind says what a content file is, from its place in the tree.
type Kind int

// The kinds of content file.
const (
	DossierIndex  Kind = iota + 1 // content/dossiers/<slug>/index.md
	DossierQuotes                 // content/dossiers/<slug>/quotes.md
	Attachment                    // content/dossiers/<slug>/<file>
	ActorFile                     // content/actors/<slug>.md
	TreatyFile                    // content/treaties/<slug>.md
	// Media is an image file beside actor or treaty files
	// (content/actors/kim-jong-un.jpg), published when a page shows it.
	Media
)

// Text reports whether files of the kind are read as text (Markdown):
// the others (attachments, media) are read when they are published.
func (k Kind) Text() bool { return k != Attachment && k != Media }

// ImageExts are the file name endings of the images a page can show.
var ImageExts = []string{".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg"}

// IsImage reports whether a file name ends like an image (any case).
func IsImage(name string) bool {
	lower := strings.ToLower(name)
	return slices.ContainsFunc(ImageExts, func(ext string) bool { return strings.HasSuffix(lower, ext) })
}

// MaxFileSize bounds a text file: larger ones are refused with an error
// rather than slowing every build (a 20 MB article is almost surely a mistake).
const MaxFileSize = 32 << 20

// File is one content file.
type File struct {
	Path string // slash-separated, relative to the site root: content/actors/kim.md
	Kind Kind
	Slug string // the dossier, actor or treaty slug the file belongs to
	// Lang is the language a file name gives (index.en.md, putin.en.md:
	// "en"), or "" for the site's default language.
	Lang string
	Data []byte // text with BOM removed and CRLF turned into LF; nil for attachments
	Size int64
	// Refused marks a text file that exists but could not be read (invalid
	// UTF-8, too large, a bad symlink…); the error is reported and Data is
	// nil. It is kept so that references to its slug are not reported again.
	Refused bool
}

// Content walks content/ of the site fsys and returns its files sorted by
// path. Every problem found is added to errs; files with problems are left
// out, except text files that could not be read, which come back Refused.
func Content(fsys fs.FS, errs *diag.List) []File {
	const root = "content"
	var files []File
	var paths []string // every file seen, for the case check
	// A content/ that is a link leaving the site is reported by the walk,
	// as any such link is.
	if _, err := fs.Stat(fsys, root); err != nil && !leavesSite(fsys, root) {
		errs.Add(diag.Pos{File: "content"}, "no content folder: %v", unwrapPathError(err))
		return nil
	}
	err := walk(fsys, root, func(rel string, d fs.DirEntry, err error) error {
		if err != nil {
			errs.Add(diag.Pos{File: rel}, "cannot read: %v", unwrapPathError(err))
			return nil
		}
		if rel != root && Ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		// A text file refused for what it is stays Refused, so that
		// references to its slug are not reported again.
		refused := func() error {
			if f, ok := classify(rel, &diag.List{}); ok && f.Kind.Text() {
				f.Refused = true
				files = append(files, f)
			}
			return nil
		}
		if t := d.Type(); t&fs.ModeSymlink == 0 && !t.IsDir() && !safefile.Regular(t) {
			errs.Append(irregular(rel, t))
			return refused()
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if !followSymlink(fsys, rel, errs) {
				return refused()
			}
		} else if d.IsDir() {
			return nil
		}
		paths = append(paths, rel)
		f, ok := classify(rel, errs)
		if !ok {
			return nil
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		errs.Add(diag.Pos{File: "content"}, "cannot walk: %v", err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	checkCase(paths, errs)
	readAll(fsys, files, errs)
	for i := range files {
		if files[i].Kind.Text() && files[i].Data == nil {
			files[i].Refused = true
		}
	}
	return files
}

// leavesSite reports whether name is a symlink that leads out of the site.
func leavesSite(fsys fs.FS, name string) bool {
	_, err := followLink(fsys, name)
	return errors.As(err, new(*OutsideError))
}

// walk is fs.WalkDir, except that a root that is a symlink is not followed:
// fn sees it as the link it is, as it sees every other entry.
func walk(fsys fs.FS, root string, fn fs.WalkDirFunc) error {
	info, err := fs.Lstat(fsys, root)
	if err != nil || info.Mode()&fs.ModeSymlink == 0 {
		return fs.WalkDir(fsys, root, fn)
	}
	if err := fn(root, fs.FileInfoToDirEntry(info), nil); err != fs.SkipDir && err != fs.SkipAll {
		return err
	}
	return nil
}

// Ignored reports whether a file or folder name is editor or system debris
// that a build must not see: hidden files, backups, swap and temp files.
func Ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		strings.HasPrefix(name, "#") || strings.HasSuffix(name, ".swp") ||
		strings.HasSuffix(name, ".swx") || strings.HasSuffix(name, ".tmp") ||
		strings.HasSuffix(name, ".bak") || strings.HasPrefix(name, "~$") ||
		strings.HasSuffix(name, "___jb_tmp___") || strings.HasSuffix(name, "___jb_old___") || // JetBrains safe write
		name == "4913" // vim's probe file when checking a folder is writable
}

// followSymlink reports whether the symlink rel may be read as a file:
// it must resolve, stay inside the site and not be a folder.
func followSymlink(fsys fs.FS, rel string, errs *diag.List) bool {
	info, err := followLink(fsys, rel)
	var broken *brokenLinkError
	var outside *OutsideError
	switch {
	case errors.As(err, &broken):
		errs.Add(diag.Pos{File: rel}, "%v", broken)
	case errors.As(err, &outside):
		errs.Add(diag.Pos{File: rel}, "%v", outside)
	case err != nil:
		errs.Add(diag.Pos{File: rel}, "cannot read: %v", unwrapPathError(err))
	case info.IsDir():
		errs.Add(diag.Pos{File: rel}, "symlinked folders are not followed; copy the folder or link its files one by one")
	case !safefile.Regular(info.Mode()):
		errs.Append(irregular(rel, info.Mode()))
	default:
		return true
	}
	return false
}

// irregular is the error of a named pipe, socket or device: opening one can
// block a build forever, so it is refused by its type, never opened.
func irregular(rel string, mode fs.FileMode) diag.Diagnostic {
	return diag.Diagnostic{Pos: diag.Pos{File: rel, Line: 1, Col: 1},
		Message: fmt.Sprintf("this is %s, not a regular file: a site holds only files and folders; remove it", safefile.Describe(mode))}
}

// Within reports whether path is dir or inside it, comparing whole path
// elements so that /site-leak is not inside /site.
func Within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	if err != nil {
		return false
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel))
}

// checkCase reports paths that differ only in case: on the disks of macOS
// and Windows they are one file, so a site would build differently there.
// The all-lower-case path (else the first) is kept; the others are reported.
func checkCase(paths []string, errs *diag.List) {
	groups := map[string][]string{}
	for _, p := range paths {
		groups[strings.ToLower(p)] = append(groups[strings.ToLower(p)], p)
	}
	for lower, group := range groups {
		if len(group) < 2 {
			continue
		}
		sort.Strings(group)
		keep := group[0]
		if slices.Contains(group, lower) {
			keep = lower
		}
		for _, p := range group {
			if p != keep {
				errs.Add(diag.Pos{File: p}, "differs only in case from %s: the two are one file on macOS and Windows disks; rename or merge them", keep)
			}
		}
	}
}

// classify decides a file's kind and slug from its path.
func classify(rel string, errs *diag.List) (File, bool) {
	if !utf8.ValidString(rel) {
		errs.Add(diag.Pos{File: strings.ToValidUTF8(rel, "\uFFFD")}, "file name %q is not valid UTF-8; rename it", path.Base(rel))
		return File{Path: rel}, false
	}
	if i := strings.IndexFunc(rel, func(r rune) bool { return r == '\\' || unicode.IsControl(r) }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(rel[i:])
		shown := strings.Map(func(r rune) rune { // one diagnostic, one line
			if unicode.IsControl(r) {
				return '\uFFFD'
			}
			return r
		}, rel)
		errs.Add(diag.Pos{File: shown}, "file name %q holds %q, which is a folder separator on Windows or an invisible character; rename it", path.Base(rel), r)
		return File{Path: rel}, false
	}
	parts := strings.Split(strings.TrimPrefix(rel, "content/"), "/")
	f := File{Path: rel}
	bad := func(format string, args ...any) (File, bool) {
		errs.Add(diag.Pos{File: rel}, format, args...)
		return f, false
	}
	switch {
	case parts[0] == "dossiers" && len(parts) == 3:
		f.Slug = parts[1]
		base, lang := SplitLang(parts[2])
		switch base {
		case "index.md":
			f.Kind, f.Lang = DossierIndex, lang
		case "quotes.md":
			f.Kind, f.Lang = DossierQuotes, lang
		default:
			if strings.HasSuffix(parts[2], ".md") {
				return bad("unexpected Markdown file: a dossier folder holds index.md, quotes.md and attachments")
			}
			f.Kind = Attachment
		}
	case parts[0] == "dossiers" && len(parts) > 3:
		f.Slug = parts[1]
		f.Kind = Attachment
	case (parts[0] == "actors" || parts[0] == "treaties") && len(parts) >= 2 && IsImage(parts[len(parts)-1]):
		f.Kind = Media
		return f, true
	case (parts[0] == "actors" || parts[0] == "treaties") && len(parts) == 2:
		name := parts[1]
		if !strings.HasSuffix(name, ".md") {
			return bad("unexpected file: %s/ holds only <slug>.md files and the images they show", parts[0])
		}
		base, lang := SplitLang(name)
		f.Slug, f.Lang = strings.TrimSuffix(base, ".md"), lang
		f.Kind = ActorFile
		if parts[0] == "treaties" {
			f.Kind = TreatyFile
		}
	default:
		return bad("unexpected file: content/ holds dossiers/<slug>/, actors/<slug>.md and treaties/<slug>.md")
	}
	if err := ValidSlug(f.Slug); err != "" {
		errs.Add(diag.Pos{File: rel}, "invalid slug %q: %s", f.Slug, err)
		return f, false
	}
	return f, true
}

// SplitLang splits the language suffix off a Markdown file name, as Hugo
// and Zola name translations: "putin.en.md" is "putin.md" in "en",
// "index.pt-br.md" is "index.md" in "pt-br". A name without one (or whose
// suffix is not a language code: two or three lower-case letters, then
// optionally "-" and a region of two to eight letters or digits) is
// returned whole, with lang "".
func SplitLang(name string) (base, lang string) {
	stem, ok := strings.CutSuffix(name, ".md")
	if !ok {
		return name, ""
	}
	i := strings.LastIndexByte(stem, '.')
	if i <= 0 || !langCode(stem[i+1:]) {
		return name, ""
	}
	return stem[:i] + ".md", stem[i+1:]
}

// langCode reports whether s looks like a language code: "en", "pt-br".
func langCode(s string) bool {
	code, region, hasRegion := strings.Cut(s, "-")
	letters := func(s string, lo, hi int, digits bool) bool {
		if len(s) < lo || len(s) > hi {
			return false
		}
		for _, c := range []byte(s) {
			if !(c >= 'a' && c <= 'z' || digits && c >= '0' && c <= '9') {
				return false
			}
		}
		return true
	}
	return letters(code, 2, 3, false) && (!hasRegion || letters(region, 2, 8, true))
}

// ValidSlug returns "" for a valid slug, else why it is not: a slug is
// lower-case ASCII letters, digits and single hyphens, at most 100 bytes.
func ValidSlug(s string) string {
	switch {
	case s == "":
		return "a slug cannot be empty"
	case len(s) > 100:
		return "a slug is at most 100 characters"
	case s[0] == '-' || s[len(s)-1] == '-':
		return "a slug cannot start or end with a hyphen"
	case strings.Contains(s, "--"):
		return "a slug cannot hold two hyphens in a row"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			if lower := strings.ToLower(s); lower != s && ValidSlug(lower) == "" {
				return fmt.Sprintf("use lower case (%q)", lower)
			}
			return "use only lower-case ASCII letters, digits and hyphens"
		}
	}
	return ""
}

// readAll reads the text files concurrently and normalises them.
func readAll(fsys fs.FS, files []File, errs *diag.List) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0)*2)
	for i := range files {
		f := &files[i]
		if f.Refused {
			continue
		}
		if !f.Kind.Text() {
			if info, err := fs.Stat(fsys, f.Path); err == nil {
				f.Size = info.Size()
			} else {
				errs.Add(diag.Pos{File: f.Path}, "cannot read: %v", unwrapPathError(err))
			}
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			data, err := ReadText(fsys, f.Path)
			if err != nil {
				errs.Append(err.(diag.Diagnostic))
				return
			}
			f.Data = data
			f.Size = int64(len(data))
		}()
	}
	wg.Wait()
}

// ReadText reads one text file: it refuses files over MaxFileSize and invalid
// UTF-8 (naming the first bad byte), strips a byte-order mark and turns CRLF
// into LF so that positions and output do not depend on the editor.
// Errors are diag.Diagnostic values.
func ReadText(fsys fs.FS, rel string) ([]byte, error) {
	data, err := readRegular(fsys, rel, MaxFileSize)
	var tooLarge *safefile.TooLargeError
	var notRegular *safefile.NotRegularError
	switch {
	case errors.As(err, &tooLarge):
		return nil, diag.Diagnostic{Pos: diag.Pos{File: rel}, Message: fmt.Sprintf("file is %d MB, over the %d MB limit for a text file", tooLarge.Size>>20, MaxFileSize>>20)}
	case errors.As(err, &notRegular):
		return nil, irregular(rel, notRegular.Mode)
	case err != nil:
		return nil, diag.Diagnostic{Pos: diag.Pos{File: rel}, Message: "cannot read: " + unwrapPathError(err).Error()}
	}
	return Normalize(data, rel)
}

// readRegular reads a whole regular file of fsys, refusing one over limit
// bytes. Its type is checked on the open file; through a SiteFS the open
// itself never blocks and refuses pipes, sockets and devices.
func readRegular(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !safefile.Regular(info.Mode()) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: &safefile.NotRegularError{Mode: info.Mode()}}
	}
	return safefile.ReadAll(f, info.Size(), limit)
}

// Normalize strips a BOM, turns CRLF (and a lone CR, the old Mac line
// ending, which YAML and Markdown also count as a line break) into LF and
// checks UTF-8.
func Normalize(data []byte, rel string) ([]byte, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		pos := diag.NewLineIndex(data).Pos(rel, off)
		return nil, diag.Diagnostic{Pos: pos, Message: "invalid UTF-8; save the file as UTF-8"}
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// unwrapPathError drops the path from an *fs.PathError: diagnostics name the
// file already.
func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// Slash converts an OS path to the slash form used in diagnostics.
func Slash(p string) string { return path.Clean(filepath.ToSlash(p)) }

// One loads a single content file of the site fsys after a change. present
// is false when the file is gone; rescan is true when the path cannot be
// handled alone (a folder, a symlink), and the caller should walk content/
// again.
func One(fsys fs.FS, rel string, errs *diag.List) (f File, present, rescan bool) {
	info, err := fs.Lstat(fsys, rel)
	if errors.Is(err, fs.ErrNotExist) {
		return File{}, false, false
	}
	if err != nil || info.IsDir() || info.Mode()&fs.ModeSymlink != 0 || Ignored(path.Base(rel)) {
		return File{}, false, err != nil || info.IsDir() || info.Mode()&fs.ModeSymlink != 0
	}
	f, ok := classify(rel, errs)
	if !ok {
		return File{}, false, false
	}
	if !safefile.Regular(info.Mode()) {
		errs.Append(irregular(rel, info.Mode()))
		if !f.Kind.Text() {
			return File{}, false, false
		}
		f.Refused = true
		return f, true, false
	}
	if !f.Kind.Text() {
		f.Size = info.Size()
		return f, true, false
	}
	data, err := ReadText(fsys, rel)
	if err != nil {
		errs.Append(err.(diag.Diagnostic))
		f.Refused = true // as in Content: its slug still exists
		return f, true, false
	}
	f.Data, f.Size = data, int64(len(data))
	return f, true, false
}
