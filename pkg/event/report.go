package event

import (
	"time"
)

// ReportSchema is the schema id of the JSON report (shared/spec/report-v1.md).
const ReportSchema = "rca.report/v1"

// Report is the result of an analysis: the value correlate produces and
// report renders. Its JSON form is the report-v1 contract: fields are added,
// never renamed or removed; unknown values are null, arrays never null.
type Report struct {
	Schema      string         `json:"schema"`
	Tool        Tool           `json:"tool"`
	GeneratedAt Time           `json:"generated_at"`
	Inputs      []InputSummary `json:"inputs"`
	Summary     Summary        `json:"summary"`
	Incidents   []Incident     `json:"incidents"`
	// Series is each service's activity over the bundle's span (added in
	// v1, additive): what a chart of error rate over time draws.
	Series []Series `json:"series"`
	// Baseline names the good runs the analysis compared the bundle with
	// (`rca analyze --baseline`; added in v1, additive); null when the
	// bundle's own quiet periods were its baseline.
	Baseline *Baseline `json:"baseline"`
}

// Baseline says which good runs an analysis learned what is normal from.
// Sources lists the sources the good runs have; Uncovered the sources of
// the analysed bundle they lack, which were judged against the bundle's
// own quiet periods instead.
//
// SharedTemplates is the share of the bundle's warning and error templates
// (of the sources the good runs have) that the good runs show too: the
// rest is new. Between runs of one system most templates are shared even
// in an outage; a low share says the good runs are of another system (or
// of a very different version), and the comparison means little.
type Baseline struct {
	Runs            []BaselineRun `json:"runs"`
	Sources         []string      `json:"sources"`
	Uncovered       []string      `json:"uncovered"`
	SharedTemplates float64       `json:"shared_templates"`
}

// BaselineRun is one good run: the path it was read from, its events with
// a time, its span and its inputs.
type BaselineRun struct {
	Path    string         `json:"path"`
	Events  int64          `json:"events"`
	Start   Time           `json:"start"`
	End     Time           `json:"end"`
	Minutes float64        `json:"minutes"`
	Inputs  []InputSummary `json:"inputs"`
}

// Series counts one service's events in equal time buckets over the
// bundle's span, on the common (skew-corrected) clock: bucket i covers
// [Start + i*BucketSeconds, Start + (i+1)*BucketSeconds). All services of a
// report share Start, BucketSeconds and the number of buckets. Errors
// counts error and fatal events, Warnings warn events, Events all events
// with a time (unparsed lines have none).
type Series struct {
	Service       string  `json:"service"`
	BucketSeconds int64   `json:"bucket_seconds"`
	Start         Time    `json:"start"`
	Events        []int64 `json:"events"`
	Warnings      []int64 `json:"warnings"`
	Errors        []int64 `json:"errors"`
}

// Tool names the program that wrote a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// InputSummary accounts for one input of the bundle.
type InputSummary struct {
	Path         string  `json:"path"`
	Source       string  `json:"source"`
	Format       *string `json:"format"`
	Timezone     string  `json:"timezone"`
	Lines        int64   `json:"lines"`
	Events       int64   `json:"events"`
	Continuation int64   `json:"continuation"`
	Unparsed     int64   `json:"unparsed"`
	Empty        int64   `json:"empty"`
	First        Time    `json:"first"`
	Last         Time    `json:"last"`
	SkewSeconds  float64 `json:"skew_seconds"`
	Skipped      *string `json:"skipped"`
}

// Summary counts the whole bundle.
type Summary struct {
	Events    int64 `json:"events"`
	Errors    int64 `json:"errors"`
	Warnings  int64 `json:"warnings"`
	Start     Time  `json:"start"`
	End       Time  `json:"end"`
	Incidents int   `json:"incidents"`
}

// Severity of an incident, what --fail-on compares.
const (
	SeverityCritical = "critical"
	SeverityWarning  = "warning"
	SeverityInfo     = "info"
)

// Incident is one anomalous window and its likely causes.
type Incident struct {
	ID       string        `json:"id"`
	Rank     int           `json:"rank"`
	Score    float64       `json:"score"`
	Severity string        `json:"severity"`
	Start    Time          `json:"start"`
	End      Time          `json:"end"`
	Services []string      `json:"services"`
	Signals  []Signal      `json:"signals"`
	Causes   []Cause       `json:"causes"`
	Timeline []TimelineRow `json:"timeline"`
}

// Signal aggregates one kind of failure seen at one service.
type Signal struct {
	Kind    string  `json:"kind"`
	Service string  `json:"service"`
	Count   int64   `json:"count"`
	First   Time    `json:"first"`
	Last    Time    `json:"last"`
	Target  *string `json:"target"`
}

// Cause is one ranked hypothesis.
type Cause struct {
	Rank       int        `json:"rank"`
	Service    string     `json:"service"`
	Kind       string     `json:"kind"`
	Confidence float64    `json:"confidence"`
	Summary    string     `json:"summary"`
	Evidence   []Evidence `json:"evidence"`
}

// Evidence points at a log line.
type Evidence struct {
	Time    Time   `json:"time"`
	Source  string `json:"source"`
	File    string `json:"file"`
	Line    int64  `json:"line"`
	Message string `json:"message"`
}

// TimelineRow is one line of an incident's timeline; Count > 1 when
// repeated lines were collapsed into it.
type TimelineRow struct {
	Time    Time    `json:"time"`
	Service string  `json:"service"`
	Level   *string `json:"level"`
	Kind    *string `json:"kind"`
	Message string  `json:"message"`
	File    string  `json:"file"`
	Line    int64   `json:"line"`
	Count   int64   `json:"count"`
}

// Time is a time that marshals as RFC 3339 UTC with milliseconds, or null
// when zero.
type Time struct{ time.Time }

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	b := append([]byte{'"'}, AppendTime(nil, t.Time, 3)...)
	return append(b, '"'), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		t.Time = time.Time{}
		return nil
	}
	v, err := time.Parse(`"`+time.RFC3339Nano+`"`, string(b))
	t.Time = v.UTC()
	return err
}

// Ptr returns a pointer to s, or nil for "" (a JSON null).
func Ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Pattern is one mined message template of one source, as `rca patterns`
// lists it.
type Pattern struct {
	Source     string  `json:"source"`
	TemplateID string  `json:"template_id"`
	Template   string  `json:"template"`
	Count      int64   `json:"count"`
	First      Time    `json:"first"`
	Last       Time    `json:"last"`
	Level      *string `json:"level"` // the most severe level seen
	Kind       *string `json:"kind"`  // the kind most of its events had, if any
	Rate       []int64 `json:"rate"`  // events per equal slice of the bundle's span
	Example    string  `json:"example"`
	File       string  `json:"file"` // where the first one is
	Line       int64   `json:"line"`
}
