package graph

import (
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test -update if the change is intended)", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs: got %d lines, want %d (run go test -update if the change is intended)", path, len(gl), len(wl))
	}
}

// wellFormed decodes s with encoding/xml and fails on any syntax error. It
// returns the start elements seen, for further checks.
func wellFormed(t *testing.T, s string) []xml.StartElement {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	var starts []xml.StartElement
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, s)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 && len(starts) > 0 {
				t.Fatalf("more than one root element")
			}
			depth++
			starts = append(starts, tok.Copy())
		case xml.EndElement:
			depth--
		}
	}
	if len(starts) == 0 || starts[0].Name.Local != "svg" || starts[0].Name.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("root is not an SVG element")
	}
	return starts
}

func attr(e xml.StartElement, name string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

func neighbourhoodSVG(g Graph) string {
	nb := g.Neighbourhood("actor/kim-jong-un", 1, 7)
	p := Layout(nb, Options{Width: 640, Height: 420, Center: "actor/kim-jong-un"})
	return SVG(p, SVGOptions{IDPrefix: "kim-"})
}

func networkSVG(g Graph) string {
	p := Layout(g, Options{Width: 800, Height: 560})
	return SVG(p, SVGOptions{IDPrefix: "net-", Title: "The Korean peninsula dossier"})
}

func TestGoldenNeighbourhood(t *testing.T) {
	got := neighbourhoodSVG(korea())
	wellFormed(t, got)
	golden(t, "neighbourhood.svg", got)
}

func TestGoldenNetwork(t *testing.T) {
	got := networkSVG(korea())
	wellFormed(t, got)
	golden(t, "network.svg", got)
}

func shuffled(g Graph, seed uint64) Graph {
	r := rand.New(rand.NewPCG(seed, 7))
	s := Graph{Nodes: slices.Clone(g.Nodes), Edges: slices.Clone(g.Edges)}
	r.Shuffle(len(s.Nodes), func(i, j int) { s.Nodes[i], s.Nodes[j] = s.Nodes[j], s.Nodes[i] })
	r.Shuffle(len(s.Edges), func(i, j int) { s.Edges[i], s.Edges[j] = s.Edges[j], s.Edges[i] })
	for i := range s.Edges {
		if r.IntN(2) == 0 {
			s.Edges[i].From, s.Edges[i].To = s.Edges[i].To, s.Edges[i].From
		}
	}
	return s
}

func TestDeterminism(t *testing.T) {
	base := korea()
	wantN, wantG := neighbourhoodSVG(base), networkSVG(base)
	big := randomGraph(600, 2400, 3) // exercises the grid repulsion path
	wantBig := SVG(Layout(big, Options{Width: 900, Height: 700}), SVGOptions{})
	for seed := range uint64(5) {
		g := shuffled(base, seed)
		if got := neighbourhoodSVG(g); got != wantN {
			t.Errorf("seed %d: neighbourhood SVG depends on input order", seed)
		}
		if got := networkSVG(g); got != wantG {
			t.Errorf("seed %d: network SVG depends on input order", seed)
		}
	}
	if got := SVG(Layout(shuffled(big, 9), Options{Width: 900, Height: 700}), SVGOptions{}); got != wantBig {
		t.Errorf("large network SVG depends on input order")
	}
	// Duplicate nodes and edges split across both directions are merged
	// the same way whatever their order.
	dup := korea()
	dup.Nodes = append(dup.Nodes, Node{ID: "state/china", Label: "PRC", Kind: "state"})
	dup.Edges = append(dup.Edges, Edge{From: "state/china", To: "actor/xi-jinping", Weight: 2}, Edge{From: "actor/xi-jinping", To: "state/china", Weight: 0})
	a := networkSVG(dup)
	if b := networkSVG(shuffled(dup, 11)); a != b {
		t.Errorf("duplicates are not resolved independently of order")
	}
	if !strings.Contains(a, "<title>China (state)</title>") && !strings.Contains(a, "<title>PRC (state)</title>") {
		t.Errorf("duplicate node lost entirely")
	}
}

func TestSVGStructure(t *testing.T) {
	got := neighbourhoodSVG(korea())
	starts := wellFormed(t, got)
	root := starts[0]
	// A group of links, never an image holding links (nested-interactive).
	if v, _ := attr(root, "role"); v != "group" {
		t.Errorf("role = %q, want group", v)
	}
	labelledby, _ := attr(root, "aria-labelledby")
	describedby, _ := attr(root, "aria-describedby")
	ids := map[string]string{}
	centers, nodes := 0, 0
	for _, e := range starts {
		if id, ok := attr(e, "id"); ok {
			if _, dup := ids[id]; dup {
				t.Errorf("duplicate id %q", id)
			}
			ids[id] = e.Name.Local
			if !strings.HasPrefix(id, "kim-") {
				t.Errorf("id %q lacks the prefix", id)
			}
		}
		class, _ := attr(e, "class")
		if strings.Contains(" "+class+" ", " node ") {
			nodes++
			if e.Name.Local != "a" {
				t.Errorf("node is <%s>, want <a>", e.Name.Local)
			}
			if !regexp.MustCompile(`\bnode--(person|state|organisation|treaty|dossier)\b`).MatchString(class) {
				t.Errorf("node class %q has no kind", class)
			}
			if strings.Contains(class, "node--center") {
				centers++
			}
		}
		for _, a := range e.Attr {
			if a.Name.Local == "fill" || a.Name.Local == "stroke" {
				if a.Value != "currentColor" && a.Value != "none" {
					t.Errorf("inline colour %s=%q", a.Name.Local, a.Value)
				}
			}
		}
	}
	if ids[labelledby] != "title" || ids[describedby] != "desc" {
		t.Errorf("aria-labelledby %q, aria-describedby %q: want the title and the desc", labelledby, describedby)
	}
	if nodes != 7 || centers != 1 {
		t.Errorf("got %d nodes, %d centres; want 7 and 1", nodes, centers)
	}
	if !strings.Contains(got, ">Democratic People&#39;s<tspan x=") || !strings.Contains(got, ">Republic of Korea</tspan></text>") {
		t.Errorf("long label not wrapped onto two lines")
	}
	if !strings.Contains(got, "<title>Democratic People&#39;s Republic of Korea (state)</title>") {
		t.Errorf("full label missing from the node title")
	}
	// Stroke width grows with weight.
	m := regexp.MustCompile(`stroke-width="([0-9.]+)" data-e=`).FindAllStringSubmatch(got, -1)
	if len(m) < 2 || m[0][1] == m[len(m)-1][1] {
		t.Errorf("edge widths do not vary with weight: %v", m)
	}
}

func TestHostileLabels(t *testing.T) {
	hostile := []Node{
		{ID: "a", Label: `<script>alert("x")</script>`, Kind: `person"><script>`, URL: `javascript:alert(1)`},
		{ID: "b", Label: `"quoted" & 'single' <b>bold</b>`, Kind: "state", URL: `/x?a=1&b="2"'><script>`},
		{ID: "c", Label: "ctrl\x00\x01\x1b\u0085 \uFFFE bad\xff utf8\nnew line", Kind: "treaty", URL: " \tJaVa\nScRiPt:alert(1)"},
		{ID: "d", Label: "]]><!-- --><![CDATA[", Kind: "", URL: "data:text/html,<script>alert(1)</script>"},
		{ID: "e", Label: strings.Repeat("W", 500), Kind: "dossier", URL: "https://example.org/a b"},
		{ID: "f", Label: "", Kind: "organisation", URL: "vbscript:x"},
		{ID: "g", Label: "&lt;already escaped&gt;", Kind: "person", URL: "javascript&colon;alert(1)"},
	}
	g := Graph{Nodes: hostile}
	for _, n := range hostile[1:] {
		g.Edges = append(g.Edges, Edge{From: "a", To: n.ID, Weight: 1})
	}
	for _, center := range []string{"a", ""} {
		opts := SVGOptions{IDPrefix: `x" onload="alert(1)`, Title: "<script>t</script>", Desc: "d & <i>\x00"}
		s := SVG(Layout(g, Options{Center: center}), opts)
		starts := wellFormed(t, s)
		for _, e := range starts {
			switch e.Name.Local {
			case "script", "b", "i":
				t.Errorf("center %q: injected element <%s>", center, e.Name.Local)
			}
			for _, a := range e.Attr {
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					t.Errorf("center %q: injected attribute %s", center, a.Name.Local)
				}
				if a.Name.Local == "href" {
					v := strings.ToLower(a.Value)
					for _, bad := range []string{"javascript:", "data:", "vbscript:"} {
						if strings.Contains(v, bad) {
							t.Errorf("center %q: unsafe href %q", center, a.Value)
						}
					}
					if strings.ContainsAny(a.Value, " \t\n") {
						t.Errorf("center %q: href with white space %q", center, a.Value)
					}
				}
				if a.Name.Local == "class" && strings.ContainsAny(a.Value, `<>"`) {
					t.Errorf("center %q: class %q", center, a.Value)
				}
			}
		}
		for _, want := range []string{
			`&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;`,
			`&quot;quoted&quot; &amp; &#39;single&#39; &lt;b&gt;bold&lt;/b&gt;`,
			`href="/x?a=1&amp;b=&quot;2&quot;&#39;&gt;&lt;script&gt;"`,
			`href="https://example.org/a%20b"`,
			`]]&gt;&lt;!-- --&gt;&lt;![CDATA[`,
			`&amp;lt;already escaped&amp;gt;`,
			`href="javascript&amp;colon;alert(1)"`,                  // no scheme: a harmless relative URL
			"ctrl\uFFFD\uFFFD\uFFFD \uFFFD bad\uFFFD utf8 new line", // U+0085 is white space,
			`WWWW…`,
		} {
			if !strings.Contains(s, want) {
				t.Errorf("center %q: output lacks %s", center, want)
			}
		}
		if strings.Count(s, "<a ") != 3 { // b, e and g keep their links
			t.Errorf("center %q: got %d links, want 3", center, strings.Count(s, "<a "))
		}
	}
}

