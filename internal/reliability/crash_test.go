package reliability

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dossier-ssg/dossier/generator/output"
)

// TestKilledBuildLeavesACompleteSite builds the dossier binary, generates a
// site large enough that a build takes a while, and kills `dossier build`
// with SIGKILL at random moments. After every kill public/ must be exactly
// one of the two known-good builds (the previous site or the new one), and
// the staging folders a killed build leaves must not break the next build.
//
// The kill times come from a seeded generator; the seed is logged, and
// DOSSIER_CRASH_SEED=<seed> replays a run.
func TestKilledBuildLeavesACompleteSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and a large site; skipped with -short")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the atomic swap (RENAME_EXCHANGE) is Linux-only; elsewhere there is a short window without public/")
	}
	deadline := time.Now().Add(35 * time.Second)
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "dossier")
	build := exec.Command("go", "build", "-o", bin, "./cmd/dossier")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	site := filepath.Join(tmp, "site")
	public := filepath.Join(site, "public")
	writeLargeSite(t, site, 'A')
	runBuild := func() time.Duration {
		t.Helper()
		start := time.Now()
		if out, err := exec.Command(bin, "build", "--source", site).CombinedOutput(); err != nil {
			t.Fatalf("dossier build: %v\n%s", err, out)
		}
		return time.Since(start)
	}
	// The two known-good sites, each from a build that was not interrupted.
	took := runBuild()
	good := map[byte]manifest{'A': readManifest(t, public)}
	writeLargeSite(t, site, 'B')
	took = max(took, runBuild())
	good['B'] = readManifest(t, public)
	if len(good['A']) < 2*siteDossiers || good['A'].diff(good['B']) == "" {
		t.Fatalf("the two versions should be large and differ: %d and %d files", len(good['A']), len(good['B']))
	}
	// A third build is staged in the spare the second kept, and is the
	// fastest: the kills are timed by it, so that they land in the work
	// on the spare too (a kill there must leave a spare the next build
	// drops).
	writeLargeSite(t, site, 'A')
	spared := runBuild()
	if d := readManifest(t, public).diff(good['A']); d != "" {
		t.Fatalf("the build staged in the spare differs from a clean one: %s", d)
	}
	t.Logf("a build of %d files takes %v, staged in the spare %v", len(good['A']), took, spared)
	took = spared
	if took < 300*time.Millisecond {
		t.Logf("warning: builds are fast here (%v); the kills may land after the swap", took)
	}

	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("DOSSIER_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (DOSSIER_CRASH_SEED=%d replays this run)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed))

	current := byte('A') // what public/ holds
	for i := 0; i < 8 && (i == 0 || time.Until(deadline) > 2*took); i++ {
		next := byte('A' + 'B' - current)
		writeLargeSite(t, site, next)
		// took is a build staged in the spare: about half the kills land
		// in one (early ones during reading and rendering, the rest where
		// the spare is patched, written and swapped), the rest let it end
		// and its spare be kept for the next. A build after a kill during
		// the work on the spare links the whole site into a new folder and
		// takes several times longer: most kills land in that one.
		after := time.Duration(float64(took) * (0.1 + 2.4*rng.Float64()))
		_, spareErr := os.Stat(filepath.Join(site, ".dossier-spare-public", output.SpareMarker))
		hadSpare := spareErr == nil
		cmd := exec.Command(bin, "build", "--source", site)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		timer := time.AfterFunc(after, func() { _ = cmd.Process.Kill() })
		err := cmd.Wait()
		killed := !timer.Stop() && err != nil
		got := readManifest(t, public)
		switch {
		case got.diff(good[next]) == "":
			current = next
		case got.diff(good[current]) == "":
		default:
			t.Fatalf("kill %d after %v (killed=%v): public/ is neither the previous site (%s) nor the new one (%s)",
				i, after, killed, got.diff(good[current]), got.diff(good[next]))
		}
		if err := output.VerifySpare(public); err != nil && !errors.Is(err, fs.ErrNotExist) && !killed {
			t.Fatalf("kill %d: a build that was not killed left a spare that is not the site's: %v", i, err)
		}
		_, spareErr = os.Stat(filepath.Join(site, ".dossier-spare-public", output.SpareMarker))
		t.Logf("kill %d after %v: killed=%v, public/ holds version %c, spare before %v, marked after %v, leftovers %v",
			i, after.Round(time.Millisecond), killed, current, hadSpare, spareErr == nil, leftovers(t, site))
	}

	// A build after the kills succeeds, gives the site of the sources and
	// removes what the killed builds left.
	final := byte('A' + 'B' - current)
	writeLargeSite(t, site, final)
	runBuild()
	if d := readManifest(t, public).diff(good[final]); d != "" {
		t.Fatalf("the build after the kills differs from a clean one: %s", d)
	}
	if l := leftovers(t, site); len(l) > 0 {
		t.Fatalf("staging folders survive a complete build: %v", l)
	}
	// Two more builds: the second is staged in the spare the first kept
	// (the first may be clean, after a kill that left a stale cache), and
	// keeps the site it retires as the spare, which differs from public/
	// only where its marker says.
	for range 2 {
		final = byte('A' + 'B' - final)
		writeLargeSite(t, site, final)
		runBuild()
		if d := readManifest(t, public).diff(good[final]); d != "" {
			t.Fatalf("a rebuild after the kills differs from a clean one: %s", d)
		}
	}
	if err := output.VerifySpare(public); err != nil {
		t.Fatalf("after two builds: %v", err)
	}
}

