package parse

import (
	"slices"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// The nginx error-log and MySQL error-log decoders append the fields of a
// fresh event without looking for them first (Event.Set would). An event
// that holds a field already takes the simple way, every field through
// Event.Set; the tests below decode each line both ways and want the same
// fields.

// freshPrior is the field the simple way's event holds before the line.
var freshPrior = event.Field{Key: "prior", Value: "x"}

// freshNginxErrorCases are nginx error-log messages (after the connection
// number): repeated keys, empty and "-" values, request lines of every
// shape, the errno and target forms.
var freshNginxErrorCases = []string{
	`upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.15.164, server: api.invoice.example.com, request: "POST /api/invoice HTTP/1.1", upstream: "http://10.0.2.7:8080/api/invoice", host: "api.invoice.example.com:9443"`,
	`connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.7, server: api, request: "GET /x HTTP/1.1", upstream: "http://10.0.2.5:8080/x", host: "api"`,
	`connect() to 10.0.2.5:8080 failed (111: Connection refused) while connecting to upstream, client: 10.0.0.7, server: api`,
	`x, client: 1.2.3.4, client: 5.6.7.8, server: a, server: b, host: "h1", host: "h2"`,
	`x, client: -, server: , host: "", referrer: "-", subrequest: "/s"`,
	`x, client: -, client: 1.1.1.1, client: -`,
	`x, client: 1.1.1.1, request: "GET /a HTTP/1.1", request: "POST /b"`,
	`x, client: 1.1.1.1, request: "- - -", request: "GET / HTTP/1.0"`,
	`x, client: 1.1.1.1, request: "GET  HTTP/1.1", request: "-"`,
	`x, client: 1.1.1.1, request: "GET"`,
	`x, client: 1.1.1.1, upstream: "fastcgi://unix:/run/php.sock:", upstream: "http://u:1/p"`,
	`x, client: 1.1.1.1, upstream: "nohost", upstream: "-"`,
	`x while connecting to upstream, client: 1.1.1.1, upstream: "http://10.0.2.5:8080/x", upstream: "http://10.0.2.6:8080/y"`,
	`x while connecting to upstream, client: 1.1.1.1`,
	`a (12: b) c (34: d), client: 1.1.1.1`,
	`a (: b) (x (56: e)`,
	`no list at all (7: z)`,
	`FastCGI sent in stderr: "PHP message: x, client: 9.9.9.9" while reading, client: 1.2.3.4, server: _, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/run/php.sock:", host: "h"`,
	`x, client: 1.1.1.1, path: "/p", method: "M", protocol: "P", errno: "1", target: "t:1"`,
	`x, client: 1.1.1.1, pid: 9, tid: 9, connection_id: 9`,
}

// checkNginxErrorFresh fails t when the nginx error line with message msg
// gets other fields on a fresh event than through Event.Set.
func checkNginxErrorFresh(t *testing.T, msg string) {
	t.Helper()
	raw := "2023/08/15 14:22:17 [error] 12#34: *56 " + msg
	fresh := &event.Event{Raw: raw}
	simple := &event.Event{Raw: raw, Fields: []event.Field{freshPrior}}
	ok := nginxErrorLine([]byte(raw), fresh, time.UTC, nil)
	if ok2 := nginxErrorLine([]byte(raw), simple, time.UTC, nil); ok != ok2 {
		t.Fatalf("%q: read %v fresh, %v with a field", msg, ok, ok2)
	}
	if !slices.Equal(fresh.Fields, simple.Fields[1:]) {
		t.Fatalf("%q: fields\nfresh  %v\nsimple %v", msg, fresh.Fields, simple.Fields[1:])
	}
}

func TestNginxErrorFreshFields(t *testing.T) {
	for _, msg := range freshNginxErrorCases {
		checkNginxErrorFresh(t, msg)
	}
	// the fields of a repeated key stay where the key was first stored
	raw := "2023/08/15 14:22:17 [error] 1#2: *3 x, client: a, server: s, server: t, request: \"GET /a HTTP/1.1\", request: \"PUT /b\""
	ev := &event.Event{Raw: raw}
	if !nginxErrorLine([]byte(raw), ev, time.UTC, nil) {
		t.Fatal("line not read")
	}
	want := []event.Field{{Key: "pid", Value: "1"}, {Key: "tid", Value: "2"}, {Key: "connection_id", Value: "3"},
		{Key: "client", Value: "a"}, {Key: "server", Value: "t"}, {Key: "request", Value: "PUT /b"},
		{Key: "method", Value: "PUT"}, {Key: "path", Value: "/b"}, {Key: "protocol", Value: "HTTP/1.1"}}
	if !slices.Equal(ev.Fields, want) {
		t.Errorf("fields %v\nwant %v", ev.Fields, want)
	}
}

// FuzzNginxErrorFresh holds the fresh event's fields to Event.Set's on any
// message.
func FuzzNginxErrorFresh(f *testing.F) {
	for _, msg := range freshNginxErrorCases {
		f.Add(msg)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		checkNginxErrorFresh(t, msg)
	})
}

