package correlate

import (
	"sort"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// Clock skew. A client cannot see a refused connection before the server
// went down: when a server's own down/restart line is stamped after the
// first connection failures its clients report against it, the server's
// clock is ahead by at least the difference. Only such unambiguous
// cause/effect pairs are used — connection-level failures on one side, the
// server's own cause line on the other — because a service that merely
// fails later than its callers (it logs at the end of a slow request) is
// not evidence of skew.

// skewLead is the time a cause is assumed to precede its first effect once
// the effect was seen before it.
const skewLead = time.Second

// skewTolerance ignores differences this small: log timestamps of a
// failing system are not that precise.
const skewTolerance = 5 * time.Second

// clientFailureKinds are failures that can only follow the server's fault.
var clientFailureKinds = map[string]bool{
	"connection_refused": true, "connection_reset": true, "database_connection_error": true,
	"kafka_broker_unavailable": true, "upstream_unavailable": true,
}

// serverCauseKinds are a server's own lines written at the moment it went
// away (shutdown, restart, an OOM kill). Lines a server writes when it
// notices trouble later (a Kafka broker shrinking its ISR after
// replica.lag.time.max.ms) legitimately lag their clients and are no
// evidence of skew.
var serverCauseKinds = map[string]bool{
	"process_restart": true, "database_unavailable": true, "resource_exhausted": true,
}

// estimateSkew returns the clock offset of each source (positive: its clock
// is ahead) found from the pairs inside the detected windows.
func (a *Analyzer) estimateSkew(d *detection, res *resolver) map[int32]time.Duration {
	diffs := map[int32][]time.Duration{}
	for _, w := range d.windows {
		from, to := a.windowRange(d, w)
		firstFail := map[[2]int32]time.Time{} // (client, server) -> first failure
		firstCause := map[int32]time.Time{}
		fk, tk := event.KeyOf(from), event.KeyOf(to)
		for i := range a.recs.len() {
			r := a.recs.at(i)
			if k := r.key(); k.Before(fk) || tk.Before(k) {
				continue
			}
			t := r.time()
			if serverCauseKinds[a.kindOf(r)] {
				if f, ok := firstCause[r.src]; !ok || t.Before(f) {
					firstCause[r.src] = t
				}
			}
			if clientFailureKinds[a.kindOf(r)] && r.target != 0 {
				svc, isSrc := res.service(a.name(r.target))
				if !isSrc {
					continue
				}
				srv := a.bySrc[svc]
				if srv == r.src {
					continue
				}
				k := [2]int32{r.src, srv}
				if f, ok := firstFail[k]; !ok || t.Before(f) {
					firstFail[k] = t
				}
			}
		}
		for k, tf := range firstFail {
			tc, ok := firstCause[k[1]]
			if !ok {
				continue
			}
			if lag := tc.Sub(tf); lag > skewTolerance {
				diffs[k[1]] = append(diffs[k[1]], lag+skewLead)
			}
		}
	}
	out := map[int32]time.Duration{}
	for src, ds := range diffs {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		out[src] = ds[len(ds)/2] // median over clients and incidents
	}
	return out
}

// applySkew shifts the records of skewed sources back onto the common
// clock.
func (a *Analyzer) applySkew(skew map[int32]time.Duration) {
	if len(skew) == 0 {
		return
	}
	for i := range a.recs.len() {
		if s, ok := skew[a.recs.at(i).src]; ok {
			r := a.recs.at(i)
			r.setTime(r.time().Add(-s))
		}
	}
	sort.Stable(&a.recs)
}

// causeLead is how long before its first significant bucket an incident's
// causes are looked for: a cause often starts quietly (a disk filling up, a
// first refused connection) minutes before the symptoms burst. Lines there
// count only when they are relevant (significant, new, or a rare cause).
const causeLead = 10 * time.Minute

// windowRange is the time range of a window, widened backwards by the
// lead-up in which causes are looked for.
func (a *Analyzer) windowRange(d *detection, w spanWin) (time.Time, time.Time) {
	lead := max(2*d.bucket, causeLead)
	return d.timeOf(w.first).Add(-lead), d.timeOf(w.last + 1)
}
