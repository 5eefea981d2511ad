package markdown

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// A clock that moves one second at each look makes the limit a count of
// looks, so this test does not depend on the machine's speed.
func TestTimeLimitOnATickingClock(t *testing.T) {
	clock := time.Unix(0, 0)
	e := New(Options{TimeLimit: 10 * time.Second, now: func() time.Time {
		clock = clock.Add(time.Second)
		return clock
	}})
	long := []byte(strings.Repeat("A line with a [link](x) and [[wiki]].\n\n", 2000))
	_, err := e.Parse(context.Background(), long, "en")
	var l *LimitError
	if !errors.As(err, &l) || l.Links != 0 || l.Limit != 10*time.Second || l.Spent <= l.Limit {
		t.Fatalf("a text that outlasts the clock: %v, want a time *LimitError", err)
	}
	if !strings.Contains(err.Error(), "took over 10s") || !strings.Contains(err.Error(), "markup.timeLimit") {
		t.Errorf("message %q does not say what to do", err)
	}
	short := []byte("A short text with a [[link]].\n")
	if _, err := e.Parse(context.Background(), short, "en"); err != nil {
		t.Fatalf("a short text: %v", err)
	}
}

// The inputs on which goldmark is quadratic are stopped from inside the
// parse. Each takes seconds to parse in full; with a limit of 50 ms, a parse
// that did not check its budget in the slow part would end without error.
func TestTimeLimitStopsQuadraticInput(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds of CPU")
	}
	e := New(Options{TimeLimit: 50 * time.Millisecond})
	for name, src := range map[string]string{
		"unclosed links":  strings.Repeat("[a](", 40_000),
		"unclosed images": strings.Repeat("![a](", 40_000),
		"nested quotes":   strings.Repeat("> ", 80_000),
	} {
		_, err := e.Parse(context.Background(), []byte(src), "fr")
		if !IsLimit(err) {
			t.Errorf("%s: %v, want a *LimitError", name, err)
		}
	}
}

func TestCancelledParse(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e := New(Options{})
	_, err := e.Parse(ctx, []byte(strings.Repeat("[a](b) ", 5000)), "fr")
	if !errors.Is(err, context.Canceled) || IsLimit(err) {
		t.Fatalf("a cancelled parse: %v", err)
	}
}

func TestTooManyLinks(t *testing.T) {
	e := New(Options{})
	_, err := e.Parse(context.Background(), []byte(strings.Repeat("[[russia]] ", MaxLinks+1)), "fr")
	var l *LimitError
	if !errors.As(err, &l) || l.Links != MaxLinks+1 {
		t.Fatalf("%d links: %v", MaxLinks+1, err)
	}
	if _, err := e.Parse(context.Background(), []byte(strings.Repeat("[[russia]] ", MaxLinks)), "fr"); err != nil {
		t.Fatalf("%d links: %v", MaxLinks, err)
	}
}
