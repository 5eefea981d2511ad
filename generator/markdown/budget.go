package markdown

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// goldmark is quadratic on some inputs (thousands of unclosed links "[a](",
// of nested "> "; docs/reliability.md). A parse cannot be interrupted from
// outside, so it checks a budget from inside, at points every such input
// passes through often: each line the block parser reads and each "[", "!"
// and "]" the inline parser meets. Going over the budget aborts the parse
// with a *LimitError; so does the cancellation of its context (a newer save
// in watch mode).

// DefaultTimeLimit is how long one text may take to parse. A long article
// parses in milliseconds; the limit only catches pathological input.
const DefaultTimeLimit = 10 * time.Second

// MaxLinks bounds the [[wikilinks]] of one text: each costs memory until the
// site is written (the figures: docs/reliability.md).
const MaxLinks = 250_000

// LimitError says a text went over a limit while it was parsed.
type LimitError struct {
	Links int           // when the link count was over MaxLinks
	Spent time.Duration // when the time limit ran out
	Limit time.Duration
}

func (e *LimitError) Error() string {
	if e.Links > 0 {
		return fmt.Sprintf("more than %d [[links]] in one text; split it", MaxLinks)
	}
	return fmt.Sprintf("reading this text as Markdown took over %s, which only some patterns cause, such as thousands of unclosed links \"[a](\" or of nested \"> \"; simplify it, or raise markup.timeLimit in dossier.toml", e.Limit)
}

// budget is the allowance of one parse. It lives in the parser's context.
type budget struct {
	ctx      context.Context
	start    time.Time
	limit    time.Duration
	now      func() time.Time // time.Now; tests tick it by hand
	calls    int
	links    int
	maxLinks int
}

var budgetKey = parser.NewContextKey()

// checkEvery is how many checks pass between two looks at the clock: a
// look costs more than the work between two checks.
const checkEvery = 256

func (b *budget) check() {
	if b == nil {
		return
	}
	b.calls++
	if b.calls%checkEvery != 0 {
		return
	}
	if b.ctx != nil && b.ctx.Err() != nil {
		panic(abort{b.ctx.Err()})
	}
	if spent := b.now().Sub(b.start); b.limit > 0 && spent > b.limit {
		panic(abort{&LimitError{Spent: spent, Limit: b.limit}})
	}
}

func (b *budget) link() {
	if b == nil {
		return
	}
	b.links++
	if b.links > b.maxLinks {
		panic(abort{&LimitError{Links: b.links}})
	}
}

// abort carries the reason out of goldmark by panic; Parse recovers it.
type abort struct{ err error }

func budgetOf(pc parser.Context) *budget {
	b, _ := pc.Get(budgetKey).(*budget)
	return b
}

// budgetParser is an inline parser that parses nothing: it is consulted
// first at every "[", "!" and "]" and checks the budget.
type budgetParser struct{}

func (budgetParser) Trigger() []byte { return []byte{'[', '!', ']'} }

func (budgetParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	budgetOf(pc).check()
	return nil
}

// budgetReader checks the budget at every line the block parser reads.
type budgetReader struct {
	text.Reader
	b *budget
}

func (r budgetReader) PeekLine() ([]byte, text.Segment) {
	r.b.check()
	return r.Reader.PeekLine()
}

func (r budgetReader) AdvanceLine() {
	r.b.check()
	r.Reader.AdvanceLine()
}

// parseWithin runs parse, turning an abort into its error.
func parseWithin(parse func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			a, ok := r.(abort)
			if !ok {
				panic(r)
			}
			err = a.err
		}
	}()
	parse()
	return nil
}

// IsLimit reports whether err is a text over a limit (rather than a
// cancellation).
func IsLimit(err error) bool {
	var l *LimitError
	return errors.As(err, &l)
}
