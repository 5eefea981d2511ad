// Package reads finds what a template reads of the data it executes with,
// from its parse tree, and signs a value by walking exactly those reads:
// two values with equal signatures execute to equal output. The page cache
// uses it to know which pages an edit changed without a hand-kept list: a
// field a template shows is in its plan because the template names it.
//
// A template the analysis cannot follow (a function it does not know, a
// method whose reads are not declared, a field of an interface value) has
// no plan: its pages are executed on every build, never trusted stale.
package reads

import (
	"cmp"
	"encoding/binary"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

type stepKind uint8

const (
	stepField stepKind = iota // a struct field
	stepKey                   // a map entry with a constant key
	stepElem                  // every element of a slice, array or map
)

type step struct {
	kind  stepKind
	index []int  // stepField: the reflect field index
	name  string // the field name or map key
}

// Node is one place in the data that a template reads: what it reads there
// (whether it is true, its length, its whole value) and the places below.
type Node struct {
	typ                  reflect.Type
	step                 step
	truth, length, value bool
	children             []*Node
	key                  string // structure, set by freeze
}

func newNode(typ reflect.Type, s step) *Node { return &Node{typ: typ, step: s} }

// child returns the node below n reached by s, made on first use.
func (n *Node) child(s step, typ reflect.Type) *Node {
	for _, c := range n.children {
		if c.step.kind == s.kind && c.step.name == s.name {
			return c
		}
	}
	c := newNode(typ, s)
	n.children = append(n.children, c)
	return c
}

// Plan is what one template reads of its data, rooted at the value it is
// executed with.
type Plan struct {
	root *Node
	// fresh: signed without memos (Declared: a few fields below each
	// pointer, most read once a build, where a memo would cost more than
	// it saves and stay in memory to the end of the signing).
	fresh bool
}

// Paths lists what the plan reads, one line per read, sorted: ".Dossier.Title
// value", ".Dossiers[] length". For tests and for explaining a plan.
func (p *Plan) Paths() []string {
	var out []string
	var walk func(n *Node, at string)
	walk = func(n *Node, at string) {
		for _, r := range []struct {
			on   bool
			what string
		}{{n.truth, "truth"}, {n.length, "length"}, {n.value, "value"}} {
			if r.on {
				out = append(out, at+" "+r.what)
			}
		}
		for _, c := range n.children {
			switch c.step.kind {
			case stepField:
				walk(c, at+"."+c.step.name)
			case stepKey:
				walk(c, at+"["+strconv.Quote(c.step.name)+"]")
			case stepElem:
				walk(c, at+"[]")
			}
		}
	}
	walk(p.root, "")
	sort.Strings(out)
	return out
}

// freeze orders every node's children and shares equal subtrees between
// plans (through interned), so a signer memoizes a card's reads of a
// dossier once for every page that shows the card.
func freeze(n *Node, interned map[string]*Node) *Node {
	for i, c := range n.children {
		n.children[i] = freeze(c, interned)
	}
	slices.SortFunc(n.children, func(a, b *Node) int { return strings.Compare(a.key, b.key) })
	var b strings.Builder
	b.WriteString(n.typ.String())
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(int(n.step.kind)))
	b.WriteString(strconv.Quote(n.step.name))
	for _, i := range n.step.index { // the same name is another field in another type
		b.WriteString(strconv.Itoa(i))
		b.WriteByte(' ')
	}
	for _, f := range []bool{n.truth, n.length, n.value} {
		b.WriteString(strconv.FormatBool(f))
	}
	b.WriteByte('(')
	for _, c := range n.children {
		b.WriteString(c.key)
		b.WriteByte(',')
	}
	b.WriteByte(')')
	n.key = b.String()
	if same, ok := interned[n.key]; ok {
		return same
	}
	interned[n.key] = n
	return n
}

// Signer signs values along plans. It memoizes what a plan's subtree reads
// below each pointer, so it must live no longer than the data it signs is
// unchanged: one build.
type Signer struct {
	// touch names the entity a pointer is (0: none); a signature lists the
	// entities it passed through, so a cache can find the pages that showed
	// an entity that changed.
	touch  func(reflect.Value) int32
	shards [32]memoShard
	stand  *standIn
}

// standIn signs one field of one struct type by a sum of what its value
// is made from (SumField).
type standIn struct {
	typ   reflect.Type
	field string
	sum   func(v reflect.Value) (uint64, bool)
}

// SumField has the signer sign the field named field of every struct of
// type t by sum(the struct) when sum reports true, in place of the
// field's value: for a value made from a few inputs that is large, or
// out of memory while pages are signed (a rendered body, by the key of
// its text). sum must be a function of what the field holds, and change
// whenever it does; with false, the field's value is signed as usual.
// Call it before the first Sign.
func (s *Signer) SumField(t reflect.Type, field string, sum func(v reflect.Value) (uint64, bool)) {
	s.stand = &standIn{typ: t, field: field, sum: sum}
}