// freshMySQLErrorCases are MySQL error-log lines whose fields are set by
// the decoder and by mysqlErrorMessage.
var freshMySQLErrorCases = []string{
	"2023-08-14T16:00:00.000101Z 180004 [Note] [MY-010914] [Server] Aborted connection 180004 to db: 'invoice' user: 'monitor' host: '10.0.2.9' (Got an error reading communication packets).",
	"2022-10-14T09:16:02.430542Z 1 [Note] [MY-010926] [Server] Access denied for user 'r'@'10.0.0.1' (using password: YES)",
	"2022-10-14T09:16:02.430542Z 1 [Note] [MY-010926] [Server] Access denied for user 'r'@'db.example' (using password: YES)",
	"2023-08-14T16:00:00Z 7 [Warning] Aborted connection 7 to db: 'unconnected' user: 'unauthenticated' host: 'h'",
	"2023-08-14T16:00:00Z 7 [Warning] [MY-1] [InnoDB] InnoDB: Error: x user 'a'",
	"2016-06-15 20:28:25 7f72c0043700InnoDB: Warning: z 'q'",
	"2019-10-08  9:06:57 0 [Note] WSREP: Aborted connection 3 to db: 'd' user: 'u' host: '::1'",
	"150105  9:08:40 mysqld_safe Starting mysqld daemon 'x'",
	"150105  9:08:40 [ERROR] InnoDB: Assertion failure in thread 1",
	"2023-08-14T16:00:00Z 7 [Warning] Access denied for user 'a'@'1.2.3.4' Aborted connection 1 to db: 'd'",
}

// checkMySQLErrorFresh fails t when the MySQL error line gets other fields
// on a fresh event than through Event.Set.
func checkMySQLErrorFresh(t *testing.T, line string) {
	t.Helper()
	fresh := &event.Event{Raw: line}
	simple := &event.Event{Raw: line, Fields: []event.Field{freshPrior}}
	v := (&mysqlErrorDecoder{loc: time.UTC}).Decode([]byte(line), fresh, nil)
	if v2 := (&mysqlErrorDecoder{loc: time.UTC}).Decode([]byte(line), simple, nil); v != v2 {
		t.Fatalf("%q: verdict %v fresh, %v with a field", line, v, v2)
	}
	if v != Start {
		return
	}
	if !slices.Equal(fresh.Fields, simple.Fields[1:]) {
		t.Fatalf("%q: fields\nfresh  %v\nsimple %v", line, fresh.Fields, simple.Fields[1:])
	}
}

func TestMySQLErrorFreshFields(t *testing.T) {
	for _, line := range freshMySQLErrorCases {
		checkMySQLErrorFresh(t, line)
	}
}

// FuzzMySQLErrorFresh holds the fresh event's fields to Event.Set's on any
// line.
func FuzzMySQLErrorFresh(f *testing.F) {
	for _, line := range freshMySQLErrorCases {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, line string) {
		checkMySQLErrorFresh(t, line)
	})
}
