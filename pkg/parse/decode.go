package parse

import (
	"strings"
	"time"
	"unsafe"

	"github.com/rca-dev/rca/pkg/event"
)

// Caps on one folded record, so that a runaway "continuation" (a binary
// blob, a never-ending trace) cannot grow without bound. Lines past the caps
// are still counted as continuation lines; their text is not kept.
const (
	maxEventLines = 5000
	maxEventBytes = 1 << 20
)

// Stats accounts for one input. Events + Continuation + Unparsed + Empty ==
// Lines always holds.
type Stats struct {
	Path     string `json:"path"`
	Source   string `json:"source"`
	Format   string `json:"format"`
	Timezone string `json:"timezone"`

	Lines        int64 `json:"lines"`
	Events       int64 `json:"events"`
	Continuation int64 `json:"continuation"`
	Unparsed     int64 `json:"unparsed"`
	Empty        int64 `json:"empty"`
	Bytes        int64 `json:"bytes"`

	First time.Time `json:"first"`
	Last  time.Time `json:"last"`

	Confidence         float64 `json:"confidence"`
	RunnerUp           string  `json:"runner_up,omitempty"`
	RunnerUpConfidence float64 `json:"runner_up_confidence,omitempty"`

	CutLines   int64            `json:"cut_lines"`          // lines longer than the maximum, kept cut
	NULBytes   int64            `json:"nul_bytes"`          // NUL bytes dropped from line starts (crash holes)
	OutOfOrder int64            `json:"out_of_order"`       // events kept in file order though their clock went back further than the reorder window
	Encoding   string           `json:"encoding,omitempty"` // "utf-16le" etc. when decoded
	Skipped    string           `json:"skipped,omitempty"`  // why the input was not read, or stopped early
	Ignored    bool             `json:"ignored,omitempty"`  // a bundle file that is not a log (rca.yaml, notes)
	Formats    map[string]int64 `json:"formats,omitempty"`  // events per format when more than one (fallback)
	zoned      int64
	unzoned    int64
}

// decoder drives one input: it feeds lines to the format's decoder (and to
// the generic fallback), folds continuations, and keeps the accounts.
type decoder struct {
	format   *Format
	primary  Decoder
	fallback Decoder // nil when the format owns every line
	fbID     string
	loc      *time.Location
	source   string
	file     string
	stats    *Stats
	cur      *event.Event
	curBytes int
	text     rawText // the lines' text; the open record's kept lines are one run of it
	recStart int     // the open record's kept text is text.buf[recStart:recEnd]...
	recEnd   int
	recOpen  bool // ...and lines may still join it (a record past the caps takes no more)
	finisher Finisher
	emit     func(*event.Event)
	slab     eventSlab
	spare    *event.Event // handed out for a line that was not kept: the next line's
	msg      strings.Builder
	msgOf    *event.Event // the record whose Message msg holds
	skimmer  skimmer      // set when the primary decoder skims and the taker takes skimmed records
	hooks    *skimHooks
	skimAll  bool         // the run is not Lean: skimmer reads records whole (skimmer.whole), and the enrichers run on them
	scratch  event.Event  // what skimmer reads into
	holds    [2]heldStart // for a Multiline format's skimmer: the record start held back, and the next line's
	held     *heldStart   // which of holds is the record start held back; nil: none (see skimHold)
}

func newDecoder(f *Format, ctx *Context, source, file string, st *Stats, emit func(*event.Event)) *decoder {
	d := &decoder{format: f, primary: f.New(ctx), loc: ctx.Loc, source: source, file: file, stats: st, emit: emit}
	d.finisher, _ = d.primary.(Finisher)
	if g := Lookup(GenericID); g != nil && f.ID != GenericID && !f.NoFallback {
		d.fallback = g.New(ctx)
		d.fbID = g.ID
	}
	return d
}

