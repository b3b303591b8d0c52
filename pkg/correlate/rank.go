package correlate

import (
	"fmt"
	"math"
	"net"
	"sort"
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// kindPrior says how likely a kind is to be a cause rather than a symptom.
// Symptoms (5xx, timeouts, refused connections, rebalances) are what the
// failure of something else looks like from outside; causes are a
// component's own account of what went wrong.
var kindPrior = map[string]float64{
	"database_unavailable": 1, "resource_exhausted": 1, "process_restart": 0.5, "config_error": 1,
	"tls_error": 0.9, "dns_failure": 0.9, "kafka_broker_unavailable": 0.8, "duplicate_transaction": 0.7,
	"replication_error": 0.8, "database_lock": 0.8, "slow_query": 0.6, "silence": 0.7,
	"database_connection_error": 0.55, "upstream_unavailable": 0.35, "timeout": 0.3,
	"connection_refused": 0.3, "connection_reset": 0.3, "kafka_poll_timeout": 0.35,
	"kafka_rebalance": 0.15, "http_5xx": 0.1, "": 0.25,
}

// blamedKind is the kind a service is blamed for when others fail against
// it: what their failure says about it, by its type.
func blamedKind(failure, svcType string) string {
	switch {
	case svcType == "mysql" || svcType == "postgresql" || svcType == "mongodb" || svcType == "oracle" || svcType == "mssql":
		if failure == "timeout" {
			return "timeout"
		}
		return "database_unavailable"
	case svcType == "kafka":
		return "kafka_broker_unavailable"
	case failure == "timeout":
		return "timeout"
	case failure == "tls_error":
		return failure
	}
	return "upstream_unavailable"
}

// blamingKinds are failures that point at their target rather than at the
// service that logs them.
var blamingKinds = map[string]bool{
	"connection_refused": true, "connection_reset": true, "timeout": true, "upstream_unavailable": true,
	"http_5xx": true, "database_connection_error": true, "kafka_broker_unavailable": true, "tls_error": true,
}

// candidate is a (service, kind) hypothesis inside one incident.
type candidate struct {
	service string
	kind    string
	own     []int           // records the service logged with this kind
	blame   []int           // records of other services failing against it
	blamers map[string]bool // services whose failures target it
	first   time.Time       // first own or blaming record
	logged  bool            // the service is one of the bundle's sources
	// anonymous: an address no topology, host name or port resolved. Behind
	// a bare internal IP there is usually one of the bundle's own services
	// whose address the logs do not say, so such a candidate is discounted:
	// the service's own logs speak for it.
	anonymous bool
	minP      float64 // best significance of its own series
	novel     float64 // share of own records from templates new in the incident
	score     float64
	parts     map[string]float64
}

// rankCauses scores the candidates of one incident, best first.
func (a *Analyzer) rankCauses(d *detection, w spanWin, from, to time.Time, res *resolver, idx []int) []*candidate {
	cands := map[[2]string]*candidate{}
	get := func(svc, kind string) *candidate {
		k := [2]string{svc, kind}
		c := cands[k]
		if c == nil {
			c = &candidate{service: svc, kind: kind, blamers: map[string]bool{}, minP: 1}
			cands[k] = c
		}
		return c
	}
	minP := map[seriesKey]float64{}
	silentFirst := map[int32]time.Time{}
	for _, c := range w.cells {
		if c.silence {
			if t, ok := silentFirst[c.src]; !ok || d.timeOf(c.bucket).Before(t) {
				silentFirst[c.src] = d.timeOf(c.bucket)
			}
			continue
		}
		if p, ok := minP[c.s.key]; !ok || c.p < p {
			minP[c.s.key] = c.p
		}
	}
	// callersOf[x]: services failing against x; fails[x]: x fails against others.
	fails := map[string]map[string]bool{}
	for _, i := range idx {
		r := a.recs.at(i)
		src := a.sources[r.src].name
		if r.kind == 0 && int(r.rank) < event.LevelError.Rank() {
			continue
		}
		if !a.relevant(d, w, from, r) {
			continue
		}
		target := a.name(r.target)
		if target == "" {
			target = a.impliedTarget(r, res)
		}
		if blamingKinds[a.kindOf(r)] && target != "" {
			// A failed call that names its target is evidence about the
			// target: it blames the callee, not the caller that logs it.
			if svc, _ := res.service(target); svc != "" && svc != src {
				bc := get(svc, blamedKind(a.kindOf(r), res.serviceType(svc)))
				bc.blame = append(bc.blame, i)
				bc.blamers[src] = true
				if fails[src] == nil {
					fails[src] = map[string]bool{}
				}
				fails[src][svc] = true
				continue
			}
		}
		c := get(src, a.kindOf(r))
		c.own = append(c.own, i)
		k := seriesKey{src: r.src, kind: a.kindOf(r)}
		if r.kind == 0 {
			k.tmpl = a.tmplOf(r).ID
		}
		if p, ok := minP[k]; ok && p < c.minP {
			c.minP = p
		}
	}
	for src, t := range silentFirst {
		c := get(a.sources[src].name, "silence")
		c.first = t
		c.minP = 1e-6
	}
	var out []*candidate
	for _, c := range cands {
		if len(c.own) == 0 && len(c.blame) == 0 && c.kind != "silence" {
			continue
		}
		c.logged = res.isSource(c.service)
		for _, i := range c.own {
			if t := a.recs.at(i).time(); c.first.IsZero() || t.Before(c.first) {
				c.first = t
			}
		}
		for _, i := range c.blame {
			if t := a.recs.at(i).time(); c.first.IsZero() || t.Before(c.first) {
				c.first = t
			}
		}
		novel := 0
		for _, i := range c.own {
			r := a.recs.at(i)
			if a.isNew(r, from) {
				novel++
			}
		}
		if len(c.own) > 0 {
			c.novel = float64(novel) / float64(len(c.own))
		} else if len(c.blame) > 0 {
			c.novel = 1 // a component with no logs: its failure is new by definition
		}
		c.anonymous = isBareAddress(c.service)
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil
	}
	t0, tEnd := out[0].first, to
	maxBlame := 0
	for _, c := range out {
		if c.first.Before(t0) {
			t0 = c.first
		}
		maxBlame = max(maxBlame, len(c.blamers))
	}
	span := tEnd.Sub(t0).Seconds()
	for _, c := range out {
		p := map[string]float64{}
		p["earliness"] = 1
		if span > 0 {
			p["earliness"] = 1 - math.Min(1, c.first.Sub(t0).Seconds()/span)
		}
		if maxBlame > 0 {
			p["blame"] = float64(len(c.blamers)) / float64(maxBlame)
		}
		p["novelty"] = c.novel
		p["significance"] = math.Min(1, -math.Log10(math.Max(c.minP, 1e-300))/20)
		prior, ok := kindPrior[c.kind]
		if !ok {
			prior = 0.4
		}
		p["prior"] = prior
		// a service failing against another failing service is downstream
		for callee := range fails[c.service] {
			if callee != c.service && (!res.isSource(callee) || failingOnItsOwn(cands, callee, c.service)) {
				p["downstream"] = 1
			}
		}
		n := len(c.own) + len(c.blame)
		p["volume"] = math.Min(1, math.Log10(1+float64(n))/4)
		if c.anonymous {
			p["anonymous"] = 1
		}
		c.parts = p
		c.score = 0.30*p["earliness"] + 0.25*p["blame"] + 0.15*p["novelty"] + 0.10*p["significance"] +
			0.25*p["prior"] - 0.30*p["downstream"] + 0.05*p["volume"] - 0.35*p["anonymous"]
	}
	sortCandidates(out)
	// One hypothesis per service, from all its evidence: it scores as its
	// strongest kind scores without the kind's prior, plus the prior of the
	// kind it is shown with — the most cause-like of its kinds that has
	// some substance (three lines, or a cause a single line can carry).
	// Callers timing out against a service whose own log says it cannot
	// resolve a name make one hypothesis: that service, dns_failure.
	groups := map[string][]*candidate{}
	var order []string
	for _, c := range out {
		if _, ok := groups[c.service]; !ok {
			order = append(order, c.service)
		}
		groups[c.service] = append(groups[c.service], c)
	}
	kept := make([]*candidate, 0, len(order))
	for _, svc := range order {
		g := groups[svc] // best score first
		base := g[0].score - 0.25*g[0].parts["prior"]
		chosen := g[0]
		for _, c := range g[1:] {
			substantial := len(c.own)+len(c.blame) >= 3 || kindPrior[c.kind] >= 0.7
			if substantial && kindPrior[c.kind] > kindPrior[chosen.kind] {
				chosen = c
			}
		}
		if chosen != g[0] {
			chosen.score = base + 0.25*kindPrior[chosen.kind]
			for _, c := range g {
				for b := range c.blamers {
					chosen.blamers[b] = true
				}
			}
		}
		kept = append(kept, chosen)
	}
	sortCandidates(kept)
	return kept
}

func sortCandidates(out []*candidate) {
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		if !out[i].first.Equal(out[j].first) {
			return out[i].first.Before(out[j].first)
		}
		if out[i].service != out[j].service {
			return out[i].service < out[j].service
		}
		return out[i].kind < out[j].kind
	})
}

