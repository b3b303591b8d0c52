package parse

import (
	"container/heap"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// Options configure a parse run over a bundle.
type Options struct {
	Zones   Zones
	Sources []SourceRule // first match wins
	Formats []FormatRule // first match wins
	MaxLine int
	// Reorder is how many events of one input may be held back to put
	// slightly out-of-order lines (an access log written at request end)
	// in time order. 0 means the default.
	Reorder int
	// Progress, when set, is called with the bytes read so far (from
	// several goroutines; it must be safe for that).
	Progress func(bytes int64)
	// Transform, when set, is called on every event in the goroutine that
	// read it, before the merge: per-event work that does not depend on
	// order (classification) runs in parallel there. It must be safe for
	// concurrent use and must not change the event's time.
	Transform func(*event.Event)
	// Observe, when set, sees every event of an input once, after
	// Transform, in the goroutine that read it and in file order (a
	// segment's events in the segment's order): those Local takes and the
	// records its plain takes too, which the merge never sees. A record
	// plain took is observed after plain, with strings that alias the
	// line being read: Observe must not keep the event or its strings.
	Observe func(*event.Event)
	// Local, when set, is called once per input read (by Run, before the
	// reading starts) for a function that may take that input's events
	// where they are read instead of having them merged: events that feed
	// only counters need no global time order. The function is called
	// from the input's reading goroutine, after Transform, in the order
	// the input's events would be emitted, and only with events whose
	// removal leaves the order in which all other events are emitted
	// unchanged (the input's next event has the same time or a later
	// one). An event it takes (returns true for) is not emitted, and is
	// reused for a later line once the function returns: it may keep the
	// event's strings, not the event or its Fields.
	//
	// plain, which may be nil, is offered the records a decoder can read
	// without making an event of them (with Lean in part: the fields
	// analysis counts, and the message where the classifier reads it;
	// without Lean whole; see skimmer): it is called from the input's reading
	// goroutine, after Transform, and returns true when it takes the
	// record as take would take its event, knowing that the record is
	// then neither emitted nor given to take (see skimmer). It must not
	// keep the event or any of its strings (they alias the line being
	// read), and it must decline every record until take has declined
	// one: that first event goes to the merge.
	Local func() (take, plain func(*event.Event) bool)
	// Lean says the consumer reads of an event only what rca's analysis
	// reads: time, level, message, kind, format, source, file and line,
	// and of the fields status, upstream, target, response_flags and the
	// ones of no fixed name (key=value pairs, structured logs). Decoders of
	// access logs then leave out the fields that only describe a request
	// (nginx: client, client_list, host, user, method, path, protocol,
	// bytes, referrer, user agent, TLS, latencies, upstream status, cache
	// status, request id, forwarded_for), which costs a good part of
	// reading an access line. Which lines are read, and as what, does not
	// change.
	Lean bool
	// Limits bound decompression (zero: the defaults).
	Limits Limits
	// Segment is the size of the segments a large file on disk is split
	// into to be read in parallel (see segment.go): 0 chooses (a quarter
	// of each core's share of the bundle's bytes, at least DefaultSegment),
	// a negative value reads every input whole.
	Segment int64
	// SplitFile, when set, is asked before a file is read in segments,
	// with its display path and the byte offsets where the segments start
	// (the first is 0); false reads it whole. It is called from Run's
	// goroutine before any reading starts. A consumer that needs each
	// input's events in file order from one goroutine learns here which
	// inputs come in segments (each segment's events in file order, from
	// a goroutine of its own).
	SplitFile func(path string, starts []int64) bool
}

const defaultReorder = 256

// Plan is what a run will read: the inputs with their sources, zones and
// forced formats settled.
type Plan struct {
	Inputs  []Input
	specs   []Spec
	configs []*BundleConfig
}

// NewPlan expands the paths and settles each input's source, zone and
// format from the options and each bundle's rca.yaml (flags win): the
// file at a bundle folder's root, or for the members of an archive whose
// folder has none, the rca.yaml at the archive's root.
func NewPlan(paths []string, opts Options) (*Plan, error) {
	ins, err := expand(paths, opts.Limits)
	if err != nil {
		return nil, err
	}
	// An archive's own rca.yaml, by the archive's key (see bundleKey).
	inArchive := map[bundleID]*Input{}
	for i := range ins {
		if in := &ins[i]; in.config != nil {
			if k := bundleKey(in); inArchive[k] == nil {
				inArchive[k] = in
			}
		}
	}
	perBundle := map[bundleID]Options{}
	p := &Plan{Inputs: ins, specs: make([]Spec, len(ins))}
	for i := range ins {
		in := &ins[i]
		key := bundleKey(in)
		o, ok := perBundle[key]
		if !ok {
			o = opts
			o.Zones.PerSource = map[string]*time.Location{}
			for k, v := range opts.Zones.PerSource {
				o.Zones.PerSource[k] = v
			}
			o.Sources = append([]SourceRule(nil), opts.Sources...)
			o.Formats = append([]FormatRule(nil), opts.Formats...)
			var cfg *BundleConfig
			name := filepath.Join(in.Root, bundleConfigName)
			if fi, err := statDir(in.Root); err == nil && fi {
				if cfg, err = LoadBundleConfig(in.Root); err != nil {
					return nil, err
				}
			}
			if a := inArchive[key]; cfg == nil && a != nil {
				name = a.Path
				if cfg, err = parseBundleConfig(a.config, name); err != nil {
					return nil, err
				}
			}
			if err := cfg.apply(&o, name); err != nil {
				return nil, err
			}
			if cfg != nil {
				p.configs = append(p.configs, cfg)
			}
			perBundle[key] = o
		}
		in.Source = SourceOf(in.rel)
		if in.rel == "" {
			in.Source = SourceOf(in.Path)
		}
		for _, r := range o.Sources {
			if globMatch(r.Glob, in.Path) {
				in.Source = r.Name
				break
			}
		}
		spec := Spec{Path: in.Path, Source: in.Source, ModTime: in.ModTime, Loc: o.Zones.For(in.Source), MaxLine: o.MaxLine}
		for _, r := range o.Formats {
			if globMatch(r.Glob, in.Path) {
				spec.Format = Lookup(r.ID)
				break
			}
		}
		p.specs[i] = spec
	}
	return p, nil
}

// bundleID names the bundle an input belongs to for its rca.yaml: its
// root, and the archive it is a member of, if any.
type bundleID struct{ root, archive string }

// bundleKey is in's bundleID; the archive is the input path before the
// first "!/".
func bundleKey(in *Input) bundleID {
	archive, _, ok := strings.Cut(in.Path, "!/")
	if !ok {
		archive = ""
	}
	return bundleID{in.Root, archive}
}

// BundleConfigs are the bundles' rca.yaml files the plan applied, in the
// order of the inputs.
func (p *Plan) BundleConfigs() []*BundleConfig { return p.configs }

func statDir(p string) (bool, error) {
	fi, err := os.Stat(filepath.Clean(p))
	if err != nil {
		return false, err
	}
	return fi.IsDir(), nil
}

// Run reads every input of the plan, in parallel, and calls emit with the
// events of all inputs merged in time order (equal times keep input order;
// an unparsed line follows its predecessor). emit is called from one
// goroutine and owns each event; an error from it stops the run. The
// returned Stats are in input order, one per input, skipped ones included.
func (p *Plan) Run(ctx context.Context, opts Options, emit func(*event.Event) error) ([]Stats, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := len(p.Inputs)
	stats := make([]Stats, n)
	batchLen := 256
	if n > 0 {
		batchLen = min(256, max(8, 32768/n))
	}
	reorder := opts.Reorder
	if reorder <= 0 {
		reorder = defaultReorder
	}
	streams := make([]*stream, 0, n)
	segSize := segmentSize(p, opts.Segment)
	var ahead *budget
	split := map[int][]segment{}
	for i := range p.Inputs {
		in := &p.Inputs[i]
		if in.Skipped != "" {
			stats[i] = Stats{Path: in.Path, Source: in.Source, Skipped: in.Skipped, Ignored: in.Ignored, Timezone: zoneName(p.specs[i].Loc)}
			continue
		}
		spec := p.specs[i]
		spec.Lean = opts.Lean
		segs := []segment{{}}
		if segSize > 0 {
			if ss := planSegments(in, spec, segSize, opts.SplitFile); ss != nil {
				segs, split[i] = ss, ss
				if ahead == nil {
					ahead = newBudget(ctx, lookaheadBudget)
				}
			}
		}
		for k := range segs {
			s := &stream{idx: len(streams), ch: make(chan batch, 2)}
			st := &stats[i]
			var seg *segment
			if len(segs) > 1 {
				seg = &segs[k]
				st = &(*seg.stats)[k]
				if k > 0 {
					s.ahead = ahead
					s.ch = make(chan batch, 1024) // bounded by the budget
				}
			}
			streams = append(streams, s)
			var take, plain func(*event.Event) bool
			if opts.Local != nil {
				take, plain = opts.Local()
			}
			go s.produce(ctx, in, spec, st, batchLen, reorder, opts, take, plain, seg)
		}
	}
	err := merge(ctx, streams, emit)
	cancel()
	for _, s := range streams { // wait for every producer to finish its stats
		for range s.ch {
		}
	}
	for i, segs := range split {
		stats[i] = combineSegments(*segs[0].stats, p.specs[i].Loc)
		if stats[i].Skipped == "" && err == nil {
			stats[i].Skipped = sizeChange(&p.Inputs[i], stats[i].Bytes)
		}
	}
	return stats, err
}

// item is an event with its merge key (a key, not a time.Time: an item is
// 24 bytes rather than 40, and keys compare without calls). Unparsed
// events carry the key of their predecessor.
type item struct {
	key event.TimeKey
	ev  *event.Event
}

type stream struct {
	idx    int // order among streams: input, then segment
	ch     chan batch
	head   []item
	ahead  *budget // set for a file's segments after the first
	urgent bool    // the merge waits for this stream (guarded by ahead's lock)
}

// batch is a run of a stream's items on their way to the merge, with what
// they cost a segment's lookahead budget (0 for other streams).
type batch struct {
	items []item
	cost  int64
}

// deliver sends items to the merge, within the lookahead budget for a
// later segment; false when the run was cancelled.
func (s *stream) deliver(ctx context.Context, items []item) bool {
	b := batch{items: items}
	if s.ahead != nil {
		b.cost = batchCost(items)
		s.ahead.acquire(s, b.cost)
	}
	select {
	case s.ch <- b:
		return true
	case <-ctx.Done():
		return false
	}
}

// produce reads an input, or a segment of one (seg), into s.
func (s *stream) produce(ctx context.Context, in *Input, spec Spec, st *Stats, batchLen, reorder int, opts Options, take, plain func(*event.Event) bool, seg *segment) {
	progress, transform, observe := opts.Progress, opts.Transform, opts.Observe
	defer close(s.ch)
	var rc io.ReadCloser
	var err error
	if seg != nil {
		rc, err = openSegment(in, *seg)
	} else {
		rc, err = in.Open()
	}
	if err != nil {
		*st = Stats{Path: in.Path, Source: in.Source, Skipped: fmt.Sprintf("unreadable: %v", err), Timezone: zoneName(spec.Loc)}
		return
	}
	defer rc.Close()
	var r io.Reader = ctxReader{ctx: ctx, r: rc}
	if progress != nil {
		// wraps the cancellable reader: a closed pipe still stops reading
		pr := &progressReader{r: r, f: progress}
		if pk, ok := rc.(interface{ Packed() int64 }); ok && in.PackedSize > 0 {
			pr.packed = pk.Packed // a decompressed stream counts its compressed bytes
		}
		r = pr
	}
	rl := &relay{w: newWindow(reorder + 1), reorder: reorder, take: take, s: s, ctx: ctx,
		out: make([]item, 0, batchLen), batchLen: batchLen}
	if take != nil {
		rl.pool = &eventPool{}
	}
	// A record a decoder skimmed and plain took (see skimmer) leaves a
	// placeholder in the window, so that the window holds, releases and
	// orders the other items exactly as with its event, and the clock
	// checks see its time. Out of the window it is dropped where take
	// would have taken its event; where its event would have been merged
	// (the next item is earlier), an item without an event keeps its
	// place in the merge, so that the merge orders the other events as it
	// would have, and emits nothing for it: plain has counted the record.
	rl.skimmed = &event.Event{}
	if take != nil && plain != nil {
		rl.pool.skim = &skimHooks{
			observe: observe,
			plain: func(ev *event.Event) bool {
				if transform != nil {
					transform(ev)
				}
				return plain(ev)
			},
			skimmed: func(t time.Time) {
				if !rl.stop {
					rl.last = event.KeyOf(t)
					rl.add(rl.last, rl.skimmed)
				}
			},
		}
	}
	var sr *segRead
	if seg != nil && seg.k > 0 {
		sr = &segRead{format: seg.format, start: seg.start, base: func() (int64, error) { return seg.lines.base(ctx, seg.k) }}
	}
	st2, rerr := readInput(r, spec, func(ev *event.Event) {
		if rl.stop {
			return
		}
		if transform != nil {
			transform(ev)
		}
		if observe != nil {
			observe(ev)
		}
		if !ev.Unparsed {
			rl.last = event.KeyOf(ev.Time)
		}
		rl.add(rl.last, ev)
	}, rl.pool, sr)
	rl.drain()
	*st = st2
	st.OutOfOrder = rl.backwards
	if rerr != nil && st.Skipped == "" {
		st.Skipped = rerr.Error()
	}
	if st.Skipped == "" && !rl.stop && seg == nil { // a split file's: Run, once its segments are read
		st.Skipped = sizeChange(in, st.Bytes)
	}
}

// sizeChange reports a file on disk that changed size while it was read:
// it is read up to the size it had when listed, so bytes appended since
// are not read; a file cut short (truncated, rotated with copytruncate)
// ends early. Both are said, with the bytes concerned.
func sizeChange(in *Input, read int64) string {
	if in.diskPath == "" || in.Size <= 0 {
		return ""
	}
	if read < in.Size {
		return fmt.Sprintf("shrank while read (truncated or rotated?): read %d of the %d bytes it had when listed", read, in.Size)
	}
	if fi, err := os.Stat(in.diskPath); err == nil && fi.Size() > in.Size {
		return fmt.Sprintf("grew while read: read the %d bytes it had when listed; %d bytes appended since were not read", in.Size, fi.Size()-in.Size)
	}
	return ""
}

type progressReader struct {
	r      io.Reader
	f      func(int64)
	packed func() int64 // set: report the compressed bytes consumed instead
	done   int64        // packed bytes reported so far
}

// ctxReader stops a producer's reading once the run is cancelled (the
// consumer quit early, e.g. a closed pipe).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	switch {
	case p.packed != nil:
		if now := p.packed(); now > p.done {
			p.f(now - p.done)
			p.done = now
		}
	case n > 0:
		p.f(int64(n))
	}
	return n, err
}

