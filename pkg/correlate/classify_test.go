package correlate

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

var (
	classifierOnce sync.Once
	classifierT    *Classifier
)

// testClassifier shares one Classifier between tests (it is immutable).
func testClassifier() *Classifier {
	classifierOnce.Do(func() { classifierT = NewClassifier() })
	return classifierT
}

type classifyCase struct {
	name   string
	format string
	level  event.Level
	msg    string
	fields map[string]string // set by the parser before classification
	kind   string
	facts  map[string]string // fields expected after classification ("" = absent)
}

// Levels, short.
const (
	lvNone   = event.LevelNone
	lvTrace  = event.LevelTrace
	lvDebug  = event.LevelDebug
	lvInfo   = event.LevelInfo
	lvNotice = event.LevelNotice
	lvWarn   = event.LevelWarn
	lvError  = event.LevelError
	lvFatal  = event.LevelFatal
)

func (tc classifyCase) event() *event.Event {
	ev := &event.Event{Format: tc.format, Level: tc.level, Message: tc.msg, Raw: tc.msg, Lines: 1}
	for k, v := range tc.fields {
		ev.Set(k, v)
	}
	return ev
}

// Lines are written in the exact syntax the systems print; the message is
// what a parser leaves after the header (timestamp, level, thread, logger).
var classifyCases = []classifyCase{
	// ---- connection_refused ---------------------------------------------
	{name: "go dial refused", level: lvError,
		msg:  `failed to ping database: dial tcp 10.0.3.7:3306: connect: connection refused`,
		kind: KindConnectionRefused, facts: map[string]string{"target": "10.0.3.7:3306"}},
	{name: "go http get refused", level: lvNone,
		msg:  `Get "http://tax-api:8080/v1/rates": dial tcp 10.0.2.5:8080: connect: connection refused`,
		kind: KindConnectionRefused, facts: map[string]string{"target": "10.0.2.5:8080"}},
	{name: "go dial ipv6", level: lvError,
		msg:  `dial tcp [::1]:6379: connect: connection refused`,
		kind: KindConnectionRefused, facts: map[string]string{"target": "[::1]:6379"}},
	{name: "nginx connect refused", format: "nginx-error", level: lvError,
		msg:  `*1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.7, server: api.example.com, request: "GET /api/invoice/8812 HTTP/1.1", upstream: "http://10.0.2.5:8080/api/invoice/8812", host: "api.example.com"`,
		kind: KindConnectionRefused, facts: map[string]string{"target": "10.0.2.5:8080", "error_code": "111"}},
	{name: "java netty refused host/ip", level: lvError,
		msg:  `io.netty.channel.AbstractChannel$AnnotatedConnectException: finishConnect(..) failed: Connection refused: db-1/10.0.3.7:3306`,
		kind: KindConnectionRefused, facts: map[string]string{"target": "10.0.3.7:3306", "target_host": "db-1"}},
	{name: "java httpclient connect to", level: lvError,
		msg:  `org.apache.http.conn.HttpHostConnectException: Connect to localhost:8080 [localhost/127.0.0.1, localhost/0:0:0:0:0:0:0:1] failed: Connection refused (Connection refused)`,
		kind: KindConnectionRefused, facts: map[string]string{"target": "localhost:8080"}},
	{name: "communications link failure caused by refused", level: lvError,
		msg: "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure\n\n" +
			"The last packet sent successfully to the server was 0 milliseconds ago. The driver has not received any packets from the server.\n" +
			"\tat com.mysql.cj.jdbc.exceptions.SQLError.createCommunicationsException(SQLError.java:174)\n" +
			"Caused by: java.net.ConnectException: Connection refused (Connection refused)",
		kind: KindConnectionRefused},
	{name: "node econnrefused", level: lvError,
		msg:  `Error: connect ECONNREFUSED 10.0.3.7:3306`,
		kind: KindConnectionRefused, facts: map[string]string{"target": "10.0.3.7:3306"}},
	{name: "generic connect to", level: lvWarn,
		msg:  `Failed to connect to 10.0.3.7:3306 after 3 attempts: Connection refused`,
		kind: KindConnectionRefused, facts: map[string]string{"target": "10.0.3.7:3306"}},
	{name: "curl port form", level: lvNone,
		msg:  `curl: (7) Failed to connect to api.example.com port 443: Connection refused`,
		kind: KindConnectionRefused, facts: map[string]string{"target": "api.example.com:443"}},
	{name: "python requests", level: lvError,
		msg:  `requests.exceptions.ConnectionError: HTTPConnectionPool(host='tax-api', port=8080): Max retries exceeded with url: /v1/rates (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3c2a1b2d30>: Failed to establish a new connection: [Errno 111] Connection refused'))`,
		kind: KindConnectionRefused, facts: map[string]string{"target": "tax-api:8080", "error_code": "111"}},
	{name: "mysql client errno 111", level: lvError,
		msg:  `ERROR 2003 (HY000): Can't connect to MySQL server on '10.0.3.7:3306' (111)`,
		kind: KindConnectionRefused, facts: map[string]string{"target": "10.0.3.7:3306", "error_code": "2003"}},
	{name: "mysql client errno 111 default port", level: lvError,
		msg:  `ERROR 2003 (HY000): Can't connect to MySQL server on 'db-1' (111)`,
		kind: KindConnectionRefused, facts: map[string]string{"target": "db-1:3306", "error_code": "2003"}},
	{name: "postgres libpq refused", level: lvFatal,
		msg:  `connection to server at "db-1" (10.0.3.7), port 5432 failed: Connection refused` + "\n\tIs the server running on that host and accepting TCP/IP connections?",
		kind: KindConnectionRefused, facts: map[string]string{"target": "10.0.3.7:5432", "target_host": "db-1"}},
	{name: "postgres libpq old refused", level: lvError,
		msg:  "could not connect to server: Connection refused\n\tIs the server running on host \"db-1\" (10.0.3.7) and accepting\n\tTCP/IP connections on port 5432?",
		kind: KindConnectionRefused, facts: map[string]string{"target": "10.0.3.7:5432"}},
	{name: "envoy connection failure body", level: lvWarn,
		msg:  `upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: delayed connect error: 111`,
		kind: KindConnectionRefused},
	{name: "no route to host", level: lvError,
		msg:  `dial tcp 10.0.4.2:9092: connect: no route to host`,
		kind: KindConnectionRefused, facts: map[string]string{"target": "10.0.4.2:9092"}},
	{name: "zookeeper refused warn", format: "kafka", level: lvWarn,
		msg:  "Session 0x0 for server null, unexpected error, closing socket connection and attempting reconnect\njava.net.ConnectException: Connection refused",
		kind: KindConnectionRefused},

	// ---- connection_reset ------------------------------------------------
	{name: "go read reset", level: lvError,
		msg:  `read tcp 10.0.1.5:43210->10.0.3.7:3306: read: connection reset by peer`,
		kind: KindConnectionReset, facts: map[string]string{"target": "10.0.3.7:3306"}},
	{name: "go write broken pipe", level: lvError,
		msg:  `write tcp 10.0.1.5:43210->10.0.5.1:6379: write: broken pipe`,
		kind: KindConnectionReset, facts: map[string]string{"target": "10.0.5.1:6379"}},
	{name: "nginx upstream reset", format: "nginx-error", level: lvError,
		msg:  `*77 recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 10.0.0.7, server: _, request: "POST /api/pay HTTP/1.1", upstream: "http://10.0.2.6:8080/api/pay", host: "shop.example.com"`,
		kind: KindConnectionReset, facts: map[string]string{"target": "10.0.2.6:8080", "error_code": "104"}},
	{name: "nginx prematurely closed", format: "nginx-error", level: lvError,
		msg:  `*12 upstream prematurely closed connection while reading response header from upstream, client: 10.0.0.9, server: _, request: "GET /health HTTP/1.1", upstream: "http://10.0.2.5:8080/health", host: "gw"`,
		kind: KindConnectionReset, facts: map[string]string{"target": "10.0.2.5:8080"}},
	{name: "envoy connection termination body", level: lvWarn,
		msg:  `upstream connect error or disconnect/reset before headers. reset reason: connection termination`,
		kind: KindConnectionReset},
	{name: "go EOF", level: lvError,
		msg:  `Post "http://billing:8080/v1/charge": EOF`,
		kind: KindConnectionReset, facts: map[string]string{"target": "billing:8080"}},
	{name: "node socket hang up", level: lvError,
		msg:  `Error: socket hang up`,
		kind: KindConnectionReset},
	{name: "java connection reset", level: lvError,
		msg:  `java.net.SocketException: Connection reset`,
		kind: KindConnectionReset},
	{name: "postgres server closed", level: lvError,
		msg:  "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.",
		kind: KindConnectionReset},

	// ---- timeout -----------------------------------------------------------
	{name: "nginx upstream timed out", format: "nginx-error", level: lvError,
		msg:  `*5 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.7, server: api.example.com, request: "GET /api/report HTTP/1.1", upstream: "http://10.0.2.5:8080/api/report", host: "api.example.com"`,
		kind: KindTimeout, facts: map[string]string{"target": "10.0.2.5:8080", "error_code": "110"}},
	{name: "go i/o timeout", level: lvError,
		msg:  `dial tcp 10.0.3.7:3306: i/o timeout`,
		kind: KindTimeout, facts: map[string]string{"target": "10.0.3.7:3306"}},
	{name: "go context deadline", level: lvWarn,
		msg:  `rpc error: code = DeadlineExceeded desc = context deadline exceeded`,
		kind: KindTimeout},
	{name: "go client timeout", level: lvError,
		msg:  `Get "https://api.tax.example.gov/v2/rates": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
		kind: KindTimeout, facts: map[string]string{"target": "api.tax.example.gov:443"}},
	{name: "java read timed out", level: lvError,
		msg:  `I/O error on GET request for "http://tax-api:8080/v1/rates": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out`,
		kind: KindTimeout, facts: map[string]string{"target": "tax-api:8080"}},
	{name: "httpclient connect timed out", level: lvError,
		msg:  `org.apache.http.conn.ConnectTimeoutException: Connect to db-proxy:6432 [db-proxy/10.0.3.9] failed: connect timed out`,
		kind: KindTimeout, facts: map[string]string{"target": "db-proxy:6432"}},
	{name: "kafka producer TimeoutException", level: lvError,
		msg:  `org.apache.kafka.common.errors.TimeoutException: Topic invoices not present in metadata after 60000 ms.`,
		kind: KindTimeout},
	{name: "envoy upstream request timeout body", level: lvWarn,
		msg:  `upstream request timeout`,
		kind: KindTimeout},
	{name: "mysql client errno 110", level: lvError,
		msg:  `ERROR 2003 (HY000): Can't connect to MySQL server on 'db-1:3306' (110)`,
		kind: KindTimeout, facts: map[string]string{"target": "db-1:3306"}},
	{name: "504 gateway timeout in message", level: lvError,
		msg:  `upstream returned 504 Gateway Timeout for GET /v1/rates`,
		kind: KindTimeout, facts: map[string]string{"status": "504"}},
	{name: "pg statement timeout", level: lvError,
		msg:  `canceling statement due to statement timeout`,
		kind: KindTimeout},

	// ---- http_5xx ----------------------------------------------------------
	{name: "status code in message", level: lvError,
		msg:  `Request failed with status code 500`,
		kind: KindHTTP5xx, facts: map[string]string{"status": "500"}},
	{name: "spring HttpServerErrorException", level: lvError,
		msg:  `org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 Internal Server Error: [no body]`,
		kind: KindHTTP5xx, facts: map[string]string{"status": "500"}},
	{name: "python HTTPError", level: lvError,
		msg:  `requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: http://tax-api:8080/v1/rates`,
		kind: KindHTTP5xx, facts: map[string]string{"status": "503", "target": "tax-api:8080"}},
	{name: "retrofit HTTP 500", level: lvError,
		msg:  `retrofit2.HttpException: HTTP 500 `,
		kind: KindHTTP5xx, facts: map[string]string{"status": "500"}},
	{name: "returned 502", level: lvWarn,
		msg:  `tax-api call failed: server returned 502 after 3 retries`,
		kind: KindHTTP5xx, facts: map[string]string{"status": "502"}},
	{name: "logfmt status in message", level: lvWarn,
		msg:  `upstream call failed service=billing status=502 duration=12ms`,
		kind: KindHTTP5xx, facts: map[string]string{"status": "502"}},
	{name: "json app status field", format: "json", level: lvInfo,
		msg: `request completed`, fields: map[string]string{"status": "500", "path": "/api/invoice"},
		kind: KindHTTP5xx},
	{name: "json app 504 field", format: "json", level: lvInfo,
		msg: `request completed`, fields: map[string]string{"status": "504"},
		kind: KindTimeout},
	{name: "app text wins over status field", format: "json", level: lvError,
		msg: `call failed: dial tcp 10.0.2.5:8080: connect: connection refused`, fields: map[string]string{"status": "503"},
		kind: KindConnectionRefused, facts: map[string]string{"status": "503", "target": "10.0.2.5:8080"}},

	// ---- access records (fields, never text) -----------------------------
	{name: "nginx access 500", format: "nginx-access", level: lvError,
		msg: `GET /api/invoice/8812 HTTP/1.1 500 532`, fields: map[string]string{"status": "500", "method": "GET", "upstream": "10.0.2.5:8080"},
		kind: KindHTTP5xx, facts: map[string]string{"target": "10.0.2.5:8080"}},
	{name: "nginx access 502", format: "nginx-access", level: lvError,
		msg: `GET /api/invoice/8812 HTTP/1.1 502 157`, fields: map[string]string{"status": "502", "method": "GET", "upstream": "10.0.2.5:8080, 10.0.2.6:8080"},
		kind: KindUpstreamUnavailable, facts: map[string]string{"target": "10.0.2.6:8080"}},
	{name: "nginx access 503", format: "nginx-access", level: lvError,
		msg: `GET / HTTP/1.1 503 197`, fields: map[string]string{"status": "503", "method": "GET"},
		kind: KindUpstreamUnavailable},
	{name: "nginx access 504", format: "nginx-access", level: lvError,
		msg: `GET /api/report HTTP/1.1 504 167`, fields: map[string]string{"status": "504", "method": "GET", "upstream": "10.0.2.5:8080"},
		kind: KindTimeout, facts: map[string]string{"target": "10.0.2.5:8080"}},
	{name: "nginx access 200 with timeout in url", format: "nginx-access", level: lvInfo,
		msg: `GET /api/timeout-test?error=connection+refused HTTP/1.1 200 12`, fields: map[string]string{"status": "200", "method": "GET"},
		kind: ""},
	{name: "nginx access 404", format: "nginx-access", level: lvWarn,
		msg: `GET /favicon.ico HTTP/1.1 404 153`, fields: map[string]string{"status": "404", "method": "GET"},
		kind: ""},
	{name: "apache access 503 not a gateway", format: "apache-access", level: lvError,
		msg: `GET /cgi-bin/report HTTP/1.1 503 299`, fields: map[string]string{"status": "503", "method": "GET"},
		kind: KindHTTP5xx},
	{name: "ingress 503", format: "nginx-ingress", level: lvError,
		msg: `GET /api HTTP/2.0 503 190`, fields: map[string]string{"status": "503", "method": "GET", "upstream": "10.244.1.17:8080"},
		kind: KindUpstreamUnavailable, facts: map[string]string{"target": "10.244.1.17:8080"}},
	{name: "envoy UF", format: "envoy-access", level: lvError,
		msg: `GET /status/418 HTTP/1.1 503 UF`, fields: map[string]string{"status": "503", "method": "GET", "response_flags": "UF,URX", "upstream": "172.30.146.73:80"},
		kind: KindConnectionRefused, facts: map[string]string{"target": "172.30.146.73:80"}},
	{name: "envoy UH", format: "envoy-access", level: lvError,
		msg: `GET / HTTP/1.1 503 UH`, fields: map[string]string{"status": "503", "method": "GET", "response_flags": "UH"},
		kind: KindUpstreamUnavailable},
	{name: "envoy URX", format: "envoy-access", level: lvError,
		msg: `GET / HTTP/1.1 503 URX`, fields: map[string]string{"status": "503", "method": "GET", "response_flags": "URX"},
		kind: KindUpstreamUnavailable},
	{name: "envoy UT", format: "envoy-access", level: lvError,
		msg: `GET / HTTP/1.1 504 UT`, fields: map[string]string{"status": "504", "method": "GET", "response_flags": "UT"},
		kind: KindTimeout},
	{name: "envoy 503 passed through", format: "envoy-access", level: lvError,
		msg: `GET / HTTP/1.1 503 -`, fields: map[string]string{"status": "503", "method": "GET", "response_flags": "-"},
		kind: KindHTTP5xx},
	{name: "envoy 200", format: "envoy-access", level: lvInfo,
		msg: `GET /server_info HTTP/1.1 200 -`, fields: map[string]string{"status": "200", "method": "GET"},
		kind: ""},
	{name: "haproxy 503", format: "haproxy", level: lvError,
		msg: `10.0.0.7:51234 [15/Aug/2023:14:22:15.123] http-in app/<NOSRV> 0/-1/-1/-1/0 503 212 - - SC-- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`, fields: map[string]string{"status": "503", "method": "GET"},
		kind: KindUpstreamUnavailable},

	// ---- upstream_unavailable ----------------------------------------------
	{name: "nginx no live upstreams", format: "nginx-error", level: lvError,
		msg:  `*3 no live upstreams while connecting to upstream, client: 10.0.0.7, server: api.example.com, request: "GET /api/invoice HTTP/1.1", upstream: "http://invoice_backend/api/invoice", host: "api.example.com"`,
		kind: KindUpstreamUnavailable, facts: map[string]string{"target": "invoice_backend"}},
	{name: "envoy no healthy upstream", level: lvWarn,
		msg:  `no healthy upstream`,
		kind: KindUpstreamUnavailable},
	{name: "resilience4j open", level: lvWarn,
		msg:  `io.github.resilience4j.circuitbreaker.CallNotPermittedException: CircuitBreaker 'taxService' is OPEN and does not permit further calls`,
		kind: KindUpstreamUnavailable},
	{name: "resilience4j transition info", level: lvInfo,
		msg:  `CircuitBreaker 'taxService' changed state from CLOSED to OPEN`,
		kind: KindUpstreamUnavailable},
	{name: "hystrix short-circuited", level: lvError,
		msg:  `com.netflix.hystrix.exception.HystrixRuntimeException: getRates short-circuited and fallback failed.`,
		kind: KindUpstreamUnavailable},
	{name: "haproxy no server available", format: "haproxy", level: lvFatal,
		msg:  `backend invoice_backend has no server available!`,
		kind: KindUpstreamUnavailable},
	{name: "haproxy server down L7", format: "haproxy", level: lvWarn,
		msg:  `Server invoice_backend/web1 is DOWN, reason: Layer7 wrong status, code: 503, info: "Service Unavailable", check duration: 2ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		kind: KindUpstreamUnavailable},
	{name: "haproxy server down L4 refused", format: "haproxy", level: lvWarn,
		msg:  `Server invoice_backend/web1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		kind: KindConnectionRefused},

	// ---- kafka ---------------------------------------------------------------
	{name: "kafka poll timeout expired", format: "kafka", level: lvWarn,
		msg:  `[Consumer clientId=consumer-invoice-1, groupId=invoice] consumer poll timeout has expired. This means the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is spending too much time processing messages. You can address this either by increasing max.poll.interval.ms or by reducing the maximum size of batches returned in poll() with max.poll.records.`,
		kind: KindKafkaPollTimeout},
	{name: "kafka leave group due to poll timeout (info)", format: "kafka", level: lvInfo,
		msg:  `[Consumer clientId=consumer-invoice-1, groupId=invoice] Member consumer-invoice-1-5b1f0c1e-7c1d-4d7a-9d0e-1f0c1e7c1d4d sending LeaveGroup request to coordinator kafka-1:9092 (id: 2147483646 rack: null) due to consumer poll timeout has expired.`,
		kind: KindKafkaPollTimeout},
	{name: "kafka CommitFailedException", format: "kafka", level: lvError,
		msg:  `org.apache.kafka.clients.consumer.CommitFailedException: Commit cannot be completed since the group has already rebalanced and assigned the partitions to another member. This means that the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is spending too much time message processing.`,
		kind: KindKafkaPollTimeout},
	{name: "librdkafka max poll", level: lvError,
		msg:  `%4|1692108135.123|MAXPOLL|rdkafka#consumer-1| [thrd:main]: Application maximum poll interval (300000ms) exceeded by 89ms (adjust max.poll.interval.ms for long-running message processing): leaving group`,
		kind: KindKafkaPollTimeout},
	{name: "kafka preparing to rebalance", format: "kafka", level: lvInfo,
		msg:  `[GroupCoordinator 1]: Preparing to rebalance group invoice in state PreparingRebalance with old generation 5 (__consumer_offsets-12) (reason: removing member consumer-invoice-1-5b1f on heartbeat expiration)`,
		kind: KindKafkaRebalance},
	{name: "kafka rejoining group", format: "kafka", level: lvInfo,
		msg:  `[Consumer clientId=consumer-invoice-1, groupId=invoice] (Re-)joining group`,
		kind: KindKafkaRebalance},
	{name: "kafka heartbeat rebalancing", format: "kafka", level: lvInfo,
		msg:  `[Consumer clientId=consumer-invoice-1, groupId=invoice] Attempt to heartbeat failed since group is rebalancing`,
		kind: KindKafkaRebalance},
	{name: "kafka member failed", format: "kafka", level: lvInfo,
		msg:  `[GroupCoordinator 1]: Member consumer-invoice-1-5b1f in group invoice has failed, removing it from the group`,
		kind: KindKafkaRebalance},
	{name: "kafka stabilized", format: "kafka", level: lvInfo,
		msg:  `[GroupCoordinator 1]: Stabilized group invoice generation 6 (__consumer_offsets-12) with 2 members`,
		kind: KindKafkaRebalance},
	{name: "kafka broker may not be available", format: "kafka", level: lvWarn,
		msg:  `[Consumer clientId=consumer-invoice-1, groupId=invoice] Connection to node 1 (kafka-1/10.0.4.2:9092) could not be established. Broker may not be available.`,
		kind: KindKafkaBrokerUnavailable, facts: map[string]string{"target": "10.0.4.2:9092", "target_host": "kafka-1"}},
	{name: "kafka broker unresolved", format: "kafka", level: lvWarn,
		msg:  `[Producer clientId=producer-1] Connection to node -1 (kafka-1/<unresolved>:9092) could not be established. Broker may not be available.`,
		kind: KindKafkaBrokerUnavailable, facts: map[string]string{"target": "kafka-1:9092"}},
	{name: "kafka leader not available", format: "kafka", level: lvWarn,
		msg:  `[Producer clientId=producer-1] Error while fetching metadata with correlation id 7 : {invoices=LEADER_NOT_AVAILABLE}`,
		kind: KindKafkaBrokerUnavailable},
	{name: "kafka not leader or follower", format: "kafka", level: lvWarn,
		msg:  `[Producer clientId=producer-1] Got error produce response with correlation id 4122 on topic-partition invoices-3, retrying (2147483646 attempts left). Error: NOT_LEADER_OR_FOLLOWER`,
		kind: KindKafkaBrokerUnavailable},
	{name: "kafka shrinking isr (info)", format: "kafka", level: lvInfo,
		msg:  `[Partition invoices-3 broker=1] Shrinking ISR from 1,2,3 to 1. Leader: (highWatermark: 18273, endOffset: 18280). Out of sync replicas: (brokerId: 2, endOffset: 18273) (brokerId: 3, endOffset: 18270).`,
		kind: KindKafkaBrokerUnavailable},
	{name: "kafka corpus offline partition", format: "kafka", level: lvError,
		msg:  `[Controller id=1 epoch=25] Controller 1 epoch 25 failed to change state for partition xxx.xxx.na.och.aud.1-0-2 from OfflinePartition to OnlinePartition`,
		kind: KindKafkaBrokerUnavailable},
	{name: "kafka coordinator unavailable (info)", format: "kafka", level: lvInfo,
		msg:  `[Consumer clientId=consumer-invoice-1, groupId=invoice] Group coordinator kafka-2:9092 (id: 2147483645 rack: null) is unavailable or invalid due to cause: coordinator unavailable. isDisconnected: false. Rediscovery will be attempted.`,
		kind: KindKafkaBrokerUnavailable, facts: map[string]string{"target": "kafka-2:9092"}},
	{name: "kafka bootstrap disconnected", format: "kafka", level: lvWarn,
		msg:  `[AdminClient clientId=adminclient-1] Bootstrap broker kafka-1:9092 (id: -1 rack: null) disconnected`,
		kind: KindKafkaBrokerUnavailable, facts: map[string]string{"target": "kafka-1:9092"}},

	// ---- databases -------------------------------------------------------------
	{name: "mysql lock wait", level: lvError,
		msg:  `ERROR 1205 (HY000): Lock wait timeout exceeded; try restarting transaction`,
		kind: KindDatabaseLock, facts: map[string]string{"error_code": "1205"}},
	{name: "hibernate lock wait", level: lvWarn,
		msg:  `SQL Error: 1205, SQLState: 40001`,
		kind: ""},
	{name: "jdbc lock wait", level: lvError,
		msg:  `com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException: Lock wait timeout exceeded; try restarting transaction`,
		kind: KindDatabaseLock},
	{name: "mysql deadlock", level: lvError,
		msg:  `Error 1213 (40001): Deadlock found when trying to get lock; try restarting transaction`,
		kind: KindDatabaseLock, facts: map[string]string{"error_code": "1213"}},
	{name: "node mysql deadlock code", level: lvError,
		msg:  `Error: ER_LOCK_DEADLOCK: Deadlock found when trying to get lock; try restarting transaction`,
		kind: KindDatabaseLock, facts: map[string]string{"error_code": "ER_LOCK_DEADLOCK"}},
	{name: "mysql8 deadlock note", format: "mysql-error", level: lvInfo,
		msg: `Transactions deadlock detected, dumping detailed information.`, fields: map[string]string{"error_code": "MY-012468"},
		kind: KindDatabaseLock, facts: map[string]string{"error_code": "MY-012468"}},
	{name: "pg deadlock", format: "postgresql", level: lvError,
		msg:  `deadlock detected`,
		kind: KindDatabaseLock},
	{name: "duplicate entry app", level: lvError,
		msg:  `Error 1062 (23000): Duplicate entry 'INV-2023-0815-0042' for key 'invoices.uk_invoice_no'`,
		kind: KindDuplicateTransaction, facts: map[string]string{"error_code": "1062"}},
	{name: "duplicate entry on replica", format: "mysql-error", level: lvError,
		msg:  `Slave SQL for channel '': Could not execute Write_rows event on table shop.invoices; Duplicate entry '8812' for key 'PRIMARY', Error_code: 1062; handler error HA_ERR_FOUND_DUPP_KEY; the event's master log mysql-bin.000014, end_log_pos 645, Error_code: MY-001062`,
		kind: KindDuplicateTransaction, facts: map[string]string{"error_code": "1062"}},
	{name: "mariadb duplicate gtid", format: "mysql-error", level: lvError,
		msg:  `Slave SQL: Error during XID COMMIT: failed to update GTID state in mysql.gtid_slave_pos: 1062: Duplicate entry '0-71143' for key 'PRIMARY', Gtid 0-1684298499-71198, Internal MariaDB error code: 1942`,
		kind: KindDuplicateTransaction},
	{name: "pg unique violation", format: "postgresql", level: lvError,
		msg:  `duplicate key value violates unique constraint "invoices_invoice_no_key"`,
		kind: KindDuplicateTransaction},
	{name: "replica io connect error", format: "mysql-error", level: lvError,
		msg:  `Slave I/O for channel '': error connecting to master 'repl@db-1:3306' - retry-time: 60 retries: 1 message: Can't connect to MySQL server on 'db-1:3306' (111), Error_code: MY-002003`,
		kind: KindReplicationError, facts: map[string]string{"target": "db-1:3306", "error_code": "MY-002003"}},
	{name: "replica sql error mysql8", format: "mysql-error", level: lvError,
		msg:  `Replica SQL for channel '': Worker 1 failed executing transaction 'ANONYMOUS' at source log mysql-bin.000003, end_log_pos 1234; Error 'Table 'shop.orders' doesn't exist' on query. Default database: 'shop'. Query: 'INSERT INTO orders VALUES (1)', Error_code: MY-001146`,
		kind: KindReplicationError, facts: map[string]string{"error_code": "MY-001146"}},
	{name: "error reading packet", format: "mysql-error", level: lvError,
		msg:  `Error reading packet from server for channel '': Lost connection to MySQL server during query (server_errno=2013)`,
		kind: KindReplicationError, facts: map[string]string{"error_code": "2013"}},
	{name: "replica sql thread started is not an error", format: "mysql-error", level: lvInfo,
		msg:  `Slave SQL thread for channel '' initialized, starting replication in log 'mysql-bin.000003' at position 1234, relay log './db-2-relay-bin.000002' position: 4`,
		kind: ""},
	{name: "mysql too many connections", level: lvError,
		msg:  `java.sql.SQLNonTransientConnectionException: Data source rejected establishment of connection,  message from server: "Too many connections"`,
		kind: KindDatabaseConnectionError},
	{name: "hikari pool exhausted", level: lvError,
		msg:  `HikariPool-1 - Connection is not available, request timed out after 30000ms.`,
		kind: KindDatabaseConnectionError},
	{name: "pg too many clients", format: "postgresql", level: lvFatal,
		msg:  `sorry, too many clients already`,
		kind: KindDatabaseConnectionError},
	{name: "communications link failure alone", level: lvError,
		msg:  "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure\n\nThe last packet successfully received from the server was 15,022 milliseconds ago. The last packet sent successfully to the server was 15,023 milliseconds ago.",
		kind: KindDatabaseConnectionError},
	{name: "jdbc url target", level: lvError,
		msg:  `Could not open JDBC Connection for transaction; nested exception is java.sql.SQLException: Cannot create PoolableConnectionFactory (Unknown database 'invoice') url=jdbc:mysql://db-1:3306/invoice`,
		kind: KindDatabaseConnectionError, facts: map[string]string{"target": "db-1:3306"}},
	{name: "jdbc url default port", level: lvError,
		msg:  `Unable to acquire JDBC Connection [jdbc:postgresql://db-2/ledger]`,
		kind: KindDatabaseConnectionError, facts: map[string]string{"target": "db-2:5432"}},
	{name: "pg socket failed", level: lvError,
		msg:  `connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory` + "\n\tIs the server running locally and accepting connections on that socket?",
		kind: KindDatabaseConnectionError},
	{name: "mysql gone away", level: lvError,
		msg:  `(2006, 'MySQL server has gone away')`,
		kind: KindDatabaseConnectionError},
	{name: "mysql shutdown complete (note)", format: "mysql-error", level: lvInfo,
		msg:  `/usr/sbin/mysqld: Shutdown complete`,
		kind: KindDatabaseUnavailable},
	{name: "mysql8 shutdown complete (system)", format: "mysql-error", level: lvInfo,
		msg:  `[Server] /usr/sbin/mysqld: Shutdown complete (mysqld 8.0.15)  MySQL Community Server - GPL.`,
		kind: KindDatabaseUnavailable},
	{name: "mysql normal shutdown", format: "mysql-error", level: lvInfo,
		msg:  `/usr/sbin/mysqld: Normal shutdown`,
		kind: KindDatabaseUnavailable},
	{name: "innodb starting shutdown", format: "mysql-error", level: lvInfo,
		msg:  `InnoDB: Starting shutdown...`,
		kind: KindDatabaseUnavailable},
	{name: "mysqld got signal", format: "mysql-error", level: lvNone,
		msg:  `mysqld got signal 11 ;`,
		kind: KindDatabaseUnavailable},
	{name: "mysql aborting", format: "mysql-error", level: lvError,
		msg: `Aborting`, fields: map[string]string{"error_code": "MY-010119"},
		kind: KindDatabaseUnavailable},
	{name: "aborting elsewhere is not a database", format: "logback", level: lvError,
		msg:  `Aborting batch 8812 after validation errors`,
		kind: ""},
	{name: "pg shut down", format: "postgresql", level: lvInfo,
		msg:  `database system is shut down`,
		kind: KindDatabaseUnavailable},
	{name: "pg starting up to client", format: "postgresql", level: lvFatal,
		msg:  `the database system is starting up`,
		kind: KindDatabaseUnavailable},
	{name: "pg admin shutdown wins over reset", level: lvError,
		msg:  "FATAL:  terminating connection due to administrator command\nserver closed the connection unexpectedly\n\tThis probably means the server terminated abnormally",
		kind: KindDatabaseUnavailable},
	{name: "pg backend killed", format: "postgresql", level: lvInfo,
		msg:  `server process (PID 2301) was terminated by signal 9: Killed`,
		kind: KindDatabaseUnavailable},
	{name: "mysql slow log entry", format: "mysql-slow", level: lvNone,
		msg: "# Query_time: 12.004  Lock_time: 0.000 Rows_sent: 1  Rows_examined: 8812331\nSELECT * FROM invoices WHERE note LIKE '%timeout%';", fields: map[string]string{"query_time_s": "12.004"},
		kind: KindSlowQuery},
	{name: "pg slow statement", format: "postgresql", level: lvInfo,
		msg:  `duration: 5123.456 ms  statement: SELECT * FROM invoices WHERE customer_id = 42`,
		kind: KindSlowQuery},
	{name: "mongodb slow query (info)", format: "json", level: lvInfo,
		msg:  `Slow query`,
		kind: KindSlowQuery},
	{name: "slow query log setting is not slow", level: lvWarn,
		msg:  `slow query log is enabled, long_query_time=2`,
		kind: ""},
	{name: "binlog statement is not text-classified", format: "mysql-binlog", level: lvNone,
		msg:  "INSERT INTO audit VALUES ('connection refused', 'Lock wait timeout exceeded')",
		kind: ""},
	{name: "binlog explicit error", format: "mysql-binlog", level: lvNone,
		msg:  `ERROR: Error in Log_event::read_log_event(): 'read error', data_len: 8201, event_type: 30`,
		kind: KindReplicationError},
	{name: "binlog duplicate error", format: "mysql-binlog", level: lvError,
		msg:  `ERROR 1062 (23000) at line 1234: Duplicate entry '8812' for key 'PRIMARY'`,
		kind: KindDuplicateTransaction, facts: map[string]string{"error_code": "1062"}},

	// ---- dns_failure -------------------------------------------------------------
	{name: "go no such host", level: lvError,
		msg:  `dial tcp: lookup db-1 on 10.96.0.10:53: no such host`,
		kind: KindDNSFailure, facts: map[string]string{"host": "db-1", "target": "db-1"}},
	{name: "go lookup timeout is dns", level: lvError,
		msg:  `dial tcp: lookup kafka-1: i/o timeout`,
		kind: KindDNSFailure, facts: map[string]string{"host": "kafka-1"}},
	{name: "java unknown host", level: lvError,
		msg:  `java.net.UnknownHostException: api.tax.example.gov`,
		kind: KindDNSFailure, facts: map[string]string{"host": "api.tax.example.gov"}},
	{name: "zookeeper unknown host (corpus)", format: "kafka", level: lvError,
		msg:  "Unable to resolve address: zookeeper:2181\njava.net.UnknownHostException: zookeeper: Name or service not known\n\tat java.net.Inet4AddressImpl.lookupAllHostAddr(Native Method)",
		kind: KindDNSFailure, facts: map[string]string{"host": "zookeeper"}},
	{name: "node enotfound", level: lvError,
		msg:  `Error: getaddrinfo ENOTFOUND api.tax.example.gov`,
		kind: KindDNSFailure, facts: map[string]string{"host": "api.tax.example.gov"}},
	{name: "pg translate host name", level: lvFatal,
		msg:  `could not translate host name "db-1" to address: Name or service not known`,
		kind: KindDNSFailure, facts: map[string]string{"host": "db-1"}},
	{name: "nginx resolver", format: "nginx-error", level: lvError,
		msg: `*9 api.tax.example.gov could not be resolved (3: Host not found), client: 10.0.0.7, server: gw, request: "GET /rates HTTP/1.1", host: "gw.example.com"`, fields: map[string]string{"host": "gw.example.com"},
		kind: KindDNSFailure, facts: map[string]string{"host": "gw.example.com", "target": "api.tax.example.gov"}},
	{name: "nginx host not found in upstream", format: "nginx-error", level: lvFatal,
		msg:  `host not found in upstream "invoice:8080" in /etc/nginx/conf.d/default.conf:12`,
		kind: KindDNSFailure, facts: map[string]string{"host": "invoice", "target": "invoice:8080"}},
	{name: "kafka dns resolution failed", format: "kafka", level: lvWarn,
		msg:  `Couldn't resolve server kafka-1:9092 from bootstrap.servers as DNS resolution failed for kafka-1`,
		kind: KindDNSFailure, facts: map[string]string{"host": "kafka-1"}},
	{name: "python name resolution", level: lvError,
		msg:  `urllib3.exceptions.NameResolutionError: <urllib3.connection.HTTPSConnection object at 0x7f0c>: Failed to resolve 'api.tax.example.gov' ([Errno -3] Temporary failure in name resolution)`,
		kind: KindDNSFailure, facts: map[string]string{"host": "api.tax.example.gov", "error_code": "-3"}},

	// ---- tls_error -----------------------------------------------------------------
	{name: "nginx ssl handshake", format: "nginx-error", level: lvError,
		msg:  `*31 SSL_do_handshake() failed (SSL: error:1408F10B:SSL routines:ssl3_get_record:wrong version number) while SSL handshaking to upstream, client: 10.0.0.7, server: gw, request: "GET / HTTP/1.1", upstream: "https://10.0.2.5:8443/", host: "gw"`,
		kind: KindTLSError, facts: map[string]string{"target": "10.0.2.5:8443"}},
	{name: "go x509 expired", level: lvError,
		msg:  `Get "https://api.tax.example.gov/v2/rates": x509: certificate has expired or is not yet valid: current time 2023-08-15T14:22:15Z is after 2023-08-14T23:59:59Z`,
		kind: KindTLSError, facts: map[string]string{"target": "api.tax.example.gov:443"}},
	{name: "java pkix", level: lvError,
		msg:  `javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target`,
		kind: KindTLSError},
	{name: "go tls handshake error", level: lvNone,
		msg:  `http: TLS handshake error from 10.0.0.9:51234: remote error: tls: bad certificate`,
		kind: KindTLSError},
	{name: "python cert verify", level: lvError,
		msg:  `ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1131)`,
		kind: KindTLSError},
	{name: "tls wins over reset", format: "nginx-error", level: lvError,
		msg:  `*8 peer closed connection in SSL handshake (104: Connection reset by peer) while SSL handshaking to upstream, client: 10.0.0.7, server: gw, request: "GET / HTTP/1.1", upstream: "https://10.0.2.5:8443/", host: "gw"`,
		kind: KindConnectionReset, facts: map[string]string{"target": "10.0.2.5:8443"}},

	// ---- resource_exhausted ----------------------------------------------------------
	{name: "kernel oom kill", format: "syslog", level: lvNone,
		msg:  `Out of memory: Killed process 23810 (java) total-vm:8262244kB, anon-rss:4128812kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:8612kB oom_score_adj:0`,
		kind: KindResourceExhausted},
	{name: "k8s oomkilled", level: lvInfo,
		msg:  `Container invoice-service in pod invoice-7d9c5 was terminated: reason=OOMKilled exitCode=137`,
		kind: KindResourceExhausted},
	{name: "java oom", level: lvError,
		msg:  "Exception in thread \"kafka-consumer-1\" java.lang.OutOfMemoryError: Java heap space",
		kind: KindResourceExhausted},
	{name: "python MemoryError", level: lvError,
		msg:  "Traceback (most recent call last):\n  File \"/app/report.py\", line 88, in build\n    rows = list(cursor)\nMemoryError",
		kind: KindResourceExhausted},
	{name: "disk full", level: lvError,
		msg:  `failed to write segment: write /var/lib/kafka/data/invoices-3/00000000000000018273.log: no space left on device`,
		kind: KindResourceExhausted},
	{name: "mysql errno 28", format: "mysql-error", level: lvError,
		msg:  `Error writing file '/var/lib/mysql/binlog.000042' (errno: 28 - No space left on device)`,
		kind: KindResourceExhausted, facts: map[string]string{"error_code": "28"}},
	{name: "mysql errno 28 alone", format: "mysql-error", level: lvError,
		msg:  `Disk is full writing './mysql-bin.000123' (Errcode: 28). Waiting for someone to free space...`,
		kind: KindResourceExhausted, facts: map[string]string{"error_code": "28"}},
	{name: "mysql 5.5 errcode 28 only", format: "mysql-error", level: lvError,
		msg:  `Error writing file '/tmp/MYqNE4FF' (Errcode: 28)`,
		kind: KindResourceExhausted, facts: map[string]string{"error_code": "28"}},
	{name: "grpc resource exhausted", level: lvError,
		msg:  `io.grpc.StatusRuntimeException: RESOURCE_EXHAUSTED: grpc: received message larger than max (8812331 vs. 4194304)`,
		kind: KindResourceExhausted},
	{name: "java rejected execution", level: lvError,
		msg:  `java.util.concurrent.RejectedExecutionException: Task java.util.concurrent.FutureTask@5b1f rejected from java.util.concurrent.ThreadPoolExecutor@7c1d[Running, pool size = 200, active threads = 200, queued tasks = 1000, completed tasks = 88123]`,
		kind: KindResourceExhausted},
	{name: "errno 280 is not disk", format: "mysql-error", level: lvError,
		msg:  `Got error (errno: 280) from storage engine`,
		kind: ""},
	{name: "nginx too many open files", format: "nginx-error", level: lvFatal,
		msg:  `accept4() failed (24: Too many open files)`,
		kind: KindResourceExhausted, facts: map[string]string{"error_code": "24"}},
	{name: "resource exhausted beats replication", format: "mysql-error", level: lvError,
		msg:  `Slave SQL for channel '': Error writing file '/tmp/MLfd=42' (Errcode: 28 - No space left on device), Error_code: MY-000003`,
		kind: KindResourceExhausted},

	// ---- process_restart -------------------------------------------------------------
	{name: "mysql ready for connections", format: "mysql-error", level: lvInfo,
		msg:  `/usr/sbin/mysqld: ready for connections.` + "\nVersion: '10.4.8-MariaDB-log'  socket: '/data/mysqldata/mysql.sock'  port: 3306  MariaDB Server",
		kind: KindProcessRestart},
	{name: "mysql starting as process", format: "mysql-error", level: lvInfo,
		msg:  `/usr/local/Cellar/mysql/5.7.10/bin/mysqld (mysqld 5.7.10) starting as process 61571 ...`,
		kind: KindProcessRestart},
	{name: "mysqld_safe start", format: "mysql-error", level: lvNone,
		msg:  `mysqld_safe Starting mysqld daemon with databases from /usr/local/var/mysql`,
		kind: KindProcessRestart},
	{name: "innodb crash recovery", format: "mysql-error", level: lvInfo,
		msg:  `InnoDB: Database was not shutdown normally!`,
		kind: KindProcessRestart},
	{name: "pg ready", format: "postgresql", level: lvInfo,
		msg:  `database system is ready to accept connections`,
		kind: KindProcessRestart},
	{name: "kafka server started", format: "kafka", level: lvInfo,
		msg:  `[KafkaServer id=1] started`,
		kind: KindProcessRestart},
	{name: "spring boot started", level: lvInfo,
		msg:  `Started InvoiceApplication in 7.412 seconds (JVM running for 8.233)`,
		kind: KindProcessRestart},
	{name: "nginx sigterm", format: "nginx-error", level: lvNotice,
		msg:  `signal 15 (SIGTERM) received from 1, exiting`,
		kind: KindProcessRestart},
	{name: "nginx worker killed", format: "nginx-error", level: lvFatal,
		msg:  `worker process 4112 exited on signal 9`,
		kind: KindProcessRestart},
	{name: "systemd restart", format: "syslog", level: lvNone,
		msg:  `invoice.service: Scheduled restart job, restart counter is at 3.`,
		kind: KindProcessRestart},
	{name: "k8s backoff", level: lvWarn,
		msg:  `Back-off restarting failed container invoice in pod invoice-7d9c5_shop(0b6f)`,
		kind: KindProcessRestart},
	{name: "go panic", level: lvNone,
		msg:  "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b4f1a]",
		kind: KindProcessRestart},
	{name: "go panic plain", level: lvNone,
		msg:  "panic: assignment to entry in nil map\n\ngoroutine 42 [running]:\nmain.(*cache).put(...)",
		kind: KindProcessRestart},
	{name: "go goroutine dump line", level: lvNone,
		msg:  "goroutine 1 [running]:",
		kind: KindProcessRestart},
	{name: "go panic caused by refused", level: lvNone,
		msg:  "panic: dial tcp 10.0.3.7:3306: connect: connection refused\n\ngoroutine 1 [running]:",
		kind: KindConnectionRefused, facts: map[string]string{"target": "10.0.3.7:3306"}},

	// ---- config_error ------------------------------------------------------------------
	{name: "nginx bind in use", format: "nginx-error", level: lvFatal,
		msg:  `bind() to 0.0.0.0:9443 failed (98: Address already in use)`,
		kind: KindConfigError, facts: map[string]string{"target": "0.0.0.0:9443", "error_code": "98"}},
	{name: "go listen in use", level: lvFatal,
		msg:  `listen tcp :8080: bind: address already in use`,
		kind: KindConfigError},
	{name: "nginx unknown directive", format: "nginx-error", level: lvFatal,
		msg:  `unknown directive "proxy_passs" in /etc/nginx/conf.d/default.conf:14`,
		kind: KindConfigError},
	{name: "nginx invalid value", format: "nginx-error", level: lvFatal,
		msg:  `invalid value "onn" in /etc/nginx/nginx.conf:33`,
		kind: KindConfigError},
	{name: "nginx permission denied", format: "nginx-error", level: lvError,
		msg:  `*1 connect() to unix:/run/php/php8.1-fpm.sock failed (13: Permission denied) while connecting to upstream, client: 10.0.0.7, server: _, request: "GET /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.1-fpm.sock:", host: "shop"`,
		kind: KindConfigError, facts: map[string]string{"error_code": "13", "target": ""}},
	{name: "nginx config test failed", format: "nginx-error", level: lvFatal,
		msg:  `nginx: configuration file /etc/nginx/nginx.conf test failed`,
		kind: KindConfigError},
	{name: "pg hba", level: lvFatal,
		msg:  `connection to server at "db-1" (10.0.3.7), port 5432 failed: FATAL:  no pg_hba.conf entry for host "10.0.1.5", user "invoice", database "ledger", no encryption`,
		kind: KindConfigError, facts: map[string]string{"target": "10.0.3.7:5432"}},
	{name: "mysql unknown variable", format: "mysql-error", level: lvError,
		msg:  `unknown variable 'innodb_buffer_pool_szie=4G'.`,
		kind: KindConfigError},
	{name: "mysql access denied", level: lvError,
		msg:  `ERROR 1045 (28000): Access denied for user 'invoice'@'10.0.1.5' (using password: YES)`,
		kind: KindConfigError, facts: map[string]string{"error_code": "1045"}},
	{name: "invalid value in app validation is not config", level: lvWarn,
		msg:  `invalid value for field amount: -12.00`,
		kind: ""},

	// ---- level gating and things that are not failures ----------------------------------
	{name: "info timeout config", level: lvInfo,
		msg:  `HTTP client configured: timeout=30s, retries=3, connect timeout 5s`,
		kind: ""},
	{name: "info connection refused mention", level: lvInfo,
		msg:  `retrying after connection refused (attempt 1/5)`,
		kind: ""},
	{name: "debug rebalance", format: "kafka", level: lvDebug,
		msg:  `[Consumer clientId=consumer-1, groupId=invoice] (Re-)joining group`,
		kind: ""},
	{name: "trace timed out", level: lvTrace,
		msg:  `read timed out`,
		kind: ""},
	{name: "zero errors", level: lvInfo,
		msg:  `batch done: 1200 records, 0 errors, 0 timeouts`,
		kind: ""},
	{name: "zero errors warn", level: lvWarn,
		msg:  `batch slow: 1200 records in 14s, 0 errors`,
		kind: ""},
	{name: "health check", level: lvInfo,
		msg:  `GET /healthz 200 OK (1.2ms)`,
		kind: ""},
	{name: "kafka consumer config dump", format: "kafka", level: lvInfo,
		msg:  "ConsumerConfig values: \n\tallow.auto.create.topics = true\n\tmax.poll.interval.ms = 300000\n\trequest.timeout.ms = 30000\n\tsession.timeout.ms = 45000",
		kind: ""},
	{name: "kafka unknown config warn", format: "kafka", level: lvWarn,
		msg:  `The configuration 'max.poll.interval.ms' was supplied but isn't a known config.`,
		kind: ""},
	{name: "zookeeper negotiated timeout (corpus)", format: "kafka", level: lvInfo,
		msg:  `Session establishment complete on server localhost/0:0:0:0:0:0:0:1:2181, sessionid = 0x15dabf8d4140000, negotiated timeout = 6000`,
		kind: ""},
	{name: "kafka expiration reaper rebalance (corpus)", format: "kafka", level: lvInfo,
		msg:  `[ExpirationReaper-10-Rebalance]: Shutting down`,
		kind: ""},
	{name: "mysql self signed CA warning (corpus)", format: "mysql-error", level: lvWarn,
		msg:  `CA certificate ca.pem is self signed.`,
		kind: ""},
	{name: "nginx favicon 404 (corpus)", format: "nginx-error", level: lvError,
		msg:  `*1 open() "/usr/local/Cellar/nginx/1.10.2_1/html/favicon.ico" failed (2: No such file or directory), client: 127.0.0.1, server: localhost, request: "GET /favicon.ico HTTP/1.1", host: "localhost:8080", referrer: "http://localhost:8080/"`,
		kind: ""},
	{name: "kafka fetch error at shutdown (corpus)", format: "kafka", level: lvInfo,
		msg:  `[ReplicaFetcher replicaId=10, leaderId=20, fetcherId=0] Error sending fetch request (sessionId=1901923426, epoch=30531) to node 20: java.nio.channels.ClosedSelectorException.`,
		kind: ""},
	{name: "nginx client closed (info)", format: "nginx-error", level: lvInfo,
		msg:  `*7 client prematurely closed connection while reading client request line, client: 10.0.0.7, server: _`,
		kind: ""},
	{name: "status 200 field not access", format: "json", level: lvInfo,
		msg: `done`, fields: map[string]string{"status": "200"},
		kind: ""},
	{name: "status 5 of 10 is not http", level: lvWarn,
		msg:  `retry status 5 of 10 for job 8812`,
		kind: ""},
	{name: "parser target kept", level: lvError,
		msg: `dial tcp 10.0.3.7:3306: connect: connection refused`, fields: map[string]string{"target": "db-1:3306"},
		kind: KindConnectionRefused, facts: map[string]string{"target": "db-1:3306"}},
}

