package correlate

import (
	"fmt"
	"math/rand"
	"os"
	"testing"
)

// tmplBenchPatterns are message shapes as real systems print them (sshd,
// nginx error log, Spring/Java, Kafka, Kubernetes, MySQL, Go services); %s are
// filled with varying values.
var tmplBenchPatterns = []string{
	"Accepted publickey for %s from %s port %s ssh2: RSA SHA256:%s",
	"Failed password for invalid user %s from %s port %s ssh2",
	"pam_unix(sshd:session): session opened for user %s by (uid=%s)",
	"*%s connect() failed (111: Connection refused) while connecting to upstream, client: %s, server: api.example.com, request: \"GET /v1/orders/%s HTTP/1.1\", upstream: \"http://%s/v1/orders/%s\", host: \"api.example.com\"",
	"upstream timed out (110: Connection timed out) while reading response header from upstream, client: %s, server: _, request: \"POST /invoice HTTP/1.1\", upstream: \"http://%s/invoice\"",
	"Completed initialization in %s ms",
	"HikariPool-1 - Connection is not available, request timed out after %sms.",
	"Started OrderServiceApplication in %s seconds (JVM running for %s)",
	"[Consumer clientId=consumer-order-%s, groupId=order-service] Member consumer-order-%s-%s sending LeaveGroup request to coordinator %s (id: %s rack: null) due to consumer poll timeout has expired.",
	"[Producer clientId=producer-%s] Got error produce response with correlation id %s on topic-partition invoices-%s, retrying (%s attempts left). Error: NOT_LEADER_OR_FOLLOWER",
	"Successfully assigned default/%s to node-%s",
	"Back-off restarting failed container %s in pod %s_default(%s)",
	"Liveness probe failed: Get \"http://%s/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
	"InnoDB: Lock wait timeout exceeded; try restarting transaction (thread %s, query id %s %s root updating)",
	"Aborted connection %s to db: 'orders' user: 'app' host: '%s' (Got timeout reading communication packets)",
	"request completed method=GET path=/api/v2/items/%s status=200 duration=%s bytes=%s request_id=%s",
	"tax authority call failed after %s: Post \"https://%s/api/declare\": dial tcp %s: i/o timeout",
	"GC pause (G1 Evacuation Pause) (young) %s->%s(%s) %s",
	"Exception in thread \"pool-%s-thread-%s\" java.lang.IllegalStateException: Invoice %s already committed\n\tat com.example.Invoice.commit(Invoice.java:%s)\n\tat com.example.Worker.run(Worker.java:%s)",
	"Took %s seconds to spawn the instance on the hypervisor.",
}

func tmplBenchValue(r *rand.Rand) string {
	switch r.Intn(8) {
	case 0:
		return fmt.Sprintf("%d.%d.%d.%d", 10, r.Intn(256), r.Intn(256), r.Intn(256))
	case 1:
		return fmt.Sprintf("10.0.%d.%d:%d", r.Intn(256), r.Intn(256), 1024+r.Intn(60000))
	case 2:
		return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", r.Uint32(), r.Intn(65536), r.Intn(65536), r.Intn(65536), r.Int63n(1<<48))
	case 3:
		return fmt.Sprintf("%d.%03d", r.Intn(100), r.Intn(1000))
	case 4:
		return fmt.Sprintf("%x", r.Int63())
	case 5:
		return []string{"alice", "bob", "deploy", "root", "admin", "svc-order"}[r.Intn(6)]
	default:
		return fmt.Sprint(r.Intn(100000))
	}
}

// tmplBenchMessages builds about size bytes of messages from the patterns.
func tmplBenchMessages(size int) ([]string, int64) {
	r := rand.New(rand.NewSource(1))
	var msgs []string
	var n int64
	for n < int64(size) {
		p := tmplBenchPatterns[r.Intn(len(tmplBenchPatterns))]
		args := make([]any, 0, 8)
		for k := 0; k+1 < len(p); k++ {
			if p[k] == '%' && p[k+1] == 's' {
				args = append(args, tmplBenchValue(r))
			}
		}
		s := fmt.Sprintf(p, args...)
		msgs = append(msgs, s)
		n += int64(len(s))
	}
	return msgs, n
}

func BenchmarkMinerAdd(b *testing.B) {
	msgs, n := tmplBenchMessages(4 << 20)
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := NewMiner(MinerConfig{})
		for _, s := range msgs {
			m.Add(s)
		}
	}
}

func BenchmarkMinerMatch(b *testing.B) {
	msgs, n := tmplBenchMessages(4 << 20)
	m := NewMiner(MinerConfig{})
	for _, s := range msgs {
		m.Add(s)
	}
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range msgs {
			m.Match(s)
		}
	}
}

// BenchmarkMinerLoghub mines the eleven loghub samples (22,000 real
// messages) when the shared corpus is present.
func BenchmarkMinerLoghub(b *testing.B) {
	if _, err := os.Stat(tmplLoghubDir()); err != nil {
		b.Skip("loghub corpus not found")
	}
	var sets [][]string
	var n int64
	for _, set := range tmplLoghubSets {
		var msgs []string
		for _, r := range tmplReadLoghub(b, set) {
			msgs = append(msgs, r.content)
			n += int64(len(r.content))
		}
		sets = append(sets, msgs)
	}
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, msgs := range sets {
			m := NewMiner(MinerConfig{})
			for _, s := range msgs {
				m.Add(s)
			}
		}
	}
}
