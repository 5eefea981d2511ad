package graph

import (
	"math/rand/v2"
	"testing"
)

// bisect is kindSlots' bisection with the given test.
func bisect(hi float64, above func(float64) bool) float64 {
	lo := 0.0
	for range 60 {
		mid := (lo + hi) / 2
		if above(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// TestAboveMatchesBisection checks that newAbove answers kindSlots'
// bisection exactly as evaluating capacity every time does, with fewer
// evaluations, on capacities like kindSlots' and on edge cases.
func TestAboveMatchesBisection(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n := 1 + r.IntN(720)
		ds, ext := make([]float64, n), make([]float64, n)
		for k := range ds {
			ds[k] = r.Float64() * 3
			ext[k] = 6 + r.Float64()*r.Float64()*200
		}
		evals := 0
		capacity := func(sigma float64) float64 {
			evals++
			c := 0.0
			for k := range ds {
				c += ds[k] / (ext[k] + sigma)
			}
			return c
		}
		hi := 100 + r.Float64()*4000
		c0 := capacity(0)
		var units float64
		switch trial % 10 {
		case 0:
			units = c0 // capacity(0) == units: never above at 0
		case 1:
			units = capacity(hi) * 0.999 // above everywhere in [0, hi]
		case 2:
			units = capacity(hi * r.Float64()) // exactly a capacity value
		default:
			units = capacity(hi) + r.Float64()*(c0-capacity(hi))
		}
		want := bisect(hi, func(s float64) bool { return capacity(s) > units })
		evals = 0
		got := bisect(hi, newAbove(capacity, units, c0, hi, monotone(ds, ext, units)))
		if got != want {
			t.Fatalf("trial %d: σ = %v, want %v", trial, got, want)
		}
		if evals > 40 && units != c0 { // c0 == units: nothing known, plain bisection
			t.Errorf("trial %d: %d evaluations of capacity, the plain bisection needs 60", trial, evals)
		}
	}
	if monotone([]float64{1, -1}, []float64{6, 6}, 1) || monotone([]float64{1}, []float64{0}, 1) {
		t.Errorf("monotone accepts a negative arc or a zero extent")
	}
}
