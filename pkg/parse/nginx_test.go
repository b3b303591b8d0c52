package parse

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// TestNginxBeatsAccess checks every expected event of Filebeat's nginx and
// apache access-log test files, read as nginx-access with zone -02:00.
func TestNginxBeatsAccess(t *testing.T) {
	files := []string{
		"beats/nginx/access/access.log",
		"beats/nginx/access/test.log",
		"beats/nginx/access/test-with-host.log",
		"beats/apache/access/darwin-2.4.23.log",
		"beats/apache/access/ssl-request.log",
		"beats/apache/access/test-vhost.log",
		"beats/apache/access/test.log",
		"beats/apache/access/ubuntu-2.2.22.log",
	}
	total, stamps := 0, 0
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			text := gatewayCorpus(t, f)
			exp := gatewayExpected(t, f+"-expected.json")
			evs, st := decodeText(t, "nginx-access", "-02:00", text)
			if len(evs) != len(exp) || st.Unparsed != 0 {
				t.Fatalf("%d events (%d unparsed), want %d:\n%s", len(evs), st.Unparsed, len(exp), gatewayDump(evs))
			}
			for i := range exp {
				where := fmt.Sprintf("%s event %d (line %d)", f, i, evs[i].Line)
				stamps += gatewayCheckBeatsCommon(t, where, &evs[i], exp[i])
				gatewayBeatsHTTP(t, where, &evs[i], exp[i])
				if p, ok := exp[i]["apache.access.ssl.protocol"]; ok {
					gatewayField(t, where, &evs[i], "tls_protocol", gatewayStr(p))
					gatewayField(t, where, &evs[i], "tls_cipher", gatewayStr(exp[i]["apache.access.ssl.cipher"]))
				}
				total++
			}
			_, det := decodeText(t, "", "-02:00", text)
			if det.Format != "nginx-access" {
				t.Errorf("detected %q (%.2f), want nginx-access; runner-up %q", det.Format, det.Confidence, det.RunnerUp)
			}
		})
	}
	t.Logf("checked %d expected events, %d timestamps", total, stamps)
}

// TestNginxBeatsIngress checks every expected event of Filebeat's
// ingress_controller test file.
func TestNginxBeatsIngress(t *testing.T) {
	const f = "beats/nginx/ingress_controller/test.log"
	text := gatewayCorpus(t, f)
	exp := gatewayExpected(t, f+"-expected.json")
	evs, st := decodeText(t, "nginx-ingress", "-02:00", text)
	if len(evs) != len(exp) || st.Unparsed != 0 {
		t.Fatalf("%d events (%d unparsed), want %d:\n%s", len(evs), st.Unparsed, len(exp), gatewayDump(evs))
	}
	stamps := 0
	for i := range exp {
		e, x := &evs[i], exp[i]
		where := fmt.Sprintf("%s event %d (line %d)", f, i, e.Line)
		stamps += gatewayCheckBeatsCommon(t, where, e, x)
		gatewayBeatsHTTP(t, where, e, x)
		const p = "nginx.ingress_controller."
		gatewayField(t, where, e, "request_id", gatewayStr(x[p+"http.request.id"]))
		gatewayField(t, where, e, "request_length", gatewayStr(x[p+"http.request.length"]))
		gatewayField(t, where, e, "latency_ms", gatewaySecondsMsWant(x[p+"http.request.time"]))
		gatewayField(t, where, e, "upstream_name", gatewayStr(x[p+"upstream.name"]))
		gatewayField(t, where, e, "upstream_alternative_name", gatewayStr(x[p+"upstream.alternative_name"]))
		up := ""
		if ip := gatewayStr(x[p+"upstream.ip"]); ip != "" {
			up = ip + ":" + gatewayStr(x[p+"upstream.port"])
		}
		gatewayField(t, where, e, "upstream", up)
		gatewayField(t, where, e, "upstream_status", gatewayStr(x[p+"upstream.response.status_code"]))
		gatewayField(t, where, e, "upstream_bytes", gatewayStr(x[p+"upstream.response.length"]))
		if _, ok := x[p+"upstream.response.time"]; ok {
			gatewayField(t, where, e, "upstream_latency_ms", gatewaySecondsMsWant(x[p+"upstream.response.time"]))
		}
		if l, ok := x[p+"upstream_address_list"].([]any); ok && len(l) > 1 {
			parts := make([]string, len(l))
			for k := range l {
				parts[k] = gatewayStr(l[k])
			}
			gatewayField(t, where, e, "upstream_list", strings.Join(parts, ", "))
		}
	}
	if stamps != len(exp) {
		t.Errorf("checked %d timestamps, want %d", stamps, len(exp))
	}
	_, det := decodeText(t, "", "-02:00", text)
	if det.Format != "nginx-ingress" {
		t.Errorf("detected %q (%.2f), want nginx-ingress; runner-up %q", det.Format, det.Confidence, det.RunnerUp)
	}
}

