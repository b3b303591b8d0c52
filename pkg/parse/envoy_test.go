package parse

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// TestEnvoyDatadogSamples checks every sample of Datadog's Envoy log
// pipeline test: time (epoch ms), level, and the attributes it extracts.
func TestEnvoyDatadogSamples(t *testing.T) {
	var doc struct {
		Tests []struct {
			Sample string `yaml:"sample"`
			Result struct {
				Message   string         `yaml:"message"`
				Status    string         `yaml:"status"`
				Timestamp int64          `yaml:"timestamp"`
				Custom    map[string]any `yaml:"custom"`
			} `yaml:"result"`
		} `yaml:"tests"`
	}
	const f = "datadog-integrations-core/envoy/assets/logs/envoy_tests.yaml"
	if err := yaml.Unmarshal([]byte(gatewayCorpus(t, f)), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Tests) != 5 {
		t.Fatalf("%d samples, want 5", len(doc.Tests))
	}
	levels := map[string]string{"ok": "info", "warn": "warn", "error": "error", "info": "info"}
	access := 0
	for n, c := range doc.Tests {
		where := fmt.Sprintf("sample %d", n)
		id := "envoy-access"
		if !strings.Contains(c.Sample, `] "`) {
			id = "envoy-app"
		}
		evs, st := decodeText(t, id, "UTC", c.Sample+"\n")
		if len(evs) != 1 || evs[0].Unparsed {
			t.Fatalf("%s: %d events, %d unparsed", where, len(evs), st.Unparsed)
		}
		e := &evs[0]
		if got := e.Time.UnixMilli(); got != c.Result.Timestamp {
			t.Errorf("%s: time %d (%v), want %d", where, got, e.Time, c.Result.Timestamp)
		}
		if want := levels[c.Result.Status]; string(e.Level) != want {
			t.Errorf("%s: level %s, want %s", where, e.Level, want)
		}
		if _, det := decodeText(t, "", "UTC", c.Sample+"\n"); det.Format != id {
			t.Errorf("%s: detected %s, want %s", where, det.Format, id)
		}
		cu := c.Result.Custom
		if id == "envoy-app" {
			if e.Message != c.Result.Message {
				t.Errorf("%s: message %q, want %q", where, e.Message, c.Result.Message)
			}
			gatewayField(t, where, e, "file", fmt.Sprintf("%v:%v", cu["filename"], cu["line_number"]))
			gatewayField(t, where, e, "component", "runtime")
			gatewayField(t, where, e, "thread", "1")
			continue
		}
		access++
		h := cu["http"].(map[string]any)
		net := cu["network"].(map[string]any)
		resp := cu["response"].(map[string]any)
		gatewayField(t, where, e, "method", gatewayStr(h["method"]))
		gatewayField(t, where, e, "path", gatewayStr(h["url"]))
		gatewayField(t, where, e, "protocol", gatewayStr(h["protocol"]))
		gatewayField(t, where, e, "status", gatewayStr(h["status_code"]))
		gatewayField(t, where, e, "forwarded_for", gatewayStr(h["_x_forwarded_for"]))
		gatewayField(t, where, e, "user_agent", gatewayStr(h["useragent"]))
		gatewayField(t, where, e, "request_id", gatewayStr(h["request_id"]))
		gatewayField(t, where, e, "authority", gatewayStr(h["authority"]))
		gatewayField(t, where, e, "bytes_in", gatewayStr(net["bytes_read"]))
		gatewayField(t, where, e, "bytes_out", gatewayStr(net["bytes_written"]))
		gatewayField(t, where, e, "latency_ms", gatewayStr(cu["duration"].(float64)/1e6))
		gatewayField(t, where, e, "upstream_latency_ms", gatewayStr(resp["x_envoy_upstream_service_time"]))
		// Datadog's grok folds the Istio fields into "flags" and
		// "upstream_host"; their first words are Envoy's.
		fl, _ := resp["flags"].(string)
		gatewayField(t, where, e, "response_flags", strings.Fields(fl)[0])
		up, _ := cu["upstream_host"].(string)
		gatewayField(t, where, e, "upstream", strings.Trim(strings.Fields(up)[0], `"`))
		if rest := strings.Fields(up)[1:]; len(rest) > 0 {
			gatewayField(t, where, e, "upstream_cluster", rest[0])
			gatewayField(t, where, e, "downstream_local_address", rest[2])
			gatewayField(t, where, e, "downstream_remote_address", rest[3])
			h, _ := gatewaySplitHostPort(rest[3])
			gatewayField(t, where, e, "client", h)
		}
		want := fmt.Sprintf("%v %v %v %v", h["method"], h["url"], h["protocol"], h["status_code"])
		if e.Message != want {
			t.Errorf("%s: message %q, want %q", where, e.Message, want)
		}
	}
	if access != 4 {
		t.Errorf("%d access samples", access)
	}
}

