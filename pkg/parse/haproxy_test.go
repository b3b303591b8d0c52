package parse

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestHAProxyBeats checks every expected event of Filebeat's haproxy test
// files. They have no @timestamp (the syslog header has no year), so the
// time is checked against the accept date each line carries (read in the
// -02:00 zone Filebeat ran in), or against the header for the one line
// without an accept date.
func TestHAProxyBeats(t *testing.T) {
	files := []struct {
		name  string
		times []string
	}{
		{"beats/haproxy/log/default.log", []string{"2022-09-20T17:42:59Z"}}, // Sep is after the file time's Aug 2023
		{"beats/haproxy/log/haproxy.log", []string{"2018-07-30T11:03:52.726Z"}},
		{"beats/haproxy/log/httplog-no-headers.log", []string{"2018-12-10T14:01:46.395Z", "2018-12-10T17:46:49.497Z", "2018-12-10T17:48:56.017Z"}},
		{"beats/haproxy/log/tcplog.log", []string{"2018-09-20T17:44:23.285Z"}},
	}
	total := 0
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			text := gatewayCorpus(t, f.name)
			exp := gatewayExpected(t, f.name+"-expected.json")
			evs, st := decodeText(t, "haproxy", "-02:00", text)
			if len(evs) != len(exp) || st.Unparsed != 0 || len(f.times) != len(exp) {
				t.Fatalf("%d events (%d unparsed), want %d:\n%s", len(evs), st.Unparsed, len(exp), gatewayDump(evs))
			}
			for i, x := range exp {
				e := &evs[i]
				where := fmt.Sprintf("%s event %d", f.name, i)
				gatewayCheckBeatsCommon(t, where, e, x)
				if !e.Time.Equal(mustTime(t, f.times[i])) {
					t.Errorf("%s: time %v, want %s", where, e.Time, f.times[i])
				}
				gatewayField(t, where, e, "pid", gatewayStr(x["process.pid"]))
				gatewayField(t, where, e, "program", "haproxy")
				gatewayField(t, where, e, "client", gatewayStr(x["source.address"]))
				gatewayField(t, where, e, "client_port", gatewayStr(x["source.port"]))
				gatewayField(t, where, e, "frontend", strings.TrimSuffix(gatewayStr(x["haproxy.frontend_name"]), "~"))
				gatewayField(t, where, e, "backend", gatewayStr(x["haproxy.backend_name"]))
				gatewayField(t, where, e, "server", gatewayStr(x["haproxy.server_name"]))
				gatewayField(t, where, e, "status", gatewayStr(x["http.response.status_code"]))
				gatewayField(t, where, e, "bytes", gatewayStr(x["haproxy.bytes_read"]))
				gatewayField(t, where, e, "termination_state", gatewayStr(x["haproxy.termination_state"]))
				gatewayField(t, where, e, "tq", gatewayStr(x["haproxy.http.request.time_wait_ms"]))
				gatewayField(t, where, e, "tw", gatewayStr(x["haproxy.total_waiting_time_ms"]))
				gatewayField(t, where, e, "tc", gatewayStr(x["haproxy.connection_wait_time_ms"]))
				gatewayField(t, where, e, "tr", gatewayStr(x["haproxy.http.request.time_wait_without_data_ms"]))
				if d, ok := x["event.duration"].(float64); ok {
					gatewayField(t, where, e, "tt", gatewayStr(d/1e6))
					gatewayField(t, where, e, "latency_ms", gatewayStr(d/1e6))
				}
				gatewayField(t, where, e, "actconn", gatewayStr(x["haproxy.connections.active"]))
				gatewayField(t, where, e, "feconn", gatewayStr(x["haproxy.connections.frontend"]))
				gatewayField(t, where, e, "beconn", gatewayStr(x["haproxy.connections.backend"]))
				gatewayField(t, where, e, "srv_conn", gatewayStr(x["haproxy.connections.server"]))
				gatewayField(t, where, e, "retries", gatewayStr(x["haproxy.connections.retries"]))
				gatewayField(t, where, e, "srv_queue", gatewayStr(x["haproxy.server_queue"]))
				gatewayField(t, where, e, "backend_queue", gatewayStr(x["haproxy.backend_queue"]))
				gatewayField(t, where, e, "mode", gatewayStr(x["haproxy.mode"]))
				if ip := gatewayStr(x["destination.ip"]); ip != "" {
					gatewayField(t, where, e, "frontend_addr", ip+":"+gatewayStr(x["destination.port"]))
				}
				if hs, ok := x["haproxy.http.request.captured_headers"].([]any); ok {
					got, _ := e.Get("request_headers")
					for _, h := range hs {
						if !strings.Contains(got, gatewayStr(h)) {
							t.Errorf("%s: request_headers %q lacks %v", where, got, h)
						}
					}
				}
				if rl := gatewayStr(x["haproxy.http.request.raw_request_line"]); rl != "" {
					m, _ := e.Get("method")
					p, _ := e.Get("path")
					pr, _ := e.Get("protocol")
					if m+" "+p+" "+pr != rl {
						t.Errorf("%s: request %q %q %q, want %q", where, m, p, pr, rl)
					}
					if want := rl + " " + gatewayStr(x["http.response.status_code"]); e.Message != want {
						t.Errorf("%s: message %q, want %q", where, e.Message, want)
					}
				}
				switch x["event.outcome"] {
				case "failure":
					if e.Level != "error" {
						t.Errorf("%s: level %s for a failure", where, e.Level)
					}
				case "success":
					if e.Level != "info" {
						t.Errorf("%s: level %s for a success", where, e.Level)
					}
				}
				total++
			}
			_, det := decodeText(t, "", "-02:00", text)
			if det.Format != "haproxy" {
				t.Errorf("detected %q (%.2f), want haproxy; runner-up %q", det.Format, det.Confidence, det.RunnerUp)
			}
		})
	}
	t.Logf("checked %d expected events", total)
}

