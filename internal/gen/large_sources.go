package gen

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// The record generators of WriteLarge. Each keeps small pools of values
// (addresses, ids, names) and pre-rendered stack traces, so a record costs
// a few random draws and appends.

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func ipPool(r *rand.Rand, n int) []string {
	out := make([]string, n)
	for i := range out {
		switch r.IntN(4) {
		case 0:
			out[i] = "10.0." + strconv.Itoa(r.IntN(16)) + "." + strconv.Itoa(2+r.IntN(250))
		case 1:
			out[i] = "172.16." + strconv.Itoa(r.IntN(32)) + "." + strconv.Itoa(2+r.IntN(250))
		default:
			out[i] = strconv.Itoa(36+r.IntN(180)) + "." + strconv.Itoa(r.IntN(256)) + "." + strconv.Itoa(r.IntN(256)) + "." + strconv.Itoa(1+r.IntN(254))
		}
	}
	return out
}

var largeAgents = []string{
	"okhttp/4.9.3", "okhttp/4.10.0", "Apache-HttpClient/4.5.13 (Java/1.8.0_372)", "python-requests/2.31.0", "Go-http-client/1.1",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/115.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.5 Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40",
	"Dalvik/2.1.0 (Linux; U; Android 13; V2227A Build/TP1A.220624.014)",
}

// ---- nginx access ----------------------------------------------------------

func newAccessSource(r *rand.Rand) source {
	w := NewNginx(Shanghai)
	ips := ipPool(r, 3000)
	buyers := makeBuyers(r, 200)
	ups := []string{"10.0.2.5:8080", "10.0.2.6:8080", "10.0.2.7:8080", "10.0.2.9:8080"}
	inv := 100000
	var a Access
	return source{gen: func(b []byte, t time.Time, big bool) []byte {
		a = Access{Client: pick(r, ips), Proto: "HTTP/1.1", UserAgent: pick(r, largeAgents)}
		if r.IntN(5) == 0 {
			a.Referer = "https://console.invoice.example.com/invoices"
		}
		a.Upstream = pick(r, ups[:3])
		x := r.IntN(1000)
		var uri []byte
		switch {
		case x < 350:
			a.Method = "GET"
			uri = append(uri, "/api/invoice/INV-20230815-"...)
			uri = appendPad(uri, inv-r.IntN(5000), 6)
		case x < 480:
			a.Method = "GET"
			uri = append(uri, "/api/invoice?taxNum="...)
			uri = append(uri, pick(r, buyers).taxNum...)
			uri = append(uri, "&page="...)
			uri = appendInt(uri, int64(1+r.IntN(5)))
		case x < 700:
			a.Method = "GET"
			uri = append(uri, "/api/order/"...)
			uri = appendInt(uri, int64(7700000+r.IntN(90000)))
		case x < 800:
			a.Method = "POST"
			uri = append(uri, "/api/invoice"...)
			inv++
		case x < 880:
			a.Method = "POST"
			uri = append(uri, "/api/order"...)
		case x < 940:
			a.Method = "GET"
			uri = append(uri, "/static/js/app."...)
			uri = appendHex8(uri, r.Uint32())
			uri = append(uri, ".js"...)
			a.Upstream = ""
		case x < 990:
			a.Method = "GET"
			uri = append(uri, "/health"...)
			a.Upstream, a.UserAgent, a.Referer = "", "ELB-HealthChecker/2.0", ""
		default:
			a.Method = "GET"
			uri = append(uri, "/api/report/daily?date=2023-08-14"...)
			a.Upstream = ups[3]
		}
		a.URI = string(uri)
		a.RequestTime = time.Duration(5+r.IntN(400)) * time.Millisecond
		s := r.IntN(1000)
		switch {
		case a.Upstream == "" && a.URI == "/health":
			a.Status, a.Bytes, a.RequestTime = 200, 2, 0
		case a.Upstream == "":
			a.Status, a.Bytes, a.RequestTime = 200, 20000+r.IntN(300000), time.Duration(r.IntN(40))*time.Millisecond
			if s < 150 {
				a.Status, a.Bytes = 304, 0
			}
		case s < 10: // ~1% server errors
			switch r.IntN(3) {
			case 0:
				a.Status, a.UpstreamStatus, a.Bytes = 502, 502, NginxErrorPageBytes(502)
				a.RequestTime = time.Duration(r.IntN(3)) * time.Millisecond
			case 1:
				a.Status, a.UpstreamStatus, a.Bytes = 503, 503, 150+r.IntN(40)
			default:
				a.Status, a.UpstreamStatus, a.Bytes = 504, 504, NginxErrorPageBytes(504)
				a.RequestTime = 60*time.Second + time.Duration(r.IntN(4))*time.Millisecond
			}
		case s < 40:
			a.Status = pick(r, []int{400, 401, 403, 404, 404, 409, 429})
			a.UpstreamStatus, a.Bytes = a.Status, 60+r.IntN(120)
		default:
			a.Status = 200
			if a.Method == "POST" {
				a.Status = 201
				if a.URI == "/api/invoice" {
					a.Status = 202
				}
			}
			a.UpstreamStatus, a.Bytes = a.Status, 90+r.IntN(4000)
			if a.Upstream == ups[3] {
				a.Bytes, a.RequestTime = 1000000+r.IntN(3000000), time.Duration(2000+r.IntN(4000))*time.Millisecond
			}
		}
		return w.AppendAccess(b, t, &a)
	}}
}

