package graph

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

func ids(g Graph) string {
	var s []string
	for _, n := range g.Nodes {
		s = append(s, n.ID)
	}
	return strings.Join(s, " ")
}

func edgesString(g Graph) string {
	var s []string
	for _, e := range g.Edges {
		s = append(s, fmt.Sprintf("%s-%s:%d", e.From, e.To, e.Weight))
	}
	return strings.Join(s, " ")
}

// star builds c connected to the given leaves ("id:weight"), plus extra edges.
func star(c string, leaves []string, extra ...Edge) Graph {
	g := Graph{Nodes: []Node{{ID: c, Label: c}}}
	for _, l := range leaves {
		var id string
		var w int
		fmt.Sscanf(strings.Replace(l, ":", " ", 1), "%s %d", &id, &w)
		g.Nodes = append(g.Nodes, Node{ID: id, Label: id})
		g.Edges = append(g.Edges, Edge{From: c, To: id, Weight: w})
	}
	g.Edges = append(g.Edges, extra...)
	return g
}

func TestNeighbourhood(t *testing.T) {
	// c - a(5) b(5) d(1) e(3); a - x(9); x - y(1); e - f(1); b - d(4)
	g := star("c", []string{"a:5", "b:5", "d:1", "e:3"},
		Edge{From: "a", To: "x", Weight: 9}, Edge{From: "x", To: "y", Weight: 1}, Edge{From: "e", To: "f", Weight: 1}, Edge{From: "b", To: "d", Weight: 4})
	g.Nodes = append(g.Nodes, Node{ID: "x"}, Node{ID: "y"}, Node{ID: "f"}, Node{ID: "lonely"})

	for _, tc := range []struct {
		name          string
		center        string
		depth, max    int
		nodes, edges  string
		wantNoEdgeErr bool
	}{
		{name: "depth 0", center: "c", depth: 0, max: 0, nodes: "c"},
		{name: "depth 1 uncapped", center: "c", depth: 1, max: 0,
			nodes: "a b c d e", edges: "a-c:5 b-c:5 b-d:4 c-d:1 c-e:3"},
		{name: "depth 2 uncapped", center: "c", depth: 2, max: 0,
			nodes: "a b c d e f x", edges: "a-c:5 a-x:9 b-c:5 b-d:4 c-d:1 c-e:3 e-f:1"},
		{name: "depth 3 reaches y", center: "c", depth: 3, max: -1,
			nodes: "a b c d e f x y", edges: "a-c:5 a-x:9 b-c:5 b-d:4 c-d:1 c-e:3 e-f:1 x-y:1"},
		{name: "cap keeps heaviest", center: "c", depth: 1, max: 3,
			nodes: "a b c", edges: "a-c:5 b-c:5"},
		{name: "tie broken by ID", center: "c", depth: 1, max: 2,
			nodes: "a c", edges: "a-c:5"},
		{name: "cap 4 adds e before d", center: "c", depth: 1, max: 4,
			nodes: "a b c e", edges: "a-c:5 b-c:5 c-e:3"},
		{name: "nearer ring first", center: "c", depth: 2, max: 6,
			nodes: "a b c d e x", edges: "a-c:5 a-x:9 b-c:5 b-d:4 c-d:1 c-e:3"},
		{name: "max 1 is the centre", center: "c", depth: 2, max: 1, nodes: "c"},
		{name: "other centre", center: "x", depth: 1, max: 0,
			nodes: "a x y", edges: "a-x:9 x-y:1"},
		{name: "isolated centre", center: "lonely", depth: 2, max: 10, nodes: "lonely"},
		{name: "unknown centre", center: "nope", depth: 1, max: 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := g.Neighbourhood(tc.center, tc.depth, tc.max)
			if ids(got) != tc.nodes {
				t.Errorf("nodes = %q, want %q", ids(got), tc.nodes)
			}
			if edgesString(got) != tc.edges {
				t.Errorf("edges = %q, want %q", edgesString(got), tc.edges)
			}
			// Independent of input order.
			for seed := range uint64(3) {
				if again := shuffled(g, seed).Neighbourhood(tc.center, tc.depth, tc.max); ids(again) != ids(got) || edgesString(again) != edgesString(got) {
					t.Errorf("seed %d: result depends on input order", seed)
				}
			}
		})
	}
}

