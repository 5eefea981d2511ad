package serve

import (
	"crypto/sha512"
	"encoding/base64"
	"github.com/dossier-ssg/dossier/generator/output"
	"maps"
	"mime"
	"net/http"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// snapshot is one good build, ready to serve. It is never modified once
// stored: a rebuild makes a new one. Its files are a base map shared by a
// run of snapshots plus a small overlay of what changed since, so a save
// costs the size of what it changed, not a copy of the site.
type snapshot struct {
	gen   string // "<instance>.<n>": changes whenever the site does
	base  string // the site's base path: "/" or "/sub/"
	files map[string]*entry
	over  map[string]*entry // changes on top of files; nil: removed
	pages int               // HTML pages
}

// file returns the entry served at the output path p, or nil.
func (s *snapshot) file(p string) *entry {
	if e, ok := s.over[p]; ok {
		return e
	}
	return s.files[p]
}

// entry is one servable file.
type entry struct {
	data   []byte         // nil for a file read from disk at request time
	stored *output.Stored // the bytes, kept on disk by the build (data nil)
	from   string
	ctype  string
	etag   string
	html   bool // gets the live-reload script
}

// newSnapshot makes the snapshot of a build, reusing the entries of old that
// did not change, and lists the output paths added, changed or removed.
// changed holds the absolute paths of the source files that changed, so that
// an attachment rewritten in place counts as changed.
func newSnapshot(old *snapshot, res *output.Site, changed map[string]bool, gen string) (*snapshot, []string) {
	next := &snapshot{gen: gen, base: res.BasePath, files: make(map[string]*entry, len(res.Tree))}
	var updated []string
	etag := `"` + gen + `"`
	for p, f := range res.Tree {
		var prev *entry
		if old != nil {
			prev = old.file(p)
		}
		if prev != nil && sameFile(prev, f, changed) {
			next.files[p] = prev
		} else {
			next.files[p] = newEntry(p, f, etag)
			updated = append(updated, p)
		}
		if next.files[p].html {
			next.pages++
		}
	}
	if old != nil {
		old.each(func(p string, _ *entry) {
			if _, ok := next.files[p]; !ok {
				updated = append(updated, p)
			}
		})
	}
	if old == nil {
		updated = nil // the first build: nothing to compare with
	}
	sort.Strings(updated)
	return next, updated
}

// patchSnapshot is newSnapshot when the build says which output paths it
// updated (generator.Builder.Updated): only those are looked at.
func patchSnapshot(old *snapshot, res *output.Site, paths []string, changed map[string]bool, gen string) (*snapshot, []string) {
	next := &snapshot{gen: gen, base: res.BasePath, files: old.files, over: maps.Clone(old.over), pages: old.pages}
	if next.over == nil {
		next.over = map[string]*entry{}
	}
	var updated []string
	etag := `"` + gen + `"`
	for _, p := range paths {
		prev := old.file(p)
		f, ok := res.Tree[p]
		switch {
		case !ok && prev == nil:
			continue
		case !ok:
			next.over[p] = nil
		case prev != nil && sameFile(prev, f, changed):
			continue
		default:
			next.over[p] = newEntry(p, f, etag)
		}
		if prev != nil && prev.html {
			next.pages--
		}
		if e := next.over[p]; e != nil && e.html {
			next.pages++
		}
		updated = append(updated, p)
	}
	// Fold the overlay into a new base once it is no longer small, so
	// lookups stay one map probe and the overlay copy above stays cheap.
	if len(next.over) > 64+len(next.files)/16 {
		files := make(map[string]*entry, len(next.files)+len(next.over))
		next.each(func(p string, e *entry) { files[p] = e })
		next.files, next.over = files, nil
	}
	sort.Strings(updated)
	return next, updated
}

// each calls fn for every file of the snapshot.
func (s *snapshot) each(fn func(p string, e *entry)) {
	for p, e := range s.files {
		if _, ok := s.over[p]; !ok {
			fn(p, e)
		}
	}
	for p, e := range s.over {
		if e != nil {
			fn(p, e)
		}
	}
}

func sameFile(prev *entry, f output.File, changed map[string]bool) bool {
	if f.Data != nil || f.Stored != nil || f.From == "" { // made by the build
		return prev.built() && output.File{Data: prev.data, Stored: prev.stored}.SameBytes(f)
	}
	if prev.built() || prev.from != f.From {
		return false
	}
	abs, err := filepath.Abs(f.From)
	return err == nil && !changed[abs]
}

func newEntry(p string, f output.File, etag string) *entry {
	data, from := f.Data, f.From
	if data == nil && from == "" && f.Stored == nil {
		data = []byte{}
	}
	e := &entry{data: data, stored: f.Stored, from: from, etag: etag}
	e.ctype = mime.TypeByExtension(path.Ext(p))
	if e.ctype == "" {
		if built := e.bytes(); built != nil {
			e.ctype = http.DetectContentType(built)
		} else {
			e.ctype = "application/octet-stream"
		}
	}
	mediaType, _, _ := mime.ParseMediaType(e.ctype)
	// Only pages the build made get the script; attachments are served as they are.
	e.html = mediaType == "text/html" && e.built()
	return e
}

// built reports whether the build made the entry's bytes (in memory or
// stored), rather than naming a source file to serve.
func (e *entry) built() bool { return e.data != nil || e.stored != nil }

// bytes returns the bytes the build made, nil for a source file (or bytes
// stored that can no longer be read).
func (e *entry) bytes() []byte {
	if e.stored != nil {
		data, err := e.stored.Bytes()
		if err != nil {
			return nil
		}
		return data
	}
	return e.data
}

// sheet tells a page to point the <link rel=stylesheet> whose path starts
// with Prefix and ends with Suffix (a fingerprint between them) at Href.
type sheet struct {
	Prefix    string `json:"prefix"`
	Suffix    string `json:"suffix"`
	Href      string `json:"href"`
	Integrity string `json:"integrity,omitempty"`
}

// fingerprinted splits an asset output path around its content hash:
// css/main.1a2b3c4d5e.css → "css/main.", ".css".
var fingerprinted = regexp.MustCompile(`^(.*\.)[0-9a-f]{8,64}(\.[A-Za-z0-9]+)$`)

// cssOnly reports whether a rebuild changed nothing but stylesheets — every
// changed page differs from its old self only by the names and integrity
// digests of the stylesheets it links — and if so, which links to swap.
func cssOnly(old, next *snapshot, updated []string) ([]sheet, bool) {
	if old == nil || old.base != next.base || len(updated) == 0 {
		return nil, false
	}
	type css struct{ oldPath, newPath string }
	byName := map[string]*css{} // logical prefix+suffix → old and new output path
	var pages []string
	for _, p := range updated {
		o, n := old.file(p), next.file(p)
		switch {
		case path.Ext(p) == ".css":
			key, suffix := p, ""
			if m := fingerprinted.FindStringSubmatch(p); m != nil {
				key, suffix = m[1], m[2]
			}
			key += "\x00" + suffix
			c := byName[key]
			if c == nil {
				c = &css{}
				byName[key] = c
			}
			if o != nil {
				c.oldPath = p
			}
			if n != nil {
				c.newPath = p
			}
		case o != nil && n != nil && o.html && n.html:
			pages = append(pages, p)
		default:
			return nil, false // anything else changed, or a page came or went
		}
	}
	var pairs []string
	var sheets []sheet
	keys := make([]string, 0, len(byName))
	for k := range byName {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c := byName[k]
		if c.newPath == "" {
			continue // a stylesheet went away: only pages that changed could have used it
		}
		n := next.file(c.newPath).bytes()
		if n == nil {
			return nil, false
		}
		integrity := sri(n)
		prefix, suffix, _ := strings.Cut(k, "\x00")
		href := next.base + c.newPath
		if c.oldPath == c.newPath {
			// Same name, new bytes: no fingerprint. Bust the cache by query.
			href += "?v=" + next.gen
		}
		sheets = append(sheets, sheet{Prefix: next.base + prefix, Suffix: suffix, Href: href, Integrity: integrity})
		if c.oldPath != "" && c.oldPath != c.newPath {
			o := old.file(c.oldPath).bytes()
			if o == nil {
				return nil, false
			}
			pairs = append(pairs, c.oldPath, c.newPath)
			pairs = append(pairs, sri(o), integrity)
		}
	}
	r := strings.NewReplacer(pairs...)
	for _, p := range pages {
		if r.Replace(attrText(old.file(p).bytes())) != attrText(next.file(p).bytes()) {
			return nil, false
		}
	}
	return sheets, true
}

// attrText reads the characters of a digest as html/template writes them
// in attributes (+ as &#43;, and = as &#61; when unquoted) as themselves,
// so that old and new digests are compared in one form whatever either
// holds: a digest without + has no escaped form to tell apart.
var attrText = func() func([]byte) string {
	r := strings.NewReplacer("&#43;", "+", "&#61;", "=")
	return func(b []byte) string { return r.Replace(string(b)) }
}()

// sri is the Subresource Integrity digest the theme writes for an asset.
func sri(data []byte) string {
	sum := sha512.Sum384(data)
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}
