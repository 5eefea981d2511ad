package reads

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"
	"time"
)

type person struct {
	Name    string
	Born    time.Time
	Friends []*person
	Tags    map[string]string
	Secret  string
}

func (p *person) Greeting(lang string) string { return lang + " " + p.Name }
func (p *person) Hidden() string              { return p.Secret }

type page struct {
	Title  string
	Person *person
	People []*person
	Count  int
	Extra  any
}

func (p *page) Upper() string { return strings.ToUpper(p.Title) }

var decl = Declarations{
	Funcs: map[string]Func{
		"link":    {Kind: Fields, Fields: map[reflect.Type][]string{reflect.TypeFor[*person](): {"Name"}}},
		"dict":    {Kind: Dict},
		"partial": {Kind: Partial},
		"lower":   {},
	},
	Methods: map[string][]string{"reads.person.Greeting": {"Name"}, "reads.page.Upper": {"Title"}},
}

var funcs = template.FuncMap{
	"link": func(any) string { return "" }, "dict": func(...any) map[string]any { return nil },
	"partial": func(string, any) string { return "" }, "lower": strings.ToLower,
}

func trees(t testing.TB, text string) map[string]*parse.Tree {
	t.Helper()
	tm, err := template.New("page").Funcs(funcs).Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*parse.Tree{}
	for _, x := range tm.Templates() {
		out[x.Name()] = x.Tree
	}
	return out
}

func TestAnalyze(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"field", `{{ .Title }}`, []string{".Title value"}},
		{"nothing shown", `hello`, nil},
		{"with and if", `{{ with .Person }}{{ if .Name }}x{{ end }}{{ end }}`,
			[]string{".Person truth", ".Person.Name truth"}},
		{"range reads length and elements", `{{ range .People }}{{ .Name }}{{ end }}`,
			[]string{".People length", ".People truth", ".People[].Name value"}},
		{"range variables", `{{ range $i, $p := .People }}{{ $i }}{{ $p.Name }}{{ end }}`,
			[]string{".People length", ".People truth", ".People[].Name value"}},
		{"variable and root", `{{ $t := .Title }}{{ with .Person }}{{ $t }}{{ $.Count }}{{ end }}`,
			[]string{".Count value", ".Person truth", ".Title value"}},
		{"assignment in a loop is read next round", `{{ $x := .Title }}{{ range .People }}{{ $x }}{{ $x = .Name }}{{ end }}`,
			[]string{".People length", ".People truth", ".People[].Name value", ".Title value"}},
		{"declared method", `{{ .Person.Greeting "fr" }}{{ .Upper }}`,
			[]string{".Person.Name value", ".Title value"}},
		{"method of a whole value", `{{ .Person.Born.Year }}`, []string{".Person.Born value"}},
		{"declared function fields", `{{ link .Person }}{{ link "x" }}`, []string{".Person.Name value"}},
		{"map key", `{{ .Person.Tags.color }}{{ index .Person.Tags "size" }}`,
			[]string{`.Person.Tags["color"] value`, `.Person.Tags["size"] value`}},
		{"index with a variable key reads every element", `{{ (index .People .Count).Name }}`, []string{".Count value", ".People[].Name value"}},
		{"dict into a template", `{{ define "card" }}{{ .P.Name }}{{ .Level }}{{ end }}{{ template "card" dict "P" .Person "Level" 2 }}`,
			[]string{".Person.Name value"}},
		{"partial", `{{ define "card" }}{{ .Name }}{{ end }}{{ partial "card" .Person }}`, []string{".Person.Name value"}},
		{"recursion on the same data", `{{ define "r" }}{{ .Name }}{{ if .Friends }}{{ template "r" . }}{{ end }}{{ end }}{{ template "r" .Person }}`,
			[]string{".Person.Friends truth", ".Person.Name value"}},
		{"and or", `{{ with or .Title .Count }}{{ . }}{{ end }}`, []string{".Count truth", ".Count value", ".Title truth", ".Title value"}},
		{"len and builtins", `{{ len .People }}{{ printf "%s" (lower .Title) }}{{ eq .Count 1 }}`,
			[]string{".Count value", ".People length", ".Title value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := Analyze(trees(t, tc.text), "page", reflect.TypeFor[*page](), decl)
			if err != nil {
				t.Fatal(err)
			}
			got := plan.Paths()
			if !slices.Equal(got, tc.want) {
				t.Errorf("reads\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// What the analysis cannot follow makes no plan, with the place named.
func TestAnalyzeRefuses(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"undeclared method", `{{ .Person.Hidden }}`, "reads.person.Hidden does not declare"},
		{"interface field", `{{ .Extra.Name }}`, "known only when executed"},
		{"pointer shown whole", `{{ .Person }}`, "shows a *reads.person whole"},
		{"undeclared function", `{{ call .Title }}`, "call runs a function"},
		{"unknown field", `{{ .Nope }}`, "has no field Nope"},
		{"dict key not constant", `{{ dict .Title 1 }}`, "constant strings"},
		{"recursion into deeper data", `{{ define "r" }}{{ .Name }}{{ range .Friends }}{{ template "r" . }}{{ end }}{{ end }}{{ template "r" .Person }}`, "too deep"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Analyze(trees(t, tc.text), "page", reflect.TypeFor[*page](), decl)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "page:1:") {
				t.Errorf("error %v, want one at page:1 with %q", err, tc.want)
			}
		})
	}
}

