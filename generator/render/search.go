package render

import (
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/search"
	"github.com/dossier-ssg/dossier/generator/urls"
)

// searchDocuments lists what the search index covers. Text before a body
// goes in Lead, so that no joined copy of all the site's text is made. A
// dossier's text, most of the site's, is left to text(i) to make when the
// index reads it (search.BuildText), so it is never all in memory at once.
func searchDocuments(site *model.Site, siteLang string) (docs []search.Document, text func(i int) string) {
	var bodies []*model.Body // by document: a dossier's body, whose text is made late
	for _, d := range site.Dossiers {
		bodies = append(bodies, &d.Body)
		docs = append(docs, search.Document{URL: urls.Dossier(d.Slug), Kind: "dossier", Title: d.Title, Lang: d.Lang,
			Lead: d.Summary, Date: d.Date.ISO()})
		for _, q := range d.Quotes {
			speaker := q.Speaker.Slug
			if q.SpeakerActor != nil {
				speaker = q.SpeakerActor.Name
			}
			said := textOf(&q.Text)
			bodies = append(bodies, nil) // a quote's text is short: made now
			docs = append(docs, search.Document{URL: mustPath(q), Kind: "quote", Title: speaker + " — " + truncate(said, 90),
				Lang: d.Lang, Lead: said, Text: textOf(&q.Context), Date: q.Date.ISO()})
		}
	}
	for _, a := range site.Actors {
		text := a.Role + "\n" + textOf(&a.Body)
		for _, r := range a.Aliases {
			text += "\n" + r.Slug
		}
		docs = append(docs, search.Document{URL: urls.Actor(a.Slug), Kind: "actor", Title: a.Name, Lang: siteLang, Text: text})
	}
	for _, t := range site.Treaties {
		docs = append(docs, search.Document{URL: urls.Treaty(t.Slug), Kind: "treaty", Title: t.Title, Lang: siteLang, Text: textOf(&t.Body), Date: t.Signed.ISO()})
	}
	return docs, func(i int) string {
		if i < len(bodies) && bodies[i] != nil {
			return textOf(bodies[i])
		}
		return docs[i].Text
	}
}

// searchDocumentsWithText is searchDocuments with every text made.
func searchDocumentsWithText(site *model.Site, siteLang string) []search.Document {
	docs, text := searchDocuments(site, siteLang)
	for i := range docs {
		docs[i].Text = text(i)
	}
	return docs
}
