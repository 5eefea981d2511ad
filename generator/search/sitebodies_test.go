package search

import (
	"html/template"
	"maps"
	"testing"

	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/urls"
)

// TestBuildSiteStoredReadsBodiesThrough: with html, a dossier's body is
// read through it, not from its Body.HTML (a one-shot build keeps the
// dossiers' bodies out of the heap while the index is made): the index is
// the one of the bodies held.
func TestBuildSiteStoredReadsBodiesThrough(t *testing.T) {
	sc := urls.NewScheme([]urls.Language{{Lang: "en"}}, false)
	site := func() *model.Site {
		d := &model.Dossier{Slug: "pact", Title: "Pact", Lang: "en", Summary: "A treaty."}
		d.Body.HTML = template.HTML("<p>The mutual assistance clause binds both parties.</p>")
		return &model.Site{Dossiers: []*model.Dossier{d}}
	}
	want, err := BuildSiteStored(site(), "en", sc, NewAnalyses(), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := site()
	spilled := map[*model.Body]string{&out.Dossiers[0].Body: string(out.Dossiers[0].Body.HTML)}
	out.Dossiers[0].Body.HTML = ""
	got, err := BuildSiteStored(out, "en", sc, NewAnalyses(), func(b *model.Body) string { return spilled[b] })
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(got, want, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Error("the index of bodies read through html differs from that of bodies held")
	}
	empty, _ := BuildSiteStored(out, "en", sc, NewAnalyses(), nil)
	if maps.EqualFunc(empty, want, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Error("the test's bodies do not show in the index")
	}
}
