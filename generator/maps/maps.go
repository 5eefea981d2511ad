// Package maps owns the relationship maps of the content model: which
// entities and relations each map shows (an actor's or a treaty's
// neighbourhood: what its page lists; the site-wide network), what each
// relation means in words, the legend and the text alternative. Package
// graph lays them out and draws them.
package maps

import (
	"html/template"
	"slices"
	"strings"

	"github.com/dossier-ssg/dossier/generator/graph"
	"github.com/dossier-ssg/dossier/generator/i18n"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/reads"
	"github.com/dossier-ssg/dossier/generator/urls"
	"github.com/dossier-ssg/dossier/generator/view"
)

// How much a map draws. An entity's map holds a few of each kind its page
// lists (its strongest related actors fill it up to neighbourMax); the
// rest is named under the map with a link to where its page lists it
// ("and 12 more"). A map of neighbourMax neighbours stays as small as the
// 17-node maps before links said what they are, on a site of 10,000
// dossiers. The site-wide map keeps the best-connected actors and
// treaties, with the dossiers as hubs while there are few of them.
const (
	neighbourMax = 17  // nodes around the centre of an entity's map
	treatyMax    = 3   // an actor's treaties
	dossierMax   = 2   // an actor's dossiers, a treaty's citing dossiers: 3
	mentionMax   = 1   // dossiers whose text mentions an actor
	memberMax    = 2   // actors attached to an actor
	partyMax     = 12  // a treaty's parties and signatories
	chainMax     = 8   // texts of a treaty's supersession chain
	siteMapMax   = 150 // graph's recommendation for 960×720
	hubMax       = 24  // dossiers drawn as hubs on the site map, at most
	majorLinks   = 2   // co-citation links of a node shown before "all links"
)

// Map sizes, in SVG units (shown at one CSS pixel per unit: a narrow
// screen scrolls the map rather than shrinking its text).
const (
	entityW, entityH = 720, 500
	siteW, siteH     = 960, 720
)

// edgeKinds lists the kinds of relation, in legend order.
var edgeKinds = []string{"cocited", "coparty", "party", "signed", "supersedes", "cites", "mentioned", "country"}

// nodeKinds lists the kinds of node, in legend order, with their names.
var nodeKinds = [][2]string{{"person", "kinds.person"}, {"state", "kinds.state"},
	{"organisation", "kinds.organisation"}, {"treaty", "treaties"}, {"dossier", "dossiers"}}

// builder makes a map's graph: each node once, with its relations.
type builder struct {
	g    graph.Graph
	at   map[string]int // node index by ID; looked up, never iterated
	lang string
	base string
	urls *urls.Scheme // each node links to the page of its own language
	more []view.MapMore
}

func newBuilder(lang, base string, sc *urls.Scheme) *builder {
	return &builder{at: map[string]int{}, lang: lang, base: base, urls: sc}
}

func (b *builder) node(id, label, kind, url string) {
	if _, ok := b.at[id]; !ok {
		b.at[id] = len(b.g.Nodes)
		b.g.Nodes = append(b.g.Nodes, graph.Node{ID: id, Label: label, Kind: kind, URL: b.base + url})
	}
}

func (b *builder) actor(a *model.Actor) string {
	id := model.Key("actor", a.Slug)
	b.node(id, a.Name, a.Kind, b.urls.Tree(a.Lang).Actor(a.Slug))
	return id
}

func (b *builder) treaty(t *model.Treaty) string {
	id := model.Key("treaty", t.Slug)
	b.node(id, treatyLabel(t), "treaty", b.urls.Tree(t.Lang).Treaty(t.Slug))
	return id
}

func (b *builder) dossier(d *model.Dossier) string {
	id := model.Key("dossier", d.Slug)
	b.node(id, d.Title, "dossier", b.urls.Tree(d.Lang).Dossier(d.Slug))
	return id
}

