package parse

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
)

// Fuzz targets for every parser of curator input in this package. Seed
// corpora live in testdata/fuzz/<FuzzName>/; run one longer with
//
//	go test -fuzz=FuzzDossier -fuzztime=10m ./generator/parse
//
// The properties: no input panics, and every diagnostic names the file and a
// line that exists in it (one past the last line is allowed, for "not
// closed" and end-of-input errors).

// lineCount is the number of lines an editor shows for data.
func lineCount(data []byte) int { return bytes.Count(data, []byte("\n")) + 1 }

// checkDiagnostics fails when a diagnostic has the wrong file or a line
// outside the file.
func checkDiagnostics(t *testing.T, file string, data []byte, got []diag.Diagnostic) {
	t.Helper()
	lines := lineCount(data)
	for _, d := range got {
		if d.Pos.File != file {
			t.Errorf("diagnostic names file %q, want %q: %s", d.Pos.File, file, d)
		}
		if d.Pos.Line < 1 || d.Pos.Line > lines+1 {
			t.Errorf("diagnostic line %d outside the file's %d lines: %s\ninput: %q", d.Pos.Line, lines, d, data)
		}
		if d.Pos.Col < 0 {
			t.Errorf("negative column: %s", d)
		}
		if d.Message == "" {
			t.Errorf("empty message at %s", d.Pos)
		}
	}
}

func FuzzSplitFrontMatter(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		yamlText, yamlLine, bodyStart, err := SplitFrontMatter(data)
		if err != nil {
			if yamlText != nil || bodyStart != 0 {
				t.Fatalf("error %v with results %q %d", err, yamlText, bodyStart)
			}
			return
		}
		if yamlLine != 2 {
			t.Fatalf("yamlLine = %d, want 2", yamlLine)
		}
		if bodyStart < 0 || bodyStart > len(data) {
			t.Fatalf("bodyStart %d outside [0, %d]", bodyStart, len(data))
		}
		if bodyStart < len(data) && data[bodyStart-1] != '\n' {
			t.Fatalf("body does not start on a line: %q", data[:bodyStart])
		}
		// The input is "---" line, YAML, "---" line, body, in that order.
		first := bytes.IndexByte(data, '\n')
		if first < 0 || !isFenceLine(data, 0) {
			t.Fatalf("accepted without an opening fence: %q", data)
		}
		if !bytes.Equal(data[first+1:first+1+len(yamlText)], yamlText) {
			t.Fatalf("YAML %q is not the text after the opening fence", yamlText)
		}
		closing := first + 1 + len(yamlText)
		if !isFenceLine(data, closing) {
			t.Fatalf("no closing fence after the YAML: %q", data[closing:])
		}
		if bytes.Contains(append([]byte("\n"), yamlText...), []byte("\n---\n")) {
			// An earlier closing fence was skipped (a fence line is "---"
			// with optional trailing blanks; this is the plainest form).
			t.Fatalf("YAML %q holds a fence line", yamlText)
		}
	})
}

// fuzzFile runs one of the front-matter parsers on data twice: as raw bytes
// (it must not panic on anything) and as load would hand it over (BOM
// stripped, CRLF turned into LF, valid UTF-8), where every diagnostic must
// point into the file.
func fuzzFile(t *testing.T, kind load.Kind, path string, data []byte, parse func(load.File, *diag.List) bool) {
	var raw diag.List
	parse(load.File{Path: path, Slug: "fuzz", Kind: kind, Data: data}, &raw)

	norm, err := load.Normalize(data, path)
	if err != nil {
		return
	}
	var errs diag.List
	ok := parse(load.File{Path: path, Slug: "fuzz", Kind: kind, Data: norm}, &errs)
	got := errs.Sorted()
	checkDiagnostics(t, path, norm, got)
	if ok != (len(got) == 0) {
		t.Fatalf("parser returned a value = %v with diagnostics %v\ninput: %q", ok, got, norm)
	}
}

func FuzzDossier(f *testing.F) {
	p := parser()
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzFile(t, load.DossierIndex, "content/dossiers/fuzz/index.md", data, func(f load.File, errs *diag.List) bool {
			d := p.Dossier(f, errs)
			if d != nil && (d.Title == "" || d.Date.IsZero() || (d.Lang != "fr" && d.Lang != "en")) {
				t.Fatalf("dossier accepted without title, date or language: %+v", d)
			}
			return d != nil
		})
	})
}

