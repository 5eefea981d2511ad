package parse

import (
	"testing"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
)

// TestFrontMatterPositions pins the line (and column, where the YAML parser
// gives one) of front-matter errors to the place a curator must edit,
// including on the first YAML line, after non-ASCII text and after the line
// breaks YAML counts but editors do not.
func TestFrontMatterPositions(t *testing.T) {
	tests := []struct {
		name, file string // file: the whole actor file
		want       string
	}{
		{"unclosed list on the first line", "---\nname: [Kim\nkind: person\n---\n",
			"a.md:2: invalid front matter: did not find expected ',' or ']' (a [list] is not closed, or a value in it holds a character that must be quoted)"},
		{"unclosed list further down", "---\nname: K\nkind: person\naliases: [a, b\n---\n",
			"a.md:4: invalid front matter: did not find expected ',' or ']' (a [list] is not closed, or a value in it holds a character that must be quoted)"},
		{"unclosed mapping", "---\nname: K\nkind: person\nrole: {x\n---\n",
			"a.md:4: invalid front matter: did not find expected ',' or '}' (a {mapping} is not closed, or a value in it holds a character that must be quoted)"},
		{"colon in a value on the first line", "---\nname: Russie : le pacte\nkind: state\n---\n",
			`a.md:2: invalid front matter: mapping values are not allowed in this context (a value that holds ": " must be quoted, e.g. title: "Russie : le pacte")`},
		{"colon in a value further down", "---\nkind: state\nname: Russie : le pacte\n---\n",
			`a.md:3: invalid front matter: mapping values are not allowed in this context (a value that holds ": " must be quoted, e.g. title: "Russie : le pacte")`},
		{"tab indentation", "---\nname: K\n\tkind: person\n---\n",
			"a.md:3: invalid front matter: found a tab character that violates indentation (indent with spaces, not tabs)"},
		{"tab at the start", "---\n\tname: K\nkind: person\n---\n",
			"a.md:2: invalid front matter: found character that cannot start any token (a value starting with @, ` or a tab must be quoted, and indentation must use spaces)"},
		{"at sign", "---\nkind: person\nname: @kim\n---\n",
			"a.md:3: invalid front matter: found character that cannot start any token (a value starting with @, ` or a tab must be quoted, and indentation must use spaces)"},
		{"unclosed quote", "---\nkind: person\nname: \"Kim\n---\n",
			"a.md:3: invalid front matter: found unexpected end of stream (a quoted value is not closed)"},
		{"list item in a mapping", "---\nname: K\nkind: person\n- x\n---\n",
			"a.md:4: invalid front matter: did not find expected key (check the indentation: every field starts at the beginning of its line)"},
		{"control character", "---\nname: K\nkind: per\x01son\n---\n",
			"a.md:3:10: invalid front matter: control characters are not allowed"},
		{"directive on the first line", "---\n%\n---\n",
			"a.md:2: invalid front matter: could not find expected directive name"},
		{"column after non-ASCII text", "---\nname: K\nkind: person\naliases: [Ünal, x]\ncountry: Rüssia\n---\n",
			`a.md:5:10: invalid slug "Rüssia": use only lower-case ASCII letters, digits and hyphens`},
		{"column of a list item after non-ASCII text", "---\nname: K\nkind: person\ncountry: [«x», Ab]\n---\n",
			"a.md:4:10: country must be a text value, not a list"},
		{"line after a U+2028 in a value", "---\nname: \"K\u2028J\"\nkind: persn\n---\n",
			`a.md:3:7: kind "persn" is not one of person, state, organisation (did you mean "person"?)`},
		{"line after a NEL in a value", "---\nname: \"K\u0085J\"\nkind: persn\n---\n",
			`a.md:3:7: kind "persn" is not one of person, state, organisation (did you mean "person"?)`},
		{"duplicate field names the first line", "---\nname: \"K\u2028J\"\nname: L\nkind: person\n---\n",
			`a.md:3:1: field "name" is set twice (first on line 2)`},
	}
	p := parser()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errs diag.List
			if a := p.Actor(load.File{Path: "a.md", Slug: "a", Kind: load.ActorFile, Data: []byte(tt.file)}, &errs); a != nil {
				t.Errorf("invalid actor returned: %+v", a)
			}
			got := errs.Sorted()
			if len(got) != 1 || got[0].String() != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestTreatyListColumns checks byte columns in flow lists that hold
// multi-byte characters before the item in error.
func TestTreatyListColumns(t *testing.T) {
	var errs diag.List
	file := "---\ntitle: T\nsigned: 2024-01-01\nstatus: in-force\nparties: [«a», é, Bad]\n---\n"
	parser().Treaty(load.File{Path: "t.md", Slug: "t", Kind: load.TreatyFile, Data: []byte(file)}, &errs)
	want := []string{
		`t.md:5:11: invalid slug "«a»": use only lower-case ASCII letters, digits and hyphens`,
		`t.md:5:18: invalid slug "é": use only lower-case ASCII letters, digits and hyphens`,
		`t.md:5:22: invalid slug "Bad": use lower case ("bad")`,
	}
	got := errs.Sorted()
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("got  %q\nwant %q", got[i], want[i])
		}
	}
}

// TestBlankRequiredFields: a required field written with no value is an
// error at its key, not an entity with an empty name or kind.
func TestBlankRequiredFields(t *testing.T) {
	p := parser()
	tests := []struct {
		name string
		run  func(*diag.List) bool
		want string
	}{
		{"actor kind", func(errs *diag.List) bool {
			return p.Actor(load.File{Path: "a.md", Slug: "a", Data: []byte("---\nname: Kim\nkind:\n---\n")}, errs) != nil
		}, "a.md:3:1: kind cannot be empty"},
		{"actor name", func(errs *diag.List) bool {
			return p.Actor(load.File{Path: "a.md", Slug: "a", Data: []byte("---\nname: \" \"\nkind: person\n---\n")}, errs) != nil
		}, "a.md:2:7: name cannot be empty"},
		{"treaty status", func(errs *diag.List) bool {
			return p.Treaty(load.File{Path: "t.md", Slug: "t", Data: []byte("---\ntitle: T\nsigned: 2024-01-01\nstatus: ~\n---\n")}, errs) != nil
		}, "t.md:4:1: status cannot be empty"},
		{"dossier title", func(errs *diag.List) bool {
			return p.Dossier(load.File{Path: "d.md", Slug: "d", Data: []byte("---\ntitle: ''\ndate: 2024-01-01\n---\n")}, errs) != nil
		}, "d.md:2:8: title cannot be empty"},
	}
	for _, tt := range tests {
		var errs diag.List
		if tt.run(&errs) {
			t.Errorf("%s: entity returned", tt.name)
		}
		if got := errs.Sorted(); len(got) != 1 || got[0].String() != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
