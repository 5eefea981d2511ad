package resolve

import (
	"slices"
	"sort"
	"strings"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/model"
)

// Cache keeps a resolution between builds (watch mode), so that an edit
// that changes nothing another file refers to is patched in instead of
// resolving the whole site again: a dossier's body, its summary, source or
// the text of its quotes. Anything else — an actor or treaty file, a
// dossier added or removed, a new title, date, list of actors, treaties or
// tags, quotes added, moved or given another speaker or date, any error —
// resolves everything, as Site without a cache does. The result is the same
// either way (TestIncrementalEqualsClean in package generator).
//
// The cache keeps the last resolution's own copies and updates them when
// it patches; the parsed values it was resolved from are only read.
type Cache struct {
	gen  uint64 // Site calls
	last *Patch // what the last call patched; nil: it resolved everything
	ok   bool   // the last resolution had no error: it can be patched
	opts Options
	ix   *Index // of the copies below
	// What the last resolution produced, in display order.
	dossiers []*model.Dossier
	actors   []*model.Actor
	treaties []*model.Treaty
	quotes   []*model.Quote
	tags     []*model.Tag
	// What it was resolved from, parse's values, which parse never writes
	// again: every dossier by slug, drafts included, and the actors and
	// treaties.
	parsed         map[string]*model.Dossier
	parsedActors   []*model.Actor
	parsedTreaties []*model.Treaty
}

// Patch is what a patched resolution changed, for later stages that keep
// their own results between builds: nothing else moved, in no list.
type Patch struct {
	// From is the Generation of the resolution this one patched.
	From uint64
	// Dossiers maps each changed dossier as it was (the last resolution's
	// copy) to the copy that replaces it; Quotes likewise, for each quote
	// of those dossiers.
	Dossiers map[*model.Dossier]*model.Dossier
	Quotes   map[*model.Quote]*model.Quote
	// Mentioned holds the keys (see model.Key) of the entities whose
	// "mentioned in" list changed.
	Mentioned []string
}

// Generation counts resolutions made with the cache.
func (c *Cache) Generation() uint64 { return c.gen }

// LastPatch is what the last resolution changed, or nil when it resolved
// everything.
func (c *Cache) LastPatch() *Patch { return c.last }

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{} }

// patch resolves parsed from the last resolution when only dossiers
// changed, and only in ways no other entity sees. It reports false, having
// changed nothing that a full resolution does not redo, when it cannot.
func (c *Cache) patch(parsed *model.Site, opts Options, errs *diag.List) (*model.Site, bool) {
	if !c.ok || !sameOptions(c.opts, opts) || len(parsed.Broken) > 0 || errs.Len() > 0 ||
		!sameSet(parsed.Actors, c.parsedActors) || !sameSet(parsed.Treaties, c.parsedTreaties) || len(parsed.Dossiers) != len(c.parsed) {
		return nil, false
	}
	changes, ok := c.changedDossiers(parsed, opts)
	if !ok || !c.relink(changes, opts) {
		return nil, false
	}
	patch, dossier := c.commit(changes)
	// Backlinks once every new dossier holds its lists: one may be the
	// target of another's links.
	for _, ch := range changes {
		if ch.new != nil && !slices.Equal(ch.old.Body.Links, ch.new.Body.Links) {
			patch.Mentioned = append(patch.Mentioned, c.mentions(ch.old, ch.new)...)
		}
	}
	c.swapIn(dossier, patch.Quotes)
	c.gen++
	c.last = patch
	return &model.Site{Dossiers: c.dossiers, Actors: c.actors, Treaties: c.treaties, Quotes: c.quotes, Tags: c.tags, Broken: parsed.Broken}, true
}

// sameOptions compares options but their URL scheme, which is made anew
// by each build from dossier.toml, whose change starts a new cache.
func sameOptions(a, b Options) bool {
	a.URLs, b.URLs = nil, nil
	return a == b
}