// edge links from and to with a relation of kind, and says it in a
// sentence that names from first and to second, with n where the kind
// counts. The sentence is the edge's tooltip; with note (a neighbour of
// the centre) it is that node's accessible name instead, and the edge,
// whose kind its class and the legend give, has none: the map stays small.
func (b *builder) edge(from, to, kind string, n int, note string) {
	fa, ta := b.g.Nodes[b.at[from]].Label, b.g.Nodes[b.at[to]].Label
	relation, _, _ := strings.Cut(kind, " ")
	e := graph.Edge{From: from, To: to, Weight: n, Kind: kind}
	switch {
	case strings.HasSuffix(kind, " minor"):
		// Hidden until "all links": the site map stays smaller without
		// their sentences (the list under it leaves them out too).
	case note == "":
		e.Title = rel(b.lang, "map.rel."+relation, fa, ta, n)
	default:
		// Said from the neighbour's side: its name comes first.
		side := ".to"
		if note == from {
			side = ".from"
		}
		nd := &b.g.Nodes[b.at[note]]
		if nd.Title != "" {
			nd.Title += " ; "
		}
		nd.Title += rel(b.lang, "map.note."+relation+side, fa, ta, n)
	}
	b.g.Edges = append(b.g.Edges, e)
}

// moreOf notes that the map left out n entities of a list, which the page
// lists at fragment (or path).
func (b *builder) moreOf(key string, n int, fragment, path string) {
	if n > 0 {
		b.more = append(b.more, view.MapMore{Text: plural(b.lang, key, n), Fragment: fragment, Path: path})
	}
}

// rel is the sentence key says of a relation from a to b, of count n.
func rel(lang, key, a, b string, n int) string {
	if n == 1 && i18n.Has(lang, key+".one") {
		key += ".one"
	}
	if strings.Contains(key, "cocited") || strings.Contains(key, "coparty") {
		return i18n.Label(lang, key, a, b, n)
	}
	return i18n.Label(lang, key, a, b)
}

func plural(lang, key string, n int) string {
	if n == 1 && i18n.Has(lang, key+".one") {
		key += ".one"
	}
	return i18n.Label(lang, key, n)
}

// treatyLabel is a treaty's title with its year, unless the title says it.
func treatyLabel(t *model.Treaty) string {
	if t.Signed.IsZero() || strings.Contains(t.Title, t.Signed.Format("2006")) {
		return t.Title
	}
	return t.Title + " (" + t.Signed.Format("2006") + ")"
}

// first returns at most n items of list and how many it left out.
func first[T any](list []T, n int) ([]T, int) {
	if len(list) <= n {
		return list, 0
	}
	return list[:n], len(list) - n
}

// last returns at most n items at the end of list and how many it left out.
func last[T any](list []T, n int) ([]T, int) {
	if len(list) <= n {
		return list, 0
	}
	return list[len(list)-n:], len(list) - n
}

