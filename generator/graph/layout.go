package graph

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Options configures Layout.
type Options struct {
	// Width and Height of the viewBox in SVG user units. If either is zero
	// or negative, 640×480 is used.
	Width, Height int
	// Center, when it names a node of the graph, selects the radial
	// neighbourhood layout around that node. Otherwise the whole graph is
	// laid out with a force-directed algorithm.
	Center string
}

// Placed is a graph with positions, ready for SVG.
type Placed struct {
	Width, Height int
	// Center is the ID of the centre node of a radial layout, or "".
	Center string
	// Nodes in reading order: for a radial layout the centre, then each
	// ring clockwise (ring 1 from the right, by kind group); for a network,
	// by label. This is also
	// the keyboard (tab) order of the links in the SVG.
	Nodes []PlacedNode
	// Edges between placed nodes, merged, oriented From < To and sorted.
	Edges []Edge
}

// PlacedNode is a node with its position and radius in user units.
// Coordinates are rounded to 0.1 so that everything derived from them is
// stable.
type PlacedNode struct {
	Node
	X, Y, R float64
}

const (
	defaultWidth  = 640
	defaultHeight = 480
	centerRadius  = 13.0
	labelGap      = 4.0 // between a node's circle and its label
	centreGap     = 30 * math.Pi / 180
)

// Layout positions the nodes of g inside a Width×Height viewBox. The result
// depends only on the content of g and opts, never on the order of g's
// slices. See Options.Center for the choice of algorithm.
func Layout(g Graph, opts Options) Placed {
	w, h := opts.Width, opts.Height
	if w <= 0 || h <= 0 {
		w, h = defaultWidth, defaultHeight
	}
	n := normalize(g)
	// Sort keys, computed once rather than in every comparison.
	n.keys = make([]string, len(n.nodes))
	for i, nd := range n.nodes {
		n.keys[i] = strings.ToLower(cleanText(nd.Label))
	}
	p := Placed{Width: w, Height: h}
	for _, e := range n.edges {
		p.Edges = append(p.Edges, Edge{From: n.nodes[e.a].ID, To: n.nodes[e.b].ID, Weight: e.w, Kind: e.kind, Title: e.title})
	}
	var (
		pos   []PlacedNode
		order []int
	)
	if c, ok := n.index[opts.Center]; ok && opts.Center != "" {
		p.Center = opts.Center
		pos, order = radial(n, c, float64(w), float64(h))
	} else {
		pos = force(n, float64(w), float64(h))
		order = make([]int, len(n.nodes))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int {
			return strings.Compare(n.keys[a], n.keys[b])
		})
	}
	for _, i := range order {
		q := pos[i]
		q.Node = n.nodes[i]
		q.X, q.Y, q.R = round1(q.X), round1(q.Y), round1(q.R)
		p.Nodes = append(p.Nodes, q)
	}
	return p
}

func round1(v float64) float64 {
	v = math.Round(v*10) / 10
	if v == 0 {
		return 0 // no negative zero
	}
	return v
}

// radial places c in the middle and every other node on concentric
// ellipses by hop distance. Ring 1 is grouped by kind (person, state,
// organisation, treaty, dossier, others) and sorted by label within a
// group, with a small gap between groups; farther rings are ordered by the
// angle of their strongest parent so that branches stay together.
func radial(n *norm, c int, w, h float64) ([]PlacedNode, []int) {
	pos := make([]PlacedNode, len(n.nodes))
	hop, rings := n.rings(c)
	n.sizeRadial(pos, hop, c)
	n.measureLabels(hop)
	cx, cy := w/2, h/2
	pos[c].X, pos[c].Y = cx, cy
	order := []int{c}
	if len(rings) == 1 {
		return pos, order
	}

	rx, ry := outerRadii(n, rings[len(rings)-1], w, h)
	angle := make([]float64, len(n.nodes))
	nr := len(rings) - 1
	for k := 1; k <= nr; k++ {
		ring := slices.Clone(rings[k]) // sorted in place below
		frac := ringFraction(k, nr)
		erx, ery := rx*frac, ry*frac
		var (
			slots   []float64
			stagger bool
		)
		if k == 1 {
			slots, stagger = firstRingSlots(n, ring, erx, ery)
		} else {
			parent := sortByParent(n, ring, hop, angle)
			slots = evenSlots(len(ring)) // here, to stay on the stack when small
			// Outer rings are stretched; stagger when side labels would
			// touch, as their spacing is tightest at the left and right.
			stagger = len(ring) > 2 && ery*2*math.Pi/float64(len(ring)) < fontSize*lineHeight*1.6
			rotateToParents(slots, ring, parent)
		}
		placeOnEllipse(pos, angle, ring, slots, stagger, cx, cy, erx, ery)
		order = append(order, ring...)
	}
	return pos, order
}

