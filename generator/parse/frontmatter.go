package parse

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/urls"
)

// SplitFrontMatter separates the YAML front matter between two "---" lines
// from the body. yamlLine is the file line where the YAML starts and
// bodyStart the byte offset of the body. A file without front matter is an
// error, reported on line 1.
func SplitFrontMatter(data []byte) (yamlText []byte, yamlLine, bodyStart int, err error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, 0, 0, fmt.Errorf("missing front matter: the file is empty; it must start with a line \"---\", then YAML, then \"---\"")
	}
	if !bytes.HasPrefix(data, []byte("---")) || !isFenceLine(data, 0) {
		return nil, 0, 0, fmt.Errorf("missing front matter: the file must start with a line \"---\", then YAML, then \"---\"")
	}
	start := bytes.IndexByte(data, '\n')
	if start < 0 {
		return nil, 0, 0, fmt.Errorf("front matter is not closed: add a line \"---\" after it")
	}
	start++
	for off := start; off < len(data); {
		if isFenceLine(data, off) {
			end := bytes.IndexByte(data[off:], '\n')
			body := len(data)
			if end >= 0 {
				body = off + end + 1
			}
			return data[start:off], 2, body, nil
		}
		nl := bytes.IndexByte(data[off:], '\n')
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	return nil, 0, 0, fmt.Errorf("front matter is not closed: add a line \"---\" after it")
}

// isFenceLine reports whether the line at off is "---" with optional trailing spaces.
func isFenceLine(data []byte, off int) bool {
	end := bytes.IndexByte(data[off:], '\n')
	line := data[off:]
	if end >= 0 {
		line = data[off : off+end]
	}
	return string(bytes.TrimRight(line, " \t\r")) == "---"
}

// fields walks a front-matter mapping, reporting positions in the file.
type fields struct {
	file    string
	line0   int // file line of YAML line 1, minus one
	errs    *diag.List
	ok      bool
	known   []string
	entries map[string]*yaml.Node // value nodes by key
	keys    map[string]*yaml.Node
	text    []byte          // the YAML text
	ystarts []int           // byte offset of each line as the YAML parser counts them
	lines   *diag.LineIndex // lines of text as an editor counts them
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// decodeMapping parses YAML text into a mapping of key → value node. It
// refuses aliases (no billion-laughs expansion) and reports syntax errors at
// their file line.
func decodeMapping(file string, text []byte, yamlLine int, known []string, errs *diag.List) (*fields, bool) {
	f := &fields{file: file, line0: yamlLine - 1, errs: errs, ok: true, known: known,
		entries: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}}
	f.text, f.ystarts, f.lines = text, yamlLineStarts(text), diag.NewLineIndex(text)
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		msg := cleanYAMLMessage(yamlLineRE.ReplaceAllString(err.Error(), ""))
		errs.Add(f.syntaxPos(msg), "invalid front matter: %s%s", msg, yamlHint(msg))
		return f, false
	}
	if len(doc.Content) == 0 {
		return f, true // no fields: the checks of required fields say which are needed
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		f.bad(root, "front matter must be a mapping of fields (key: value)")
		return f, false
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if first, dup := f.keys[k.Value]; dup {
			f.bad(k, "field %q is set twice (first on line %d)", k.Value, f.pos(first).Line)
			continue
		}
		if contains(known, k.Value) {
			f.keys[k.Value] = k
		}
		if hasAlias(v) || hasAlias(k) {
			f.bad(v, "YAML aliases and anchors are not supported in front matter")
			continue
		}
		if !contains(known, k.Value) {
			f.bad(k, "unknown field %q%s", k.Value, diag.DidYouMean(k.Value, known))
			continue
		}
		f.entries[k.Value] = v
	}
	return f, true
}

func cleanYAMLMessage(msg string) string {
	msg = string(bytes.TrimPrefix([]byte(msg), []byte("yaml: ")))
	msg = string(bytes.TrimPrefix([]byte(msg), []byte("unmarshal errors:\n  ")))
	msg = string(bytes.ReplaceAll([]byte(msg), []byte(": :"), []byte(":")))
	return string(bytes.TrimLeft([]byte(msg), " :"))
}

