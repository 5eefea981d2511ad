// Package parse owns the second stage: it turns loaded files into the typed
// content model. It splits front matter, decodes the YAML with the exact
// position of every value, checks what one file can check alone (required
// fields, types, enums, slug syntax), parses quotes.md and the Markdown bodies
// into trees. References between files are left to resolve, a quote's
// dossier (Quote.Dossier) among them. A value parse hands over is never
// written afterwards, by parse or a later stage, so a cache can hand it
// over again, build after build.
package parse

import (
	"bytes"
	"context"
	"hash/fnv"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"go.yaml.in/yaml/v3"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/urls"
)

// Parser turns files into model values. It is safe for concurrent use.
type Parser struct {
	Markdown *markdown.Engine
	SiteLang string
	// Langs are the site's languages, the default (SiteLang) first: a
	// file named in another (putin.de.md) is an error. Empty: SiteLang.
	Langs []string
	// TagSlugs is how tags written as text become URL slugs (urls.SlugOn
	// when empty).
	TagSlugs string
	// Cache, when set, keeps each cleanly parsed file by path, so the next
	// Site call re-parses only files whose bytes changed (watch mode). Its
	// trees are compact, as if Compact were set: it holds every body for
	// as long as the server runs, and only changed bodies are rendered
	// (so parsed) again. A dossier is handed over as the same value while
	// its index.md and folder are unchanged, and as a new one otherwise.
	Cache *Cache
	// Compact keeps only the link nodes of Markdown trees (see
	// markdown.Engine.ParseCompact): for one-shot builds, where memory
	// matters more than one more parse of each body.
	Compact bool
	// Ctx, when set, cancels the parse of Markdown texts (a newer save in
	// watch mode); a cancelled Site call returns with errors in its list.
	Ctx context.Context
}

// Cache remembers parse results by file path and bytes, and the dossiers
// assembled from them. What it holds is never written after it is made.
type Cache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
	// dossiers holds, by slug, the last dossier assembled from a kept
	// index.md value and its folder (see assemble).
	dossiers map[string]*assembled
	gen      uint64 // Site calls
	// engine makes the Docs of stored entries (DecodeCache); storedHits
	// counts the entries decoded.
	engine     *markdown.Engine
	storedHits int
	// last is what the last Site call made of a clean site, kept by a
	// cache of the dev loop (not a decoded one: a one-shot build makes
	// one call), so that the next call, given the same files but a few,
	// assembles only the dossiers of those few (see patchSite).
	last *lastSite
	// looked counts the files a Site call looked up or parsed, assembled
	// the dossiers it assembled (tests).
	looked, assembled int
}

// lastSite is a Site call's files, what each parsed into, and the site
// made of them: no file refused, broken or out of place.
type lastSite struct {
	files    []load.File
	results  []result
	dossiers []*model.Dossier // the site's lists, never handed over (copies are)
	actors   []*model.Actor
	treaties []*model.Treaty
	pos      []int32 // by file: its value's place in the list of its kind (-1: none)
	// variants holds each dossier's files by Variant: its index.md's
	// index, its quotes file's (-1: none of its own) and its attachments.
	variants map[string]variantFiles
	slugs    map[string][]string // a folder's variants by slug
}

type variantFiles struct {
	index, quotes int32
	attachments   []string
}

// assembled is a dossier handed over, and what it was made from.
type assembled struct {
	index   *model.Dossier // the value of index.md, as parsed
	folder  folder
	dossier *model.Dossier
	gen     uint64 // the last Site call that handed it over
}

type cacheEntry struct {
	data  []byte
	value any
	stamp uint64 // fileStamp, so unchanged files are not hashed again
	// stored, when set, is the entry as DecodeCache read it, decoded
	// when a file of its stamp is looked up (data and value are nil).
	stored *stored
	// raw and kind, when set, are the stored bytes value was decoded
	// from: Encode writes them again as they are.
	raw  []byte
	kind byte
}

// NewCache returns an empty parse cache.
func NewCache() *Cache {
	return &Cache{entries: map[string]cacheEntry{}, dossiers: map[string]*assembled{}}
}

func (c *Cache) lock() {
	if c != nil {
		c.mu.Lock()
	}
}

