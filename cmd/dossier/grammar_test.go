package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	nbsp  = "\u00A0"
	nnbsp = "\u202F"
)

// frenchSite is a French site whose treaties have each grammatical form
// (a masculine treaty, a feminine declaration, masculine plural accords),
// whose actors sort differently by slug and by name, and whose texts have
// colons, guillemets and a quotation inside a quotation.
var frenchSite = map[string]string{
	"dossier.toml": "title = \"Revue : Corée\"\nlanguage = \"fr\"\nbaseURL = \"https://example.org/\"\n" +
		"description = \"Des dossiers : « Corée » et le reste\"\n",
	"content/dossiers/pacte/index.md": `---
title: "Le pacte : une « alliance » ?"
date: 2024-06-19
summary: "Un pacte : « historique » selon Pyongyang"
actors: [zambia, united-states, north-korea, ivory-coast, egypt, cuba, etat]
treaties: [traite-y, declaration-x, accords-z]
tags: [Défense]
---

Le texte dit « le "meilleur ami" du pays » : rien de plus.
`,
	"content/dossiers/pacte/quotes.md": `> le "meilleur ami" de la Corée du Nord
>
> — [[north-korea]], 2024-06-19, à Pyongyang
`,
	"content/actors/north-korea.md":   "---\nname: Corée du Nord\nkind: state\n---\nÉtat.\n",
	"content/actors/ivory-coast.md":   "---\nname: Côte d’Ivoire\nkind: state\n---\nÉtat.\n",
	"content/actors/cuba.md":          "---\nname: Cuba\nkind: state\n---\nÉtat.\n",
	"content/actors/egypt.md":         "---\nname: Égypte\nkind: state\n---\nÉtat.\n",
	"content/actors/united-states.md": "---\nname: États-Unis\nkind: state\n---\nÉtat.\n",
	"content/actors/zambia.md":        "---\nname: Zambie\nkind: state\n---\nÉtat.\n",
	"content/actors/etat.md":          "---\nname: Etat\nkind: state\n---\nSans accent.\n",
	"content/treaties/traite-y.md": "---\ntitle: Traité Y\nsigned: 2020-01-01\nstatus: in-force\n" +
		"supersedes: [declaration-x]\n---\nTexte.\n",
	"content/treaties/declaration-x.md": "---\ntitle: Déclaration X\nkind: declaration\nsigned: 2001-08-04\n" +
		"status: superseded\nsuperseded_by: traite-y\n---\nTexte.\n",
	"content/treaties/accords-z.md": "---\ntitle: Accords Z\nkind: agreements\nsigned: 1993-09-13\nstatus: signed\n---\nTexte.\n",
}

