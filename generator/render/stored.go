package render

import (
	"fmt"
	"html/template"
	"slices"
	"sync"

	"github.com/cespare/xxhash/v2"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
)

// StoredBodies are rendered bodies kept on disk between one-shot builds
// (generator/buildcache), by BodyKey: a body whose text, language, form
// and link table a build rendered before is not rendered again. It
// collects the bodies this build used, for the next.
type StoredBodies struct {
	last map[uint64]string
	// lastSpilled holds what reads back each of the last build's bodies,
	// moved to the spill by SpillTo (last is then nil).
	lastSpilled map[uint64]func() ([]byte, error)
	mu          sync.Mutex
	used        map[uint64]string
	hits        int
	// spill, when set, keeps the bodies used out of the heap until the save
	// (SpillTo): spilled holds what reads each back, by key and by body
	// (a dossier's, which pages leave in the spill: spillBodies).
	spill   Spill
	spilled map[uint64]func() ([]byte, error)
	ofBody  map[*model.Body]spilledBody
	// leave holds the bodies whose HTML leaves the heap as soon as it is
	// in the spill (LeaveHeap), rather than when the search index starts.
	leave map[*model.Body]bool
}

// LeaveHeap has Bodies take the HTML of the dossiers' bodies of site out
// of the heap as soon as each is in the spill (SpillTo), when the pages
// will read it back from there (SpillsBodies): held until the search
// index, every dossier's HTML would be in the heap at once with the
// Markdown not yet rendered (145 MB at 20,000 dossiers, the build's
// highest point). A body whose HTML left reads as empty until its page
// puts it back (spillBodies).
func (s *StoredBodies) LeaveHeap(site *model.Site) {
	if s == nil || s.spill == nil {
		return
	}
	if s.leave == nil {
		s.leave = make(map[*model.Body]bool, len(site.Dossiers))
	}
	for _, d := range site.Dossiers {
		s.leave[&d.Body] = true
	}
}

// left empties the HTML of b when b leaves the heap (LeaveHeap) and its
// HTML is in the spill, and says whether it did.
func (s *StoredBodies) left(b *model.Body) bool {
	if s == nil || !s.leave[b] {
		return false
	}
	s.mu.Lock()
	_, ok := s.ofBody[b]
	s.mu.Unlock()
	if ok {
		b.HTML = ""
	}
	return ok
}

// spilledBody is a body's HTML in the spill: what reads it back, and its
// BodyKey, which a page's signature reads in its place (spillBodies).
type spilledBody struct {
	load func() ([]byte, error)
	key  uint64
}

// SpillTo keeps the bodies this build uses in spill until the save, not in
// the heap: held there, they would keep every body's HTML until the end
// of the build, after its page is made (spillBodies).
// The last build's bodies still in the heap go there at once: held there,
// they would be through parsing and the search index, until Bodies looks
// them up (~100 MB at 10,000 dossiers); a body taken from there is not
// written again. (The build cache's load puts them in the spill itself as
// it reads them: NewStoredBodiesFrom.)
func (s *StoredBodies) SpillTo(spill Spill) {
	s.spill, s.spilled, s.ofBody = spill, map[uint64]func() ([]byte, error){}, map[*model.Body]spilledBody{}
	if len(s.last) == 0 {
		return
	}
	if s.lastSpilled == nil {
		s.lastSpilled = make(map[uint64]func() ([]byte, error), len(s.last))
	}
	for key, html := range s.last {
		load, err := spill([]byte(html))
		if err != nil {
			return // the rest stay in the heap
		}
		s.lastSpilled[key] = load
		delete(s.last, key)
	}
	s.last = nil
}

