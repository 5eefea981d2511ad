package generator

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/dossier-ssg/dossier/generator/buildcache"
	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/output"
	"github.com/dossier-ssg/dossier/generator/pagecache"
	"github.com/dossier-ssg/dossier/generator/parse"
	"github.com/dossier-ssg/dossier/generator/render"
	"github.com/dossier-ssg/dossier/generator/search"
)

// BuildCacheDir is where Publish keeps the build cache, in the site folder.
const BuildCacheDir = buildcache.Dir

// ForgetBuildCache deletes the build cache of a site folder: the next
// build is from scratch.
func ForgetBuildCache(siteDir string) { buildcache.Remove(siteDir) }

// diskCache is the build cache of one `dossier build` (package buildcache):
// what the last build left, if usable, and what this one collects.
type diskCache struct {
	key    uint64
	last   *buildcache.State // nil: none usable, the build is clean
	known  *pagecache.Known
	bodies *render.StoredBodies
	// lastParsed is what parse made of each file in the last build
	// (parse.Cache.Encode), kept when the destination is not what the
	// cache describes: it depends only on the files.
	lastParsed []byte
	// parsed is this build's, for the next: in a spill file in the cache
	// folder from the end of parsing to the save (tens of MB at 10,000
	// dossiers that the heap need not hold while pages are made), or in
	// parsedBytes when no spill file could be made.
	dir         string
	spillOnce   sync.Once
	spill       *output.Spill
	parsed      buildcache.Section
	parsedBytes []byte
	// analyses are the search index's analysed documents: the last
	// build's (kept like lastParsed), then this build's.
	analyses *search.Analyses
	// searchStored, when set, holds this build's analyses in the spill
	// file from the end of the last search index to the save (parkAnalyses).
	searchStored *output.Stored
	// mu guards stood: the files the destination holds as the last build
	// wrote them, which this build did not make again (see keep).
	mu    sync.Mutex
	stood []string
}

// openDiskCache reads the build cache of the site for these options, or
// returns nil when the build keeps none (Options.BuildCache unset, or the
// binary cannot be identified).
func openDiskCache(opts Options) *diskCache {
	if !opts.BuildCache {
		return nil
	}
	site := load.OpenSite(opts.SiteDir)
	defer site.Close()
	cfg, err := loadConfig(opts, site)
	if err != nil {
		return nil // the build reports it
	}
	stamp := settingsStamp(site, cfg, opts.Serve)
	key, ok := buildcache.Key(fmt.Appendf(nil, "%d", stamp), buildcache.FS(opts.Theme))
	if !ok {
		return nil
	}
	c := &diskCache{key: key, dir: filepath.Join(opts.SiteDir, buildcache.Dir)}
	// The last build's bodies go from the cache file to the spill file one
	// at a time as it is read, never all in the heap (~80 MB at 10,000
	// dossiers, held beside the file's bytes when it was read whole: the
	// build's highest live heap).
	held, spilled := map[uint64]string{}, map[uint64]func() ([]byte, error){}
	keep := func(k uint64, html []byte) error {
		if spill := c.spillFile(); spill != nil {
			if st, err := spill.Store(html); err == nil {
				spilled[k] = st.Bytes
				return nil
			}
		}
		held[k] = string(html) // no spill file: the body stays in the heap
		return nil
	}
	c.last, _ = buildcache.LoadKeeping(opts.SiteDir, key, keep) // any reason: a clean build makes it again
	var pages map[string]uint64
	c.analyses = search.NewAnalyses()
	if c.last != nil {
		pages, c.lastParsed = c.last.Pages, c.last.Parsed
		c.analyses = search.DecodeAnalyses(c.last.Search)
		c.last.Parsed, c.last.Search = nil, nil // held where decoded, as long as needed
	} else {
		held, spilled = nil, nil // read from a cache found unusable at its end
	}
	c.known = pagecache.NewKnown(pages)
	c.bodies = render.NewStoredBodiesFrom(held, spilled)
	return c
}

// parseCache is the parse cache of the build: what the last build
// stored, decoded when looked up, or a new one that collects this
// build's for the next.
func (c *diskCache) parseCache(engine *markdown.Engine) *parse.Cache {
	data := c.lastParsed
	c.lastParsed = nil // the cache holds it, as long as the build does
	return parse.DecodeCache(data, engine)
}

// spillFile returns the cache's spill file, made on first use; nil when
// none can be made (what would go there stays in memory).
func (c *diskCache) spillFile() *output.Spill {
	c.spillOnce.Do(func() { c.spill, _ = output.NewSpill(c.dir) })
	return c.spill
}

// store puts data in the cache's spill file.
func (c *diskCache) store(data []byte) (*output.Stored, error) {
	spill := c.spillFile()
	if spill == nil {
		return nil, errNoSpill
	}
	return spill.Store(data)
}

// errNoSpill: no spill file could be made; what would go there stays in memory.
var errNoSpill = errors.New("no spill file")

// spillBytes keeps data out of the heap in the cache's spill file until
// it is read back (render.Spill: the bodies of a build).
func (c *diskCache) spillBytes(data []byte) (func() ([]byte, error), error) {
	st, err := c.store(data)
	if err != nil {
		return nil, err
	}
	return st.Bytes, nil
}

