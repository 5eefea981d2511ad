package generator

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// liveHeapMetric is the heap still reachable at the end of the last garbage
// collection: what the build cannot give back, whatever the limit.
const liveHeapMetric = "/gc/heap/live:bytes"

// limitMemory sets the Go runtime's soft memory limit to limit bytes for the
// length of one build (Options.MemoryLimit) and returns what puts the
// previous limit back. The collector then works harder as the build nears
// the limit, trading CPU for memory.
//
// A bare limit (GOMEMLIMIT) below what a site needs makes the collector run
// without pause and the build crawl. Here the limit follows the live heap
// instead (limitFor), up and back down to the limit asked, so a large site
// is built with a little more memory than asked rather than not at all,
// and only while it needs it.
func limitMemory(limit int64) (restore func()) {
	if limit <= 0 {
		return func() {}
	}
	previous := debug.SetMemoryLimit(limit)
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		sample := []metrics.Sample{{Name: liveHeapMetric}}
		current := limit
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return // the runtime no longer offers the metric: keep the limit as set
			}
			// Down too: a build's live heap is highest for a moment (its
			// search index), and a limit held there after would let the
			// heap grow to it through every later stage.
			if next := limitFor(limit, sample[0].Value.Uint64()); next != current {
				current = next
				debug.SetMemoryLimit(current)
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
		debug.SetMemoryLimit(previous)
	}
}

// limitFor is the soft limit for a live heap of live bytes under a limit
// asked for: the limit, or 1.4 times the live heap when that is more. The
// collector needs room above the live heap to work in; at 1.4× it costs
// some CPU rather than stalling the build (docs/performance.md, "Why the
// code is shaped this way").
func limitFor(asked int64, live uint64) int64 {
	if live > math.MaxInt64/2 {
		return math.MaxInt64
	}
	return max(asked, int64(live)*7/5)
}
