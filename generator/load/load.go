// Package load owns the first stage: it walks a site's content/ folder,
// classifies every file by where it sits (dossier article, quotes, actor,
// treaty, attachment) and reads the text files into memory, refusing what
// could escape the site (symlinks pointing outside, loops) or what is not
// text (invalid UTF-8). It knows nothing of front matter or Markdown.
package load

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dossier-ssg/dossier/generator/diag"
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
)

// MaxFileSize bounds a text file: larger ones are refused with an error
// rather than slowing every build (a 20 MB article is almost surely a mistake).
const MaxFileSize = 32 << 20

// File is one content file.
type File struct {
	Path string // slash-separated, relative to the site root: content/actors/kim.md
	Abs  string // where to read it
	Kind Kind
	Slug string // the dossier, actor or treaty slug the file belongs to
	Data []byte // text with BOM removed and CRLF turned into LF; nil for attachments
	Size int64
}

// Content walks siteDir/content and returns its files sorted by path. Every
// problem found is added to errs; files with problems are left out.
func Content(siteDir string, errs *diag.List) []File {
	root := filepath.Join(siteDir, "content")
	var files []File
	if _, err := os.Stat(root); err != nil {
		errs.Add(diag.Pos{File: "content"}, "no content folder: %v", unwrapPathError(err))
		return nil
	}
	err := filepath.WalkDir(root, func(abs string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(siteDir, abs)
		rel = filepath.ToSlash(rel)
		if err != nil {
			errs.Add(diag.Pos{File: rel}, "cannot read: %v", unwrapPathError(err))
			return nil
		}
		if abs != root && Ignored(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, ok := checkSymlink(siteDir, abs, rel, errs)
			if !ok {
				return nil
			}
			info, err := os.Stat(target)
			if err != nil {
				errs.Add(diag.Pos{File: rel}, "cannot read: %v", unwrapPathError(err))
				return nil
			}
			if info.IsDir() {
				errs.Add(diag.Pos{File: rel}, "symlinked folders are not followed; copy the folder or link its files one by one")
				return nil
			}
		} else if d.IsDir() {
			return nil
		}
		f, ok := classify(rel, errs)
		if !ok {
			return nil
		}
		f.Abs = abs
		files = append(files, f)
		return nil
	})
	if err != nil {
		errs.Add(diag.Pos{File: "content"}, "cannot walk: %v", err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	readAll(files, errs)
	kept := files[:0]
	for _, f := range files {
		if f.Kind == Attachment || f.Data != nil {
			kept = append(kept, f)
		}
	}
	return kept
}

// Ignored reports whether a file or folder name is editor or system debris
// that a build must not see: hidden files, backups, swap and temp files.
func Ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		strings.HasPrefix(name, "#") || strings.HasSuffix(name, ".swp") ||
		strings.HasSuffix(name, ".swx") || strings.HasSuffix(name, ".tmp") ||
		strings.HasSuffix(name, ".bak") || strings.HasPrefix(name, "~$") ||
		name == "4913" // vim's probe file when checking a folder is writable
}

// checkSymlink resolves a symlink and refuses loops and targets outside the site.
func checkSymlink(siteDir, abs, rel string, errs *diag.List) (string, bool) {
	target, err := filepath.EvalSymlinks(abs)
	if err != nil {
		errs.Add(diag.Pos{File: rel}, "broken or looping symlink: %v", unwrapPathError(err))
		return "", false
	}
	siteReal, err := filepath.EvalSymlinks(siteDir)
	if err != nil {
		siteReal = siteDir
	}
	if !Within(siteReal, target) {
		errs.Add(diag.Pos{File: rel}, "symlink points outside the site (%s); copy the file into the site instead", target)
		return "", false
	}
	return target, true
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

// classify decides a file's kind and slug from its path.
func classify(rel string, errs *diag.List) (File, bool) {
	parts := strings.Split(strings.TrimPrefix(rel, "content/"), "/")
	f := File{Path: rel}
	bad := func(format string, args ...any) (File, bool) {
		errs.Add(diag.Pos{File: rel}, format, args...)
		return f, false
	}
	switch {
	case parts[0] == "dossiers" && len(parts) == 3:
		f.Slug = parts[1]
		switch parts[2] {
		case "index.md":
			f.Kind = DossierIndex
		case "quotes.md":
			f.Kind = DossierQuotes
		default:
			if strings.HasSuffix(parts[2], ".md") {
				return bad("unexpected Markdown file: a dossier folder holds index.md, quotes.md and attachments")
			}
			f.Kind = Attachment
		}
	case parts[0] == "dossiers" && len(parts) > 3:
		f.Slug = parts[1]
		f.Kind = Attachment
	case (parts[0] == "actors" || parts[0] == "treaties") && len(parts) == 2:
		name := parts[1]
		if !strings.HasSuffix(name, ".md") {
			return bad("unexpected file: %s/ holds only <slug>.md files", parts[0])
		}
		f.Slug = strings.TrimSuffix(name, ".md")
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
func readAll(files []File, errs *diag.List) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0)*2)
	for i := range files {
		f := &files[i]
		if f.Kind == Attachment {
			if info, err := os.Stat(f.Abs); err == nil {
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
			data, err := ReadText(f.Abs, f.Path)
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
func ReadText(abs, rel string) ([]byte, error) {
	info, err := os.Stat(abs)
	if err != nil {
		return nil, diag.Diagnostic{Pos: diag.Pos{File: rel}, Message: "cannot read: " + unwrapPathError(err).Error()}
	}
	if info.Size() > MaxFileSize {
		return nil, diag.Diagnostic{Pos: diag.Pos{File: rel}, Message: fmt.Sprintf("file is %d MB, over the %d MB limit for a text file", info.Size()>>20, MaxFileSize>>20)}
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, diag.Diagnostic{Pos: diag.Pos{File: rel}, Message: "cannot read: " + unwrapPathError(err).Error()}
	}
	return Normalize(data, rel)
}

// Normalize strips a BOM, turns CRLF into LF and checks UTF-8.
func Normalize(data []byte, rel string) ([]byte, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.Contains(data, []byte("\r\n")) {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
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