type memoShard struct {
	mu sync.Mutex
	m  map[memoKey]memoEntry
}

type memoKey struct {
	node *Node
	ptr  uintptr
}

type memoEntry struct {
	sum  uint64
	deps []int32
	ok   bool
}

// NewSigner returns a signer; touch may be nil.
func NewSigner(touch func(reflect.Value) int32) *Signer {
	if touch == nil {
		touch = func(reflect.Value) int32 { return 0 }
	}
	return &Signer{touch: touch}
}

// Sign returns the signature of what p reads of v and the entities it
// passed through (sorted, unique). ok is false when v holds what the
// signature cannot cover (a function, a cycle deeper than it follows):
// the page must then be executed.
func (s *Signer) Sign(p *Plan, v any) (sum uint64, deps []int32, ok bool) {
	rv := reflect.ValueOf(v)
	w := walker{s: s, ok: true, fresh: p.fresh}
	if rv.Kind() == reflect.Pointer {
		w.page = rv.Pointer()
	}
	var h Hash
	h.Reset()
	w.node(p.root, rv, &h)
	slices.Sort(w.deps)
	return h.Sum64(), slices.Compact(w.deps), w.ok
}

type walker struct {
	s    *Signer
	deps []int32
	ok   bool
	// page is the address of the value signed, often a copy made for the
	// call: it is never memoized, as its address is another value's once
	// it is freed.
	page uintptr
	// fresh: nothing is memoized (Plan.fresh).
	fresh bool
}

func writeInt(h *Hash, v int64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(v))
	h.Write(b[:])
}

func (w *walker) node(n *Node, v reflect.Value, h *Hash) {
	if n.truth {
		if truth(v) {
			h.WriteByte('t')
		} else {
			h.WriteByte('f')
		}
	}
	if n.length {
		writeInt(h, int64(length(v)))
	}
	if n.value && !deep(h, v, 0) {
		w.ok = false
	}
	if len(n.children) == 0 {
		return
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			h.WriteByte(0)
			return
		}
		if v.Kind() == reflect.Pointer {
			writeInt(h, int64(w.below(n, v)))
			return
		}
		v = v.Elem()
	}
	w.children(n, v, h)
}

// below signs what n's children read below pointer v, once per build.
func (w *walker) below(n *Node, v reflect.Value) uint64 {
	key := memoKey{n, v.Pointer()}
	if key.ptr == w.page || w.fresh {
		sub := walker{s: w.s, ok: true, page: w.page, fresh: w.fresh}
		if key.ptr != w.page {
			if id := w.s.touch(v); id != 0 {
				sub.deps = append(sub.deps, id)
			}
		}
		var h Hash
		h.Reset()
		sub.children(n, v.Elem(), &h)
		w.deps = append(w.deps, sub.deps...)
		w.ok = w.ok && sub.ok
		return h.Sum64()
	}
	shard := &w.s.shards[(key.ptr>>4)%uintptr(len(w.s.shards))]
	shard.mu.Lock()
	e, found := shard.m[key]
	shard.mu.Unlock()
	if !found {
		sub := walker{s: w.s, ok: true, page: w.page}
		if id := w.s.touch(v); id != 0 {
			sub.deps = append(sub.deps, id)
		}
		var h Hash
		h.Reset()
		sub.children(n, v.Elem(), &h)
		e = memoEntry{sum: h.Sum64(), deps: sub.deps, ok: sub.ok}
		shard.mu.Lock()
		if shard.m == nil {
			shard.m = map[memoKey]memoEntry{}
		}
		shard.m[key] = e
		shard.mu.Unlock()
	}
	w.deps = append(w.deps, e.deps...)
	w.ok = w.ok && e.ok
	return e.sum
}

func (w *walker) children(n *Node, v reflect.Value, h *Hash) {
	if !v.IsValid() || (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		h.WriteByte(0)
		return
	}
	h.WriteByte(1)
	for _, c := range n.children {
		switch c.step.kind {
		case stepField:
			if st := w.s.stand; st != nil && c.step.name == st.field && v.Type() == st.typ {
				if sum, ok := st.sum(v); ok {
					h.WriteByte(2) // the field's truth, length or value: what sum stands for
					writeInt(h, int64(sum))
					continue
				}
			}
			f, err := v.FieldByIndexErr(c.step.index)
			if err != nil { // through a nil embedded pointer
				h.WriteByte(0)
				continue
			}
			w.node(c, f, h)
		case stepKey:
			m := v.MapIndex(reflect.ValueOf(c.step.name).Convert(v.Type().Key()))
			if !m.IsValid() {
				h.WriteByte(0)
				continue
			}
			h.WriteByte(1)
			w.node(c, m, h)
		case stepElem:
			w.elems(c, v, h)
		}
	}
}

