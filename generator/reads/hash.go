package reads

import "github.com/cespare/xxhash/v2"

// Hash is the hash of signatures: xxhash with no seed of the process, so a
// signature made by one process can be compared with one made by another
// (the build cache kept on disk between builds, generator/buildcache).
type Hash struct{ d xxhash.Digest }

// NewHash returns an empty hash.
func NewHash() *Hash {
	h := &Hash{}
	h.d.Reset()
	return h
}

// Reset empties h; a zero Hash must be reset before use.
func (h *Hash) Reset() { h.d.Reset() }

// Write adds b.
func (h *Hash) Write(b []byte) { _, _ = h.d.Write(b) }

// WriteString adds s.
func (h *Hash) WriteString(s string) { _, _ = h.d.WriteString(s) }

// WriteByte adds c; it never fails.
func (h *Hash) WriteByte(c byte) error {
	b := [1]byte{c}
	_, _ = h.d.Write(b[:])
	return nil
}

// Sum64 returns the hash of what was added.
func (h *Hash) Sum64() uint64 { return h.d.Sum64() }
