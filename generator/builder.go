package generator

import (
	"context"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/media"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/output"
	"github.com/dossier-ssg/dossier/generator/parse"
	"github.com/dossier-ssg/dossier/generator/render"
	"github.com/dossier-ssg/dossier/generator/resolve"
	"github.com/dossier-ssg/dossier/generator/theme"
	"github.com/dossier-ssg/dossier/generator/urls"
)

// Builder runs builds one after another and redoes only what changed: it
// re-reads the files it is told about (or all, when not told), re-parses
// files whose bytes changed, patches the last resolution when only
// dossiers changed in ways no other file sees (else resolves in full),
// re-renders Markdown whose text or link targets changed, and re-executes
// only the pages whose inputs changed. A change of settings or theme
// starts from scratch. The
// output always equals a clean build of the same input
// (TestIncrementalEqualsClean). The Tree of a Result is the builder's own,
// updated in place by the next Build: read it before building again, and
// use Updated to learn which of its paths changed.
type Builder struct {
	opts Options

	mu     sync.Mutex
	stamp  uint64 // settings and theme the caches belong to
	engine *markdown.Engine
	parsed *parse.Cache
	// langs keeps each language tree's caches: the last resolution
	// (resolve.Cache), the pages, which follow it to keep their list when
	// a resolution patches, the rendered Markdown bodies and the search
	// index, patched build after build.
	langs   map[string]*langSlot
	theme   *themeSlot           // the theme, kept while stamp holds
	files   map[string]load.File // content files of the last build, by path
	list    []load.File          // the same, sorted by path
	broken  map[string]bool      // paths that failed to load: retried every build
	pending map[string]bool      // paths changed since the last build
	rescan  bool                 // walk content/ again instead of using pending
	out     *outputs             // the output tree of the last build
	media   *mediaSlot           // the image processor and what each image made
}

// NewBuilder prepares incremental builds of one site.
func NewBuilder(opts Options) *Builder {
	return &Builder{opts: opts, rescan: true}
}

// Changed tells the builder which paths changed (absolute, or relative to the
// site folder). Paths outside content/ (settings, layouts, assets) make the
// next build start from scratch.
func (b *Builder) Changed(paths ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pending == nil {
		b.pending = map[string]bool{}
	}
	site, _ := filepath.Abs(b.opts.SiteDir)
	for _, p := range paths {
		if filepath.IsAbs(p) {
			if rel, err := filepath.Rel(site, p); err == nil {
				p = rel
			}
		}
		p = filepath.ToSlash(filepath.Clean(p))
		if !strings.HasPrefix(p, "content/") {
			b.rescan = true
			b.stamp = 0
			continue
		}
		b.pending[p] = true
	}
}

// Build runs the pipeline, reusing what the previous build learned.
func (b *Builder) Build() (*Result, error) { return b.BuildContext(context.Background()) }

// BuildContext is Build that stops, returning ctx's error, when ctx is done
// while Markdown is parsed: the slow stage, where a pathological text can
// hold a build for its whole time limit. What was parsed stays cached;
// the next build takes over from there.
func (b *Builder) BuildContext(ctx context.Context) (*Result, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	site := load.OpenSite(b.opts.SiteDir)
	defer site.Close()
	cfg, err := loadConfig(b.opts, site)
	if err != nil {
		return nil, err
	}
	if stamp := settingsStamp(site, cfg, b.opts.Serve); stamp != b.stamp || b.engine == nil {
		b.stamp = stamp
		b.engine = markdown.New(markdown.Options{Unsafe: cfg.Markup.Unsafe, TimeLimit: cfg.Markup.TimeLimit})
		b.parsed = parse.NewCache()
		b.langs = map[string]*langSlot{}
		b.out = &outputs{siteDir: b.opts.SiteDir, spill: newSpill(b.opts.SiteDir)}
		b.theme = &themeSlot{}
		b.rescan = true
		b.media.forget() // it handed its files over to the tree dropped
	}
	if b.media == nil {
		b.media = newMediaSlot(b.opts.SiteDir, true)
	}
	var errs diag.List
	files := b.load(site, &errs)
	return run(b.opts, cfg, files, pipeline{site: site, ctx: ctx, engine: b.engine, parsed: b.parsed, langs: b.langs, stamp: b.stamp, out: b.out, theme: b.theme, media: b.media}, &errs)
}

