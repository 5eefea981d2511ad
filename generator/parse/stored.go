package parse

import (
	"bufio"
	"encoding/binary"
	"io"
	"slices"
	"time"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/load"
	"github.com/dossier-ssg/dossier/generator/markdown"
	"github.com/dossier-ssg/dossier/generator/model"
)

// A Cache is stored as bytes between one-shot builds (the build cache on
// disk, package buildcache, keeps them as they are): what parse made of
// each cleanly parsed file, by its path, stamp and size. A compact
// Markdown Doc is stored as what ParseCompact kept (its links and
// images); a text that is a part of its file (a body after its front
// matter) as its place in the file. A stored entry is decoded when a file
// of the same path, size and stamp is looked up, so an unchanged file is
// never parsed again; an entry that does not decode is a miss.

// storedVersion starts the bytes: another version is an empty cache.
const storedVersion = 1

// Kinds of stored value.
const (
	storedDossier = iota + 1
	storedQuotes
	storedActor
	storedTreaty
)

// stored is an entry of a decoded Cache not looked up yet.
type stored struct {
	raw  []byte // the encoded value
	kind byte
	size int // the file's length in bytes
}

// Encode returns the cache's values for files, the files of the build
// that just ran, in their order; a file with no value (it had errors, or
// a value Encode cannot store) is left out. Entries of other files are
// not stored: the next build does not have them.
func (c *Cache) Encode(files []load.File) []byte {
	// The head (version and count) goes in front of the entries once they
	// are counted: room is kept for it, so the entries are not copied.
	const room = 1 + binary.MaxVarintLen64
	// The entries a build took from the last one are bytes already: the
	// buffer is made their size at once (most of a rebuild's ~100 MB at
	// 10,000 dossiers), not grown to it, copying, from a small one; the
	// values this build parsed grow it as they are encoded.
	size := room + 64<<10
	for _, f := range files {
		if e, ok := c.entries[f.Path]; ok && e.value != nil && e.raw != nil {
			size += len(f.Path) + len(e.raw) + 1 + 8 + 3*binary.MaxVarintLen64
		}
	}
	body := make([]byte, room, size)
	n := 0
	var scratch []byte
	for _, f := range files {
		var ok bool
		if body, scratch, ok = c.appendEntry(body, scratch, f); ok {
			n++
		}
	}
	head := encodedHead(n)
	start := room - len(head)
	copy(body[start:], head)
	return body[start:]
}

// EncodeTo writes what Encode returns to w, never all of it in memory
// (tens of MB at 10,000 dossiers, made while the stored bytes it copies
// are still held: the build cache writes it to its spill file). The head
// of those bytes (their version and count) is known only once the entries
// are written: EncodeTo writes the entries and returns the head, which
// goes in front of them.
func (c *Cache) EncodeTo(w io.Writer, files []load.File) (head []byte, written int64, err error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	var entry, scratch []byte
	n := 0
	for _, f := range files {
		var ok bool
		if entry, scratch, ok = c.appendEntry(entry[:0], scratch, f); !ok {
			continue
		}
		if _, err := bw.Write(entry); err != nil {
			return nil, written, err
		}
		written += int64(len(entry))
		n++
	}
	if err := bw.Flush(); err != nil {
		return nil, written, err
	}
	return encodedHead(n), written, nil
}

// encodedHead is the head of the bytes of n entries.
func encodedHead(n int) []byte { return binary.AppendUvarint([]byte{storedVersion}, uint64(n)) }

// appendEntry appends the entry of f to b; ok is false when f has none.
// A value parsed by this build is encoded in scratch, returned for the
// next.
func (c *Cache) appendEntry(b, scratch []byte, f load.File) (_, _ []byte, ok bool) {
	e, ok := c.entries[f.Path]
	if !ok || e.value == nil || !sameBytes(e.data, f.Data) {
		return b, scratch, false
	}
	kind, raw := e.kind, e.raw
	if raw == nil { // parsed by this build
		enc := encoder{data: f.Data, b: scratch[:0]}
		kind, raw = enc.value(e.value), enc.b
		scratch = enc.b
		if kind == 0 || enc.bad {
			return b, scratch, false
		}
	}
	b = appendString(b, f.Path)
	b = binary.LittleEndian.AppendUint64(b, e.stamp)
	b = binary.AppendUvarint(b, uint64(len(f.Data)))
	b = append(b, kind)
	b = binary.AppendUvarint(b, uint64(len(raw)))
	return append(b, raw...), scratch, true
}

