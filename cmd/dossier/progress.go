package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// startProgress shows a spinner on a terminal once a build has run for a
// second, and returns the function that clears it. Off a terminal it does
// nothing, so logs and tests stay clean.
func startProgress(w io.Writer) (stop func()) {
	f, ok := w.(*os.File)
	if !ok {
		return func() {}
	}
	if info, err := f.Stat(); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		start := time.Now()
		select {
		case <-done:
			return
		case <-time.After(time.Second):
		}
		frames := `|/-\`
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-done:
				fmt.Fprint(f, "\r\033[K")
				return
			case <-tick.C:
				fmt.Fprintf(f, "\r%c building… %.1fs", frames[i%len(frames)], time.Since(start).Seconds())
			}
		}
	}()
	return func() { close(done); <-finished }
}
