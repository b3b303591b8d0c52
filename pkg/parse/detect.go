package parse

import (
	"bytes"
	"sort"

	"github.com/rca-dev/rca/pkg/event"
)

// Sampling limits for detection: the first lines of a file decide its format.
const (
	sampleBytes = 64 << 10
	sampleLines = 200
)

// Score is one format's result on a sample.
type Score struct {
	Format     *Format
	Confidence float64 // own share plus half the share left to the fallback
	Starts     int     // lines it read as record starts
	Own        float64 // share of non-empty lines it read itself (starts and folds)
	Effective  float64 // Own plus the share the generic fallback reads for it
}

// Detection is the outcome of Detect: the chosen format and the runner-up.
type Detection struct {
	Format             *Format
	Confidence         float64
	RunnerUp           *Format // nil when no other format read anything
	RunnerUpConfidence float64
	Scores             []Score // every format that read at least one record start, best first
}

// Detect picks the format of a sample of lines. Each format's decoder reads
// the sample: the lines it reads as record starts or (multi-line formats)
// folds as continuations are its own; lines it rejects that the generic
// fallback reads count toward its effective coverage, as decoding would
// hand them to the fallback. A product format that reads at least half the
// lines itself beats the generic fallback; see the comparator below. The
// result is deterministic for a given sample.
func Detect(sample [][]byte, ctx *Context) Detection {
	var scores []Score
	nonEmpty := 0
	for _, l := range sample {
		if !isBlank(l) {
			nonEmpty++
		}
	}
	if nonEmpty == 0 {
		return Detection{Format: Lookup(GenericID)}
	}
	// The generic fallback's view of each line: the decoding framework offers
	// a line a format rejects to the fallback, so a product format is not
	// blamed for the few foreign lines (a systemd line in an HAProxy log)
	// that the fallback reads.
	fallback := make([]bool, len(sample))
	if g := Lookup(GenericID); g != nil {
		dec := g.New(ctx)
		for i, l := range sample {
			if !isBlank(l) {
				ev := &event.Event{Raw: string(l)}
				fallback[i] = dec.Decode(l, ev, nil) == Start && !ev.Time.IsZero()
			}
		}
	}
	for _, f := range Formats() {
		dec := f.New(ctx)
		var cur *event.Event
		starts, folded, viaFallback := 0, 0, 0
		for i, l := range sample {
			if isBlank(l) {
				continue
			}
			ev := &event.Event{Raw: string(l)}
			v := dec.Decode(l, ev, cur)
			switch {
			case v == Start && !ev.Time.IsZero():
				starts++
				cur = ev
			case v == Start: // a record without a time of its own: read, kept unparsed
				folded++
			case (v == Continue || v == Absorb) && cur != nil:
				folded++
			case v == Reject && f.ID != GenericID && !f.NoFallback && fallback[i]:
				viaFallback++
			case v == Reject && f.Multiline && cur != nil:
				folded++
			}
		}
		if starts == 0 {
			continue
		}
		// Lines left to the fallback count half as much as the format's
		// own, so a format that reads one line in a hundred does not tie
		// with the one that reads them all.
		n := float64(nonEmpty)
		scores = append(scores, Score{Format: f, Starts: starts,
			Own:        float64(starts+folded) / n,
			Effective:  float64(starts+folded+viaFallback) / n,
			Confidence: (float64(starts+folded) + 0.5*float64(viaFallback)) / n})
	}
	if len(scores) == 0 {
		return Detection{Format: Lookup(GenericID)}
	}
	// Choice: among formats whose effective coverage is within 0.05 of the
	// best, a product format that reads at least half the lines itself wins
	// over the generic fallback; among those, the ones that read nearly as
	// many lines themselves as the best (within 0.2) compete on specificity,
	// so HAProxy keeps a log that syslog also reads whole, while a format
	// that reads only half a mixed stream does not take it from the one
	// that reads all of it.
	best := 0.0
	for _, s := range scores {
		best = max(best, s.Effective)
	}
	group := func(s Score) int {
		switch {
		case s.Effective < best-0.05:
			return 2
		case s.Format.ID != GenericID && s.Own >= 0.5:
			return 0
		}
		return 1
	}
	bestOwn := 0.0
	for _, s := range scores {
		if group(s) == 0 {
			bestOwn = max(bestOwn, s.Own)
		}
	}
	sort.SliceStable(scores, func(i, j int) bool {
		a, b := scores[i], scores[j]
		if ga, gb := group(a), group(b); ga != gb {
			return ga < gb
		}
		if an, bn := a.Own >= bestOwn-0.2, b.Own >= bestOwn-0.2; an != bn {
			return an
		}
		if a.Format.Specificity != b.Format.Specificity {
			return a.Format.Specificity > b.Format.Specificity
		}
		if a.Own != b.Own {
			return a.Own > b.Own
		}
		if a.Starts != b.Starts {
			return a.Starts > b.Starts
		}
		return a.Format.ID < b.Format.ID
	})
	d := Detection{Format: scores[0].Format, Confidence: scores[0].Confidence, Scores: scores}
	if len(scores) > 1 {
		d.RunnerUp, d.RunnerUpConfidence = scores[1].Format, scores[1].Confidence
	}
	return d
}

// sampleLinesOf splits the head of a file into lines for Detect. The last
// line is dropped when the head was cut mid-line (more data follows).
func sampleLinesOf(head []byte, atEOF bool) [][]byte {
	var out [][]byte
	for len(head) > 0 && len(out) < sampleLines {
		i := bytes.IndexByte(head, '\n')
		if i < 0 {
			if atEOF {
				out = append(out, trimEOL(head))
			}
			break
		}
		out = append(out, trimEOL(head[:i]))
		head = head[i+1:]
	}
	return out
}
