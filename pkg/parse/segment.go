package parse

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// A large file is read in segments, one goroutine each, so that a bundle
// that is mostly one big log still uses every core. A segment starts at a
// record start: a line the format decodes as a timed record without any
// line before it, which only formats marked Segmentable guarantee (their
// decoders keep no state across records that changes how a record start
// reads). Each segment is its own stream in the time merge, ordered after
// the segments before it where times tie, so the merge gives the events
// in the order one reader would have, but for lines out of time order
// across a boundary (the merge sorts them fully; one reader's window only
// within its reach). Line numbers and offsets are those of the file: a
// counter goroutine counts the lines before each segment while the first
// one is read.
//
// The merge consumes segments in time order, so a later segment's events
// wait until the merge reaches them. What waits is bounded (lookahead): a
// later segment sends its batches ahead only while the run's waiting
// batches stay under a byte budget, and otherwise waits, unless the merge
// is waiting for it. With Options.Local most events never reach the merge,
// and the budget holds the rest of a large file's later segments: they
// are read in parallel. Without it (rca parse) the budget fills soon and
// the segments are read mostly one after the other.

const (
	// DefaultSegment is the smallest segment a file is split into.
	DefaultSegment = 64 << 20
	// segmentScan is how far past a planned boundary a record start is
	// looked for; without one there, the segment is not split there.
	segmentScan = 4 << 20
)

// lookaheadBudget bounds the bytes of events the later segments of a run
// hold waiting for the merge (a variable for tests).
var lookaheadBudget int64 = 64 << 20

// segment is the byte range [start, end) of a file read as one stream.
type segment struct {
	start, end int64
	k          int      // index in the file's segments
	lines      *liner   // the line counts before each segment
	format     *Format  // the file's format, detected once (segments after the first)
	stats      *[]Stats // the file's segments' stats, combined after the run
}

// planSegments splits the input into segments when it is a file on disk
// larger than two segments of size, of a Segmentable format, plain UTF-8
// text with LF line ends, and ask (when set) agrees. It returns nil when
// the input is read whole.
func planSegments(in *Input, spec Spec, size int64, ask func(string, []int64) bool) []segment {
	if in.diskPath == "" || in.Size < 2*size || size <= 0 {
		return nil
	}
	f, err := os.Open(in.diskPath)
	if err != nil {
		return nil
	}
	defer f.Close()
	ts, err := openText(io.NewSectionReader(f, 0, in.Size))
	if err != nil || ts.encoding != "" || ts.atEOF || binaryReason(ts.head) != "" || isCROnly(ts.head) {
		return nil
	}
	loc := spec.Loc
	if loc == nil {
		loc = time.UTC
	}
	ctx := &Context{Loc: loc, ModTime: spec.ModTime}
	format := spec.Format
	if format == nil {
		format = Detect(sampleLinesOf(ts.head, ts.atEOF), ctx).Format
	}
	if format == nil || !format.Segmentable {
		return nil
	}
	maxLine := spec.MaxLine
	if maxLine <= 0 {
		maxLine = DefaultMaxLine
	}
	n := min(in.Size/size, 64)
	starts := []int64{0}
	for k := int64(1); k < n; k++ {
		at := in.Size * k / n
		if at <= starts[len(starts)-1] || at < sampleBytes {
			continue // the first segment holds the head detection reads
		}
		if s, ok := recordStartAfter(f, at, in.Size, maxLine, format, ctx); ok && s > starts[len(starts)-1] {
			starts = append(starts, s)
		}
	}
	if len(starts) < 2 || (ask != nil && !ask(in.Path, starts)) {
		return nil
	}
	segs := make([]segment, len(starts))
	lines := newLiner(in.diskPath, starts)
	stats := make([]Stats, len(starts))
	for k, s := range starts {
		end := in.Size
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		segs[k] = segment{start: s, end: end, k: k, lines: lines, format: format, stats: &stats}
	}
	return segs
}

// recordStartAfter finds the first line starting at or after at (within
// segmentScan bytes) that format decodes as a timed record start with a
// fresh decoder; a line the reader would cut (over maxLine) is not one.
func recordStartAfter(f *os.File, at, size int64, maxLine int, format *Format, ctx *Context) (int64, bool) {
	buf := make([]byte, min(segmentScan, size-at+1))
	n, err := f.ReadAt(buf, at-1)
	if n == 0 || (err != nil && err != io.EOF) {
		return 0, false
	}
	buf = buf[:n]
	i := 1 // buf[0] is the byte before at
	if buf[0] != '\n' {
		j := bytes.IndexByte(buf, '\n')
		if j < 0 {
			return 0, false
		}
		i = j + 1
	}
	var ev event.Event
	for i < len(buf) {
		j := bytes.IndexByte(buf[i:], '\n')
		if j < 0 {
			break // the line goes past the scan: not judged
		}
		line := trimEOL(buf[i : i+j+1])
		if len(line) > 0 && len(line) <= maxLine && line[0] != 0 && !isBlank(line) {
			ev = event.Event{Raw: string(line), Format: format.ID}
			if format.New(ctx).Decode(line, &ev, nil) == Start && !ev.Time.IsZero() {
				return at - 1 + int64(i), true
			}
		}
		i += j + 1
	}
	return 0, false
}

