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
func Bare(site, out string) (BareStats, error) { return bare(site, out, "") }

// SameOutput is the same-output floor: it renders every Markdown file as
// Bare does, then writes, at every path of like (a dossier build of the
// same site), a file of the same size made of the rendered HTML: the
// Markdown work of a build and the disk work of its output, with no
// template, link or cross-reference.
func SameOutput(site, like, out string) (BareStats, error) { return bare(site, out, like) }

func bare(site, out, like string) (BareStats, error) {
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
	var pool []byte // rendered HTML the same-output files are cut from
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
				if like == "" {
					err = writeMade(&dirs, dst, buf.Bytes())
				}
				mu.Lock()
				if like != "" && len(pool) < 1<<24 {
					pool = append(pool, buf.Bytes()...)
				}
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
	if firstErr != nil || like == "" {
		return st, firstErr
	}
	return sameSizes(like, out, pool, &dirs)
}

// writeMade writes one file, making its folder once.
func writeMade(dirs *sync.Map, dst string, data []byte) error {
	dir := filepath.Dir(dst)
	if _, ok := dirs.Load(dir); !ok {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		dirs.Store(dir, true)
	}
	return os.WriteFile(dst, data, 0o644)
}

// sameSizes writes under out a file at every path of like, of the same
// size, cut from pool, on all cores.
func sameSizes(like, out string, pool []byte, dirs *sync.Map) (BareStats, error) {
	type file struct {
		rel  string
		size int64
	}
	var files []file
	err := filepath.WalkDir(like, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(like, p)
			files = append(files, file{rel, info.Size()})
		}
		return err
	})
	if err != nil || len(pool) == 0 {
		return BareStats{}, err
	}
	var mu sync.Mutex
	var st BareStats
	var firstErr error
	parallel(len(files), func(i int) {
		data := make([]byte, 0, files[i].size)
		for int64(len(data)) < files[i].size {
			data = append(data, pool[:min(int64(len(pool)), files[i].size-int64(len(data)))]...)
		}
		err := writeMade(dirs, filepath.Join(out, files[i].rel), data)
		mu.Lock()
		st.Files++
		st.Out += files[i].size
		if err != nil && firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
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