func TestClassify(t *testing.T) {
	c := testClassifier()
	for _, tc := range classifyCases {
		t.Run(tc.name, func(t *testing.T) {
			ev := tc.event()
			got := c.Classify(ev)
			if got != tc.kind {
				_, ri := c.classify(tc.event())
				rn := "-"
				if ri >= 0 {
					rn = c.rules[ri].name
				}
				t.Fatalf("Classify(%q) = %q (rule %s), want %q", tc.msg, got, rn, tc.kind)
			}
			if ev.Kind != got {
				t.Errorf("ev.Kind = %q, want %q", ev.Kind, got)
			}
			for k, want := range tc.facts {
				if v, _ := ev.Get(k); v != want {
					t.Errorf("Classify(%q): field %s = %q, want %q (fields %v)", tc.msg, k, v, want, ev.Fields)
				}
			}
		})
	}
}

// TestEveryRuleExercised keeps the table honest: each rule of rules.go
// decides at least one case above, and every kind appears.
func TestEveryRuleExercised(t *testing.T) {
	c := testClassifier()
	used := map[string]bool{}
	kinds := map[string]bool{}
	for _, tc := range classifyCases {
		k, ri := c.classify(tc.event())
		if ri >= 0 {
			used[c.rules[ri].name] = true
		}
		kinds[k] = true
	}
	for _, r := range rules {
		if !used[r.name] {
			t.Errorf("rule %s (%s) decides no test case", r.name, r.kind)
		}
	}
	for _, k := range Kinds() {
		if !kinds[k] {
			t.Errorf("kind %s is produced by no test case", k)
		}
	}
}

