package render

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/reads"
	"github.com/dossier-ssg/dossier/generator/view"
)

// prepareSite is a small site whose entities have every field a page's
// Prepare may read set, and every pointer it may follow non-nil.
func prepareSite(t *testing.T) (*model.Site, *view.SiteInfo, config.Site) {
	t.Helper()
	cfg := config.Default()
	cfg.BaseURL = "https://example.org/site/"
	cfg.Languages = map[string]config.Language{"en": {Title: "Dossiers"}} // a language a Lang can change to
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	info := view.NewSiteInfo(cfg, false)
	day := func(d int) model.Date { return model.Date{Time: time.Date(2024, 3, d, 0, 0, 0, 0, time.UTC)} }
	card := func(name string) *model.Card {
		return &model.Card{Path: "media/card." + name + ".png", Width: 1200, Height: 630, Alt: name}
	}
	pic := func(name string) *model.Picture {
		return &model.Picture{Src: "/media/" + name + ".jpg", Width: 800, Height: 600, Alt: name, Caption: "c", Credit: "cr"}
	}
	state := &model.Actor{Slug: "vazanee", Lang: "fr", Name: "Vazanée", Kind: model.KindState, Role: "État", Picture: pic("v"), Card: card("v")}
	person := &model.Actor{Slug: "rosa", Lang: "fr", Name: "Rosa Aksoy", Kind: model.KindPerson, Role: "Ministre",
		Aliases: []model.Ref{{Slug: "RA"}}, Country: model.Ref{Slug: "vazanee"}, CountryActor: state, Picture: pic("r"), Card: card("r")}
	d := &model.Dossier{Slug: "pacte", Lang: "fr", Title: "Le pacte", Date: day(2), Updated: day(4), Summary: "Un résumé.",
		Source:  model.Source{Publisher: "La Gazette", URL: "https://example.com/a", Published: day(3), Author: "Q. H."},
		Authors: []string{"A. B."}, ActorList: []*model.Actor{person, state}, Picture: pic("d"), Card: card("d"),
		Body: model.Body{HTML: "<p>Le corps.</p>"}}
	said := &model.Quote{ID: "q-rosa-1", Dossier: d, Lang: "fr", Speaker: model.Ref{Slug: "rosa"}, Date: day(2), Kind: model.QuoteFull,
		Key: true, SourceURL: "https://example.com/q", Text: model.Body{HTML: "<p>Nous « signerons » demain, dit-elle, sans attendre la fin des pourparlers qui durent depuis des mois.</p>"},
		SpeakerActor: person, Card: card("q1")}
	reported := &model.Quote{ID: "q-x-2", Dossier: d, Lang: "fr", Speaker: model.Ref{Slug: "x"}, Date: day(2), Undated: true,
		Kind: model.QuoteReported, Text: model.Body{HTML: "<p>Il aurait refusé.</p>"}, SpeakerActor: state, Card: card("q2")}
	unknown := &model.Quote{ID: "q-y-3", Dossier: d, Lang: "fr", Speaker: model.Ref{Slug: "y"}, Date: day(3), Kind: model.QuoteFragment,
		Text: model.Body{HTML: "<p>Un fragment.</p>"}} // a speaker without a page
	d.Quotes = []*model.Quote{said, reported, unknown}
	bare := &model.Dossier{Slug: "nu", Lang: "fr", Title: "Sans auteur", Date: day(5), Body: model.Body{HTML: "<p>Rien.</p>"}}
	tr := &model.Treaty{Slug: "traite", Lang: "fr", Title: "Le traité", Signed: day(1), Status: "in-force",
		PartyList: []*model.Actor{person, state}, Picture: pic("t"), Card: card("t")}
	person.Dossiers, state.Dossiers, tr.Dossiers = []*model.Dossier{d}, []*model.Dossier{d}, []*model.Dossier{d}
	person.Quotes = []*model.Quote{said}
	site := &model.Site{Dossiers: []*model.Dossier{bare, d}, Actors: []*model.Actor{person, state}, Treaties: []*model.Treaty{tr},
		Quotes: []*model.Quote{unknown, said, reported}}
	return site, info, cfg
}

// writes says which of a page's Title, Description and JSON-LD its
// Prepare fills (the others the template reads from the page as listed).
func writes(page view.Page, prepare func(*view.Page)) (w [3]bool) {
	const mark = "\x00not written"
	page.Title, page.Description, page.JSONLD = mark, mark, nil
	prepare(&page)
	return [3]bool{page.Title != mark, page.Description != mark, page.JSONLD != nil}
}

// made sums what a page's Prepare makes that its template reads whole,
// of the fields it writes (the key quotes and Code are Shape's, made on
// the copy signed too).
func made(t *testing.T, page view.Page, prepare func(*view.Page), w [3]bool) (sum uint64, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false // a change Prepare cannot take (a pointer it follows made nil)
		}
	}()
	prepare(&page)
	var out []any
	for i, f := range []any{page.Title, page.Description, page.JSONLD} {
		if w[i] {
			out = append(out, f)
		}
	}
	sum, signed := reads.Sum(out)
	if !signed {
		t.Fatalf("%s: what Prepare makes cannot be summed", page.Path)
	}
	return sum, true
}