// gatewaySecondsMsWant renders Filebeat's seconds (a float) as milliseconds.
func gatewaySecondsMsWant(v any) string {
	f, ok := v.(float64)
	if !ok {
		return ""
	}
	return gatewayFormatMs(int64(f*1e6 + 0.5))
}

// TestNginxBeatsError checks every expected event of Filebeat's nginx
// error-log test file, including the three-line FastCGI event.
func TestNginxBeatsError(t *testing.T) {
	const f = "beats/nginx/error/error.log"
	text := gatewayCorpus(t, f)
	exp := gatewayExpected(t, f+"-expected.json")
	evs, st := decodeText(t, "nginx-error", "-02:00", text)
	if len(evs) != len(exp) || st.Unparsed != 0 || st.Continuation != 2 {
		t.Fatalf("%d events (%d unparsed, %d continuation), want %d:\n%s", len(evs), st.Unparsed, st.Continuation, len(exp), gatewayDump(evs))
	}
	for i := range exp {
		e, x := &evs[i], exp[i]
		where := fmt.Sprintf("%s event %d (line %d)", f, i, e.Line)
		if gatewayCheckBeatsCommon(t, where, e, x) != 1 {
			t.Errorf("%s: no @timestamp checked", where)
		}
		if e.Message != x["message"] {
			t.Errorf("%s: message\n%q, want\n%q", where, e.Message, x["message"])
		}
		if string(e.Level) != x["log.level"] {
			t.Errorf("%s: level %q, want %v", where, e.Level, x["log.level"])
		}
		gatewayField(t, where, e, "pid", gatewayStr(x["process.pid"]))
		gatewayField(t, where, e, "tid", gatewayStr(x["process.thread.id"]))
		gatewayField(t, where, e, "connection_id", gatewayStr(x["nginx.error.connection_id"]))
		_, multi := x["log.flags"]
		if multi != (e.Lines > 1) {
			t.Errorf("%s: %d lines, multiline flag %v", where, e.Lines, multi)
		}
	}
	// the fields nginx appends to the first message
	gatewayField(t, "event 0", &evs[0], "client", "127.0.0.1")
	gatewayField(t, "event 0", &evs[0], "server", "localhost")
	gatewayField(t, "event 0", &evs[0], "request", "GET /favicon.ico HTTP/1.1")
	gatewayField(t, "event 0", &evs[0], "path", "/favicon.ico")
	gatewayField(t, "event 0", &evs[0], "host", "localhost:8080")
	gatewayField(t, "event 0", &evs[0], "referrer", "http://localhost:8080/")
	gatewayField(t, "event 0", &evs[0], "errno", "2")
	_, det := decodeText(t, "", "-02:00", text)
	if det.Format != "nginx-error" {
		t.Errorf("detected %q (%.2f), want nginx-error; runner-up %q", det.Format, det.Confidence, det.RunnerUp)
	}
}

