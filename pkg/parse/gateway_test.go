package parse

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

// gatewayCorpusPath is the path of a reference-corpus file; the test is
// skipped when the corpus is absent.
func gatewayCorpusPath(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "corpus", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus file %s absent: %v", rel, err)
	}
	return p
}

// gatewayCorpus reads a reference-corpus file.
func gatewayCorpus(t testing.TB, rel string) string {
	t.Helper()
	b, err := os.ReadFile(gatewayCorpusPath(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// gatewayExpected reads a Filebeat X.log-expected.json file.
func gatewayExpected(t testing.TB, rel string) []map[string]any {
	t.Helper()
	var out []map[string]any
	if err := json.Unmarshal([]byte(gatewayCorpus(t, rel)), &out); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return out
}

// gatewayStr renders an expected JSON value as the text a field holds.
func gatewayStr(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprintf("%d", int64(x))
		}
		return fmt.Sprintf("%g", x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// gatewayField checks one field of an event ("" means absent).
func gatewayField(t testing.TB, where string, ev *event.Event, key, want string) {
	t.Helper()
	got, _ := ev.Get(key)
	if want == "-" {
		want = ""
	}
	if got != want {
		t.Errorf("%s: field %s = %q, want %q", where, key, got, want)
	}
}

// gatewayCheckBeatsCommon checks what every Filebeat expectation shares
// with an event: the byte offset of its first line and the @timestamp
// instant when the expectation has one. It returns the number of
// timestamps checked (0 or 1).
func gatewayCheckBeatsCommon(t testing.TB, where string, ev *event.Event, exp map[string]any) int {
	t.Helper()
	if off, ok := exp["log.offset"].(float64); ok && int64(off) != ev.Offset {
		t.Errorf("%s: offset %d, want %d", where, ev.Offset, int64(off))
	}
	if ev.Unparsed {
		t.Errorf("%s: unparsed: %q", where, ev.Raw)
		return 0
	}
	ts, ok := exp["@timestamp"].(string)
	if !ok {
		return 0
	}
	if want := mustTime(t, ts); !ev.Time.Equal(want) {
		t.Errorf("%s: time %v, want %v", where, ev.Time, want)
	}
	return 1
}

// gatewayBeatsHTTP checks the HTTP fields Filebeat's nginx and apache
// modules extract against an event.
func gatewayBeatsHTTP(t testing.TB, where string, ev *event.Event, exp map[string]any) {
	t.Helper()
	gatewayField(t, where, ev, "status", gatewayStr(exp["http.response.status_code"]))
	gatewayField(t, where, ev, "method", gatewayStr(exp["http.request.method"]))
	gatewayField(t, where, ev, "path", gatewayStr(exp["url.original"]))
	proto := ""
	if v := gatewayStr(exp["http.version"]); v != "" {
		proto = "HTTP/" + v
	}
	gatewayField(t, where, ev, "protocol", proto)
	if b, ok := exp["http.response.body.bytes"]; ok {
		gatewayField(t, where, ev, "bytes", gatewayStr(b))
	}
	gatewayField(t, where, ev, "referrer", gatewayStr(exp["http.request.referrer"]))
	gatewayField(t, where, ev, "user_agent", gatewayStr(exp["user_agent.original"]))
	gatewayField(t, where, ev, "user", gatewayStr(exp["user.name"]))
	client := gatewayStr(exp["source.address"])
	if client == "" {
		client = gatewayStr(exp["source.ip"])
	}
	gatewayField(t, where, ev, "client", client)
	host := gatewayStr(exp["destination.domain"])
	if host == "" {
		host = gatewayStr(exp["destination.ip"])
	}
	if p := gatewayStr(exp["destination.port"]); p != "" {
		host += ":" + p
	}
	gatewayField(t, where, ev, "host", host)
	wantLevel := httpLevel(gatewayStr(exp["http.response.status_code"]))
	if ev.Level != wantLevel {
		t.Errorf("%s: level %q, want %q", where, ev.Level, wantLevel)
	}
}

// gatewayParsed returns the events that are not unparsed.
func gatewayParsed(evs []event.Event) []event.Event {
	var out []event.Event
	for _, e := range evs {
		if !e.Unparsed {
			out = append(out, e)
		}
	}
	return out
}

// gatewayDump formats events for failure messages.
func gatewayDump(evs []event.Event) string {
	var b strings.Builder
	for _, e := range evs {
		fmt.Fprintf(&b, "%d %s %s %q %v\n", e.Line, e.Time.Format("2006-01-02T15:04:05.000Z07:00"), e.Level, e.Message, e.Fields)
	}
	return b.String()
}

// TestLastIndex checks lastIndex against strings.LastIndex.
func TestLastIndex(t *testing.T) {
	cases := []struct{ s, sep string }{
		{"", ""}, {"abc", ""}, {"", "a"}, {"aaaa", "aa"}, {"abcabc", "bc"}, {"abc", "abcd"},
		{`upstream timed out, client: 1.2.3.4, server: a, request: "GET /?x=, client: y HTTP/1.1"`, ", client: "},
		{"no such separator", ", client: "},
	}
	for _, c := range cases {
		if got, want := lastIndex(c.s, c.sep), strings.LastIndex(c.s, c.sep); got != want {
			t.Errorf("lastIndex(%q, %q) = %d, want %d", c.s, c.sep, got, want)
		}
	}
}

// FuzzLastIndex holds lastIndex to strings.LastIndex.
func FuzzLastIndex(f *testing.F) {
	f.Add("aaaa", "aa")
	f.Add("x, client: y, client: z", ", client: ")
	f.Fuzz(func(t *testing.T, s, sep string) {
		if got, want := lastIndex(s, sep), strings.LastIndex(s, sep); got != want {
			t.Fatalf("lastIndex(%q, %q) = %d, want %d", s, sep, got, want)
		}
	})
}