// ---- nginx error -----------------------------------------------------------

func newNginxErrorSource(r *rand.Rand) source {
	w := NewNginx(Shanghai)
	ips := ipPool(r, 800)
	conn := int64(1000000)
	var e NginxError
	return source{gen: func(b []byte, t time.Time, big bool) []byte {
		conn += 1 + int64(r.IntN(40))
		up := pick(r, []string{"10.0.2.5:8080", "10.0.2.6:8080", "10.0.2.7:8080"})
		e = NginxError{PID: 31 + r.IntN(8), Conn: conn, Client: pick(r, ips), Server: "api.invoice.example.com", Host: "api.invoice.example.com:9443"}
		x := r.IntN(100)
		switch {
		case x < 40:
			e.Level, e.Text, e.Request, e.Host = "error", `open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory)`, "GET /favicon.ico HTTP/1.1", "api.invoice.example.com:9443"
		case x < 70:
			e.Level = "warn"
			e.Text = "an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/" + strconv.Itoa(r.IntN(10)) + "/" + strconv.Itoa(10+r.IntN(90)) + "/00000" + strconv.Itoa(10000+r.IntN(89999)) + " while reading upstream"
			e.Request, e.Upstream = "GET /api/report/daily?date=2023-08-14 HTTP/1.1", "http://10.0.2.9:8080/api/report/daily?date=2023-08-14"
		case x < 82:
			e.Level, e.Text = "error", "upstream timed out (110: Connection timed out) while reading response header from upstream"
			e.Request, e.Upstream = "POST /api/invoice HTTP/1.1", "http://"+up+"/api/invoice"
		case x < 90:
			e.Level, e.Text = "error", "connect() failed (111: Connection refused) while connecting to upstream"
			e.Request, e.Upstream = "GET /api/order/"+strconv.Itoa(7700000+r.IntN(90000))+" HTTP/1.1", "http://"+up+"/api/order/"
		case x < 96:
			e.Level, e.Text = "error", "upstream prematurely closed connection while reading response header from upstream"
			e.Request, e.Upstream = "GET /api/invoice?taxNum=91310115MA1K4B2X7Q&page=1 HTTP/1.1", "http://"+up+"/api/invoice?taxNum=91310115MA1K4B2X7Q&page=1"
		default:
			e.Level, e.Text = "error", "limiting requests, excess: 20."+strconv.Itoa(100+r.IntN(899))+` by zone "invoice_submit"`
			e.Request = "POST /api/invoice HTTP/1.1"
		}
		return w.AppendError(b, t, &e)
	}}
}

// ---- Spring Boot -----------------------------------------------------------