// DecodeCache returns the cache stored in data (see Encode), whose
// Markdown texts are compact Docs of engine. Stored entries are decoded
// when looked up. Bytes of another version, or cut short, are an empty
// cache: the files are parsed again.
func DecodeCache(data []byte, engine *markdown.Engine) *Cache {
	c := NewCache()
	c.engine = engine
	if len(data) == 0 || data[0] != storedVersion {
		return c
	}
	r := decoder{data: data[1:]}
	n := r.uvarint()
	if n > uint64(len(r.data)) { // each entry takes more than a byte
		return c
	}
	for range n {
		path := r.str()
		stamp := r.u64()
		size := r.uvarint()
		kind := r.byte()
		raw := r.bytes()
		if r.bad {
			return empty(engine)
		}
		c.entries[path] = cacheEntry{stamp: stamp, stored: &stored{raw: raw, kind: kind, size: int(size)}}
	}
	if r.bad || len(r.data) != 0 {
		return empty(engine)
	}
	return c
}

// empty is the cache of stored bytes that cannot be read.
func empty(engine *markdown.Engine) *Cache {
	c := NewCache()
	c.engine = engine
	return c
}

// lookUpStored decodes the stored entry e for f when f is the file it was
// made from; the caller holds the lock.
func (c *Cache) lookUpStored(e cacheEntry, f load.File) (any, bool) {
	s := e.stored
	if s.size != len(f.Data) || e.stamp != fileStamp(f) {
		return nil, false
	}
	d := decoder{data: s.raw, file: f.Data, path: f.Path, engine: c.engine}
	v := d.value(s.kind)
	if d.bad || len(d.data) != 0 || v == nil {
		delete(c.entries, f.Path)
		return nil, false
	}
	c.entries[f.Path] = cacheEntry{data: f.Data, value: v, stamp: e.stamp, raw: s.raw, kind: s.kind}
	c.storedHits++
	return v, true
}

// StoredHits counts the files whose value came from the stored cache.
func (c *Cache) StoredHits() int {
	if c == nil {
		return 0
	}
	c.lock()
	defer c.unlock()
	return c.storedHits
}

// sameBytes reports whether a and b hold the same bytes; the same slice,
// as loading hands over, ends it at once.
func sameBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0] || string(a) == string(b)
}

