package corpus

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Stats count what was written (for the dossier site).
type Stats struct {
	Dossiers, Actors, Treaties, Quotes, Tags int
	Words                                    int64 // whitespace-separated words in content/ Markdown
	Bytes                                    int64 // bytes of content/ Markdown
	Superseded                               int   // treaties with superseded_by
	TopActorDossiers                         int   // dossiers of the most popular actor
}

func (s Stats) String() string {
	return fmt.Sprintf("%d dossiers, %d actors, %d treaties (%d superseded), %d quotes, %d tags, %.2f M words, %.1f MB of Markdown; most popular actor in %d dossiers",
		s.Dossiers, s.Actors, s.Treaties, s.Superseded, s.Quotes, s.Tags, float64(s.Words)/1e6, float64(s.Bytes)/1e6, s.TopActorDossiers)
}

// Write writes the corpus as a dossier site into dir (if not empty) and as a
// Hugo site into hugoDir (if not empty). Both folders must be empty or
// absent. Files are written by one worker per core; their bytes do not
// depend on the order.
func (c *Corpus) Write(dir, hugoDir string) (Stats, error) {
	st := c.stats()
	var words, size atomic.Int64
	var firstErr error
	var errOnce sync.Once
	fail := func(err error) { errOnce.Do(func() { firstErr = err }) }
	write := func(p string, data []byte, count bool) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			fail(err)
			return
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			fail(err)
			return
		}
		if count {
			words.Add(int64(countWords(data)))
			size.Add(int64(len(data)))
		}
	}
	for _, d := range []string{dir, hugoDir} {
		if d == "" {
			continue
		}
		if entries, err := os.ReadDir(d); err == nil && len(entries) > 0 {
			return st, fmt.Errorf("%s is not empty", d)
		}
	}
	if dir != "" {
		write(filepath.Join(dir, "dossier.toml"), []byte(c.siteConfig()), false)
		for i, a := range c.Actors {
			write(filepath.Join(dir, "content", "actors", a.Slug+".md"), c.actorFile(a), true)
			if c.Opts.Images && hasPortrait(i) {
				write(filepath.Join(dir, "content", "actors", a.Slug+".jpg"), picture(a.Slug, i), false)
			}
		}
		for _, t := range c.Treaties {
			write(filepath.Join(dir, "content", "treaties", t.Slug+".md"), c.treatyFile(t), true)
		}
	}
	if hugoDir != "" {
		if err := c.writeHugoSite(hugoDir, write); err != nil {
			return st, err
		}
	}
	parallel(len(c.Dossiers), func(i int) {
		d := c.Dossiers[i]
		body := c.Body(d)
		if dir != "" {
			base := filepath.Join(dir, "content", "dossiers", d.Slug)
			write(filepath.Join(base, "index.md"), c.dossierFile(d, body), true)
			if len(d.Quotes) > 0 {
				write(filepath.Join(base, "quotes.md"), c.quotesFile(d), true)
			}
			if c.Opts.Images {
				write(filepath.Join(base, "lead.jpg"), picture(d.Slug, i), false)
			}
		}
		if hugoDir != "" {
			write(filepath.Join(hugoDir, "content", "dossiers", d.Slug, "index.md"), c.hugoDossier(d, body), false)
			if c.Opts.Images {
				write(filepath.Join(hugoDir, "content", "dossiers", d.Slug, "lead.jpg"), picture(d.Slug, i), false)
			}
		}
	})
	st.Words, st.Bytes = words.Load(), size.Load()
	return st, firstErr
}

func (c *Corpus) stats() Stats {
	st := Stats{Dossiers: len(c.Dossiers), Actors: len(c.Actors), Treaties: len(c.Treaties), Tags: len(c.Tags)}
	count := map[string]int{}
	for _, d := range c.Dossiers {
		st.Quotes += len(d.Quotes)
		for _, a := range d.Actors {
			count[a]++
			st.TopActorDossiers = max(st.TopActorDossiers, count[a])
		}
	}
	for _, t := range c.Treaties {
		if t.SupersededBy != "" {
			st.Superseded++
		}
	}
	return st
}

