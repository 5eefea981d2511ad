// Package jsonld owns the schema.org data of each page kind, which
// html/template writes as JSON inside <script type="application/ld+json">.
package jsonld

import (
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/view"
)

func Website(info *view.SiteInfo) map[string]any {
	return map[string]any{"@context": "https://schema.org", "@type": "WebSite", "name": info.Title,
		"url": info.Absolute(""), "inLanguage": info.Lang}
}

func Dossier(info *view.SiteInfo, d *model.Dossier) map[string]any {
	ld := map[string]any{
		"@context": "https://schema.org", "@type": "NewsArticle",
		"headline": d.Title, "datePublished": d.Date.ISO(), "dateModified": d.Date.ISO(),
		"inLanguage": d.Lang, "url": info.Absolute(info.URLs.Tree(d.Lang).Dossier(d.Slug)),
		"mainEntityOfPage": info.Absolute(info.URLs.Tree(d.Lang).Dossier(d.Slug)),
	}
	if d.Summary != "" {
		ld["description"] = d.Summary
	}
	var about []map[string]any
	for _, a := range d.ActorList {
		about = append(about, map[string]any{"@type": actorType(a), "name": a.Name, "url": info.Absolute(info.URLs.Tree(a.Lang).Actor(a.Slug))})
	}
	if len(about) > 0 {
		ld["about"] = about
	}
	if d.Source.URL != "" || d.Source.Publisher != "" {
		src := map[string]any{"@type": "CreativeWork"}
		if d.Source.URL != "" {
			src["url"] = d.Source.URL
		}
		if d.Source.Publisher != "" {
			src["publisher"] = map[string]any{"@type": "Organization", "name": d.Source.Publisher}
		}
		ld["isBasedOn"] = src
	}
	if img := images(info, d.Picture, d.Card); img != nil {
		ld["image"] = img
	}
	if !d.Updated.IsZero() {
		ld["dateModified"] = d.Updated.ISO()
	}
	if len(d.Authors) > 0 {
		var authors []map[string]any
		for _, a := range d.Authors {
			authors = append(authors, map[string]any{"@type": "Person", "name": a})
		}
		ld["author"] = authors
	} else if d.Source.Author != "" {
		ld["author"] = map[string]any{"@type": "Person", "name": d.Source.Author}
	} else {
		ld["author"] = map[string]any{"@type": "Organization", "name": info.Title}
	}
	return ld
}

func actorType(a *model.Actor) string {
	switch a.Kind {
	case model.KindPerson:
		return "Person"
	case model.KindState:
		return "Country"
	}
	return "Organization"
}

func Actor(info *view.SiteInfo, a *model.Actor) map[string]any {
	ld := map[string]any{"@context": "https://schema.org", "@type": actorType(a), "name": a.Name,
		"url": info.Absolute(info.URLs.Tree(a.Lang).Actor(a.Slug))}
	var names []string
	for _, r := range a.Aliases {
		names = append(names, r.Slug)
	}
	if len(names) > 0 {
		ld["alternateName"] = names
	}
	if a.Role != "" {
		if a.Kind == model.KindPerson {
			ld["jobTitle"] = a.Role
		} else {
			ld["description"] = a.Role
		}
	}
	if img := images(info, a.Picture, a.Card); img != nil {
		ld["image"] = img
	}
	if a.CountryActor != nil && a.Kind == model.KindPerson {
		ld["nationality"] = map[string]any{"@type": "Country", "name": a.CountryActor.Name}
	}
	return ld
}

func Treaty(info *view.SiteInfo, t *model.Treaty) map[string]any {
	ld := map[string]any{"@context": "https://schema.org", "@type": "Legislation", "name": t.Title,
		"url": info.Absolute(info.URLs.Tree(t.Lang).Treaty(t.Slug)), "legislationLegalForce": legalForce(t.Status)}
	if !t.Signed.IsZero() {
		ld["legislationDate"] = t.Signed.ISO()
	}
	var parties []map[string]any
	for _, a := range t.PartyList {
		parties = append(parties, map[string]any{"@type": actorType(a), "name": a.Name})
	}
	if len(parties) > 0 {
		ld["legislationPassedBy"] = parties
	}
	if img := images(info, t.Picture, t.Card); img != nil {
		ld["image"] = img
	}
	return ld
}

// legalForce maps our statuses to schema.org's LegalForceStatus.
func legalForce(status string) string {
	switch status {
	case "in-force":
		return "https://schema.org/InForce"
	case "superseded", "expired":
		return "https://schema.org/NotInForce"
	}
	return "https://schema.org/NotInForce"
}

// quoteLD describes a quote whose words read said (its text).
func Quote(info *view.SiteInfo, q *model.Quote, said string) map[string]any {
	ld := map[string]any{"@context": "https://schema.org", "@type": "Quotation", "text": said,
		"url":      info.Absolute(info.URLs.Tree(q.Lang).Quote(q.Dossier.Slug, q.ID)),
		"isPartOf": map[string]any{"@type": "NewsArticle", "headline": q.Dossier.Title, "url": info.Absolute(info.URLs.Tree(q.Dossier.Lang).Dossier(q.Dossier.Slug))}}
	if !q.Undated {
		ld["dateCreated"] = q.Date.ISO()
	}
	if q.SourceURL != "" {
		ld["isBasedOn"] = q.SourceURL
	}
	speaker := map[string]any{"@type": "Thing", "name": q.Speaker.Slug}
	if a := q.SpeakerActor; a != nil {
		speaker = map[string]any{"@type": actorType(a), "name": a.Name, "url": info.Absolute(info.URLs.Tree(a.Lang).Actor(a.Slug))}
	}
	if q.Kind == model.QuoteReported {
		// The writer's account, not the speaker's words: not a Quotation.
		ld["@type"], ld["about"] = "CreativeWork", speaker
	} else if q.SpeakerActor != nil {
		ld["spokenByCharacter"] = speaker
	}
	if img := images(info, nil, q.Card); img != nil {
		ld["image"] = img
	}
	return ld
}

// images lists the absolute URLs of a page's pictures: its own (the
// largest variant), then its social card; none when baseURL has no host
// (schema.org's image is a URL: a site path is not one).
func images(info *view.SiteInfo, pic *model.Picture, card *model.Card) []string {
	if info.Origin == "" {
		return nil
	}
	var out []string
	if pic != nil {
		out = append(out, info.Origin+pic.Src)
	}
	if card != nil {
		out = append(out, info.Absolute(card.Path))
	}
	return out
}
