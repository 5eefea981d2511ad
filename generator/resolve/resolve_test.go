package resolve

import (
	"cmp"
	"maps"
	"strings"
	"testing"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/parse"
)

// site parses a map of content files into a model, failing on parse errors.
func site(t *testing.T, files map[string]string) *model.Site {
	t.Helper()
	return parseSite(t, files, nil)
}

// parseSite is site that reuses what pc kept of unchanged files, when set.
func parseSite(t *testing.T, files map[string]string, pc *parse.Cache) *model.Site {
	t.Helper()
	var list []load.File
	var errs diag.List
	for path, body := range files {
		f := load.File{Path: path, Data: []byte(body)}
		parts := strings.Split(path, "/")
		switch {
		case parts[1] == "actors":
			f.Kind, f.Slug = load.ActorFile, strings.TrimSuffix(parts[2], ".md")
		case parts[1] == "treaties":
			f.Kind, f.Slug = load.TreatyFile, strings.TrimSuffix(parts[2], ".md")
		case parts[3] == "index.md":
			f.Kind, f.Slug = load.DossierIndex, parts[2]
		default:
			f.Kind, f.Slug = load.DossierQuotes, parts[2]
		}
		list = append(list, f)
	}
	p := &parse.Parser{Markdown: markdown.New(markdown.Options{}), SiteLang: "en", Cache: pc}
	s := p.Site(list, &errs)
	if errs.Len() > 0 {
		t.Fatalf("parse: %v", errs.Err())
	}
	return s
}

func actor(slug, name string, extra ...string) (string, string) {
	return "content/actors/" + slug + ".md", "---\nname: " + name + "\nkind: person\n" + strings.Join(extra, "\n") + "\n---\n"
}

func treaty(slug, signed, extra string) (string, string) {
	return "content/treaties/" + slug + ".md", "---\ntitle: " + slug + "\nsigned: " + signed + "\n" + extra + "\n---\n"
}

func TestSupersessionChain(t *testing.T) {
	files := map[string]string{}
	for _, tr := range [][3]string{
		{"t1961", "1961-07-06", "status: expired\nsuperseded_by: t2000"}, // lapsed, then followed
		{"t2000", "2000-02-09", "status: superseded\nsupersedes: [t1961]\nsuperseded_by: t2024"},
		{"t2001", "2001-08-04", "status: superseded\nsuperseded_by: t2024"},
		{"t2024", "2024-06-19", "status: in-force\nsupersedes: [t2000, t2001]"},
	} {
		k, v := treaty(tr[0], tr[1], tr[2])
		files[k] = v
	}
	s := site(t, files)
	var errs diag.List
	_, ix := Site(s, Options{}, &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Err())
	}
	chain := func(slug string) string {
		var out []string
		for _, c := range ix.Treaties[slug].Chain {
			out = append(out, c.Slug)
		}
		return strings.Join(out, " → ")
	}
	for slug, want := range map[string]string{
		// Every text t2024 replaced, by date: the 2001 declaration too.
		"t2024": "t1961 → t2000 → t2001 → t2024",
		"t1961": "t1961 → t2000 → t2024",
		"t2001": "t2001 → t2024",
	} {
		if got := chain(slug); got != want {
			t.Errorf("chain of %s = %s, want %s", slug, got, want)
		}
	}
}

