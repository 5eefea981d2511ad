package graph

import (
	"fmt"
	"math/rand/v2"
)

// korea is a small dossier network used by the golden tests.
func korea() Graph {
	n := func(id, label, kind string) Node {
		return Node{ID: id, Label: label, Kind: kind, URL: "../" + id + "/"}
	}
	return Graph{
		Nodes: []Node{
			n("actor/kim-jong-un", "Kim Jong-un", "person"),
			n("actor/moon-jae-in", "Moon Jae-in", "person"),
			n("actor/donald-trump", "Donald Trump", "person"),
			n("actor/xi-jinping", "Xi Jinping", "person"),
			n("state/north-korea", "Democratic People's Republic of Korea", "state"),
			n("state/south-korea", "South Korea", "state"),
			n("state/china", "China", "state"),
			n("state/united-states", "United States", "state"),
			n("org/un-security-council", "UN Security Council", "organisation"),
			n("org/iaea", "IAEA", "organisation"),
			n("treaty/korean-armistice", "Korean Armistice Agreement", "treaty"),
			n("treaty/npt", "Treaty on the Non-Proliferation of Nuclear Weapons", "treaty"),
			n("dossier/singapore-summit", "Singapore summit 2018", "dossier"),
		},
		Edges: []Edge{
			{From: "actor/kim-jong-un", To: "state/north-korea", Weight: 14},
			{From: "actor/kim-jong-un", To: "actor/moon-jae-in", Weight: 6},
			{From: "actor/kim-jong-un", To: "actor/donald-trump", Weight: 9},
			{From: "actor/kim-jong-un", To: "actor/xi-jinping", Weight: 3},
			{From: "actor/kim-jong-un", To: "dossier/singapore-summit", Weight: 7},
			{From: "actor/kim-jong-un", To: "treaty/korean-armistice", Weight: 2},
			{From: "actor/kim-jong-un", To: "org/un-security-council", Weight: 2},
			{From: "actor/kim-jong-un", To: "state/china", Weight: 1},
			{From: "actor/moon-jae-in", To: "state/south-korea", Weight: 8},
			{From: "actor/moon-jae-in", To: "treaty/korean-armistice", Weight: 3},
			{From: "actor/donald-trump", To: "state/united-states", Weight: 10},
			{From: "actor/donald-trump", To: "dossier/singapore-summit", Weight: 6},
			{From: "actor/xi-jinping", To: "state/china", Weight: 9},
			{From: "state/north-korea", To: "state/south-korea", Weight: 5},
			{From: "state/north-korea", To: "treaty/npt", Weight: 4},
			{From: "state/north-korea", To: "org/iaea", Weight: 3},
			{From: "state/north-korea", To: "org/un-security-council", Weight: 5},
			{From: "state/united-states", To: "org/un-security-council", Weight: 2},
			{From: "state/china", To: "org/un-security-council", Weight: 2},
			{From: "org/iaea", To: "treaty/npt", Weight: 6},
			{From: "state/south-korea", To: "treaty/korean-armistice", Weight: 2},
			{From: "state/united-states", To: "state/south-korea", Weight: 3},
		},
	}
}

// randomGraph generates a reproducible graph with n nodes and about m edges,
// with a skewed degree distribution like real co-occurrence data.
func randomGraph(n, m int, seed uint64) Graph {
	r := rand.New(rand.NewPCG(seed, 42))
	kinds := []string{"person", "state", "organisation", "treaty", "dossier"}
	g := Graph{Nodes: make([]Node, n)}
	for i := range g.Nodes {
		g.Nodes[i] = Node{
			ID:    fmt.Sprintf("n/%05d", i),
			Label: fmt.Sprintf("Entry number %d", i),
			Kind:  kinds[r.IntN(len(kinds))],
			URL:   fmt.Sprintf("/n/%05d/", i),
		}
	}
	for range m {
		// Preferential-ish attachment: squaring favours low indices.
		a := int(float64(n) * r.Float64() * r.Float64())
		b := r.IntN(n)
		g.Edges = append(g.Edges, Edge{From: g.Nodes[a].ID, To: g.Nodes[b].ID, Weight: 1 + r.IntN(3)*r.IntN(3)})
	}
	return g
}
