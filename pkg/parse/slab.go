package parse

import (
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// Events and their first fields come from chunks rather than one
// allocation each: a GB bundle has tens of millions of lines, and two or
// three small allocations per line were a fifth of the parse time (in the
// allocator and the collector). A chunk is freed when the last event cut
// from it is, which in a streaming run is a moment after it was filled:
// events live from their line to the consumer (the reorder window and the
// merge in between), and consumers copy what they keep.
const (
	slabEvents    = 256 // events per chunk
	slabFieldsMax = 32  // most field slots given to one event; more grow it alone
)

// eventSlab hands out zeroed events, each with room for as many fields as
// the input's events have needed so far (the largest capacity seen, up to
// slabFieldsMax). It is owned by one decoder (one goroutine).
type eventSlab struct {
	evs    []event.Event
	fields []event.Field
	per    int
	pool   *eventPool // events handed back by the consumer; nil: none
}

// eventPool holds events their consumer is done with (Options.Local took
// them where they were read), ready to be handed out again: most events
// of an analysis then never leave the goroutine that read them, and
// reusing them spares the allocation, zeroing and collection of a chunk
// per 256 events. It belongs to one input's goroutine.
type eventPool struct {
	free []*event.Event
	skim *skimHooks // set: decoders that can skim records offer them here first
}

// put readies ev, which nothing references any more, for reuse.
func (p *eventPool) put(ev *event.Event) {
	p.free = append(p.free, reuse(ev))
}

// next returns a fresh event.
func (s *eventSlab) next() *event.Event {
	if s.pool != nil {
		if n := len(s.pool.free); n > 0 {
			ev := s.pool.free[n-1]
			s.pool.free[n-1] = nil
			s.pool.free = s.pool.free[:n-1]
			return ev
		}
	}
	if len(s.evs) == 0 {
		s.evs = make([]event.Event, slabEvents)
	}
	ev := &s.evs[0]
	s.evs = s.evs[1:]
	if s.per == 0 {
		return ev
	}
	if len(s.fields) < s.per {
		s.fields = make([]event.Field, slabEvents*s.per)
	}
	ev.Fields = s.fields[:0:s.per] // a full slice expression: appends past it copy
	s.fields = s.fields[s.per:]
	return ev
}

// learn notes the room a decoded event's fields took.
func (s *eventSlab) learn(ev *event.Event) {
	if c := cap(ev.Fields); c > s.per {
		s.per = min(c, slabFieldsMax)
	}
}

// reuse readies an event that was handed out but not kept (a continuation
// line's, folded into the open record) for the next line.
func reuse(ev *event.Event) *event.Event {
	f := ev.Fields[:0]
	clear(f[:cap(f)])
	*ev = event.Event{Fields: f}
	return ev
}

// reuseSpare readies the event of a continuation line for the next line,
// as reuse does but cheaper: (*decoder).line sets Source, File, Line,
// Offset, Format and Raw of every line's event, so they are left, and the
// rest is cleared field by field, and of the field slots only those in
// use (a continuation line's event sets none, mostly: clearing all the
// slots of its capacity, a dozen for a binlog, went through the runtime on
// every folded line). A decoder that cut ev.Fields back itself leaves
// values past the cut, which only keep their text alive a little longer.
// TestReuseSpareClears keeps this in step with event.Event.
func reuseSpare(ev *event.Event) *event.Event {
	f := ev.Fields[:0]
	if len(ev.Fields) > 0 {
		clear(ev.Fields) // the fields set: the slots past them are clear already
	}
	ev.Time, ev.Precision, ev.Zoned = time.Time{}, 0, false
	ev.Level, ev.Message, ev.Kind = "", "", ""
	ev.Fields, ev.Lines, ev.Unparsed = f, 0, false
	ev.TemplateID, ev.Template = "", ""
	return ev
}

// reserveFields gives ev room for n fields in one allocation, unless it has
// that room already (events from the slab do, for the usual counts).
func reserveFields(ev *event.Event, n int) {
	if cap(ev.Fields)-len(ev.Fields) < n {
		f := make([]event.Field, len(ev.Fields), len(ev.Fields)+n)
		copy(f, ev.Fields)
		ev.Fields = f
	}
}
