package config

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/dossier-ssg/dossier/generator/diag"
)

// Seed corpus: testdata/fuzz/FuzzParse.
// Run longer with: go test -fuzz=FuzzParse -fuzztime=10m ./generator/config

// FuzzParse: no dossier.toml panics; errors are diagnostics naming
// dossier.toml and a line of it (or none: the whole file); accepted settings
// are valid.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		site, err := Parse(data)
		if err != nil {
			lines := bytes.Count(data, []byte("\n")) + 1
			for _, d := range diagnostics(t, err) {
				if d.Pos.File != FileName || d.Pos.Line < 0 || d.Pos.Line > lines+1 || d.Pos.Col < 0 || d.Message == "" {
					t.Fatalf("bad diagnostic %q for %q", d, data)
				}
				if strings.HasPrefix(d.Message, "toml:") {
					t.Errorf("decoder jargon in %q", d)
				}
			}
			return
		}
		if !strings.HasSuffix(site.BaseURL, "/") || (site.Language != "fr" && site.Language != "en") || site.PageSize <= 0 {
			t.Fatalf("invalid settings accepted: %+v", site)
		}
		if p := site.BasePath(); !strings.HasPrefix(p, "/") || !strings.HasSuffix(p, "/") {
			t.Fatalf("BasePath %q of %q", p, site.BaseURL)
		}
	})
}

func diagnostics(t *testing.T, err error) []diag.Diagnostic {
	t.Helper()
	var list diag.Errors
	var one diag.Diagnostic
	switch {
	case errors.As(err, &list):
		return list
	case errors.As(err, &one):
		return []diag.Diagnostic{one}
	}
	t.Fatalf("error %T is not a diagnostic: %v", err, err)
	return nil
}

// TestParseErrors pins the message and line of each kind of settings error.
func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"title = \n", "dossier.toml:1:9: expected value but found '\\n' instead"},
		{"title = \"a\"\ntitle = \"b\"\n", "dossier.toml:2:13: Key 'title' has already been defined."},
		{"title = \"T\"\npageSize = \"x\"\n", `dossier.toml:2: setting "pageSize" must be a whole number, not text in quotes`},
		{"title = 1\n", `dossier.toml:1: setting "title" must be text in quotes, not a number`},
		{"[markup]\nunsafe = \"yes\"\n", `dossier.toml:2: setting "markup.unsafe" must be true or false, not text in quotes`},
		{"markup = 3\n", `dossier.toml:1: setting "markup" must be a table, not a number`},
		{"title = \"a\"\n\n[markup]\nunsave = true\n", `dossier.toml:4: unknown setting "markup.unsave" (did you mean "markup.unsafe"?)`},
		{"title = \"a\"\nbaseUrl = \"/\"\nbaseURI = \"/\"\n", `dossier.toml:3: unknown setting "baseURI" (did you mean "baseURL"?)`},
		{"title = \"a\"\nlanguage = \"de\"\n", `dossier.toml:2: language "de" is not supported (use "fr" or "en")`},
		{"baseURL = \"ftp://x\"\n", `dossier.toml:1: baseURL "ftp://x" must be an http(s) URL or a path such as /dossiers/`},
		// Languages and their section names.
		{"[languages.de]\ntitle = \"x\"\n", `dossier.toml:1: language "de" is not supported (use "fr" or "en")`},
		{"[languages.en.sections]\nactor = \"people\"\n", `dossier.toml:2: unknown section "actor" (did you mean "actors"?) (sections: dossiers, actors, treaties, quotes, tags, timeline, map, search)`},
		{"[languages.fr.sections]\nactors = \"Acteurs\"\n", `dossier.toml:2: section name "Acteurs": a section name is lower-case letters, digits and single hyphens, such as "acteurs"`},
		{"[languages.fr.sections]\nactors = \"page\"\n", `dossier.toml:2: section name "page": this name is taken by the site's own files`},
		{"[languages.fr.sections]\nactors = \"traites\"\n", `dossier.toml:1: sections actors and treaties of language "fr" are both /traites/: give them different names`},
		{"[languages.en]\n[languages.fr.sections]\nmap = \"en\"\n", `dossier.toml:3: section name "en" is a language's folder`},
		{"[languages.en]\ntitel = \"x\"\n", `dossier.toml:2: unknown setting "languages.en.titel"`},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q)\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
	for _, ok := range []string{"", "\xef\xbb\xbftitle = \"a\"\n", "title = \"a\"\r\nlanguage = \"en\"\r\n",
		"[languages.en]\ntitle = \"Dossiers\"\n[languages.en.sections]\nactors = \"people\"\n[languages.fr.sections]\ntags = \"etiquettes\"\n"} {
		if _, err := Parse([]byte(ok)); err != nil {
			t.Errorf("Parse(%q): %v", ok, err)
		}
	}
}
