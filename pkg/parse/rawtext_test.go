package parse

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

func TestRawTextPut(t *testing.T) {
	type step struct {
		line string
		grow bool // continue the record
	}
	tests := []struct {
		name   string
		chunk  int
		steps  []step
		record string // the record's text after the steps
	}{
		{"one line", 0, []step{{"a", false}}, "a"},
		{"record grows in place", 0, []step{{"head", false}, {"more", true}, {"last", true}}, "head\nmore\nlast"},
		{"record moves to a new chunk", 8, []step{{"head", false}, {"more", true}, {"last", true}}, "head\nmore\nlast"},
		{"line longer than a chunk", 4, []step{{"head", false}, {"a long continuation", true}}, "head\na long continuation"},
		{"new record after others", 8, []step{{"x", false}, {"y", true}, {"first", false}, {"second", true}}, "first\nsecond"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := rawText{chunk: tt.chunk}
			var start, end int
			var got []string
			for _, s := range tt.steps {
				buf := []byte(s.line)
				str, at := rt.put(buf, s.grow, &start, &end)
				copy(buf, strings.Repeat("#", len(buf))) // the caller reuses its buffer
				if !s.grow {
					start = at
				}
				end = at + len(s.line)
				got = append(got, str)
			}
			for i, s := range tt.steps {
				if got[i] != s.line {
					t.Errorf("line %d: %q, want %q", i, got[i], s.line)
				}
			}
			if r := rt.str(start, end); r != tt.record {
				t.Errorf("record %q, want %q", r, tt.record)
			}
		})
	}
}

// TestDecoderKeepsNoAlias feeds inputs line by line from one buffer that
// is overwritten after every line, with arena chunks small enough that
// records move between them, and checks that the events, kept until the
// end, are what they were when emitted and what a plain run makes of the
// same text. A decoder or the framework that kept a string aliasing the
// line buffer, or an arena byte written twice, changes one of them.
func TestDecoderKeepsNoAlias(t *testing.T) {
	bundle := filepath.Join("..", "..", "testdata", "bundles", "invoice-outage")
	files := map[string]string{ // format: file
		MySQLBinlogID: filepath.Join(bundle, "mysql", "binlog.000042.txt"),
		MySQLSlowID:   filepath.Join(bundle, "mysql", "slow.log"),
		SpringBootID:  filepath.Join(bundle, "order-service", "application.log"),
		GenericID:     filepath.Join(bundle, "mysql", "error.log"),
	}
	inputs := []struct{ name, format, text string }{
		// past the caps: lines that are read but not kept
		{"trace over the line cap", SpringBootID, Lookup(SpringBootID).Example + strings.Repeat("\n\tat x.Y.z(Y.java:1)", maxEventLines+10) + "\n" + Lookup(SpringBootID).Example},
		{"trace over the byte cap", SpringBootID, Lookup(SpringBootID).Example + strings.Repeat("\n\tat "+strings.Repeat("x", 100<<10), 12) + "\n" + Lookup(SpringBootID).Example},
		// a long line kept out, shorter ones after it kept; a long record start after a long record
		{"short lines after the byte cap", SpringBootID, Lookup(SpringBootID).Example + strings.Repeat("\n\tat "+strings.Repeat("x", 300<<10), 4) + strings.Repeat("\n\tat short", 3) +
			"\n2023-08-15 14:22:18.000 ERROR 1 --- [main] c.e.Long : " + strings.Repeat("y", 200<<10) + "\n\tat after\n" + Lookup(SpringBootID).Example},
	}
	for _, id := range []string{MySQLBinlogID, MySQLSlowID, SpringBootID} {
		inputs = append(inputs, struct{ name, format, text string }{id + " example", id, Lookup(id).Example})
	}
	for id, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, struct{ name, format, text string }{f, id, string(data)})
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			f := Lookup(in.format)
			spec := Spec{Path: "x.log", Source: "x", ModTime: testModTime, Loc: time.UTC, Format: f}
			var want []*event.Event
			if _, err := ReadInput(strings.NewReader(in.text), spec, func(ev *event.Event) { want = append(want, ev) }); err != nil {
				t.Fatal(err)
			}
			for _, chunk := range []int{16, 256, 0} {
				got, seen := decodeScribbled(f, in.text, chunk)
				if !reflect.DeepEqual(got, seen) {
					t.Fatalf("chunk %d: events changed after they were emitted", chunk)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("chunk %d: %d events differ from ReadInput's %d", chunk, len(got), len(want))
				}
			}
		})
	}
}

// decodeScribbled decodes text's lines with format f, each from a buffer
// overwritten after the line, in arena chunks of the given size. It
// returns the events, kept until the end, and copies taken when each was
// emitted.
func decodeScribbled(f *Format, text string, chunk int) (got, seen []*event.Event) {
	ctx := &Context{Loc: time.UTC, ModTime: testModTime}
	d := newDecoder(f, ctx, "x", "x.log", &Stats{}, func(ev *event.Event) {
		got = append(got, ev)
		seen = append(seen, cloneEvent(ev))
	})
	d.text.chunk = chunk
	buf := make([]byte, 0, len(text)) // room for its longest line
	off := int64(0)
	for i, l := range strings.Split(text, "\n") {
		buf = append(buf[:0], l...)
		d.line(buf, off, int64(i+1), false)
		for k := range buf {
			buf[k] = '#'
		}
		off += int64(len(l)) + 1
	}
	d.finish()
	return got, seen
}

// cloneEvent copies ev with every string in memory of its own.
func cloneEvent(ev *event.Event) *event.Event {
	c := *ev
	c.Source, c.File, c.Format, c.Message, c.Raw = strings.Clone(c.Source), strings.Clone(c.File), strings.Clone(c.Format), strings.Clone(c.Message), strings.Clone(c.Raw)
	c.Fields = nil
	if ev.Fields != nil {
		c.Fields = make([]event.Field, 0, len(ev.Fields)) // empty stays empty, not nil
	}
	for _, f := range ev.Fields {
		c.Fields = append(c.Fields, event.Field{Key: strings.Clone(f.Key), Value: strings.Clone(f.Value)})
	}
	return &c
}