func (c *Cache) unlock() {
	if c != nil {
		c.mu.Unlock()
	}
}

// getLocked returns the cached value of f and the stamp of its bytes; the
// caller holds the lock. Loading hands unchanged files over with the same
// byte slice, so the comparison below ends at the pointer check for them.
func (c *Cache) getLocked(f load.File) (any, uint64, bool) {
	if c == nil {
		return nil, 0, false
	}
	e, ok := c.entries[f.Path]
	if ok && e.stored != nil {
		v, ok := c.lookUpStored(e, f)
		return v, e.stamp, ok
	}
	if ok && bytes.Equal(e.data, f.Data) {
		return e.value, e.stamp, true
	}
	return nil, 0, false
}

func (c *Cache) put(f load.File, value any, stamp uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.entries[f.Path] = cacheEntry{data: f.Data, value: value, stamp: stamp}
	c.mu.Unlock()
}

// Stamp identifies file contents (FNV-1a, 64 bits): equal bytes, equal stamp.
func Stamp(data []byte) uint64 {
	h := fnv.New64a()
	_, _ = h.Write(data)
	return h.Sum64()
}

// fileStamp identifies a file by its place and its bytes. The place counts:
// a file renamed with its content unchanged (mv zz-old.md zz-new.md) is
// another entity at another URL, and every page that links it must change.
func fileStamp(f load.File) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(f.Path))
	_, _ = h.Write([]byte{0})
	_, _ = h.Write(f.Data)
	return h.Sum64()
}

// Field names, also used for "did you mean" on unknown fields.
var (
	dossierFields = []string{"title", "date", "lang", "summary", "source", "actors", "treaties", "tags", "draft", "redirect_from", "updated", "author", "authors", "image"}
	sourceFields  = []string{"publisher", "url", "published", "author"}
	actorFields   = []string{"name", "kind", "aliases", "role", "country", "redirect_from", "image"}
	treatyFields  = []string{"title", "kind", "signed", "parties", "signatories", "status", "supersedes", "superseded_by", "redirect_from", "image"}
	actorKinds    = []string{model.KindPerson, model.KindState, model.KindOrganisation}
)

// Site parses every file concurrently and assembles the model in a stable
// order (dossiers, actors, treaties by slug; resolve sorts them for display).
func (p *Parser) Site(files []load.File, errs *diag.List) *model.Site {
	// Cache hits first, in one pass under one lock: on a save they are all
	// files but one, and handing each to a worker would cost more than the
	// lookup itself. Given the files of the last call but a few (the same
	// paths, in the same order, most with the same bytes), only those few
	// are looked up.
	results, changed, todo, patch := p.lookUp(files)
	var failed atomic.Bool // a file did not parse cleanly
	var wg sync.WaitGroup
	var next atomic.Int64
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(todo)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= len(todo) {
					return
				}
				i := todo[k]
				f := files[i]
				var local diag.List
				switch f.Kind {
				case load.DossierIndex:
					results[i].set(p.Dossier(f, &local))
				case load.DossierQuotes:
					results[i].set(p.Quotes(f, &local))
				case load.ActorFile:
					results[i].set(p.Actor(f, &local))
				case load.TreatyFile:
					results[i].set(p.Treaty(f, &local))
				}
				if f.Kind.Text() {
					results[i].stamp = fileStamp(f)
					results[i].setStamp()
				}
				if local.Len() == 0 && f.Kind.Text() {
					p.Cache.put(f, results[i].value(), results[i].stamp)
				}
				if local.Len() > 0 {
					failed.Store(true)
				}
				errs.Append(local.Sorted()...)
			}
		}()
	}
	wg.Wait()
	if patch && !failed.Load() && (p.Ctx == nil || p.Ctx.Err() == nil) {
		if site := p.Cache.patchSite(files, results, changed); site != nil {
			return site
		}
	}

	site := &model.Site{Broken: map[string]bool{}}
	hasIndex := make(map[string]bool, len(files)/2) // dossier folders with an index.md, parsed or not, by Variant
	for i, f := range files {
		r := results[i]
		switch {
		case f.Kind == load.DossierIndex:
			hasIndex[Variant(f)] = true
			hasIndex[f.Slug] = true // the folder's, in any language
			if r.dossier == nil {
				site.Broken[model.Key("dossier", f.Slug)] = true
			}
		case f.Kind == load.ActorFile && r.actor == nil:
			site.Broken[model.Key("actor", f.Slug)] = true
		case f.Kind == load.TreatyFile && r.treaty == nil:
			site.Broken[model.Key("treaty", f.Slug)] = true
		}
	}
	var folderErrs diag.List
	parts := folders(files, results, hasIndex, &folderErrs)
	errs.Append(folderErrs.Sorted()...)
	keep := !failed.Load() && folderErrs.Len() == 0 && len(site.Broken) == 0 && (p.Ctx == nil || p.Ctx.Err() == nil)
	p.Cache.assembleSite(site, files, results, parts, keep)
	return site
}

