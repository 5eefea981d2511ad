package resolve

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
	"github.com/dossier-ssg/dossier/generator/parse"
)

// snapshot prints every field of a parsed site, following the pointers
// into the model and a body's Doc, and printing any other pointer by its
// address: a field written after parse, or a pointer moved, changes it.
func snapshot(s *model.Site) string {
	var b strings.Builder
	modelPkg := reflect.TypeFor[model.Site]().PkgPath()
	docType := reflect.TypeFor[*markdown.Doc]()
	seen := map[uintptr]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				b.WriteString("nil")
				return
			}
			fmt.Fprintf(&b, "%#x", v.Pointer())
			if seen[v.Pointer()] || (v.Type().Elem().PkgPath() != modelPkg && v.Type() != docType) {
				return
			}
			seen[v.Pointer()] = true
			b.WriteString("→")
			walk(v.Elem())
		case reflect.Interface:
			if v.IsNil() {
				b.WriteString("nil")
				return
			}
			walk(v.Elem())
		case reflect.Struct:
			b.WriteString("{")
			for i := range v.NumField() {
				b.WriteString(v.Type().Field(i).Name + ":")
				walk(v.Field(i))
				b.WriteString(" ")
			}
			b.WriteString("}")
		case reflect.Slice, reflect.Array:
			if v.Kind() == reflect.Slice && v.IsNil() {
				b.WriteString("nil")
				return
			}
			b.WriteString("[")
			for i := range v.Len() {
				walk(v.Index(i))
				b.WriteString(",")
			}
			b.WriteString("]")
		case reflect.Map:
			var keys []string
			for _, k := range v.MapKeys() {
				keys = append(keys, fmt.Sprintf("%v=%v", k, v.MapIndex(k)))
			}
			sort.Strings(keys)
			fmt.Fprint(&b, keys)
		case reflect.String:
			b.WriteString(strconv.Quote(v.String()))
		default:
			fmt.Fprint(&b, v)
		}
	}
	walk(reflect.ValueOf(s))
	return b.String()
}

// TestParsedValuesStayAsParsed: resolution, full or patched, never writes
// the values parse made, which a parse cache hands to the next builds; it
// derives into copies of its own. Nor does parse write them again: every
// build's parsed site stays as it was made, build after build.
func TestParsedValuesStayAsParsed(t *testing.T) {
	files := map[string]string{}
	for _, a := range [][3]string{{"kim", "Kim", "country: putin"}, {"putin", "Putin", "country: lee"}, {"lee", "Lee", ""}} {
		k, v := actor(a[0], a[1], a[2])
		files[k] = v
	}
	k, v := treaty("pact", "2024-06-19", "status: in-force\nparties: [putin, kim]")
	files[k] = v
	body := func(slug, date, text string) {
		files["content/dossiers/"+slug+"/index.md"] = "---\ntitle: " + slug + "\ndate: " + date + "\nactors: [kim, putin]\ntreaties: [pact]\ntags: [t]\n---\n" + text + "\n"
	}
	for _, d := range [][3]string{{"a", "2024-01-01", "About [[lee]]."}, {"b", "2024-02-01", "See [[a]] and [pact](../../treaties/pact.md)."}, {"c", "2023-02-01", "Plain."}} {
		body(d[0], d[1], d[2])
		files["content/dossiers/"+d[0]+"/quotes.md"] = "> Words of " + d[0] + ".\n>\n> — [[kim]], " + d[1] + ", context with [[putin]]\n"
	}
	files["content/dossiers/d/index.md"] = "---\ntitle: d\ndate: 2022-01-01\ndraft: true\n---\nA draft about [[kim]].\n"

	pc, cache := parse.NewCache(), NewCache()
	var parsed []*model.Site // every build's, sharing what parse kept
	var snaps []string
	for _, step := range []struct {
		name  string
		edit  func()
		patch bool
	}{
		{"first build", func() {}, false},
		{"body", func() { body("c", "2023-02-01", "Now [[lee]] and [[b]].") }, true},
		{"mention dropped", func() { body("a", "2024-01-01", "Nothing.") }, true},
		{"actor renamed", func() { k, v := actor("lee", "Lee Jae-myung"); files[k] = v }, false},
		{"body after a full resolution", func() { body("b", "2024-02-01", "See [[c]].") }, true},
		{"quote context", func() {
			files["content/dossiers/a/quotes.md"] = "> Words of a.\n>\n> — [[kim]], 2024-01-01, context with [[lee]]\n"
		}, true},
	} {
		step.edit()
		s := parseSite(t, files, pc)
		parsed, snaps = append(parsed, s), append(snaps, snapshot(s))
		// With the cache (patched or not), then the same values in full.
		for _, c := range []*Cache{cache, nil} {
			var errs diag.List
			got, ix := Site(s, Options{Cache: c}, &errs)
			if errs.Len() > 0 {
				t.Fatalf("%s: %v", step.name, errs.Err())
			}
			if patched := cache.LastPatch() != nil; c != nil && patched != step.patch {
				t.Errorf("%s: patched %v, want %v", step.name, patched, step.patch)
			}
			for i, p := range parsed {
				if snapshot(p) != snaps[i] {
					t.Fatalf("%s: the values parse made in build %d were written", step.name, i+1)
				}
			}
			for _, d := range got.Dossiers {
				if slices.Contains(s.Dossiers, d) || ix.Dossiers[d.Slug] != d {
					t.Fatalf("%s: dossier %s of the resolved site is not a copy in the index", step.name, d.Slug)
				}
				for _, q := range d.Quotes {
					if q.Dossier != d || q.SpeakerActor != ix.Actors["kim"] {
						t.Fatalf("%s: quote %s points at another dossier or speaker", step.name, q.ID)
					}
				}
			}
			for _, a := range got.Actors {
				if slices.Contains(s.Actors, a) {
					t.Fatalf("%s: actor %s of the resolved site is parse's", step.name, a.Slug)
				}
			}
		}
	}
}
