package graph

import "math"

// segGrid files edge segments under the cells of a uniform grid that they
// pass through, so that a label candidate is tested only against the
// segments near it, and most of those without rect.crosses' divisions. It
// counts exactly the crossings that testing every segment with
// rect.crosses counts, because every shortcut keeps a margin far beyond
// rounding (for coordinates within ±coordLimit, where relative errors of a
// few ulps are below 1e-9 in absolute terms):
//
//   - rect.crosses can only report a segment that comes within about 1e-9
//     of the box, and both a segment's cells and a query's cells reach
//     segMargin beyond them;
//   - crossings skips segments whose bounding box is at least bboxEps from
//     the box, or whose line keeps all four corners of the box grown by
//     satEps on one side: rect.crosses rejects a segment that far away, as
//     the gap between its clipping bounds is then at least
//     satEps/(√2·length) ≈ 2e-10, against errors of a few ulps;
//   - it counts without rect.crosses a segment that meets the box shrunk by
//     satEps (bounding boxes overlap, and the line separates the corners
//     with a margin), where the clipping interval has that much slack.
//
// Segments beyond coordLimit (or not finite) are tested against every box
// with rect.crosses alone, and so is every segment against a box beyond it.
type segGrid struct {
	segs       [][4]float64
	seg        []segment
	cell       float64
	cols, rows int
	start      []int32 // cell c holds ids[start[c]:start[c+1]]
	ids        []int32
	always     []int32 // segments beyond coordLimit: near every box
	seen       []uint32
	gen        uint32
	near       []segment // gathered for the current node, contiguous
}

// segment is what crossings needs of an edge segment.
type segment struct {
	bbox   rect
	x0, y0 float64
	dx, dy float64
	margin float64 // satEps·(|dx|+|dy|) + satErr: the side test's margin
	id     int32
	exact  bool // beyond coordLimit: rect.crosses only
}

const (
	segCell    = 32.0 // grid cell size in user units
	segMargin  = 1.0
	bboxEps    = 1e-6
	satEps     = 1e-3
	satErr     = 1e-2 // bounds the rounding of the side test: 5u·8e12
	coordLimit = 1e6
	maxCells   = 1 << 16
	smallGrid  = 64 // fewer segments than this go in a single cell
)

// sane reports whether v is finite and within ±coordLimit.
func sane(v float64) bool { return math.Abs(v) <= coordLimit }

func (r rect) sane() bool { return sane(r.x0) && sane(r.y0) && sane(r.x1) && sane(r.y1) }

func newSegGrid(segs [][4]float64, w, h float64) *segGrid {
	g := &segGrid{segs: segs, seg: make([]segment, len(segs)), seen: make([]uint32, len(segs))}
	w, h = min(max(w, 1), coordLimit), min(max(h, 1), coordLimit)
	g.cell = max(segCell, math.Sqrt(w*h/maxCells))
	if len(segs) < smallGrid {
		g.cell = max(w, h) + 1 // one cell: building a grid would cost more
	}
	g.cols, g.rows = int(w/g.cell)+1, int(h/g.cell)+1
	ncell := g.cols * g.rows
	count := make([]int32, ncell+1)
	stamp := make([]int32, ncell) // last segment (id+1) filed in each cell
	for id, s := range segs {
		if !sane(s[0]) || !sane(s[1]) || !sane(s[2]) || !sane(s[3]) {
			g.seg[id] = segment{id: int32(id), exact: true}
			g.always = append(g.always, int32(id))
			continue
		}
		dx, dy := s[2]-s[0], s[3]-s[1]
		g.seg[id] = segment{
			bbox: rect{min(s[0], s[2]), min(s[1], s[3]), max(s[0], s[2]), max(s[1], s[3])},
			x0:   s[0], y0: s[1], dx: dx, dy: dy,
			margin: float64(satEps*(math.Abs(dx)+math.Abs(dy))) + satErr,
			id:     int32(id),
		}
		g.cells(s, int32(id)+1, stamp, func(c int) { count[c+1]++ })
	}
	for c := range ncell {
		count[c+1] += count[c]
	}
	g.start = count
	g.ids = make([]int32, count[ncell])
	fill := make([]int32, ncell)
	copy(fill, count[:ncell])
	clear(stamp)
	for id, s := range segs {
		if !g.seg[id].exact {
			g.cells(s, int32(id)+1, stamp, func(c int) { g.ids[fill[c]] = int32(id); fill[c]++ })
		}
	}
	return g
}

