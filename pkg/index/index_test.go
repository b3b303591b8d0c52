package index_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/correlate"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/index"
	"github.com/rca-dev/rca/pkg/parse"
)

const demoBundle = "../../testdata/bundles/invoice-outage"

// events parses a bundle the way rca index does (classified).
func events(t testing.TB, paths []string, only map[string]bool, emit func(*event.Event)) *parse.Plan {
	t.Helper()
	plan, err := parse.NewPlan(paths, parse.Options{MaxLine: parse.DefaultMaxLine})
	if err != nil {
		t.Fatal(err)
	}
	for i := range plan.Inputs {
		if in := &plan.Inputs[i]; only != nil && !only[in.Path] && in.Skipped == "" {
			in.Skipped = "not asked for"
		}
	}
	if emit == nil {
		return plan
	}
	cls := correlate.NewClassifier()
	po := parse.Options{MaxLine: parse.DefaultMaxLine, Transform: func(ev *event.Event) { cls.Classify(ev) }}
	if _, err := plan.Run(context.Background(), po, func(ev *event.Event) error { emit(ev); return nil }); err != nil {
		t.Fatal(err)
	}
	return plan
}

// reread re-reads parts of inputs the way rca search does: plain files
// from the byte offset asked.
func reread(t testing.TB) index.Reread {
	return func(ctx context.Context, st index.State, req index.ReadRequest, emit func(*event.Event)) error {
		plan := events(t, st.Paths, nil, nil)
		cls := correlate.NewClassifier()
		po := parse.Options{MaxLine: parse.DefaultMaxLine, Transform: func(ev *event.Event) { cls.Classify(ev) }}
		for i, in := range plan.Inputs {
			if in.Path != req.Path {
				continue
			}
			if req.Ranges == nil {
				_, err := plan.ReadFrom(ctx, i, req.Format, 0, 1, 0, po, emit)
				return err
			}
			if in.DiskPath() == "" {
				_, err := plan.ReadFrom(ctx, i, req.Format, 0, 1, req.Ranges[len(req.Ranges)-1].End, po, emit)
				return err
			}
			for _, r := range req.Ranges {
				if _, err := plan.ReadFrom(ctx, i, req.Format, r.Off, r.Line, r.End, po, emit); err != nil {
					return err
				}
			}
			return nil
		}
		return fmt.Errorf("%s: not in the bundle", req.Path)
	}
}

func inputs(plan *parse.Plan) []index.Input {
	var out []index.Input
	for _, in := range plan.Inputs {
		if in.Skipped != "" {
			continue
		}
		disk, member := in.Path, false
		if i := strings.Index(disk, "!/"); i >= 0 {
			disk, member = disk[:i], true
		}
		ii := index.Input{Path: in.Path, DiskPath: filepath.Join(in.Root, disk), Member: member}
		if fi, err := os.Stat(ii.DiskPath); err == nil {
			ii.Size, ii.ModTime = fi.Size(), fi.ModTime()
		}
		out = append(out, ii)
	}
	return out
}

// build creates or updates the index in dir for the bundle, the way rca
// index does: unchanged inputs are not read, grown ones from their tail.
func build(t testing.TB, dir, bundle string) (*index.Index, index.Summary) {
	t.Helper()
	return buildSplit(t, dir, bundle, 0)
}

