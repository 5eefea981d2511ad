package reliability

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// copyTree copies the regular files and folders of src into dst,
// overwriting files that exist.
func copyTree(t *testing.T, src, dst string, skip func(rel string) bool) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel == "." {
			return os.MkdirAll(dst, 0o755)
		}
		if skip != nil && skip(filepath.ToSlash(rel)) {
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// manifest maps every file under dir (slash paths) to a hash of its bytes.
// A missing dir gives an empty manifest.
type manifest map[string]string

func readManifest(t testing.TB, dir string) manifest {
	t.Helper()
	m := manifest{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sum := sha256.Sum256(data)
		m[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// diff describes how b differs from a, or "" when they are the same.
func (a manifest) diff(b manifest) string {
	var out []string
	for p, h := range a {
		switch bh, ok := b[p]; {
		case !ok:
			out = append(out, "missing "+p)
		case bh != h:
			out = append(out, "changed "+p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			out = append(out, "added "+p)
		}
	}
	sort.Strings(out)
	if len(out) > 10 {
		out = append(out[:10], "…")
	}
	return strings.Join(out, ", ")
}

// leftovers lists the staging and retired folders of interrupted builds
// beside the destination (the image cache, .dossier-cache, is meant to stay).
func leftovers(t testing.TB, parent string) []string {
	t.Helper()
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		// .dossier-cache is the build cache, kept on purpose (docs/publishing.md);
		// .dossier-spare-public is the next rebuild's staging folder, kept
		// with a marker (generator/output.SpareDir), checked apart.
		if strings.HasPrefix(e.Name(), ".dossier-") && e.Name() != ".dossier-cache" && e.Name() != ".dossier-spare-public" {
			out = append(out, e.Name())
		}
	}
	return out
}

// writeFile writes data to site/rel, making folders.
func writeFile(t testing.TB, site, rel string, data []byte) {
	t.Helper()
	p := filepath.Join(site, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// caseInsensitiveFS reports whether dir's file system folds case, as macOS
// and Windows disks do by default.
func caseInsensitiveFS(t *testing.T, dir string) bool {
	t.Helper()
	p := filepath.Join(dir, "case-probe")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(p)
	_, err := os.Stat(filepath.Join(dir, "CASE-PROBE"))
	return err == nil
}
