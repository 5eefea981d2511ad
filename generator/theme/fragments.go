package theme

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"html/template"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// fragments caches the HTML of partials executed with partialCached. It must
// live for one build only: a fragment shows content (titles, names, dates)
// that any edit may change, and its keys say which entity it shows, not which
// version. It belongs to the Theme: a theme loaded for one build starts
// empty, and a Builder that reuses its theme calls ForgetFragments before
// each build (TestFragmentsLiveOneBuild fails if a fragment outlives its
// build).
type fragments struct {
	// Sharded maps rather than one sync.Map, which was slower for the
	// hundreds of thousands of lookups of a large site.
	shards [64]fragmentShard
	// budget bounds the bytes of HTML each shard holds (0: no bound).
	budget int
}

// fragmentBudget bounds the HTML the cache holds in all. Most fragments are
// used on a few pages made close together (a dossier's quotes, a
// timeline's pages), so about half of what a large site makes keeps most
// of the gain (docs/performance.md). A fragment dropped is only executed
// again: the output does not change.
const fragmentBudget = 48 << 20

type fragmentShard struct {
	mu    sync.RWMutex
	html  map[string]*fragment
	bytes int
}

type fragment struct {
	html template.HTML
	used atomic.Bool // read since the last eviction sweep passed it
}

var fragmentSeed = maphash.MakeSeed()

func newFragments(budget int) *fragments {
	return &fragments{budget: budget / 64}
}

func (f *fragments) shard(key string) *fragmentShard {
	return &f.shards[maphash.String(fragmentSeed, key)%uint64(len(f.shards))]
}

func (s *fragmentShard) load(key string) (template.HTML, bool) {
	s.mu.RLock()
	f, ok := s.html[key]
	s.mu.RUnlock()
	if !ok {
		return "", false
	}
	if !f.used.Load() {
		f.used.Store(true)
	}
	return f.html, true
}

// store keeps the first HTML stored for key: two pages may render the same
// new fragment at once, and both results are equal. Over budget, it drops
// fragments not read since the last sweep (a second chance for the others).
func (s *fragmentShard) store(key string, html template.HTML, budget int) template.HTML {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.html[key]; ok {
		return old.html
	}
	if s.html == nil {
		s.html = map[string]*fragment{}
	}
	for pass := 0; budget > 0 && s.bytes+len(html) > budget && pass < 2; pass++ {
		for k, f := range s.html {
			if s.bytes+len(html) <= budget {
				break
			}
			if f.used.Load() && pass == 0 {
				f.used.Store(false)
				continue
			}
			s.bytes -= len(f.html)
			delete(s.html, k)
		}
	}
	s.html[key] = &fragment{html: html}
	s.bytes += len(html)
	return html
}

// ForgetFragments empties the partialCached cache, for a theme used by one
// more build. Builds of one theme never overlap.
func (th *Theme) ForgetFragments() { th.fragments = newFragments(fragmentBudget) }

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
	shard := th.fragments.shard(key)
	if html, ok := shard.load(key); ok {
		return html, nil
	}
	var buf bytes.Buffer
	if err := th.partials.ExecuteTemplate(&buf, name, context); err != nil {
		return "", err
	}
	return shard.store(key, template.HTML(buf.String()), th.fragments.budget), nil
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