// encoder writes one value; data is its file's bytes. bad is set when
// the value holds what parse never makes (what a later stage fills):
// it is not stored.
type encoder struct {
	b    []byte
	data []byte
	bad  bool
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func (e *encoder) str(s string) { e.b = appendString(e.b, s) }
func (e *encoder) int(v int)    { e.b = binary.AppendVarint(e.b, int64(v)) }
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// count writes the length of a slice, 0 for a nil one.
func (e *encoder) count(n int, isNil bool) {
	if isNil {
		e.b = append(e.b, 0)
		return
	}
	e.b = binary.AppendUvarint(e.b, uint64(n)+1)
}

func (e *encoder) strs(list []string) {
	e.count(len(list), list == nil)
	for _, s := range list {
		e.str(s)
	}
}

func (e *encoder) ints(list []int) {
	e.count(len(list), list == nil)
	for _, v := range list {
		e.int(v)
	}
}

func (e *encoder) pos(p diag.Pos) {
	e.str(p.File)
	e.int(p.Line)
	e.int(p.Col)
}

func (e *encoder) date(d model.Date) {
	b, err := d.MarshalBinary()
	if err != nil {
		e.bad = true
	}
	e.str(string(b))
}

func (e *encoder) ref(r model.Ref) {
	e.str(r.Slug)
	e.pos(r.Pos)
	e.str(r.Text)
}

func (e *encoder) refs(list []model.Ref) {
	e.count(len(list), list == nil)
	for _, r := range list {
		e.ref(r)
	}
}

func (e *encoder) image(im *model.Image) {
	e.bool(im != nil)
	if im == nil {
		return
	}
	e.str(im.Src)
	e.str(im.File)
	e.str(im.Alt)
	e.bool(im.Decorative)
	e.str(im.Caption)
	e.str(im.Credit)
	e.pos(im.Pos)
}

// src writes a text: nil, its place in the file, or its bytes.
func (e *encoder) src(s []byte) {
	switch off, in := within(e.data, s); {
	case s == nil:
		e.b = append(e.b, 0)
	case in:
		e.b = append(e.b, 1)
		e.int(off)
		e.int(len(s))
	default:
		e.b = append(e.b, 2)
		e.str(string(s))
	}
}

// within reports whether s is a part of data that ends where data's
// array ends (a body after its front matter), and where it starts.
func within(data, s []byte) (int, bool) {
	if cap(s) == 0 || cap(data) == 0 || cap(s) > cap(data) {
		return 0, false
	}
	off := cap(data) - cap(s)
	if &data[:cap(data)][cap(data)-1] != &s[:cap(s)][cap(s)-1] || off+len(s) > len(data) {
		return 0, false
	}
	return off, true
}

func (e *encoder) body(b *model.Body) {
	if b.HTML != "" || b.Links != nil || b.Targets != nil || b.LinkSig != "" || b.Figures != nil || b.FigureSig != "" {
		e.bad = true // filled by a later stage: never in parse's values
	}
	e.str(b.File)
	e.src(b.Src)
	e.int(b.FirstLine)
	e.bool(b.Inline)
	e.ints(b.Indent)
	doc, _ := b.Doc.(*markdown.Doc)
	switch {
	case b.Doc == nil:
		e.b = append(e.b, 0)
		return
	case doc == nil || !doc.IsCompact() || len(doc.Src) != len(b.Src) || (len(doc.Src) > 0 && &doc.Src[0] != &b.Src[0]):
		e.bad = true
		return
	}
	e.b = append(e.b, 1)
	e.str(doc.Lang)
	links := doc.Links()
	e.count(len(links), links == nil)
	for _, l := range links {
		e.bool(l.Wiki)
		e.str(l.Target)
		e.str(l.Fragment)
		e.str(l.Label)
		e.str(l.Dest)
		e.int(l.Offset)
	}
	images := doc.Images()
	e.count(len(images), images == nil)
	for _, im := range images {
		e.str(im.Dest)
		e.str(im.Alt)
		e.str(im.Title)
		e.bool(im.Alone)
		e.int(im.Offset)
	}
}

// value writes what parse made of a file and returns its kind, 0 for a
// value of no kind it stores.
func (e *encoder) value(v any) byte {
	switch v := v.(type) {
	case *model.Dossier:
		e.dossier(v)
		return storedDossier
	case []*model.Quote:
		e.count(len(v), v == nil)
		for _, q := range v {
			e.quote(q)
		}
		return storedQuotes
	case *model.Actor:
		e.actor(v)
		return storedActor
	case *model.Treaty:
		e.treaty(v)
		return storedTreaty
	}
	return 0
}

func (e *encoder) dossier(d *model.Dossier) {
	if d.Quotes != nil || d.Attachments != nil || d.ActorList != nil || d.TreatyList != nil || d.Related != nil ||
		d.MentionedBy != nil || d.Picture != nil || d.Card != nil {
		e.bad = true
	}
	e.b = binary.LittleEndian.AppendUint64(e.b, d.Stamp)
	e.str(d.Slug)
	e.str(d.File)
	e.str(d.Title)
	e.date(d.Date)
	e.str(d.Lang)
	e.str(d.Summary)
	e.str(d.Source.Publisher)
	e.str(d.Source.URL)
	e.date(d.Source.Published)
	e.str(d.Source.Author)
	e.date(d.Updated)
	e.strs(d.Authors)
	e.refs(d.Actors)
	e.refs(d.Treaties)
	e.refs(d.Tags)
	e.bool(d.Draft)
	e.refs(d.RedirectFrom)
	e.image(d.Image)
	e.body(&d.Body)
}

func (e *encoder) quote(q *model.Quote) {
	if q.Dossier != nil || q.SpeakerActor != nil || q.Card != nil {
		e.bad = true
	}
	e.str(q.ID)
	e.str(q.Lang)
	e.ref(q.Speaker)
	e.date(q.Date)
	e.bool(q.Undated)
	e.str(q.Kind)
	e.bool(q.Key)
	e.str(q.SourceURL)
	e.body(&q.Text)
	e.body(&q.Context)
	e.pos(q.Pos)
}

func (e *encoder) actor(a *model.Actor) {
	if a.CountryActor != nil || a.Citizens != nil || a.Dossiers != nil || a.Quotes != nil || a.Treaties != nil ||
		a.RelatedTo != nil || a.MentionedBy != nil || a.Picture != nil || a.Card != nil {
		e.bad = true
	}
	e.b = binary.LittleEndian.AppendUint64(e.b, a.Stamp)
	e.str(a.Slug)
	e.str(a.File)
	e.str(a.Lang)
	e.str(a.Name)
	e.str(a.Kind)
	e.refs(a.Aliases)
	e.str(a.Role)
	e.ref(a.Country)
	e.refs(a.RedirectFrom)
	e.image(a.Image)
	e.body(&a.Body)
}

func (e *encoder) treaty(t *model.Treaty) {
	if t.PartyList != nil || t.SignatoryList != nil || t.SupersedesList != nil || t.SupersededByItem != nil ||
		t.Chain != nil || t.Dossiers != nil || t.Picture != nil || t.Card != nil {
		e.bad = true
	}
	e.b = binary.LittleEndian.AppendUint64(e.b, t.Stamp)
	e.str(t.Slug)
	e.str(t.File)
	e.str(t.Lang)
	e.str(t.Title)
	e.str(t.Kind)
	e.date(t.Signed)
	e.refs(t.Parties)
	e.refs(t.Signatories)
	e.str(t.Status)
	e.refs(t.Supersedes)
	e.ref(t.SupersededBy)
	e.refs(t.RedirectFrom)
	e.image(t.Image)
	e.body(&t.Body)
}

// decoder reads what encoder wrote; bad is set, and zero values returned,
// past the end or on a value out of range. file is the bytes of the file
// the value was made from, engine the one of its Docs.
type decoder struct {
	data   []byte
	bad    bool
	file   []byte
	path   string
	engine *markdown.Engine
}

func (d *decoder) fail() {
	d.bad, d.data = true, nil
}

func (d *decoder) byte() byte {
	if len(d.data) < 1 {
		d.fail()
		return 0
	}
	b := d.data[0]
	d.data = d.data[1:]
	return b
}

func (d *decoder) u64() uint64 {
	if len(d.data) < 8 {
		d.fail()
		return 0
	}
	v := binary.LittleEndian.Uint64(d.data)
	d.data = d.data[8:]
	return v
}

func (d *decoder) uvarint() uint64 {
	v, k := binary.Uvarint(d.data)
	if k <= 0 {
		d.fail()
		return 0
	}
	d.data = d.data[k:]
	return v
}

func (d *decoder) int() int {
	v, k := binary.Varint(d.data)
	if k <= 0 || v != int64(int(v)) {
		d.fail()
		return 0
	}
	d.data = d.data[k:]
	return int(v)
}

func (d *decoder) bool() bool {
	switch d.byte() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail()
	return false
}

// bytes reads a length and as many bytes, a part of the data.
func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if n > uint64(len(d.data)) {
		d.fail()
		return nil
	}
	b := d.data[:n:n]
	d.data = d.data[n:]
	return b
}

