package render

import (
	"bytes"
	"path"
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
)

// Minifier shrinks HTML (with its inline CSS, JS, JSON-LD and SVG), CSS and
// JS with tdewolff/minify. It is safe for concurrent use.
type Minifier struct{ m *minify.M }

// NewMinifier configures the minifiers. Document-level tags are kept
// (<html>, <head>, <body>) because the validator and some hosts expect them.
func NewMinifier() *Minifier {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, KeepDefaultAttrVals: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFuncRegexp(regexp.MustCompile("^(application|text)/(x-)?(java|ecma)script$"), js.Minify)
	m.AddFuncRegexp(regexp.MustCompile("[/+]json$"), json.Minify)
	return &Minifier{m: m}
}

// HTML minifies a page; on a minifier error it returns the page unchanged,
// since an unminified page is still correct.
func (mf *Minifier) HTML(page []byte) []byte { return mf.bytes("text/html", page) }

// Asset minifies a CSS or JS file by its extension; other files pass through.
func (mf *Minifier) Asset(name string, data []byte) []byte {
	switch path.Ext(name) {
	case ".css":
		return mf.bytes("text/css", data)
	case ".js":
		return mf.bytes("application/javascript", data)
	case ".svg":
		return mf.bytes("image/svg+xml", data)
	}
	return data
}

func (mf *Minifier) bytes(mediatype string, data []byte) []byte {
	var out bytes.Buffer
	if err := mf.m.Minify(mediatype, &out, bytes.NewReader(data)); err != nil {
		return data
	}
	return out.Bytes()
}
