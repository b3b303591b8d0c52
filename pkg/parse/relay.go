package parse

import (
	"context"

	"github.com/rca-dev/rca/pkg/event"
)

// relay carries one stream's items from its decoder to the merge: through
// the reorder window, past the taker (Options.Local), into batches. It is
// one struct rather than closures over shared variables, as every event of
// a run passes through it: its state is read through one pointer.
type relay struct {
	w         window
	reorder   int           // items the window holds back
	sent      event.TimeKey // key of the last item sent
	backwards int64         // items sent with a key before sent's
	last      event.TimeKey // key of the last parsed item: an unparsed one takes it

	// With take set, each item out of the window is held until the next
	// one is known (see send).
	take    func(*event.Event) bool
	pool    *eventPool   // where taken events go back to the decoder
	skimmed *event.Event // the placeholder of a record plain took
	held    item         // the last item out of the window; ev nil: none yet

	s        *stream
	ctx      context.Context
	out      []item // the batch being filled
	batchLen int
	stop     bool // the run was cancelled
}

// add puts an item in the window, and sends on the oldest when the window
// is full.
func (r *relay) add(key event.TimeKey, ev *event.Event) {
	w := &r.w
	m := len(w.ring) - 1
	if i := w.head + w.n; w.n == 0 || !key.Before(w.ring[(i-1)&m].key) {
		w.ring[i&m] = item{key: key, ev: ev} // in order: the usual case
		w.n++
	} else {
		w.insert(item{key: key, ev: ev})
	}
	if w.n > r.reorder {
		r.send(w.pop())
	}
}

// drain sends on what the window holds and the held item, and the last
// batch (the input is read).
func (r *relay) drain() {
	for r.w.n > 0 && !r.stop {
		r.send(r.w.pop())
	}
	if h := r.held.ev; h != nil && !r.stop && h != r.skimmed && !r.take(h) { // the last item: nothing follows it
		r.push(r.held)
	}
	r.held = item{}
	if len(r.out) > 0 && !r.stop {
		r.s.deliver(r.ctx, r.out)
	}
}

// push adds an item to the batch, and delivers a full batch.
func (r *relay) push(it item) {
	r.out = append(r.out, it)
	if len(r.out) == r.batchLen {
		r.stop = !r.s.deliver(r.ctx, r.out)
		r.out = make([]item, 0, r.batchLen)
	}
}

// send passes an item out of the window on to the merge. With take, each
// item is held until the next one is known: an item followed by one at the
// same time or later may be taken here, as removing it changes nothing in
// the merge's choices between the other items. A placeholder (skimmed) is
// dropped there; followed by an earlier item, it keeps its place in the
// merge as an item without an event (see produce).
func (r *relay) send(it item) {
	if it.key.Before(r.sent) { // the clock went back further than the window
		r.backwards++
		r.sendBack(it)
		return
	}
	r.sent = it.key
	if r.take == nil {
		r.push(it)
		return
	}
	// The held item's key is at most sent's (it was sent), so it is not
	// after it's: the held item may go.
	if h := r.held.ev; h != nil && h != r.skimmed {
		if r.take(h) {
			r.pool.put(h)
		} else {
			r.push(r.held)
		}
	}
	r.held = it
}

// sendBack is send for an item before the last one sent.
func (r *relay) sendBack(it item) {
	if r.take == nil {
		r.push(it)
		return
	}
	switch h := r.held.ev; {
	case h == nil:
	case h == r.skimmed:
		if it.key.Before(r.held.key) {
			r.push(item{key: r.held.key})
		}
	case it.key.Before(r.held.key) || !r.take(h):
		r.push(r.held)
	default:
		r.pool.put(h)
	}
	r.held = it
}

// window is a producer's reorder buffer: items sorted by key then file
// order, in a ring. Logs are nearly sorted, so an insert walks back only as
// far as an out-of-order line is displaced; in-order lines cost O(1).
type window struct {
	ring []item // len a power of two
	head int    // ring index of the oldest item
	n    int    // items held
}

// newWindow returns a window for up to size items.
func newWindow(size int) window {
	c := 1
	for c < size {
		c *= 2
	}
	return window{ring: make([]item, c)}
}

// insert adds it after the items with a key not after its; the window
// must have room.
func (w *window) insert(it item) {
	m := len(w.ring) - 1
	i := w.head + w.n
	for j := w.n; j > 0; j-- {
		p := w.ring[(i-1)&m]
		if !it.key.Before(p.key) {
			break
		}
		w.ring[i&m] = p
		i--
	}
	w.ring[i&m] = it
	w.n++
}

// pop removes and returns the oldest item; the window must hold one.
func (w *window) pop() item {
	it := w.ring[w.head] // the slot keeps its event until reused: the window holds at most twice its size
	w.head = (w.head + 1) & (len(w.ring) - 1)
	w.n--
	return it
}
