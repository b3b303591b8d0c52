package parse

import (
	"strings"
	"testing"
)

// The searches that look from a rarer byte held to the strings.Index
// searches they replace: indexVia to strings.Index, kafkaClientNode and
// kafkaClientTarget to the versions built on strings.Index,
// strings.LastIndexByte and strings.LastIndexAny, nginxErrorQuoteEnd to a
// loop over the bytes.

// indexViaSubs are the searches indexVia makes, with the byte it looks for.
var indexViaSubs = []struct {
	sub string
	k   int
}{
	{" (", 1}, {"ode ", 1}, {"(id: ", 0}, {" (id: ", 1}, {" : {", 3}, {"clientId=", 8}, {"a", 0},
}

// kafkaClientNodeSimple is kafkaClientNode on strings.Index.
func kafkaClientNodeSimple(s string) string {
	for from := 0; from < len(s); {
		j := strings.Index(s[from:], "ode ")
		if j < 0 {
			break
		}
		j += from
		from = j + 4
		if j == 0 || (s[j-1] != 'n' && s[j-1] != 'N') || (j > 1 && s[j-2] != ' ') {
			continue
		}
		if v := kafkaInt(s[j+4:]); v != "" {
			return v
		}
	}
	if j := strings.Index(s, "(id: "); j >= 0 {
		return kafkaInt(s[j+5:])
	}
	return ""
}

// kafkaClientTargetSimple is kafkaClientTarget on strings.Index,
// strings.LastIndexByte and strings.LastIndexAny.
func kafkaClientTargetSimple(s string) string {
	for from := 0; from < len(s); {
		j := strings.Index(s[from:], " (")
		if j < 0 {
			break
		}
		j += from
		from = j + 2
		e := strings.IndexByte(s[j+2:], ')')
		if e < 0 {
			break
		}
		in := s[j+2 : j+2+e]
		sl := strings.IndexByte(in, '/')
		if sl < 0 || strings.IndexByte(in, ' ') >= 0 {
			continue
		}
		host, addr := in[:sl], in[sl+1:]
		p := strings.LastIndexByte(addr, ':')
		if p <= 0 || kafkaInt(addr[p+1:]) != addr[p+1:] {
			continue
		}
		if host == "" {
			return addr
		}
		return host + addr[p:]
	}
	if j := strings.Index(s, " (id: "); j > 0 {
		k := strings.LastIndexByte(s[:j], ' ')
		t := s[k+1 : j]
		if b := strings.LastIndexAny(t, "[({="); b >= 0 {
			t = t[b+1:]
		}
		if p := strings.LastIndexByte(t, ':'); p > 0 && p < len(t)-1 && kafkaInt(t[p+1:]) == t[p+1:] {
			return t
		}
	}
	return ""
}

// nginxErrorQuoteEndSimple is nginxErrorQuoteEnd as a loop over the bytes.
func nginxErrorQuoteEndSimple(msg string, i int) int {
	for i < len(msg) && !(msg[i] == '"' && (i+1 == len(msg) || strings.HasPrefix(msg[i+1:], ", "))) {
		i++
	}
	return i
}

// checkIndexVia compares the searches on s.
func checkIndexVia(t *testing.T, s string) {
	t.Helper()
	for _, c := range indexViaSubs {
		if g, w := indexVia(s, c.sub, c.k), strings.Index(s, c.sub); g != w {
			t.Errorf("indexVia(%q, %q, %d) = %d, want %d", s, c.sub, c.k, g, w)
		}
	}
	if g, w := kafkaClientNode(s), kafkaClientNodeSimple(s); g != w {
		t.Errorf("kafkaClientNode(%q) = %q, want %q", s, g, w)
	}
	if g, w := kafkaClientTarget(s), kafkaClientTargetSimple(s); g != w {
		t.Errorf("kafkaClientTarget(%q) = %q, want %q", s, g, w)
	}
	for i := 0; i <= len(s); i++ {
		if g, w := nginxErrorQuoteEnd(s, i), nginxErrorQuoteEndSimple(s, i); g != w {
			t.Errorf("nginxErrorQuoteEnd(%q, %d) = %d, want %d", s, i, g, w)
		}
	}
}

var indexViaCases = []string{
	"",
	"(",
	" (",
	"x (",
	"((((",
	"  ((",
	"ode ",
	"node 1",
	"Node -1 (x/1.2.3.4:9092)",
	"to node x node 2",
	"anode 3",
	"(id: 5 rack: null)",
	"(id: x",
	"Connection to node 1 (kafka-1/10.0.4.2:9092) could not be established. Broker may not be available.",
	"Connection to node -1 (/192.168.37.31:9092) could not be established.",
	"Bootstrap broker localhost:9092 (id: -1 rack: null) disconnected",
	"sending LeaveGroup request to coordinator kafka-2:9092 (id: 2147483645 rack: null) due to consumer poll timeout",
	"Setting offset for partition invoice-issue-0 to the committed offset FetchPosition{offset=177197, offsetEpoch=Optional[7], currentLeader=LeaderAndEpoch{leader=Optional[kafka-1.kafka.svc:9092 (id: 1 rack: null)], epoch=7}}",
	"leader=Optional[kafka-1:9092 (id: 1",
	"{kafka-1:9092 (id: 1",
	"=:1 (id: 2",
	"a:1 (id: 2",
	":1 (id: 2",
	"x: (id: 2",
	"a (b c/d:1) (e/f:2)",
	"a (b/c) (/d:x) (e/:1) (/f:1)",
	"(x/y:1)",
	" (x/y:1",
	"Error while fetching metadata with correlation id 7 : {invoice-events=LEADER_NOT_AVAILABLE}",
	`"GET / HTTP/1.1", upstream: "http://a/", host: "h"`,
	`a"b", "c"`,
	`"`,
	`""`,
	`", `,
	`x", y", "`,
	strings.Repeat("a (", 30) + "node 7 (h/1.2.3.4:1)",
	strings.Repeat(" ", 70) + "(id: 3",
}

// TestIndexViaAgrees runs the comparisons on the cases and on every cut
// of them.
func TestIndexViaAgrees(t *testing.T) {
	for _, s := range indexViaCases {
		for i := 0; i <= len(s); i++ {
			checkIndexVia(t, s[i:])
			checkIndexVia(t, s[:i])
		}
	}
}

// FuzzIndexVia holds the searches to the simple ones.
func FuzzIndexVia(f *testing.F) {
	for _, s := range indexViaCases {
		f.Add(s)
	}
	f.Fuzz(checkIndexVia)
}