// dropFolder forgets the files under p, a path that is gone: when p was a
// folder (rm -rf, or mv of a dossier folder, which a watcher reports as the
// folder alone), its files went with it. It returns their paths.
func (b *Builder) dropFolder(p string) []string {
	prefix := p + "/"
	i, _ := sort.Find(len(b.list), func(i int) int { return strings.Compare(prefix, b.list[i].Path) })
	var gone []string
	for ; i < len(b.list) && strings.HasPrefix(b.list[i].Path, prefix); i++ {
		gone = append(gone, b.list[i].Path)
		delete(b.files, b.list[i].Path)
	}
	return gone
}

// load returns the content files, re-reading only what changed.
func (b *Builder) load(site fs.FS, errs *diag.List) []load.File {
	var changed []string // the paths re-read, when content/ was not walked
	if !b.rescan && b.files != nil && b.list != nil {
		for p := range b.broken {
			b.pending[p] = true
		}
		b.broken = map[string]bool{}
		paths := make([]string, 0, len(b.pending))
		for p := range b.pending {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			var local diag.List
			f, present, rescan := load.One(site, p, &local)
			if rescan {
				b.rescan = true
				break
			}
			if local.Len() > 0 {
				b.broken[p] = true
				errs.Append(local.Sorted()...)
			}
			delete(b.files, p)
			if present {
				b.files[p] = f
			} else {
				changed = append(changed, b.dropFolder(p)...)
			}
			changed = append(changed, p)
		}
		if changed == nil {
			changed = []string{} // nothing re-read: the list stands
		}
	}
	if b.rescan || b.files == nil || b.list == nil {
		changed = nil
		b.broken = map[string]bool{}
		var local diag.List
		list := load.Content(site, &local)
		for _, d := range local.Sorted() {
			b.broken[d.Pos.File] = true
		}
		errs.Append(local.Sorted()...)
		b.files = make(map[string]load.File, len(list))
		for _, f := range list {
			b.files[f.Path] = f
		}
	}
	b.rescan, b.pending = false, map[string]bool{}
	if changed == nil {
		b.out.walked = true
	} else {
		b.out.reread = append(b.out.reread, changed...)
	}
	b.forgetMedia(changed)
	if changed == nil {
		b.list = make([]load.File, 0, len(b.files))
		for _, f := range b.files {
			b.list = append(b.list, f)
		}
		sort.Slice(b.list, func(i, j int) bool { return b.list[i].Path < b.list[j].Path })
	} else {
		// Patch the sorted list instead of sorting every file again.
		for _, p := range changed {
			i, found := sort.Find(len(b.list), func(i int) int { return strings.Compare(p, b.list[i].Path) })
			f, present := b.files[p]
			switch {
			case found && present:
				b.list[i] = f
			case found:
				b.list = slices.Delete(b.list, i, i+1)
			case present:
				b.list = slices.Insert(b.list, i, f)
			}
		}
	}
	return slices.Clone(b.list)
}

// forgetMedia drops what the media step made from the files re-read (all,
// when content/ was walked: changed is nil). A picture is seen by pages
// that do not pass through the file's entity in a patch (a dossier's lead
// image on the home page, a portrait as an avatar): a changed image file
// resolves the site in full, so that every page is signed again.
func (b *Builder) forgetMedia(changed []string) {
	if changed == nil {
		b.media.cache = media.NewCache()
		return
	}
	for _, p := range changed {
		if strings.HasSuffix(p, ".md") {
			continue
		}
		b.media.cache.Forget(p)
		for _, s := range b.langs {
			s.resolved = resolve.NewCache()
			s.pages.Follow(s.resolved)
		}
	}
}

// Updated lists the output paths the last successful Build added, changed
// or removed, sorted, compared with the successful build before it. known
// is false when the builder cannot tell (the first build, the first after
// settings changed or after a build that failed while updating the tree,
// or after content/ was walked again, which may change attachments in
// place): compare the whole tree then.
func (b *Builder) Updated() (paths []string, known bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.out == nil || !b.out.known {
		return nil, false
	}
	paths = slices.Clone(b.out.updated)
	slices.Sort(paths)
	return paths, true
}

