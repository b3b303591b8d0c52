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
