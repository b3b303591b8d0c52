package main

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/rca-dev/rca/pkg/parse"
)

// Progress of long work, on one line of a terminal's stderr: the phase,
// bytes read of the total, events per second and the time left. It draws
// at most five times a second, only after the work has run for a moment
// (short runs show nothing), and clears its line when done. A nil
// *progress is valid and does nothing, so callers need no checks.
type progress struct {
	w      io.Writer
	width  int
	total  int64 // bytes of the inputs; 0 when unknown
	start  time.Time
	bytes  atomic.Int64
	events atomic.Int64
	phase  atomic.Value // string

	mu    sync.Mutex // guards drawn and the writes
	drawn bool
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
}

const (
	progressEvery = 200 * time.Millisecond // five updates a second
	progressDelay = 500 * time.Millisecond // nothing for shorter work
)

// newProgress starts a progress line on stderr when it is a terminal and
// not quiet; streaming says stdout carries output while the work runs,
// in which case a terminal stdout gets no progress line in its way.
func newProgress(stdout, stderr io.Writer, quiet, streaming bool, plan *parse.Plan) *progress {
	if quiet || !isTerminal(stderr) || (streaming && isTerminal(stdout)) {
		return nil
	}
	width, _ := termSize(stderr)
	p := &progress{w: stderr, width: width, start: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	for _, in := range plan.Inputs {
		switch {
		case in.Skipped != "":
		case in.Size > 0:
			p.total += in.Size
		case in.PackedSize > 0: // read as the compressed bytes it consumes
			p.total += in.PackedSize
		}
	}
	p.phase.Store("reading")
	go p.run()
	return p
}

// hook is the parse.Options.Progress callback (safe for concurrent use).
func (p *progress) hook() func(int64) {
	if p == nil {
		return nil
	}
	return func(n int64) { p.bytes.Add(n) }
}

// event counts one event (from the goroutine that emits them).
func (p *progress) event() {
	if p != nil {
		p.events.Add(1)
	}
}

// setPhase names what is being done now ("analysing", "writing report").
func (p *progress) setPhase(s string) {
	if p != nil {
		p.phase.Store(s)
	}
}

// finish stops the updates and clears the line; calling it again does
// nothing.
func (p *progress) finish() {
	if p == nil {
		return
	}
	p.once.Do(func() { close(p.stop) })
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

func (p *progress) run() {
	defer close(p.done)
	delay := time.NewTimer(progressDelay)
	defer delay.Stop()
	select {
	case <-p.stop:
		return
	case <-delay.C:
	}
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	for {
		p.draw()
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
	}
}

func (p *progress) draw() {
	line := progressLine(p.phase.Load().(string), p.bytes.Load(), p.total, p.events.Load(), time.Since(p.start))
	if p.width > 1 {
		line = ansi.Truncate(line, p.width-1, "…")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\x1b[K"+line)
	p.drawn = true
}

// progressLine formats one state of the work.
func progressLine(phase string, bytes, total, events int64, elapsed time.Duration) string {
	s := "rca: " + phase
	if phase != "reading" {
		return fmt.Sprintf("%s… %s events (%s)", s, count(events), elapsed.Round(time.Second))
	}
	s += " " + size(bytes)
	if total > 0 && bytes <= total { // compressed inputs can yield more than their size
		s += fmt.Sprintf(" of %s %3d%%", size(total), min(99, int(100*bytes/total)))
	}
	if secs := elapsed.Seconds(); secs > 0 {
		s += fmt.Sprintf(" · %s events/s", count(int64(float64(events)/secs)))
	}
	if total > 0 && bytes > 0 && bytes < total {
		left := time.Duration(float64(elapsed) * float64(total-bytes) / float64(bytes))
		s += " · ETA " + eta(left)
	}
	return s
}

// size formats bytes in decimal units, as the parse summary does.
func size(b int64) string {
	switch {
	case b >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(b)/1e9)
	case b >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(b)/1e6)
	case b >= 1e3:
		return fmt.Sprintf("%.0f kB", float64(b)/1e3)
	}
	return fmt.Sprintf("%d B", b)
}

func count(n int64) string {
	switch {
	case n >= 10_000_000:
		return fmt.Sprintf("%.0fM", float64(n)/1e6)
	case n >= 1_000_000:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 10_000:
		return fmt.Sprintf("%.0fk", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}

func eta(d time.Duration) string {
	d = d.Round(time.Second)
	if d >= time.Hour {
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}