// rings returns the hop distance of every node from c and the nodes of
// each ring, ring 0 being c alone. Unreachable nodes get their own
// outermost ring (their hop is set to it); trailing empty rings are
// dropped.
func (n *norm) rings(c int) (hop []int, rings [][]int) {
	hop = n.hops(c)
	maxHop := 0
	for _, d := range hop {
		maxHop = max(maxHop, d)
	}
	for i, d := range hop {
		if d < 0 { // unreachable: outermost ring
			hop[i] = maxHop + 1
		}
	}
	rings = make([][]int, 0, maxHop+2)
	for i, d := range hop {
		for len(rings) <= d {
			rings = append(rings, nil)
		}
		rings[d] = append(rings[d], i)
	}
	for len(rings) > 1 && len(rings[len(rings)-1]) == 0 {
		rings = rings[:len(rings)-1]
	}
	return hop, rings
}

// sizeRadial sets the radius of every node of a radial layout around c.
func (n *norm) sizeRadial(pos []PlacedNode, hop []int, c int) {
	// Node size grows with the weight of the connection to the previous ring.
	pw := n.parentWeight(hop)
	maxPW := 1
	for _, v := range pw {
		maxPW = max(maxPW, v)
	}
	for i := range pos {
		pos[i].R = 6
		if maxPW > 1 && hop[i] == 1 {
			pos[i].R = 6 + float64(3*math.Sqrt(float64(pw[i]-1)/float64(maxPW-1)))
		}
	}
	pos[c].R = centerRadius
}

// measureLabels sets n.labelW to the label width of every node but the
// centre (hop 0), measured once for outerRadii and kindSlots.
func (n *norm) measureLabels(hop []int) {
	n.labelW = make([]float64, len(n.nodes))
	for i := range n.labelW {
		if hop[i] > 0 {
			n.labelW[i], _ = labelSize(shortLabel(n.nodes[i].Label, fontSize), fontSize)
		}
	}
}

// outerRadii returns the radii of the outermost ellipse, which holds the
// nodes of outer.
func outerRadii(n *norm, outer []int, w, h float64) (rx, ry float64) {
	// The outer ellipse leaves room for labels beside the nodes at its left
	// and right ends and above/below the nodes at its top and bottom.
	lw := 0.0
	for _, i := range outer {
		lw = max(lw, n.labelW[i])
	}
	rx = w/2 - (9 + labelGap + lw + 6)
	ry = h/2 - (9 + labelGap + fontSize*lineHeight + 6)
	rx = max(rx, w*0.22)
	ry = max(ry, h*0.22)
	return rx, ry
}

// ringFraction returns the size of ring k of nr relative to the outer
// ellipse: ring 1 at 45% when there are several, the others evenly beyond.
func ringFraction(k, nr int) float64 {
	frac := float64(k) / float64(nr)
	if nr > 1 {
		frac = 0.45 + 0.55*float64(k-1)/float64(nr-1)
	}
	return frac
}

