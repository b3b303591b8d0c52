package parse

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// Verdict is a decoder's judgement of one physical line.
type Verdict uint8

const (
	// Reject: the line is not of this format (or not a record start and
	// not a continuation this decoder recognizes).
	Reject Verdict = iota
	// Start: the line starts a new record; the decoder filled ev.
	Start
	// Continue: the line belongs to the open record. The framework appends
	// it to cur.Message and cur.Raw; the decoder may also update cur.
	Continue
	// Absorb: the line belongs to the open record, but the decoder already
	// updated cur.Message as it wanted; the framework appends to cur.Raw only.
	Absorb
)

// Decoder decodes the lines of one input. A Decoder is used by one goroutine
// and may keep state between lines (multi-line records, year inference).
type Decoder interface {
	// Decode judges one physical line, without its line terminator. line is
	// only valid during the call; ev.Raw holds the same bytes as a string,
	// so a decoder takes Message and field values as substrings of ev.Raw
	// (same indexes as line) instead of copying.
	//
	// On Start, ev has Raw, Source, File, Line, Offset and Format set and
	// the decoder fills Time (UTC), Precision, Zoned, Level, Message and
	// Fields; it may replace Source when the line names its service.
	// cur is the open record (nil when there is none); on Continue or
	// Absorb the decoder may update it. Decode must not keep line, ev or
	// cur after it returns.
	Decode(line []byte, ev *event.Event, cur *event.Event) Verdict
}

// A Finisher is a Decoder that completes a record when the framework closes
// it: when the next record starts, before an unparsed line, or at the end of
// the input. It may set summary fields and settle the time; the time must
// stay non-zero and UTC.
type Finisher interface {
	Finish(cur *event.Event)
}

// Context is what a decoder knows about its input besides the lines.
type Context struct {
	// Loc is the zone applied to timestamps that carry none. Never nil.
	Loc *time.Location
	// ModTime is the input's modification time (file or archive entry);
	// zero when unknown. Year-less timestamps take their year from it.
	ModTime time.Time
	// Lean: the consumer reads only what analysis reads (Options.Lean);
	// a decoder may leave out the descriptive fields it names there.
	Lean bool
}

// Format describes one log format rca can read.
type Format struct {
	ID          string // stable id, e.g. "nginx-access"
	Description string // one line for `rca formats`
	// Example is one or more real-looking lines ("\n"-separated) in the
	// format's exact syntax. Tests check that each format decodes its
	// example and that detection picks it.
	Example string
	// Specificity breaks near-ties in detection: the most specific format
	// wins over generic ones. Generic fallbacks use 0, broad families
	// (JSON lines, logfmt, syslog) 10, product formats 20 and more.
	Specificity int
	// Multiline: lines a decoder rejects fold into the open record as
	// continuations (stack traces) instead of becoming unparsed lines.
	Multiline bool
	// NoFallback: the format owns every line of its files (binlog text,
	// slow log); rejected lines are not offered to the generic fallback.
	NoFallback bool
	// Segmentable: a line the format's decoder reads as a timed record
	// start reads the same with no line before it (a fresh decoder), and
	// what follows it reads the same too: the decoder keeps no state across
	// records (no year or date inference, no learned layout). A large file
	// of such a format may be read in segments that start at record starts.
	Segmentable bool
	// New makes a decoder for one input.
	New func(ctx *Context) Decoder
}

var (
	registryMu sync.RWMutex
	registry   = map[string]*Format{}
)

// Register adds a format. It panics on a duplicate or malformed definition:
// formats register from init functions, where that is a programming error.
func Register(f *Format) {
	if err := f.validate(); err != nil {
		panic(err)
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[f.ID]; dup {
		panic(fmt.Sprintf("parse: format %q registered twice", f.ID))
	}
	registry[f.ID] = f
}

func (f *Format) validate() error {
	if f.ID == "" || f.New == nil {
		return fmt.Errorf("parse: format %q needs an ID and a New function", f.ID)
	}
	if f.Example == "" {
		return fmt.Errorf("parse: format %q needs an Example", f.ID)
	}
	return nil
}

// unregister removes a format; user-defined formats use it when reloaded.
func unregister(id string) {
	registryMu.Lock()
	delete(registry, id)
	registryMu.Unlock()
}

// Formats returns every registered format, ordered by ID.
func Formats() []*Format {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]*Format, 0, len(registry))
	for _, f := range registry {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup returns the format with the given id, or nil.
func Lookup(id string) *Format {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return registry[id]
}
