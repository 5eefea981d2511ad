package generator_test

import (
	"os"
	"runtime"
	"runtime/pprof"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
)

// TestHeapProfileBuilder writes a heap profile of what a dev-loop builder
// (dossier serve's) keeps after its first build of HEAP_SITE to
// HEAP_PROFILE, and logs the live heap, for performance work
// (docs/performance.md); skipped without them:
//
//	HEAP_SITE=/tmp/c10k HEAP_PROFILE=/tmp/heap.pprof go test -run HeapProfileBuilder -v -timeout 30m ./generator
//	go tool pprof -sample_index=inuse_space -top /tmp/heap.pprof
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
