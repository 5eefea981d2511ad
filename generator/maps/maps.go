// Package maps owns the relationship maps of the content model: which
// entities and relations each map shows (an entity's neighbourhood, the
// site-wide network) and its text alternative. Package graph lays them out
// and draws them.
package maps

import (
	"html/template"
	"sort"
	"strings"
	"sync"

	"github.com/dossier-ssg/dossier/generator/graph"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/reads"
	"github.com/dossier-ssg/dossier/generator/urls"
	"github.com/dossier-ssg/dossier/generator/view"
)

// Map sizes: a page's neighbourhood stays readable; the site-wide map keeps
// the best-connected actors and treaties so it stays a picture, not a hairball.
const (
	neighbourhoodMax = 17
	siteMapMax       = 300
)

// siteGraph is the network of actors, treaties and dossiers: dossier–actor,
// dossier–treaty, treaty–party and actor–country edges.
func siteGraph(site *model.Site, base string, sc *urls.Scheme) graph.Graph {
	var g graph.Graph
	for _, a := range site.Actors {
		g.Nodes = append(g.Nodes, graph.Node{ID: model.Key("actor", a.Slug), Label: a.Name, Kind: a.Kind, URL: base + sc.Tree(a.Lang).Actor(a.Slug)})
		if a.CountryActor != nil {
			g.Edges = append(g.Edges, graph.Edge{From: model.Key("actor", a.Slug), To: model.Key("actor", a.CountryActor.Slug), Weight: 1})
		}
	}
	for _, t := range site.Treaties {
		g.Nodes = append(g.Nodes, graph.Node{ID: model.Key("treaty", t.Slug), Label: treatyLabel(t), Kind: "treaty", URL: base + sc.Tree(t.Lang).Treaty(t.Slug)})
		for _, a := range t.PartyList {
			g.Edges = append(g.Edges, graph.Edge{From: model.Key("treaty", t.Slug), To: model.Key("actor", a.Slug), Weight: 1})
		}
	}
	for _, d := range site.Dossiers {
		id := model.Key("dossier", d.Slug)
		g.Nodes = append(g.Nodes, graph.Node{ID: id, Label: d.Title, Kind: "dossier", URL: base + sc.Tree(d.Lang).Dossier(d.Slug)})
		for _, a := range d.ActorList {
			g.Edges = append(g.Edges, graph.Edge{From: id, To: model.Key("actor", a.Slug), Weight: 1})
		}
		for _, t := range d.TreatyList {
			g.Edges = append(g.Edges, graph.Edge{From: id, To: model.Key("treaty", t.Slug), Weight: 1})
		}
	}
	return g
}

func treatyLabel(t *model.Treaty) string {
	if t.Signed.IsZero() {
		return t.Title
	}
	return t.Title + " (" + t.Signed.Format("2006") + ")"
}

// networkGraph is the site-wide map's graph: the best-connected actors and
// treaties, linked through shared dossiers, treaties and countries.
func networkGraph(site *model.Site, g graph.Graph) graph.Graph {
	keep := map[string]bool{}
	degree := map[string]int{}
	for _, e := range g.Edges {
		degree[e.From]++
		degree[e.To]++
	}
	var candidates []graph.Node
	for _, n := range g.Nodes {
		if n.Kind != "dossier" {
			candidates = append(candidates, n)
		}
	}
	sort.SliceStable(candidates, func(i, j int) bool {
		if degree[candidates[i].ID] != degree[candidates[j].ID] {
			return degree[candidates[i].ID] > degree[candidates[j].ID]
		}
		return candidates[i].ID < candidates[j].ID
	})
	if len(candidates) > siteMapMax {
		candidates = candidates[:siteMapMax]
	}
	net := graph.Graph{Nodes: candidates}
	for _, n := range candidates {
		keep[n.ID] = true
	}
	for _, e := range g.Edges {
		if keep[e.From] && keep[e.To] {
			net.Edges = append(net.Edges, e)
		}
	}
	// Co-occurrence in dossiers links actors directly.
	for _, a := range site.Actors {
		for _, r := range a.RelatedTo {
			if a.Slug < r.Actor.Slug && keep[model.Key("actor", a.Slug)] && keep[model.Key("actor", r.Actor.Slug)] {
				net.Edges = append(net.Edges, graph.Edge{From: model.Key("actor", a.Slug), To: model.Key("actor", r.Actor.Slug), Weight: r.Count})
			}
		}
	}
	return net
}

