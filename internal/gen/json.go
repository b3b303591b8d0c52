package gen

import (
	"time"
	"unicode/utf8"
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
		b = appendJSONString(b, logger)
	}
	if caller != "" {
		b = append(b, `,"caller":`...)
		b = appendJSONString(b, caller)
	}
	b = append(b, `,"msg":`...)
	b = appendJSONString(b, msg)
	for i := range fields {
		f := &fields[i]
		b = append(b, ',')
		b = appendJSONString(b, f.Key)
		b = append(b, ':')
		if f.IsNum {
			b = appendInt(b, f.Int)
		} else {
			b = appendJSONString(b, f.Str)
		}
	}
	return append(b, "}\n"...)
}

// appendJSONString appends s as a JSON string literal.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\t':
				b = append(b, '\\', 't')
			case '\r':
				b = append(b, '\\', 'r')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
