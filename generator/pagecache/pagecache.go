// Package pagecache owns the pages kept between builds (watch mode): the
// last page list, each page's bytes and a signature of what its template
// read (package reads), so that a rebuild executes only the templates whose
// inputs changed. After a resolution that only patched some dossiers in,
// the page list is kept and only the pages whose signature passed through
// a changed entity are signed again.
package pagecache

import (
	"encoding/binary"
	"maps"
	"reflect"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/reads"
	"github.com/dossier-ssg/dossier/generator/resolve"
	"github.com/dossier-ssg/dossier/generator/view"
)

// PageCache keeps the last output of every page with a signature of what the
// page showed, so a rebuild executes only the templates whose inputs changed.
// It is only correct across builds with the same theme and settings: the
// caller starts a new cache when those change.
//
// When it follows a resolve.Cache and the last resolution only patched a
// few dossiers in (resolve.Patch), it keeps the last build's page list and
// signatures, and signs again only the pages whose signatures passed
// through those dossiers (or through an entity whose "mentioned in" list
// the patch changed).
type PageCache struct {
	mu      sync.Mutex
	entries map[string]pageEntry

	resolved *resolve.Cache
	gen      uint64 // the resolution jobs were made from
	stamp    uint64
	jobs     []Job // nil: the next build makes the page list again
	sigs     []uint64
	deps     [][]int32         // by job: the entities its signature passed through
	byEntity map[int32][]int   // the jobs that passed through each entity
	sitemap  map[string][]byte // the hosting files of the last build
	plans    map[string]*reads.Plan
	ids      map[string]int32 // entity keys, numbered for deps
	holding  bool             // some entries hold bytes (see Release)
	// taken: the caller took every page the last Keep returned
	// (Release), so a patched Keep hands over only the pages it looked
	// at again; partial says the last Keep did (Partial).
	taken, partial bool
	// hostHolding: some hosting files hold bytes (see Release).
	hostHolding bool
	kept        any // what the page list was made from (the site graph)
}

// Job is one page of the page list: where it goes, the template that makes
// it and the data the template receives.
type Job struct {
	Out      string // output file: dossiers/x/index.html
	Template string
	Page     *view.Page
	// Prepare, when set, fills what only an executed page needs (titles
	// made from quote text, JSON-LD), so a rebuild skips it for kept pages.
	Prepare func(*view.Page)
	// Reads, when set, declares what Prepare reads of the page
	// (reads.Declared), and what it fills is read whole by the template:
	// the signer then signs those reads in place of running Prepare and
	// signing what it made (the quotes' titles, descriptions, JSON-LD:
	// most of a rebuild's signing). Shape, when set, is the part of
	// Prepare run on the copy signed all the same, whose results the
	// template follows into the content (a dossier's key quotes).
	Reads *reads.Plan
	Shape func(*view.Page)
	// Finish, when set, runs after Prepare on a page about to be
	// executed, never on the copy signed: a function of what the page
	// holds alone (French typography), so the signature of what it reads
	// covers what it makes, and signing spares it.
	Finish func(*view.Page)
}

// Last returns the signatures and bytes the last build kept for jobs, the
// list Patched returned (nil bytes: released, see Release).
func (c *PageCache) Last(jobs []Job) (sigs []uint64, outs [][]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sigs, outs = slices.Clone(c.sigs[:len(jobs)]), make([][]byte, len(jobs))
	if !c.holding {
		return sigs, outs // every page released: none to look up
	}
	for i, j := range jobs {
		outs[i] = c.entries[j.Out].data
	}
	return sigs, outs
}

type pageEntry struct {
	sig  uint64
	data []byte // nil once released
}

// Release forgets the bytes of the pages kept, whoever called holds them
// now (the dev loop's output tree, on disk): the cache then hands such a
// page over unchanged as nil (Lookup, Keep). The pages at the paths of
// gone, which the caller no longer holds, are forgotten whole.
func (c *PageCache) Release(gone []string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.taken = true
	for _, out := range gone {
		delete(c.entries, out)
		delete(c.sitemap, out)
	}
	if c.hostHolding {
		// The hosting files too (redirect pages), but _redirects: the
		// trees' are merged into one file (generator.run).
		for name := range c.sitemap {
			if name != "_redirects" {
				c.sitemap[name] = nil
			}
		}
		c.hostHolding = false
	}
	if !c.holding {
		return
	}
	for out, e := range c.entries {
		e.data = nil
		c.entries[out] = e
	}
	c.holding = false
}