// firstRingSlots sorts ring 1 by kind group then label, in place, and
// returns the angle of each of its nodes on the ellipse (erx, ery) and
// whether to stagger them.
func firstRingSlots(n *norm, ring []int, erx, ery float64) (slots []float64, stagger bool) {
	// Keep a sector to the right of the centre free of edges for
	// the centre's label: no ring-1 node closer than centreGap to
	// the horizontal (converted to the ellipse's parameter angle).
	tg := min(math.Atan(math.Tan(centreGap)*erx/ery), math.Pi/3)
	slices.SortFunc(ring, func(a, b int) int { return compareNodes(n, a, b) })
	return kindSlots(n, ring, tg, 2*math.Pi-2*tg, erx, ery)
}

// sortByParent sorts a ring beyond the first, in place, by the angle of
// each node's parent (angle holds the inner rings' angles), and returns
// those parent angles by node.
func sortByParent(n *norm, ring []int, hop []int, angle []float64) []float64 {
	parent := parentAngles(n, ring, hop, angle)
	slices.SortFunc(ring, func(a, b int) int {
		return cmp.Or(cmp.Compare(parent[a], parent[b]), compareNodes(n, a, b))
	})
	return parent
}

// rotateToParents turns the slots of ring so that, on average, nodes sit
// next to their parents.
func rotateToParents(slots []float64, ring []int, parent []float64) {
	var s, co float64
	for j, i := range ring {
		d := parent[i] - slots[j]
		s += math.Sin(d)
		co += math.Cos(d)
	}
	off := 0.0
	if s != 0 || co != 0 {
		off = math.Atan2(s, co)
	}
	for j := range slots {
		slots[j] += off
	}
}

// placeOnEllipse puts the nodes of ring at their slots on the ellipse
// (erx, ery) around (cx, cy) and records their angles.
func placeOnEllipse(pos []PlacedNode, angle []float64, ring []int, slots []float64, stagger bool, cx, cy, erx, ery float64) {
	// Too many nodes for one ring of labels: stagger alternate nodes inwards.
	for j, i := range ring {
		a := slots[j]
		f := 1.0
		if stagger && j%2 == 1 {
			f = 0.78
		}
		angle[i] = a
		pos[i].X = cx + float64(erx*f*math.Cos(a))
		pos[i].Y = cy + float64(ery*f*math.Sin(a))
	}
}

// compareNodes orders nodes by kind group, then label, then ID.
func compareNodes(n *norm, a, b int) int {
	x, y := n.nodes[a], n.nodes[b]
	return cmp.Or(compareKind(x.Kind, y.Kind),
		strings.Compare(n.keys[a], n.keys[b]),
		strings.Compare(x.ID, y.ID))
}

// evenSlots returns k angles evenly spaced clockwise (SVG y points down)
// starting near the top.
func evenSlots(k int) []float64 {
	s := make([]float64, k)
	step := 2 * math.Pi / float64(k)
	for j := range s {
		s[j] = -math.Pi/2 + float64(float64(j)+0.5)*step
	}
	return s
}

