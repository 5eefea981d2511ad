// Package render owns the fourth stage: it turns the resolved site into output
// files in memory. It renders Markdown bodies, lays out every page of the
// content model with the theme's templates, writes the hosting files (Atom
// feed, sitemap, robots.txt) and applies per-language typography and, when
// asked, relative links. It writes nothing to disk.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/hosting"
	"github.com/dossier-ssg/dossier/generator/i18n"
	"github.com/dossier-ssg/dossier/generator/jsonld"
	"github.com/dossier-ssg/dossier/generator/maps"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/pagecache"
	"github.com/dossier-ssg/dossier/generator/reads"
	"github.com/dossier-ssg/dossier/generator/resolve"
	"github.com/dossier-ssg/dossier/generator/theme"
	"github.com/dossier-ssg/dossier/generator/urls"
	"github.com/dossier-ssg/dossier/generator/view"
)

// Options configure rendering.
type Options struct {
	Config   config.Site
	Markdown *markdown.Engine
	Theme    *theme.Theme
	Serve    bool // dev server: pages are marked so the live-reload script can be injected
	// Minify, when set, minifies every page.
	Minify *Minifier
	// Emit, when set, receives each page as soon as it is rendered, and the
	// page is not kept in the returned Files: a one-shot build writes pages
	// to disk as it goes instead of holding the whole site in memory. With
	// a Cache (the dev loop's builder, which keeps its pages on disk), the
	// page is in the Files as nil, like a page reused whose bytes the
	// cache released (see Files).
	Emit func(out string, data []byte) error
	// Cache, when set, lets a rebuild reuse unchanged pages; Stamp must then
	// identify the theme and settings the cache was filled with.
	Cache *pagecache.PageCache
	Stamp uint64
	// Known, when set in a one-shot build (no Cache), has every page signed:
	// a page the last build made with the same signature is neither
	// executed nor emitted, as its file stands in the destination.
	Known *pagecache.Known
	// Stored, when set, are the bodies the build cache keeps for the next
	// build. In a one-shot build (Emit, no Cache), the dossiers' bodies it
	// put in its spill (StoredBodies.SpillTo) may wait there, out of the
	// heap, from the search index to their pages (SpillBodies).
	Stored *StoredBodies
	// Spilled, when set, are the dossiers' bodies out of the heap
	// (SpillBodies): each is put back for its page, and for the feed.
	Spilled *SpilledBodies
}

// Files are output files by slash path relative to the output root. With
// a page cache whose bytes were released (pagecache.PageCache.Release), a
// page made no differently than in the last build is there as nil: the
// caller holds its bytes.
type Files map[string][]byte

// Bodies renders every Markdown body of the resolved site to HTML
// (Body.HTML). Bodies are independent, so they render in parallel. With a
// cache, a body rendered before from the same text and link table is taken
// from it instead, and a body that has its HTML already is left as it is:
// resolve fills a body's link table once, in a copy of its own, and a copy
// a patched resolution kept from the last build was rendered then. With
// drop (a build nothing will follow), each body's tree and Markdown are
// dropped once it is rendered, so a file's text is freed as soon as its
// bodies are done rather than when the whole site's are.
func Bodies(site *model.Site, eng *markdown.Engine, cache *BodyCache, stored *StoredBodies, drop bool, errs *diag.List) {
	var bodies []*model.Body
	every, due := true, cache == nil || cache.sweepDue()
	site.ForEachBody(func(b *model.Body) {
		if due || b.HTML == "" {
			bodies = append(bodies, b)
		} else {
			every = false
		}
	})
	hits := make([]*renderedBody, len(bodies))
	var made []*markdown.Doc // the Doc of each body rendered now, for the cache
	if cache != nil {
		// Only for it: a Doc holds its file's text, which drop frees as
		// soon as the file's bodies are rendered (159 MB held to the
		// end at 20,000 dossiers when every Doc was kept here).
		made = make([]*markdown.Doc, len(bodies))
	}
	parallel(len(bodies), func(i int) {
		b := bodies[i]
		doc, ok := b.Doc.(*markdown.Doc)
		if !ok {
			return
		}
		if e := cache.lookup(doc, b); e != nil {
			hits[i], b.HTML = e, e.html
			return
		}
		var key uint64
		if stored != nil {
			key = BodyKey(doc, b)
			if html, ok := stored.lookup(key, b); ok {
				b.HTML = html
				stored.left(b)
				if drop {
					b.Doc, b.Src, b.Targets = nil, nil, nil
				}
				return
			}
		}
		var out []byte
		var err error
		if b.Inline {
			out, err = eng.RenderInline(doc, b.Targets, b.Figures...)
		} else {
			out, err = eng.Render(doc, b.Targets, b.Figures...)
		}
		if err != nil {
			errs.Add(diag.Pos{File: b.File, Line: b.FirstLine}, "cannot render Markdown: %v", err)
			return
		}
		b.HTML = template.HTML(out)
		if made != nil {
			made[i] = doc
		}
		stored.keep(key, b, string(b.HTML), false)
		stored.left(b)
		if drop {
			b.Doc, b.Src, b.Targets = nil, nil, nil
		}
	})
	cache.keep(bodies, hits, made, every)
	stored.forget()
}