// TestFrenchGrammarAndTypography builds the French site and reads what a
// reader, a feed reader and a search engine get: labels that agree with
// each treaty, counts that agree with their number, names in French order,
// French typography in every head tag, the feed and the search index.
func TestFrenchGrammarAndTypography(t *testing.T) {
	dir := writeSite(t, frenchSite)
	if code, _, errOut := runCLI("build", "--source", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	out := snapshot(t, filepath.Join(dir, "public"))
	text := func(page string) string { return regexp.MustCompile(`\s+`).ReplaceAllString(out[page], " ") }

	// Grammar: per treaty kind.
	for page, wants := range map[string][]string{
		"traites/declaration-x/index.html": {"<dt>Nature</dt><dd>Déclaration</dd>", "<dt>Signée le</dt>", `status--superseded">Remplacée<`, "<dt>Remplacée par</dt>", "Dossiers qui la citent"},
		"traites/accords-z/index.html":     {"<dt>Nature</dt><dd>Accords</dd>", "<dt>Signés le</dt>", `status--signed">Signés<`, "Dossiers qui les citent"},
		"traites/traite-y/index.html":      {"<dt>Signé le</dt>", `status--in-force">En vigueur<`, "<dt>Remplace</dt>", "Dossiers qui le citent"},
		"traites/index.html":               {`status--superseded">Remplacée<`, "Signée le", "Remplacée par", "Signés le", "Signé le"},
		"dossiers/pacte/index.html":        {`status--superseded">Remplacée<`, `status--signed">Signés<`},
		"themes/defense/index.html":        {">1 dossier<"},
		"citations/index.html":             {">1 citation<"},
		"index.html":                       {"1</span> dossier<", "7</span> acteurs<", "3</span> traités<", "1</span> citation<"},
	} {
		for _, want := range wants {
			if !strings.Contains(text(page), want) {
				t.Errorf("%s lacks %q", page, want)
			}
		}
	}
	if strings.Contains(text("traites/traite-y/index.html"), "<dt>Nature</dt>") {
		t.Error("a treaty without kind shows its kind")
	}

	// Order: the actors page and the dossier's related actors, by name in
	// French collation (accents and case break ties only).
	names := func(page, class string) []string {
		var got []string
		for _, m := range regexp.MustCompile(`class="`+class+`"[^>]*>([^<]+)<`).FindAllStringSubmatch(out[page], -1) {
			got = append(got, m[1])
		}
		return got
	}
	want := "Corée du Nord,Côte d’Ivoire,Cuba,Égypte,Etat,États-Unis,Zambie"
	if got := strings.Join(names("acteurs/index.html", "actor-card__name"), ","); got != want {
		t.Errorf("actors page order:\n got %s\nwant %s", got, want)
	}
	if got := strings.Join(names("acteurs/cuba/index.html", "actor-row__name"), ","); got != strings.Replace(want, "Cuba,", "", 1) {
		t.Errorf("related actors of Cuba:\n got %s", got)
	}

	// Typography: nested quotations, no-break spaces in the head.
	quote := out["citations/pacte/"+regexp.MustCompile(`citations/pacte/([^/"]+)/`).FindStringSubmatch(out["citations/index.html"])[1]+"/index.html"]
	for _, want := range []string{
		`<meta property="og:title" content="Corée du Nord` + nbsp + `: «` + nnbsp + `le “meilleur ami” de la Corée du Nord` + nnbsp + `»">`,
		`<meta property="og:description" content="le «` + nnbsp + `meilleur ami` + nnbsp + `» de la Corée du Nord">`,
		`"text":"le «` + nnbsp + `meilleur ami` + nnbsp + `» de la Corée du Nord"`,
	} {
		if !strings.Contains(quote, want) {
			t.Errorf("quote page lacks %q", want)
		}
	}
	dossier := out["dossiers/pacte/index.html"]
	for _, want := range []string{
		`<meta name="description" content="Un pacte` + nbsp + `: «` + nnbsp + `historique` + nnbsp + `» selon Pyongyang">`,
		`<meta property="og:title" content="Le pacte` + nbsp + `: une «` + nnbsp + `alliance` + nnbsp + `»` + nnbsp + `?">`,
		`<meta property="og:site_name" content="Revue` + nbsp + `: Corée">`,
		`"headline":"Le pacte` + nbsp + `: une «` + nnbsp + `alliance` + nnbsp + `»` + nnbsp + `?"`,
		`«` + nnbsp + `le “meilleur ami” du pays` + nnbsp + `»` + nbsp + `: rien de plus.`,
	} {
		if !strings.Contains(dossier, want) {
			t.Errorf("dossier page lacks %q", want)
		}
	}
	feed := out["feed.xml"]
	for _, want := range []string{"<title>Le pacte" + nbsp + ": une «" + nnbsp + "alliance", "Un pacte" + nbsp + ": «" + nnbsp + "historique",
		"<subtitle>Des dossiers" + nbsp + ": «" + nnbsp + "Corée" + nnbsp + "»", "le “meilleur ami” du pays"} {
		if !strings.Contains(feed, want) {
			t.Errorf("feed lacks %q", want)
		}
	}
	var docs string
	for name, data := range out {
		if strings.HasPrefix(name, "recherche/d/") {
			docs += data
		}
	}
	for _, want := range []string{"Le pacte" + nbsp + ": une «" + nnbsp + "alliance" + nnbsp + "»" + nnbsp + "?", "le «" + nnbsp + "meilleur ami" + nnbsp + "»"} {
		if !strings.Contains(docs, want) {
			t.Errorf("search documents lack %q:\n%s", want, docs)
		}
	}
}