func TestRuleTable(t *testing.T) {
	names := map[string]bool{}
	for _, r := range rules {
		if names[r.name] {
			t.Errorf("duplicate rule name %q", r.name)
		}
		names[r.name] = true
		if !IsKind(r.kind) {
			t.Errorf("rule %s: kind %q is not in the vocabulary", r.name, r.kind)
		}
	}
	for _, f := range envoyFlags {
		if f.kind != "" && !IsKind(f.kind) {
			t.Errorf("envoy flag %s: kind %q is not in the vocabulary", f.flag, f.kind)
		}
	}
	if len(Kinds()) != 19 {
		t.Errorf("len(Kinds()) = %d, want the 19 kinds of report-v1.md", len(Kinds()))
	}
	NewClassifier() // panics on a malformed table
}

// TestPrecedence pins the decisions documented in rules.go.
func TestPrecedence(t *testing.T) {
	c := testClassifier()
	cases := []struct {
		msg  string
		want string
	}{
		{"Lock wait timeout exceeded; try restarting transaction", KindDatabaseLock},
		{"HikariPool-1 - Connection is not available, request timed out after 30000ms.", KindDatabaseConnectionError},
		{"Communications link failure\nCaused by: java.net.ConnectException: Connection refused", KindConnectionRefused},
		{"Communications link failure", KindDatabaseConnectionError},
		{"Communications link failure\nCaused by: java.net.SocketTimeoutException: connect timed out", KindTimeout},
		{"connect() failed (111: Connection refused) after the request timed out", KindConnectionRefused},
		{"Slave SQL for channel '': ... Duplicate entry '1' for key 'PRIMARY', Error_code: 1062", KindDuplicateTransaction},
		{"Slave I/O for channel '': error connecting to master 'repl@db-1:3306' ... Access denied for user 'repl'@'10.0.3.8' (using password: YES)", KindConfigError},
		{"Slave I/O for channel '': error connecting to master 'repl@db-1:3306' ... Unknown MySQL server host 'db-1' (-2)", KindDNSFailure},
		{"consumer poll timeout has expired ... group is rebalancing", KindKafkaPollTimeout},
		{"api.tax.example.gov could not be resolved (110: Operation timed out)", KindDNSFailure},
		{"net/http: TLS handshake timeout", KindTimeout},
		{"Error writing file (Errcode: 28 - No space left on device) Permission denied", KindResourceExhausted},
		{"Out of memory: Killed process 1234 (mysqld)", KindResourceExhausted},
		{"could not translate host name \"db-1\" to address: Name or service not known ... connection refused", KindDNSFailure},
		{"HTTP 503 Service Unavailable: connection reset by peer", KindConnectionReset},
	}
	for _, tc := range cases {
		ev := &event.Event{Level: event.LevelError, Message: tc.msg}
		if got := c.Classify(ev); got != tc.want {
			t.Errorf("Classify(%q) = %q, want %q", tc.msg, got, tc.want)
		}
	}
}

