package config

import (
	"fmt"
	"net/url"
	"regexp"

	"github.com/dossier-ssg/dossier/generator/diag"
)

// Deploy holds the [deploy] settings: where `dossier deploy` sends the
// site, and the headers it gives files beyond the defaults. Credentials
// never go here: the file is committed (see docs/publishing.md).
type Deploy struct {
	Targets []Target `toml:"targets"`
	Headers []Header `toml:"headers"`
	// MaxDeletes bounds what one deploy deletes (default 256, -1: none).
	MaxDeletes *int `toml:"maxDeletes"`
}

// Target is one place the site is deployed to.
type Target struct {
	Name string `toml:"name"`
	URL  string `toml:"url"` // s3://bucket?region=…, gs://bucket, azblob://container, file:///path
}

// Header gives the files whose path matches Pattern (a regular expression
// on the site path, e.g. "^img/") their Cache-Control, Content-Type or
// compression ("gzip" or "br").
type Header struct {
	Pattern      string `toml:"pattern"`
	CacheControl string `toml:"cacheControl"`
	ContentType  string `toml:"contentType"`
	Compress     string `toml:"compress"`
}

// deploySettings are the [deploy] keys, for "did you mean".
var deploySettings = []string{"deploy", "deploy.targets", "deploy.targets.name", "deploy.targets.url",
	"deploy.headers", "deploy.headers.pattern", "deploy.headers.cacheControl", "deploy.headers.contentType",
	"deploy.headers.compress", "deploy.maxDeletes"}

// Target returns the target called name, or the only (or first) one when
// name is "".
func (d Deploy) Target(name string) (Target, error) {
	if len(d.Targets) == 0 {
		return Target{}, fmt.Errorf("%s has no deploy target: add [[deploy.targets]] with a name and a url (docs/publishing.md)", FileName)
	}
	if name == "" {
		return d.Targets[0], nil
	}
	var names []string
	for _, t := range d.Targets {
		if t.Name == name {
			return t, nil
		}
		names = append(names, t.Name)
	}
	return Target{}, fmt.Errorf("no deploy target %q in %s%s", name, FileName, diag.DidYouMean(name, names))
}

// validateDeploy checks [deploy]; it returns the setting in error.
func (d Deploy) validate() (string, error) {
	bad := func(key, format string, args ...any) (string, error) {
		return key, diag.Diagnostic{Pos: diag.Pos{File: FileName}, Message: fmt.Sprintf(format, args...)}
	}
	seen := map[string]bool{}
	for _, t := range d.Targets {
		if t.Name == "" || seen[t.Name] {
			return bad("deploy.targets", "every deploy target needs a name of its own (%q)", t.Name)
		}
		seen[t.Name] = true
		u, err := url.Parse(t.URL)
		if err != nil || u.Host == "" && u.Scheme != "file" {
			return bad("deploy.targets", "deploy target %q: url %q is not a URL such as s3://bucket?region=eu-west-3", t.Name, t.URL)
		}
		switch u.Scheme {
		case "s3", "gs", "azblob", "file":
		default:
			return bad("deploy.targets", "deploy target %q: %s:// is not a target (use s3://, gs://, azblob:// or file://)", t.Name, u.Scheme)
		}
	}
	for _, h := range d.Headers {
		if _, err := regexp.Compile(h.Pattern); err != nil || h.Pattern == "" {
			return bad("deploy.headers", "deploy header pattern %q is not a regular expression: %v", h.Pattern, err)
		}
		switch h.Compress {
		case "", "gzip", "br":
		default:
			return bad("deploy.headers", "deploy header compress %q: use \"gzip\" or \"br\"", h.Compress)
		}
	}
	if d.MaxDeletes != nil && *d.MaxDeletes < -1 {
		return bad("deploy.maxDeletes", "deploy.maxDeletes is %d: give a number of files, or -1 for no bound", *d.MaxDeletes)
	}
	return "", nil
}