// lookUp returns what each file is in the cache, the files it looked up
// (changed) and those to parse (todo): all but those refused, without a
// cache. patch says the files are the last clean call's but a few (see
// lastResults): only those were looked up.
func (p *Parser) lookUp(files []load.File) (results []result, changed, todo []int, patch bool) {
	p.Cache.lock()
	defer p.Cache.unlock()
	results, changed = p.Cache.lastResults(files)
	patch = results != nil
	if !patch {
		results = make([]result, len(files))
		changed = nil
		for i, f := range files {
			if !f.Refused { // else load reported why
				changed = append(changed, i)
			}
		}
	}
	todo = make([]int, 0, len(changed))
	if p.Cache != nil {
		p.Cache.looked, p.Cache.assembled = len(changed), 0
	}
	for _, i := range changed {
		f := files[i]
		results[i] = result{}
		if v, stamp, ok := p.Cache.getLocked(f); ok {
			results[i].set(v)
			results[i].stamp = stamp
			continue
		}
		todo = append(todo, i)
	}
	return results, changed, todo, patch
}

// assembleSite adds the dossiers, actors and treaties of results to site
// in file order, and keeps the call for the next one when keep (a clean
// site) and the cache is the dev loop's.
func (c *Cache) assembleSite(site *model.Site, files []load.File, results []result, parts map[string]folder, keep bool) {
	keep = keep && c != nil && c.engine == nil
	var pos []int32
	if keep {
		pos = make([]int32, len(files))
	}
	c.lock()
	defer c.unlock()
	for i, r := range results {
		if keep {
			pos[i] = -1
			if files[i].Refused {
				keep = false
			}
		}
		switch {
		case r.dossier != nil:
			key := Variant(files[i])
			if keep {
				pos[i] = int32(len(site.Dossiers))
			}
			site.Dossiers = append(site.Dossiers, c.assemble(key, r.dossier, parts[key]))
		case r.actor != nil:
			if keep {
				pos[i] = int32(len(site.Actors))
			}
			site.Actors = append(site.Actors, r.actor)
		case r.treaty != nil:
			if keep {
				pos[i] = int32(len(site.Treaties))
			}
			site.Treaties = append(site.Treaties, r.treaty)
		}
	}
	c.forgetDossiers(len(site.Dossiers))
	if c != nil {
		c.last = nil
		if keep {
			c.keepLast(files, results, site, pos, parts)
		}
	}
}

// lastResults returns, when files are the last clean call's but a few
// (the same paths and kinds in the same order), a copy of what the last
// call parsed them into, and the indexes of the files whose bytes are not
// the same slice as then; nil when they are not. The caller holds the
// lock.
func (c *Cache) lastResults(files []load.File) (results []result, changed []int) {
	if c == nil || c.last == nil || len(c.last.files) != len(files) {
		return nil, nil
	}
	changed = []int{}
	for i, f := range files {
		l := &c.last.files[i]
		if f.Path != l.Path || f.Kind != l.Kind || f.Slug != l.Slug || f.Lang != l.Lang || f.Refused {
			return nil, nil
		}
		if unsafe.SliceData(f.Data) != unsafe.SliceData(l.Data) || len(f.Data) != len(l.Data) {
			changed = append(changed, i)
			if len(changed) > 64 && len(changed) > len(files)/8 {
				return nil, nil // a big change: the whole site again
			}
		}
	}
	return slices.Clone(c.last.results), changed
}

