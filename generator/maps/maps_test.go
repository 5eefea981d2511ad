package maps

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/parse"
	"github.com/dossier-ssg/dossier/generator/resolve"
	"github.com/dossier-ssg/dossier/generator/urls"
	"github.com/dossier-ssg/dossier/generator/view"
)

// exampleSite is the repository's example site, resolved.
func exampleSite(t *testing.T) *model.Site {
	t.Helper()
	var errs diag.List
	files := load.Content(load.OpenSite("../.."), &errs)
	parsed := (&parse.Parser{Markdown: markdown.New(markdown.Options{}), SiteLang: "fr"}).Site(files, &errs)
	site, _ := resolve.Site(parsed, resolve.Options{BasePath: "/"}, &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Err())
	}
	return site
}

// Every actor's map holds what its page lists: every related actor while
// there is room (then "and N more" counts exactly those left out), with
// the dossiers and treaties they share as the edge's weight, its treaties,
// its country and its dossiers (a few of each).
func TestActorMapsHoldWhatThePageLists(t *testing.T) {
	site := exampleSite(t)
	m := New(site, "/", urls.Single("fr"))
	for _, a := range site.Actors {
		p := &view.Page{Kind: "actor", Actor: a, Lang: "fr"}
		d, ok := m.drawing(p)
		if len(a.RelatedTo)+len(a.Treaties)+len(a.Dossiers) > 0 && !ok {
			t.Errorf("%s: no map", a.Slug)
			continue
		}
		var nodes []string
		for _, n := range d.Graph.Nodes {
			nodes = append(nodes, n.ID)
		}
		weight := map[string]int{}
		for _, e := range d.Graph.Edges {
			if e.From == model.Key("actor", a.Slug) && (strings.Contains(e.Kind, "cocited") || strings.Contains(e.Kind, "coparty")) {
				weight[e.To] += e.Weight
			}
		}
		left, drawn := 0, 0
		for _, r := range a.RelatedTo {
			id := model.Key("actor", r.Actor.Slug)
			switch {
			case !slices.Contains(nodes, id):
				left++
				if len(nodes)-1 < neighbourMax {
					t.Errorf("%s: related actor %s missing from a map with room", a.Slug, r.Actor.Slug)
				}
			case weight[id] != r.Count:
				t.Errorf("%s: edge to %s weighs %d, the page says %d", a.Slug, r.Actor.Slug, weight[id], r.Count)
			default:
				drawn++
			}
		}
		if drawn < min(len(a.RelatedTo), neighbourMax/2) {
			t.Errorf("%s: %d of %d related actors drawn", a.Slug, drawn, len(a.RelatedTo))
		}
		if more := moreText(d.More, "side-related-actors"); (left > 0) != (more != "") || (left > 0 && !strings.Contains(more, fmt.Sprint(left))) {
			t.Errorf("%s: %d related actors left out, map says %q", a.Slug, left, more)
		}
		for _, tr := range a.Treaties[max(0, len(a.Treaties)-treatyMax):] {
			if !slices.Contains(nodes, model.Key("treaty", tr.Slug)) {
				t.Errorf("%s: treaty %s missing", a.Slug, tr.Slug)
			}
		}
		for _, dd := range a.Dossiers[:min(len(a.Dossiers), dossierMax)] {
			if !slices.Contains(nodes, model.Key("dossier", dd.Slug)) {
				t.Errorf("%s: dossier %s missing", a.Slug, dd.Slug)
			}
		}
		if c := a.CountryActor; c != nil && !slices.Contains(nodes, model.Key("actor", c.Slug)) {
			t.Errorf("%s: country %s missing", a.Slug, c.Slug)
		}
	}
}

func moreText(more []view.MapMore, fragment string) string {
	for _, m := range more {
		if m.Fragment == fragment {
			return m.Text
		}
	}
	return ""
}