func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (f *fields) pos(n *yaml.Node) diag.Pos {
	return f.at(n.Line, n.Column)
}

// at converts a YAML parser position to a file position. The parser counts
// columns in characters and also breaks lines at NEL, U+2028 and U+2029;
// diagnostics count bytes and break lines at "\n" only, as editors do.
func (f *fields) at(line, col int) diag.Pos {
	if line < 1 {
		line = 1
	}
	if line > len(f.ystarts) {
		line, col = len(f.ystarts), 1
	}
	off := f.ystarts[line-1]
	for i := 1; i < col && off < len(f.text) && f.text[off] != '\n'; i++ {
		_, size := utf8.DecodeRune(f.text[off:])
		off += size
	}
	p := f.lines.Pos(f.file, off)
	p.Line += f.line0
	return p
}

// yamlLineStarts lists where each line begins for the YAML parser, which
// breaks lines at \n, \r, \r\n, NEL, U+2028 and U+2029.
func yamlLineStarts(text []byte) []int {
	starts := []int{0}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		i += size
		switch r {
		case '\r':
			if i < len(text) && text[i] == '\n' {
				i++
			}
			starts = append(starts, i)
		case '\n', '\u0085', '\u2028', '\u2029':
			starts = append(starts, i)
		}
	}
	return starts
}

// parserProblems are the messages of the YAML parser proper; the others
// come from its scanner, which counts lines differently (see syntaxPos).
var parserProblems = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"did not find expected '-' indicator", "did not find expected <document start>",
	"did not find expected <stream-start>", "did not find expected key",
	"did not find expected node content", "found duplicate %TAG directive",
	"found duplicate %YAML directive", "found incompatible YAML document",
	"found undefined tag handle",
}

// syntaxPos places a YAML syntax error (msg is the cleaned message) on the
// line to edit. go.yaml.in/yaml/v3 reports the line where the construct in
// error starts (the "[" of an unclosed list, but also the first line of the
// mapping that holds a stray item far below), 0-based for parser errors and
// 1-based for scanner errors, and no line at all when that is the first
// line. So the text is parsed again one line down, where a line is always
// given, and then the first line from there at which the text stops
// parsing, with the same message, is the line to edit.
func (f *fields) syntaxPos(msg string) diag.Pos {
	if msg == "control characters are not allowed" {
		// The reader gives no position: find the character.
		for off := 0; off < len(f.text); {
			r, size := utf8.DecodeRune(f.text[off:])
			if !yamlAllowed(r) {
				p := f.lines.Pos(f.file, off)
				p.Line += f.line0
				return p
			}
			off += size
		}
	}
	line := 1
	if m := yamlLineRE.FindStringSubmatch(yamlError(append([]byte("\n"), f.text...))); m != nil {
		line, _ = strconv.Atoi(m[1])
		if !contains(parserProblems, msg) {
			line--
		}
		line = max(line, 1)
	}
	if len(f.text) <= 64<<10 { // front matter is short; bound the work anyway
		for k := line; k <= len(f.ystarts); k++ {
			end := len(f.text)
			if k < len(f.ystarts) {
				end = f.ystarts[k]
			}
			if cleanYAMLMessage(yamlLineRE.ReplaceAllString(yamlError(f.text[:end]), "")) == msg {
				line = k
				break
			}
		}
	}
	p := f.at(line, 1)
	p.Col = 0 // the parser gives no column
	return p
}

// yamlError parses text and returns the error message, "" when it parses.
func yamlError(text []byte) string {
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return err.Error()
	}
	return ""
}

