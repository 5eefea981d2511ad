package theme

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dossier-ssg/dossier/generator/diag"
)

// loadTest loads a theme whose every page executes main, with the given
// partials file.
func loadTest(t *testing.T, main, partials string) *Theme {
	t.Helper()
	fsys := fstest.MapFS{
		"layouts/baseof.html":        {Data: []byte(`{{ block "main" . }}{{ end }}`)},
		"layouts/partials/card.html": {Data: []byte(partials)},
	}
	for _, p := range Pages {
		fsys["layouts/"+p] = &fstest.MapFile{Data: []byte(`{{ define "main" }}` + main + `{{ end }}`)}
	}
	var errs diag.List
	calls := 0
	th := Load(fstest.MapFS{}, fsys, nil, nil, func(*Theme) template.FuncMap {
		return template.FuncMap{"count": func() int { calls++; return calls }}
	}, &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Err())
	}
	return th
}

func run(t *testing.T, th *Theme, data any) (string, error) {
	t.Helper()
	var buf bytes.Buffer
	err := th.Template("home.html").ExecuteTemplate(&buf, "baseof.html", data)
	return buf.String(), err
}

func TestPartialCached(t *testing.T) {
	th := loadTest(t,
		`{{ range . }}{{ partialCached "card" . .K }}|{{ end }}`,
		`{{ define "card" }}<b>{{ .V }}</b>#{{ count }}{{ end }}`)
	type item struct{ K, V string }
	got, err := run(t, th, []item{{"a", "x<"}, {"b", "y"}, {"a", "ignored: same key"}})
	if err != nil {
		t.Fatal(err)
	}
	// The partial runs once per key, is escaped as HTML, and is not escaped
	// again where it is inserted.
	if want := "<b>x&lt;</b>#1|<b>y</b>#2|<b>x&lt;</b>#1|"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// A bounded cache drops fragments to stay within its budget, executes a
// dropped one again when it is met again, and writes the same page.
func TestPartialCachedBudget(t *testing.T) {
	const main = `{{ range . }}{{ partialCached "card" . .K }}|{{ end }}`
	const card = `{{ define "card" }}<b>{{ .V }}</b>{{ end }}`
	type item struct{ K, V string }
	var items []item
	for round := range 3 {
		for i := range 2000 {
			k := strconv.Itoa(i * (round + 1) % 2000)
			items = append(items, item{k, "card " + k})
		}
	}
	want, err := run(t, loadTest(t, main, card), items)
	if err != nil {
		t.Fatal(err)
	}
	bounded := loadTest(t, main, card)
	bounded.fragments = newFragments(64 * 100) // 100 bytes a shard: ~6 fragments
	got, err := run(t, bounded, items)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("bounded cache changed the page")
	}
	held := 0
	for i := range bounded.fragments.shards {
		s := &bounded.fragments.shards[i]
		if s.bytes > 100 {
			t.Errorf("shard %d holds %d bytes, budget 100", i, s.bytes)
		}
		n := 0
		for _, f := range s.html {
			n += len(f.html)
		}
		if n != s.bytes {
			t.Errorf("shard %d counts %d bytes, holds %d", i, s.bytes, n)
		}
		held += len(s.html)
	}
	if held == 0 || held >= 2000 {
		t.Errorf("bounded cache holds %d fragments of 2000", held)
	}
}

