// Package diag owns build diagnostics: a position in a source file, a message a
// curator can act on, and the list that collects every problem of a build so
// that all of them are reported, sorted, instead of stopping at the first.
package diag

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Pos is a place in a source file. Line and Col are 1-based; Col counts bytes,
// as Go's own tools do, so editors can jump to it. A zero Line means "the whole file".
type Pos struct {
	File string // slash-separated, relative to the site root: content/actors/kim.md
	Line int
	Col  int
}

// Less orders positions by file, line and column.
func (p Pos) Less(q Pos) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Diagnostic is one problem found while building.
type Diagnostic struct {
	Pos     Pos
	Message string
	// Source is the offending source line, shown under the message in the
	// dev-server overlay. Optional.
	Source string
}

func (d Diagnostic) String() string { return d.Pos.String() + ": " + d.Message }

// Error lets a single diagnostic travel as an error.
func (d Diagnostic) Error() string { return d.String() }

// List collects diagnostics from concurrent stages. The zero value is ready to use.
type List struct {
	mu    sync.Mutex
	items []Diagnostic
}

// Add records a problem at pos.
func (l *List) Add(pos Pos, format string, args ...any) {
	l.Append(Diagnostic{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// Append records a prepared diagnostic.
func (l *List) Append(d ...Diagnostic) {
	l.mu.Lock()
	l.items = append(l.items, d...)
	l.mu.Unlock()
}

// Len reports how many problems were recorded.
func (l *List) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.items)
}

// Sorted returns the problems ordered by file, line, column and message, with
// exact duplicates removed, so output is stable whatever order workers ran in.
func (l *List) Sorted() []Diagnostic {
	l.mu.Lock()
	items := append([]Diagnostic(nil), l.items...)
	l.mu.Unlock()
	sort.Slice(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Message < b.Message
	})
	out := items[:0]
	for i, d := range items {
		if i > 0 && d.Pos == items[i-1].Pos && d.Message == items[i-1].Message {
			continue
		}
		out = append(out, d)
	}
	return out
}

// Errors is the error a failed build returns: every diagnostic, sorted.
type Errors []Diagnostic

func (e Errors) Error() string {
	var b strings.Builder
	for i, d := range e {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.String())
	}
	return b.String()
}

// Err returns nil when the list is empty, else the sorted Errors.
func (l *List) Err() error {
	if l.Len() == 0 {
		return nil
	}
	return Errors(l.Sorted())
}

// LineIndex converts byte offsets of one source text into line and column.
type LineIndex struct {
	starts []int // byte offset where each line begins
	src    []byte
}

// NewLineIndex indexes src.
func NewLineIndex(src []byte) *LineIndex {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &LineIndex{starts: starts, src: src}
}

// Pos returns the 1-based line and column of byte offset off in file.
func (x *LineIndex) Pos(file string, off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > len(x.src) {
		off = len(x.src)
	}
	line := sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > off }) - 1
	return Pos{File: file, Line: line + 1, Col: off - x.starts[line] + 1}
}

// Line returns the text of 1-based line n without its line ending.
func (x *LineIndex) Line(n int) string {
	if n < 1 || n > len(x.starts) {
		return ""
	}
	start := x.starts[n-1]
	end := len(x.src)
	if n < len(x.starts) {
		end = x.starts[n] - 1
	}
	return strings.TrimRight(string(x.src[start:end]), "\r")
}

// Suggest returns the candidate closest to name by edit distance, or "" when
// none is close enough to be a plausible typo.
func Suggest(name string, candidates []string) string {
	best, bestDist := "", len(name)/3+2
	for _, c := range candidates {
		if d := distance(name, c); d < bestDist || (d == bestDist && c < best) {
			best, bestDist = c, d
		}
	}
	return best
}

// DidYouMean formats a suggestion suffix: ` (did you mean "x"?)` or "".
func DidYouMean(name string, candidates []string) string {
	if s := Suggest(name, candidates); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// distance is the Levenshtein edit distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
