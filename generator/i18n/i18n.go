// Package i18n owns the interface strings and date formats of each
// language the theme speaks.
package i18n

import (
	"fmt"
	"maps"
	"strings"

	"github.com/dossier-ssg/dossier/generator/model"
)

// labels holds the interface text of the default theme per language.
var labels = map[string]map[string]string{
	"fr": {
		"nav.dossiers": "Dossiers", "nav.actors": "Acteurs", "nav.treaties": "Traités",
		"nav.quotes": "Citations", "nav.timeline": "Chronologie", "nav.map": "Carte", "nav.search": "Recherche",
		"skip": "Aller au contenu", "nav.label": "Navigation principale",
		"actors": "Acteurs", "treaties": "Traités", "dossiers": "Dossiers", "quotes": "Citations clés",
		"all_quotes": "Citations", "related": "Dossiers liés", "related_actors": "Acteurs liés",
		"source": "Source", "by": "par", "published": "publié le", "tags": "Thèmes", "tag": "Thème",
		"mentioned_in": "Cité dans", "supersedes": "Remplace", "superseded_by": "Remplacé par",
		"parties": "Parties", "signed": "Signé le", "status": "Statut", "chain": "Chronologie des traités",
		"citing": "Dossiers qui le citent", "role": "Rôle", "country": "Pays", "members": "Acteurs rattachés",
		"kind.person": "Personne", "kind.state": "État", "kind.organisation": "Organisation",
		"kinds.person": "Personnes", "kinds.state": "États", "kinds.organisation": "Organisations",
		"status.in-force": "En vigueur", "status.superseded": "Remplacé", "status.expired": "Caduc",
		"status.proposed": "Proposé", "status.signed": "Signé",
		"timeline": "Chronologie", "timeline.filter": "Filtrer par acteur", "timeline.all": "Tous",
		"timeline.dossier": "Dossier", "timeline.treaty": "Signature", "timeline.quote": "Citation",
		"map": "Carte des relations", "map.list": "Liste des relations", "search": "Recherche",
		"search.label":       "Rechercher dans les dossiers, acteurs, traités et citations",
		"search.placeholder": "Rechercher…", "search.none": "Aucun résultat", "search.submit": "Rechercher",
		"search.nojs": "La recherche instantanée demande JavaScript ; la liste des pages reste accessible par le menu.",
		"quote.in":    "dans", "quote.context": "Contexte", "quote.permalink": "Lien permanent",
		"feed": "Flux Atom", "sitemap": "Plan du site", "built_with": "Construit avec dossier",
		"page.prev": "Page précédente", "page.next": "Page suivante", "page.of": "Page %d sur %d",
		"notfound.title": "Page introuvable", "notfound.text": "Cette page n’existe pas ou a été déplacée.",
		"notfound.home": "Retour à l’accueil", "home.latest": "Derniers dossiers", "none": "Aucun",
		"stats.dossiers": "dossiers", "stats.dossiers.one": "dossier", "stats.actors": "acteurs", "stats.actors.one": "acteur",
		"stats.treaties": "traités", "stats.treaties.one": "traité", "stats.quotes": "citations", "stats.quotes.one": "citation",
		"footnotes": "Notes", "count.dossiers": "%d dossiers", "count.quotes": "%d citations",
		"neighbourhood": "Voisinage", "count.dossiers.one": "%d dossier", "count.quotes.one": "%d citation",
		"attachments": "Documents joints", "aliases": "Aussi appelé", "map.weight": "nombre de liens",
		"search.more": "Plus de résultats", "more.dossiers": "et %d autres dossiers dans la chronologie",
		"more.quotes": "et %d autres citations dans la chronologie",
		// Translations: the language switcher.
		"lang.label": "Langues", "lang.missing": "page non traduite : accueil",
	},
	"en": {
		"nav.dossiers": "Dossiers", "nav.actors": "Actors", "nav.treaties": "Treaties",
		"nav.quotes": "Quotes", "nav.timeline": "Timeline", "nav.map": "Map", "nav.search": "Search",
		"skip": "Skip to content", "nav.label": "Main navigation",
		"actors": "Actors", "treaties": "Treaties", "dossiers": "Dossiers", "quotes": "Key quotes",
		"all_quotes": "Quotes", "related": "Related dossiers", "related_actors": "Related actors",
		"source": "Source", "by": "by", "published": "published", "tags": "Topics", "tag": "Topic",
		"mentioned_in": "Mentioned in", "supersedes": "Supersedes", "superseded_by": "Superseded by",
		"parties": "Parties", "signed": "Signed", "status": "Status", "chain": "Treaty lineage",
		"citing": "Dossiers citing it", "role": "Role", "country": "Country", "members": "Related people and bodies",
		"kind.person": "Person", "kind.state": "State", "kind.organisation": "Organisation",
		"kinds.person": "People", "kinds.state": "States", "kinds.organisation": "Organisations",
		"status.in-force": "In force", "status.superseded": "Superseded", "status.expired": "Lapsed",
		"status.proposed": "Proposed", "status.signed": "Signed",
		"timeline": "Timeline", "timeline.filter": "Filter by actor", "timeline.all": "All",
		"timeline.dossier": "Dossier", "timeline.treaty": "Signature", "timeline.quote": "Quote",
		"map": "Relationship map", "map.list": "Relationships as a list", "search": "Search",
		"search.label":       "Search dossiers, actors, treaties and quotes",
		"search.placeholder": "Search…", "search.none": "No results", "search.submit": "Search",
		"search.nojs": "Instant search needs JavaScript; every page is still reachable from the menu.",
		"quote.in":    "in", "quote.context": "Context", "quote.permalink": "Permalink",
		"feed": "Atom feed", "sitemap": "Sitemap", "built_with": "Built with dossier",
		"page.prev": "Previous page", "page.next": "Next page", "page.of": "Page %d of %d",
		"notfound.title": "Page not found", "notfound.text": "This page does not exist or has moved.",
		"notfound.home": "Back to the home page", "home.latest": "Latest dossiers", "none": "None",
		"stats.dossiers": "dossiers", "stats.dossiers.one": "dossier", "stats.actors": "actors", "stats.actors.one": "actor",
		"stats.treaties": "treaties", "stats.treaties.one": "treaty", "stats.quotes": "quotes", "stats.quotes.one": "quote",
		"footnotes": "Notes", "count.dossiers": "%d dossiers", "count.quotes": "%d quotes",
		"neighbourhood": "Neighbourhood", "count.dossiers.one": "%d dossier", "count.quotes.one": "%d quote",
		"attachments": "Attachments", "aliases": "Also known as", "map.weight": "number of links",
		"search.more": "More results", "more.dossiers": "and %d more dossiers in the timeline",
		"more.quotes": "and %d more quotes in the timeline",
		// Translations: the language switcher.
		"lang.label": "Languages", "lang.missing": "not translated: home page",
	},
}

