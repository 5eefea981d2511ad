package reliability

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// generators make the parts of a corpus case that are too big, or too odd,
// to commit: huge files, symlinks, invalid UTF-8. Each runs after the case's
// committed files are copied; site is the site folder and tmp the test's
// temporary folder that holds it (a place outside the site). Each name must
// be a folder of the corpus holding expect.txt.
var generators = map[string]func(t *testing.T, site, tmp string){
	"symlink-outside-site": func(t *testing.T, site, tmp string) {
		writeFile(t, tmp, "outside/secret.md", []byte("---\nname: Secret\nkind: person\n---\n"))
		symlink(t, filepath.Join(tmp, "outside/secret.md"), site, "content/actors/secret.md")
	},
	"symlink-outside-site-relative": func(t *testing.T, site, tmp string) {
		writeFile(t, tmp, "outside.txt", []byte("secret\n"))
		symlink(t, "../../../../outside.txt", site, "content/dossiers/pact/leak.txt")
	},
	"symlink-folder-outside-site": func(t *testing.T, site, tmp string) {
		writeFile(t, tmp, "outside/index.md", []byte("---\ntitle: Outside\ndate: 2024-01-01\n---\n"))
		symlink(t, filepath.Join(tmp, "outside"), site, "content/dossiers/outside")
	},
	"symlink-folder-inside-site": func(t *testing.T, site, tmp string) {
		symlink(t, "pact", site, "content/dossiers/copy")
	},
	"symlink-loop": func(t *testing.T, site, tmp string) {
		symlink(t, "loop-b.md", site, "content/actors/loop-a.md")
		symlink(t, "loop-a.md", site, "content/actors/loop-b.md")
	},
	"symlink-self-loop": func(t *testing.T, site, tmp string) {
		symlink(t, "self.md", site, "content/actors/self.md")
	},
	"symlink-dangling": func(t *testing.T, site, tmp string) {
		symlink(t, "nowhere.md", site, "content/actors/ghost.md")
	},
	"fifo-in-content": func(t *testing.T, site, tmp string) {
		// Opened, a named pipe with no writer would block the build forever.
		mkfifo(t, site, "content/actors/pipe.md")
		mkfifo(t, site, "content/dossiers/pact/data.csv")
	},
	"symlink-to-fifo": func(t *testing.T, site, tmp string) {
		mkfifo(t, site, "shared/pipe")
		symlink(t, "../../shared/pipe", site, "content/actors/piped.md")
	},
	"symlink-inside-site": func(t *testing.T, site, tmp string) {
		writeFile(t, site, "shared/notes.txt", []byte("Shared notes, linked into the dossier.\n"))
		symlink(t, "../../../shared/notes.txt", site, "content/dossiers/pact/notes.txt")
	},
	"invalid-utf8-body": func(t *testing.T, site, tmp string) {
		// Latin-1 "é" (0xE9) in a file otherwise UTF-8.
		writeFile(t, site, "content/actors/kim-jong-un.md", []byte("---\nname: Kim Jong-un\nkind: person\n---\nLeader of North Kor\xe9a.\n"))
	},
	"invalid-utf8-front-matter": func(t *testing.T, site, tmp string) {
		writeFile(t, site, "content/treaties/treaty-2000.md", []byte("---\ntitle: Trait\xe9 d'amiti\xe9\nsigned: 2000-02-09\nparties: [russia]\nstatus: superseded\nsuperseded_by: pact-2024\n---\n"))
	},
	"invalid-utf8-crlf": func(t *testing.T, site, tmp string) {
		// Positions count lines as the editor shows them.
		writeFile(t, site, "content/dossiers/pact/quotes.md", []byte("> Mutual assistance\r\n> in case of \xffattack.\r\n>\r\n> — [[vladimir-putin]], 2024-06-19\r\n"))
	},
	"invalid-utf8-settings": func(t *testing.T, site, tmp string) {
		writeFile(t, site, "dossier.toml", []byte("title = \"Bas\xe9\"\nlanguage = \"en\"\n"))
	},
	"invalid-utf8-file-name": func(t *testing.T, site, tmp string) {
		writeFile(t, site, "content/dossiers/pact/r\xe9sum\xe9.txt", []byte("notes\n"))
	},
	"file-name-backslash": func(t *testing.T, site, tmp string) {
		writeFile(t, site, `content/dossiers/pact/a\..\..\evil.txt`, []byte("x\n"))
	},
	"file-too-large": func(t *testing.T, site, tmp string) {
		big := bytes.Repeat([]byte("All work and no play makes a dull article.\n"), (33<<20)/43+1)
		writeFile(t, site, "content/actors/kim-jong-un.md", append([]byte("---\nname: Kim Jong-un\nkind: person\n---\n"), big...))
	},
	"large-article-20mb": func(t *testing.T, site, tmp string) {
		var b bytes.Buffer
		b.WriteString("---\ntitle: A very long article\ndate: 2024-01-01\nactors: [kim-jong-un]\n---\n")
		for i := 0; b.Len() < 20<<20; i++ {
			fmt.Fprintf(&b, "## Part %d\n\nParagraph %d of a long transcript, with a [[kim-jong-un|mention]] and *emphasis*.\n\n", i, i)
		}
		writeFile(t, site, "content/dossiers/long/index.md", b.Bytes())
	},
	"large-attachment-20mb": func(t *testing.T, site, tmp string) {
		data := bytes.Repeat([]byte{0, 1, 2, 3, 0xff, 0xfe, 'P', 'D', 'F', '\n'}, 2<<20)
		writeFile(t, site, "content/dossiers/pact/report.pdf", data)
	},
	"markdown-time-limit": func(t *testing.T, site, tmp string) {
		// goldmark is quadratic on unclosed links: minutes for 100,000 of
		// them. The case's dossier.toml lowers the limit to keep the test short.
		writeFile(t, site, "content/dossiers/slow/index.md", []byte("---\ntitle: Slow\ndate: 2024-01-01\n---\nIntro.\n\n"+strings.Repeat("[a](", 40_000)+"\n"))
	},
	"wikilinks-too-many": func(t *testing.T, site, tmp string) {
		writeFile(t, site, "content/dossiers/many/index.md", []byte("---\ntitle: Many\ndate: 2024-01-01\n---\n"+strings.Repeat("[[Putin]] ", 250_001)+"\n"))
	},
	"wikilinks-10000": func(t *testing.T, site, tmp string) {
		var b strings.Builder
		b.WriteString("---\ntitle: Ten thousand links\ndate: 2024-01-01\n---\n")
		targets := []string{"[[Putin]]", "[[kim-jong-un|Kim]]", "[[pact-2024]]", "[[actors/russia]]", "[[dossiers/pact|the pact]]"}
		for i := 0; i < 10000; i++ {
			b.WriteString(targets[i%len(targets)])
			if i%10 == 9 {
				b.WriteString("\n\n")
			} else {
				b.WriteString(" ")
			}
		}
		writeFile(t, site, "content/dossiers/links/index.md", []byte(b.String()))
	},
	"wikilinks-10000-unknown": func(t *testing.T, site, tmp string) {
		var b strings.Builder
		b.WriteString("---\ntitle: Ten thousand broken links\ndate: 2024-01-01\n---\n")
		for i := 0; i < 10000; i++ {
			b.WriteString("[[Putin]] ")
		}
		b.WriteString("\n\nThe last one is broken: [[kim-jong-um]].\n")
		writeFile(t, site, "content/dossiers/links/index.md", []byte(b.String()))
	},
}

