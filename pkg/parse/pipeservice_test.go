package parse

import (
	"strings"
	"testing"
)

var pipeLines = []string{
	"[2023-08-15 14:22:17] ERROR | order-service | KafkaConsumer:: poll() timeout, last message received 3m ago",
	"[2023-08-15 14:22:17.123] WARN  | billing-service | invoice INV-2023-0042 retry 2/5",
	"java.net.SocketTimeoutException: Read timed out",
	"\tat java.base/java.net.SocketInputStream.socketRead0(Native Method)",
	"[2023-08-15 14:22:18.5] INFO  |  gateway  | GET /orders/42 200 12ms",
	"[2023-08-15 14:22:19] DEBUG | order-service | [Consumer clientId=consumer-order-group-1, groupId=order-group] Attempt to heartbeat failed since group is rebalancing",
}

func TestPipeService(t *testing.T) {
	text := strings.Join(pipeLines, "\n")
	evs, st := decodeText(t, PipeServiceID, "-02:00", text)
	if st.Events != 4 || st.Continuation != 2 || st.Unparsed != 0 {
		t.Fatalf("stats %+v", st)
	}
	want := []struct {
		time, level, svc, msg string
		prec                  int
	}{
		{"2023-08-15T16:22:17Z", "error", "order-service", "KafkaConsumer:: poll() timeout, last message received 3m ago", 0},
		{"2023-08-15T16:22:17.123Z", "warn", "billing-service", "invoice INV-2023-0042 retry 2/5", 3},
		{"2023-08-15T16:22:18.5Z", "info", "gateway", "GET /orders/42 200 12ms", 1},
		{"2023-08-15T16:22:19Z", "debug", "order-service", "[Consumer clientId=consumer-order-group-1, groupId=order-group] Attempt to heartbeat failed since group is rebalancing", 0},
	}
	for i, w := range want {
		e := &evs[i]
		if !e.Time.Equal(mustTime(t, w.time)) || string(e.Level) != w.level || e.Source != w.svc || appField(e, "service") != w.svc ||
			appFirstLine(e.Message) != w.msg || e.Precision != w.prec {
			t.Errorf("event %d = %v %q source=%q service=%q %q prec=%d", i, e.Time, e.Level, e.Source, appField(e, "service"), appFirstLine(e.Message), e.Precision)
		}
	}
	if appField(&evs[1], "exception") != "java.net.SocketTimeoutException" || evs[1].Lines != 3 {
		t.Errorf("trace: %v", evs[1].Fields)
	}
	if appField(&evs[3], "group") != "order-group" {
		t.Errorf("kafka client: %v", evs[3].Fields)
	}
	if _, dst := decodeText(t, "", "UTC", text); dst.Format != PipeServiceID {
		t.Errorf("detected %q", dst.Format)
	}
}

func TestPipeServiceRejects(t *testing.T) {
	d := Lookup(PipeServiceID).New(&Context{Loc: appLoc(t, "UTC"), ModTime: testModTime})
	for _, l := range []string{
		"[2023-08-15 14:22:17,123] ERROR [ReplicaFetcher replicaId=1] Error (kafka.server.ReplicaFetcherThread)",
		"[2023-08-15 14:22:17] ERROR order-service KafkaConsumer:: poll() timeout",
		"[2023-08-15 14:22:17] NOTALEVEL | order-service | x",
		"[2023-08-15 14:22:17] ERROR | two words | x",
	} {
		if v := d.Decode([]byte(l), appEvent(l), nil); v != Reject {
			t.Errorf("%q: verdict %d, want Reject", l, v)
		}
	}
}

func FuzzPipeService(f *testing.F) {
	fuzzFormat(f, PipeServiceID, strings.Join(pipeLines, "\n"), "[2023-08-15 14:22:17] E | s |\n[2023-08-15 14:22:17]  ERROR| s|x\n")
}

func BenchmarkPipeService(b *testing.B) {
	appBench(b, PipeServiceID, appRepeat(strings.Join(pipeLines, "\n")+"\n", 4<<20))
}
