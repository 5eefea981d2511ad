package images

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// The persistent cache: one file per Process or Cover call,
// <dir>/<key[:2]>/<key>.img, where key hashes the source's bytes, what is
// made of it and the encoders' version. A file is
//
//	"dsimg01\n" | info | count | variants… | sha256 of all before
//
// (info: width, height as uint32 and the format as a byte-counted string;
// a variant: width, height, format, then its bytes after a uint32 length).
// It is written to a temporary file renamed in place, so a reader sees a
// whole entry or none; one that does not parse or whose hash does not
// match (a crash, a full disk, an edit) is ignored and made again.
type cache struct {
	dir string

	mu   sync.Mutex
	used map[string]bool
	mem  map[string]entry // memory-only cache (dir == "")
	// buffer, when set, gives the bytes an entry is read into
	// (Processor.ReadInto).
	buffer func(n int) []byte
}

type entry struct {
	info     Info
	variants []Variant // Width, Height, Format and Data
}

const magic = "dsimg01\n"

func openCache(dir string) (*cache, error) {
	c := &cache{dir: dir, used: map[string]bool{}}
	if dir == "" {
		c.mem = map[string]entry{}
		return c, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *cache) path(key string) string {
	return filepath.Join(c.dir, key[:2], key+".img")
}

func (c *cache) load(key string) (entry, bool) {
	c.mu.Lock()
	c.used[key] = true
	if c.mem != nil {
		e, ok := c.mem[key]
		c.mu.Unlock()
		return e, ok
	}
	c.mu.Unlock()
	data, err := c.read(c.path(key))
	if err != nil {
		return entry{}, false
	}
	return unmarshal(data)
}

// read returns the bytes of the file at path, in a buffer of c.buffer's
// when set.
func (c *cache) read(path string) ([]byte, error) {
	if c.buffer == nil {
		return os.ReadFile(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > maxEntry {
		return nil, errEntry
	}
	data := c.buffer(int(st.Size()))
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, err
	}
	return data, nil
}

// maxEntry bounds the size of an entry read into a buffer: larger is not
// an entry this cache wrote (the variants of a picture are a few MB).
const maxEntry = 1 << 30

// store writes the entry; a failure to write only costs the next build
// the work again, so it is not an error of this one.
func (c *cache) store(key string, e entry) {
	if c.mem != nil {
		c.mu.Lock()
		c.mem[key] = e
		c.mu.Unlock()
		return
	}
	dir := filepath.Dir(c.path(key))
	if os.MkdirAll(dir, 0o755) != nil {
		return
	}
	f, err := os.CreateTemp(dir, key+".*.tmp")
	if err != nil {
		return
	}
	_, err = f.Write(marshal(e))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), c.path(key))
	}
	if err != nil {
		os.Remove(f.Name())
	}
}

// prune removes the entries not loaded since the cache was opened, and
// temporary files left by a crash. Only files named as entries are
// touched.
func (c *cache) prune() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mem != nil {
		for k := range c.mem {
			if !c.used[k] {
				delete(c.mem, k)
			}
		}
		return nil
	}
	return filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != c.dir && filepath.Dir(p) != c.dir {
				return filepath.SkipDir
			}
			return nil
		}
		base := d.Name()
		key, isEntry := strings.CutSuffix(base, ".img")
		stale := isEntry && isKey(key) && !c.used[key]
		temp := strings.HasSuffix(base, ".tmp") && len(base) > 64 && isKey(base[:64])
		if stale || temp {
			return os.Remove(p)
		}
		return nil
	})
}

func isKey(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}

func marshal(e entry) []byte {
	var b bytes.Buffer
	b.WriteString(magic)
	putSize := func(w, h int, format string) {
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(w)))
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(h)))
		b.WriteByte(byte(len(format)))
		b.WriteString(format)
	}
	putSize(e.info.Width, e.info.Height, e.info.Format)
	b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(e.variants))))
	for _, v := range e.variants {
		putSize(v.Width, v.Height, v.Format)
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(v.Data))))
		b.Write(v.Data)
	}
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return b.Bytes()
}

var errEntry = errors.New("bad cache entry")

func unmarshal(data []byte) (entry, bool) {
	if len(data) < len(magic)+32 || string(data[:len(magic)]) != magic {
		return entry{}, false
	}
	body := data[:len(data)-32]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], data[len(body):]) {
		return entry{}, false
	}
	r := reader{b: body[len(magic):]}
	var e entry
	e.info.Width, e.info.Height, e.info.Format = r.size()
	n := r.u32()
	for i := 0; i < n && r.err == nil; i++ {
		var v Variant
		v.Width, v.Height, v.Format = r.size()
		v.Data = r.bytes(r.u32())
		e.variants = append(e.variants, v)
	}
	if r.err != nil || len(r.b) != 0 {
		return entry{}, false
	}
	return e, true
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.err = errEntry
		return nil
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) u32() int {
	b := r.bytes(4)
	if b == nil {
		return 0
	}
	return int(binary.BigEndian.Uint32(b))
}

func (r *reader) size() (int, int, string) {
	w, h := r.u32(), r.u32()
	n := r.bytes(1)
	if n == nil {
		return 0, 0, ""
	}
	return w, h, string(r.bytes(int(n[0])))
}
