package view

import (
	"html/template"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/dossier-ssg/dossier/generator/model"
)

// metaTemplate is the text of baseof.html that Page.Meta replaced, as the
// theme had it: Meta must write what html/template made of it.
const metaTemplate = `
<title>{{ if eq .Kind "home" }}{{ .Site.Title }}{{ else }}{{ .Title }} · {{ .Site.Title }}{{ end }}{{ with .Pager }}{{ if gt .Number 1 }} · {{ $.T "page.of" .Number .Total }}{{ end }}{{ end }}</title>
{{- with .Description }}
<meta name="description" content="{{ . }}">
{{- end }}
<meta name="color-scheme" content="light dark">
<meta name="theme-color" content="#fdfcfa" media="(prefers-color-scheme: light)">
<meta name="theme-color" content="#151413" media="(prefers-color-scheme: dark)">
{{- if .NoIndex }}
<meta name="robots" content="noindex">
{{- end }}
{{ with .Permalink }}<link rel="canonical" href="{{ . }}">{{ end }}
{{- range .Alternates }}
<link rel="alternate" hreflang="{{ .Lang }}" href="{{ $.Site.Absolute .Path }}">
{{- end }}
<meta property="og:title" content="{{ .Title }}">
<meta property="og:type" content="{{ .OGType }}">
{{ with .Permalink }}<meta property="og:url" content="{{ . }}">{{ end }}
{{- with .Description }}
<meta property="og:description" content="{{ . }}">
{{- end }}
<meta property="og:site_name" content="{{ .Site.Title }}">
{{- if eq .Lang "fr" }}
<meta property="og:locale" content="fr_FR">
{{- else if eq .Lang "en" }}
<meta property="og:locale" content="en_GB">
{{- end }}
{{- /* X (Twitter) reads title and description from og:title and og:description: not repeated on every page. */}}
{{- /* Open Graph wants absolute URLs: without a host in baseURL, no og:image (and so the small twitter:card). */}}
{{- $card := false }}
{{- if not .Site.Origin }}{{ else if eq .Kind "dossier" }}{{ $card = .Dossier.Card }}{{ else if eq .Kind "actor" }}{{ $card = .Actor.Card }}{{ else if eq .Kind "treaty" }}{{ $card = .Treaty.Card }}{{ else if eq .Kind "quote" }}{{ $card = .Quote.Card }}{{ end }}
{{- with $card }}
<meta property="og:image" content="{{ $.Site.Absolute .Path }}">
<meta property="og:image:width" content="{{ .Width }}">
<meta property="og:image:height" content="{{ .Height }}">
{{- with .Alt }}
<meta property="og:image:alt" content="{{ . }}">
{{- end }}
<meta name="twitter:card" content="summary_large_image">
{{- else }}
<meta name="twitter:card" content="summary">
{{- end }}
`

// TestMetaEqualsTheTemplate executes the template text Meta replaced and
// Meta on pages of every kind, with and without a host, a pager,
// translations and cards, and strings html/template escapes (quotes,
// ampersands, +, NUL, bad UTF-8, URLs with spaces, non-ASCII, a
// javascript: scheme): the bytes must be the same.
func TestMetaEqualsTheTemplate(t *testing.T) {
	tmpl := template.Must(template.New("meta").Parse(strings.TrimSuffix(strings.TrimPrefix(metaTemplate, "\n"), "\n")))
	texts := []string{"", "Traité de Moscou", `"Quoted" & <b>bold</b> 'single' 1+1`, "nul\x00byte", "bad \xff utf-8 \ufdd0", "« Guillemets » — tiret"}
	paths := []string{"", "dossiers/traite/", "acteurs/é l'ü/", "a b/c%20d/%zz/(x)", "javascript:alert(1)", "mailto:x@y.z", "q?a=1&b=2#f", "~user/[x]!*"}
	origins := []string{"", "https://example.org", "http://h.example:8080"}
	bases := []string{"/", "/sub dir/é/"}
	kinds := []string{"home", "dossier", "actor", "treaty", "quote", "quotes", "timeline", "404"}
	langs := []string{"fr", "en", "de"}
	cards := []*model.Card{nil, {Path: "media/card.3f9a.png", Width: 1200, Height: 630}, {Path: "media/c d'é.png", Width: 1, Height: 2, Alt: `Alt "text" & +`}}
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	for i := range 5000 {
		site := &SiteInfo{Title: pick(texts), Origin: pick(origins), BasePath: pick(bases)}
		p := &Page{Site: site, Kind: kinds[i%len(kinds)], Lang: pick(langs), Title: pick(texts), Description: pick(texts),
			Path: pick(paths), NoIndex: r.IntN(2) == 0, OGType: pick([]string{"website", "article", "profile"})}
		card := cards[r.IntN(len(cards))]
		p.Dossier = &model.Dossier{Card: card}
		p.Actor = &model.Actor{Card: card}
		p.Treaty = &model.Treaty{Card: card}
		p.Quote = &model.Quote{Card: card}
		if r.IntN(3) == 0 {
			p.Pager = &Pager{Number: 1 + r.IntN(3), Total: 3}
		}
		for range r.IntN(3) {
			p.Alternates = append(p.Alternates, Translation{Lang: pick([]string{"fr", "en", "x-default", `"<&>`}), Path: pick(paths)})
		}
		var want strings.Builder
		if err := tmpl.Execute(&want, p); err != nil {
			t.Fatal(err)
		}
		if got := string(p.Meta()); got != want.String() {
			t.Fatalf("page %d (%+v, site %+v):\nMeta:\n%s\ntemplate:\n%s", i, p, site, got, want.String())
		}
	}
}

