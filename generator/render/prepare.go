package render

import (
	"reflect"

	"github.com/dossier-ssg/dossier/generator/reads"
	"github.com/dossier-ssg/dossier/generator/view"
)

// prepareReads declares what each page kind's Prepare reads of its page
// (pagecache.Job.Reads), so that a page is signed by these reads rather
// than by making its titles, descriptions and JSON-LD only to hash them.
// Every path Prepare, jsonld and quoteTitle read must be here: a field
// left out would leave a page stale when only that field changed
// (TestPrepareReadsCoverPrepare changes every field a page reaches and
// fails on one whose change moves what Prepare makes but not the
// signature). The URL scheme (Site.URLs) is the settings', covered by the
// signer's stamp.
var prepareReads = struct {
	home, dossier, quote, actor, treaty *reads.Plan
}{
	home: declare("Site.Title", "Site.Lang", "Site.Origin", "Site.BasePath"),
	// The key quotes and Code are made on the copy signed (Job.Shape).
	dossier: declare("Site.Title", "Site.Origin", "Site.BasePath",
		"Dossier.Slug", "Dossier.Lang", "Dossier.Title", "Dossier.Summary", "Dossier.Date", "Dossier.Updated",
		"Dossier.Source", "Dossier.Authors", "Dossier.Picture.Src", "Dossier.Card.Path",
		"Dossier.ActorList[].Kind", "Dossier.ActorList[].Name", "Dossier.ActorList[].Lang", "Dossier.ActorList[].Slug"),
	quote: declare("Site.Origin", "Site.BasePath", "Lang",
		"Quote.ID", "Quote.Lang", "Quote.Text.HTML", "Quote.Speaker.Slug", "Quote.Date", "Quote.Undated",
		"Quote.Kind", "Quote.SourceURL", "Quote.Card.Path",
		"Quote.Dossier.Slug", "Quote.Dossier.Lang", "Quote.Dossier.Title",
		"Quote.SpeakerActor.Kind", "Quote.SpeakerActor.Name", "Quote.SpeakerActor.Lang", "Quote.SpeakerActor.Slug"),
	actor: declare("Site.Origin", "Site.BasePath",
		"Actor.Slug", "Actor.Lang", "Actor.Name", "Actor.Kind", "Actor.Role", "Actor.Aliases[].Slug",
		"Actor.Picture.Src", "Actor.Card.Path", "Actor.CountryActor.Name"),
	treaty: declare("Site.Origin", "Site.BasePath",
		"Treaty.Slug", "Treaty.Lang", "Treaty.Title", "Treaty.Status", "Treaty.Signed",
		"Treaty.PartyList[].Kind", "Treaty.PartyList[].Name", "Treaty.Picture.Src", "Treaty.Card.Path"),
}

// declare is the plan of paths below a page; a path that does not follow
// view.Page's fields is a programming error.
func declare(paths ...string) *reads.Plan {
	plan, err := reads.Declared(reflect.TypeFor[*view.Page](), paths)
	if err != nil {
		panic(err)
	}
	return plan
}
