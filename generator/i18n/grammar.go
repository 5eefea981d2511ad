package i18n

import "fmt"

// Grammar: what a label must agree with. Three things live here, grouped
// apart from the interface strings of i18n.go:
//
//   - treaty kinds: each kind's noun with its gender and number per
//     language (a French déclaration is feminine, "accords" plural);
//   - agreeing labels: a label's forms for a feminine or plural entity
//     ("status.superseded.f" is "Remplacée"), looked up by Agree;
//   - counts: which numbers take the singular (".one" forms) per language.

// Noun is the name of a kind of entity in one language, with what the
// words around it agree with.
type Noun struct {
	Name     string // "Déclaration"
	Feminine bool
	Plural   bool // the name is plural ("Accords d'Oslo")
}

// treatyKinds names every kind of treaty (model.TreatyKinds) per language.
var treatyKinds = map[string]map[string]Noun{
	"fr": {
		"treaty":      {Name: "Traité"},
		"agreement":   {Name: "Accord"},
		"agreements":  {Name: "Accords", Plural: true},
		"convention":  {Name: "Convention", Feminine: true},
		"declaration": {Name: "Déclaration", Feminine: true},
		"charter":     {Name: "Charte", Feminine: true},
		"protocol":    {Name: "Protocole"},
		"pact":        {Name: "Pacte"},
		"memorandum":  {Name: "Mémorandum"},
		"resolution":  {Name: "Résolution", Feminine: true},
	},
	"en": {
		"treaty":      {Name: "Treaty"},
		"agreement":   {Name: "Agreement"},
		"agreements":  {Name: "Agreements", Plural: true},
		"convention":  {Name: "Convention"},
		"declaration": {Name: "Declaration"},
		"charter":     {Name: "Charter"},
		"protocol":    {Name: "Protocol"},
		"pact":        {Name: "Pact"},
		"memorandum":  {Name: "Memorandum"},
		"resolution":  {Name: "Resolution"},
	},
}

// agreeing holds the forms of labels that agree with their entity: key +
// ".f" (feminine singular), ".pl" (masculine plural), ".f.pl" (feminine
// plural). The key itself (in labels) is the masculine singular, the form
// used when a language has no other.
var agreeing = map[string]map[string]string{
	"fr": {
		"signed.f": "Signée le", "signed.pl": "Signés le", "signed.f.pl": "Signées le",
		"supersedes.pl": "Remplacent", "supersedes.f.pl": "Remplacent",
		"superseded_by.f": "Remplacée par", "superseded_by.pl": "Remplacés par", "superseded_by.f.pl": "Remplacées par",
		"citing.f": "Dossiers qui la citent", "citing.pl": "Dossiers qui les citent", "citing.f.pl": "Dossiers qui les citent",
		"status.superseded.f": "Remplacée", "status.superseded.pl": "Remplacés", "status.superseded.f.pl": "Remplacées",
		"status.expired.f": "Expirée", "status.expired.pl": "Expirés", "status.expired.f.pl": "Expirées",
		"status.proposed.f": "Proposée", "status.proposed.pl": "Proposés", "status.proposed.f.pl": "Proposées",
		"status.signed.f": "Signée", "status.signed.pl": "Signés", "status.signed.f.pl": "Signées",
	},
	"en": {
		"citing.pl": "Dossiers citing them", "citing.f.pl": "Dossiers citing them",
		"supersedes.pl": "Supersede", "supersedes.f.pl": "Supersede",
	},
}

// grammarLabels complete labels: the singular forms of count labels (key +
// ".one", picked by One) and the name of the treaty kind fact.
var grammarLabels = map[string]map[string]string{
	"fr": {
		"more.dossiers.one": "et %d autre dossier dans la chronologie",
		"more.quotes.one":   "et %d autre citation dans la chronologie",
		"kind":              "Nature",
	},
	"en": {
		"more.dossiers.one": "and %d more dossier in the timeline",
		"more.quotes.one":   "and %d more quote in the timeline",
		"kind":              "Kind",
	},
}

// TreatyKind returns the noun of a treaty kind in lang ("" is a treaty). An
// unknown kind or language falls back to English, then to the kind itself.
func TreatyKind(lang, kind string) Noun {
	if kind == "" {
		kind = "treaty"
	}
	if n, ok := treatyKinds[lang][kind]; ok {
		return n
	}
	if n, ok := treatyKinds["en"][kind]; ok {
		return n
	}
	return Noun{Name: kind}
}

// Agree returns the label key in lang in the form that agrees with a
// treaty of the given kind: "Signée le" for a French declaration. A
// language without that form uses the key's own label.
func Agree(lang, key, kind string, args ...any) string {
	n := TreatyKind(lang, kind)
	form := ""
	switch {
	case n.Feminine && n.Plural:
		form = ".f.pl"
	case n.Feminine:
		form = ".f"
	case n.Plural:
		form = ".pl"
	}
	if form != "" {
		m, ok := agreeing[lang]
		if !ok {
			m = agreeing["en"]
		}
		if s, ok := m[key+form]; ok {
			if len(args) > 0 {
				return fmt.Sprintf(s, args...)
			}
			return s
		}
	}
	return Label(lang, key, args...)
}

// One reports whether a count of n takes the singular in lang: in French
// 0 and 1 do ("0 citation", "1 dossier"), in English only 1.
func One(lang string, n int) bool {
	if lang == "fr" {
		return n == 0 || n == 1
	}
	return n == 1
}

// Count returns the label key in lang for a count of n: key + ".one" when n
// takes the singular and the language has that form.
func Count(lang, key string, n int, args ...any) string {
	if One(lang, n) && Has(lang, key+".one") {
		key += ".one"
	}
	return Label(lang, key, args...)
}
