package i18n

import (
	"slices"
	"testing"
)

// TestCollation: names in the order of French and English readers, not of
// bytes (where É and every accented letter come after z, and capitals
// before lower case).
func TestCollation(t *testing.T) {
	for _, tt := range []struct {
		lang, a, b string // a sorts before b
	}{
		{"fr", "Corée du Nord", "Côte d’Ivoire"},
		{"fr", "Côte d’Ivoire", "Cuba"},
		{"fr", "Corée du Nord", "Corée du Sud"},
		{"fr", "Égypte", "Espagne"},
		{"fr", "Chine", "États-Unis"},
		{"fr", "États-Unis", "Iouri Ouchakov"},
		{"fr", "Etat", "État"}, // accents break a tie of the letters
		{"fr", "état", "État"}, // then case: lower case first
		{"fr", "élysée", "Emmanuel Macron"},
		{"fr", "Œuvre", "Ouganda"},
		{"fr", "Résolution 2", "Résolution 10"},
		{"fr", "Kim Jong-il", "Kim Jong-un"},
		{"en", "apple", "Banana"},
		{"en", "Zoë", "Zurich"},
		{"de", "Ärzte", "Berlin"}, // any language: at least the root order
	} {
		if Compare(tt.lang, tt.a, tt.b) >= 0 || Compare(tt.lang, tt.b, tt.a) <= 0 {
			t.Errorf("%s: %q should sort before %q", tt.lang, tt.a, tt.b)
		}
	}
	if Compare("fr", "Chine", "Chine") != 0 {
		t.Error("equal names")
	}
}

func TestSortNames(t *testing.T) {
	type actor struct{ name, slug string }
	list := []actor{
		{"Vladimir Poutine", "vladimir-putin"}, {"Japon", "japan"}, {"Kim Jong-un", "kim-jong-un"},
		{"Corée du Nord", "north-korea"}, {"États-Unis", "united-states"}, {"Chine", "china"},
		{"Côte d’Ivoire", "ivory-coast"}, {"Corée du Sud", "south-korea"},
		{"Kim", "kim-b"}, {"Kim", "kim-a"}, // same name: by slug
		{"Œcuménisme", "oe"}, {"Ouganda", "uganda"},
	}
	for _, perm := range [][]int{nil, {11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}} {
		in := slices.Clone(list)
		for i, j := range perm { // the list reversed, or as is
			in[i] = list[j]
		}
		SortNames("fr", in, func(a actor) string { return a.name }, func(a actor) string { return a.slug })
		var got []string
		for _, a := range in {
			got = append(got, a.slug)
		}
		want := []string{"china", "north-korea", "south-korea", "ivory-coast", "united-states", "japan",
			"kim-a", "kim-b", "kim-jong-un", "oe", "uganda", "vladimir-putin"}
		if !slices.Equal(got, want) {
			t.Errorf("SortNames:\n got %v\nwant %v", got, want)
		}
	}
}
