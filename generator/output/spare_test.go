package output

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// spareSite is a destination under test, patched build after build as a
// cached rebuild does: tree is what the last build made.
type spareSite struct {
	t    *testing.T
	dest string
	tree Tree
}

func newSpareSite(t *testing.T, tree Tree) *spareSite {
	t.Helper()
	s := &spareSite{t: t, dest: filepath.Join(t.TempDir(), "public")}
	if err := Publish(s.dest, tree, nil); err != nil {
		t.Fatal(err)
	}
	s.tree = tree
	return s
}

// patch updates the destination to tree as a cached rebuild does and
// reports whether it was staged in the spare.
func (s *spareSite) patch(tree Tree) bool {
	s.t.Helper()
	p, err := BeginPatch(s.dest, MarkerID(s.dest), slices.Collect(maps.Keys(s.tree)), nil)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, path := range slices.Sorted(maps.Keys(tree)) {
		if old, ok := s.tree[path]; ok && old.SameBytes(tree[path]) {
			continue // the build cache's "stands"
		}
		if err := p.Write(path, tree[path]); err != nil {
			s.t.Fatal(err)
		}
	}
	spared := p.Spared()
	finish, err := p.Commit(slices.Collect(maps.Keys(tree)))
	if err != nil {
		s.t.Fatal(err)
	}
	if err := finish(); err != nil {
		s.t.Fatal(err)
	}
	s.tree = tree
	return spared
}

