package graph

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mapCase is a map shaped like those of a generated site: per-page
// neighbourhoods (at most 17 nodes, 640×420), a large neighbourhood, the
// site-wide network of the best-connected entries (250–300 nodes with
// thousands of co-occurrence edges, 960×720) and a big network.
type mapCase struct {
	name  string
	large bool // skipped with -short and -race
	graph func() []Graph
	opts  func(i int) Options
}

func mapCases() []mapCase {
	hubs := func(ix *Index, k, max int) []Graph {
		var gs []Graph
		for i := range k {
			gs = append(gs, ix.Neighbourhood(fmt.Sprintf("n/%05d", i), 1, max))
		}
		return gs
	}
	return []mapCase{
		{name: "neighbourhood17", graph: func() []Graph { return hubs(NewIndex(randomGraph(2000, 20000, 1)), 32, 17) },
			opts: func(i int) Options { return Options{Width: 640, Height: 420, Center: fmt.Sprintf("n/%05d", i)} }},
		{name: "neighbourhood250", graph: func() []Graph {
			return []Graph{NewIndex(randomGraph(2000, 20000, 1)).Neighbourhood("n/00003", 2, 250)}
		}, opts: func(int) Options { return Options{Width: 640, Height: 420, Center: "n/00003"} }},
		{name: "network250", graph: func() []Graph { return []Graph{randomGraph(250, 6000, 2)} },
			opts: func(int) Options { return Options{Width: 960, Height: 720} }},
		{name: "network300", graph: func() []Graph { return []Graph{randomGraph(300, 9000, 5)} },
			opts: func(int) Options { return Options{Width: 960, Height: 720} }},
		{name: "network2000", large: true, graph: func() []Graph { return []Graph{randomGraph(2000, 20000, 1)} },
			opts: func(int) Options { return Options{Width: 1200, Height: 900} }},
	}
}

// TestMapsGolden pins the exact SVG of maps much larger than the readable
// goldens (by SHA-256), so that optimisations of layout and label placement
// (spatial indexes, reordered loops) cannot change a single byte.
func TestMapsGolden(t *testing.T) {
	path := filepath.Join("testdata", "maps.sha256")
	var lines []string
	for _, c := range mapCases() {
		if c.large && (testing.Short() || raceEnabled) {
			continue
		}
		h := sha256.New()
		for i, g := range c.graph() {
			p := Layout(g, c.opts(i))
			if i == 0 {
				t.Logf("%s: %d nodes, %d edges", c.name, len(p.Nodes), len(p.Edges))
			}
			s := SVG(p, SVGOptions{})
			fmt.Fprintf(h, "%d\n%s\n", len(s), s)
		}
		lines = append(lines, fmt.Sprintf("%s %x", c.name, h.Sum(nil)))
	}
	if *update {
		// Keep the lines of skipped cases.
		if old, err := os.ReadFile(path); err == nil {
			for l := range strings.Lines(string(old)) {
				name, _, _ := strings.Cut(strings.TrimSpace(l), " ")
				if !strings.Contains("\n"+strings.Join(lines, "\n"), "\n"+name+" ") {
					lines = append(lines, strings.TrimSpace(l))
				}
			}
		}
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	want := map[string]string{}
	for l := range strings.Lines(string(data)) {
		name, sum, _ := strings.Cut(strings.TrimSpace(l), " ")
		want[name] = sum
	}
	for _, l := range lines {
		name, sum, _ := strings.Cut(l, " ")
		if want[name] != sum {
			t.Errorf("%s: SVG hash %s, want %s (run go test -update if the change is intended)", name, sum, want[name])
		}
	}
}

// BenchmarkMaps lays out and draws maps shaped like a site's (see
// mapCases), separately for Layout and SVG. Besides wall time it reports
// the process's CPU time per operation, steadier on a shared machine.
func BenchmarkMaps(b *testing.B) {
	for _, c := range mapCases() {
		b.Run(c.name+"/layout", func(b *testing.B) {
			gs := c.graph()
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				for i, g := range gs {
					Layout(g, c.opts(i))
				}
			}
		})
		b.Run(c.name+"/svg", func(b *testing.B) {
			var placed []Placed
			for i, g := range c.graph() {
				placed = append(placed, Layout(g, c.opts(i)))
			}
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				for _, p := range placed {
					SVG(p, SVGOptions{})
				}
			}
		})
	}
}

// reportCPU starts measuring CPU time; the function it returns reports it
// per operation as cpu-ns/op.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if end := cpuTime(); start >= 0 && end >= 0 && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}
