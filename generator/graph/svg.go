package graph

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// SVGOptions configures SVG.
type SVGOptions struct {
	// IDPrefix is prepended to every id in the SVG so that several maps can
	// share a page. Characters other than ASCII letters, digits, '-' and
	// '_' are replaced by '-'. Default "graph-".
	IDPrefix string
	// Title is the accessible name (and tooltip) of the map. Default
	// "Relationship map: <centre label>" or "Relationship network".
	Title string
	// Desc is the accessible description. Default: a sentence listing the
	// centre's connections by strength, or the most connected entries.
	Desc string
	// Lang selects the language of the default Title and Desc and of the
	// kind names in node tooltips: "fr" or "en" (the default).
	Lang string
}

// texts holds the words SVG writes itself, per language.
type texts struct {
	network, mapOf       string // default titles
	none, noLinks        string
	linked, link, links  string // "%s is connected to %d %s, strongest first: %s."
	indirect, ind1, indN string // " %d more %s indirectly."
	networkOf            string // "Network of %d %s and %d %s."
	entry, entries       string
	conn, conns          string
	mostLinked           string
	andMore1, andMoreN   string
	kinds                map[string]string
	singular             func(n int) bool
}

var languages = map[string]texts{
	"en": {
		network: "Relationship network", mapOf: "Relationship map: %s",
		none: "No relationships to show.", noLinks: "%s has no connections to show.",
		linked: "%s is connected to %d %s, strongest first: %s.", link: "entry", links: "entries",
		indirect: " %d more %s indirectly.", ind1: "entry is shown", indN: "entries are shown",
		networkOf: "Network of %d %s and %d %s.", entry: "entry", entries: "entries",
		conn: "connection", conns: "connections",
		mostLinked: " Most connected: %s.", andMore1: "and %d more", andMoreN: "and %d more",
		singular: func(n int) bool { return n == 1 },
	},
	"fr": {
		network: "Réseau des relations", mapOf: "Carte des relations\u00a0: %s",
		none: "Aucune relation à afficher.", noLinks: "%s\u00a0: aucune relation à afficher.",
		linked: "%s compte %d %s, de la plus forte à la plus faible\u00a0: %s.", link: "relation", links: "relations",
		indirect: " Liens indirects\u00a0: %d %s.", ind1: "entrée", indN: "entrées",
		networkOf: "Réseau de %d %s et %d %s.", entry: "entrée", entries: "entrées",
		conn: "lien", conns: "liens",
		mostLinked: " Les plus reliées\u00a0: %s.", andMore1: "et %d autre", andMoreN: "et %d autres",
		kinds: map[string]string{
			"person": "personne", "state": "État", "organisation": "organisation",
			"treaty": "traité", "dossier": "dossier",
		},
		singular: func(n int) bool { return n <= 1 },
	},
}

// SVG renders p as a standalone inline <svg> element. The output is
// well-formed XML, safe to embed in HTML as is (all text and URLs are
// escaped; links with schemes other than http, https and mailto are
// dropped), and byte-for-byte stable for the same input.
//
// Styling hooks (colours come from CSS; the defaults use currentColor):
//
//	svg.graph                   root; also graph--neighbourhood or graph--network
//	.graph__edges line.edge     edges; edge--<kind> per Edge.Kind token;
//	                            edge--outer for edges not touching the centre
//	                            of a neighbourhood; ek-<kind> for the kinds
//	                            of the ends of a network's edges
//	.graph__nodes .node         <a> (or <g> without a URL) around circle and text
//	.node--<kind>               e.g. node--person, node--state, node--treaty
//	.node--center               the centre of a neighbourhood map
//	.node--unlabelled           label hidden to avoid overlap (full text in <title>)
//	.node__label                the <text> label
func SVG(p Placed, opts SVGOptions) string {
	w, h := p.Width, p.Height
	if w <= 0 || h <= 0 {
		w, h = defaultWidth, defaultHeight
	}
	prefix := opts.IDPrefix
	if prefix == "" {
		prefix = "graph-"
	}
	prefix = idToken(prefix)

	center, edges := indexEdges(p)
	// Allocated here, not in edgeGeometry, so that small ones stay on the stack.
	segs := make([][4]float64, len(edges))
	adj := make([][]int, len(p.Nodes))
	wdeg := make([]int, len(p.Nodes))
	edgeGeometry(p, edges, segs, adj, wdeg)
	labels := placeLabels(p, center, adj, wdeg, segs, float64(w), float64(h))

	tx, ok := languages[opts.Lang]
	if !ok {
		tx = languages["en"]
	}
	title, desc := tx.titleAndDesc(opts, p, center, edges)

	var b strings.Builder
	b.Grow(1024 + 120*len(edges) + 300*len(p.Nodes))
	writeHeader(&b, w, h, prefix, center >= 0, title, desc)
	writeEdges(&b, p, center, edges)
	writeNodes(&b, p, center, labels, tx)
	b.WriteString("</svg>")
	return b.String()
}

