package parse

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

func TestJSONLines(t *testing.T) {
	cases := []struct {
		name string
		line string
		want structuredWant
	}{
		{"zap production", `{"level":"error","ts":1692080537.1234567,"caller":"db/pool.go:87","msg":"connect failed","error":"dial tcp 10.0.3.7:3306: connect: connection refused","stacktrace":"main.main\n\t/app/main.go:12\nruntime.main\n\t/usr/local/go/src/runtime/proc.go:250"}`,
			structuredWant{time: "2023-08-15T06:22:17.1234567Z", prec: 7, zoned: true, level: event.LevelError,
				msg:    "connect failed\nmain.main\n\t/app/main.go:12\nruntime.main\n\t/usr/local/go/src/runtime/proc.go:250",
				fields: map[string]string{"caller": "db/pool.go:87", "error": "dial tcp 10.0.3.7:3306: connect: connection refused"}}},
		{"zap iso8601 + logger", `{"level":"warn","ts":"2023-08-15T14:22:17.123+0800","logger":"kafka.consumer","caller":"consumer/group.go:211","msg":"rebalance in progress","group":"orders","member_id":"c-1"}`,
			structuredWant{time: "2023-08-15T06:22:17.123Z", prec: 3, zoned: true, level: event.LevelWarn, msg: "rebalance in progress",
				fields: map[string]string{"logger": "kafka.consumer", "group": "orders", "member_id": "c-1"}}},
		{"logrus JSONFormatter", `{"level":"warning","msg":"disk usage high","path":"/var","time":"2023-08-15T14:22:17+08:00","usage":91}`,
			structuredWant{time: "2023-08-15T06:22:17Z", prec: 0, zoned: true, level: event.LevelWarn, msg: "disk usage high",
				fields: map[string]string{"path": "/var", "usage": "91"}}},
		{"slog JSONHandler", `{"time":"2023-08-15T14:22:17.123+08:00","level":"ERROR","source":{"function":"main.run","file":"/app/main.go","line":42},"msg":"query failed","db":"orders","err":"context deadline exceeded","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}`,
			structuredWant{time: "2023-08-15T06:22:17.123Z", prec: 3, zoned: true, level: event.LevelError, msg: "query failed",
				fields: map[string]string{"db": "orders", "error": "context deadline exceeded", "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "source.line": "42"}}},
		{"pino with err object", `{"level":50,"time":1692080537123,"pid":4211,"hostname":"api-7d9f","err":{"type":"Error","message":"connect ECONNREFUSED 10.0.3.7:5432","stack":"Error: connect ECONNREFUSED 10.0.3.7:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1494:16)"},"msg":"db connect failed"}`,
			structuredWant{time: "2023-08-15T06:22:17.123Z", prec: 3, zoned: true, level: event.LevelError,
				msg:    "db connect failed\nError: connect ECONNREFUSED 10.0.3.7:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1494:16)",
				fields: map[string]string{"pid": "4211", "host": "api-7d9f", "error": "connect ECONNREFUSED 10.0.3.7:5432", "err.type": "Error"}}},
		{"bunyan fatal", `{"name":"billing","hostname":"bill-1","pid":7,"level":60,"msg":"out of memory","time":"2023-08-15T06:22:17.243Z","v":0}`,
			structuredWant{time: "2023-08-15T06:22:17.243Z", prec: 3, zoned: true, level: event.LevelFatal, msg: "out of memory",
				fields: map[string]string{"logger": "billing", "host": "bill-1", "pid": "7", "v": ""}}},
		{"log4j2 JsonLayout", `{"instant":{"epochSecond":1692080537,"nanoOfSecond":123456000},"thread":"main","level":"ERROR","loggerName":"com.example.Db","message":"Connection refused","endOfBatch":false,"loggerFqcn":"org.apache.logging.slf4j.Log4jLogger","threadId":1,"threadPriority":5}`,
			structuredWant{time: "2023-08-15T06:22:17.123456Z", prec: 9, zoned: true, level: event.LevelError, msg: "Connection refused",
				fields: map[string]string{"thread": "main", "logger": "com.example.Db", "tid": "1", "thread_priority": "5"}}},
		{"ECS nested log.level", `{"@timestamp":"2023-08-15T06:22:17.123Z","log":{"level":"warn","logger":"app.http"},"message":"slow response","service":{"name":"checkout"},"http":{"response":{"status_code":503}},"trace":{"id":"abc123"}}`,
			structuredWant{time: "2023-08-15T06:22:17.123Z", prec: 3, zoned: true, level: event.LevelWarn, msg: "slow response",
				fields: map[string]string{"logger": "app.http", "service": "checkout", "status": "503", "trace_id": "abc123"}}},
		{"journald", `{ "__REALTIME_TIMESTAMP" : "1692080537123456", "PRIORITY" : "3", "_HOSTNAME" : "web-01", "SYSLOG_IDENTIFIER" : "sshd", "_PID" : "1234", "MESSAGE" : "error: kex_exchange_identification: Connection closed by remote host" }`,
			structuredWant{time: "2023-08-15T06:22:17.123456Z", prec: 6, zoned: true, level: event.LevelError, msg: "error: kex_exchange_identification: Connection closed by remote host",
				fields: map[string]string{"host": "web-01", "program": "sshd", "pid": "1234"}}},
		{"docker json-file", `{"log":"2023-08-15 06:22:17.123 ERROR [main] c.e.App - boom\n","stream":"stderr","time":"2023-08-15T06:22:17.123456789Z"}`,
			structuredWant{time: "2023-08-15T06:22:17.123456789Z", prec: 9, zoned: true, level: event.LevelError, msg: "2023-08-15 06:22:17.123 ERROR [main] c.e.App - boom",
				fields: map[string]string{"stream": "stderr"}}},
		{"docker json-file, JSON inside", `{"log":"{\"level\":\"warn\",\"ts\":1692080537.5,\"caller\":\"pool.go:9\",\"msg\":\"slow \\\"query\\\"\"}\n","stream":"stdout","time":"2023-08-15T06:22:17.123456789Z"}`,
			structuredWant{time: "2023-08-15T06:22:17.123456789Z", prec: 9, zoned: true, level: event.LevelWarn, msg: "slow \"query\"",
				fields: map[string]string{"stream": "stdout", "caller": "pool.go:9"}}},
		{"serilog CLEF", `{"@t":"2023-08-15T06:22:17.1234567Z","@mt":"Request {Path} failed","@l":"Error","Path":"/api/orders","RequestId":"0HMT1"}`,
			structuredWant{time: "2023-08-15T06:22:17.1234567Z", prec: 7, zoned: true, level: event.LevelError, msg: "Request {Path} failed",
				fields: map[string]string{"path": "/api/orders", "request_id": "0HMT1"}}},
		{"structlog event key", `{"event": "user logged in", "level": "info", "timestamp": "2023-08-15T06:22:17.123456Z", "user_id": 42}`,
			structuredWant{time: "2023-08-15T06:22:17.123456Z", prec: 6, zoned: true, level: event.LevelInfo, msg: "user logged in",
				fields: map[string]string{"user_id": "42"}}},
		{"python json logger, zone-less asctime", `{"asctime": "2023-08-15 14:22:17,123", "levelname": "CRITICAL", "name": "app.db", "message": "pool exhausted"}`,
			structuredWant{time: "2023-08-15T06:22:17.123Z", prec: 3, zoned: false, level: event.LevelError, msg: "pool exhausted",
				fields: map[string]string{"logger": "app.db"}}},
		{"GCP severity", `{"severity":"WARNING","message":"retrying upstream","timestamp":"2023-08-15T06:22:17.123Z","httpRequest":{"status":502,"requestMethod":"GET"}}`,
			structuredWant{time: "2023-08-15T06:22:17.123Z", prec: 3, zoned: true, level: event.LevelWarn, msg: "retrying upstream",
				fields: map[string]string{"http_request.status": "502", "http_request.request_method": "GET"}}},
		{"access log, level from status", `{"ts":"2023-08-15T06:22:17Z","method":"POST","path":"/pay","status":502,"latency_ms":1234,"client_ip":"10.1.2.3"}`,
			structuredWant{time: "2023-08-15T06:22:17Z", prec: 0, zoned: true, level: event.LevelError,
				msg:    `{"ts":"2023-08-15T06:22:17Z","method":"POST","path":"/pay","status":502,"latency_ms":1234,"client_ip":"10.1.2.3"}`,
				fields: map[string]string{"method": "POST", "path": "/pay", "status": "502", "latency_ms": "1234", "client": "10.1.2.3"}}},
		{"MongoDB 4.4+", `{"t":{"$date":"2023-08-15T14:22:17.180+08:00"},"s":"W",  "c":"NETWORK",  "id":4615610, "ctx":"conn281","msg":"Failed to check socket connectivity","attr":{"error":{"code":6,"codeName":"HostUnreachable","errmsg":"Connection reset by peer"}}}`,
			structuredWant{time: "2023-08-15T06:22:17.18Z", prec: 3, zoned: true, level: event.LevelWarn, msg: "Failed to check socket connectivity",
				fields: map[string]string{"c": "NETWORK", "ctx": "conn281", "attr.error.code_name": "HostUnreachable"}}},
		{"nginx json log_format", `{"time_local":"15/Aug/2023:14:22:17 +0800","remote_addr":"203.0.113.9","request":"GET /api HTTP/1.1","status":"502","body_bytes_sent":"157","upstream_addr":"10.0.3.7:8080","http_user_agent":"curl/8.0"}`,
			structuredWant{time: "2023-08-15T06:22:17Z", prec: 0, zoned: true, level: event.LevelError,
				fields: map[string]string{"client": "203.0.113.9", "status": "502", "bytes": "157", "upstream": "10.0.3.7:8080", "user_agent": "curl/8.0", "request": "GET /api HTTP/1.1"}}},
		{"escapes in message and unicode", `{"time":"2023-08-15T06:22:17Z","msg":"quote \" tab \t snow \u2603 pair \ud83d\ude00"}`,
			structuredWant{time: "2023-08-15T06:22:17Z", prec: 0, zoned: true, msg: "quote \" tab \t snow \u2603 pair \U0001F600"}},
		{"compose prefix", `caddy  | {"level":"info","ts":1761019822.3152757,"msg":"maxprocs: Leaving GOMAXPROCS=12: CPU quota undefined"}`,
			structuredWant{time: "2025-10-21T04:10:22.3152757Z", prec: 7, zoned: true, level: event.LevelInfo, msg: "maxprocs: Leaving GOMAXPROCS=12: CPU quota undefined",
				fields: map[string]string{"container": "caddy"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs, st := decodeText(t, "json", "+08:00", c.line+"\n")
			if st.Events != 1 || len(evs) != 1 {
				t.Fatalf("stats %+v", st)
			}
			structuredCheck(t, c.name, evs[0], c.want)
			// detection picks json for the line too
			if _, st := decodeText(t, "", "+08:00", c.line+"\n"); st.Format != "json" {
				t.Errorf("detected %q", st.Format)
			}
		})
	}
}

func TestJSONRejects(t *testing.T) {
	for _, line := range []string{
		`timestamp="2013-09-06T22:00:50.123000Z" level="INFO" msg="Hello, World"`,
		`panic: foo bar failed baz`,
		`{"msg":"no time at all"}`,
		`{"ts": "xxx", "lvl": "DEBUG3", "msg": "bad ts...\n"}`,
		`{not json}`,
		`[1,2,3]`,
		`{"time": 12}`,
	} {
		d := newJSONDecoder(&Context{Loc: time.UTC})
		ev := &event.Event{Raw: line}
		if v := d.Decode([]byte(line), ev, nil); v != Reject {
			t.Errorf("%q: verdict %v, want Reject", line, v)
		}
	}
}

func TestJSONMultiline(t *testing.T) {
	t.Run("pretty-printed", func(t *testing.T) {
		text := strings.Join([]string{
			`{`,
			`  "timestamp": "2023-08-15T14:22:17.123Z",`,
			`  "level": "ERROR",`,
			`  "message": "payment failed",`,
			`  "context": {`,
			`    "order_id": 42,`,
			`    "items": [ {"sku": "a"}, {"sku": "b"} ]`,
			`  }`,
			`}`,
			`{"timestamp": "2023-08-15T14:22:18Z", "level": "INFO", "message": "next"}`,
		}, "\n")
		evs, st := decodeText(t, "", "", text)
		if st.Format != "json" || st.Events != 2 || st.Continuation != 8 {
			t.Fatalf("stats %+v", st)
		}
		structuredCheck(t, "first", evs[0], structuredWant{time: "2023-08-15T14:22:17.123Z", prec: 3, zoned: true, level: event.LevelError,
			msg: "payment failed", fields: map[string]string{"context.order_id": "42", "time_inferred": ""}})
		if evs[0].Lines != 9 || !strings.HasSuffix(evs[0].Raw, "\n}") {
			t.Errorf("first event folds %d lines, raw %q", evs[0].Lines, evs[0].Raw)
		}
		structuredCheck(t, "second", evs[1], structuredWant{time: "2023-08-15T14:22:18Z", prec: 0, zoned: true, level: event.LevelInfo, msg: "next"})
	})
	t.Run("no time in record", func(t *testing.T) {
		text := "{\"time\":\"2023-08-15T14:22:17Z\",\"msg\":\"a\"}\n{\n  \"msg\": \"no time here\"\n}\n"
		evs, st := decodeText(t, "json", "", text)
		if st.Events != 2 || st.Continuation != 2 {
			t.Fatalf("stats %+v", st)
		}
		structuredCheck(t, "borrowed", evs[1], structuredWant{time: "2023-08-15T14:22:17Z", prec: 0, zoned: true, msg: "no time here",
			fields: map[string]string{"time_inferred": "true"}})
	})
	t.Run("no time source for a leading pretty-printed record", func(t *testing.T) {
		// Without a previous record or a file time there is nothing to start
		// the record with: its lines stay unparsed, the next record is read.
		text := "{\n  \"time\": \"2023-08-15T14:22:17Z\",\n  \"msg\": \"x\"\n}\n{\"time\":\"2023-08-15T14:22:18Z\",\"msg\":\"y\"}\n"
		evs, st := structuredDecodeSpec(t, "json", time.UTC, time.Time{}, text)
		if st.Events != 1 || st.Unparsed != 4 || evs[4].Message != "y" {
			t.Fatalf("stats %+v", st)
		}
	})
	t.Run("truncated record does not swallow the file", func(t *testing.T) {
		text := strings.Join([]string{
			`{"ts": "2013-09-06T22:00:49.124817Z", "lvl": "INFO", "msg": "cut after a comma",`,
			`{"ts": "2013-09-06T22:00:50.124817Z", "lvl": "INFO", "msg": "next record"}`,
			`{"ts": "2013-09-06T22:00:51.124817Z", "lvl": "WARN", "obj": {`,
			`panic: runtime error`,
			`goroutine 1 [running]:`,
			`{"ts": "2013-09-06T22:00:52.124817Z", "lvl": "ERROR", "msg": "after"}`,
		}, "\n")
		evs, st := decodeText(t, "json", "", text)
		if st.Events != 4 || st.Unparsed != 2 || st.Continuation != 0 {
			t.Fatalf("stats %+v", st)
		}
		want := []string{"cut after a comma", "next record", "", "panic: runtime error", "goroutine 1 [running]:", "after"}
		for i, w := range want {
			if w != "" && evs[i].Message != w {
				t.Errorf("event %d message %q, want %q", i, evs[i].Message, w)
			}
		}
	})
	t.Run("cap", func(t *testing.T) {
		var sb strings.Builder
		sb.WriteString("{\"time\":\"2023-08-15T14:22:17Z\",\"msg\":\"never closes\",\"a\":[\n")
		for i := 0; i < jsonMaxLines+100; i++ {
			fmt.Fprintf(&sb, "%d,\n", i)
		}
		sb.WriteString("{\"time\":\"2023-08-15T14:22:18Z\",\"msg\":\"after\"}\n")
		evs, st := decodeText(t, "json", "", sb.String())
		if st.Events != 2 || evs[0].Lines != jsonMaxLines || st.Unparsed != 101 {
			t.Fatalf("stats %+v, first event %d lines", st, evs[0].Lines)
		}
		if evs[len(evs)-1].Message != "after" {
			t.Errorf("last %q", evs[len(evs)-1].Message)
		}
	})
	t.Run("docker continuation records", func(t *testing.T) {
		text := strings.Join([]string{
			`{"log":"Exception in thread \"main\" java.lang.IllegalStateException: pool closed\n","stream":"stderr","time":"2023-08-15T06:22:17.100Z"}`,
			`{"log":"\tat com.example.Pool.get(Pool.java:42)\n","stream":"stderr","time":"2023-08-15T06:22:17.101Z"}`,
			`{"log":"Caused by: java.net.ConnectException: Connection refused\n","stream":"stderr","time":"2023-08-15T06:22:17.102Z"}`,
			`{"log":"  indented on stdout\n","stream":"stdout","time":"2023-08-15T06:22:17.103Z"}`,
			`{"log":"next\n","stream":"stderr","time":"2023-08-15T06:22:17.104Z"}`,
		}, "\n")
		evs, st := decodeText(t, "json", "", text)
		if st.Events != 3 || st.Continuation != 2 {
			t.Fatalf("stats %+v", st)
		}
		if want := "Exception in thread \"main\" java.lang.IllegalStateException: pool closed\n\tat com.example.Pool.get(Pool.java:42)\nCaused by: java.net.ConnectException: Connection refused"; evs[0].Message != want {
			t.Errorf("folded message %q", evs[0].Message)
		}
		if evs[1].Message != "  indented on stdout" {
			t.Errorf("other stream %q", evs[1].Message)
		}
	})
}

func TestJSONBeatsElasticsearch(t *testing.T) {
	for _, name := range []string{"test-json.log", "elasticsearch-json.800.log"} {
		t.Run(name, func(t *testing.T) {
			text := structuredCorpus(t, "beats", "elasticsearch", "server", name)
			exp := structuredExpected(t, "beats", "elasticsearch", "server", name+"-expected.json")
			evs, _ := decodeText(t, "json", "-02:00", text)
			evs = structuredParsed(evs)
			if len(evs) != len(exp) {
				t.Fatalf("%d events, want %d", len(evs), len(exp))
			}
			for i, x := range exp {
				e := evs[i]
				if off := int64(x["log.offset"].(float64)); e.Offset != off {
					t.Errorf("event %d: offset %d, want %d", i, e.Offset, off)
				}
				if !e.Time.Equal(mustTime(t, x["@timestamp"].(string))) {
					t.Errorf("event %d: time %v, want %v", i, e.Time, x["@timestamp"])
				}
				if want := LevelOf(x["log.level"].(string)); e.Level != want {
					t.Errorf("event %d: level %q, want %q", i, e.Level, want)
				}
				msg := x["message"].(string)
				if idx, ok := x["elasticsearch.index.name"].(string); ok {
					if id, ok := x["elasticsearch.index.id"].(string); ok {
						idx += "/" + id
					}
					msg = "[" + idx + "] " + msg
				}
				if st, ok := x["elasticsearch.server.stacktrace"].([]any); ok {
					for _, l := range st {
						msg += "\n" + l.(string)
					}
				}
				if e.Message != msg {
					t.Errorf("event %d: message\n%q\nwant\n%q", i, e.Message, msg)
				}
				_, multi := x["log.flags"]
				if multi != (e.Lines > 1) {
					t.Errorf("event %d: %d lines, multiline %v", i, e.Lines, multi)
				}
				for key, field := range map[string]string{
					"elasticsearch.component": "component", "elasticsearch.node.name": "node",
					"elasticsearch.cluster.name": "cluster.name", "elasticsearch.cluster.uuid": "cluster.uuid",
					"elasticsearch.node.id": "node.id", "log.logger": "logger", "service.name": "service",
					"process.thread.name": "thread",
				} {
					if want, ok := x[key].(string); ok && structuredField(e, field) != want {
						t.Errorf("event %d: %s = %q, want %q", i, field, structuredField(e, field), want)
					}
				}
			}
			if _, st := decodeText(t, "", "-02:00", text); st.Format != "json" {
				t.Errorf("detected %q", st.Format)
			}
		})
	}
}

func TestJSONBeatsLogstash(t *testing.T) {
	text := structuredCorpus(t, "beats", "logstash", "log", "logstash-json.log")
	exp := structuredExpected(t, "beats", "logstash", "log", "logstash-json.log-expected.json")
	evs, _ := decodeText(t, "json", "-02:00", text)
	evs = structuredParsed(evs)
	if len(evs) != len(exp) {
		t.Fatalf("%d events, want %d", len(evs), len(exp))
	}
	for i, x := range exp {
		e := evs[i]
		if off := int64(x["log.offset"].(float64)); e.Offset != off {
			t.Errorf("event %d: offset %d, want %d", i, e.Offset, off)
		}
		if !e.Time.Equal(mustTime(t, x["@timestamp"].(string))) {
			t.Errorf("event %d: time %v, want %v", i, e.Time, x["@timestamp"])
		}
		if want := LevelOf(x["log.level"].(string)); e.Level != want {
			t.Errorf("event %d: level %q, want %q", i, e.Level, want)
		}
		if e.Message != x["message"].(string) {
			t.Errorf("event %d: message %q, want %q", i, e.Message, x["message"])
		}
		if structuredField(e, "logger") != x["logstash.log.module"] || structuredField(e, "thread") != x["logstash.log.thread"] {
			t.Errorf("event %d: logger %q thread %q", i, structuredField(e, "logger"), structuredField(e, "thread"))
		}
	}
	if _, st := decodeText(t, "", "-02:00", text); st.Format != "json" {
		t.Errorf("detected %q", st.Format)
	}
}

// TestJSONBeatsContainers: the counts filebeat's system tests assert.
func TestJSONBeatsContainers(t *testing.T) {
	t.Run("docker.log", func(t *testing.T) {
		text := structuredCorpus(t, "beats", "filebeat-tests-files", "docker.log")
		for _, id := range []string{"json", ""} {
			evs, st := decodeText(t, id, "-02:00", text)
			if st.Format != "json" || st.Events != 21 || st.Unparsed != 0 {
				t.Fatalf("stats %+v", st)
			}
			if evs[0].Message != "Fetching main repository github.com/elastic/beats..." || structuredField(evs[0], "stream") != "stdout" {
				t.Errorf("first event %q %v", evs[0].Message, evs[0].Fields)
			}
			if !evs[0].Time.Equal(mustTime(t, "2016-03-02T22:58:51.338462311Z")) || evs[0].Precision != 9 {
				t.Errorf("first time %v", evs[0].Time)
			}
			for _, e := range evs {
				if structuredField(e, "stream") != "stdout" || strings.HasSuffix(e.Message, "\n") {
					t.Errorf("line %d: %q %v", e.Line, e.Message, e.Fields)
				}
			}
		}
	})
	t.Run("docker_multiline.log", func(t *testing.T) {
		text := structuredCorpus(t, "beats", "filebeat-tests-files", "docker_multiline.log")
		evs, st := decodeText(t, "", "-02:00", text)
		if st.Format != "json" || st.Events != 3 {
			t.Fatalf("stats %+v", st)
		}
		if evs[1].Message != "[log] This one is\n on multiple\n lines" {
			t.Errorf("folded %q", evs[1].Message)
		}
	})
	t.Run("cri.log", func(t *testing.T) {
		text := structuredCorpus(t, "beats", "filebeat-tests-files", "cri.log")
		for _, id := range []string{"cri", ""} {
			evs, st := decodeText(t, id, "-02:00", text)
			if st.Format != "cri" || st.Events != 1 {
				t.Fatalf("stats %+v", st)
			}
			// "[INFO]" in the container text is the record's level
			structuredCheck(t, "cri", evs[0], structuredWant{time: "2017-09-12T22:32:21.212861448Z", prec: 9, zoned: true, level: event.LevelInfo,
				msg: "2017-09-12 22:32:21.212 [INFO][88] table.go 710: Invalidating dataplane cache", fields: map[string]string{"stream": "stdout"}})
		}
	})
}

func TestCRI(t *testing.T) {
	text := strings.Join([]string{
		`2023-08-15T06:22:17.100000000Z stderr P java.lang.IllegalStateException: pool `,
		`2023-08-15T06:22:17.100000001Z stderr F closed`,
		`2023-08-15T14:22:17.200+08:00 stdout F {"level":"warn","ts":1692080537.2,"msg":"slow query","db":"orders"}`,
		`2023-08-15T06:22:17.300000000Z stdout F ERROR [main] boom`,
		`2023-08-15T06:22:17.400000000Z stdout F`,
	}, "\n")
	evs, st := decodeText(t, "cri", "", text)
	if st.Events != 4 || st.Continuation != 1 {
		t.Fatalf("stats %+v", st)
	}
	structuredCheck(t, "partial", evs[0], structuredWant{time: "2023-08-15T06:22:17.1Z", prec: 9, zoned: true,
		msg: "java.lang.IllegalStateException: pool closed", fields: map[string]string{"stream": "stderr"}})
	structuredCheck(t, "inner json", evs[1], structuredWant{time: "2023-08-15T06:22:17.2Z", prec: 3, zoned: true, level: event.LevelWarn,
		msg: "slow query", fields: map[string]string{"stream": "stdout", "db": "orders"}})
	structuredCheck(t, "level word", evs[2], structuredWant{time: "2023-08-15T06:22:17.3Z", prec: 9, zoned: true, level: event.LevelError,
		msg: "ERROR [main] boom"})
	structuredCheck(t, "empty", evs[3], structuredWant{time: "2023-08-15T06:22:17.4Z", prec: 9, zoned: true})
}

// TestJSONLnav reads lnav's JSON samples: every line accounted, the
// expected events, levels and times.
func TestJSONLnav(t *testing.T) {
	cases := []struct {
		file             string
		events, unparsed int64
		first            structuredWant
		levels           string // levels of the parsed events, space-separated; "-" for none
	}{
		{"logfile_json.json", 13, 1, structuredWant{time: "2013-09-06T20:00:48.124817Z", prec: 6, zoned: true, level: event.LevelTrace, msg: "trace test",
			fields: map[string]string{"logger": "com.example.foo.bar.bazzer"}}, "trace info info trace trace trace trace debug - warn error error fatal"},
		{"logfile_json_invalid.json", 13, 0, structuredWant{time: "2013-09-06T20:00:48.124817Z", prec: 6, zoned: true, level: event.LevelTrace, msg: "trace test"},
			"trace info info trace trace trace trace debug - warn error error fatal"},
		{"logfile_invalid_json.json", 5, 0, structuredWant{time: "2013-09-06T20:00:48.124817Z", prec: 6, zoned: true, level: event.LevelTrace, msg: "trace test"},
			"trace info info trace trace"},
		{"logfile_mixed_json2.json", 13, 5, structuredWant{time: "2013-09-06T20:00:48.124817Z", prec: 6, zoned: true, level: event.LevelTrace, msg: "trace test"},
			"trace info info trace trace trace trace debug - warn error error fatal"},
		{"logfile_json3.json", 3, 0, structuredWant{time: "2017-03-24T20:06:26.240Z", prec: 3, zoned: true, level: event.LevelInfo,
			fields: map[string]string{"status": "200", "method": "GET", "path": "/example/uri/5", "client": "1.1.1.1"}}, "info error warn"},
		{"logfile_json_subsec.json", 2, 0, structuredWant{time: "2022-09-24T00:00:09.484Z", prec: 9, zoned: true, msg: "Hello, World!"}, "- -"},
		{"logfile_journald.json", 2, 0, structuredWant{time: "2018-08-21T14:04:21.221373Z", prec: 6, zoned: true, level: event.LevelFatal,
			msg: "GPS Reference longitude: 7.358143333", fields: map[string]string{"host": "imx6ul-medusa", "program": "python", "pid": "184"}}, "fatal info"},
		{"logfile_bunyan.0", 10, 0, structuredWant{time: "2023-03-24T14:26:16.243Z", prec: 3, zoned: true, level: event.LevelDebug,
			msg: "Found gitlabci-include package files", fields: map[string]string{"logger": "renovate", "host": "renovate-gitlab-67c4bcb5-9ggbv", "pid": "7", "log_context": "qjifsaDDI"}},
			"debug debug debug info debug debug debug debug debug debug"},
		{"logfile_pino.0", 1, 0, structuredWant{time: "2025-04-24T22:08:37.537Z", prec: 3, zoned: true, level: event.LevelInfo, msg: "Charge request received.",
			fields: map[string]string{"trace_id": "c759f29f5f1e2162be56f32dd1e77fce", "span_id": "17c4a60ca4297cf1", "service": "payment", "host": "7d82d3f28bad",
				"request.credit_card.credit_card_cvv": "159"}}, "info"},
		{"logfile_ecs_log.json", 5, 0, structuredWant{time: "2025-01-13T09:58:13.631Z", prec: 3, zoned: true, level: event.LevelDebug, msg: "this is a debug message num=39",
			fields: map[string]string{"logger": "app", "pid": "9159", "thread": "MainThread", "caller": "main"}}, "debug info warn error error"},
		{"logfile_rust_tracing.0", 5, 0, structuredWant{time: "2025-10-28T19:15:10.821315Z", prec: 6, zoned: true, level: event.LevelInfo, msg: "preparing to shave yaks",
			fields: map[string]string{"thread": "main", "fields.number_of_yaks": "3"}}, "info info trace warn error"},
		{"logfile_caddy_log.0", 39, 0, structuredWant{time: "2025-10-21T04:10:22.3152757Z", prec: 7, zoned: true, level: event.LevelInfo,
			msg: "maxprocs: Leaving GOMAXPROCS=12: CPU quota undefined", fields: map[string]string{"container": "caddy"}}, ""},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			text := structuredCorpus(t, "lnav", "test", c.file)
			evs, st := decodeText(t, "", "", text)
			if st.Format != "json" || st.Events != c.events || st.Unparsed != c.unparsed {
				t.Fatalf("stats %+v", st)
			}
			parsed := structuredParsed(evs)
			structuredCheck(t, "first", parsed[0], c.first)
			if c.levels != "" {
				var got []string
				for _, e := range parsed {
					l := string(e.Level)
					if l == "" {
						l = "-"
					}
					got = append(got, l)
				}
				if g := strings.Join(got, " "); g != c.levels {
					t.Errorf("levels %q, want %q", g, c.levels)
				}
			}
		})
	}
	t.Run("caddy access log", func(t *testing.T) {
		evs, _ := decodeText(t, "json", "", structuredCorpus(t, "lnav", "test", "logfile_caddy_log.0"))
		e := evs[15]
		for k, v := range map[string]string{"logger": "http.log.access", "method": "GET", "path": "/", "client": "172.19.0.1", "protocol": "HTTP/1.1", "status": "304"} {
			if structuredField(e, k) != v {
				t.Errorf("%s = %q, want %q (%v)", k, structuredField(e, k), v, e.Fields)
			}
		}
	})
	t.Run("invalid_json truncated string", func(t *testing.T) {
		evs, _ := decodeText(t, "json", "", structuredCorpus(t, "lnav", "test", "logfile_invalid_json.json"))
		if want := "Shutting down service\nline2\nline3\nline4\nline5\nline6\nline7\nline8\nline9\nline10"; evs[2].Message != want {
			t.Errorf("%q", evs[2].Message)
		}
	})
}

func TestJSONFieldCaps(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`{"time":"2023-08-15T06:22:17Z","msg":"many"`)
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&sb, `,"k%d":"v"`, i)
	}
	fmt.Fprintf(&sb, `,"trace_id":"t1","long":"%s"}`, strings.Repeat("é", 300))
	evs, _ := decodeText(t, "json", "", sb.String())
	e := evs[0]
	if len(e.Fields) != structuredMaxFields+1 || structuredField(e, "trace_id") != "t1" {
		t.Errorf("%d fields, trace_id %q", len(e.Fields), structuredField(e, "trace_id"))
	}
	if _, ok := e.Get("long"); ok {
		t.Errorf("field past the cap kept")
	}
	if v := structuredCap(strings.Repeat("é", 300)); len(v) > structuredMaxValue || !strings.HasSuffix(v, "é") {
		t.Errorf("cap cut a rune: %d bytes", len(v))
	}
}

