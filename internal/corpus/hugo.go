package corpus

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path/filepath"
)

// hugoTheme holds the layouts of the Hugo twin of the corpus: the same lists
// as dossier's built-in theme (paginated home, dossier page with actors,
// treaties, quotes and related dossiers, actor and treaty term pages with
// their dossiers, quotes, treaties, related actors and supersession chain,
// paginated quotes, timelines, tags, a search index), written the way a
// careful Hugo user would: term pages via taxonomies, site.GetPage for single
// lookups (a map access), indexes built once with partialCached and
// newScratch, Markdown of quotes rendered once per quote, never a "where"
// over all pages inside a per-page loop (site.RegularPages holds only the
// dossiers: actors and treaties are taxonomy terms).
//
//go:embed all:hugo
var hugoTheme embed.FS

func (c *Corpus) writeHugoSite(dir string, write func(string, []byte, bool)) error {
	err := fs.WalkDir(hugoTheme, "hugo", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := hugoTheme.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("hugo", p)
		write(filepath.Join(dir, rel), data, false)
		return nil
	})
	if err != nil {
		return err
	}
	write(filepath.Join(dir, "config.toml"), []byte(c.hugoConfig()), false)
	sections := []struct{ path, title string }{
		{"_index.md", "Corpus"}, {"dossiers/_index.md", "Dossiers"},
		{"actors/_index.md", "Acteurs"}, {"treaties/_index.md", "Traités"}, {"tags/_index.md", "Thèmes"},
	}
	if !c.Opts.HugoLite {
		sections = append(sections, []struct{ path, title string }{{"quotes/_index.md", "Toutes les citations"},
			{"timeline/_index.md", "Chronologie"}, {"search/_index.md", "Recherche"}}...)
	}
	for _, s := range sections {
		extra := ""
		if s.path == "dossiers/_index.md" {
			// dossier has no /dossiers/ list page.
			extra = "_build:\n  render: never\n"
		}
		write(filepath.Join(dir, "content", filepath.FromSlash(s.path)), []byte("---\ntitle: "+yq(s.title)+"\n"+extra+"---\n"), false)
	}
	for _, a := range c.Actors {
		write(filepath.Join(dir, "content", "actors", a.Slug, "_index.md"), c.hugoActor(a), false)
	}
	for _, t := range c.Treaties {
		write(filepath.Join(dir, "content", "treaties", t.Slug, "_index.md"), c.hugoTreaty(t), false)
	}
	return nil
}

// hugoConfig mirrors dossier's settings. Related content ranks by shared
// actors (weight 1) and treaties (weight 2) and skips keywords used by more
// than 200 dossiers, as dossier does (cardinalityThreshold is a percentage).
func (c *Corpus) hugoConfig() string {
	threshold := max(1, min(100, 200*100/max(1, len(c.Dossiers))))
	search := `, "SearchIndex"`
	if c.Opts.HugoLite {
		search = ""
	}
	return fmt.Sprintf(`# Hugo twin of a synthetic dossier corpus: %d dossiers, seed %d (go run ./cmd/corpus).
baseURL = "/"
languageCode = "fr"
defaultContentLanguage = "fr"
title = "Corpus de %d dossiers"
paginate = 20
rssLimit = 50
enableRobotsTXT = true
disableKinds = []

[params]
  description = "Site synthétique pour mesurer les performances de dossier."

[taxonomies]
  actor = "actors"
  treaty = "treaties"
  tag = "tags"

[outputs]
  home = ["HTML", "RSS"%s]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]
  page = ["HTML"]

[outputFormats.SearchIndex]
  mediaType = "application/json"
  baseName = "search-index"
  isPlainText = true
  notAlternative = true

[outputFormats.Timeline]
  mediaType = "text/html"
  baseName = "index"
  path = "timeline"
  isHTML = true
  notAlternative = true

[markup.highlight]
  noClasses = false

[related]
  includeNewer = true
  threshold = 1
  toLower = false
  [[related.indices]]
    name = "actors"
    weight = 1
    cardinalityThreshold = %d
  [[related.indices]]
    name = "treaties"
    weight = 2
    cardinalityThreshold = %d
`, len(c.Dossiers), c.Opts.Seed, len(c.Dossiers), search, threshold, threshold)
}

