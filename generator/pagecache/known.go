package pagecache

import (
	"slices"
	"sync"
)

// Known holds the page signatures of the last one-shot build, read from
// the build cache on disk (generator/buildcache), and collects this
// build's. A page whose signature is known was written by that build with
// the same inputs, so its file in the destination stands: it is not
// executed again. Signatures are comparable across processes (reads.Hash);
// a page that cannot be signed gets a signature of its own that is never
// kept, so it is executed on every build.
type Known struct {
	last map[string]uint64
	mu   sync.Mutex
	now  map[string]uint64
	kept []string
}

// NewKnown returns the signatures of the last build, by output path (nil:
// none, every page is executed).
func NewKnown(last map[string]uint64) *Known {
	return &Known{last: last, now: make(map[string]uint64, len(last))}
}

// Check records the signature of the page at out and reports whether the
// last build made it with the same one.
func (k *Known) Check(out string, sig uint64) bool {
	if sig&unsignedBit != 0 {
		return false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.now[out] = sig
	if last, ok := k.last[out]; ok && last == sig {
		k.kept = append(k.kept, out)
		return true
	}
	return false
}

// Signatures returns this build's signatures, by output path.
func (k *Known) Signatures() map[string]uint64 { return k.now }

// Kept returns the pages not executed because their file stands, sorted.
func (k *Known) Kept() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	slices.Sort(k.kept)
	return k.kept
}