// outputs is the output tree of a Builder's last build, kept so the next
// build touches only the paths that changed instead of rebuilding the tree
// and its case-folded index (both as big as the site) every time. The tree
// is the Result's: it is only valid until the next Build.
type outputs struct {
	siteDir string // where the spill goes (see newSpill)
	tree    output.Tree
	pages   map[string]output.File // what render made, by path (spilled)
	// cards are the social cards (media.Result.Cards), apart from pages:
	// a patched save hands over only the cards of what changed.
	cards map[string]output.File
	// spill holds the bytes of pages and media on disk (nil: in memory,
	// when no spill file can be made), so that the tree of a large site
	// does not live in memory; see output.Spill.
	spill  *output.Spill
	assets map[string]bool   // theme assets (they win over a page of the same path)
	folded map[string]string // lower case → path, of pages and assets
	attach map[string]string // attachment output path → source file
	kinds  map[string]int    // HTML pages by kind, for Stats
	// reread holds the content/ paths load read again since the last
	// update (an attachment among them was rewritten in place).
	reread []string
	walked bool     // content/ was walked since the last update
	lost   []string // pages handed over as released that the tree lacks
	// fresh holds the files render and the media step made (stage) since
	// the last update, already in the spill: they come in Files as nil.
	freshMu sync.Mutex
	fresh   map[string]output.File
	left    []string // see gone
	// whole holds the files of the last handover that come whole from the
	// search index and the media step (handover.whole), with the bytes
	// handed over.
	whole   map[string]wholeFile
	updated []string
	known   bool
	urls    *urls.Scheme // of this build: pages' kinds and attachments' places
}

func (o *outputs) reset() {
	*o = outputs{siteDir: o.siteDir, spill: newSpill(o.siteDir)}
}

// stage keeps a file render or the media step just made, so that the
// site's pages are not all in memory at once: the next update takes it. It
// is safe for concurrent use.
func (o *outputs) stage(p string, data []byte) error {
	// o.pages changes only in update, never while render or media run.
	last, had := o.pages[p]
	f, _ := o.keep(last, had, data) // made again, the same: not written again
	o.freshMu.Lock()
	defer o.freshMu.Unlock()
	if o.fresh == nil {
		o.fresh = map[string]output.File{}
	}
	o.fresh[p] = f
	return nil
}

// newSpill opens the spill of a new tree in the site's CacheDir, else in
// the system's temporary folder; nil when neither can hold one.
func newSpill(siteDir string) *output.Spill {
	if s, err := output.NewSpill(filepath.Join(siteDir, CacheDir)); err == nil {
		return s
	}
	s, _ := output.NewSpill("")
	return s
}

// keep returns the file that holds data: in the spill, unless last (the
// file at the same path, when had) holds the same bytes already. changed
// is false then.
func (o *outputs) keep(last output.File, had bool, data []byte) (f output.File, changed bool) {
	if had && same(last, output.File{Data: data}) {
		return last, false
	}
	if o.spill != nil && len(data) > 0 {
		if st, err := o.spill.Store(data); err == nil {
			return output.File{Stored: st}, true
		}
	}
	return output.File{Data: data}, true
}

// same reports whether two files of the tree are the same: the same bytes,
// or copies of the same source file.
func same(a, b output.File) bool {
	if a.From != "" || b.From != "" {
		return a.From == b.From
	}
	return a.SameBytes(b)
}

// handover is what a build hands over to the tree: every page, hosting
// file, search index file and picture it made (nil: released, the tree
// holds it), or, when partial, only the pages a patch looked at again,
// with every hosting, search index and picture file: the pages not
// handed over stand, and no page went (pagecache.PageCache.Partial).
// whole names the files of the search index and the media step: after a
// partial handover, one of the last handover's whole files not handed
// over again went.
type handover struct {
	files   render.Files
	partial bool
	whole   map[string]bool
}

// newWhole is the set a build lists the files of its handover that come
// whole in (handover.whole); nil without a tree.
func (o *outputs) newWhole() map[string]bool {
	if o == nil {
		return nil
	}
	return map[string]bool{}
}

