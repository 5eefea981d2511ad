package render

import (
	"fmt"
	"html/template"
	"reflect"
	"strings"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/maps"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/pagecache"
	"github.com/dossier-ssg/dossier/generator/reads"
	"github.com/dossier-ssg/dossier/generator/search"
	"github.com/dossier-ssg/dossier/generator/theme"
)

// Spill keeps bytes out of the heap until they are read back: a one-shot
// build hands render the spill file of its build cache (output.Spill)
// through it, so render writes no file itself.
type Spill func(data []byte) (load func() ([]byte, error), err error)

// spilledBodies are the dossiers' bodies whose HTML waits in a spill file
// while pages are signed and executed (spillBodies), with what reads each
// back and its key.
type spilledBodies map[*model.Body]spilledBody

// spillBodies moves the HTML of the dossiers' bodies, most of a site's
// rendered text (77 MB at 10,000 dossiers), out of the heap while a
// one-shot build makes its search index, signs and executes its pages:
// each is shown by its dossier's page alone, which puts it back for its
// execution (execute) and is signed by the body's key in its place
// (sumSpilled), and the search index reads each back (SpilledBodies.Reader). A body leaves
// only when the build cache's store put it in the spill already, with
// its key (Options.Stored, StoredBodies.SpillTo): the copy read back is
// that one. It spills nothing when a page template reads a dossier's
// body anywhere else, or cannot be analysed (a site's own layouts may
// show every article on its home page).
func spillBodies(site *model.Site, opts Options, plans map[string]*reads.Plan) spilledBodies {
	if !spills(opts, plans) {
		return nil
	}
	spilled := make(spilledBodies, len(site.Dossiers))
	for _, d := range site.Dossiers {
		if d.Body.HTML == "" && !opts.Stored.leave[&d.Body] {
			continue
		}
		if sb, ok := opts.Stored.spilledBody(&d.Body); ok {
			spilled[&d.Body] = sb
			d.Body.HTML = ""
		}
	}
	return spilled
}

// SpillsBodies says whether a build of opts keeps the dossiers' bodies
// out of the heap until their pages (spillBodies), so that Bodies may take
// each out as soon as it is rendered (StoredBodies.LeaveHeap).
func SpillsBodies(opts Options) bool { return spills(opts, nil) }

// spills is SpillsBodies with the theme's plans, when made already.
func spills(opts Options, plans map[string]*reads.Plan) bool {
	if opts.Stored == nil || opts.Cache != nil || opts.Emit == nil {
		return false
	}
	if plans == nil {
		plans = Plans(opts.Theme)
	}
	return onlyOwnPageShowsBody(plans)
}

// SpilledBodies are the dossiers' bodies a one-shot build keeps out of
// the heap from the search index to the end of its pages (SpillBodies).
type SpilledBodies struct{ bodies spilledBodies }

// SpillBodies moves the HTML of the dossiers' bodies out of the heap once
// they are rendered (spillBodies), before the search index, which reads
// each back as it analyses it (Reader); render.Site puts each back for
// its page (Options.Spilled). It returns nil when nothing is spilled.
func SpillBodies(site *model.Site, opts Options) *SpilledBodies {
	bodies := spillBodies(site, opts, nil)
	if len(bodies) == 0 {
		return nil
	}
	return &SpilledBodies{bodies: bodies}
}

// Reader returns what reads the HTML of a body: from the spill when it
// waits there, else its Body.HTML; a body that cannot be read back is an
// error in errs, and reads as empty. A nil SpilledBodies has none.
func (s *SpilledBodies) Reader(errs *diag.List) func(*model.Body) string {
	if s == nil {
		return nil
	}
	return func(b *model.Body) string {
		sb, ok := s.bodies[b]
		if !ok {
			return string(b.HTML)
		}
		data, err := sb.load()
		if err != nil {
			errs.Add(diag.Pos{File: b.File}, "cannot read its rendered text back from the build cache's spill file: %v", err)
			return ""
		}
		return string(data)
	}
}