func newSpringSource(r *rand.Rand, app string, loc *time.Location) source {
	w := NewSpring(app, 1, loc)
	traces := [][]byte{
		AppendJavaTrace(nil, taxTimeoutTrace()),
		AppendJavaTrace(nil, taxHTTP503Trace(`503 Service Unavailable: "{"error":"tax_authority_unavailable","message":"HTTP 503 - Service Unavailable"}"`)),
		AppendJavaTrace(nil, webLockRootCause()),
		AppendJavaTrace(nil, commitFailedTrace()),
	}
	buyers := makeBuyers(r, 100)
	threads := []string{"http-nio-8080-exec-1", "http-nio-8080-exec-7", "http-nio-8080-exec-12", "http-nio-8080-exec-33",
		"org.springframework.kafka.KafkaListenerEndpointContainer#0-0-C-1", "org.springframework.kafka.KafkaListenerEndpointContainer#0-1-C-1",
		"org.springframework.kafka.KafkaListenerEndpointContainer#0-2-C-1", "scheduling-1", "HikariPool-1 housekeeper"}
	inv, order := 100000, 7700000
	var msg []byte
	return source{gen: func(b []byte, t time.Time, big bool) []byte {
		x := r.IntN(1000)
		msg = msg[:0]
		switch {
		case x < 520:
			inv++
			order += 1 + r.IntN(3)
			msg = append(msg, "Issued invoice INV-20230815-"...)
			msg = appendPad(msg, inv, 6)
			msg = append(msg, " for order "...)
			msg = appendInt(msg, int64(order))
			msg = append(msg, " (buyer "...)
			msg = append(msg, pick(r, buyers).taxNum...)
			msg = append(msg, ", "...)
			msg = append(msg, money(int64(2000+r.IntN(2000000)))...)
			msg = append(msg, " CNY) in "...)
			msg = appendInt(msg, int64(800+r.IntN(2400)))
			msg = append(msg, " ms"...)
			return w.Append(b, t, "INFO", pick(r, threads[4:7]), lListener, string(msg))
		case x < 760:
			msg = append(msg, "Accepted invoice request for order "...)
			msg = appendInt(msg, int64(order+r.IntN(50)))
			msg = append(msg, " from client "...)
			msg = append(msg, pick(r, []string{"erp-sap-01", "erp-kingdee-03", "console", "erp-yonyou-02", "pos-gateway"})...)
			return w.Append(b, t, "INFO", pick(r, threads[:4]), "com.example.invoice.order.web.InvoiceController", string(msg))
		case x < 870:
			return w.Append(b, t, "DEBUG", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Pool stats (total=10, active="+strconv.Itoa(r.IntN(11))+", idle="+strconv.Itoa(r.IntN(11))+", waiting=0)")
		case x < 930:
			return w.Append(b, t, "INFO", pick(r, threads[4:7]), lCoord, "[Consumer clientId=consumer-order-group-"+strconv.Itoa(1+r.IntN(3))+", groupId=order-group] Setting offset for partition invoice-issue-"+strconv.Itoa(r.IntN(6))+" to the committed offset FetchPosition{offset="+strconv.Itoa(88000+r.IntN(900000))+", offsetEpoch=Optional[7], currentLeader=LeaderAndEpoch{leader=Optional[kafka-1.kafka.svc:9092 (id: 1 rack: null)], epoch=7}}")
		case x < 960:
			return w.Append(b, t, "WARN", "scheduling-1", "com.example.invoice.order.tax.TaxCodeCatalog", "Tax code catalog is 2 versions behind the authority (local 2023.07.2, remote 2023.08.1); using the local copy")
		case x < 975:
			return w.Append(b, t, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta="+strconv.Itoa(1+r.IntN(2))+"m"+strconv.Itoa(r.IntN(60))+"s"+strconv.Itoa(r.IntN(1000))+"ms).")
		case x < 988:
			return w.Append(b, t, "WARN", pick(r, threads[:4]), lSQL, "SQL Error: 1205, SQLState: 40001")
		default: // ~1.2% errors, most with a stack trace
			if !big {
				return w.Append(b, t, "ERROR", pick(r, threads[:4]), lSQL, "Lock wait timeout exceeded; try restarting transaction")
			}
			k := r.IntN(len(traces))
			head := [...]string{"Tax registration failed after 2 attempts; invoice saved as PENDING_TAX for the retry job",
				"Tax registration failed after 2 attempts; invoice saved as PENDING_TAX for the retry job",
				"Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.dao.CannotAcquireLockException: JDBC exception executing SQL [SELECT COALESCE(SUM(amount), 0) FROM invoice WHERE tax_num = ? AND created_at >= ? FOR UPDATE] [Lock wait timeout exceeded; try restarting transaction] [n/a]; SQL [n/a]] with root cause",
				"Consumer exception"}[k]
			logger := [...]string{lListener, lListener, lTomcat, lContainer}[k]
			b = w.Append(b, t, "ERROR", pick(r, threads), logger, head)
			return append(b, traces[k]...)
		}
	}}
}

// ---- Kafka broker ----------------------------------------------------------

func newKafkaSource(r *rand.Rand) source {
	w := NewKafka(time.UTC)
	trace := AppendJavaTrace(nil, &JavaException{Class: "java.io.IOException", Message: "Connection to 2 was disconnected before the response was read", Frames: []string{
		"org.apache.kafka.clients.NetworkClientUtils.sendAndReceive(NetworkClientUtils.java:99)",
		"kafka.server.BrokerBlockingSender.sendRequest(BrokerBlockingSender.scala:113)",
		"kafka.server.RemoteLeaderEndPoint.fetch(RemoteLeaderEndPoint.scala:79)",
		"kafka.server.AbstractFetcherThread.processFetchRequest(AbstractFetcherThread.scala:316)",
		"kafka.server.AbstractFetcherThread.maybeFetch(AbstractFetcherThread.scala:129)",
		"kafka.server.AbstractFetcherThread.doWork(AbstractFetcherThread.scala:112)",
		"kafka.server.ReplicaFetcherThread.doWork(ReplicaFetcherThread.scala:98)",
		"org.apache.kafka.server.util.ShutdownableThread.run(ShutdownableThread.java:127)",
	}})
	topics := []string{"invoice-issue", "audit-log", "order-events", "tax-callback", "__consumer_offsets"}
	gen := 41
	var m []byte
	return source{gen: func(b []byte, t time.Time, big bool) []byte {
		m = m[:0]
		tp := pick(r, topics) + "-" + strconv.Itoa(r.IntN(12))
		x := r.IntN(1000)
		switch {
		case x < 300:
			off := int64(88000 + r.IntN(5000000))
			m = append(m, "[LocalLog partition="...)
			m = append(m, tp...)
			m = append(m, ", dir=/var/lib/kafka/data] Rolled new log segment at offset "...)
			m = appendInt(m, off)
			m = append(m, " in "...)
			m = appendInt(m, int64(1+r.IntN(9)))
			m = append(m, " ms."...)
			return w.Append(b, t, "INFO", string(m), "kafka.log.LocalLog")
		case x < 600:
			m = append(m, "[ProducerStateManager partition="...)
			m = append(m, tp...)
			m = append(m, "] Wrote producer snapshot at offset "...)
			m = appendInt(m, int64(88000+r.IntN(5000000)))
			m = append(m, " with 0 producer ids in "...)
			m = appendInt(m, int64(r.IntN(4)))
			m = append(m, " ms."...)
			return w.Append(b, t, "INFO", string(m), "kafka.log.ProducerStateManager")
		case x < 700:
			return w.Append(b, t, "INFO", "[GroupMetadataManager brokerId=1] Removed "+strconv.Itoa(r.IntN(3))+" expired offsets in "+strconv.Itoa(r.IntN(3))+" milliseconds.", "kafka.coordinator.group.GroupMetadataManager")
		case x < 820:
			gen++
			return w.Append(b, t, "INFO", "[GroupCoordinator 1]: Preparing to rebalance group order-group in state PreparingRebalance with old generation "+strconv.Itoa(gen)+" (__consumer_offsets-12) (reason: Removing member consumer-order-group-"+strconv.Itoa(1+r.IntN(3))+"-"+uuidLike(r)+" on LeaveGroup; client reason: consumer poll timeout has expired.)", "kafka.coordinator.group.GroupCoordinator")
		case x < 940:
			return w.Append(b, t, "INFO", "[GroupCoordinator 1]: Stabilized group order-group generation "+strconv.Itoa(gen+1)+" (__consumer_offsets-12) with "+strconv.Itoa(1+r.IntN(3))+" members", "kafka.coordinator.group.GroupCoordinator")
		case x < 960:
			return w.Append(b, t, "INFO", "[Partition "+tp+" broker=1] Shrinking ISR from 1,2,3 to 1,3. Leader: (highWatermark: 1204233, endOffset: 1204240). Out of sync replicas: (brokerId: 2, endOffset: 1204101, lastCaughtUpTimeMs: "+strconv.FormatInt(t.UnixMilli()-31000, 10)+").", "kafka.cluster.Partition")
		case x < 990:
			return w.Append(b, t, "WARN", "[ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Connection to node 2 (kafka-2.kafka.svc/10.0.3.12:9092) could not be established. Broker may not be available.", "org.apache.kafka.clients.NetworkClient")
		default: // ~1% errors
			if big && r.IntN(2) == 0 {
				b = w.Append(b, t, "INFO", "[ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Error sending fetch request (sessionId="+strconv.Itoa(r.IntN(2000000000))+", epoch="+strconv.Itoa(r.IntN(90000))+") to node 2:", "org.apache.kafka.clients.FetchSessionHandler")
				return append(b, trace...)
			}
			return w.Append(b, t, "ERROR", "[ReplicaManager broker=1] Error processing append operation on partition "+tp, "kafka.server.ReplicaManager")
		}
	}}
}

func uuidLike(r *rand.Rand) string {
	const hex = "0123456789abcdef"
	var b [36]byte
	a, c := r.Uint64(), r.Uint64()
	j := 0
	for i := range b {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			b[i] = '-'
			continue
		}
		v := a
		if j >= 16 {
			v = c
		}
		b[i] = hex[v>>(60-4*(j%16))&0xf]
		j++
	}
	b[14] = '4'
	return string(b[:])
}

