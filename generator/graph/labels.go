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
	N := len(p.Nodes)
	labels := make([]label, N)
	order := make([]int, N)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(b2i(b == center), b2i(a == center)) /* centre first */, cmp.Compare(wdeg[b], wdeg[a]))
	})
	bounds := rect{4, 4, w - 4, h - 4}
	checkEdges := N*len(segs) <= edgeCheckLimit
	// Spatial indexes of node circles and placed labels keep this linear.
	nodeIdx := newBuckets(w, h, 48)
	for j, m := range p.Nodes {
		nodeIdx.add(j, rect{m.X - m.R, m.Y - m.R, m.X + m.R, m.Y + m.R})
	}
	labelIdx := newBuckets(w, h, 48)
	var segIdx *segGrid
	if checkEdges {
		segIdx = newSegGrid(segs, w, h)
	}
	var placed []rect
	for _, i := range order {
		q := p.Nodes[i]
		size := fontSize
		if i == center {
			size = centerFontSize
		}
		text := shortLabel(q.Label, size)
		if text == "" {
			labels[i].hidden = true
			continue
		}
		tw, th := textWidth(text, size), size*lineHeight
		px, py := preferred(p, i, center, adj, w, h)

		// The eight candidate boxes first: their union selects, once per
		// node, the edge segments worth testing.
		var (
			boxes [8]rect
			cands [8]label
		)
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
			// Baseline so that the x-height sits in the middle of the box.
			l.y = box.y0 + th/2 + float64(0.32*size)
			l.text = text
			boxes[k], cands[k] = box, l
		}
		if checkEdges {
			segIdx.gather(boxes[:])
		}

		// Every term but the edge crossings, for all candidates.
		var (
			base [8]float64
			bad  [8]bool
			rank [8]int
		)
		for k, d := range directions {
			box := boxes[k]
			score := 60 * (1 - (float64(d[0]*px) + float64(d[1]*py)))
			lab := 0.0
			labelIdx.query(box, func(k int) { lab += overlap(box, placed[k]) })
			score += float64(6 * lab)
			nodeHit := false
			nodeIdx.query(rect{box.x0 - 2, box.y0 - 2, box.x1 + 2, box.y1 + 2}, func(j int) {
				m := p.Nodes[j]
				if dd := box.dist(m.X, m.Y); dd < m.R+2 {
					score += 400 + float64(40*(m.R+2-dd))
					if j != i {
						nodeHit = true
					}
				}
			})
			out := box.area() - overlap(box, bounds)
			if out > 0 {
				score += 500 + float64(12*out)
			}
			base[k], bad[k], rank[k] = score, lab > float64(0.05*box.area()) || nodeHit || out > 0, k
		}
		// The lowest score wins, the first candidate on ties. Edge
		// crossings add 80 each, so a candidate's score only grows while
		// they are counted: counting stops as soon as it cannot win. The
		// most promising candidates go first to make that early.
		if checkEdges {
			slices.SortStableFunc(rank[:], func(a, b int) int { return cmp.Compare(base[a], base[b]) })
		}
		bestK, bestScore := -1, math.Inf(1)
		wins := func(s float64, k int) bool { return s < bestScore || s == bestScore && k < bestK }
		for _, k := range rank {
			score := base[k]
			if checkEdges {
				// Added one at a time so that the sum rounds the same
				// way as adding 80 per crossing segment.
				limit := len(segIdx.near) + 1 // unreachable: count all
				if bestScore-score < float64(80*limit) {
					s, n := score, 0
					for n < limit && wins(s, k) {
						s += 80
						n++
					}
					limit = n
				}
				for range segIdx.crossings(boxes[k], limit) {
					score += 80
				}
			}
			if wins(score, k) {
				bestK, bestScore = k, score
			}
		}
		best, bestBox, bestBad := label{}, rect{}, false
		if bestK >= 0 {
			best, bestBox, bestBad = cands[bestK], boxes[bestK], bad[bestK]
		}
		if bestBad && i != center {
			labels[i] = label{text: text, hidden: true}
			continue
		}
		labels[i] = best
		labelIdx.add(len(placed), bestBox)
		placed = append(placed, bestBox)
	}
	return labels
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
