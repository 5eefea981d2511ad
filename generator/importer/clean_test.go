package importer

import (
	"slices"
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		paragraphs []string
		removed    []string
	}{
		{
			name:       "repeated headline",
			text:       "Ils promettent de se défendre\n\nIls promettent de se défendre\nIls promettent de se défendre\n\nLe texte commence ici.",
			paragraphs: []string{"Ils promettent de se défendre", "Le texte commence ici."},
			removed:    []string{"duplicate: Ils promettent de se défendre", "duplicate: Ils promettent de se défendre"},
		},
		{
			name:       "title repeated at the start of the first paragraph",
			text:       "Un pacte inédit\n\nUn pacte inédit Moscou et Pyongyang ont signé un accord.",
			paragraphs: []string{"Un pacte inédit", "Moscou et Pyongyang ont signé un accord."},
			removed:    []string{"duplicate: Un pacte inédit"},
		},
		{
			name:       "short repeated lines are kept",
			text:       "Titre\n\nOui.\n\nOui.",
			paragraphs: []string{"Titre", "Oui.", "Oui."},
		},
		{
			name:       "lone punctuation",
			text:       "Titre\n-\n\nTexte.\n\n***\n\n—",
			paragraphs: []string{"Titre", "Texte."},
			removed:    []string{"punctuation: -", "punctuation: ***", "punctuation: —"},
		},
		{
			name: "navigation",
			text: "Titre\n\nTexte.\n\nLire aussi : Le sommet de Vladivostok\n\nÀ lire également\n\nRead more: the summit\n\nPrécédent\n\nArticle suivant › Les sanctions\n\n" +
				"PREV La réaction de Djokovic\nNEXT Liga MX Femenil : Tuzas et Chivas",
			paragraphs: []string{"Titre", "Texte."},
			removed: []string{"navigation: Lire aussi : Le sommet de Vladivostok", "navigation: À lire également",
				"navigation: Read more: the summit", "navigation: Précédent", "navigation: Article suivant › Les sanctions",
				"navigation: PREV La réaction de Djokovic", "navigation: NEXT Liga MX Femenil : Tuzas et Chivas"},
		},
		{
			name:       "prose that starts like navigation is kept",
			text:       "Suivant les recommandations de l’ONU, le pays a cédé.\n\nNext year, the treaty will be reviewed.",
			paragraphs: []string{"Suivant les recommandations de l’ONU, le pays a cédé.", "Next year, the treaty will be reviewed."},
		},
		{
			name: "photo credits, caption marked",
			text: "Titre\n\nLe texte.\n\nPoutine serre la main de Kim.\n\nPhoto:AFP\n\nSuite.\n\nPhoto : Reuters\n\n© AFP 2024\n\nCrédit photo : KCNA\n\nPhoto AFP",
			paragraphs: []string{"Titre", "Le texte.", CaptionMarker + "\nPoutine serre la main de Kim.",
				CaptionMarker + "\nSuite."},
			removed: []string{"credit: Photo:AFP", "credit: Photo : Reuters", "credit: © AFP 2024",
				"credit: Crédit photo : KCNA", "credit: Photo AFP"},
		},
		{
			name:       "a quotation is no caption",
			text:       "Title\n\n\"There is no doubt about it,\" Kim said.\n\nPhoto by Kristina Kormilitsyna/Sputnik",
			paragraphs: []string{"Title", "\"There is no doubt about it,\" Kim said."},
			removed:    []string{"credit: Photo by Kristina Kormilitsyna/Sputnik"},
		},
		{
			name:       "prose that starts like a credit is kept",
			text:       "Titre\n\nPhotos show the two leaders shaking hands.\n\nCrédit Agricole a annoncé ses résultats.",
			paragraphs: []string{"Titre", "Photos show the two leaders shaking hands.", "Crédit Agricole a annoncé ses résultats."},
		},
		{
			name:       "long paragraph before a credit is no caption",
			text:       "Titre\n\n" + strings.Repeat("Un long paragraphe. ", 20) + "\n\nPhoto: AFP",
			paragraphs: []string{"Titre", strings.TrimSpace(strings.Repeat("Un long paragraphe. ", 20))},
			removed:    []string{"credit: Photo: AFP"},
		},
		{
			name:       "glued stray letter",
			text:       "Titre\n\ncCorée du Nord et Russie ont signé.\n\niPhone et eBay restent tels quels.",
			paragraphs: []string{"Titre", "Corée du Nord et Russie ont signé.", "iPhone et eBay restent tels quels."},
			removed:    []string{"glued: cCorée → Corée"},
		},
		{
			name:       "label fragment",
			text:       "Titre\n\nSelon les critères de\n\nLes enjeux\n\nLe texte suit.",
			paragraphs: []string{"Titre", "Les enjeux", "Le texte suit."},
			removed:    []string{"fragment: Selon les critères de"},
		},
		{
			name:       "mid-sentence periods",
			text:       "Titre\n\nUne réunion de deux heures. à Pyongyang, en 2001.comme prévu. Fin.",
			paragraphs: []string{"Titre", "Une réunion de deux heures à Pyongyang, en 2001 comme prévu. Fin."},
			removed: []string{"mended: de deux heures. à Pyongyang, en → de deux heures à Pyongyang, en",
				"mended: Pyongyang, en 2001.comme prévu. Fin. → Pyongyang, en 2001 comme prévu. Fin."},
		},
		{
			name:       "abbreviations, initials and ellipses are not mended",
			text:       "Titre\n\nM. dupont, J. smith, etc. et la suite... puis 3.5 points, e.g. this, voir lemonde.fr aussi.",
			paragraphs: []string{"Titre", "M. dupont, J. smith, etc. et la suite... puis 3.5 points, e.g. this, voir lemonde.fr aussi."},
		},
		{
			name: "hard-wrapped text is joined",
			text: "Title\n\nThe two leaders signed a treaty on Wednesday that provides for\nmutual assistance in case of an attack on either country, Putin\nsaid in Pyongyang.\n\nSecond paragraph here.",
			paragraphs: []string{"Title", "The two leaders signed a treaty on Wednesday that provides for mutual assistance in case of an attack on either country, Putin said in Pyongyang.",
				"Second paragraph here."},
		},
		{
			name:       "line ends and spaces are normalised",
			text:       "\ufeffTitre\r\n\r\nUn  texte\t avec\u200b des espaces.  \r\n",
			paragraphs: []string{"Titre", "Un texte avec des espaces."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, removed := Clean(tt.text)
			if !slices.Equal(ps, tt.paragraphs) {
				t.Errorf("paragraphs:\n got %q\nwant %q", ps, tt.paragraphs)
			}
			if !slices.Equal(removed, tt.removed) {
				t.Errorf("removed:\n got %q\nwant %q", removed, tt.removed)
			}
		})
	}
}