func newControllerSource(r *rand.Rand) source {
	w := NewKafka(time.UTC)
	const ctl = "kafka.controller.KafkaController"
	return source{gen: func(b []byte, t time.Time, big bool) []byte {
		switch r.IntN(60) {
		case 0:
			b = w.Append(b, t, "INFO", "[Controller id=1] Newly added brokers: , deleted brokers: 2, bounced brokers: , all live brokers: 1,3", ctl)
			return w.Append(b, t, "INFO", "[Controller id=1] Broker failure callback for 2", ctl)
		case 1:
			b = w.Append(b, t, "INFO", "[Controller id=1] Newly added brokers: 2, deleted brokers: , bounced brokers: , all live brokers: 1,2,3", ctl)
			return w.Append(b, t, "INFO", "[Controller id=1] New broker startup callback for 2", ctl)
		case 2:
			return w.Append(b, t, "ERROR", "[Controller id=1] Error completing preferred replica leader election for partition audit-log-"+strconv.Itoa(r.IntN(12)), ctl)
		}
		b = w.Append(b, t, "INFO", "[Controller id=1] Processing automatic preferred replica leader election", ctl)
		b = w.Append(b, t, "TRACE", "[Controller id=1] Checking need to trigger auto leader balancing", ctl)
		for _, br := range [...]string{"1", "2", "3"} {
			b = w.Append(b, t, "DEBUG", "[Controller id=1] Topics not in preferred replica for broker "+br+" HashMap()", ctl)
			b = w.Append(b, t, "TRACE", "[Controller id=1] Leader imbalance ratio for broker "+br+" is 0.0", ctl)
		}
		return b
	}}
}