// TestEnvoyAccessVariants: response flags, Istio 1.9+ fields, the TCP
// proxy's "- - -" request, and lines in a mixed istio-proxy stream. The
// Istio line is the one quoted in istio/istio#45802 with its start time.
func TestEnvoyAccessVariants(t *testing.T) {
	text := strings.Join([]string{
		`[2023-07-05T10:11:12.345Z] "GET /v1/status HTTP/1.1" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 0 95 0 - "10.90.16.220" "Apache-HttpClient/4.5.1 (Java/1.8.0_372)" "3a7cbcc1-af72-47fb-bbac-a7672951f50f" "health.abc.com" "10.80.47.192:8181" outbound|80||health-api.production.svc.cluster.local 10.80.45.233:37132 10.80.45.233:80 10.80.46.220:59375 - -`,
		`[2023-07-05T10:11:13.001Z] "- - -" 0 UF,URX - - "-" 0 0 10001 - "-" "-" "-" "-" "10.80.47.193:5432" outbound|5432||db.production.svc.cluster.local - 10.96.3.4:5432 10.80.46.220:40112 - -`,
		`[2023-07-05T10:11:14.500Z] "POST /api/orders HTTP/2" 200 - via_upstream - "-" 312 48 27 26 "-" "grpc-go/1.56.2" "5b0f5c7e-2a41-4c8e-b0c9-b1a2c3d4e5f6" "orders:9090" "10.80.47.200:9090" inbound|9090|| 127.0.0.6:41233 10.80.47.200:9090 10.80.46.220:35678 outbound_.9090_._.orders.production.svc.cluster.local default`,
		`[2023-07-05T10:11:15.000Z] "GET /favicon.ico HTTP/1.1" 404 NR route_not_found - "-" 0 0 0 - "-" "Mozilla/5.0" "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f" "www.example.com" "-" - - 10.80.45.233:80 10.80.46.220:59377 - -`,
		`[2023-07-05 10:11:16.100][24][warning][config] [external/envoy/source/common/config/grpc_stream.h:201] StreamAggregatedResources gRPC config stream to xds-grpc closed since 32s ago: 14, connection error: desc = "transport: Error while dialing: dial tcp 10.96.0.10:15012: connect: connection refused"`,
		`[2023-07-05 10:11:16.200][24][debug][http] [external/envoy/source/common/http/conn_manager_impl.cc:867] [C1175][S2595374538763107673] request headers complete (end_stream=true):`,
		`':authority', 'health.abc.com'`,
		`':path', '/v1/status'`,
	}, "\n") + "\n"
	evs, st := decodeText(t, "", "UTC", text)
	if st.Format != "envoy-access" || st.Events != 6 || st.Continuation != 2 || st.Unparsed != 0 {
		t.Fatalf("format %s events %d continuation %d unparsed %d:\n%s", st.Format, st.Events, st.Continuation, st.Unparsed, gatewayDump(evs))
	}
	checks := []struct {
		lvl, msg string
		want     map[string]string
	}{
		{"error", "GET /v1/status HTTP/1.1 503 UC", map[string]string{"response_flags": "UC", "response_code_details": "upstream_reset_before_response_started{connection_termination}", "termination_details": "", "upstream_failure_reason": "", "bytes_in": "0", "bytes_out": "95", "latency_ms": "0", "upstream_latency_ms": "", "forwarded_for": "10.90.16.220", "upstream": "10.80.47.192:8181", "upstream_cluster": "outbound|80||health-api.production.svc.cluster.local", "client": "10.80.46.220", "target": ""}},
		{"error", "- - - 0 UF,URX", map[string]string{"method": "", "path": "", "status": "0", "latency_ms": "10001", "upstream": "10.80.47.193:5432", "target": "10.80.47.193:5432", "upstream_cluster": "outbound|5432||db.production.svc.cluster.local"}},
		{"info", "POST /api/orders HTTP/2 200", map[string]string{"response_code_details": "via_upstream", "latency_ms": "27", "upstream_latency_ms": "26", "route_name": "default", "requested_server_name": "outbound_.9090_._.orders.production.svc.cluster.local", "upstream_local_address": "127.0.0.6:41233"}},
		{"error", "GET /favicon.ico HTTP/1.1 404 NR", map[string]string{"response_flags": "NR", "upstream": "", "authority": "www.example.com"}},
		{"warn", "", map[string]string{"component": "config", "thread": "24", "file": "external/envoy/source/common/config/grpc_stream.h:201"}},
		{"debug", "", map[string]string{"component": "http", "connection_id": "1175", "stream_id": "2595374538763107673"}},
	}
	for i, c := range checks {
		e := &evs[i]
		if string(e.Level) != c.lvl || c.msg != "" && e.Message != c.msg {
			t.Errorf("event %d: %s %q, want %s %q", i, e.Level, e.Message, c.lvl, c.msg)
		}
		for k, v := range c.want {
			gatewayField(t, fmt.Sprintf("event %d", i), e, k, v)
		}
	}
	if e := &evs[5]; e.Lines != 3 || !strings.HasSuffix(e.Message, `':path', '/v1/status'`) {
		t.Errorf("debug event: %d lines, %q", e.Lines, e.Message)
	}
	if want := time.Date(2023, 7, 5, 10, 11, 12, 345e6, time.UTC); !evs[0].Time.Equal(want) || !evs[0].Zoned || evs[0].Precision != 3 {
		t.Errorf("time %v zoned %v prec %d", evs[0].Time, evs[0].Zoned, evs[0].Precision)
	}
}

