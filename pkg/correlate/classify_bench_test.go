//go:build unix

package correlate

import (
	"syscall"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// benchCPU returns the CPU time (user+system) this process has used. The
// benchmarks report throughput per CPU second beside Go's wall-clock MB/s:
// on a shared machine (other jobs on the same cores) wall time measures the
// neighbours, CPU time measures the code.
func benchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchReportCPU adds cpu-MB/s and cpu-ns/event metrics for a run that
// classified events events of bytes bytes in total, using cpu.
func benchReportCPU(b *testing.B, cpu time.Duration, bytes, events int64) {
	if cpu <= 0 || events == 0 {
		return
	}
	b.ReportMetric(float64(bytes)/cpu.Seconds()/1e6, "cpu-MB/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(events), "cpu-ns/event")
}

// benchMix builds 10,000 events: 99% from benchInfo, 1% from benchErrors.
func benchMix() ([]event.Event, int64) {
	var evs []event.Event
	var n int64
	for i := 0; i < 10000; i++ {
		var ev event.Event
		if i%100 == 50 {
			ev = benchErrors[(i/100)%len(benchErrors)]
		} else {
			ev = benchInfo[i%len(benchInfo)]
		}
		evs = append(evs, ev)
		n += int64(len(ev.Message)) + 1
	}
	return evs, n
}

// BenchmarkClassify measures throughput over the realistic mix, in bytes of
// message per second. The facts set on the 1% of error events are dropped
// after each round, so that every round allocates them again.
func BenchmarkClassify(b *testing.B) {
	c := NewClassifier()
	evs, n := benchMix()
	var errs []int
	for i := range evs {
		if evs[i].Level.Rank() >= event.LevelWarn.Rank() && c.Classify(&evs[i]) != "" {
			errs = append(errs, i)
		}
	}
	b.SetBytes(n)
	b.ReportAllocs()
	start, rounds := benchCPU(), int64(0)
	for b.Loop() {
		for _, i := range errs {
			evs[i].Fields, evs[i].Kind = nil, ""
		}
		for i := range evs {
			c.Classify(&evs[i])
		}
		rounds++
	}
	benchReportCPU(b, benchCPU()-start, rounds*n, rounds*int64(len(evs)))
	b.ReportMetric(float64(rounds)*float64(len(evs))/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkClassifyNoMatch: the info lines alone, which must not allocate.
func BenchmarkClassifyNoMatch(b *testing.B) {
	c := NewClassifier()
	var n int64
	for _, ev := range benchInfo {
		n += int64(len(ev.Message)) + 1
	}
	evs := append([]event.Event(nil), benchInfo...)
	b.SetBytes(n)
	b.ReportAllocs()
	start, rounds := benchCPU(), int64(0)
	for b.Loop() {
		for i := range evs {
			c.Classify(&evs[i])
		}
		rounds++
	}
	benchReportCPU(b, benchCPU()-start, rounds*n, rounds*int64(len(evs)))
}

// BenchmarkClassifyErrors: every line a failure with facts to extract.
func BenchmarkClassifyErrors(b *testing.B) {
	c := NewClassifier()
	var n int64
	for _, ev := range benchErrors {
		n += int64(len(ev.Message)) + 1
	}
	work := make([]event.Event, len(benchErrors))
	b.SetBytes(n)
	b.ReportAllocs()
	start, rounds := benchCPU(), int64(0)
	for b.Loop() {
		copy(work, benchErrors)
		for i := range work {
			c.Classify(&work[i])
		}
		rounds++
	}
	benchReportCPU(b, benchCPU()-start, rounds*n, rounds*int64(len(work)))
}

func BenchmarkNewClassifier(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		NewClassifier()
	}
}