func TestNeighbourhoodMergesDuplicates(t *testing.T) {
	g := Graph{
		Nodes: []Node{{ID: "c"}, {ID: "a"}, {ID: "b"}, {ID: "a"}},
		Edges: []Edge{{From: "c", To: "a", Weight: 1}, {From: "a", To: "c", Weight: 1}, {From: "c", To: "b", Weight: 0}, {From: "c", To: "b", Weight: -3}, {From: "c", To: "c", Weight: 7}, {From: "c", To: "ghost", Weight: 9}},
	}
	got := g.Neighbourhood("c", 1, 2)
	// a: 1+1 = 2 beats b: 1+1 (weights below 1 count as 1)... a tie, so ID decides.
	if ids(got) != "a c" || edgesString(got) != "a-c:2" {
		t.Errorf("got %q / %q", ids(got), edgesString(got))
	}
	g.Edges = append(g.Edges, Edge{From: "b", To: "c", Weight: 1})
	if got := g.Neighbourhood("c", 1, 2); ids(got) != "b c" {
		t.Errorf("heavier merged edge should win: got %q", ids(got))
	}
}

// TestIndexMatchesReference checks Index.Neighbourhood against a direct,
// whole-graph implementation of the documented rules.
func TestIndexMatchesReference(t *testing.T) {
	g := randomGraph(300, 700, 4)
	ix := NewIndex(g)
	type key struct{ a, b string }
	w := map[key]int{}
	adj := map[string][]string{}
	for _, e := range g.Edges {
		if e.From == e.To {
			continue
		}
		a, b := min(e.From, e.To), max(e.From, e.To)
		if w[key{a, b}] == 0 {
			adj[a] = append(adj[a], b)
			adj[b] = append(adj[b], a)
		}
		w[key{a, b}] += max(e.Weight, 1)
	}
	weight := func(a, b string) int { return w[key{min(a, b), max(a, b)}] }
	for _, center := range []string{"n/00000", "n/00001", "n/00017", "n/00150", "n/00299"} {
		for _, depth := range []int{0, 1, 2, 3} {
			for _, limit := range []int{0, 1, 5, 12, 40} {
				hop := map[string]int{center: 0}
				frontier := []string{center}
				for d := 1; d <= depth; d++ {
					var next []string
					for _, u := range frontier {
						for _, v := range adj[u] {
							if _, ok := hop[v]; !ok {
								hop[v] = d
								next = append(next, v)
							}
						}
					}
					frontier = next
				}
				var cand []string
				score := map[string]int{}
				for v, h := range hop {
					if h == 0 {
						continue
					}
					cand = append(cand, v)
					for _, u := range adj[v] {
						if hu, ok := hop[u]; ok && hu == h-1 {
							score[v] += weight(u, v)
						}
					}
				}
				slices.SortFunc(cand, func(a, b string) int {
					if hop[a] != hop[b] {
						return hop[a] - hop[b]
					}
					if score[a] != score[b] {
						return score[b] - score[a]
					}
					return strings.Compare(a, b)
				})
				if limit > 0 && len(cand) > limit-1 {
					cand = cand[:limit-1]
				}
				want := append(cand, center)
				slices.Sort(want)
				var wantEdges []string
				for _, a := range want {
					for _, b := range want {
						if a < b && weight(a, b) > 0 {
							wantEdges = append(wantEdges, fmt.Sprintf("%s-%s:%d", a, b, weight(a, b)))
						}
					}
				}
				got := ix.Neighbourhood(center, depth, limit)
				if ids(got) != strings.Join(want, " ") {
					t.Errorf("%s depth %d max %d: nodes\n got %s\nwant %s", center, depth, limit, ids(got), strings.Join(want, " "))
				}
				if edgesString(got) != strings.Join(wantEdges, " ") {
					t.Errorf("%s depth %d max %d: edges differ", center, depth, limit)
				}
			}
		}
	}
}

func TestLayoutRadial(t *testing.T) {
	nb := korea().Neighbourhood("actor/kim-jong-un", 1, 0)
	p := Layout(nb, Options{Width: 640, Height: 420, Center: "actor/kim-jong-un"})
	if p.Center != "actor/kim-jong-un" || p.Nodes[0].ID != p.Center {
		t.Fatalf("centre is not first: %+v", p.Nodes[0])
	}
	c := p.Nodes[0]
	if c.X != 320 || c.Y != 210 {
		t.Errorf("centre at %v,%v, want the middle", c.X, c.Y)
	}
	var kinds []string
	prev := -math.Pi
	for _, q := range p.Nodes[1:] {
		a := math.Atan2(q.Y-c.Y, q.X-c.X)
		if a < 0 {
			a += 2 * math.Pi
		}
		if a < prev {
			t.Errorf("%s out of clockwise order", q.ID)
		}
		prev = a
		// The sector right of the centre is kept free for its label.
		if a < 25*math.Pi/180 || a > 335*math.Pi/180 {
			t.Errorf("%s at %.0f° intrudes on the centre label", q.ID, a*180/math.Pi)
		}
		if k := q.Kind; len(kinds) == 0 || kinds[len(kinds)-1] != k {
			kinds = append(kinds, k)
		}
		if q.X-q.R < 0 || q.X+q.R > 640 || q.Y-q.R < 0 || q.Y+q.R > 420 {
			t.Errorf("%s outside the viewBox", q.ID)
		}
	}
	// Grouped by kind, each kind in one contiguous run, in kindOrder.
	if want := []string{"person", "state", "organisation", "treaty", "dossier"}; !slices.Equal(kinds, want) {
		t.Errorf("kind runs = %v, want %v", kinds, want)
	}
}

