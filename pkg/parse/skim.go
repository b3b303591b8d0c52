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
// (Options.Local's plain) and the run is Lean: it reads into a scratch
// event whose strings alias the line, and when the taker takes it, the
// line is accounted as the event it would have made and leaves only a
// placeholder in the reorder window. Otherwise the line is read again
// the usual way, as if it had not been offered.

// A skimmer is a Decoder that can read a record start without what only
// an emitted event needs (Lean's fields, minus the message). skim must
// leave ev as Decode would with Lean, apart from the message and the
// fields enrichers add (neither is read to classify or count a plain
// record), and must neither change the decoder's state (beyond caches
// that do not change what a later line decodes to) nor keep any of
// ev's strings; it reports false when the line is not such a record start.
// skimmed is called when the taker took the record, for the state a
// record start sets.
type skimmer interface {
	skim(line []byte, ev *event.Event) bool
	skimmed()
}

// skimHooks connect a decoder to its input's taker and reorder window.
type skimHooks struct {
	plain   func(*event.Event) bool // classifies the record and takes it if it only feeds counters
	skimmed func(time.Time)         // a taken record's placeholder in the reorder window
}

// skimLine offers line to the decoder's skimmer and, when the taker takes
// the record, accounts for it: it reports whether the line is done.
func (d *decoder) skimLine(b []byte, off, lineNo int64) bool {
	ev := &d.scratch
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
	if !d.hooks.plain(ev) {
		return false
	}
	d.flush()
	d.skimmer.skimmed()
	d.slab.learn(ev) // as for the event it would have made: the slab's events get the same field room
	d.account(ev)
	d.hooks.skimmed(ev.Time)
	ev.Raw = ""
	return true
}
