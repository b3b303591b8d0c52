package parse

import (
	"bufio"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// leanDropped are the fields Options.Lean lets the nginx access decoder
// leave out (its doc lists them).
var leanDropped = []string{"client", "client_list", "host", "user", "method", "path", "protocol", "bytes",
	"referrer", "user_agent", "tls_protocol", "tls_cipher", "latency_ms", "upstream_latency_ms", "upstream_time_list",
	"upstream_connect_ms", "upstream_header_ms", "upstream_list", "upstream_status", "upstream_status_list",
	"cache_status", "request_id", "forwarded_for"}

// TestNginxLeanKeepsWhatAnalysisReads decodes access lines (the tests',
// the demo bundle's, and random recombinations of their tokens) with and
// without Context.Lean: the same lines must be taken, with the same time,
// level and message, and the same value for every field but the dropped
// ones, which lean mode must not invent either.
func TestNginxLeanKeepsWhatAnalysisReads(t *testing.T) {
	var lines []string
	src, err := os.ReadFile("nginx_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile("`([^`\\n]*\\[[0-9][^`\\n]*)`").FindAllStringSubmatch(string(src), -1) {
		lines = append(lines, m[1])
	}
	f, err := os.Open("../../testdata/bundles/invoice-outage/gateway/access.log")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() && len(lines) < 3000 {
		lines = append(lines, sc.Text())
	}
	f.Close()
	if len(lines) < 100 {
		t.Fatalf("only %d lines", len(lines))
	}
	// recombine: a line's head with the tail tokens of others, so that
	// every kind of tail item meets every other
	rng := rand.New(rand.NewPCG(5, 6))
	var tails []string
	for _, l := range lines {
		if i := strings.LastIndex(l, `" `); i > 0 {
			tails = append(tails, strings.Fields(l[i+2:])...)
		}
	}
	tails = append(tails, "rt=0.5", "ua=10.0.0.1:80", "ua=curl", "us=502", "response_flags=UF", "target=db:3306",
		`"10.0.0.1, 10.0.0.2"`, "-", `"-"`, "0123456789abcdef0123456789abcdef", "host=x", "cs=HIT", "zz=1",
		"user=zz", "method=PUT", "bytes=7", "latency_ms=3", "upstream_status=200", "client=1.1.1.1", "status=201")
	n := len(lines)
	for range 5000 {
		l := lines[rng.IntN(n)]
		if i := strings.Index(l, `" `); i > 0 {
			if j := strings.Index(l[i+2:], " "); j > 0 {
				l = l[:i+2+j]
			}
		}
		for range rng.IntN(6) {
			l += " " + tails[rng.IntN(len(tails))]
		}
		lines = append(lines, l)
	}
	full := &nginxAccessDecoder{loc: time.UTC}
	lean := &nginxAccessDecoder{loc: time.UTC, lean: true}
	taken := 0
	for _, l := range lines {
		b := []byte(l)
		a, c := &event.Event{Raw: l}, &event.Event{Raw: l}
		va, vc := full.Decode(b, a, nil), lean.Decode(b, c, nil)
		if va != vc {
			t.Fatalf("%q: verdict %v lean, %v full", l, vc, va)
		}
		if va != Start {
			continue
		}
		taken++
		if !a.Time.Equal(c.Time) || a.Level != c.Level || a.Message != c.Message || a.Precision != c.Precision || a.Zoned != c.Zoned {
			t.Fatalf("%q: lean %v %q %q, full %v %q %q", l, c.Time, c.Level, c.Message, a.Time, a.Level, a.Message)
		}
		for _, fl := range a.Fields {
			v, ok := c.Get(fl.Key)
			if slices.Contains(leanDropped, fl.Key) {
				if ok && v != fl.Value {
					t.Fatalf("%q: lean %s=%q, full %q", l, fl.Key, v, fl.Value)
				}
				continue
			}
			if !ok || v != fl.Value {
				t.Fatalf("%q: lean %s=%q (%v), full %q", l, fl.Key, v, ok, fl.Value)
			}
		}
		for _, fl := range c.Fields {
			if _, ok := a.Get(fl.Key); !ok {
				t.Fatalf("%q: lean has %s=%q, full has none", l, fl.Key, fl.Value)
			}
		}
	}
	if taken < len(lines)/2 {
		t.Errorf("only %d of %d lines read as access lines", taken, len(lines))
	}
}

// commonTailCases are access-line tails for nginxCommonTail: the ones it reads
// and near misses it must leave to the item reader.
var commonTailCases = []struct {
	tail string
	fast bool // nginxCommonTail reads it
}{
	{"", true},
	{" 0.207 10.0.2.7:8080 201", true},
	{" 10.0.2.7:8080 201", true},
	{" 12.000 1:2 999", true},
	{" 0.001 - -", true},
	{" 0.001 - 200", true},
	{" 0.001 10.0.2.7:8080 -", true},
	{" 0.001 10.0.2.7:8080 601", true},
	{" 0.001 10.0.2.7:8080 099", true},
	{" 99999999999999999999.5 10.0.2.7:8080 200", true},
	{" - 10.0.2.7:8080 200", false},
	{" 0.001 .1:80 200", false},
	{" 0.001 1:.80 200", false},
	{" 0.001 -- 200", false},
	{" 0.207 10.0.2.7:8080 201 ", false},
	{"  0.207 10.0.2.7:8080 201", false},
	{" 0.207 10.0.2.7:8080, 10.0.2.8:8080 502, 201", false},
	{" 0.207 10.0.2.7:8080 : 10.0.2.8:8080 502 : 201", false},
	{" 0.207 backend:8080 201", false},
	{" 0.207 unix:/run/app.sock 201", false},
	{" 0.207 [::1]:8080 201", false},
	{" 0.207 10.0.2.7:8080 2010", false},
	{" 0.207 10.0.2.7:8080", false},
	{" 0.207", false},
	{" .207 10.0.2.7:8080 201", false},
	{" 0. 10.0.2.7:8080 201", false},
	{" 0.2.7 10.0.2.7:8080 201", false},
	{" rt=0.207 10.0.2.7:8080 201", false},
	{" 0.207 10.0.2.7: 201", false},
	{" 0.207 10.0.2.7:80:80 201", false},
	{` "10.0.2.7:8080" 201`, false},
	{" 0.207 10.0.2.7:8080 201\r", false},
}

// TestNginxCommonTail checks which tails nginxCommonTail reads, and that it
// reads them as the item reader does (checkCommonTail), lean or not.
func TestNginxCommonTail(t *testing.T) {
	for _, c := range commonTailCases {
		for _, lean := range []bool{true, false} {
			if got := checkCommonTail(t, c.tail, lean); got != c.fast {
				t.Errorf("nginxCommonTail(%q, lean %v) read it: %v, want %v", c.tail, lean, got, c.fast)
			}
		}
	}
}

// checkCommonTail fails t when nginxCommonTail reads tail (after an access
// line's head) into another event than nginxTailItems' reading, or touches
// the event when it declines; it reports whether it read it. The event
// holds status, then the prior fields.
func checkCommonTail(t *testing.T, tail string, lean bool, prior ...event.Field) bool {
	t.Helper()
	head := `10.0.0.7 - - [15/Aug/2023:14:22:17 +0200] "GET / HTTP/1.1" 200 1 "-" "c"`
	line := []byte(head + tail)
	fresh := func() *event.Event {
		return &event.Event{Raw: string(line), Fields: append([]event.Field{{Key: "status", Value: "200"}}, prior...)}
	}
	got, want := fresh(), fresh()
	ok := nginxCommonTail(line, len(head), got, lean)
	if ok {
		nginxTailItems(line, len(head), want, lean)
	}
	if !slices.Equal(got.Fields, want.Fields) {
		t.Fatalf("tail %q, lean %v, prior %v: nginxCommonTail (read: %v) gives %v, the item reader %v", tail, lean, prior, ok, got.Fields, want.Fields)
	}
	return ok
}

// FuzzNginxCommonTail holds nginxCommonTail to the item reader on any tail.
func FuzzNginxCommonTail(f *testing.F) {
	for _, c := range commonTailCases {
		f.Add(c.tail)
	}
	f.Fuzz(func(t *testing.T, tail string) {
		checkCommonTail(t, tail, true)
		checkCommonTail(t, tail, false)
	})
}

// TestNginxCommonTailKnownFields: an event that has an upstream already
// is left to the item reader (which then takes no address as the
// upstream); latency_ms and upstream_status it has are kept, as the item
// reader keeps them.
func TestNginxCommonTailKnownFields(t *testing.T) {
	for _, c := range []struct {
		prior []event.Field
		read  bool
	}{
		{[]event.Field{{Key: "upstream", Value: "u:1"}}, false},
		{[]event.Field{{Key: "latency_ms", Value: "1"}, {Key: "upstream_status", Value: "502"}}, true},
	} {
		for _, lean := range []bool{true, false} {
			if got := checkCommonTail(t, " 0.207 10.0.2.7:8080 201", lean, c.prior...); got != c.read {
				t.Errorf("prior %v, lean %v: read %v, want %v", c.prior, lean, got, c.read)
			}
		}
	}
}
