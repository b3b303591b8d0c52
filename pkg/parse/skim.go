package parse

import (
	"time"
	"unsafe"

	"github.com/rca-dev/rca/pkg/event"
)

// Skimming. Most records of a bundle are plain: an analysis only counts
// them (Options.Local). For such a record the pipeline's work around the
// decoder (an event and a copy of its line, the message, the reorder
// window, the hand-over to the taker and back to the pool) costs as much
// as reading it. A decoder that can read a record in part (a skimmer)
// is offered each line first when its input has a taker that skims
// (Options.Local's plain) and the run is Lean (or, below, not): it reads into a scratch
// event whose strings alias the line, and when the taker takes it, the
// line is accounted as the event it would have made and leaves only a
// placeholder in the reorder window. Otherwise the line is read again
// the usual way, as if it had not been offered.
//
// A run that is not Lean (the index reads every field) skims too, with
// the decoders that can read a record start whole (skimmer.whole): the
// scratch event is then what Decode and the enrichers make of the line,
// and only the event, the copy of the line and the reorder window are
// saved. The consumer that must see every event (Options.Observe) sees a
// taken record once the record before it has been emitted, so in file
// order, and a record the taker declines only when it is read again.

// A skimmer is a Decoder that can read a record start without what only
// an emitted event needs (Lean's fields, minus the message). skim must
// leave ev as Decode would with Lean, apart from the message and the
// fields enrichers add (neither is read to classify or count a plain
// record; a format whose records are classified by their text, as JSON
// lines are, keeps the message; one whose records have many fields of no
// fixed name, as JSON lines have, may keep only those skimField names) and
// others analysis does not read (see Options.Lean), and must neither
// change the decoder's state (beyond caches
// that do not change what a later line decodes to) nor keep any of
// ev's strings; it reports false when the line is not such a record start.
// skimmed is called when the taker took the record, for the state a
// record start sets. A Multiline format's skimmer must set the message
// and the enrichers' fields too (see skimHold).
//
// whole reports whether the decoder's skim, when its run is not Lean,
// reads a record start whole: ev as Decode leaves it, message and every
// field (the enrichers' fields aside, which the skim's caller adds).
type skimmer interface {
	skim(line []byte, ev *event.Event) bool
	skimmed()
	whole() bool
}

// skimField reports the fields a skimmed record must keep when its
// skimmer leaves others out: those that classify a record that is not
// notable (the classifier's status, method, response_flags and the error
// fields it reads with the message) and that count a taken one
// (upstream). target, which only a record with a kind gets, is not read.
func skimField(key string) bool {
	switch key {
	case "status", "method", "response_flags", "upstream", "error", "err", "exception", "error_message", "error.message", "exc_info":
		return true
	}
	return false
}

// skimHooks connect a decoder to its input's taker and reorder window.
type skimHooks struct {
	plain   func(*event.Event) bool // classifies the record and takes it if it only feeds counters
	skimmed func(time.Time)         // a taken record's placeholder in the reorder window
	observe func(*event.Event)      // Options.Observe, for a taken record (nil: none)
}

// skimLine offers line to the decoder's skimmer and, when the taker takes
// the record, accounts for it: it reports whether the line is done. A cut
// line is not offered. (skimLine does not call skimRead and skimTake,
// which skimHold uses: its body is where default.pgo has the hot calls,
// and the calls cost 1% of an nginx access log's instructions.)
func (d *decoder) skimLine(b []byte, off, lineNo int64, cut bool) bool {
	ev := &d.scratch
	if d.format.Multiline || cut { // the slots past the fields set: see skimRead
		return d.skimHold(b, off, lineNo, cut)
	}
	*ev = event.Event{Fields: ev.Fields[:0]}
	ev.Source, ev.File, ev.Line, ev.Offset, ev.Format = d.source, d.file, lineNo, off, d.format.ID
	ev.Raw = unsafe.String(unsafe.SliceData(b), len(b))
	if !d.skimmer.skim(b, ev) || ev.Time.IsZero() {
		return false
	}
	ev.Lines = 1
	if d.skimAll {
		enrich(ev)
	}
	if !d.hooks.plain(ev) {
		return false
	}
	d.flush()
	d.skimmer.skimmed()
	d.slab.learn(ev) // as for the event it would have made: the slab's events get the same field room
	d.account(ev)
	if d.hooks.observe != nil {
		d.hooks.observe(ev)
	}
	d.hooks.skimmed(ev.Time)
	ev.Raw = ""
	return true
}

