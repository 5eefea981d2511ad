package view

import (
	"reflect"
	"testing"
)

func TestPluralLabels(t *testing.T) {
	p := &Page{Lang: "fr"}
	if got := p.T("count.dossiers", 1); got != "1 dossier" {
		t.Errorf("singular: %q", got)
	}
	if got := p.T("count.dossiers", 3); got != "3 dossiers" {
		t.Errorf("plural: %q", got)
	}
}

func TestInitials(t *testing.T) {
	for in, want := range map[string]string{"Kim Jong-un": "KJ", "Organisation des Nations unies": "ON", "vietnam": "V", "": ""} {
		if got := Initials(in); got != want {
			t.Errorf("Initials(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every method a template may call on the view declares what it reads
// (MethodReads): the page cache signs pages by their templates' reads, and
// a method hides its own.
func TestMethodsDeclareTheirReads(t *testing.T) {
	for _, typ := range []reflect.Type{
		reflect.TypeFor[Page](), reflect.TypeFor[SiteInfo](), reflect.TypeFor[ActorGroup](), reflect.TypeFor[QuoteGroup](),
		reflect.TypeFor[YearGroup](), reflect.TypeFor[TimelineEntry](), reflect.TypeFor[Filter](), reflect.TypeFor[Pager](),
		reflect.TypeFor[MapEdge](), reflect.TypeFor[MapKey](), reflect.TypeFor[MapMore](),
	} {
		ptr := reflect.PointerTo(typ)
		for i := range ptr.NumMethod() {
			key := typ.String() + "." + ptr.Method(i).Name
			if _, ok := MethodReads[key]; !ok {
				t.Errorf("%s is not in MethodReads: templates calling it would be executed on every build", key)
			}
		}
	}
}

// TestPlural follows CLDR's plural rules: French counts 0 and 1 in the
// singular ("0 dossier"), English only 1.
func TestPlural(t *testing.T) {
	fr, en := &Page{Lang: "fr"}, &Page{Lang: "en"}
	for _, tc := range []struct {
		p    *Page
		n    int
		want string
	}{{fr, 1, "dossier"}, {fr, 0, "dossier"}, {fr, 2, "dossiers"}, {en, 0, "dossiers"}, {en, 1, "dossier"}, {en, 3, "dossiers"}} {
		if got := tc.p.Plural("stats.dossiers", tc.n); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.p.Lang, tc.n, got, tc.want)
		}
	}
	if got := fr.Plural("stats.treaties", 1); got != "traité" {
		t.Errorf("traité: %q", got)
	}
}

func TestAgree(t *testing.T) {
	fr := &Page{Lang: "fr"}
	for _, tc := range []struct {
		kind any
		want string
	}{{"declaration", "Remplacée"}, {"agreements", "Remplacés"}, {"treaty", "Remplacé"}, {"", "Remplacé"}, {nil, "Remplacé"}} {
		if got := fr.Agree("status.superseded", tc.kind); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.kind, got, tc.want)
		}
	}
	if got := fr.TreatyKind("charter"); got != "Charte" {
		t.Errorf("charter: %q", got)
	}
}
