package event

import "time"

// Level is a normalized severity: one of the constants below, or "" when the
// source line carried none.
type Level string

// The normalized levels, from least to most severe.
const (
	LevelNone   Level = ""
	LevelTrace  Level = "trace"
	LevelDebug  Level = "debug"
	LevelInfo   Level = "info"
	LevelNotice Level = "notice"
	LevelWarn   Level = "warn"
	LevelError  Level = "error"
	LevelFatal  Level = "fatal"
)

// Rank orders levels by severity: 0 for none, 1 for trace ... 7 for fatal.
func (l Level) Rank() int {
	switch l {
	case LevelTrace:
		return 1
	case LevelDebug:
		return 2
	case LevelInfo:
		return 3
	case LevelNotice:
		return 4
	case LevelWarn:
		return 5
	case LevelError:
		return 6
	case LevelFatal:
		return 7
	}
	return 0
}

// Field is one extracted value. Keys are snake_case; values are kept as the
// source wrote them.
type Field struct {
	Key   string
	Value string
}

// Event is one log record: a line, or a line with its continuation lines
// (stack traces, slow-log entries, binlog events) folded in.
//
// Time is always UTC. It is the zero time only when Unparsed is set: such a
// line had no time or structure of its own and is ordered after the event
// that preceded it in its file.
type Event struct {
	Time      time.Time // UTC; zero iff Unparsed
	Precision int       // fraction-of-second digits the source wrote (0..9)
	Zoned     bool      // the timestamp carried its own offset or zone

	Source string // component/service name
	File   string // path relative to the bundle root; "a.tar.gz!/x/y.log" inside archives
	Line   int64  // 1-based number of the event's first physical line
	Offset int64  // byte offset of that line in the (decompressed) file
	Format string // format id

	Level   Level
	Message string // the message without its header; continuation lines joined with "\n"
	Raw     string // the physical lines as read, joined with "\n"
	Kind    string // kind from the report vocabulary, or "" (set by classification, not by parse)

	Fields []Field

	Lines    int  // physical lines folded into this event (>= 1)
	Unparsed bool // a line kept without structure: no time of its own

	TemplateID string // mined template id, when templates were asked for
	Template   string // mined template text with <*> for variables
}

// Get returns the value of the first field named key, and whether it exists.
func (e *Event) Get(key string) (string, bool) {
	fs := e.Fields // a local slice: the loop keeps it in registers
	for i := range fs {
		if fs[i].Key == key {
			return fs[i].Value, true
		}
	}
	return "", false
}

// Set sets field key to value, replacing an existing value. Empty values and
// "-" (the access-log placeholder) are not stored.
func (e *Event) Set(key, value string) {
	if value == "" || value == "-" {
		return
	}
	fs := e.Fields // a local slice: the loop keeps it in registers
	for i := range fs {
		if fs[i].Key == key {
			fs[i].Value = value
			return
		}
	}
	e.Fields = append(fs, Field{Key: key, Value: value})
}
