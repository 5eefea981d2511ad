// Package theme owns the look of a site: the layouts (html/template files) and
// assets of the built-in theme, overlaid file by file by a site's own
// layouts/ and assets/ (both read as an fs.FS). It parses the templates once, reporting errors with
// the template's file and line, and fingerprints every asset (content hash in
// the file name, Subresource Integrity digest).
package theme

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template/parse"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
)

// Pages are the page templates a theme provides, each executed through baseof.html.
var Pages = []string{
	"home.html", "dossier.html", "actors.html", "actor.html", "treaties.html", "treaty.html",
	"quotes.html", "quote.html", "timeline.html", "tags.html", "tag.html", "map.html",
	"search.html", "404.html",
}

// Asset is one fingerprinted file of assets/.
type Asset struct {
	Name string // logical name: css/main.css
	Out  string // output path with hash: css/main.1a2b3c4d.css
	Data []byte
	SRI  string // sha384-…
}

// Theme is a loaded theme.
type Theme struct {
	templates map[string]*template.Template
	assets    map[string]*Asset
	// Sources maps a template name to the file it came from, for messages.
	Sources   map[string]string
	transform func(name string, data []byte) []byte
	// partials holds baseof.html and the partials, for partialCached.
	partials  *template.Template
	fragments *fragments
	// trees holds each page template's parse trees as parsed, before
	// html/template rewrites them to escape: what a page reads (package
	// reads) is found from them.
	trees map[string]map[string]*parse.Tree
}

// overlay reads a file from the site folder first, then from the built-in theme.
type overlay struct {
	site    fs.FS // nil: no site files
	builtin fs.FS
}

func (o overlay) read(name string) ([]byte, string, error) {
	if o.site != nil {
		if data, err := fs.ReadFile(o.site, name); err == nil {
			return data, name, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, name, err
		}
	}
	data, err := fs.ReadFile(o.builtin, name)
	return data, name + builtinSuffix, err
}