// ---- MySQL -----------------------------------------------------------------

func newMySQLErrorSource(r *rand.Rand) source {
	w := NewMySQLError(time.UTC)
	conn := int64(180000)
	users := []string{"order_svc", "report_svc", "billing_svc", "monitor"}
	ips := []string{"10.0.2.5", "10.0.2.6", "10.0.2.7", "10.0.2.9", "10.0.7.31"}
	return source{gen: func(b []byte, t time.Time, big bool) []byte {
		conn += 1 + int64(r.IntN(5))
		x := r.IntN(1000)
		switch {
		case x < 600:
			return w.Append(b, t, conn, "Note", "MY-010914", "Server", "Aborted connection "+strconv.FormatInt(conn, 10)+" to db: 'invoice' user: '"+pick(r, users)+"' host: '"+pick(r, ips)+"' (Got an error reading communication packets).")
		case x < 850:
			return w.Append(b, t, conn, "Warning", "MY-013360", "Server", "Plugin mysql_native_password reported: ''mysql_native_password' is deprecated and will be removed in a future release. Please use caching_sha2_password instead'")
		case x < 990:
			return w.Append(b, t, conn, "Warning", "MY-010055", "Server", "IP address '10.0.7.31' could not be resolved: Name or service not known")
		default:
			return w.Append(b, t, 0, "ERROR", "MY-010584", "Repl", "Replica SQL for channel '': Worker 1 failed executing transaction '"+binlogUUID+":"+strconv.Itoa(1900000+r.IntN(500000))+"' at source log mysql-bin.000101, end_log_pos "+strconv.Itoa(r.IntN(1<<30))+"; Could not execute Write_rows event on table invoice.invoice_item; Duplicate entry '"+strconv.Itoa(r.IntN(9000000))+"' for key 'invoice_item.PRIMARY', Error_code: 1062; handler error HA_ERR_FOUND_DUPP_KEY; the event's source log mysql-bin.000101, end_log_pos "+strconv.Itoa(r.IntN(1<<30))+", Error_code: MY-001062")
		}
	}}
}