// NewPageCache returns an empty cache.
func NewPageCache() *PageCache {
	return &PageCache{entries: map[string]pageEntry{}, ids: map[string]int32{}}
}

// Follow lets the cache reuse its page list after the resolutions of r
// that patch (see resolve.Cache).
func (c *PageCache) Follow(r *resolve.Cache) { c.resolved = r }

// Lookup returns the bytes kept for the page at out when its signature is
// sig, nil when they were released (Release).
func (c *PageCache) Lookup(out string, sig uint64) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[out]
	return e.data, ok && e.sig == sig
}

// patched returns the last build's jobs with the last resolution's patch
// applied, the jobs to sign again, and the patch; nil when the page list
// must be made again.
func (c *PageCache) Patched(stamp uint64) (jobs []Job, look []int, p *resolve.Patch) {
	if c == nil || c.resolved == nil || c.jobs == nil || c.stamp != stamp {
		return nil, nil, nil
	}
	p = c.resolved.LastPatch()
	if p == nil || p.From != c.gen {
		return nil, nil, nil
	}
	seen := map[int]bool{}
	mark := func(key string) {
		for _, i := range c.byEntity[c.ids[key]] {
			if !seen[i] {
				seen[i] = true
				look = append(look, i)
			}
		}
	}
	for o, n := range p.Dossiers {
		if o.Lang != n.Lang {
			return nil, nil, nil // the language of its pages: labels, typography
		}
		mark(model.Key("dossier", o.Slug))
	}
	for _, key := range p.Mentioned {
		mark(key)
	}
	sort.Ints(look)
	for _, i := range look {
		swapIn(reflect.ValueOf(c.jobs[i].Page).Elem(), p.Dossiers, p.Quotes)
	}
	return c.jobs, look, p
}

var (
	dossierType = reflect.TypeFor[*model.Dossier]()
	quoteType   = reflect.TypeFor[*model.Quote]()
	viewPkg     = reflect.TypeFor[view.Page]().PkgPath()
)

// swapIn puts the new values of changed dossiers and quotes in a kept
// page, wherever the page's own (view) values hold one.
func swapIn(v reflect.Value, dossiers map[*model.Dossier]*model.Dossier, quotes map[*model.Quote]*model.Quote) {
	switch {
	case v.Type() == dossierType:
		if n, ok := dossiers[v.Interface().(*model.Dossier)]; ok {
			v.Set(reflect.ValueOf(n))
		}
	case v.Type() == quoteType:
		if n, ok := quotes[v.Interface().(*model.Quote)]; ok {
			v.Set(reflect.ValueOf(n))
		}
	case v.Kind() == reflect.Slice || v.Kind() == reflect.Array:
		for i := 0; i < v.Len(); i++ {
			swapIn(v.Index(i), dossiers, quotes)
		}
	case v.Kind() == reflect.Pointer && !v.IsNil() && v.Type().Elem().PkgPath() == viewPkg:
		swapIn(v.Elem(), dossiers, quotes)
	case v.Kind() == reflect.Struct && v.Type().PkgPath() == viewPkg:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				swapIn(v.Field(i), dossiers, quotes)
			}
		}
	}
}