// change is one dossier a patch replaces.
type change struct {
	parsed *model.Dossier // as parse handed it over
	// old is the last resolution's copy, new the copy that replaces it;
	// both nil for a draft left out.
	old, new *model.Dossier
}

// changedDossiers lists the dossiers whose files changed, each with a new
// copy; ok is false when one changed in a way others see, or was added or
// removed.
func (c *Cache) changedDossiers(parsed *model.Site, opts Options) (changes []change, ok bool) {
	for _, d := range parsed.Dossiers {
		p, ok := c.parsed[d.Slug]
		if !ok {
			return nil, false // added (and another removed)
		}
		if p == d {
			continue // parse hands over the same value for the same files
		}
		if !sameReferences(p, d) {
			return nil, false
		}
		ch := change{parsed: d}
		if !d.Draft || opts.IncludeDrafts {
			ch.old, ch.new = c.ix.Dossiers[d.Slug], copyDossier(d)
			if ch.old == nil {
				return nil, false
			}
		}
		changes = append(changes, ch)
	}
	return changes, true
}

// relink resolves the links of the new bodies. An error there means a full
// resolution, which reports it in its place: it reports false, with the
// index as it was.
func (c *Cache) relink(changes []change, opts Options) bool {
	var local diag.List
	l := &linker{ix: c.ix, base: opts.BasePath, urls: opts.URLs, errs: &local}
	for _, ch := range changes {
		if ch.new == nil {
			continue
		}
		c.ix.Dossiers[ch.new.Slug] = ch.new
		l.body(&ch.new.Body)
		for _, q := range ch.new.Quotes {
			l.body(&q.Text)
			l.body(&q.Context)
		}
	}
	if local.Len() == 0 {
		return true
	}
	for _, ch := range changes {
		if ch.new != nil {
			c.ix.Dossiers[ch.new.Slug] = ch.old
		}
	}
	return false
}

// commit gives the new copies of dossiers and quotes the derived lists of
// the old ones, and returns the patch and the dossiers to swap in every
// list.
func (c *Cache) commit(changes []change) (*Patch, map[*model.Dossier]*model.Dossier) {
	dossier := map[*model.Dossier]*model.Dossier{}
	quote := map[*model.Quote]*model.Quote{}
	patch := &Patch{From: c.gen, Dossiers: dossier, Quotes: quote}
	for _, ch := range changes {
		c.parsed[ch.parsed.Slug] = ch.parsed
		o, n := ch.old, ch.new
		if n == nil {
			continue
		}
		n.ActorList, n.TreatyList, n.Related, n.MentionedBy = o.ActorList, o.TreatyList, o.Related, o.MentionedBy
		for i, q := range n.Quotes {
			q.SpeakerActor = o.Quotes[i].SpeakerActor
			quote[o.Quotes[i]] = q
		}
		dossier[o] = n
	}
	return patch, dossier
}

// swapIn puts the new dossiers and quotes in the old ones' places in every
// list of the last resolution.
func (c *Cache) swapIn(dossier map[*model.Dossier]*model.Dossier, quote map[*model.Quote]*model.Quote) {
	swapAll := func(list []*model.Dossier) {
		for i, d := range list {
			if n, ok := dossier[d]; ok {
				list[i] = n
			}
		}
	}
	if len(dossier) > 0 {
		swapAll(c.dossiers)
		for _, d := range c.dossiers {
			swapAll(d.MentionedBy)
			for i, r := range d.Related {
				if n, ok := dossier[r.Dossier]; ok {
					d.Related[i].Dossier = n
				}
			}
		}
		for _, a := range c.actors {
			swapAll(a.Dossiers)
			swapAll(a.MentionedBy)
		}
		for _, t := range c.treaties {
			swapAll(t.Dossiers)
		}
		for _, tag := range c.tags {
			swapAll(tag.Dossiers)
		}
	}
	swapQuotes := func(list []*model.Quote) {
		for i, q := range list {
			if n, ok := quote[q]; ok {
				list[i] = n
			}
		}
	}
	if len(quote) > 0 {
		swapQuotes(c.quotes)
		for _, a := range c.actors {
			swapQuotes(a.Quotes)
		}
	}
}

