package correlate

import (
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

func TestSeriesCountsPerServiceAndBucket(t *testing.T) {
	t0 := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	a := NewAnalyzer(Config{Bucket: 30 * time.Second, NoSkew: true})
	add := func(src string, at time.Duration, lvl event.Level, msg string) {
		a.Observe(&event.Event{Time: t0.Add(at), Source: src, Level: lvl, Message: msg, File: src + ".log", Line: 1})
	}
	for i := range 20 { // ten minutes of steady info lines at the api
		add("api", time.Duration(i)*30*time.Second, event.LevelInfo, "request served")
	}
	add("api", 65*time.Second, event.LevelError, "request failed")
	add("api", 66*time.Second, event.LevelFatal, "process died")
	add("db", 95*time.Second, event.LevelWarn, "slow query")
	rep := a.Finish(nil, event.Tool{Name: "rca"})
	if len(rep.Series) != 2 || rep.Series[0].Service != "api" || rep.Series[1].Service != "db" {
		t.Fatalf("series = %+v, want api and db in name order", rep.Series)
	}
	api, db := rep.Series[0], rep.Series[1]
	if api.BucketSeconds != 30 || !api.Start.Equal(t0) || db.Start != api.Start {
		t.Errorf("bucket %ds from %v, want 30s from %v", api.BucketSeconds, api.Start, t0)
	}
	if len(api.Events) != 20 || len(api.Errors) != 20 || len(db.Warnings) != 20 {
		t.Fatalf("buckets: %d events, %d errors, %d warnings, want 20 each", len(api.Events), len(api.Errors), len(db.Warnings))
	}
	var total int64
	for _, c := range api.Events {
		total += c
	}
	if total != 22 {
		t.Errorf("api events sum to %d, want 22", total)
	}
	if api.Errors[2] != 2 || db.Warnings[3] != 1 || db.Errors[3] != 0 {
		t.Errorf("api errors %v, db warnings %v", api.Errors, db.Warnings)
	}
}

// TestSeriesCountPastMaxRecords checks that warnings and errors past the
// records cap still count in the series, in the same buckets.
func TestSeriesCountPastMaxRecords(t *testing.T) {
	t0 := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	series := func(max int) event.Series {
		a := NewAnalyzer(Config{Bucket: 30 * time.Second, NoSkew: true, MaxRecords: max})
		for i := range 40 {
			lvl := event.LevelError
			if i%4 == 0 {
				lvl = event.LevelWarn
			}
			a.Observe(&event.Event{Time: t0.Add(time.Duration(i) * 7 * time.Second), Source: "api", Level: lvl,
				Message: "request failed", File: "api.log", Line: int64(i + 1)})
		}
		rep := a.Finish(nil, event.Tool{Name: "rca"})
		if len(rep.Series) != 1 {
			t.Fatalf("MaxRecords %d: %d series", max, len(rep.Series))
		}
		return rep.Series[0]
	}
	all, capped := series(1000), series(5)
	var warns, errs int64
	for i := range all.Errors {
		warns += capped.Warnings[i]
		errs += capped.Errors[i]
	}
	if warns != 10 || errs != 30 {
		t.Errorf("capped at 5 records: %d warnings, %d errors; want 10 and 30", warns, errs)
	}
	for i := range all.Errors {
		if all.Errors[i] != capped.Errors[i] || all.Warnings[i] != capped.Warnings[i] {
			t.Errorf("bucket %d: %d/%d errors/warnings capped, %d/%d not", i, capped.Errors[i], capped.Warnings[i], all.Errors[i], all.Warnings[i])
		}
	}
}

func TestSeriesEmptyReport(t *testing.T) {
	rep := NewAnalyzer(Config{}).Finish(nil, event.Tool{Name: "rca"})
	if rep.Series != nil && len(rep.Series) != 0 {
		t.Errorf("series of an empty analysis = %+v", rep.Series)
	}
}

func TestSeriesBucket(t *testing.T) {
	tests := []struct {
		cfg, span, want time.Duration
	}{
		{0, 2*time.Hour + 15*time.Minute, 30 * time.Second},
		{0, time.Minute, 10 * time.Second},
		{5 * time.Second, time.Hour, 10 * time.Second},
		{25 * time.Second, time.Hour, 30 * time.Second},
		{10 * time.Second, 24 * time.Hour, 320 * time.Second},
	}
	for _, tt := range tests {
		if got := seriesBucket(tt.cfg, tt.span); got != tt.want {
			t.Errorf("seriesBucket(%v, %v) = %v, want %v", tt.cfg, tt.span, got, tt.want)
		}
	}
}