// TestEnvoyApp: Envoy's log forms and istio-proxy's tab-separated one.
func TestEnvoyApp(t *testing.T) {
	text := strings.Join([]string{
		`[2018-05-29 17:55:19.123][7][info][main] source/server/server.cc:183] initializing epoch 0 (hot restart version=10.200.16384.127.options=capacity=16384, num_slots=8209 hash=228984379728933363 size=2654312)`,
		`[2023-08-15 14:22:17.001][1][critical][backtrace] [./source/server/backtrace.h:104] Caught Segmentation fault, suspect faulting address 0x0`,
		`[2023-08-15 14:22:17.002][1][critical][backtrace] [./source/server/backtrace.h:91] Backtrace (use tools/stack_decode.py to get line numbers):`,
		"2023-10-12T08:08:15.270118Z\tdebug\tenvoy pool external/envoy/source/common/conn_pool/conn_pool_base.cc:265\t[C107599] using existing fully connected connection\tthread=25",
		"2023-10-12T08:08:16.000001Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:152\tStreamAggregatedResources gRPC config stream to xds-grpc closed since 1796s ago: 14, connection error\tthread=19",
	}, "\n") + "\n"
	evs, st := decodeText(t, "", "+03:00", text)
	if st.Format != "envoy-app" || st.Events != 5 || st.Unparsed != 0 {
		t.Fatalf("format %s events %d unparsed %d:\n%s", st.Format, st.Events, st.Unparsed, gatewayDump(evs))
	}
	checks := []struct {
		time, lvl, msg string
		want           map[string]string
	}{
		{"2018-05-29T14:55:19.123Z", "info", "initializing epoch 0 (hot restart version=10.200.16384.127.options=capacity=16384, num_slots=8209 hash=228984379728933363 size=2654312)", map[string]string{"file": "source/server/server.cc:183", "component": "main", "thread": "7"}},
		{"2023-08-15T11:22:17.001Z", "error", "Caught Segmentation fault, suspect faulting address 0x0", map[string]string{"component": "backtrace"}},
		{"2023-08-15T11:22:17.002Z", "error", "Backtrace (use tools/stack_decode.py to get line numbers):", nil},
		{"2023-10-12T08:08:15.270118Z", "debug", "[C107599] using existing fully connected connection", map[string]string{"component": "pool", "thread": "25", "connection_id": "107599", "file": "external/envoy/source/common/conn_pool/conn_pool_base.cc:265"}},
		{"2023-10-12T08:08:16.000001Z", "warn", "StreamAggregatedResources gRPC config stream to xds-grpc closed since 1796s ago: 14, connection error", map[string]string{"component": "config", "thread": "19"}},
	}
	for i, c := range checks {
		e := &evs[i]
		if !e.Time.Equal(mustTime(t, c.time)) || string(e.Level) != c.lvl || e.Message != c.msg {
			t.Errorf("event %d: %v %s %q, want %s %s %q", i, e.Time, e.Level, e.Message, c.time, c.lvl, c.msg)
		}
		for k, v := range c.want {
			gatewayField(t, fmt.Sprintf("event %d", i), e, k, v)
		}
	}
	if !evs[3].Zoned || evs[3].Precision != 6 || evs[0].Zoned {
		t.Errorf("zoned/precision: %v %d %v", evs[3].Zoned, evs[3].Precision, evs[0].Zoned)
	}
}
