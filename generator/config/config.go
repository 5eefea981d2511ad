// Package config owns the site settings: it reads dossier.toml, applies
// defaults and command-line overrides, and validates them.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

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
}

// Markup holds Markdown rendering options.
type Markup struct {
	// Unsafe lets raw HTML in Markdown through. Off by default: raw HTML is
	// shown escaped so a pasted <script> can never run.
	Unsafe bool `toml:"unsafe"`
	// CodeStyle names the chroma style of light mode; CodeStyleDark of dark mode.
	CodeStyle     string `toml:"codeStyle"`
	CodeStyleDark string `toml:"codeStyleDark"`
}

// Default returns the settings used where dossier.toml is silent.
func Default() Site {
	return Site{
		Title:    "Dossiers",
		BaseURL:  "/",
		Language: "fr",
		PageSize: 20,
		Markup:   Markup{CodeStyle: "github", CodeStyleDark: "github-dark"},
	}
}

// Load reads dir/dossier.toml. A missing file gives the defaults; a malformed
// one gives diagnostics with line and column.
func Load(dir string) (Site, error) {
	site := Default()
	path := filepath.Join(dir, FileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return site, site.Validate()
	}
	if err != nil {
		return site, diag.Diagnostic{Pos: diag.Pos{File: FileName}, Message: "cannot read settings: " + err.Error()}
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
			return site, diag.Diagnostic{Pos: diag.Pos{File: FileName, Line: perr.Position.Line, Col: perr.Position.Col}, Message: perr.Message}
		}
		return site, diag.Diagnostic{Pos: diag.Pos{File: FileName}, Message: err.Error()}
	}
	var list diag.List
	for _, key := range md.Undecoded() {
		list.Add(diag.Pos{File: FileName}, "unknown setting %q", key.String())
	}
	if err := site.Validate(); err != nil {
		var d diag.Diagnostic
		if errors.As(err, &d) {
			list.Append(d)
		}
	}
	return site, list.Err()
}

// Validate checks the settings and normalises BaseURL to end with a slash.
func (s *Site) Validate() error {
	if s.BaseURL == "" {
		s.BaseURL = "/"
	}
	u, err := url.Parse(s.BaseURL)
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") || u.RawQuery != "" || u.Fragment != "" {
		return diag.Diagnostic{Pos: diag.Pos{File: FileName}, Message: fmt.Sprintf("baseURL %q must be an http(s) URL or a path such as /dossiers/", s.BaseURL)}
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
		return diag.Diagnostic{Pos: diag.Pos{File: FileName}, Message: fmt.Sprintf("language %q is not supported (use \"fr\" or \"en\")", s.Language)}
	}
	if s.PageSize <= 0 {
		s.PageSize = 20
	}
	return nil
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
