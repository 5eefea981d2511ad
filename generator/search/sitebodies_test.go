package search

import (
	"html/template"
	"maps"
	"slices"
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
	got, err := BuildSiteStored(out, "en", sc, NewAnalyses(), &Bodies{HTML: func(b *model.Body) string { return spilled[b] }})
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

// TestBuildSiteStoredReadsOnlyChangedBodies: with the bodies' keys, a
// build after the last reads back only the bodies whose key changed, and
// makes the index a build without the last build's analyses makes.
func TestBuildSiteStoredReadsOnlyChangedBodies(t *testing.T) {
	sc := urls.NewScheme([]urls.Language{{Lang: "en"}}, false)
	texts := []string{"<p>The mutual assistance clause binds both parties.</p>",
		"<p>A ceasefire along the river, monitored by observers.</p>",
		"<p>Fishing quotas for the northern waters.</p>"}
	site := func(texts []string) *model.Site {
		s := &model.Site{}
		for i, text := range texts {
			d := &model.Dossier{Slug: "d" + string(rune('a'+i)), Title: "Dossier " + string(rune('A'+i)), Lang: "en"}
			d.Body.HTML = template.HTML(text)
			s.Dossiers = append(s.Dossiers, d)
		}
		return s
	}
	// spilled hands the bodies over as a one-shot build does: HTML out of
	// the heap, read back through Bodies.HTML (counted), keyed by their text.
	spilled := func(s *model.Site, reads *int) *Bodies {
		html, keys := map[*model.Body]string{}, map[*model.Body]uint64{}
		for _, d := range s.Dossiers {
			html[&d.Body], keys[&d.Body] = string(d.Body.HTML), uint64(len(d.Body.HTML))<<32|uint64(d.Body.HTML[len(d.Body.HTML)-6])
			d.Body.HTML = ""
		}
		return &Bodies{
			HTML: func(b *model.Body) string { *reads++; return html[b] },
			Key:  func(b *model.Body) (uint64, bool) { k, ok := keys[b]; return k, ok },
		}
	}
	var reads int
	first := site(texts)
	if _, err := BuildSiteStored(first, "en", sc, NewAnalyses(), spilled(first, &reads)); err != nil || reads != 3 {
		t.Fatalf("a build without stored analyses read %d bodies of 3 (%v)", reads, err)
	}
	stored := NewAnalyses()
	s := site(texts)
	if _, err := BuildSiteStored(s, "en", sc, stored, spilled(s, new(int))); err != nil {
		t.Fatal(err)
	}
	edited := slices.Clone(texts)
	edited[1] = "<p>A ceasefire along the river, monitored by observers and the press.</p>"
	next := DecodeAnalyses(stored.Encode())
	s = site(edited)
	reads = 0
	got, err := BuildSiteStored(s, "en", sc, next, spilled(s, &reads))
	if err != nil {
		t.Fatal(err)
	}
	if reads != 1 {
		t.Errorf("a build after one body's edit read back %d bodies, want 1 (the edited one)", reads)
	}
	if next.Hits() != 2 {
		t.Errorf("%d analyses taken from the last build, want 2", next.Hits())
	}
	want, err := BuildSiteStored(site(edited), "en", sc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(got, want, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Error("the index made with the last build's analyses differs from a clean one")
	}
}

// TestQuoteContextsMadeWhenRead: a quote's context, like a dossier's
// body, is made into text only when the index reads it, not held by every
// document from the start of the index to its end (350,000 quotes at
// 100,000 dossiers); the index reads the same text.
func TestQuoteContextsMadeWhenRead(t *testing.T) {
	sc := urls.NewScheme([]urls.Language{{Lang: "en"}}, false)
	d := &model.Dossier{Slug: "pact", Title: "Pact", Lang: "en"}
	d.Body.HTML = "<p>The pact.</p>"
	q := &model.Quote{ID: "q-1", Lang: "en"}
	q.Speaker.Slug = "lee"
	q.Text.HTML = "<p>We shall sign.</p>"
	q.Context.HTML = "<p>Said at the <em>summit</em> in June.</p>"
	d.Quotes = []*model.Quote{q}
	docs, text, _ := documents(&model.Site{Dossiers: []*model.Dossier{d}}, "en", sc, nil)
	found := false
	for i, doc := range docs {
		if doc.Kind != "quote" {
			continue
		}
		found = true
		if doc.Text != "" {
			t.Errorf("the quote's document holds its context's text from the start: %q", doc.Text)
		}
		if got := text(i); got != "Said at the summit in June." {
			t.Errorf("the quote's text reads %q", got)
		}
	}
	if !found {
		t.Fatal("no quote document")
	}
}
