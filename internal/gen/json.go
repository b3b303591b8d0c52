package gen

import (
	"github.com/rca-dev/rca/pkg/event"
	"time"
)

// JSONLog writes JSON lines in zap's production layout with an ISO 8601
// encoder (logrus and slog JSON handlers look alike): level, ts, logger,
// caller, msg, then the fields in the order given.
//
//	{"level":"error","ts":"2023-08-15T06:22:17.123Z","logger":"taxclient","caller":"taxclient/client.go:142","msg":"tax authority request failed","status":503,"latency_ms":30012,"url":"https://api.tax.example.gov/v2/invoices/verify"}
//
// ts is written in the clock's zone: "Z" for UTC, else "+0800" as zap's
// ISO8601TimeEncoder does.
type JSONLog struct {
	k *Clock
}

// NewJSONLog returns a writer whose timestamps are in zone loc.
func NewJSONLog(loc *time.Location) *JSONLog { return &JSONLog{k: NewClock(loc)} }

// Field is one key/value of a JSON line: a string, or a number when Num is set.
type Field struct {
	Key   string
	Str   string
	Int   int64
	IsNum bool
}

// Str makes a string field.
func Str(k, v string) Field { return Field{Key: k, Str: v} }

// Int makes a number field.
func Int(k string, v int64) Field { return Field{Key: k, Int: v, IsNum: true} }

// Append appends one line (with its newline). caller may be "".
func (w *JSONLog) Append(b []byte, t time.Time, level, logger, caller, msg string, fields ...Field) []byte {
	c := w.k.at(t)
	b = append(b, `{"level":"`...)
	b = append(b, level...)
	b = append(b, `","ts":"`...)
	b = appendDate(b, c, '-')
	b = append(b, 'T')
	b = appendHMS(b, c)
	b = append(b, '.')
	b = appendFrac(b, t.Nanosecond(), 3)
	b = appendOffset(b, c.off, false, true)
	b = append(b, '"')
	if logger != "" {
		b = append(b, `,"logger":`...)
		b = event.AppendString(b, logger)
	}
	if caller != "" {
		b = append(b, `,"caller":`...)
		b = event.AppendString(b, caller)
	}
	b = append(b, `,"msg":`...)
	b = event.AppendString(b, msg)
	for i := range fields {
		f := &fields[i]
		b = append(b, ',')
		b = event.AppendString(b, f.Key)
		b = append(b, ':')
		if f.IsNum {
			b = appendInt(b, f.Int)
		} else {
			b = event.AppendString(b, f.Str)
		}
	}
	return append(b, "}\n"...)
}
