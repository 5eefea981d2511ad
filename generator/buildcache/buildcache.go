// Package buildcache owns the build cache that `dossier build` keeps on
// disk between runs, in the site folder (Dir): the signature of every page
// the last build wrote, the other files it wrote, the rendered Markdown
// bodies, and the token of the destination it wrote them to. The next build
// executes only the pages whose signature changed and writes only the
// files that changed (output.BeginPatch).
//
// The cache is never trusted blindly: it is valid only for the same
// binary (its build ID), settings and theme (Key), it ends with a checksum
// of its bytes, and the destination must hold the token written with it.
// A cache that is missing, from another version, truncated or corrupted is
// ignored and made again by a clean build.
package buildcache

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/cespare/xxhash/v2"
)

// Dir is the cache's folder, relative to the site folder.
const Dir = ".dossier-cache/build"

// file is the cache file in Dir.
const file = "state"

// magic starts the file; its last byte is the format's version.
var magic = []byte("dossier build cache\x00\x04")

// State is what one build leaves for the next.
type State struct {
	// Token identifies the destination's marker file as the build left
	// it (output.MarkerID): every other writer of the destination (a
	// clean build, the dev server) replaces the marker, so a destination
	// whose marker is another is not what the cache describes.
	Token string
	Pages map[string]uint64 // page signatures, by output path
	Files []string          // the other output files (search index, feeds, assets, attachments), sorted
	// Sums holds the Sum of each file of Files as written, 0 when not
	// known (a copied attachment): the next build writes a file of the
	// same sum no more, its file in the destination stands.
	Sums []uint64
	// Bodies holds rendered Markdown bodies by the hash of what they are
	// made from (render.BodyKey).
	Bodies map[uint64]string
	// BodiesFrom, when set, is written in place of Bodies when the cache
	// is saved: a build keeps its bodies in a spill file until the save
	// (render.StoredBodies), and need not read them all back at once.
	BodiesFrom BodySource
	// Parsed holds what parse made of each file, in parse's own form
	// (parse.Cache.Encode): an unchanged file is not parsed again.
	Parsed []byte
	// Search holds the search index's analysed documents, in the search
	// package's own form (search.Analyses.Encode).
	Search []byte
	// ParsedFrom and SearchFrom, when set, are written in place of Parsed
	// and Search when the cache is saved: a build makes parse's values at
	// its start and saves them at its end, and need not hold them in its
	// heap in between (a spill file), nor make the analyses' bytes at
	// once to save them.
	ParsedFrom, SearchFrom Section
}

// A BodySource gives the rendered bodies a build keeps for the next one
// at a time, as the cache is saved: the keys of every body, sorted, and
// the HTML of each (an error fails the save).
type BodySource interface {
	Keys() []uint64
	Body(key uint64) ([]byte, error)
}

// A Section is a part of the cache in another package's own form that
// writes itself when the cache is saved: Len bytes, written by WriteTo.
type Section interface {
	Len() int
	WriteTo(w io.Writer) (int64, error)
}

// Sum is the sum of a file's bytes that State.Sums holds.
func Sum(data []byte) uint64 { return xxhash.Sum64(data) | 1 } // never 0: 0 is "not known"

// Stands reports whether the last build wrote path with the bytes of sum
// (see Sums): in the destination the cache describes, its file stands.
func (s *State) Stands(path string, sum uint64) bool {
	i, ok := slices.BinarySearch(s.Files, path)
	return ok && i < len(s.Sums) && s.Sums[i] != 0 && s.Sums[i] == sum
}

// Sum returns the sum the last build wrote path with (see Sums), 0 when
// it wrote no such file or its sum is not known.
func (s *State) Sum(path string) uint64 {
	i, ok := slices.BinarySearch(s.Files, path)
	if !ok || i >= len(s.Sums) {
		return 0
	}
	return s.Sums[i]
}

// Paths returns the path of every output file the state describes: the
// pages and the other files.
func (s *State) Paths() []string {
	paths := make([]string, 0, len(s.Pages)+len(s.Files))
	for p := range s.Pages {
		paths = append(paths, p)
	}
	return append(paths, s.Files...)
}

// Path returns the cache file of the site folder.
func Path(siteDir string) string { return filepath.Join(siteDir, Dir, file) }

// Load reads the cache of the site folder made under key. It returns nil
// and the reason when there is no usable cache.
func Load(siteDir string, key uint64) (*State, error) { return LoadKeeping(siteDir, key, nil) }