// TestNginxLnavAccess reads lnav's access-log samples: the times lnav
// asserts, and the malformed line without ident and user.
func TestNginxLnavAccess(t *testing.T) {
	text := gatewayCorpus(t, "lnav/test/logfile_access_log.0")
	evs, st := decodeText(t, "", "", text)
	if st.Format != "nginx-access" || len(evs) != 3 || st.Unparsed != 0 {
		t.Fatalf("format %s, %d events, %d unparsed", st.Format, len(evs), st.Unparsed)
	}
	// lnav: Jul 20 22:59:26 2009, 22:59:29, 22:59:29 (the lines say +0000);
	// levels info, error, info - lnav counts 404 as an error, httpLevel as warn.
	want := []struct {
		t, status string
		lvl       string
	}{
		{"2009-07-20T22:59:26Z", "200", "info"},
		{"2009-07-20T22:59:29Z", "404", "warn"},
		{"2009-07-20T22:59:29Z", "200", "info"},
	}
	for i, w := range want {
		e := &evs[i]
		if !e.Time.Equal(mustTime(t, w.t)) || !e.Zoned || string(e.Level) != w.lvl {
			t.Errorf("event %d: %v zoned=%v %s, want %s %s", i, e.Time, e.Zoned, e.Level, w.t, w.lvl)
		}
		gatewayField(t, "lnav", e, "status", w.status)
		gatewayField(t, "lnav", e, "client", "192.168.202.254")
		gatewayField(t, "lnav", e, "user_agent", "gPXE/0.9.7")
	}
	gatewayField(t, "lnav", &evs[1], "bytes", "46210")
	if evs[1].Message != "GET /vmw/vSphere/default/vmkboot.gz HTTP/1.0 404" {
		t.Errorf("message %q", evs[1].Message)
	}

	bad := gatewayCorpus(t, "lnav/test/logfile_bad_access_log.0")
	evs, st = decodeText(t, "", "", bad)
	if st.Format != "nginx-access" || len(evs) != 3 || st.Unparsed != 0 {
		t.Fatalf("bad: format %s, %d events, %d unparsed:\n%s", st.Format, len(evs), st.Unparsed, gatewayDump(evs))
	}
	gatewayField(t, "bad line 2", &evs[1], "client", "192.168.202.254")
	gatewayField(t, "bad line 2", &evs[1], "status", "404")
	if !evs[1].Time.Equal(mustTime(t, "2009-07-20T22:59:29Z")) {
		t.Errorf("bad line 2 time %v", evs[1].Time)
	}
}

