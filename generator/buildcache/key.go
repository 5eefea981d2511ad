package buildcache

import (
	"bytes"
	"debug/elf"
	"io"
	"io/fs"
	"os"
	"runtime"

	"github.com/cespare/xxhash/v2"
)

// Key sums up what a cache is valid for: the running binary (which holds the
// built-in theme and every rule of the build), the Go version, and the
// given parts (settings, flags, the theme's files). ok is false when the
// binary cannot be identified: then no cache is kept.
func Key(parts ...[]byte) (key uint64, ok bool) {
	id, ok := binaryID()
	if !ok {
		return 0, false
	}
	h := xxhash.New()
	_, _ = h.WriteString(id)
	_, _ = h.WriteString(runtime.Version())
	for _, p := range parts {
		var n [8]byte
		for i, l := 0, len(p); i < 8; i, l = i+1, l>>8 {
			n[i] = byte(l)
		}
		_, _ = h.Write(n[:])
		_, _ = h.Write(p)
	}
	return h.Sum64(), true
}

// FS sums up every file of fsys (a theme), for Key.
func FS(fsys fs.FS) []byte {
	if fsys == nil {
		return nil
	}
	h := xxhash.New()
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil
		}
		_, _ = h.WriteString(p)
		_, _ = h.Write([]byte{0})
		_, _ = h.Write(data)
		return nil
	})
	return h.Sum(nil)
}

// binaryID identifies the running executable: the Go build ID of its ELF
// note when it has one (read in a few kilobytes), else the hash of the
// whole file.
func binaryID() (string, bool) {
	exe, err := os.Executable()
	if err != nil {
		return "", false
	}
	if f, err := elf.Open(exe); err == nil {
		defer f.Close()
		if s := f.Section(".note.go.buildid"); s != nil {
			if data, err := s.Data(); err == nil && len(bytes.TrimSpace(data)) > 16 {
				return string(data), true
			}
		}
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", false
	}
	defer f.Close()
	h := xxhash.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", false
	}
	return string(h.Sum(nil)), true
}