// declaredSum signs a page by what its Prepare declares it reads, with a
// new signer (memos last one signing).
func declaredSum(page view.Page, plan *reads.Plan) uint64 {
	sum, _, _ := reads.NewSigner(nil).Sign(plan, &page)
	return sum
}

// mutate calls try with each change of a field that v reaches (a string
// longer, a number or date moved, a flag flipped, a pointer made nil),
// through at most hops pointers, each field once; try undoes nothing:
// the change is undone after it returns.
func mutate(v reflect.Value, path string, hops int, seen map[string]bool, try func(path string)) {
	t := v.Type()
	switch {
	case t == reflect.TypeFor[model.Date]() || t == reflect.TypeFor[time.Time]():
		old := reflect.ValueOf(v.Interface())
		moved := reflect.ValueOf(v.Interface())
		switch d := v.Interface().(type) {
		case model.Date:
			moved = reflect.ValueOf(model.Date{Time: d.AddDate(0, 0, 1)})
		case time.Time:
			moved = reflect.ValueOf(d.Add(time.Hour))
		}
		v.Set(moved)
		try(path)
		v.Set(old)
		return
	}
	switch v.Kind() {
	case reflect.String:
		old := v.String()
		switch {
		case strings.HasSuffix(path, "Lang") && old == "fr":
			v.SetString("en") // another language's tree: other URLs
		case strings.HasSuffix(path, "Lang"):
			v.SetString("fr")
		default:
			v.SetString(old + "x")
		}
		try(path)
		v.SetString(old)
	case reflect.Bool:
		v.SetBool(!v.Bool())
		try(path)
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
		try(path)
		v.SetInt(v.Int() - 1)
	case reflect.Pointer:
		if v.IsNil() || hops == 0 || !followed(t.Elem()) {
			return
		}
		key := fmt.Sprint(v.Pointer(), t)
		if seen[key] {
			return
		}
		seen[key] = true
		old := reflect.ValueOf(v.Interface())
		v.Set(reflect.Zero(t))
		try(path + "=nil")
		v.Set(old)
		mutate(v.Elem(), path, hops-1, seen, try)
	case reflect.Struct:
		if !followed(t) {
			return
		}
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				mutate(v.Field(i), path+"."+f.Name, hops, seen, try)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			mutate(v.Index(i), fmt.Sprintf("%s[%d]", path, i), hops, seen, try)
		}
	case reflect.Map:
		if t.Key().Kind() != reflect.String || t.Elem().Kind() != reflect.String {
			return
		}
		for _, k := range v.MapKeys() {
			old := v.MapIndex(k)
			v.SetMapIndex(k, reflect.ValueOf(old.String()+"x").Convert(t.Elem()))
			try(path + "[" + k.String() + "]")
			v.SetMapIndex(k, old)
		}
	}
}

// followed: the content's and the view's types, whose fields a Prepare
// may read (a URL scheme is the settings', a new one a new cache).
func followed(t reflect.Type) bool {
	for _, pkg := range []string{"/generator/model", "/generator/view", "/generator/markdown"} {
		if strings.HasSuffix(t.PkgPath(), pkg) {
			return true
		}
	}
	return false
}

// TestPrepareReadsCoverPrepare: a page whose Prepare declares its reads
// (pagecache.Job.Reads) is signed by them rather than by what Prepare
// makes, so every field Prepare reads must be declared. Each field a page
// reaches (through three pointers) is changed in turn: when what Prepare
// makes changes, the signature of the declared reads must too.
func TestPrepareReadsCoverPrepare(t *testing.T) {
	site, info, cfg := prepareSite(t)
	kinds := map[string]int{}
	for _, j := range pages(site, info, cfg) {
		if j.Prepare == nil {
			continue
		}
		if j.Reads == nil {
			t.Errorf("%s (%s): Prepare without its reads declared: every page would run it to be signed", j.Out, j.Template)
			continue
		}
		kinds[j.Template]++
		prepare, plan := j.Prepare, j.Reads
		w := writes(*j.Page, prepare)
		base, _ := made(t, *j.Page, prepare, w)
		baseSig := declaredSum(*j.Page, plan)
		tried := 0
		mutate(reflect.ValueOf(j.Page).Elem(), "", 3, map[string]bool{}, func(path string) {
			sum, ok := made(t, *j.Page, prepare, w)
			if !ok || sum == base {
				return
			}
			tried++
			if declaredSum(*j.Page, plan) == baseSig {
				t.Errorf("%s (%s): a change of %s changes what Prepare makes, not the signature of its declared reads (prepareReads)", j.Out, j.Template, path)
			}
		})
		if tried == 0 {
			t.Errorf("%s: no change moved what Prepare makes: the test reaches nothing", j.Out)
		}
	}
	for _, tmpl := range []string{"home.html", "dossier.html", "quote.html", "actor.html", "treaty.html"} {
		if kinds[tmpl] == 0 {
			t.Errorf("no %s page with a Prepare was checked", tmpl)
		}
	}
}
