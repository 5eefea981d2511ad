package serve

import (
	"strings"
	"testing"
)

// TestAttrFormsQuotedFirst: a page's quoted integrity attribute is swapped
// to the new digest as html/template writes it, whether or not the old
// digest has a + (when it has none, its forms are one string).
func TestAttrFormsQuotedFirst(t *testing.T) {
	for _, c := range []struct{ old, new string }{
		{"sha384-abc/def", "sha384-x+y/z"},
		{"sha384-a+b", "sha384-x+y"},
		{"sha384-a+b", "sha384-xyz"},
	} {
		esc := strings.NewReplacer("+", "&#43;")
		page := `<link integrity="` + esc.Replace(c.old) + `">`
		want := `<link integrity="` + esc.Replace(c.new) + `">`
		if got := strings.NewReplacer(attrForms(c.old, c.new)...).Replace(page); got != want {
			t.Errorf("%s → %s: got %s, want %s", c.old, c.new, got, want)
		}
	}
}
