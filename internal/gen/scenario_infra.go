package gen

import (
	"fmt"
	"time"
)

// ---- Kafka brokers ------------------------------------------------------

type broker struct {
	w    *world
	src  string
	id   int
	path string
	kf   *Kafka
}

func newBroker(w *world, src string, id int, loc *time.Location) *broker {
	return &broker{w: w, src: src, id: id, path: src + "/server.log", kf: NewKafka(loc)}
}

func (k *broker) log(t time.Time, level, msg, logger string) {
	k.w.put(k.src, k.path, t, func(b []byte, t time.Time) []byte { return k.kf.Append(b, t, level, msg, logger) })
}

func (k *broker) logEx(t time.Time, level, msg, logger string, ex *JavaException) {
	k.w.put(k.src, k.path, t, func(b []byte, t time.Time) []byte { return AppendJavaTrace(k.kf.Append(b, t, level, msg, logger), ex) })
}

// kafkaHost is broker id's advertised host.
func kafkaHost(id int) string { return fmt.Sprintf("kafka-%d.kafka.svc.cluster.local", id) }

func kafkaNode(id int) string {
	return fmt.Sprintf("%s/10.0.4.%d:9092", kafkaHost(id), 10+id)
}

// noise writes a broker's housekeeping.
func (k *broker) noise(stop time.Time) {
	r := k.w.nr
	for t := k.w.start.Add(time.Duration(r.IntN(600)) * time.Second); t.Before(stop); t = t.Add(10 * time.Minute) {
		k.log(t.Add(time.Duration(r.IntN(3))*time.Millisecond), "INFO", fmt.Sprintf("[GroupMetadataManager brokerId=%d] Removed 0 expired offsets in %d milliseconds.", k.id, r.IntN(2)), "kafka.coordinator.group.GroupMetadataManager")
	}
	for t := k.w.start.Add(time.Duration(r.IntN(900)) * time.Second); t.Before(stop); t = t.Add(time.Duration(9+r.IntN(14)) * time.Minute) {
		p := fmt.Sprintf("orders-%d", r.IntN(6))
		off := 1880000 + int64(r.IntN(90000))
		if r.IntN(2) == 0 {
			p = fmt.Sprintf("clickstream-%d", r.IntN(12))
			off = 90400000 + int64(r.IntN(900000))
		}
		k.log(t, "INFO", fmt.Sprintf("[LocalLog partition=%s, dir=/var/lib/kafka/data] Rolled new log segment at offset %d in %d ms.", p, off, 1+r.IntN(5)), "kafka.log.LocalLog")
		k.log(t.Add(time.Duration(1+r.IntN(3))*time.Millisecond), "INFO", fmt.Sprintf("[ProducerStateManager partition=%s] Wrote producer snapshot at offset %d with 0 producer ids in %d ms.", p, off, r.IntN(3)), "kafka.log.ProducerStateManager")
	}
	if k.id == 1 {
		// a monitoring client with an outdated truststore, every quarter hour
		for t := k.w.start.Add(time.Duration(r.IntN(900)) * time.Second); t.Before(stop); t = t.Add(15*time.Minute + time.Duration(r.IntN(2000))*time.Millisecond) {
			k.log(t, "INFO", fmt.Sprintf("[SocketServer listenerType=ZK_BROKER, nodeId=%d] Failed authentication with /10.0.9.44 (channelId=10.0.4.11:9093-10.0.9.44:%d-%d) (SSL handshake failed)", k.id, 40000+r.IntN(20000), r.IntN(90)), "org.apache.kafka.common.network.Selector")
		}
	}
}

// ---- the database ----------------------------------------------------------

type dbServer struct {
	w     *world
	src   string
	maria bool
	my    *MySQLError
	mdb   *MariaDBError
	conn  int64
}

func newDBServer(w *world, src string, maria bool, loc *time.Location) *dbServer {
	d := &dbServer{w: w, src: src, maria: maria, conn: 180000 + int64(w.r.IntN(90000))}
	if maria {
		d.mdb = NewMariaDBError(loc)
	} else {
		d.my = NewMySQLError(time.UTC) // log_timestamps=UTC
	}
	return d
}

