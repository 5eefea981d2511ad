package generator

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/parse"
	"github.com/dossier-ssg/dossier/generator/render"
	"github.com/dossier-ssg/dossier/generator/resolve"
)

// Builder runs builds one after another and redoes only what changed: it
// re-reads the files it is told about (or all, when not told), re-parses
// files whose bytes changed, re-renders Markdown whose text or link targets
// changed, and re-executes only the pages whose inputs changed. Resolution
// runs in full every time: it is cheap map work, and it is what keeps every
// backlink right. A change of settings or theme starts from scratch. The
// output always equals a clean build of the same input
// (TestIncrementalEqualsClean).
type Builder struct {
	opts Options

	mu     sync.Mutex
	stamp  uint64 // settings and theme the caches belong to
	engine *markdown.Engine
	parsed *parse.Cache
	pages  *render.PageCache
	// resolved keeps the last resolution for the next (resolve.Cache);
	// pages follows it, to keep its page list when a resolution patches.
	resolved *resolve.Cache
	files    map[string]load.File // content files of the last build, by path
	list     []load.File          // the same, sorted by path
	broken   map[string]bool      // paths that failed to load: retried every build
	pending  map[string]bool      // paths changed since the last build
	rescan   bool                 // walk content/ again instead of using pending
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
func (b *Builder) Build() (*Result, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	cfg, err := loadConfig(b.opts)
	if err != nil {
		return nil, err
	}
	if stamp := b.settingsStamp(cfg); stamp != b.stamp || b.engine == nil {
		b.stamp = stamp
		b.engine = markdown.New(markdown.Options{Unsafe: cfg.Markup.Unsafe})
		b.parsed = parse.NewCache()
		b.pages = render.NewPageCache()
		b.resolved = resolve.NewCache()
		b.pages.Follow(b.resolved)
		b.rescan = true
	}
	var errs diag.List
	files := b.load(&errs)
	return run(b.opts, cfg, files, pipeline{engine: b.engine, parsed: b.parsed, pages: b.pages, resolved: b.resolved, stamp: b.stamp}, &errs)
}

// load returns the content files, re-reading only what changed.
func (b *Builder) load(errs *diag.List) []load.File {
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
			f, present, rescan := load.One(b.opts.SiteDir, p, &local)
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
		list := load.Content(b.opts.SiteDir, &local)
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

// settingsStamp identifies the settings, flags and the site's own layouts
// and assets: caches are only valid for one of these.
func (b *Builder) settingsStamp(cfg config.Site) uint64 {
	var sb strings.Builder
	data, _ := os.ReadFile(filepath.Join(b.opts.SiteDir, config.FileName))
	sb.Write(data)
	sb.WriteString(cfg.BaseURL)
	for _, flag := range []bool{cfg.Relative, cfg.Minify, cfg.IncludeDrafts, b.opts.Serve} {
		if flag {
			sb.WriteByte('1')
		} else {
			sb.WriteByte('0')
		}
	}
	for _, dir := range []string{"layouts", "assets"} {
		root := filepath.Join(b.opts.SiteDir, dir)
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if data, err := os.ReadFile(p); err == nil {
					sb.WriteString(p)
					sb.Write(data)
				}
			}
			return nil
		})
	}
	return parse.Stamp([]byte(sb.String())) | 1 // never 0: 0 means "no caches yet"
}