// kindSlots spreads ring (already sorted by kind) over the parameter
// angles [start, start+span] of the ellipse (erx, ery), with an extra half
// slot between kind groups. Spacing is label-aware: along the ring each
// node needs enough room for its label to clear its neighbour's (a label
// height at the left and right, where labels stack vertically; a whole
// label width at the top and bottom, where they sit side by side), plus a
// uniform slack that spends whatever room is left. crowded reports that the labels are
// far from fitting even without slack.
func kindSlots(n *norm, ring []int, start, span, erx, ery float64) (slots []float64, crowded bool) {
	const gap = 0.5
	units := float64(len(ring))
	lw := 0.0
	for j, i := range ring {
		if j > 0 && n.nodes[i].Kind != n.nodes[ring[j-1]].Kind {
			units += gap
		}
		lw += n.labelW[i]
	}
	lw /= float64(len(ring))
	lh := fontSize * lineHeight

	// Sample the span: arc length ds and label extent e at each step.
	const steps = 720
	dt := span / steps
	ds := make([]float64, steps)
	ext := make([]float64, steps)
	for k := range ds {
		t := start + float64((float64(k)+0.5)*dt)
		tx, ty := float64(-erx*math.Sin(t)), float64(ery*math.Cos(t))
		l := math.Sqrt(float64(tx*tx) + float64(ty*ty))
		ds[k] = float64(l * dt)
		// Neighbouring labels are clear of each other once they are
		// apart by a label height vertically or a label width horizontally.
		ext[k] = min(lh*l/max(math.Abs(ty), 1e-9), lw*l/max(math.Abs(tx), 1e-9)) + 6
	}
	// capacity(σ) is how many nodes fit when each is given e + σ of arc.
	capacity := func(sigma float64) float64 {
		c := 0.0
		for k := range ds {
			c += ds[k] / (ext[k] + sigma)
		}
		return c
	}
	sigma := 0.0
	if c := capacity(0); c < units {
		// Tight: no slack. Far too tight: the caller staggers the ring.
		crowded = c < 0.7*units
	} else {
		lo, hi := 0.0, 4*math.Pi*max(erx, ery)
		above := newAbove(capacity, units, c, hi, monotone(ds, ext, units))
		for range 60 {
			mid := (lo + hi) / 2
			if above(mid) {
				lo = mid
			} else {
				hi = mid
			}
		}
		sigma = lo
	}
	cum := make([]float64, steps+1)
	for k := range ds {
		cum[k+1] = cum[k] + ds[k]/(ext[k]+sigma)
	}
	scale := cum[steps] / units
	slots = make([]float64, len(ring))
	u, k := 0.0, 0
	for j := range ring {
		if j > 0 && n.nodes[ring[j]].Kind != n.nodes[ring[j-1]].Kind {
			u += gap
		}
		target := float64((u + 0.5) * scale)
		for k < steps-1 && cum[k+1] < target {
			k++
		}
		f := 0.0
		if d := cum[k+1] - cum[k]; d > 0 {
			f = min(max((target-cum[k])/d, 0), 1)
		}
		slots[j] = start + float64((float64(k)+f)*dt)
		u++
	}
	return slots, crowded
}

// monotone reports whether capacity(σ) = Σ ds/(ext+σ), summed in order,
// cannot increase with σ ≥ 0 even as rounded: every term's operations are
// monotone when ds ≥ 0 and ext > 0 are finite.
func monotone(ds, ext []float64, units float64) bool {
	if math.IsNaN(units) || math.IsInf(units, 0) {
		return false
	}
	for k := range ds {
		if !(ds[k] >= 0 && ext[k] > 0) || math.IsInf(ds[k], 0) || math.IsInf(ext[k], 0) {
			return false
		}
	}
	return true
}

// newAbove returns the test capacity(σ) > units of kindSlots' bisection
// over [0, hi], given c = capacity(0) ≥ units. When capacity is monotone it
// gives the same answers with far fewer evaluations: a regula falsi
// (Illinois) search first narrows a bracket a < b with capacity(a) > units
// ≥ capacity(b), from which every σ ≤ a or σ ≥ b is answered without
// evaluating, and every evaluation narrows it further. The search runs on
// 1/capacity, nearly linear in σ, so it converges in a few steps.
func newAbove(capacity func(float64) float64, units, c, hi float64, monotone bool) func(float64) bool {
	if !monotone {
		return func(sigma float64) bool { return capacity(sigma) > units }
	}
	a, b := math.Inf(-1), math.Inf(1)
	ga, gb := 1/c-1/units, 0.0 // 1/capacity - 1/units at a and b: < 0, ≥ 0
	eval := func(sigma float64) bool {
		cs := capacity(sigma)
		if cs > units {
			a, ga = max(a, sigma), 1/cs-1/units
			return true
		}
		b, gb = min(b, sigma), 1/cs-1/units
		return false
	}
	if c > units {
		a = 0
		if !eval(hi) {
			side := 0 // which end moved last: 1 for a, -1 for b
			for range 40 {
				if b-a <= 1e-12*b || ga == 0 || gb == 0 {
					break
				}
				sigma := a - ga*(b-a)/(gb-ga)
				if !(sigma > a && sigma < b) {
					sigma = (a + b) / 2
					if !(sigma > a && sigma < b) {
						break // a and b are neighbouring floats
					}
				}
				pa, pb := ga, gb
				if eval(sigma) {
					if side > 0 { // a moved twice: halve b's weight
						gb = pb / 2
					}
					side = 1
				} else {
					if side < 0 {
						ga = pa / 2
					}
					side = -1
				}
			}
			// The last end that moved is close to the threshold; step
			// over it from there by growing distances to close the
			// bracket on the other side too.
			d := 1e-13 * b
			for range 20 {
				if b-a <= 1e-12*b {
					break
				}
				if side > 0 {
					if sigma := a + d; sigma < b && !eval(sigma) {
						break
					}
				} else if sigma := b - d; sigma > a && eval(sigma) {
					break
				}
				d *= 4
			}
		}
	}
	return func(sigma float64) bool {
		switch {
		case sigma <= a:
			return true
		case sigma >= b:
			return false
		}
		return eval(sigma)
	}
}