func (d *decoder) str() string { return string(d.bytes()) }

// count reads the length of a slice (isNil for a nil one), bounded by the
// bytes left: each element takes at least one.
func (d *decoder) count() (n int, isNil bool) {
	v := d.uvarint()
	if v == 0 {
		return 0, true
	}
	if v-1 > uint64(len(d.data)) {
		d.fail()
		return 0, true
	}
	return int(v - 1), false
}

// list reads a count, then that many elements with elem: nil when the
// encoder wrote a nil slice.
func list[T any](d *decoder, elem func() T) []T {
	n, isNil := d.count()
	if isNil {
		return nil
	}
	out := make([]T, n)
	for i := range out {
		out[i] = elem()
	}
	return out
}

func (d *decoder) strs() []string { return list(d, d.str) }

func (d *decoder) ints() []int { return list(d, d.int) }

func (d *decoder) pos() diag.Pos {
	return diag.Pos{File: d.name(), Line: d.int(), Col: d.int()}
}

// name reads a file name, most often the path of the entry's own file:
// that string is shared.
func (d *decoder) name() string {
	b := d.bytes()
	if string(b) == d.path {
		return d.path
	}
	return string(b)
}

func (d *decoder) date() model.Date {
	var t time.Time
	if err := t.UnmarshalBinary(d.bytes()); err != nil {
		d.fail()
	}
	return model.Date{Time: t}
}