// mapList is the map as a list of relations, with site-relative paths.
func mapList(p graph.Placed, base string) []view.MapEdge {
	byID := map[string]graph.PlacedNode{}
	for _, n := range p.Nodes {
		byID[n.ID] = n
	}
	out := make([]view.MapEdge, 0, len(p.Edges))
	for _, e := range p.Edges {
		a, b := byID[e.From], byID[e.To]
		out = append(out, view.MapEdge{From: a.Label, To: b.Label, FromPath: strings.TrimPrefix(a.URL, base), ToPath: strings.TrimPrefix(b.URL, base), Weight: e.Weight})
	}
	return out
}

// Maps draws the maps of one build; the site graph is made once, on first
// use (a rebuild that draws and signs no map never makes it).
type Maps struct {
	site *model.Site
	base string
	urls *urls.Scheme
	once sync.Once
	g    graph.Graph
	ix   *graph.Index
}

// New prepares the maps of site, with links under base.
func New(site *model.Site, base string, sc *urls.Scheme) *Maps {
	return &Maps{site: site, base: base, urls: sc}
}

func (m *Maps) graph() {
	m.once.Do(func() {
		m.g = siteGraph(m.site, m.base, m.urls)
		m.ix = graph.NewIndex(m.g)
	})
}

// drawing is everything a map is drawn from: equal drawings make equal maps.
type drawing struct {
	Graph  graph.Graph
	Layout graph.Options
	SVG    graph.SVGOptions
}

// drawing returns what the map of a page is drawn from; false when the page
// has no map (a kind without one, or an entity with no neighbour).
func (m *Maps) drawing(p *view.Page) (drawing, bool) {
	if !Has(p.Kind) {
		return drawing{}, false
	}
	m.graph()
	neighbourhood := func(key, name string) (drawing, bool) {
		sub := m.ix.Neighbourhood(key, 1, neighbourhoodMax)
		return drawing{sub, graph.Options{Width: 640, Height: 420, Center: key},
			graph.SVGOptions{IDPrefix: "map-", Title: p.T("neighbourhood") + " : " + name, Lang: p.Lang}}, len(sub.Nodes) >= 2
	}
	switch {
	case p.Kind == "actor":
		return neighbourhood(model.Key("actor", p.Actor.Slug), p.Actor.Name)
	case p.Kind == "treaty":
		return neighbourhood(model.Key("treaty", p.Treaty.Slug), p.Treaty.Title)
	case p.Kind == "map":
		net := networkGraph(m.site, m.g)
		return drawing{net, graph.Options{Width: 960, Height: 720}, graph.SVGOptions{IDPrefix: "net-", Title: p.T("map"), Lang: p.Lang}}, len(net.Nodes) > 0
	}
	return drawing{}, false
}

// Fill draws the map of a page that has one (actor, treaty, the site map).
func (m *Maps) Fill(p *view.Page) {
	d, ok := m.drawing(p)
	if !ok {
		p.Map, p.MapList = "", nil
		return
	}
	placed := graph.Layout(d.Graph, d.Layout)
	p.Map, p.MapList = template.HTML(graph.SVG(placed, d.SVG)), mapList(placed, m.base)
}

// Key sums up what a page's map is drawn from, without drawing it (layout
// is the costly part), and lists the entities it shows: the page cache
// signs the map by it.
func (m *Maps) Key(p *view.Page) (uint64, []string) {
	d, ok := m.drawing(p)
	if !ok {
		return 0, nil
	}
	sum, _ := reads.Sum(d) // strings and numbers: always signed
	keys := make([]string, len(d.Graph.Nodes))
	for i, n := range d.Graph.Nodes {
		keys[i] = n.ID // entity keys (model.Key)
	}
	return sum, keys
}

// Has reports whether a page kind shows a map.
func Has(kind string) bool { return kind == "actor" || kind == "treaty" || kind == "map" }
