package correlate

import (
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// TestReportIsDeterministic analyses the same events many times and wants
// the same report each time. The events are made for ties: three services
// logging at different rates fall silent together twice, for the same
// length, and each also errs in bursts, so that incidents score alike up
// to the order in which floats are added. Map order (random per run in
// Go) once decided that order, and with it which of two equal incidents
// ranked first.
func TestReportIsDeterministic(t *testing.T) {
	t0 := time.Date(2023, 8, 15, 0, 0, 0, 0, time.UTC)
	var evs []event.Event
	svcs := []struct {
		name  string
		every time.Duration
	}{{"alpha", 3 * time.Second}, {"beta", 7 * time.Second}, {"gamma", 11 * time.Second}, {"delta", 5 * time.Second}}
	silent := func(at time.Time) bool {
		m := at.Sub(t0)
		return (m >= 90*time.Minute && m < 110*time.Minute) || (m >= 200*time.Minute && m < 220*time.Minute)
	}
	for _, s := range svcs {
		for at := t0; at.Before(t0.Add(5 * time.Hour)); at = at.Add(s.every) {
			if silent(at) && s.name != "delta" {
				continue
			}
			ev := event.Event{Time: at, Source: s.name, File: s.name + ".log", Format: "generic", Level: event.LevelInfo, Message: "served request", Lines: 1}
			m := int(at.Sub(t0) / time.Minute)
			if (m%47 == 3 || m%61 == 5) && at.Second()%2 == 0 {
				ev.Level, ev.Message = event.LevelError, fmt.Sprintf("request failed: upstream %s timed out", s.name)
			}
			evs = append(evs, ev)
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Time.Before(evs[j].Time) })
	var want []byte
	for run := range 24 {
		a := NewAnalyzer(Config{Now: t0.Add(6 * time.Hour)})
		for i := range evs {
			ev := evs[i]
			a.Classify(&ev)
			a.Observe(&ev)
		}
		rep := a.Finish(nil, event.Tool{Name: "rca", Version: "test"})
		got, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		if run == 0 {
			want = got
			if len(rep.Incidents) < 2 {
				t.Fatalf("%d incidents; the test wants two alike", len(rep.Incidents))
			}
			continue
		}
		if string(got) != string(want) {
			t.Fatalf("run %d gave another report than run 0", run)
		}
	}
}