// mentions moves the "mentioned in" backlinks of o to n, its replacement
// whose body links elsewhere, as derive files them, and returns the keys
// of the entities whose list it changed.
func (c *Cache) mentions(o, n *model.Dossier) []string {
	touched := map[*[]*model.Dossier]bool{}
	var keys []string
	list := func(key string) *[]*model.Dossier {
		kind, slug, _ := strings.Cut(key, "/")
		switch kind {
		case "actor":
			if a := c.ix.Actors[slug]; a != nil && !slices.Contains(n.ActorList, a) {
				return &a.MentionedBy
			}
		case "dossier":
			if d := c.ix.Dossiers[slug]; d != nil && d != n {
				return &d.MentionedBy
			}
		}
		return nil
	}
	for _, key := range o.Body.Links {
		if l := list(key); l != nil {
			*l = slices.DeleteFunc(*l, func(d *model.Dossier) bool { return d == o })
			touched[l] = true
			keys = append(keys, key)
		}
	}
	for _, key := range n.Body.Links {
		if l := list(key); l != nil {
			*l = append(*l, n)
			touched[l] = true
			keys = append(keys, key)
		}
	}
	for l := range touched {
		sort.Slice(*l, func(i, j int) bool { return newer((*l)[i], (*l)[j]) })
	}
	return keys
}

// remember keeps a full resolution of parsed for the next build.
func (c *Cache) remember(parsed, site *model.Site, ix *Index, opts Options, ok bool) {
	c.gen++
	c.ok, c.opts, c.ix, c.last = ok, opts, ix, nil
	c.dossiers, c.actors, c.treaties, c.quotes, c.tags = site.Dossiers, site.Actors, site.Treaties, site.Quotes, site.Tags
	c.parsedActors, c.parsedTreaties = parsed.Actors, parsed.Treaties
	c.parsed = make(map[string]*model.Dossier, len(parsed.Dossiers))
	for _, d := range parsed.Dossiers {
		c.parsed[d.Slug] = d
	}
}

// sameSet reports whether a and b hold the same pointers.
func sameSet[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	in := make(map[T]bool, len(b))
	for _, x := range b {
		in[x] = true
	}
	for _, x := range a {
		if !in[x] {
			return false
		}
	}
	return true
}

// sameReferences reports whether n, the new version of o, is the same to
// every other entity: the same title (names are looked up), date (lists
// are sorted by it) and updated date (the sitemap's lastmod), draft state, front matter references in the same
// order, and quotes with the same IDs, speakers, dates and lines (their
// order in lists).
func sameReferences(o, n *model.Dossier) bool {
	if o.Slug != n.Slug || o.Title != n.Title || !o.Date.Equal(n.Date.Time) || !o.Updated.Equal(n.Updated.Time) || o.Draft != n.Draft ||
		!sameRefs(o.Actors, n.Actors) || !sameRefs(o.Treaties, n.Treaties) || !sameRefs(o.Tags, n.Tags) || !sameRefs(o.RedirectFrom, n.RedirectFrom) ||
		len(o.Quotes) != len(n.Quotes) {
		return false
	}
	for i, q := range o.Quotes {
		m := n.Quotes[i]
		if q.ID != m.ID || q.Speaker.Slug != m.Speaker.Slug || !q.Date.Equal(m.Date.Time) || q.Pos.Line != m.Pos.Line {
			return false
		}
	}
	return true
}

func sameRefs(a, b []model.Ref) bool {
	return slices.EqualFunc(a, b, func(x, y model.Ref) bool { return x.Slug == y.Slug && x.Text == y.Text })
}