// indexEdges returns the index of the centre in p.Nodes (-1 for none) and
// p's edges between distinct placed nodes as indexes, in drawing order.
func indexEdges(p Placed) (center int, edges []nedge) {
	idx := make(map[string]int, len(p.Nodes)) // lookups only
	for i, q := range p.Nodes {
		idx[q.ID] = i
	}
	center = -1
	if i, ok := idx[p.Center]; ok && p.Center != "" {
		center = i
	}
	for _, e := range p.Edges {
		a, okA := idx[e.From]
		b, okB := idx[e.To]
		if okA && okB && a != b {
			edges = append(edges, nedge{a, b, max(e.Weight, 1), e.Kind, e.Title})
		}
	}
	// Heavier edges are drawn last, on top.
	slices.SortFunc(edges, func(x, y nedge) int {
		return cmp.Or(cmp.Compare(x.w, y.w), strings.Compare(p.Nodes[x.a].ID, p.Nodes[y.a].ID),
			strings.Compare(p.Nodes[x.b].ID, p.Nodes[y.b].ID))
	})
	return center, edges
}

// edgeGeometry fills in what placeLabels needs to know of the edges:
// their segments, each node's neighbours and each node's weighted degree.
func edgeGeometry(p Placed, edges []nedge, segs [][4]float64, adj [][]int, wdeg []int) {
	for j, e := range edges {
		a, b := p.Nodes[e.a], p.Nodes[e.b]
		segs[j] = [4]float64{a.X, a.Y, b.X, b.Y}
		adj[e.a] = append(adj[e.a], e.b)
		adj[e.b] = append(adj[e.b], e.a)
		wdeg[e.a] += e.w
		wdeg[e.b] += e.w
	}
}

// titleAndDesc returns the accessible name and description: opts' when
// set, otherwise the defaults in tx's language.
func (tx texts) titleAndDesc(opts SVGOptions, p Placed, center int, edges []nedge) (title, desc string) {
	title = cleanText(opts.Title)
	desc = opts.Desc
	if title == "" {
		title = tx.network
		if center >= 0 {
			title = fmt.Sprintf(tx.mapOf, cleanText(p.Nodes[center].Label))
		}
	}
	if strings.TrimSpace(desc) == "" {
		desc = tx.describe(p, center, edges)
	}
	return title, desc
}