// log writes an error-log line; for MariaDB prio is Note/Warning/ERROR and
// code and subsystem are ignored (the subsystem goes into the message).
func (d *dbServer) log(t time.Time, thread int64, prio, code, subsystem, msg string) {
	if d.maria {
		lvl := prio
		switch prio {
		case "System":
			lvl = "Note"
		}
		if subsystem == "InnoDB" {
			msg = "InnoDB: " + msg
		}
		d.w.put(d.src, d.src+"/error.log", t, func(b []byte, t time.Time) []byte { return d.mdb.Append(b, t, thread, lvl, msg) })
		return
	}
	d.w.put(d.src, d.src+"/error.log", t, func(b []byte, t time.Time) []byte { return d.my.Append(b, t, thread, prio, code, subsystem, msg) })
}

// raw writes unstamped lines (crash banners) as mysqld prints them.
func (d *dbServer) raw(t time.Time, text string) {
	d.w.put(d.src, d.src+"/error.log", t, func(b []byte, t time.Time) []byte { return append(b, text...) })
}

func (d *dbServer) noise(stop func(t time.Time) bool) {
	w := d.w
	r := w.nr
	for t := w.start.Add(time.Duration(r.IntN(200)) * time.Second); t.Before(w.end); t = t.Add(time.Duration(100+r.IntN(200)) * time.Second) {
		if stop(t) {
			continue
		}
		d.conn += 1 + int64(r.IntN(40))
		if d.maria {
			d.log(t, d.conn, "Warning", "", "", fmt.Sprintf("Aborted connection %d to db: 'shop' user: 'reporting' host: '10.0.9.15' (Got timeout reading communication packets)", d.conn))
			continue
		}
		if r.IntN(3) == 0 {
			d.log(t, d.conn, "Warning", "MY-010055", "Server", "IP address '10.0.9.31' could not be resolved: Name or service not known")
		} else {
			d.log(t, d.conn, "Warning", "MY-013360", "Server", "Plugin mysql_native_password reported: ''mysql_native_password' is deprecated and will be removed in a future release. Please use caching_sha2_password instead'")
		}
	}
	if d.maria {
		return
	}
	// the nightly-report service's aggregate, a couple of seconds each time
	for t := w.start.Add(time.Duration(r.IntN(300)) * time.Second); t.Before(w.end); t = t.Add(time.Duration(240+r.IntN(200)) * time.Second) {
		if stop(t) {
			continue
		}
		qt := time.Duration(1100+r.IntN(2400)) * time.Millisecond
		w.slow = append(w.slow, SlowQuery{End: t, User: "reporting", IP: "10.0.9.15", ID: d.conn + int64(r.IntN(50)), QueryTime: qt,
			LockTime: time.Duration(r.IntN(300)) * time.Microsecond, RowsSent: int64(1 + r.IntN(40)), RowsExamined: int64(800000 + r.IntN(900000)), DB: "shop",
			SQL: "SELECT DATE(created_at) AS day, status, COUNT(*), SUM(total) FROM orders WHERE created_at >= NOW() - INTERVAL 30 DAY GROUP BY day, status"})
	}
}

// ---- the host ------------------------------------------------------------

func (w *world) syslog(t time.Time, prog string, pid int, msg string) {
	w.put(svcNode, svcNode+"/syslog", t, func(b []byte, t time.Time) []byte { return w.node.Append(b, t, prog, pid, msg) })
}

func (w *world) kernel(t time.Time, msg string) {
	up := w.nodeUptime + t.Sub(w.start)
	w.syslog(t, "kernel", 0, KernelStamp(up)+" "+msg)
}

