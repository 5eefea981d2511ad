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
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/urls"
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
	// Languages are the site's languages besides (and including) the
	// default one, Language: [languages.en] title = "…". Each has a tree
	// of pages of its own (see urls.Scheme).
	Languages map[string]Language `toml:"languages"`
	// DefaultLanguageInSubdir puts the default language's pages under
	// /fr/ too, as Hugo's defaultContentLanguageInSubdir.
	DefaultLanguageInSubdir bool `toml:"defaultLanguageInSubdir"`
	// OldSectionRedirects makes a redirect from the old English path of
	// every page of the default language whose section has another name
	// now (/actors/x/ → /acteurs/x/): on by default, for sites published
	// before sections had names of their language; a new site turns it off.
	OldSectionRedirects bool `toml:"oldSectionRedirects"`

	// scheme is the URL scheme made from the above by validate.
	scheme *urls.Scheme
	// defaultLang is the default language, which Language stays in a
	// copy made by ForLang.
	defaultLang string
}

// Language holds the settings of one language of the site: the title and
// description of its pages (the site's when empty) and its section folder
// names (actors = "acteurs"; urls.DefaultSection when unnamed).
type Language struct {
	Title       string            `toml:"title"`
	Description string            `toml:"description"`
	Sections    map[string]string `toml:"sections"`
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

		OldSectionRedirects: true,
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
	"relativeURLs", "minify", "markup", "markup.unsafe", "markup.codeStyle", "markup.codeStyleDark", "markup.timeLimit", "slugify", "slugify.tags",
	"languages", "defaultLanguageInSubdir", "oldSectionRedirects"}

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
	if key, err := s.validateLanguages(); err != nil {
		return key, err
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

// supported are the languages the built-in theme speaks (package i18n).
var supported = []string{"en", "fr"}

// validateLanguages checks language and [languages], and makes the URL
// scheme: the default language first, then the others by code.
func (s *Site) validateLanguages() (string, error) {
	bad := func(key, format string, args ...any) (string, error) {
		return key, diag.Diagnostic{Pos: diag.Pos{File: FileName}, Message: fmt.Sprintf(format, args...)}
	}
	if !slices.Contains(supported, s.Language) {
		return bad("language", "language %q is not supported (use \"fr\" or \"en\")", s.Language)
	}
	s.defaultLang = s.Language
	others := make([]string, 0, len(s.Languages))
	for lang := range s.Languages {
		if !slices.Contains(supported, lang) {
			return bad("languages."+lang, "language %q is not supported (use \"fr\" or \"en\")", lang)
		}
		if lang != s.Language {
			others = append(others, lang)
		}
	}
	slices.Sort(others)
	var langs []urls.Language
	for _, lang := range append([]string{s.Language}, others...) {
		l := s.Languages[lang]
		seen := map[string]string{}
		for key, name := range l.Sections {
			where := "languages." + lang + ".sections." + key
			if !slices.Contains(urls.SectionKeys, key) {
				return bad(where, "unknown section %q%s (sections: %s)", key, diag.DidYouMean(key, urls.SectionKeys), strings.Join(urls.SectionKeys, ", "))
			}
			if msg := urls.CheckSection(name); msg != "" {
				return bad(where, "section name %q: %s", name, msg)
			}
		}
		for _, key := range urls.SectionKeys {
			name := cmpOr(l.Sections[key], urls.DefaultSection(lang, key))
			if other, ok := seen[name]; ok {
				return bad("languages."+lang+".sections", "sections %s and %s of language %q are both /%s/: give them different names", other, key, lang, name)
			}
			if lang == s.Language && !s.DefaultLanguageInSubdir && slices.Contains(supported, name) && len(s.Languages) > 1 {
				return bad("languages."+lang+".sections."+key, "section name %q is a language's folder", name)
			}
			seen[name] = key
		}
		langs = append(langs, urls.Language{Lang: lang, Sections: l.Sections})
	}
	s.scheme = urls.NewScheme(langs, s.DefaultLanguageInSubdir)
	return "", nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// URLs is the site's URL scheme: where every page of every language is.
func (s Site) URLs() *urls.Scheme {
	if s.scheme == nil {
		return urls.Single(cmpOr(s.DefaultLang(), "fr"))
	}
	return s.scheme
}

// DefaultLang is the site's default language (Language, unless this is a
// copy made by ForLang).
func (s Site) DefaultLang() string { return cmpOr(s.defaultLang, s.Language) }

// Langs lists the site's languages, the default first.
func (s Site) Langs() []string {
	var out []string
	for _, t := range s.URLs().Trees() {
		out = append(out, t.Lang)
	}
	return out
}

// ForLang is the settings of the pages of one language: Language is lang,
// and the title and description are the language's own where it has them.
func (s Site) ForLang(lang string) Site {
	s.defaultLang = s.DefaultLang()
	s.Language = lang
	l := s.Languages[lang]
	s.Title = cmpOr(l.Title, s.Title)
	s.Description = cmpOr(l.Description, s.Description)
	return s
}
