package corpus

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// BareStats say what a bare render did.
type BareStats struct {
	Files int
	In    int64 // Markdown bytes read
	Out   int64 // HTML bytes written
}

// Bare renders every Markdown file under site/content with bare goldmark
// (GFM and footnotes, nothing else: no templates, no links resolved, no
// cross-references) and writes one HTML file per Markdown file under out,
// on all cores. Front matter is skipped. It is the practical floor of a
// build: reading, parsing, rendering and writing the same text.
func Bare(site, out string) (BareStats, error) {
	root := filepath.Join(site, "content")
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return BareStats{}, err
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote))
	var mu sync.Mutex
	var st BareStats
	var firstErr error
	dirs := sync.Map{}
	parallel(len(files), func(i int) {
		src, err := os.ReadFile(files[i])
		if err == nil {
			body := stripFrontMatter(src)
			var buf bytes.Buffer
			buf.Grow(len(body) * 2)
			if err = md.Convert(body, &buf); err == nil {
				rel, _ := filepath.Rel(root, files[i])
				dst := filepath.Join(out, strings.TrimSuffix(rel, ".md")+".html")
				dir := filepath.Dir(dst)
				if _, ok := dirs.Load(dir); !ok {
					err = os.MkdirAll(dir, 0o755)
					dirs.Store(dir, true)
				}
				if err == nil {
					err = os.WriteFile(dst, buf.Bytes(), 0o644)
				}
				mu.Lock()
				st.Files++
				st.In += int64(len(src))
				st.Out += int64(buf.Len())
				mu.Unlock()
			}
		}
		if err != nil {
			mu.Lock()
			if firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
		}
	})
	return st, firstErr
}

// stripFrontMatter drops a leading "---" YAML block.
func stripFrontMatter(src []byte) []byte {
	if !bytes.HasPrefix(src, []byte("---\n")) {
		return src
	}
	if i := bytes.Index(src[4:], []byte("\n---\n")); i >= 0 {
		return src[4+i+5:]
	}
	return src
}
