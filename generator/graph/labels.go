package graph

import (
	"cmp"
	"math"
	"slices"
)

// label is the placed text of one node.
type label struct {
	text   string
	x, y   float64 // anchor point on the baseline
	anchor string  // text-anchor: start, middle or end
	hidden bool    // no room without overlapping; the text stays in <title>
}

type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) area() float64 { return float64((r.x1 - r.x0) * (r.y1 - r.y0)) }

func overlap(a, b rect) float64 {
	w := min(a.x1, b.x1) - max(a.x0, b.x0)
	h := min(a.y1, b.y1) - max(a.y0, b.y0)
	if w <= 0 || h <= 0 {
		return 0
	}
	return float64(w * h)
}

// dist returns the distance from (x, y) to the nearest point of r.
func (r rect) dist(x, y float64) float64 {
	dx := max(r.x0-x, 0, x-r.x1)
	dy := max(r.y0-y, 0, y-r.y1)
	return math.Sqrt(float64(dx*dx) + float64(dy*dy))
}

// crosses reports whether the segment s intersects r (Liang–Barsky).
func (r rect) crosses(s [4]float64) bool {
	x0, y0, dx, dy := s[0], s[1], s[2]-s[0], s[3]-s[1]
	t0, t1 := 0.0, 1.0
	for _, c := range [4][2]float64{{-dx, x0 - r.x0}, {dx, r.x1 - x0}, {-dy, y0 - r.y0}, {dy, r.y1 - y0}} {
		p, q := c[0], c[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = max(t0, t)
		} else {
			t1 = min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// Eight candidate directions, clockwise from the right (SVG y points down).
var directions = [8][2]float64{
	{1, 0}, {math.Sqrt2 / 2, math.Sqrt2 / 2}, {0, 1}, {-math.Sqrt2 / 2, math.Sqrt2 / 2},
	{-1, 0}, {-math.Sqrt2 / 2, -math.Sqrt2 / 2}, {0, -1}, {math.Sqrt2 / 2, -math.Sqrt2 / 2},
}

// edgeCheckLimit bounds nodes×edges for the edge-crossing term, which is
// skipped for big networks to keep rendering fast.
const edgeCheckLimit = 2_000_000

// placeLabels puts each label beside its node, greedily, most important
// nodes first (the centre, then by weighted degree). Of eight positions
// around the node it takes the one that overlaps least with labels already
// placed, other nodes, edges and the viewBox edge, preferring the side
// facing away from the node's connections (outwards in a radial layout).
// A label that cannot avoid overlap is hidden, except the centre's.
func placeLabels(p Placed, center int, adj [][]int, wdeg []int, segs [][4]float64, w, h float64) []label {
	labels := make([]label, len(p.Nodes))
	lp := newLabelPlacer(p, segs, w, h)
	order := make([]int, len(p.Nodes)) // filled here to stay on the stack when small
	sortLabelOrder(order, center, wdeg)
	var placed []rect // boxes of the labels placed so far
	for _, i := range order {
		size := fontSize
		if i == center {
			size = centerFontSize
		}
		text := shortLabel(p.Nodes[i].Label, size)
		if text == "" {
			labels[i].hidden = true
			continue
		}
		px, py := preferred(p, i, center, adj, w, h)
		l, box, fits := lp.choose(placed, i, text, size, px, py)
		if !fits && i != center {
			labels[i] = label{text: text, hidden: true}
			continue
		}
		labels[i] = l
		lp.labelIdx.add(len(placed), box)
		placed = append(placed, box)
	}
	return labels
}

// sortLabelOrder fills order with the node indexes in placing order: the
// centre first, then by decreasing weighted degree, ties in reading order.
func sortLabelOrder(order []int, center int, wdeg []int) {
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(b2i(b == center), b2i(a == center)) /* centre first */, cmp.Compare(wdeg[b], wdeg[a]))
	})
}

// labelPlacer holds the indexes placeLabels keeps from one node to the
// next. The placed boxes stay a local of placeLabels, where appending to
// them allocates less than in a field.
type labelPlacer struct {
	nodes      []PlacedNode
	bounds     rect // the viewBox less a 4-unit margin
	checkEdges bool // whether edge crossings count (not for big networks)
	// Spatial indexes of node circles and placed labels keep this linear.
	// Held by value: pointers kept in a struct would make them escape to
	// the heap; as locals they stayed on the stack.
	nodeIdx, labelIdx buckets
	segIdx            *segGrid // nil unless checkEdges
}

