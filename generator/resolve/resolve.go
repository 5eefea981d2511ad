// Package resolve owns the third stage: it connects the parsed files. It
// indexes slugs and aliases, checks every reference (front matter, quote
// speakers, [[wikilinks]], links to .md files) with a "did you mean"
// suggestion, rewrites links to page URLs, and derives the two-way relations
// (backlinks, related actors and dossiers, treaty chains) that pages show.
//
// Resolution never writes the values parse made: it derives into shallow
// copies of them (each dossier with its quotes, each actor and treaty) and
// returns those as the resolved site, so parse's values can be kept and
// resolved again, build after build (see Site, and Options.InPlace for a
// build that keeps nothing).
package resolve

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/urls"
)

// Options configure resolution.
type Options struct {
	// BasePath prefixes every page URL written into Markdown links ("/" or "/sub/").
	BasePath string
	// URLs is the site's URL scheme (urls.Single of the entities' language when nil).
	URLs *urls.Scheme
	// Lang is the language of the site resolved: its tags' tree, and the
	// collation that orders lists of names (actors by name, related actors
	// of equal rank); "" sorts as English does.
	Lang string
	// IncludeDrafts keeps draft dossiers (for serve); otherwise they are dropped.
	IncludeDrafts bool
	// Cache, when set, keeps the resolution for the next call, which then
	// patches it if it can (see Cache).
	Cache *Cache
	// InPlace derives into the parsed entities themselves instead of
	// copies, sparing a copy of every entity: for a build that nothing
	// follows, whose parsed values nothing else holds (no parse cache).
	// The parsed site must not be resolved again.
	InPlace bool
}

// Index finds entities by slug or name.
type Index struct {
	Dossiers map[string]*model.Dossier
	Actors   map[string]*model.Actor
	Treaties map[string]*model.Treaty
	// names maps a case-folded actor name or alias, treaty or dossier title to
	// the entity keys that claim it.
	names  map[string][]string
	drafts map[string]bool
	broken map[string]bool // entity keys whose file was refused (model.Site.Broken)
}

