// Package pagecache owns the pages kept between builds (watch mode): the
// last page list, each page's bytes and a signature of what it showed, so
// that a rebuild executes only the templates whose inputs changed. After a
// resolution that only patched some dossiers in, the page list is kept and
// only the pages that showed those dossiers are signed again.
package pagecache

import (
	"encoding/binary"
	"hash/maphash"
	"maps"
	"slices"
	"sort"
	"sync"

	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/resolve"
	"github.com/dossier-ssg/dossier/generator/urls"
	"github.com/dossier-ssg/dossier/generator/view"
)

// PageCache keeps the last output of every page with a signature of what the
// page showed, so a rebuild executes only the templates whose inputs changed.
// It is only correct across builds with the same theme and settings: the
// caller starts a new cache when those change.
//
// When it follows a resolve.Cache and the last resolution only patched a
// few dossiers in (resolve.Patch), it keeps the last build's page list and
// signatures, and signs again only the pages that covered those dossiers,
// found through an index of the dossiers each page's signature covered.
type PageCache struct {
	mu      sync.Mutex
	entries map[string]pageEntry

	resolved  *resolve.Cache
	gen       uint64 // the resolution jobs were made from
	stamp     uint64
	jobs      []Job // nil: the next build makes the page list again
	sigs      []uint64
	deps      [][]*model.Dossier       // by job: the dossiers its signature covered
	byDossier map[*model.Dossier][]int // the jobs covering each dossier
	byOut     map[string]int
	sitemap   map[string][]byte // the hosting files of the last build
	pageFiles map[string][]byte // the pages of the last build, by output path
	faces     map[*model.Dossier]uint64
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
}

// Last returns the signatures and bytes the last build kept for jobs, the
// list Patched returned.
func (c *PageCache) Last(jobs []Job) (sigs []uint64, outs [][]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sigs, outs = make([]uint64, len(jobs)), make([][]byte, len(jobs))
	for i, j := range jobs {
		sigs[i], outs[i] = c.sigs[i], c.entries[j.Out].data
	}
	return sigs, outs
}

type pageEntry struct {
	sig  uint64
	data []byte
}

// NewPageCache returns an empty cache.
func NewPageCache() *PageCache { return &PageCache{entries: map[string]pageEntry{}} }

// Follow lets the cache reuse its page list after the resolutions of r
// that patch (see resolve.Cache).
func (c *PageCache) Follow(r *resolve.Cache) { c.resolved = r }

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
	mark := func(i int) {
		if !seen[i] {
			seen[i] = true
			look = append(look, i)
		}
	}
	for o, n := range p.Dossiers {
		if o.Lang != n.Lang {
			return nil, nil, nil // the language of its pages: labels, typography
		}
		for _, i := range c.byDossier[o] {
			mark(i)
		}
	}
	for _, key := range p.Mentioned {
		if i, ok := c.byOut[urls.File(urls.Key(key))]; ok {
			mark(i)
		}
	}
	sort.Ints(look)
	for _, i := range look {
		swapIn(c.jobs[i].Page, p.Dossiers, p.Quotes)
	}
	return c.jobs, look, p
}

// swapIn puts the new values of changed dossiers and quotes in a kept page.
func swapIn(p *view.Page, dossiers map[*model.Dossier]*model.Dossier, quotes map[*model.Quote]*model.Quote) {
	d := func(x *model.Dossier) *model.Dossier {
		if n, ok := dossiers[x]; ok {
			return n
		}
		return x
	}
	q := func(x *model.Quote) *model.Quote {
		if n, ok := quotes[x]; ok {
			return n
		}
		return x
	}
	p.Dossier, p.Quote = d(p.Dossier), q(p.Quote)
	if p.Kind == "dossier" {
		p.Description = p.Dossier.Summary // as pages sets it
	}
	for i := range p.Dossiers {
		p.Dossiers[i] = d(p.Dossiers[i])
	}
	for i := range p.Quotes {
		p.Quotes[i] = q(p.Quotes[i])
	}
	for _, g := range p.QuoteDays {
		for i := range g.Quotes {
			g.Quotes[i] = q(g.Quotes[i])
		}
	}
	for _, y := range p.Years {
		for i := range y.Entries {
			e := &y.Entries[i]
			if e.Dossier != nil {
				e.Dossier = d(e.Dossier)
			}
			if e.Quote != nil {
				e.Quote = q(e.Quote)
			}
		}
	}
}