// update brings the tree to this build's pages, assets and attachments,
// with the same checks and the same result as the clean build in run.
func (o *outputs) update(siteDir string, site *model.Site, sc *urls.Scheme, pictures media.Result, h handover, assets []*theme.Asset, stats *Stats, errs *diag.List) output.Tree {
	pages := h.files
	shown := pictures.Shown
	o.urls = sc
	o.known = o.tree != nil && !o.walked
	if o.tree == nil {
		o.tree = make(output.Tree, len(pages)+len(assets))
		o.pages = make(map[string]output.File, len(pages))
		o.cards = make(map[string]output.File, len(pictures.Cards))
		o.assets = map[string]bool{}
		o.folded = make(map[string]string, len(pages)+len(assets))
		o.attach = map[string]string{}
		o.kinds = map[string]int{}
	}
	o.updated = o.updated[:0]
	newAssets := make(map[string][]byte, len(assets))
	for _, a := range assets {
		newAssets[a.Out] = a.Data
	}
	stats.Handed = o.updatePages(h, newAssets)
	o.updateCards(pictures, newAssets)
	for _, p := range o.lost {
		errs.Add(diag.Pos{File: p}, "internal error: the dev loop lost this file; save again to build the site afresh")
	}
	o.updateAssets(pages, assets, newAssets, stats)
	o.updateAttachments(siteDir, site, shown, stats, errs)
	o.left = o.left[:0]
	for _, p := range o.updated {
		if !o.made(p) {
			o.left = append(o.left, p)
		}
	}
	for p := range o.fresh {
		if !o.made(p) {
			o.left = append(o.left, p)
		}
	}
	o.fresh = nil // taken, or made for pages that are gone
	stats.Pages = maps.Clone(o.kinds)
	stats.Files = len(o.tree)
	return o.tree
}

// made reports whether the tree holds p as a page or a card.
func (o *outputs) made(p string) bool {
	_, page := o.pages[p]
	_, card := o.cards[p]
	return page || card
}

// updateCards brings the social cards up to date: every card of the site,
// or, after a patched save (media.Result.Patched), the cards of what
// changed and those gone; the others stand. An asset or a page of the
// same path wins.
func (o *outputs) updateCards(pictures media.Result, newAssets map[string][]byte) {
	lost := 0
	for p, data := range pictures.Cards {
		last, ok := o.cards[p]
		staged, isStaged := o.fresh[p]
		switch {
		case ok && data == nil && !isStaged:
			continue
		case !ok && data == nil && !isStaged:
			o.lost = append(o.lost, p) // as in updatePages
			lost++
			continue
		case !ok:
			o.folded[strings.ToLower(p)] = p
		}
		f, changed := o.next(last, ok, data, staged)
		if !changed {
			continue
		}
		o.cards[p] = f
		if _, page := o.pages[p]; !page && !isAsset(newAssets, p) {
			o.put(p, f)
		}
	}
	dropCard := func(p string) {
		delete(o.cards, p)
		o.vacate(p, newAssets)
	}
	if pictures.Patched {
		for _, p := range pictures.CardsGone {
			if _, ok := pictures.Cards[p]; !ok {
				dropCard(p)
			}
		}
		return
	}
	if len(o.cards) == len(pictures.Cards)-lost {
		return // every card held was handed over
	}
	for p := range o.cards {
		if _, ok := pictures.Cards[p]; !ok {
			dropCard(p)
		}
	}
}

// next is the file a page or card becomes: the bytes the build handed
// over (data; the last file when they are the same), or, for one handed
// over as nil, the file staged for it; changed says it is not last.
func (o *outputs) next(last output.File, had bool, data []byte, staged output.File) (f output.File, changed bool) {
	if data == nil {
		return staged, !had || !same(last, staged)
	}
	return o.keep(last, had, data)
}

// vacate settles the path p after one of the files it held (an asset, a
// page or a card) went: the build's asset of that path wins, then a page,
// then a card; with none the file goes.
func (o *outputs) vacate(p string, newAssets map[string][]byte) {
	if isAsset(newAssets, p) {
		return
	}
	if f, ok := o.pages[p]; ok {
		o.put(p, f)
	} else if f, ok := o.cards[p]; ok {
		o.put(p, f)
	} else {
		o.drop(p)
		o.unfold(p)
	}
}

func isAsset(assets map[string][]byte, p string) bool {
	_, ok := assets[p]
	return ok
}

// put sets one file of the tree, noting it as updated if it changed.
func (o *outputs) put(p string, f output.File) {
	if old, ok := o.tree[p]; ok && same(old, f) {
		return
	}
	o.tree[p] = f
	o.updated = append(o.updated, p)
}

// drop removes one file of the tree, noting it as updated.
func (o *outputs) drop(p string) {
	if _, ok := o.tree[p]; ok {
		delete(o.tree, p)
		o.updated = append(o.updated, p)
	}
}

// gone lists the paths render or the media step made that the tree does
// not hold after the last update: removed by it, or made by a build that
// failed and not made again since.
func (o *outputs) gone() []string {
	return o.left
}

func (o *outputs) unfold(p string) {
	if l := strings.ToLower(p); o.folded[l] == p {
		delete(o.folded, l)
	}
}