// failingOnItsOwn reports whether a service shows trouble besides what
// one caller says of it: its own error lines, or other callers failing
// against it.
func failingOnItsOwn(cands map[[2]string]*candidate, svc, caller string) bool {
	for k, c := range cands {
		if k[0] != svc {
			continue
		}
		if len(c.own) > 0 || c.kind == "silence" {
			return true
		}
		for b := range c.blamers {
			if b != caller {
				return true
			}
		}
	}
	return false
}

// confidences turns scores into shares that sum to one over the listed
// candidates (a softmax with a temperature that keeps close scores close).
func confidences(cs []*candidate) []float64 {
	out := make([]float64, len(cs))
	var sum float64
	for i, c := range cs {
		out[i] = math.Exp(c.score / 0.08)
		sum += out[i]
	}
	for i := range out {
		out[i] = math.Round(out[i]/sum*1000) / 1000
	}
	return out
}

var kindPhrase = map[string]string{
	"database_unavailable": "stopped accepting connections", "resource_exhausted": "ran out of a resource",
	"process_restart": "restarted", "config_error": "hit a configuration error", "tls_error": "failed TLS handshakes",
	"dns_failure": "could not resolve a dependency's name", "kafka_broker_unavailable": "Kafka brokers became unavailable",
	"duplicate_transaction": "applied a transaction twice", "replication_error": "broke replication",
	"database_lock": "waited on database locks", "slow_query": "ran slow queries", "silence": "stopped logging",
	"database_connection_error": "could not get database connections", "upstream_unavailable": "stopped answering",
	"timeout": "timed out", "connection_refused": "refused connections", "connection_reset": "reset connections",
	"kafka_poll_timeout": "stopped polling Kafka in time", "kafka_rebalance": "went through consumer-group rebalances",
	"http_5xx": "answered with 5xx errors", "": "logged new errors",
}