// mergeHeap orders streams by their head item; ties go to the earlier input.
type mergeHeap []*stream

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	a, b := h[i].head[0], h[j].head[0]
	if a.key != b.key {
		return a.key.Before(b.key)
	}
	return h[i].idx < h[j].idx
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(*stream)) }
func (h *mergeHeap) Pop() any {
	old := *h
	s := old[len(old)-1]
	*h = old[:len(old)-1]
	return s
}

func (s *stream) fill() bool {
	for len(s.head) == 0 {
		var b batch
		ok := true
		if s.ahead == nil {
			b, ok = <-s.ch
		} else {
			select {
			case b, ok = <-s.ch:
			default: // the merge waits for this segment: it may send past the budget
				s.ahead.urge(s, true)
				b, ok = <-s.ch
				s.ahead.urge(s, false)
			}
			if ok {
				s.ahead.release(b.cost)
			}
		}
		if !ok {
			return false
		}
		s.head = b.items
	}
	return true
}

// merge is a k-way merge of the streams' batches.
func merge(ctx context.Context, streams []*stream, emit func(*event.Event) error) error {
	h := make(mergeHeap, 0, len(streams))
	for _, s := range streams {
		if s.fill() {
			h = append(h, s)
		}
	}
	heap.Init(&h)
	for h.Len() > 0 {
		s := h[0]
		it := s.head[0]
		s.head[0] = item{}
		s.head = s.head[1:]
		if it.ev != nil { // nil: a skimmed record's place (see produce)
			if err := emit(it.ev); err != nil {
				return err
			}
		}
		if s.fill() {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}