// siteDossiers is the size of the generated site: about 3,000 output files,
// a build of a second or more on a laptop (the test needs ≥ 300 ms), small
// enough that the test stays well under a minute on two cores.
const siteDossiers = 800

// writeLargeSite writes (or rewrites) a generated site of siteDossiers
// dossiers with actors, treaties, tags and quotes. Version 'B' differs from 'A' in one
// title, one dossier less and one more, so the two outputs differ in bytes
// and in their file sets.
func writeLargeSite(t *testing.T, site string, version byte) {
	t.Helper()
	const dossiers, actors, treaties = siteDossiers, 120, 30
	if _, err := os.Stat(filepath.Join(site, "dossier.toml")); err != nil {
		writeFile(t, site, "dossier.toml", []byte("title = \"Crash test\"\nlanguage = \"en\"\nbaseURL = \"https://example.org/\"\n"))
		kinds := []string{"person", "state", "organisation"}
		for a := 0; a < actors; a++ {
			writeFile(t, site, fmt.Sprintf("content/actors/actor-%03d.md", a), fmt.Appendf(nil,
				"---\nname: Actor %d\nkind: %s\naliases: [\"Alias %d\"]\nrole: Role of actor %d\n---\nProfile of actor %d, who knows [[actor-%03d]].\n",
				a, kinds[a%3], a, a, a, (a+1)%actors))
		}
		for k := 0; k < treaties; k++ {
			writeFile(t, site, fmt.Sprintf("content/treaties/treaty-%02d.md", k), fmt.Appendf(nil,
				"---\ntitle: Treaty %d\nsigned: %d-0%d-1%d\nparties: [actor-%03d, actor-%03d]\nstatus: in-force\n---\nText of treaty %d.\n",
				k, 1950+k, 1+k%9, k%10, k%actors, (k+7)%actors, k))
		}
		for d := 0; d < dossiers; d++ {
			writeDossier(t, site, d, fmt.Sprintf("Dossier %d", d))
		}
	}
	title, drop, add := "Dossier 0", 1, dossiers
	if version == 'B' {
		title, drop, add = "Dossier 0, revised", dossiers, 1
	}
	writeDossier(t, site, 0, title)
	writeDossier(t, site, add, fmt.Sprintf("Dossier %d", add))
	if err := os.RemoveAll(filepath.Join(site, "content/dossiers", fmt.Sprintf("dossier-%04d", drop))); err != nil {
		t.Fatal(err)
	}
}

func writeDossier(t *testing.T, site string, d int, title string) {
	t.Helper()
	const actors, treaties = 120, 30
	a1, a2, a3 := d%actors, (d*7+3)%actors, (d*13+5)%actors
	if a2 == a1 {
		a2 = (a2 + 1) % actors
	}
	for a3 == a1 || a3 == a2 {
		a3 = (a3 + 1) % actors
	}
	var body strings.Builder
	for p := 0; p < 5; p++ {
		fmt.Fprintf(&body, "Paragraph %d of dossier %d: [[actor-%03d]] met [[Alias %d]] about the [[treaty-%02d]]. "+
			"The talks went on for hours, and the statement that followed was long and careful.\n\n", p, d, a1, a2, d%treaties)
	}
	dir := fmt.Sprintf("content/dossiers/dossier-%04d/", d)
	writeFile(t, site, dir+"index.md", fmt.Appendf(nil,
		"---\ntitle: %q\ndate: %d-%02d-%02d\nsummary: Summary of dossier %d.\nactors: [actor-%03d, actor-%03d, actor-%03d]\ntreaties: [treaty-%02d]\ntags: [tag-%d, topic-%d]\n---\n%s",
		title, 2000+d%24, 1+d%12, 1+d%28, d, a1, a2, a3, d%treaties, d%20, d%7, body.String()))
	writeFile(t, site, dir+"quotes.md", fmt.Appendf(nil,
		"> We have agreed on everything in dossier %d.\n>\n> — [[actor-%03d]], %d-%02d-%02d, at the press conference\n\n> Nothing was agreed.\n>\n> — [[Alias %d]], %d-%02d-%02d\n",
		d, a1, 2000+d%24, 1+d%12, 1+d%28, a2, 2000+d%24, 1+d%12, 1+d%28))
}