func TestEmptyAndSingle(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    Graph
		opts Options
	}{
		{"empty", Graph{}, Options{}},
		{"empty with centre", Graph{}, Options{Center: "x"}},
		{"single", Graph{Nodes: []Node{{ID: "x", Label: "Only", Kind: "person", URL: "/x/"}}}, Options{}},
		{"single centre", Graph{Nodes: []Node{{ID: "x", Label: "Only", Kind: "person", URL: "/x/"}}}, Options{Center: "x"}},
		{"dangling edges", Graph{Nodes: []Node{{ID: "x", Label: "X"}}, Edges: []Edge{{From: "x", To: "y", Weight: 2}, {From: "x", To: "x", Weight: 1}}}, Options{Center: "x"}},
		{"two", Graph{Nodes: []Node{{ID: "x", Label: "X"}, {ID: "y", Label: "Y"}}, Edges: []Edge{{From: "x", To: "y", Weight: 1}}}, Options{Width: 300, Height: 200}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Layout(tc.g, tc.opts)
			s := SVG(p, SVGOptions{})
			wellFormed(t, s)
			if !strings.Contains(s, `<title id="graph-title">`) || !strings.Contains(s, `<desc id="graph-desc">`) {
				t.Errorf("missing title or desc:\n%s", s)
			}
			for _, q := range p.Nodes {
				if q.X-q.R < 0 || q.Y-q.R < 0 || q.X+q.R > float64(p.Width) || q.Y+q.R > float64(p.Height) {
					t.Errorf("node %s outside the viewBox: %+v", q.ID, q)
				}
			}
		})
	}
}

