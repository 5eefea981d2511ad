package serve

import (
	"context"
	"errors"
	"testing"

	"github.com/dossier-ssg/dossier/generator"
)

// A rebuild cancelled by a newer save changes nothing: the site served, its
// generation and the error overlay stay as they were; the log says so.
func TestSupersededRebuildChangesNothing(t *testing.T) {
	fb := &fakeBuild{tree: siteTree(cssV1, "")}
	cancelNext := false
	build := func(ctx context.Context) (*generator.Result, error) {
		if cancelNext {
			<-ctx.Done() // a build stuck on a slow text until the newer save
			return nil, ctx.Err()
		}
		return fb.build(ctx)
	}
	ts := startServer(t, Config{Build: build}, nil)
	before := ts.site.Load()
	cancelNext = true
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep := ts.rebuild(ctx, []string{"content/actors/a.md"})
	if rep.Action != "superseded" || !errors.Is(rep.Err, context.Canceled) {
		t.Fatalf("report %+v, want superseded", rep)
	}
	if ts.site.Load() != before {
		t.Error("a superseded rebuild replaced the site served")
	}
	ts.hub.mu.Lock()
	problems := ts.hub.problems
	ts.hub.mu.Unlock()
	if problems != nil {
		t.Errorf("a superseded rebuild shows problems: %v", problems)
	}
}
