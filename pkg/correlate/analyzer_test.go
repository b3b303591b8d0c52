package correlate

import (
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// TestMessageBudget: past the message budget a record keeps its line only
// when it starts a run of its (source, template, level); the others show
// their template's text, and the timeline rows keep their lines.
func TestMessageBudget(t *testing.T) {
	a := NewAnalyzer(Config{Classified: true})
	a.msgCap = 0 // every record is past the budget
	t0 := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	steps := []struct {
		at   time.Duration
		msg  string
		kept bool
	}{
		{0, "Lock wait timeout exceeded on order 17", true},                                         // the first of its run
		{time.Second, "Lock wait timeout exceeded on order 18", false},                              // a repeat inside the run
		{2 * time.Second, "Lock wait timeout exceeded on order 19", false},                          // still inside
		{2*time.Second + timelineGap + time.Second, "Lock wait timeout exceeded on order 20", true}, // a new run
	}
	for i, s := range steps {
		ev := &event.Event{Time: t0.Add(s.at), Source: "db", File: "db.log", Line: int64(i + 1), Level: event.LevelError, Message: s.msg, Lines: 1}
		a.Observe(ev)
	}
	if a.recs.len() != len(steps) {
		t.Fatalf("%d records, want %d", a.recs.len(), len(steps))
	}
	for i, s := range steps {
		r := a.recs.at(i)
		if got := a.msgOf(r) != ""; got != s.kept {
			t.Errorf("record %d kept its line = %v, want %v", i, got, s.kept)
		}
		want := s.msg
		if !s.kept {
			want = a.tmplOf(r).Text
		}
		if got := a.message(r); got != want {
			t.Errorf("record %d shows %q, want %q", i, got, want)
		}
	}
	if r := a.recs.at(1); a.message(r) == "" || a.message(r) == steps[1].msg {
		t.Errorf("a dropped line shows %q, want its template", a.message(r))
	}
	rows := a.timeline([]int{0, 1, 2, 3})
	if len(rows) != 2 || rows[0].Message != steps[0].msg || rows[1].Message != steps[3].msg || rows[0].Count != 3 {
		t.Errorf("timeline rows = %+v, want two rows with the runs' first lines", rows)
	}
}

// TestMessageBudgetRuns: past the message budget, the lines of one template
// start a run of their own per source and level (a normalized level or any
// other, notable by its kind), however they interleave.
func TestMessageBudgetRuns(t *testing.T) {
	a := NewAnalyzer(Config{Classified: true})
	a.msgCap = 0 // every record is past the budget
	t0 := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	firsts := map[string]bool{}
	for i := range 40 {
		src := []string{"db", "app"}[i%2]
		level := []event.Level{event.LevelError, event.LevelWarn, "custom", "err", event.LevelFatal}[i/2%5]
		ev := &event.Event{Time: t0.Add(time.Duration(i) * time.Second), Source: src, File: src + ".log", Line: int64(i + 1),
			Level: level, Kind: "lock_timeout", Message: "Lock wait timeout exceeded", Lines: 1}
		a.Observe(ev)
		k := src + "/" + string(level)
		want := !firsts[k]
		firsts[k] = true
		if got := a.msgOf(a.recs.at(i)) != ""; got != want {
			t.Errorf("event %d (%s) kept its line = %v, want %v", i, k, got, want)
		}
	}
	if len(firsts) != 10 || len(a.runLast) != 10 {
		t.Errorf("%d runs, want %d", len(a.runLast), len(firsts))
	}
}

// TestLevelCode checks that runKey's level codes tell levels apart as the
// levels themselves did: the normalized ones by rank, any other one by a
// code of its own past them.
func TestLevelCode(t *testing.T) {
	a := NewAnalyzer(Config{})
	for rank, l := range levelByRank {
		if c := a.levelCode(l, l.Rank()); c != int32(rank) {
			t.Errorf("levelCode(%q) = %d, want %d", l, c, rank)
		}
	}
	seen := map[int32]event.Level{}
	for _, l := range []event.Level{"WARN", "err", "warn ", "WARN", "custom", "err"} {
		c := a.levelCode(l, l.Rank())
		if c < int32(len(levelByRank)) {
			t.Errorf("levelCode(%q) = %d, a normalized level's code", l, c)
		}
		if o, ok := seen[c]; ok && o != l {
			t.Errorf("levelCode(%q) = levelCode(%q) = %d", l, o, c)
		}
		seen[c] = l
	}
	if len(seen) != 4 {
		t.Errorf("%d codes for 4 distinct levels", len(seen))
	}
}

// TestFileRef checks that fileRef is ref, whatever the order of names.
func TestFileRef(t *testing.T) {
	a, b := NewAnalyzer(Config{}), NewAnalyzer(Config{})
	for _, f := range []string{"a.log", "a.log", "", "b.log", "a.log", "", "", "c.log", "b.log"} {
		if got, want := a.fileRef(f), b.ref(f); got != want || a.name(got) != f {
			t.Errorf("fileRef(%q) = %d, ref = %d", f, got, want)
		}
	}
}
