package parse

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

// TestLocalKeepsTheOrderOfTheRest runs inputs whose clocks go back further
// than the reorder window, with a Local that would take every event it is
// offered, and checks that the events emitted are those of a run without
// Local, in the same order, less the ones taken, and that the taken ones
// were each taken once, in their input's order.
func TestLocalKeepsTheOrderOfTheRest(t *testing.T) {
	dir := t.TempDir()
	// a: in order, then back by a minute (past a 2-event window), then on;
	// b: interleaves with a; c: one equal time after another, and an
	// unparsed line
	var a, b, c strings.Builder
	for i := range 12 {
		fmt.Fprintf(&a, "2023-08-15T00:%02d:%02dZ a%d\n", i/6, i%6*10, i)
	}
	fmt.Fprintf(&a, "2023-08-15T00:00:05Z a-back\n2023-08-15T00:02:00Z a-end\n")
	for i := range 8 {
		fmt.Fprintf(&b, "2023-08-15T00:%02d:%02dZ b%d\n", i/4, i%4*15+5, i)
	}
	fmt.Fprintf(&c, "2023-08-15T00:00:30Z c0\n2023-08-15T00:00:30Z c1\nno time here\n2023-08-15T00:00:20Z c2\n2023-08-15T00:01:30Z c3\n")
	for name, s := range map[string]string{"a.log": a.String(), "b.log": b.String(), "c.log": c.String()} {
		writeFile(t, filepath.Join(dir, name), []byte(s))
	}
	paths := []string{filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log"), filepath.Join(dir, "c.log")}
	all, _ := runPlan(t, paths, Options{Reorder: 2})

	for _, tc := range []struct {
		name string
		take func(n int, ev *event.Event) bool // n: offers so far to this input's taker
	}{
		{"all", func(int, *event.Event) bool { return true }},
		{"every other", func(n int, _ *event.Event) bool { return n%2 == 0 }},
		{"every third", func(n int, _ *event.Event) bool { return n%3 == 0 }},
		{"a only", func(_ int, ev *event.Event) bool { return strings.HasSuffix(ev.File, "a.log") }},
		{"b only", func(_ int, ev *event.Event) bool { return strings.HasSuffix(ev.File, "b.log") }},
		{"c only", func(_ int, ev *event.Event) bool { return strings.HasSuffix(ev.File, "c.log") }},
		{"a but the line back", func(_ int, ev *event.Event) bool {
			return strings.HasSuffix(ev.File, "a.log") && ev.Message != "a-back"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			taken := map[string][]string{}
			opts := Options{Reorder: 2, Local: takeOnly(func() func(*event.Event) bool {
				n := 0
				return func(ev *event.Event) bool {
					n++
					if !tc.take(n, ev) {
						return false
					}
					mu.Lock()
					taken[ev.File] = append(taken[ev.File], ev.Message)
					mu.Unlock()
					return true
				}
			})}
			got, _ := runPlan(t, paths, opts)
			var want []string
			gone := map[string]bool{}
			for _, msgs := range taken {
				for _, m := range msgs {
					if gone[m] {
						t.Fatalf("%q taken twice", m)
					}
					gone[m] = true
				}
			}
			perFile := map[string][]string{}
			for _, e := range all {
				if gone[e.Message] {
					perFile[e.File] = append(perFile[e.File], e.Message)
				} else {
					want = append(want, e.Message)
				}
			}
			var have []string
			for _, e := range got {
				have = append(have, e.Message)
			}
			if !slices.Equal(have, want) {
				t.Errorf("emitted\n %q\nwant\n %q", have, want)
			}
			for f, msgs := range taken {
				if !slices.Equal(msgs, perFile[f]) {
					t.Errorf("%s: taken %q, want them in input order %q", f, msgs, perFile[f])
				}
			}
			if tc.name == "all" && len(gone) == 0 {
				t.Error("nothing was offered")
			}
		})
	}
}

// TestLocalIsAskedOncePerInput: one taker per input read.
func TestLocalIsAskedOncePerInput(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"x.log", "y.log"} {
		writeFile(t, filepath.Join(dir, n), []byte("2023-08-15T00:00:00Z m\n"))
	}
	plan, err := NewPlan([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	opts := Options{Local: takeOnly(func() func(*event.Event) bool {
		calls++
		return func(*event.Event) bool { return false }
	})}
	if _, err := plan.Run(context.Background(), opts, func(*event.Event) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if calls != 2 {
		t.Errorf("Local called %d times, want 2", calls)
	}
}

// TestLocalReusesTakenEvents: events taken by Local are handed out again
// for later lines (they never leave the reading goroutine).
func TestLocalReusesTakenEvents(t *testing.T) {
	dir := t.TempDir()
	var sb strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&sb, "time=2023-08-15T00:%02d:%02dZ level=info msg=\"line %d\" key%d=v%d\n", i/60%60, i%60, i, i%5, i)
	}
	writeFile(t, filepath.Join(dir, "a.log"), []byte(sb.String()))
	seen := map[*event.Event]bool{}
	taken, wrong := 0, 0
	opts := Options{Local: takeOnly(func() func(*event.Event) bool {
		return func(ev *event.Event) bool {
			seen[ev] = true
			taken++
			if len(ev.Fields) != 1 || ev.Fields[0].Key != fmt.Sprintf("key%d", (ev.Line-1)%5) {
				wrong++
			}
			return true
		}
	})}
	runPlan(t, []string{dir}, opts)
	if taken < 2900 {
		t.Fatalf("took %d events, want nearly all 3000", taken)
	}
	if len(seen)*4 > taken {
		t.Errorf("%d distinct events for %d taken: taken events are not reused", len(seen), taken)
	}
	if wrong > 0 {
		t.Errorf("%d events with fields other than their line's", wrong)
	}
}

// TestEventPoolHandsOutBlankEvents: an event put back comes out of the
// slab zeroed, its field slots cleared, their room kept.
func TestEventPoolHandsOutBlankEvents(t *testing.T) {
	pool := &eventPool{}
	s := eventSlab{pool: pool}
	ev := s.next()
	ev.Message, ev.Raw, ev.Line, ev.Kind = "m", "r", 7, "k"
	ev.Fields = append(ev.Fields, event.Field{Key: "a", Value: "1"}, event.Field{Key: "b", Value: "2"})
	room := cap(ev.Fields)
	pool.put(ev)
	got := s.next()
	if got != ev {
		t.Fatal("the event put back was not handed out again")
	}
	if got.Message != "" || got.Raw != "" || got.Line != 0 || got.Kind != "" || len(got.Fields) != 0 || cap(got.Fields) != room {
		t.Errorf("reused event = %+v (cap %d), want blank with room %d", *got, cap(got.Fields), room)
	}
	if f := got.Fields[:room]; f[0] != (event.Field{}) || f[1] != (event.Field{}) {
		t.Errorf("field slots not cleared: %+v", f)
	}
	if s.next() == ev {
		t.Error("an event handed out twice")
	}
}