// storeParsed keeps parse's values of this build for the next: encoded
// straight into the spill file when one can be made, never whole in the
// heap (48 MB at 10,000 dossiers, made at the end of parsing while the
// last build's, the files' bytes and the parsed site are all held: a warm
// build's and a rebuild's highest live heap).
func (c *diskCache) storeParsed(pc *parse.Cache, files []load.File) {
	if spill := c.spillFile(); spill != nil {
		var head []byte
		st, err := spill.StoreFrom(writerTo(func(w io.Writer) (n int64, err error) {
			head, n, err = pc.EncodeTo(w, files)
			return n, err
		}))
		if err == nil {
			c.parsed, c.parsedBytes = headed{head, st}, nil
			return
		}
	}
	c.keepParsed(pc.Encode(files))
}

// writerTo is an io.WriterTo of a function.
type writerTo func(w io.Writer) (int64, error)

func (f writerTo) WriteTo(w io.Writer) (int64, error) { return f(w) }

// headed is a part of the build cache saved as head, then the bytes of rest.
type headed struct {
	head []byte
	rest *output.Stored
}

func (h headed) Len() int { return len(h.head) + h.rest.Len() }

func (h headed) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(h.head)
	if err != nil {
		return int64(n), err
	}
	m, err := h.rest.WriteTo(w)
	return int64(n) + m, err
}

// keepParsed keeps parse's values of this build for the next, out of the
// heap when a spill file can be made.
func (c *diskCache) keepParsed(data []byte) {
	if st, err := c.store(data); err == nil {
		c.parsed, c.parsedBytes = st, nil
		return
	}
	c.parsed, c.parsedBytes = nil, data
}

// parkAnalyses moves this build's search analyses to the spill file once
// no search index will look one up again (the last tree's index is made):
// ~30 MB at 10,000 dossiers the heap need not hold through the pages.
// They stay in memory when no spill file could be made.
func (c *diskCache) parkAnalyses() {
	spill := c.spillFile()
	if spill == nil {
		return
	}
	st, err := spill.StoreFrom(c.analyses)
	if err != nil {
		return
	}
	c.searchStored = st
	c.analyses.Drop()
}

// close lets the spill file go, once the cache is saved or the build failed.
func (c *diskCache) close() {
	if c != nil && c.spill != nil {
		_ = c.spill.Close()
		c.spill, c.parsed, c.searchStored = nil, nil, nil
	}
}

// forget makes this build a clean one (its destination does not hold what
// the cache says). Its rendered bodies stay, as parse's values and the
// search analyses do: a body's HTML is made from its text, language, form
// and link table (render.BodyKey), never from the destination, and the
// cache that holds them passed its key and checksum.
func (c *diskCache) forget() {
	c.last = nil
	c.known = pagecache.NewKnown(nil)
}

// state is what this build leaves for the next: every output path written
// or left standing (written, with the sum of its bytes, 0 when not known),
// and the known pages.
func (c *diskCache) state(written map[string]uint64) *buildcache.State {
	sigs := c.known.Signatures()
	for _, p := range c.stood {
		if _, ok := written[p]; !ok {
			written[p] = c.last.Sum(p)
		}
	}
	s := &buildcache.State{Pages: sigs, BodiesFrom: c.bodies, Parsed: c.parsedBytes, SearchFrom: c.analyses}
	if c.parsed != nil {
		s.ParsedFrom = c.parsed
	}
	if c.searchStored != nil {
		s.SearchFrom = c.searchStored
	}
	for p := range written {
		if _, ok := sigs[p]; !ok {
			s.Files = append(s.Files, p)
		}
	}
	slices.Sort(s.Files)
	s.Sums = make([]uint64, len(s.Files))
	for i, p := range s.Files {
		s.Sums[i] = written[p]
	}
	return s
}

// keep reports whether the last build wrote a file at path whose sum it
// knows, in the destination the cache describes: such a file, named by
// its content (a social card), need not be made again to be known to
// stand. The next build's cache lists it as the last did.
func (c *diskCache) keep(path string) bool {
	if c == nil || c.last == nil || c.last.Sum(path) == 0 {
		return false
	}
	c.mu.Lock()
	c.stood = append(c.stood, path)
	c.mu.Unlock()
	return true
}

// stands reports whether data, to be written at path, is what the
// destination holds there already, as the last build wrote it: the
// build cache says so, and the destination is the one it describes
// (beginWrite dropped the last state otherwise).
func (c *diskCache) stands(path string, sum uint64) bool {
	return c != nil && c.last != nil && sum != 0 && c.last.Stands(path, sum)
}

// settingsStamp identifies the settings, flags and the site's own layouts
// and assets: caches are only valid for one of these.
func settingsStamp(site fs.FS, cfg config.Site, serve bool) uint64 {
	var sb strings.Builder
	data, _ := fs.ReadFile(site, config.FileName)
	sb.Write(data)
	sb.WriteString(cfg.BaseURL)
	for _, flag := range []bool{cfg.Relative, cfg.Minify, cfg.IncludeDrafts, serve} {
		if flag {
			sb.WriteByte('1')
		} else {
			sb.WriteByte('0')
		}
	}
	for _, dir := range []string{"layouts", "assets"} {
		_ = fs.WalkDir(site, dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if data, err := fs.ReadFile(site, p); err == nil {
					sb.WriteString(p)
					sb.Write(data)
				}
			}
			return nil
		})
	}
	return parse.Stamp([]byte(sb.String())) | 1 // never 0: 0 means "no caches yet"
}