// buildSplit is build with large files read in segments of about segment
// bytes (parse.Options.Segment), observed apart (Update.Split).
func buildSplit(t testing.TB, dir, bundle string, segment int64) (*index.Index, index.Summary) {
	t.Helper()
	abs, _ := index.AbsPaths([]string{bundle})
	ix, err := index.Open(dir, index.Options{Paths: abs, Config: "test"})
	if err != nil {
		t.Fatal(err)
	}
	plan := events(t, abs, nil, nil)
	u, err := ix.Begin(inputs(plan))
	if err != nil {
		t.Fatal(err)
	}
	var tails []int
	for i := range plan.Inputs {
		in := &plan.Inputs[i]
		if in.Skipped != "" {
			continue
		}
		switch u.Action(in.Path) {
		case index.Skip:
			in.Skipped = "unchanged"
		case index.Tail:
			in.Skipped = "grown"
			tails = append(tails, i)
		}
	}
	cls := correlate.NewClassifier()
	po := parse.Options{MaxLine: parse.DefaultMaxLine, Transform: func(ev *event.Event) { cls.Classify(ev) }, Observe: u.Observe,
		Segment: segment, SplitFile: u.Split}
	stats, err := plan.Run(context.Background(), po, func(*event.Event) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range stats {
		u.SetFormat(st.Path, st.Format)
	}
	nop := func(*event.Event) {}
	for _, i := range tails {
		off, line, _ := u.Resume(plan.Inputs[i].Path)
		st, err := plan.ReadFrom(context.Background(), i, u.Format(plan.Inputs[i].Path), off, line, 0, po, nop)
		if err != nil {
			t.Fatal(err)
		}
		u.SetFormat(st.Path, st.Format)
	}
	for _, p := range u.Retry() {
		for i, in := range plan.Inputs {
			if in.Path == p {
				plan.ReadFrom(context.Background(), i, "", 0, 1, 0, po, nop)
			}
		}
	}
	s, err := u.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return ix, s
}

func search(t testing.TB, ix *index.Index, q index.Query) []string {
	t.Helper()
	var out []string
	_, err := ix.Search(context.Background(), q, reread(t), func(ev *event.Event) {
		out = append(out, fmt.Sprintf("%s:%d", ev.File, ev.Line))
	})
	if err != nil {
		t.Fatalf("Search(%q): %v", q.Text, err)
	}
	return out
}

func keysOf(evs []*event.Event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = fmt.Sprintf("%s:%d", ev.File, ev.Line)
	}
	return out
}

func sameSet(t *testing.T, name string, got, want []string) {
	t.Helper()
	g := append([]string(nil), got...)
	w := append([]string(nil), want...)
	sort.Strings(g)
	sort.Strings(w)
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		missing, extra := diff(w, g), diff(g, w)
		t.Errorf("%s: %d hits, want %d; missing %v; extra %v", name, len(got), len(want), head(missing), head(extra))
	}
}

func diff(a, b []string) []string {
	in := map[string]bool{}
	for _, s := range b {
		in[s] = true
	}
	var out []string
	for _, s := range a {
		if !in[s] {
			out = append(out, s)
		}
	}
	return out
}

func head(s []string) []string { return s[:min(5, len(s))] }

var wordRE = regexp.MustCompile(`[\p{L}\p{N}_]+`)

// hasPhrase is the phrase match the standard analyzer makes: the words in
// sequence, case-folded.
func hasPhrase(msg, phrase string) bool {
	m := strings.Join(wordRE.FindAllString(strings.ToLower(msg), -1), " ")
	p := strings.Join(wordRE.FindAllString(strings.ToLower(phrase), -1), " ")
	return strings.Contains(" "+m+" ", " "+p+" ")
}

// hasWord reports whether a word of msg (case-folded) matches re.
func hasWord(msg string, re *regexp.Regexp) bool {
	for _, w := range wordRE.FindAllString(strings.ToLower(msg), -1) {
		if re.MatchString(w) {
			return true
		}
	}
	return false
}

// TestSearchExact checks search results against the parsed stream: every
// event that matches, no other.
func TestSearchExact(t *testing.T) {
	ix, s := build(t, t.TempDir(), demoBundle)
	defer ix.Close()
	if s.Blocks == 0 || s.Notable == 0 {
		t.Fatalf("summary %+v: want notable events and blocks", s)
	}
	checkSearches(t, ix)
}

