package images

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	gowebp "github.com/gen2brain/webp"
)

// encoderVersion is part of every cache key: a new resampler, quality
// rule or encoder makes new entries (and new file names) instead of
// serving old bytes. The JPEG and PNG encoders are the standard
// library's, so the Go version counts; WebP is libwebp through
// gen2brain/webp (WebAssembly, or a system libwebp.so when one loads).
func encoderVersion() string {
	return "dossier-images/2 catmull-rom webp-m" + strconv.Itoa(webpMethod) + " " + runtime.Version() + " gen2brain-webp/0.5.5 dynamic=" + strconv.FormatBool(gowebp.Dynamic() == nil)
}

// Processor resizes with a persistent cache keyed by source content and
// parameters. Safe for concurrent use. A cache hit never decodes the source.
type Processor struct {
	cache  *cache
	limits Limits

	mu       sync.Mutex
	inflight map[string]*call // key → the Process or Cover making it

	decodes, hits atomic.Int64
}

type call struct {
	done    chan struct{}
	e       entry
	err     error
	waiters int // callers waiting for it, under Processor.mu
}

// Stats counts what a Processor did: images decoded (cache misses) and
// cache hits.
type Stats struct{ Decoded, Hits int64 }

// Stats returns the counts so far.
func (p *Processor) Stats() Stats { return Stats{Decoded: p.decodes.Load(), Hits: p.hits.Load()} }

// NewProcessor returns a Processor caching in cacheDir ("" = memory only).
func NewProcessor(cacheDir string, limits Limits) (*Processor, error) {
	c, err := openCache(cacheDir)
	if err != nil {
		return nil, err
	}
	return &Processor{cache: c, limits: limits, inflight: map[string]*call{}}, nil
}

// Process makes the variants of spec from the image data; name is the
// source's file name (its stem names the variants). An SVG is checked and
// comes back as its one variant, unchanged.
func (p *Processor) Process(name string, data []byte, spec Spec) (Result, error) {
	h, err := inspect(data, p.limits)
	if err != nil {
		return Result{}, err
	}
	sum := sha256.Sum256(data)
	if h.Format == "svg" {
		v := Variant{Width: h.Width, Height: h.Height, Format: "svg", MIME: mimes["svg"], Data: data}
		v.Name = fmt.Sprintf("%s.%s.svg", stem(name), hex.EncodeToString(sum[:])[:10])
		return Result{Info: h.Info, Variants: []Variant{v}}, nil
	}
	q := spec.quality()
	key := p.key(sum, fmt.Sprintf("process %v %v %d", spec.widths(h.Width), spec.formats(h.Format), q))
	e, err := p.get(key, func() (entry, error) {
		img, err := p.decode(h, data)
		if err != nil {
			return entry{}, err
		}
		return makeVariants(h, img, spec.widths(h.Width), spec.formats(h.Format), q)
	})
	if err != nil {
		return Result{}, err
	}
	return Result{Info: e.info, Variants: named(e.variants, name, key)}, nil
}

// makeVariants resizes img to each width and encodes each size in each
// format, the encodings spread over the cores (each is one thread of work).
func makeVariants(h header, img *image.RGBA, widths []int, formats []string, q int) (entry, error) {
	e := entry{info: h.Info, variants: make([]Variant, len(widths)*len(formats))}
	errs := make([]error, len(e.variants))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, w := range widths {
		small := resize(img, w, height(h.Width, h.Height, w))
		for j, f := range formats {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				b, err := encode(small, f, q)
				e.variants[j*len(widths)+i] = Variant{Width: w, Height: small.Rect.Dy(), Format: f, Data: b}
				errs[j*len(widths)+i] = err
			})
		}
	}
	wg.Wait()
	return e, errors.Join(errs...)
}

// Cover crops to fill w×h (centred) and encodes JPEG: the social card made
// from a lead image. A source smaller than w×h is cropped to the aspect
// and not enlarged.
func (p *Processor) Cover(name string, data []byte, w, h int) (Variant, error) {
	if w <= 0 || h <= 0 {
		return Variant{}, fmt.Errorf("images: cover of %d × %d", w, h)
	}
	hd, err := inspect(data, p.limits)
	if err != nil {
		return Variant{}, err
	}
	sum := sha256.Sum256(data)
	key := p.key(sum, fmt.Sprintf("cover %dx%d %d", w, h, DefaultQuality))
	e, err := p.get(key, func() (entry, error) {
		img, err := p.decode(hd, data)
		if err != nil {
			return entry{}, err
		}
		c := cover(img, w, h)
		b, err := encode(c, "jpeg", DefaultQuality)
		if err != nil {
			return entry{}, err
		}
		return entry{info: hd.Info, variants: []Variant{{Width: c.Rect.Dx(), Height: c.Rect.Dy(), Format: "jpeg", Data: b}}}, nil
	})
	if err != nil {
		return Variant{}, err
	}
	v := named(e.variants, name, key)[0]
	v.Name = fmt.Sprintf("%s.%s.%dx%d.jpg", stem(name), key[:10], v.Width, v.Height)
	return v, nil
}