// A signature changes with what the template reads and with nothing else,
// and lists the entities it passed through.
func TestSign(t *testing.T) {
	plan, err := Analyze(trees(t, `{{ .Title }}{{ range .People }}{{ .Name }}{{ end }}`), "page", reflect.TypeFor[*page](), decl)
	if err != nil {
		t.Fatal(err)
	}
	ann, bob := &person{Name: "Ann"}, &person{Name: "Bob"}
	ids := map[*person]int32{ann: 1, bob: 2}
	sign := func(p *page) (uint64, []int32) {
		s := NewSigner(func(v reflect.Value) int32 {
			if x, ok := v.Interface().(*person); ok {
				return ids[x]
			}
			return 0
		})
		sum, deps, ok := s.Sign(plan, p)
		if !ok {
			t.Fatal("not signed")
		}
		return sum, deps
	}
	base, deps := sign(&page{Title: "T", People: []*person{ann, bob}})
	if !slices.Equal(deps, []int32{1, 2}) {
		t.Errorf("deps %v, want [1 2]", deps)
	}
	for name, p := range map[string]*page{
		"title":  {Title: "U", People: []*person{ann, bob}},
		"order":  {Title: "T", People: []*person{bob, ann}},
		"fewer":  {Title: "T", People: []*person{ann}},
		"a name": {Title: "T", People: []*person{ann, {Name: "Bo"}}},
	} {
		if sum, _ := sign(p); sum == base {
			t.Errorf("%s changed and the signature did not", name)
		}
	}
	same := &page{Title: "T", People: []*person{ann, bob}, Count: 9, Person: &person{Secret: "x"}}
	ann.Secret = "unread"
	if sum, _ := sign(same); sum != base {
		t.Error("a field the template does not read changed the signature")
	}
}

// A memo is one signer's: the same pointer signed by a new signer after
// its value changed is signed afresh.
func TestSignerMemoLivesOneBuild(t *testing.T) {
	plan, err := Analyze(trees(t, `{{ .Person.Name }}`), "page", reflect.TypeFor[*page](), decl)
	if err != nil {
		t.Fatal(err)
	}
	p := &page{Person: &person{Name: "Ann"}}
	a, _, _ := NewSigner(nil).Sign(plan, p)
	p.Person.Name = "Bob"
	b, _, _ := NewSigner(nil).Sign(plan, p)
	if a == b {
		t.Error("a new signer reused a memo of another build")
	}
}

// The value signed is often a copy made for the call (pagecache signs a
// copy of each page): two values at one address, one after the other, are
// each signed for what they hold, never from a memo of the address.
func TestSignedValueIsNotMemoized(t *testing.T) {
	plan, err := Analyze(trees(t, `{{ .Person.Name }}`), "page", reflect.TypeFor[*page](), decl)
	if err != nil {
		t.Fatal(err)
	}
	s := NewSigner(nil)
	var p page
	p = page{Person: &person{Name: "Ann"}}
	a, _, _ := s.Sign(plan, &p)
	p = page{Person: &person{Name: "Bob"}}
	b, _, _ := s.Sign(plan, &p)
	if a == b {
		t.Error("a second value at the address of the first was signed from the first's memo")
	}
}