// keep stores this build's pages: all of them, or after a patch those in
// look, and returns every page made (not emitted, not failed) by output
// path. A failed page makes the next build start from a new page list.
func (c *PageCache) Keep(jobs []Job, look []int, sigs []uint64, deps [][]*model.Dossier, outs [][]byte, patched bool, stamp uint64, failed bool) map[string][]byte {
	if c == nil || !patched {
		pages := make(map[string][]byte, len(jobs)+64)
		for i, j := range jobs {
			if outs[i] != nil {
				pages[j.Out] = outs[i]
			}
		}
		if c == nil {
			return pages
		}
		c.pageFiles = pages
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !patched {
		c.entries = make(map[string]pageEntry, len(jobs))
	}
	for _, i := range look {
		if outs[i] != nil {
			c.entries[jobs[i].Out] = pageEntry{sig: sigs[i], data: outs[i]}
			c.pageFiles[jobs[i].Out] = outs[i]
		}
	}
	files := maps.Clone(c.pageFiles) // the caller adds hosting and search files
	c.jobs = nil
	if c.resolved == nil || failed {
		return files
	}
	c.gen, c.stamp, c.sigs = c.resolved.Generation(), stamp, sigs
	if !patched {
		c.deps = deps
		c.byDossier = map[*model.Dossier][]int{}
		c.byOut = make(map[string]int, len(jobs))
		for i, j := range jobs {
			c.byOut[j.Out] = i
			c.fileDeps(i, deps[i])
		}
		c.jobs = jobs
		return files
	}
	for _, i := range look {
		for _, d := range c.deps[i] {
			list := slices.DeleteFunc(c.byDossier[d], func(k int) bool { return k == i })
			if len(list) == 0 {
				delete(c.byDossier, d)
			} else {
				c.byDossier[d] = list
			}
		}
		c.deps[i] = deps[i]
		c.fileDeps(i, deps[i])
	}
	c.jobs = jobs
	return files
}

// fileDeps files job i under the dossiers it covers, once each.
func (c *PageCache) fileDeps(i int, deps []*model.Dossier) {
	for _, d := range deps {
		if list := c.byDossier[d]; len(list) == 0 || list[len(list)-1] != i {
			c.byDossier[d] = append(list, i)
		}
	}
}

// hosting returns the hosting files a patched build keeps, or nil.
func (c *PageCache) Hosting(patched bool) map[string][]byte {
	if c == nil || !patched || c.sitemap == nil {
		return nil
	}
	return maps.Clone(c.sitemap)
}

func (c *PageCache) KeepHosting(files map[string][]byte) {
	if c != nil {
		c.sitemap = files
	}
}

// sig is an FNV-1a hash over what a page shows. Entities contribute their
// source stamps; lists contribute their members in order. It also notes the
// dossiers it covers (a quote counts as its dossier): a rebuild after a
// patched resolution looks again only at the pages of changed dossiers.
type sig struct {
	h     uint64
	deps  []*model.Dossier
	faces map[*model.Dossier]uint64 // faceOf each dossier, when known
}

func newSig() sig { return sig{h: 14695981039346656037} }

func (s *sig) u64(v uint64) {
	for i := 0; i < 8; i++ {
		s.h ^= v & 0xff
		s.h *= 1099511628211
		v >>= 8
	}
}

func (s *sig) str(v string) {
	for i := 0; i < len(v); i++ {
		s.h ^= uint64(v[i])
		s.h *= 1099511628211
	}
	s.u64(uint64(len(v)))
}

// face covers what pages other than its own show of a dossier: everything
// but its body and its quotes' text, so that editing an article re-executes
// its own page and not every list it is on.
func (s *sig) face(d *model.Dossier) {
	f, ok := s.faces[d]
	if !ok {
		f = faceOf(d)
	}
	s.u64(f)
	s.deps = append(s.deps, d)
}

// faceOf hashes the fields of a dossier a card, line or map node may show.
func faceOf(d *model.Dossier) uint64 {
	var h maphash.Hash
	h.SetSeed(faceSeed)
	for _, v := range []string{d.Slug, d.File, d.Title, d.Date.ISO(), d.Lang, d.Summary,
		d.Source.Publisher, d.Source.URL, d.Source.Published.ISO(), d.Source.Author} {
		h.WriteString(v)
		h.WriteByte(0)
	}
	for _, refs := range [][]model.Ref{d.Actors, d.Treaties, d.Tags} {
		for _, r := range refs {
			h.WriteString(r.Slug)
			h.WriteByte(0)
		}
		h.WriteByte(1)
	}
	for _, a := range d.Attachments {
		h.WriteString(a)
		h.WriteByte(0)
	}
	var b [9]byte
	binary.LittleEndian.PutUint64(b[:8], uint64(len(d.Quotes)))
	if d.Draft {
		b[8] = 1
	}
	h.Write(b[:])
	return h.Sum64()
}

// lists covers the lists a page shows.
func (s *sig) lists(p *view.Page) {
	for _, d := range p.Dossiers {
		s.dossier(d)
	}
	for _, q := range p.Quotes {
		s.quote(q)
	}
	for _, g := range p.ActorKinds {
		s.str(g.Kind)
		for _, a := range g.Actors {
			s.actor(a)
		}
	}
	for _, t := range p.Treaties {
		s.treaty(t)
		for _, a := range t.PartyList {
			s.actor(a)
		}
	}
	for _, tag := range p.Tags {
		s.str(tag.Slug)
		s.u64(uint64(len(tag.Dossiers)))
	}
	if p.Tag != nil {
		s.u64(uint64(len(p.Tag.Dossiers)))
	}
	for _, y := range p.Years {
		s.u64(uint64(y.Year))
		for _, e := range y.Entries {
			s.str(e.Kind)
			switch e.Kind {
			case "dossier":
				s.dossier(e.Dossier)
			case "treaty":
				s.treaty(e.Treaty)
				for _, a := range e.Treaty.PartyList {
					s.actor(a)
				}
			case "quote":
				s.quote(e.Quote)
			}
		}
	}
	for _, f := range p.Filters {
		s.str(f.Label)
		s.str(f.Path)
	}
}

// entities covers the entity a page is about and what its page shows of it.
func (s *sig) entities(p *view.Page) {
	if d := p.Dossier; d != nil {
		s.dossier(d)
		if p.Kind == "dossier" {
			// Its own page shows all of it: the article too.
			s.u64(d.Stamp)
			s.str(d.Body.LinkSig)
		}
		for _, t := range d.TreatyList {
			s.treaty(t)
		}
		for _, r := range d.Related {
			s.dossier(r.Dossier)
		}
		for _, m := range d.MentionedBy {
			s.dossier(m)
		}
		for _, q := range d.Quotes {
			s.quote(q)
		}
	}
	if q := p.Quote; q != nil {
		s.quote(q)
	}
	if a := p.Actor; a != nil && p.Kind == "actor" {
		s.actor(a)
		s.actor(a.CountryActor)
		for _, c := range a.Citizens {
			s.actor(c)
		}
		for _, t := range a.Treaties {
			s.treaty(t)
		}
		for _, r := range a.RelatedTo {
			s.actor(r.Actor)
			s.u64(uint64(r.Count))
		}
		for _, m := range a.MentionedBy {
			s.dossier(m)
		}
		// The map shows every neighbour: its dossiers and treaties.
		for _, d := range a.Dossiers {
			s.face(d)
		}
	}
	if a := p.Actor; a != nil && p.Kind == "timeline" {
		s.actor(a)
	}
	if t := p.Treaty; t != nil {
		s.treaty(t)
		for _, a := range t.PartyList {
			s.actor(a)
		}
		for _, c := range t.Chain {
			s.treaty(c)
		}
		for _, o := range t.SupersedesList {
			s.treaty(o)
		}
		s.treaty(t.SupersededByItem)
		for _, d := range t.Dossiers {
			s.face(d)
		}
	}
}

// faceSeed is fixed for the process: faces are compared across builds.
var faceSeed = maphash.MakeSeed()

// faces hashes the face of every dossier, or, after a patch, of those it
// changed, keeping the others'.
func (c *PageCache) Faces(site *model.Site, patch *resolve.Patch) map[*model.Dossier]uint64 {
	if c == nil {
		return nil
	}
	if patch == nil || c.faces == nil {
		c.faces = make(map[*model.Dossier]uint64, len(site.Dossiers))
		for _, d := range site.Dossiers {
			c.faces[d] = faceOf(d)
		}
		return c.faces
	}
	for o, n := range patch.Dossiers {
		delete(c.faces, o)
		c.faces[n] = faceOf(n)
	}
	return c.faces
}

func (s *sig) dossier(d *model.Dossier) {
	if d == nil {
		s.u64(0)
		return
	}
	s.face(d)
	// Cards show the dossier's actor chips.
	for _, a := range d.ActorList {
		s.actor(a)
	}
}

func (s *sig) actor(a *model.Actor) {
	if a == nil {
		s.u64(1)
		return
	}
	s.u64(a.Stamp)
}

func (s *sig) treaty(t *model.Treaty) {
	if t == nil {
		s.u64(2)
		return
	}
	s.u64(t.Stamp)
	s.str(t.Status)
}

// quote covers a quote: its dossier's face and the quote itself (its text
// and context are in the dossier's quotes.md, not in its face).
func (s *sig) quote(q *model.Quote) {
	s.face(q.Dossier)
	s.str(q.ID)
	s.str(q.Speaker.Slug)
	s.str(q.Date.ISO())
	for _, b := range []*model.Body{&q.Text, &q.Context} {
		s.str(string(b.Src))
		s.str(b.LinkSig)
	}
	s.actor(q.SpeakerActor)
}

// signature sums up everything the page's template may show, and lists the
// dossiers it covers. It must cover every field a template reads:
// TestIncrementalEqualsClean holds that.
func Signature(p *view.Page, stamp uint64, tmpl string, counts map[string]int, faces map[*model.Dossier]uint64) (uint64, []*model.Dossier) {
	s := newSig()
	s.faces = faces
	s.u64(stamp)
	s.str(tmpl)
	s.str(p.Path)
	s.str(p.Title)
	if p.Pager != nil {
		s.u64(uint64(p.Pager.Number))
		s.u64(uint64(p.Pager.Total))
	}
	s.u64(uint64(p.MoreDossiers))
	s.u64(uint64(p.MoreQuotes))
	switch p.Kind {
	case "home", "quotes":
		for _, k := range []string{"dossiers", "actors", "treaties", "quotes"} {
			s.u64(uint64(counts[k]))
		}
	}
	s.lists(p)
	s.entities(p)
	return s.h, s.deps
}

// NetworkSignature sums up what the site-wide map shows: actors and treaties,
// their relations, and how many dossiers name each (which ranks them). A
// dossier's text does not count, so editing an article keeps the map.
func NetworkSignature(site *model.Site) uint64 {
	s := newSig()
	for _, a := range site.Actors {
		s.str(a.Slug)
		s.u64(a.Stamp)
		s.u64(uint64(len(a.Dossiers)))
		for _, r := range a.RelatedTo {
			s.str(r.Actor.Slug)
			s.u64(uint64(r.Count))
		}
	}
	for _, t := range site.Treaties {
		s.str(t.Slug)
		s.u64(t.Stamp)
		s.u64(uint64(len(t.Dossiers)))
	}
	return s.h
}
