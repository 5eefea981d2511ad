package render

import (
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/pagecache"
	"github.com/dossier-ssg/dossier/generator/view"
)

// French typography outside the page text: the page pass (FrenchSpacing)
// leaves attributes and scripts alone, so the title and description a page
// writes into <meta>, og:, twitter: and its JSON-LD are set in French
// typography here, on the values themselves.

// frenchJobs sets the head values of the French pages in French
// typography: at once for what the page holds already, after Prepare for
// what Prepare makes (Job.Finish: only when the page is executed, not
// on the copy of it that is signed).
func frenchJobs(jobs []pagecache.Job) {
	for i := range jobs {
		j := &jobs[i]
		if j.Page.Lang != "fr" {
			continue
		}
		frenchHead(j.Page)
		if j.Prepare != nil {
			j.Finish = frenchHead // what Prepare makes, once executed
		}
	}
}

// frenchHead sets a page's title, description and JSON-LD in French
// typography. It may run twice on a page: the second time changes nothing.
func frenchHead(p *view.Page) {
	p.Title = markdown.FrenchText(p.Title)
	p.Description = markdown.FrenchText(p.Description)
	if ld, ok := p.JSONLD.(map[string]any); ok {
		frenchLD(ld)
	}
}

// frenchLD sets the texts of JSON-LD data in French typography, in place
// (the data is the page's own). URLs, dates and types have no space
// before a mark, so they come out unchanged.
func frenchLD(ld map[string]any) {
	for k, v := range ld {
		switch v := v.(type) {
		case string:
			ld[k] = markdown.FrenchText(v)
		case []string:
			for i := range v {
				v[i] = markdown.FrenchText(v[i])
			}
		case map[string]any:
			frenchLD(v)
		case []map[string]any:
			for _, m := range v {
				frenchLD(m)
			}
		}
	}
}