func TestStructuredSnake(t *testing.T) {
	for in, want := range map[string]string{
		"loggerName": "logger_name", "GOMEMLIMIT": "gomemlimit", "_SYSTEMD_UNIT": "systemd_unit", "@version": "version",
		"request.headers.Content-Type": "request.headers.content_type", "HTTPStatus": "http_status", "already_snake": "already_snake",
		"x-request-id": "x_request_id", "userID": "user_id", "": "field",
	} {
		if got := structuredSnake(in); got != want {
			t.Errorf("structuredSnake(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzJSON(f *testing.F) {
	fuzzFormat(f, "json",
		"{\n  \"time\": \"2023-08-15T14:22:17Z\",\n  \"msg\": \"x\"\n}\n",
		`{"ts": "2013-09-06T22:00:49.124817Z", "@fields": { "lvl": "INFO", "msg": "cut`+"\n"+`{"ts":1692080537.5,"msg":"y"}`,
		`caddy  | {"level":"info","ts":1761019822.3152757,"msg":"m"}`,
		`{"instant":{"epochSecond": 1663977609,"nanoOfSecond": 484000000}, "msg": "Hello"}`,
		`{"log":"a\n","stream":"stderr","time":"2016-03-02T22:58:51.338462311Z"}`+"\n"+`{"log":"\tat b\n","stream":"stderr","time":"2016-03-02T22:58:51.338462311Z"}`,
	)
}

func FuzzCRI(f *testing.F) {
	fuzzFormat(f, "cri", "2017-09-12T22:32:21.212861448Z stdout P a\n2017-09-12T22:32:21.212861448Z stdout F b\n",
		`2023-08-15T14:22:17.200+08:00 stdout F {"level":"warn","msg":"x"}`)
}

// structuredBenchText repeats real lines up to about size bytes.
func structuredBenchText(size int, lines ...string) string {
	var sb strings.Builder
	for sb.Len() < size {
		for _, l := range lines {
			sb.WriteString(l)
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

func structuredBench(b *testing.B, id, text string) {
	f := Lookup(id)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		st, err := ReadInput(strings.NewReader(text), Spec{Path: "b.log", Source: "b", ModTime: testModTime, Loc: time.UTC, Format: f}, func(*event.Event) { n++ })
		if err != nil || st.Unparsed != 0 {
			b.Fatalf("err %v, stats %+v", err, st)
		}
	}
}

func BenchmarkJSON(b *testing.B) {
	text := structuredBenchText(8<<20,
		`{"level":"info","ts":1761019822.3153872,"msg":"GOMEMLIMIT is updated","package":"github.com/KimMachineGun/automemlimit/memlimit","GOMEMLIMIT":29511419904,"previous":9223372036854775807}`,
		`{"level":"warn","ts":1761019822.316257,"logger":"http.auto_https","msg":"server is listening only on the HTTP port, so no automatic HTTPS will be applied to this server","server_name":"srv0","http_port":80}`,
		`{"name":"renovate","hostname":"renovate-gitlab-67c4bcb5-9ggbv","pid":7,"level":20,"logContext":"qjifsaDDI","repository":"webgui/custom-icons-transformer","msg":"Found npm package files","time":"2023-03-24T14:26:16.243Z","v":0}`,
		`{"@timestamp":"2025-01-13T09:58:13.632Z","log.level":"info","message":"this is a info message num=74","ecs.version":"1.6.0","log":{"logger":"app","origin":{"file":{"line":43,"name":"es_logger.py"},"function":"main"},"original":"this is a info message num=74"},"process":{"name":"MainProcess","pid":9159,"thread":{"id":140631176265728,"name":"MainThread"}}}`,
		`{"type": "server", "timestamp": "2019-01-18T08:55:08,163+0100", "level": "INFO", "component": "o.e.e.NodeEnvironment", "cluster.name": "distribution_run", "node.name": "node-0",  "message": "heap size [989.8mb], compressed ordinary object pointers [true]"  }`,
		`{"log":"Fetching dependencies...\n","stream":"stdout","time":"2016-03-02T22:59:04.609292428Z"}`,
	)
	structuredBench(b, "json", text)
}

func BenchmarkCRI(b *testing.B) {
	text := structuredBenchText(8<<20,
		`2017-09-12T22:32:21.212861448Z stdout F 2017-09-12 22:32:21.212 [INFO][88] table.go 710: Invalidating dataplane cache`,
		`2023-08-15T06:22:17.300000000Z stderr F ERROR [main] c.e.App - connection refused`,
	)
	structuredBench(b, "cri", text)
}
