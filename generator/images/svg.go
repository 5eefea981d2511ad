package images

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// looksLikeSVG: an XML text (after an optional BOM, declaration, comments
// and doctype) whose first element is <svg>.
func looksLikeSVG(data []byte) bool {
	head := data[:min(len(data), 4096)]
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeftFunc(head, unicode.IsSpace)
	if !bytes.HasPrefix(head, []byte("<")) {
		return false
	}
	return bytes.Contains(head, []byte("<svg"))
}

// refusedElements can run script or embed another document.
var refusedElements = map[string]string{
	"script":        "a <script> element",
	"foreignobject": "a <foreignObject> element (HTML inside the SVG)",
	"iframe":        "an <iframe> element",
	"embed":         "an <embed> element",
	"object":        "an <object> element",
	"handler":       "a <handler> element (script)",
	"listener":      "a <listener> element (script)",
}

// checkSVG refuses what can run script or load another resource (the SVG
// is published as it is, and a reader's browser opens it on the site's
// origin): script elements, on* event attributes, javascript: URLs,
// foreignObject, references outside the file (href, CSS url(), @import,
// xml-stylesheet), entity declarations. It returns the size the root
// element declares (width and height, else the viewBox), 0 when it says
// none.
func checkSVG(data []byte) (w, h int, err error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = map[string]string{} // no entity but XML's own five
	root, inStyle := true, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if root {
				return 0, 0, errors.New("the SVG file has no <svg> element")
			}
			return w, h, nil
		}
		if err != nil {
			return 0, 0, fmt.Errorf("the SVG file is not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := checkElement(t); err != nil {
				return 0, 0, err
			}
			if root {
				if strings.ToLower(t.Name.Local) != "svg" {
					return 0, 0, fmt.Errorf("the SVG file's root element is <%s>, not <svg>", t.Name.Local)
				}
				w, h = svgSize(t)
				root = false
			}
			inStyle = strings.ToLower(t.Name.Local) == "style"
		case xml.EndElement:
			inStyle = false
		case xml.Directive:
			if bytes.Contains(bytes.ToUpper(t), []byte("ENTITY")) {
				return 0, 0, errors.New("the SVG file declares entities (<!ENTITY>): remove its DOCTYPE")
			}
		case xml.ProcInst:
			if t.Target == "xml-stylesheet" {
				return 0, 0, errors.New("the SVG file loads a stylesheet (<?xml-stylesheet?>): put the styles inside it")
			}
		case xml.CharData:
			if !inStyle {
				continue
			}
			if err := checkCSS(string(t)); err != nil {
				return 0, 0, err
			}
		}
	}
}

func checkElement(t xml.StartElement) error {
	if what, ok := refusedElements[strings.ToLower(t.Name.Local)]; ok {
		return fmt.Errorf("the SVG file contains %s: SVG images are published as they are, so they may not run script", what)
	}
	for _, a := range t.Attr {
		local := strings.ToLower(a.Name.Local)
		if strings.HasPrefix(local, "on") {
			return fmt.Errorf("the SVG file has an event attribute %s= on <%s>: SVG images may not run script", a.Name.Local, t.Name.Local)
		}
		if local == "attributename" && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Value)), "on") {
			return fmt.Errorf("the SVG file animates an event attribute (%s) on <%s>: SVG images may not run script", a.Value, t.Name.Local)
		}
		if v := compact(a.Value); strings.Contains(v, "javascript:") || strings.Contains(v, "vbscript:") {
			return fmt.Errorf("the SVG file has a script URL in %s= on <%s>", a.Name.Local, t.Name.Local)
		}
		if local == "href" || local == "src" {
			if !internalRef(a.Value) {
				return fmt.Errorf("the SVG file refers to %q outside itself (%s= on <%s>): an SVG image must be self-contained", a.Value, a.Name.Local, t.Name.Local)
			}
		}
		if local == "style" {
			if err := checkCSS(a.Value); err != nil {
				return err
			}
		}
	}
	return nil
}

// compact lowercases v and drops the spaces and control characters a
// browser ignores inside a URL scheme ("java\tscript:").
func compact(v string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return unicode.ToLower(r)
	}, v)
}

// internalRef: a fragment of the file itself, or an embedded raster image.
func internalRef(v string) bool {
	v = strings.TrimSpace(v)
	c := compact(v)
	return strings.HasPrefix(v, "#") || strings.HasPrefix(c, "data:image/png") ||
		strings.HasPrefix(c, "data:image/jpeg") || strings.HasPrefix(c, "data:image/gif") || strings.HasPrefix(c, "data:image/webp")
}

// checkCSS refuses CSS that loads something: @import, url() other than a
// fragment or an embedded raster image, and the old expression().
func checkCSS(css string) error {
	c := compact(css)
	if strings.Contains(c, "@import") || strings.Contains(c, "expression(") {
		return errors.New("the SVG file's CSS loads another file (@import) or runs script: an SVG image must be self-contained")
	}
	for rest := c; ; {
		i := strings.Index(rest, "url(")
		if i < 0 {
			return nil
		}
		rest = rest[i+4:]
		ref := strings.Trim(rest, "'\"")
		if !internalRef(ref) {
			end := strings.IndexByte(rest, ')')
			if end < 0 {
				end = len(rest)
			}
			return fmt.Errorf("the SVG file's CSS refers to url(%s) outside itself: an SVG image must be self-contained", rest[:end])
		}
	}
}

// svgSize reads width and height (plain numbers or px), else the viewBox.
func svgSize(t xml.StartElement) (int, int) {
	var w, h float64
	var box string
	for _, a := range t.Attr {
		switch a.Name.Local {
		case "width":
			w = length(a.Value)
		case "height":
			h = length(a.Value)
		case "viewBox":
			box = a.Value
		}
	}
	if w > 0 && h > 0 {
		return int(w + 0.5), int(h + 0.5)
	}
	f := strings.FieldsFunc(box, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	if len(f) == 4 {
		bw, e1 := strconv.ParseFloat(f[2], 64)
		bh, e2 := strconv.ParseFloat(f[3], 64)
		if e1 == nil && e2 == nil && bw > 0 && bh > 0 && bw < 1e6 && bh < 1e6 {
			return int(bw + 0.5), int(bh + 0.5)
		}
	}
	return 0, 0
}

func length(v string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), "px"), 64)
	if err != nil || f <= 0 || f > 1e6 {
		return 0
	}
	return f
}
