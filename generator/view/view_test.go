package view

import "testing"

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
