package output

import (
	"fmt"
	"time"
)

// Site is one good build as a sink takes it: the whole output, and the
// paths that changed since the last good build.
type Site struct {
	Tree     Tree
	BasePath string        // the site's path under its host: "/" or "/dossiers/"
	Pages    int           // HTML pages, for the log
	Summary  string        // pages by kind and files copied, for the log of a first build
	Took     time.Duration // how long the build took
	// Updated lists the output paths added, changed or removed since the
	// last good build, sorted; Known is false when they are unknown (the
	// first build, or after settings changed): compare the whole tree.
	Updated []string
	Known   bool
}

// A Sink takes each build of the dev loop (generator.Dev): Disk for
// `dossier watch`, the dev server's in-memory site for `dossier serve`.
type Sink interface {
	// Take publishes site and says what it did, for the log. changes are
	// the source paths that caused the build (nil for the first).
	Take(changes []string, site *Site) (said string, err error)
	// Keep is told that a build failed: the last good site stays. It says
	// so, for the log ("still serving the last good build").
	Keep(changes []string, err error) (said string)
}

// Disk keeps a folder equal to the last good build: the sink of `dossier
// watch`. The first build is published atomically; later ones rewrite only
// the files that changed.
type Disk struct {
	Dest    string
	Waiting func(holder string) // see Publish
	// published: Dest was written once; synced: it holds the last good
	// build, so that the changed paths alone bring it up to date.
	published, synced bool
}

// Take writes site to Dest.
func (d *Disk) Take(changes []string, site *Site) (string, error) {
	if !d.published {
		err := Publish(d.Dest, site.Tree, d.Waiting)
		d.published, d.synced = err == nil, err == nil
		return fmt.Sprintf("%s → %s", site.Summary, d.Dest), err
	}
	var written, removed int
	var err error
	if site.Known && d.synced {
		written, removed, err = SyncPaths(d.Dest, site.Tree, site.Updated, d.Waiting)
	} else {
		written, removed, err = Sync(d.Dest, site.Tree, d.Waiting)
	}
	d.synced = err == nil
	return fmt.Sprintf("%d pages, %d files written, %d removed", site.Pages, written, removed), err
}

// Keep leaves Dest as it is.
func (d *Disk) Keep([]string, error) string {
	return d.Dest + " keeps the last good build"
}