// TestSearchExactSplit indexes the demo bundle with its large files read
// in 32 KiB segments and checks the same searches, and that the index
// holds every event once.
func TestSearchExactSplit(t *testing.T) {
	ix, s := build(t, t.TempDir(), demoBundle)
	ix.Close()
	six, ss := buildSplit(t, t.TempDir(), demoBundle, 32<<10)
	defer six.Close()
	if ss.Events != s.Events || ss.Notable != s.Notable {
		t.Errorf("split: %d events, %d notable; whole: %d, %d", ss.Events, ss.Notable, s.Events, s.Notable)
	}
	if ss.Blocks <= s.Blocks {
		t.Errorf("split: %d blocks, whole %d: the files were not split", ss.Blocks, s.Blocks)
	}
	// blocks in file order; every plain block but the last ends where
	// the next event starts (a re-read stops there)
	for p, fs := range six.State().Files {
		var n int64
		for i, b := range fs.Blocks {
			n += int64(b.N)
			if i+1 < len(fs.Blocks) && (b.End == 0 || b.End > fs.Blocks[i+1].Off || b.MaxLine >= fs.Blocks[i+1].MinLine) {
				t.Errorf("%s: plain block %d (lines %d-%d, bytes %d-%d) before block at %d, line %d", p, i, b.MinLine, b.MaxLine, b.Off, b.End, fs.Blocks[i+1].Off, fs.Blocks[i+1].MinLine)
			}
		}
		for i, b := range fs.NotableBlocks {
			n += int64(b.N)
			if i+1 < len(fs.NotableBlocks) && b.MaxLine >= fs.NotableBlocks[i+1].MinLine {
				t.Errorf("%s: notable block %d (lines %d-%d) not before the next (from %d)", p, i, b.MinLine, b.MaxLine, fs.NotableBlocks[i+1].MinLine)
			}
		}
		if n != fs.Events {
			t.Errorf("%s: blocks hold %d events, the state says %d", p, n, fs.Events)
		}
	}
	checkSearches(t, six)
}

// checkSearches runs searches on an index of the demo bundle and checks
// each finds exactly the events a full read picks.
func checkSearches(t *testing.T, ix *index.Index) {
	t.Helper()
	abs, _ := index.AbsPaths([]string{demoBundle})
	var all []*event.Event
	events(t, abs, nil, func(ev *event.Event) { all = append(all, ev) })
	pick := func(f func(*event.Event) bool) []string {
		var out []*event.Event
		for _, ev := range all {
			if f(ev) {
				out = append(out, ev)
			}
		}
		return keysOf(out)
	}
	status := func(ev *event.Event) int {
		v, _ := ev.Get("status")
		n := 0
		fmt.Sscan(v, &n)
		return n
	}
	since, until := time.Date(2023, 8, 15, 5, 0, 0, 0, time.UTC), time.Date(2023, 8, 15, 5, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		q    index.Query
		want func(*event.Event) bool
	}{
		{"phrase notable", index.Query{Text: `"Lock wait timeout"`}, func(ev *event.Event) bool { return hasPhrase(ev.Message, "Lock wait timeout") }},
		{"phrase in blocks", index.Query{Text: `"auto leader balancing"`}, func(ev *event.Event) bool { return hasPhrase(ev.Message, "auto leader balancing") }},
		{"word", index.Query{Text: `HashMap`}, func(ev *event.Event) bool { return hasPhrase(ev.Message, "hashmap") }},
		{"source", index.Query{Text: `source:kafka`}, func(ev *event.Event) bool { return ev.Source == "kafka" }},
		{"kind", index.Query{Text: `kind:upstream_unavailable`}, func(ev *event.Event) bool { return ev.Kind == "upstream_unavailable" }},
		{"not info", index.Query{Text: `-level:info`}, func(ev *event.Event) bool { return ev.Level != event.LevelInfo }},
		{"status range AND", index.Query{Text: `source:gateway AND status:>=500`}, func(ev *event.Event) bool { return ev.Source == "gateway" && status(ev) >= 500 }},
		{"status 200", index.Query{Text: `status:200`}, func(ev *event.Event) bool { return status(ev) == 200 }},
		{"level flag", index.Query{Levels: []string{"debug"}}, func(ev *event.Event) bool { return ev.Level == event.LevelDebug }},
		{"source flag + word", index.Query{Text: "invoice", Sources: []string{"mysql"}}, func(ev *event.Event) bool { return ev.Source == "mysql" && hasPhrase(ev.Message, "invoice") }},
		{"phrase in blocks, not", index.Query{Text: `"auto leader balancing" -"Starting"`}, func(ev *event.Event) bool {
			return hasPhrase(ev.Message, "auto leader balancing") && !hasPhrase(ev.Message, "starting")
		}},
		{"wildcard", index.Query{Text: `balanc*`}, func(ev *event.Event) bool { return hasWord(ev.Message, regexp.MustCompile(`^balanc`)) }},
		{"regexp", index.Query{Text: `/bal.nc.ng/`}, func(ev *event.Event) bool { return hasWord(ev.Message, regexp.MustCompile(`^bal.nc.ng$`)) }},
		{"fuzzy", index.Query{Text: `balancng~1`}, func(ev *event.Event) bool { return hasPhrase(ev.Message, "balancing") }},
		{"time range + source", index.Query{Sources: []string{"kafka"}, Since: since, Until: until}, func(ev *event.Event) bool {
			return ev.Source == "kafka" && !ev.Time.Before(since) && ev.Time.Before(until)
		}},
		{"line range", index.Query{Text: `+line:<20 +line:>=5`}, func(ev *event.Event) bool { return ev.Line < 20 && ev.Line >= 5 }},
		{"keyword phrase", index.Query{Text: `file:"kafka/controller.log"`}, func(ev *event.Event) bool { return ev.File == "kafka/controller.log" }},
		{"bare number", index.Query{Text: `1205`}, func(ev *event.Event) bool { return hasPhrase(ev.Message, "1205") }},
	} {
		got := search(t, ix, tc.q)
		want := pick(tc.want)
		if len(want) == 0 {
			t.Errorf("%s: the bundle has no such events; pick another query", tc.name)
		}
		sameSet(t, tc.name, got, want)
	}
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(to)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, in)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		os.Chtimes(to, fi.ModTime(), fi.ModTime())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

