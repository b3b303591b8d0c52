package parse

import (
	"strings"
	"testing"
)

// goLogLines are written as Go's log package and runtime print them.
var goLogLines = []string{
	"2023/08/15 14:22:17 listening on :8080",
	"2023/08/15 14:22:17.123456 main.go:42: ERROR: connect to db: dial tcp 10.0.3.7:5432: connect: connection refused",
	"2023/08/15 14:22:18 /src/app/internal/store/pg.go:118: retrying in 1s",
	"2023/08/15 14:22:18 [WARN] cache miss ratio 0.92",
	"2023/08/15 14:22:19 INFO request served method=GET path=/orders status=200",
	"[api] 2023/08/15 14:22:19 level=error msg=\"not a level word\"",
	"2023/08/15 14:22:20 http: panic serving 10.0.0.5:51234: runtime error: invalid memory address or nil pointer dereference",
	"goroutine 34 [running]:",
	"net/http.(*conn).serve.func1()",
	"\t/usr/local/go/src/net/http/server.go:1868 +0xb9",
	"2023/08/15 14:22:21 shutting down",
	"panic: runtime error: index out of range [3] with length 3",
	"",
	"goroutine 1 [running]:",
	"main.main()",
	"\t/app/main.go:12 +0x1d",
	"exit status 2",
}

func TestGoLog(t *testing.T) {
	text := strings.Join(goLogLines, "\n")
	evs, st := decodeText(t, GoLogID, "UTC", text)
	if st.Events != 8 || st.Continuation != 8 || st.Empty != 1 || st.Unparsed != 0 {
		t.Fatalf("stats %+v", st)
	}
	want := []struct {
		time      string
		prec      int
		level     string
		caller    string
		prefix    string
		msg       string
		lines     int
		exception string
	}{
		{"2023-08-15T14:22:17Z", 0, "", "", "", "listening on :8080", 1, ""},
		{"2023-08-15T14:22:17.123456Z", 6, "error", "main.go:42", "", "connect to db: dial tcp 10.0.3.7:5432: connect: connection refused", 1, ""},
		{"2023-08-15T14:22:18Z", 0, "", "/src/app/internal/store/pg.go:118", "", "retrying in 1s", 1, ""},
		{"2023-08-15T14:22:18Z", 0, "warn", "", "", "cache miss ratio 0.92", 1, ""},
		{"2023-08-15T14:22:19Z", 0, "info", "", "", "request served method=GET path=/orders status=200", 1, ""},
		{"2023-08-15T14:22:19Z", 0, "", "", "[api]", "level=error msg=\"not a level word\"", 1, ""},
		{"2023-08-15T14:22:20Z", 0, "", "", "", "http: panic serving 10.0.0.5:51234: runtime error: invalid memory address or nil pointer dereference", 4, ""},
		{"2023-08-15T14:22:21Z", 0, "fatal", "", "", "shutting down", 6, ""},
	}
	for i, w := range want {
		e := &evs[i]
		if !e.Time.Equal(mustTime(t, w.time)) || e.Precision != w.prec || e.Zoned || string(e.Level) != w.level || appField(e, "caller") != w.caller ||
			appField(e, "prefix") != w.prefix || appFirstLine(e.Message) != w.msg || e.Lines != w.lines {
			t.Errorf("event %d = %v/%d %q caller=%q prefix=%q %q lines=%d", i, e.Time, e.Precision, e.Level, appField(e, "caller"), appField(e, "prefix"), appFirstLine(e.Message), e.Lines)
		}
	}
	if _, dst := decodeText(t, "", "UTC", text); dst.Format != GoLogID {
		t.Errorf("detected %q", dst.Format)
	}
}

// TestGoLogNginx: nginx error-log lines share the stamp; go-log leaves them.
func TestGoLogNginx(t *testing.T) {
	d := Lookup(GoLogID).New(&Context{Loc: appLoc(t, "UTC"), ModTime: testModTime})
	for _, l := range []string{
		"2023/08/15 14:22:17 [error] 1234#1234: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.5, server: _, request: \"GET /api HTTP/1.1\", upstream: \"http://10.0.3.7:8080/api\"",
		"2016/10/25 14:49:34 [emerg] 22#22: bind() to 0.0.0.0:80 failed (98: Address already in use)",
		"2016/10/25 14:49:34 [notice] 22#22: using the \"epoll\" event method",
		"2023/08/15 14:22:17,123 comma fraction is not Go's",
		"2023-08-15 14:22:17 dashes are not Go's",
	} {
		if v := d.Decode([]byte(l), appEvent(l), nil); v != Reject {
			t.Errorf("%q: verdict %d, want Reject", l, v)
		}
	}
	// but a message that merely starts with a bracketed level is Go's
	l := "2023/08/15 14:22:17 [error] upstream timed out"
	e := appEvent(l)
	if v := d.Decode([]byte(l), e, nil); v != Start || e.Level != "error" || e.Message != "upstream timed out" {
		t.Errorf("%q: %d %q %q", l, v, e.Level, e.Message)
	}
}

func FuzzGoLog(f *testing.F) {
	fuzzFormat(f, GoLogID, strings.Join(goLogLines, "\n"),
		"2023/08/15 14:22:17 [error] 1#1: x\n[p] 2023/08/15 14:22:17.1 a.go:1: b\n",
		"2023/08/15 14:22:17 \npanic: x\n")
}

func BenchmarkGoLog(b *testing.B) {
	appBench(b, GoLogID, appRepeat(strings.Join(goLogLines, "\n")+"\n", 4<<20))
}