// skimRead reads line b into ev with the skimmer: it reports whether b is
// a timed record start.
func (d *decoder) skimRead(b []byte, off, lineNo int64, ev *event.Event) bool {
	// The slots past the fields set are left as they are: fields are only
	// appended, so none is read before it is set again, and what a stale
	// one keeps alive is the one scratch event's earlier lines.
	*ev = event.Event{Fields: ev.Fields[:0]}
	ev.Source, ev.File, ev.Line, ev.Offset, ev.Format = d.source, d.file, lineNo, off, d.format.ID
	ev.Raw = unsafe.String(unsafe.SliceData(b), len(b))
	if !d.skimmer.skim(b, ev) || ev.Time.IsZero() {
		return false
	}
	ev.Lines = 1
	if d.skimAll {
		enrich(ev)
	}
	return true
}

// skimTake offers a skimmed record to the taker and, when it takes it,
// accounts for it as for the event it would have made.
func (d *decoder) skimTake(ev *event.Event) bool {
	if !d.hooks.plain(ev) {
		return false
	}
	d.flush()
	d.skimmer.skimmed()
	d.slab.learn(ev) // as for the event it would have made: the slab's events get the same field room
	d.account(ev)
	if d.hooks.observe != nil {
		d.hooks.observe(ev)
	}
	d.hooks.skimmed(ev.Time)
	return true
}

// In a Multiline format the lines after a record start may join it, and
// what they hold (a stack trace) may make the record notable: a skimmed
// record start cannot be offered before the next line shows that the
// record has ended. skimHold keeps it back (a copy of the line and its
// skim, in buffers reused from line to line) until the next line: when
// that is a record start the skimmer reads too, the held record is whole
// and is offered as skimLine would have offered it; on any other line
// (one the skimmer does not read, a cut line) and at the end of the
// input, release reads it the usual way first, as if it had never been
// skimmed. Blank lines, which join no record, leave it held. The skimmer
// of such a format must read a line the same whatever record starts it
// has read or skimmed before (its skim of the next line comes before the
// held line's Decode), and must set what a classifier reads of its
// records (a Spring record's message).

// heldStart is a record start skimHold holds back, or the line after it.
type heldStart struct {
	line []byte      // a copy of the line
	ev   event.Event // its skim, whose strings alias line; Line and Offset place the line
}

// skimHold is skimLine for a Multiline format (and for a cut line): it
// skims line b, and when b is a record start, offers the record held
// before it and holds b's. It reports whether b is done; when not, the
// record held before b, if any, has been read the usual way.
func (d *decoder) skimHold(b []byte, off, lineNo int64, cut bool) bool {
	h, n := d.held, &d.holds[0]
	if h == n {
		n = &d.holds[1]
	}
	if !cut {
		n.line = append(n.line[:0], b...)
	}
	if cut || !d.skimRead(n.line, off, lineNo, &n.ev) {
		if h != nil {
			d.release()
		}
		return false
	}
	if h != nil && !d.skimTake(&h.ev) {
		d.readHeld(h)
	}
	d.held = n
	return true
}

// release reads the held record start the usual way.
func (d *decoder) release() {
	h := d.held
	d.held = nil
	d.readHeld(h)
}

// readHeld reads h's line the usual way, as if it had not been skimmed:
// line without the skimmer, and counting the line once.
func (d *decoder) readHeld(h *heldStart) {
	sk := d.skimmer
	d.skimmer, d.stats.Lines = nil, d.stats.Lines-1
	d.line(h.line, h.ev.Offset, h.ev.Line, false)
	d.skimmer = sk
}