// Any template text that parses is analysed or refused: never a panic.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{`{{ .Title }}`, `{{ range $i, $p := .People }}{{ $p.Greeting "x" }}{{ end }}`,
		`{{ define "a" }}{{ template "a" .Friends }}{{ end }}{{ template "a" .Person }}`, `{{ with $x := index .Person.Tags "a" }}{{ $x }}{{ else }}{{ end }}`,
		`{{ partial "p" (dict "A" .) }}{{ define "p" }}{{ .A.Title }}{{ end }}`, `{{ slice .Title 1 }}{{ range 3 }}{{ . }}{{ end }}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		tm, err := template.New("page").Funcs(funcs).Parse(text)
		if err != nil {
			return
		}
		out := map[string]*parse.Tree{}
		for _, x := range tm.Templates() {
			if x.Tree != nil {
				out[x.Name()] = x.Tree
			}
		}
		if out["page"] == nil {
			return
		}
		plan, err := Analyze(out, "page", reflect.TypeFor[*page](), decl)
		if err == nil {
			NewSigner(nil).Sign(plan, &page{Person: &person{Friends: []*person{{}}}})
		}
	})
}

// A field summed up (SumField) is signed by its sum where the sum is
// known, and by its value elsewhere: the sum stands for the value.
func TestSumFieldSignsBySum(t *testing.T) {
	plan, err := Analyze(trees(t, `{{ .Title }}{{ range .People }}{{ if .Name }}{{ .Name }}{{ end }}{{ end }}`), "page", reflect.TypeFor[*page](), decl)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[*person]uint64{}
	sign := func(p *page) uint64 {
		s := NewSigner(nil)
		s.SumField(reflect.TypeFor[person](), "Name", func(v reflect.Value) (uint64, bool) {
			sum, ok := sums[v.Addr().Interface().(*person)]
			return sum, ok
		})
		sum, _, ok := s.Sign(plan, p)
		if !ok {
			t.Fatal("not signed")
		}
		return sum
	}
	ann, bob := &person{Name: "Ann"}, &person{Name: "Bob"}
	p := &page{Title: "T", People: []*person{ann, bob}}
	base := sign(p)
	sums[ann] = 1
	byKey := sign(p)
	if byKey == base {
		t.Error("a field signed by its sum signed as by its value")
	}
	ann.Name = "" // gone out of memory: the sum stands for it
	if sign(p) != byKey {
		t.Error("a field signed by its sum changed the signature by its value")
	}
	sums[ann] = 2
	if sign(p) == byKey {
		t.Error("a field's sum changed and the signature did not")
	}
	bob.Name = "Bo" // no sum: signed by its value
	if sign(p) == sign(&page{Title: "T", People: []*person{ann, {Name: "Bob"}}}) {
		t.Error("a field without a sum is not signed by its value")
	}
}

// Declared plans read what their paths name, through pointers and the
// elements of slices, and refuse a path that names no field or ends on
// what cannot be signed whole.
func TestDeclared(t *testing.T) {
	plan, err := Declared(reflect.TypeFor[*page](), []string{"Title", "Person.Name", "People[].Name"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := plan.Paths(), []string{".People[].Name value", ".Person.Name value", ".Title value"}; !slices.Equal(got, want) {
		t.Errorf("paths %q, want %q", got, want)
	}
	friend := &person{Name: "b"}
	p := &page{Title: "t", Person: &person{Name: "a", Secret: "s"}, People: []*person{friend}}
	sign := func() uint64 {
		sum, _, ok := NewSigner(nil).Sign(plan, p)
		if !ok {
			t.Fatal("not signed")
		}
		return sum
	}
	base := sign()
	p.Person.Secret = "other"
	if sign() != base {
		t.Error("a field not declared changed the signature")
	}
	friend.Name = "c"
	if sign() == base {
		t.Error("a slice element's declared field changed, the signature did not")
	}
	s := NewSigner(nil)
	s.Sign(plan, p)
	for i := range s.shards {
		if n := len(s.shards[i].m); n > 0 {
			t.Errorf("a declared plan left %d memos: its pointers are read once a page", n)
		}
	}
	for _, bad := range []string{"Person.Nope", "Person", "Title[]"} {
		if _, err := Declared(reflect.TypeFor[*page](), []string{bad}); err == nil {
			t.Errorf("%s: declared without an error", bad)
		}
	}
}
