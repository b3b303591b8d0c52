// Package correlate turns events into incidents and ranked causes.
//
// For now it holds the first stage, the event classifier: Classifier maps an
// event.Event to a kind from the report vocabulary (report-v1.md, "Kinds")
// and extracts the facts correlation needs (target, status, error_code,
// host) as fields of the event.
//
// It promises:
//   - a kind is one of Kinds() or "" (none), never anything else;
//   - the same event always gets the same kind and facts (no state is kept
//     between calls), so a Classifier is safe for concurrent use;
//   - facts a parser already set are never overwritten;
//   - the rules are data (rules.go): a literal Aho-Corasick prefilter over a
//     bounded, lower-cased window of the message picks candidate rules, and
//     a regexp runs only for candidates whose literal hit, so an event that
//     matches no literal costs one linear scan and no allocation.
//
// Imports run one way: correlate depends on event, never on parse.
package correlate
