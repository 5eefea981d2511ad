// Package generator runs the build pipeline top to bottom:
//
//	load (read content/) → parse (front matter, quotes, Markdown)
//	→ resolve (references, links, backlinks) → render (pages in memory)
//	→ output (atomic write to the destination)
//
// Each stage is a package of its own; this package only wires them, keeps
// the caches that make rebuilds incremental, and reports what a build did.
package generator

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dossier-ssg/dossier/generator/buildcache"
	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/linkcheck"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/media"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/output"
	"github.com/dossier-ssg/dossier/generator/pagecache"
	"github.com/dossier-ssg/dossier/generator/parse"
	"github.com/dossier-ssg/dossier/generator/render"
	"github.com/dossier-ssg/dossier/generator/resolve"
	"github.com/dossier-ssg/dossier/generator/search"
	"github.com/dossier-ssg/dossier/generator/theme"
	"github.com/dossier-ssg/dossier/generator/urls"
)

// Options say what to build.
type Options struct {
	SiteDir string // the site folder (holds dossier.toml and content/)
	Theme   fs.FS  // the built-in theme (layouts/, assets/)
	// Overrides of dossier.toml from the command line; zero values keep the file's.
	BaseURL  string
	Relative bool
	Minify   bool
	Drafts   bool
	Serve    bool
	// MemoryLimit, when set, is the memory in bytes a one-shot build
	// (Publish), or each build of the dev loop (Dev), aims to stay under
	// (the process's resident memory where the system tells it):
	// the garbage collector works harder near it, and it grows only as far
	// as the site needs (see limitMemory). The limit is the process's: two
	// such builds must not overlap.
	MemoryLimit int64
	// Waiting, when set, is told who holds the destination when Publish
	// must wait for another build of it to finish.
	Waiting func(holder string)
	// BuildCache, when set, has Publish keep a build cache in the site
	// folder (package buildcache): the next Publish to the same
	// destination executes only the pages whose inputs changed, renders
	// only the Markdown that changed, and writes only the files that
	// changed.
	BuildCache bool
}

// Result is a built site in memory.
type Result struct {
	Config config.Site
	Site   *model.Site
	Tree   output.Tree
	Stats  Stats
	// Warnings are what the site will get wrong once published, though it
	// builds (a base URL without a host).
	Warnings []diag.Diagnostic
	// Redirects maps each redirect page (an entity's old URL, from
	// redirect_from in its front matter) to the site path it points to.
	Redirects map[string]string
}

// Stats summarise a build.
type Stats struct {
	Pages  map[string]int // pages by kind
	Files  int            // output files in all
	Copied int            // attachments and assets copied
	// Reused counts the pages not made again because the build cache
	// knew them unchanged (their file in the destination stands), and
	// ReusedBodies the Markdown bodies taken from it, ReusedFiles the
	// content files whose parse it held, ReusedDocs the search documents
	// whose analysis it held.
	Reused, ReusedBodies, ReusedFiles, ReusedDocs int
	// Cards counts the social cards the media step named (and drew or
	// looked up): a save that resolve patched names only those of the
	// dossiers it changed and their quotes.
	Cards int
	// Handed counts the files a Builder's output tree looked at of those
	// its build handed over (pages, hosting and search index files,
	// pictures; not cards): after a patch, only the pages render looked
	// at again, the hosting files and the search index's files that
	// changed.
	Handed   int
	Duration time.Duration
}

// Build runs every stage but the write and returns the site in memory. On
// bad input it returns diag.Errors with every problem found.
func Build(opts Options) (*Result, error) {
	if err := checkSiteDir(opts.SiteDir); err != nil {
		return nil, err
	}
	return buildOnce(opts, nil, nil)
}

// buildOnce runs one clean build without a Builder: nothing is kept for a
// next build (the Builder holds every file's bytes for that), so each
// stage's data can be freed as soon as the next one is done with it.
func buildOnce(opts Options, emit func(path string, data []byte) error, dc *diskCache) (*Result, error) {
	site := load.OpenSite(opts.SiteDir)
	defer site.Close()
	cfg, err := loadConfig(opts, site)
	if err != nil {
		return nil, err
	}
	var errs, local diag.List
	files := load.Content(site, &local)
	errs.Append(local.Sorted()...)
	engine := markdown.New(markdown.Options{Unsafe: cfg.Markup.Unsafe, TimeLimit: cfg.Markup.TimeLimit})
	pics := newMediaSlot(opts.SiteDir, false)
	p := pipeline{site: site, engine: engine, dropTrees: true, emit: emit, media: pics}
	if dc != nil {
		p.known, p.stored = dc.known, dc.bodies
		// Bodies wait for the save, and dossiers' bodies for their page,
		// in the cache's spill file rather than in the heap.
		dc.bodies.SpillTo(dc.spillBytes)
		p.parsed, p.storeParsed = dc.parseCache(engine), dc.storeParsed
		p.analyses, p.parkAnalyses = dc.analyses, dc.parkAnalyses
		p.stands = dc.keep
	}
	res, err := run(opts, cfg, files, p, &errs)
	if err == nil {
		pics.prune() // a good full build: what it did not use is stale
	}
	return res, err
}