// parentAngles returns, for each node of ring, the angle of its
// highest-weight neighbour on the previous ring (ties: first in that ring's
// order, i.e. smallest angle).
func parentAngles(n *norm, ring []int, hop []int, angle []float64) []float64 {
	out := make([]float64, len(n.nodes))
	for _, i := range ring {
		best, bw := math.Inf(1), 0
		for _, v := range n.adj[i] {
			if hop[v.to] != hop[i]-1 {
				continue
			}
			a := angle[v.to]
			if v.w > bw || v.w == bw && a < best {
				best, bw = a, v.w
			}
		}
		if bw == 0 {
			best = 10 // no parent (unreachable ring): after all others
		}
		out[i] = best
	}
	return out
}

// Force-directed layout tuning. Positions are computed in units of the
// ideal edge length k = 1 and scaled into the viewBox afterwards.
const (
	exactLimit   = 300 // above this many nodes repulsion uses Barnes–Hut
	theta        = 1.2 // Barnes–Hut opening criterion (cell size / distance)
	gravity      = 2.0 // pull towards the middle, keeps components together
	maxPxPerUnit = 130 // never stretch an edge of ideal length beyond this
)

// force lays out all nodes with Fruchterman–Reingold: repulsion k²/d between
// all pairs (approximated with a Barnes–Hut quadtree for large graphs),
// attraction d²/k along edges scaled by weight, gravity towards the middle
// (so that disconnected parts stay close), and a linearly cooling
// temperature over a fixed number of iterations. The initial placement is
// a sunflower spiral ordered by weighted degree then ID, so hubs start in
// the middle.
//
// All arithmetic is ordered deterministically, and products that are added
// are wrapped in float64() so that compilers may not fuse them into FMA
// instructions: the result is bit-identical across architectures.
func force(n *norm, w, h float64) []PlacedNode {
	N := len(n.nodes)
	pos := make([]PlacedNode, N)
	if N == 0 {
		return pos
	}
	if N == 1 {
		pos[0].X, pos[0].Y, pos[0].R = w/2, h/2, 9
		return pos
	}
	rank := make([]int, N)
	for i := range rank {
		rank[i] = i
	}
	slices.SortStableFunc(rank, func(a, b int) int { return cmp.Compare(n.wdeg[b], n.wdeg[a]) })
	x := make([]float64, N)
	y := make([]float64, N)
	// Step by the golden angle with a rotation recurrence instead of
	// math.Sin/Cos, whose pure-Go polynomials may themselves be compiled
	// with FMA on some architectures and differ in the last bit.
	const cosG, sinG = -0.7373688780783197, 0.6754902942615238 // golden angle
	c, sn := 1.0, 0.0
	for r, i := range rank {
		rad := 0.7 * math.Sqrt(float64(r)+0.5)
		x[i] = float64(rad * c)
		y[i] = float64(rad * sn)
		c, sn = float64(c*cosG)-float64(sn*sinG), float64(c*sinG)+float64(sn*cosG)
	}
	aw := make([]float64, len(n.edges))
	for j, e := range n.edges {
		aw[j] = min(1+float64(0.5*(math.Sqrt(float64(e.w))-1)), 3)
	}

	iters := 300
	if N > exactLimit {
		iters = 120
	}
	t0 := 0.15 * math.Sqrt(float64(N))
	dx := make([]float64, N)
	dy := make([]float64, N)
	var tree bhTree
	for it := range iters {
		clear(dx)
		clear(dy)
		if N <= exactLimit {
			repelExact(x, y, dx, dy)
		} else {
			tree.build(x, y)
			tree.repelAll(x, y, dx, dy)
		}
		for j, e := range n.edges {
			ex, ey := x[e.a]-x[e.b], y[e.a]-y[e.b]
			d := math.Sqrt(float64(ex*ex) + float64(ey*ey))
			f := float64(d * aw[j])
			dx[e.a] -= float64(ex * f)
			dy[e.a] -= float64(ey * f)
			dx[e.b] += float64(ex * f)
			dy[e.b] += float64(ey * f)
		}
		t := float64(t0*(1-float64(it)/float64(iters))) + 0.01
		for i := range N {
			dx[i] -= float64(gravity * x[i])
			dy[i] -= float64(gravity * y[i])
			d := math.Sqrt(float64(dx[i]*dx[i]) + float64(dy[i]*dy[i]))
			if d > t {
				s := t / d
				dx[i], dy[i] = float64(dx[i]*s), float64(dy[i]*s)
			}
			x[i] += dx[i]
			y[i] += dy[i]
		}
	}
	fit(n, pos, x, y, w, h)
	return pos
}