// summarize writes the one-line account of a cause a person can check.
func (a *Analyzer) summarize(c *candidate) string {
	phrase := kindPhrase[c.kind]
	if phrase == "" {
		phrase = strings.ReplaceAll(c.kind, "_", " ")
	}
	when := c.first.UTC().Format("15:04:05")
	var b strings.Builder
	switch {
	case len(c.own) == 0 && len(c.blame) > 0 && !c.logged:
		fmt.Fprintf(&b, "%s %s at %sZ (seen from its clients; the bundle has no logs of it)", c.service, phrase, when)
	case len(c.own) == 0 && len(c.blame) > 0:
		fmt.Fprintf(&b, "%s %s at %sZ (seen from its clients)", c.service, phrase, when)
	default:
		fmt.Fprintf(&b, "%s %s at %sZ", c.service, phrase, when)
	}
	if n := len(c.blamers); n > 0 {
		names := make([]string, 0, n)
		for s := range c.blamers {
			names = append(names, s)
		}
		sort.Strings(names)
		fmt.Fprintf(&b, "; %d %s failed against it (%s)", n, plural(n, "service", "services"), strings.Join(names, ", "))
	} else if n := len(c.own); n > 1 {
		fmt.Fprintf(&b, "; %d such lines", n)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// isBareAddress reports a service named by an IP address (with or without
// a port): one that nothing resolved to a name.
func isBareAddress(s string) bool {
	host := s
	if h, _, err := net.SplitHostPort(s); err == nil {
		host = h
	}
	return net.ParseIP(strings.Trim(host, "[]")) != nil
}

// dbLinkFailures are phrases of a client that cannot reach its database at
// all (as opposed to a full pool in front of a healthy one: Hikari's
// "total=10, active=10"), each with the index of a byte that is rare in log
// messages (an upper-case letter, punctuation, "y" or "g"), which
// dbLinkFailure looks for.
var dbLinkFailures = []struct {
	text   string
	anchor int
}{
	{"Communications link failure", 0}, {"total=0, active=0", 5}, {"Could not open JDBC Connection", 15},
	{"Unable to acquire JDBC Connection", 0}, {"Could not create connection to database server", 0},
	{"Can't connect to MySQL server", 3}, {"Connection to the database failed", 0},
	{"the database system is shutting down", 14}, {"terminating connection due to administrator command", 10},
}

// dbLinkKind says whether a kind can be a client's failure to reach its
// database (then dbLinkFailure reads the message).
func dbLinkKind(kind string) bool {
	return kind == "database_connection_error" || kind == "connection_refused" || kind == "connection_reset" || kind == "timeout"
}

// dbLinkFailure says whether a message is a client's failure to reach its
// database: whether it holds one of dbLinkFailures. Each phrase is looked
// for where its rare byte is (strings.IndexByte), not with strings.Contains,
// which, for the phrases that start with a common letter ("t"), compares
// the phrase at every byte of a long message that holds none of them (most
// do: timeouts, refused connections).
func dbLinkFailure(msg string) bool {
	for _, p := range dbLinkFailures {
		c, a := p.text[p.anchor], p.anchor
		for from := a; from < len(msg); {
			k := strings.IndexByte(msg[from:], c)
			if k < 0 {
				break
			}
			at := from + k - a
			if len(msg)-at < len(p.text) {
				break // later ones end later still
			}
			if msg[at:at+len(p.text)] == p.text {
				return true
			}
			from += k + 1
		}
	}
	return false
}

// impliedTarget names the database a client's link failure is about when
// the message names no address and the bundle holds exactly one database.
func (a *Analyzer) impliedTarget(r *record, res *resolver) string {
	if !r.dbLink {
		return ""
	}
	var dbs []string
	for _, typ := range []string{"mysql", "postgresql", "mongodb", "oracle", "mssql"} {
		dbs = append(dbs, res.byType[typ]...)
	}
	if len(dbs) != 1 {
		return ""
	}
	return dbs[0]
}