// BodyCache keeps rendered bodies between builds (watch mode), so that an
// unchanged body is not rendered again. A body's HTML is made from its
// Markdown text in its language, whether it is inline, and where its links
// point (its link table, which Body.LinkSig sums up): an entry is found by
// those. Its file, first line and indents only place an error, and a body
// that failed is not kept. The text is known by its Doc: parse makes one
// per text, never changes it, and makes new ones when a file's bytes
// change, so the same Doc is the same text in the same language, found
// without hashing the site's text on every save. A cache belongs to one
// Markdown engine (its settings); the caller starts a new one with it.
type BodyCache struct {
	entries map[*markdown.Doc]*renderedBody
	gen     uint64 // Bodies calls that looked at every body
	// added counts the entries added since the last such call: those of
	// edited texts, whose old entries only a call that sees every body
	// finds unused.
	added int
}

// renderedBody is a body's HTML and what it was made from besides its Doc.
type renderedBody struct {
	inline bool
	links  string // Body.LinkSig
	figs   string // Body.FigureSig
	html   template.HTML
	gen    uint64 // the last Bodies call that looked at every body and used it
}

// NewBodyCache returns an empty cache.
func NewBodyCache() *BodyCache {
	return &BodyCache{entries: map[*markdown.Doc]*renderedBody{}}
}

// sweepDue reports whether Bodies must look at every body, even those
// rendered already, to drop what the edits since the last time left
// unused: once an eighth of the cache may be.
func (c *BodyCache) sweepDue() bool {
	return c.added > 64+len(c.entries)/8
}

// lookup returns the entry of a body made from doc, or nil. Bodies calls
// it from every worker: the map is only read until keep.
func (c *BodyCache) lookup(doc *markdown.Doc, b *model.Body) *renderedBody {
	if c == nil {
		return nil
	}
	if e := c.entries[doc]; e != nil && e.inline == b.Inline && e.links == b.LinkSig && e.figs == b.FigureSig {
		return e
	}
	return nil
}

// keep adds the bodies rendered now. When Bodies looked at every body of
// the site, the entries none of them used (an edited or deleted file's)
// are dropped.
func (c *BodyCache) keep(bodies []*model.Body, hits []*renderedBody, made []*markdown.Doc, every bool) {
	if c == nil {
		return
	}
	c.gen++
	for i, b := range bodies {
		switch {
		case hits[i] != nil:
			hits[i].gen = c.gen
		case made[i] != nil:
			if _, ok := c.entries[made[i]]; !ok {
				c.added++
			}
			c.entries[made[i]] = &renderedBody{inline: b.Inline, links: b.LinkSig, figs: b.FigureSig, html: b.HTML, gen: c.gen}
		}
	}
	if !every {
		return
	}
	c.added = 0
	for doc, e := range c.entries {
		if e.gen != c.gen {
			delete(c.entries, doc)
		}
	}
}

// parallel runs fn(0..n-1) on all cores.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// Funcs are the template functions of every theme.
func Funcs(cfg config.Site) func(*theme.Theme) template.FuncMap {
	base := cfg.BasePath()
	pathOf := PathOf(cfg.URLs())
	return func(th *theme.Theme) template.FuncMap {
		return template.FuncMap{
			"url": func(x any) (string, error) {
				p, err := pathOf(x)
				return base + p, err
			},
			"path":     pathOf,
			"initials": view.Initials,
			"iso":      func(d model.Date) string { return d.ISO() },
			"year":     func(d model.Date) int { return d.Year() },
			"asset": func(name string) (string, error) {
				a := th.Asset(name)
				if a == nil {
					return "", theme.ErrMissingAsset(name)
				}
				return base + a.Out, nil
			},
			"sri": func(name string) (string, error) {
				a := th.Asset(name)
				if a == nil {
					return "", theme.ErrMissingAsset(name)
				}
				return a.SRI, nil
			},
			"dict":     theme.Dict,
			"add":      func(a, b int) int { return a + b },
			"lower":    strings.ToLower,
			"plainify": Plainify,
		}
	}
}

// Declarations say what the template functions of Funcs and the methods
// of the view read, for the page cache's signatures (package reads).
func Declarations() reads.Declarations {
	// url and path read what PathOf reads of each kind of entity.
	entity := reads.Func{Kind: reads.Fields, Fields: map[reflect.Type][]string{
		reflect.TypeFor[*model.Dossier](): {"Slug", "Lang"},
		reflect.TypeFor[*model.Actor]():   {"Slug", "Lang"},
		reflect.TypeFor[*model.Treaty]():  {"Slug", "Lang"},
		reflect.TypeFor[*model.Quote]():   {"ID", "Lang", "Dossier.Slug"},
		reflect.TypeFor[*model.Tag]():     {"Slug", "Lang"},
	}}
	return reads.Declarations{
		Funcs: map[string]reads.Func{
			"url": entity, "path": entity, "dict": {Kind: reads.Dict}, "partialCached": {Kind: reads.Partial}, "partialCachedDict": {Kind: reads.PartialDict},
			// The others read their arguments whole; asset and sri also
			// read the theme, whose change starts a new page cache.
			"initials": {}, "iso": {}, "year": {}, "asset": {}, "sri": {}, "add": {}, "lower": {}, "plainify": {},
		},
		Methods: view.MethodReads,
	}
}

