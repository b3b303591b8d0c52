package event

// DiffSchema is the schema id of the JSON diff document (`rca diff`).
const DiffSchema = "rca.diff/v1"

// The changes a diff finding reports.
const (
	ChangeNew      = "new"       // a template never seen in any baseline
	ChangeGone     = "gone"      // a template of every baseline, absent from the target
	ChangeRate     = "rate"      // a template whose rate changed significantly
	ChangeNewValue = "new_value" // a value of an extracted field never seen in any baseline
)

// Diff is what changed between good runs (the baselines) and a target run:
// the value correlate's Differ produces and report renders. Like Report,
// fields are added, never renamed or removed; arrays are never null.
type Diff struct {
	Schema      string         `json:"schema"`
	Tool        Tool           `json:"tool"`
	GeneratedAt Time           `json:"generated_at"`
	Baseline    []InputSummary `json:"baseline"` // the inputs of every baseline run
	Target      []InputSummary `json:"target"`
	Summary     DiffSummary    `json:"summary"`
	Findings    []DiffFinding  `json:"findings"` // most important first
}

// DiffSummary counts both sides and the tests made.
type DiffSummary struct {
	BaselineRuns    int     `json:"baseline_runs"`
	BaselineEvents  int64   `json:"baseline_events"`
	TargetEvents    int64   `json:"target_events"`
	BaselineMinutes float64 `json:"baseline_minutes"` // summed over the baseline runs
	TargetMinutes   float64 `json:"target_minutes"`
	Templates       int     `json:"templates"`    // (source, template) pairs compared
	Tests           int     `json:"tests"`        // hypotheses in the Benjamini–Hochberg correction
	FDR             float64 `json:"fdr"`          // the false-discovery rate the p-values were held to
	PCutoff         float64 `json:"p_cutoff"`     // the largest p-value that passed (0: none)
	VolumeRatio     float64 `json:"volume_ratio"` // the target's overall per-minute rate over the baselines'
}

// DiffFinding is one change. Counts are summed over the baseline runs;
// rates are events per minute of each side's span (the baselines' spans
// summed). Ratio is the target rate over the baseline rate with 0.5 added
// to each count, so that NEW and GONE stay finite, divided by the summary's
// VolumeRatio (the change of the runs' overall traffic). P is the two-sided
// p-value of the test conditional on the template's total (binomial, with
// the sides' spans times their volumes as exposures), before the
// multiple-testing correction.
// For a new_value finding, Field and Value name the value and the counts
// are of events carrying it.
type DiffFinding struct {
	Change        string      `json:"change"`
	Source        string      `json:"source"`
	TemplateID    string      `json:"template_id"`
	Template      string      `json:"template"`
	Level         *string     `json:"level"`
	Kind          *string     `json:"kind"`
	Field         *string     `json:"field"`
	Value         *string     `json:"value"`
	BaselineCount int64       `json:"baseline_count"`
	TargetCount   int64       `json:"target_count"`
	BaselineRate  float64     `json:"baseline_rate"`
	TargetRate    float64     `json:"target_rate"`
	Ratio         float64     `json:"ratio"`
	P             float64     `json:"p"`
	First         *Occurrence `json:"first"` // first in the target; for GONE, first in the baselines
}

// Occurrence points at the log line of an event.
type Occurrence struct {
	Time    Time   `json:"time"`
	File    string `json:"file"`
	Line    int64  `json:"line"`
	Message string `json:"message"`
}