// TestNginxAccessTail covers the fields configurations append to the
// combined format. Lines follow nginx's variable syntax: $request_time and
// $upstream_response_time in seconds with millisecond resolution, lists
// of the upstreams tried separated by ", " (and " : " across internal
// redirects).
func TestNginxAccessTail(t *testing.T) {
	cases := []struct {
		name, line string
		want       map[string]string
		msg, lvl   string
	}{
		{
			name: "request_time upstream_response_time upstream_addr upstream_status",
			line: `10.0.0.7 - - [15/Aug/2023:14:22:17 +0200] "GET /api/invoice HTTP/1.1" 503 197 "-" "okhttp/4.9.3" 0.012 0.011 10.0.2.5:8080 503`,
			want: map[string]string{"client": "10.0.0.7", "latency_ms": "12", "upstream_latency_ms": "11", "upstream": "10.0.2.5:8080", "upstream_status": "503", "status": "503", "bytes": "197", "user_agent": "okhttp/4.9.3", "method": "GET", "path": "/api/invoice", "protocol": "HTTP/1.1", "referrer": ""},
			msg:  "GET /api/invoice HTTP/1.1 503", lvl: "error",
		},
		{
			name: "retried upstreams",
			line: `10.0.0.7 - - [15/Aug/2023:14:22:17 +0200] "POST /api/pay HTTP/1.1" 200 41 "-" "curl/8.1.2" 1.504 10.0.2.5:8080, 10.0.2.6:8080 502, 200 1.002, 0.501`,
			want: map[string]string{"latency_ms": "1504", "upstream": "10.0.2.6:8080", "upstream_list": "10.0.2.5:8080, 10.0.2.6:8080", "upstream_status": "200", "upstream_status_list": "502, 200", "upstream_latency_ms": "1503", "upstream_time_list": "1.002, 0.501"},
			msg:  "POST /api/pay HTTP/1.1 200", lvl: "info",
		},
		{
			name: "internal redirect list",
			line: `10.0.0.7 - - [15/Aug/2023:14:22:17 +0200] "GET /img/a.png HTTP/2.0" 404 0 "-" "Mozilla/5.0" 0.004 0.002 : 0.001 10.0.3.1:80 : 10.0.3.2:80 404 : 404`,
			want: map[string]string{"latency_ms": "4", "upstream_latency_ms": "3", "upstream": "10.0.3.2:80", "upstream_list": "10.0.3.1:80 : 10.0.3.2:80", "upstream_status": "404", "upstream_status_list": "404 : 404", "protocol": "HTTP/2.0"},
			msg:  "GET /img/a.png HTTP/2.0 404", lvl: "warn",
		},
		{
			name: "key=value timing (nginx upstream timing format)",
			line: `10.0.0.7 - - [15/Aug/2023:14:22:17 +0000] "GET /api/orders?id=7 HTTP/1.1" 200 1327 "https://shop.example.com/" "Mozilla/5.0 (X11; Linux x86_64)" "198.51.100.4, 10.0.0.1" rt=0.123 uct="0.000" uht="0.010" urt="0.011"`,
			want: map[string]string{"latency_ms": "123", "upstream_connect_ms": "0", "upstream_header_ms": "10", "upstream_latency_ms": "11", "forwarded_for": "198.51.100.4, 10.0.0.1", "referrer": "https://shop.example.com/", "path": "/api/orders?id=7"},
			msg:  "GET /api/orders?id=7 HTTP/1.1 200", lvl: "info",
		},
		{
			name: "key=value upstream fields",
			line: `10.0.0.7 - bob [15/Aug/2023:14:22:17 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8.1.2" host=api.example.com rt=0.030 ua="10.0.2.5:8080, 10.0.2.6:8080" us="502, 502" urt="0.010, 0.020" cs=MISS request_id=0f1e2d3c4b5a69788796a5b4c3d2e1f0`,
			want: map[string]string{"user": "bob", "host": "api.example.com", "latency_ms": "30", "upstream": "10.0.2.6:8080", "upstream_list": "10.0.2.5:8080, 10.0.2.6:8080", "upstream_status": "502", "upstream_status_list": "502, 502", "upstream_latency_ms": "30", "cache_status": "MISS", "request_id": "0f1e2d3c4b5a69788796a5b4c3d2e1f0"},
			msg:  "GET / HTTP/1.1 502", lvl: "error",
		},
		{
			name: "no upstream (served locally)",
			line: `10.0.0.7 - - [15/Aug/2023:14:22:17 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.27" 0.000 - - -`,
			want: map[string]string{"latency_ms": "0", "upstream": "", "upstream_status": "", "upstream_latency_ms": ""},
			msg:  "GET /health HTTP/1.1 200", lvl: "info",
		},
		{
			name: "unix socket upstream",
			line: `10.0.0.7 - - [15/Aug/2023:14:22:17 +0000] "GET /index.php HTTP/1.1" 504 167 "-" "curl/8.1.2" 60.001 60.000 unix:/run/php/php8.2-fpm.sock 504`,
			want: map[string]string{"latency_ms": "60001", "upstream_latency_ms": "60000", "upstream": "unix:/run/php/php8.2-fpm.sock", "upstream_status": "504"},
			msg:  "GET /index.php HTTP/1.1 504", lvl: "error",
		},
		{
			name: "Apache common (no referrer, no user agent)",
			line: `127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326`,
			want: map[string]string{"client": "127.0.0.1", "user": "frank", "bytes": "2326", "user_agent": ""},
			msg:  "GET /apache_pb.gif HTTP/1.0 200", lvl: "info",
		},
		{
			name: "syslog-wrapped ($time_iso8601)",
			line: `Aug 15 14:22:17 web1 nginx: 198.51.100.23 - - [2023-08-15T14:22:17+02:00] "GET /login HTTP/1.1" 401 25 "-" "python-requests/2.31.0" 0.002`,
			want: map[string]string{"client": "198.51.100.23", "host": "", "status": "401", "latency_ms": "2"},
			msg:  "GET /login HTTP/1.1 401", lvl: "warn",
		},
		{
			name: "old ingress-nginx $the_real_ip",
			line: `104.156.229.24 - [203.0.113.9] - - [25/Jun/2018:15:26:49 +0000] "GET /pro/ HTTP/1.1" 200 4180 "-" "updown.io daemon 2.2" 522 1.683 [apps-web] 172.20.84.227:5000 16631 1.684 200 f5981fc9e19566a250f13d8fa7cbce60`,
			want: map[string]string{"client": "203.0.113.9", "latency_ms": "1683", "upstream": "172.20.84.227:5000", "upstream_latency_ms": "1684", "upstream_status": "200", "request_id": "f5981fc9e19566a250f13d8fa7cbce60"},
			msg:  "GET /pro/ HTTP/1.1 200", lvl: "info",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs, st := decodeText(t, "nginx-access", "", c.line+"\n")
			if len(evs) != 1 || st.Events != 1 || evs[0].Unparsed {
				t.Fatalf("events %d: %s", len(evs), gatewayDump(evs))
			}
			e := &evs[0]
			for k, v := range c.want {
				gatewayField(t, c.name, e, k, v)
			}
			if e.Message != c.msg || string(e.Level) != c.lvl {
				t.Errorf("message %q level %s, want %q %s", e.Message, e.Level, c.msg, c.lvl)
			}
			if !e.Zoned {
				t.Errorf("not zoned")
			}
		})
	}
}