func newLabelPlacer(p Placed, segs [][4]float64, w, h float64) labelPlacer {
	lp := labelPlacer{
		nodes:      p.Nodes,
		bounds:     rect{4, 4, w - 4, h - 4},
		checkEdges: len(p.Nodes)*len(segs) <= edgeCheckLimit,
		nodeIdx:    *newBuckets(w, h, 48),
	}
	for j, m := range p.Nodes {
		lp.nodeIdx.add(j, rect{m.X - m.R, m.Y - m.R, m.X + m.R, m.Y + m.R})
	}
	lp.labelIdx = *newBuckets(w, h, 48)
	if lp.checkEdges {
		lp.segIdx = newSegGrid(segs, w, h)
	}
	return lp
}

// labelCandidates are the eight positions tried for one label, in the
// order of directions.
type labelCandidates struct {
	boxes  [8]rect
	labels [8]label
	base   [8]float64 // score without edge crossings; lower is better
	bad    [8]bool    // overlaps a label, another node or the border
}

// choose returns the best position of node i's label text, whose preferred
// direction is (px, py), beside the boxes already placed, and its box.
// fits is false when it overlaps wherever it goes.
func (lp *labelPlacer) choose(placed []rect, i int, text string, size, px, py float64) (l label, box rect, fits bool) {
	var c labelCandidates
	c.layOut(lp.nodes[i], text, size)
	// The union of the eight boxes selects, once per node, the edge
	// segments worth testing.
	if lp.checkEdges {
		lp.segIdx.gather(c.boxes[:])
	}
	for k, d := range directions {
		c.base[k], c.bad[k] = lp.score(placed, i, c.boxes[k], d, px, py)
	}
	k := lp.pick(&c)
	if k < 0 { // no finite score: an empty label, recorded all the same
		return label{}, rect{}, true
	}
	return c.labels[k], c.boxes[k], !c.bad[k]
}

// layOut fills c.boxes and c.labels: text at each of the eight directions
// around q, just outside its circle.
func (c *labelCandidates) layOut(q PlacedNode, text string, size float64) {
	tw, lines := labelSize(text, size)
	th := float64(lines) * size * lineHeight
	for k, d := range directions {
		ax, ay := q.X+float64((q.R+labelGap)*d[0]), q.Y+float64((q.R+labelGap)*d[1])
		var box rect
		var l label
		switch {
		case d[0] > 0.38:
			box.x0, l.anchor, l.x = ax, "start", ax
		case d[0] < -0.38:
			box.x0, l.anchor, l.x = ax-tw, "end", ax
		default:
			box.x0, l.anchor, l.x = ax-tw/2, "middle", ax
		}
		switch {
		case d[1] > 0.38:
			box.y0 = ay
		case d[1] < -0.38:
			box.y0 = ay - th
		default:
			box.y0 = ay - th/2
		}
		box.x1, box.y1 = box.x0+tw, box.y0+th
		// First baseline so that the x-height sits in the middle of the
		// first line.
		l.y = box.y0 + float64(size*lineHeight)/2 + float64(0.32*size)
		l.text = text
		c.boxes[k], c.labels[k] = box, l
	}
}

// score returns every term but the edge crossings of the score of node i's
// label in box, in direction d: turning away from the preferred direction
// (px, py), overlapping placed labels, node circles (i's own included) and
// the border. bad reports an overlap that should hide the label.
func (lp *labelPlacer) score(placed []rect, i int, box rect, d [2]float64, px, py float64) (score float64, bad bool) {
	score = 60 * (1 - (float64(d[0]*px) + float64(d[1]*py)))
	lab := 0.0
	lp.labelIdx.query(box, func(k int) { lab += overlap(box, placed[k]) })
	score += float64(6 * lab)
	nodeHit := false
	lp.nodeIdx.query(rect{box.x0 - 2, box.y0 - 2, box.x1 + 2, box.y1 + 2}, func(j int) {
		m := lp.nodes[j]
		if dd := box.dist(m.X, m.Y); dd < m.R+2 {
			score += 400 + float64(40*(m.R+2-dd))
			if j != i {
				nodeHit = true
			}
		}
	})
	out := box.area() - overlap(box, lp.bounds)
	if out > 0 {
		score += 500 + float64(12*out)
	}
	return score, lab > float64(0.05*box.area()) || nodeHit || out > 0
}

// pick returns the candidate with the lowest score, edge crossings
// included, or -1 if no score is below +Inf. The first candidate wins ties.
func (lp *labelPlacer) pick(c *labelCandidates) int {
	rank := [8]int{0, 1, 2, 3, 4, 5, 6, 7}
	// Edge crossings add 80 each, so a candidate's score only grows while
	// they are counted: counting stops as soon as it cannot win. The
	// most promising candidates go first to make that early.
	if lp.checkEdges {
		slices.SortStableFunc(rank[:], func(a, b int) int { return cmp.Compare(c.base[a], c.base[b]) })
	}
	bestK, bestScore := -1, math.Inf(1)
	for _, k := range rank {
		score := c.base[k]
		if lp.checkEdges {
			score = lp.addCrossings(score, c.boxes[k], k, bestScore, bestK)
		}
		if wins(score, k, bestScore, bestK) {
			bestK, bestScore = k, score
		}
	}
	return bestK
}

