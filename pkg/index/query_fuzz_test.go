package index

import (
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

// FuzzQuery feeds arbitrary query text to the compiler, the matcher, the
// block filter and the highlighter. Properties: nothing panics; a block
// whose events include a match is always a candidate (its sketch never
// says no to an event that matches: the exactness of search rests on it);
// highlights are ordered ranges inside the message.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{
		`timeout`, `"Lock wait timeout"`, `+connection -refused`, `-level:info`, `source:gateway AND status:>=500`,
		`status:>=400 status:<500`, `kind:timeout OR kind:connection_refused`, `NOT source:kafka`, `upstream*`,
		`/time.*/`, `source:/k.*a/`, `tiemout~1`, `"connection to the"`, `latency_ms:>1000`,
		`time:>"2023-08-15T06:20:00Z"`, `file:"kafka/controller.log"`, `line:<20`, `500`, `the`, `"a" -"b" +c*`,
		`method:POST path:/v2/*`, `upstream_status:>=502 -upstream_status:504`,
	} {
		f.Add(s)
	}
	// blocks of every fifth event, per file as in an index
	all := demoEvents(f)
	var sample []*eventViewBlock
	const step, blockSize = 5, 256
	cur := map[string]*eventViewBlock{}
	for i := 0; i < len(all); i += step {
		ev := all[i]
		b := cur[ev.File]
		if b == nil || len(b.evs) == blockSize {
			b = &eventViewBlock{}
			cur[ev.File] = b
			sample = append(sample, b)
		}
		b.evs = append(b.evs, ev)
	}
	for _, b := range sample {
		var bb blockBuilder
		w := &fileWork{}
		for _, ev := range b.evs {
			w.add(&bb, ev, 0, true)
		}
		sk, err := readSketch(bb.sk.appendFolded(nil))
		if err != nil {
			f.Fatal(err)
		}
		b.view = blockView{sk: sk, min: bb.b.MinTime, max: bb.b.MaxTime}
	}
	f.Fuzz(func(t *testing.T, text string) {
		q := Query{Text: text}
		tree, err := compileQuery(q)
		if err != nil || tree == nil {
			return
		}
		var v eventView
		for bi, b := range sample {
			for _, ev := range b.evs {
				v.reset(ev)
				if tree.match(&v) {
					if !tree.may(&b.view) {
						t.Fatalf("%q matches %s:%d, but its block %d is no candidate", text, ev.File, ev.Line, bi)
					}
					break
				}
			}
		}
		hl, err := q.Highlighter()
		if err != nil {
			t.Fatalf("%q compiles but has no highlighter: %v", text, err)
		}
		for _, b := range sample[:1] {
			for _, ev := range b.evs {
				at := 0
				for _, m := range hl(ev.Message) {
					if m[0] < at || m[1] <= m[0] || m[1] > len(ev.Message) {
						t.Fatalf("%q: highlight %v out of order or range in %q", text, m, ev.Message)
					}
					at = m[1]
				}
			}
		}
	})
}

// eventViewBlock is a block of sample events and its sketch.
type eventViewBlock struct {
	evs  []*event.Event
	view blockView
}