// pipeline holds what one build reuses from earlier ones; zero values mean
// a clean build.
type pipeline struct {
	site   fs.FS           // the site folder, read through load.SiteFS
	ctx    context.Context // nil: not cancellable
	engine *markdown.Engine
	parsed *parse.Cache
	// langs keeps, per language, what the build of its tree reuses (nil:
	// nothing, a build nothing follows).
	langs map[string]*langSlot
	stamp uint64
	// dropTrees marks a build nothing will follow: Markdown trees are kept
	// compact until bodies are rendered (parse.Parser.Compact), then
	// dropped with their source text, as nothing reads them again.
	dropTrees bool
	// emit, when set, receives pages as they are rendered (see render.Options.Emit).
	emit func(path string, data []byte) error
	// out, when set, keeps the output tree from one build to the next
	// (Builder), so only the paths that changed are touched.
	out *outputs
	// theme, when set, keeps the loaded theme while settings and theme
	// files are unchanged (the Builder's stamp covers both).
	theme *themeSlot
	// known and stored, when set, are the build cache on disk's page
	// signatures and rendered bodies (a one-shot build, diskCache). Both
	// are keyed by what they hold (an output path, a body's content), so
	// every language's tree shares them.
	known  *pagecache.Known
	stored *render.StoredBodies
	// media holds the image processor (and, for a Builder, what it made).
	media *mediaSlot
	// storeParsed, when set, receives parse's values as the build cache
	// on disk stores them (parse.Cache.EncodeTo, by diskCache.storeParsed), made as soon as parse is
	// done: the parse cache is this build's alone, and later stages may
	// derive into its values (resolve.Options.InPlace).
	storeParsed func(*parse.Cache, []load.File)
	// analyses, when set, are the search index's analysed documents of
	// the build cache on disk: a one-shot build analyses only the
	// documents that changed.
	analyses *search.Analyses
	// parkAnalyses, when set, moves analyses out of the heap (the build
	// cache's spill file) once the last tree's search index is made.
	parkAnalyses func()
	// stands, when set, tells whether the destination holds a file named
	// by its content (a social card) as the last build wrote it: the
	// build need not make it (diskCache.keep).
	stands func(path string) bool
}

// langSlot keeps what the build of one language's tree reuses from the
// last; zero values mean a clean build.
type langSlot struct {
	pages *pagecache.PageCache
	// resolved keeps the last resolution, so an edit that changes nothing
	// other files refer to is patched in (see resolve.Cache).
	resolved *resolve.Cache
	// bodies keeps rendered Markdown bodies, so an unchanged one is not
	// rendered again.
	bodies *render.BodyCache
	// search, when set, keeps the search index from one build to the next.
	search *searchSlot
	// translations signs where the pages of the language's entities are
	// in the others: a new translation starts the tree's caches afresh.
	translations uint64
	// cards is the generation of the resolution the social cards were
	// last made for (media.Options.Changed).
	cards uint64
}

// slot returns the caches of lang's tree: none in a build nothing
// follows, else kept in p.langs, started afresh when the translations of
// its entities changed (their pages' alternates and language switcher).
func (p pipeline) slot(lang string, site *model.Site) *langSlot {
	if p.langs == nil {
		return &langSlot{}
	}
	sig := translationsStamp(site.Translations)
	s := p.langs[lang]
	if s == nil || s.translations != sig {
		s = &langSlot{pages: pagecache.NewPageCache(), resolved: resolve.NewCache(), bodies: render.NewBodyCache(),
			search: &searchSlot{}, translations: sig}
		s.pages.Follow(s.resolved)
		p.langs[lang] = s
	}
	return s
}

// translationsStamp signs a site's Translations, in key order.
func translationsStamp(t map[string]map[string]string) uint64 {
	keys := slices.Sorted(maps.Keys(t))
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		for _, lang := range slices.Sorted(maps.Keys(t[k])) {
			b.WriteString("\x00" + lang + "\x00" + t[k][lang])
		}
		b.WriteByte('\n')
	}
	return parse.Stamp([]byte(b.String()))
}

// themeSlot holds a theme loaded by an earlier build.
type themeSlot struct{ theme *theme.Theme }