func (c *Corpus) hugoActor(a *Actor) []byte {
	var b bytes.Buffer
	// "aliases" means redirects in Hugo and "kind" is reserved: other names.
	fmt.Fprintf(&b, "---\ntitle: %s\nactor_kind: %s\n", yq(a.Name), a.Kind)
	if len(a.Aliases) > 0 {
		fmt.Fprintf(&b, "other_names: %s\n", yList(a.Aliases))
	}
	if a.Role != "" {
		fmt.Fprintf(&b, "role: %s\n", yq(a.Role))
	}
	if a.Country != "" {
		fmt.Fprintf(&b, "country: %s\n", yq(a.Country))
	}
	if c.Opts.HugoLite {
		b.WriteString("outputs: [\"html\"]\n---\n\n")
	} else {
		b.WriteString("outputs: [\"html\", \"timeline\"]\n---\n\n")
	}
	b.WriteString(expand(a.Body, true))
	b.WriteString("\n")
	return b.Bytes()
}

func (c *Corpus) hugoTreaty(t *Treaty) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "---\ntitle: %s\n", yq(t.Title))
	if !t.Signed.IsZero() {
		fmt.Fprintf(&b, "signed: %s\nyear: %d\n", yq(t.Signed.Format(isoDate)), t.Signed.Year())
	} else {
		b.WriteString("signed: \"\"\n")
	}
	fmt.Fprintf(&b, "parties: %s\nstatus: %s\n", yList(t.Parties), t.Status)
	if len(t.Supersedes) > 0 {
		fmt.Fprintf(&b, "supersedes: %s\n", yList(t.Supersedes))
	}
	if t.SupersededBy != "" {
		fmt.Fprintf(&b, "superseded_by: %s\n", yq(t.SupersededBy))
	}
	b.WriteString("---\n\n")
	b.WriteString(expand(t.Body, true))
	b.WriteString("\n")
	return b.Bytes()
}

func (c *Corpus) hugoDossier(d *Dossier, body string) []byte {
	var b bytes.Buffer
	b.Grow(len(body) + 2048)
	fmt.Fprintf(&b, "---\ntitle: %s\ndate: %s\nsummary: %s\npublisher: %s\n", yq(d.Title), d.Date.Format(isoDate), yq(d.Summary), yq(d.Publisher))
	if d.URL != "" {
		fmt.Fprintf(&b, "source_url: %s\n", yq(d.URL))
	}
	if !d.Published.IsZero() {
		fmt.Fprintf(&b, "published: %s\n", yq(d.Published.Format(isoDate)))
	}
	if d.Author != "" {
		fmt.Fprintf(&b, "author: %s\n", yq(d.Author))
	}
	fmt.Fprintf(&b, "actors: %s\n", yList(d.Actors))
	if len(d.Treaties) > 0 {
		fmt.Fprintf(&b, "treaties: %s\n", yList(d.Treaties))
	}
	fmt.Fprintf(&b, "tags: %s\n", yList(d.Tags))
	if len(d.Quotes) > 0 {
		b.WriteString("quotes:\n")
		for _, q := range d.Quotes {
			fmt.Fprintf(&b, "  - id: %s\n    speaker: %s\n    date: %s\n    text: %s\n    context: %s\n",
				yq(q.ID), yq(q.Speaker), yq(q.Date.Format(isoDate)), yq(q.Text), yq(q.Context))
		}
	}
	b.WriteString("---\n\n")
	b.WriteString(expand(body, true))
	return b.Bytes()
}
