package resolve

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/parse"
)

// describe prints what resolution derives, by slugs, so two resolutions of
// different values can be compared.
func describe(s *model.Site) string {
	var b strings.Builder
	slugs := func(list []*model.Dossier) string {
		var out []string
		for _, d := range list {
			out = append(out, d.Slug)
		}
		return strings.Join(out, ",")
	}
	for _, d := range s.Dossiers {
		fmt.Fprintf(&b, "dossier %s links=%v mentioned=%s related=", d.Slug, d.Body.Links, slugs(d.MentionedBy))
		for _, r := range d.Related {
			fmt.Fprintf(&b, "%s:%d,", r.Dossier.Slug, r.Score)
		}
		for _, q := range d.Quotes {
			fmt.Fprintf(&b, " q=%s/%s/%s", q.ID, q.SpeakerActor.Slug, q.Text.LinkSig)
		}
		b.WriteByte('\n')
	}
	for _, a := range s.Actors {
		fmt.Fprintf(&b, "actor %s dossiers=%s mentioned=%s quotes=%d\n", a.Slug, slugs(a.Dossiers), slugs(a.MentionedBy), len(a.Quotes))
	}
	for _, q := range s.Quotes {
		fmt.Fprintf(&b, "quote %s %s\n", q.Dossier.Slug, q.ID)
	}
	for _, tag := range s.Tags {
		fmt.Fprintf(&b, "tag %s %s\n", tag.Slug, slugs(tag.Dossiers))
	}
	return b.String()
}

// TestCachePatches: edits no other file sees are patched in, with every
// backlink and list as a full resolution makes them; others resolve again.
func TestCachePatches(t *testing.T) {
	files := map[string]string{}
	for _, a := range [][2]string{{"kim", "Kim"}, {"putin", "Putin"}, {"lee", "Lee"}} {
		k, v := actor(a[0], a[1])
		files[k] = v
	}
	dossier := func(slug, date, body string) {
		files["content/dossiers/"+slug+"/index.md"] = "---\ntitle: " + slug + "\ndate: " + date + "\nactors: [kim, putin]\ntags: [t]\n---\n" + body + "\n"
		files["content/dossiers/"+slug+"/quotes.md"] = "> Words of " + slug + ".\n>\n> — [[kim]], " + date + ", context\n"
	}
	// body rewrites a dossier's index.md only: its quotes stay.
	body := func(slug, date, text string) {
		files["content/dossiers/"+slug+"/index.md"] = "---\ntitle: " + slug + "\ndate: " + date + "\nactors: [kim, putin]\ntags: [t]\n---\n" + text + "\n"
	}
	dossier("a", "2024-01-01", "About [[lee]].")
	dossier("b", "2024-02-01", "See [[a]].")
	dossier("c", "2023-02-01", "Plain.")
	cache, pc := NewCache(), parse.NewCache()
	resolve := func(withCache bool) (*model.Site, *Cache) {
		var errs diag.List
		var s *model.Site
		if withCache {
			s, _ = Site(parseSite(t, files, pc), Options{Cache: cache}, &errs)
		} else {
			s, _ = Site(site(t, files), Options{}, &errs)
		}
		if errs.Len() > 0 {
			t.Fatalf("resolve: %v", errs.Err())
		}
		return s, cache
	}
	resolve(true)
	for _, step := range []struct {
		name  string
		edit  func()
		patch bool
	}{
		{"body", func() { body("c", "2023-02-01", "Plain, longer.") }, true},
		{"new mention of an actor and a dossier", func() { body("c", "2023-02-01", "Now [[lee]] and [[b]].") }, true},
		{"mention dropped", func() { body("a", "2024-01-01", "Nothing.") }, true},
		{"quote context", func() {
			files["content/dossiers/b/quotes.md"] = "> Words of b.\n>\n> — [[kim]], 2024-02-01, context with [[putin]]\n"
		}, true},
		{"two dossiers linking each other", func() {
			body("a", "2024-01-01", "See [[c]].")
			body("c", "2023-02-01", "See [[a]].")
		}, true},
		// A quote's ID comes from its text: a new text is a new page.
		{"quote text", func() {
			files["content/dossiers/b/quotes.md"] = "> Other words.\n>\n> — [[kim]], 2024-02-01, context\n"
		}, false},
		{"new date", func() { body("c", "2025-02-01", "See [[a]].") }, false},
		{"actor renamed", func() { k, v := actor("lee", "Lee Jae-myung"); files[k] = v }, false},
		{"body after a full resolution", func() { body("b", "2024-02-01", "See [[c]].") }, true},
	} {
		step.edit()
		got, c := resolve(true)
		if patched := c.LastPatch() != nil; patched != step.patch {
			t.Errorf("%s: patched %v, want %v", step.name, patched, step.patch)
		}
		want, _ := resolve(false)
		g, w := describe(got), describe(want)
		if g != w {
			t.Fatalf("%s: patched resolution differs:\n%s\nwant\n%s", step.name, g, w)
		}
		for _, q := range got.Quotes {
			if !slices.Contains(got.Dossiers, q.Dossier) || !slices.Contains(q.Dossier.Quotes, q) {
				t.Fatalf("%s: quote %s is not its dossier's", step.name, q.ID)
			}
		}
	}
}