// loadTheme loads the theme, or reuses the one in slot with its fragments
// forgotten: loading parses every template and generates the code stylesheet,
// a fixed cost that matters in a rebuild of a few milliseconds.
func loadTheme(opts Options, site fs.FS, cfg config.Site, minifier *render.Minifier, slot *themeSlot, errs *diag.List) *theme.Theme {
	if slot != nil && slot.theme != nil {
		slot.theme.ForgetFragments()
		return slot.theme
	}
	codeCSS, err := markdown.CodeCSS(cfg.Markup.CodeStyle, cfg.Markup.CodeStyleDark)
	if err != nil {
		errs.Add(diag.Pos{File: config.FileName}, "code styles: %v", err)
	}
	var transform func(string, []byte) []byte
	if minifier != nil {
		transform = minifier.Asset
	}
	var local diag.List
	th := theme.Load(site, opts.Theme, map[string][]byte{"css/code.css": codeCSS}, transform, render.Funcs(cfg), &local)
	if slot != nil && local.Len() == 0 && err == nil {
		slot.theme = th
	}
	errs.Append(local.Sorted()...)
	return th
}

// run is the pipeline after loading: parse → resolve → media → render,
// top to bottom, each language's tree in turn.
func run(opts Options, cfg config.Site, files []load.File, p pipeline, errs *diag.List) (*Result, error) {
	start := time.Now()
	langs := cfg.Langs()
	var parseErrs diag.List
	parsed, reusedFiles := parseSite(cfg, files, &p, &parseErrs)
	drafts := draftProblems(files, &parseErrs, errs, cfg.IncludeDrafts)
	if p.dropTrees {
		// A build nothing follows reads no file's bytes again (a body
		// holds its Markdown until rendered): 79 MB at 10,000 dossiers.
		for i := range files {
			files[i].Data = nil
		}
	}
	if p.ctx != nil && p.ctx.Err() != nil {
		return nil, p.ctx.Err() // superseded: what was parsed stays in the cache
	}
	split := resolve.Languages(parsed, cfg.URLs())
	sites := make([]*model.Site, len(langs))
	slots := make([]*langSlot, len(langs))
	for i, lang := range langs {
		slots[i] = p.slot(lang, split[lang])
		// Without a parse cache (or with one stored and dropped above),
		// nothing else holds what parse made: resolve derives into it
		// rather than into copies (one-shot builds of one language:
		// memory). Languages share parse's values.
		sites[i], _ = resolve.Site(split[lang], resolve.Options{BasePath: cfg.BasePath(), URLs: cfg.URLs(), Lang: lang,
			IncludeDrafts: cfg.IncludeDrafts, Cache: slots[i].resolved, InPlace: p.parsed == nil && len(langs) == 1}, errs)
		sites[i].Translations = split[lang].Translations
	}
	var minifier *render.Minifier
	if cfg.Minify {
		minifier = render.NewMinifier()
	}
	th := loadTheme(opts, p.site, cfg, minifier, p.theme, errs)
	stats := Stats{Pages: map[string]int{}}
	var emitted []string // pages already on disk, for the attachment check below
	emit, stands := emitters(p, cfg, &stats, &emitted)
	pictures := mediaOf(p, cfg, th, files, langs, sites, slots, emit, stands, errs)
	stats.Cards = pictures.Named
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	var pages render.Files
	// A builder's tree learns which files come whole from the search
	// index (and the media step, updateTree): see handover.
	whole := p.out.newWhole()
	for i, lang := range langs {
		q := p
		if i < len(langs)-1 {
			q.parkAnalyses = nil // a later tree's index looks analyses up
		}
		tree := renderTree(opts, cfg.ForLang(lang), sites[i], slots[i], th, minifier, q, emit, whole, errs)
		if pages == nil {
			pages = tree // one tree: not copied, as big as the site
			continue
		}
		for name, data := range tree {
			if name == "_redirects" && pages[name] != nil { // one file for every tree
				data = sortedLines(append(slices.Clip(pages[name]), data...))
			}
			pages[name] = data
		}
	}
	th.ForgetFragments() // what pages shared is made again by the next build: not kept between builds
	if p.known != nil {
		// Pages the build cache knew unchanged stand in the destination.
		for _, path := range p.known.Kept() {
			stats.Pages[pageKind(cfg.URLs(), path)]++
			stats.Files++
			emitted = append(emitted, path)
		}
		stats.Reused, stats.ReusedBodies = len(p.known.Kept()), p.stored.Hits()
	}
	stats.ReusedFiles = reusedFiles
	if p.analyses != nil {
		stats.ReusedDocs = p.analyses.Hits()
	}
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	pages = withPictures(pages, pictures, p.out != nil)
	site, owned := sites[0], ownDossiers(sites, langs, cfg)
	if p.out != nil {
		tree := updateTree(opts, cfg, p, slots, owned, pictures, handover{files: pages, partial: partial(slots), whole: whole}, th, &stats, errs)
		if tree == nil {
			return nil, errs.Err()
		}
		stats.Duration = time.Since(start)
		redirects, _ := tree["_redirects"].Bytes()
		return &Result{Config: cfg, Site: site, Tree: tree, Stats: stats, Warnings: append(warnings(cfg, opts, site), drafts...), Redirects: redirectsOf(redirects, cfg.BasePath())}, nil
	}
	tree := output.Tree{}
	for p, data := range pages {
		tree[p] = output.File{Data: data}
		if strings.HasSuffix(p, ".html") {
			stats.Pages[pageKind(cfg.URLs(), p)]++
		}
	}
	for _, a := range th.Assets() {
		tree[a.Out] = output.File{Data: a.Data}
		stats.Copied++
	}
	folded := make(map[string]string, len(tree)+len(emitted))
	for p := range tree {
		folded[strings.ToLower(p)] = p
	}
	for _, p := range emitted {
		folded[strings.ToLower(p)] = p
	}
	for out, from := range attachments(opts.SiteDir, owned, cfg.URLs(), pictures.Shown, folded, errs) {
		tree[out] = output.File{From: from}
		stats.Copied++
	}
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	stats.Files += len(tree)
	stats.Duration = time.Since(start)
	return &Result{Config: cfg, Site: site, Tree: tree, Stats: stats, Warnings: append(warnings(cfg, opts, site), drafts...), Redirects: redirectsOf(tree["_redirects"].Data, cfg.BasePath())}, nil
}

