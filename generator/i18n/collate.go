package i18n

// Collation: names in the order a language sorts them (golang.org/x/text/
// collate, CLDR): accents and case count only to break ties of the letters
// ("Corée" < "Côte" < "Cuba", "État" beside "Etat"), and numbers by value
// ("Résolution 2" < "Résolution 10").

import (
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// collators keeps a pool of collators per language: a Collator is not safe
// for concurrent use, and making one costs more than a sort of a few names.
var collators sync.Map // lang → *sync.Pool of *collate.Collator

func collatorPool(lang string) *sync.Pool {
	if p, ok := collators.Load(lang); ok {
		return p.(*sync.Pool)
	}
	tag := language.Make(lang)
	p, _ := collators.LoadOrStore(lang, &sync.Pool{New: func() any { return collate.New(tag, collate.Numeric) }})
	return p.(*sync.Pool)
}

// Collation returns the sort keys of names in lang, in order: keys compare
// (as byte strings) the way the language orders the names. Keys are made
// once per name, so a sort of n names collates n times, not n log n.
func Collation(lang string, names []string) []string {
	pool := collatorPool(lang)
	c := pool.Get().(*collate.Collator)
	defer pool.Put(c)
	var buf collate.Buffer
	keys := make([]string, len(names))
	for i, s := range names {
		keys[i] = string(c.KeyFromString(&buf, s))
		buf.Reset()
	}
	return keys
}

// Compare orders two names in lang: -1, 0 or +1. For a sort of many names
// use Collation.
func Compare(lang, a, b string) int {
	k := Collation(lang, []string{a, b})
	return strings.Compare(k[0], k[1])
}

// SortNames sorts list by the name of each element in lang's order; equal
// names (two actors called the same) are ordered by slug, so the order
// never depends on the order list came in.
func SortNames[T any](lang string, list []T, name, slug func(T) string) {
	names := make([]string, len(list))
	for i, v := range list {
		names[i] = name(v)
	}
	keys := Collation(lang, names)
	type item struct {
		key, slug string
		v         T
	}
	items := make([]item, len(list))
	for i, v := range list {
		items[i] = item{keys[i], slug(v), v}
	}
	slices.SortFunc(items, func(a, b item) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.slug, b.slug)
	})
	for i := range items {
		list[i] = items[i].v
	}
}
