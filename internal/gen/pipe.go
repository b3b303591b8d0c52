package gen

import "time"

// Pipe writes the in-house "pipe" service log format: a bracketed local
// timestamp without zone, the level, the component name, the message, with
// " | " between them:
//
//	[2023-08-15 14:22:17] ERROR | tax-adapter | POST https://api.tax.example.gov/v2/invoices/verify -> 503 Service Unavailable (412 ms)
//
// The component column names the service a line is about, which need not be
// the service that wrote the file (a watchdog writes lines about others).
type Pipe struct {
	k *Clock
}

// NewPipe returns a writer for a process whose zone is loc.
func NewPipe(loc *time.Location) *Pipe { return &Pipe{k: NewClock(loc)} }

// Append appends one line (with its newline). level is DEBUG, INFO, WARN or
// ERROR.
func (w *Pipe) Append(b []byte, t time.Time, level, component, msg string) []byte {
	c := w.k.at(t)
	b = append(b, '[')
	b = appendDate(b, c, '-')
	b = append(b, ' ')
	b = appendHMS(b, c)
	b = append(b, "] "...)
	b = append(b, level...)
	b = append(b, " | "...)
	b = append(b, component...)
	b = append(b, " | "...)
	b = append(b, msg...)
	return append(b, '\n')
}