// repelExact adds the Fruchterman–Reingold repulsion k²/d between every
// pair i < j, pairs in order (i, then j, ascending). Node i's force is
// summed in locals and stored after its row: the same additions in the
// same order as updating dx[i] in place.
func repelExact(x, y, dx, dy []float64) {
	N := len(x)
	y, dx, dy = y[:N], dx[:N], dy[:N]
	for i := range N {
		xi, yi, fxi, fyi := x[i], y[i], dx[i], dy[i]
		xs, ys, dxs, dys := x[i+1:], y[i+1:], dx[i+1:], dy[i+1:]
		ys, dxs, dys = ys[:len(xs)], dxs[:len(xs)], dys[:len(xs)]
		for k := range xs {
			ex, ey := xi-xs[k], yi-ys[k]
			d2 := float64(ex*ex) + float64(ey*ey)
			if d2 < 1e-9 {
				// Coincident nodes: separate them in a fixed direction
				// (k+1 is j-i).
				ex, ey = 0.01*float64(k+1), 0.01
				d2 = float64(ex*ex) + float64(ey*ey)
			}
			f := 1 / d2 // k²/d along the unit vector (ex, ey)/d
			fx, fy := float64(ex*f), float64(ey*f)
			fxi += fx
			fyi += fy
			dxs[k] -= fx
			dys[k] -= fy
		}
		dx[i], dy[i] = fxi, fyi
	}
}

// bhTree is a Barnes–Hut quadtree over the current positions. It is
// rebuilt every iteration into reused buffers; insertion in index order and
// a fixed traversal order keep it deterministic.
type bhTree struct {
	q      []quad
	next   []int32   // bodies sharing a leaf at maxDepth, as a linked list
	stacks [][]int32 // one traversal stack per worker
}

type quad struct {
	x0, y0, size float64 // square cell
	sx, sy       float64 // sum of body positions; centre of mass once built
	mass         int
	child        [4]int32 // -1: none
	body         int32    // first body of a leaf, -1 for internal or empty cells
}

const maxDepth = 24

