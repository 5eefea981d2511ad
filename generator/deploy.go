package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"

	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/output"

	"github.com/dossier-ssg/dossier/generator/deploy"
	"github.com/dossier-ssg/dossier/generator/load"
)

// DeployOptions say what `dossier deploy` does: build the site into Dest,
// then send it to a target of dossier.toml.
type DeployOptions struct {
	Site   Options
	Dest   string // where the site is built first (public/)
	Target string // a target's name; "" for the first
	DryRun bool
	// NoBuild deploys Dest as it was built, without building it again.
	NoBuild bool
	// Verify lists the target and compares every object, not only the
	// deploy's manifest (see deploy.Options.Verify).
	Verify bool
	// MaxDeletes bounds the files one deploy deletes; nil: dossier.toml's
	// deploy.maxDeletes, else deploy.DefaultMaxDeletes; -1: no bound.
	MaxDeletes *int
	Workers    int
	Log        io.Writer // the plan, progress and warnings
}

// Deploy builds the site and deploys it. It refuses a site whose base URL
// has no host: its feed, sitemap and canonical links would be relative.
func Deploy(ctx context.Context, o DeployOptions) (*Result, deploy.Summary, error) {
	if err := checkSiteDir(o.Site.SiteDir); err != nil {
		return nil, deploy.Summary{}, err
	}
	site := load.OpenSite(o.Site.SiteDir)
	cfg, err := loadConfig(o.Site, site)
	site.Close()
	if err != nil {
		return nil, deploy.Summary{}, err
	}
	target, err := cfg.Deploy.Target(o.Target)
	if err != nil {
		return nil, deploy.Summary{}, err
	}
	if cfg.Origin() == "" {
		return nil, deploy.Summary{}, fmt.Errorf("baseURL %q has no host: a deployed site needs its public URL for its feed, sitemap and canonical links; set baseURL in dossier.toml (https://example.org/) or give --base-url", cfg.BaseURL)
	}
	if what := deploy.Secret(target.URL); what != "" && o.Log != nil {
		fmt.Fprintf(o.Log, "warning: deploy target %q holds %s in its URL: %s is committed with the site; give credentials through the environment (AWS_ACCESS_KEY_ID…, GOOGLE_APPLICATION_CREDENTIALS, AZURE_STORAGE_KEY…)\n", target.Name, what, "dossier.toml")
	}
	rules := make([]deploy.Rule, 0, len(cfg.Deploy.Headers))
	for _, h := range cfg.Deploy.Headers {
		rules = append(rules, deploy.Rule{Pattern: regexp.MustCompile(h.Pattern), CacheControl: h.CacheControl, ContentType: h.ContentType, Compress: h.Compress})
	}
	maxDeletes := deploy.DefaultMaxDeletes
	if cfg.Deploy.MaxDeletes != nil {
		maxDeletes = *cfg.Deploy.MaxDeletes
	}
	if o.MaxDeletes != nil {
		maxDeletes = *o.MaxDeletes
	}
	res := &Result{Config: cfg}
	if o.NoBuild {
		res.Redirects, err = builtRedirects(o.Dest, cfg)
	} else {
		res, err = Publish(o.Site, o.Dest)
	}
	if err != nil {
		return nil, deploy.Summary{}, err
	}
	sum, err := deploy.Run(ctx, deploy.Options{Dir: o.Dest, URL: target.URL, Rules: rules, Redirects: res.Redirects,
		DryRun: o.DryRun, Verify: o.Verify, MaxDeletes: maxDeletes, Workers: o.Workers, Log: o.Log})
	if err != nil {
		return res, sum, fmt.Errorf("deploy to %s (%s): %w", target.Name, deploy.Redact(target.URL), err)
	}
	return res, sum, nil
}

// builtRedirects checks that dest is a dossier build made for an absolute
// base URL (its sitemap names absolute pages) and reads its redirects back
// from _redirects.
func builtRedirects(dest string, cfg config.Site) (map[string]string, error) {
	root, err := os.OpenRoot(dest)
	if err != nil {
		return nil, fmt.Errorf("--no-build: no built site: %w", err)
	}
	defer root.Close()
	if _, err := root.Stat(output.Marker); err != nil {
		return nil, fmt.Errorf("--no-build: %s was not built by dossier (no %s): run dossier build first", dest, output.Marker)
	}
	sitemap, err := root.ReadFile("sitemap.xml")
	if err != nil {
		return nil, fmt.Errorf("--no-build: %w", err)
	}
	if !bytes.Contains(sitemap, []byte("<loc>http")) {
		return nil, fmt.Errorf("--no-build: %s was built without an absolute base URL (its sitemap holds relative URLs): build it with baseURL set to the public address", dest)
	}
	data, err := root.ReadFile("_redirects")
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	return redirectsOf(data, cfg.BasePath()), nil
}