// tagNames are the display names of the site's tags: dossier.toml's
// [tags], else how the first dossier wrote the tag (a tag written as its
// slug keeps the default: the slug with spaces).
func tagNames(site *model.Site, cfg config.Site) map[string]string {
	names := make(map[string]string, len(site.Tags)+len(cfg.Tags))
	for _, tag := range site.Tags {
		if len(tag.Spellings) > 0 && tag.Spellings[0].Text != tag.Slug {
			names[tag.Slug] = tag.Spellings[0].Text
		}
	}
	for slug, name := range cfg.Tags {
		names[slug] = name
	}
	return names
}

// Plainify returns the text of rendered HTML (a body's .HTML) without
// markup, as Hugo's function of that name: for a description or a count.
func Plainify(x any) (string, error) {
	switch v := x.(type) {
	case template.HTML:
		return markdown.HTMLText(string(v)), nil
	case string:
		return markdown.HTMLText(v), nil
	}
	return "", fmt.Errorf("plainify: want HTML or a string, not %T", x)
}

// PathOf returns the function that gives the site-relative path of an
// entity's page, in the tree of the entity's language (so a link to an
// entity with no translation goes to the language it has).
func PathOf(sc *urls.Scheme) func(x any) (string, error) {
	return func(x any) (string, error) {
		switch v := x.(type) {
		case *model.Dossier:
			return sc.Tree(v.Lang).Dossier(v.Slug), nil
		case *model.Actor:
			return sc.Tree(v.Lang).Actor(v.Slug), nil
		case *model.Treaty:
			return sc.Tree(v.Lang).Treaty(v.Slug), nil
		case *model.Quote:
			return sc.Tree(v.Lang).Quote(v.Dossier.Slug, v.ID), nil
		case *model.Tag:
			return sc.Tree(v.Lang).Tag(v.Slug), nil
		case string:
			return strings.TrimPrefix(v, "/"), nil
		}
		return "", fmt.Errorf("url: cannot link to %T", x)
	}
}

// Site renders every page. Bodies must have been rendered.
func Site(site *model.Site, opts Options, errs *diag.List) Files {
	info := view.NewSiteInfo(opts.Config, opts.Serve)
	if info.Lang == "fr" { // written into attributes (og:site_name) and JSON-LD too
		info.Title, info.Description = markdown.FrenchText(info.Title), markdown.FrenchText(info.Description)
	}
	info.TagNames = tagNames(site, opts.Config)
	info.Counts = map[string]int{"dossiers": len(site.Dossiers), "actors": len(site.Actors), "treaties": len(site.Treaties), "quotes": len(site.Quotes)}
	// After a patched resolution, the last build's pages stand, and only
	// those of the changed dossiers are looked at again.
	var plans map[string]*reads.Plan
	if opts.Cache != nil {
		plans = opts.Cache.Plans(func() map[string]*reads.Plan { return Plans(opts.Theme) })
	}
	var jobs []pagecache.Job
	var look []int
	var patch *resolve.Patch
	// A template without a plan is executed on every build: the pages a
	// patch looks at again are found through plans, so it needs them all.
	if len(plans) == len(theme.Pages) {
		jobs, look, patch = opts.Cache.Patched(opts.Stamp)
	}
	patched := patch != nil
	if !patched {
		jobs = pages(site, info, opts.Config)
		look = make([]int, len(jobs))
		for i := range look {
			look[i] = i
		}
	}
	// The maps are drawn from the resolved site: nothing is kept between
	// builds (each map reads its entity's lists, which a patch updates).
	draw := maps.New(site, info.BasePath, info.URLs)
	if opts.Known != nil && plans == nil {
		plans = Plans(opts.Theme)
	}
	spilled := opts.Spilled.spilled() // a page is signed by its spilled body's key
	sigs, deps, outs, held := reuse(site, opts, plans, jobs, look, patched, draw)
	kept := known(opts, plans, jobs, draw, spilled)
	var todo []int
	for _, i := range look {
		if !held[i] && (kept == nil || !kept[i]) {
			todo = append(todo, i)
		}
	}
	// The site-wide map is the longest page to make: start it first, so it
	// does not end the build on one core.
	if k := slices.IndexFunc(todo, func(i int) bool { return jobs[i].Page.Kind == "map" }); k > 0 {
		todo[0], todo[k] = todo[k], todo[0]
	}
	failures := make([]error, len(jobs))
	parallel(len(todo), func(k int) {
		j := jobs[todo[k]]
		out, err := spilled.execute(opts.Theme, j, draw)
		if err != nil {
			failures[todo[k]] = err
			return
		}
		out = MarkOtherLanguages(out, info.Tree, info.URLs, info.BasePath)
		out = postProcess(out, j.Page.Lang, j.Out, opts.Config)
		if opts.Minify != nil {
			out = opts.Minify.HTML(out)
		}
		if opts.Emit != nil {
			if err := opts.Emit(j.Out, out); err != nil {
				errs.Add(diag.Pos{File: j.Out}, "cannot write: %v", err)
			}
			// Without a cache, only the output path is read again: the
			// page, its map and its JSON-LD go now rather than at the end
			// of the build. A cache keeps the jobs for the next build,
			// and the page as held by the caller.
			if opts.Cache == nil {
				jobs[todo[k]].Page = nil
			} else {
				held[todo[k]] = true
			}
			return
		}
		if cap(out)-len(out) > len(out)/8 {
			// Kept pages live as long as the dev server: they are kept
			// without the buffer's slack.
			kept := bytes.Clone(out)
			ReleasePage(out)
			out = kept
		}
		outs[todo[k]] = out
	})
	reportTemplateErrors(jobs, failures, errs)
	forgetFragments(opts)
	failed := slices.ContainsFunc(failures, func(err error) bool { return err != nil })
	files := opts.Cache.Keep(jobs, look, sigs, deps, outs, held, patched, opts.Stamp, failed)
	hostFiles := opts.Cache.Hosting(patched)
	if hostFiles == nil {
		spilled.restore(hosting.FeedDossiers(site, info), info.Tree.Feed(), errs)
		hostFiles = hosting.Files(site, info, opts.Config)
		pages := make(map[string]bool, len(jobs))
		for _, j := range jobs {
			pages[j.Out] = true
		}
		for name, data := range hosting.RedirectFiles(site, pages, opts.Config, errs) {
			hostFiles[name] = data
		}
	} else {
		// Of the hosting files, only the feed shows what a patch may
		// change (summaries, articles), and only of the newest dossiers.
		newest := hosting.FeedDossiers(site, info)
		for _, n := range patch.Dossiers {
			if slices.Contains(newest, n) {
				hostFiles[info.Tree.Feed()] = hosting.Feed(site, info, opts.Config)
				break
			}
		}
	}
	opts.Cache.KeepHosting(hostFiles)
	for name, data := range hostFiles {
		files[name] = data
	}
	return files
}