func (t *bhTree) build(x, y []float64) {
	N := len(x)
	minX, minY, maxX, maxY := x[0], y[0], x[0], y[0]
	for i := range N {
		minX, maxX = min(minX, x[i]), max(maxX, x[i])
		minY, maxY = min(minY, y[i]), max(maxY, y[i])
	}
	size := float64(max(maxX-minX, maxY-minY)*1.001) + 1e-6
	t.q = append(t.q[:0], quad{x0: minX, y0: minY, size: size, child: [4]int32{-1, -1, -1, -1}, body: -1})
	t.next = slices.Grow(t.next[:0], N)[:N]
	for b := range N {
		t.next[b] = -1
		t.insert(int32(b), x, y)
	}
	for k := range t.q { // sums become centres of mass
		m := float64(t.q[k].mass)
		t.q[k].sx /= m
		t.q[k].sy /= m
	}
}

func (t *bhTree) insert(b int32, x, y []float64) {
	qi, depth := int32(0), 0
	for {
		q := &t.q[qi]
		q.sx += x[b]
		q.sy += y[b]
		q.mass++
		if q.child == [4]int32{-1, -1, -1, -1} { // leaf
			switch {
			case q.mass == 1:
				q.body = b
				return
			case depth >= maxDepth:
				t.next[b] = q.body
				q.body = b
				return
			}
			// Split: move the resident body one level down, then go on.
			a := q.body
			q.body = -1
			ca := t.childFor(qi, x[a], y[a])
			c := &t.q[ca]
			c.sx, c.sy, c.mass, c.body = x[a], y[a], 1, a
		}
		qi = t.childFor(qi, x[b], y[b])
		depth++
	}
}

// childFor returns the child of qi containing (px, py), creating it.
func (t *bhTree) childFor(qi int32, px, py float64) int32 {
	q := t.q[qi]
	half := q.size / 2
	k, x0, y0 := 0, q.x0, q.y0
	if px >= q.x0+half {
		k, x0 = k+1, x0+half
	}
	if py >= q.y0+half {
		k, y0 = k+2, y0+half
	}
	if c := q.child[k]; c >= 0 {
		return c
	}
	c := int32(len(t.q))
	t.q = append(t.q, quad{x0: x0, y0: y0, size: half, child: [4]int32{-1, -1, -1, -1}, body: -1})
	t.q[qi].child[k] = c
	return c
}

// repelAll adds to every body the approximate repulsion of all others. The
// tree is read-only here and each body's force is computed by exactly one
// worker in a fixed order, so running in parallel changes nothing in the
// result.
func (t *bhTree) repelAll(x, y, dx, dy []float64) {
	N := len(x)
	workers := min(runtime.GOMAXPROCS(0), 8, N/256+1)
	for len(t.stacks) < workers {
		t.stacks = append(t.stacks, nil)
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := N*w/workers, N*(w+1)/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				t.stacks[w] = t.repel(i, x, y, dx, dy, t.stacks[w])
			}
		})
	}
	wg.Wait()
}

