// Package event defines Event, the one currency that flows between rca's
// packages: parse produces events, correlate and index consume them, report
// renders what correlate concluded. It depends on the standard library only.
package event