// actorMap is an actor's neighbourhood: what its page lists. Its country
// and the actors attached to it, every related actor (the weight of the
// link is the number of dossiers, then treaties, they share), the treaties
// it is a party to or signed, its dossiers and the dossiers whose text
// mentions it.
func actorMap(b *builder, a *model.Actor) {
	c := b.actor(a)
	if ca := a.CountryActor; ca != nil {
		b.edge(c, b.actor(ca), "country", 1, model.Key("actor", ca.Slug))
	}
	members, _ := first(a.Citizens, memberMax)
	for _, m := range members {
		id := b.actor(m)
		b.edge(id, c, "country", 1, id)
	}
	treaties, more := last(a.Treaties, treatyMax) // the newest
	for _, t := range treaties {
		id := b.treaty(t)
		if slices.Contains(t.PartyList, a) {
			b.edge(c, id, "party", 1, id)
		}
		if slices.Contains(t.SignatoryList, a) {
			b.edge(c, id, "signed", 1, id)
		}
	}
	b.moreOf("map.more.treaties", more, "side-treaties", "")
	dossiers, more := first(a.Dossiers, dossierMax)
	for _, d := range dossiers {
		id := b.dossier(d)
		b.edge(c, id, "cites", 1, id)
	}
	b.moreOf("map.more.dossiers", more, "", b.urls.Tree(a.Lang).ActorTimeline(a.Slug))
	mentions, more := first(a.MentionedBy, mentionMax)
	for _, d := range mentions {
		id := b.dossier(d)
		b.edge(c, id, "mentioned", 1, id)
	}
	b.moreOf("map.more.dossiers", more, "side-mentioned", "")
	// Dossiers shared with each related actor; the rest of RelatedTo's
	// count is treaties both are parties to.
	shared := map[*model.Actor]int{}
	for _, d := range a.Dossiers {
		for _, o := range d.ActorList {
			shared[o]++
		}
	}
	// The strongest related actors fill the map (one already drawn as the
	// country or a member takes no more room).
	drawn := 0
	for _, r := range a.RelatedTo {
		id := model.Key("actor", r.Actor.Slug)
		if _, ok := b.at[id]; !ok && len(b.g.Nodes)-1 >= neighbourMax {
			break
		}
		drawn++
		b.actor(r.Actor)
		if n := shared[r.Actor]; n > 0 {
			b.edge(c, id, "cocited", n, id)
		}
		if n := r.Count - shared[r.Actor]; n > 0 {
			b.edge(c, id, "coparty", n, id)
		}
	}
	// The actors left out: those the map does not draw at all (a member
	// may be drawn as a related actor, and the other way round).
	left := 0
	for _, r := range a.RelatedTo[drawn:] {
		if _, ok := b.at[model.Key("actor", r.Actor.Slug)]; !ok {
			left++
		}
	}
	b.moreOf("map.more.actors", left, "side-related-actors", "")
	left = 0
	for _, m := range a.Citizens {
		if _, ok := b.at[model.Key("actor", m.Slug)]; !ok {
			left++
		}
	}
	b.moreOf("map.more.members", left, "side-members", "")
}

// treatyMap is a treaty's neighbourhood: its parties and signatories, the
// texts it supersedes and that supersede it (with the rest of its chain),
// and the dossiers that cite it.
func treatyMap(b *builder, t *model.Treaty) {
	c := b.treaty(t)
	parties, more := first(t.PartyList, partyMax)
	for _, a := range parties {
		id := b.actor(a)
		b.edge(id, c, "party", 1, id)
	}
	b.moreOf("map.more.parties", more, "", "")
	signatories, more := first(t.SignatoryList, partyMax)
	for _, a := range signatories {
		id := b.actor(a)
		b.edge(id, c, "signed", 1, id)
	}
	b.moreOf("map.more.signatories", more, "", "")
	for _, o := range t.SupersedesList {
		id := b.treaty(o)
		b.edge(c, id, "supersedes", 1, id)
	}
	if n := t.SupersededByItem; n != nil {
		id := b.treaty(n)
		b.edge(id, c, "supersedes", 1, id)
	}
	// The rest of the chain, linked where one replaced another.
	chain, _ := first(t.Chain, chainMax)
	for _, u := range chain {
		b.treaty(u)
	}
	for _, u := range chain {
		for _, o := range u.SupersedesList {
			if _, ok := b.at[model.Key("treaty", o.Slug)]; ok && u != t && o != t {
				b.edge(model.Key("treaty", u.Slug), model.Key("treaty", o.Slug), "supersedes", 1, "")
			}
		}
	}
	dossiers, more := first(t.Dossiers, dossierMax+1)
	for _, d := range dossiers {
		id := b.dossier(d)
		b.edge(c, id, "cites", 1, id)
	}
	b.moreOf("map.more.dossiers", more, "treaty-dossiers", "")
}

// mapList is the map as a list of relations, with site-relative paths.
func mapList(p graph.Placed, base string) []view.MapEdge {
	byID := map[string]graph.PlacedNode{}
	for _, n := range p.Nodes {
		byID[n.ID] = n
	}
	out := make([]view.MapEdge, 0, len(p.Edges))
	for _, e := range p.Edges {
		if strings.Contains(" "+e.Kind+" ", " minor ") {
			continue // hidden until "all links"; the list stays short
		}
		a, b := byID[e.From], byID[e.To]
		text := e.Title
		if text == "" { // an edge of the centre: its other end says it
			text = a.Title
			if a.ID == p.Center {
				text = b.Title
			}
		}
		out = append(out, view.MapEdge{From: a.Label, To: b.Label, FromPath: strings.TrimPrefix(a.URL, base),
			ToPath: strings.TrimPrefix(b.URL, base), Weight: e.Weight, Text: text})
	}
	return out
}

