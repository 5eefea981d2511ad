package generator

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"testing/synctest"
	"time"
)

func TestLimitFor(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		asked int64
		live  uint64
		want  int64
	}{
		{450 * mb, 0, 450 * mb},
		{450 * mb, 300 * mb, 450 * mb}, // 1.4× is 420 MB: the limit asked holds
		{450 * mb, 400 * mb, 560 * mb}, // the site needs more: room to collect in
		{1, 10, 14},                    // small numbers round down, never below the live heap
		{450 * mb, math.MaxUint64, math.MaxInt64},
	}
	for _, tt := range tests {
		if got := limitFor(tt.asked, tt.live); got != tt.want {
			t.Errorf("limitFor(%d, %d) = %d, want %d", tt.asked, tt.live, got, tt.want)
		}
	}
}

// A limit below the live heap is raised to 1.4× the live heap while the
// build runs, and lowered again when the live heap falls; the previous
// limit is back once the build is over. On the fake
// clock of a synctest bubble: the sampler's ticks come when the test says.
func TestLimitMemoryFollowsLiveHeap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		before := debug.SetMemoryLimit(-1)
		restore := limitMemory(1 << 20)
		if got := debug.SetMemoryLimit(-1); got != 1<<20 {
			t.Errorf("limit during the build = %d, want %d", got, 1<<20)
		}
		live := make([][]byte, 64) // 64 MB kept reachable
		for i := range live {
			live[i] = make([]byte, 1<<20)
		}
		runtime.GC()            // the live heap now counts them
		time.Sleep(time.Second) // many sampling periods on the fake clock
		synctest.Wait()         // the sampler has seen it, and is waiting for its next tick
		if got := debug.SetMemoryLimit(-1); got < 64<<20*7/5 {
			t.Errorf("limit stayed at %d with 64 MB live", got)
		}
		runtime.KeepAlive(live)
		live = nil
		runtime.GC() // the 64 MB are no longer live: the limit comes back down
		time.Sleep(time.Second)
		synctest.Wait()
		if got := debug.SetMemoryLimit(-1); got >= 64<<20 {
			t.Errorf("limit stayed at %d once the 64 MB were freed", got)
		}
		restore()
		if got := debug.SetMemoryLimit(-1); got != before {
			t.Errorf("limit after the build = %d, want %d back", got, before)
		}
	})
}

func TestNoMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	limitMemory(0)()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit = %d, want %d untouched", got, before)
	}
}
