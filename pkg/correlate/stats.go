package correlate

import (
	"math"
	"sort"
)

// poissonUpper is P(X >= k) for X ~ Poisson(lambda): the chance of seeing
// k or more events in a bucket whose normal rate is lambda. It sums the
// tail directly (from k upwards), which stays accurate for the tiny
// p-values bursts produce, where 1 - CDF would round to zero.
func poissonUpper(k int64, lambda float64) float64 {
	if k <= 0 {
		return 1
	}
	if lambda <= 0 {
		return 0
	}
	if float64(k) <= lambda {
		return 1 - poissonLowerStrict(k, lambda)
	}
	lg, _ := math.Lgamma(float64(k) + 1)
	term := math.Exp(-lambda + float64(k)*math.Log(lambda) - lg)
	sum := 0.0
	for i := k; term > 1e-300 && i < k+10000; i++ {
		sum += term
		term *= lambda / float64(i+1)
		if term < sum*1e-17 {
			break
		}
	}
	return math.Min(1, sum)
}

// burstP is the chance of k or more events in a bucket whose normal count
// has mean lambda and, when shape is finite, the over-dispersion of a
// negative binomial of that shape (a series that bursts in good runs too);
// shape +Inf is a Poisson.
func burstP(k int64, lambda, shape float64) float64 {
	if math.IsInf(shape, 1) {
		return poissonUpper(k, lambda)
	}
	return negBinomUpper(k, lambda, shape)
}

// negBinomUpper is P(X >= k) for X negative binomial with mean mu and
// shape r (variance mu + mu²/r), summed from k upwards like poissonUpper.
func negBinomUpper(k int64, mu, r float64) float64 {
	if k <= 0 {
		return 1
	}
	if mu <= 0 {
		return 0
	}
	q := mu / (r + mu) // chance of a "failure" step; P(X=x) ∝ Γ(x+r)/x! q^x
	logp0 := r * math.Log(r/(r+mu))
	term := func(x int64) float64 {
		lgxr, _ := math.Lgamma(float64(x) + r)
		lgr, _ := math.Lgamma(r)
		lgx, _ := math.Lgamma(float64(x) + 1)
		return math.Exp(lgxr - lgr - lgx + logp0 + float64(x)*math.Log(q))
	}
	if float64(k) <= mu {
		// the lower part is short and its complement is not tiny
		sum, t := 0.0, math.Exp(logp0)
		for x := int64(0); x < k; x++ {
			sum += t
			t *= (float64(x) + r) / float64(x+1) * q
		}
		return math.Max(0, math.Min(1, 1-sum))
	}
	t := term(k)
	sum := 0.0
	for x := k; t > 1e-300 && x < k+200000; x++ {
		sum += t
		t *= (float64(x) + r) / float64(x+1) * q
		if t < sum*1e-17 {
			break
		}
	}
	return math.Min(1, sum)
}

// poissonLowerStrict is P(X < k).
func poissonLowerStrict(k int64, lambda float64) float64 {
	term := math.Exp(-lambda)
	sum := 0.0
	for i := int64(0); i < k; i++ {
		sum += term
		term *= lambda / float64(i+1)
	}
	return math.Min(1, sum)
}

// poissonLower is P(X <= k): the chance of seeing as few as k events when
// lambda are expected (a source going quiet).
func poissonLower(k int64, lambda float64) float64 {
	return poissonLowerStrict(k+1, lambda)
}

// bhThreshold returns the Benjamini–Hochberg cut-off: the largest p-value
// that is still significant at false-discovery rate q when m hypotheses
// were tested (ps holds the p-values of the tests that could reject; the
// others count in m with p = 1). It returns 0 when nothing is significant.
func bhThreshold(ps []float64, m int, q float64) float64 {
	if len(ps) == 0 || m == 0 {
		return 0
	}
	s := append([]float64(nil), ps...)
	sort.Float64s(s)
	cut := 0.0
	for i, p := range s {
		if p <= q*float64(i+1)/float64(m) {
			cut = p
		}
	}
	return cut
}

// robustRate estimates the normal per-bucket rate of a series from its
// quiet periods: the mean over buckets, recomputed without the buckets that
// look anomalous under the current estimate, a few times. floor keeps a
// never-seen series from having a rate of exactly zero.
func robustRate(counts map[int64]int64, nBuckets int64, floor float64) float64 {
	if nBuckets <= 0 {
		return floor
	}
	var total int64
	for _, c := range counts {
		total += c
	}
	lambda := math.Max(float64(total)/float64(nBuckets), floor)
	for iter := 0; iter < 4; iter++ {
		var kept int64
		excluded := int64(0)
		for _, c := range counts {
			if poissonUpper(c, lambda) < 1e-3 {
				excluded++
				continue
			}
			kept += c
		}
		next := math.Max(float64(kept)/float64(max(nBuckets-excluded, 1)), floor)
		if math.Abs(next-lambda) < 1e-9 {
			break
		}
		lambda = next
	}
	return lambda
}
