// Package linkcheck owns the checks of `dossier check` on a built site: every
// internal link, #anchor, image, script and stylesheet of every page (and
// every URL of the feed and sitemap) must resolve inside the output.
package linkcheck

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"

	"golang.org/x/net/html"
)

// Problem is one broken reference.
type Problem struct {
	Page, Link, Reason string
}

func (p Problem) String() string { return fmt.Sprintf("%s: %s (%s)", p.Page, p.Link, p.Reason) }

// Check verifies a site given as output path → bytes (nil bytes for copied
// files that exist). basePath is the site's URL path ("/" or "/sub/") and
// origin its scheme://host ("" if none).
func Check(files map[string][]byte, basePath, origin string) []Problem {
	ids := map[string]map[string]bool{}
	for name, data := range files {
		if strings.HasSuffix(name, ".html") {
			ids[name] = collectIDs(data)
		}
	}
	var problems []Problem
	for name, data := range files {
		switch {
		case strings.HasSuffix(name, ".html"):
			for _, link := range collectLinks(data) {
				if reason := resolve(files, ids, basePath, origin, name, link); reason != "" {
					problems = append(problems, Problem{Page: name, Link: link, Reason: reason})
				}
			}
		case path.Base(name) == "sitemap.xml" || path.Base(name) == "feed.xml": // of each language
			for _, link := range xmlURLs(data) {
				if reason := resolve(files, ids, basePath, origin, name, link); reason != "" {
					problems = append(problems, Problem{Page: name, Link: link, Reason: reason})
				}
			}
		}
	}
	sort.Slice(problems, func(i, j int) bool {
		if problems[i].Page != problems[j].Page {
			return problems[i].Page < problems[j].Page
		}
		return problems[i].Link < problems[j].Link
	})
	return problems
}

func collectIDs(data []byte) map[string]bool {
	out := map[string]bool{}
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			for _, a := range attrs(z) {
				if a.Key == "id" || (a.Key == "name" && a.Val != "") {
					out[a.Val] = true
				}
			}
		}
	}
}

func attrs(z *html.Tokenizer) []html.Attribute {
	var out []html.Attribute
	for {
		k, v, more := z.TagAttr()
		if k != nil {
			out = append(out, html.Attribute{Key: string(k), Val: string(v)})
		}
		if !more {
			return out
		}
	}
}

// collectLinks returns href/src values of links, images, scripts, styles.
func collectLinks(data []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, _ := z.TagName()
		var rel string
		var href string
		for _, a := range attrs(z) {
			switch {
			case a.Key == "rel":
				rel = a.Val
			case (a.Key == "href" && (string(name) == "a" || string(name) == "link" || string(name) == "area")) ||
				(a.Key == "src" && (string(name) == "img" || string(name) == "script" || string(name) == "source" || string(name) == "iframe")):
				href = a.Val
			}
		}
		if href == "" || rel == "preconnect" || rel == "dns-prefetch" {
			continue
		}
		out = append(out, href)
	}
}

func xmlURLs(data []byte) []string {
	var out []string
	d := xml.NewDecoder(bytes.NewReader(data))
	inLoc := false
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			inLoc = t.Name.Local == "loc"
			if t.Name.Local == "link" {
				for _, a := range t.Attr {
					if a.Name.Local == "href" {
						out = append(out, a.Value)
					}
				}
			}
		case xml.CharData:
			if inLoc {
				out = append(out, strings.TrimSpace(string(t)))
			}
		case xml.EndElement:
			inLoc = false
		}
	}
}

// resolve returns "" when link resolves inside the site, else why not.
func resolve(files map[string][]byte, ids map[string]map[string]bool, basePath, origin, page, link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return "malformed URL"
	}
	if u.Scheme == "mailto" || u.Scheme == "tel" || u.Scheme == "data" || u.Scheme == "javascript" {
		return ""
	}
	if u.Scheme != "" || u.Host != "" {
		if origin == "" || !strings.HasPrefix(link, origin+basePath) {
			return "" // external: not checked (no network)
		}
		u, _ = url.Parse(strings.TrimPrefix(link, origin))
	}
	var target string
	switch {
	case u.Path == "" && u.Fragment != "":
		target = page
	case strings.HasPrefix(u.Path, "/"):
		if !strings.HasPrefix(u.Path, basePath) {
			return "outside the site's base path " + basePath
		}
		target = strings.TrimPrefix(u.Path, basePath)
	default:
		target = path.Join(path.Dir(page), u.Path)
		if strings.HasSuffix(u.Path, "/") {
			target += "/"
		}
	}
	target = strings.TrimPrefix(target, "./")
	if target == "." {
		target = ""
	}
	if strings.HasPrefix(target, "../") || target == ".." {
		return "outside the site"
	}
	if target == "" || strings.HasSuffix(target, "/") {
		target += "index.html"
	}
	if _, ok := files[target]; !ok {
		if _, ok := files[target+"/index.html"]; ok {
			target += "/index.html"
		} else {
			return "no such file in the output"
		}
	}
	if u.Fragment != "" && strings.HasSuffix(target, ".html") {
		frag, _ := url.PathUnescape(u.Fragment)
		if !ids[target][frag] {
			return "no element with id \"" + frag + "\" on " + target
		}
	}
	return ""
}
