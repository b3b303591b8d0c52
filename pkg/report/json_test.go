package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

func TestWriteJSONCompactsNumberArrays(t *testing.T) {
	rep := &event.Report{Schema: event.ReportSchema, Inputs: []event.InputSummary{}, Incidents: []event.Incident{},
		Series: []event.Series{{Service: "api", BucketSeconds: 30, Events: []int64{1, 2, 30}, Warnings: []int64{0, 0, 0}, Errors: []int64{0, -1, 2}}}}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`"events": [1, 2, 30],`, `"errors": [0, -1, 2]`, `"inputs": [],`} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteJSON output lacks %q:\n%s", want, out)
		}
	}
	var back event.Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || back.Series[0].Events[2] != 30 {
		t.Errorf("output does not round-trip: %v", err)
	}
}

func TestWriteJSONNullSeriesIsEmptyArray(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, &event.Report{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"series": []`) {
		t.Errorf("series is not []:\n%s", buf.String())
	}
}

func TestCompactNumberArraysLeavesStringsAlone(t *testing.T) {
	in := "{\n  \"a\": [\n    \"1\",\n    2\n  ],\n  \"b\": \"[\\n 1\\n]\"\n}\n"
	if got := string(compactNumberArrays([]byte(in))); got != in {
		t.Errorf("compactNumberArrays(%q) = %q, want it unchanged", in, got)
	}
}
