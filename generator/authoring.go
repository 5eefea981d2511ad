package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/dossier-ssg/dossier/generator/config"
	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/importer"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/parse"
)

// ContentKinds are what `dossier new` creates.
var ContentKinds = []string{"dossier", "actor", "treaty"}

// archetypeData fills an archetype's {{ .Title }}, {{ .Date }}, {{ .Lang }}.
type archetypeData struct{ Title, Date, Lang, Slug string }

// NewContent writes a new dossier, actor or treaty from its archetype (the
// site's archetypes/<kind>.md, else the built-in one) and returns the files
// written, relative to the site. It never overwrites.
func NewContent(siteDir string, builtin fs.FS, kind, slug string, today time.Time) ([]string, error) {
	if msg := load.ValidSlug(slug); msg != "" {
		return nil, fmt.Errorf("invalid slug %q: %s", slug, msg)
	}
	site := load.OpenSite(siteDir)
	defer site.Close()
	cfg, err := config.Load(site)
	if err != nil {
		return nil, err
	}
	data := archetypeData{Title: titleFromSlug(slug), Date: today.Format("2006-01-02"), Lang: cfg.Language, Slug: slug}
	var files map[string]string // path → archetype
	switch kind {
	case "dossier":
		files = map[string]string{"content/dossiers/" + slug + "/index.md": "dossier.md", "content/dossiers/" + slug + "/quotes.md": "quotes.md"}
	case "actor":
		files = map[string]string{"content/actors/" + slug + ".md": "actor.md"}
	case "treaty":
		files = map[string]string{"content/treaties/" + slug + ".md": "treaty.md"}
	default:
		return nil, fmt.Errorf("unknown kind %q: use one of %s", kind, strings.Join(ContentKinds, ", "))
	}
	out := map[string][]byte{}
	for path, arch := range files {
		if _, err := os.Stat(filepath.Join(siteDir, filepath.FromSlash(path))); err == nil {
			return nil, fmt.Errorf("%s already exists; dossier new never overwrites", path)
		}
		text, err := readArchetype(siteDir, builtin, arch)
		if err != nil {
			return nil, err
		}
		t, err := template.New(arch).Option("missingkey=error").Parse(text)
		if err != nil {
			return nil, fmt.Errorf("archetypes/%s: %v", arch, err)
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return nil, fmt.Errorf("archetypes/%s: %v", arch, err)
		}
		out[path] = buf.Bytes()
	}
	if err := writeNew(siteDir, out); err != nil {
		return nil, err
	}
	return sortedKeys(out), nil
}

func readArchetype(siteDir string, builtin fs.FS, name string) (string, error) {
	if data, err := os.ReadFile(filepath.Join(siteDir, "archetypes", name)); err == nil {
		return string(data), nil
	}
	data, err := fs.ReadFile(builtin, "archetypes/"+name)
	if err != nil {
		return "", fmt.Errorf("no archetype %s: %v", name, err)
	}
	return string(data), nil
}

// writeNew creates files that must not exist yet (O_EXCL, so a race cannot
// overwrite either).
func writeNew(siteDir string, files map[string][]byte) error {
	for _, path := range sortedKeys(files) {
		p := filepath.Join(siteDir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; nothing is overwritten", path)
		}
		if err != nil {
			return err
		}
		if _, err := f.Write(files[path]); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// titleFromSlug makes a placeholder title: "kim-jong-un" → "Kim Jong Un".
func titleFromSlug(slug string) string {
	words := strings.Split(slug, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// ImportResult is what `dossier import` wrote and found.
type ImportResult struct {
	Files          []string
	Quotes         []importer.Quote
	ProposedActors []string
	Removed        []string
}

// Import turns a raw article into a draft dossier content/dossiers/<slug>/,
// matching quote speakers against the site's actors. It never overwrites an
// existing dossier.
func Import(siteDir, rawFile, slug, date string) (*ImportResult, error) {
	if msg := load.ValidSlug(slug); msg != "" {
		return nil, fmt.Errorf("invalid slug %q: %s", slug, msg)
	}
	dir := filepath.Join(siteDir, "content", "dossiers", slug)
	if _, err := os.Stat(dir); err == nil {
		return nil, fmt.Errorf("content/dossiers/%s already exists; import never overwrites a dossier", slug)
	}
	raw, err := os.ReadFile(rawFile)
	if err != nil {
		return nil, err
	}
	raw, err = load.Normalize(raw, rawFile)
	if err != nil {
		return nil, err
	}
	site := load.OpenSite(siteDir)
	defer site.Close()
	cfg, err := config.Load(site)
	if err != nil {
		return nil, err
	}
	draft, err := importer.Import(raw, importer.Options{Slug: slug, Lang: "", Date: date, Actors: knownActors(site, cfg.Language)})
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{
		"content/dossiers/" + slug + "/index.md":  draft.IndexMD,
		"content/dossiers/" + slug + "/quotes.md": draft.QuotesMD,
	}
	if err := writeNew(siteDir, files); err != nil {
		return nil, err
	}
	return &ImportResult{Files: sortedKeys(files), Quotes: draft.Quotes, ProposedActors: draft.ProposedActors, Removed: draft.Removed}, nil
}

// knownActors reads the site's actors for speaker matching. Files with
// errors are skipped: an import should not fail on an unrelated typo.
func knownActors(site fs.FS, lang string) []importer.KnownActor {
	var errs diag.List
	files := load.Content(site, &errs)
	p := &parse.Parser{Markdown: markdown.New(markdown.Options{}), SiteLang: lang}
	var out []importer.KnownActor
	for _, f := range files {
		if f.Kind != load.ActorFile {
			continue
		}
		if a := p.Actor(f, &errs); a != nil {
			k := importer.KnownActor{Slug: a.Slug, Name: a.Name}
			for _, r := range a.Aliases {
				k.Aliases = append(k.Aliases, r.Slug)
			}
			out = append(out, k)
		}
	}
	return out
}

// Language returns the language of the site in siteDir (dossier.toml's
// language), or "en" when its settings cannot be read: what the dev
// server's own pages speak.
func Language(siteDir string) string {
	site := load.OpenSite(siteDir)
	defer site.Close()
	cfg, err := config.Load(site)
	if err != nil || cfg.Language == "" {
		return "en"
	}
	return cfg.Language
}