func TestLayoutNetworkInBounds(t *testing.T) {
	for _, g := range []Graph{korea(), randomGraph(120, 200, 5), randomGraph(700, 2000, 6)} {
		p := Layout(g, Options{Width: 800, Height: 600})
		if len(p.Nodes) != len(g.Nodes) {
			t.Fatalf("placed %d of %d nodes", len(p.Nodes), len(g.Nodes))
		}
		var minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, q := range p.Nodes {
			if math.IsNaN(q.X) || math.IsNaN(q.Y) || q.X-q.R < 0 || q.Y-q.R < 0 || q.X+q.R > 800 || q.Y+q.R > 600 {
				t.Fatalf("%s outside the viewBox: %+v", q.ID, q)
			}
			minX, maxX = min(minX, q.X), max(maxX, q.X)
			minY, maxY = min(minY, q.Y), max(maxY, q.Y)
		}
		// Reasonably spread: uses a good part of the box, and no two nodes
		// of a small graph share a spot.
		if maxX-minX < 300 || maxY-minY < 250 {
			t.Errorf("%d nodes: layout only spans %.0f×%.0f", len(g.Nodes), maxX-minX, maxY-minY)
		}
		if len(p.Nodes) <= 120 {
			for i, a := range p.Nodes {
				for _, b := range p.Nodes[i+1:] {
					if math.Hypot(a.X-b.X, a.Y-b.Y) < a.R+b.R {
						t.Errorf("%s and %s overlap", a.ID, b.ID)
					}
				}
			}
		}
	}
}

func TestNetworkEdgesAreShort(t *testing.T) {
	// A force layout should put connected nodes closer than unconnected ones.
	p := Layout(korea(), Options{Width: 800, Height: 560})
	pos := map[string]PlacedNode{}
	for _, q := range p.Nodes {
		pos[q.ID] = q
	}
	linked := map[[2]string]bool{}
	var sumE, sumAll float64
	for _, e := range p.Edges {
		linked[[2]string{e.From, e.To}] = true
		sumE += math.Hypot(pos[e.From].X-pos[e.To].X, pos[e.From].Y-pos[e.To].Y)
	}
	n := 0
	for i, a := range p.Nodes {
		for _, b := range p.Nodes[i+1:] {
			if !linked[[2]string{a.ID, b.ID}] && !linked[[2]string{b.ID, a.ID}] {
				sumAll += math.Hypot(a.X-b.X, a.Y-b.Y)
				n++
			}
		}
	}
	if avgE, avgN := sumE/float64(len(p.Edges)), sumAll/float64(n); avgE > 0.8*avgN {
		t.Errorf("mean edge length %.0f not clearly below mean non-edge distance %.0f", avgE, avgN)
	}
}

// TestLayoutLargePlacesEveryNode checks the Barnes–Hut path on a large graph;
// its speed is measured by BenchmarkLayoutLarge, never asserted.
func TestLayoutLargePlacesEveryNode(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("large layout: skipped with -short and -race")
	}
	g := randomGraph(2000, 20000, 1)
	p := Layout(g, Options{Width: 1200, Height: 900})
	if len(p.Nodes) != 2000 {
		t.Errorf("placed %d nodes", len(p.Nodes))
	}
	for _, n := range p.Nodes {
		if n.X < 0 || n.Y < 0 || n.X > 1200 || n.Y > 900 {
			t.Fatalf("node %s placed outside the viewBox at (%.1f, %.1f)", n.ID, n.X, n.Y)
		}
	}
}

func BenchmarkLayoutLarge(b *testing.B) {
	g := randomGraph(2000, 20000, 1)
	b.ReportAllocs()
	for b.Loop() {
		Layout(g, Options{Width: 1200, Height: 900})
	}
}

// BenchmarkPage is the per-page cost on a large site: the neighbourhood of
// a hub from a prepared index, laid out and drawn.
func BenchmarkPage(b *testing.B) {
	ix := NewIndex(randomGraph(2000, 20000, 1))
	for b.Loop() {
		nb := ix.Neighbourhood("n/00003", 1, 24)
		SVG(Layout(nb, Options{Center: "n/00003"}), SVGOptions{})
	}
}

func BenchmarkSVGLarge(b *testing.B) {
	p := Layout(randomGraph(2000, 20000, 1), Options{Width: 1200, Height: 900})
	b.ResetTimer()
	for b.Loop() {
		SVG(p, SVGOptions{})
	}
}
