package generator_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	dossier "github.com/dossier-ssg/dossier"
	"github.com/dossier-ssg/dossier/generator"
	"github.com/dossier-ssg/dossier/generator/output"
)

// recordingSink records what the dev loop hands it.
type recordingSink struct {
	mu    sync.Mutex
	taken []*output.Site
	kept  []error
}

func (r *recordingSink) Take(changes []string, site *output.Site) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.taken = append(r.taken, site)
	return "taken", nil
}

func (r *recordingSink) Keep(changes []string, err error) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.kept = append(r.kept, err)
	return "kept"
}

// The dev loop tells the builder what changed, builds, and hands a good
// build to the sink with the paths it changed, a failed one to Keep; the
// log has one line a build, and the errors under a failed one.
func TestDevLoop(t *testing.T) {
	dir := copySite(t)
	sink := &recordingSink{}
	var log strings.Builder
	dev := generator.NewDev(generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme}, sink, &log)
	dev.Rebuild(context.Background(), nil)
	if len(sink.taken) != 1 || sink.taken[0].Known || sink.taken[0].Pages == 0 || sink.taken[0].BasePath != "/" {
		t.Fatalf("first build: %+v", sink.taken)
	}
	actor := filepath.Join(dir, "content", "actors", "japan.md")
	data, err := os.ReadFile(actor)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(actor, []byte(strings.Replace(string(data), "name: ", "name: Nippon ", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	dev.Rebuild(context.Background(), []string{actor})
	if len(sink.taken) != 2 || !sink.taken[1].Known || !contains(sink.taken[1].Updated, "acteurs/japan/index.html") {
		t.Fatalf("after an edit: %+v", sink.taken[1])
	}
	if err := os.WriteFile(actor, []byte(strings.Replace(string(data), "kind: state", "kind: nope", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	dev.Rebuild(context.Background(), []string{actor})
	if len(sink.kept) != 1 || len(sink.taken) != 2 {
		t.Fatalf("a failed build: %d kept, %d taken", len(sink.kept), len(sink.taken))
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 4 || !strings.Contains(lines[0], " build → taken, in ") ||
		!strings.Contains(lines[1], "content/actors/japan.md → taken, in ") ||
		!strings.Contains(lines[2], "content/actors/japan.md → build failed in ") || !strings.Contains(lines[2], "1 error; kept") ||
		!strings.HasPrefix(lines[3], "    content/actors/japan.md:") {
		t.Errorf("log:\n%s", log.String())
	}
}

// A build cancelled by a newer save hands nothing to the sink; the next
// build, with the old changes and the new, does.
func TestDevSupersededBuild(t *testing.T) {
	dir := copySite(t)
	sink := &recordingSink{}
	var log strings.Builder
	dev := generator.NewDev(generator.Options{SiteDir: dir, Theme: dossier.DefaultTheme}, sink, &log)
	dev.Rebuild(context.Background(), nil)
	body := filepath.Join(dir, filepath.FromSlash(mainDossier))
	data, err := os.ReadFile(body)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(body, append(data, "\nUne phrase de plus.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	dev.Rebuild(cancelled, []string{body})
	if len(sink.taken) != 1 || len(sink.kept) != 0 || !strings.Contains(log.String(), "superseded by a newer save") {
		t.Fatalf("a cancelled build reached the sink (%d taken, %d kept) or was not logged:\n%s", len(sink.taken), len(sink.kept), log.String())
	}
	dev.Rebuild(context.Background(), []string{body})
	if len(sink.taken) != 2 || !contains(sink.taken[1].Updated, "dossiers/russie-coree-du-nord-pacte-2024/index.html") {
		t.Fatalf("the build after: %+v", sink.taken)
	}
}

// Disk refuses a destination that would put the sources at risk.
func TestDiskChecksTheDestination(t *testing.T) {
	dir := t.TempDir()
	if _, err := generator.Disk(dir, filepath.Join(dir, "content", "out"), nil); err == nil {
		t.Error("a destination inside content/ was accepted")
	}
	if _, err := generator.Disk(dir, filepath.Join(dir, "public"), nil); err != nil {
		t.Error(err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
