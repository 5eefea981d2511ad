package generator

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"syscall"
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

func TestHeapAim(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		asked   int64
		outside uint64
		want    int64
	}{
		{480 * mb, 0, 480 * mb},
		{480 * mb, 57 * mb, 423 * mb}, // a large build's binary and runtime: the heap gets the rest
		{480 * mb, 240 * mb, 240 * mb},
		{480 * mb, 400 * mb, 240 * mb}, // never below half the aim
		{3, 10, 2},
	}
	for _, tt := range tests {
		if got := heapAim(tt.asked, tt.outside); got != tt.want {
			t.Errorf("heapAim(%d, %d) = %d, want %d", tt.asked, tt.outside, got, tt.want)
		}
	}
}

// The runtime's limit leaves room for what the process holds outside the Go
// heap, and keeps that room when the memory outside shrinks for a while.
func TestLimitMemoryLeavesRoomOutsideHeap(t *testing.T) {
	const mb = 1 << 20
	synctest.Test(t, func(t *testing.T) {
		outside := uint64(60 * mb)
		restore := limitMemoryMeasured(400*mb, func() uint64 { return outside })
		defer restore()
		time.Sleep(time.Second)
		synctest.Wait()
		if got := debug.SetMemoryLimit(-1); got != 340*mb {
			t.Errorf("limit with 60 MB outside the heap = %d MB, want 340", got/mb)
		}
		outside = 10 * mb
		time.Sleep(time.Second)
		synctest.Wait()
		if got := debug.SetMemoryLimit(-1); got != 340*mb {
			t.Errorf("limit once 50 MB outside left = %d MB, want 340 still", got/mb)
		}
	})
}

// The meter sees memory the Go runtime does not hold: 64 MB mapped and
// touched outside it.
func TestOutsideMeterSeesMemoryOutsideHeap(t *testing.T) {
	meter := openOutsideMeter()
	defer meter.close()
	if meter.statm == nil {
		t.Skip("no /proc/self/statm here")
	}
	before := meter.outside()
	const size = 64 << 20
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(mem)
	for i := 0; i < size; i += os.Getpagesize() {
		mem[i] = 1
	}
	after := meter.outside()
	if after < before+size*3/4 {
		t.Errorf("outside the heap: %d MB before, %d MB after 64 MB mapped", before>>20, after>>20)
	}
}