func newSlowSource(r *rand.Rand) source {
	w := NewSlowLog(time.UTC)
	buyers := makeBuyers(r, 100)
	var q SlowQuery
	return source{
		header: func(b []byte, t time.Time) []byte {
			return w.Header(b, mysqlVersion, "3306", "/var/run/mysqld/mysqld.sock")
		},
		gen: func(b []byte, t time.Time, big bool) []byte {
			qt := time.Duration(2000+r.IntN(6000)) * time.Millisecond
			q = SlowQuery{End: t, User: "order_svc", IP: "10.0.2." + strconv.Itoa(5+r.IntN(3)), ID: int64(18400 + r.IntN(300)),
				QueryTime: qt, LockTime: time.Duration(r.IntN(40)) * time.Microsecond, RowsSent: 1, RowsExamined: int64(3200000 + r.IntN(300000)), DB: "invoice"}
			bu := pick(r, buyers)
			switch r.IntN(4) {
			case 0:
				q.SQL = quotaSQL(bu)
				if r.IntN(20) == 0 { // lock waits
					q.LockTime = qt - time.Duration(1300+r.IntN(900))*time.Millisecond
					if q.LockTime < 0 {
						q.LockTime = qt / 2
					}
				}
			case 1:
				q.SQL, q.RowsSent = "SELECT id, invoice_no, order_id, amount, status, created_at FROM invoice WHERE tax_num = '"+bu.taxNum+"' ORDER BY created_at DESC LIMIT 20", 20
			case 2:
				q.SQL, q.RowsSent = "SELECT id, status FROM invoice WHERE tax_num = '"+bu.taxNum+"' AND invoice_no = 'INV-20230815-"+strconv.Itoa(100000+r.IntN(800000))+"'", 0
			default:
				q.User, q.IP, q.RowsSent = "report_svc", "10.0.2.9", 14
				q.SQL = "SELECT DATE(created_at) AS d, status, COUNT(*) AS n, SUM(amount) AS total FROM invoice WHERE created_at >= '2023-08-14 00:00:00' AND created_at < '2023-08-15 00:00:00' GROUP BY d, status"
			}
			return w.Append(b, &q)
		}}
}

