package i18n

import (
	"testing"
	"time"

	"github.com/dossier-ssg/dossier/generator/model"
)

func TestFormatDate(t *testing.T) {
	d := func(s string) model.Date { v, _ := time.Parse("2006-01-02", s); return model.Date{Time: v} }
	for _, tt := range []struct{ lang, in, want string }{
		{"fr", "2024-06-19", "19 juin 2024"},
		{"fr", "2024-06-01", "1er juin 2024"},
		{"fr", "1961-07-06", "6 juillet 1961"},
		{"en", "2024-06-19", "19 June 2024"},
		{"de", "2024-02-03", "3 February 2024"},
	} {
		if got := FormatDate(tt.lang, d(tt.in)); got != tt.want {
			t.Errorf("FormatDate(%s, %s) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
	if FormatDate("fr", model.Date{}) != "" {
		t.Error("zero date not empty")
	}
}

// TestLabelsComplete makes sure French and English define the same keys,
// so no page shows a raw key in one language.
func TestLabelsComplete(t *testing.T) {
	for key := range labels["fr"] {
		if _, ok := labels["en"][key]; !ok {
			t.Errorf("label %q missing in English", key)
		}
	}
	for key := range labels["en"] {
		if _, ok := labels["fr"][key]; !ok {
			t.Errorf("label %q missing in French", key)
		}
	}
}
