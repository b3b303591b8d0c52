package main

import (
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
	noIndex  bool
	indexDir string
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

Exit codes: 0 analysis done; 1 analysis failed; 3 --fail-on threshold met.`,
		Example: `  rca analyze testdata/bundles/invoice-outage
  rca analyze --format json ./bundle > report.json
  rca analyze --format markdown --fail-on critical logs.tar.gz > ticket.md`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			if err := loadUserFormats(g); err != nil {
				return err
			}
			return runAnalyze(cmd.Context(), opts, stdout, stderr)
		},
	}
	opts.ingest.register(cmd, "input-format")
	fl := cmd.Flags()
	fl.StringVarP(&opts.format, "format", "f", "text", "output `FORMAT`: text, json or markdown")
	fl.StringVar(&opts.since, "since", "", "only events at or after `TIME` (RFC 3339, or a date/time read in UTC)")
	fl.StringVar(&opts.until, "until", "", "only events before `TIME`")
	fl.IntVar(&opts.top, "top", 0, "show only the `N` highest-ranked incidents (0: all)")
	fl.StringVar(&opts.topology, "topology", "", "YAML `FILE` of services, their addresses and dependencies")
	fl.BoolVar(&opts.noSkew, "no-skew", false, "do not estimate or correct clock skew between sources")
	fl.StringVar(&opts.failOn, "fail-on", "none", "exit 3 when an incident reaches `SEVERITY`: none, warning, critical or any")
	fl.DurationVar(&opts.bucket, "bucket", 0, "width of the time buckets the tests count in (0: chosen from the span)")
	fl.StringVar(&opts.color, "color", "auto", "colour in text output: auto, always or never")
	fl.IntVar(&opts.width, "width", 0, "text width in columns (0: the terminal's, or 100)")
	fl.BoolVar(&opts.noIndex, "no-index", false, "do not update the bundle's search index on the way through")
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

func runAnalyze(ctx context.Context, opts *analyzeOptions, stdout, stderr io.Writer) error {
	switch opts.format {
	case "text", "json", "markdown", "md":
	default:
		return fmt.Errorf("--format %q: want text, json or markdown", opts.format)
	}
	failRank, err := severityRank(opts.failOn)
	if err != nil {
		return err
	}
	cfg := correlate.Config{NoSkew: opts.noSkew, Bucket: opts.bucket, Classified: true}
	if cfg.Since, err = parseTimeFlag("since", opts.since); err != nil {
		return err
	}
	if cfg.Until, err = parseTimeFlag("until", opts.until); err != nil {
		return err
	}
	if cfg.Topology, err = loadTopology(opts.topology, opts.paths); err != nil {
		return err
	}
	plan, po, err := opts.ingest.plan(opts.paths)
	if err != nil {
		return err
	}
	an := correlate.NewAnalyzer(cfg)
	po.Transform = an.Classify // in the parallel readers
	var ix *analyzeIndex
	if !opts.noIndex {
		ix = beginAnalyzeIndex(opts.indexDir, opts.paths, &opts.ingest, plan, stderr)
	}
	stats, err := plan.Run(ctx, po, func(ev *event.Event) error {
		an.Observe(ev)
		ix.add(ev)
		return nil
	})
	ix.finish(err)
	if err != nil {
		return err
	}
	warnSkipped(stderr, stats)
	rep := an.Finish(inputSummaries(stats), event.Tool{Name: "rca", Version: version})
	if opts.top > 0 && len(rep.Incidents) > opts.top {
		rep.Incidents = rep.Incidents[:opts.top]
	}
	switch opts.format {
	case "json":
		err = report.WriteJSON(stdout, rep)
	case "markdown", "md":
		err = report.WriteMarkdown(stdout, rep)
	default:
		color, cerr := useColor(opts.color, stdout)
		if cerr != nil {
			return cerr
		}
		err = report.WriteText(stdout, rep, report.TextOptions{Color: color, Width: opts.width})
	}
	if err != nil {
		return err
	}
	return failOn(rep, failRank, opts.failOn)
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
// bundle folder's rca.yaml.
func loadTopology(file string, paths []string) (*correlate.Topology, error) {
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
	for _, p := range paths {
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			continue
		}
		cfg, err := parse.LoadBundleConfig(p)
		if err != nil || cfg == nil || cfg.Topology.Kind == 0 {
			if err != nil {
				return nil, err
			}
			continue
		}
		data, err := yaml.Marshal(&cfg.Topology)
		if err != nil {
			return nil, err
		}
		t, err := correlate.ParseTopology(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(p, "rca.yaml"), err)
		}
		return t, nil
	}
	return nil, nil
}

// useColor decides on ANSI colour: --color always/never, else colour only
// when stdout is a terminal, NO_COLOR is unset and TERM is not dumb;
// CLICOLOR_FORCE forces it like --color always.
func useColor(flag string, stdout io.Writer) (bool, error) {
	switch flag {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto", "":
	default:
		return false, fmt.Errorf("--color %q: want auto, always or never", flag)
	}
	if v := os.Getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true, nil
	}
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false, nil
	}
	return isTerminal(stdout), nil
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0 && !strings.EqualFold(os.Getenv("TERM"), "dumb")
}
