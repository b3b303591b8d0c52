//go:build unix

package parse

import (
	"syscall"
	"time"
)

// appCPUTime is the process's user+system CPU time, so that benchmarks can
// report throughput per CPU-second on a machine shared with other work.
func appCPUTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
