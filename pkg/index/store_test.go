package index

import (
	"reflect"
	"strings"
	"testing"

	"github.com/golang/snappy"

	"github.com/rca-dev/rca/pkg/event"
)

// TestEventRoundTrip: a notable event reads back from its chunk as it was
// stored: the demo events, and messages in and out of their raw text,
// empty, and cut where an indexed text ends. The messages of all but the
// access lines' events (which are built from the request) are stored as
// their place in the raw text (47% of the demo events), and most field
// values: they read back as part of the raw text read back.
func TestEventRoundTrip(t *testing.T) {
	evs := demoEvents(t)
	long := strings.Repeat("trace line\n", maxIndexedText/8)
	raw := "2023-08-15 06:00:00.000 ERROR 1 --- [main] c.e.App : boom\n" + long
	for _, msg := range []string{raw[52:], raw[52:56], "not in the raw text", "", raw[len(raw)-20:], string([]byte(raw[52:60]))} {
		evs = append(evs, &event.Event{File: "a.log", Line: 9, Raw: raw, Message: msg, Level: event.LevelError,
			Fields: []event.Field{{Key: "k", Value: "v"}}})
	}
	var b []byte
	inRaw, values, valuesInRaw := 0, 0, 0
	for _, ev := range evs {
		b = appendEvent(b[:0], ev)
		got, err := decodeChunk(snappy.Encode(nil, b), ev.File)
		if err != nil || len(got) != 1 {
			t.Fatalf("%s:%d: %d events, %v", ev.File, ev.Line, len(got), err)
		}
		want := *ev
		want.Raw, want.Message = indexedText(ev.Raw), indexedText(ev.Message)
		if !want.Time.IsZero() {
			want.Time = want.Time.UTC()
		}
		g := *got[0]
		if _, ok := within(g.Message, g.Raw); ok {
			inRaw++
		}
		for _, f := range g.Fields {
			values++
			if _, ok := within(f.Value, g.Raw); ok {
				valuesInRaw++
			}
		}
		if len(g.Fields) == 0 && len(want.Fields) == 0 {
			g.Fields, want.Fields = nil, nil
		}
		if !reflect.DeepEqual(g, want) {
			t.Fatalf("%s:%d read back as\n%+v\nwant\n%+v", ev.File, ev.Line, g, want)
		}
	}
	if inRaw < len(evs)*2/5 {
		t.Errorf("%d of %d messages stored as their place in the raw text", inRaw, len(evs))
	}
	if valuesInRaw < values*3/4 {
		t.Errorf("%d of %d field values stored as their place in the raw text", valuesInRaw, values)
	}
	t.Logf("in the raw text: %d of %d messages, %d of %d field values", inRaw, len(evs), valuesInRaw, values)
}

// FuzzDecodeChunk: whatever a chunk holds, reading it fails or gives
// events, and never panics; a message said to lie in the raw text lies
// there.
func FuzzDecodeChunk(f *testing.F) {
	ev := &event.Event{Raw: "a raw line: its message", Level: event.LevelError}
	ev.Message = ev.Raw[12:]
	ev.Fields = []event.Field{{Key: "k", Value: "v"}, {Key: "w", Value: ev.Raw[2:5]}}
	f.Add(appendEvent(nil, ev))
	ev.Message = "elsewhere"
	f.Add(appendEvent(nil, ev))
	f.Fuzz(func(t *testing.T, raw []byte) {
		evs, err := decodeChunk(snappy.Encode(nil, raw), "a.log")
		if err != nil {
			return
		}
		for _, ev := range evs {
			if ev.File != "a.log" {
				t.Fatalf("file %q", ev.File)
			}
		}
	})
}