// forgetFragments lets a one-shot build's fragments go once its pages are
// made: what follows (hosting files, another language's tree, the build
// cache's save) need not hold them (~70 MB at 10,000 dossiers).
func forgetFragments(opts Options) {
	if opts.Cache == nil && opts.Emit != nil {
		opts.Theme.ForgetFragments()
	}
}

// executeCopy executes a job on a copy of its page, so that what only
// the executed page needs (Prepare, a map) is not held by the page list a
// cache keeps.
func executeCopy(th *theme.Theme, j pagecache.Job, draw *maps.Maps) ([]byte, error) {
	page := *j.Page
	j.Page = &page
	if j.Prepare != nil {
		j.Prepare(j.Page)
	}
	if j.Finish != nil {
		j.Finish(j.Page)
	}
	if maps.Has(j.Page.Kind) {
		draw.Fill(j.Page)
	}
	return execute(th, j)
}

// reuse signs the pages of look and takes the bytes of those whose inputs
// did not change since the last build (or, after a patch, of every page
// not in look). It returns each page's signature, the entities its
// signature passed through, the bytes reused (nil when the cache released
// them: the caller holds them) and which pages are reused (the others are
// executed, and marked too once emitted to a caller that holds them).
func reuse(site *model.Site, opts Options, plans map[string]*reads.Plan, jobs []pagecache.Job, look []int, patched bool, draw *maps.Maps) ([]uint64, [][]int32, [][]byte, []bool) {
	sigs := make([]uint64, len(jobs))
	deps := make([][]int32, len(jobs))
	outs := make([][]byte, len(jobs))
	reused := make([]bool, len(jobs))
	if patched {
		sigs, outs = opts.Cache.Last(jobs)
		for i := range reused {
			reused[i] = true
		}
		for _, i := range look {
			outs[i], reused[i] = nil, false
		}
	}
	// A one-shot build (no cache) executes every page: no signature needed.
	if opts.Cache == nil {
		return sigs, deps, outs, reused
	}
	signer := opts.Cache.NewSigner(plans, opts.Stamp, draw.Key)
	parallel(len(look), func(k int) {
		i := look[k]
		sigs[i], deps[i] = signer.Sign(opts.Cache, jobs[i])
		if data, ok := opts.Cache.Lookup(jobs[i].Out, sigs[i]); ok {
			outs[i], reused[i] = data, true
		}
	})
	return sigs, deps, outs, reused
}

// known signs every page of a one-shot build with a Known and reports
// those the last build made with the same signature. A spilled body is
// signed by its key (spilledBodies.sumSpilled).
func known(opts Options, plans map[string]*reads.Plan, jobs []pagecache.Job, draw *maps.Maps, spilled spilledBodies) []bool {
	if opts.Known == nil || opts.Cache != nil {
		return nil
	}
	kept := make([]bool, len(jobs))
	pc := pagecache.NewPageCache() // numbers entities for this build only
	signer := pc.NewSigner(plans, opts.Stamp, draw.Key)
	spilled.sumSpilled(signer)
	parallel(len(jobs), func(i int) {
		sig, _ := signer.Sign(pc, jobs[i])
		kept[i] = opts.Known.Check(jobs[i].Out, sig)
	})
	return kept
}

// Plans analyses what each page template of th reads (package reads); a
// template the analysis cannot follow has no plan, and its pages are
// executed on every build.
func Plans(th *theme.Theme) map[string]*reads.Plan {
	plans := map[string]*reads.Plan{}
	if th == nil {
		return plans
	}
	interned := map[string]*reads.Node{}
	for _, name := range theme.Pages {
		trees := th.Trees(name)
		if trees == nil {
			continue
		}
		plan, err := reads.AnalyzeShared(trees, "baseof.html", reflect.TypeFor[*view.Page](), Declarations(), interned)
		if err == nil {
			plans[name] = plan
		}
	}
	return plans
}