// withPictures adds the files of the media step to pages. A builder's tree
// (kept) takes the social cards apart (outputs.updateCards); else those
// written as they were drawn (mediaOf) are left out.
func withPictures(pages render.Files, pictures media.Result, kept bool) render.Files {
	if pages == nil {
		pages = render.Files{}
	}
	for name, data := range pictures.Files {
		if data != nil || kept {
			pages[name] = data
		}
	}
	for name, data := range pictures.Cards {
		if data != nil && !kept {
			pages[name] = data
		}
	}
	return pages
}

// emitters returns what receives the files of a build as they are made
// (nil: none, they are returned in the tree) and what tells whether a file
// named by its content stands in the destination already (nil: none
// does). Each file emitted or standing is counted in stats and listed in
// emitted.
func emitters(p pipeline, cfg config.Site, stats *Stats, emitted *[]string) (emit func(string, []byte) error, stands func(string) bool) {
	if p.emit == nil {
		if p.out != nil {
			emit = p.out.stage // the builder keeps its pages on disk as they come
		}
		return emit, nil
	}
	var mu sync.Mutex
	note := func(path string) {
		mu.Lock()
		if strings.HasSuffix(path, ".html") { // render also emits the search index
			stats.Pages[pageKind(cfg.URLs(), path)]++
		}
		stats.Files++
		*emitted = append(*emitted, path)
		mu.Unlock()
	}
	emit = func(path string, data []byte) error {
		note(path)
		return p.emit(path, data)
	}
	if p.stands != nil {
		stands = func(path string) bool {
			if !p.stands(path) {
				return false
			}
			note(path)
			return true
		}
	}
	return emit, stands
}

// updateTree brings a Builder's output tree to this build (nil on errors),
// and lets the caches that handed their files over to it forget the bytes.
func updateTree(opts Options, cfg config.Site, p pipeline, slots []*langSlot, owned *model.Site, pictures media.Result, pages handover, th *theme.Theme, stats *Stats, errs *diag.List) output.Tree {
	for name := range pictures.Files {
		pages.whole[name] = true
	}
	tree := p.out.update(opts.SiteDir, owned, cfg.URLs(), pictures, pages, th.Assets(), stats, errs)
	if errs.Len() > 0 {
		// The tree is half updated: the next build starts it afresh, and
		// the caches that handed pages over to it with it.
		p.out.reset()
		clear(p.langs)
		p.media.forget()
		return nil
	}
	gone := p.out.gone()
	for _, s := range slots {
		s.pages.Release(gone)
	}
	p.media.cache.Release(gone)
	return tree
}

// partial reports whether every tree's render handed over only the pages
// a patch looked at again (pagecache.PageCache.Partial): the others stand.
func partial(slots []*langSlot) bool {
	for _, s := range slots {
		if !s.pages.Partial() {
			return false
		}
	}
	return len(slots) > 0
}

// parseSite parses the files. With p.storeParsed set, it stores the parse
// cache there and drops it from p: its values live on in the site, the
// rest is garbage. reused counts the files the stored cache spared.
func parseSite(cfg config.Site, files []load.File, p *pipeline, errs *diag.List) (site *model.Site, reused int) {
	parser := &parse.Parser{Markdown: p.engine, SiteLang: cfg.Language, Langs: cfg.Langs(), TagSlugs: cfg.Slugify.Tags,
		Cache: p.parsed, Compact: p.dropTrees, Ctx: p.ctx}
	site = parser.Site(files, errs)
	if p.storeParsed != nil {
		reused = p.parsed.StoredHits()
		p.storeParsed(p.parsed, files)
		p.parsed = nil
	}
	return site, reused
}