var incrQueries = []index.Query{
	{Text: `"auto leader balancing"`},
	{Text: `source:kafka`},
	{Text: `-level:info`},
	{Text: `kind:upstream_unavailable`},
	{Text: `status:>=400`},
	{Text: `"Lock wait timeout"`},
}

// TestIncremental appends to a file, changes one and deletes one, then
// checks that the updated index answers like a fresh build.
func TestIncremental(t *testing.T) {
	bundle := filepath.Join(t.TempDir(), "b")
	copyTree(t, demoBundle, bundle)
	dir := t.TempDir()
	ix, _ := build(t, dir, bundle)
	ix.Close()

	ix, s := build(t, dir, bundle) // no-op
	if s.Full+s.Tail != 0 || s.Events != 0 {
		t.Errorf("no-op update: %+v, want everything unchanged", s)
	}
	ix.Close()

	// grow: append the controller log's own lines again (later stamps)
	ctl := filepath.Join(bundle, "kafka", "controller.log")
	data, _ := os.ReadFile(ctl)
	lines := strings.SplitAfter(string(data), "\n")
	extra := strings.ReplaceAll(strings.Join(lines[:40], ""), "2023-08-15 04:", "2023-08-15 07:")
	f, _ := os.OpenFile(ctl, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(extra)
	f.Close()
	// change: rewrite the mysql error log's words
	el := filepath.Join(bundle, "mysql", "error.log")
	data, _ = os.ReadFile(el)
	os.WriteFile(el, []byte(strings.ReplaceAll(string(data), "resolved", "looked up")), 0o644)
	// delete
	os.Remove(filepath.Join(bundle, "order-service", "consumer-watchdog.log"))

	ix, s = build(t, dir, bundle)
	defer ix.Close()
	if s.Tail != 1 || s.Full != 1 || s.Removed != 1 || len(s.Redone) != 0 {
		t.Errorf("update summary %+v: want 1 grown, 1 changed, 1 removed", s)
	}
	fresh, _ := build(t, t.TempDir(), bundle)
	defer fresh.Close()
	for _, q := range incrQueries {
		sameSet(t, "incremental "+q.Text, search(t, ix, q), search(t, fresh, q))
	}
	if got := search(t, ix, index.Query{Text: "resolved", Sources: []string{"mysql"}}); len(got) != 0 {
		t.Errorf("changed file: old words still found: %v", head(got))
	}
}

// benchBundle is the bundle the benchmarks use: RCA_BENCH_BUNDLE (e.g. the
// generated large bundle, go run ./scripts/gen large -size 200MB DIR), or
// the demo bundle.
func benchBundle() string {
	if b := os.Getenv("RCA_BENCH_BUNDLE"); b != "" {
		return b
	}
	return demoBundle
}

// BenchmarkIndexBuild indexes a bundle's events, parsed and classified
// beforehand (in file order per input, as the readers hand them over):
// the cost the index adds to a read. MB/s is of the bundle's bytes.
func BenchmarkIndexBuild(b *testing.B) {
	abs, _ := index.AbsPaths([]string{benchBundle()})
	plan := events(b, abs, nil, nil)
	byFile := map[string][]*event.Event{}
	var n, bytes int64
	cls := correlate.NewClassifier()
	po := parse.Options{MaxLine: parse.DefaultMaxLine, Transform: func(ev *event.Event) { cls.Classify(ev) }}
	for i, in := range plan.Inputs {
		if in.Skipped != "" {
			continue
		}
		st, err := plan.ReadFrom(context.Background(), i, "", 0, 1, 0, po, func(ev *event.Event) {
			byFile[in.Path] = append(byFile[in.Path], ev)
			n++
		})
		if err != nil {
			b.Fatal(err)
		}
		bytes += st.Bytes
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		ix, err := index.Open(dir, index.Options{Paths: abs, Config: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		u, err := ix.Begin(inputs(plan))
		if err != nil {
			b.Fatal(err)
		}
		for _, evs := range byFile {
			for _, ev := range evs {
				u.Observe(ev)
			}
		}
		if _, err := u.Commit(); err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
	b.ReportMetric(float64(n*int64(b.N))/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkNoopUpdate is an update of an index whose bundle has not
// changed: the state is read and each input's head and tail hashed.
func BenchmarkNoopUpdate(b *testing.B) {
	dir := b.TempDir()
	ix, _ := build(b, dir, benchBundle())
	ix.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix, _ := build(b, dir, benchBundle())
		ix.Close()
	}
}

// BenchmarkQuery runs a term, a phrase and a time range query.
func BenchmarkQuery(b *testing.B) {
	ix, _ := build(b, b.TempDir(), benchBundle())
	defer ix.Close()
	var first time.Time
	for _, f := range ix.State().Files {
		if len(f.Blocks) > 0 && (first.IsZero() || f.Blocks[0].MinTime.Before(first)) {
			first = f.Blocks[0].MinTime
		}
	}
	for _, q := range []index.Query{
		{Text: `kind:upstream_unavailable`},
		{Text: `"Lock wait timeout"`},
		{Text: `source:gateway AND status:>=500`},
		{Since: first.Add(10 * time.Minute), Until: first.Add(20 * time.Minute)},
	} {
		name := q.Text
		if name == "" {
			name = "10-minute range"
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := ix.Search(context.Background(), q, reread(b), func(*event.Event) {}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestLock checks that a second opener of a held index waits a bounded
// time and then fails with a clear message.
func TestLock(t *testing.T) {
	dir := t.TempDir()
	abs, _ := index.AbsPaths([]string{demoBundle})
	a, err := index.Open(dir, index.Options{Paths: abs, Config: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	old := index.LockWait
	index.LockWait = 300 * time.Millisecond
	defer func() { index.LockWait = old }()
	if _, err := index.Open(dir, index.Options{Paths: abs, Config: "test"}); err == nil || !strings.Contains(err.Error(), "in use by another rca process") {
		t.Errorf("second Open: %v, want an in-use error", err)
	}
}

// TestCorruptIndex checks that a damaged index says so and that --rebuild
// (Options.Rebuild) recovers.
func TestCorruptIndex(t *testing.T) {
	dir := t.TempDir()
	ix, _ := build(t, dir, demoBundle)
	var data string
	for _, f := range ix.State().Files {
		if len(f.NotableBlocks) > 0 {
			data = filepath.Join(dir, f.Data)
		}
	}
	ix.Close()
	// a damaged data file: the search says to rebuild
	os.WriteFile(data, []byte("garbage"), 0o644)
	abs, _ := index.AbsPaths([]string{demoBundle})
	ix, err := index.Open(dir, index.Options{Paths: abs, Config: "test"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ix.Search(context.Background(), index.Query{Text: "level:error"}, reread(t), func(*event.Event) {})
	ix.Close()
	if err == nil || !strings.Contains(err.Error(), "--rebuild") {
		t.Errorf("Search of a damaged index: %v, want a --rebuild hint", err)
	}
	// a damaged state file: opening it says to rebuild
	os.WriteFile(filepath.Join(dir, "state.json"), []byte("{garbage"), 0o644)
	if _, err := index.Open(dir, index.Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "--rebuild") {
		t.Fatalf("Open of a corrupt index: %v, want a --rebuild hint", err)
	}
	ix, err = index.Open(dir, index.Options{Paths: abs, Config: "test", Rebuild: true})
	if err != nil {
		t.Fatalf("Open with Rebuild: %v", err)
	}
	ix.Close()
	ix, _ = build(t, dir, demoBundle)
	defer ix.Close()
	if got := search(t, ix, index.Query{Text: "level:error"}); len(got) == 0 {
		t.Errorf("rebuilt index finds no errors")
	}
}

// TestRangeReadMismatch makes range re-reads return other events than the
// whole read did: the digests tell, the blocks are read whole again, and
// the results stay exact.
func TestRangeReadMismatch(t *testing.T) {
	ix, _ := build(t, t.TempDir(), demoBundle)
	defer ix.Close()
	good := reread(t)
	bad := func(ctx context.Context, st index.State, req index.ReadRequest, emit func(*event.Event)) error {
		return good(ctx, st, req, func(ev *event.Event) {
			if req.Ranges != nil {
				ev.Message += " (as a decoder without its state might read it)"
			}
			emit(ev)
		})
	}
	q := index.Query{Text: `"auto leader balancing"`}
	want := search(t, ix, q)
	var got []string
	ss, err := ix.Search(context.Background(), q, bad, func(ev *event.Event) { got = append(got, fmt.Sprintf("%s:%d", ev.File, ev.Line)) })
	if err != nil {
		t.Fatal(err)
	}
	if ss.Redone == 0 || ss.Redone != ss.Candidates {
		t.Errorf("stats %+v: want every candidate block read again", ss)
	}
	sameSet(t, "after mismatching range reads", got, want)
}

// TestTailCheck feeds a grown input's tail with an event that differs from
// what was indexed: the update sees it and asks for a whole read.
func TestTailCheck(t *testing.T) {
	bundle := filepath.Join(t.TempDir(), "b")
	copyTree(t, demoBundle, bundle)
	dir := t.TempDir()
	ix, _ := build(t, dir, bundle)
	ix.Close()
	ctl := filepath.Join(bundle, "kafka", "controller.log")
	f, _ := os.OpenFile(ctl, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("[2023-08-15 07:00:00,000] INFO [Controller id=1] grown (kafka.controller.KafkaController)\n")
	f.Close()

	abs, _ := index.AbsPaths([]string{bundle})
	ix, err := index.Open(dir, index.Options{Paths: abs, Config: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	plan := events(t, abs, nil, nil)
	u, err := ix.Begin(inputs(plan))
	if err != nil {
		t.Fatal(err)
	}
	_, line, ok := u.Resume("kafka/controller.log")
	if !ok {
		t.Fatalf("controller.log: action %v, want tail", u.Action("kafka/controller.log"))
	}
	events(t, abs, map[string]bool{"kafka/controller.log": true}, func(ev *event.Event) {
		if ev.Line == line {
			ev.Message = "not what was indexed"
		}
		u.Observe(ev)
	})
	if got := u.Retry(); len(got) != 1 || got[0] != "kafka/controller.log" {
		t.Fatalf("Retry() = %v, want the grown input", got)
	}
	events(t, abs, map[string]bool{"kafka/controller.log": true}, u.Observe)
	if _, err := u.Commit(); err != nil {
		t.Fatal(err)
	}
	fresh, _ := build(t, t.TempDir(), bundle)
	defer fresh.Close()
	for _, q := range incrQueries {
		sameSet(t, "after retry "+q.Text, search(t, ix, q), search(t, fresh, q))
	}
}