// writeHeader writes the opening <svg> tag, <title> and <desc>.
func writeHeader(b *strings.Builder, w, h int, prefix string, neighbourhood bool, title, desc string) {
	mode := "network"
	if neighbourhood {
		mode = "neighbourhood"
	}
	// A group, not an image: its nodes are links (an image's content is
	// presentational, and links inside one are unreachable for some
	// screen readers: axe's nested-interactive).
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="graph graph--%s" viewBox="0 0 %d %d" width="%d" height="%d" role="group" aria-labelledby="%stitle" aria-describedby="%sdesc" font-family="system-ui, sans-serif" font-size="%s">`+"\n",
		mode, w, h, w, h, prefix, prefix, num(fontSize))
	fmt.Fprintf(b, "<title id=\"%stitle\">%s</title>\n", prefix, esc(title))
	fmt.Fprintf(b, "<desc id=\"%sdesc\">%s</desc>\n", prefix, esc(desc))
}

// writeEdges writes the group of edge lines, if there are edges.
func writeEdges(b *strings.Builder, p Placed, center int, edges []nedge) {
	if len(edges) == 0 {
		return
	}
	// Many edges would blacken the picture: fade them as their number grows.
	op := min(0.45, max(0.05, 0.45*math.Sqrt(40/float64(len(edges)))))
	fmt.Fprintf(b, "<g class=\"graph__edges\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"%.2f\" stroke-width=\"1\" stroke-linecap=\"round\">\n", op)
	for _, e := range edges {
		cls := "edge"
		for k := range strings.FieldsSeq(e.kind) {
			cls += " edge--" + classToken(k)
		}
		switch {
		case e.a == center || e.b == center:
			// Most edges of a neighbourhood: no class of their own, the
			// few others are edge--outer (the map stays small).
		case center >= 0:
			cls += " edge--outer"
		default:
			// The kinds of its ends, for filters by kind.
			cls += " ek-" + classToken(p.Nodes[e.a].Kind) + " ek-" + classToken(p.Nodes[e.b].Kind)
		}
		writeEdge(b, p, e, cls)
	}
	b.WriteString("</g>\n")
}

// writeEdge writes the line of e, with its tooltip, or nothing when its
// circles touch. data-e holds the indexes of its ends in reading order
// (their places in the group of nodes), for the script that highlights
// neighbours.
func writeEdge(b *strings.Builder, p Placed, e nedge, cls string) {
	a, c := p.Nodes[e.a], p.Nodes[e.b]
	ex, ey := c.X-a.X, c.Y-a.Y
	d := math.Sqrt(float64(ex*ex) + float64(ey*ey))
	// Lines stop short of the circles, so nodes may be translucent.
	if d <= a.R+c.R+3 {
		return
	}
	ux, uy := ex/d, ey/d
	// Written piece by piece: fmt is a large part of the cost of
	// drawing a big network.
	b.WriteString(`<line class="`)
	b.WriteString(cls)
	writeAttrNum(b, `" x1="`, a.X+float64(ux*(a.R+1.5)))
	writeAttrNum(b, `" y1="`, a.Y+float64(uy*(a.R+1.5)))
	writeAttrNum(b, `" x2="`, c.X-float64(ux*(c.R+1.5)))
	writeAttrNum(b, `" y2="`, c.Y-float64(uy*(c.R+1.5)))
	if w := edgeWidth(e.w); w != 1 { // 1 is the group's
		writeAttrNum(b, `" stroke-width="`, w)
	}
	b.WriteString(`" data-e="`)
	b.WriteString(strconv.Itoa(e.a))
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(e.b))
	if t := cleanText(e.title); t != "" {
		b.WriteString(`"><title>`)
		b.WriteString(esc(t))
		b.WriteString("</title></line>\n")
		return
	}
	b.WriteString("\"/>\n")
}

// writeNodes writes the group of nodes, if there are nodes.
func writeNodes(b *strings.Builder, p Placed, center int, labels []label, tx texts) {
	if len(p.Nodes) == 0 {
		return
	}
	b.WriteString("<g class=\"graph__nodes\" fill=\"currentColor\">\n")
	for i, q := range p.Nodes {
		name := tx.name(q.Node)
		if title := cleanText(q.Title); title != "" {
			name = title
		}
		writeNode(b, q, labels[i], i == center, name)
	}
	b.WriteString("</g>\n")
}

// writeNode writes one node: a link (or a plain group without a safe URL)
// around its tooltip, circle and label. The tooltip name is unescaped.
func writeNode(b *strings.Builder, q PlacedNode, l label, isCenter bool, name string) {
	cls := "node node--" + classToken(q.Kind)
	if isCenter {
		cls += " node--center"
	}
	if l.hidden {
		cls += " node--unlabelled"
	}
	u := safeURL(q.URL)
	if u != "" {
		b.WriteString(`<a class="`)
		b.WriteString(cls)
		b.WriteString(`" href="`)
		b.WriteString(esc(u))
	} else {
		b.WriteString(`<g class="`)
		b.WriteString(cls)
	}
	b.WriteString("\">\n")
	b.WriteString("<title>")
	b.WriteString(esc(name))
	b.WriteString("</title>\n")
	writeCircle(b, q, isCenter)
	if !l.hidden && l.text != "" {
		writeLabel(b, l, isCenter)
	}
	if u != "" {
		b.WriteString("</a>\n")
	} else {
		b.WriteString("</g>\n")
	}
}

// writeCircle writes a node's circle; the centre's is filled and thicker.
func writeCircle(b *strings.Builder, q PlacedNode, isCenter bool) {
	fo, sw := "0.15", "1.5"
	if isCenter {
		fo, sw = "0.9", "2"
	}
	writeAttrNum(b, `<circle cx="`, q.X)
	writeAttrNum(b, `" cy="`, q.Y)
	writeAttrNum(b, `" r="`, q.R)
	b.WriteString(`" fill-opacity="`)
	b.WriteString(fo)
	b.WriteString(`" stroke="currentColor" stroke-width="`)
	b.WriteString(sw)
	b.WriteString("\"/>\n")
}