// legend lists the kinds of node and edge g draws, and how many edges are
// minor (drawn only when "all links" is chosen).
func legend(g graph.Graph, lang string) (keys []view.MapKey, minor int) {
	nodes := map[string]int{}
	for _, n := range g.Nodes {
		nodes[n.Kind]++
	}
	for _, k := range nodeKinds {
		if n := nodes[k[0]]; n > 0 {
			keys = append(keys, view.MapKey{Class: k[0], Text: i18n.Label(lang, k[1]), Count: n})
		}
	}
	edges := map[string]int{}
	for _, e := range g.Edges {
		for k := range strings.FieldsSeq(e.Kind) {
			edges[k]++
		}
	}
	for _, k := range edgeKinds {
		if n := edges[k]; n > 0 {
			keys = append(keys, view.MapKey{Class: k, Text: i18n.Label(lang, "map.edge."+k), Edge: true, Count: n})
		}
	}
	return keys, edges["minor"]
}

// Maps draws the maps of one build.
type Maps struct {
	site *model.Site
	base string
	urls *urls.Scheme
}

// New prepares the maps of site, with links under base.
func New(site *model.Site, base string, sc *urls.Scheme) *Maps {
	return &Maps{site: site, base: base, urls: sc}
}

// drawing is everything a map is drawn from: equal drawings make equal maps.
type drawing struct {
	Graph  graph.Graph
	Layout graph.Options
	SVG    graph.SVGOptions
	More   []view.MapMore
}

// drawing returns what the map of a page is drawn from; false when the page
// has no map (a kind without one, or an entity with no neighbour).
func (m *Maps) drawing(p *view.Page) (drawing, bool) {
	if !Has(p.Kind) {
		return drawing{}, false
	}
	b := newBuilder(p.Lang, m.base, m.urls)
	var d drawing
	switch {
	case p.Kind == "actor" && p.Actor != nil:
		actorMap(b, p.Actor)
		d = drawing{Layout: graph.Options{Width: entityW, Height: entityH, Center: model.Key("actor", p.Actor.Slug)},
			SVG: graph.SVGOptions{IDPrefix: "map-", Title: p.T("neighbourhood") + " : " + p.Actor.Name, Lang: p.Lang}}
	case p.Kind == "treaty" && p.Treaty != nil:
		treatyMap(b, p.Treaty)
		d = drawing{Layout: graph.Options{Width: entityW, Height: entityH, Center: model.Key("treaty", p.Treaty.Slug)},
			SVG: graph.SVGOptions{IDPrefix: "map-", Title: p.T("neighbourhood") + " : " + p.Treaty.Title, Lang: p.Lang}}
	case p.Kind == "map":
		network(b, m.site)
		d = drawing{Layout: graph.Options{Width: siteW, Height: siteH}, SVG: graph.SVGOptions{IDPrefix: "net-", Title: p.T("map"), Lang: p.Lang}}
		return d.with(b), len(b.g.Nodes) > 0
	default:
		return drawing{}, false
	}
	return d.with(b), len(b.g.Nodes) >= 2
}

func (d drawing) with(b *builder) drawing {
	d.Graph, d.More = b.g, b.more
	return d
}

// Fill draws the map of a page that has one (actor, treaty, the site map).
func (m *Maps) Fill(p *view.Page) {
	d, ok := m.drawing(p)
	if !ok {
		p.Map, p.MapList, p.MapKeys, p.MapMore, p.MapMinor = "", nil, nil, nil, 0
		return
	}
	placed := graph.Layout(d.Graph, d.Layout)
	p.Map, p.MapList = template.HTML(graph.SVG(placed, d.SVG)), nil
	if p.Kind == "map" {
		// An entity's page lists what its map draws, and each point of
		// the map says how it relates to the entity: only the site map
		// needs its links as a list too.
		p.MapList = mapList(placed, m.base)
	}
	p.MapKeys, p.MapMinor = legend(d.Graph, p.Lang)
	p.MapMore = d.More
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