func newBinlogSource(r *rand.Rand, firstGNO, firstXid int64) source {
	w := NewBinlog(Kolkata, r, 1, binlogUUID, mysqlVersion, firstGNO, firstXid)
	buyers := makeBuyers(r, 100)
	inv, order := int(firstXid%900000), 7700000+int(firstGNO%50000)
	var tx BinlogTx
	changes := make([]RowChange, 0, 8)
	return source{
		header: func(b []byte, t time.Time) []byte { return w.Header(b, t.Add(-time.Minute)) },
		footer: w.Footer,
		gen: func(b []byte, t time.Time, big bool) []byte {
			changes = changes[:0]
			order += 1 + r.IntN(3)
			created := BinDatetime(t.Add(-time.Duration(r.IntN(60000)) * time.Millisecond).In(Shanghai))
			if r.IntN(3) == 0 {
				changes = append(changes, RowChange{Kind: 'I', DB: "invoice", Table: "order_info", After: []string{strconv.Itoa(order), "'PAID'", "0", created}})
			} else {
				inv++
				bu := pick(r, buyers)
				amount := int64(2000 + r.IntN(2000000))
				row := []string{"'INV-20230815-" + strconv.Itoa(100000+inv%900000) + "'", strconv.Itoa(order), "'" + bu.taxNum + "'", BinStr(bu.name), money(amount), money(amount * 13 / 100), "'ISSUING'", created}
				after := append([]string(nil), row...)
				after[6] = "'ISSUED'"
				changes = append(changes,
					RowChange{Kind: 'I', DB: "invoice", Table: "invoice", After: row},
					RowChange{Kind: 'U', DB: "invoice", Table: "order_info", Before: []string{strconv.Itoa(order), "'PAID'", "0", created}, After: []string{strconv.Itoa(order), "'INVOICED'", "1", created}},
					RowChange{Kind: 'U', DB: "invoice", Table: "invoice", Before: row, After: after})
				if big && r.IntN(8) == 0 { // invoice items
					for k := 0; k < 1+r.IntN(4); k++ {
						changes = append(changes, RowChange{Kind: 'I', DB: "invoice", Table: "invoice_item", After: []string{
							strconv.Itoa(9000000 + inv*4 + k), row[0], "'" + pick(r, []string{"1090101990000000000", "3040201000000000000", "1070223000000000000"}) + "'", strconv.Itoa(1 + r.IntN(20)), money(int64(100 + r.IntN(50000)))}})
					}
				}
			}
			tx = BinlogTx{Start: t.Add(-time.Duration(5+r.IntN(400)) * time.Millisecond), Commit: t, ThreadID: int64(18400 + r.IntN(40)), Changes: changes, LastCommitted: int64(1 + r.IntN(2))}
			b, _ = w.AppendTx(b, &tx)
			return b
		}}
}

// ---- tax-adapter -----------------------------------------------------------

func newJSONSource(r *rand.Rand) source {
	w := NewJSONLog(time.UTC)
	inv := 100000
	fields := make([]Field, 0, 6)
	return source{gen: func(b []byte, t time.Time, big bool) []byte {
		inv++
		id := "INV-20230815-" + strconv.Itoa(100000+inv%900000)
		fields = fields[:0]
		x := r.IntN(1000)
		switch {
		case x < 985:
			lat := int64(110 + r.IntN(400))
			fields = append(fields, Int("status", 200), Int("latency_ms", lat), Str("url", taxURL), Str("invoice", id), Int("attempt", 1))
			return w.Append(b, t, "info", "taxclient", "taxclient/client.go:142", "tax authority request completed", fields...)
		case x < 992:
			fields = append(fields, Int("status", 503), Int("latency_ms", int64(160+r.IntN(800))), Str("url", taxURL), Str("invoice", id), Int("attempt", 1), Str("error", "HTTP 503 - Service Unavailable"))
			return w.Append(b, t, "error", "taxclient", "taxclient/client.go:142", "tax authority request failed", fields...)
		default:
			fields = append(fields, Int("latency_ms", int64(30000+r.IntN(4))), Str("url", taxURL), Str("invoice", id), Int("attempt", 1),
				Str("error", `Post "`+taxURL+`": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`))
			return w.Append(b, t, "error", "taxclient", "taxclient/client.go:142", "tax authority request timed out", fields...)
		}
	}}
}