// slowCases write tens of megabytes; -short skips them.
var slowCases = map[string]bool{
	"file-too-large":        true,
	"large-article-20mb":    true,
	"large-attachment-20mb": true,
}

// needsCaseSensitiveFS lists the cases that write two names differing only
// in case, which a case-insensitive disk would merge before the build runs.
var needsCaseSensitiveFS = map[string]bool{
	"duplicate-slug-case-actor":   true,
	"duplicate-slug-case-dossier": true,
	"duplicate-attachment-case":   true,
}

// committedBytes checks, for the cases whose point is a byte sequence
// (CRLF, BOM), that the checkout kept it: testdata/bad-input/.gitattributes
// marks the corpus -text so that git does not convert line endings.
var committedBytes = map[string]func(t *testing.T, site string){
	"crlf": func(t *testing.T, site string) {
		for _, f := range []string{"dossier.toml", "content/dossiers/pact/index.md", "content/dossiers/pact/quotes.md", "content/actors/kim-jong-un.md"} {
			mustHold(t, site, f, func(b []byte) bool {
				return bytes.Contains(b, []byte("\r\n")) && !bytes.Contains(bytes.ReplaceAll(b, []byte("\r\n"), nil), []byte("\n"))
			}, "only CRLF line endings")
		}
	},
	"crlf-error-positions": func(t *testing.T, site string) {
		mustHold(t, site, "content/actors/kim-jong-un.md", func(b []byte) bool { return bytes.Contains(b, []byte("\r\n")) }, "CRLF line endings")
	},
	"cr-line-endings": func(t *testing.T, site string) {
		mustHold(t, site, "content/actors/kim-jong-un.md", func(b []byte) bool { return bytes.Contains(b, []byte("\r")) && !bytes.Contains(b, []byte("\n")) }, "CR line endings only")
	},
	"bom": func(t *testing.T, site string) {
		for _, f := range []string{"dossier.toml", "content/dossiers/pact/index.md", "content/dossiers/pact/quotes.md", "content/actors/kim-jong-un.md"} {
			mustHold(t, site, f, func(b []byte) bool { return bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) }, "a byte-order mark")
		}
	},
	"bom-error-positions": func(t *testing.T, site string) {
		mustHold(t, site, "content/actors/kim-jong-un.md", func(b []byte) bool { return bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) }, "a byte-order mark")
	},
}

func mustHold(t *testing.T, site, rel string, ok func([]byte) bool, what string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(site, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	if !ok(data) {
		t.Fatalf("%s lost %s in the checkout; keep testdata/bad-input/.gitattributes (* -text)", rel, what)
	}
}

// symlink makes site/rel a symlink to target.
func symlink(t *testing.T, target, site, rel string) {
	t.Helper()
	p := filepath.Join(site, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		t.Skipf("cannot make symlinks here: %v", err)
	}
}
