package search

import (
	"encoding/binary"
	"hash/maphash"

	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/urls"
)

// SiteIndex keeps the search index of a site between builds (watch mode):
// only the entities whose documents may have changed are turned into
// documents again, and the index is patched (Index.Update).
type SiteIndex struct {
	index *Index
	// indexed holds, by entity key (model.Key), what its documents were
	// made from and their URLs. Keys, not values: resolve makes new values
	// of every entity when it resolves the whole site.
	indexed  map[string]*indexedEntity
	indexGen uint64 // builds, to find the entities gone
	seed     maphash.Seed
}

// BuildSite makes the search files of a site in one go, for a build nothing
// follows: each dossier's text is made when the index reads it.
func BuildSite(site *model.Site, lang string, sc *urls.Scheme) (map[string][]byte, error) {
	docs, text, _ := documents(site, lang, sc, nil)
	return BuildText(docs, text)
}

// Bodies is how a one-shot build hands the index the dossiers' bodies it
// keeps out of the heap (render.SpilledBodies).
type Bodies struct {
	// HTML gives the HTML of a dossier's body in place of its Body.HTML,
	// read back one at a time.
	HTML func(*model.Body) string
	// Key, when set, gives a sum of what a body's HTML is made from
	// (render.BodyKey), with false for a body it has none of: a dossier
	// whose title, language, lead and body key are those of an analysis
	// of the last build takes it without its body being read back or its
	// text made (a rebuild reads back only the bodies that changed).
	Key func(*model.Body) (uint64, bool)
}

// BuildSiteStored is BuildSite with the analyses of the last build (see
// BuildStored). bodies, when set, reads the dossiers' bodies (Bodies).
func BuildSiteStored(site *model.Site, lang string, sc *urls.Scheme, a *Analyses, bodies *Bodies) (map[string][]byte, error) {
	docs, text, key := documents(site, lang, sc, bodies)
	return build(docs, text, key, termChunkBytes, a)
}

// Update makes the search files of this build. changed, when not nil, maps
// the only dossiers that changed since the last build (old to new, after a
// patched resolution): nothing else is hashed. An error is the site's, as
// a clean build reports it; the next Update starts over.
func (c *SiteIndex) Update(site *model.Site, lang string, sc *urls.Scheme, changed map[*model.Dossier]*model.Dossier) (map[string][]byte, error) {
	if c.index == nil {
		c.index, c.indexed, c.seed = NewIndex(), map[string]*indexedEntity{}, maphash.MakeSeed()
	}
	c.indexGen++
	// Before the first Reset (or after a failed one) every document is
	// indexed afresh below: their texts need not be made here.
	ready := c.index.ready
	var put []Document
	var del []string
	// An entity whose signature is unchanged keeps its documents.
	visit := func(key string, sig uint64, one func() *model.Site) {
		e := c.indexed[key]
		if e != nil && e.sig == sig {
			e.gen = c.indexGen
			return
		}
		if e == nil {
			e = &indexedEntity{}
			c.indexed[key] = e
		}
		del = append(del, e.urls...)
		var docs []Document
		if ready {
			docs = documentsWithText(one(), lang, sc)
		} else {
			docs, _, _ = documents(one(), lang, sc, nil)
		}
		e.sig, e.gen, e.urls = sig, c.indexGen, e.urls[:0]
		for _, d := range docs {
			e.urls = append(e.urls, d.URL)
		}
		put = append(put, docs...)
	}
	// What searchDocuments reads of an entity: its file (stamp), the text of
	// its bodies (their source, in the stamp, and where their links point),
	// and each quote's speaker name.
	visitDossier := func(d *model.Dossier) {
		h := c.entityHash(d.Slug, d.Stamp, &d.Body)
		for _, q := range d.Quotes {
			h.WriteString(q.Text.LinkSig)
			h.WriteString(q.Context.LinkSig)
			if q.SpeakerActor != nil {
				h.WriteString(q.SpeakerActor.Name)
			}
			h.WriteByte(0)
		}
		visit(model.Key("dossier", d.Slug), h.Sum64(), func() *model.Site { return &model.Site{Dossiers: []*model.Dossier{d}} })
	}
	if changed != nil && len(c.indexed) > 0 {
		// A patch adds and removes no file and changes nothing other
		// entities show (names, link targets): their documents stand.
		for _, d := range changed {
			visitDossier(d)
		}
	} else {
		for _, d := range site.Dossiers {
			visitDossier(d)
		}
		for _, a := range site.Actors {
			h := c.entityHash(a.Slug, a.Stamp, &a.Body)
			visit(model.Key("actor", a.Slug), h.Sum64(), func() *model.Site { return &model.Site{Actors: []*model.Actor{a}} })
		}
		for _, t := range site.Treaties {
			h := c.entityHash(t.Slug, t.Stamp, &t.Body)
			visit(model.Key("treaty", t.Slug), h.Sum64(), func() *model.Site { return &model.Site{Treaties: []*model.Treaty{t}} })
		}
	}
	if len(c.indexed) > len(site.Dossiers)+len(site.Actors)+len(site.Treaties) {
		for key, e := range c.indexed {
			if e.gen != c.indexGen {
				del = append(del, e.urls...)
				delete(c.indexed, key)
			}
		}
	}
	if ready {
		if index, ok := c.index.Update(put, del); ok {
			return index, nil
		}
	}
	put = nil
	// A document the index refuses, or the first build: index everything,
	// which reports any problem as a clean build does. Each text is made
	// as the index analyzes it.
	docs, text, _ := documents(site, lang, sc, nil)
	index, err := c.index.ResetText(docs, text)
	if err != nil {
		clear(c.indexed) // start over next time
	}
	return index, err
}