// TestLevelGating: failure rules need warn+ or no level; signal rules also
// take info and notice; trace and debug are never classified.
func TestLevelGating(t *testing.T) {
	c := testClassifier()
	failure := "read tcp 10.0.1.5:43210->10.0.3.7:3306: read: connection reset by peer"
	signal := "[GroupCoordinator 1]: Preparing to rebalance group invoice in state PreparingRebalance with old generation 5"
	for _, tc := range []struct {
		level        event.Level
		failure, sig string
	}{
		{lvNone, KindConnectionReset, KindKafkaRebalance},
		{lvTrace, "", ""},
		{lvDebug, "", ""},
		{lvInfo, "", KindKafkaRebalance},
		{lvNotice, "", KindKafkaRebalance},
		{lvWarn, KindConnectionReset, KindKafkaRebalance},
		{lvError, KindConnectionReset, KindKafkaRebalance},
		{lvFatal, KindConnectionReset, KindKafkaRebalance},
	} {
		if got := c.Classify(&event.Event{Level: tc.level, Message: failure}); got != tc.failure {
			t.Errorf("level %q: Classify(failure line) = %q, want %q", tc.level, got, tc.failure)
		}
		if got := c.Classify(&event.Event{Level: tc.level, Message: signal}); got != tc.sig {
			t.Errorf("level %q: Classify(signal line) = %q, want %q", tc.level, got, tc.sig)
		}
	}
}

