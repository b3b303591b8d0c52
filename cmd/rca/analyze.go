package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/araddon/dateparse"
	"github.com/rca-dev/rca/pkg/correlate"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/parse"
	"github.com/rca-dev/rca/pkg/report"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

type analyzeOptions struct {
	paths    []string
	ingest   ingestFlags
	format   string
	since    string
	until    string
	top      int
	topology string
	noSkew   bool
	failOn   string
	bucket   time.Duration
	color    string
	width    int
	rows     int
	output   string
	quiet    bool
	noPager  bool
	noIndex  bool
	indexDir string
	baseline []string
	// reanalyze reads the bundle even when the index keeps its analysis.
	reanalyze bool
	// formatFiles are the user formats files loaded (part of the key of a
	// stored analysis).
	formatFiles []string
}

func newAnalyzeCmd(g *globalOptions, stdout, stderr io.Writer) *cobra.Command {
	opts := &analyzeOptions{}
	cmd := &cobra.Command{
		Use:   "analyze PATH...",
		Short: "Find the incidents in a bundle and rank their likely root causes",
		Long: `analyze reads a bundle like parse does, learns what is normal for every
source from its quiet periods, finds the windows where errors, new messages or a
source's silence deviate significantly, and ranks the likely causes of each
incident by time order, position in the dependency chain and novelty — not by
error counts. Each cause comes with its evidence (file:line).

Output: text for a terminal (colour on a terminal only; --color always for
less -R), json (the report-v1 contract), markdown (for a ticket) or html (one
self-contained page with a timeline chart). --output FILE writes it to a file,
in the format its extension names (.txt, .json, .md, .html) unless --format
says; the file appears whole or not at all. On a terminal, a report longer
than the screen opens in $PAGER (less -R by default), like git; --no-pager
turns that off.

--baseline PATH (repeatable; each a bundle, folder, archive or file of one
good run of the same system) learns what is normal from good runs instead of
the bundle's own quiet periods: what bursts harmlessly in a good run is not
significant when it bursts alike here, and "new" means never seen in any good
run. Sources the good runs lack keep the bundle's own quiet periods.

Exit codes: 0 analysis done; 1 analysis failed; 3 --fail-on threshold met.`,
		Example: `  rca analyze testdata/bundles/invoice-outage
  rca analyze --color always ./bundle | less -R
  rca analyze --format json ./bundle > report.json
  rca analyze --format markdown --fail-on critical logs.tar.gz > ticket.md
  rca analyze --output report.html --fail-on critical ./bundle
  rca analyze --baseline last-good-run.tar.gz failing-run.tar.gz`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			if err := loadUserFormats(g); err != nil {
				return err
			}
			opts.formatFiles = append(parse.UserFormatPaths(), g.formatsFiles...)
			if !cmd.Flags().Changed("format") {
				opts.format = ""
			}
			return runAnalyze(cmd.Context(), opts, stdout, stderr)
		},
	}
	opts.ingest.register(cmd, "input-format")
	fl := cmd.Flags()
	fl.StringVarP(&opts.format, "format", "f", "text", "output `FORMAT`: text, json, markdown or html (default: from --output's extension, else text)")
	fl.StringVar(&opts.output, "output", "", "write the report to `FILE` (atomically: a temporary file in the same folder, renamed when complete)")
	fl.BoolVarP(&opts.quiet, "quiet", "q", false, "no progress line on stderr")
	fl.BoolVar(&opts.noPager, "no-pager", false, "do not page the report on a terminal")
	fl.IntVar(&opts.rows, "rows", 0, "timeline rows per incident in text output (0: 15; -1: all)")
	fl.StringVar(&opts.since, "since", "", "only events at or after `TIME` (RFC 3339, or a date/time read in UTC)")
	fl.StringVar(&opts.until, "until", "", "only events before `TIME`")
	fl.IntVar(&opts.top, "top", 0, "show only the `N` highest-ranked incidents (0: all)")
	fl.StringVar(&opts.topology, "topology", "", "YAML `FILE` of services, their addresses and dependencies")
	fl.BoolVar(&opts.noSkew, "no-skew", false, "do not estimate or correct clock skew between sources")
	fl.StringVar(&opts.failOn, "fail-on", "none", "exit 3 when an incident reaches `SEVERITY`: none, warning, critical or any")
	fl.DurationVar(&opts.bucket, "bucket", 0, "width of the time buckets the tests count in (0: chosen from the span)")
	fl.StringVar(&opts.color, "color", "auto", "colour in text output: auto, always or never")
	fl.IntVar(&opts.width, "width", 0, "text width in columns (0: the terminal's; no limit when not a terminal)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json", "markdown", "html"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions([]string{"none", "warning", "critical", "any"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("color", cobra.FixedCompletions([]string{"auto", "always", "never"}, cobra.ShellCompDirectiveNoFileComp))
	fl.BoolVar(&opts.noIndex, "no-index", false, "do not update the bundle's search index on the way through (nor reuse the analysis it keeps)")
	fl.BoolVar(&opts.reanalyze, "reanalyze", false, "read the bundle again even when it is unchanged since the analysis the index keeps")
	fl.StringArrayVar(&opts.baseline, "baseline", nil, "a good run to learn what is normal from: bundle, folder, archive or file `PATH` (repeatable; each is one run)")
	fl.StringVar(&opts.indexDir, "index", "", "search index `DIR` (default: the user cache directory; RCA_INDEX overrides)")
	return cmd
}

func parseTimeFlag(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := dateparse.ParseIn(v, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("--%s %q: %w", name, v, err)
	}
	return t.UTC(), nil
}

// reportNow pins the report's generated_at (tests); zero means now.
var reportNow time.Time

func runAnalyze(ctx context.Context, opts *analyzeOptions, stdout, stderr io.Writer) error {
	format, err := outputFormat(opts.format, opts.output)
	if err != nil {
		return err
	}
	failRank, err := severityRank(opts.failOn)
	if err != nil {
		return err
	}
	if _, err := useColor(opts.color, nil); err != nil {
		return err
	}
	cfg := correlate.Config{NoSkew: opts.noSkew, Bucket: opts.bucket, Classified: true, Now: reportNow}
	if cfg.Since, err = parseTimeFlag("since", opts.since); err != nil {
		return err
	}
	if cfg.Until, err = parseTimeFlag("until", opts.until); err != nil {
		return err
	}
	plan, po, err := opts.ingest.plan(opts.paths)
	if err != nil {
		return err
	}
	if cfg.Topology, err = loadTopology(opts.topology, plan.BundleConfigs()); err != nil {
		return err
	}
	an := correlate.NewAnalyzer(cfg)
	for i, b := range opts.baseline {
		if err := readBaseline(ctx, an, i, b, opts, stdout, stderr); err != nil {
			return err
		}
	}
	prog := newProgress(stdout, stderr, opts.quiet, false, plan)
	defer prog.finish()
	po.Transform = an.Classify // in the parallel readers
	po.Progress = prog.hook()
	var ix *analyzeIndex
	if !opts.noIndex {
		ix = beginAnalyzeIndex(opts.indexDir, opts.paths, &opts.ingest, plan, stderr)
	}
	if ix == nil {
		// the index takes every event with all its fields; without it,
		// only what the analysis reads is extracted (parse.Options.Lean)
		po.Lean = true
	}
	// plain events are only counted, which the readers do
	// (correlate.Analyzer.Local); the index sees them all (Observe)
	po.Local = func() (take, plain func(*event.Event) bool) {
		t, p := an.Local()
		if prog == nil { // nothing to count: the readers call Local's own
			return t, p
		}
		counted := func(f func(*event.Event) bool) func(*event.Event) bool {
			return func(ev *event.Event) bool {
				if f(ev) {
					prog.event()
					return true
				}
				return false
			}
		}
		return counted(t), counted(p)
	}
	defer ix.close()
	key := ""
	if ix != nil {
		key = analysisKey(opts, cfg, plan, ix.u.Fingerprint())
	}
	if key != "" && !opts.reanalyze && ix.u.Unchanged() {
		if data, ok := ix.ix.StoredAnalysis(key); ok {
			if rep, warnings, ok := decodeAnalysis(data); ok {
				now := reportNow
				if now.IsZero() {
					now = time.Now()
				}
				rep.GeneratedAt = event.Time{Time: now.UTC()}
				io.WriteString(stderr, warnings)
				if !opts.quiet {
					reusedNote(stderr, ix.ix.Dir())
				}
				return emitReport(rep, format, failRank, opts, stdout, stderr)
			}
		}
	}
	if ix != nil {
		// the index is built in the readers too, in file order, one
		// goroutine per file or per segment of a large file
		po.SplitFile = ix.u.Split
		po.Observe = ix.observe
	}

	stats, err := plan.Run(ctx, po, func(ev *event.Event) error {
		prog.event()
		an.Observe(ev)
		return nil
	})
	ix.formats(stats)
	committed := ix.commitAsync(err) // the index is written while the analysis ends
	if err != nil {
		committed()
		return err
	}
	prog.setPhase("analysing")
	rep := an.Finish(inputSummaries(stats), event.Tool{Name: "rca", Version: version})
	prog.finish() // the line is cleared before anything else is printed
	stored := committed()
	var warnings strings.Builder
	warnSkipped(&warnings, stats)
	io.WriteString(stderr, warnings.String())
	if stored && key != "" {
		// kept for a re-run on the unchanged bundle; a failure only costs that
		if data, err := encodeAnalysis(rep, warnings.String()); err == nil {
			if err := ix.ix.StoreAnalysis(key, data); err != nil {
				fmt.Fprintf(stderr, "rca: index: %v\n", err)
			}
		}
	}
	return emitReport(rep, format, failRank, opts, stdout, stderr)
}

// emitReport writes rep (cut to --top) where and how the flags say, then
// applies --fail-on.
func emitReport(rep *event.Report, format string, failRank int, opts *analyzeOptions, stdout, stderr io.Writer) error {
	if opts.top > 0 && len(rep.Incidents) > opts.top {
		rep.Incidents = rep.Incidents[:opts.top]
	}
	warnForeignBaseline(stderr, rep.Baseline)
	ro := report.Options{Title: bundleTitle(opts.paths), TimelineRows: opts.rows}
	var err error
	if opts.output != "" {
		err = writeFileAtomic(opts.output, func(w io.Writer) error {
			return writeReport(w, format, rep, ro, opts)
		})
	} else {
		// on a terminal, a report longer than the screen opens in $PAGER
		out := newPager(stdout, opts.noPager || !isTerminal(stdout))
		err = writeReport(out, format, rep, ro, opts)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}
	return failOn(rep, failRank, opts.failOn)
}

// readBaseline feeds good run i (--baseline path) to the analyzer, before
// the target: its events teach the analyzer what is normal.
func readBaseline(ctx context.Context, an *correlate.Analyzer, i int, path string, opts *analyzeOptions, stdout, stderr io.Writer) error {
	plan, po, err := opts.ingest.plan([]string{path})
	if err != nil {
		return fmt.Errorf("--baseline: %w", err)
	}
	prog := newProgress(stdout, stderr, opts.quiet, false, plan)
	defer prog.finish()
	prog.setPhase("reading baseline")
	po.Transform = an.Classify
	po.Progress = prog.hook()
	stats, err := plan.Run(ctx, po, func(ev *event.Event) error {
		prog.event()
		an.ObserveBaseline(i, ev)
		return nil
	})
	if err != nil {
		return fmt.Errorf("--baseline %s: %w", path, err)
	}
	prog.finish()
	an.SetBaselineRun(i, path, inputSummaries(stats))
	// the runs' inputs have the same relative paths: say which run
	for k := range stats {
		stats[k].Path = path + ": " + stats[k].Path
	}
	warnSkipped(stderr, stats)
	return nil
}

// minSharedTemplates: below this share of the bundle's warning and error
// templates seen in the good runs, they are likely runs of another system.
// Runs of one system share most (the scenario suite's outages share 0.37
// to 0.68 with a steady run; two steady runs 1.0; the demo bundle, another
// system, 0.19).
const minSharedTemplates = 0.25

// warnForeignBaseline warns when the good runs look like another system's.
func warnForeignBaseline(w io.Writer, b *event.Baseline) {
	if b == nil || len(b.Sources) == 0 || b.SharedTemplates >= minSharedTemplates {
		return
	}
	fmt.Fprintf(w, "rca: warning: --baseline: the good runs show only %.0f%% of this bundle's warning and error templates; are they runs of the same system? Everything else counts as new.\n",
		b.SharedTemplates*100)
}

// outputFormat settles the report format: --format when given, else the
// extension of --output, else text.
func outputFormat(flag, output string) (string, error) {
	if flag == "" && output != "" {
		switch strings.ToLower(filepath.Ext(output)) {
		case ".json":
			return "json", nil
		case ".md", ".markdown":
			return "markdown", nil
		case ".html", ".htm":
			return "html", nil
		case ".txt", ".text", ".log", ".ans":
			return "text", nil
		}
		return "", fmt.Errorf("--output %q: cannot tell the format from the extension; use .txt, .json, .md or .html, or give --format", output)
	}
	switch flag {
	case "", "text":
		return "text", nil
	case "json", "html":
		return flag, nil
	case "markdown", "md":
		return "markdown", nil
	}
	return "", fmt.Errorf("--format %q: want text, json, markdown or html", flag)
}

// writeReport renders rep in format to w; text takes its colour and width
// from w (a terminal or not) and the flags.
func writeReport(w io.Writer, format string, rep *event.Report, o report.Options, opts *analyzeOptions) error {
	switch format {
	case "json":
		return report.WriteJSON(w, rep)
	case "markdown":
		return report.WriteMarkdown(w, rep, o)
	case "html":
		return report.WriteHTML(w, rep, o)
	}
	tw := w
	if p, ok := w.(*pager); ok {
		tw = p.out // the terminal behind the pager decides colour and width
	}
	color, err := useColor(opts.color, tw)
	if err != nil {
		return err
	}
	o.Color = color
	o.Width = opts.width
	if o.Width <= 0 {
		o.Width, _ = termSize(tw) // 0 (no limit) when not a terminal
	}
	return report.WriteText(w, rep, o)
}

// writeFileAtomic writes a file through a temporary file in the same
// folder, renamed over the target only once complete: a failed or
// interrupted run never leaves half a report.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("--output: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err = write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// bundleTitle names what was analysed for headlines: the base names of
// the paths given.
func bundleTitle(paths []string) string {
	names := make([]string, 0, len(paths))
	for _, p := range paths {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		names = append(names, filepath.Base(p))
	}
	return strings.Join(names, ", ")
}

// severityRank orders --fail-on values: 0 never fails.
func severityRank(s string) (int, error) {
	switch s {
	case "none", "":
		return 0, nil
	case "critical":
		return 3, nil
	case "warning":
		return 2, nil
	case "any", "info":
		return 1, nil
	}
	return 0, fmt.Errorf("--fail-on %q: want none, warning, critical or any", s)
}

func failOn(rep *event.Report, rank int, name string) error {
	if rank == 0 {
		return nil
	}
	for _, inc := range rep.Incidents {
		r, _ := severityRank(inc.Severity)
		if inc.Severity == event.SeverityInfo {
			r = 1
		}
		if r >= rank {
			return &exitError{code: 3, msg: fmt.Sprintf("--fail-on %s: %s is %s", name, inc.ID, inc.Severity)}
		}
	}
	return nil
}

// inputSummaries turns ingest statistics into the report's input list.
func inputSummaries(stats []parse.Stats) []event.InputSummary {
	out := make([]event.InputSummary, 0, len(stats))
	for _, s := range stats {
		if s.Ignored {
			continue // the bundle's rca.yaml and notes are not inputs
		}
		out = append(out, event.InputSummary{
			Path: s.Path, Source: s.Source, Format: event.Ptr(s.Format), Timezone: s.Timezone,
			Lines: s.Lines, Events: s.Events, Continuation: s.Continuation, Unparsed: s.Unparsed, Empty: s.Empty,
			First: event.Time{Time: s.First}, Last: event.Time{Time: s.Last}, Skipped: event.Ptr(s.Skipped),
		})
	}
	return out
}

// loadTopology reads --topology, else the topology section of the first
// rca.yaml the plan applied that has one (a bundle folder's, or an
// archive's).
func loadTopology(file string, configs []*parse.BundleConfig) (*correlate.Topology, error) {
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--topology: %w", err)
		}
		t, err := correlate.ParseTopology(data)
		if err != nil {
			return nil, fmt.Errorf("--topology %s: %w", file, err)
		}
		return t, nil
	}
	for _, cfg := range configs {
		if cfg.Topology.Kind == 0 {
			continue
		}
		data, err := yaml.Marshal(&cfg.Topology)
		if err != nil {
			return nil, err
		}
		t, err := correlate.ParseTopology(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cfg.Path, err)
		}
		return t, nil
	}
	return nil, nil
}