// Bodies returns how the search index reads the dossiers' bodies: their
// HTML (Reader), and the key of each spilled one (BodyKey, the sum its
// page is signed by), by which the index looks up the last build's
// analysis without reading the body back. A nil SpilledBodies has none.
func (s *SpilledBodies) Bodies(errs *diag.List) *search.Bodies {
	if s == nil {
		return nil
	}
	return &search.Bodies{HTML: s.Reader(errs), Key: func(b *model.Body) (uint64, bool) {
		sb, ok := s.bodies[b]
		return sb.key, ok
	}}
}

// spilled returns the bodies spilled (nil: none).
func (s *SpilledBodies) spilled() spilledBodies {
	if s == nil {
		return nil
	}
	return s.bodies
}

// bodyType is the type whose HTML a page's signature reads by its key
// while spilled (sumSpilled).
var bodyType = reflect.TypeFor[model.Body]()

// sumSpilled has signer sign the HTML of a spilled body by its key
// (BodyKey): the key sums up what the HTML is made from, so it changes
// whenever the HTML would, and what the page makes of the HTML (the
// highlighting of code, Page.Code) follows. A body kept in memory is
// signed by its HTML. Signatures of either kind are compared with the
// last build's alike: a page signed the other way is made again.
func (s spilledBodies) sumSpilled(signer *pagecache.Signer) {
	if len(s) == 0 {
		return
	}
	signer.SumField(bodyType, "HTML", func(v reflect.Value) (uint64, bool) {
		if !v.CanAddr() {
			return 0, false
		}
		sb, ok := s[v.Addr().Interface().(*model.Body)]
		return sb.key, ok
	})
}

// bodyPage is the template of a dossier's page, the one page that shows
// the dossier's body.
const bodyPage = "dossier.html"

// onlyOwnPageShowsBody reports whether every page template has a plan and
// only a dossier's own page reads its body (.Dossier.Body in
// dossier.html): of a body, a plan may read through .Actor and .Treaty
// (theirs, never spilled) and nothing else.
func onlyOwnPageShowsBody(plans map[string]*reads.Plan) bool {
	if len(plans) != len(theme.Pages) {
		return false
	}
	for name, plan := range plans {
		for _, path := range plan.Paths() {
			for i := 0; ; {
				k := strings.Index(path[i:], ".Body")
				if k < 0 {
					break
				}
				at := i + k
				i = at + len(".Body")
				if i < len(path) && !strings.ContainsRune(". [", rune(path[i])) {
					continue // a step named otherwise (.BodyText)
				}
				switch before := path[:at]; {
				case before == ".Actor", before == ".Treaty":
				case before == ".Dossier" && name == bodyPage:
				default:
					return false
				}
			}
		}
	}
	return true
}

// execute executes a job (executeCopy), with its dossier's body put back
// for as long as it takes when it is the dossier's page.
func (s spilledBodies) execute(th *theme.Theme, j pagecache.Job, draw *maps.Maps) ([]byte, error) {
	if j.Template != bodyPage || j.Page.Dossier == nil {
		return executeCopy(th, j, draw)
	}
	d := j.Page.Dossier
	sb, ok := s[&d.Body]
	if !ok {
		return executeCopy(th, j, draw)
	}
	data, err := sb.load()
	if err != nil {
		return nil, fmt.Errorf("cannot read its body back: %w", err)
	}
	d.Body.HTML = template.HTML(data)
	defer func() { d.Body.HTML = "" }()
	return executeCopy(th, j, draw)
}

// restore puts the HTML of these dossiers' bodies back for good (the
// feed's, made after the pages, at path).
func (s spilledBodies) restore(dossiers []*model.Dossier, path string, errs *diag.List) {
	for _, d := range dossiers {
		if sb, ok := s[&d.Body]; ok {
			data, err := sb.load()
			if err != nil {
				errs.Add(diag.Pos{File: path}, "cannot read a dossier's body back: %v", err)
				return
			}
			d.Body.HTML = template.HTML(data)
			delete(s, &d.Body)
		}
	}
}