// writeLabel writes a node's visible label; the centre's is larger and bold.
func writeLabel(b *strings.Builder, l label, isCenter bool) {
	writeAttrNum(b, `<text class="node__label" x="`, l.x)
	writeAttrNum(b, `" y="`, l.y)
	b.WriteString(`" text-anchor="`)
	b.WriteString(l.anchor)
	b.WriteString(`"`)
	if isCenter {
		writeAttrNum(b, ` font-size="`, centerFontSize)
		b.WriteString(`" font-weight="bold"`)
	}
	b.WriteString(">")
	first, rest, wrapped := strings.Cut(l.text, "\n")
	if !wrapped {
		b.WriteString(esc(l.text))
		b.WriteString("</text>\n")
		return
	}
	// A second line, under the first, anchored the same way.
	b.WriteString(esc(first))
	writeAttrNum(b, `<tspan x="`, l.x)
	b.WriteString(`" dy="1.25em">`)
	b.WriteString(esc(rest))
	b.WriteString("</tspan></text>\n")
}

// num formats v with one decimal, without negative zero; non-finite values
// print as 0.0.
func num(v float64) string {
	var buf [32]byte
	return string(appendNum(buf[:0], v))
}

func appendNum(dst []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	v = math.Round(v*10) / 10
	if v == 0 {
		v = 0
	}
	return strconv.AppendFloat(dst, v, 'f', 1, 64)
}

// writeAttrNum writes s then num(v), without allocating.
func writeAttrNum(b *strings.Builder, s string, v float64) {
	var buf [32]byte
	b.WriteString(s)
	b.Write(appendNum(buf[:0], v))
}

// edgeWidth grows with the square root of the weight: 1 for a single
// co-occurrence, capped at 4.5.
func edgeWidth(w int) float64 {
	return min(1+float64(0.8*(math.Sqrt(float64(w))-1)), 4.5)
}

// name returns the node's label followed by its kind in parentheses.
func (tx texts) name(n Node) string {
	s := cleanText(n.Label)
	k := cleanText(n.Kind)
	if v, ok := tx.kinds[k]; ok {
		k = v
	}
	if k != "" {
		s += " (" + k + ")"
	}
	return s
}

func (tx texts) plural(n int, one, many string) string {
	if tx.singular(n) {
		return one
	}
	return many
}

// describe writes the default accessible description.
func (tx texts) describe(p Placed, center int, edges []nedge) string {
	list := func(items []int, limit int) string {
		var parts []string
		for j, i := range items {
			if j == limit {
				parts = append(parts, fmt.Sprintf(tx.plural(len(items)-limit, tx.andMore1, tx.andMoreN), len(items)-limit))
				break
			}
			parts = append(parts, tx.name(p.Nodes[i].Node))
		}
		return strings.Join(parts, ", ")
	}
	if len(p.Nodes) == 0 {
		return tx.none
	}
	wsum := make([]int, len(p.Nodes))
	if center >= 0 {
		for _, e := range edges {
			if e.a == center {
				wsum[e.b] += e.w
			} else if e.b == center {
				wsum[e.a] += e.w
			}
		}
		var direct []int
		for i := range p.Nodes {
			if wsum[i] > 0 {
				direct = append(direct, i)
			}
		}
		slices.SortStableFunc(direct, func(x, y int) int { return cmp.Compare(wsum[y], wsum[x]) })
		c := tx.name(p.Nodes[center].Node)
		if len(direct) == 0 {
			return fmt.Sprintf(tx.noLinks, c)
		}
		s := fmt.Sprintf(tx.linked, c, len(direct), tx.plural(len(direct), tx.link, tx.links), list(direct, 4))
		if rest := len(p.Nodes) - 1 - len(direct); rest > 0 {
			s += fmt.Sprintf(tx.indirect, rest, tx.plural(rest, tx.ind1, tx.indN))
		}
		return s
	}
	for _, e := range edges {
		wsum[e.a] += e.w
		wsum[e.b] += e.w
	}
	top := make([]int, len(p.Nodes))
	for i := range top {
		top[i] = i
	}
	slices.SortStableFunc(top, func(x, y int) int { return cmp.Compare(wsum[y], wsum[x]) })
	s := fmt.Sprintf(tx.networkOf, len(p.Nodes), tx.plural(len(p.Nodes), tx.entry, tx.entries),
		len(edges), tx.plural(len(edges), tx.conn, tx.conns))
	for len(top) > 0 && wsum[top[len(top)-1]] == 0 {
		top = top[:len(top)-1]
	}
	if len(top) > 0 {
		s += fmt.Sprintf(tx.mostLinked, list(top[:min(len(top), 10)], 10))
	}
	return s
}