func (w *world) nodeNoise() {
	if w.node == nil {
		return
	}
	r := w.nr
	pid := 410000 + r.IntN(90000)
	for t := w.start.Truncate(5 * time.Minute).Add(5 * time.Minute); t.Before(w.end); t = t.Add(5 * time.Minute) {
		pid += 10 + r.IntN(200)
		w.syslog(t.Add(time.Duration(r.IntN(900))*time.Millisecond), "CRON", pid, "(root) CMD (/usr/local/bin/textfile-collector.sh > /dev/null 2>&1)")
	}
	for t := w.start.Add(time.Duration(r.IntN(300)) * time.Second); t.Before(w.end); t = t.Add(time.Duration(40+r.IntN(200)) * time.Second) {
		w.kernel(t, fmt.Sprintf("[UFW BLOCK] IN=ens5 OUT= MAC=0a:1b:2c:3d:4e:5f:0a:9f:8e:7d:6c:5b:08:00 SRC=45.%d.%d.%d DST=10.0.2.5 LEN=44 TOS=0x00 PREC=0x00 TTL=239 ID=%d PROTO=TCP SPT=%d DPT=%d WINDOW=1024 RES=0x00 SYN URGP=0", r.IntN(256), r.IntN(256), 1+r.IntN(254), r.IntN(65535), 40000+r.IntN(20000), []int{22, 23, 3389, 5900, 8443}[r.IntN(5)]))
	}
	for t := w.start.Add(time.Duration(r.IntN(900)) * time.Second); t.Before(w.end); t = t.Add(time.Duration(15+r.IntN(20)) * time.Minute) {
		pid += 10 + r.IntN(200)
		w.syslog(t, "sshd", pid, fmt.Sprintf("Accepted publickey for ops from 10.0.9.%d port %d ssh2: ED25519 SHA256:kq3VQ1n0yqv4y1t7b1f9bQeTq8m4aXw0Zr6c2o1d5uE", 2+r.IntN(20), 40000+r.IntN(20000)))
		w.syslog(t.Add(40*time.Millisecond), "systemd-logind", 712, fmt.Sprintf("New session %d of user ops.", 3000+r.IntN(900)))
	}
}

// ---- recurring noise in the services ---------------------------------------

func (w *world) appNoise() {
	r := w.nr
	if a := w.apps[svcOrders]; a != nil {
		for t := w.start.Add(time.Duration(r.IntN(240)) * time.Second); t.Before(w.end); t = t.Add(time.Duration(240+r.IntN(120)) * time.Second) {
			if !w.isDown(svcOrders, t) {
				a.log(t, "WARN", "scheduling-1", a.pkg+".erp.ErpExportJob", "Order export to ERP deferred: ERP maintenance window active until 23:00 (42 orders queued)")
			}
		}
	}
	if a := w.apps[svcPayments]; a != nil {
		for t := w.start.Add(time.Duration(r.IntN(400)) * time.Second); t.Before(w.end); t = t.Add(time.Duration(420+r.IntN(180)) * time.Second) {
			a.logEx(t, "ERROR", "scheduling-1", a.pkg+".fx.FxRateRefresher", "Failed to refresh FX rates; keeping rates from 06:00",
				&JavaException{Class: "org.springframework.web.client.HttpClientErrorException$TooManyRequests", Message: `429 Too Many Requests: "{"error":"rate_limited","retry_after":3600}"`, Frames: []string{
					"org.springframework.web.client.HttpClientErrorException.create(HttpClientErrorException.java:137)",
					"org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:183)",
					"org.springframework.web.client.RestTemplate.handleResponse(RestTemplate.java:942)",
					"org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:891)",
					a.pkg + ".fx.FxRateRefresher.refresh(FxRateRefresher.java:38)"}})
		}
	}
	if a := w.apps[svcFulfillment]; a != nil {
		for t := w.start.Add(time.Duration(r.IntN(300)) * time.Second); t.Before(w.end); t = t.Add(time.Duration(300+r.IntN(120)) * time.Second) {
			a.log(t, "WARN", "carrier-quotes-1", a.pkg+".carrier.RateQuoteClient", fmt.Sprintf("Carrier rate quote slow: dhl answered in %d ms (budget 1500 ms)", 1600+r.IntN(1400)))
		}
	}
	if g := w.goes[svcCatalog]; g != nil {
		for t := w.start.Add(time.Duration(r.IntN(300)) * time.Second); t.Before(w.end); t = t.Add(time.Duration(180+r.IntN(180)) * time.Second) {
			g.log(t, "warn", "search", "search/index.go:203", "search index stale, using fallback ranking", Int("age_s", int64(3600+r.IntN(1800))))
		}
	}
	for _, name := range []string{svcOrders, svcPayments, svcFulfillment} {
		if a := w.apps[name]; a != nil {
			for t := w.start.Add(time.Duration(r.IntN(600)) * time.Second); t.Before(w.end); t = t.Add(time.Duration(900+r.IntN(900)) * time.Second) {
				if !w.isDown(name, t) {
					a.log(t, "WARN", "HikariPool-1 housekeeper", lHikariPool, fmt.Sprintf("HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=%dm%ds).", 1, 2+r.IntN(40)))
				}
			}
		}
	}
}