// parallel runs fn(0..n-1) on all cores.
func parallel(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

func countWords(b []byte) int {
	n, in := 0, false
	for _, c := range b {
		space := c == ' ' || c == '\n' || c == '\t' || c == '\r'
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

// yq quotes a YAML string.
func yq(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func yList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = yq(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

const isoDate = "2006-01-02"

func (c *Corpus) siteConfig() string {
	return fmt.Sprintf(`# Synthetic corpus: %d dossiers, seed %d (go run ./cmd/corpus).
title = "Corpus de %d dossiers"
description = "Site synthétique pour mesurer les performances de dossier."
# A host, as a published site has: pages then name their social cards
# (og:image), which a build draws only for a site with a host.
baseURL = "https://example.org/"
language = "fr"
author = "La rédaction"
# A generated site was never published under the English section names
# (/actors/…): no redirect pages from them (50,000 files at 10,000 dossiers).
oldSectionRedirects = false
`, len(c.Dossiers), c.Opts.Seed, len(c.Dossiers))
}

// expand replaces link tokens with [[wikilinks]] (hugo false) or Markdown
// links to page URLs (hugo true).
func expand(s string, hugo bool) string {
	if strings.IndexByte(s, tokStart) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 256)
	for {
		i := strings.IndexByte(s, tokStart)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], tokEnd) + i
		tok := s[i+1 : j]
		s = s[j+1:]
		kind := tok[0]
		parts := strings.Split(tok[1:], string(tokSep))
		slug, label, form := parts[0], parts[1], parts[2][0]
		section := map[byte]string{'a': "actors", 't': "treaties", 'd': "dossiers"}[kind]
		if hugo {
			fmt.Fprintf(&b, "[%s](/%s/%s/)", label, section, slug)
			continue
		}
		switch form {
		case formSlug:
			b.WriteString("[[" + slug + "]]")
		case formLabel:
			b.WriteString("[[" + slug + "|" + label + "]]")
		case formName:
			b.WriteString("[[" + label + "]]")
		default:
			b.WriteString("[[" + section + "/" + slug + "|" + label + "]]")
		}
	}
}

func (c *Corpus) actorFile(a *Actor) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "---\nname: %s\nkind: %s\n", yq(a.Name), a.Kind)
	if len(a.Aliases) > 0 {
		fmt.Fprintf(&b, "aliases: %s\n", yList(a.Aliases))
	}
	if a.Role != "" {
		fmt.Fprintf(&b, "role: %s\n", yq(a.Role))
	}
	if a.Country != "" {
		fmt.Fprintf(&b, "country: %s\n", a.Country)
	}
	if c.Opts.Images && hasPortrait(slices.Index(c.Actors, a)) {
		fmt.Fprintf(&b, "image: %s.jpg\n", a.Slug)
	}
	b.WriteString("---\n\n")
	b.WriteString(expand(a.Body, false))
	b.WriteString("\n")
	return b.Bytes()
}

func (c *Corpus) treatyFile(t *Treaty) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "---\ntitle: %s\n", yq(t.Title))
	if !t.Signed.IsZero() {
		fmt.Fprintf(&b, "signed: %s\n", t.Signed.Format(isoDate))
	}
	fmt.Fprintf(&b, "parties: %s\nstatus: %s\n", yList(t.Parties), t.Status)
	if len(t.Supersedes) > 0 {
		fmt.Fprintf(&b, "supersedes: %s\n", yList(t.Supersedes))
	}
	if t.SupersededBy != "" {
		fmt.Fprintf(&b, "superseded_by: %s\n", t.SupersededBy)
	}
	b.WriteString("---\n\n")
	b.WriteString(expand(t.Body, false))
	b.WriteString("\n")
	return b.Bytes()
}

func (c *Corpus) dossierFile(d *Dossier, body string) []byte {
	var b bytes.Buffer
	b.Grow(len(body) + 1024)
	fmt.Fprintf(&b, "---\ntitle: %s\ndate: %s\nsummary: %s\nsource:\n  publisher: %s\n", yq(d.Title), d.Date.Format(isoDate), yq(d.Summary), yq(d.Publisher))
	if d.URL != "" {
		fmt.Fprintf(&b, "  url: %s\n", yq(d.URL))
	}
	if !d.Published.IsZero() {
		fmt.Fprintf(&b, "  published: %s\n", d.Published.Format(isoDate))
	}
	if d.Author != "" {
		fmt.Fprintf(&b, "  author: %s\n", yq(d.Author))
	}
	fmt.Fprintf(&b, "actors: %s\n", yList(d.Actors))
	if len(d.Treaties) > 0 {
		fmt.Fprintf(&b, "treaties: %s\n", yList(d.Treaties))
	}
	fmt.Fprintf(&b, "tags: %s\n", yList(d.Tags))
	if c.Opts.Images {
		b.WriteString(leadImage(d))
	}
	b.WriteString("---\n\n")
	b.WriteString(expand(body, false))
	return b.Bytes()
}

func (c *Corpus) quotesFile(d *Dossier) []byte {
	var b bytes.Buffer
	for i, q := range d.Quotes {
		if i > 0 {
			b.WriteString("\n")
		}
		for _, line := range strings.Split(q.Text, "\n") {
			b.WriteString("> " + line + "\n")
		}
		fmt.Fprintf(&b, ">\n> — [[%s]], %s, %s\n", q.Written, q.Date.Format(isoDate), q.Context)
	}
	return b.Bytes()
}
