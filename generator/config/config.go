// Package config owns the site settings: it reads dossier.toml from the
// site folder (an fs.FS), applies defaults and command-line overrides, and
// validates them.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/dossier-ssg/dossier/generator/diag"
)

// FileName is the settings file at the root of a site folder.
const FileName = "dossier.toml"

// Site holds the settings of one site.
type Site struct {
	Title       string `toml:"title"`
	BaseURL     string `toml:"baseURL"`
	Language    string `toml:"language"`
	Description string `toml:"description"`
	Author      string `toml:"author"`
	// PageSize is how many entries a list page shows before paginating.
	PageSize int    `toml:"pageSize"`
	Markup   Markup `toml:"markup"`
	// Tags gives tags display names: nucleaire = "Nucléaire".
	Tags map[string]string `toml:"tags"`
	// Relative writes every internal link relative to the page, so the site
	// also works from a USB stick or file://. Set by --relative.
	Relative bool `toml:"relativeURLs"`
	// Minify minifies HTML, CSS and JS output. Set by --minify.
	Minify bool `toml:"minify"`
	// IncludeDrafts builds draft: true dossiers too (serve does by default).
	IncludeDrafts bool `toml:"-"`
	// Deploy says where `dossier deploy` sends the site.
	Deploy Deploy `toml:"deploy"`
	// Slugify says how text a curator writes becomes a URL slug.
	Slugify Slugify `toml:"slugify"`
}

// Slugify holds the slug strategies, as Zola's: "on" spells the URL in
// ASCII ("Corée du Nord" → coree-du-nord), "safe" keeps accented letters
// (corée-du-nord).
type Slugify struct {
	Tags string `toml:"tags"`
}

// Markup holds Markdown rendering options.
type Markup struct {
	// Unsafe lets raw HTML in Markdown through. Off by default: raw HTML is
	// shown escaped so a pasted <script> can never run.
	Unsafe bool `toml:"unsafe"`
	// CodeStyle names the chroma style of light mode; CodeStyleDark of dark mode.
	CodeStyle     string `toml:"codeStyle"`
	CodeStyleDark string `toml:"codeStyleDark"`
	// TimeLimit bounds the Markdown parse of one text ("10s"): a few
	// patterns make the parser quadratic, and a build must not hang on one.
	TimeLimit time.Duration `toml:"timeLimit"`
}

// Default returns the settings used where dossier.toml is silent.
func Default() Site {
	return Site{
		Title:    "Dossiers",
		BaseURL:  "/",
		Language: "fr",
		PageSize: 20,
		Markup:   Markup{CodeStyle: "github", CodeStyleDark: "github-dark", TimeLimit: 10 * time.Second},
		Slugify:  Slugify{Tags: "on"},
	}
}

// Load reads dossier.toml from the site folder site (nil: none), which
// should be a load.SiteFS for a folder on disk (it never blocks on a named
// pipe). A missing file gives the defaults; a malformed one gives
// diagnostics with line and column.
func Load(site fs.FS) (Site, error) {
	settings := Default()
	if site == nil {
		return settings, settings.Validate()
	}
	data, err := fs.ReadFile(site, FileName)
	if errors.Is(err, fs.ErrNotExist) {
		return settings, settings.Validate()
	}
	if err != nil {
		return settings, diag.Diagnostic{Pos: diag.Pos{File: FileName}, Message: "cannot read settings: " + err.Error()}
	}
	return Parse(data)
}

// Parse decodes the contents of a dossier.toml.
func Parse(data []byte) (Site, error) {
	site := Default()
	md, err := toml.Decode(string(data), &site)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			msg := perr.Message
			if m := unquotedRE.FindStringSubmatch(msg); m != nil {
				msg += fmt.Sprintf(" (text must be in quotes: \"%s\")", m[1])
			} else if strings.HasPrefix(msg, "invalid UTF-8") {
				msg += "; save the file as UTF-8"
			}
			return site, diag.Diagnostic{Pos: diag.Pos{File: FileName, Line: perr.Position.Line, Col: perr.Position.Col}, Message: msg}
		}
		return site, typeErrors(data, err)
	}
	var list diag.List
	for _, key := range md.Undecoded() {
		list.Add(diag.Pos{File: FileName, Line: keyLine(data, key.String())}, "unknown setting %q%s", key.String(), diag.DidYouMean(key.String(), append(knownSettings, deploySettings...)))
	}
	if key, err := site.validate(); err != nil {
		var d diag.Diagnostic
		if errors.As(err, &d) {
			d.Pos.Line = keyLine(data, key)
			list.Append(d)
		}
	}
	return site, list.Err()
}

// knownSettings are the keys of dossier.toml, for "did you mean".
var knownSettings = []string{"title", "baseURL", "language", "description", "author", "pageSize",
	"relativeURLs", "minify", "markup", "markup.unsafe", "markup.codeStyle", "markup.codeStyleDark", "markup.timeLimit", "slugify", "slugify.tags"}

// unquotedRE matches the parser's message for a bare word as a value.
var unquotedRE = regexp.MustCompile(`^expected value but found "([^"]*)" instead$`)

var typeErrorRE = regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "([^"]*)"\): (.*)$`)

// typeNames say in a curator's words what a TOML type is.
var typeNames = map[string]string{
	"string": "text in quotes", "integer": "a whole number", "boolean": "true or false",
	"int64": "a number", "float64": "a number", "bool": "true or false",
	"time.Time": "a date", "array": "a list", "table": "a table",
}

var (
	badTypeRE  = regexp.MustCompile(`^incompatible types: TOML value has type ([^;]+); destination has type (\S+)$`)
	mismatchRE = regexp.MustCompile(`^type mismatch for \S+: expected (\S+) but found (\S+)$`)
)

