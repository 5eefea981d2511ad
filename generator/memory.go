package generator

import (
	"bytes"
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"time"
)

// The runtime metrics the memory aim reads: the heap still reachable at the
// end of the last garbage collection (what the build cannot give back,
// whatever the limit), and the memory the Go runtime holds mapped (all of
// it, less what it has given back to the system).
const (
	liveHeapMetric   = "/gc/heap/live:bytes"
	goMappedMetric   = "/memory/classes/total:bytes"
	goReleasedMetric = "/memory/classes/heap/released:bytes"
)

// limitMemory sets the Go runtime's soft memory limit for the length of one
// build (Options.MemoryLimit) so that the process stays near limit bytes,
// and returns what puts the previous limit back. The collector then works
// harder as the build nears the limit, trading CPU for memory.
//
// The runtime's limit counts only the memory the runtime maps. The process
// also holds its binary's pages and whatever else is resident outside the
// Go heap (~40–60 MB for a large build), so the limit given to the runtime
// is the aim less that (outsideMeter): --memory-limit means the process's
// peak, not the heap's.
//
// A bare limit (GOMEMLIMIT) below what a site needs makes the collector run
// without pause and the build crawl. Here the limit follows the live heap
// instead (limitFor), up and back down to the limit asked, so a large site
// is built with a little more memory than asked rather than not at all,
// and only while it needs it.
func limitMemory(limit int64) (restore func()) {
	meter := openOutsideMeter()
	unlimit := limitMemoryMeasured(limit, meter.outside)
	return func() {
		unlimit()
		meter.close()
	}
}

// limitMemoryMeasured is limitMemory with the memory outside the Go heap
// read by outside (the tests give their own).
func limitMemoryMeasured(limit int64, outside func() uint64) (restore func()) {
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
		var mostOutside uint64
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
			// The most seen, not the last: pages outside the heap (the
			// binary's) come and go with the kernel's reclaim, and a limit
			// that rose each time they left would let the heap take their
			// place just before they come back.
			mostOutside = max(mostOutside, outside())
			// Down too: a build's live heap is highest for a moment (its
			// search index), and a limit held there after would let the
			// heap grow to it through every later stage.
			if next := limitFor(heapAim(limit, mostOutside), sample[0].Value.Uint64()); next != current {
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

// heapAim is the part of a process's aim of asked bytes left to the Go
// runtime when outside bytes are resident beyond it: never below half the
// aim, so that a process with much memory outside the heap (a large binary
// on a small aim) still builds rather than collecting without pause.
func heapAim(asked int64, outside uint64) int64 {
	if outside >= uint64(asked/2) {
		return asked - asked/2
	}
	return asked - int64(outside)
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

// outsideMeter reads how much of the process's resident memory the Go
// runtime does not hold: its resident size (/proc/self/statm, opened once
// and read again at offset 0 at each sample) less the memory the runtime
// maps. Where there is no /proc (not Linux) it reads zero, and the aim is
// the heap's, as before.
type outsideMeter struct {
	statm  *os.File
	buf    [128]byte
	sample []metrics.Sample
}

func openOutsideMeter() *outsideMeter {
	statm, err := os.Open("/proc/self/statm")
	if err != nil {
		return &outsideMeter{}
	}
	return &outsideMeter{
		statm:  statm,
		sample: []metrics.Sample{{Name: goMappedMetric}, {Name: goReleasedMetric}},
	}
}

func (m *outsideMeter) outside() uint64 {
	if m.statm == nil {
		return 0
	}
	resident, ok := residentBytes(m.statm, m.buf[:])
	if !ok {
		return 0
	}
	metrics.Read(m.sample)
	if m.sample[0].Value.Kind() != metrics.KindUint64 || m.sample[1].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	mapped := m.sample[0].Value.Uint64() - m.sample[1].Value.Uint64()
	if resident <= mapped {
		// The runtime maps more than is resident (pages it has not
		// touched yet): nothing outside can be told apart.
		return 0
	}
	return resident - mapped
}

func (m *outsideMeter) close() {
	if m.statm != nil {
		m.statm.Close()
	}
}

// residentBytes reads the process's resident size from statm (its second
// field, in pages).
func residentBytes(statm *os.File, buf []byte) (uint64, bool) {
	n, _ := statm.ReadAt(buf, 0)
	fields := bytes.Fields(buf[:n])
	if len(fields) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseUint(string(fields[1]), 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * uint64(os.Getpagesize()), true
}