var monthNames = map[string][]string{
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// Label returns the interface text for key in lang, formatted with args. A
// missing key shows as the key itself, which a test catches.
func Label(lang, key string, args ...any) string {
	m, ok := labels[lang]
	if !ok {
		m = labels["en"]
	}
	s, ok := m[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// FormatDate writes a date the way the language does: "19 juin 2024",
// "1er juin 2024", "19 June 2024".
func FormatDate(lang string, d model.Date) string {
	if d.IsZero() {
		return ""
	}
	months, ok := monthNames[lang]
	if !ok {
		months = monthNames["en"]
	}
	day := fmt.Sprint(d.Day())
	if lang == "fr" && d.Day() == 1 {
		day = "1er"
	}
	return strings.Join([]string{day, months[d.Month()-1], fmt.Sprint(d.Year())}, " ")
}

// MonthNames returns the month names of lang, January first (English for
// a language without its own).
func MonthNames(lang string) []string {
	if m, ok := monthNames[lang]; ok {
		return m
	}
	return monthNames["en"]
}

// Has reports whether lang has a label for key.
func Has(lang, key string) bool {
	_, ok := labels[lang][key]
	return ok
}

// The labels of each feature live in a table of their own (grammar, maps,
// reader, serve), merged into labels once at start.
func init() {
	for _, table := range []map[string]map[string]string{grammarLabels, mapLabels, readerLabels, serveLabels} {
		for lang, m := range table {
			maps.Copy(labels[lang], m)
		}
	}
}

// languageNames are each language's name in itself, for the language
// switcher.
var languageNames = map[string]string{"fr": "Français", "en": "English"}

// LanguageName is lang's name in itself ("Français"), or its code.
func LanguageName(lang string) string {
	if n, ok := languageNames[lang]; ok {
		return n
	}
	return lang
}