// reportTemplateErrors reports each failing template place once, naming the
// first page it broke and how many others: one typo in actor.html must not
// print two thousand lines.
func reportTemplateErrors(jobs []pagecache.Job, failures []error, errs *diag.List) {
	type place struct {
		d     diag.Diagnostic
		first string
		n     int
	}
	byMsg := map[string]*place{}
	var order []string
	for i, err := range failures {
		if err == nil {
			continue
		}
		d := err.(diag.Diagnostic)
		key := d.Pos.String() + d.Message
		p, ok := byMsg[key]
		if !ok {
			p = &place{d: d, first: jobs[i].Out}
			byMsg[key] = p
			order = append(order, key)
		}
		p.n++
	}
	for _, key := range order {
		p := byMsg[key]
		p.d.Message += " (rendering " + p.first
		switch {
		case p.n == 2:
			p.d.Message += " and 1 other page"
		case p.n > 2:
			p.d.Message += fmt.Sprintf(" and %d other pages", p.n-1)
		}
		p.d.Message += ")"
		errs.Append(p.d)
	}
}

// execute runs one page template into memory.
func execute(th *theme.Theme, j pagecache.Job) ([]byte, error) {
	t := th.Template(j.Template)
	if t == nil {
		return nil, diag.Diagnostic{Pos: diag.Pos{File: "layouts/" + j.Template}, Message: "template did not parse"}
	}
	buf := pageBuffers.Get().(*bytes.Buffer)
	if err := t.ExecuteTemplate(buf, "baseof.html", j.Page); err != nil {
		return nil, theme.TemplateError(err, th.Sources)
	}
	return buf.Bytes(), nil
}

// pageBuffers recycles the buffers pages are executed into: growing a new
// buffer for every page was a quarter of the bytes a build allocated.
var pageBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 16<<10)) }}

// PageBuffer returns n bytes (their contents undefined) from the buffers
// pages are made in, for a file to be written and then handed to
// ReleasePage as a page is (a social card read from the image cache).
func PageBuffer(n int) []byte {
	b := pageBuffers.Get().(*bytes.Buffer)
	if b.Cap() < n {
		pageBuffers.Put(b)
		return make([]byte, n)
	}
	return b.AvailableBuffer()[:n]
}

// ReleasePage gives back the bytes of a page once they are written: the
// caller must not use them again. Any byte slice may be given; only those
// of a useful size are kept.
func ReleasePage(data []byte) {
	if c := cap(data); c >= 8<<10 && c <= 1<<20 {
		pageBuffers.Put(bytes.NewBuffer(data[:0]))
	}
}

// postProcess drops the templates' indentation and applies language
// typography and relative links to one page.
func postProcess(page []byte, lang, out string, cfg config.Site) []byte {
	page = TrimIndent(page) // in place: the page is this call's own fresh buffer
	if lang == "fr" {
		page = markdown.FrenchSpacingInPlace(page) // the page is this call's own fresh buffer
	}
	if cfg.Relative {
		page = Relativize(page, cfg.BasePath(), out)
	}
	return page
}

// pages lists every page of the content model in the language tree of
// info: the list pages, and the page of each entity of its language.
func pages(site *model.Site, info *view.SiteInfo, cfg config.Site) []pagecache.Job {
	l := &lister{site: site, info: info, cfg: cfg, lang: cfg.Language, tree: info.Tree}
	l.home()
	l.dossiers()
	l.actors()
	l.treaties()
	l.lists()
	frenchJobs(l.jobs)
	return l.jobs
}

// lister makes the page list of one language tree.
type lister struct {
	site *model.Site
	info *view.SiteInfo
	cfg  config.Site
	lang string
	tree *urls.Tree
	jobs []pagecache.Job
}

func (l *lister) newPage(kind, section, title, path string) *view.Page {
	return &view.Page{Site: l.info, Kind: kind, Section: section, Title: title, Path: path, Lang: l.lang, OGType: "website"}
}

// own says whether an entity of language lang has its page in this tree;
// the others are listed, linked to their own language's page.
func (l *lister) own(lang string) bool { return l.info.URLs.Tree(lang) == l.tree }

// translated gives an entity's page its versions in the other languages.
func (l *lister) translated(p *view.Page, key string) {
	p.Translations = view.EntityTranslations(l.info, l.site.Translations[key], l.tree.Lang)
	p.Alternates = view.Alternates(p.Translations)
}

func (l *lister) add(tmpl string, p *view.Page) {
	if p.Translations == nil {
		// A list page: the same section in each language, whose first
		// page is its version there.
		key := sectionOf(p.Kind)
		p.Translations = view.SectionTranslations(l.info, key)
		if p.Path == l.tree.Section(key) && p.Kind != "tag" && !(p.Kind == "timeline" && p.Actor != nil) {
			p.Alternates = view.Alternates(p.Translations)
		}
	}
	p.Code = view.ShowsCode(p)
	l.jobs = append(l.jobs, pagecache.Job{Out: urls.File(p.Path), Template: tmpl, Page: p})
}

// withLD makes the JSON-LD of the last page added when it is executed:
// a rebuild reuses most pages. reads declares what ld reads of the page
// (pagecache.Job.Reads).
func (l *lister) withLD(reads *reads.Plan, ld func(p *view.Page) map[string]any) {
	j := &l.jobs[len(l.jobs)-1]
	j.Prepare = func(p *view.Page) { p.JSONLD = ld(p) }
	j.Reads = reads
}

