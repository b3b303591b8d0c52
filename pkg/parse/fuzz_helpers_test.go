package parse

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// fuzzFormat is the body of every format's fuzz target. It feeds arbitrary
// text to the format (forced) and to detection, and checks properties, not
// just "no panic": every time is UTC, the line accounting adds up, unparsed
// events and only they have no time, and decoding is deterministic.
func fuzzFormat(f *testing.F, id string, seeds ...string) {
	if Lookup(id) == nil {
		f.Fatalf("no format %q", id)
	}
	f.Add(Lookup(id).Example)
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		run := func(format *Format) ([]event.Event, Stats) {
			spec := Spec{Path: "fuzz.log", Source: "fuzz", ModTime: testModTime, Loc: time.FixedZone("-02:00", -7200), Format: format, MaxLine: 4096}
			var evs []event.Event
			st, err := ReadInput(strings.NewReader(text), spec, func(e *event.Event) { evs = append(evs, *e) })
			if err != nil {
				t.Fatalf("ReadInput: %v", err)
			}
			return evs, st
		}
		evs, st := run(Lookup(id))
		if st.Skipped == "" {
			checkAccounting(t, st, evs)
		}
		evs2, st2 := run(Lookup(id))
		if !reflect.DeepEqual(evs, evs2) || !reflect.DeepEqual(st, st2) {
			t.Fatalf("decoding is not deterministic")
		}
		// Events must not alias the line buffer, nor arena bytes be
		// written twice: decoded from a buffer overwritten after every
		// line, in chunks small enough for records to move, they stay
		// what they were when emitted, and what default chunks make.
		got, seen := decodeScribbled(Lookup(id), text, 16)
		plain, _ := decodeScribbled(Lookup(id), text, 0)
		if !reflect.DeepEqual(got, seen) || !reflect.DeepEqual(got, plain) {
			t.Fatalf("events changed after they were emitted, or with the arena's chunk size")
		}
		_, d1 := run(nil)
		_, d2 := run(nil)
		if d1.Format != d2.Format || d1.Confidence != d2.Confidence {
			t.Fatalf("detection is not deterministic: %s vs %s", d1.Format, d2.Format)
		}
	})
}

func FuzzGeneric(f *testing.F) {
	fuzzFormat(f, GenericID, "Mon Jan  2 15:04:05 2023 boom\n\tat x\n", "[2023-08-15 14:22:17] ERROR x\n", "1692080537123 x\n")
}

func FuzzDetect(f *testing.F) {
	for _, fm := range Formats() {
		f.Add(fm.Example)
	}
	f.Fuzz(func(t *testing.T, text string) {
		lines := sampleLinesOf([]byte(text), true)
		ctx := &Context{Loc: time.UTC, ModTime: testModTime}
		a, b := Detect(lines, ctx), Detect(lines, ctx)
		if a.Format != b.Format || a.Confidence != b.Confidence {
			t.Fatalf("Detect is not deterministic: %s vs %s", a.Format.ID, b.Format.ID)
		}
	})
}
