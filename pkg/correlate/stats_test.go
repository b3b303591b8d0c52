package correlate

import (
	"math"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

func TestPoissonTails(t *testing.T) {
	tests := []struct {
		k      int64
		lambda float64
		upper  float64
	}{
		{0, 2, 1},
		{1, 2, 1 - math.Exp(-2)},
		{3, 2, 1 - math.Exp(-2)*(1+2+2)},
		{50, 0.1, 0}, // vanishingly small, but > 0
	}
	for _, tt := range tests {
		got := poissonUpper(tt.k, tt.lambda)
		if tt.upper == 0 {
			if got <= 0 || got > 1e-60 {
				t.Errorf("poissonUpper(%d, %g) = %g, want a tiny positive value", tt.k, tt.lambda, got)
			}
			continue
		}
		if math.Abs(got-tt.upper) > 1e-12 {
			t.Errorf("poissonUpper(%d, %g) = %.15f, want %.15f", tt.k, tt.lambda, got, tt.upper)
		}
	}
	if got, want := poissonLower(0, 3), math.Exp(-3); math.Abs(got-want) > 1e-12 {
		t.Errorf("poissonLower(0, 3) = %g, want %g", got, want)
	}
}

func TestBHThreshold(t *testing.T) {
	ps := []float64{0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205}
	if got := bhThreshold(ps, 8, 0.05); got != 0.008 {
		t.Errorf("bhThreshold = %g, want 0.008", got)
	}
	if got := bhThreshold(ps, 1000, 0.05); got != 0 {
		t.Errorf("bhThreshold with m=1000 = %g, want 0 (nothing survives)", got)
	}
}

func TestRobustRateIgnoresTheBurst(t *testing.T) {
	counts := map[int64]int64{}
	for b := int64(0); b < 720; b += 18 { // one event every 3 minutes in 10 s buckets
		counts[b] = 1
	}
	for b := int64(400); b < 410; b++ { // a burst of 200 per bucket
		counts[b] = 200
	}
	got := robustRate(counts, 720, 1e-3)
	if got > 0.1 {
		t.Errorf("robustRate = %g, want about 40/720 = 0.056: the burst must not count as normal", got)
	}
}

// TestStrayTimestampsDoNotStretchTheSpan: one line stamped in 2200 among a
// bundle of one day keeps buckets fine and the analysis quick.
func TestStrayTimestampsDoNotStretchTheSpan(t *testing.T) {
	a := NewAnalyzer(Config{})
	base := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	for i := 0; i < 20000; i++ {
		a.Observe(&event.Event{Time: base.Add(time.Duration(i) * 300 * time.Millisecond), Source: "app", Level: event.LevelInfo, Message: "ok"})
	}
	a.Observe(&event.Event{Time: time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), Source: "app", Level: event.LevelError, Message: "clock went mad"})
	a.Observe(&event.Event{Time: time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC), Source: "app", Level: event.LevelError, Message: "so did this one"})
	start := time.Now()
	rep := a.Finish(nil, event.Tool{Name: "rca"})
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Finish took %v with two stray timestamps", took)
	}
	d := a.detect()
	if d.bucket > time.Minute {
		t.Errorf("bucket = %v: the stray stamps stretched the span", d.bucket)
	}
	if len(rep.Incidents) != 0 {
		t.Errorf("%d incidents from two stray lines", len(rep.Incidents))
	}
}

// negBinomDirect is P(X >= k) by summing the pmf from 0 (the complement),
// for moderate values where that is accurate.
func negBinomDirect(k int64, mu, r float64) float64 {
	p := r / (r + mu)
	sum := 0.0
	for x := int64(0); x < k; x++ {
		lg1, _ := math.Lgamma(float64(x) + r)
		lg2, _ := math.Lgamma(r)
		lg3, _ := math.Lgamma(float64(x) + 1)
		sum += math.Exp(lg1 - lg2 - lg3 + r*math.Log(p) + float64(x)*math.Log(1-p))
	}
	return 1 - sum
}

func TestNegBinomUpper(t *testing.T) {
	tests := []struct {
		k     int64
		mu, r float64
	}{
		{0, 1, 2}, {1, 0.2, 0.05}, {3, 0.2, 0.05}, {6, 0.21, 0.045}, {2, 5, 1}, {12, 5, 1}, {4, 3, 10}, {30, 3, 0.3},
	}
	for _, tt := range tests {
		got, want := negBinomUpper(tt.k, tt.mu, tt.r), negBinomDirect(tt.k, tt.mu, tt.r)
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("negBinomUpper(%d, %g, %g) = %.12g, want %.12g", tt.k, tt.mu, tt.r, got, want)
		}
	}
	// r = 1 is a geometric: P(X >= k) = q^k with q = mu/(1+mu)
	if got, want := negBinomUpper(40, 2, 1), math.Pow(2.0/3, 40); math.Abs(got-want) > 1e-12*want {
		t.Errorf("negBinomUpper(40, 2, 1) = %g, want %g", got, want)
	}
	// a large shape is a Poisson
	if got, want := negBinomUpper(9, 2, 1e6), poissonUpper(9, 2); math.Abs(got-want) > 1e-4*want {
		t.Errorf("negBinomUpper(9, 2, 1e6) = %g, want the Poisson's %g", got, want)
	}
	// a burst that good runs show is far less surprising than under a Poisson of the same mean
	if nb, po := burstP(8, 0.2, 0.05), burstP(8, 0.2, math.Inf(1)); nb < 1e3*po {
		t.Errorf("burstP(8, 0.2, 0.05) = %g, not much above the Poisson's %g", nb, po)
	}
}
