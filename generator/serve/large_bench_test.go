package serve

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/dossier-ssg/dossier/internal/corpus"
)

// BenchmarkSaveToReloadLarge measures save-to-reload on a generated site:
// DOSSIER_BENCH_DOSSIERS dossiers (default 1,000; the figure is
// 10,000). It reports the full first build next to the per-save time, so
// the ratio says how incremental a save is.
//
//	DOSSIER_BENCH_DOSSIERS=10000 go test -run XXX -bench SaveToReloadLarge -benchtime 20x ./generator/serve
func BenchmarkSaveToReloadLarge(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("DOSSIER_BENCH_DOSSIERS")); err == nil && v > 0 {
		n = v
	}
	dir := b.TempDir()
	c := corpus.Generate(corpus.Options{Dossiers: n, Seed: 1})
	if _, err := c.Write(dir, ""); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	ts, eb := startSite(b, dir, io.Discard)
	first := time.Since(start)
	index := filepath.Join(dir, "content", "dossiers", c.Dossiers[n/2].Slug, "index.md")
	orig := readFile(b, index)
	conn := dialEvents(b, ts.addr)
	conn.expect(b, "hello")
	eb.builds.Store(0)
	eb.nanos.Store(0)
	saveUntilReloads(b, conn, index, orig, 60*time.Second)
	b.ReportMetric(float64(first.Milliseconds()), "first-build-ms")
	if builds := eb.builds.Load(); builds > 0 && b.N > 0 {
		perSave := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 1e6
		b.ReportMetric(float64(eb.nanos.Load())/float64(builds)/1e6, "build-ms/op")
		b.ReportMetric(float64(first.Milliseconds())/perSave, "full/save-ratio")
	}
}