// TestWindow: literals past the head of a long message are found in its
// "Caused by:" lines and its last line, and nowhere else.
func TestWindow(t *testing.T) {
	c := testClassifier()
	frames := strings.Repeat("\tat com.example.invoice.InvoiceRepository.save(InvoiceRepository.java:42)\n", 100)
	for _, tc := range []struct {
		name, msg, want string
	}{
		{"caused by deep", "org.springframework.dao.DataAccessResourceFailureException: could not execute statement\n" + frames +
			"Caused by: java.net.ConnectException: Connection refused: db-1/10.0.3.7:3306\n" + frames, KindConnectionRefused},
		{"python last line", "Traceback (most recent call last):\n" + strings.Repeat("  File \"/app/invoice.py\", line 42, in save\n    db.commit()\n", 100) +
			"pymysql.err.OperationalError: (1205, 'Lock wait timeout exceeded; try restarting transaction')\n", KindDatabaseLock},
		{"middle frame ignored", "java.lang.IllegalStateException: bad state\n" + frames + "\tat com.example.ConnectionRefusedHandler.handle(Connection refused.java:1)\n" + frames, ""},
	} {
		ev := &event.Event{Level: event.LevelError, Message: tc.msg}
		if got := c.Classify(ev); got != tc.want {
			t.Errorf("%s: Classify = %q, want %q", tc.name, got, tc.want)
		}
	}
	ev := &event.Event{Level: event.LevelError, Message: "x\n" + frames + "Caused by: java.net.ConnectException: Connection refused: db-1/10.0.3.7:3306"}
	c.Classify(ev)
	if v, _ := ev.Get("target"); v != "10.0.3.7:3306" {
		t.Errorf("target from a Caused by line = %q, want 10.0.3.7:3306", v)
	}
}