// list returns the files under dir in both layers, sorted, deduplicated.
func (o overlay) list(dir string) []string {
	seen := map[string]bool{}
	add := func(fsys fs.FS) {
		_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !load.Ignored(d.Name()) {
				seen[p] = true
			}
			return nil
		})
	}
	if o.builtin != nil {
		add(o.builtin)
	}
	if o.site != nil {
		add(o.site)
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Load reads the theme. builtin holds layouts/ and assets/ at its root; the
// site folder site (nil: none) may override any file. Give it a
// load.SiteFS, which never blocks on a named pipe and keeps reads inside the
// site. generated are extra assets made by the build (the
// code-highlighting stylesheet). funcs must list every function templates use.
// transform, when not nil, rewrites each asset before it is fingerprinted
// (minification), so the hash and SRI digest match the bytes served.
func Load(site fs.FS, builtin fs.FS, generated map[string][]byte, transform func(name string, data []byte) []byte, funcs func(*Theme) template.FuncMap, errs *diag.List) *Theme {
	o := overlay{site: site, builtin: builtin}
	th := &Theme{templates: map[string]*template.Template{}, assets: map[string]*Asset{}, Sources: map[string]string{}, trees: map[string]map[string]*parse.Tree{}, transform: transform, fragments: newFragments(fragmentBudget)}
	for _, name := range o.list("assets") {
		data, _, err := o.read(name)
		if err != nil {
			errs.Add(diag.Pos{File: name}, "cannot read: %v", err)
			continue
		}
		th.addAsset(strings.TrimPrefix(name, "assets/"), data)
	}
	for name, data := range generated {
		th.addAsset(name, data)
	}
	fm := funcs(th)
	fm["partialCached"] = th.partialCached
	fm["partialCachedDict"] = th.partialCachedDict
	base := template.New("baseof.html").Funcs(fm)
	th.partials = base
	shared := []string{"layouts/baseof.html"}
	shared = append(shared, o.list("layouts/partials")...)
	for _, name := range shared {
		if !th.parse(base, o, name, errs) {
			return th
		}
	}
	for _, page := range Pages {
		t, err := base.Clone()
		if err != nil {
			errs.Add(diag.Pos{File: "layouts/" + page}, "%v", err)
			continue
		}
		if th.parse(t, o, "layouts/"+page, errs) {
			th.templates[page] = t
			th.trees[page] = copyTrees(t)
		}
	}
	return th
}

func (th *Theme) parse(t *template.Template, o overlay, name string, errs *diag.List) bool {
	data, source, err := o.read(name)
	if err != nil {
		errs.Add(diag.Pos{File: name}, "missing template: %v", err)
		return false
	}
	short := strings.TrimPrefix(name, "layouts/")
	th.Sources[short] = source
	var target *template.Template
	if short == "baseof.html" {
		target = t
	} else {
		target = t.New(short)
	}
	if _, err := target.Parse(string(data)); err != nil {
		errs.Append(TemplateError(err, th.Sources))
		return false
	}
	return true
}

var templateErrRE = regexp.MustCompile(`template: ([^:\s]+):(\d+):(?:(\d+):)? ?(.*)`)

// TemplateError turns an html/template error into a diagnostic naming the
// layout file and line.
func TemplateError(err error, sources map[string]string) diag.Diagnostic {
	msg := err.Error()
	// An error inside a partialCached partial is wrapped in the error of the
	// page that called it: the innermost place is the one to fix.
	m := templateErrRE.FindStringSubmatch(msg)
	if m == nil {
		return diag.Diagnostic{Pos: diag.Pos{File: "layouts"}, Message: msg}
	}
	for inner := templateErrRE.FindStringSubmatch(m[4]); inner != nil; inner = templateErrRE.FindStringSubmatch(m[4]) {
		m = inner
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	file := "layouts/" + m[1]
	if src, ok := sources[m[1]]; ok {
		file = "layouts/" + strings.TrimPrefix(src, "layouts/")
	}
	text := m[4]
	// Exec errors repeat the template name; keep the useful part.
	if i := strings.Index(text, "executing "); i >= 0 {
		text = text[i:]
	}
	return diag.Diagnostic{Pos: diag.Pos{File: file, Line: line, Col: col}, Message: "template: " + text}
}

func (th *Theme) addAsset(name string, data []byte) {
	if th.transform != nil {
		data = th.transform(name, data)
	}
	sum := sha256.Sum256(data)
	sri := sha512.Sum384(data)
	ext := path.Ext(name)
	out := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
	th.assets[name] = &Asset{Name: name, Out: out, Data: data, SRI: "sha384-" + base64.StdEncoding.EncodeToString(sri[:])}
}

// Asset returns the asset with a logical name, or nil.
func (th *Theme) Asset(name string) *Asset { return th.assets[name] }

// Assets lists every asset sorted by name.
func (th *Theme) Assets() []*Asset {
	out := make([]*Asset, 0, len(th.assets))
	for _, a := range th.assets {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// copyTrees copies the parse trees of t and its associated templates.
func copyTrees(t *template.Template) map[string]*parse.Tree {
	trees := map[string]*parse.Tree{}
	for _, x := range t.Templates() {
		if x.Tree != nil {
			trees[x.Name()] = x.Tree.Copy()
		}
	}
	return trees
}

// Trees returns the parse trees of a page template (baseof.html, the
// partials and the page file's own definitions), as parsed.
func (th *Theme) Trees(page string) map[string]*parse.Tree { return th.trees[page] }

// builtinSuffix marks, in Sources, a file of the built-in theme.
const builtinSuffix = " (built-in theme)"

// Template returns the parsed page template, or nil when it failed to parse.
func (th *Theme) Template(page string) *template.Template { return th.templates[page] }

// ErrMissingAsset is returned by templates naming an asset that does not exist.
func ErrMissingAsset(name string) error {
	return fmt.Errorf("asset %q not found in assets/", name)
}
