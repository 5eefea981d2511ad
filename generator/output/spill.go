package output

import (
	"errors"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/cespare/xxhash/v2"
)

// Spill keeps the bytes of files on disk instead of in memory, one after
// the other in one file that only grows. The dev loop's builder
// (generator.Builder) keeps its output tree there — a site's worth of
// pages and social cards — so that the memory of `dossier serve` does not
// grow with the size of the site; the dev server reads a page back when it
// is asked for.
//
// The file is removed as soon as it is made where the system allows it
// (else when the Spill is closed): nothing is left on disk once the
// process ends, even killed. Its space goes back when the Spill is closed,
// or collected once nothing stored in it is reachable. A Spill is safe for
// concurrent use.
type Spill struct {
	mu   sync.Mutex
	file *spillFile
	size int64
}

// spillFile is the open file of a Spill, apart from it so that a cleanup
// can close it once the Spill is unreachable.
type spillFile struct {
	f    *os.File
	name string // its path while it could not be removed (Windows)
	once sync.Once
}

func (sf *spillFile) close() {
	sf.once.Do(func() {
		_ = sf.f.Close()
		if sf.name != "" {
			_ = os.Remove(sf.name)
		}
	})
}

// ErrSpillClosed is returned when stored bytes are read after their Spill
// was closed.
var ErrSpillClosed = errors.New("output: spill closed")

// NewSpill makes a spill file in dir, made if missing ("": the system's
// temporary folder).
func NewSpill(dir string) (*Spill, error) {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	f, err := os.CreateTemp(dir, ".dossier-spill-*")
	if err != nil {
		return nil, err
	}
	sf := &spillFile{f: f}
	if os.Remove(f.Name()) != nil {
		sf.name = f.Name() // removed once closed
	}
	s := &Spill{file: sf}
	runtime.AddCleanup(s, func(sf *spillFile) { sf.close() }, sf)
	return s, nil
}

// Close removes the spill file: what it stored can no longer be read.
func (s *Spill) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.file.close()
	return nil
}

// Size is the bytes written to the spill so far.
func (s *Spill) Size() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}

// Store writes data to the spill and returns where it is.
func (s *Spill) Store(data []byte) (*Stored, error) {
	sum := xxhash.Sum64(data)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.file.f.WriteAt(data, s.size); err != nil {
		return nil, err
	}
	st := &Stored{spill: s, file: s.file, off: s.size, n: len(data), sum: sum}
	s.size += int64(len(data))
	return st, nil
}

// StoreFrom writes what src writes to the spill and returns where it is,
// without making it in memory first (the build cache's search analyses).
func (s *Spill) StoreFrom(src io.WriterTo) (*Stored, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := xxhash.New()
	n, err := src.WriteTo(io.MultiWriter(io.NewOffsetWriter(s.file.f, s.size), h))
	if err != nil {
		return nil, err
	}
	st := &Stored{spill: s, file: s.file, off: s.size, n: int(n), sum: h.Sum64()}
	s.size += n
	return st, nil
}

// Stored is one file's bytes in a Spill.
type Stored struct {
	spill *Spill // kept reachable while its bytes are
	file  *spillFile
	off   int64
	n     int
	sum   uint64 // xxhash64 of the bytes
}

// Len is the number of bytes stored.
func (st *Stored) Len() int { return st.n }

// Bytes reads the stored bytes back.
func (st *Stored) Bytes() ([]byte, error) {
	buf := make([]byte, st.n)
	n, err := st.file.f.ReadAt(buf, st.off)
	if n == st.n {
		return buf, nil
	}
	if errors.Is(err, os.ErrClosed) {
		err = ErrSpillClosed
	}
	return nil, err
}

// Reader reads the stored bytes without holding them in memory.
func (st *Stored) Reader() io.ReadSeeker {
	return io.NewSectionReader(st.file.f, st.off, int64(st.n))
}

// WriteTo copies the stored bytes to w without holding them in memory
// (io.WriterTo; the build cache saves a spilled part so).
func (st *Stored) WriteTo(w io.Writer) (int64, error) { return io.Copy(w, st.Reader()) }

// Holds reports whether the stored bytes are data: the same length and the
// same 64-bit hash (a change that kept both is one chance in 2⁶⁴), so that
// a file made again with the same bytes is neither read back nor written
// again.
func (st *Stored) Holds(data []byte) bool {
	return st.n == len(data) && st.sum == xxhash.Sum64(data)
}

// Same reports whether two stored files hold the same bytes (see Holds).
func (st *Stored) Same(other *Stored) bool {
	return st == other || (other != nil && st.n == other.n && st.sum == other.sum)
}