// yamlAllowed reports whether the YAML reader accepts r.
func yamlAllowed(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0x7E) || r == 0x85 ||
		(r >= 0xA0 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// yamlHint adds advice to the YAML messages curators meet most.
func yamlHint(msg string) string {
	switch msg {
	case "mapping values are not allowed in this context":
		return ` (a value that holds ": " must be quoted, e.g. title: "Russie : le pacte")`
	case "found character that cannot start any token":
		return " (a value starting with @, ` or a tab must be quoted, and indentation must use spaces)"
	case "did not find expected ',' or ']'":
		return " (a [list] is not closed, or a value in it holds a character that must be quoted)"
	case "did not find expected ',' or '}'":
		return " (a {mapping} is not closed, or a value in it holds a character that must be quoted)"
	case "found a tab character that violates indentation", "found a tab character where an indentation space is expected":
		return " (indent with spaces, not tabs)"
	case "found unexpected end of stream":
		return " (a quoted value is not closed)"
	case "did not find expected key":
		return " (check the indentation: every field starts at the beginning of its line)"
	}
	return ""
}

func (f *fields) bad(n *yaml.Node, format string, args ...any) {
	f.ok = false
	f.errs.Add(f.pos(n), format, args...)
}

// require reports a missing required field at the start of the front matter.
func (f *fields) require(names ...string) {
	for _, name := range names {
		if _, ok := f.keys[name]; !ok {
			f.ok = false
			f.errs.Add(diag.Pos{File: f.file, Line: f.line0 + 1, Col: 1}, "missing required field %q", name)
		}
	}
}

// str returns a scalar field as text ("" when absent).
func (f *fields) str(name string) string {
	n := f.entries[name]
	if n == nil {
		return ""
	}
	return f.scalar(n, name)
}

func (f *fields) scalar(n *yaml.Node, name string) string {
	if n.Kind != yaml.ScalarNode {
		f.bad(n, "%s must be a text value, not %s", name, kindName(n))
		return ""
	}
	if n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// slug returns a field holding one slug, as a Ref.
func (f *fields) slug(name string) model.Ref {
	n := f.entries[name]
	if n == nil || n.Tag == "!!null" {
		return model.Ref{}
	}
	return model.Ref{Slug: f.scalar(n, name), Pos: f.pos(n)}
}

// list returns a sequence of scalars as Refs. A single scalar is refused with
// a hint, because "actors: kim-jong-un" is a common slip for a one-item list.
func (f *fields) list(name string) []model.Ref {
	n := f.entries[name]
	if n == nil || n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		f.bad(n, "%s must be a list, e.g. %s: [%s]", name, name, n.Value)
		return nil
	}
	refs := make([]model.Ref, 0, len(n.Content))
	for _, item := range n.Content {
		if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
			f.bad(item, "each item of %s must be a text value, not %s", name, kindName(item))
			continue
		}
		refs = append(refs, model.Ref{Slug: item.Value, Pos: f.pos(item)})
	}
	return refs
}

// date returns a YYYY-MM-DD field.
func (f *fields) date(name string) model.Date {
	n := f.entries[name]
	if n == nil {
		return model.Date{}
	}
	return f.dateNode(n, name)
}

func (f *fields) dateNode(n *yaml.Node, name string) model.Date {
	if n.Kind != yaml.ScalarNode {
		f.bad(n, "%s must be a date like 2024-06-19, not %s", name, kindName(n))
		return model.Date{}
	}
	d, err := ParseDate(n.Value)
	if err != nil {
		f.bad(n, "%s: %v", name, err)
	}
	return d
}

// ParseDate reads a YYYY-MM-DD date (a full RFC 3339 timestamp is accepted and
// cut to its date, since YAML tools write those).
func ParseDate(s string) (model.Date, error) {
	var d model.Date
	if t, err := time.Parse("2006-01-02", s); err == nil {
		d = model.Date{Time: t}
	} else if t, err := time.Parse(time.RFC3339, s); err == nil {
		y, m, day := t.Date()
		d = model.Date{Time: time.Date(y, m, day, 0, 0, 0, 0, time.UTC)}
	} else {
		return model.Date{}, fmt.Errorf("%q is not a date like 2024-06-19", s)
	}
	if d.IsZero() { // the zero date stands for "no date" everywhere after
		return model.Date{}, fmt.Errorf("%q is not a usable date: 0001-01-01 means \"no date\"", s)
	}
	return d, nil
}

// boolean returns a true/false field.
func (f *fields) boolean(name string) bool {
	n := f.entries[name]
	if n == nil {
		return false
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		f.bad(n, "%s must be true or false", name)
		return false
	}
	return n.Value == "true"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "an empty value"
		}
		return "a text value"
	}
	return "a value"
}

