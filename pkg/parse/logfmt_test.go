package parse

import (
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

func TestLogfmtLines(t *testing.T) {
	cases := []struct {
		name string
		line string
		want structuredWant
	}{
		{"brief example", `time=2023-08-15T14:22:17.123Z level=error msg="connect failed" err="dial tcp 10.0.3.7:3306: connect: connection refused" component=db`,
			structuredWant{time: "2023-08-15T14:22:17.123Z", prec: 3, zoned: true, level: event.LevelError, msg: "connect failed",
				fields: map[string]string{"error": "dial tcp 10.0.3.7:3306: connect: connection refused", "component": "db"}}},
		{"logrus text formatter", `time="2023-08-15T14:22:17+08:00" level=warning msg="disk usage high" path=/var usage=91`,
			structuredWant{time: "2023-08-15T06:22:17Z", prec: 0, zoned: true, level: event.LevelWarn, msg: "disk usage high",
				fields: map[string]string{"path": "/var", "usage": "91"}}},
		{"go kit / prometheus", `ts=2023-08-15T06:22:17.123Z caller=main.go:1192 level=info msg="Server is ready to receive web requests."`,
			structuredWant{time: "2023-08-15T06:22:17.123Z", prec: 3, zoned: true, level: event.LevelInfo, msg: "Server is ready to receive web requests.",
				fields: map[string]string{"caller": "main.go:1192"}}},
		{"grafana", `logger=sqlstore t=2023-08-15T14:22:18.456789012Z level=warn msg="Database locked, sleeping then retrying" error="database is locked" retry=0`,
			structuredWant{time: "2023-08-15T14:22:18.456789012Z", prec: 9, zoned: true, level: event.LevelWarn, msg: "Database locked, sleeping then retrying",
				fields: map[string]string{"logger": "sqlstore", "error": "database is locked", "retry": "0"}}},
		{"loki, level first", `level=info ts=2023-08-15T06:22:17.123456789Z caller=table_manager.go:171 index-store=tsdb-2023-01-01 msg="uploading tables"`,
			structuredWant{time: "2023-08-15T06:22:17.123456789Z", prec: 9, zoned: true, level: event.LevelInfo, msg: "uploading tables",
				fields: map[string]string{"caller": "table_manager.go:171", "index_store": "tsdb-2023-01-01"}}},
		{"escapes", `time="2023-08-15T06:22:17Z" level=error msg="say \"hi\"\nthen \\ bye" trace_id=abc status=503`,
			structuredWant{time: "2023-08-15T06:22:17Z", prec: 0, zoned: true, level: event.LevelError, msg: "say \"hi\"\nthen \\ bye",
				fields: map[string]string{"trace_id": "abc", "status": "503"}}},
		{"epoch ts, level from status", `ts=1692080537.123 method=GET path=/healthz status=404 duration_ms=3`,
			structuredWant{time: "2023-08-15T06:22:17.123Z", prec: 3, zoned: true, level: event.LevelWarn,
				msg:    `ts=1692080537.123 method=GET path=/healthz status=404 duration_ms=3`,
				fields: map[string]string{"method": "GET", "path": "/healthz", "status": "404", "latency_ms": "3"}}},
		{"zone-less time", `time="2023-08-15 14:22:17" level=debug msg=cached key=user:42`,
			structuredWant{time: "2023-08-15T06:22:17Z", prec: 0, zoned: false, level: event.LevelDebug, msg: "cached",
				fields: map[string]string{"key": "user:42"}}},
		{"empty values and unterminated quote", `time=2023-08-15T06:22:17Z level=info reason= msg="cut`,
			structuredWant{time: "2023-08-15T06:22:17Z", prec: 0, zoned: true, level: event.LevelInfo, msg: "cut",
				fields: map[string]string{"reason": ""}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs, st := decodeText(t, "logfmt", "+08:00", c.line+"\n")
			if st.Events != 1 || len(evs) != 1 {
				t.Fatalf("stats %+v", st)
			}
			structuredCheck(t, c.name, evs[0], c.want)
			if _, st := decodeText(t, "", "+08:00", c.line+"\n"); st.Format != "logfmt" {
				t.Errorf("detected %q", st.Format)
			}
		})
	}
}

func TestLogfmtRejects(t *testing.T) {
	for _, line := range []string{
		`a=1 b=2`,
		`time=2023-08-15T06:22:17Z`,
		`time=yesterday level=info msg=x`,
		`2023-08-15 14:22:17 INFO a=b c=d`,
		`{"time":"2023-08-15T06:22:17Z","msg":"json"}`,
		`panic: foo bar failed baz`,
		`time=2023-08-15T06:22:17Z these are many bare words and only one pair`,
		`"time"=2023-08-15T06:22:17Z level=info`,
	} {
		d := Lookup("logfmt").New(&Context{Loc: time.UTC, ModTime: testModTime})
		if v := d.Decode([]byte(line), &event.Event{Raw: line}, nil); v != Reject {
			t.Errorf("%q: verdict %v, want Reject", line, v)
		}
	}
}

// TestLogfmtLnav: lnav's logfmt samples and the times and levels its test
// script asserts (EXPECTED.md).
func TestLogfmtLnav(t *testing.T) {
	t.Run("logfile_logfmt.0", func(t *testing.T) {
		evs, st := decodeText(t, "", "", structuredCorpus(t, "lnav", "test", "logfile_logfmt.0"))
		if st.Format != "logfmt" || st.Events != 5 || st.Unparsed != 0 {
			t.Fatalf("stats %+v", st)
		}
		var times, levels []string
		for _, e := range evs {
			times = append(times, e.Time.Format("Jan 02 15:04:05 2006 -- .000"))
			levels = append(levels, string(e.Level))
		}
		want := "Sep 15 21:17:10 2021 -- .220|Sep 15 21:17:11 2021 -- .674|Sep 15 21:17:11 2021 -- .678|Sep 15 21:17:11 2021 -- .679|Sep 15 21:18:20 2021 -- .335"
		if g := strings.Join(times, "|"); g != want {
			t.Errorf("times %s", g)
		}
		if g := strings.Join(levels, " "); g != "error warn info info error" {
			t.Errorf("levels %s", g)
		}
		structuredCheck(t, "second", evs[1], structuredWant{time: "2021-09-15T21:17:11.674149Z", prec: 6, zoned: true, level: event.LevelWarn,
			msg: "Failed to DeletePod in the provider", fields: map[string]string{"error": "pod inc-1-domain-c14-ns-6/fe-inc-1-domain-c14-ns-6-5-656d9bb695-4584b is not found: PodNotFound",
				"namespace": "inc-1-domain-c14-ns-6", "uid": "be2def59-3a08-42fd-8f84-6f64cfcefa93"}})
	})
	t.Run("logfile_grafana.0", func(t *testing.T) {
		evs, st := decodeText(t, "", "", structuredCorpus(t, "lnav", "test", "logfile_grafana.0"))
		if st.Format != "logfmt" || st.Events != 5 {
			t.Fatalf("stats %+v", st)
		}
		// lnav's captured output (test/expected/...e333be9b...out), milliseconds
		want := []string{"520", "521", "521", "521", "521"}
		for i, w := range want {
			if g := evs[i].Time.Format("Jan 02 15:04:05 2006 .000"); g != "Apr 24 19:51:48 2025 ."+w {
				t.Errorf("event %d: %s", i, g)
			}
		}
		structuredCheck(t, "first", evs[0], structuredWant{time: "2025-04-24T19:51:48.520963849Z", prec: 9, zoned: true, level: event.LevelInfo,
			msg: "Starting Grafana", fields: map[string]string{"logger": "settings", "version": "11.5.2", "compiled": "2025-04-24T19:51:48Z"}})
	})
	t.Run("logfmt line in a JSON file stays unparsed", func(t *testing.T) {
		_, st := decodeText(t, "", "", structuredCorpus(t, "lnav", "test", "logfile_mixed_json2.json"))
		if st.Format != "json" {
			t.Errorf("detected %q", st.Format)
		}
	})
}

func FuzzLogfmt(f *testing.F) {
	fuzzFormat(f, "logfmt",
		`time="2021-09-15T21:17:10.220731Z" level=error msg="error \"x\"" namespace=a reason= status=Pending`,
		"logger=settings t=2025-04-24T19:51:48.520963849Z level=info msg=\"Starting Grafana\"\nts=1692080537.123 a=b c=\"d",
	)
}

func BenchmarkLogfmt(b *testing.B) {
	text := structuredBenchText(8<<20,
		`time="2021-09-15T21:17:11.674149Z" level=warning msg="Failed to DeletePod in the provider" error="pod inc-1-domain-c14-ns-6/fe-inc-1-domain-c14-ns-6-5-656d9bb695-4584b is not found: PodNotFound" namespace=inc-1-domain-c14-ns-6 pod=fe-inc-1-domain-c14-ns-6-5-656d9bb695-4584b uid=be2def59-3a08-42fd-8f84-6f64cfcefa93`,
		`logger=settings t=2025-04-24T19:51:48.521238594Z level=info msg="Config loaded from" file=/usr/share/grafana/conf/defaults.ini`,
		`ts=2023-08-15T06:22:17.123Z caller=main.go:1192 level=info msg="Server is ready to receive web requests."`,
	)
	structuredBench(b, "logfmt", text)
}
