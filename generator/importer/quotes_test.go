package importer

import (
	"strings"
	"testing"
)

// testActors are the actors of the seed article's golden test.
var testActors = []KnownActor{
	{Slug: "vladimir-putin", Name: "Vladimir Poutine", Aliases: []string{"Poutine", "Vladimir Putin", "Putin"}},
	{Slug: "kim-jong-un", Name: "Kim Jong-un", Aliases: []string{"Kim Jong Un", "Kim"}},
	{Slug: "yuri-ushakov", Name: "Iouri Ouchakov", Aliases: []string{"Youri Ouchakov", "Ouchakov", "Yuri Ushakov"}},
	{Slug: "russia", Name: "Russie"},
	{Slug: "north-korea", Name: "Corée du Nord"},
	{Slug: "south-korea", Name: "Corée du Sud"},
	{Slug: "united-states", Name: "États-Unis"},
	{Slug: "japan", Name: "Japon"},
	{Slug: "china", Name: "Chine"},
	{Slug: "ukraine", Name: "Ukraine"},
}

// paras splits a test text into paragraphs at blank lines.
func paras(text string) []string {
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func TestFindQuotes(t *testing.T) {
	tests := []struct {
		name, lang, text string
		want             []Quote
	}{
		{
			name: "guillemets with no-break spaces, speaker before",
			lang: "fr",
			text: "Vladimir Poutine a déclaré\u00a0: «\u00a0Nous ne céderons jamais à ces pressions.\u00a0»",
			want: []Quote{{Text: "Nous ne céderons jamais à ces pressions.", Speaker: "vladimir-putin", SpeakerName: "Vladimir Poutine"}},
		},
		{
			name: "guillemets without spaces",
			lang: "fr",
			text: "Kim a déclaré :«La Corée du Nord soutient pleinement la Russie.»",
			want: []Quote{{Text: "La Corée du Nord soutient pleinement la Russie.", Speaker: "kim-jong-un", SpeakerName: "Kim"}},
		},
		{
			name: "curly quotes, speaker after (alias Poutine)",
			lang: "fr",
			text: "“Le traité prévoit une assistance mutuelle en cas d’attaque”, a déclaré Poutine, précisant sa pensée.",
			want: []Quote{{Text: "Le traité prévoit une assistance mutuelle en cas d’attaque", Speaker: "vladimir-putin", SpeakerName: "Poutine"}},
		},
		{
			name: "straight quotes, said X",
			lang: "en",
			text: `"We will never accept this ultimatum," said Putin.`,
			want: []Quote{{Text: "We will never accept this ultimatum", Speaker: "vladimir-putin", SpeakerName: "Putin"}},
		},
		{
			name: "straight quotes, X told (alias Kim Jong Un)",
			lang: "en",
			text: `"The treaty is purely defensive in nature," Kim Jong Un told reporters.`,
			want: []Quote{{Text: "The treaty is purely defensive in nature", Speaker: "kim-jong-un", SpeakerName: "Kim Jong Un"}},
		},
		{
			name: "curly quotes, English, speaker before",
			lang: "en",
			text: "Putin said: “Our countries are building a fairer world order.”",
			want: []Quote{{Text: "Our countries are building a fairer world order.", Speaker: "vladimir-putin", SpeakerName: "Putin"}},
		},
		{
			name: "speaker before, far from the verb (a dit que … “…”)",
			lang: "fr",
			text: "Ouchakov a dit que le nouveau document est nécessaire en raison des changements actuels et qu’il “n’aura aucun caractère conflictuel ni agressif”, selon lui.",
			want: []Quote{{Text: "n’aura aucun caractère conflictuel ni agressif", Speaker: "yuri-ushakov", SpeakerName: "Ouchakov"}},
		},
		{
			name: "nested quotes stay inside the outer one",
			lang: "fr",
			text: "Kim a déclaré : « Le président m’a dit “nous sommes frères” et je le crois sincèrement. »",
			want: []Quote{{Text: "Le président m’a dit “nous sommes frères” et je le crois sincèrement.", Speaker: "kim-jong-un", SpeakerName: "Kim"}},
		},
		{
			name: "straight quotes nested in guillemets",
			lang: "fr",
			text: `Poutine a affirmé : « Ce "partenariat global" change la donne pour nos deux pays. »`,
			want: []Quote{{Text: `Ce "partenariat global" change la donne pour nos deux pays.`, Speaker: "vladimir-putin", SpeakerName: "Poutine"}},
		},
		{
			name: "split over two paragraphs, French convention",
			lang: "fr",
			text: "Poutine a affirmé : « Le traité est historique pour nos peuples.\n\n« Il ouvre une nouvelle ère pour nos deux pays. »",
			want: []Quote{{Text: "Le traité est historique pour nos peuples.\n\nIl ouvre une nouvelle ère pour nos deux pays.", Speaker: "vladimir-putin", SpeakerName: "Poutine"}},
		},
		{
			name: "split over two paragraphs, English convention",
			lang: "en",
			text: "Putin said: \u201cThe treaty is a historic step for our peoples.\n\n\u201cIt opens a new era for our two countries.\u201d",
			want: []Quote{{Text: "The treaty is a historic step for our peoples.\n\nIt opens a new era for our two countries.", Speaker: "vladimir-putin", SpeakerName: "Putin"}},
		},
		{
			name: "split over two paragraphs, closed in the second",
			lang: "fr",
			text: "Kim a déclaré : “Nous soutenons la Russie\n\ndans toutes ses décisions”. La salle a applaudi.",
			want: []Quote{{Text: "Nous soutenons la Russie\n\ndans toutes ses décisions", Speaker: "kim-jong-un", SpeakerName: "Kim"}},
		},
		{
			name: "longest name wins",
			lang: "fr",
			text: "« Nos pays défendent un ordre mondial plus juste », a souligné Vladimir Poutine.",
			want: []Quote{{Text: "Nos pays défendent un ordre mondial plus juste", Speaker: "vladimir-putin", SpeakerName: "Vladimir Poutine"}},
		},
		{
			name: "accent- and case-insensitive alias",
			lang: "fr",
			text: "« Le document ne vise aucun pays tiers », a indiqué YOURI OUCHAKOV.",
			want: []Quote{{Text: "Le document ne vise aucun pays tiers", Speaker: "yuri-ushakov", SpeakerName: "YOURI OUCHAKOV"}},
		},
		{
			name: "selon X before the quote",
			lang: "fr",
			text: "Selon Ouchakov, le document « ne sera dirigé contre aucun pays ».",
			want: []Quote{{Text: "ne sera dirigé contre aucun pays", Speaker: "yuri-ushakov", SpeakerName: "Ouchakov"}},
		},
		{
			name: "according to X after the quote",
			lang: "en",
			text: `The treaty "will reliably guarantee the alliance between our countries", according to Kim.`,
			want: []Quote{{Text: "will reliably guarantee the alliance between our countries", Speaker: "kim-jong-un", SpeakerName: "Kim"}},
		},
		{
			name: "role phrase learnt from an apposition",
			lang: "fr",
			text: "Le président russe Vladimir Poutine est arrivé mardi.\n\n« Nos pays défendent un ordre mondial plus juste », a souligné le président russe.",
			want: []Quote{{Text: "Nos pays défendent un ordre mondial plus juste", Speaker: "vladimir-putin", SpeakerName: "le président russe", Paragraph: 1}},
		},
		{
			name: "unknown speaker",
			lang: "fr",
			text: "« Nous ne reculerons devant aucune menace », a déclaré Jean Dupont.",
			want: []Quote{{Text: "Nous ne reculerons devant aucune menace", SpeakerName: "Jean Dupont"}},
		},
		{
			name: "another Kim is not Kim Jong-un",
			lang: "fr",
			text: "« Les deux peuples resteront unis pour toujours », a déclaré Kim Il-sung en 1961.",
			want: []Quote{{Text: "Les deux peuples resteront unis pour toujours", SpeakerName: "Kim Il-sung"}},
		},
		{
			name: "pronoun goes on with the previous speaker",
			lang: "fr",
			text: "« Nous sommes prêts à tout pour la paix », a déclaré Poutine. « Nous irons jusqu’au bout de nos engagements », a-t-il ajouté.",
			want: []Quote{
				{Text: "Nous sommes prêts à tout pour la paix", Speaker: "vladimir-putin", SpeakerName: "Poutine"},
				{Text: "Nous irons jusqu’au bout de nos engagements", Speaker: "vladimir-putin", SpeakerName: "Poutine"},
			},
		},
		{
			name: "role noun without a name stays unknown",
			lang: "fr",
			text: "Un porte-parole du Kremlin a déclaré : « Le traité ne vise aucun pays tiers. »",
			want: []Quote{{Text: "Le traité ne vise aucun pays tiers."}},
		},
		{
			name: "short quote introduced by a speech verb is kept",
			lang: "fr",
			text: "« Jamais », a répondu Poutine.",
			want: []Quote{{Text: "Jamais", Speaker: "vladimir-putin", SpeakerName: "Poutine"}},
		},
		{
			name: "scare quotes are skipped",
			lang: "fr",
			text: "Le dirigeant nord-coréen a indiqué que l’accord était de nature « défensive », selon les agences, et a qualifié Poutine de « meilleur ami ».",
			want: nil,
		},
		{
			name: "quoted terms are skipped",
			lang: "fr",
			text: "L’« Accord de partenariat stratégique global » remplacera les traités, comme l’a avancé Youri Ouchakov.",
			want: nil,
		},
		{
			name: "stray marks are ignored",
			lang: "fr",
			text: "Il a parlé du monde » et « la paix durable entre nos deux peuples », a dit Kim, puis « sans fin",
			want: []Quote{{Text: "la paix durable entre nos deux peuples", Speaker: "kim-jong-un", SpeakerName: "Kim"}},
		},
		{
			name: "no speech verb: speaker left empty",
			lang: "fr",
			text: "Le texte est clair. « Les deux parties se prêteront assistance immédiatement » est la phrase clé.",
			want: []Quote{{Text: "Les deux parties se prêteront assistance immédiatement"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FindQuotes(paras(tt.text), tt.lang, testActors)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d quotes, want %d:\n%#v", len(got), len(tt.want), got)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("quote %d:\n got %#v\nwant %#v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestFindQuotesBothLanguages(t *testing.T) {
	// With no language, French and English speech verbs both count.
	got := FindQuotes([]string{`"We will never accept this ultimatum," said Putin.`, "« Le traité est historique pour nous », a déclaré Kim."}, "", testActors)
	if len(got) != 2 || got[0].Speaker != "vladimir-putin" || got[1].Speaker != "kim-jong-un" {
		t.Fatalf("got %#v", got)
	}
}

func TestDetectLang(t *testing.T) {
	for text, want := range map[string]string{
		"Le président a dit que la Russie est prête et qu’elle ne cédera pas.": "fr",
		"The president said that Russia was ready and would not give in.":      "en",
		"": "fr",
	} {
		if got := detectLang([]string{text}); got != want {
			t.Errorf("detectLang(%q) = %q, want %q", text, got, want)
		}
	}
}