// TestHAProxyLnav reads lnav's HAProxy sample: start-up lines, HTTP lines
// with captured headers, and an SSL handshake failure.
func TestHAProxyLnav(t *testing.T) {
	text := gatewayCorpus(t, "lnav/test/logfile_haproxy.0")
	evs, st := decodeText(t, "", "UTC", text)
	if st.Format != "haproxy" || st.Events != 17 || st.Unparsed != 0 {
		t.Fatalf("format %s events %d unparsed %d", st.Format, st.Events, st.Unparsed)
	}
	gatewayField(t, "line 1", &evs[0], "proxy", "prod_http_in")
	if evs[0].Message != "Proxy prod_http_in started." || evs[0].Level != "info" {
		t.Errorf("line 1: %s %q", evs[0].Level, evs[0].Message)
	}
	e := &evs[3]
	if !e.Time.Equal(time.Date(2019, 2, 25, 16, 19, 48, 143e6, time.UTC)) || e.Precision != 3 {
		t.Errorf("line 4 time %v (accept date 25/Feb/2019:16:19:48.143)", e.Time)
	}
	for k, v := range map[string]string{"client": "141.35.244.171", "client_port": "53332", "frontend": "prod_http_in", "backend": "bk_admin", "server": "nginx_sonst", "tq": "0", "tw": "0", "tc": "7", "tr": "1457", "tt": "1487", "latency_ms": "1487", "status": "200", "bytes": "11394", "termination_state": "----", "actconn": "2", "feconn": "1", "request_headers": "Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:65.0) Gecko/20100101 Firefox/65.0", "response_headers": "", "host": "192.168.4.2", "pid": "7", "method": "GET"} {
		gatewayField(t, "line 4", e, k, v)
	}
	ssl := &evs[13]
	if ssl.Message != "SSL handshake failure" || ssl.Level != "warn" || !ssl.Time.Equal(time.Date(2019, 2, 25, 16, 20, 10, 111e6, time.UTC)) {
		t.Errorf("line 14: %v %s %q", ssl.Time, ssl.Level, ssl.Message)
	}
	gatewayField(t, "line 14", ssl, "frontend", "prod_http_in")
	gatewayField(t, "line 14", ssl, "bind", "sktst2")
	gatewayField(t, "line 14", ssl, "client", "95.216.197.33")
}

