package gen

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Cause names one hypothesis of a report: the component at fault and what
// went wrong with it (a kind of the report vocabulary, or "silence").
type Cause struct {
	Service string
	Kind    string
}

// Truth is what a scenario's report must say. The top-ranked cause is
// correct when its service is Service and its kind is one of Kinds, or
// when it equals one of AlsoAcceptable. An empty Service means the bundle
// holds no incident at all: a report must list none.
type Truth struct {
	Service        string
	Kinds          []string
	AlsoAcceptable []Cause
	Note           string
}

// Correct tells whether a cause is an acceptable answer.
func (t Truth) Correct(service, kind string) bool {
	if t.Service == "" {
		return false
	}
	if service == t.Service && slices.Contains(t.Kinds, kind) {
		return true
	}
	for _, c := range t.AlsoAcceptable {
		if c.Service == service && c.Kind == kind {
			return true
		}
	}
	return false
}

// String is the truth as "service/kind|kind (+ also/kind)".
func (t Truth) String() string {
	if t.Service == "" {
		return "(no incident)"
	}
	s := t.Service + "/" + strings.Join(t.Kinds, "|")
	for _, c := range t.AlsoAcceptable {
		s += " or " + c.Service + "/" + c.Kind
	}
	return s
}

// Scenario is one generated bundle with a known root cause: an hour or so
// of steady traffic across a handful of services with their everyday noise,
// a red herring, clock skew and mixed zones, and one incident. See
// Scenarios for the list and each builder's doc comment for its story.
type Scenario struct {
	Name  string
	Truth Truth
	// Story says in a few sentences what happens in the bundle.
	Story string
	build func(w *world)
}

// Scenarios returns the scenario suite, in a fixed order.
func Scenarios() []Scenario {
	return []Scenario{
		scenarioMySQLDownLoud(),
		scenarioMySQLDownSilent(),
		scenarioKafkaBrokerDown(),
		scenarioSlowConsumerDBLocks(),
		scenarioThirdPartyTimeout(),
		scenarioGatewayTLSReload(),
		scenarioPoolExhaustion(),
		scenarioDBDiskFull(),
		scenarioDuplicateReplay(),
		scenarioDNSFailure(),
		scenarioOOMRestartLoop(),
		scenarioSteady(),
	}
}

// Baselines returns the good runs that are not part of the suite: bundles
// to compare scenarios with (`rca analyze --baseline`). "steady" is in
// the suite and serves as a baseline too.
func Baselines() []Scenario {
	return []Scenario{scenarioSteadyHerrings()}
}

// ScenarioByName returns the scenario (of the suite or of Baselines) with
// that name.
func ScenarioByName(name string) (Scenario, bool) {
	for _, s := range append(Scenarios(), Baselines()...) {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// Write generates the scenario's bundle into dir (created if needed): the
// log files, an rca.yaml with the zones of zone-less sources (and, in some
// scenarios, a topology), and TRUTH.md. The same seed writes the same
// bytes.
func (s Scenario) Write(dir string, seed int64) error {
	w := newWorld(s, seed)
	s.build(w)
	return w.write(dir, s)
}

// scenarioSeed mixes the scenario's name into the caller's seed, so that
// scenarios with the same seed do not share their random streams.
func scenarioSeed(name string, seed int64) (uint64, uint64) {
	h := fnv.New64a()
	h.Write([]byte(name))
	return uint64(seed), h.Sum64()
}

// sortedSet returns the keys of a set in order.
func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func hexID(r *rand.Rand, n int) string {
	const hex = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = hex[r.IntN(16)]
	}
	return string(b)
}

func fmtDur(d time.Duration) string { return fmt.Sprintf("%.0fs", d.Seconds()) }