// ---- payments' circuit breaker ----------------------------------------------

type pspBreaker struct {
	results   []bool
	openUntil time.Time
	state     string
}

func (w *world) psp() *pspBreaker {
	if w.breaker == nil {
		w.breaker = &pspBreaker{state: "CLOSED"}
	}
	return w.breaker
}

func (w *world) pspTransition(t time.Time, from, to string) {
	a := w.apps[svcPayments]
	a.log(t, "WARN", "resilience4j-cb", a.pkg+".config.ResilienceConfig", fmt.Sprintf("CircuitBreaker 'paygate' changed state from %s to %s", from, to))
}

// pspBreakerOpen tells whether the breaker rejects a call at t (and moves
// OPEN to HALF_OPEN when the wait is over).
func (w *world) pspBreakerOpen(t time.Time) bool {
	b := w.psp()
	if b.state == "OPEN" {
		if t.Before(b.openUntil) {
			return true
		}
		w.pspTransition(t, "OPEN", "HALF_OPEN")
		b.state = "HALF_OPEN"
		b.results = nil
	}
	return false
}

func (w *world) pspFail(t time.Time) {
	b := w.psp()
	b.results = append(b.results, false)
	if len(b.results) > 10 {
		b.results = b.results[1:]
	}
	fails := 0
	for _, ok := range b.results {
		if !ok {
			fails++
		}
	}
	if (b.state == "HALF_OPEN") || (b.state == "CLOSED" && len(b.results) >= 5 && fails*2 >= len(b.results)) {
		w.pspTransition(t, b.state, "OPEN")
		b.state = "OPEN"
		b.openUntil = t.Add(30 * time.Second)
	}
}

// ---- the consumer -------------------------------------------------------------

// consume runs fulfillment's listener over the orders topic: poll batches,
// one shipment per order, poll timeouts and rebalances when a batch takes
// longer than max.poll.interval.ms.
func (w *world) consume() {
	a := w.apps[svcFulfillment]
	if a == nil || w.consumer != nil {
		if w.consumer != nil {
			for _, m := range w.consumed {
				w.consumer(m)
			}
		}
		return
	}
	// concurrency 3: one listener thread per two partitions
	gen := 40 + w.nr.IntN(30)
	for k := 0; k < 3; k++ {
		var msgs []orderMsg
		for _, m := range w.consumed {
			if m.partition/2 == k {
				msgs = append(msgs, m)
			}
		}
		w.consumeThread(a, k, msgs, gen)
	}
}

