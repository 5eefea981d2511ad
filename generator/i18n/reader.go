package i18n

// readerLabels are the labels of the reader's features (issue 18): the
// compact menu and header search, quote kinds and sharing, bylines, the
// key quotes of a dossier. Kept apart so they merge into labels at start.
var readerLabels = map[string]map[string]string{
	"fr": {
		"nav.menu": "Menu", "actors.more": "%d autres acteurs", "actors.more.one": "%d autre acteur",
		"quote.reported": "Propos rapportés", "quote.undated": "sans date",
		"quote.share": "Partager", "quote.copy": "Copier le lien", "quote.copied": "Lien copié",
		"quote.source": "Source primaire", "quote.read": "Lire dans le dossier",
		"quotes.all": "Toutes les citations du dossier (%d)", "quotes.all.one": "La citation du dossier (%d)",
		"quotes.of": "Citations : %s",
		"updated":   "mis à jour le", "byline": "Par", "and": "et",
		"footnote.back": "Retour au texte",
	},
	"en": {
		"nav.menu": "Menu", "actors.more": "%d more actors", "actors.more.one": "%d more actor",
		"quote.reported": "Reported speech", "quote.undated": "undated",
		"quote.share": "Share", "quote.copy": "Copy link", "quote.copied": "Link copied",
		"quote.source": "Primary source", "quote.read": "Read in the dossier",
		"quotes.all": "All quotes of the dossier (%d)", "quotes.all.one": "The dossier's quote (%d)",
		"quotes.of": "Quotes: %s",
		"updated":   "updated", "byline": "By", "and": "and",
		"footnote.back": "Back to the text",
	},
}