// LoadKeeping is Load, read from the file as a stream rather than whole:
// the cache's bytes (~150 MB at 10,000 dossiers) are never all in memory
// beside what they decode to. When keep is set, each rendered body is
// handed to it as it is read (html is valid only during the call; an
// error fails the load) and the State's Bodies stay nil: the caller puts
// them where it wants (a spill file), never in a map of the whole.
//
// The checksum is verified at the end of the file, so keep sees bodies
// before the cache is known to be whole: what it kept is to be dropped
// when LoadKeeping returns an error.
func LoadKeeping(siteDir string, key uint64, keep func(key uint64, html []byte) error) (*State, error) {
	f, err := os.Open(Path(siteDir))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return decodeFrom(f, info.Size(), key, keep)
}

// Save writes s as the cache of the site folder, under key, through a
// temporary file and a rename: a reader never sees half a cache.
func Save(siteDir string, key uint64, s *State) error {
	dir := filepath.Join(siteDir, Dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, file+".tmp-")
	if err != nil {
		return err
	}
	_ = tmp.Chmod(0o644)
	err = encode(tmp, key, s)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), Path(siteDir))
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
	return err
}

// Remove deletes the cache of the site folder: the next build is clean.
func Remove(siteDir string) { _ = os.Remove(Path(siteDir)) }

// encode writes s and key, then the checksum of all it wrote.
func encode(w io.Writer, key uint64, s *State) error {
	h := xxhash.New()
	b := &sumWriter{w: bufio.NewWriterSize(io.MultiWriter(w, h), 1<<16)}
	b.Write(magic)
	putU64(b, key)
	putString(b, s.Token)
	paths := slices.Sorted(maps.Keys(s.Pages))
	putU64(b, uint64(len(paths)))
	for _, p := range paths {
		putString(b, p)
		putU64(b, s.Pages[p])
	}
	putU64(b, uint64(len(s.Files)))
	for i, p := range s.Files {
		putString(b, p)
		var sum uint64
		if i < len(s.Sums) {
			sum = s.Sums[i]
		}
		putU64(b, sum)
	}
	if err := putBodies(b, s); err != nil {
		return err
	}
	if err := putSection(b, s.Parsed, s.ParsedFrom); err != nil {
		return err
	}
	if err := putSection(b, s.Search, s.SearchFrom); err != nil {
		return err
	}
	if err := b.w.Flush(); err != nil {
		return err
	}
	var sum [8]byte
	binary.LittleEndian.PutUint64(sum[:], h.Sum64())
	_, err := w.Write(sum[:])
	return err
}

// putBodies writes the bodies in the order of their keys: from
// s.BodiesFrom, when set, one at a time, else s.Bodies.
func putBodies(b *sumWriter, s *State) error {
	var keys []uint64
	if s.BodiesFrom != nil {
		keys = s.BodiesFrom.Keys()
	} else {
		keys = slices.Sorted(maps.Keys(s.Bodies))
	}
	putU64(b, uint64(len(keys)))
	for _, k := range keys {
		putU64(b, k)
		if s.BodiesFrom == nil {
			putString(b, s.Bodies[k])
			continue
		}
		html, err := s.BodiesFrom.Body(k)
		if err != nil {
			return err
		}
		putBytes(b, html)
	}
	return nil
}

// putSection writes a part of the cache as its length and bytes: from, when
// set, else data.
func putSection(b *sumWriter, data []byte, from Section) error {
	if from == nil {
		b.Write(binary.AppendUvarint(nil, uint64(len(data))))
		b.Write(data)
		return nil
	}
	size := from.Len()
	b.Write(binary.AppendUvarint(nil, uint64(size)))
	n, err := from.WriteTo(b.w)
	if err == nil && n != int64(size) {
		err = fmt.Errorf("build cache: a section of %d bytes wrote %d", size, n)
	}
	return err
}

// sumWriter is a buffered writer whose errors show at Flush.
type sumWriter struct{ w *bufio.Writer }

func (s *sumWriter) Write(b []byte)       { _, _ = s.w.Write(b) }
func (s *sumWriter) WriteString(x string) { _, _ = s.w.WriteString(x) }

var errCorrupt = errors.New("build cache is corrupted")

// decode reads a cache held whole in data.
func decode(data []byte, key uint64) (*State, error) {
	return decodeFrom(bytes.NewReader(data), int64(len(data)), key, nil)
}