func (w *world) consumeThread(a *javaApp, k int, msgs []orderMsg, gen int) {
	r := w.nr
	consumerThr := fmt.Sprintf("org.springframework.kafka.KafkaListenerEndpointContainer#0-%d-C-1", k)
	tag := fmt.Sprintf("[Consumer clientId=consumer-fulfillment-%d, groupId=fulfillment] ", k+1)
	member := fmt.Sprintf("consumer-fulfillment-%d-%s", k+1, hexUUID(r))
	coord := w.coordinator()
	parts := fmt.Sprintf("orders-%d, orders-%d", 2*k, 2*k+1)
	next := 0      // first unconsumed message
	committed := 0 // first message not committed
	cur := w.start
	for next < len(msgs) {
		pollAt := cur
		if msgs[next].t.After(pollAt) {
			pollAt = msgs[next].t.Add(time.Duration(5+r.IntN(200)) * time.Millisecond)
		}
		end := next
		for end < len(msgs) && !msgs[end].t.After(pollAt) && end-next < 50 {
			end++
		}
		t := pollAt
		timedOut := false
		for i := next; i < end; i++ {
			m := msgs[i]
			lat, ex := a.dbCall(t, consumerThr, true, "shipments")
			t = t.Add(lat)
			if ex != nil {
				a.logEx(t, "ERROR", consumerThr, "org.springframework.kafka.listener.DefaultErrorHandler", fmt.Sprintf("Backoff FixedBackOff{interval=0, currentAttempts=1, maxAttempts=0} exhausted for orders-%d@%d", m.partition, 2_000_000+m.order),
					&JavaException{Class: "org.springframework.kafka.listener.ListenerExecutionFailedException", Message: "Listener method 'public void com.example.shop.fulfillment.listener.OrderListener.onOrderCreated(com.example.shop.events.OrderCreated)' threw exception", Frames: []string{
						"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.decorateException(KafkaMessageListenerContainer.java:2949)",
						"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeOnMessage(KafkaMessageListenerContainer.java:2865)",
						"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.invokeOnMessage(KafkaMessageListenerContainer.java:2832)"}, Cause: ex})
			} else {
				w.shipSeq++
				t = t.Add(time.Duration(2+r.IntN(10)) * time.Millisecond)
				a.log(t, "INFO", consumerThr, a.pkg+".listener.OrderListener", fmt.Sprintf("Created shipment SHP-%d for order %d (partition %d)", w.shipSeq, m.order, m.partition))
				w.shipTx(t, m)
			}
			if !timedOut && t.Sub(pollAt) > 5*time.Minute {
				timedOut = true
				tt := pollAt.Add(5 * time.Minute).Add(time.Duration(r.IntN(900)) * time.Millisecond)
				a.log(tt, "WARN", "kafka-coordinator-heartbeat-thread | fulfillment", lCoordinator, tag+"consumer poll timeout has expired. This means the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is spending too much time processing messages. You can address this either by increasing max.poll.interval.ms or by reducing the maximum size of batches returned in poll() with max.poll.records.")
				a.log(tt.Add(time.Millisecond), "INFO", "kafka-coordinator-heartbeat-thread | fulfillment", lCoordinator, fmt.Sprintf("%sMember %s sending LeaveGroup request to coordinator %s:9092 (id: %d rack: null) due to consumer poll timeout has expired.", tag, member, kafkaHost(coord.id), 2147483647-coord.id))
				coord.log(tt.Add(3*time.Millisecond), "INFO", fmt.Sprintf("[GroupCoordinator %d]: Preparing to rebalance group fulfillment in state PreparingRebalance with old generation %d (__consumer_offsets-17) (reason: Removing member %s on LeaveGroup; client reason: consumer poll timeout has expired.)", coord.id, gen, member), "kafka.coordinator.group.GroupCoordinator")
				coord.log(tt.Add(4*time.Millisecond), "INFO", fmt.Sprintf("[GroupCoordinator %d]: Group fulfillment with generation %d is now empty (__consumer_offsets-17)", coord.id, gen+1), "kafka.coordinator.group.GroupCoordinator")
				coord.log(tt.Add(5*time.Millisecond), "INFO", fmt.Sprintf("[GroupCoordinator %d]: Member MemberMetadata(memberId=%s, groupInstanceId=None, clientId=consumer-fulfillment-1, clientHost=/10.0.2.8, sessionTimeoutMs=45000, rebalanceTimeoutMs=300000, supportedProtocols=List(range, cooperative-sticky)) has left group fulfillment through explicit `LeaveGroup`; client reason: consumer poll timeout has expired.", coord.id, member), "kafka.coordinator.group.GroupCoordinator")
				gen++
			}
		}
		if timedOut {
			// the commit of this batch fails; the batch comes again
			a.logEx(t.Add(time.Millisecond), "ERROR", consumerThr, lListenerCont, "Consumer exception",
				&JavaException{Class: "java.lang.IllegalStateException", Message: "This error handler cannot process 'org.apache.kafka.clients.consumer.CommitFailedException's; no record information is available", Frames: []string{
					"org.springframework.kafka.listener.DefaultErrorHandler.handleOtherException(DefaultErrorHandler.java:198)",
					"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.handleConsumerException(KafkaMessageListenerContainer.java:1936)",
					"org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.run(KafkaMessageListenerContainer.java:1350)",
					"java.base/java.lang.Thread.run(Thread.java:1583)"},
					Cause: &JavaException{Class: "org.apache.kafka.clients.consumer.CommitFailedException", Message: "Offset commit cannot be completed since the consumer is not part of an active group for auto partition assignment; it is likely that the consumer was kicked out of the group.", Frames: []string{
						"org.apache.kafka.clients.consumer.internals.ConsumerCoordinator.sendOffsetCommitRequest(ConsumerCoordinator.java:1351)",
						"org.apache.kafka.clients.consumer.internals.ConsumerCoordinator.commitOffsetsSync(ConsumerCoordinator.java:1152)",
						"org.apache.kafka.clients.consumer.KafkaConsumer.commitSync(KafkaConsumer.java:1507)"}}})
			member = fmt.Sprintf("consumer-fulfillment-%d-%s", k+1, hexUUID(r))
			t = w.rejoin(a, coord, consumerThr, tag, member, parts, gen, t.Add(5*time.Millisecond))
			gen++
			cur = t
			next = committed // redelivered
			if w.redeliverCap > 0 {
				w.redeliverCap--
			} else {
				next = end
			}
			continue
		}
		committed = end
		next = end
		cur = t
	}
}