// TestNginxMixedStream reads what `docker logs` prints for the official
// nginx image: the entrypoint's lines, error-log lines (stderr) and access
// lines (stdout) interleaved.
func TestNginxMixedStream(t *testing.T) {
	text := strings.Join([]string{
		`/docker-entrypoint.sh: Configuration complete; ready for start up`,
		`2023/08/15 14:22:10 [notice] 1#1: using the "epoll" event method`,
		`2023/08/15 14:22:10 [notice] 1#1: nginx/1.25.2`,
		`10.0.0.7 - - [15/Aug/2023:14:22:17 +0000] "GET /x HTTP/1.1" 502 157 "-" "curl/8.1.2" "-"`,
		`2023/08/15 14:22:17 [error] 29#29: *3 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.7, server: api.example.com, request: "GET /x HTTP/1.1", upstream: "http://10.0.2.5:8080/x", host: "api.example.com"`,
		`10.0.0.7 - - [15/Aug/2023:14:22:18 +0000] "GET /y HTTP/1.1" 200 15 "-" "curl/8.1.2" "-"`,
	}, "\n") + "\n"
	evs, st := decodeText(t, "", "", text)
	if st.Format != "nginx-access" || st.Events != 5 || st.Unparsed != 1 {
		t.Fatalf("format %s events %d unparsed %d:\n%s", st.Format, st.Events, st.Unparsed, gatewayDump(evs))
	}
	e := &evs[4]
	if e.Level != "error" || e.Message[:9] != "connect()" {
		t.Fatalf("event 4: %s %q", e.Level, e.Message)
	}
	for k, v := range map[string]string{"errno": "111", "client": "10.0.0.7", "server": "api.example.com", "upstream": "10.0.2.5:8080", "upstream_url": "http://10.0.2.5:8080/x", "target": "10.0.2.5:8080", "method": "GET", "path": "/x", "pid": "29", "tid": "29", "connection_id": "3", "host": "api.example.com"} {
		gatewayField(t, "error line", e, k, v)
	}
	if evs[3].Level != "error" || evs[3].Message != "GET /x HTTP/1.1 502" {
		t.Errorf("access line: %s %q", evs[3].Level, evs[3].Message)
	}
}