// elems signs every element of a slice, an array or a map (in key order).
func (w *walker) elems(c *Node, v reflect.Value, h *Hash) {
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		writeInt(h, int64(v.Len()))
		for i := 0; i < v.Len(); i++ {
			w.node(c, v.Index(i), h)
		}
	case reflect.Map:
		keys := v.MapKeys()
		if !sortKeys(keys) {
			w.ok = false
			return
		}
		writeInt(h, int64(len(keys)))
		for _, k := range keys {
			deep(h, k, 0)
			w.node(c, v.MapIndex(k), h)
		}
	default:
		w.ok = false
	}
}

// sortKeys orders string and integer map keys; it reports false for others.
func sortKeys(keys []reflect.Value) bool {
	if len(keys) == 0 {
		return true
	}
	switch keys[0].Kind() {
	case reflect.String:
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(a.Int(), b.Int()) })
	default:
		return false
	}
	return true
}

// truth is text/template's notion of a true value.
func truth(v reflect.Value) bool {
	if !v.IsValid() {
		return false
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() > 0
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() != 0
	case reflect.Float32, reflect.Float64:
		return v.Float() != 0
	case reflect.Complex64, reflect.Complex128:
		return v.Complex() != 0
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.Interface, reflect.UnsafePointer:
		return !v.IsNil()
	}
	return true
}

func length(v reflect.Value) int {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && !v.IsNil() {
		v = v.Elem()
	}
	if !v.IsValid() {
		return -1
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String, reflect.Chan:
		return v.Len()
	}
	return -1
}

// Sum signs a whole value (strings, numbers, dates and the slices, maps and
// structs of them): for what a page shows that its template does not read
// from the page, like the input of a map drawn when the page is executed.
// ok is false when v holds what cannot be signed.
func Sum(v any) (sum uint64, ok bool) {
	var h Hash
	h.Reset()
	ok = deep(&h, reflect.ValueOf(v), 0)
	return h.Sum64(), ok
}

var timeType = reflect.TypeFor[time.Time]()

// maxDepth bounds how far a whole value is followed through pointers and
// interfaces (JSON-LD nests maps a few levels deep).
const maxDepth = 16

// deep writes a whole value; it reports false for what it cannot write.
func deep(h *Hash, v reflect.Value, depth int) bool {
	if !v.IsValid() {
		h.WriteByte(0)
		return true
	}
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		_, offset := t.Zone()
		writeInt(h, t.UnixNano())
		writeInt(h, int64(offset))
		return true
	}
	switch v.Kind() {
	case reflect.String:
		writeInt(h, int64(v.Len()))
		h.WriteString(v.String())
	case reflect.Bool:
		if v.Bool() {
			h.WriteByte(1)
		} else {
			h.WriteByte(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		writeInt(h, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		writeInt(h, int64(v.Uint()))
	case reflect.Float32, reflect.Float64:
		h.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.Slice, reflect.Array:
		writeInt(h, int64(v.Len()))
		for i := 0; i < v.Len(); i++ {
			if !deep(h, v.Index(i), depth) {
				return false
			}
		}
	case reflect.Map:
		return deepMap(h, v, depth)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if !deep(h, v.Field(i), depth) {
				return false
			}
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			h.WriteByte(0)
			return true
		}
		if depth >= maxDepth {
			return false
		}
		h.WriteByte(1)
		if v.Kind() == reflect.Interface {
			h.WriteString(v.Elem().Type().String())
		}
		return deep(h, v.Elem(), depth+1)
	default: // functions, channels, unsafe pointers
		return false
	}
	return true
}

// deepMap writes a map in key order; string keys (JSON-LD, settings) are
// sorted as strings, without a reflect.Value each.
func deepMap(h *Hash, v reflect.Value, depth int) bool {
	writeInt(h, int64(v.Len()))
	if v.Type().Key().Kind() == reflect.String {
		keys := make([]string, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			keys = append(keys, it.Key().String())
		}
		slices.Sort(keys)
		kt := v.Type().Key()
		for _, k := range keys {
			h.WriteString(k)
			h.WriteByte(0)
			if !deep(h, v.MapIndex(reflect.ValueOf(k).Convert(kt)), depth) {
				return false
			}
		}
		return true
	}
	keys := v.MapKeys()
	if !sortKeys(keys) {
		return false
	}
	for _, k := range keys {
		deep(h, k, depth)
		if !deep(h, v.MapIndex(k), depth) {
			return false
		}
	}
	return true
}

// wholeValue reports whether a value of type t can be signed whole without
// following a pointer into the content graph: strings, numbers, dates and
// the slices, maps and structs of them. Interfaces are checked when signed.
func wholeValue(t reflect.Type) bool {
	return wholeValueSeen(t, map[reflect.Type]bool{})
}

func wholeValueSeen(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == timeType || seen[t] {
		return true
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return false
	case reflect.Slice, reflect.Array:
		return wholeValueSeen(t.Elem(), seen)
	case reflect.Map:
		return wholeValueSeen(t.Key(), seen) && wholeValueSeen(t.Elem(), seen)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if !wholeValueSeen(t.Field(i).Type, seen) {
				return false
			}
		}
	}
	return true
}
