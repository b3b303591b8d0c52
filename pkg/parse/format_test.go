package parse

import (
	"fmt"
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

// TestDetectToleratesForeignLines: a product format keeps a file in which
// a few lines are another program's that the generic fallback reads, even
// when the fallback reads the product's own lines too (HAProxy via syslog).
func TestDetectToleratesForeignLines(t *testing.T) {
	if Lookup("haproxy") == nil {
		t.Skip("haproxy not registered")
	}
	var b strings.Builder
	for i := 0; i < 17; i++ {
		fmt.Fprintf(&b, "Sep 20 15:44:%02d lb1 haproxy[1234]: 10.0.0.7:52345 [20/Sep/2023:15:44:%02d.123] fe_https~ be_api/api1 0/0/1/12/13 200 212 - - ---- 1/1/0/0/0 0/0 \"GET /x HTTP/1.1\"\n", i, i)
	}
	for i := 0; i < 3; i++ { // 15% foreign: without the fallback credit generic would win
		b.WriteString("Sep 20 15:45:00 lb1 systemd[1]: Reloading HAProxy Load Balancer.\n")
	}
	_, st := decodeText(t, "", "", b.String())
	if st.Format != "haproxy" {
		t.Errorf("Detect = %q (%.2f), want haproxy; runner-up %q (%.2f)", st.Format, st.Confidence, st.RunnerUp, st.RunnerUpConfidence)
	}
}
