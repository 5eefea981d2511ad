package resolve

import (
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/urls"
)

// Languages splits a parsed site whose entities exist in several languages
// (index.en.md beside index.md) into the site of each language of sc, to
// be resolved one by one. The site of a language holds each entity in
// that language, or, where it has no translation, in the default language
// (else the first language that has it): an entity is listed in every
// language, and linked to its page in the language it has. Each site's
// Translations says where each of its own entities' pages is in every
// language. A site of one language is handed back as it is. Nothing of
// parsed is written: the sites share its values.
func Languages(parsed *model.Site, sc *urls.Scheme) map[string]*model.Site {
	trees := sc.Trees()
	if len(trees) < 2 {
		return map[string]*model.Site{trees[0].Lang: parsed}
	}
	langOf := func(lang string) string { return sc.Tree(lang).Lang }
	dossiers := variants(parsed.Dossiers, func(d *model.Dossier) (string, string) { return d.Slug, langOf(d.Lang) })
	actors := variants(parsed.Actors, func(a *model.Actor) (string, string) { return a.Slug, langOf(a.Lang) })
	treaties := variants(parsed.Treaties, func(t *model.Treaty) (string, string) { return t.Slug, langOf(t.Lang) })
	paths := map[string]map[string]string{}
	note := func(kind string, slugs []string, by map[string]map[string]string) {
		for _, slug := range slugs {
			key := model.Key(kind, slug)
			paths[key] = map[string]string{}
			for lang := range by[slug] {
				paths[key][lang] = sc.Tree(lang).Entity(kind, slug)
			}
		}
	}
	note("dossier", dossiers.order, dossiers.keys())
	note("actor", actors.order, actors.keys())
	note("treaty", treaties.order, treaties.keys())
	sites := make(map[string]*model.Site, len(trees))
	for _, t := range trees {
		site := &model.Site{Broken: parsed.Broken, Translations: map[string]map[string]string{}}
		site.Dossiers = dossiers.pick(t.Lang, trees)
		site.Actors = actors.pick(t.Lang, trees)
		site.Treaties = treaties.pick(t.Lang, trees)
		for key, p := range paths {
			site.Translations[key] = p
		}
		sites[t.Lang] = site
	}
	quoteTranslations(sites, dossiers, sc)
	return sites
}

// byLang holds the versions of each entity of a kind, by slug then
// language, and the slugs in the order parse listed them.
type byLang[T any] struct {
	order []string
	of    map[string]map[string]T
}

func variants[T any](list []T, key func(T) (slug, lang string)) byLang[T] {
	b := byLang[T]{of: map[string]map[string]T{}}
	for _, e := range list {
		slug, lang := key(e)
		if b.of[slug] == nil {
			b.of[slug] = map[string]T{}
			b.order = append(b.order, slug)
		}
		b.of[slug][lang] = e
	}
	return b
}

// keys is the languages of each slug.
func (b byLang[T]) keys() map[string]map[string]string {
	out := make(map[string]map[string]string, len(b.of))
	for slug, m := range b.of {
		out[slug] = map[string]string{}
		for lang := range m {
			out[slug][lang] = lang
		}
	}
	return out
}

// pick lists each entity in lang, else in the first of trees (the
// default language first) that has it.
func (b byLang[T]) pick(lang string, trees []*urls.Tree) []T {
	out := make([]T, 0, len(b.order))
	for _, slug := range b.order {
		m := b.of[slug]
		if e, ok := m[lang]; ok {
			out = append(out, e)
			continue
		}
		for _, t := range trees {
			if e, ok := m[t.Lang]; ok {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// quoteTranslations pairs the quotes of a dossier's translations: the
// n-th quote of quotes.en.md is the n-th of quotes.md when both have the
// same speaker and date, and each then lists the other's page. A
// translation without a quotes file shows the default's quotes, whose
// pages are the default's.
func quoteTranslations(sites map[string]*model.Site, dossiers byLang[*model.Dossier], sc *urls.Scheme) {
	for _, slug := range dossiers.order {
		versions := dossiers.of[slug]
		type own struct {
			lang   string
			quotes []*model.Quote
		}
		var all []own
		for _, t := range sc.Trees() {
			d, ok := versions[t.Lang]
			if !ok || len(d.Quotes) == 0 || sc.Tree(d.Quotes[0].Lang) != t {
				continue // no quotes of its own
			}
			all = append(all, own{t.Lang, d.Quotes})
		}
		if len(all) < 2 {
			continue
		}
		first := all[0].quotes
		for i := range first {
			paths := map[string]string{}
			for _, o := range all {
				if i < len(o.quotes) && o.quotes[i].Speaker.Slug == first[i].Speaker.Slug && o.quotes[i].Date.Equal(first[i].Date.Time) {
					paths[o.lang] = sc.Tree(o.lang).Quote(slug, o.quotes[i].ID)
				}
			}
			for _, o := range all {
				if _, ok := paths[o.lang]; ok {
					sites[o.lang].Translations[model.QuoteKey(slug, o.quotes[i].ID)] = paths
				}
			}
		}
	}
}
