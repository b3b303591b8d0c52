package parse

import "github.com/rca-dev/rca/pkg/event"

// An enricher adds fields that any format's message may carry (a Kafka
// client's "[Consumer clientId=..., groupId=...]" prefix inside a Spring or
// JSON log line). Enrichers run on every record start after its decoder,
// in registration order; each must gate itself with a cheap literal check
// before any regexp, as it sees every event.
type enricher func(ev *event.Event)

var enrichers []enricher

// addEnricher registers an enricher; call it from an init function.
func addEnricher(f enricher) { enrichers = append(enrichers, f) }

func enrich(ev *event.Event) {
	for _, f := range enrichers {
		f(ev)
	}
}
