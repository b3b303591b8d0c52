package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/index"
	"github.com/rca-dev/rca/pkg/report"
	"github.com/spf13/cobra"
)

type searchOptions struct {
	query     string
	paths     []string
	dir       string
	since     string
	until     string
	sources   []string
	levels    []string
	kinds     []string
	output    string
	count     bool
	facet     string
	histogram time.Duration
	sort      string
	verbose   bool
	color     string
}

func newSearchCmd(g *globalOptions, stdout, stderr io.Writer) *cobra.Command {
	opts := &searchOptions{}
	cmd := &cobra.Command{
		Use:   "search QUERY [PATH...]",
		Short: "Search the bundle's index: every matching event, in time order",
		Long: `search asks the index that rca index (or rca analyze) built. QUERY is bleve's
query-string syntax: words and "phrases" search the message; field:value
searches a field (source, level, kind, format, file, and extracted fields such as
status, method, path, upstream); numbers take ranges (status:>=500, line:<100);
+term must match, -term must not; word* and /regexp/ match terms, word~1 within
an edit. Results are exact: every matching event, no false hits. They come in
time order, or by relevance with --sort score (bleve's TF-IDF over the hits).

The index is the one of PATH (as given to rca index), or --index DIR / RCA_INDEX.`,
		Example: `  rca search kind:connection_refused testdata/bundles/invoice-outage
  rca search 'source:gateway AND status:>=500' --count ./bundle
  rca search '"Lock wait timeout"' --facet source ./bundle
  rca search -- '-level:info' --histogram 1m ./bundle`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.query, opts.paths = args[0], args[1:]
			return runSearch(cmd.Context(), opts, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.dir, "index", "", "index `DIR` (default: the one of PATH; RCA_INDEX overrides)")
	fl.StringVar(&opts.since, "since", "", "only events at or after `TIME`")
	fl.StringVar(&opts.until, "until", "", "only events before `TIME`")
	fl.StringArrayVar(&opts.sources, "source", nil, "only events of `SOURCE` (repeatable)")
	fl.StringArrayVar(&opts.levels, "level", nil, "only events of `LEVEL` (repeatable)")
	fl.StringArrayVar(&opts.kinds, "kind", nil, "only events of `KIND` (repeatable)")
	fl.StringVarP(&opts.output, "output", "o", "text", "output `FORMAT`: text or jsonl")
	fl.BoolVar(&opts.count, "count", false, "print only the number of matching events")
	fl.StringVar(&opts.facet, "facet", "", "count matches by `FIELD`: source, kind or level")
	fl.DurationVar(&opts.histogram, "histogram", 0, "count matches per time bucket of `WIDTH` (e.g. 1m)")
	fl.StringVar(&opts.sort, "sort", "time", "order of the results: `time` or score (most relevant first)")
	fl.BoolVarP(&opts.verbose, "verbose", "v", false, "say on stderr how the search ran")
	fl.StringVar(&opts.color, "color", "auto", "colour: auto (on a terminal without NO_COLOR), always or never; marks the words the query matched")
	_ = cmd.RegisterFlagCompletionFunc("color", cobra.FixedCompletions([]string{"auto", "always", "never"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("sort", cobra.FixedCompletions([]string{"time", "score"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runSearch(ctx context.Context, opts *searchOptions, stdout, stderr io.Writer) error {
	if opts.output != "text" && opts.output != "jsonl" {
		return fmt.Errorf("--output %q: want text or jsonl", opts.output)
	}
	switch opts.facet {
	case "", "source", "kind", "level":
	default:
		return fmt.Errorf("--facet %q: want source, kind or level", opts.facet)
	}
	if opts.sort != "time" && opts.sort != "score" {
		return fmt.Errorf("--sort %q: want time or score", opts.sort)
	}
	color, err := useColor(opts.color, stdout)
	if err != nil {
		return err
	}
	q := index.Query{Text: opts.query, Sources: opts.sources, Levels: opts.levels, Kinds: opts.kinds}
	var marks func(string) [][2]int // the words to mark, on a terminal
	if color && opts.output == "text" {
		if marks, err = q.Highlighter(); err != nil {
			return err
		}
	}
	if q.Since, err = parseTimeFlag("since", opts.since); err != nil {
		return err
	}
	if q.Until, err = parseTimeFlag("until", opts.until); err != nil {
		return err
	}
	dir, err := indexDir(opts.dir, opts.paths)
	if err != nil {
		return err
	}
	ix, err := index.Open(dir, index.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer ix.Close()
	start := time.Now()
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	var (
		n         int
		facets    = map[string]int{}
		buckets   = map[time.Time]int{}
		hits      []*event.Event
		aggregate = opts.count || opts.facet != "" || opts.histogram > 0
	)
	ss, err := ix.Search(ctx, q, newRereader(), func(ev *event.Event) {
		n++
		switch {
		case opts.count:
		case opts.facet != "":
			facets[facetValue(ev, opts.facet)]++
		case opts.histogram > 0:
			if !ev.Time.IsZero() {
				buckets[ev.Time.Truncate(opts.histogram)]++
			}
		default:
			ev.TemplateID, ev.Template = "", ""
			hits = append(hits, ev)
		}
	})
	if err != nil {
		return err
	}
	for _, p := range ss.Stale {
		fmt.Fprintf(stderr, "rca: warning: %s changed since it was indexed; results for it may be incomplete: update the index (rca index PATH)\n", report.Terminal(p))
	}
	if opts.verbose {
		fmt.Fprintf(stderr, "rca: %d hits (%d notable from %d of %d blocks; %d from %d blocks re-read, %d read whole again) in %s\n",
			n, ss.Notable, ss.NotableCandidates, ss.Blocks, ss.Verified, ss.Candidates, ss.Redone, time.Since(start).Round(time.Microsecond))
	}
	switch {
	case opts.count:
		fmt.Fprintln(w, n)
	case opts.facet != "":
		keys := make([]string, 0, len(facets))
		for k := range facets {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if facets[keys[i]] != facets[keys[j]] {
				return facets[keys[i]] > facets[keys[j]]
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			fmt.Fprintf(w, "%d\t%s\n", facets[k], report.Terminal(k))
		}
	case opts.histogram > 0:
		keys := make([]time.Time, 0, len(buckets))
		for k := range buckets {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].Before(keys[j]) })
		for _, b := range keys {
			fmt.Fprintf(w, "%s\t%d\n", b.Format(time.RFC3339), buckets[b])
		}
	}
	if aggregate {
		return w.Flush()
	}
	sortHits(hits)
	if opts.sort == "score" {
		scores, err := index.Score(q, hits)
		if err != nil {
			return err
		}
		idx := make([]int, len(hits))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
		sorted := make([]*event.Event, len(hits))
		for i, k := range idx {
			sorted[i] = hits[k]
		}
		hits = sorted
	}
	var buf []byte
	hf := report.NewHitFormatter(marks != nil)
	for _, ev := range hits {
		buf = buf[:0]
		if opts.output == "jsonl" {
			buf = ev.AppendJSON(buf)
		} else {
			var m [][2]int
			if marks != nil {
				m = marks(ev.Message)
			}
			buf = hf.Append(buf, ev, m)
		}
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return w.Flush()
}

// sortHits puts hits in time order (then file, line); events without a
// time come last.
func sortHits(hits []*event.Event) {
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if !a.Time.Equal(b.Time) {
			if a.Time.IsZero() || b.Time.IsZero() {
				return b.Time.IsZero()
			}
			return a.Time.Before(b.Time)
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
}

func facetValue(ev *event.Event, f string) string {
	v := ""
	switch f {
	case "source":
		v = ev.Source
	case "kind":
		v = ev.Kind
	case "level":
		v = string(ev.Level)
	}
	if v == "" {
		return "-"
	}
	return v
}