func (p *Processor) decode(h header, data []byte) (*image.RGBA, error) {
	p.decodes.Add(1)
	return decode(h, data)
}

// key is the cache key: what is made (op), of which source, by which
// encoders.
func (p *Processor) key(source [32]byte, op string) string {
	k := sha256.New()
	fmt.Fprintf(k, "%s\x00%s\x00%x", encoderVersion(), op, source)
	return hex.EncodeToString(k.Sum(nil))
}

// named gives each variant its file name and MIME type.
func named(vs []Variant, source, key string) []Variant {
	out := make([]Variant, len(vs))
	for i, v := range vs {
		v.Name = fmt.Sprintf("%s.%s.%d.%s", stem(source), key[:10], v.Width, exts[v.Format])
		v.MIME = mimes[v.Format]
		out[i] = v
	}
	return out
}

// get returns the entry of key from the cache, or makes it once (callers
// asking for the same key meanwhile wait for it) and stores it.
func (p *Processor) get(key string, build func() (entry, error)) (entry, error) {
	e, _, err := p.getShared(key, build)
	return e, err
}

// getShared is get, and reports whether the entry's bytes may be held by
// another: the memory-only cache, or the other callers that waited for
// the same call (they share one copy of the maker's entry).
func (p *Processor) getShared(key string, build func() (entry, error)) (entry, bool, error) {
	p.mu.Lock()
	if c, ok := p.inflight[key]; ok {
		c.waiters++
		p.mu.Unlock()
		<-c.done
		return c.e, true, c.err
	}
	c := &call{done: make(chan struct{})}
	p.inflight[key] = c
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.inflight, key)
		waited := c.waiters > 0
		p.mu.Unlock()
		if waited {
			// The waiters get bytes of their own, not this caller's,
			// which it may hand on and see reused (Cached).
			c.e.variants = slices.Clone(c.e.variants)
			for i := range c.e.variants {
				c.e.variants[i].Data = bytes.Clone(c.e.variants[i].Data)
			}
		}
		close(c.done)
	}()
	shared := p.cache.mem != nil
	if e, ok := p.cache.load(key); ok {
		p.hits.Add(1)
		c.e = e
		return e, shared, nil
	}
	c.e, c.err = build()
	if c.err == nil {
		p.cache.store(key, c.e) // a copy on disk
	}
	return c.e, shared, c.err
}

// Cached returns the file named name from the cache, or makes it with
// build and keeps it: for files made from something else than an image,
// such as the social cards (package cards), whose name is the fingerprint
// of what they show. It counts as used for Prune. The bytes are the
// caller's own when build's are: a hit on disk is read for this call
// alone, and what the processor holds (a memory-only cache, a call
// another caller waited for) is copied.
func (p *Processor) Cached(name string, build func() ([]byte, error)) ([]byte, error) {
	e, shared, err := p.getShared(fileKey(name), func() (entry, error) {
		data, err := build()
		return entry{variants: []Variant{{Format: "file", Data: data}}}, err
	})
	if err != nil {
		return nil, err
	}
	if shared {
		return bytes.Clone(e.variants[0].Data), nil
	}
	return e.variants[0].Data, nil
}

// ReadInto makes the processor read each cache entry into the bytes
// buffer gives (n: the entry's size): a caller that recycles what it
// wrote (a one-shot build's writer) hands out buffers it will have back.
// Call it before any other method.
func (p *Processor) ReadInto(buffer func(n int) []byte) { p.cache.buffer = buffer }

// Keep counts the file named name (see Cached) as used for Prune without
// reading it: a caller that needs no bytes of it (a build whose
// destination holds the file already) keeps it for a later build that
// does.
func (p *Processor) Keep(name string) {
	p.cache.mu.Lock()
	p.cache.used[fileKey(name)] = true
	p.cache.mu.Unlock()
}

// fileKey is the cache key of a file made by Cached.
func fileKey(name string) string {
	k := sha256.Sum256([]byte("file\x00" + name))
	return hex.EncodeToString(k[:])
}

// Prune removes cache entries no Process/Cover of this Processor used (call
// after a good full build).
func (p *Processor) Prune() error { return p.cache.prune() }