// home lists the dossiers newest first, paginated.
func (l *lister) home() {
	info := l.info
	paginate(l.site.Dossiers, l.cfg.PageSize, l.tree.Section(urls.Home), func(items []*model.Dossier, pager *view.Pager, path string) {
		p := l.newPage("home", "dossiers", info.Title, path)
		p.Description = info.Description
		p.Dossiers, p.Pager = items, pager
		l.add("home.html", p)
		l.withLD(prepareReads.home, func(p *view.Page) map[string]any { return jsonld.Website(p.Site) })
	})
}

// dossiers lists each dossier's page, its quotes' pages and the page
// listing them all (/quotes/<dossier>/).
func (l *lister) dossiers() {
	for _, d := range l.site.Dossiers {
		if !l.own(d.Lang) {
			continue
		}
		p := l.newPage("dossier", "dossiers", d.Title, l.tree.Dossier(d.Slug))
		p.Dossier, p.Lang, p.OGType = d, d.Lang, "article"
		l.translated(p, model.Key("dossier", d.Slug))
		l.add("dossier.html", p)
		// Its summary and key quotes are what a patch may change: made
		// from the dossier the page holds, like its JSON-LD.
		j := &l.jobs[len(l.jobs)-1]
		j.Shape = keyQuotes
		j.Prepare = func(p *view.Page) {
			keyQuotes(p)
			p.Description, p.JSONLD = p.Dossier.Summary, jsonld.Dossier(p.Site, p.Dossier)
		}
		j.Reads = prepareReads.dossier
		l.quotes(d)
	}
}

// quotes lists the page of each quote of d, and the page of them all.
func (l *lister) quotes(d *model.Dossier) {
	for _, q := range d.Quotes {
		if !l.own(q.Lang) {
			continue
		}
		qp := l.newPage("quote", "quotes", "", l.tree.Quote(d.Slug, q.ID))
		qp.Quote, qp.Dossier, qp.Lang = q, d, d.Lang
		l.translated(qp, model.QuoteKey(d.Slug, q.ID))
		l.add("quote.html", qp)
		j := &l.jobs[len(l.jobs)-1]
		j.Prepare = prepareQuote
		j.Reads = prepareReads.quote
	}
	if len(d.Quotes) == 0 {
		return
	}
	lp := l.newPage("quotes", "quotes", i18n.Label(d.Lang, "quotes.of", d.Title), l.tree.DossierQuotes(d.Slug))
	lp.Dossier, lp.Lang = d, d.Lang
	// Oldest first, as the events went; the undated at the end.
	byDate := slices.Clone(d.Quotes)
	slices.SortStableFunc(byDate, func(a, b *model.Quote) int {
		if a.Undated != b.Undated {
			if a.Undated {
				return 1
			}
			return -1
		}
		return a.Date.Compare(b.Date.Time)
	})
	lp.QuoteDays = groupQuotes(byDate)
	l.add("quotes.html", lp)
}

// actors lists the actors by kind, and each actor's page.
func (l *lister) actors() {
	actors := l.newPage("actors", "actors", i18n.Label(l.lang, "nav.actors"), l.tree.Section(urls.Actors))
	for _, kind := range []string{model.KindPerson, model.KindState, model.KindOrganisation} {
		g := view.ActorGroup{Kind: kind}
		for _, a := range l.site.Actors {
			if a.Kind == kind {
				g.Actors = append(g.Actors, a)
			}
		}
		if len(g.Actors) > 0 {
			actors.ActorKinds = append(actors.ActorKinds, g)
		}
	}
	l.add("actors.html", actors)
	for _, a := range l.site.Actors {
		if !l.own(a.Lang) {
			continue
		}
		p := l.newPage("actor", "actors", a.Name, l.tree.Actor(a.Slug))
		l.translated(p, model.Key("actor", a.Slug))
		p.Actor, p.Description, p.OGType = a, actorDescription(a), "profile"
		p.Dossiers, p.MoreDossiers = capList(a.Dossiers, maxEntityList)
		p.Quotes, p.MoreQuotes = capList(a.Quotes, maxEntityList)
		p.Related, p.MoreRelated = capList(a.RelatedTo, maxRelated)
		l.add("actor.html", p)
		l.withLD(prepareReads.actor, func(p *view.Page) map[string]any { return jsonld.Actor(p.Site, p.Actor) })
	}
}

// treaties lists the treaties, and each treaty's page.
func (l *lister) treaties() {
	treaties := l.newPage("treaties", "treaties", i18n.Label(l.lang, "nav.treaties"), l.tree.Section(urls.Treaties))
	treaties.Treaties = l.site.Treaties
	l.add("treaties.html", treaties)
	for _, t := range l.site.Treaties {
		if !l.own(t.Lang) {
			continue
		}
		p := l.newPage("treaty", "treaties", t.Title, l.tree.Treaty(t.Slug))
		l.translated(p, model.Key("treaty", t.Slug))
		p.Treaty, p.Description = t, markdown.Truncate(t.Body.Text(), 200)
		p.Dossiers, p.MoreDossiers = capList(t.Dossiers, maxEntityList)
		l.add("treaty.html", p)
		l.withLD(prepareReads.treaty, func(p *view.Page) map[string]any { return jsonld.Treaty(p.Site, p.Treaty) })
	}
}