// spilledBody returns the copy of the HTML of b this build put in the
// spill (SpillTo), with its key; ok is false when there is none.
func (s *StoredBodies) spilledBody(b *model.Body) (sb spilledBody, ok bool) {
	if s == nil {
		return spilledBody{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sb, ok = s.ofBody[b]
	return sb, ok
}

// NewStoredBodies returns the bodies the last build kept (nil: none).
func NewStoredBodies(last map[uint64]string) *StoredBodies {
	return NewStoredBodiesFrom(last, nil)
}

// NewStoredBodiesFrom returns the bodies the last build kept: held in
// memory, or read back by spilled's functions from where the build cache's
// load put them (a spill file), never all in the heap at once.
func NewStoredBodiesFrom(held map[uint64]string, spilled map[uint64]func() ([]byte, error)) *StoredBodies {
	return &StoredBodies{last: held, lastSpilled: spilled, used: make(map[uint64]string, len(held))}
}

// BodyKey sums up what a body's HTML is made from: its Markdown text and
// language (the Doc), whether it is inline, its link table (LinkSig) and
// its pictures (FigureSig: an image file replaced under the same name
// gives its figures new files). Two bodies of one key render to the same HTML
// (with the same engine settings, which the build cache's key covers): a
// stored body is found by it, and a dossier's page is signed by it while
// the body is spilled (spillBodies).
func BodyKey(doc *markdown.Doc, b *model.Body) uint64 {
	h := xxhash.New()
	_, _ = h.WriteString(doc.Lang)
	if b.Inline {
		_, _ = h.Write([]byte{0, 1})
	} else {
		_, _ = h.Write([]byte{0, 0})
	}
	_, _ = h.WriteString(b.LinkSig)
	_, _ = h.Write([]byte{0})
	_, _ = h.WriteString(b.FigureSig)
	_, _ = h.Write([]byte{0})
	_, _ = h.Write(doc.Src)
	return h.Sum64()
}

// lookup returns the stored HTML of key.
func (s *StoredBodies) lookup(key uint64, b *model.Body) (template.HTML, bool) {
	if s == nil {
		return "", false
	}
	if load := s.lastSpilled[key]; load != nil {
		data, err := load()
		if err != nil {
			return "", false // rendered again
		}
		s.mu.Lock()
		s.spilled[key], s.ofBody[b] = load, spilledBody{load: load, key: key}
		s.hits++
		s.mu.Unlock()
		return template.HTML(data), true
	}
	html, ok := s.last[key]
	if ok {
		s.keep(key, b, html, true)
	}
	return template.HTML(html), ok
}

// keep notes the HTML of b, of key, as used by this build.
func (s *StoredBodies) keep(key uint64, b *model.Body, html string, hit bool) {
	if s == nil {
		return
	}
	var load func() ([]byte, error)
	var err error
	if s.spill != nil {
		load, err = s.spill([]byte(html))
	}
	s.mu.Lock()
	if load != nil && err == nil {
		s.spilled[key], s.ofBody[b] = load, spilledBody{load: load, key: key}
	} else {
		s.used[key] = html
	}
	if hit {
		s.hits++
	}
	s.mu.Unlock()
}

// forget drops the last build's bodies once every body was looked up:
// what this build used is in Keys and Body.
func (s *StoredBodies) forget() {
	if s != nil {
		s.last, s.lastSpilled = nil, nil
	}
}

// Keys returns the keys of the bodies this build rendered or took from
// the store, sorted: with Body, the build cache saves them one at a time
// (buildcache.BodySource), never reading every spilled body back at once.
func (s *StoredBodies) Keys() []uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]uint64, 0, len(s.used)+len(s.spilled))
	for key := range s.used {
		keys = append(keys, key)
	}
	for key := range s.spilled {
		if _, ok := s.used[key]; !ok {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	return keys
}

// Body returns the HTML of the body of key this build used, read back
// from the spill when it waits there.
func (s *StoredBodies) Body(key uint64) ([]byte, error) {
	s.mu.Lock()
	html, ok := s.used[key]
	load := s.spilled[key]
	s.mu.Unlock()
	if ok {
		return []byte(html), nil
	}
	if load == nil {
		return nil, fmt.Errorf("no body of key %x", key)
	}
	return load()
}

// Hits counts the bodies taken from the store.
func (s *StoredBodies) Hits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits
}
