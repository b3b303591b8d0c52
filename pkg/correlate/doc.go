// Package correlate turns events into incidents and ranked causes.
//
// The stages, each in its own files:
//   - classify.go, rules.go: Classifier maps an event.Event to a kind from
//     the report vocabulary (report-v1.md, "Kinds") and extracts the facts
//     correlation needs (target, target_host, status, error_code, host);
//   - template*.go: Miner clusters messages into templates (Drain-style,
//     masked variables, ids stable across runs);
//   - analyzer.go: Analyzer takes the event stream (Observe) into bounded
//     per-source state and compact records of notable events;
//   - stats.go, incidents.go: baselines from quiet periods, Poisson burst
//     and silence tests with a Benjamini–Hochberg correction, windows;
//   - baseline.go: baselines from good runs instead (ObserveBaseline, for
//     `rca analyze --baseline`): per-series counts of the good runs, their
//     dispersion (negative binomial), novelty against them;
//   - diff.go: Differ, the template-level comparison of `rca diff`;
//   - deps.go, skew.go, rank.go: dependency resolution (topology, host
//     names, well-known ports), clock skew from cause/effect pairs, and the
//     ranking of (service, kind) causes;
//   - finish.go: the report (event.Report) with incidents, causes,
//     evidence and timelines; patterns.go: template statistics.
//
// The classifier promises:
//   - a kind is one of Kinds() or "" (none), never anything else;
//   - the same event always gets the same kind and facts (the one state kept
//     between calls, a bounded cache of the literals in stack traces seen
//     before, decides nothing), and a Classifier is safe for concurrent use;
//   - facts a parser already set are never overwritten;
//   - the rules are data (rules.go), with a documented precedence and level
//     gating;
//   - the cost per event is bounded: only a window of the message is read
//     (its first 4 KiB, a few "Caused by:" lines and the last line), and an
//     event that matches no rule literal costs one linear scan of that
//     window and no allocation (but that of a cache entry, for a stack
//     trace seen twice).
//
// How an event is classified: access records by their status and Envoy
// response flags; other events by their text. A case-folded 8-gram filter
// dismisses most windows at about 1 ns/byte; the rest are walked through
// an Aho-Corasick automaton of the rules' literals, compiled to a table of
// byte classes that folds ASCII case (scanner.go); regexps run only for rules whose literal occurred (to confirm
// them) and, once the kind is known, for the fact extractors whose trigger
// literal occurred. The part of a long head after its first line, a stack
// trace more often than not, is looked up in a small cache of the texts
// scanned before (hitcache.go): a service logs the same few traces over and
// over.
//
// Imports run one way: correlate depends on event, never on parse.
package correlate