// Keep stores this build's pages: all of them, or after a patch those in
// look, and returns every page made (not failed) by output path. After a
// patch whose last pages the caller took (Release), it returns only the
// pages of look: the others stand as the caller holds them (Partial).
// held marks the pages whose bytes the caller holds (taken from the cache
// after Release, or emitted to it): they are returned, and kept, as nil. A
// failed page makes the next build start from a new page list.
func (c *PageCache) Keep(jobs []Job, look []int, sigs []uint64, deps [][]int32, outs [][]byte, held []bool, patched bool, stamp uint64, failed bool) map[string][]byte {
	var files map[string][]byte // the caller adds hosting and search files
	if c == nil || !patched {
		files = make(map[string][]byte, len(jobs)+64)
		for i, j := range jobs {
			if outs[i] != nil || held[i] {
				files[j.Out] = outs[i]
			}
		}
		if c == nil {
			return files
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !patched {
		c.entries = make(map[string]pageEntry, len(jobs))
	}
	c.partial = patched && c.taken
	c.taken = false
	if c.partial {
		files = make(map[string][]byte, len(look)+64)
	}
	fill := files == nil
	for _, i := range look {
		if outs[i] != nil || held[i] {
			c.entries[jobs[i].Out] = pageEntry{sig: sigs[i], data: outs[i]}
			c.holding = c.holding || outs[i] != nil
			if !fill {
				files[jobs[i].Out] = outs[i]
			}
		}
	}
	if fill {
		// Every page of a patch: the caller did not take the last ones
		// (a build failed after render).
		files = make(map[string][]byte, len(jobs)+64)
		for _, j := range jobs {
			if e, ok := c.entries[j.Out]; ok {
				files[j.Out] = e.data
			}
		}
	}
	c.jobs = nil
	if c.resolved == nil || failed {
		return files
	}
	c.gen, c.stamp, c.sigs = c.resolved.Generation(), stamp, sigs
	if !patched {
		c.deps = deps
		c.byEntity = map[int32][]int{}
		for i := range jobs {
			c.fileDeps(i, deps[i])
		}
		c.jobs = jobs
		return files
	}
	for _, i := range look {
		// A patch changes no reference, so a page's entities rarely
		// change: file it under its new ones only. An entity it no longer
		// shows keeps it listed, which only costs a signature.
		for _, d := range deps[i] {
			if _, found := slices.BinarySearch(c.deps[i], d); !found {
				c.byEntity[d] = append(c.byEntity[d], i)
			}
		}
		c.deps[i] = deps[i]
	}
	c.jobs = jobs
	return files
}

// Partial reports whether the last Keep returned only the pages a patch
// looked at again: every other page of the last build stands, with the
// same path, as the caller holds it; no page went.
func (c *PageCache) Partial() bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.partial
}

// fileDeps files job i under the entities its signature passed through
// (deps are unique).
func (c *PageCache) fileDeps(i int, deps []int32) {
	for _, d := range deps {
		c.byEntity[d] = append(c.byEntity[d], i)
	}
}

// Kept returns what the last build made its page list from when this
// build keeps that list (patched: a patch changes nothing it is made of),
// or else keeps and returns fresh.
func (c *PageCache) Kept(patched bool, fresh func() any) any {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !patched || c.kept == nil {
		c.kept = fresh()
	}
	return c.kept
}

// Hosting returns the hosting files a patched build keeps, or nil; those
// whose bytes were released (Release) as nil.
func (c *PageCache) Hosting(patched bool) map[string][]byte {
	if c == nil || !patched || c.sitemap == nil {
		return nil
	}
	return maps.Clone(c.sitemap)
}

// KeepHosting keeps the hosting files of a build (see Hosting); their
// bytes until Release.
func (c *PageCache) KeepHosting(files map[string][]byte) {
	if c != nil {
		c.sitemap = files
		c.hostHolding = true
	}
}

// Signer signs the pages of one build by what their templates read.
type Signer struct {
	plans     map[string]*reads.Plan
	rs        *reads.Signer
	stamp     uint64
	cache     *PageCache
	mu        sync.RWMutex
	byPointer map[uintptr]int32
	// extra sums up what a page shows that is made only when it is
	// executed (its map), and the entity keys it shows.
	extra func(*view.Page) (uint64, []string)
}

// Plans returns the plans of the page templates, made once per cache
// (a cache lives with one theme): a template missing from the map could
// not be analysed.
func (c *PageCache) Plans(analyse func() map[string]*reads.Plan) map[string]*reads.Plan {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.plans == nil {
		c.plans = analyse()
	}
	return c.plans
}

// id numbers an entity key for the life of the cache.
func (c *PageCache) id(key string) int32 {
	id, ok := c.ids[key]
	if !ok {
		id = int32(len(c.ids) + 1)
		c.ids[key] = id
	}
	return id
}

// NewSigner prepares the signing of a build's pages. stamp covers the
// settings and theme; extra covers what is made only when a page is
// executed (its map), and lists the entity keys that shows.
func (c *PageCache) NewSigner(plans map[string]*reads.Plan, stamp uint64, extra func(*view.Page) (uint64, []string)) *Signer {
	s := &Signer{plans: plans, stamp: stamp, extra: extra, cache: c, byPointer: map[uintptr]int32{}}
	s.rs = reads.NewSigner(s.touch)
	return s
}

// SumField has the signer sign a field of a struct type by a sum of what
// it is made from where sum knows it (reads.Signer.SumField).
func (s *Signer) SumField(t reflect.Type, field string, sum func(v reflect.Value) (uint64, bool)) {
	s.rs.SumField(t, field, sum)
}

// entity numbers the entity a pointer is, or 0. A quote counts as its
// dossier: its text is in the dossier's files.
func (s *Signer) entity(v reflect.Value) int32 {
	var key string
	switch x := v.Interface().(type) {
	case *model.Dossier:
		key = model.Key("dossier", x.Slug)
	case *model.Quote:
		key = model.Key("dossier", x.Dossier.Slug)
	case *model.Actor:
		key = model.Key("actor", x.Slug)
	case *model.Treaty:
		key = model.Key("treaty", x.Slug)
	case *model.Tag:
		key = model.Key("tag", x.Slug)
	default:
		return 0
	}
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	return s.cache.id(key)
}

// touch is entity with the numbers of this build's pointers kept: a
// signature passes through each entity many times.
func (s *Signer) touch(v reflect.Value) int32 {
	p := v.Pointer()
	s.mu.RLock()
	id, ok := s.byPointer[p]
	s.mu.RUnlock()
	if ok {
		return id
	}
	id = s.entity(v)
	s.mu.Lock()
	s.byPointer[p] = id
	s.mu.Unlock()
	return id
}

// unsigned numbers the signatures of pages that cannot be signed: each is
// unique, so such a page is never taken from the cache.
var unsigned atomic.Uint64

const unsignedBit = 1 << 63

// Sign returns the signature of a page and the entities it passed through.
// The fields Prepare fills are signed on a copy of the page (they are made
// again when it is executed), or by what Prepare reads when the job
// declares it (Job.Reads); they read only the page's own entity, which
// is always among the page's entities.
func (s *Signer) Sign(c *PageCache, j Job) (uint64, []int32) {
	plan := s.plans[j.Template]
	if plan == nil {
		return unsignedBit | unsigned.Add(1), nil
	}
	page := *j.Page
	var prepared uint64 // what Prepare reads, when declared (Job.Reads)
	var prepDeps []int32
	switch {
	case j.Prepare != nil && j.Reads != nil:
		if j.Shape != nil {
			j.Shape(&page)
		}
		var ok bool
		if prepared, prepDeps, ok = s.rs.Sign(j.Reads, &page); !ok {
			return unsignedBit | unsigned.Add(1), nil
		}
	case j.Prepare != nil:
		j.Prepare(&page)
	}
	sum, deps, ok := s.rs.Sign(plan, &page)
	if !ok {
		return unsignedBit | unsigned.Add(1), nil
	}
	deps = append(deps, prepDeps...)
	h := reads.NewHash()
	var b [8]byte
	for _, v := range []uint64{s.stamp, sum} {
		binary.LittleEndian.PutUint64(b[:], v)
		h.Write(b[:])
	}
	if j.Reads != nil {
		h.WriteByte('p') // Prepare signed by its reads
		binary.LittleEndian.PutUint64(b[:], prepared)
		h.Write(b[:])
	}
	h.WriteString(j.Template)
	for _, own := range []any{page.Dossier, page.Actor, page.Treaty, page.Quote, page.Tag} {
		if v := reflect.ValueOf(own); !v.IsNil() {
			deps = append(deps, s.entity(v))
		}
	}
	if s.extra != nil {
		sum, keys := s.extra(&page)
		binary.LittleEndian.PutUint64(b[:], sum)
		h.Write(b[:])
		c.mu.Lock()
		for _, k := range keys {
			deps = append(deps, c.id(k))
		}
		c.mu.Unlock()
	}
	slices.Sort(deps)
	return h.Sum64() &^ unsignedBit, slices.Compact(deps) // the bit marks pages that cannot be signed
}
