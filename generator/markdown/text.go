package markdown

import (
	"html"
	"strings"
)

// HTMLText returns the text of a rendered body without markup, for search
// indexes, titles and meta descriptions: one line per block, code blocks,
// scripts, styles and footnote marks left out, entities decoded.
//
// Text is derived from the HTML a body keeps anyway rather than stored
// beside it, which would hold a large site's whole text twice for the
// length of the build.
func HTMLText(h string) string {
	var b strings.Builder
	b.Grow(len(h) * 3 / 4)
	newline := func() {
		s := b.String()
		if n := len(s); n > 0 && s[n-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	skipUntil := "" // the closing tag that ends a left-out element
	for i := 0; i < len(h); {
		if h[i] != '<' {
			j := strings.IndexByte(h[i:], '<')
			if j < 0 {
				j = len(h) - i
			}
			if skipUntil == "" {
				writeText(&b, h[i:i+j])
			}
			i += j
			continue
		}
		if strings.HasPrefix(h[i:], "<!--") { // a comment (raw HTML) may hold '>'
			end := strings.Index(h[i+4:], "-->")
			if end < 0 {
				break
			}
			i += 4 + end + 3
			continue
		}
		end := strings.IndexByte(h[i:], '>')
		if end < 0 {
			break // a cut tag: nothing after it is text
		}
		tag := h[i+1 : i+end]
		i += end + 1
		name, closing := tagName(tag)
		if skipUntil != "" {
			if closing && name == skipUntil {
				skipUntil = ""
			}
			continue
		}
		switch {
		case closing && blockTags[name], name == "br", name == "hr":
			newline()
		case !closing && leftOut[name] && !strings.HasSuffix(tag, "/"): // <svg … /> holds nothing
			skipUntil = name
		case !closing && name == "a" && strings.Contains(tag, `class="footnote-`):
			skipUntil = "a" // a footnote's number or its way back
		case !closing && name == "img":
			if alt := attr(tag, "alt"); alt != "" {
				writeText(&b, alt)
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// writeText appends a run of HTML text: entities decoded, line breaks
// (soft breaks of the Markdown) as spaces, and no space at a line's start.
func writeText(b *strings.Builder, run string) {
	if strings.IndexByte(run, '&') >= 0 {
		run = html.UnescapeString(run)
	}
	s := b.String()
	if len(s) == 0 || s[len(s)-1] == '\n' {
		run = strings.TrimLeft(run, " \t\r\n")
	}
	if strings.IndexByte(run, '\n') < 0 {
		b.WriteString(run)
		return
	}
	for _, r := range []byte(run) {
		if r == '\n' {
			r = ' '
		}
		b.WriteByte(r)
	}
}

// tagName returns the lower-case name of a tag's inside ("p class=x",
// "/p") and whether it closes an element.
func tagName(tag string) (string, bool) {
	closing := strings.HasPrefix(tag, "/")
	if closing {
		tag = tag[1:]
	}
	end := strings.IndexAny(tag, " \t\r\n/")
	if end < 0 {
		end = len(tag)
	}
	return strings.ToLower(tag[:end]), closing
}

// attr returns the value of a double-quoted attribute of a tag, decoded.
func attr(tag, name string) string {
	k := strings.Index(tag, " "+name+`="`)
	if k < 0 {
		return ""
	}
	v := tag[k+len(name)+3:]
	if end := strings.IndexByte(v, '"'); end >= 0 {
		v = v[:end]
	}
	return html.UnescapeString(v)
}

// blockTags end a line of text when they close.
var blockTags = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"li": true, "ul": true, "ol": true, "blockquote": true, "div": true, "section": true,
	"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	"dl": true, "dt": true, "dd": true, "figure": true, "figcaption": true,
}

// leftOut elements hold no prose: code, and in sites that allow raw HTML,
// scripts, styles and drawings.
var leftOut = map[string]bool{
	"pre": true, "script": true, "style": true, "svg": true, "template": true, "textarea": true,
}

// Truncate cuts text at a word boundary to at most n runes, adding "…".
func Truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}
