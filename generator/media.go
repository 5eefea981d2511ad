package generator

import (
	"io/fs"
	"path/filepath"

	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/images"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/media"
	"github.com/dossier-ssg/dossier/generator/render"
	"github.com/dossier-ssg/dossier/generator/theme"
)

// CacheDir is the folder of a site that keeps what builds made and the
// next can reuse (resized images): never published, safe to delete.
const CacheDir = ".dossier-cache"

// mediaSlot holds the one image processor of a Builder (or of a one-shot
// build), whose cache lives in the site's CacheDir, and, for a Builder,
// the media step's cache of what each image file made.
type mediaSlot struct {
	proc  *images.Processor
	cache *media.Cache
}

// newMediaSlot opens the image cache of the site in dir; a cache that
// cannot be made (a read-only site) leaves the processor in memory.
func newMediaSlot(dir string, keep bool) *mediaSlot {
	var proc *images.Processor
	err := error(nil)
	if dir != "" {
		proc, err = images.NewProcessor(filepath.Join(dir, CacheDir, "images"), images.DefaultLimits)
	}
	if dir == "" || err != nil {
		proc, _ = images.NewProcessor("", images.DefaultLimits)
	}
	s := &mediaSlot{proc: proc}
	if keep {
		s.cache = media.NewCache()
	} else {
		// A one-shot build writes each card it reads from the image
		// cache and hands the bytes back to the page buffers (publish):
		// ~48,000 cards, 0.9 GB at 10,000 dossiers, read into them.
		proc.ReadInto(render.PageBuffer)
	}
	return s
}

// forget starts the media step's cache afresh: the output tree it handed
// its files over to was dropped.
func (s *mediaSlot) forget() {
	if s != nil && s.cache != nil {
		s.cache = media.NewCache()
	}
}

// prune drops the cached images the last build did not use.
func (s *mediaSlot) prune() {
	if s != nil && s.proc != nil {
		_ = s.proc.Prune() // a cache left unpruned only costs disk
	}
}

// options are the media step's settings for one build.
func (s *mediaSlot) options(site fs.FS, cfg config.Site, th *theme.Theme, files []load.File) media.Options {
	if s == nil { // tests that build without a slot
		s = newMediaSlot("", false)
	}
	palette := media.DefaultPalette
	if a := th.Asset("css/main.css"); a != nil {
		palette = media.PaletteFromCSS(a.Data)
	}
	var names []string
	for _, f := range files {
		if !f.Kind.Text() {
			names = append(names, f.Path)
		}
	}
	return media.Options{FS: site, Processor: s.proc, BasePath: cfg.BasePath(), SiteName: cfg.Title, Lang: cfg.Language,
		Palette: palette, Files: names, Cache: s.cache}
}
