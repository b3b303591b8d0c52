package parse

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// Shared helpers for the MySQL format tests.

// mysqlCorpusPath is the path of a file of the shared corpus; the test is
// skipped when the corpus is absent.
func mysqlCorpusPath(t testing.TB, rel ...string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not found at %s", dir)
	}
	return filepath.Join(append([]string{dir}, rel...)...)
}

func mysqlReadCorpus(t testing.TB, rel ...string) string {
	t.Helper()
	b, err := os.ReadFile(mysqlCorpusPath(t, rel...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mysqlExpected reads a beats "-expected.json" file.
func mysqlExpected(t testing.TB, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

// mysqlBeatsFiles lists the beats logs of a module/fileset that have an
// expected file.
func mysqlBeatsFiles(t testing.TB, fileset string) []string {
	t.Helper()
	dir := mysqlCorpusPath(t, "beats", "mysql", fileset)
	m, err := filepath.Glob(filepath.Join(dir, "*.log-expected.json"))
	if err != nil || len(m) == 0 {
		t.Fatalf("no expected files in %s", dir)
	}
	for i := range m {
		m[i] = strings.TrimSuffix(filepath.Base(m[i]), "-expected.json")
	}
	return m
}

// mysqlExpStr renders an expected JSON value as the text a field holds.
func mysqlExpStr(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// mysqlSameNumber compares a field's text with an expected number.
func mysqlSameNumber(got string, want any, tol float64) bool {
	g, err := strconv.ParseFloat(got, 64)
	if err != nil {
		return false
	}
	var w float64
	switch x := want.(type) {
	case float64:
		w = x
	case string:
		if w, err = strconv.ParseFloat(x, 64); err != nil {
			return false
		}
	default:
		return false
	}
	return math.Abs(g-w) <= tol
}

// mysqlField returns a field or "".
func mysqlField(e *event.Event, key string) string {
	v, _ := e.Get(key)
	return v
}

// mysqlEvents keeps the non-unparsed events.
func mysqlEvents(evs []event.Event) []event.Event {
	var out []event.Event
	for _, e := range evs {
		if !e.Unparsed {
			out = append(out, e)
		}
	}
	return out
}

// mysqlMs truncates a time to milliseconds, as Filebeat writes @timestamp.
func mysqlMs(t time.Time) time.Time { return t.Truncate(time.Millisecond) }
