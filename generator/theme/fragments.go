package theme

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"
)

// fragments caches the HTML of partials executed with partialCached. It must
// live for one build only: a fragment shows content (titles, names, dates)
// that any edit may change, and its keys say which entity it shows, not which
// version. It belongs to the Theme, which every build loads afresh
// (TestFragmentsLiveOneBuild fails if a fragment outlives its build).
type fragments struct {
	html sync.Map // key → template.HTML
}

// partialCached executes the partial called name with context once per build
// for each distinct list of keys, and returns its HTML. A dossier's card or a
// quote appears on thousands of pages of a large site; executing it once is
// most of what makes such sites fast to build. As in Hugo, the keys must
// capture everything the partial shows that its name does not: the entity,
// the variant, and the page language when the partial writes labels or dates.
func (th *Theme) partialCached(name string, context any, keys ...any) (template.HTML, error) {
	key, err := fragmentKey(name, keys)
	if err != nil {
		return "", err
	}
	cache := &th.fragments
	if html, ok := cache.html.Load(key); ok {
		return html.(template.HTML), nil
	}
	var buf bytes.Buffer
	if err := th.partials.ExecuteTemplate(&buf, name, context); err != nil {
		return "", err
	}
	// Two pages may render the same new fragment at once; both results are
	// equal, so whichever is stored first is kept.
	html, _ := cache.html.LoadOrStore(key, template.HTML(buf.String()))
	return html.(template.HTML), nil
}

// fragmentKey joins a partial's name and keys; NUL cannot occur in either.
func fragmentKey(name string, keys []any) (string, error) {
	var b strings.Builder
	b.WriteString(name)
	for _, k := range keys {
		b.WriteByte(0)
		switch v := k.(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		case bool:
			b.WriteString(strconv.FormatBool(v))
		case nil:
		default:
			// An entity as key would have to be printed whole or by address
			// (unstable): the theme passes its slug instead.
			return "", fmt.Errorf("partialCached %q: keys must be strings, numbers or booleans, not %T (pass .Slug for an entity)", name, k)
		}
	}
	return b.String(), nil
}