// segmentSize is the size segments are cut to in this run: set (Options.
// Segment), or by default a quarter of the inputs' bytes per core (so a
// file is split when it holds more than half of a core's share: one big
// file beside many small ones is), at least DefaultSegment; 0 when
// nothing is split.
func segmentSize(p *Plan, set int64) int64 {
	switch {
	case set < 0:
		return 0
	case set > 0:
		return set
	}
	var total int64
	for i := range p.Inputs {
		if p.Inputs[i].Skipped == "" && p.Inputs[i].Size > 0 {
			total += p.Inputs[i].Size
		}
	}
	return max(DefaultSegment, total/int64(2*runtime.GOMAXPROCS(0)))
}

// openSegment opens the segment's bytes.
func openSegment(in *Input, s segment) (io.ReadCloser, error) {
	f, err := os.Open(in.diskPath)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", in.Path, err)
	}
	return readCloser{io.NewSectionReader(f, s.start, s.end-s.start), f}, nil
}

// liner counts the lines before each segment of a file, in one pass over
// all but the last segment, in a goroutine started by the first call of
// base.
type liner struct {
	path   string
	starts []int64
	once   sync.Once
	ready  []chan struct{} // closed when bases[k] is known
	bases  []int64
	err    error
}

func newLiner(path string, starts []int64) *liner {
	l := &liner{path: path, starts: starts, bases: make([]int64, len(starts)), ready: make([]chan struct{}, len(starts))}
	for k := range l.ready {
		l.ready[k] = make(chan struct{})
	}
	close(l.ready[0])
	return l
}

// base returns the number of lines before segment k, waiting for the
// count; an error when the file could not be read for it.
func (l *liner) base(ctx context.Context, k int) (int64, error) {
	l.once.Do(func() { go l.count(ctx) })
	select {
	case <-l.ready[k]:
		return l.bases[k], l.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func (l *liner) count(ctx context.Context) {
	f, err := os.Open(l.path)
	if err != nil {
		l.fail(1, fmt.Errorf("count lines: %w", err))
		return
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	var n int64
	for k := 1; k < len(l.starts); k++ {
		r := io.NewSectionReader(f, l.starts[k-1], l.starts[k]-l.starts[k-1])
		for {
			m, err := r.Read(buf)
			n += int64(bytes.Count(buf[:m], []byte{'\n'}))
			if err == io.EOF {
				break
			}
			if err != nil || ctx.Err() != nil {
				l.fail(k, fmt.Errorf("count lines: %w", errOr(err, ctx.Err())))
				return
			}
		}
		l.bases[k] = n
		close(l.ready[k])
	}
}

// fail ends the count at segment k: it and the later ones get err.
func (l *liner) fail(k int, err error) {
	l.err = err
	for ; k < len(l.ready); k++ {
		close(l.ready[k])
	}
}

func errOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// budget is the bytes of batches the later segments of a run have sent
// ahead of the merge. A segment waits to send while the budget is spent,
// unless nothing is waiting (so one batch always goes) or the merge waits
// for that segment (urgent).
type budget struct {
	mu     sync.Mutex
	cond   *sync.Cond
	used   int64
	limit  int64
	closed bool
}

func newBudget(ctx context.Context, limit int64) *budget {
	b := &budget{limit: limit}
	b.cond = sync.NewCond(&b.mu)
	context.AfterFunc(ctx, func() {
		b.mu.Lock()
		b.closed = true
		b.cond.Broadcast()
		b.mu.Unlock()
	})
	return b
}

// acquire waits until n bytes may be sent ahead for s.
func (b *budget) acquire(s *stream, n int64) {
	b.mu.Lock()
	for b.used > 0 && b.used+n > b.limit && !s.urgent && !b.closed {
		b.cond.Wait()
	}
	b.used += n
	b.mu.Unlock()
}

// release returns n bytes the merge has taken.
func (b *budget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	b.cond.Broadcast()
	b.mu.Unlock()
}

// urge says whether the merge waits for s.
func (b *budget) urge(s *stream, on bool) {
	b.mu.Lock()
	s.urgent = on
	if on {
		b.cond.Broadcast()
	}
	b.mu.Unlock()
}

// batchCost estimates the memory a batch's events hold.
func batchCost(items []item) int64 {
	var n int64
	for i := range items {
		n += 320
		if ev := items[i].ev; ev != nil { // nil: a skimmed record's place
			n += int64(len(ev.Raw)) + 48*int64(len(ev.Fields))
		}
	}
	return n
}

// combineSegments adds up the stats of a file's segments into one
// input's: counts add, times widen, the detection is the first one's.
func combineSegments(segs []Stats, loc *time.Location) Stats {
	st := segs[0]
	for _, s := range segs[1:] {
		st.Lines += s.Lines
		st.Events += s.Events
		st.Continuation += s.Continuation
		st.Unparsed += s.Unparsed
		st.Empty += s.Empty
		st.Bytes += s.Bytes
		st.CutLines += s.CutLines
		st.NULBytes += s.NULBytes
		st.OutOfOrder += s.OutOfOrder
		st.zoned += s.zoned
		st.unzoned += s.unzoned
		if !s.First.IsZero() && (st.First.IsZero() || s.First.Before(st.First)) {
			st.First = s.First
		}
		if s.Last.After(st.Last) {
			st.Last = s.Last
		}
		for f, n := range s.Formats {
			if st.Formats == nil {
				st.Formats = map[string]int64{}
			}
			st.Formats[f] += n
		}
		if st.Skipped == "" {
			st.Skipped = s.Skipped
		}
	}
	st.Timezone = zoneName(loc)
	if st.zoned > 0 && st.unzoned == 0 {
		st.Timezone = "embedded"
	}
	return st
}
