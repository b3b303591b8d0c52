package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/correlate"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/index"
	"github.com/rca-dev/rca/pkg/parse"
	"github.com/spf13/cobra"
)

type indexOptions struct {
	paths   []string
	ingest  ingestFlags
	dir     string
	rebuild bool
	status  bool
}

func newIndexCmd(g *globalOptions, stdout, stderr io.Writer) *cobra.Command {
	opts := &indexOptions{}
	cmd := &cobra.Command{
		Use:   "index PATH...",
		Short: "Build or update the bundle's search index",
		Long: `index reads a bundle like analyze does and keeps a persistent full-text
index of its events for rca search. Warnings, errors and classified events get
documents of their own; the other events are indexed in blocks of lines that a
search re-reads to verify, so results are exact. Files unchanged since the last
run are not read again; a file that only grew has only its tail indexed.

The index lives in the user's cache directory, keyed by the bundle's absolute
path, unless --index DIR or RCA_INDEX says otherwise.`,
		Example: `  rca index testdata/bundles/invoice-outage
  rca index --status testdata/bundles/invoice-outage`,
		Args: cobra.MinimumNArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.paths = args
			if err := loadUserFormats(g); err != nil {
				return err
			}
			return runIndex(cmd.Context(), opts, stdout, stderr)
		},
	}
	opts.ingest.register(cmd, "input-format")
	fl := cmd.Flags()
	fl.StringVar(&opts.dir, "index", "", "index `DIR` (default: the user cache directory; RCA_INDEX overrides)")
	fl.BoolVar(&opts.rebuild, "rebuild", false, "throw the index away and build it again")
	fl.BoolVar(&opts.status, "status", false, "show what the index holds and exit")
	return cmd
}

// indexDir picks the index directory: --index, else RCA_INDEX, else the
// cache directory keyed by the bundle's absolute paths.
func indexDir(flag string, paths []string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if v := os.Getenv("RCA_INDEX"); v != "" {
		return v, nil
	}
	if len(paths) == 0 {
		return "", fmt.Errorf("which index? give the bundle PATH, --index DIR or RCA_INDEX")
	}
	return index.DefaultDir(paths)
}

// ingestConfig is the part of the ingest flags that changes events; it is
// kept in the index so searches re-read blocks exactly as they were indexed.
type ingestConfig struct {
	Formats []string `json:"formats,omitempty"`
	Sources []string `json:"sources,omitempty"`
	Zones   []string `json:"zones,omitempty"`
	MaxLine int      `json:"max_line"`
}

func (f *ingestFlags) config() string {
	b, _ := json.Marshal(ingestConfig{Formats: f.formats, Sources: f.sources, Zones: f.zones, MaxLine: f.maxLine})
	return string(b)
}

// indexInputs describes the plan's readable inputs for an index update.
func indexInputs(plan *parse.Plan) []index.Input {
	var out []index.Input
	for _, in := range plan.Inputs {
		if in.Skipped != "" {
			continue
		}
		disk, member := in.Path, false
		if i := strings.Index(disk, "!/"); i >= 0 {
			disk, member = disk[:i], true
		}
		disk = filepath.Join(in.Root, filepath.FromSlash(disk))
		if fi, err := os.Stat(disk); err == nil && fi.IsDir() {
			disk = in.Root // a single file given on the command line
		}
		ii := index.Input{Path: in.Path, DiskPath: disk, Member: member, Size: in.Size, ModTime: in.ModTime}
		if member {
			if fi, err := os.Stat(disk); err == nil {
				ii.Size, ii.ModTime = fi.Size(), fi.ModTime()
			}
		}
		out = append(out, ii)
	}
	return out
}

// openIndexFor opens (creating or rebuilding as needed) the index of paths.
func openIndexFor(dirFlag string, paths []string, ingest *ingestFlags, rebuild bool, stderr io.Writer) (*index.Index, error) {
	dir, err := indexDir(dirFlag, paths)
	if err != nil {
		return nil, err
	}
	abs, err := index.AbsPaths(paths)
	if err != nil {
		return nil, err
	}
	return index.Open(dir, index.Options{Rebuild: rebuild, Config: ingest.config(), Paths: abs, Log: stderr})
}

