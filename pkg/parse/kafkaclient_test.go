package parse

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

// TestKafkaClientEnrich runs the enricher on Kafka Java client messages
// in the wording the client prints (as quoted in public issues).
func TestKafkaClientEnrich(t *testing.T) {
	cases := []struct {
		msg  string
		want map[string]string
	}{
		{"[Consumer clientId=consumer-order-group-1, groupId=order-group] Connection to node 1 (kafka-1/10.0.4.2:9092) could not be established. Broker may not be available.",
			map[string]string{"client_type": "consumer", "client_id": "consumer-order-group-1", "group": "order-group", "node": "1", "target": "kafka-1:9092"}},
		{"[AdminClient clientId=kafdrop-admin] Connection to node -1 (/192.168.37.31:9092) could not be established. Broker may not be available.",
			map[string]string{"client_type": "admin", "client_id": "kafdrop-admin", "group": "", "node": "-1", "target": "192.168.37.31:9092"}},
		{"[Consumer clientId=consumer-email-1, groupId=email] Bootstrap broker localhost:9092 (id: -1 rack: null) disconnected",
			map[string]string{"client_id": "consumer-email-1", "node": "-1", "target": "localhost:9092"}},
		{"[Consumer clientId=consumer-order-group-1, groupId=order-group] Member consumer-order-group-1-3c1f9a2e-7d4b-4c8e-9f0a-1b2c3d4e5f60 sending LeaveGroup request to coordinator kafka-2:9092 (id: 2147483645 rack: null) due to consumer poll timeout has expired. This means the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is spending too much time processing messages. You can address this either by increasing max.poll.interval.ms or by reducing the maximum size of batches returned in poll() with max.poll.records.",
			map[string]string{"group": "order-group", "node": "2147483645", "target": "kafka-2:9092"}},
		{"[Consumer clientId=consumer-order-group-1, groupId=order-group] Attempt to heartbeat failed since group is rebalancing",
			map[string]string{"client_type": "consumer", "group": "order-group", "node": "", "target": ""}},
		{"[Consumer clientId=consumer-order-group-1, groupId=order-group] (Re-)joining group",
			map[string]string{"group": "order-group", "node": "", "target": "", "topic": ""}},
		{"[Consumer clientId=consumer-2, groupId=my-app-group-id] Offset commit failed on partition invoice-events-3 at offset 340592763: The request timed out.",
			map[string]string{"topic": "invoice-events", "partition": "3"}},
		{"[Consumer clientId=consumer-order-group-1, groupId=order-group] Setting offset for partition invoice-events-3 to the committed offset FetchPosition{offset=12, offsetEpoch=Optional.empty, currentLeader=LeaderAndEpoch{leader=Optional[kafka-1:9092 (id: 1 rack: null)], epoch=0}}",
			map[string]string{"topic": "invoice-events", "partition": "3", "node": "1", "target": "kafka-1:9092"}},
		{"[Producer clientId=producer-1] Error while fetching metadata with correlation id 7 : {invoice-events=LEADER_NOT_AVAILABLE}",
			map[string]string{"client_type": "producer", "client_id": "producer-1", "topic": "invoice-events", "partition": ""}},
		{"[Consumer instanceId=pod-1, clientId=consumer-g-1, groupId=g] Node 3 disconnected.",
			map[string]string{"client_id": "consumer-g-1", "group": "g", "node": "3"}},
		{"[Producer clientId=producer-tx-1, transactionalId=tx-1] Transiting to abortable error state due to org.apache.kafka.common.errors.TimeoutException",
			map[string]string{"client_id": "producer-tx-1", "client_type": "producer"}},
		{"no client here: clientId= alone", map[string]string{"client_id": "", "client_type": ""}},
	}
	for _, c := range cases {
		e := &event.Event{Message: c.msg, Raw: c.msg}
		kafkaClientEnrich(e)
		for k, v := range c.want {
			if got := appField(e, k); got != v {
				t.Errorf("%.60q: %s = %q, want %q", c.msg, k, got, v)
			}
		}
	}
}

// TestKafkaClientKeepsFormatFields: fields a format set win.
func TestKafkaClientKeepsFormatFields(t *testing.T) {
	e := &event.Event{Message: "[Consumer clientId=c-1, groupId=g2] Discovered group coordinator kafka-2:9092 (id: 2147483645 rack: null)"}
	e.Set("group", "from-format")
	kafkaClientEnrich(e)
	if appField(e, "group") != "from-format" || appField(e, "client_id") != "c-1" {
		t.Errorf("fields %v", e.Fields)
	}
}

// TestKafkaClientInFormats: the enricher runs after any format's decoder.
func TestKafkaClientInFormats(t *testing.T) {
	text := strings.Join([]string{
		"2023-08-15 14:22:17,123 [kafka-coordinator-heartbeat-thread | order-group] WARN  o.a.k.c.c.i.ConsumerCoordinator - [Consumer clientId=consumer-order-group-1, groupId=order-group] consumer poll timeout has expired.",
		"2023-08-15 14:22:18,001 [order-consumer-1] INFO  o.a.k.c.c.i.ConsumerCoordinator - [Consumer clientId=consumer-order-group-1, groupId=order-group] (Re-)joining group",
	}, "\n")
	evs, _ := decodeText(t, Log4j2ID, "UTC", text)
	for _, e := range evs {
		if appField(&e, "client_id") != "consumer-order-group-1" || appField(&e, "group") != "order-group" || appField(&e, "client_type") != "consumer" {
			t.Errorf("%q: %v", e.Message, e.Fields)
		}
	}
	if appField(&evs[0], "thread") != "kafka-coordinator-heartbeat-thread | order-group" {
		t.Errorf("thread %q", appField(&evs[0], "thread"))
	}
}

func BenchmarkKafkaClientEnrich(b *testing.B) {
	msgs := []string{
		"[Consumer clientId=consumer-order-group-1, groupId=order-group] Connection to node 1 (kafka-1/10.0.4.2:9092) could not be established. Broker may not be available.",
		"Started OrderServiceApplication in 3.2 seconds (process running for 3.9)",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e := event.Event{Message: msgs[i%2]}
		kafkaClientEnrich(&e)
	}
}

// TestIndexClientIDAgrees: indexClientID is strings.Index(m, "clientId=").
func TestIndexClientIDAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	parts := []string{"clientId", "=", "clientId=", "Id=", "client", "c", "[Consumer ", "x", " ", "=="}
	cases := []string{"", "=", "clientId=", "clientId", "xclientId=y", "a=b clientId=c", "clientI=d clientId=e"}
	for range 20000 {
		var sb strings.Builder
		for range rng.IntN(6) {
			sb.WriteString(parts[rng.IntN(len(parts))])
		}
		cases = append(cases, sb.String())
	}
	for _, m := range cases {
		if got, want := indexClientID(m), strings.Index(m, "clientId="); got != want {
			t.Fatalf("indexClientID(%q) = %d, want %d", m, got, want)
		}
	}
}
