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
	// Title, when set, is the node's <title> (its accessible name and
	// tooltip) instead of "Label (kind)": a sentence that names the node
	// and says how it relates to the map's centre.
	Title string
}

// Edge is an undirected relationship between two nodes. Weight is the
// co-occurrence count; values below 1 are treated as 1, and duplicate edges
// between the same pair (in either direction) are merged by adding weights.
type Edge struct {
	From, To string
	Weight   int
	// Kind names what the edge is, as space-separated class tokens (each
	// drawn as class edge--<token>), e.g. "cocited" or "party".
	Kind string
	// Title, when set, is the edge's tooltip: what it says in words.
	Title string
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
type nedge struct {
	a, b, w     int
	kind, title string
}

// nbr is one entry of an adjacency list: the neighbour, the weight and
// the index of the edge in norm.edges.
type nbr struct{ to, w, e int }

// norm is the canonical form of a Graph: nodes sorted by ID and unique,
// edges merged, oriented (a < b), sorted, and adjacency lists sorted by
// neighbour index. Everything computed from it is independent of the order
// of the input slices.
type norm struct {
	nodes  []Node
	index  map[string]int // lookups only, never iterated
	edges  []nedge
	adj    [][]nbr
	wdeg   []int     // weighted degree
	keys   []string  // lower-cased clean labels, set by Layout for sorting
	labelW []float64 // label widths at fontSize, set by radial
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
		edges = append(edges, nedge{a, b, max(e.Weight, 1), e.Kind, e.Title})
	}
	slices.SortFunc(edges, func(x, y nedge) int {
		return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b),
			strings.Compare(x.kind, y.kind), strings.Compare(x.title, y.title))
	})
	merged := edges[:0]
	for _, e := range edges {
		if k := len(merged) - 1; k >= 0 && merged[k].a == e.a && merged[k].b == e.b {
			merged[k].w += e.w
			merged[k].kind = joinWords(merged[k].kind, e.kind, " ")
			merged[k].title = joinWords(merged[k].title, e.title, "; ")
			continue
		}
		merged = append(merged, e)
	}
	n.edges = merged
	n.adj = make([][]nbr, len(nodes))
	n.wdeg = make([]int, len(nodes))
	for k, e := range merged {
		n.adj[e.a] = append(n.adj[e.a], nbr{e.b, e.w, k})
		n.adj[e.b] = append(n.adj[e.b], nbr{e.a, e.w, k})
		n.wdeg[e.a] += e.w
		n.wdeg[e.b] += e.w
	}
	for _, l := range n.adj {
		slices.SortFunc(l, func(x, y nbr) int { return cmp.Compare(x.to, y.to) })
	}
	return n
}

// joinWords joins a and b with sep, leaving out an empty or repeated b.
func joinWords(a, b, sep string) string {
	switch {
	case b == "" || a == b:
		return a
	case a == "":
		return b
	}
	return a + sep + b
}

// hops returns the hop distance of every node from c, or -1 when it is
// unreachable.
func (n *norm) hops(c int) []int {
	hop := make([]int, len(n.nodes))
	for i := range hop {
		hop[i] = -1
	}
	hop[c] = 0
	queue := []int{c}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
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

// Index is a prepared, read-only form of a Graph for taking many
// neighbourhoods, typically one per page: it sorts and merges the graph
// once, and each Neighbourhood call then only visits the nodes and edges
// near its centre. It is safe for concurrent use.
type Index struct{ n *norm }

// NewIndex prepares g for Neighbourhood queries.
func NewIndex(g Graph) *Index { return &Index{normalize(g)} }

// Neighbourhood returns the subgraph of nodes within depth hops of center,
// with every edge among them. When max > 0 the result holds at most max
// nodes: nearer nodes win over farther ones, then the highest-weight
// connections (the summed weight of a node's edges towards the centre), then
// the smaller ID. The centre is always kept. max <= 0 means no cap.
//
// It returns an empty Graph when center is not a node of g. Nodes of the
// result are sorted by ID; edges are merged, oriented From < To and sorted.
//
// Each call prepares the whole graph; to take the neighbourhoods of many
// nodes of one graph, use NewIndex once and Index.Neighbourhood.
func (g Graph) Neighbourhood(center string, depth, max int) Graph {
	return NewIndex(g).Neighbourhood(center, depth, max)
}

// Neighbourhood is Graph.Neighbourhood on the prepared graph.
func (ix *Index) Neighbourhood(center string, depth, max int) Graph {
	n := ix.n
	c, ok := n.index[center]
	if !ok {
		return Graph{}
	}
	// Breadth-first search touching only the neighbourhood. The map is
	// only looked up, never iterated, so it cannot affect the output.
	hop := map[int]int{c: 0}
	seen := []int{c}
	for k := 0; k < len(seen); k++ {
		u := seen[k]
		if hop[u] >= depth {
			continue
		}
		for _, v := range n.adj[u] {
			if _, ok := hop[v.to]; !ok {
				hop[v.to] = hop[u] + 1
				seen = append(seen, v.to)
			}
		}
	}
	// Weight towards the centre: summed weight of edges to the previous ring.
	pw := make(map[int]int, len(seen))
	for _, u := range seen[1:] {
		for _, v := range n.adj[u] {
			if h, ok := hop[v.to]; ok && h == hop[u]-1 {
				pw[u] += v.w
			}
		}
	}
	cand := slices.Clone(seen[1:])
	slices.SortFunc(cand, func(x, y int) int {
		return cmp.Or(cmp.Compare(hop[x], hop[y]), cmp.Compare(pw[y], pw[x]),
			strings.Compare(n.nodes[x].ID, n.nodes[y].ID))
	})
	if max > 0 && len(cand) > max-1 {
		// Nearer rings are kept whole before any farther node, so every
		// kept node still has a kept parent and the result stays connected.
		cand = cand[:max-1]
	}
	keep := append(cand, c)
	slices.Sort(keep) // node indices follow ID order
	kept := make(map[int]bool, len(keep))
	for _, i := range keep {
		kept[i] = true
	}
	var g Graph
	for _, i := range keep {
		g.Nodes = append(g.Nodes, n.nodes[i])
		for _, v := range n.adj[i] { // sorted by neighbour index
			if v.to > i && kept[v.to] {
				g.Edges = append(g.Edges, n.edge(i, v))
			}
		}
	}
	return g
}

// edge returns the Edge from node i to its neighbour v.
func (n *norm) edge(i int, v nbr) Edge {
	e := n.edges[v.e]
	return Edge{From: n.nodes[i].ID, To: n.nodes[v.to].ID, Weight: v.w, Kind: e.kind, Title: e.title}
}