func runIndex(ctx context.Context, opts *indexOptions, stdout, stderr io.Writer) error {
	if opts.status {
		return runIndexStatus(opts, stdout)
	}
	if len(opts.paths) == 0 {
		return fmt.Errorf("index: give the bundle PATH (or --status)")
	}
	plan, po, err := opts.ingest.plan(opts.paths)
	if err != nil {
		return err
	}
	ix, err := openIndexFor(opts.dir, opts.paths, &opts.ingest, opts.rebuild, stderr)
	if err != nil {
		return err
	}
	defer ix.Close()
	u, err := ix.Begin(indexInputs(plan))
	if err != nil {
		return err
	}
	for i := range plan.Inputs {
		if in := &plan.Inputs[i]; in.Skipped == "" && !u.Need(in.Path) {
			in.Skipped, in.Ignored = "unchanged since the last index update", true
		}
	}
	cls := correlate.NewClassifier()
	po.Transform = func(ev *event.Event) { cls.Classify(ev) }
	stats, err := plan.Run(ctx, po, func(ev *event.Event) error {
		u.Add(ev)
		return nil
	})
	if err != nil {
		u.Abort()
		return err
	}
	s, err := u.Commit()
	if err != nil {
		return err
	}
	warnSkipped(stderr, stats)
	rate := float64(s.Events) / max(s.Elapsed.Seconds(), 1e-9)
	fmt.Fprintf(stdout, "index %s: %d files unchanged, %d indexed, %d grown (tail only), %d removed; %d events (%d notable, %d blocks) in %s, %.0f events/s\n",
		ix.Dir(), s.Skipped, s.Full, s.Tail, s.Removed, s.Events, s.Notable, s.Blocks, s.Elapsed.Round(time.Millisecond), rate)
	return nil
}

func runIndexStatus(opts *indexOptions, stdout io.Writer) error {
	dir, err := indexDir(opts.dir, opts.paths)
	if err != nil {
		return err
	}
	ix, err := index.Open(dir, index.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer ix.Close()
	s := ix.Status()
	fmt.Fprintf(stdout, "index:    %s\nbundle:   %s\nupdated:  %s\nfiles:    %d\nevents:   %d (%d notable as documents, the rest in %d blocks)\ndocuments: %d\nsize:     %.1f MiB\nmapping:  v%d\n",
		s.Dir, strings.Join(ix.State().Paths, " "), s.Updated.Format(time.RFC3339), s.Files, s.Events, s.Notable, s.Blocks, s.Docs, float64(s.Bytes)/(1<<20), index.MappingVersion)
	return nil
}

// rereader re-reads inputs of an indexed bundle with the settings the index
// was built with, classified like analyze classifies.
func rereader(ctx context.Context, paths []string, st index.State, emit func(*event.Event)) error {
	var c ingestConfig
	if err := json.Unmarshal([]byte(st.Config), &c); err != nil {
		return fmt.Errorf("index settings: %w", err)
	}
	f := ingestFlags{formats: c.Formats, sources: c.Sources, zones: c.Zones, maxLine: c.MaxLine}
	plan, po, err := f.plan(st.Paths)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, p := range paths {
		want[p] = true
	}
	for i := range plan.Inputs {
		if in := &plan.Inputs[i]; !want[in.Path] && in.Skipped == "" {
			in.Skipped = "not a candidate"
		}
	}
	cls := correlate.NewClassifier()
	po.Transform = func(ev *event.Event) { cls.Classify(ev) }
	_, err = plan.Run(ctx, po, func(ev *event.Event) error {
		emit(ev)
		return nil
	})
	return err
}

// analyzeIndex is analyze's index update: an extra consumer of the event
// stream. A failing index never fails the analysis; it is reported.
type analyzeIndex struct {
	ix     *index.Index
	u      *index.Update
	stderr io.Writer
}

func beginAnalyzeIndex(dirFlag string, paths []string, ingest *ingestFlags, plan *parse.Plan, stderr io.Writer) *analyzeIndex {
	ix, err := openIndexFor(dirFlag, paths, ingest, false, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "rca: index not updated: %v\n", err)
		return nil
	}
	u, err := ix.Begin(indexInputs(plan))
	if err != nil {
		ix.Close()
		fmt.Fprintf(stderr, "rca: index not updated: %v\n", err)
		return nil
	}
	return &analyzeIndex{ix: ix, u: u, stderr: stderr}
}

func (a *analyzeIndex) add(ev *event.Event) {
	if a != nil {
		a.u.Add(ev)
	}
}

func (a *analyzeIndex) finish(runErr error) {
	if a == nil {
		return
	}
	defer a.ix.Close()
	if runErr != nil {
		a.u.Abort()
		return
	}
	if _, err := a.u.Commit(); err != nil {
		fmt.Fprintf(a.stderr, "rca: index not updated: %v\n", err)
	}
}