// mediaOf runs the media step on each language's site, around the
// rendering of its bodies (figures first, a quote's card after its text):
// the pictures and cards of every tree, one set of files under media/
// (their names are their content's, so the trees never clash).
func mediaOf(p pipeline, cfg config.Site, th *theme.Theme, files []load.File, langs []string, sites []*model.Site, slots []*langSlot,
	emit func(string, []byte) error, stands func(string) bool, errs *diag.List) media.Result {
	all := media.Result{Files: media.Files{}, Cards: media.Files{}, Shown: map[string]bool{}}
	staged := map[string]bool{} // an untranslated entity's card is every tree's
	var stagedMu sync.Mutex
	for i, lang := range langs {
		mediaOpts := p.media.options(p.site, cfg.ForLang(lang), th, files)
		switch {
		case p.out != nil && mediaOpts.Cache != nil:
			mediaOpts.Stage = func(out string, data []byte) { _ = p.out.stage(out, data) }
		case p.out == nil && emit != nil:
			// A one-shot publish writes each card as it is drawn (48,000
			// cards of a 10,000-dossier site are 1 GB) and each picture's
			// variants as its file is processed, from several workers.
			stage := func(out string, data []byte) {
				stagedMu.Lock()
				seen := staged[out]
				staged[out] = true
				stagedMu.Unlock()
				if seen {
					return
				}
				if err := emit(out, data); err != nil {
					errs.Add(diag.Pos{File: out}, "cannot write: %v", err)
				}
			}
			// A copy of a picture's files: the writer hands what it
			// wrote to the page buffers, and the image cache or the
			// source may hold these bytes. A card's are its own (a
			// warm build reads ~48,000 cards from the image cache
			// into a new folder: 0.9 GB not copied again).
			mediaOpts.Stage = func(out string, data []byte) { stage(out, bytes.Clone(data)) }
			mediaOpts.StageCard = stage
			if stands != nil {
				// A card the last build wrote stands: its name is the
				// fingerprint of what it shows, so neither its bytes nor
				// its drawing are needed.
				mediaOpts.Stands = func(out string) bool {
					if staged[out] {
						return true
					}
					if !stands(out) {
						return false
					}
					staged[out] = true
					return true
				}
			}
		}
		if len(langs) == 1 && p.out != nil && cfg.Origin() != "" && mediaOpts.Cache.Patchable() {
			// A patched save: only the changed dossiers' cards are
			// made again (the cards of one tree: several share cards).
			if last := slots[i].resolved.LastPatch(); last != nil && last.From == slots[i].cards {
				mediaOpts.Changed = last.Dossiers
			}
		}
		pictures := media.Site(sites[i], mediaOpts, errs)
		if render.SpillsBodies(render.Options{Theme: th, Cache: slots[i].pages, Emit: emit, Stored: p.stored}) {
			// The dossiers' bodies wait in the spill from now to their
			// pages (renderTree), not in the heap (render.StoredBodies.LeaveHeap).
			p.stored.LeaveHeap(sites[i])
		}
		render.Bodies(sites[i], p.engine, slots[i].bodies, p.stored, p.dropTrees, errs)
		if cfg.Origin() != "" {
			// Without a host no page names its card (og:image must be
			// absolute): drawing them would be work for nothing.
			media.Cards(sites[i], mediaOpts, &pictures, errs)
			if slots[i].resolved != nil {
				slots[i].cards = slots[i].resolved.Generation()
			}
		}
		if len(langs) == 1 {
			return pictures
		}
		all.Named += pictures.Named
		maps.Copy(all.Files, pictures.Files)
		maps.Copy(all.Cards, pictures.Cards)
		maps.Copy(all.Shown, pictures.Shown)
	}
	return all
}

// renderTree makes the pages, hosting files and search index of one
// language's tree (cfg is the language's: cfg.ForLang).
// The names of the search index's files are added to whole, when set.
func renderTree(opts Options, cfg config.Site, site *model.Site, slot *langSlot, th *theme.Theme, minifier *render.Minifier, p pipeline, emit func(string, []byte) error, whole map[string]bool, errs *diag.List) render.Files {
	var index map[string][]byte
	ropts := render.Options{Config: cfg, Markdown: p.engine, Theme: th, Serve: opts.Serve,
		Minify: minifier, Cache: slot.pages, Stamp: p.stamp, Emit: emit, Known: p.known, Stored: p.stored}
	if slot.search == nil {
		// A one-shot build indexes the site before it lists and renders
		// pages, so the index's working memory is never held at the same
		// time as the page list, the theme's fragments and the pages; the
		// dossiers' bodies wait on disk from the index to their pages.
		ropts.Spilled = render.SpillBodies(site, ropts)
		index = searchFiles(site, cfg, slot, p.analyses, ropts.Spilled.Bodies(errs), emit, errs)
		if p.parkAnalyses != nil {
			p.parkAnalyses()
		}
	}
	pages := render.Site(site, ropts, errs)
	if slot.search != nil {
		index = searchFiles(site, cfg, slot, nil, nil, nil, errs)
	}
	for name, data := range index {
		pages[name] = data
		if whole != nil {
			whole[name] = true
		}
	}
	return pages
}