// keepLast keeps what a clean Site call made, for patchSite. The caller
// holds the lock.
func (c *Cache) keepLast(files []load.File, results []result, site *model.Site, pos []int32, parts map[string]folder) {
	l := &lastSite{files: slices.Clone(files), results: results, pos: pos,
		dossiers: slices.Clone(site.Dossiers), actors: slices.Clone(site.Actors), treaties: slices.Clone(site.Treaties),
		variants: make(map[string]variantFiles, len(site.Dossiers)), slugs: map[string][]string{}}
	for i, f := range files {
		if f.Kind != load.DossierIndex && f.Kind != load.DossierQuotes {
			continue
		}
		key := Variant(f)
		v, ok := l.variants[key]
		if !ok {
			v = variantFiles{index: -1, quotes: -1}
		}
		if f.Kind == load.DossierIndex {
			v.index = int32(i)
			v.attachments = parts[key].attachments
			l.slugs[f.Slug] = append(l.slugs[f.Slug], key)
		} else {
			v.quotes = int32(i)
		}
		l.variants[key] = v
	}
	for _, v := range l.variants {
		if v.index < 0 {
			return // a quotes file without its index.md (empty, so not reported)
		}
	}
	c.last = l
}

// patchSite makes the site of files, the last clean call's but the
// changed ones (parsed into results, cleanly), by assembling again only
// the dossiers whose index.md or quotes changed; nil when it cannot (a
// file that is now broken). The folders are the same: their files have
// the same paths. The caller does not hold the lock.
func (c *Cache) patchSite(files []load.File, results []result, changed []int) *model.Site {
	c.lock()
	defer c.unlock()
	l := c.last
	c.last = nil
	dossiers, actors, treaties := l.dossiers, l.actors, l.treaties
	redo := map[string]bool{}
	for _, i := range changed {
		f, r := files[i], results[i]
		switch f.Kind {
		case load.DossierIndex:
			if r.dossier == nil {
				return nil
			}
			redo[Variant(f)] = true
		case load.DossierQuotes:
			if f.Lang == "" {
				// The translations without quotes of their own show these.
				for _, key := range l.slugs[f.Slug] {
					redo[key] = true
				}
			}
			redo[Variant(f)] = true
		case load.ActorFile:
			if r.actor == nil {
				return nil
			}
			actors[l.pos[i]] = r.actor
		case load.TreatyFile:
			if r.treaty == nil {
				return nil
			}
			treaties[l.pos[i]] = r.treaty
		}
	}
	for key := range redo {
		v, ok := l.variants[key]
		if !ok {
			continue // quotes of a language without its index: none (kept only when none)
		}
		f := folder{attachments: v.attachments}
		q := v.quotes
		if q < 0 {
			slug, lang, _ := strings.Cut(key, "/")
			if def, ok := l.variants[slug+"/"]; ok && lang != "" {
				q = def.quotes
			}
		}
		if q >= 0 {
			f.quotes, f.hasQuotes, f.quotesStamp = results[q].quotes, true, results[q].stamp
		}
		dossiers[l.pos[v.index]] = c.assemble(key, results[v.index].dossier, f)
	}
	c.gen++
	l.files, l.results = slices.Clone(files), results
	c.last = l
	return &model.Site{Broken: map[string]bool{}, Dossiers: slices.Clone(dossiers), Actors: slices.Clone(actors), Treaties: slices.Clone(treaties)}
}

// folder is what the folder of a dossier adds to its index.md: the quotes
// of its quotes.md and the other files.
type folder struct {
	quotes      []*model.Quote
	hasQuotes   bool   // there is a quotes.md (its bytes count, quotes or not)
	quotesStamp uint64 // its fileStamp
	attachments []string
}

func (f folder) equal(g folder) bool {
	return slices.Equal(f.quotes, g.quotes) && f.hasQuotes == g.hasQuotes && f.quotesStamp == g.quotesStamp &&
		slices.Equal(f.attachments, g.attachments)
}

