package config

import (
	"io/fs"
	"reflect"
	"testing"
	"testing/fstest"
)

// Load reads dossier.toml from any fs.FS; a MapFS stands in for the site
// folder (a real one, with its pipes and links, is load.SiteFS's to test).
func TestLoadOnAMapFS(t *testing.T) {
	custom := Default()
	custom.Title, custom.Language, custom.BaseURL = "Atlas", "en", "https://example.org/atlas/"
	for _, tc := range []struct {
		name string
		site fs.FS
		want Site
		err  string
	}{
		{name: "no site folder", site: nil, want: Default()},
		{name: "no dossier.toml", site: fstest.MapFS{"content/actors/kim.md": {}}, want: Default()},
		{name: "settings", site: fstest.MapFS{FileName: {Data: []byte("title = \"Atlas\"\nlanguage = \"en\"\nbaseURL = \"https://example.org/atlas/\"\n")}}, want: custom},
		{name: "unknown setting", site: fstest.MapFS{FileName: {Data: []byte("title = \"Atlas\"\ntitel = \"x\"\n")}},
			err: `dossier.toml:2: unknown setting "titel" (did you mean "title"?)`},
		{name: "a folder", site: fstest.MapFS{FileName + "/x": {}},
			err: "dossier.toml: cannot read settings: read dossier.toml: invalid argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Load(tc.site)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("Load = %v, want %s", err, tc.err)
				}
				return
			}
			_ = tc.want.Validate() // the URL scheme it makes
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Load = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}
