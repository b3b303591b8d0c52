package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestAnalyzeDemoJSON checks the report-v1 contract on the demo bundle and
// the outcome the bundle's TRUTH.md states: the tax authority API failed
// first and everything else followed.
func TestAnalyzeDemoJSON(t *testing.T) {
	stdout, stderr, code := run(t, "analyze", "--format", "json", demoBundle)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	for _, k := range []string{"schema", "tool", "generated_at", "inputs", "summary", "incidents"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("report lacks %q", k)
		}
	}
	if raw["schema"] != "rca.report/v1" {
		t.Errorf("schema = %v", raw["schema"])
	}
	checkNoNullArrays(t, "report", raw)
	var rep struct {
		Inputs []struct {
			Path                                         string
			Lines, Events, Continuation, Unparsed, Empty int64
		}
		Summary struct {
			Incidents int
		}
		Incidents []struct {
			ID, Severity string
			Services     []string
			Causes       []struct {
				Service, Kind, Summary string
				Confidence             float64
				Evidence               []struct {
					File string
					Line int64
				}
			}
			Timeline []struct{ Count int64 }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	for _, in := range rep.Inputs {
		if in.Events+in.Continuation+in.Unparsed+in.Empty != in.Lines {
			t.Errorf("%s: line accounting does not add up", in.Path)
		}
		if strings.HasSuffix(in.Path, ".md") || in.Path == "rca.yaml" {
			t.Errorf("%s listed as an input", in.Path)
		}
	}
	if rep.Summary.Incidents != len(rep.Incidents) || len(rep.Incidents) == 0 {
		t.Fatalf("summary says %d incidents, report has %d", rep.Summary.Incidents, len(rep.Incidents))
	}
	top := rep.Incidents[0]
	if top.Severity != "critical" || len(top.Causes) == 0 {
		t.Fatalf("top incident = %+v", top)
	}
	c := top.Causes[0]
	if c.Service != "api.tax.example.gov" || c.Kind != "upstream_unavailable" {
		t.Errorf("top cause = %s/%s (%s), want api.tax.example.gov/upstream_unavailable per TRUTH.md", c.Service, c.Kind, c.Summary)
	}
	if len(c.Evidence) == 0 || c.Evidence[0].File == "" || c.Evidence[0].Line == 0 {
		t.Errorf("top cause has no file:line evidence: %+v", c.Evidence)
	}
	collapsed := false
	for _, r := range top.Timeline {
		if r.Count > 1 {
			collapsed = true
		}
	}
	if !collapsed {
		t.Errorf("timeline collapses no repeats")
	}
}

// checkNoNullArrays walks a decoded JSON value: the spec says arrays are
// never null.
func checkNoNullArrays(t *testing.T, path string, v any) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			switch k {
			case "inputs", "incidents", "services", "signals", "causes", "evidence", "timeline", "series", "events", "warnings", "errors":
				if e == nil {
					t.Errorf("%s.%s is null, want []", path, k)
				}
			}
			checkNoNullArrays(t, path+"."+k, e)
		}
	case []any:
		for _, e := range x {
			checkNoNullArrays(t, path+"[]", e)
		}
	}
}

func TestAnalyzeQuietWindowHasNoIncident(t *testing.T) {
	// The demo's first 45 minutes: steady traffic, a health-check 404
	// stream, recurring warnings - and nothing wrong.
	stdout, _, code := run(t, "analyze", "--format", "json", "--until", "2023-08-15T05:15:00Z", demoBundle)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var rep struct{ Incidents []any }
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Incidents) != 0 {
		t.Errorf("%d incidents in a quiet window, want none:\n%s", len(rep.Incidents), stdout)
	}
}

func TestAnalyzeFailOnAndFormats(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"analyze", "--fail-on", "critical", demoBundle}, 3, "INC-1"},
		{[]string{"analyze", "--fail-on", "none", demoBundle}, 0, "api.tax.example.gov — upstream_unavailable"},
		{[]string{"analyze", "--fail-on", "critical", "--until", "2023-08-15T05:15:00Z", demoBundle}, 0, "No incident"},
		{[]string{"analyze", "--fail-on", "sometimes", demoBundle}, 1, ""},
		{[]string{"analyze", "--format", "yaml", demoBundle}, 1, ""},
		{[]string{"analyze", "--format", "markdown", demoBundle}, 0, "| # | service | kind |"},
	}
	for _, tt := range tests {
		stdout, stderr, code := run(t, tt.args...)
		if code != tt.code || !strings.Contains(stdout+stderr, tt.want) {
			t.Errorf("rca %s: exit %d (want %d), output lacks %q:\n%.400s\n%s", strings.Join(tt.args, " "), code, tt.code, tt.want, stdout, stderr)
		}
		if strings.ContainsRune(stdout, 0x1b) {
			t.Errorf("rca %s: output to a non-terminal carries escape codes", strings.Join(tt.args, " "))
		}
	}
}