// folders gathers the folder of every dossier whose index.md parsed, by
// Variant (one per language of the folder), and reports the files of a
// folder without an index.md. Attachments belong to every language of a
// folder; a translation without a quotes file of its own has the default
// language's quotes (shown as such).
func folders(files []load.File, results []result, hasIndex map[string]bool, errs *diag.List) map[string]folder {
	parsed := make(map[string]bool, len(files)/2)
	for i, r := range results {
		if r.dossier != nil {
			parsed[Variant(files[i])] = true
		}
	}
	out := make(map[string]folder, len(parsed))
	attachments := map[string][]string{} // by slug
	for i, f := range files {
		key := Variant(f)
		switch {
		case f.Kind == load.DossierQuotes && !parsed[key] && results[i].quotes != nil && !hasIndex[key]:
			index := "index.md"
			if f.Lang != "" {
				index = "index." + f.Lang + ".md"
			}
			errs.Add(diag.Pos{File: f.Path}, "%s without an %s in the same folder", path.Base(f.Path), index)
		case f.Kind == load.DossierQuotes && parsed[key]:
			d := out[key]
			d.quotes, d.hasQuotes, d.quotesStamp = results[i].quotes, true, results[i].stamp
			out[key] = d
		case f.Kind == load.Attachment && hasIndex[f.Slug]:
			attachments[f.Slug] = append(attachments[f.Slug], f.Path[len("content/dossiers/"+f.Slug+"/"):])
		case f.Kind == load.Attachment:
			errs.Add(diag.Pos{File: f.Path}, "file in a dossier folder without index.md")
		}
	}
	for key := range parsed {
		slug, lang, _ := strings.Cut(key, "/")
		d := out[key]
		if lang != "" && !d.hasQuotes {
			def := out[slug+"/"]
			d.quotes, d.hasQuotes, d.quotesStamp = def.quotes, def.hasQuotes, def.quotesStamp
		}
		d.attachments = attachments[slug]
		sort.Strings(d.attachments)
		out[key] = d
	}
	return out
}

// assemble makes the dossier of an index.md with what its folder adds.
// Without a cache, index is this build's own and takes them. With one,
// index is kept for the next build and never written: the dossier is a
// copy of it, kept and handed over again as long as its index.md and
// folder are unchanged, so a value parse handed over never changes.
// The caller holds the lock.
func (c *Cache) assemble(key string, index *model.Dossier, f folder) *model.Dossier {
	d := index
	if c != nil {
		c.assembled++
		if a := c.dossiers[key]; a != nil && a.index == index && a.folder.equal(f) {
			a.gen = c.gen
			return a.dossier
		}
		copied := *index
		d = &copied
	}
	d.Quotes, d.Attachments = f.quotes, f.attachments
	if f.hasQuotes {
		d.Stamp = d.Stamp*31 + f.quotesStamp
	}
	if c != nil {
		c.dossiers[key] = &assembled{index: index, folder: f, dossier: d, gen: c.gen}
	}
	return d
}

// forgetDossiers ends a Site call: it drops the dossiers of folders gone,
// once more are kept than the n of this call. The caller holds the lock.
func (c *Cache) forgetDossiers(n int) {
	if c == nil {
		return
	}
	if len(c.dossiers) > n {
		for slug, a := range c.dossiers {
			if a.gen != c.gen {
				delete(c.dossiers, slug)
			}
		}
	}
	c.gen++
}

// result is what one file parsed into.
type result struct {
	dossier *model.Dossier
	quotes  []*model.Quote
	actor   *model.Actor
	treaty  *model.Treaty
	stamp   uint64 // fileStamp: the file's path and bytes
}

// setStamp gives a value just parsed the stamp of its file, before it is
// cached: nothing writes it afterwards.
func (r *result) setStamp() {
	switch {
	case r.dossier != nil:
		r.dossier.Stamp = r.stamp
	case r.actor != nil:
		r.actor.Stamp = r.stamp
	case r.treaty != nil:
		r.treaty.Stamp = r.stamp
	}
}

func (r *result) set(v any) {
	switch v := v.(type) {
	case *model.Dossier:
		r.dossier = v
	case []*model.Quote:
		r.quotes = v
	case *model.Actor:
		r.actor = v
	case *model.Treaty:
		r.treaty = v
	}
}