// decodeFrom reads a cache of size bytes from r, one part at a time (see
// LoadKeeping), verifying its checksum at the end.
func decodeFrom(r io.Reader, size int64, key uint64, keep func(uint64, []byte) error) (*State, error) {
	if size < int64(len(magic))+16 {
		return nil, errors.New("build cache of another format")
	}
	h := xxhash.New()
	body := io.LimitReader(r, size-8)
	sr := &reader{r: bufio.NewReaderSize(io.TeeReader(body, h), 1<<16), left: size - 8}
	if got := sr.take(len(magic)); !bytes.Equal(got, magic) {
		return nil, errors.New("build cache of another format")
	}
	if got := sr.u64(); got != key {
		return nil, fmt.Errorf("build cache of another version, settings or theme")
	}
	s := &State{Token: sr.str()}
	n := sr.count()
	s.Pages = make(map[string]uint64, n)
	for range n {
		p := sr.str()
		s.Pages[p] = sr.u64()
	}
	n = sr.count()
	s.Files, s.Sums = make([]string, 0, n), make([]uint64, 0, n)
	for range n {
		s.Files = append(s.Files, sr.str())
		s.Sums = append(s.Sums, sr.u64())
	}
	n = sr.count()
	if keep == nil {
		s.Bodies = make(map[uint64]string, n)
	}
	for range n {
		k := sr.u64()
		if keep == nil {
			s.Bodies[k] = sr.str()
			continue
		}
		html := sr.take(sr.length())
		if sr.bad {
			break
		}
		if err := keep(k, html); err != nil {
			return nil, err
		}
	}
	s.Parsed = sr.bytes()
	s.Search = sr.bytes()
	if sr.bad || sr.left != 0 {
		return nil, errCorrupt
	}
	var sum [8]byte
	if _, err := io.ReadFull(r, sum[:]); err != nil || h.Sum64() != binary.LittleEndian.Uint64(sum[:]) {
		return nil, errCorrupt
	}
	return s, nil
}

func putU64(b *sumWriter, v uint64) {
	var x [8]byte
	binary.LittleEndian.PutUint64(x[:], v)
	b.Write(x[:])
}

func putString(b *sumWriter, s string) {
	b.Write(binary.AppendUvarint(nil, uint64(len(s))))
	b.WriteString(s)
}

// putBytes writes data as putString writes a string.
func putBytes(b *sumWriter, data []byte) {
	var n [binary.MaxVarintLen64]byte
	b.Write(binary.AppendUvarint(n[:0], uint64(len(data))))
	b.Write(data)
}

// reader reads what encode wrote, from a stream of left bytes; bad is
// set, and zero values returned, past the end or on a read error.
type reader struct {
	r    *bufio.Reader
	left int64
	bad  bool
	buf  []byte // take's, reused
}

// take reads n bytes into a buffer reused by the next take.
func (r *reader) take(n int) []byte {
	if r.bad || n < 0 || int64(n) > r.left {
		r.bad = true
		return nil
	}
	if cap(r.buf) < n {
		r.buf = make([]byte, n)
	}
	b := r.buf[:n]
	if _, err := io.ReadFull(r.r, b); err != nil {
		r.bad = true
		return nil
	}
	r.left -= int64(n)
	return b
}

func (r *reader) u64() uint64 {
	b := r.take(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// count reads a number of entries, bounded by the bytes left (each entry
// takes at least one), so a corrupted count cannot make a huge map.
func (r *reader) count() int {
	n := r.u64()
	if n > uint64(r.left) {
		r.bad = true
		return 0
	}
	return int(n)
}

// length reads a length (a uvarint), bounded by the bytes left.
func (r *reader) length() int {
	if r.bad {
		return 0
	}
	n, err := binary.ReadUvarint(r)
	if err != nil || n > uint64(r.left) {
		r.bad = true
		return 0
	}
	return int(n)
}

// ReadByte reads one of the bytes left, for binary.ReadUvarint.
func (r *reader) ReadByte() (byte, error) {
	if r.left <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	c, err := r.r.ReadByte()
	if err == nil {
		r.left--
	}
	return c, err
}

func (r *reader) str() string { return string(r.take(r.length())) }

// bytes reads a length and as many bytes, into a slice of their own.
func (r *reader) bytes() []byte {
	n := r.length()
	if r.bad {
		return nil
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r.r, b); err != nil {
		r.bad = true
		return nil
	}
	r.left -= int64(n)
	return b
}