// ownDossiers is a site of the dossiers of every tree that have their page
// there: the dossiers whose attachments are published beside a page.
func ownDossiers(sites []*model.Site, langs []string, cfg config.Site) *model.Site {
	if len(sites) == 1 {
		return sites[0]
	}
	out := &model.Site{}
	for i, site := range sites {
		for _, d := range site.Dossiers {
			if cfg.URLs().Tree(d.Lang).Lang == langs[i] {
				out.Dossiers = append(out.Dossiers, d)
			}
		}
	}
	return out
}

// sortedLines sorts the lines of data (the _redirects of every tree).
func sortedLines(data []byte) []byte {
	lines := strings.SplitAfter(string(data), "\n")
	slices.Sort(lines)
	return []byte(strings.Join(lines, ""))
}

// searchFiles makes the search index: at once in a build nothing follows
// (emitted when emit is set, so not returned), else patched from the last
// build's index, looking only at the dossiers a patched resolution changed.
func searchFiles(site *model.Site, cfg config.Site, p *langSlot, stored *search.Analyses, bodies *search.Bodies, emit func(string, []byte) error, errs *diag.List) map[string][]byte {
	var index map[string][]byte
	var err error
	switch {
	case p.search == nil && (stored != nil || bodies != nil):
		index, err = search.BuildSiteStored(site, cfg.Language, cfg.URLs(), stored, bodies)
	case p.search == nil:
		index, err = search.BuildSite(site, cfg.Language, cfg.URLs())
	default:
		var changed map[*model.Dossier]*model.Dossier
		if last := p.resolved.LastPatch(); last != nil && last.From == p.search.seen {
			changed = last.Dossiers
		}
		p.search.seen = p.resolved.Generation()
		index, err = p.search.index.Update(site, cfg.Language, cfg.URLs(), changed)
		if err != nil {
			p.search.seen = 0 // start over next time
		}
	}
	if err != nil {
		errs.Add(diag.Pos{File: "content"}, "search index: %v", err)
	}
	// The index files live beside the language's search page.
	folder := cfg.URLs().Tree(cfg.Language).SearchIndex()
	moved := make(map[string][]byte, len(index))
	for name, data := range index {
		moved[folder+strings.TrimPrefix(name, "search/")] = data
	}
	index = moved
	if emit == nil {
		return index
	}
	for name, data := range index {
		if err := emit(name, data); err != nil {
			errs.Add(diag.Pos{File: name}, "cannot write: %v", err)
		}
	}
	return nil
}

// searchSlot keeps the search index between builds, with the generation of
// the resolution it was last brought up to date with.
type searchSlot struct {
	index search.SiteIndex
	seen  uint64
}

// attachments maps the output path of every dossier attachment to its
// source file, but those a page shows as a picture (shown: their site
// paths), which are published as their variants, without the metadata a
// camera writes (a journalist's source's position). One must not replace a page or an asset (taken: their paths
// by lower-case form), nor another attachment on the disks that ignore case
// (macOS, Windows), where Map.png is map.png: those are reported instead.
func attachments(siteDir string, site *model.Site, sc *urls.Scheme, shown map[string]bool, taken map[string]string, errs *diag.List) map[string]string {
	attach := map[string]string{}
	folded := map[string]string{}
	for _, d := range site.Dossiers {
		for _, name := range d.Attachments {
			file := "content/dossiers/" + d.Slug + "/" + name
			if shown[file] {
				continue
			}
			out := sc.Tree(d.Lang).Attachment(d.Slug, name)
			l := strings.ToLower(out)
			if other, clash := taken[l]; clash {
				errs.Add(diag.Pos{File: file}, "this attachment would replace the page %s of the built site; rename it", other)
				continue
			}
			if other, clash := folded[l]; clash {
				errs.Add(diag.Pos{File: file}, "this attachment and content/%s would be one file on disks that ignore case (macOS, Windows); rename one", other)
				continue
			}
			folded[l] = out
			attach[out] = filepath.Join(siteDir, "content", "dossiers", d.Slug, filepath.FromSlash(name))
		}
	}
	return attach
}

// checkSiteDir refuses a site folder that does not exist or is not a folder,
// before anything is written beside the destination.
func checkSiteDir(dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("no site folder at %s: give the folder that holds dossier.toml and content/ with --source", dir)
		}
		return fmt.Errorf("cannot read the site folder: %w", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a folder: give the folder that holds dossier.toml and content/ with --source", dir)
	}
	return nil
}

func loadConfig(opts Options, site fs.FS) (config.Site, error) {
	cfg, err := config.Load(site)
	if err != nil {
		return cfg, err
	}
	if opts.BaseURL != "" {
		cfg.BaseURL = opts.BaseURL
		if err := cfg.Validate(); err != nil {
			return cfg, fmt.Errorf("--base-url: %w", err)
		}
	}
	cfg.Relative = cfg.Relative || opts.Relative
	cfg.Minify = cfg.Minify || opts.Minify
	cfg.IncludeDrafts = opts.Drafts
	return cfg, nil
}