func TestDefaultTexts(t *testing.T) {
	nb := korea().Neighbourhood("actor/moon-jae-in", 2, 5)
	p := Layout(nb, Options{Center: "actor/moon-jae-in"})
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"", []string{
			`<title id="graph-title">Relationship map: Moon Jae-in</title>`,
			`<desc id="graph-desc">Moon Jae-in (person) is connected to 3 entries, strongest first: South Korea (state), Kim Jong-un (person), Korean Armistice Agreement (treaty). 1 more entry is shown indirectly.</desc>`,
			`<title>Kim Jong-un (person)</title>`,
		}},
		{"fr", []string{
			"<title id=\"graph-title\">Carte des relations\u00a0: Moon Jae-in</title>",
			"<desc id=\"graph-desc\">Moon Jae-in (personne) compte 3 relations, de la plus forte à la plus faible\u00a0: South Korea (État), Kim Jong-un (personne), Korean Armistice Agreement (traité). Liens indirects\u00a0: 1 entrée.</desc>",
			`<title>Kim Jong-un (personne)</title>`,
		}},
	} {
		s := SVG(p, SVGOptions{Lang: tc.lang})
		wellFormed(t, s)
		for _, w := range tc.want {
			if !strings.Contains(s, w) {
				t.Errorf("lang %q: output lacks %s", tc.lang, w)
			}
		}
	}
	net := SVG(Layout(korea(), Options{}), SVGOptions{Lang: "fr"})
	if !strings.Contains(net, "Réseau de 13 entrées et 22 liens. Les plus reliées\u00a0: Kim Jong-un (personne), Democratic People&#39;s Republic of Korea (État),") {
		t.Errorf("network description:\n%s", net[:600])
	}
}