// wins reports whether candidate k with score s beats candidate bestK
// with bestScore: a lower score, or the same with an earlier candidate.
func wins(s float64, k int, bestScore float64, bestK int) bool {
	return s < bestScore || s == bestScore && k < bestK
}

// addCrossings adds 80 to score for each edge segment crossing box, but
// stops counting once candidate k can no longer beat the best so far.
func (lp *labelPlacer) addCrossings(score float64, box rect, k int, bestScore float64, bestK int) float64 {
	// Added one at a time so that the sum rounds the same
	// way as adding 80 per crossing segment.
	limit := len(lp.segIdx.near) + 1 // unreachable: count all
	if bestScore-score < float64(80*limit) {
		s, n := score, 0
		for n < limit && wins(s, k, bestScore, bestK) {
			s += 80
			n++
		}
		limit = n
	}
	for range lp.segIdx.crossings(box, limit) {
		score += 80
	}
	return score
}

// preferred returns the unit direction in which node i's label should go:
// right of the centre; outwards from the centre in a radial layout; otherwise
// away from the node's neighbours, or away from the middle of the picture.
func preferred(p Placed, i, center int, adj [][]int, w, h float64) (float64, float64) {
	q := p.Nodes[i]
	unit := func(x, y float64) (float64, float64, bool) {
		d := math.Sqrt(float64(x*x) + float64(y*y))
		if d < 1e-6 {
			return 0, 0, false
		}
		return x / d, y / d, true
	}
	if i == center {
		return 1, 0 // radial layouts keep this side free, see radial
	}
	if center >= 0 {
		if x, y, ok := unit(q.X-p.Nodes[center].X, q.Y-p.Nodes[center].Y); ok {
			return x, y
		}
		return 0, 1
	}
	var mx, my float64
	for _, j := range adj[i] {
		if x, y, ok := unit(p.Nodes[j].X-q.X, p.Nodes[j].Y-q.Y); ok {
			mx += x
			my += y
		}
	}
	if k := float64(len(adj[i])); k > 0 {
		mx, my = mx/k, my/k
	}
	if math.Sqrt(float64(mx*mx)+float64(my*my)) > 0.25 {
		x, y, _ := unit(-mx, -my)
		return x, y
	}
	if x, y, ok := unit(q.X-w/2, q.Y-h/2); ok && math.Abs(q.X-w/2)+math.Abs(q.Y-h/2) > 20 {
		return x, y
	}
	return 0, 1
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// buckets is a uniform grid of square cells over the viewBox holding item
// IDs by the cells their rectangles touch. Items outside the viewBox are
// clamped to the border cells.
type buckets struct {
	cell       float64
	cols, rows int
	items      [][]int
	seen       []int // per item: last query that visited it
	gen        int
}

func newBuckets(w, h, cell float64) *buckets {
	cols, rows := max(int(w/cell)+1, 1), max(int(h/cell)+1, 1)
	return &buckets{cell: cell, cols: cols, rows: rows, items: make([][]int, cols*rows)}
}

func (b *buckets) span(r rect) (c0, r0, c1, r1 int) {
	clamp := func(v float64, n int) int {
		if math.IsNaN(v) {
			return 0
		}
		return min(max(int(math.Floor(v/b.cell)), 0), n-1)
	}
	return clamp(r.x0, b.cols), clamp(r.y0, b.rows), clamp(r.x1, b.cols), clamp(r.y1, b.rows)
}

func (b *buckets) add(id int, r rect) {
	for len(b.seen) <= id {
		b.seen = append(b.seen, 0)
	}
	c0, r0, c1, r1 := b.span(r)
	for y := r0; y <= r1; y++ {
		for x := c0; x <= c1; x++ {
			b.items[y*b.cols+x] = append(b.items[y*b.cols+x], id)
		}
	}
}

// query calls visit once for every item whose cells meet r's, in a fixed
// order (cells row by row, items in insertion order).
func (b *buckets) query(r rect, visit func(id int)) {
	b.gen++
	c0, r0, c1, r1 := b.span(r)
	for y := r0; y <= r1; y++ {
		for x := c0; x <= c1; x++ {
			for _, id := range b.items[y*b.cols+x] {
				if b.seen[id] != b.gen {
					b.seen[id] = b.gen
					visit(id)
				}
			}
		}
	}
}