// pageKind names the kind of page an output path holds, for the summary:
// its section's key in whichever language tree it is.
func pageKind(sc *urls.Scheme, p string) string {
	if p == urls.NotFound {
		return "404"
	}
	for _, t := range slices.Backward(sc.Trees()) { // the root's tree last
		rest, ok := strings.CutPrefix(p, t.Prefix)
		if !ok {
			continue
		}
		first, _, _ := strings.Cut(rest, "/")
		switch {
		case rest == "index.html" || first == "page":
			return "home"
		case strings.HasPrefix(rest, t.Section(urls.Quotes)[len(t.Prefix):]) && strings.Count(rest, "/") == 3:
			return "quote"
		}
		for _, key := range urls.SectionKeys {
			if first+"/" == t.Section(key)[len(t.Prefix):] {
				return key
			}
		}
		break
	}
	return "redirect" // an old path, outside every section
}

// redirectsOf reads the redirects of _redirects (hosting writes it): each
// old path's output file and the URL path it points to.
func redirectsOf(data []byte, base string) map[string]string {
	redirects := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || !strings.HasPrefix(f[0], base) {
			continue
		}
		from := strings.TrimPrefix(f[0], base)
		if !strings.HasSuffix(from, ".html") {
			from += "index.html"
		}
		redirects[from] = f[1]
	}
	return redirects
}

// Publish builds and writes the site to dest atomically. Pages go to the
// staging folder as they are rendered, so memory does not grow with the
// size of the output; on any error the staging folder is dropped and dest
// is untouched. With Options.BuildCache, a build after one that left its
// cache stages only the files that changed and moves them into dest.
func Publish(opts Options, dest string) (*Result, error) {
	res, err := publish(opts, dest)
	if errors.Is(err, output.ErrStale) {
		// A file the build cache knows was gone from dest when the patch
		// was put in place: dest is as it was and the cache is removed, so
		// this build is clean.
		return publish(opts, dest)
	}
	return res, err
}

// publish is Publish, once.
func publish(opts Options, dest string) (*Result, error) {
	if err := checkSiteDir(opts.SiteDir); err != nil {
		return nil, err
	}
	if err := output.CheckDest(opts.SiteDir, dest); err != nil {
		return nil, err
	}
	defer limitMemory(opts.MemoryLimit)()
	dc := openDiskCache(opts)
	defer dc.close()
	w, err := beginWrite(dest, opts, dc)
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", dest, err)
	}
	// Writers drain a bounded queue, so rendering rarely waits on the disk
	// and memory holds at most the queue, not the site (its size:
	// docs/performance.md).
	type page struct {
		path string
		data []byte
	}
	queue := make(chan page, 64)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var writeErr error
	written := map[string]uint64{} // every path written or standing, with its sum, for the build cache
	write := func(path string, f output.File) error {
		var sum uint64
		if dc != nil && f.Data != nil {
			sum = buildcache.Sum(f.Data)
		}
		var err error
		if !dc.stands(path, sum) {
			err = w.Write(path, f)
		}
		if dc != nil {
			mu.Lock()
			written[path] = sum
			mu.Unlock()
		}
		return err
	}
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for pg := range queue {
				if err := write(pg.path, output.File{Data: pg.data}); err != nil {
					mu.Lock()
					writeErr = cmp.Or(writeErr, err)
					mu.Unlock()
				}
				render.ReleasePage(pg.data) // written: its buffer makes another page
			}
		}()
	}
	res, err := buildOnce(opts, func(path string, data []byte) error {
		queue <- page{path, data}
		return nil
	}, dc)
	close(queue)
	wg.Wait()
	if err == nil && writeErr != nil {
		err = fmt.Errorf("writing %s: %w", dest, writeErr)
	}
	if err != nil {
		w.Abort()
		return nil, err
	}
	for path, f := range res.Tree {
		if err := write(path, f); err != nil {
			w.Abort()
			return nil, fmt.Errorf("writing %s: %w", dest, err)
		}
	}
	if err := commitWrite(w, dest, opts, dc, written); err != nil {
		return nil, fmt.Errorf("writing %s: %w", dest, err)
	}
	return res, nil
}

// writer is where Publish writes: a staging folder swapped in whole
// (output.Staging), or the files that changed staged beside dest's
// unchanged ones, linked, and swapped in whole (output.Patch).
type writer interface {
	Write(path string, f output.File) error
	Abort()
}

// beginWrite starts the write of a build: a patch of dest when the build
// cache describes it, else a new site.
func beginWrite(dest string, opts Options, dc *diskCache) (writer, error) {
	if dc != nil && dc.last != nil {
		p, err := output.BeginPatch(dest, dc.last.Token, dc.last.Paths(), opts.Waiting)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, output.ErrStale) {
			return nil, err
		}
		dc.forget()
	}
	return output.Begin(dest, opts.Waiting)
}