func (r *result) value() any {
	switch {
	case r.dossier != nil:
		return r.dossier
	case r.quotes != nil:
		return r.quotes
	case r.actor != nil:
		return r.actor
	case r.treaty != nil:
		return r.treaty
	}
	return nil
}

// header splits front matter and decodes it; nil when the file is unusable.
func header(f load.File, known []string, errs *diag.List) (*fields, []byte, int) {
	yamlText, yamlLine, bodyStart, err := SplitFrontMatter(f.Data)
	if err != nil {
		errs.Add(diag.Pos{File: f.Path, Line: 1, Col: 1}, "%v", err)
		return nil, nil, 0
	}
	fm, ok := decodeMapping(f.Path, yamlText, yamlLine, known, errs)
	if !ok {
		return nil, nil, 0
	}
	return fm, f.Data[bodyStart:], 1 + bytes.Count(f.Data[:bodyStart], []byte("\n"))
}

// body parses the Markdown of a file, which starts at firstLine. A text
// over a parse limit is reported there, and ok is false.
func (p *Parser) body(file string, src []byte, firstLine int, lang string, errs *diag.List) (b model.Body, ok bool) {
	doc, ok := p.markdown(src, lang, diag.Pos{File: file, Line: firstLine, Col: 1}, errs)
	return model.Body{File: file, Src: src, FirstLine: firstLine, Doc: doc}, ok
}

// markdown parses a text that starts at pos. A text over a parse limit
// (markdown.LimitError) is reported at pos; a cancelled parse is reported
// too, so that the file is not cached (the build returns the cancellation).
func (p *Parser) markdown(src []byte, lang string, pos diag.Pos, errs *diag.List) (*markdown.Doc, bool) {
	ctx := p.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	parse := p.Markdown.Parse
	if p.Compact || p.Cache != nil {
		parse = p.Markdown.ParseCompact
	}
	doc, err := parse(ctx, src, lang)
	if err != nil {
		errs.Add(pos, "%v", err)
		return nil, false
	}
	return doc, true
}

// IsDraft reports whether f, a dossier's index.md, says draft: true, even
// when the rest of it has errors: a draft's problems do not stop a build
// that leaves drafts out.
func IsDraft(f load.File) bool {
	var errs diag.List
	fm, _, _ := header(f, dossierFields, &errs)
	return fm != nil && fm.boolean("draft")
}

// fileLang is the language of a file: its name's (index.en.md), else the
// site's default. ok is false, with an error, when the name gives a
// language the site does not have.
func (p *Parser) fileLang(f load.File, errs *diag.List) (lang string, ok bool) {
	if f.Lang == "" || f.Lang == p.SiteLang {
		return p.SiteLang, true
	}
	if slices.Contains(p.Langs, f.Lang) {
		return f.Lang, true
	}
	base, _ := load.SplitLang(path.Base(f.Path))
	errs.Add(diag.Pos{File: f.Path}, "%q is not a language of this site: add [languages.%s] to dossier.toml, or name the file %s",
		f.Lang, f.Lang, base)
	return "", false
}

// Variant is the key of a dossier's folder in one language: its slug, and
// the language its file name gives ("" for the default's).
func Variant(f load.File) string { return f.Slug + "/" + f.Lang }