// rejoin writes a consumer's rejoin and the coordinator's side of it; it
// returns when the consumer has its partitions again.
func (w *world) rejoin(a *javaApp, coord *broker, consumerThr, tag, member, parts string, gen int, t time.Time) time.Time {
	r := w.nr
	a.log(t, "INFO", consumerThr, lAbsCoord, tag+"(Re-)joining group")
	a.log(t.Add(4*time.Millisecond), "INFO", consumerThr, lAbsCoord, tag+"Request joining group due to: need to re-join with the given member-id: "+member)
	coord.log(t.Add(8*time.Millisecond), "INFO", fmt.Sprintf("[GroupCoordinator %d]: Preparing to rebalance group fulfillment in state PreparingRebalance with old generation %d (__consumer_offsets-17) (reason: Adding new member %s with group instance id None; client reason: need to re-join with the given member-id: %s)", coord.id, gen, member, member), "kafka.coordinator.group.GroupCoordinator")
	t = t.Add(time.Duration(3000+r.IntN(200)) * time.Millisecond)
	coord.log(t, "INFO", fmt.Sprintf("[GroupCoordinator %d]: Stabilized group fulfillment generation %d (__consumer_offsets-17) with 3 members", coord.id, gen+1), "kafka.coordinator.group.GroupCoordinator")
	a.log(t.Add(3*time.Millisecond), "INFO", consumerThr, lAbsCoord, fmt.Sprintf("%sSuccessfully joined group with generation Generation{generationId=%d, memberId='%s', protocol='range'}", tag, gen+1, member))
	coord.log(t.Add(6*time.Millisecond), "INFO", fmt.Sprintf("[GroupCoordinator %d]: Assignment received from leader %s for group fulfillment for generation %d. The group has 3 members, 0 of which are static.", coord.id, member, gen+1), "kafka.coordinator.group.GroupCoordinator")
	a.log(t.Add(9*time.Millisecond), "INFO", consumerThr, lCoordinator, tag+"Adding newly assigned partitions: "+parts)
	a.log(t.Add(12*time.Millisecond), "INFO", consumerThr, lListenerCont, "fulfillment: partitions assigned: ["+parts+"]")
	return t.Add(15 * time.Millisecond)
}

