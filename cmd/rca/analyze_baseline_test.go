package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// baselineReport is what the baseline tests read of a report.
type baselineReport struct {
	Baseline *struct {
		Runs []struct {
			Path    string
			Events  int64
			Minutes float64
			Inputs  []struct{ Path, Source string }
		}
		Sources, Uncovered []string
	}
	Incidents []struct {
		Causes []struct{ Service, Kind string }
	}
}

func analyzeJSON(t *testing.T, args ...string) baselineReport {
	t.Helper()
	stdout, stderr, code := run(t, append([]string{"analyze", "--no-index", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("rca analyze %q: exit %d: %s", args, code, stderr)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if _, ok := raw["baseline"]; !ok {
		t.Errorf("the report has no baseline field (null without --baseline)")
	}
	checkNoNullArrays(t, "report", raw)
	var rep baselineReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestAnalyzeBaseline runs `rca analyze --baseline` end to end on
// generated bundles: a failing run of the scenario platform against a good
// run in which the red herrings happen too. The herring's incident goes,
// the root cause stays first, and the report names the baseline (JSON,
// text, Markdown, HTML).
func TestAnalyzeBaseline(t *testing.T) {
	good := writeScenario(t, "steady-herrings", 2)
	steady := writeScenario(t, "steady", 3)
	bad := writeScenario(t, "third-party-api-timeout", 1)

	alone := analyzeJSON(t, bad)
	if alone.Baseline != nil {
		t.Errorf("without --baseline: baseline = %+v, want null", alone.Baseline)
	}
	with := analyzeJSON(t, "--baseline", good, bad)
	if with.Baseline == nil || len(with.Baseline.Runs) != 1 {
		t.Fatalf("baseline = %+v, want one run", with.Baseline)
	}
	r := with.Baseline.Runs[0]
	if r.Path != good || r.Events == 0 || r.Minutes < 60 || len(r.Inputs) == 0 || len(with.Baseline.Sources) == 0 {
		t.Errorf("baseline run = %+v", r)
	}
	if len(with.Baseline.Uncovered) != 0 {
		t.Errorf("uncovered = %q, want none: the good run has every source of the bundle", with.Baseline.Uncovered)
	}
	top := func(rep baselineReport) string {
		if len(rep.Incidents) == 0 || len(rep.Incidents[0].Causes) == 0 {
			return "(none)"
		}
		return rep.Incidents[0].Causes[0].Service + "/" + rep.Incidents[0].Causes[0].Kind
	}
	if top(alone) != "paygate/timeout" || top(with) != "paygate/timeout" {
		t.Errorf("top cause alone %s, with the baseline %s; want paygate/timeout", top(alone), top(with))
	}
	if len(with.Incidents) >= len(alone.Incidents) {
		t.Errorf("%d incidents with the baseline, %d alone: the herring's should be gone", len(with.Incidents), len(alone.Incidents))
	}

	two := analyzeJSON(t, "--baseline", good, "--baseline", steady, bad)
	if two.Baseline == nil || len(two.Baseline.Runs) != 2 || two.Baseline.Runs[1].Path != steady {
		t.Errorf("two baselines: %+v", two.Baseline)
	}
	if top(two) != "paygate/timeout" {
		t.Errorf("two baselines: top cause %s", top(two))
	}

	oom := writeScenario(t, "oom-restart-loop", 1)
	rep := analyzeJSON(t, "--baseline", steady, oom)
	if rep.Baseline == nil || strings.Join(rep.Baseline.Uncovered, ",") != "node-2" {
		t.Errorf("oom-restart-loop against steady: uncovered = %+v, want node-2 (the good run has no node log)", rep.Baseline)
	}

	stdout, _, code := run(t, "analyze", "--no-index", "--baseline", good, bad)
	if code != 0 || !strings.Contains(stdout, "baseline "+good+" (1 run: ") {
		t.Errorf("text: exit %d, no baseline line:\n%s", code, stdout)
	}
	stdout, _, code = run(t, "analyze", "--no-index", "--format", "markdown", "--baseline", good, bad)
	if code != 0 || !strings.Contains(stdout, "Baseline (good runs): ") {
		t.Errorf("markdown: exit %d, no baseline line:\n%s", code, stdout)
	}
	stdout, _, code = run(t, "analyze", "--no-index", "--format", "html", "--baseline", good, steady)
	if code != 0 || !strings.Contains(stdout, "Baseline (good runs): ") || !strings.Contains(stdout, "nothing deviates from the good runs") {
		t.Errorf("html of a steady run against a good one: exit %d:\n%.2000s", code, stdout)
	}
	// the demo bundle is another system: the good run shares few of its templates
	if _, stderr, code := run(t, "analyze", "--no-index", "--baseline", steady, demoBundle); code != 0 || !strings.Contains(stderr, "are they runs of the same system?") {
		t.Errorf("a good run of another system: exit %d, stderr %q; want a warning", code, stderr)
	}
	if _, stderr, _ := run(t, "analyze", "--no-index", "--baseline", good, bad); strings.Contains(stderr, "same system") {
		t.Errorf("a good run of the same system: warning %q", stderr)
	}
	if _, stderr, code := run(t, "analyze", "--no-index", "--baseline", good+"/no-such-run", bad); code != 1 || !strings.Contains(stderr, "no-such-run") {
		t.Errorf("a missing baseline: exit %d, stderr %q; want 1 and the path named", code, stderr)
	}
}
