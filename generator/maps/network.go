package maps

import (
	"cmp"
	"slices"

	"github.com/dossier-ssg/dossier/generator/model"
)

// network is the site-wide map. While the site has few dossiers they are
// hubs, each linked to its actors and treaties; beyond, actors are linked
// to each other by the dossiers they share (weight: how many), and each
// actor shows its strongest few such links until "all links" is chosen
// (the others are minor). Treaties are linked to their parties and
// signatories and to the texts they supersede, actors to their country.
// It keeps the siteMapMax best-connected actors and treaties.
func network(b *builder, site *model.Site) {
	type cand struct {
		a   *model.Actor
		t   *model.Treaty
		id  string
		deg int
	}
	var cands []cand
	for _, a := range site.Actors {
		cands = append(cands, cand{a: a, id: model.Key("actor", a.Slug),
			deg: len(a.Dossiers) + len(a.Treaties) + len(a.Citizens) + len(a.RelatedTo)})
	}
	for _, t := range site.Treaties {
		cands = append(cands, cand{t: t, id: model.Key("treaty", t.Slug),
			deg: len(t.Dossiers) + len(t.PartyList) + len(t.SignatoryList) + len(t.SupersedesList)})
	}
	slices.SortStableFunc(cands, func(x, y cand) int { return cmp.Or(cmp.Compare(y.deg, x.deg), cmp.Compare(x.id, y.id)) })
	cands, _ = first(cands, siteMapMax)
	// Nodes in a fixed order (the graph sorts them by ID anyway).
	slices.SortFunc(cands, func(x, y cand) int { return cmp.Compare(x.id, y.id) })
	for _, c := range cands {
		if c.a != nil {
			b.actor(c.a)
		} else {
			b.treaty(c.t)
		}
	}
	has := func(kind, slug string) bool { _, ok := b.at[model.Key(kind, slug)]; return ok }
	for _, c := range cands {
		switch {
		case c.a != nil && c.a.CountryActor != nil && has("actor", c.a.CountryActor.Slug):
			b.edge(c.id, model.Key("actor", c.a.CountryActor.Slug), "country", 1, "")
		case c.t != nil:
			for _, a := range c.t.PartyList {
				if has("actor", a.Slug) {
					b.edge(model.Key("actor", a.Slug), c.id, "party", 1, "")
				}
			}
			for _, a := range c.t.SignatoryList {
				if has("actor", a.Slug) {
					b.edge(model.Key("actor", a.Slug), c.id, "signed", 1, "")
				}
			}
			for _, o := range c.t.SupersedesList {
				if has("treaty", o.Slug) {
					b.edge(c.id, model.Key("treaty", o.Slug), "supersedes", 1, "")
				}
			}
		}
	}
	if len(site.Dossiers) <= hubMax {
		hubs(b, site, has)
		return
	}
	cocitations(b, site, has)
}

// hubs draws each dossier linked to its actors and treaties on the map.
func hubs(b *builder, site *model.Site, has func(kind, slug string) bool) {
	for _, d := range site.Dossiers {
		id := b.dossier(d)
		for _, a := range d.ActorList {
			if has("actor", a.Slug) {
				b.edge(model.Key("actor", a.Slug), id, "cites", 1, "")
			}
		}
		for _, t := range d.TreatyList {
			if has("treaty", t.Slug) {
				b.edge(model.Key("treaty", t.Slug), id, "cites", 1, "")
			}
		}
	}
}

// cocitations links the actors on the map by the dossiers they share; the
// majorLinks strongest links of each actor are drawn, the rest are minor.
func cocitations(b *builder, site *model.Site, has func(kind, slug string) bool) {
	type pair struct{ a, b string }
	count := map[pair]int{}
	var pairs []pair // in first-seen order, sorted below
	for _, d := range site.Dossiers {
		for i, x := range d.ActorList {
			for _, y := range d.ActorList[i+1:] {
				if x == y || !has("actor", x.Slug) || !has("actor", y.Slug) {
					continue
				}
				p := pair{model.Key("actor", x.Slug), model.Key("actor", y.Slug)}
				if p.b < p.a {
					p.a, p.b = p.b, p.a
				}
				if count[p] == 0 {
					pairs = append(pairs, p)
				}
				count[p]++
			}
		}
	}
	// Strongest first, then by IDs: the major links are each end's first.
	slices.SortFunc(pairs, func(x, y pair) int {
		return cmp.Or(cmp.Compare(count[y], count[x]), cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b))
	})
	shown := map[string]int{}
	for _, p := range pairs {
		kind := "cocited"
		if shown[p.a] >= majorLinks && shown[p.b] >= majorLinks {
			kind = "cocited minor"
		}
		shown[p.a]++
		shown[p.b]++
		b.edge(p.a, p.b, kind, count[p], "")
	}
}
