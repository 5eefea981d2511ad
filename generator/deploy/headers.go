package deploy

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"mime"
	"path"
	"regexp"
	"strings"

	"github.com/andybalholm/brotli"
)

// Rule gives the files whose site path matches Pattern their headers. The
// first rule that matches a file and sets a header gives it; the site's
// rules come before DefaultRules.
type Rule struct {
	Pattern      *regexp.Regexp
	CacheControl string
	ContentType  string
	// Compress is "gzip" or "br": the file is stored compressed with that
	// Content-Encoding (a store serves one encoding to every client, so
	// choose gzip unless every reader's browser takes brotli).
	Compress string
}

// Cache lifetimes: a fingerprinted asset never changes under its name; a
// page, a feed or an index changes with any edit and is revalidated.
const (
	ImmutableCache = "public, max-age=31536000, immutable"
	PageCache      = "public, max-age=0, must-revalidate"
	FileCache      = "public, max-age=3600"
)

// fingerprinted matches the names the theme gives its assets
// (css/main.1a2b3c4d5e.css): ten hex digits before the extension.
var fingerprinted = regexp.MustCompile(`\.[0-9a-f]{10}\.[A-Za-z0-9]+$`)

// DefaultRules are the headers of every deploy, after the site's own.
var DefaultRules = []Rule{
	{Pattern: fingerprinted, CacheControl: ImmutableCache},
	{Pattern: regexp.MustCompile(`(^|/)[^/]*\.(html|xml|json|txt|ics|webmanifest)$|(^|/)_redirects$`), CacheControl: PageCache},
	{Pattern: regexp.MustCompile(`.`), CacheControl: FileCache},
}

// contentTypes are the types of what a site holds, so they do not depend
// on the machine's MIME tables (/etc/mime.types differs between systems).
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
	".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
	".json": "application/json", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
	".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
	".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
	".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
	".pdf": "application/pdf", ".ics": "text/calendar; charset=utf-8", ".csv": "text/csv; charset=utf-8",
	".webmanifest": "application/manifest+json", ".mp4": "video/mp4", ".webm": "video/webm",
	".mp3": "audio/mpeg", ".zip": "application/zip", ".md": "text/markdown; charset=utf-8",
}

// feeds are served as what they are, not as generic XML.
var feeds = map[string]string{"feed.xml": "application/atom+xml; charset=utf-8", "sitemap.xml": "application/xml; charset=utf-8"}

// headers are what one file is stored with.
type headers struct {
	ContentType, CacheControl, Encoding string
	Redirect                            string // S3 website redirect, for a redirect page
}

// headersFor applies rules to a site path.
func headersFor(name string, rules []Rule) headers {
	var h headers
	for _, r := range rules {
		if !r.Pattern.MatchString(name) {
			continue
		}
		if h.CacheControl == "" {
			h.CacheControl = r.CacheControl
		}
		if h.ContentType == "" {
			h.ContentType = r.ContentType
		}
		if h.Encoding == "" {
			h.Encoding = r.Compress
		}
	}
	if h.ContentType == "" {
		h.ContentType = contentType(name)
	}
	return h
}

func contentType(name string) string {
	if t, ok := feeds[path.Base(name)]; ok {
		return t
	}
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// compress encodes data as encoding says, deterministically (no name or
// time in the gzip header), so an unchanged file compresses to the same
// bytes and is not uploaded again.
func compress(data []byte, encoding string) ([]byte, error) {
	var b bytes.Buffer
	switch encoding {
	case "":
		return data, nil
	case "gzip":
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
	case "br":
		w := brotli.NewWriterLevel(&b, brotli.BestCompression)
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown compression %q (gzip or br)", encoding)
	}
	return b.Bytes(), nil
}