// commitWrite puts what was written in place and leaves the build cache
// for the next build, with the id of the destination's new marker. The
// cache is saved after dest holds the new site: a build stopped in between
// leaves a cache whose marker dest does not hold, which the next build
// ignores.
func commitWrite(w writer, dest string, opts Options, dc *diskCache, written map[string]uint64) error {
	var next *buildcache.State
	if dc != nil {
		next = dc.state(written)
	}
	// The previous site is removed while the cache is saved (finish).
	var finish func() error
	var err error
	switch w := w.(type) {
	case *output.Patch:
		if finish, err = w.Commit(next.Paths()); err != nil {
			buildcache.Remove(opts.SiteDir)
			return err
		}
	case *output.Staging:
		if finish, err = w.CommitLater(); err != nil {
			return err
		}
	}
	if dc != nil {
		next.Token = output.MarkerID(dest)
		if next.Token == "" || buildcache.Save(opts.SiteDir, dc.key, next) != nil {
			buildcache.Remove(opts.SiteDir) // the next build is clean
		}
	}
	return finish()
}

// Summary is the one-paragraph report printed after a build.
func (s Stats) Summary() string {
	return s.Contents() + ", in " + s.Duration.Round(time.Millisecond).String()
}

// Contents says what a build made: pages by kind and files copied.
func (s Stats) Contents() string {
	kinds := make([]string, 0, len(s.Pages))
	total := 0
	for k, n := range s.Pages {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
		total += n
	}
	sort.Strings(kinds)
	out := fmt.Sprintf("%d pages (%s), %d files copied", total, strings.Join(kinds, ", "), s.Copied)
	if s.Reused > 0 || s.ReusedBodies > 0 || s.ReusedFiles > 0 || s.ReusedDocs > 0 {
		out += fmt.Sprintf("; %d pages and %d Markdown texts unchanged since the last build, %d files not parsed again, %d search documents not analysed again (build cache)",
			s.Reused, s.ReusedBodies, s.ReusedFiles, s.ReusedDocs)
	}
	return out
}

// Check builds the site in memory and checks every internal link, anchor,
// image and asset of the output, without writing anything. Content errors
// come back as diag.Errors; broken links as the returned problems.
func Check(opts Options) ([]linkcheck.Problem, []diag.Diagnostic, error) {
	res, err := Build(opts)
	if err != nil {
		return nil, nil, err
	}
	files := make(map[string][]byte, len(res.Tree))
	for name, f := range res.Tree {
		files[name] = f.Data
	}
	return linkcheck.Check(files, res.Config.BasePath(), res.Config.Origin()), res.Warnings, nil
}

// warnings lists what a site that builds will get wrong once published.
// The dev server is exempt: it serves on its own host.
// draftProblems moves the problems parse found into errs, but those of a
// draft dossier's files when drafts are left out: a draft is not built,
// so its problems are warnings, returned (they stay errors in serve and
// check --drafts, which build drafts).
func draftProblems(files []load.File, found, errs *diag.List, includeDrafts bool) []diag.Diagnostic {
	all := found.Sorted()
	draft := map[string]bool{} // "content/dossiers/<slug>/" of each draft
	if !includeDrafts && len(all) > 0 {
		for _, f := range files {
			if f.Kind == load.DossierIndex && parse.IsDraft(f) {
				draft[path.Dir(f.Path)+"/"] = true
			}
		}
	}
	var warn []diag.Diagnostic
	for _, d := range all {
		if draft[path.Dir(d.Pos.File)+"/"] {
			d.Message += " (in a draft, which is not built)"
			warn = append(warn, d)
			continue
		}
		errs.Append(d)
	}
	return warn
}

func warnings(cfg config.Site, opts Options, site *model.Site) []diag.Diagnostic {
	var out []diag.Diagnostic
	if !opts.Serve && cfg.Origin() == "" {
		out = append(out, diag.Diagnostic{Pos: diag.Pos{File: config.FileName}, Message: fmt.Sprintf(
			"baseURL %q has no host: feed.xml and sitemap.xml then hold relative URLs, which feed readers and search engines refuse, and pages have no social card (og:image), og:url or canonical link; set baseURL = \"https://…\" (the site's public address) in %s, or pass --base-url, before you publish",
			cfg.BaseURL, config.FileName)})
	}
	// Two spellings of one tag are one tag: say so, naming both places.
	for _, tag := range site.Tags {
		first := tag.Spellings
		for _, other := range first[min(1, len(first)):] {
			out = append(out, diag.Diagnostic{Pos: other.Pos, Message: fmt.Sprintf(
				"tag %q is also written %q (%s): both are the tag /%s; write it one way",
				other.Text, first[0].Text, first[0].Pos, cfg.URLs().Tree(cfg.Language).Tag(tag.Slug))})
		}
	}
	return out
}
