package render

import (
	"sync"

	"github.com/dossier-ssg/dossier/generator/search"

	"github.com/dossier-ssg/dossier/generator/model"
)

// PageCache keeps the last output of every page with a signature of what the
// page showed, so a rebuild executes only the templates whose inputs changed.
// It is only correct across builds with the same theme and settings: the
// caller starts a new cache when those change.
type PageCache struct {
	mu      sync.Mutex
	entries map[string]pageEntry
	// search holds the last search index and the content it was built from.
	search    Files
	searchSig uint64
	analysis  *search.Cache
}

type pageEntry struct {
	sig  uint64
	data []byte
}

// NewPageCache returns an empty cache.
func NewPageCache() *PageCache { return &PageCache{entries: map[string]pageEntry{}} }

func (c *PageCache) lookup(out string, sig uint64) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[out]
	return e.data, ok && e.sig == sig
}

// replace keeps exactly the pages of the latest build.
func (c *PageCache) replace(entries map[string]pageEntry) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.entries = entries
	c.mu.Unlock()
}

// sig is an FNV-1a hash over what a page shows. Entities contribute their
// source stamps; lists contribute their members in order.
type sig uint64

func newSig() sig { return 14695981039346656037 }

func (s *sig) u64(v uint64) {
	for i := 0; i < 8; i++ {
		*s ^= sig(v & 0xff)
		*s *= 1099511628211
		v >>= 8
	}
}

func (s *sig) str(v string) {
	for i := 0; i < len(v); i++ {
		*s ^= sig(v[i])
		*s *= 1099511628211
	}
	s.u64(uint64(len(v)))
}

func (s *sig) dossier(d *model.Dossier) {
	if d == nil {
		s.u64(0)
		return
	}
	s.u64(d.Stamp)
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

func (s *sig) quote(q *model.Quote) {
	s.u64(q.Dossier.Stamp)
	s.str(q.ID)
	s.actor(q.SpeakerActor)
}

// signature sums up everything the page's template may show. It must cover
// every field a template reads: TestIncrementalEqualsClean holds that.
func (p *Page) signature(stamp uint64, tmpl string, counts map[string]int) uint64 {
	s := newSig()
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
				s.u64(e.Quote.Dossier.Stamp)
			}
		}
	}
	for _, f := range p.Filters {
		s.str(f.Label)
		s.str(f.Path)
	}
	if d := p.Dossier; d != nil {
		s.dossier(d)
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
			s.u64(d.Stamp)
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
			s.u64(d.Stamp)
		}
	}
	return uint64(s)
}