func TestSupersessionErrors(t *testing.T) {
	tests := []struct {
		name  string
		files [][3]string
		want  string
	}{
		{"one-sided", [][3]string{{"a", "2000-01-01", "status: superseded\nsuperseded_by: b"}, {"b", "2001-01-01", "status: in-force"}},
			`superseded_by "b", but content/treaties/b.md does not list "a" in supersedes`},
		{"other side", [][3]string{{"a", "2000-01-01", "status: expired"}, {"b", "2001-01-01", "status: in-force\nsupersedes: [a]"}},
			`supersedes "a", but content/treaties/a.md does not say superseded_by: b`},
		{"status", [][3]string{{"a", "2000-01-01", "status: in-force\nsuperseded_by: b"}, {"b", "2001-01-01", "status: in-force\nsupersedes: [a]"}},
			`status is "in-force" but superseded_by is set`},
		{"cycle", [][3]string{{"a", "2000-01-01", "status: superseded\nsuperseded_by: b\nsupersedes: [b]"}, {"b", "2001-01-01", "status: superseded\nsupersedes: [a]\nsuperseded_by: a"}},
			"supersession cycle"},
		{"self", [][3]string{{"a", "2000-01-01", "status: superseded\nsuperseded_by: a\nsupersedes: [a]"}}, "a treaty cannot supersede itself"},
		{"unknown", [][3]string{{"a", "2000-01-01", "status: superseded\nsuperseded_by: b2024"}, {"b2023", "2001-01-01", "status: in-force"}},
			`unknown treaty "b2024" (did you mean "b2023"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for _, tr := range tt.files {
				k, v := treaty(tr[0], tr[1], tr[2])
				files[k] = v
			}
			var errs diag.List
			Site(site(t, files), Options{}, &errs)
			if err := errs.Err(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("errors %v, want %q", err, tt.want)
			}
		})
	}
}

func TestBacklinksAndRanking(t *testing.T) {
	files := map[string]string{}
	for _, a := range [][2]string{{"putin", "Vladimir Putin"}, {"kim", "Kim Jong-un"}, {"moon", "Moon Jae-in"}} {
		k, v := actor(a[0], a[1], "aliases: ["+strings.Fields(a[1])[0]+"]")
		files[k] = v
	}
	k, v := treaty("pact", "2024-06-19", "status: in-force\nparties: [putin, kim]")
	files[k] = v
	tags := map[string]string{
		"summit": "[Corée, Sanctions]",
		"other":  "[Corée, Sanctions]",
	}
	dossier := func(slug, date, actors, treaties, body string) {
		files["content/dossiers/"+slug+"/index.md"] = "---\ntitle: " + slug + "\ndate: " + date + "\nactors: [" + actors + "]\ntreaties: [" + treaties + "]\ntags: " + cmp.Or(tags[slug], "[]") + "\n---\n" + body + "\n"
	}
	dossier("summit", "2024-06-19", "putin, kim", "pact", "[[Moon]] was not there. See [[visit]].")
	dossier("visit", "2024-06-20", "putin", "", "")
	dossier("talks", "2023-01-01", "putin, kim", "", "")
	dossier("other", "2022-01-01", "", "", "")
	files["content/dossiers/summit/quotes.md"] = "> Q.\n> — [[Kim]], 2024-06-19\n"
	s := site(t, files)
	var errs diag.List
	_, ix := Site(s, Options{BasePath: "/sub/"}, &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Err())
	}
	putin, kim, moon := ix.Actors["putin"], ix.Actors["kim"], ix.Actors["moon"]
	slugs := func(ds []*model.Dossier) string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Slug)
		}
		return strings.Join(out, ",")
	}
	if got := slugs(putin.Dossiers); got != "visit,summit,talks" {
		t.Errorf("Putin's dossiers (newest first) = %s", got)
	}
	if got := slugs(moon.MentionedBy); got != "summit" {
		t.Errorf("Moon mentioned by = %s", got)
	}
	if len(kim.Quotes) != 1 || kim.Quotes[0].SpeakerActor != kim {
		t.Errorf("Kim's quote not attributed through the alias")
	}
	if len(putin.RelatedTo) == 0 || putin.RelatedTo[0].Actor != kim || putin.RelatedTo[0].Count != 3 {
		t.Errorf("Putin's related actors = %+v (2 dossiers + 1 treaty with Kim)", putin.RelatedTo)
	}
	var related []string
	for _, r := range ix.Dossiers["summit"].Related {
		related = append(related, r.Dossier.Slug)
	}
	if strings.Join(related, ",") != "talks,other,visit" {
		t.Errorf("related to summit = %v, want talks (2 shared actors, newer), other (2 shared tags), visit (1 actor)", related)
	}
	if got := slugs(ix.Dossiers["visit"].MentionedBy); got != "summit" {
		t.Errorf("visit mentioned by = %s", got)
	}
	if got := slugs(ix.Treaties["pact"].Dossiers); got != "summit" {
		t.Errorf("pact cited by %s", got)
	}
	if !strings.Contains(ix.Dossiers["summit"].Body.LinkSig, "/sub/actors/moon/") {
		t.Errorf("wikilink not resolved under the base path: %q", ix.Dossiers["summit"].Body.LinkSig)
	}
}

func TestAmbiguousAndDraftLinks(t *testing.T) {
	files := map[string]string{}
	k, v := actor("pact", "Pact Person")
	files[k] = v
	k, v = treaty("pact", "2024-01-01", "status: signed")
	files[k] = v
	files["content/dossiers/a/index.md"] = "---\ntitle: A\ndate: 2024-01-01\n---\n[[pact]] and [[treaties/pact]] and [[b]]\n"
	files["content/dossiers/b/index.md"] = "---\ntitle: B\ndate: 2024-01-01\ndraft: true\n---\n"
	var errs diag.List
	Site(site(t, files), Options{}, &errs)
	got := errs.Err().Error()
	for _, want := range []string{"ambiguous link [[pact]]: write one of [[actors/pact]], [[treaties/pact]]", "[[b]] links to a draft dossier"} {
		if !strings.Contains(got, want) {
			t.Errorf("errors %q lack %q", got, want)
		}
	}
	if strings.Count(got, "\n") != 1 {
		t.Errorf("want exactly 2 errors ([[treaties/pact]] is fine), got:\n%s", got)
	}
}

// A treaty's signatories are actors: each signatory lists the treaty among
// its treaties (once, if it is a party too); an unknown or repeated
// signatory is an error at its place.
func TestSignatories(t *testing.T) {
	base := map[string]string{}
	for _, a := range [][2]string{{"putin", "Vladimir Putin"}, {"kim", "Kim Jong-un"}, {"russia", "Russia"}} {
		k, v := actor(a[0], a[1])
		base[k] = v
	}
	for _, tc := range []struct {
		name, extra, want string
	}{
		{"good", "parties: [russia, putin]\nsignatories: [putin, kim]", ""},
		{"unknown", "signatories: [putn]", `unknown actor "putn" (did you mean "putin"?)`},
		{"twice", "signatories: [kim, kim]", `signatory "kim" is listed twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := maps.Clone(base)
			k, v := treaty("pact", "2024-06-19", "status: in-force\n"+tc.extra)
			files[k] = v
			var errs diag.List
			_, ix := Site(site(t, files), Options{}, &errs)
			if tc.want != "" {
				if err := errs.Err(); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "content/treaties/pact.md:") {
					t.Errorf("errors %v, want %q at its place", err, tc.want)
				}
				return
			}
			if errs.Len() > 0 {
				t.Fatal(errs.Err())
			}
			pact := ix.Treaties["pact"]
			if len(pact.SignatoryList) != 2 || pact.SignatoryList[0] != ix.Actors["putin"] || pact.SignatoryList[1] != ix.Actors["kim"] {
				t.Errorf("signatories = %v", pact.SignatoryList)
			}
			for _, a := range []string{"putin", "kim", "russia"} {
				if got := ix.Actors[a].Treaties; len(got) != 1 || got[0] != pact {
					t.Errorf("%s's treaties = %v, want the pact once", a, got)
				}
			}
		})
	}
}
