package graph

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSegGridMatchesBruteForce checks that the segment grid counts exactly
// the crossings rect.crosses finds among all segments, including segments
// and boxes that touch, run along each other's edges, degenerate to points,
// lie outside the viewBox, or have coordinates that are huge or not finite.
func TestSegGridMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const w, h = 400.0, 300.0
	// Coordinates on a coarse lattice make exact touches common.
	coord := func(span float64) float64 {
		switch r.IntN(40) {
		case 0:
			return math.NaN()
		case 1:
			return math.Inf(1 - 2*r.IntN(2))
		case 2:
			return (r.Float64() - 0.5) * 1e9
		case 3:
			return -50 + r.Float64()*20 // outside the viewBox
		}
		return math.Round(r.Float64()*span*4) / 4
	}
	for trial := range 40 {
		segs := make([][4]float64, 50+r.IntN(400))
		for i := range segs {
			x0, y0 := coord(w), coord(h)
			switch r.IntN(6) {
			case 0: // horizontal
				segs[i] = [4]float64{x0, y0, coord(w), y0}
			case 1: // vertical
				segs[i] = [4]float64{x0, y0, x0, coord(h)}
			case 2: // a point
				segs[i] = [4]float64{x0, y0, x0, y0}
			case 3: // short
				segs[i] = [4]float64{x0, y0, x0 + r.Float64()*8 - 4, y0 + r.Float64()*8 - 4}
			default:
				segs[i] = [4]float64{x0, y0, coord(w), coord(h)}
			}
		}
		g := newSegGrid(segs, w, h)
		for range 60 {
			var boxes [8]rect
			for k := range boxes {
				var b rect
				if s := segs[r.IntN(len(segs))]; r.IntN(3) == 0 {
					// Anchored on a segment's end: touches and shared edges.
					b.x0, b.y0 = s[r.IntN(2)*2], s[1+r.IntN(2)*2]
					if r.IntN(2) == 0 {
						b.x0 -= math.Round(r.Float64()*40) / 4
					}
				} else {
					b.x0, b.y0 = coord(w), coord(h)
				}
				b.x1, b.y1 = b.x0+math.Round(r.Float64()*400)/4, b.y0+math.Round(r.Float64()*80)/4
				boxes[k] = b
			}
			g.gather(boxes[:])
			for _, b := range boxes {
				want := 0
				for _, s := range segs {
					if b.crosses(s) {
						want++
					}
				}
				if got := g.crossings(b, len(segs)+1); got != want {
					t.Fatalf("trial %d: box %v crosses %d segments, grid counts %d", trial, b, want, got)
				}
				if limit := r.IntN(want + 2); g.crossings(b, limit) != min(want, limit) {
					t.Fatalf("trial %d: box %v with limit %d: got %d, want %d", trial, b, limit, g.crossings(b, limit), min(want, limit))
				}
			}
		}
	}
}
