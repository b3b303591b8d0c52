package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

const demoBundle = "../../testdata/bundles/invoice-outage"

// run executes the root command with args and returns stdout, stderr and
// the exit code main would use.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := newRootCmd(&out, &errb)
	cmd.SetArgs(args)
	err := cmd.Execute()
	code := exitCode(err, &errb)
	return out.String(), errb.String(), code
}

// TestParseDemoBundle runs `rca parse` on the demo bundle as a user would
// and checks the events contract: one valid JSON object per line with the
// spec's keys, times in UTC and in order (unparsed lines follow their
// predecessor), and stats whose line accounting adds up.
func TestParseDemoBundle(t *testing.T) {
	stdout, stderr, code := run(t, "parse", "--stats", demoBundle)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	keys := []string{"time", "source", "file", "line", "offset", "format", "level", "message", "kind", "fields", "lines", "unparsed"}
	var prev time.Time
	n, kinds := 0, map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		n++
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d is not JSON: %v", n, err)
		}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Fatalf("line %d lacks key %q: %s", n, k, sc.Text())
			}
		}
		if k, ok := m["kind"].(string); ok {
			kinds[k]++
		}
		ts, ok := m["time"].(string)
		if !ok {
			if m["unparsed"] != true {
				t.Fatalf("line %d: null time on a parsed event", n)
			}
			continue
		}
		tm, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil || !strings.HasSuffix(ts, "Z") {
			t.Fatalf("line %d: time %q is not RFC 3339 UTC", n, ts)
		}
		if tm.Before(prev) {
			t.Fatalf("line %d: time %s before the previous %s: output not in time order", n, ts, prev.Format(time.RFC3339Nano))
		}
		prev = tm
	}
	if n < 10000 {
		t.Fatalf("got %d events, want the demo's ~10,500", n)
	}
	for _, k := range []string{"upstream_unavailable", "timeout", "database_lock", "kafka_poll_timeout", "slow_query"} {
		if kinds[k] == 0 {
			t.Errorf("no event of kind %s in the demo bundle", k)
		}
	}
	var st statsJSON
	if err := json.Unmarshal([]byte(stderr), &st); err != nil {
		t.Fatalf("--stats is not one JSON document: %v\n%s", err, stderr)
	}
	var lines int64
	for _, in := range st.Inputs {
		if in.Events+in.Continuation+in.Unparsed+in.Empty != in.Lines {
			t.Errorf("%s: accounting does not add up: %+v", in.Path, in)
		}
		if in.Skipped && !in.Ignored {
			t.Errorf("%s skipped: %v", in.Path, *in.SkipReason)
		}
		lines += in.Lines
	}
	if st.Totals.Lines != lines || st.Totals.Events+st.Totals.Unparsed != int64(n) {
		t.Errorf("totals %+v disagree with inputs (%d lines) or output (%d events)", st.Totals, lines, n)
	}
}

func TestParseTSVKeepsOneEventPerLine(t *testing.T) {
	stdout, _, code := run(t, "parse", "-q", "-o", "tsv", demoBundle+"/order-service/application.log")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for i, l := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		if f := strings.Split(l, "\t"); len(f) != 4 {
			t.Fatalf("line %d has %d tab-separated columns, want 4: %q", i+1, len(f), l)
		}
		if strings.ContainsRune(l, 0x1b) {
			t.Fatalf("line %d carries a raw escape byte", i+1)
		}
	}
	if !strings.Contains(stdout, `\n\tat `) {
		t.Errorf("stack traces should stay on their event's line with escaped newlines")
	}
}

func TestParseUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"parse", "--tz", "Mars/Olympus", demoBundle}, "Mars/Olympus"},
		{[]string{"parse", "--format", "no-such-format", demoBundle}, "unknown format"},
		{[]string{"parse", "--source", "nameonly", demoBundle}, "NAME=GLOB"},
		{[]string{"parse", "-o", "xml", demoBundle}, "jsonl or tsv"},
		{[]string{"parse", "/no/such/path"}, "no such file"},
		{[]string{"parse"}, "requires at least 1 arg"},
	}
	for _, tt := range tests {
		_, stderr, code := run(t, tt.args...)
		if code != 1 || !strings.Contains(stderr, tt.want) {
			t.Errorf("rca %s: exit %d, stderr %q; want exit 1 mentioning %q", strings.Join(tt.args, " "), code, stderr, tt.want)
		}
	}
}

func TestFormatsDetectDemo(t *testing.T) {
	stdout, _, code := run(t, "formats", "detect", demoBundle)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	want := map[string]string{
		"gateway/access.log": "nginx-access", "gateway/access.log.2.gz": "nginx-access", "gateway/error.log": "nginx-error",
		"kafka/server.log": "kafka-server", "mysql/binlog.000042.txt": "mysql-binlog", "mysql/error.log": "mysql-error",
		"mysql/slow.log": "mysql-slow", "order-service/application.log": "spring-boot",
		"tax-adapter/client.jsonl": "json", "tax-adapter/tax-adapter.log": "pipe-service",
	}
	for _, l := range strings.Split(stdout, "\n") {
		f := strings.Fields(l)
		if len(f) > 2 {
			if w, ok := want[f[0]]; ok {
				if f[2] != w {
					t.Errorf("%s detected as %s, want %s", f[0], f[2], w)
				}
				delete(want, f[0])
			}
		}
	}
	for p := range want {
		t.Errorf("%s missing from `rca formats detect`", p)
	}
}

func TestPatternsAndTemplates(t *testing.T) {
	stdout, _, code := run(t, "patterns", "--level", "error", demoBundle)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) < 5 || !strings.HasPrefix(lines[0], "LEVEL") {
		t.Fatalf("patterns output:\n%s", stdout)
	}
	if !strings.Contains(stdout, "Lock wait timeout exceeded") || !strings.Contains(stdout, "<*>") {
		t.Errorf("expected the lock-wait template with masked variables:\n%s", stdout)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "error") && !strings.HasPrefix(l, "fatal") {
			t.Errorf("--level error listed %q", l)
		}
	}
	out, _, code := run(t, "parse", "-q", "--templates", demoBundle+"/tax-adapter/tax-adapter.log")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	ids := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		if m["unparsed"] == true {
			continue
		}
		id, _ := m["template_id"].(string)
		if len(id) != 16 || m["template"] == nil {
			t.Fatalf("event without template_id/template: %s", l)
		}
		ids[id] = true
	}
	if len(ids) < 3 || len(ids) > 200 {
		t.Errorf("%d distinct templates in tax-adapter.log: want a handful", len(ids))
	}
}
