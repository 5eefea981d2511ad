package parse

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/model"
)

// SplitFrontMatter separates the YAML front matter between two "---" lines
// from the body. yamlLine is the file line where the YAML starts and
// bodyStart the byte offset of the body. A file without front matter is an
// error, reported on line 1.
func SplitFrontMatter(data []byte) (yamlText []byte, yamlLine, bodyStart int, err error) {
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
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// decodeMapping parses YAML text into a mapping of key → value node. It
// refuses aliases (no billion-laughs expansion) and reports syntax errors at
// their file line.
func decodeMapping(file string, text []byte, yamlLine int, known []string, errs *diag.List) (*fields, bool) {
	f := &fields{file: file, line0: yamlLine - 1, errs: errs, ok: true, known: known,
		entries: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		msg := err.Error()
		line := 0
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			line += f.line0
		}
		msg = yamlLineRE.ReplaceAllString(msg, "")
		msg = cleanYAMLMessage(msg)
		errs.Add(diag.Pos{File: file, Line: line}, "invalid front matter: %s", msg)
		return f, false
	}
	if len(doc.Content) == 0 {
		errs.Add(diag.Pos{File: file, Line: yamlLine}, "empty front matter")
		return f, false
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		f.bad(root, "front matter must be a mapping of fields (key: value)")
		return f, false
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if first, dup := f.keys[k.Value]; dup {
			f.bad(k, "field %q is set twice (first on line %d)", k.Value, first.Line+f.line0)
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
	return diag.Pos{File: f.file, Line: n.Line + f.line0, Col: n.Column}
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
		f.bad(n, "%s must be a text value, not a %s", name, kindName(n))
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
			f.bad(item, "each item of %s must be a text value, not a %s", name, kindName(item))
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
		f.bad(n, "%s must be a date like 2024-06-19, not a %s", name, kindName(n))
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
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return model.Date{Time: t}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		y, m, d := t.Date()
		return model.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}, nil
	}
	return model.Date{}, fmt.Errorf("%q is not a date like 2024-06-19", s)
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
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "text value"
	}
	return "value"
}