// Dossier parses content/dossiers/<slug>/index.md.
func (p *Parser) Dossier(f load.File, errs *diag.List) *model.Dossier {
	fileLang, langOK := p.fileLang(f, errs)
	fm, body, bodyLine := header(f, dossierFields, errs)
	if fm == nil || !langOK {
		return nil
	}
	fm.require("title", "date")
	d := &model.Dossier{
		Slug:     f.Slug,
		File:     f.Path,
		Title:    fm.str("title"),
		Date:     fm.date("date"),
		Lang:     fm.str("lang"),
		Summary:  fm.str("summary"),
		Actors:   fm.list("actors"),
		Treaties: fm.list("treaties"),
		Tags:     fm.list("tags"),
		Draft:    fm.boolean("draft"),
		Updated:  fm.date("updated"),
	}
	d.RedirectFrom = fm.redirects()
	d.Authors = fm.authors()
	if !d.Updated.IsZero() && d.Updated.Before(d.Date.Time) {
		fm.bad(fm.entries["updated"], "updated %s is before the dossier's date %s", d.Updated.ISO(), d.Date.ISO())
	}
	d.Image = fm.image(path.Dir(f.Path), "")
	switch {
	case d.Lang == "":
		d.Lang = fileLang
	case d.Lang != "fr" && d.Lang != "en":
		fm.bad(fm.entries["lang"], "lang %q is not supported (use fr or en)", d.Lang)
	case f.Lang != "" && d.Lang != fileLang:
		fm.bad(fm.entries["lang"], "lang %q, but the file name says %q: remove lang, or rename the file", d.Lang, f.Lang)
	case f.Lang == "" && d.Lang != p.SiteLang && slices.Contains(p.Langs, d.Lang):
		base, _ := load.SplitLang(path.Base(f.Path))
		fm.bad(fm.entries["lang"], "lang %q is a language of this site with pages of its own: name the file %s.%s.md", d.Lang, strings.TrimSuffix(base, ".md"), d.Lang)
	}
	if fm.entries["source"] != nil {
		d.Source = fm.source()
	}
	fm.notEmpty("title")
	for _, list := range [][]model.Ref{d.Actors, d.Treaties} {
		fm.checkSlugs(list)
	}
	p.tagSlugs(fm, d.Tags)
	var ok bool
	d.Body, ok = p.body(f.Path, body, bodyLine, d.Lang, errs)
	if !fm.ok || !ok {
		return nil
	}
	return d
}

// tagSlugs makes each tag's slug from what the curator wrote: tags are
// text ("Corée du Nord"), not slugs.
func (p *Parser) tagSlugs(fm *fields, tags []model.Ref) {
	strategy := p.TagSlugs
	if strategy == "" {
		strategy = urls.SlugOn
	}
	for i, r := range tags {
		tags[i].Text = strings.TrimSpace(r.Slug)
		tags[i].Slug = urls.Slugify(r.Slug, strategy)
		if tags[i].Slug == "" {
			fm.errs.Add(r.Pos, "tag %q has no letter or digit to make its URL from", r.Slug)
			fm.ok = false
		}
	}
}

// Actor parses content/actors/<slug>.md.
func (p *Parser) Actor(f load.File, errs *diag.List) *model.Actor {
	lang, langOK := p.fileLang(f, errs)
	fm, body, bodyLine := header(f, actorFields, errs)
	if fm == nil || !langOK {
		return nil
	}
	fm.require("name", "kind")
	a := &model.Actor{
		Slug:    f.Slug,
		File:    f.Path,
		Lang:    lang,
		Name:    fm.str("name"),
		Kind:    fm.str("kind"),
		Aliases: fm.list("aliases"),
		Role:    fm.str("role"),
		Country: fm.slug("country"),
	}
	a.RedirectFrom = fm.redirects()
	a.Image = fm.image(path.Dir(f.Path), a.Name)
	fm.notEmpty("name", "kind")
	if n := fm.entries["kind"]; n != nil && a.Kind != "" && !contains(actorKinds, a.Kind) {
		fm.bad(n, "kind %q is not one of person, state, organisation%s", a.Kind, diag.DidYouMean(a.Kind, actorKinds))
	}
	if a.Country.Slug != "" {
		fm.checkSlugs([]model.Ref{a.Country})
	}
	var ok bool
	a.Body, ok = p.body(f.Path, body, bodyLine, lang, errs)
	if !fm.ok || !ok {
		return nil
	}
	return a
}

