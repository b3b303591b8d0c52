package gen

import "time"

// Kafka writes Apache Kafka broker log lines (server.log, controller.log,
// state-change.log), log4j's "[%d] %p %m (%c)%n" with the broker JVM's zone
// and no offset:
//
//	[2023-08-15 06:22:17,123] INFO [GroupCoordinator 1]: Preparing to rebalance group order-group ... (kafka.coordinator.group.GroupCoordinator)
//
// A throwable, when logged, follows the line as Java prints it.
type Kafka struct {
	k *Clock
}

// NewKafka returns a writer for a broker whose JVM runs in zone loc.
func NewKafka(loc *time.Location) *Kafka { return &Kafka{k: NewClock(loc)} }

// Append appends one line (with its newline). level is log4j's: TRACE,
// DEBUG, INFO, WARN, ERROR; logger is the class, e.g.
// "kafka.coordinator.group.GroupCoordinator".
func (w *Kafka) Append(b []byte, t time.Time, level, msg, logger string) []byte {
	c := w.k.at(t)
	b = append(b, '[')
	b = appendDate(b, c, '-')
	b = append(b, ' ')
	b = appendHMS(b, c)
	b = append(b, ',')
	b = appendFrac(b, t.Nanosecond(), 3)
	b = append(b, "] "...)
	b = append(b, level...)
	b = append(b, ' ')
	b = append(b, msg...)
	b = append(b, " ("...)
	b = append(b, logger...)
	return append(b, ")\n"...)
}
