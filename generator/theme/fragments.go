package theme

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"html/template"
	"strconv"
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

func (f *fragments) shard(key []byte) *fragmentShard {
	return &f.shards[maphash.Bytes(fragmentSeed, key)%uint64(len(f.shards))]
}

// load looks key up (the map index of string(key) makes no string).
func (s *fragmentShard) load(key []byte) (template.HTML, bool) {
	s.mu.RLock()
	f, ok := s.html[string(key)]
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
//
// A lookup allocates nothing: the key is joined in a buffer of the call's
// own and made a string only when a new fragment is stored, and a fragment
// is executed into a pooled buffer and kept as a string of its exact size.
// Most calls are hits, and a build makes hundreds of thousands of them.
func (th *Theme) partialCached(name string, context any, keys ...any) (template.HTML, error) {
	var scratch [128]byte
	key, err := appendFragmentKey(scratch[:0], name, keys)
	if err != nil {
		return "", err
	}
	shard := th.fragments.shard(key)
	if html, ok := shard.load(key); ok {
		return html, nil
	}
	return th.execFragment(shard, key, name, context)
}

// partialCachedDict is partialCached with the partial's data given as the
// pairs of a dict, made only when the fragment is not cached yet:
//
//	partialCachedDict "partials/actor-row" 2 "Page" $p "Actor" . .Slug 0 $p.Lang
//
// executes the partial as
//
//	partialCached "partials/actor-row" (dict "Page" $p "Actor" .) .Slug 0 $p.Lang
//
// does, with the same keys (after the pairs count and its pairs): the partial receives
// the same map. A template evaluates every argument before the call, so the
// dict form builds a map (and makes a reflected call) on every use,
// though most uses are hits that read only the keys; a large site makes
// hundreds of thousands of them.
func (th *Theme) partialCachedDict(name string, pairs int, args ...any) (template.HTML, error) {
	if pairs < 0 || 2*pairs > len(args) {
		return "", fmt.Errorf("partialCachedDict %q: %d pairs need %d values after the count, not %d", name, pairs, 2*pairs, len(args))
	}
	var scratch [128]byte
	key, err := appendFragmentKey(scratch[:0], name, args[2*pairs:])
	if err != nil {
		return "", err
	}
	shard := th.fragments.shard(key)
	if html, ok := shard.load(key); ok {
		return html, nil
	}
	data, err := Dict(args[:2*pairs]...)
	if err != nil {
		return "", fmt.Errorf("partialCachedDict %q: %w", name, err)
	}
	return th.execFragment(shard, key, name, data)
}

// Dict makes the map of dict "k1" v1 "k2" v2… (Hugo's dict): the data
// of a partial given several values.
func Dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict needs key/value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict keys must be strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// execFragment executes a partial not cached yet and stores its HTML.
func (th *Theme) execFragment(shard *fragmentShard, key []byte, name string, context any) (template.HTML, error) {
	buf := fragmentBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 {
			buf.Reset()
			fragmentBuffers.Put(buf)
		}
	}()
	if err := th.partials.ExecuteTemplate(buf, name, context); err != nil {
		return "", err
	}
	return shard.store(string(key), template.HTML(buf.String()), th.fragments.budget), nil
}

// fragmentBuffers recycles the buffers partials are executed into: a
// buffer grown from empty for each new fragment was a tenth of the bytes
// page rendering allocated.
var fragmentBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 4<<10)) }}

// appendFragmentKey appends a partial's name and keys to b, joined by NUL,
// which cannot occur in either.
func appendFragmentKey(b []byte, name string, keys []any) ([]byte, error) {
	b = append(b, name...)
	for _, k := range keys {
		b = append(b, 0)
		switch v := k.(type) {
		case string:
			b = append(b, v...)
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case bool:
			b = strconv.AppendBool(b, v)
		case nil:
		default:
			// An entity as key would have to be printed whole or by address
			// (unstable): the theme passes its slug instead.
			return nil, fmt.Errorf("partialCached %q: keys must be strings, numbers or booleans, not %T (pass .Slug for an entity)", name, k)
		}
	}
	return b, nil
}