// TestMetaReadsWhatItDeclares changes every field of the page and of its
// site that MethodReads does not list for Meta: its output must not move
// (a page is signed by what its template reads, and Meta's reads are that
// list).
func TestMetaReadsWhatItDeclares(t *testing.T) {
	declared := map[string]bool{}
	for _, p := range MethodReads["view.Page.Meta"] {
		declared[p] = true
	}
	card := &model.Card{Path: "media/c.png", Width: 1200, Height: 630, Alt: "alt"}
	base := func() *Page {
		return &Page{Site: &SiteInfo{Title: "Site", Origin: "https://example.org", BasePath: "/"}, Kind: "quote", Lang: "fr",
			Title: "T", Description: "D", Path: "q/", OGType: "article", Pager: &Pager{Number: 2, Total: 3},
			Alternates: []Translation{{Lang: "en", Path: "en/q/"}}, Quote: &model.Quote{Card: card}}
	}
	want := base().Meta()
	change := func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			v.SetString("changed")
		case reflect.Bool:
			v.SetBool(!v.Bool())
		case reflect.Int:
			v.SetInt(v.Int() + 7)
		case reflect.Slice:
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		case reflect.Map:
			v.Set(reflect.MakeMap(v.Type()))
		case reflect.Pointer:
			v.Set(reflect.New(v.Type().Elem()))
		case reflect.Interface:
			v.Set(reflect.ValueOf("changed"))
		}
	}
	for _, prefix := range []string{"", "Site."} {
		typ := reflect.TypeFor[Page]()
		if prefix != "" {
			typ = reflect.TypeFor[SiteInfo]()
		}
		for i := range typ.NumField() {
			name := prefix + typ.Field(i).Name
			if declared[name] || name == "Site" {
				continue
			}
			if prefix == "" && (name == "Pager" || name == "Dossier" || name == "Actor" || name == "Treaty" || name == "Quote") {
				continue // declared field by field
			}
			p := base()
			v := reflect.ValueOf(p).Elem()
			if prefix != "" {
				v = v.FieldByName("Site").Elem()
			}
			change(v.Field(i))
			if got := p.Meta(); got != want {
				t.Errorf("Meta changes with %s, which MethodReads does not list:\n%s", name, got)
			}
		}
	}
}

// TestMetaIsMadeAtItsSize: Meta's text is made in a buffer of its size,
// not grown from a guess (growing from 1 KB made 2.4 KB of garbage a page,
// on every page of a build).
func TestMetaIsMadeAtItsSize(t *testing.T) {
	long := strings.Repeat("Déclaration & « traité » ", 20)
	p := &Page{Site: &SiteInfo{Title: "Site", Origin: "https://example.org", BasePath: "/dossiers/"}, Kind: "quote", Lang: "fr",
		Title: long, Description: long + long, Path: "citations/traite-de-moscou/q1/", OGType: "article",
		Pager:      &Pager{Number: 2, Total: 3},
		Alternates: []Translation{{Lang: "fr", Path: "citations/traite/q1/"}, {Lang: "en", Path: "en/quotes/treaty/q1/"}, {Lang: "x-default", Path: "citations/traite/q1/"}},
		Quote:      &model.Quote{Card: &model.Card{Path: "media/card.3f9a2b.png", Width: 1200, Height: 630, Alt: long}}}
	for _, p := range []*Page{p, {Site: &SiteInfo{}, Kind: "404"}} {
		size := len(p.Meta())
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		const runs = 100
		for range runs {
			p.Meta()
		}
		runtime.ReadMemStats(&after)
		perCall := int(after.TotalAlloc-before.TotalAlloc) / runs
		t.Logf("%d bytes for %d of text", perCall, size)
		if perCall > size+size/2+256 {
			t.Errorf("Meta allocates %d bytes for %d of text", perCall, size)
		}
	}
}