// The maps of the issue, entity by entity: what each must show, and how
// its edges say what they are.
func TestExampleMaps(t *testing.T) {
	site := exampleSite(t)
	m := New(site, "/", urls.Single("fr"))
	find := func(kind, slug string) *view.Page {
		p := &view.Page{Kind: kind, Lang: "fr"}
		for _, a := range site.Actors {
			if kind == "actor" && a.Slug == slug {
				p.Actor = a
			}
		}
		for _, tr := range site.Treaties {
			if kind == "treaty" && tr.Slug == slug {
				p.Treaty = tr
			}
		}
		return p
	}
	for _, tc := range []struct {
		page  *view.Page
		nodes []string // must be drawn
		edges []string // "from to kind" that must be drawn
	}{
		{find("actor", "vladimir-putin"),
			[]string{"actor/russia", "actor/kim-jong-un", "actor/yuri-ushakov", "actor/rodong-sinmun", "treaty/russia-dprk-partnership-2024",
				"treaty/russia-dprk-moscow-declaration-2001", "dossier/russie-coree-du-nord-pacte-2024"},
			[]string{"actor/vladimir-putin treaty/russia-dprk-partnership-2024 signed", "actor/vladimir-putin actor/russia country",
				"actor/vladimir-putin actor/kim-jong-un cocited"}},
		{find("treaty", "russia-dprk-partnership-2024"),
			[]string{"actor/russia", "actor/north-korea", "actor/vladimir-putin", "actor/kim-jong-un",
				"treaty/russia-dprk-treaty-2000", "treaty/russia-dprk-moscow-declaration-2001", "treaty/soviet-dprk-treaty-1961"},
			[]string{"treaty/russia-dprk-partnership-2024 treaty/russia-dprk-treaty-2000 supersedes",
				"treaty/russia-dprk-partnership-2024 treaty/russia-dprk-moscow-declaration-2001 supersedes",
				"treaty/russia-dprk-treaty-2000 treaty/soviet-dprk-treaty-1961 supersedes",
				"actor/russia treaty/russia-dprk-partnership-2024 party", "actor/vladimir-putin treaty/russia-dprk-partnership-2024 signed"}},
		{&view.Page{Kind: "map", Lang: "fr"},
			[]string{"actor/kim-il-sung", "treaty/soviet-dprk-treaty-1961", "dossier/russie-coree-du-nord-pacte-2024"},
			[]string{"actor/kim-jong-un dossier/russie-coree-du-nord-pacte-2024 cites",
				"actor/kim-il-sung treaty/soviet-dprk-treaty-1961 signed"}},
	} {
		d, ok := m.drawing(tc.page)
		if !ok {
			t.Fatalf("%s: no map", tc.page.Kind)
		}
		var nodes, edges []string
		for _, n := range d.Graph.Nodes {
			nodes = append(nodes, n.ID)
		}
		for _, e := range d.Graph.Edges {
			for k := range strings.FieldsSeq(e.Kind) {
				edges = append(edges, e.From+" "+e.To+" "+k)
			}
		}
		for _, n := range tc.nodes {
			if !slices.Contains(nodes, n) {
				t.Errorf("%s map: no node %s (has %v)", tc.page.Kind, n, nodes)
			}
		}
		for _, e := range tc.edges {
			if !slices.Contains(edges, e) {
				t.Errorf("%s map: no edge %q (has %v)", tc.page.Kind, e, edges)
			}
		}
		// Every neighbour of the centre says how it relates to it; the
		// legend lists only the kinds drawn.
		keys, _ := legend(d.Graph, "fr")
		for _, k := range keys {
			if k.Count == 0 || strings.HasPrefix(k.Text, "map.") || k.Text == "" {
				t.Errorf("%s map: legend entry %+v", tc.page.Kind, k)
			}
		}
		if tc.page.Kind != "map" {
			for _, n := range d.Graph.Nodes[1:] {
				if n.Title == "" && n.Kind != "treaty" { // a treaty may be further down a chain
					t.Errorf("%s map: %s does not say how it relates to the centre", tc.page.Kind, n.ID)
				}
			}
		}
	}
}

// The site map never draws a hairball: with few dossiers, they are hubs
// (no actor-to-actor edges); with many, each actor keeps majorLinks of its
// co-citation links and the rest are minor, hidden until "all links".
func TestNetworkMinorLinks(t *testing.T) {
	actors := make([]*model.Actor, 8)
	for i := range actors {
		actors[i] = &model.Actor{Slug: fmt.Sprintf("a%d", i), Name: fmt.Sprintf("A%d", i), Kind: "person"}
	}
	site := &model.Site{Actors: actors}
	for i := range hubMax + 1 {
		d := &model.Dossier{Slug: fmt.Sprintf("d%02d", i), Title: "D", ActorList: actors}
		site.Dossiers = append(site.Dossiers, d)
		for _, a := range actors {
			a.Dossiers = append(a.Dossiers, d)
		}
	}
	for _, tc := range []struct {
		dossiers int
		cocited  int
		minor    bool
	}{
		{hubMax, 0, false},     // hubs: no actor-to-actor edge at all
		{hubMax + 1, 28, true}, // 8 actors: 28 pairs, each actor keeps majorLinks shown
	} {
		b := newBuilder("fr", "/", urls.Single("fr"))
		network(b, &model.Site{Actors: actors, Dossiers: site.Dossiers[:tc.dossiers]})
		cocited, minors := 0, 0
		shown := map[string]int{}
		for _, e := range b.g.Edges {
			if e.Title == "" && !strings.Contains(e.Kind, "minor") {
				t.Errorf("edge %s–%s has no title", e.From, e.To)
			}
			if !strings.Contains(e.Kind, "cocited") {
				continue
			}
			cocited++
			if strings.Contains(e.Kind, "minor") {
				minors++
				continue
			}
			shown[e.From]++
			shown[e.To]++
		}
		if cocited != tc.cocited || (minors > 0) != tc.minor {
			t.Errorf("%d dossiers: %d co-citation edges, %d minor; want %d, minor %v", tc.dossiers, cocited, minors, tc.cocited, tc.minor)
		}
		for _, a := range actors {
			if id := model.Key("actor", a.Slug); tc.cocited > 0 && shown[id] < majorLinks {
				t.Errorf("%d dossiers: %s shows %d links, want at least %d", tc.dossiers, id, shown[id], majorLinks)
			}
		}
	}
}
