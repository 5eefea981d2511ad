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
			{"actor/kim-jong-un", "state/north-korea", 14},
			{"actor/kim-jong-un", "actor/moon-jae-in", 6},
			{"actor/kim-jong-un", "actor/donald-trump", 9},
			{"actor/kim-jong-un", "actor/xi-jinping", 3},
			{"actor/kim-jong-un", "dossier/singapore-summit", 7},
			{"actor/kim-jong-un", "treaty/korean-armistice", 2},
			{"actor/kim-jong-un", "org/un-security-council", 2},
			{"actor/kim-jong-un", "state/china", 1},
			{"actor/moon-jae-in", "state/south-korea", 8},
			{"actor/moon-jae-in", "treaty/korean-armistice", 3},
			{"actor/donald-trump", "state/united-states", 10},
			{"actor/donald-trump", "dossier/singapore-summit", 6},
			{"actor/xi-jinping", "state/china", 9},
			{"state/north-korea", "state/south-korea", 5},
			{"state/north-korea", "treaty/npt", 4},
			{"state/north-korea", "org/iaea", 3},
			{"state/north-korea", "org/un-security-council", 5},
			{"state/united-states", "org/un-security-council", 2},
			{"state/china", "org/un-security-council", 2},
			{"org/iaea", "treaty/npt", 6},
			{"state/south-korea", "treaty/korean-armistice", 2},
			{"state/united-states", "state/south-korea", 3},
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
		g.Edges = append(g.Edges, Edge{g.Nodes[a].ID, g.Nodes[b].ID, 1 + r.IntN(3)*r.IntN(3)})
	}
	return g
}