func (d *decoder) ref() model.Ref {
	return model.Ref{Slug: d.str(), Pos: d.pos(), Text: d.str()}
}

func (d *decoder) refs() []model.Ref { return list(d, d.ref) }

func (d *decoder) image() *model.Image {
	if !d.bool() {
		return nil
	}
	return &model.Image{Src: d.str(), File: d.str(), Alt: d.str(), Decorative: d.bool(), Caption: d.str(), Credit: d.str(), Pos: d.pos()}
}

// src reads a text written by encoder.src.
func (d *decoder) src() []byte {
	switch d.byte() {
	case 0:
		return nil
	case 1:
		off, n := d.int(), d.int()
		if off < 0 || n < 0 || off > len(d.file) || n > len(d.file)-off {
			d.fail()
			return nil
		}
		return d.file[off : off+n]
	case 2:
		return slices.Clone(d.bytes())
	}
	d.fail()
	return nil
}

func (d *decoder) body() model.Body {
	b := model.Body{File: d.name(), Src: d.src(), FirstLine: d.int(), Inline: d.bool(), Indent: d.ints()}
	switch d.byte() {
	case 0:
		return b
	case 1:
	default:
		d.fail()
		return b
	}
	lang := d.str()
	links := list(d, func() markdown.Link {
		return markdown.Link{Wiki: d.bool(), Target: d.str(), Fragment: d.str(), Label: d.str(), Dest: d.str(), Offset: d.int()}
	})
	images := list(d, func() markdown.Image {
		return markdown.Image{Dest: d.str(), Alt: d.str(), Title: d.str(), Alone: d.bool(), Offset: d.int()}
	})
	if !d.bad {
		b.Doc = d.engine.Compact(b.Src, lang, links, images)
	}
	return b
}

func (d *decoder) value(kind byte) any {
	switch kind {
	case storedDossier:
		return d.dossier()
	case storedQuotes:
		quotes := list(d, d.quote)
		if quotes == nil {
			return nil // an untyped nil, as for a file of no quotes
		}
		return quotes
	case storedActor:
		return d.actor()
	case storedTreaty:
		return d.treaty()
	}
	d.fail()
	return nil
}

func (d *decoder) dossier() *model.Dossier {
	return &model.Dossier{Stamp: d.u64(), Slug: d.str(), File: d.name(), Title: d.str(), Date: d.date(), Lang: d.str(),
		Summary: d.str(), Source: model.Source{Publisher: d.str(), URL: d.str(), Published: d.date(), Author: d.str()},
		Updated: d.date(), Authors: d.strs(), Actors: d.refs(), Treaties: d.refs(), Tags: d.refs(), Draft: d.bool(),
		RedirectFrom: d.refs(), Image: d.image(), Body: d.body()}
}

func (d *decoder) quote() *model.Quote {
	return &model.Quote{ID: d.str(), Lang: d.str(), Speaker: d.ref(), Date: d.date(), Undated: d.bool(), Kind: d.str(),
		Key: d.bool(), SourceURL: d.str(), Text: d.body(), Context: d.body(), Pos: d.pos()}
}

func (d *decoder) actor() *model.Actor {
	return &model.Actor{Stamp: d.u64(), Slug: d.str(), File: d.name(), Lang: d.str(), Name: d.str(), Kind: d.str(),
		Aliases: d.refs(), Role: d.str(), Country: d.ref(), RedirectFrom: d.refs(), Image: d.image(), Body: d.body()}
}

func (d *decoder) treaty() *model.Treaty {
	return &model.Treaty{Stamp: d.u64(), Slug: d.str(), File: d.name(), Lang: d.str(), Title: d.str(), Kind: d.str(),
		Signed: d.date(), Parties: d.refs(), Signatories: d.refs(), Status: d.str(), Supersedes: d.refs(),
		SupersededBy: d.ref(), RedirectFrom: d.refs(), Image: d.image(), Body: d.body()}
}
