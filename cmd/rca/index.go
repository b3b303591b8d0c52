package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rca-dev/rca/pkg/correlate"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/index"
	"github.com/rca-dev/rca/pkg/parse"
	"github.com/rca-dev/rca/pkg/report"
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
		Long: `index reads a bundle like analyze does and keeps a persistent search index
of its events for rca search. Events are indexed in blocks, each with a sketch
of its words and field values; warnings, errors and classified events are kept
in the index, the other blocks are re-read from the bundle when a search may
match them, and every candidate event is checked, so results are exact. Files
unchanged since the last run are not read again; a file that only grew has only
its tail read.

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
		// the file on disk (a compressed file, an archive) is what changes
		ii := index.Input{Path: in.Path, DiskPath: disk, Member: member, Size: in.Size, ModTime: in.ModTime}
		if fi, err := os.Stat(disk); err == nil {
			ii.Size, ii.ModTime = fi.Size(), fi.ModTime()
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
	var tails []int
	for i := range plan.Inputs {
		in := &plan.Inputs[i]
		if in.Skipped != "" {
			continue
		}
		switch u.Action(in.Path) {
		case index.Skip:
			in.Skipped, in.Ignored = "unchanged since the last index update", true
		case index.Tail:
			// only its tail is read, below
			in.Skipped, in.Ignored = "grown: its tail is read", true
			tails = append(tails, i)
		}
	}
	cls := correlate.NewClassifier()
	po.SplitFile = u.Split // a large file's segments are observed apart
	po.Transform = func(ev *event.Event) { cls.Classify(ev) }
	po.Observe = u.Observe
	stats, err := plan.Run(ctx, po, func(*event.Event) error { return nil })
	if err != nil {
		u.Abort()
		return err
	}
	for _, st := range stats {
		u.SetFormat(st.Path, st.Format)
	}
	tailStats, err := readTails(ctx, plan, tails, po, u)
	if err != nil {
		u.Abort()
		return err
	}
	stats = append(stats, tailStats...)
	s, err := u.Commit()
	if err != nil {
		return err
	}
	for _, p := range s.Redone {
		fmt.Fprintf(stderr, "rca: index: %s: its grown tail did not read as before; indexed whole\n", report.Terminal(p))
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
	fmt.Fprintf(stdout, "index:    %s\nbundle:   %s\nupdated:  %s\nfiles:    %d\nevents:   %d (%d notable, kept in %d blocks; the rest in %d blocks)\nsize:     %.1f MiB\nmapping:  v%d\n",
		s.Dir, strings.Join(ix.State().Paths, " "), s.Updated.Format(time.RFC3339), s.Files, s.Events, s.Notable, s.NotableBlocks, s.Blocks, float64(s.Bytes)/(1<<20), index.MappingVersion)
	return nil
}

// readTails reads the grown inputs from where their new events start, then
// reads whole those whose re-read tail did not agree with the index. A
// damaged input is read as far as it goes and said in its Stats, as Run
// does; only a cancelled run is an error.
func readTails(ctx context.Context, plan *parse.Plan, tails []int, po parse.Options, u *index.Update) ([]parse.Stats, error) {
	nop := func(*event.Event) {}
	var stats []parse.Stats
	read := func(i int, format string, off, line int64) error {
		st, err := plan.ReadFrom(ctx, i, format, off, line, 0, po, nop)
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil && st.Skipped == "" {
			st.Skipped = err.Error()
		}
		st.Path = plan.Inputs[i].Path
		stats = append(stats, st)
		u.SetFormat(st.Path, st.Format)
		return nil
	}
	for _, i := range tails {
		off, line, _ := u.Resume(plan.Inputs[i].Path)
		if err := read(i, u.Format(plan.Inputs[i].Path), off, line); err != nil {
			return nil, err
		}
	}
	redo := map[string]bool{}
	for _, p := range u.Retry() {
		redo[p] = true
	}
	for _, i := range tails {
		if redo[plan.Inputs[i].Path] {
			if err := read(i, "", 0, 1); err != nil {
				return nil, err
			}
		}
	}
	return stats, nil
}

// newRereader re-reads parts of inputs of an indexed bundle with the
// settings the index was built with, classified like analyze classifies:
// plain files from the byte offset asked, other inputs from their start.
// It is safe for concurrent use (on different inputs).
func newRereader() index.Reread {
	var (
		once  sync.Once
		err   error
		plan  *parse.Plan
		po    parse.Options
		input map[string]int
	)
	setup := func(st index.State) error {
		var c ingestConfig
		if err := json.Unmarshal([]byte(st.Config), &c); err != nil {
			return fmt.Errorf("index settings: %w", err)
		}
		f := ingestFlags{formats: c.Formats, sources: c.Sources, zones: c.Zones, maxLine: c.MaxLine}
		p, o, err := f.plan(st.Paths)
		if err != nil {
			return err
		}
		cls := correlate.NewClassifier()
		o.Transform = func(ev *event.Event) { cls.Classify(ev) }
		plan, po, input = p, o, map[string]int{}
		for i, in := range p.Inputs {
			input[in.Path] = i
		}
		return nil
	}
	return func(ctx context.Context, st index.State, req index.ReadRequest, emit func(*event.Event)) error {
		once.Do(func() { err = setup(st) })
		if err != nil {
			return err
		}
		i, ok := input[req.Path]
		if !ok {
			return fmt.Errorf("%s is no longer in the bundle: update the index (rca index PATH)", req.Path)
		}
		// A damaged input gives the events before the damage, as it did
		// when it was indexed; only a cancelled search is an error.
		if req.Ranges == nil {
			plan.ReadFrom(ctx, i, req.Format, 0, 1, 0, po, emit)
			return ctx.Err()
		}
		if plan.Inputs[i].DiskPath() == "" {
			// a stream (compressed, a member) is read from its start: once,
			// up to the last range (the index keeps the events it asked for)
			last := req.Ranges[len(req.Ranges)-1]
			plan.ReadFrom(ctx, i, req.Format, 0, 1, last.End, po, emit)
			return ctx.Err()
		}
		for _, r := range req.Ranges {
			plan.ReadFrom(ctx, i, req.Format, r.Off, r.Line, r.End, po, emit)
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return nil
	}
}

// analyzeIndex is analyze's index update: an extra consumer of the event
// stream. A failing index never fails the analysis; it is reported.
type analyzeIndex struct {
	ix        *index.Index
	u         *index.Update
	stderr    io.Writer
	committed bool
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

// observe is called for every event in the reader goroutines (file order).
func (a *analyzeIndex) observe(ev *event.Event) {
	if a != nil {
		a.u.Observe(ev)
	}
}

// formats records the format each input was read as.
func (a *analyzeIndex) formats(stats []parse.Stats) {
	if a != nil {
		for _, st := range stats {
			a.u.SetFormat(st.Path, st.Format)
		}
	}
}

// commitAsync makes the update part of the index, or drops it when the
// run failed. It commits in a goroutine of its own, so that the commit
// overlaps the analysis's own end (the data files' last blocks, their
// sync and the state file: about 60 ms at 1 GB). The function it returns
// waits for it, prints what went wrong, and reports whether the index now
// holds this run's inputs; it must be called before a is closed.
func (a *analyzeIndex) commitAsync(runErr error) func() bool {
	if a == nil || runErr != nil {
		return func() bool { return false }
	}
	a.committed = true
	type result struct {
		s   index.Summary
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := a.u.Commit()
		done <- result{s, err}
	}()
	return func() bool {
		r := <-done
		if r.err != nil {
			fmt.Fprintf(a.stderr, "rca: index not updated: %v\n", r.err)
			return false
		}
		for _, p := range r.s.Redone {
			fmt.Fprintf(a.stderr, "rca: index: %s: its grown tail did not read as before; it is indexed whole next time\n", report.Terminal(p))
		}
		return true
	}
}

// close releases the index (an update not committed is dropped).
func (a *analyzeIndex) close() {
	if a != nil {
		if !a.committed {
			a.u.Abort()
		}
		a.ix.Close()
	}
}