// TestNginxErrorLines covers error-log messages beyond Filebeat's sample:
// upstream timeouts, "connect() to" with the address in the message, the
// levels nginx writes, and a multi-line message whose "client:" list ends
// the last line.
func TestNginxErrorLines(t *testing.T) {
	text := strings.Join([]string{
		`2023/08/15 14:22:17 [error] 31#31: *1205 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.9, server: _, request: "POST /api/report HTTP/1.1", upstream: "http://10.0.2.7:9000/api/report", host: "reports.example.com", referrer: "https://reports.example.com/"`,
		`2023/08/15 14:22:18 [crit] 31#31: *1210 connect() to unix:/run/php/php-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 10.0.0.9, server: _, request: "GET /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php-fpm.sock:", host: "www.example.com"`,
		`2023/08/15 14:22:19 [emerg] 1#1: host not found in upstream "api:8080" in /etc/nginx/conf.d/default.conf:12`,
		`2023/08/15 14:22:20 [error] 31#31: *1300 no live upstreams while connecting to upstream, client: 10.0.0.9, server: _, request: "GET / HTTP/1.1", upstream: "http://backend/", host: "www.example.com"`,
		`2023/08/15 14:22:21 [error] 31#31: *1301 FastCGI sent in stderr: "PHP message: PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /var/www/index.php:3`,
		`Stack trace:`,
		`#0 {main}`,
		`  thrown in /var/www/index.php on line 3" while reading response header from upstream, client: 10.0.0.9, server: _, request: "GET /index.php HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "www.example.com"`,
	}, "\n") + "\n"
	evs, st := decodeText(t, "nginx-error", "+02:00", text)
	if st.Events != 5 || st.Continuation != 3 || st.Unparsed != 0 {
		t.Fatalf("events %d continuation %d unparsed %d:\n%s", st.Events, st.Continuation, st.Unparsed, gatewayDump(evs))
	}
	checks := []struct {
		lvl  string
		want map[string]string
	}{
		{"error", map[string]string{"errno": "110", "upstream": "10.0.2.7:9000", "target": "", "server": "_", "referrer": "https://reports.example.com/", "method": "POST", "path": "/api/report"}},
		{"error", map[string]string{"errno": "2", "target": "unix:/run/php/php-fpm.sock", "upstream": "unix:/run/php/php-fpm.sock", "connection_id": "1210"}},
		{"fatal", map[string]string{"connection_id": "", "pid": "1", "tid": "1"}},
		{"error", map[string]string{"upstream": "backend", "target": "backend"}},
		{"error", map[string]string{"client": "10.0.0.9", "upstream": "127.0.0.1:9000", "path": "/index.php"}},
	}
	for i, c := range checks {
		if string(evs[i].Level) != c.lvl {
			t.Errorf("event %d level %s, want %s", i, evs[i].Level, c.lvl)
		}
		for k, v := range c.want {
			gatewayField(t, fmt.Sprintf("event %d", i), &evs[i], k, v)
		}
	}
	if want := time.Date(2023, 8, 15, 12, 22, 17, 0, time.UTC); !evs[0].Time.Equal(want) || evs[0].Zoned {
		t.Errorf("time %v zoned %v, want %v", evs[0].Time, evs[0].Zoned, want)
	}
	if evs[4].Lines != 4 || !strings.HasSuffix(evs[4].Message, `host: "www.example.com"`) {
		t.Errorf("multi-line event: %d lines, %q", evs[4].Lines, evs[4].Message)
	}
}