// Treaty parses content/treaties/<slug>.md.
func (p *Parser) Treaty(f load.File, errs *diag.List) *model.Treaty {
	lang, langOK := p.fileLang(f, errs)
	fm, body, bodyLine := header(f, treatyFields, errs)
	if fm == nil || !langOK {
		return nil
	}
	fm.require("title", "status")
	t := &model.Treaty{
		Slug:         f.Slug,
		File:         f.Path,
		Lang:         lang,
		Title:        fm.str("title"),
		Kind:         fm.str("kind"),
		Signed:       fm.date("signed"),
		Parties:      fm.list("parties"),
		Signatories:  fm.list("signatories"),
		Status:       fm.str("status"),
		Supersedes:   fm.list("supersedes"),
		SupersededBy: fm.slug("superseded_by"),
	}
	t.RedirectFrom = fm.redirects()
	t.Image = fm.image(path.Dir(f.Path), "")
	fm.notEmpty("title", "status")
	if n := fm.entries["status"]; n != nil && t.Status != "" && !contains(model.TreatyStatuses, t.Status) {
		fm.bad(n, "status %q is not one of in-force, superseded, expired, proposed, signed%s", t.Status, diag.DidYouMean(t.Status, model.TreatyStatuses))
	}
	if n := fm.entries["kind"]; n != nil && !contains(model.TreatyKinds, t.Kind) {
		fm.bad(n, "kind %q is not one of %s%s", t.Kind, strings.Join(model.TreatyKinds, ", "), diag.DidYouMean(t.Kind, model.TreatyKinds))
	}
	if t.Status != "proposed" && fm.entries["signed"] == nil && fm.entries["status"] != nil {
		fm.bad(fm.keys["status"], "missing required field \"signed\" (only a proposed treaty may have no signature date)")
	}
	fm.checkSlugs(t.Parties)
	fm.checkSlugs(t.Signatories)
	fm.checkSlugs(t.Supersedes)
	if t.SupersededBy.Slug != "" {
		fm.checkSlugs([]model.Ref{t.SupersededBy})
	}
	var ok bool
	t.Body, ok = p.body(f.Path, body, bodyLine, lang, errs)
	if !fm.ok || !ok {
		return nil
	}
	return t
}

// authors reads the byline: author: "A" or authors: [A, B], not both.
func (f *fields) authors() []string {
	one, many := f.entries["author"], f.entries["authors"]
	if one != nil && many != nil {
		f.bad(f.keys["authors"], "author and authors both set: use authors: [%s, …]", one.Value)
		return nil
	}
	if one != nil {
		if a := strings.TrimSpace(f.str("author")); a != "" {
			return []string{a}
		}
		return nil
	}
	var names []string
	for _, r := range f.list("authors") {
		if a := strings.TrimSpace(r.Slug); a != "" {
			names = append(names, a)
		}
	}
	return names
}

func (f *fields) source() model.Source {
	node := f.entries["source"]
	if node.Kind != yaml.MappingNode {
		f.bad(node, "source must be a mapping, e.g. source: { publisher: \"…\", url: \"https://…\" }")
		return model.Source{}
	}
	var s model.Source
	for i := 0; i+1 < len(node.Content); i += 2 {
		k, v := node.Content[i], node.Content[i+1]
		switch k.Value {
		case "publisher":
			s.Publisher = f.scalar(v, "source.publisher")
		case "url":
			s.URL = f.scalar(v, "source.url")
			if s.URL != "" && !isHTTPURL(s.URL) {
				f.bad(v, "source.url %q must start with http:// or https://", s.URL)
			}
		case "published":
			s.Published = f.dateNode(v, "source.published")
		case "author":
			s.Author = f.scalar(v, "source.author")
		default:
			f.bad(k, "unknown field \"source.%s\"%s", k.Value, diag.DidYouMean(k.Value, sourceFields))
		}
	}
	return s
}

// notEmpty reports required text fields that are present but blank
// ("kind:" with nothing after it).
func (f *fields) notEmpty(names ...string) {
	for _, name := range names {
		if n := f.entries[name]; n != nil && n.Kind == yaml.ScalarNode && (n.Tag == "!!null" || strings.TrimSpace(n.Value) == "") {
			at := n
			if n.Tag == "!!null" {
				at = f.keys[name] // a missing value has no place of its own
			}
			f.bad(at, "%s cannot be empty", name)
		}
	}
}

func isHTTPURL(s string) bool {
	return len(s) > 8 && (s[:7] == "http://" || s[:8] == "https://")
}

// checkSlugs reports references that are not valid slugs.
func (f *fields) checkSlugs(refs []model.Ref) {
	for _, r := range refs {
		if msg := load.ValidSlug(r.Slug); msg != "" {
			f.ok = false
			f.errs.Add(r.Pos, "invalid slug %q: %s", r.Slug, msg)
		}
	}
}