// Edges say what they are: a class per kind and a tooltip; an edge given
// twice merges its kinds and titles; a node's Title replaces its name and
// kind in its <title>; data-e names the ends of each line by their places
// among the nodes.
func TestEdgeKindsAndNotes(t *testing.T) {
	g := Graph{
		Nodes: []Node{{ID: "a", Label: "Russie", Kind: "state", URL: "/a/"},
			{ID: "t", Label: "Traité", Kind: "treaty", URL: "/t/", Title: "Traité, signé par Poutine"},
			{ID: "p", Label: "Poutine", Kind: "person", URL: "/p/"}},
		Edges: []Edge{{From: "a", To: "t", Kind: "party", Title: "Russie, partie à « Traité »"},
			{From: "p", To: "t", Kind: "signed", Title: "Poutine a signé"},
			{From: "p", To: "a", Kind: "country", Title: "Poutine, rattaché à Russie"},
			{From: "a", To: "p", Kind: "cocited", Weight: 2, Title: "cités ensemble"}},
	}
	got := SVG(Layout(g, Options{Center: "t"}), SVGOptions{Lang: "fr"})
	wellFormed(t, got)
	for _, want := range []string{
		`class="edge edge--party" `,
		`<title>Russie, partie à « Traité »</title></line>`,
		`class="edge edge--cocited edge--country edge--outer" `,
		`<title>cités ensemble; Poutine, rattaché à Russie</title>`,
		"<title>Traité, signé par Poutine</title>",
		"<title>Poutine (personne)</title>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("SVG lacks %q:\n%s", want, got)
		}
	}
	// Every line's ends are nodes of the map.
	nodes := strings.Count(got, "<a class=\"node ")
	for _, m := range regexp.MustCompile(`data-e="(\d+) (\d+)"`).FindAllStringSubmatch(got, -1) {
		for _, n := range m[1:] {
			if i, _ := strconv.Atoi(n); i >= nodes {
				t.Errorf("line end %s is no node (%d nodes)", n, nodes)
			}
		}
	}
}