// TestNginxIngressController reads an ingress-nginx pod log as kubectl
// prints it: the banner (which marks the input as an ingress controller's),
// klog lines, access lines in the current and the pre-0.24
// log format, nginx error lines, and a panic with its goroutine dump.
func TestNginxIngressController(t *testing.T) {
	text := strings.Join([]string{
		`-------------------------------------------------------------------------------`,
		`NGINX Ingress controller`,
		`  Release:       v1.8.1`,
		`  Build:         dc88dce9ea5e700f3301d16f971fa17c6cfe757d`,
		`  Repository:    https://github.com/kubernetes/ingress-nginx`,
		`  nginx version: nginx/1.21.6`,
		``,
		`-------------------------------------------------------------------------------`,
		``,
		`W0517 14:06:33.081513       7 client_config.go:618] Neither --kubeconfig nor --master was specified.  Using the inClusterConfig.  This might not work.`,
		`I0517 14:06:33.081698       7 main.go:209] "Creating API client" host="https://10.96.0.1:443"`,
		`I0517 14:06:34.239212       7 nginx.go:261] "Starting NGINX Ingress controller"`,
		`I0517 14:06:35.441832       7 controller.go:190] "Configuration changes detected, backend reload required"`,
		`E0517 14:06:36.120034       7 leaderelection.go:330] error retrieving resource lock ingress-nginx/ingress-nginx-leader: etcdserver: request timed out`,
		`2023/05/17 14:06:37 [error] 31#31: *8 upstream prematurely closed connection while reading response header from upstream, client: 10.244.0.1, server: shop.example.com, request: "GET /cart HTTP/1.1", upstream: "http://10.244.1.17:8080/cart", host: "shop.example.com"`,
		`10.244.0.1 - - [17/May/2023:14:06:37 +0000] "GET /cart HTTP/1.1" 502 150 "-" "Mozilla/5.0" 412 0.003 [shop-cart-8080] [] 10.244.1.17:8080 0 0.003 502 3f7a1c0e9b2d4a6c8e0f1a2b3c4d5e6f`,
		`10.244.0.1 - [10.244.0.1] - - [17/May/2023:14:06:38 +0000] "GET /cart HTTP/1.1" 200 932 "-" "Mozilla/5.0" 412 0.021 [shop-cart-8080] 10.244.1.18:8080 932 0.020 200 a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5`,
		`F0517 14:06:40.000001       7 main.go:120] panic: runtime error: invalid memory address or nil pointer dereference`,
		`goroutine 1 [running]:`,
		`main.main()`,
		`	/go/src/k8s.io/ingress-nginx/cmd/nginx/main.go:120 +0x1d4`,
	}, "\n") + "\n"
	evs, st := decodeText(t, "", "UTC", text)
	if st.Format != "nginx-ingress" {
		t.Fatalf("detected %s (%.2f), runner-up %s", st.Format, st.Confidence, st.RunnerUp)
	}
	// 7 banner lines are unparsed; 2 blank lines; 3 continuation lines of
	// the panic.
	if st.Events != 9 || st.Unparsed != 7 || st.Empty != 2 || st.Continuation != 3 {
		t.Fatalf("events %d unparsed %d empty %d continuation %d:\n%s", st.Events, st.Unparsed, st.Empty, st.Continuation, gatewayDump(evs))
	}
	parsed := gatewayParsed(evs)[1:]
	if parsed[0].Message != `"Creating API client" host="https://10.96.0.1:443"` || parsed[0].Level != "info" {
		t.Errorf("klog: %s %q", parsed[0].Level, parsed[0].Message)
	}
	gatewayField(t, "klog", &parsed[0], "file", "main.go:209")
	gatewayField(t, "klog", &parsed[0], "tid", "7")
	if want := time.Date(2023, 5, 17, 14, 6, 33, 81698000, time.UTC); !parsed[0].Time.Equal(want) || parsed[0].Precision != 6 {
		t.Errorf("klog time %v prec %d, want %v", parsed[0].Time, parsed[0].Precision, want)
	}
	if parsed[3].Level != "error" {
		t.Errorf("E line level %s", parsed[3].Level)
	}
	gatewayField(t, "nginx error", &parsed[4], "upstream", "10.244.1.17:8080")
	a := &parsed[5]
	for k, v := range map[string]string{"status": "502", "upstream": "10.244.1.17:8080", "upstream_status": "502", "upstream_name": "shop-cart-8080", "upstream_alternative_name": "", "latency_ms": "3", "request_id": "3f7a1c0e9b2d4a6c8e0f1a2b3c4d5e6f"} {
		gatewayField(t, "access", a, k, v)
	}
	old := &parsed[6]
	for k, v := range map[string]string{"status": "200", "client": "10.244.0.1", "upstream": "10.244.1.18:8080", "upstream_bytes": "932", "upstream_latency_ms": "20", "request_id": "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5"} {
		gatewayField(t, "old access", old, k, v)
	}
	if p := &parsed[7]; p.Level != "fatal" || p.Lines != 4 {
		t.Errorf("panic: %s, %d lines", p.Level, p.Lines)
	}

	// klog lines of another component are not claimed by nginx-ingress.
	klog := "I0517 14:06:33.081698       1 leaderelection.go:248] attempting to acquire leader lease kube-system/kube-scheduler...\n" +
		"I0517 14:06:50.105328       1 leaderelection.go:258] successfully acquired lease kube-system/kube-scheduler\n"
	if _, st := decodeText(t, "", "", klog); st.Format == "nginx-ingress" {
		t.Errorf("plain klog detected as nginx-ingress")
	}
	// klog lines before any evidence of ingress stay unparsed.
	early := `I0517 14:06:33.081698       7 main.go:209] "Creating API client" host="https://10.96.0.1:443"` + "\n" +
		`10.244.0.1 - - [17/May/2023:14:06:37 +0000] "GET /cart HTTP/1.1" 200 150 "-" "Mozilla/5.0" 412 0.003 [shop-cart-8080] [] 10.244.1.17:8080 150 0.003 200 3f7a1c0e9b2d4a6c8e0f1a2b3c4d5e6f` + "\n" +
		`I0517 14:06:38.441832       7 controller.go:190] "Configuration changes detected, backend reload required"` + "\n"
	if evs, st := decodeText(t, "nginx-ingress", "", early); st.Unparsed != 1 || st.Events != 2 || !evs[0].Unparsed {
		t.Errorf("early klog: unparsed %d events %d", st.Unparsed, st.Events)
	}
	// and plain combined lines are nginx-access, not nginx-ingress.
	if _, st := decodeText(t, "nginx-ingress", "", `1.2.3.4 - - [17/May/2023:14:06:38 +0000] "GET / HTTP/1.1" 200 1 "-" "curl/8.1.2"`+"\n"); st.Unparsed != 1 {
		t.Errorf("nginx-ingress took a plain combined line")
	}
}

