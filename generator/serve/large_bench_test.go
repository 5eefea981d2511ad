package serve

import (
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/dossier-ssg/dossier/internal/corpus"
)

// BenchmarkSaveToReloadLarge measures save-to-reload on a generated site:
// DOSSIER_BENCH_DOSSIERS dossiers (default 1,000; the figure is
// 10,000). It reports the full first build next to the per-save time, so
// the ratio says how incremental a save is. SAVE_CPUPROFILE=file profiles
// the saves alone, without the first build. DOSSIER_BENCH_SITE=folder
// serves that site instead (in place: its image cache stays warm from
// one run to the next; the file saved is restored at the end).
//
//	DOSSIER_BENCH_DOSSIERS=10000 go test -run XXX -bench SaveToReloadLarge -benchtime 20x ./generator/serve
func BenchmarkSaveToReloadLarge(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("DOSSIER_BENCH_DOSSIERS")); err == nil && v > 0 {
		n = v
	}
	dir := os.Getenv("DOSSIER_BENCH_SITE")
	var slug string
	if dir == "" {
		dir = b.TempDir()
		c := corpus.Generate(corpus.Options{Dossiers: n, Seed: 1})
		if _, err := c.Write(dir, ""); err != nil {
			b.Fatal(err)
		}
		slug = c.Dossiers[n/2].Slug
	} else {
		entries, err := os.ReadDir(filepath.Join(dir, "content", "dossiers"))
		if err != nil || len(entries) == 0 {
			b.Fatal("no dossiers in", dir, err)
		}
		slug = entries[len(entries)/2].Name()
	}
	start := time.Now()
	ts, eb := startSite(b, dir, io.Discard)
	first := time.Since(start)
	index := filepath.Join(dir, "content", "dossiers", slug, "index.md")
	orig := readFile(b, index)
	b.Cleanup(func() { writeFile(b, index, orig) })
	conn := dialEvents(b, ts.addr)
	conn.expect(b, "hello")
	eb.builds.Store(0)
	eb.nanos.Store(0)
	if p := os.Getenv("SAVE_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		_ = pprof.StartCPUProfile(f)
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	cpu0 := cpuTime()
	each := saveUntilReloads(b, conn, index, orig, 60*time.Second)
	if len(each) > 0 {
		// The median save, which a save slowed by the machine's load
		// moves less than the mean (ns/op).
		slices.Sort(each)
		b.ReportMetric(float64(each[len(each)/2].Microseconds())/1e3, "median-ms")
	}
	if b.N > 0 {
		// User and system time of the process (server, dev loop and
		// client): what a save costs, whatever the machine's load.
		b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
	}
	b.ReportMetric(float64(first.Milliseconds()), "first-build-ms")
	if builds := eb.builds.Load(); builds > 0 && b.N > 0 {
		perSave := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 1e6
		b.ReportMetric(float64(eb.nanos.Load())/float64(builds)/1e6, "build-ms/op")
		b.ReportMetric(float64(first.Milliseconds())/perSave, "full/save-ratio")
	}
}

// cpuTime is the user and system time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