func TestPartialCachedErrors(t *testing.T) {
	for _, tc := range []struct {
		name, main, partial, want string
	}{
		{"error inside the partial names the partial's line",
			`{{ partialCached "card" . "k" }}`,
			"{{ define \"card\" }}\n{{ .Missing }}{{ end }}",
			"layouts/partials/card.html (built-in theme):2:3: template: executing \"card\" at <.Missing>"},
		{"an entity as key is refused",
			`{{ partialCached "card" . . }}`,
			`{{ define "card" }}x{{ end }}`,
			"keys must be strings, numbers or booleans"},
		{"unknown partial",
			`{{ partialCached "nope" . "k" }}`,
			`{{ define "card" }}x{{ end }}`,
			"layouts/home.html (built-in theme):1:22: template: executing \"main\" at <partialCached \"nope\" . \"k\">: error calling partialCached: html/template: \"nope\" is undefined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			th := loadTest(t, tc.main, tc.partial)
			_, err := run(t, th, struct{ X int }{1})
			if err == nil {
				t.Fatal("no error")
			}
			d := TemplateError(err, th.Sources)
			if got := d.Error(); !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

// BenchmarkPartialCachedHit looks up fragments of a cache holding 100,000,
// as on a 10,000-dossier site.
func BenchmarkPartialCachedHit(b *testing.B) {
	th := &Theme{fragments: newFragments(fragmentBudget), partials: template.Must(template.New("x").Parse(`{{ define "card" }}<b>{{ . }}</b>{{ end }}`))}
	const n = 100_000
	for i := range n {
		if _, err := th.partialCached("card", i, "dossier-"+strconv.Itoa(i), 3, "fr"); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := th.partialCached("card", i, "dossier-"+strconv.Itoa(i%n), 3, "fr"); err != nil {
				b.Fatal(err)
			}
			i += 7919
		}
	})
}

// TestPartialCachedHitAllocatesNothing: a build looks fragments up
// hundreds of thousands of times, and each allocation is garbage the
// collector pays for while pages render.
func TestPartialCachedHitAllocatesNothing(t *testing.T) {
	th := &Theme{fragments: newFragments(fragmentBudget), partials: template.Must(template.New("x").Parse(`{{ define "card" }}<b>{{ . }}</b>{{ end }}`))}
	if _, err := th.partialCached("card", 1, "dossier-one", 3, true, "fr"); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		html, err := th.partialCached("card", 1, "dossier-one", 3, true, "fr")
		if err != nil || html != "<b>1</b>" {
			t.Fatalf("got %q, %v", html, err)
		}
	})
	if allocs != 0 {
		t.Errorf("a fragment found allocates %v times, want 0", allocs)
	}
}

// BenchmarkPartialCachedMiss executes and stores new fragments, as the
// first page to show each card does.
func BenchmarkPartialCachedMiss(b *testing.B) {
	th := &Theme{fragments: newFragments(0), partials: template.Must(template.New("x").Parse(`{{ define "card" }}<article class="card"><h2>{{ . }}</h2><p>{{ . }} {{ . }} {{ . }}</p></article>{{ end }}`))}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := th.partialCached("card", i, "dossier-"+strconv.Itoa(i), 3, "fr"); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// partialCachedDict makes the partial's map only when it executes it: a
// hit costs a lookup, where partialCached (dict …) builds a map (and makes
// a reflected call) for every use, hit or not. Both give the same HTML
// from the same fragment.
func TestPartialCachedDictBuildsNoMapOnAHit(t *testing.T) {
	th := &Theme{fragments: newFragments(fragmentBudget)}
	funcs := template.FuncMap{"dict": Dict, "partialCached": th.partialCached, "partialCachedDict": th.partialCachedDict}
	th.partials = template.Must(template.New("x").Funcs(funcs).Parse(`{{ define "row" }}<li>{{ .Page }} {{ .Actor }}</li>{{ end }}`))
	withDict := template.Must(th.partials.New("dict").Parse(`{{ range . }}{{ partialCached "row" (dict "Page" "fr" "Actor" .) . 0 "fr" }}{{ end }}`))
	pairs := template.Must(th.partials.New("pairs").Parse(`{{ range . }}{{ partialCachedDict "row" 2 "Page" "fr" "Actor" . . 0 "fr" }}{{ end }}`))
	slugs := make([]string, 100)
	for i := range slugs {
		slugs[i] = "actor-" + strconv.Itoa(i%4)
	}
	run := func(tmpl *template.Template) string {
		var b strings.Builder
		if err := tmpl.Execute(&b, slugs); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if a, b := run(withDict), run(pairs); a != b || !strings.HasPrefix(a, "<li>fr actor-0</li><li>fr actor-1</li>") {
		t.Fatalf("partialCached (dict) gave %.60q…, partialCachedDict %.60q…", a, b)
	}
	perDict := testing.AllocsPerRun(20, func() { run(withDict) })
	perPairs := testing.AllocsPerRun(20, func() { run(pairs) })
	// A map is two allocations (its header and its group of slots).
	if perPairs > perDict-2*float64(len(slugs)) {
		t.Errorf("100 hits: %v allocations with partialCachedDict, %v with partialCached (dict): want at least the 200 of the maps fewer", perPairs, perDict)
	}
	if _, err := th.partialCachedDict("row", 2, "Page", "fr"); err == nil {
		t.Error("partialCachedDict with fewer values than its pairs count: no error")
	}
}