// TestHAProxyLines: server state messages, headers of each syslog flavour,
// stdout logging without a header, stderr lines of HAProxy < 2.4, year
// continuity between accept dates and header-only lines, and lines of
// other programs. Message texts follow HAProxy's (checks.c, server.c,
// proxy.c, backend.c).
func TestHAProxyLines(t *testing.T) {
	text := strings.Join([]string{
		`Sep 20 15:44:23 lb1 haproxy[1234]: 10.0.0.7:52345 [20/Sep/2023:15:44:23.123] fe_https~ be_api/api1 0/0/1/12/13 503 212 - - ---- 1/1/0/0/0 0/0 {api.example.com} "GET /x HTTP/1.1"`,
		`Sep 20 15:44:24 lb1 haproxy[1234]: Server be_api/api1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		`Sep 20 15:44:24 lb1 haproxy[1234]: backend be_api has no server available!`,
		`Sep 20 15:44:30 lb1 haproxy[1234]: Health check for server be_api/api2 failed, reason: Layer7 wrong status, code: 500, info: "Internal Server Error", check duration: 3ms, status: 2/3 UP.`,
		`Sep 20 15:44:35 lb1 haproxy[1234]: Server be_api/api1 is UP, reason: Layer7 check passed, code: 200, check duration: 2ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`,
		`Sep 20 15:44:36 lb1 haproxy[1234]: 10.0.0.9:40962 [20/Sep/2023:15:44:36.285] pg_front pg_back/pg1 1/0/+5 212 CD 1/1/0/0/0 0/0`,
		`Sep 20 15:44:37 lb1 haproxy[1234]: 10.0.0.9:40963 [20/Sep/2023:15:44:37.001] fe_https~ be_api/api1 0/0/-1/-1/3001 504 194 - - sH-- 1/1/0/0/3 0/0 "POST /slow HTTP/1.1"`,
		`<129>Sep 20 15:44:38 haproxy[1234]: Server be_api/api2 is DOWN, reason: Layer7 timeout, check duration: 2001ms. 0 active and 0 backup servers left.`,
		`<134>1 2023-09-20T15:44:39.512+02:00 lb2 haproxy 1234 - - 10.0.0.10:5000 [20/Sep/2023:15:44:39.500] fe be/s1 0/0/0/1/1 200 10 - - ---- 1/1/0/1/0 0/0 "GET / HTTP/1.1"`,
		`2023-09-20T15:44:40.000123+02:00 lb3 haproxy[77]: Proxy fe_https started.`,
		`Sep 20 15:44:41 lb1 systemd[1]: Reloading HAProxy Load Balancer.`,
	}, "\n") + "\n"
	// A foreign line costs detection more than 5% here (Detect counts
	// what the format reads, and generic reads everything), so detection
	// is checked without it; the format hands it to the generic fallback.
	if _, st := decodeText(t, "", "+02:00", text[:strings.LastIndex(text[:len(text)-1], "\n")+1]); st.Format != "haproxy" {
		t.Errorf("detected %s (%.2f)", st.Format, st.Confidence)
	}
	evs, st := decodeText(t, "haproxy", "+02:00", text)
	if st.Format != "haproxy" || st.Events != 11 || st.Unparsed != 0 || st.Formats["generic"] != 1 {
		t.Fatalf("format %s events %d unparsed %d formats %v:\n%s", st.Format, st.Events, st.Unparsed, st.Formats, gatewayDump(evs))
	}
	checks := []struct {
		time, lvl, msg string
		want           map[string]string
	}{
		{"2023-09-20T13:44:23.123Z", "error", "GET /x HTTP/1.1 503", map[string]string{"frontend": "fe_https", "host": "lb1", "request_headers": "api.example.com", "tt": "13", "latency_ms": "13"}},
		{"2023-09-20T13:44:24Z", "error", "", map[string]string{"backend": "be_api", "server": "api1", "reason": "Layer4 connection problem", "check_info": "Connection refused"}},
		{"2023-09-20T13:44:24Z", "error", "backend be_api has no server available!", map[string]string{"backend": "be_api"}},
		{"2023-09-20T13:44:30Z", "warn", "", map[string]string{"backend": "be_api", "server": "api2", "reason": "Layer7 wrong status", "check_info": "Internal Server Error"}},
		{"2023-09-20T13:44:35Z", "notice", "", map[string]string{"server": "api1"}},
		{"2023-09-20T13:44:36.285Z", "warn", "pg_front pg_back/pg1 1/0/+5 212 CD 1/1/0/0/0 0/0", map[string]string{"tw": "1", "tc": "0", "tt": "+5", "latency_ms": "5", "bytes": "212", "termination_state": "CD", "status": ""}},
		{"2023-09-20T13:44:37.001Z", "error", "POST /slow HTTP/1.1 504", map[string]string{"tc": "-1", "tr": "-1", "retries": "3", "termination_state": "sH--"}},
		{"2023-09-20T13:44:38Z", "fatal", "", map[string]string{"host": "", "program": "haproxy", "server": "api2"}},
		{"2023-09-20T13:44:39.5Z", "info", "GET / HTTP/1.1 200", map[string]string{"host": "lb2", "program": "haproxy", "pid": "1234", "srv_conn": "1"}},
		{"2023-09-20T13:44:40.000123Z", "info", "Proxy fe_https started.", map[string]string{"proxy": "fe_https", "host": "lb3", "pid": "77"}},
	}
	for i, c := range checks {
		e := &evs[i]
		if !e.Time.Equal(mustTime(t, c.time)) || string(e.Level) != c.lvl || c.msg != "" && e.Message != c.msg {
			t.Errorf("event %d: %v %s %q, want %s %s %q", i, e.Time, e.Level, e.Message, c.time, c.lvl, c.msg)
		}
		for k, v := range c.want {
			gatewayField(t, fmt.Sprintf("event %d", i), e, k, v)
		}
	}
	if evs[10].Format != "generic" {
		t.Errorf("systemd line read by %s", evs[10].Format)
	}

	// stdout ("log stdout format raw") and stderr of HAProxy 2.0 in a
	// container; an accept date sets the year for the stderr stamps (day
	// 263 of 2019 is Sep 20). HAProxy 2.4+'s time-less stderr lines stay
	// unparsed.
	stdout := strings.Join([]string{
		`10.0.0.7:52345 [20/Sep/2019:15:44:23.123] fe be/s1 0/0/1/12/13 200 212 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`,
		`[WARNING] 263/154424 (1) : Server be/s1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		`[ALERT] 263/154424 (1) : backend 'be' has no server available!`,
		`[NOTICE]   (1) : haproxy version is 2.4.22-f8e3218`,
	}, "\n") + "\n"
	evs, st = decodeText(t, "", "UTC", stdout)
	if st.Format != "haproxy" || st.Events != 3 || st.Unparsed != 1 {
		t.Fatalf("stdout: format %s events %d unparsed %d:\n%s", st.Format, st.Events, st.Unparsed, gatewayDump(evs))
	}
	if !evs[1].Time.Equal(time.Date(2019, 9, 20, 15, 44, 24, 0, time.UTC)) || evs[1].Level != "error" || evs[2].Level != "fatal" {
		t.Errorf("stderr: %v %s / %s", evs[1].Time, evs[1].Level, evs[2].Level)
	}
	gatewayField(t, "stderr", &evs[1], "server", "s1")
	gatewayField(t, "stderr", &evs[1], "pid", "1")

	// a header-only line after accept dates takes their year
	cont := `Dec 31 23:59:59 lb1 haproxy[9]: 10.0.0.7:1 [31/Dec/2019:23:59:59.900] fe be/s1 0/0/1/12/13 200 212 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"` + "\n" +
		`Jan  1 00:00:01 lb1 haproxy[9]: Server be/s1 is DOWN, reason: Layer4 timeout, check duration: 2001ms. 0 active and 0 backup servers left.` + "\n"
	evs, _ = decodeText(t, "haproxy", "UTC", cont)
	if len(evs) != 2 || !evs[1].Time.Equal(time.Date(2020, 1, 1, 0, 0, 1, 0, time.UTC)) {
		t.Errorf("year continuity: %s", gatewayDump(evs))
	}
}
