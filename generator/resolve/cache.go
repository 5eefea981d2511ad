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
type Cache struct {
	gen  uint64 // Site calls
	last *Patch // what the last call patched; nil: it resolved everything
	ok   bool   // the last resolution had no error: it can be patched
	opts Options
	ix   *Index
	// What the last resolution produced, in display order.
	dossiers []*model.Dossier
	actors   []*model.Actor
	treaties []*model.Treaty
	quotes   []*model.Quote
	tags     []*model.Tag
	// Every dossier parsed last time, drafts included, by slug, with the
	// quotes it had then (parse replaces them without a new dossier when
	// only quotes.md changed).
	parsed map[string]parsedDossier
}

// Patch is what a patched resolution changed, for later stages that keep
// their own results between builds: nothing else moved, in no list.
type Patch struct {
	// From is the Generation of the resolution this one patched.
	From uint64
	// Dossiers maps each changed dossier as it was to itself as it is
	// (the same value when only its quotes.md changed); Quotes likewise.
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

type parsedDossier struct {
	d      *model.Dossier
	quotes []*model.Quote
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{} }

// patch resolves site from the last resolution when only dossiers changed,
// and only in ways no other entity sees. It reports false, having changed
// nothing that a full resolution does not redo, when it cannot.
func (c *Cache) patch(site *model.Site, opts Options, errs *diag.List) bool {
	if !c.ok || c.opts != opts || len(site.Broken) > 0 || errs.Len() > 0 ||
		!sameSet(site.Actors, c.actors) || !sameSet(site.Treaties, c.treaties) || len(site.Dossiers) != len(c.parsed) {
		return false
	}
	changes, ok := c.changedDossiers(site)
	if !ok {
		return false
	}
	oldLinks := make([][]string, len(changes))
	for i, ch := range changes {
		oldLinks[i] = slices.Clone(ch.old.Body.Links)
	}
	if !c.relink(changes, opts) {
		return false
	}
	patch, dossier := c.commit(changes, opts)
	// Backlinks once every new dossier holds its lists: one may be the
	// target of another's links.
	for i, ch := range changes {
		if ch.new.Draft && !opts.IncludeDrafts {
			continue
		}
		if !slices.Equal(oldLinks[i], ch.new.Body.Links) {
			patch.Mentioned = append(patch.Mentioned, c.mentions(ch.old, oldLinks[i], ch.new)...)
		}
	}
	c.swapIn(dossier, patch.Quotes)
	site.Dossiers, site.Actors, site.Treaties, site.Quotes, site.Tags = c.dossiers, c.actors, c.treaties, c.quotes, c.tags
	c.gen++
	c.last = patch
	return true
}

// change is one dossier a patch replaces.
type change struct {
	old, new  *model.Dossier
	oldQuotes []*model.Quote
}

// changedDossiers lists the dossiers whose file or quotes changed; ok is
// false when one changed in a way others see, or was added or removed.
func (c *Cache) changedDossiers(site *model.Site) (changes []change, ok bool) {
	for _, d := range site.Dossiers {
		p, ok := c.parsed[d.Slug]
		if !ok {
			return nil, false // added (and another removed)
		}
		if p.d == d && slices.Equal(p.quotes, d.Quotes) {
			continue
		}
		if !sameReferences(p.d, p.quotes, d) {
			return nil, false
		}
		changes = append(changes, change{p.d, d, p.quotes})
	}
	return changes, true
}

// relink resolves the links of the new bodies. An error there means a full
// resolution, which reports it in its place: it reports false, with the
// index as it was.
func (c *Cache) relink(changes []change, opts Options) bool {
	var local diag.List
	l := &linker{ix: c.ix, base: opts.BasePath, errs: &local}
	for _, ch := range changes {
		if ch.new.Draft && !opts.IncludeDrafts {
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
		if c.ix.Dossiers[ch.new.Slug] == ch.new {
			c.ix.Dossiers[ch.new.Slug] = ch.old
		}
	}
	return false
}

// commit gives the new dossiers and quotes the derived lists of the old
// ones, and returns the patch and the dossiers to swap in every list.
func (c *Cache) commit(changes []change, opts Options) (*Patch, map[*model.Dossier]*model.Dossier) {
	dossier := map[*model.Dossier]*model.Dossier{}
	quote := map[*model.Quote]*model.Quote{}
	patch := &Patch{From: c.gen, Dossiers: map[*model.Dossier]*model.Dossier{}, Quotes: quote}
	for _, ch := range changes {
		o, n := ch.old, ch.new
		c.parsed[n.Slug] = parsedDossier{n, slices.Clone(n.Quotes)}
		if n.Draft && !opts.IncludeDrafts {
			continue
		}
		patch.Dossiers[o] = n
		for i, q := range n.Quotes {
			old := ch.oldQuotes[i]
			q.SpeakerActor = old.SpeakerActor
			if old != q {
				quote[old] = q
			}
		}
		if o != n {
			n.ActorList, n.TreatyList, n.Related, n.MentionedBy = o.ActorList, o.TreatyList, o.Related, o.MentionedBy
			dossier[o] = n
		}
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

// mentions moves the "mentioned in" backlinks of o, whose body linked to
// oldLinks, to n and its body's links, as derive files them, and returns
// the keys of the entities whose list it changed.
func (c *Cache) mentions(o *model.Dossier, oldLinks []string, n *model.Dossier) []string {
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
	for _, key := range oldLinks {
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

// remember keeps a full resolution for the next build.
func (c *Cache) remember(site *model.Site, ix *Index, opts Options, parsed []*model.Dossier, ok bool) {
	c.gen++
	c.ok, c.opts, c.ix, c.last = ok, opts, ix, nil
	c.dossiers, c.actors, c.treaties, c.quotes, c.tags = site.Dossiers, site.Actors, site.Treaties, site.Quotes, site.Tags
	c.parsed = make(map[string]parsedDossier, len(parsed))
	for _, d := range parsed {
		c.parsed[d.Slug] = parsedDossier{d, slices.Clone(d.Quotes)}
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

// sameReferences reports whether n, the new version of o (whose quotes were
// quotes), is the same to every other entity: the same title (names are
// looked up), date (lists are sorted by it), draft state, front matter
// references in the same order, and quotes with the same IDs, speakers,
// dates and lines (their order in lists).
func sameReferences(o *model.Dossier, quotes []*model.Quote, n *model.Dossier) bool {
	if o.Slug != n.Slug || o.Title != n.Title || !o.Date.Equal(n.Date.Time) || o.Draft != n.Draft ||
		!sameRefs(o.Actors, n.Actors) || !sameRefs(o.Treaties, n.Treaties) || !sameRefs(o.Tags, n.Tags) || !sameRefs(o.RedirectFrom, n.RedirectFrom) ||
		len(quotes) != len(n.Quotes) {
		return false
	}
	for i, q := range quotes {
		m := n.Quotes[i]
		if q.ID != m.ID || q.Speaker.Slug != m.Speaker.Slug || !q.Date.Equal(m.Date.Time) || q.Pos.Line != m.Pos.Line {
			return false
		}
	}
	return true
}

func sameRefs(a, b []model.Ref) bool {
	return slices.EqualFunc(a, b, func(x, y model.Ref) bool { return x.Slug == y.Slug })
}