// lists lists the quotes, tags, timelines, map, search and 404 pages.
func (l *lister) lists() {
	lang, tree, site := l.lang, l.tree, l.site
	quotesPerPage := l.cfg.PageSize * 5
	paginate(site.Quotes, quotesPerPage, tree.Section(urls.Quotes), func(items []*model.Quote, pager *view.Pager, path string) {
		p := l.newPage("quotes", "quotes", i18n.Label(lang, "all_quotes"), path)
		p.Quotes, p.Pager = items, pager
		p.QuoteDays = groupQuotes(items)
		l.add("quotes.html", p)
	})

	tags := l.newPage("tags", "dossiers", i18n.Label(lang, "tags"), tree.Section(urls.Tags))
	// Tags by the name shown, in the language's collation.
	tags.Tags = slices.Clone(site.Tags)
	i18n.SortNames(lang, tags.Tags, func(t *model.Tag) string { return tags.TagName(t.Slug) }, func(t *model.Tag) string { return t.Slug })
	l.add("tags.html", tags)
	for _, tag := range site.Tags {
		paginate(tag.Dossiers, l.cfg.PageSize, tree.Tag(tag.Slug), func(items []*model.Dossier, pager *view.Pager, path string) {
			p := l.newPage("tag", "dossiers", tag.Slug, path)
			p.Title = p.TagName(tag.Slug)
			p.Tag, p.Dossiers, p.Pager = tag, items, pager
			l.add("tag.html", p)
		})
	}

	for _, tl := range timelines(site, lang, tree) {
		paginate(tl.entries, timelinePageSize, tl.path, func(items []view.TimelineEntry, pager *view.Pager, path string) {
			p := l.newPage("timeline", "timeline", tl.title, path)
			p.Years, p.Filters, p.Pager, p.NoIndex = byYear(items), tl.filters, pager, path != tree.Section(urls.Timeline)
			p.Actor = tl.actor
			l.add("timeline.html", p)
		})
	}

	l.add("map.html", l.newPage("map", "map", i18n.Label(lang, "map"), tree.Section(urls.Map)))
	search := l.newPage("search", "search", i18n.Label(lang, "search"), tree.Section(urls.Search))
	search.NoIndex = true
	l.add("search.html", search)
	if tree == l.info.URLs.Default() { // hosts serve the one 404.html at the root
		nf := l.newPage("404", "", i18n.Label(lang, "notfound.title"), urls.NotFound)
		nf.NoIndex = true
		l.add("404.html", nf)
	}
}

// sectionOf is the section (urls key) whose pages a list page of kind is.
func sectionOf(kind string) string {
	switch kind {
	case "actors", "treaties", "quotes", "tags", "timeline", "map", "search":
		return kind
	case "tag":
		return urls.Tags
	}
	return urls.Home
}

// keyQuotes gives a dossier's page its key quotes, and says whether the
// page shows code with them: the part of its Prepare a signature follows
// into the quotes (pagecache.Job.Shape).
func keyQuotes(p *view.Page) {
	p.Quotes = KeyQuotes(p.Dossier.Quotes)
	p.Code = view.ShowsCode(p) // the key quotes are made here
}

// prepareQuote makes a quote page's title, description and JSON-LD.
func prepareQuote(p *view.Page) {
	said := p.Quote.Text.Text() // derived from HTML: made once for the three uses
	p.Title, p.Description = quoteTitle(p.Quote, said, p.Lang), markdown.Truncate(said, 200)
	p.JSONLD = jsonld.Quote(p.Site, p.Quote, said)
}

// maxKeyQuotes is how many quotes a dossier page shows when the curator
// marked none with {key}.
const maxKeyQuotes = 3

// KeyQuotes are the quotes a dossier page shows: those the curator marked
// {key}, in the file's order; without any, the first few full quotes (a
// fragment or reported speech reads poorly out of the article), or the
// first few quotes when none is full.
func KeyQuotes(quotes []*model.Quote) []*model.Quote {
	var keys, full []*model.Quote
	for _, q := range quotes {
		if q.Key {
			keys = append(keys, q)
		}
		if q.Kind == model.QuoteFull && len(full) < maxKeyQuotes {
			full = append(full, q)
		}
	}
	switch {
	case len(keys) > 0:
		return keys
	case len(full) > 0:
		return full
	}
	return quotes[:min(len(quotes), maxKeyQuotes)]
}

// quoteTitle titles a quote's page with its speaker and said, the text of
// its words, between the quotation marks of lang: in French the
// quotations inside said take “ ” (« le “meilleur ami” de… »).
func quoteTitle(q *model.Quote, said, lang string) string {
	name := q.Speaker.Slug
	if q.SpeakerActor != nil {
		name = q.SpeakerActor.Name
	}
	said = markdown.Truncate(said, 80)
	if lang == "fr" {
		return name + " : « " + markdown.NestQuotesText(said, 1) + " »"
	}
	return name + ": “" + said + "”"
}

func actorDescription(a *model.Actor) string {
	if a.Role != "" {
		return a.Name + " — " + a.Role
	}
	return a.Name
}