type indexedEntity struct {
	sig  uint64
	gen  uint64 // the last build that had the entity
	urls []string
}

// entityHash starts the hash of what an entity's search documents are made
// of: its slug, its file and where its body's links point.
func (c *SiteIndex) entityHash(slug string, stamp uint64, body *model.Body) *maphash.Hash {
	h := &maphash.Hash{}
	h.SetSeed(c.seed)
	h.WriteString(slug)
	h.WriteByte(0)
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], stamp)
	h.Write(b[:])
	h.WriteString(body.LinkSig)
	h.WriteByte(0)
	return h
}

// documents lists what the search index covers. Text before a body
// goes in Lead, so that no joined copy of all the site's text is made. A
// dossier's text, most of the site's, and a quote's context are left to
// text(i) to make when the index reads it (search.BuildText), so they are
// never all in memory at once;
// through bodies, when set, rather than from its Body.HTML, and key(i)
// gives the key of a dossier's body when bodies has one (Bodies.Key).
func documents(site *model.Site, siteLang string, sc *urls.Scheme, bodies *Bodies) (docs []Document, text func(i int) string, key func(i int) (uint64, bool)) {
	var held []*model.Body // by document: a dossier's body, whose text is made late
	// A language's index holds the pages of its own tree: an entity it
	// has no translation of is found in its own language's index.
	tree := sc.Tree(siteLang)
	own := func(lang string) bool { return sc.Tree(lang) == tree }
	for _, d := range site.Dossiers {
		if !own(d.Lang) {
			continue
		}
		held = append(held, &d.Body)
		docs = append(docs, Document{URL: tree.Dossier(d.Slug), Kind: "dossier", Title: d.Title, Lang: d.Lang,
			Lead: d.Summary, Date: d.Date.ISO()})
		for _, q := range d.Quotes {
			if !own(q.Lang) {
				continue
			}
			speaker := q.Speaker.Slug
			if q.SpeakerActor != nil {
				speaker = q.SpeakerActor.Name
			}
			said := q.Text.Text()
			// Its context's text is made when the index reads it, as a
			// dossier's: 350,000 quotes at 100,000 dossiers.
			held = append(held, &q.Context)
			date := q.Date.ISO()
			if q.Undated {
				date = ""
			}
			docs = append(docs, Document{URL: tree.Quote(d.Slug, q.ID), Kind: "quote", Title: speaker + " — " + markdown.Truncate(said, 90),
				Lang: d.Lang, Lead: said, LeadInTitle: true, Date: date})
		}
	}
	for _, a := range site.Actors {
		if !own(a.Lang) {
			continue
		}
		text := a.Body.Text()
		for _, r := range a.Aliases {
			text += "\n" + r.Slug
		}
		docs = append(docs, Document{URL: tree.Actor(a.Slug), Kind: "actor", Title: a.Name, Lang: siteLang, Lead: a.Role, Text: text})
	}
	for _, t := range site.Treaties {
		if !own(t.Lang) {
			continue
		}
		docs = append(docs, Document{URL: tree.Treaty(t.Slug), Kind: "treaty", Title: t.Title, Lang: siteLang, Text: t.Body.Text(), Date: t.Signed.ISO()})
	}
	text = func(i int) string {
		if i < len(held) && held[i] != nil {
			if bodies != nil && bodies.HTML != nil {
				return markdown.HTMLText(bodies.HTML(held[i]))
			}
			return held[i].Text()
		}
		return docs[i].Text
	}
	if bodies != nil && bodies.Key != nil {
		key = func(i int) (uint64, bool) {
			if i < len(held) && held[i] != nil {
				return bodies.Key(held[i])
			}
			return 0, false
		}
	}
	return docs, text, key
}

// documentsWithText is documents with every text made.
func documentsWithText(site *model.Site, siteLang string, sc *urls.Scheme) []Document {
	docs, text, _ := documents(site, siteLang, sc, nil)
	for i := range docs {
		docs[i].Text = text(i)
	}
	return docs
}