// TestNginxAddresses checks the client chosen from an address region: the
// first public address of a list, else its first element.
func TestNginxAddresses(t *testing.T) {
	for _, tt := range []struct {
		region, client, host, list string
		multi                      bool
	}{
		{"10.0.0.7", "10.0.0.7", "", "10.0.0.7", false},
		{"198.51.100.4", "198.51.100.4", "", "198.51.100.4", false},
		{"not-an-ip", "not-an-ip", "", "not-an-ip", false},
		{"10.0.0.1, 198.51.100.4", "198.51.100.4", "", "10.0.0.1, 198.51.100.4", true},
		{"198.51.100.4, 10.0.0.1", "198.51.100.4", "", "198.51.100.4, 10.0.0.1", true},
		{"10.0.0.1, 10.0.0.2, 198.51.100.9", "198.51.100.9", "", "10.0.0.1, 10.0.0.2, 198.51.100.9", true},
		{"10.0.0.1, 198.51.100.8, 198.51.100.9", "198.51.100.8", "", "10.0.0.1, 198.51.100.8, 198.51.100.9", true},
		{"10.0.0.1, 10.0.0.2", "10.0.0.1", "", "10.0.0.1, 10.0.0.2", true},
		{"api.example.com 10.0.0.1, 198.51.100.4", "198.51.100.4", "api.example.com", "10.0.0.1, 198.51.100.4", true},
		{"api.example.com 10.0.0.1", "10.0.0.1", "api.example.com", "10.0.0.1", false},
		{`"10.0.0.1,198.51.100.4"`, "198.51.100.4", "", `"10.0.0.1,198.51.100.4"`, true},
		{"104.156.229.24 - [203.0.113.9]", "203.0.113.9", "", "104.156.229.24", false},
	} {
		raw := "x " + tt.region + " y"
		host, list, client, multi := nginxAddresses(raw, 2, 2+len(tt.region))
		span := func(p [2]int) string { return raw[p[0]:p[1]] }
		if span(client) != tt.client || span(host) != tt.host || span(list) != tt.list || multi != tt.multi {
			t.Errorf("nginxAddresses(%q) = host %q, list %q, client %q, multi %v; want %q, %q, %q, %v",
				tt.region, span(host), span(list), span(client), multi, tt.host, tt.list, tt.client, tt.multi)
		}
	}
}

// TestNginxUpCheck checks the upstream look-up of an access line's tail:
// it finds an upstream among the fields present at the start and among
// those added or given new values after a look, as ev.Get does.
func TestNginxUpCheck(t *testing.T) {
	tests := []struct {
		name  string
		start []string // keys present before the first look
		later []string // keys added after the first look (one per look)
		want  []bool   // has, at the first look and after each addition
	}{
		{name: "none", start: []string{"client", "status"}, later: []string{"bytes"}, want: []bool{false, false}},
		{name: "present", start: []string{"client", "upstream"}, later: []string{"bytes"}, want: []bool{true, true}},
		{name: "added", start: []string{"client"}, later: []string{"latency_ms", "upstream", "upstream_status"}, want: []bool{false, false, true, true}},
		{name: "empty", later: []string{"upstream"}, want: []bool{false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := &event.Event{}
			for _, k := range tt.start {
				ev.Set(k, "v")
			}
			var c nginxUpCheck
			got := []bool{c.has(ev)}
			for _, k := range tt.later {
				ev.Set(k, "v")
				ev.Set("client", "other") // a new value for a field looked at
				got = append(got, c.has(ev))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("has = %v, want %v", got, tt.want)
			}
			_, want := ev.Get("upstream")
			if got[len(got)-1] != want {
				t.Errorf("has = %v at the end, Get says %v", got[len(got)-1], want)
			}
		})
	}
}
