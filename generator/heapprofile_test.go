package generator_test

import (
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
)

// TestHeapProfileBuilder writes a heap profile of what a dev-loop builder
// (dossier serve's) keeps after its first build of HEAP_SITE to
// HEAP_PROFILE, and logs the live heap, for performance work
// (docs/performance.md); skipped without them:
//
//	HEAP_SITE=/tmp/c10k HEAP_PROFILE=/tmp/heap.pprof go test -run HeapProfileBuilder -v -timeout 30m ./generator
//	go tool pprof -sample_index=inuse_space -top /tmp/heap.pprof.0
func TestHeapProfileBuilder(t *testing.T) {
	site, out := os.Getenv("HEAP_SITE"), os.Getenv("HEAP_PROFILE")
	if site == "" || out == "" {
		t.Skip("HEAP_SITE and HEAP_PROFILE not set")
	}
	b := generator.NewBuilder(generator.Options{SiteDir: site, Theme: dossier.DefaultTheme, Serve: true, Drafts: true})
	res, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("live heap %d MB", ms.HeapAlloc>>20)
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(b)
	runtime.KeepAlive(res)
}

// TestHeapProfilePublish builds HEAP_SITE into HEAP_DEST as `dossier build
// --base-url /` does (the default memory aim, the build cache) and writes a
// heap profile at each new high of the live heap (by 2 %), so the profiles
// left are the highest points; it logs the build's high, when
// it came and the peak RSS (VmHWM), for performance work (docs/performance.md);
// HEAP_PROFILE.N is the highest point of the Nth phase (a phase ends when the
// live heap falls under 70 % of its high);
// skipped without them:
//
//	HEAP_SITE=/tmp/c10k HEAP_DEST=/tmp/out HEAP_PROFILE=/tmp/heap.pprof go test -run HeapProfilePublish -v -timeout 60m ./generator
//	go tool pprof -sample_index=inuse_space -top /tmp/heap.pprof.0
func TestHeapProfilePublish(t *testing.T) {
	site, dest, out := os.Getenv("HEAP_SITE"), os.Getenv("HEAP_DEST"), os.Getenv("HEAP_PROFILE")
	if site == "" || dest == "" || out == "" {
		t.Skip("HEAP_SITE, HEAP_DEST and HEAP_PROFILE not set")
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	start := time.Now()
	var high, local uint64 // the highest live heap, of the build and of this phase
	var highAt time.Duration
	phase := 0
	go func() {
		defer close(stopped)
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			live := sample[0].Value.Uint64()
			if live < local*7/10 {
				phase, local = phase+1, 0 // a drop: the next phase's highest point goes to a file of its own
			}
			if live <= local+local/50 {
				continue
			}
			local = live
			if live > high {
				high, highAt = live, time.Since(start)
			}
			t.Logf("phase %d: live heap %d MB at %s", phase, live>>20, time.Since(start).Round(time.Second))
			f, err := os.Create(fmt.Sprintf("%s.%d", out, phase))
			if err != nil {
				t.Error(err)
				return
			}
			if err := pprof.WriteHeapProfile(f); err != nil {
				t.Error(err)
			}
			f.Close()
		}
	}()
	opts := generator.Options{SiteDir: site, Theme: dossier.DefaultTheme, BaseURL: "/",
		MemoryLimit: 470 << 20, BuildCache: true}
	_, err := generator.Publish(opts, dest)
	close(done)
	<-stopped
	if err != nil {
		t.Fatal(err)
	}
	status, _ := os.ReadFile("/proc/self/status")
	hwm := ""
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			hwm = strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	t.Logf("highest live heap %d MB at %s of %s; peak RSS %s", high>>20, highAt.Round(time.Second), time.Since(start).Round(time.Second), hwm)
}
