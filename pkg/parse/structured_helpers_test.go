package parse

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// structuredCorpusDir is the shared corpus, relative to this package.
var structuredCorpusDir = filepath.Join("..", "..", "..", "shared", "corpus")

// structuredCorpus reads a corpus file, skipping the test when the corpus
// is absent.
func structuredCorpus(t testing.TB, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{structuredCorpusDir}, parts...)...)
	b, err := os.ReadFile(p)
	if err != nil {
		if os.IsNotExist(err) {
			t.Skipf("corpus file %s absent", p)
		}
		t.Fatal(err)
	}
	return string(b)
}

// structuredExpected reads a beats X.log-expected.json file.
func structuredExpected(t testing.TB, parts ...string) []map[string]any {
	t.Helper()
	var out []map[string]any
	if err := json.Unmarshal([]byte(structuredCorpus(t, parts...)), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// structuredParsed returns the events that are not unparsed lines.
func structuredParsed(evs []event.Event) []event.Event {
	var out []event.Event
	for _, e := range evs {
		if !e.Unparsed {
			out = append(out, e)
		}
	}
	return out
}

// structuredDecodeSpec reads text with a Spec built by the test (ModTime
// and zone of its choosing), checking the line accounting.
func structuredDecodeSpec(t testing.TB, formatID string, loc *time.Location, mod time.Time, text string) ([]event.Event, Stats) {
	t.Helper()
	spec := Spec{Path: "test.log", Source: "test", ModTime: mod, Loc: loc}
	if formatID != "" {
		if spec.Format = Lookup(formatID); spec.Format == nil {
			t.Fatalf("no format %q", formatID)
		}
	}
	var evs []event.Event
	st, err := ReadInput(strings.NewReader(text), spec, func(e *event.Event) { evs = append(evs, *e) })
	if err != nil {
		t.Fatalf("ReadInput: %v", err)
	}
	checkAccounting(t, st, evs)
	return evs, st
}

// structuredField returns a field value or "" (a test shorthand).
func structuredField(e event.Event, key string) string {
	v, _ := e.Get(key)
	return v
}

// structuredWant is an expectation on one event; empty strings are not
// checked, fields must match exactly.
type structuredWant struct {
	time   string // RFC 3339
	prec   int    // -1: not checked
	zoned  bool
	level  event.Level
	msg    string
	fields map[string]string
}

func structuredCheck(t *testing.T, name string, e event.Event, w structuredWant) {
	t.Helper()
	if w.time != "" && !e.Time.Equal(mustTime(t, w.time)) {
		t.Errorf("%s: time %v, want %s", name, e.Time, w.time)
	}
	if w.time != "" && w.prec >= 0 && e.Precision != w.prec {
		t.Errorf("%s: precision %d, want %d", name, e.Precision, w.prec)
	}
	if w.time != "" && e.Zoned != w.zoned {
		t.Errorf("%s: zoned %v, want %v", name, e.Zoned, w.zoned)
	}
	if e.Level != w.level {
		t.Errorf("%s: level %q, want %q", name, e.Level, w.level)
	}
	if w.msg != "" && e.Message != w.msg {
		t.Errorf("%s: message %q, want %q", name, e.Message, w.msg)
	}
	for k, v := range w.fields {
		if got, ok := e.Get(k); !ok && v != "" || got != v {
			t.Errorf("%s: field %s = %q, want %q (fields %v)", name, k, got, v, e.Fields)
		}
	}
}