// check compares the destination with the tree of the last build, file by
// file and folder by folder, and the spare, when there is one, with the
// destination (VerifySpare).
func (s *spareSite) check(step string) {
	s.t.Helper()
	got := walkTree(s.t, s.dest)
	want := map[string]string{Marker: markerText}
	for path, f := range s.tree {
		want[path] = string(f.Data)
		for d := filepath.Dir(path); d != "."; d = filepath.Dir(d) {
			want[d+"/"] = ""
		}
	}
	if !maps.Equal(got, want) {
		s.t.Errorf("%s: the destination holds %v, want %v", step, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	if err := VerifySpare(s.dest); err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.t.Errorf("%s: %v", step, err)
	}
}

// walkTree returns every file of root with its bytes and every folder (a
// slash at its end).
func walkTree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		data, err := os.ReadFile(p)
		out[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// siteTree is a small site: pages in folders of their own, cards side by
// side in one folder, as a build makes them.
func siteTree(pages ...string) Tree {
	tree := Tree{"index.html": {Data: []byte("home " + strings.Join(pages, ","))}}
	for _, p := range pages {
		tree["dossiers/"+p+"/index.html"] = File{Data: []byte("page " + p)}
		tree["media/card."+p+".png"] = File{Data: []byte("card " + p)}
	}
	return tree
}

// TestSpareFollowsEveryRebuild: a run of rebuilds, each staged in the
// spare the one before kept (after the first, which links the whole site),
// gives the destination each tree exactly, folders and all; and after
// each the spare differs from the destination only in the paths its
// marker lists, every other file the destination's own (a link).
func TestSpareFollowsEveryRebuild(t *testing.T) {
	s := newSpareSite(t, siteTree("a", "b", "c"))
	s.check("clean build")
	if _, err := os.Stat(SpareDir(s.dest)); err == nil {
		t.Error("a clean build left a spare")
	}
	steps := []struct {
		name string
		tree Tree
	}{
		{"a page added", siteTree("a", "b", "c", "d")},
		{"a page edited", func() Tree {
			tr := siteTree("a", "b", "c", "d")
			tr["dossiers/b/index.html"] = File{Data: []byte("page b, edited")}
			return tr
		}()},
		{"nothing changed", func() Tree {
			tr := siteTree("a", "b", "c", "d")
			tr["dossiers/b/index.html"] = File{Data: []byte("page b, edited")}
			return tr
		}()},
		{"pages removed, their folders with them", siteTree("a", "d")},
		{"deep folders", func() Tree {
			tr := siteTree("a", "d")
			tr["x/y/z/index.html"] = File{Data: []byte("deep")}
			return tr
		}()},
		{"a file where a folder was", func() Tree {
			tr := siteTree("a", "d")
			tr["x"] = File{Data: []byte("x is a file now")}
			return tr
		}()},
		{"a folder where a file was", func() Tree {
			tr := siteTree("a", "d")
			tr["x/index.html"] = File{Data: []byte("x is a folder again")}
			return tr
		}()},
		{"all pages renamed", siteTree("e", "f")},
		{"back", siteTree("a", "b", "c")},
	}
	for i, step := range steps {
		spared := s.patch(step.tree)
		s.check(step.name)
		if i > 0 && !spared {
			t.Errorf("%s: the rebuild did not use the spare", step.name)
		}
		if _, err := os.Stat(filepath.Join(SpareDir(s.dest), SpareMarker)); err != nil {
			t.Errorf("%s: no spare after a rebuild: %v", step.name, err)
		}
	}
}

// TestSpareIsNeverWrittenThrough: a file the spare shares with the
// destination (a link, unchanged in the last build) that this build
// changes is written under a new name in the spare: until the swap the
// destination's file keeps its bytes. Written through (O_TRUNC on the
// spare's name), the live site would change under the build.
func TestSpareIsNeverWrittenThrough(t *testing.T) {
	s := newSpareSite(t, siteTree("a", "b"))
	s.patch(siteTree("a", "b", "c")) // links the whole site; keeps the spare
	next := siteTree("a", "b", "c")
	next["dossiers/a/index.html"] = File{Data: []byte("page a, edited")}
	next["index.html"] = File{Data: []byte("home, edited")}
	p, err := BeginPatch(s.dest, MarkerID(s.dest), slices.Collect(maps.Keys(s.tree)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Spared() {
		t.Fatal("the rebuild did not use the spare")
	}
	page := filepath.Join(s.dest, "dossiers/a/index.html")
	for _, path := range []string{"dossiers/a/index.html", "index.html"} {
		if err := p.Write(path, next[path]); err != nil {
			t.Fatal(err)
		}
	}
	if data, _ := os.ReadFile(page); string(data) != "page a" {
		t.Errorf("staging a page in the spare changed the live site's: %q", data)
	}
	finish, err := p.Commit(slices.Collect(maps.Keys(next)))
	if err != nil {
		t.Fatal(err)
	}
	if err := finish(); err != nil {
		t.Fatal(err)
	}
	s.tree = next
	s.check("after the swap")
}

// TestSpareUntrustedIsDropped: a spare whose marker is missing, damaged or
// pairs with another state of the destination is removed, and the
// rebuild links the whole site into a new folder, as without one.
func TestSpareUntrustedIsDropped(t *testing.T) {
	damage := map[string]func(t *testing.T, marker string){
		"missing": func(t *testing.T, marker string) {
			if err := os.Remove(marker); err != nil {
				t.Fatal(err)
			}
		},
		"another destination state": func(t *testing.T, marker string) {
			data, _ := os.ReadFile(marker)
			lines := strings.SplitN(string(data), "\n", 3)
			lines[1] = `"1:2:3"`
			if err := os.WriteFile(marker, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
				t.Fatal(err)
			}
		},
		"truncated": func(t *testing.T, marker string) {
			data, _ := os.ReadFile(marker)
			if err := os.WriteFile(marker, data[:len(data)-4], 0o644); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, fn := range damage {
		t.Run(name, func(t *testing.T) {
			s := newSpareSite(t, siteTree("a", "b"))
			s.t = t
			s.patch(siteTree("a", "b", "c"))
			spare := SpareDir(s.dest)
			fn(t, filepath.Join(spare, SpareMarker))
			// What the untrusted spare holds must not reach the site.
			if err := os.WriteFile(filepath.Join(spare, "dossiers/a/index.html.x"), []byte("stray"), 0o644); err != nil {
				t.Fatal(err)
			}
			if s.patch(siteTree("a", "c", "d")) {
				t.Fatal("the rebuild used an untrusted spare")
			}
			s.check("after the rebuild")
			if e := dirEntries(t, filepath.Dir(s.dest)); strings.Join(e, " ") != ".dossier-spare-public public" {
				t.Errorf("beside the destination: %v", e)
			}
		})
	}
}

// errKilled stops a rebuild where spareStep says, as a kill would.
var errKilled = errors.New("killed")

// TestSpareHalfPatchedIsNotTrusted: a rebuild stopped at each step of its
// work on the spare (its marker removed, each file removed or linked, the
// new site marked before the swap) leaves the destination as it was, and
// the next rebuild does not trust the spare it left: it gives the right
// site, and keeps a spare of its own.
func TestSpareHalfPatchedIsNotTrusted(t *testing.T) {
	// Find the steps of a rebuild.
	var steps []string
	spareStep = func(_ *Staging, step string) { steps = append(steps, step) }
	s := newSpareSite(t, siteTree("a", "b", "c"))
	s.patch(siteTree("a", "b", "d"))
	s.patch(siteTree("a", "c", "d")) // the spare differs in b, c, d
	steps = nil
	s.patch(siteTree("a", "d", "e"))
	spareStep = nil
	if len(steps) < 4 {
		t.Fatalf("steps of a rebuild in the spare: %v", steps)
	}
	for _, at := range steps {
		t.Run(at, func(t *testing.T) {
			s := newSpareSite(t, siteTree("a", "b", "c"))
			s.t = t
			s.patch(siteTree("a", "b", "d"))
			s.patch(siteTree("a", "c", "d"))
			before := walkTree(t, s.dest)
			spareStep = func(st *Staging, step string) {
				if step == at {
					st.lock.Release() // as a killed process's lock goes with it
					panic(errKilled)
				}
			}
			func() {
				defer func() {
					if r := recover(); r != errKilled {
						panic(r)
					}
				}()
				s.patch(siteTree("a", "d", "e"))
				t.Fatal("the rebuild was not stopped")
			}()
			spareStep = nil
			if got := walkTree(t, s.dest); !maps.Equal(got, before) {
				t.Fatalf("the stopped rebuild changed the destination")
			}
			if s.patch(siteTree("a", "d", "e")) {
				t.Error("the rebuild after a stopped one trusted its spare")
			}
			s.check("the rebuild after a stopped one")
			if !s.patch(siteTree("b", "d", "e")) {
				t.Error("the rebuild after that did not use the spare")
			}
			s.check("the next rebuild")
		})
	}
}

// TestSpareNotKeptAfterAHandChange: a file dropped into the destination by
// hand, or one removed from it, changes its folder after the build's
// marker: that site, once retired, is not kept as the spare (its files
// would come back, or stay missing, two builds later).
func TestSpareNotKeptAfterAHandChange(t *testing.T) {
	for name, change := range map[string]func(dest string) error{
		"added": func(dest string) error {
			return os.WriteFile(filepath.Join(dest, "dossiers/a/stray.txt"), []byte("x"), 0o644)
		},
		"removed": func(dest string) error { return os.Remove(filepath.Join(dest, "media/card.b.png")) },
	} {
		t.Run(name, func(t *testing.T) {
			s := newSpareSite(t, siteTree("a", "b"))
			s.t = t
			s.patch(siteTree("a", "b", "c"))
			s.patch(siteTree("a", "b", "d"))
			if err := change(s.dest); err != nil {
				t.Fatal(err)
			}
			if !s.patch(siteTree("a", "b", "e")) {
				t.Error("the rebuild did not use the spare")
			}
			s.check("the rebuild after the change")
			if _, err := os.Stat(SpareDir(s.dest)); err == nil {
				t.Error("the site changed by hand was kept as the spare")
			}
			s.patch(siteTree("a", "b", "f"))
			s.check("the next rebuild")
		})
	}
}

// TestCleanBuildDropsTheSpare: a clean build (Publish) removes the spare;
// a failed one leaves it.
func TestCleanBuildDropsTheSpare(t *testing.T) {
	s := newSpareSite(t, siteTree("a", "b"))
	s.patch(siteTree("a", "b", "c"))
	if _, err := os.Stat(SpareDir(s.dest)); err != nil {
		t.Fatal("no spare after a rebuild")
	}
	if err := Publish(s.dest, siteTree("a"), nil); err != nil {
		t.Fatal(err)
	}
	if e := dirEntries(t, filepath.Dir(s.dest)); strings.Join(e, " ") != "public" {
		t.Errorf("beside the destination after a clean build: %v", e)
	}
}

// TestSpareKeptByAFailedRebuild: a rebuild that fails after it wrote into
// the spare (a page edited, a file where a folder was, a folder where a
// file was, a write that fails after its folder was made) marks the spare
// again with what it changed: the destination is untouched, the spare
// differs from it only where its marker says, and the next rebuild uses it.
func TestSpareKeptByAFailedRebuild(t *testing.T) {
	tree := func(extra Tree, pages ...string) Tree {
		tr := siteTree(pages...)
		maps.Copy(tr, extra)
		return tr
	}
	deep := Tree{"x/y/index.html": {Data: []byte("deep")}}
	s := newSpareSite(t, tree(deep, "a", "b", "c"))
	s.patch(tree(deep, "a", "b", "c", "d"))
	before := walkTree(t, s.dest)
	p, err := BeginPatch(s.dest, MarkerID(s.dest), slices.Collect(maps.Keys(s.tree)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Spared() {
		t.Fatal("the rebuild did not use the spare")
	}
	for path, f := range map[string]File{
		"dossiers/a/index.html":   {Data: []byte("page a, edited")},
		"x":                       {Data: []byte("a file where a folder was")},
		"media/card.a.png/z.png":  {Data: []byte("a folder where a file was")},
		"new/deep/index.html":     {Data: []byte("new")},
		"fail/report.pdf":         {From: filepath.Join(t.TempDir(), "missing.pdf")},
		"dossiers/b/index.html/x": {From: filepath.Join(t.TempDir(), "missing.pdf")},
	} {
		_ = p.Write(path, f)
	}
	p.Abort()
	if got := walkTree(t, s.dest); !maps.Equal(got, before) {
		t.Fatal("the failed rebuild changed the destination")
	}
	if err := VerifySpare(s.dest); err != nil {
		t.Fatalf("after a failed rebuild: %v", err)
	}
	if !s.patch(tree(deep, "a", "c", "d", "e")) {
		t.Error("the rebuild after a failed one did not use the spare")
	}
	s.check("the rebuild after a failed one")
	if !s.patch(tree(nil, "a", "b")) {
		t.Error("the next rebuild did not use the spare")
	}
	s.check("the next rebuild")
}
