//go:build unix

package graph

import "syscall"

// cpuTime returns the CPU time (user and system) used by the process so
// far in nanoseconds, or -1 when unknown.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return -1
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
