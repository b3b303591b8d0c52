package parse

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

// simpleRelay is the reorder window and hand-over of produce the simple
// way (a sorted slice, every case of send spelled out): what relay must
// match.
type simpleRelay struct {
	items     []item
	reorder   int
	sent      event.TimeKey
	backwards int64
	take      func(*event.Event) bool
	skimmed   *event.Event
	held      item
	holding   bool
	out       []item
	put       []*event.Event
}

func (r *simpleRelay) add(key event.TimeKey, ev *event.Event) {
	it := item{key: key, ev: ev}
	i := len(r.items)
	for i > 0 && key.Before(r.items[i-1].key) {
		i--
	}
	r.items = slices.Insert(r.items, i, it)
	if len(r.items) > r.reorder {
		r.send(r.pop())
	}
}

func (r *simpleRelay) pop() item {
	it := r.items[0]
	r.items = r.items[1:]
	return it
}

func (r *simpleRelay) send(it item) {
	if it.key.Before(r.sent) {
		r.backwards++
	} else {
		r.sent = it.key
	}
	if r.take == nil {
		r.out = append(r.out, it)
		return
	}
	switch {
	case !r.holding:
	case r.held.ev == r.skimmed:
		if it.key.Before(r.held.key) {
			r.out = append(r.out, item{key: r.held.key})
		}
	case it.key.Before(r.held.key) || !r.take(r.held.ev):
		r.out = append(r.out, r.held)
	default:
		r.put = append(r.put, r.held.ev)
	}
	r.held, r.holding = it, true
}

func (r *simpleRelay) drain() {
	for len(r.items) > 0 {
		r.send(r.pop())
	}
	if r.holding && r.held.ev != r.skimmed && !r.take(r.held.ev) {
		r.out = append(r.out, r.held)
	}
}

// relayStep is one item offered to a relay: its key's step from the last
// one (negative: back), whether it is a skimmed record's placeholder, and
// whether take takes its event.
type relayStep struct {
	step    int
	skimmed bool
	take    bool
}

// checkRelay runs steps through relay and simpleRelay, and reports what
// differs: the items merged, the events taken, the clock's steps back.
func checkRelay(t *testing.T, reorder int, withTake bool, steps []relayStep) {
	t.Helper()
	skimmed := &event.Event{}
	evs := make([]*event.Event, len(steps))
	takes := map[*event.Event]bool{}
	line := map[*event.Event]int64{} // not ev.Line: the pool clears the events taken
	for i, s := range steps {
		evs[i] = &event.Event{}
		takes[evs[i]], line[evs[i]] = s.take, int64(i+1)
	}
	var gotTaken, wantTaken []int64
	taker := func(list *[]int64) func(*event.Event) bool {
		if !withTake {
			return nil
		}
		return func(ev *event.Event) bool {
			if takes[ev] {
				*list = append(*list, line[ev])
				return true
			}
			return false
		}
	}
	s := &stream{ch: make(chan batch, 1)}
	r := &relay{w: newWindow(reorder + 1), reorder: reorder, take: taker(&gotTaken), skimmed: skimmed,
		s: s, ctx: context.Background(), pool: &eventPool{}}
	want := &simpleRelay{reorder: reorder, take: taker(&wantTaken), skimmed: skimmed}
	var key event.TimeKey
	for i, st := range steps {
		key.Sec += int64(st.step)
		ev := evs[i]
		if st.skimmed && withTake {
			ev = skimmed
		}
		r.add(key, ev)
		want.add(key, ev)
	}
	r.drain()
	want.drain()
	var got []item
	select {
	case b := <-s.ch:
		got = b.items
	default:
	}
	name := func(its []item) []string {
		var out []string
		for _, it := range its {
			switch it.ev {
			case nil:
				out = append(out, fmt.Sprintf("%d:place", it.key.Sec))
			default:
				out = append(out, fmt.Sprintf("%d:%d", it.key.Sec, line[it.ev]))
			}
		}
		return out
	}
	if g, w := name(got), name(want.out); !slices.Equal(g, w) {
		t.Errorf("merged %v, want %v", g, w)
	}
	if !slices.Equal(gotTaken, wantTaken) {
		t.Errorf("taken %v, want %v", gotTaken, wantTaken)
	}
	if len(r.pool.free) != len(want.put) {
		t.Errorf("%d events back in the pool, want %d", len(r.pool.free), len(want.put))
	}
	if r.backwards != want.backwards {
		t.Errorf("backwards %d, want %d", r.backwards, want.backwards)
	}
}

func TestRelayMatchesSimple(t *testing.T) {
	s := func(step int) relayStep { return relayStep{step: step} }
	k := func(step int) relayStep { return relayStep{step: step, skimmed: true} }
	tk := func(step int) relayStep { return relayStep{step: step, take: true} }
	for _, tc := range []struct {
		name    string
		reorder int
		steps   []relayStep
	}{
		{"empty", 2, nil},
		{"one", 2, []relayStep{s(1)}},
		{"in order", 2, []relayStep{s(1), tk(1), s(0), tk(2), tk(0), s(1)}},
		{"swap within window", 2, []relayStep{s(5), tk(-1), s(3), tk(-2)}},
		{"back past window", 2, []relayStep{tk(10), tk(1), tk(1), tk(1), s(-20), tk(1), tk(30)}},
		{"placeholders", 2, []relayStep{k(1), k(1), s(-5), k(10), tk(-1), k(0), k(-30), tk(1)}},
		{"placeholder then earlier", 1, []relayStep{k(10), k(1), s(-20), s(1)}},
		{"window of one", 1, []relayStep{tk(3), s(-1), k(-1), tk(5), k(-4), s(0)}},
		{"longer than the ring", 3, []relayStep{s(1), k(1), tk(1), s(1), k(-2), tk(1), s(1), k(1), tk(-3), s(1), k(9), tk(1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkRelay(t, tc.reorder, true, tc.steps)
			checkRelay(t, tc.reorder, false, tc.steps)
		})
	}
}

// FuzzRelay compares relay with simpleRelay on any sequence of keys,
// placeholders and take decisions.
func FuzzRelay(f *testing.F) {
	f.Add(uint8(2), true, []byte{1, 2, 3, 0x81, 5, 0xf0, 7})
	f.Add(uint8(1), true, []byte{0x40, 0x41, 0x80, 0xc3, 2, 0x20})
	f.Add(uint8(5), false, []byte{9, 8, 7, 6, 5, 4, 3, 2, 1})
	f.Fuzz(func(t *testing.T, reorder uint8, withTake bool, data []byte) {
		steps := make([]relayStep, len(data))
		for i, b := range data {
			// low bits: the step, -8..7; bit 4: skimmed; bit 5: taken;
			// bits 6-7 together: a step back of 50
			st := relayStep{step: int(b&0x0f) - 8, skimmed: b&0x10 != 0, take: b&0x20 != 0}
			if b&0xc0 == 0xc0 {
				st.step = -50
			}
			steps[i] = st
		}
		checkRelay(t, int(reorder%12)+1, withTake, steps)
	})
}
