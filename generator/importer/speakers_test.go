package importer

import (
	"slices"
	"strings"
	"testing"
)

// TestPartialSpeaker: a speaker named by part of actors' names.
func TestPartialSpeaker(t *testing.T) {
	kims := []KnownActor{
		{Slug: "kim-jong-un", Name: "Kim Jong-un", Aliases: []string{"Kim Jong Un"}},
		{Slug: "kim-il-sung", Name: "Kim Il-sung"},
		{Slug: "kim-jong-il", Name: "Kim Jong-il"},
		{Slug: "vladimir-putin", Name: "Vladimir Poutine"},
		{Slug: "yuri-ushakov", Name: "Iouri Ouchakov", Aliases: []string{"Youri Ouchakov"}},
	}
	for _, tt := range []struct {
		name, text string
		speaker    string // "" when left to the curator
		todo       string // in quotes.md
	}{
		{"one actor has the name", "Youri est venu. « Nous signerons demain le traité », a dit Youri.",
			"yuri-ushakov", "« Youri » → yuri-ushakov (nom partiel)"},
		{"the Kim the article names", "Kim Jong Un a reçu Vladimir Poutine. « La Corée du Nord exprime son plein soutien », a déclaré Kim.",
			"kim-jong-un", "« Kim » → kim-jong-un (nom ambigu, aussi : kim-il-sung, kim-jong-il)"},
		{"no Kim named: the curator chooses", "Un sommet a eu lieu. « La Corée du Nord exprime son plein soutien », a déclaré Kim.",
			"", "locuteur ambigu « Kim » : remplacer [[kim]] par l'un de kim-il-sung, kim-jong-il, kim-jong-un"},
		{"two Jongs named once each: no winner", "Kim Jong-il et Kim Jong-un. « Nous vaincrons toujours ensemble », a déclaré Jong.",
			"", "par l'un de kim-jong-il, kim-jong-un"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Import([]byte(tt.text), Options{Slug: "x", Lang: "fr", Date: "2024-06-19", Actors: kims})
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Quotes) != 1 {
				t.Fatalf("quotes: %+v", d.Quotes)
			}
			if got := d.Quotes[0].Speaker; got != tt.speaker {
				t.Errorf("speaker %q, want %q", got, tt.speaker)
			}
			if !strings.Contains(string(d.QuotesMD), tt.todo) {
				t.Errorf("quotes.md lacks %q:\n%s", tt.todo, d.QuotesMD)
			}
			if len(d.ProposedActors) != 0 {
				t.Errorf("proposes to create %v, a name of known actors", d.ProposedActors)
			}
		})
	}
	if got := partialCandidates("Jong", kims); !slices.Equal(got, []string{"kim-jong-il", "kim-jong-un"}) {
		t.Errorf("Jong: %v", got)
	}
	if got := partialCandidates("Poutine Vladimir", kims); got != nil {
		t.Errorf("words out of order: %v", got)
	}
}