// paginate splits items into pages of size n under prefix: prefix, then
// prefix+"page/2/"… An empty list still gets its first page.
func paginate[T any](items []T, n int, prefix string, emit func([]T, *view.Pager, string)) {
	total := max(1, (len(items)+n-1)/n)
	pathOf := func(i int) string { return urls.Page(prefix, i) }
	for i := 1; i <= total; i++ {
		lo, hi := (i-1)*n, min(i*n, len(items))
		pager := &view.Pager{Number: i, Total: total}
		if i > 1 {
			pager.Prev = pathOf(i - 1)
		}
		if i < total {
			pager.Next = pathOf(i + 1)
		}
		emit(items[lo:hi], pager, pathOf(i))
	}
}

func groupQuotes(quotes []*model.Quote) []view.QuoteGroup {
	var groups []view.QuoteGroup
	for _, q := range quotes {
		if n := len(groups); n > 0 && groups[n-1].Date.Equal(q.Date.Time) && groups[n-1].Undated == q.Undated {
			groups[n-1].Quotes = append(groups[n-1].Quotes, q)
			continue
		}
		groups = append(groups, view.QuoteGroup{Date: q.Date, Undated: q.Undated, Quotes: []*model.Quote{q}})
	}
	return groups
}

type timeline struct {
	title, path string
	actor       *model.Actor
	entries     []view.TimelineEntry
	filters     []view.Filter
}

// Lists that could grow with the site are bounded: an entity page shows its
// newest entries and links to its timeline, which paginates.
const (
	maxEntityList = 30
	// maxRelated bounds an actor page's "related actors": an actor named
	// in thousands of dossiers is named with most actors of the site.
	maxRelated       = 16
	timelinePageSize = 200
)

// capList returns at most n items and how many were left out.
func capList[T any](items []T, n int) ([]T, int) {
	if len(items) <= n {
		return items, 0
	}
	return items[:n], len(items) - n
}

// maxTimelineFilters bounds the filter links on timeline pages; the actors
// named most often come first.
const maxTimelineFilters = 30

// timelines builds the site-wide timeline and one filtered timeline per actor.
func timelines(site *model.Site, lang string, tree *urls.Tree) []timeline {
	var all []view.TimelineEntry
	for _, d := range site.Dossiers {
		all = append(all, view.TimelineEntry{Date: d.Date, Kind: "dossier", Dossier: d})
	}
	for _, t := range site.Treaties {
		if !t.Signed.IsZero() {
			all = append(all, view.TimelineEntry{Date: t.Signed, Kind: "treaty", Treaty: t})
		}
	}
	for _, q := range site.Quotes {
		if !q.Undated { // a dated line: an undated quote has no place on it
			all = append(all, view.TimelineEntry{Date: q.Date, Kind: "quote", Quote: q})
		}
	}
	kindOrder := map[string]int{"treaty": 0, "dossier": 1, "quote": 2}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if !a.Date.Equal(b.Date.Time) {
			return a.Date.Before(b.Date.Time)
		}
		return kindOrder[a.Kind] < kindOrder[b.Kind]
	})
	// Each entry is filed under the actors it involves, in one pass.
	perActor := map[*model.Actor][]view.TimelineEntry{}
	for _, e := range all {
		switch e.Kind {
		case "dossier":
			for _, a := range e.Dossier.ActorList {
				perActor[a] = append(perActor[a], e)
			}
		case "treaty":
			for _, a := range e.Treaty.PartyList {
				perActor[a] = append(perActor[a], e)
			}
			for _, a := range e.Treaty.SignatoryList { // as in Actor.Treaties
				if !slices.Contains(e.Treaty.PartyList, a) {
					perActor[a] = append(perActor[a], e)
				}
			}
		case "quote":
			if a := e.Quote.SpeakerActor; a != nil {
				perActor[a] = append(perActor[a], e)
			}
		}
	}
	// Rank actors by how many entries involve them.
	type ranked struct {
		actor *model.Actor
		n     int
	}
	var rank []ranked
	for _, a := range site.Actors {
		n := len(a.Dossiers) + len(a.Treaties) + len(a.Quotes)
		if n > 0 {
			rank = append(rank, ranked{a, n})
		}
	}
	sort.SliceStable(rank, func(i, j int) bool { return rank[i].n > rank[j].n })
	if len(rank) > maxTimelineFilters {
		rank = rank[:maxTimelineFilters]
	}
	filters := func(current *model.Actor) []view.Filter {
		fs := []view.Filter{{Label: i18n.Label(lang, "timeline.all"), Path: tree.Section(urls.Timeline), Current: current == nil}}
		for _, r := range rank {
			fs = append(fs, view.Filter{Label: r.actor.Name, Path: tree.ActorTimeline(r.actor.Slug), Current: r.actor == current})
		}
		return fs
	}
	out := []timeline{{title: i18n.Label(lang, "timeline"), path: tree.Section(urls.Timeline), entries: all, filters: filters(nil)}}
	for _, a := range site.Actors {
		entries := perActor[a]
		if len(entries) == 0 {
			continue
		}
		out = append(out, timeline{title: i18n.Label(lang, "timeline") + " — " + a.Name, path: tree.ActorTimeline(a.Slug),
			actor: a, entries: entries, filters: filters(a)})
	}
	return out
}

func byYear(entries []view.TimelineEntry) []view.YearGroup {
	var years []view.YearGroup
	for _, e := range entries {
		if n := len(years); n > 0 && years[n-1].Year == e.Date.Year() {
			years[n-1].Entries = append(years[n-1].Entries, e)
			continue
		}
		years = append(years, view.YearGroup{Year: e.Date.Year(), Entries: []view.TimelineEntry{e}})
	}
	return years
}