// repel adds to body i the approximate repulsion of all other bodies.
func (t *bhTree) repel(i int, x, y, dx, dy []float64, stack []int32) []int32 {
	xi, yi := x[i], y[i]
	var fx, fy float64
	stack = append(stack[:0], 0)
	for len(stack) > 0 {
		q := &t.q[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		if q.body >= 0 || q.mass == 0 { // leaf
			for j := q.body; j >= 0; j = t.next[j] {
				if int(j) == i {
					continue
				}
				ex, ey := xi-x[j], yi-y[j]
				d2 := float64(ex*ex) + float64(ey*ey)
				if d2 < 1e-9 {
					ex, ey = 0.01*float64(int(j)-i), 0.01
					d2 = float64(ex*ex) + float64(ey*ey)
				}
				fx += ex / d2
				fy += ey / d2
			}
			continue
		}
		m := float64(q.mass)
		ex, ey := xi-q.sx, yi-q.sy
		d2 := float64(ex*ex) + float64(ey*ey)
		if float64(q.size*q.size) < float64(theta*theta*d2) {
			fx += float64(ex*m) / d2
			fy += float64(ey*m) / d2
			continue
		}
		for k := 3; k >= 0; k-- {
			if c := q.child[k]; c >= 0 {
				stack = append(stack, c)
			}
		}
	}
	dx[i] += fx
	dy[i] += fy
	return stack
}

// fit scales the layout uniformly into the viewBox (allowing up to 25%
// extra stretch along one axis to use the space better), centres it, and
// sizes nodes by weighted degree relative to the spacing.
func fit(n *norm, pos []PlacedNode, x, y []float64, w, h float64) {
	N := len(x)
	minX, minY, maxX, maxY := x[0], y[0], x[0], y[0]
	for i := range N {
		minX, maxX = min(minX, x[i]), max(maxX, x[i])
		minY, maxY = min(minY, y[i]), max(maxY, y[i])
	}
	const rmax = 10.0
	mx := rmax + labelGap + 24.0
	my := rmax + labelGap + fontSize*lineHeight + 4
	iw, ih := max(w-2*mx, 1), max(h-2*my, 1)
	bw, bh := maxX-minX, maxY-minY
	sx, sy := float64(maxPxPerUnit), float64(maxPxPerUnit)
	if bw > 0 {
		sx = min(sx, iw/bw)
	}
	if bh > 0 {
		sy = min(sy, ih/bh)
	}
	s := min(sx, sy)
	sx, sy = min(sx, s*1.25), min(sy, s*1.25)
	ox := w/2 - float64((minX+maxX)/2*sx)
	oy := h/2 - float64((minY+maxY)/2*sy)

	maxW := 1
	for _, d := range n.wdeg {
		maxW = max(maxW, d)
	}
	hi := max(2.5, min(rmax, 0.3*s, 0.25*math.Sqrt(w*h/float64(N))))
	lo := min(4.5, 0.6*hi)
	for i := range N {
		pos[i].X = ox + float64(x[i]*sx)
		pos[i].Y = oy + float64(y[i]*sy)
		pos[i].R = lo + float64((hi-lo)*math.Sqrt(float64(n.wdeg[i])/float64(maxW)))
	}
	separate(pos, w, h, mx-rmax, my-rmax)
}

// separate nudges overlapping circles apart (keeping a 2-unit gap) in a
// few deterministic rounds, keeping them inside the viewBox minus margins.
func separate(pos []PlacedNode, w, h, mx, my float64) {
	const gap = 2.0
	rmax := 0.0
	for _, q := range pos {
		rmax = max(rmax, q.R)
	}
	for range 30 {
		idx := newBuckets(w, h, 2*rmax+gap)
		for i, q := range pos {
			idx.add(i, rect{q.X, q.Y, q.X, q.Y})
		}
		moved := false
		for i := range pos {
			a := &pos[i]
			idx.query(rect{a.X - 2*rmax - gap, a.Y - 2*rmax - gap, a.X + 2*rmax + gap, a.Y + 2*rmax + gap}, func(j int) {
				if j <= i {
					return
				}
				b := &pos[j]
				ex, ey := b.X-a.X, b.Y-a.Y
				d := math.Sqrt(float64(ex*ex) + float64(ey*ey))
				need := a.R + b.R + gap
				if d >= need {
					return
				}
				if d < 1e-6 {
					ex, ey, d = 1, float64(j-i)*1e-3, 1
				}
				push := (need - d) / 2 / d
				a.X -= float64(ex * push)
				a.Y -= float64(ey * push)
				b.X += float64(ex * push)
				b.Y += float64(ey * push)
				moved = true
			})
		}
		for i := range pos {
			q := &pos[i]
			q.X = min(max(q.X, mx+q.R), w-mx-q.R)
			q.Y = min(max(q.Y, my+q.R), h-my-q.R)
		}
		if !moved {
			return
		}
	}
}
