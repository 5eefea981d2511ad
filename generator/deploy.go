package generator

import (
	"context"
	"fmt"
	"io"
	"regexp"

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
	res, err := Publish(o.Site, o.Dest)
	if err != nil {
		return nil, deploy.Summary{}, err
	}
	sum, err := deploy.Run(ctx, deploy.Options{Dir: o.Dest, URL: target.URL, Rules: rules, Redirects: res.Redirects,
		DryRun: o.DryRun, MaxDeletes: maxDeletes, Workers: o.Workers, Log: o.Log})
	if err != nil {
		return res, sum, fmt.Errorf("deploy to %s (%s): %w", target.Name, deploy.Redact(target.URL), err)
	}
	return res, sum, nil
}
