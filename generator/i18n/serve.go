package i18n

// The dev server's own words (dossier serve: its pages before the first
// good build, its 404 and the error overlay), in the site's language.
var serveLabels = map[string]map[string]string{
	"fr": {
		"serve.building":   "Le site est en cours de construction…",
		"serve.failing":    "Le site ne se construit pas encore",
		"serve.reloads":    "Cette page se recharge d’elle-même dès que le site se construit.",
		"serve.notfound":   "404\u00A0: page introuvable",
		"serve.failed":     "Échec de la construction",
		"serve.errors":     "%d erreurs",
		"serve.errors.one": "%d erreur",
		"serve.hide":       "Masquer jusqu’à la prochaine construction",
		"serve.more":       "… et %d autres erreurs",
		"serve.lastgood":   "La page montre la dernière construction réussie. Ce message disparaît de lui-même une fois les erreurs corrigées.",
		"serve.separator":  "\u00A0: ",
	},
	"en": {
		"serve.building":   "The site is building…",
		"serve.failing":    "The site does not build yet",
		"serve.reloads":    "This page reloads by itself once the site builds.",
		"serve.notfound":   "404 page not found",
		"serve.failed":     "Build failed",
		"serve.errors":     "%d errors",
		"serve.errors.one": "%d error",
		"serve.hide":       "Hide until the next build",
		"serve.more":       "… and %d more errors",
		"serve.lastgood":   "The page shows the last good build. This goes away by itself once the errors are fixed.",
		"serve.separator":  ": ",
	},
}

// ServeText returns the dev server's words in lang (English for a language
// without them), keyed without their "serve." prefix, for the server's
// pages and its overlay script.
func ServeText(lang string) map[string]string {
	m, ok := serveLabels[lang]
	if !ok {
		m = serveLabels["en"]
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k[len("serve."):]] = v
	}
	return out
}