func (w *world) coordinator() *broker {
	for _, k := range w.kafka {
		if k.id == w.coordID || (w.coordID == 0 && k.id == 1) {
			return k
		}
	}
	if len(w.kafka) > 0 {
		return w.kafka[0]
	}
	return &broker{w: w, src: "", kf: NewKafka(time.UTC)} // logs nowhere useful
}

// hexUUID is a random UUID as Kafka member ids carry them.
func hexUUID(r interface{ IntN(int) int }) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 36)
	for i := range b {
		switch i {
		case 8, 13, 18, 23:
			b[i] = '-'
		default:
			b[i] = hex[r.IntN(16)]
		}
	}
	return string(b)
}

// shipTx records the binlog transaction of a shipment.
func (w *world) shipTx(t time.Time, m orderMsg) {
	if !w.binlog {
		return
	}
	start := t.Add(-time.Duration(3+w.nr.IntN(9)) * time.Millisecond)
	w.txs = append(w.txs, &BinlogTx{Start: start, Commit: t, ThreadID: 9000 + int64(w.nr.IntN(40)), Changes: []RowChange{
		{Kind: 'I', DB: "shop", Table: "shipments", After: []string{fmt.Sprint(w.shipSeq), fmt.Sprint(m.order), BinStr("NEW"), BinDatetime(t)}},
		{Kind: 'I', DB: "shop", Table: "ledger_entries", After: []string{fmt.Sprint(7000000 + w.shipSeq), fmt.Sprint(m.order), BinStr("SHIPPING_FEE"), "4.90", BinDatetime(t)}},
	}})
}

// ---- running the world ---------------------------------------------------------

// run simulates the steady platform (with the scenario's impairments set)
// and writes every service's lines.
func (w *world) run() {
	for _, name := range []string{svcOrders, svcPayments, svcFulfillment} {
		if a := w.apps[name]; a != nil && name == w.startupApp {
			a.startup(w.start.Add(time.Duration(5+w.nr.IntN(40))*time.Second), name == svcFulfillment)
		}
	}
	w.appNoise()
	w.nodeNoise()
	for _, k := range w.kafka {
		stop := w.end
		if s, ok := w.brokerStop[k.id]; ok {
			stop = s
		}
		k.noise(stop)
	}
	if w.db != nil {
		w.db.noise(func(t time.Time) bool { return w.dbSilent(t) })
	}
	switch {
	case w.everyHerring:
		w.allHerrings()
	case !w.noHerring:
		w.runHerring()
	}
	w.gateway()
	w.storefront()
	w.consume()
	w.orderTxs()
	for _, f := range w.post {
		f()
	}
}

// orderTxs records the binlog transactions of order inserts.
func (w *world) orderTxs() {
	if !w.binlog {
		return
	}
	for _, m := range w.consumed {
		w.txs = append(w.txs, &BinlogTx{Start: m.t.Add(-time.Duration(4+w.nr.IntN(9)) * time.Millisecond), Commit: m.t.Add(-time.Millisecond), ThreadID: 8100 + int64(w.nr.IntN(30)), Changes: []RowChange{
			{Kind: 'I', DB: "shop", Table: "orders", After: []string{fmt.Sprint(m.order), fmt.Sprint(m.customer), BinStr("PLACED"), m.amount, BinDatetime(m.t)}},
		}})
	}
}

func (w *world) dbSilent(t time.Time) bool {
	for _, s := range w.dbQuiet {
		if s.has(t) {
			return true
		}
	}
	return false
}