func TestDeterministicAndIdempotent(t *testing.T) {
	c := testClassifier()
	for _, tc := range classifyCases {
		a, b := tc.event(), tc.event()
		ka, kb := c.Classify(a), c.Classify(b)
		kc := c.Classify(a) // again, on an event that already has facts
		if ka != kb || ka != kc {
			t.Errorf("%s: kinds %q, %q, %q differ", tc.name, ka, kb, kc)
		}
		if len(a.Fields) != len(b.Fields) {
			t.Errorf("%s: re-classifying changed fields: %v vs %v", tc.name, a.Fields, b.Fields)
		}
	}
}

func TestConcurrent(t *testing.T) {
	c := testClassifier()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				for _, tc := range classifyCases {
					if got := c.Classify(tc.event()); got != tc.kind {
						t.Errorf("%s: concurrent Classify = %q, want %q", tc.name, got, tc.kind)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestNoAllocsWhenNothingMatches(t *testing.T) {
	c := testClassifier()
	ev := &event.Event{Level: event.LevelInfo, Format: "kafka",
		Message: "[Consumer clientId=consumer-invoice-1, groupId=invoice] Committed offset 18273 for partition invoices-3"}
	if n := testing.AllocsPerRun(1000, func() { c.Classify(ev) }); n != 0 {
		t.Errorf("Classify of a non-matching line: %v allocs, want 0", n)
	}
	warn := &event.Event{Level: event.LevelWarn, Message: "slow batch: 1200 records in 14s, 0 errors"}
	if n := testing.AllocsPerRun(1000, func() { c.Classify(warn) }); n != 0 {
		t.Errorf("Classify of a non-matching warn line: %v allocs, want 0", n)
	}
}

// correlateCorpusDir is the shared reference corpus, beside the repo.
func correlateCorpusDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not found at %s", dir)
	}
	return dir
}

// correlateLevelRe finds the level word of a corpus line well enough for
// this test (the real decoders live in pkg/parse).
var correlateLevelRe = regexp.MustCompile(`\[(Note|Warning|ERROR|System|error|warn|notice|info|crit|emerg|alert)\]|\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) |\[(TRACE|DEBUG|INFO|WARN |ERROR)\]`)

func correlateLevel(line string) event.Level {
	m := correlateLevelRe.FindStringSubmatch(line)
	if m == nil {
		return event.LevelNone
	}
	w := strings.TrimSpace(m[1] + m[2] + m[3])
	switch strings.ToLower(w) {
	case "trace":
		return event.LevelTrace
	case "debug":
		return event.LevelDebug
	case "note", "system", "info":
		return event.LevelInfo
	case "notice":
		return event.LevelNotice
	case "warning", "warn":
		return event.LevelWarn
	case "error", "crit":
		return event.LevelError
	}
	return event.LevelFatal
}

// TestCorpusLines classifies every line of real logs from the corpus (one
// event per line, level read from the line) and checks how many lines get
// each kind: nothing else in these files is a failure signal. The lines
// behind the counts were read one by one: MySQL start/stop cycles (the
// Ubuntu 5.5 package bootstraps mysqld several times), Kafka broker
// shutdowns, and an offline partition that failed leader election.
func TestCorpusLines(t *testing.T) {
	dir := correlateCorpusDir(t)
	c := testClassifier()
	files := []struct {
		path   string
		format string
		want   map[string]int
	}{
		{"beats/mysql/error/mysql-darwin-brew-5.7.10.log", "mysql-error", map[string]int{KindProcessRestart: 10}},
		{"beats/mysql/error/mariadb-10.4.8.log", "mysql-error", map[string]int{KindProcessRestart: 1}},
		{"beats/mysql/error/mysql-ubuntu-8.0.15.log", "mysql-error", map[string]int{KindProcessRestart: 4, KindDatabaseUnavailable: 2}},
		{"beats/mysql/error/mysql-ubuntu-5.5.53.log", "mysql-error", map[string]int{KindProcessRestart: 4, KindDatabaseUnavailable: 27}},
		{"beats/mysql/error/error.log", "mysql-error", map[string]int{KindProcessRestart: 3}},
		{"beats/nginx/error/error.log", "nginx-error", nil},
		{"beats/kafka/log/server.log", "kafka", nil},
		{"beats/kafka/log/server-2.0.0.log", "kafka", map[string]int{KindProcessRestart: 2}},
		{"beats/kafka/log/controller.log", "kafka", nil},
		{"beats/kafka/log/controller-2.0.0.log", "kafka", nil},
		{"beats/kafka/log/state-change-2.2.2.log", "kafka", map[string]int{KindKafkaBrokerUnavailable: 2}},
		{"beats/kafka/log/state-change-1.1.0.log", "kafka", nil},
		{"beats/kafka/log/state-change.log", "kafka", nil},
		{"beats/redis/log/redis-5.0.3.log", "redis", nil},
		{"beats/system/syslog/darwin-syslog-sample.log", "syslog", nil},
		{"beats/system/auth/test.log", "syslog", nil},
		{"beats/elasticsearch/server/test.log", "elasticsearch", nil},
	}
	for _, f := range files {
		fh, err := os.Open(filepath.Join(dir, f.path))
		if err != nil {
			t.Errorf("open %s: %v", f.path, err)
			continue
		}
		got := map[string]int{}
		var lines []string
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		n := 0
		for sc.Scan() {
			n++
			line := sc.Text()
			ev := &event.Event{Format: f.format, Level: correlateLevel(line), Message: line, Raw: line}
			if k := c.Classify(ev); k != "" {
				got[k]++
				lines = append(lines, fmt.Sprintf("%d %s: %.120s", n, k, line))
			}
		}
		fh.Close()
		if len(got) != len(f.want) {
			t.Errorf("%s: kinds %v, want %v; classified:\n%s", f.path, got, f.want, strings.Join(lines, "\n"))
			continue
		}
		for k, v := range f.want {
			if got[k] != v {
				t.Errorf("%s: kinds %v, want %v; classified:\n%s", f.path, got, f.want, strings.Join(lines, "\n"))
				break
			}
		}
	}
}

func TestNoiseNotClassified(t *testing.T) {
	c := testClassifier()
	for _, tc := range []struct {
		format string
		level  event.Level
		msg    string
	}{
		{"syslog", lvNone, `fatal: Read from socket failed: Connection reset by peer [preauth]`},
		{"postgresql", lvInfo, `duration: 0.327 ms  statement: select 1;`},
		{"postgresql", lvNone, `duration: 112.337 ms  execute S_59: UPDATE qrtz_TRIGGERS SET TRIGGER_STATE = $1`},
		{"elasticsearch", lvNone, `JVM arguments [-Xms1g, -Xmx1g, -XX:+UseConcMarkSweepGC, -XX:+HeapDumpOnOutOfMemoryError, -XX:ErrorFile=logs/hs_err_pid%p.log]`},
	} {
		ev := &event.Event{Format: tc.format, Level: tc.level, Message: tc.msg}
		if got := c.Classify(ev); got != "" {
			t.Errorf("Classify(%q) = %q, want none", tc.msg, got)
		}
	}
}

func ExampleClassifier_Classify() {
	c := NewClassifier()
	ev := &event.Event{Level: event.LevelError, Message: "dial tcp 10.0.3.7:3306: connect: connection refused"}
	kind := c.Classify(ev)
	target, _ := ev.Get("target")
	fmt.Println(kind, target)
	// Output: connection_refused 10.0.3.7:3306
}

// TestGramGate: the gate never drops a window that contains a candidate
// literal, in any case and at any offset, and the info path needs no
// 4-gram check (every signal literal is 8 bytes or longer).
func TestGramGate(t *testing.T) {
	c := testClassifier()
	if c.signal.has4 || c.signal.open {
		t.Errorf("signal gate has short literals; keep signal literals >= 8 bytes")
	}
	filler := "lorem ipsum dolor sit amet, consectetur adipiscing elit 0123456789 "
	for _, r := range rules {
		for _, l := range r.any {
			for _, variant := range []string{l, strings.ToUpper(l), strings.ToUpper(l[:1]) + l[1:]} {
				for pre := range 34 { // every offset modulo the strides, and then some
					// the literal inside the text, and ending it
					for _, text := range []string{filler[:pre] + variant + filler, filler[:pre] + variant} {
						if !c.all.gate.pass(text) {
							t.Errorf("all gate drops %q", text)
						}
						if r.signal && !c.signal.pass(text) {
							t.Errorf("signal gate drops %q", text)
						}
					}
				}
			}
		}
	}
	quiet := 0
	for _, ev := range benchInfo {
		if !c.signal.pass(ev.Message) {
			quiet++
		}
	}
	if quiet < len(benchInfo)-1 {
		t.Errorf("signal gate passes %d of %d ordinary info lines", len(benchInfo)-quiet, len(benchInfo))
	}
}

// benchInfo are ordinary lines of a healthy system, as parsers leave them
// (header stripped, level set): the 99%.
var benchInfo = []event.Event{
	{Format: "kafka", Level: event.LevelInfo, Message: "[Consumer clientId=consumer-invoice-1, groupId=invoice] Committed offset 18273 for partition invoices-3 at epoch 12"},
	{Format: "kafka", Level: event.LevelInfo, Message: "[Partition invoices-3 broker=1] Log loaded for partition invoices-3 with initial high watermark 18273"},
	{Format: "logback", Level: event.LevelInfo, Message: "GET /api/invoice/8812 completed in 12 ms (status 200, 1532 bytes, user=svc-billing, trace=4bf92f3577b34da6a3ce929d0e0e4736)"},
	{Format: "logback", Level: event.LevelDebug, Message: "Fetched 25 rows from invoices where customer_id=42 in 3 ms using connection HikariProxyConnection@1688123 wrapping com.mysql.cj.jdbc.ConnectionImpl@5b1f0c1e"},
	{Format: "logfmt", Level: event.LevelInfo, Message: `msg="request served" method=GET path=/healthz status=200 duration=1.2ms remote=10.0.0.7:51234 user_agent="kube-probe/1.27"`},
	{Format: "json", Level: event.LevelInfo, Message: "scheduled job invoice-reminders finished: 1200 processed, 0 errors, 0 retries, next run at 2023-08-15T15:00:00Z"},
	{Format: "mysql-error", Level: event.LevelInfo, Message: "InnoDB: page_cleaner: 1000ms intended loop took 4560ms. The settings might not be optimal. (flushed=200 and evicted=0, during the time.)"},
	{Format: "nginx-error", Level: event.LevelInfo, Message: `*88123 client 10.0.0.7 closed keepalive connection`},
	{Format: "syslog", Level: event.LevelNone, Message: "pam_unix(cron:session): session opened for user root by (uid=0)"},
	{Format: "logback", Level: event.LevelWarn, Message: "Slow response from tax-api: 1850 ms for GET /v1/rates?country=DE (threshold 1500 ms), serving cached value"},
	{Format: "go", Level: event.LevelInfo, Message: "http: superfluous response.WriteHeader call from main.(*server).handle (server.go:88) for request 4bf92f3577b34da6"},
	{Format: "json", Level: event.LevelInfo, Message: "cache stats: hits=88123 misses=1203 evictions=12 size=65536 hit_ratio=0.986 ttl=300s timeout=30s"},
}

// benchErrors are failure lines (the 1%).
var benchErrors = []event.Event{
	{Format: "go", Level: event.LevelError, Message: `failed to ping database: dial tcp 10.0.3.7:3306: connect: connection refused`},
	{Format: "nginx-error", Level: event.LevelError, Message: `*5 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.7, server: api.example.com, request: "GET /api/report HTTP/1.1", upstream: "http://10.0.2.5:8080/api/report", host: "api.example.com"`},
	{Format: "kafka", Level: event.LevelWarn, Message: `[Consumer clientId=consumer-invoice-1, groupId=invoice] Connection to node 1 (kafka-1/10.0.4.2:9092) could not be established. Broker may not be available.`},
	{Format: "logback", Level: event.LevelError, Message: "HikariPool-1 - Connection is not available, request timed out after 30000ms."},
	{Format: "logback", Level: event.LevelError, Message: "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure\n\nThe last packet sent successfully to the server was 0 milliseconds ago.\n\tat com.mysql.cj.jdbc.exceptions.SQLError.createCommunicationsException(SQLError.java:174)\nCaused by: java.net.ConnectException: Connection refused (Connection refused)"},
	{Format: "mysql-error", Level: event.LevelError, Message: "Slave SQL for channel '': Could not execute Write_rows event on table shop.invoices; Duplicate entry '8812' for key 'PRIMARY', Error_code: 1062"},
}

// FuzzClassify: no panic on any input, the kind is in the vocabulary,
// classification is deterministic, and the parser's fields are kept.
func FuzzClassify(f *testing.F) {
	for _, tc := range classifyCases {
		status := tc.fields["status"]
		f.Add(tc.format, string(tc.level), tc.msg, status, tc.fields["response_flags"])
	}
	f.Add("", "", "", "", "")
	f.Add("envoy-access", "error", "GET / HTTP/1.1 503", "503", "UF,,URX, ")
	f.Add("mysql-binlog", "", "ERROR", "5", "-")
	f.Add("", "warn", strings.Repeat("Caused by: x\n", 400)+"connection refused", "", "")
	c := testClassifier()
	f.Fuzz(func(t *testing.T, format, level, msg, status, flags string) {
		mk := func() *event.Event {
			ev := &event.Event{Format: format, Level: event.Level(level), Message: msg, Raw: msg}
			ev.Set("status", status)
			ev.Set("response_flags", flags)
			ev.Set("method", map[bool]string{true: "GET"}[len(msg)%3 == 0])
			return ev
		}
		a, b := mk(), mk()
		before := append([]event.Field(nil), a.Fields...)
		ka := c.Classify(a)
		kb := c.Classify(b)
		if ka != "" && !IsKind(ka) {
			t.Fatalf("Classify = %q, not in the vocabulary", ka)
		}
		if ka != kb || a.Kind != ka {
			t.Fatalf("not deterministic: %q, %q, ev.Kind %q", ka, kb, a.Kind)
		}
		if len(a.Fields) != len(b.Fields) {
			t.Fatalf("fields differ: %v vs %v", a.Fields, b.Fields)
		}
		for i := range a.Fields {
			if a.Fields[i] != b.Fields[i] {
				t.Fatalf("fields differ: %v vs %v", a.Fields, b.Fields)
			}
			if a.Fields[i].Value == "" {
				t.Fatalf("empty field %q", a.Fields[i].Key)
			}
		}
		for i, fd := range before {
			if a.Fields[i] != fd {
				t.Fatalf("parser field %v changed to %v", fd, a.Fields[i])
			}
		}
		if ka == "" && len(a.Fields) != len(before) {
			t.Fatalf("facts %v set on an unclassified event", a.Fields[len(before):])
		}
	})
}

func TestClassifyRegressions(t *testing.T) {
	c := NewClassifier()
	ev := &event.Event{Format: "mysql-error", Level: event.LevelWarn, Message: "IP address '10.0.7.31' could not be resolved: Name or service not known"}
	c.Classify(ev)
	if ev.Kind != "" {
		t.Errorf("MySQL's reverse lookup of a client classified as %q, want none: it fails nothing", ev.Kind)
	}
	un := &event.Event{Format: "mysql-slow", Unparsed: true, Message: "Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock"}
	if k := c.Classify(un); k != "" || un.Kind != "" {
		t.Errorf("unparsed line classified as %q, want none", k)
	}
}

func TestClassifyTargetFromURL(t *testing.T) {
	c := NewClassifier()
	tests := []struct {
		ev   event.Event
		want string
	}{
		{event.Event{Format: "json", Level: event.LevelError, Message: "tax authority request failed",
			Fields: []event.Field{{Key: "status", Value: "503"}, {Key: "url", Value: "https://api.tax.example.gov/v2/invoices/verify"}}}, "api.tax.example.gov:443"},
		{event.Event{Format: "pipe-service", Level: event.LevelError, Message: "POST https://api.tax.example.gov/v2/invoices/verify: HTTP 503 - Service Unavailable"}, "api.tax.example.gov:443"},
		{event.Event{Format: "json", Level: event.LevelError, Message: `Post "http://payments:8080/charge": context deadline exceeded`}, "payments:8080"},
	}
	for _, tt := range tests {
		ev := tt.ev
		kind := c.Classify(&ev)
		if got, _ := ev.Get("target"); got != tt.want {
			t.Errorf("Classify(%q) = %s, target %q, want %q", ev.Message, kind, got, tt.want)
		}
	}
}

func TestClassifyReadsErrorFields(t *testing.T) {
	c := NewClassifier()
	ev := &event.Event{Format: "json", Level: event.LevelError, Message: "query failed",
		Fields: []event.Field{{Key: "error", Value: "dial tcp 10.0.3.7:3306: connect: connection refused"}}}
	if k := c.Classify(ev); k != KindConnectionRefused {
		t.Errorf("Classify(zap line with error field) = %q, want %s", k, KindConnectionRefused)
	}
	if tg, _ := ev.Get("target"); tg != "10.0.3.7:3306" {
		t.Errorf("target = %q, want 10.0.3.7:3306", tg)
	}
	if ev.Message != "query failed" {
		t.Errorf("message changed to %q", ev.Message)
	}
}

// TestGramStride: the gate tests the fewest pieces per byte its literals
// allow, with the longest pieces that cost no more.
func TestGramStride(t *testing.T) {
	for _, tt := range []struct {
		lens    []int
		want, n int
	}{
		{[]int{3, 20}, 0, 0},      // too short for a piece: the gate is open
		{[]int{4, 20}, 1, 8},      // 4- and 8-byte pieces at every offset
		{[]int{8, 9}, 3, 6},       // 6-byte pieces at every third offset: a third of the tests of stride 1
		{[]int{9, 30}, 4, 6},      // 6-byte pieces at every fourth offset
		{[]int{10, 30}, 4, 7},     // 7-byte pieces at every fourth offset
		{[]int{5, 6, 30}, 2, 8},   // 4- and 8-byte pieces at every other offset
		{[]int{11, 12, 40}, 4, 8}, // 8-byte pieces at every fourth offset
	} {
		var lits []string
		for _, n := range tt.lens {
			lits = append(lits, strings.Repeat("a", n))
		}
		if got, n := gramStride(lits); got != tt.want || n != tt.n {
			t.Errorf("gramStride(lengths %v) = %d, %d; want %d, %d", tt.lens, got, n, tt.want, tt.n)
		}
	}
}
