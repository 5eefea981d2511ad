// Package graph lays out relationship maps deterministically and draws them
// as accessible SVG at build time.
//
// The pipeline is Graph → (optional) Graph.Neighbourhood → Layout → SVG.
// Every step is a pure function of its input: node and edge order, duplicate
// entries and map iteration never influence the output, so a site rebuilt
// from the same content produces byte-identical SVG.
package graph

import (
	"cmp"
	"slices"
	"strings"
)

// Node is one entity of the relationship map.
type Node struct {
	ID    string // unique, e.g. "actor/kim-jong-un"
	Label string // shown text, e.g. "Kim Jong-un"
	Kind  string // "person" | "state" | "organisation" | "treaty" | "dossier"
	URL   string // href for the node, already resolved by the caller (may be relative)
}

// Edge is an undirected relationship between two nodes. Weight is the
// co-occurrence count; values below 1 are treated as 1, and duplicate edges
// between the same pair (in either direction) are merged by adding weights.
type Edge struct {
	From, To string
	Weight   int
}

// Graph is a set of nodes and undirected edges. Edges that reference
// unknown nodes and self-loops are ignored.
type Graph struct {
	Nodes []Node
	Edges []Edge
}

// kindOrder is the order in which kinds are grouped around a centre node.
// Unknown kinds follow, alphabetically.
var kindOrder = []string{"person", "state", "organisation", "treaty", "dossier"}

func kindRank(kind string) int {
	if i := slices.Index(kindOrder, kind); i >= 0 {
		return i
	}
	return len(kindOrder)
}

// compareKind orders kinds by kindOrder, then alphabetically.
func compareKind(a, b string) int {
	return cmp.Or(cmp.Compare(kindRank(a), kindRank(b)), strings.Compare(a, b))
}

// nedge is a normalised edge between node indices a < b.
type nedge struct{ a, b, w int }

// nbr is one entry of an adjacency list.
type nbr struct{ to, w int }

// norm is the canonical form of a Graph: nodes sorted by ID and unique,
// edges merged, oriented (a < b), sorted, and adjacency lists sorted by
// neighbour index. Everything computed from it is independent of the order
// of the input slices.
type norm struct {
	nodes []Node
	index map[string]int // lookups only, never iterated
	edges []nedge
	adj   [][]nbr
	wdeg  []int // weighted degree
}

func normalize(g Graph) *norm {
	nodes := slices.Clone(g.Nodes)
	// Sort by every field so that duplicate IDs resolve to the same entry
	// whatever the input order.
	slices.SortFunc(nodes, func(x, y Node) int {
		return cmp.Or(strings.Compare(x.ID, y.ID), strings.Compare(x.Label, y.Label),
			strings.Compare(x.Kind, y.Kind), strings.Compare(x.URL, y.URL))
	})
	nodes = slices.CompactFunc(nodes, func(x, y Node) bool { return x.ID == y.ID })

	n := &norm{nodes: nodes, index: make(map[string]int, len(nodes))}
	for i, nd := range nodes {
		n.index[nd.ID] = i
	}
	edges := make([]nedge, 0, len(g.Edges))
	for _, e := range g.Edges {
		a, okA := n.index[e.From]
		b, okB := n.index[e.To]
		if !okA || !okB || a == b {
			continue
		}
		if a > b {
			a, b = b, a
		}
		edges = append(edges, nedge{a, b, max(e.Weight, 1)})
	}
	slices.SortFunc(edges, func(x, y nedge) int {
		return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b))
	})
	merged := edges[:0]
	for _, e := range edges {
		if k := len(merged) - 1; k >= 0 && merged[k].a == e.a && merged[k].b == e.b {
			merged[k].w += e.w
			continue
		}
		merged = append(merged, e)
	}
	n.edges = merged
	n.adj = make([][]nbr, len(nodes))
	n.wdeg = make([]int, len(nodes))
	for _, e := range merged {
		n.adj[e.a] = append(n.adj[e.a], nbr{e.b, e.w})
		n.adj[e.b] = append(n.adj[e.b], nbr{e.a, e.w})
		n.wdeg[e.a] += e.w
		n.wdeg[e.b] += e.w
	}
	for _, l := range n.adj {
		slices.SortFunc(l, func(x, y nbr) int { return cmp.Compare(x.to, y.to) })
	}
	return n
}

// hops returns the hop distance of every node from c, or -1 when it is
// further than limit (limit < 0 means unlimited) or unreachable.
func (n *norm) hops(c, limit int) []int {
	hop := make([]int, len(n.nodes))
	for i := range hop {
		hop[i] = -1
	}
	hop[c] = 0
	queue := []int{c}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if limit >= 0 && hop[u] >= limit {
			continue
		}
		for _, v := range n.adj[u] {
			if hop[v.to] < 0 {
				hop[v.to] = hop[u] + 1
				queue = append(queue, v.to)
			}
		}
	}
	return hop
}

// parentWeight returns, for each node, the summed weight of its edges to
// nodes one hop closer to the centre.
func (n *norm) parentWeight(hop []int) []int {
	pw := make([]int, len(n.nodes))
	for i, l := range n.adj {
		if hop[i] <= 0 {
			continue
		}
		for _, v := range l {
			if hop[v.to] == hop[i]-1 {
				pw[i] += v.w
			}
		}
	}
	return pw
}

// subgraph returns the induced subgraph on keep as a Graph with nodes sorted
// by ID and edges oriented From < To and sorted.
func (n *norm) subgraph(keep []bool) Graph {
	var g Graph
	for i, nd := range n.nodes {
		if keep[i] {
			g.Nodes = append(g.Nodes, nd)
		}
	}
	for _, e := range n.edges {
		if keep[e.a] && keep[e.b] {
			g.Edges = append(g.Edges, Edge{From: n.nodes[e.a].ID, To: n.nodes[e.b].ID, Weight: e.w})
		}
	}
	return g
}

// Neighbourhood returns the subgraph of nodes within depth hops of center,
// with every edge among them. When max > 0 the result holds at most max
// nodes: nearer nodes win over farther ones, then the highest-weight
// connections (the summed weight of a node's edges towards the centre), then
// the smaller ID. The centre is always kept. max <= 0 means no cap.
//
// It returns an empty Graph when center is not a node of g. Nodes of the
// result are sorted by ID; edges are merged, oriented From < To and sorted.
func (g Graph) Neighbourhood(center string, depth, max int) Graph {
	n := normalize(g)
	c, ok := n.index[center]
	if !ok {
		return Graph{}
	}
	hop := n.hops(c, depth)
	pw := n.parentWeight(hop)
	var cand []int
	for i, h := range hop {
		if h > 0 {
			cand = append(cand, i)
		}
	}
	slices.SortFunc(cand, func(x, y int) int {
		return cmp.Or(cmp.Compare(hop[x], hop[y]), cmp.Compare(pw[y], pw[x]),
			strings.Compare(n.nodes[x].ID, n.nodes[y].ID))
	})
	if max > 0 && len(cand) > max-1 {
		// Nearer rings are kept whole before any farther node, so every
		// kept node still has a kept parent and the result stays connected.
		cand = cand[:max-1]
	}
	keep := make([]bool, len(n.nodes))
	keep[c] = true
	for _, i := range cand {
		keep[i] = true
	}
	return n.subgraph(keep)
}