func FuzzActor(f *testing.F) {
	p := parser()
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzFile(t, load.ActorFile, "content/actors/fuzz.md", data, func(f load.File, errs *diag.List) bool {
			a := p.Actor(f, errs)
			if a != nil && (a.Name == "" || !contains(actorKinds, a.Kind)) {
				t.Fatalf("actor accepted without name or kind: %+v", a)
			}
			return a != nil
		})
	})
}

func FuzzTreaty(f *testing.F) {
	p := parser()
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzFile(t, load.TreatyFile, "content/treaties/fuzz.md", data, func(f load.File, errs *diag.List) bool {
			tr := p.Treaty(f, errs)
			if tr != nil && (tr.Title == "" || !contains([]string{"in-force", "superseded", "expired", "proposed", "signed"}, tr.Status)) {
				t.Fatalf("treaty accepted without title or status: %+v", tr)
			}
			return tr != nil
		})
	})
}

func FuzzParseQuotes(f *testing.F) {
	const file = "content/dossiers/fuzz/quotes.md"
	// The quote kinds and flags (docs/content-model.md, "Quotes").
	f.Add([]byte("> « constant et\n> indéfectible »\n>\n> — [[a]], 2024-06-19, contexte {key}\n"))
	f.Add([]byte("> le traité « garantira »\n> — [[a]], undated {reported source=https://x.org/}\n"))
	f.Add([]byte("> Texte […] coupé\n> — [[a]], 2024-06-19 {fragment kye}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var raw diag.List
		ParseQuotes(file, data, &raw) // raw bytes: must not panic

		norm, err := load.Normalize(data, file)
		if err != nil {
			return
		}
		var errs diag.List
		quotes := ParseQuotes(file, norm, &errs)
		got := errs.Sorted()
		checkDiagnostics(t, file, norm, got)
		lines := lineCount(norm)
		for _, q := range quotes {
			if q.Speaker == "" || q.Date.IsZero() != q.Undated || len(bytes.TrimSpace(q.Text)) == 0 {
				t.Fatalf("quote accepted without speaker, date or text: %+v\ninput: %q", q, norm)
			}
			for _, p := range []diag.Pos{q.Pos, q.SpeakerAt} {
				if p.File != file || p.Line < 1 || p.Line > lines || p.Col < 1 {
					t.Fatalf("quote position %s outside the file\ninput: %q", p, norm)
				}
			}
			if q.TextLine < q.Pos.Line || q.TextLine > lines {
				t.Fatalf("text line %d outside the quote starting at %s", q.TextLine, q.Pos)
			}
			if n := bytes.Count(q.Text, []byte("\n")); n != len(q.Indent) {
				t.Fatalf("%d text lines but %d indents: %q", n, len(q.Indent), q.Text)
			}
			// The text's first line sits in the file where Indent says
			// (a fragment's « » taken off included).
			first := string(bytes.SplitN(q.Text, []byte("\n"), 2)[0])
			if fl := bytes.Split(norm, []byte("\n"))[q.TextLine-1]; q.Indent[0] > len(fl) || !strings.HasPrefix(string(fl[q.Indent[0]:]), first) {
				t.Fatalf("text %q does not start at column %d of %q", first, q.Indent[0]+1, fl)
			}
			if !utf8.Valid(q.Text) || !utf8.Valid(q.Context) {
				t.Fatalf("quote text is not UTF-8: %q %q", q.Text, q.Context)
			}
			// The speaker link starts where SpeakerAt says, in the file.
			line := bytes.Split(norm, []byte("\n"))[q.SpeakerAt.Line-1]
			if q.SpeakerAt.Col-1 > len(line) || !bytes.HasPrefix(line[q.SpeakerAt.Col-1:], []byte("[[")) {
				t.Fatalf("speaker position %s does not point at [[ in %q", q.SpeakerAt, line)
			}
			if len(q.Context) > 0 {
				if q.ContextAt.Line != q.SpeakerAt.Line || !bytes.HasPrefix(line[q.ContextAt.Col-1:], q.Context) {
					t.Fatalf("context position %s does not point at %q in %q", q.ContextAt, q.Context, line)
				}
			}
		}
	})
}
