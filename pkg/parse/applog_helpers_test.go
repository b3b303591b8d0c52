package parse

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
	"gopkg.in/yaml.v3"
)

// Test helpers of the application-log formats (spring-boot, log4j2,
// elasticsearch, python, go-log, pipe-service, kafka-server, Kafka client
// enricher).

// appCorpusPath is the path of a file of the shared reference corpus
// (/work/shared/corpus, i.e. ../shared/corpus from the repository root).
func appCorpusPath(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "..", "shared", "corpus"}, parts...)...)
}

// appCorpus reads a corpus file, skipping the test when the corpus is absent.
func appCorpus(t testing.TB, parts ...string) string {
	t.Helper()
	b, err := os.ReadFile(appCorpusPath(parts...))
	if os.IsNotExist(err) {
		t.Skipf("corpus file %s not present", filepath.Join(parts...))
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// appExpected reads a beats X.log-expected.json.
func appExpected(t testing.TB, parts ...string) []map[string]any {
	t.Helper()
	var out []map[string]any
	if err := json.Unmarshal([]byte(appCorpus(t, parts...)), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// appTimed returns the events that have a time (not unparsed lines).
func appTimed(evs []event.Event) []event.Event {
	var out []event.Event
	for _, e := range evs {
		if !e.Unparsed {
			out = append(out, e)
		}
	}
	return out
}

// appFirstLine is the first line of a (possibly folded) message.
func appFirstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// appField returns an event's field ("" when absent).
func appField(e *event.Event, k string) string {
	v, _ := e.Get(k)
	return v
}

// appCheckBeatsCommon checks, for every expected event, the count, the
// offset of the first line, the @timestamp instant and the level, and
// returns the decoded events paired with their expectations.
func appCheckBeatsCommon(t *testing.T, id string, rel ...string) ([]event.Event, []map[string]any) {
	t.Helper()
	text := appCorpus(t, rel...)
	exp := appExpected(t, append(rel[:len(rel)-1:len(rel)-1], rel[len(rel)-1]+"-expected.json")...)
	evs, st := decodeText(t, id, "-02:00", text)
	if st.Unparsed != 0 {
		t.Errorf("%d unparsed lines", st.Unparsed)
	}
	got := appTimed(evs)
	if len(exp) < 100 && len(got) != len(exp) {
		t.Fatalf("%d events, want %d", len(got), len(exp))
	}
	if len(got) < len(exp) {
		t.Fatalf("%d events, want at least %d", len(got), len(exp))
	}
	for i, x := range exp {
		e := &got[i]
		if off := int64(x["log.offset"].(float64)); e.Offset != off {
			t.Errorf("event %d: offset %d, want %d", i, e.Offset, off)
		}
		if ts, ok := x["@timestamp"].(string); ok && !e.Time.Equal(mustTime(t, ts)) {
			t.Errorf("event %d: time %v, want %s", i, e.Time, ts)
		}
		if lv, ok := x["log.level"].(string); ok && e.Level != LevelOf(lv) {
			t.Errorf("event %d: level %q, want %q", i, e.Level, lv)
		}
		// Filebeat also flags an event "multiline" when its rule glued a
		// blank line to it; rca counts blank lines as empty instead.
		multi := x["log.flags"] != nil
		next := text[min(int(e.Offset)+len(e.Raw)+1, len(text)):]
		blankNext := strings.HasPrefix(next, "\n") || strings.HasPrefix(next, "\r\n")
		if e.Lines > 1 && !multi || multi && e.Lines == 1 && !blankNext {
			t.Errorf("event %d: %d lines, expected multiline=%v", i, e.Lines, multi)
		}
	}
	// detection picks the format for the whole file
	_, dst := decodeText(t, "", "-02:00", text)
	if dst.Format != id {
		t.Errorf("detected %q (%.2f), want %q; runner-up %q (%.2f)", dst.Format, dst.Confidence, id, dst.RunnerUp, dst.RunnerUpConfidence)
	}
	return got[:len(exp)], exp
}

// appYAMLTest is one sample of a Datadog *_tests.yaml.
type appYAMLTest struct {
	Sample string `yaml:"sample"`
	Result struct {
		Message   string         `yaml:"message"`
		Timestamp int64          `yaml:"timestamp"`
		Status    string         `yaml:"status"`
		Custom    map[string]any `yaml:"custom"`
	} `yaml:"result"`
}

// appYAML reads a Datadog log-pipeline test file.
func appYAML(t testing.TB, parts ...string) []appYAMLTest {
	t.Helper()
	var doc struct {
		Tests []appYAMLTest `yaml:"tests"`
	}
	if err := yaml.Unmarshal([]byte(appCorpus(t, parts...)), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Tests
}

// appYAMLPath digs a dotted path out of a YAML result.custom map.
func appYAMLPath(m map[string]any, path string) (any, bool) {
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = mm[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// appMillis is an epoch-milliseconds instant (Datadog result timestamps).
func appMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// appRepeat builds a benchmark input of at least n bytes from lines.
func appRepeat(lines string, n int) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(lines)
	}
	return b.String()
}

// appBench decodes text with a forced format, b.N times.
func appBench(b *testing.B, id, text string) {
	f := Lookup(id)
	if f == nil {
		b.Fatalf("no format %q", id)
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	cpu0, cpuOK := appCPUTime()
	var bytes int64
	for b.Loop() {
		bytes += int64(len(text))
		spec := Spec{Path: "bench.log", Source: "bench", ModTime: testModTime, Loc: time.UTC, Format: f}
		n := 0
		if _, err := ReadInput(strings.NewReader(text), spec, func(*event.Event) { n++ }); err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			b.Fatal("no events")
		}
	}
	// MB per CPU-second (user+system of the whole process, GC included):
	// unlike MB/s it does not drop when other processes share the CPUs.
	if cpu1, ok := appCPUTime(); ok && cpuOK && cpu1 > cpu0 {
		b.ReportMetric(float64(bytes)/1e6/(cpu1-cpu0).Seconds(), "MB/cpu-s")
	}
}

// appEvent is a fresh event for a direct Decode call.
func appEvent(l string) *event.Event { return &event.Event{Raw: l} }

// appLoc loads a zone.
func appLoc(t testing.TB, z string) *time.Location {
	t.Helper()
	loc, err := LoadZone(z)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