// redirects returns redirect_from: the entity's old site paths, each
// normalised to a page folder ("dossiers/old-slug/") or an .html file.
func (f *fields) redirects() []model.Ref {
	refs := f.list("redirect_from")
	for i, r := range refs {
		p, msg := urls.Redirect(r.Slug)
		if msg != "" {
			f.errs.Add(r.Pos, "redirect_from %q: %s", r.Slug, msg)
			f.ok = false
			continue
		}
		refs[i].Slug = p
	}
	return refs
}

// imageFields are the fields of an image in front matter.
var imageFields = []string{"src", "alt", "decorative", "caption", "credit"}

// image returns the picture field "image": a mapping of src, alt (or
// decorative: true), caption and credit, or, where the page gives it an
// alt of its own (an actor's portrait: the actor's name), just the file
// name. dir is the folder src is relative to (content/actors). nil when
// absent.
func (f *fields) image(dir, defaultAlt string) *model.Image {
	n := f.entries["image"]
	if n == nil || n.Tag == "!!null" {
		return nil
	}
	im := &model.Image{Pos: f.pos(n)}
	switch n.Kind {
	case yaml.ScalarNode:
		im.Src = n.Value
		if defaultAlt == "" {
			f.bad(n, "image needs an alt text: write image: {src: %s, alt: \"what the picture shows\"} (or decorative: true)", n.Value)
			return nil
		}
		im.Alt = defaultAlt
	case yaml.MappingNode:
		if !f.imageMapping(n, im, defaultAlt) {
			return nil
		}
	default:
		f.bad(n, "image must be a file name or a mapping, e.g. image: {src: photo.jpg, alt: \"…\"}")
		return nil
	}
	file, msg := imagePath(dir, im.Src)
	if msg != "" {
		f.bad(n, "image %q: %s", im.Src, msg)
		return nil
	}
	im.File = file
	return im
}

// imageMapping reads image: {src, alt, decorative, caption, credit}.
func (f *fields) imageMapping(n *yaml.Node, im *model.Image, defaultAlt string) bool {
	var altNode *yaml.Node
	ok := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "src":
			im.Src = f.scalar(v, "image.src")
			im.Pos = f.pos(v)
		case "alt":
			im.Alt, altNode = strings.TrimSpace(f.scalar(v, "image.alt")), v
		case "decorative":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				f.bad(v, "image.decorative must be true or false")
				ok = false
			}
			im.Decorative = v.Value == "true"
		case "caption":
			im.Caption = strings.TrimSpace(f.scalar(v, "image.caption"))
		case "credit":
			im.Credit = strings.TrimSpace(f.scalar(v, "image.credit"))
		default:
			f.bad(k, "unknown field \"image.%s\"%s", k.Value, diag.DidYouMean(k.Value, imageFields))
			ok = false
		}
	}
	switch {
	case strings.TrimSpace(im.Src) == "":
		f.bad(n, "image needs src: the file name of the picture, beside this file")
		return false
	case im.Decorative && im.Alt != "":
		f.bad(altNode, "image.alt is given but decorative is true: a decorative image has no alt text; keep one of the two")
		return false
	case !im.Decorative && im.Alt == "" && defaultAlt != "":
		im.Alt = defaultAlt
	case !im.Decorative && im.Alt == "":
		at := n
		if altNode != nil {
			at = altNode
		}
		f.bad(at, "image needs an alt text: add alt: \"what the picture shows\" (or decorative: true when it shows nothing the page does not say)")
		return false
	}
	return ok
}

// imagePath resolves an image's src, written relative to dir, to its path
// in the site; msg says why it cannot be used.
func imagePath(dir, src string) (file, msg string) {
	switch {
	case strings.Contains(src, "://") || strings.HasPrefix(src, "//"):
		return "", "an image is published from the site: save the file beside this one and credit it"
	case strings.HasPrefix(src, "/") || strings.Contains(src, "\\"):
		return "", "write the file name relative to this file's folder, with / between folders"
	}
	file = path.Join(dir, src)
	if !strings.HasPrefix(file, dir+"/") {
		return "", "the file must be in this file's folder or below it"
	}
	return file, ""
}