// Fold is the case folding used for [[Alias]] lookups.
func Fold(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// Site resolves the parsed site and returns the resolved site, with the
// index of its entities. The resolved site holds shallow copies of parsed's
// entities (each dossier with its quotes re-pointed at the copy, each actor
// and treaty), without the drafts it leaves out, and every relation is
// derived into those copies: parsed is read, never written, so the same
// values can be resolved again after an edit (unless opts.InPlace).
func Site(parsed *model.Site, opts Options, errs *diag.List) (*model.Site, *Index) {
	if opts.BasePath == "" {
		opts.BasePath = "/"
	}
	if opts.URLs == nil {
		opts.URLs = urls.Single(opts.Lang)
	}
	if c := opts.Cache; c != nil {
		if site, ok := c.patch(parsed, opts, errs); ok {
			return site, c.ix
		}
	}
	before := errs.Len()
	ix := &Index{
		Dossiers: map[string]*model.Dossier{},
		Actors:   map[string]*model.Actor{},
		Treaties: map[string]*model.Treaty{},
		names:    map[string][]string{},
		drafts:   map[string]bool{},
		broken:   parsed.Broken,
	}
	site := own(parsed, opts, ix.drafts)
	ix.build(site, errs)
	checkFrontMatter(site, ix, errs)
	l := &linker{ix: ix, base: opts.BasePath, urls: opts.URLs, errs: errs}
	l.links(site)
	derive(site, ix, opts.Lang)
	sortSite(site, opts.Lang)
	if opts.Cache != nil {
		opts.Cache.remember(parsed, site, ix, opts, errs.Len() == before && len(parsed.Broken) == 0)
	}
	return site, ix
}

// own returns the site that resolution derives into: parsed's entities,
// copied unless opts.InPlace, in lists of its own, without the drafts left
// out (noted in drafts, so a link to one says why it fails).
func own(parsed *model.Site, opts Options, drafts map[string]bool) *model.Site {
	site := &model.Site{
		Dossiers: make([]*model.Dossier, 0, len(parsed.Dossiers)),
		Actors:   make([]*model.Actor, len(parsed.Actors)),
		Treaties: make([]*model.Treaty, len(parsed.Treaties)),
		Broken:   parsed.Broken,
	}
	for _, d := range parsed.Dossiers {
		if d.Draft && !opts.IncludeDrafts {
			drafts[d.Slug] = true
			continue
		}
		if opts.InPlace {
			for _, q := range d.Quotes {
				q.Dossier = d
			}
		} else {
			d = copyDossier(d)
		}
		site.Dossiers = append(site.Dossiers, d)
	}
	for i, a := range parsed.Actors {
		if !opts.InPlace {
			c := *a
			a = &c
		}
		site.Actors[i] = a
	}
	for i, t := range parsed.Treaties {
		if !opts.InPlace {
			c := *t
			t = &c
		}
		site.Treaties[i] = t
	}
	return site
}

// copyDossier returns a shallow copy of d with copies of its quotes, each
// pointing at the copy (Quote.Dossier). Parse's values hold no derived
// field, so neither does the copy: resolution starts it from nothing.
func copyDossier(d *model.Dossier) *model.Dossier {
	c := *d
	if len(d.Quotes) == 0 {
		return &c
	}
	quotes := make([]model.Quote, len(d.Quotes)) // one allocation for them all
	c.Quotes = make([]*model.Quote, len(d.Quotes))
	for i, q := range d.Quotes {
		quotes[i] = *q
		quotes[i].Dossier = &c
		c.Quotes[i] = &quotes[i]
	}
	return &c
}

func (ix *Index) build(site *model.Site, errs *diag.List) {
	for _, d := range site.Dossiers {
		ix.Dossiers[d.Slug] = d
		ix.claim(Fold(d.Title), model.Key("dossier", d.Slug))
	}
	for _, t := range site.Treaties {
		ix.Treaties[t.Slug] = t
		ix.claim(Fold(t.Title), model.Key("treaty", t.Slug))
	}
	// Actor names and aliases must be unique: two actors answering to one
	// name would make [[Name]] ambiguous.
	owner := map[string]*model.Actor{}
	for _, a := range site.Actors {
		ix.Actors[a.Slug] = a
		seen := map[string]bool{}
		for _, alias := range append([]model.Ref{{Slug: a.Name}}, a.Aliases...) {
			name := Fold(alias.Slug)
			if name == "" || seen[name] {
				continue
			}
			seen[name] = true
			if other, ok := owner[name]; ok {
				pos := alias.Pos
				if pos.File == "" {
					pos = diag.Pos{File: a.File, Line: 1}
				}
				errs.Add(pos, "name %q is already used by actor %q (%s); an alias must be unique", alias.Slug, other.Slug, other.File)
				continue
			}
			owner[name] = a
			ix.claim(name, model.Key("actor", a.Slug))
		}
	}
}

func (ix *Index) claim(name, key string) {
	if name == "" {
		return
	}
	for _, k := range ix.names[name] {
		if k == key {
			return
		}
	}
	ix.names[name] = append(ix.names[name], key)
}

// contentFolders maps the folder prefixes of the [[kind/slug]] syntax to
// entity kinds. They name folders of content/, which keep these names
// whatever the URL scheme (package urls) says.
var contentFolders = map[string]string{"actors/": "actor", "treaties/": "treaty", "dossiers/": "dossier"}

// folderOf writes an entity key as the [[kind/slug]] syntax: "actors/x".
func folderOf(key string) string {
	kind, slug, _ := strings.Cut(key, "/")
	for prefix, k := range contentFolders {
		if k == kind {
			return prefix + slug
		}
	}
	return key
}

// Lookup finds what a [[target]] names: "actors/x" style paths, then slugs,
// then names and aliases. It returns entity keys; more than one is ambiguous.
func (ix *Index) Lookup(target string) []string {
	for prefix, kind := range contentFolders {
		if rest, ok := strings.CutPrefix(target, prefix); ok {
			if ix.has(kind, rest) {
				return []string{model.Key(kind, rest)}
			}
			return nil
		}
	}
	var keys []string
	for _, kind := range []string{"actor", "treaty", "dossier"} {
		if ix.has(kind, target) {
			keys = append(keys, model.Key(kind, target))
		}
	}
	if len(keys) > 0 {
		return keys
	}
	return ix.names[Fold(target)]
}

// Broken reports whether target ("x" or "actors/x") names an entity whose
// file was refused with an error already reported.
func (ix *Index) Broken(target string) bool {
	for prefix, kind := range contentFolders {
		if rest, ok := strings.CutPrefix(target, prefix); ok {
			return ix.broken[model.Key(kind, rest)]
		}
	}
	for _, kind := range []string{"actor", "treaty", "dossier"} {
		if ix.broken[model.Key(kind, target)] {
			return true
		}
	}
	return false
}

func (ix *Index) has(kind, slug string) bool {
	switch kind {
	case "actor":
		return ix.Actors[slug] != nil
	case "treaty":
		return ix.Treaties[slug] != nil
	case "dossier":
		return ix.Dossiers[slug] != nil
	}
	return false
}

// suggestions lists what a mistyped target may have meant.
func (ix *Index) suggestions() []string {
	var out []string
	for s := range ix.Actors {
		out = append(out, s)
	}
	for s := range ix.Treaties {
		out = append(out, s)
	}
	for s := range ix.Dossiers {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func slugsOf[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for s := range m {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// checkFrontMatter verifies the slugs written in front matter and fills the
// direct relations.
func checkFrontMatter(site *model.Site, ix *Index, errs *diag.List) {
	actorSlugs, treatySlugs := slugsOf(ix.Actors), slugsOf(ix.Treaties)
	actor := func(r model.Ref) *model.Actor {
		if a := ix.Actors[r.Slug]; a != nil || ix.broken[model.Key("actor", r.Slug)] {
			return a
		}
		errs.Add(r.Pos, "unknown actor %q%s", r.Slug, diag.DidYouMean(r.Slug, actorSlugs))
		return nil
	}
	treaty := func(r model.Ref) *model.Treaty {
		if t := ix.Treaties[r.Slug]; t != nil || ix.broken[model.Key("treaty", r.Slug)] {
			return t
		}
		errs.Add(r.Pos, "unknown treaty %q%s", r.Slug, diag.DidYouMean(r.Slug, treatySlugs))
		return nil
	}
	for _, d := range site.Dossiers {
		for _, r := range unique(d.Actors, "actor", errs) {
			if a := actor(r); a != nil {
				d.ActorList = append(d.ActorList, a)
			}
		}
		for _, r := range unique(d.Treaties, "treaty", errs) {
			if t := treaty(r); t != nil {
				d.TreatyList = append(d.TreatyList, t)
			}
		}
		unique(d.Tags, "tag", errs)
		for _, q := range d.Quotes {
			keys := ix.Lookup(q.Speaker.Slug)
			var speaker *model.Actor
			for _, k := range keys {
				if slug, ok := strings.CutPrefix(k, "actor/"); ok {
					speaker = ix.Actors[slug]
				}
			}
			if speaker == nil && ix.broken[model.Key("actor", q.Speaker.Slug)] {
				continue
			}
			if speaker == nil {
				errs.Add(q.Speaker.Pos, "unknown speaker %q: a speaker must be an actor%s", q.Speaker.Slug, diag.DidYouMean(q.Speaker.Slug, actorSlugs))
				continue
			}
			q.SpeakerActor = speaker
		}
	}
	for _, a := range site.Actors {
		if a.Country.Slug != "" {
			if c := actor(a.Country); c != nil {
				if c == a {
					errs.Add(a.Country.Pos, "an actor cannot be its own country")
				} else {
					a.CountryActor = c
				}
			}
		}
	}
	for _, t := range site.Treaties {
		for _, r := range unique(t.Parties, "party", errs) {
			if a := actor(r); a != nil {
				t.PartyList = append(t.PartyList, a)
			}
		}
		for _, r := range unique(t.Signatories, "signatory", errs) {
			if a := actor(r); a != nil {
				t.SignatoryList = append(t.SignatoryList, a)
			}
		}
		for _, r := range unique(t.Supersedes, "treaty", errs) {
			if o := treaty(r); o != nil {
				t.SupersedesList = append(t.SupersedesList, o)
			}
		}
		if t.SupersededBy.Slug != "" {
			t.SupersededByItem = treaty(t.SupersededBy)
		}
	}
	checkSupersession(site.Treaties, errs)
}

// unique reports slugs listed twice and returns the list without repeats.
func unique(refs []model.Ref, what string, errs *diag.List) []model.Ref {
	seen := map[string]bool{}
	out := refs[:0:0]
	for _, r := range refs {
		if seen[r.Slug] {
			errs.Add(r.Pos, "%s %q is listed twice", what, r.Slug)
			continue
		}
		seen[r.Slug] = true
		out = append(out, r)
	}
	return out
}

// checkSupersession makes supersedes / superseded_by agree, forbids cycles and
// fills each treaty's chain.
func checkSupersession(treaties []*model.Treaty, errs *diag.List) {
	for _, t := range treaties {
		if n := t.SupersededByItem; n != nil {
			if n == t {
				errs.Add(t.SupersededBy.Pos, "a treaty cannot supersede itself")
				t.SupersededByItem = nil
				continue
			}
			if !containsTreaty(n.SupersedesList, t) {
				errs.Add(t.SupersededBy.Pos, "superseded_by %q, but %s does not list %q in supersedes", n.Slug, n.File, t.Slug)
			}
			if t.Status != "superseded" && t.Status != "expired" {
				errs.Add(t.SupersededBy.Pos, "status is %q but superseded_by is set; use status: superseded (or expired, for a text that lapsed before its successor)", t.Status)
			}
		}
		for i, o := range t.SupersedesList {
			if o == t {
				errs.Add(t.Supersedes[i].Pos, "a treaty cannot supersede itself")
				continue
			}
			if o.SupersededByItem != t {
				errs.Add(t.Supersedes[i].Pos, "supersedes %q, but %s does not say superseded_by: %s", o.Slug, o.File, t.Slug)
			}
		}
	}
	for _, t := range treaties {
		// Walk to the newest, then collect the chain oldest first.
		seen := map[*model.Treaty]bool{t: true}
		head := t
		for head.SupersededByItem != nil {
			if seen[head.SupersededByItem] {
				errs.Add(t.SupersededBy.Pos, "supersession cycle through %q", head.SupersededByItem.Slug)
				head = nil
				break
			}
			seen[head.SupersededByItem] = true
			head = head.SupersededByItem
		}
		if head == nil {
			continue
		}
		t.Chain = chain(t)
	}
}

// chain lists every treaty t descends from (all it supersedes, and what
// they supersede, and so on) and the line that replaced it, by signature
// date, oldest first: the chronology a reader follows. A treaty that
// replaced two texts shows both.
func chain(t *model.Treaty) []*model.Treaty {
	seen := map[*model.Treaty]bool{t: true}
	out := []*model.Treaty{t}
	stack := []*model.Treaty{t}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range x.SupersedesList {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
				stack = append(stack, p)
			}
		}
	}
	for x := t.SupersededByItem; x != nil && !seen[x]; x = x.SupersededByItem {
		seen[x] = true
		out = append(out, x)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.Signed.Equal(b.Signed.Time) {
			return a.Signed.Before(b.Signed.Time)
		}
		return a.Slug < b.Slug
	})
	return out
}

func containsTreaty(list []*model.Treaty, t *model.Treaty) bool {
	for _, x := range list {
		if x == t {
			return true
		}
	}
	return false
}

// Describe is a short label for an entity key, used in messages.
func (ix *Index) Describe(key string) string {
	kind, slug, _ := strings.Cut(key, "/")
	switch kind {
	case "actor":
		if a := ix.Actors[slug]; a != nil {
			return fmt.Sprintf("actor %q (%s)", slug, a.Name)
		}
	case "treaty":
		if t := ix.Treaties[slug]; t != nil {
			return fmt.Sprintf("treaty %q", slug)
		}
	case "dossier":
		return fmt.Sprintf("dossier %q", slug)
	}
	return key
}