func newPipeSource(r *rand.Rand) source {
	w := NewPipe(Shanghai)
	inv := 100000
	var m []byte
	return source{gen: func(b []byte, t time.Time, big bool) []byte {
		inv++
		m = m[:0]
		x := r.IntN(1000)
		switch {
		case x < 950:
			m = append(m, "POST "+taxURL+" -> 200 OK ("...)
			m = appendInt(m, int64(110+r.IntN(400)))
			m = append(m, " ms) invoice=INV-20230815-"...)
			m = appendInt(m, int64(100000+inv%900000))
			return w.Append(b, t, "INFO", "tax-adapter", string(m))
		case x < 975:
			return w.Append(b, t, "WARN", "tax-adapter", "client certificate for api.tax.example.gov expires in 27 days (2023-09-11T08:00:00Z); renew it")
		case x < 990:
			return w.Append(b, t, "WARN", "order-service", "KafkaConsumer:: group order-group lag "+strconv.Itoa(1+r.IntN(40))+", last message received "+strconv.Itoa(1+r.IntN(50))+"s ago")
		default:
			m = append(m, "POST "+taxURL+": HTTP 503 - Service Unavailable (attempt 2/2, "...)
			m = appendInt(m, int64(300+r.IntN(2000)))
			m = append(m, " ms) invoice=INV-20230815-"...)
			m = appendInt(m, int64(100000+inv%900000))
			return w.Append(b, t, "ERROR", "tax-adapter", string(m))
		}
	}}
}

// ---- syslog ----------------------------------------------------------------

func newSyslogSource(r *rand.Rand) source {
	w := NewSyslog("node-3", Shanghai)
	pid := 20000
	boot := 8823412 * time.Second
	return source{gen: func(b []byte, t time.Time, big bool) []byte {
		pid += 1 + r.IntN(9)
		up := boot + time.Duration(t.Sub(largeStart).Microseconds())*time.Microsecond
		x := r.IntN(1000)
		switch {
		case x < 350:
			return w.Append(b, t, "CRON", pid, "(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)")
		case x < 600:
			return w.Append(b, t, "systemd", 1, "Started Session "+strconv.Itoa(pid%9000)+" of User ops.")
		case x < 800:
			return w.Append(b, t, "sshd", pid, "Accepted publickey for ops from 10.0.9."+strconv.Itoa(2+r.IntN(250))+" port "+strconv.Itoa(30000+r.IntN(30000))+" ssh2: ED25519 SHA256:3vJq0Hq5WfE1l2mYbQy0y8kXoX9cN6o0m2q4ZkqkqkQ")
		case x < 900:
			return w.Append(b, t, "kubelet", 1123, "I0815 "+t.In(Shanghai).Format("15:04:05.000000")+"    1123 kubelet_pods.go:1082] \"Clean up pod workers for terminated pods\"")
		case x < 990:
			return w.Append(b, t, "kernel", 0, KernelStamp(up)+" IPv4: martian source 10.0.2.5 from 10.0.0.1, on dev eth0")
		default: // the OOM killer
			victim := 28000 + r.IntN(9000)
			b = w.Append(b, t, "kernel", 0, KernelStamp(up)+" java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=936")
			b = w.Append(b, t, "kernel", 0, KernelStamp(up+81*time.Microsecond)+" CPU: 3 PID: "+strconv.Itoa(victim+21)+" Comm: java Not tainted 5.15.0-1041-aws #46~20.04.1-Ubuntu")
			b = w.Append(b, t, "kernel", 0, KernelStamp(up+412*time.Microsecond)+" Memory cgroup out of memory: Killed process "+strconv.Itoa(victim)+" (java) total-vm:7822364kB, anon-rss:2091560kB, file-rss:21876kB, shmem-rss:0kB, UID:1000 pgtables:4612kB oom_score_adj:936")
			return w.Append(b, t.Add(50*time.Millisecond), "kernel", 0, KernelStamp(up+50213*time.Microsecond)+" oom_reaper: reaped process "+strconv.Itoa(victim)+" (java), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB")
		}
	}}
}
