package parse

import (
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// testModTime is the file time tests give year-less formats.
var testModTime = time.Date(2023, 8, 16, 0, 0, 0, 0, time.UTC)

// decodeText reads text as one input in the given format ("" to detect)
// and zone, and checks the line accounting. It returns the events in file
// order and the stats.
func decodeText(t testing.TB, formatID, zone, text string) ([]event.Event, Stats) {
	t.Helper()
	loc := time.UTC
	if zone != "" {
		var err error
		if loc, err = LoadZone(zone); err != nil {
			t.Fatal(err)
		}
	}
	spec := Spec{Path: "test.log", Source: "test", ModTime: testModTime, Loc: loc}
	if formatID != "" {
		if spec.Format = Lookup(formatID); spec.Format == nil {
			t.Fatalf("no format %q", formatID)
		}
	}
	var evs []event.Event
	st, err := ReadInput(strings.NewReader(text), spec, func(e *event.Event) { evs = append(evs, *e) })
	if err != nil {
		t.Fatalf("ReadInput: %v", err)
	}
	checkAccounting(t, st, evs)
	return evs, st
}

// checkAccounting asserts the invariants every input must keep.
func checkAccounting(t testing.TB, st Stats, evs []event.Event) {
	t.Helper()
	if st.Events+st.Continuation+st.Unparsed+st.Empty != st.Lines {
		t.Errorf("%s: events %d + continuation %d + unparsed %d + empty %d != lines %d",
			st.Path, st.Events, st.Continuation, st.Unparsed, st.Empty, st.Lines)
	}
	var lines int64
	for _, e := range evs {
		lines += int64(e.Lines)
		if e.Unparsed != e.Time.IsZero() {
			t.Errorf("%s:%d: unparsed=%v but time=%v", st.Path, e.Line, e.Unparsed, e.Time)
		}
		if !e.Time.IsZero() && e.Time.Location() != time.UTC {
			t.Errorf("%s:%d: time %v is not UTC", st.Path, e.Line, e.Time)
		}
	}
	if lines+st.Empty != st.Lines {
		t.Errorf("%s: events fold %d lines + %d empty != %d lines", st.Path, lines, st.Empty, st.Lines)
	}
}

// mustTime parses an RFC 3339 time for expectations.
func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm.UTC()
}

// takeOnly makes an Options.Local of a factory of take functions, with no
// plain function (nothing is skimmed).
func takeOnly(f func() func(*event.Event) bool) func() (take, plain func(*event.Event) bool) {
	return func() (take, plain func(*event.Event) bool) { return f(), nil }
}