func typeName(t string) string {
	switch {
	case typeNames[t] != "":
		return typeNames[t]
	case strings.HasPrefix(t, "map"):
		return "a table"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	}
	return t
}

// typeErrors reports every setting of the wrong type, in file order. The
// decoder stops at one, picked in map order, so each top-level key is
// decoded alone to find them all, deterministically.
func typeErrors(data []byte, first error) error {
	var raw map[string]any
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		return typeError(first.Error())
	}
	var list diag.List
	seen := map[string]bool{}
	for _, key := range md.Keys() {
		top := key[0]
		if seen[top] {
			continue
		}
		seen[top] = true
		var buf bytes.Buffer
		if err := toml.NewEncoder(&buf).Encode(map[string]any{top: raw[top]}); err != nil {
			continue
		}
		one := Default()
		if _, err := toml.Decode(buf.String(), &one); err != nil {
			d := typeError(err.Error())
			if m := typeErrorRE.FindStringSubmatch(err.Error()); m != nil {
				d.Pos.Line = keyLine(data, m[2])
			}
			list.Append(d)
		}
	}
	if list.Len() == 0 {
		return typeError(first.Error())
	}
	return list.Err()
}

// typeError turns the decoder's "toml: line 3 (last key "pageSize"):
// incompatible types: …" into a positioned diagnostic.
func typeError(msg string) diag.Diagnostic {
	m := typeErrorRE.FindStringSubmatch(msg)
	if m == nil {
		return diag.Diagnostic{Pos: diag.Pos{File: FileName}, Message: strings.TrimPrefix(msg, "toml: ")}
	}
	line, _ := strconv.Atoi(m[1])
	text := m[3]
	if t := badTypeRE.FindStringSubmatch(text); t != nil {
		text = fmt.Sprintf("must be %s, not %s", typeName(t[2]), typeName(t[1]))
	} else if t := mismatchRE.FindStringSubmatch(text); t != nil {
		text = fmt.Sprintf("must be a %s, not %s", t[1], typeName(t[2]))
	}
	return diag.Diagnostic{Pos: diag.Pos{File: FileName, Line: line}, Message: fmt.Sprintf("setting %q %s", m[2], text)}
}

// keyLine finds the line of dossier.toml that sets key ("markup.unsafe")
// or opens its table, or 0 when it cannot tell.
func keyLine(data []byte, key string) int {
	table := ""
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		var full string
		switch {
		case strings.HasPrefix(line, "["):
			table = strings.Trim(strings.TrimSpace(strings.SplitN(line, "#", 2)[0]), "[] ")
			full = table
		case strings.Contains(line, "=") && !strings.HasPrefix(line, "#"):
			k := strings.Trim(strings.TrimSpace(line[:strings.Index(line, "=")]), `"'`)
			full = k
			if table != "" {
				full = table + "." + k
			}
		default:
			continue
		}
		if strings.EqualFold(full, key) {
			return i + 1
		}
	}
	return 0
}

// Validate checks the settings and normalises BaseURL to end with a slash.
func (s *Site) Validate() error {
	_, err := s.validate()
	return err
}

// validate is Validate that also names the setting in error.
func (s *Site) validate() (string, error) {
	if s.BaseURL == "" {
		s.BaseURL = "/"
	}
	u, err := url.Parse(s.BaseURL)
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") || u.RawQuery != "" || u.Fragment != "" {
		return "baseURL", diag.Diagnostic{Pos: diag.Pos{File: FileName}, Message: fmt.Sprintf("baseURL %q must be an http(s) URL or a path such as /dossiers/", s.BaseURL)}
	}
	if !strings.HasSuffix(s.BaseURL, "/") {
		s.BaseURL += "/"
	}
	if u.Scheme == "" && !strings.HasPrefix(s.BaseURL, "/") {
		s.BaseURL = "/" + s.BaseURL
	}
	switch s.Language {
	case "fr", "en":
	default:
		return "language", diag.Diagnostic{Pos: diag.Pos{File: FileName}, Message: fmt.Sprintf("language %q is not supported (use \"fr\" or \"en\")", s.Language)}
	}
	if s.PageSize <= 0 {
		s.PageSize = 20
	}
	if s.Markup.TimeLimit < 100*time.Millisecond { // a bare number is nanoseconds
		return "markup.timeLimit", diag.Diagnostic{Pos: diag.Pos{File: FileName}, Message: fmt.Sprintf("markup.timeLimit is %s: give a duration of at least 100ms, in quotes, such as \"10s\" or \"1m\"", s.Markup.TimeLimit)}
	}
	switch s.Slugify.Tags {
	case "on", "safe":
	default:
		return "slugify.tags", diag.Diagnostic{Pos: diag.Pos{File: FileName}, Message: fmt.Sprintf("slugify.tags %q: use \"on\" (ASCII URLs: coree-du-nord) or \"safe\" (accents kept: corée-du-nord)", s.Slugify.Tags)}
	}
	return s.Deploy.validate()
}

// BasePath is the path part of BaseURL, always starting and ending with "/":
// "/" for a site at the root of its host, "/dossiers/" under a subpath.
func (s Site) BasePath() string {
	u, err := url.Parse(s.BaseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	p := u.Path
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// Origin is scheme and host of BaseURL ("https://example.org"), or "" when
// BaseURL is only a path: absolute URLs (feed, sitemap, canonical) then fall
// back to site paths.
func (s Site) Origin() string {
	u, err := url.Parse(s.BaseURL)
	if err != nil || u.Scheme == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