// cells calls visit once for every cell within segMargin of segment s,
// walking it in pieces no longer than a cell so that a long diagonal does
// not claim its whole bounding box.
func (g *segGrid) cells(s [4]float64, tag int32, stamp []int32, visit func(c int)) {
	dx, dy := s[2]-s[0], s[3]-s[1]
	pieces := min(int(math.Sqrt(dx*dx+dy*dy)/g.cell)+1, 4*(g.cols+g.rows))
	for k := range pieces {
		ta, tb := float64(k)/float64(pieces), float64(k+1)/float64(pieces)
		xa, ya, xb, yb := s[0]+ta*dx, s[1]+ta*dy, s[0]+tb*dx, s[1]+tb*dy
		c0, r0, c1, r1 := g.span(rect{min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)})
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				if i := r*g.cols + c; stamp[i] != tag {
					stamp[i] = tag
					visit(i)
				}
			}
		}
	}
}

// span returns the cells within segMargin of r, clamped to the grid.
func (g *segGrid) span(r rect) (c0, r0, c1, r1 int) {
	at := func(v float64, n int) int {
		f := math.Floor(v / g.cell)
		return int(min(max(f, 0), float64(n-1)))
	}
	return at(r.x0-segMargin, g.cols), at(r.y0-segMargin, g.rows), at(r.x1+segMargin, g.cols), at(r.y1+segMargin, g.rows)
}

// gather collects, once each and in no particular order, the segments
// that may cross any of boxes (all of them when a box is beyond
// coordLimit), for the following calls of crossings.
func (g *segGrid) gather(boxes []rect) {
	g.near = g.near[:0]
	u := boxes[0]
	for _, b := range boxes {
		if !b.sane() {
			g.near = append(g.near, g.seg...)
			return
		}
		u = rect{min(u.x0, b.x0), min(u.y0, b.y0), max(u.x1, b.x1), max(u.y1, b.y1)}
	}
	g.gen++
	if g.gen == 0 {
		clear(g.seen)
		g.gen = 1
	}
	c0, r0, c1, r1 := g.span(u)
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			i := r*g.cols + c
			for _, id := range g.ids[g.start[i]:g.start[i+1]] {
				if g.seen[id] != g.gen {
					g.seen[id] = g.gen
					g.near = append(g.near, g.seg[id])
				}
			}
		}
	}
	for _, id := range g.always {
		g.near = append(g.near, g.seg[id])
	}
}

// crossings counts the segments that box.crosses, box being one of those
// given to the last gather, up to limit.
func (g *segGrid) crossings(box rect, limit int) int {
	n := 0
	if limit <= 0 {
		return 0
	}
	if !box.sane() {
		for i := range g.near {
			if box.crosses(g.segs[g.near[i].id]) {
				if n++; n >= limit {
					break
				}
			}
		}
		return n
	}
	// The box shrunk by satEps, for the sure crossings; empty when too thin.
	in := rect{box.x0 + satEps, box.y0 + satEps, box.x1 - satEps, box.y1 - satEps}
	solid := in.x0 < in.x1 && in.y0 < in.y1
	for i := range g.near {
		s := &g.near[i]
		if s.exact {
			if box.crosses(g.segs[s.id]) {
				if n++; n >= limit {
					break
				}
			}
			continue
		}
		b := s.bbox
		if b.x1 < box.x0-bboxEps || b.y1 < box.y0-bboxEps || b.x0 > box.x1+bboxEps || b.y0 > box.y1+bboxEps {
			continue
		}
		// Which side of the segment's line each corner (x, y) is on:
		// (x-x0)·dy - (y-y0)·dx, whose extremes over the four corners
		// combine the extremes of the two products.
		ax0, ax1 := (box.x0-s.x0)*s.dy, (box.x1-s.x0)*s.dy
		by0, by1 := (box.y0-s.y0)*s.dx, (box.y1-s.y0)*s.dx
		lo := min(ax0, ax1) - max(by0, by1)
		hi := max(ax0, ax1) - min(by0, by1)
		switch {
		case lo > s.margin || hi < -s.margin:
			continue // the line passes clear of the box
		case solid && lo < -s.margin && hi > s.margin &&
			b.x1 >= in.x0 && b.x0 <= in.x1 && b.y1 >= in.y0 && b.y0 <= in.y1:
			// The segment goes through the box's interior.
		case !box.crosses(g.segs[s.id]):
			continue
		}
		if n++; n >= limit {
			break
		}
	}
	return n
}