// line handles one physical line.
func (d *decoder) line(b []byte, off int64, lineNo int64, cut bool) {
	st := d.stats
	st.Lines++
	if cut {
		st.CutLines++
	}
	if len(b) > 0 && b[0] == 0 {
		// A run of NULs before a line is the hole a crash leaves in a log
		// file (allocated, never written); the line after it is text.
		k := 1
		for k < len(b) && b[k] == 0 {
			k++
		}
		st.NULBytes += int64(k)
		b, off = b[k:], off+int64(k)
	}
	if isBlank(b) {
		st.Empty++
		return
	}
	if d.skimmer != nil && d.skimLine(b, off, lineNo, cut) {
		return
	}
	ev := d.spare
	if ev != nil {
		d.spare = nil
	} else {
		ev = d.slab.next()
	}
	// A line that may continue the open record goes right after its text
	// and a '\n', so that the record's Raw is that run of the arena, not a
	// copy; the record's text moves to a new chunk when this one is full.
	// A line the caps would keep out of the record is not placed there: a
	// record at the line cap takes no more lines, and its text is settled;
	// a line over the byte cap gets a string of its own, as a shorter line
	// after it may still join.
	grow := d.cur != nil && d.recOpen
	if grow && d.cur.Lines >= maxEventLines {
		d.cur.Raw, d.recOpen, grow = d.text.str(d.recStart, d.recEnd), false, false
	}
	at := -1
	if grow && d.curBytes+len(b) > maxEventBytes {
		ev.Raw = string(b)
	} else {
		ev.Raw, at = d.text.put(b, grow, &d.recStart, &d.recEnd)
	}
	ev.Source, ev.File, ev.Line, ev.Offset, ev.Format = d.source, d.file, lineNo, off, d.format.ID
	v := d.primary.Decode(b, ev, d.cur)
	if v == Reject && d.fallback != nil {
		ev.Format = d.fbID
		v = d.fallback.Decode(b, ev, d.cur)
		if v != Start {
			v, ev.Format = Reject, d.format.ID
		}
	}
	if (v == Continue || v == Absorb) && d.cur == nil {
		v = Reject
	}
	if v == Reject && d.format.Multiline && d.cur != nil {
		v = Continue
	}
	if cut {
		ev.Set("cut", "true")
	}
	switch v {
	case Start:
		d.flush()
		if ev.Time.IsZero() { // a decoder that found no time has not started a record
			d.unparsed(ev, cut, ev.Level) // a level it read ("ERROR:root:...") is kept
			return
		}
		ev.Lines = 1
		enrich(ev)
		d.slab.learn(ev)
		d.cur, d.curBytes = ev, len(ev.Raw)
		if at < 0 { // a long line after a long record: its text starts the next run
			_, at = d.text.put(b, false, &d.recStart, &d.recEnd)
		}
		d.recStart, d.recEnd, d.recOpen = at, at+len(b), true
	case Continue, Absorb:
		st.Continuation++
		c := d.cur
		c.Lines++
		if c.Lines > maxEventLines || d.curBytes+len(b) > maxEventBytes {
			if _, ok := c.Get("truncated"); !ok {
				c.Set("truncated", "true")
			}
			d.spare = reuseSpare(ev)
			return
		}
		d.curBytes += len(b) + 1
		d.recEnd = at + len(b) // the line was placed after the record's text (above)
		if v == Continue {
			d.appendMessage(c, b, at-1)
		}
		d.spare = reuseSpare(ev)
	default:
		d.flush()
		d.unparsed(ev, cut, event.LevelNone)
	}
}

// appendMessage appends a continuation line, placed in the arena at
// text.buf[sep+1:] after a '\n' at sep, to the open record's message. A
// message that ends right before sep (the first line's tail, as most
// decoders set it, and what this made of it for the lines before) takes
// the line by growing over the bytes already there: no copy. Others are
// built in a builder, so that a long trace costs linear time, not
// quadratic (a string += per line copied the whole message each time).
// Strings the builder handed out stay valid as it grows. A message a
// decoder set meanwhile (Absorb) starts the builder again from it.
func (d *decoder) appendMessage(c *event.Event, line []byte, sep int) {
	if m := c.Message; m != "" && d.text.endsAt(m, sep) {
		c.Message = unsafe.String(unsafe.StringData(m), len(m)+1+len(line))
		return
	}
	if d.msgOf != c || len(c.Message) != d.msg.Len() || unsafe.StringData(c.Message) != unsafe.StringData(d.msg.String()) {
		d.msg = strings.Builder{}
		d.msg.Grow(2 * (len(c.Message) + 1 + len(line)))
		d.msg.WriteString(c.Message)
		d.msgOf = c
	}
	d.msg.WriteByte('\n')
	d.msg.Write(line)
	c.Message = d.msg.String()
}

// unparsed emits a line kept without structure; level is the level a
// decoder read from a time-less record start, else none.
func (d *decoder) unparsed(ev *event.Event, cut bool, level event.Level) {
	ev.Unparsed, ev.Lines, ev.Time, ev.Level = true, 1, time.Time{}, level
	ev.Format = d.format.ID
	ev.Message = ev.Raw
	ev.Fields = ev.Fields[:0]
	if cut {
		ev.Set("cut", "true")
	}
	d.stats.Unparsed++
	d.emit(ev)
}

// flush emits the open record.
func (d *decoder) flush() {
	if d.cur == nil {
		return
	}
	c := d.cur
	d.cur = nil
	d.msg, d.msgOf = strings.Builder{}, nil
	if c.Lines > 1 && d.recOpen {
		c.Raw = d.text.str(d.recStart, d.recEnd)
	}
	d.recOpen = false
	if d.finisher != nil {
		d.finisher.Finish(c)
	}
	d.account(c)
	d.emit(c)
}

// account counts a record in the input's stats.
func (d *decoder) account(c *event.Event) {
	st := d.stats
	st.Events++
	if c.Zoned {
		st.zoned++
	} else {
		st.unzoned++
	}
	k := event.KeyOf(c.Time) // keys: Before and After without a call
	if st.First.IsZero() || k.Before(event.KeyOf(st.First)) {
		st.First = c.Time
	}
	if event.KeyOf(st.Last).Before(k) {
		st.Last = c.Time
	}
	if c.Format != d.format.ID {
		if st.Formats == nil {
			st.Formats = map[string]int64{}
		}
		st.Formats[c.Format]++
	}
}

// finish flushes the last record and settles the zone report.
func (d *decoder) finish() {
	if d.held != nil {
		d.release()
	}
	d.flush()
	d.stats.Timezone = zoneName(d.loc)
	if d.stats.zoned > 0 && d.stats.unzoned == 0 {
		d.stats.Timezone = "embedded"
	}
}
