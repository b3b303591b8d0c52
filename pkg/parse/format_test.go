package parse

import (
	"strings"
	"testing"
)

// TestFormatExamples: every registered format reads each line of its own
// example as a record start (or a continuation), with a UTC time, and
// detection picks it for that example.
func TestFormatExamples(t *testing.T) {
	for _, f := range Formats() {
		t.Run(f.ID, func(t *testing.T) {
			evs, _ := decodeText(t, f.ID, "", f.Example+"\n")
			if len(evs) == 0 {
				t.Fatalf("example decoded to no events")
			}
			for _, e := range evs {
				if e.Unparsed {
					t.Errorf("example line %d is unparsed: %q", e.Line, e.Raw)
				}
				if e.Format != f.ID {
					t.Errorf("example line %d read by %q, want %q", e.Line, e.Format, f.ID)
				}
			}
			if f.ID == GenericID {
				return
			}
			_, st := decodeText(t, "", "", f.Example+"\n")
			if st.Format != f.ID {
				t.Errorf("Detect(example) = %q (%.2f), want %q; runner-up %q (%.2f)", st.Format, st.Confidence, f.ID, st.RunnerUp, st.RunnerUpConfidence)
			}
		})
	}
}

func TestGeneric(t *testing.T) {
	text := strings.Join([]string{
		"preamble without time",
		"2023-08-15 14:22:17,123 ERROR boom",
		"java.lang.IllegalStateException: x",
		"\tat a.b.C.d(C.java:1)",
		"",
		"Mon Aug 14 15:04:05 2023 [warn] later",
		"1692080537 epoch line",
		"[2020-04-23 00:28:21,796] [WARN ] [kafka-request-handler-7] padded",
	}, "\n")
	evs, st := decodeText(t, GenericID, "+08:00", text)
	if st.Lines != 8 || st.Unparsed != 1 || st.Continuation != 2 || st.Empty != 1 || st.Events != 4 {
		t.Fatalf("stats = %+v", st)
	}
	want := []struct{ time, level, msg string }{
		{"", "", "preamble without time"},
		{"2023-08-15T06:22:17.123Z", "error", "boom\njava.lang.IllegalStateException: x\n\tat a.b.C.d(C.java:1)"},
		{"2023-08-14T07:04:05Z", "warn", "later"},
		{"2023-08-15T06:22:17Z", "", "epoch line"},
		{"2020-04-22T16:28:21.796Z", "warn", "[kafka-request-handler-7] padded"},
	}
	if len(evs) != len(want) {
		t.Fatalf("got %d events, want %d", len(evs), len(want))
	}
	for i, w := range want {
		e := evs[i]
		if w.time != "" && !e.Time.Equal(mustTime(t, w.time)) || string(e.Level) != w.level || e.Message != w.msg {
			t.Errorf("event %d = %v %q %q, want %s %q %q", i, e.Time, e.Level, e.Message, w.time, w.level, w.msg)
		}
	}
}