// wholeFile is a file of the search index or the media step as last
// handed over: its bytes' first byte and length (nil: released or
// staged). The search index hands an unchanged file over with the same
// slice.
type wholeFile struct {
	first *byte
	n     int
}

func wholeOf(data []byte) wholeFile { return wholeFile{unsafe.SliceData(data), len(data)} }

// updatePages brings the pages up to date (an asset of the same path wins)
// and returns how many files it looked at. The caches hand a page made no
// differently than in the last build over as nil once they released it
// (pagecache.PageCache.Release, media.Cache.Release): one map probe per
// page handed over is all a save costs here, and after a patch render
// hands over only the pages it looked at again (handover.partial), and a
// file of the search index handed over as the same slice stands.
func (o *outputs) updatePages(h handover, newAssets map[string][]byte) (looked int) {
	pages := h.files
	lastWhole := o.whole
	o.whole = make(map[string]wholeFile, len(h.whole))
	for p := range h.whole {
		o.whole[p] = wholeOf(pages[p])
	}
	before, seen := len(o.pages), 0
	for p, data := range pages {
		if h.partial && data != nil {
			if w, ok := lastWhole[p]; ok && w == wholeOf(data) {
				continue // the same bytes as the last build's: standing
			}
		}
		looked++
		last, ok := o.pages[p]
		staged, isStaged := o.fresh[p]
		switch {
		case ok && data == nil && !isStaged:
			seen++
			continue
		case ok:
			seen++
		case data == nil && !isStaged:
			// A cache released a page this tree does not hold: they
			// went apart, which must not happen.
			o.lost = append(o.lost, p)
			continue
		default:
			o.folded[strings.ToLower(p)] = p
			if strings.HasSuffix(p, ".html") {
				o.kinds[pageKind(o.urls, p)]++
			}
		}
		f, changed := o.next(last, ok, data, staged)
		if !changed {
			continue
		}
		o.pages[p] = f
		if _, ok := newAssets[p]; !ok {
			o.put(p, f)
		}
	}
	if h.partial {
		// The pages not handed over stand; of the files that come whole,
		// those of the last handover not handed over again went.
		for p := range lastWhole {
			if !h.whole[p] {
				o.dropPage(p, newAssets)
			}
		}
		return looked
	}
	if seen == before {
		return looked // no page went away
	}
	for p := range o.pages {
		if _, ok := pages[p]; !ok {
			o.dropPage(p, newAssets)
		}
	}
	return looked
}

// dropPage takes the page (or picture, or search file) at p out of the
// tree, if held.
func (o *outputs) dropPage(p string, newAssets map[string][]byte) {
	if _, ok := o.pages[p]; !ok {
		return
	}
	delete(o.pages, p)
	if strings.HasSuffix(p, ".html") {
		if k := pageKind(o.urls, p); o.kinds[k] == 1 {
			delete(o.kinds, k)
		} else {
			o.kinds[k]--
		}
	}
	o.vacate(p, newAssets)
}

// updateAssets brings the theme's assets up to date.
func (o *outputs) updateAssets(pages render.Files, assets []*theme.Asset, newAssets map[string][]byte, stats *Stats) {
	for p := range o.assets {
		if _, ok := newAssets[p]; ok {
			continue
		}
		delete(o.assets, p)
		o.vacate(p, newAssets)
	}
	for _, a := range assets {
		if !o.assets[a.Out] {
			o.assets[a.Out] = true
			o.folded[strings.ToLower(a.Out)] = a.Out
		}
		o.put(a.Out, output.File{Data: a.Data})
		stats.Copied++
	}
}

// updateAttachments checks the attachments afresh every build (they are
// few), in the clean build's order, against pages and assets first, then
// each other.
func (o *outputs) updateAttachments(siteDir string, site *model.Site, shown map[string]bool, stats *Stats, errs *diag.List) {
	reread := make(map[string]bool, len(o.reread))
	for _, p := range o.reread {
		reread[p] = true
	}
	attach := attachments(siteDir, site, o.urls, shown, o.folded, errs)
	stats.Copied += len(attach)
	for out := range o.attach {
		_, isPage := o.pages[out]
		if _, ok := attach[out]; !ok && !isPage && !o.assets[out] {
			o.drop(out)
		}
	}
	for out, from := range attach {
		if reread["content/"+out] {
			delete(o.tree, out) // rewritten in place: same source path, new bytes
		}
		o.put(out, output.File{From: from})
	}
	o.attach = attach
	o.reread, o.walked = nil, false
}
