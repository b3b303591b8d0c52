package gen

import (
	"fmt"
	"time"
)

// Background noise that has nothing to do with the outage, and the red
// herring: kafka-2's rolling restart an hour before.

func (d *demo) kafkaLine(path string, t time.Time, level, msg, logger string) {
	d.rs.add(path, t, d.kf.Append(nil, t, level, msg, logger))
}

func (d *demo) noise() {
	r := d.nrng
	sp := func(t time.Time, level, thread, logger, msg string) {
		d.rs.add(pSpring, t, d.sp.Append(nil, t, level, thread, logger, msg))
	}
	// order-service: a stale tax-code catalog, every ~7 minutes all day.
	for t := demoStart.Add(ms(41377)); t.Before(demoEnd); t = t.Add(7*time.Minute + jitter(r, 0, ms(900))) {
		sp(t, "WARN", "scheduling-1", "com.example.invoice.order.tax.TaxCodeCatalog",
			"Tax code catalog is 2 versions behind the authority (local 2023.07.2, remote 2023.08.1); using the local copy")
	}
	// tax-adapter: its client certificate expires soon, every 5 minutes.
	for t := demoStart.Add(ms(12045)); t.Before(demoEnd); t = t.Add(5*time.Minute + jitter(r, 0, ms(40))) {
		d.rs.add(pTaxPipe, t, d.tp.Append(nil, t, "WARN", "tax-adapter", "client certificate for api.tax.example.gov expires in 27 days (2023-09-11T08:00:00Z); renew it"))
	}
	// Kafka broker housekeeping.
	for t := demoStart.Add(ms(284719)); t.Before(demoEnd); t = t.Add(10 * time.Minute) {
		ts := t.Add(jitter(r, 0, ms(3)))
		d.kafkaLine(pKafka, ts, "INFO", fmt.Sprintf("[GroupMetadataManager brokerId=1] Removed 0 expired offsets in %d milliseconds.", r.IntN(2)), "kafka.coordinator.group.GroupMetadataManager")
	}
	for t := demoStart.Add(11 * time.Minute); t.Before(demoEnd); t = t.Add(jitter(r, 19*time.Minute, 31*time.Minute)) {
		p := r.IntN(6)
		off := 87900 + int64(r.IntN(600))
		name := fmt.Sprintf("%s-%d", topic, p)
		if r.IntN(3) == 0 {
			name = fmt.Sprintf("audit-log-%d", r.IntN(3))
			off = 1204000 + int64(r.IntN(90000))
		}
		d.kafkaLine(pKafka, t, "INFO", fmt.Sprintf("[LocalLog partition=%s, dir=/var/lib/kafka/data] Rolled new log segment at offset %d in %d ms.", name, off, 1+r.IntN(6)), "kafka.log.LocalLog")
		d.kafkaLine(pKafka, t.Add(ms(1+r.IntN(3))), "INFO", fmt.Sprintf("[ProducerStateManager partition=%s] Wrote producer snapshot at offset %d with 0 producer ids in %d ms.", name, off, r.IntN(3)), "kafka.log.ProducerStateManager")
	}
	t0 := lt(13, 41, 7, 310)
	d.kafkaLine(pKafka, t0, "INFO", "[UnifiedLog partition=audit-log-1, dir=/var/lib/kafka/data] Deleting segment LogSegment(baseOffset=0, size=1073741402, lastModifiedTime=1691474411000, largestRecordTimestamp=Some(1691474410998)) due to retention time 604800000ms breach based on the largest record timestamp in the segment", "kafka.log.UnifiedLog")
	d.kafkaLine(pKafka, t0.Add(ms(60004)), "INFO", "[LocalLog partition=audit-log-1, dir=/var/lib/kafka/data] Deleting segment files LogSegment(baseOffset=0, size=1073741402, lastModifiedTime=1691474411000, largestRecordTimestamp=Some(1691474410998))", "kafka.log.LocalLog$")
	// Controller: automatic preferred-leader balancing every 5 minutes.
	const ctl = "kafka.controller.KafkaController"
	for t := demoStart.Add(ms(178004)); t.Before(demoEnd); t = t.Add(5 * time.Minute) {
		ts := t.Add(jitter(r, 0, ms(2)))
		d.kafkaLine(pCtrl, ts, "INFO", "[Controller id=1] Processing automatic preferred replica leader election", ctl)
		d.kafkaLine(pCtrl, ts, "TRACE", "[Controller id=1] Checking need to trigger auto leader balancing", ctl)
		for _, b := range []int{1, 2, 3} {
			d.kafkaLine(pCtrl, ts.Add(ms(1)), "DEBUG", fmt.Sprintf("[Controller id=1] Topics not in preferred replica for broker %d HashMap()", b), ctl)
			d.kafkaLine(pCtrl, ts.Add(ms(1)), "TRACE", fmt.Sprintf("[Controller id=1] Leader imbalance ratio for broker %d is 0.0", b), ctl)
		}
	}
	// MySQL: report-service and the batch jobs open a connection per task
	// and still authenticate with mysql_native_password; the monitoring
	// agent's address has no PTR record (the server runs with
	// host_cache_size=0, so it is logged on every connection).
	type myEvent struct {
		t       time.Time
		monitor bool
	}
	var evs []myEvent
	for t := demoStart.Add(ms(95310)); t.Before(demoEnd); t = t.Add(jitter(r, 2*time.Minute, 5*time.Minute)) {
		evs = append(evs, myEvent{t: t.Add(jitter(r, 0, time.Millisecond)), monitor: false})
	}
	for t := demoStart.Add(ms(31822)); t.Before(demoEnd); t = t.Add(5*time.Minute + jitter(r, 0, ms(80))) {
		evs = append(evs, myEvent{t: t.Add(jitter(r, 0, time.Millisecond)), monitor: true})
	}
	sortStable(evs, func(a, b *myEvent) bool { return a.t.Before(b.t) })
	conn := int64(18461)
	for _, e := range evs {
		conn += 1 + int64(r.IntN(4))
		if e.monitor {
			d.rs.add(pMyErr, e.t, d.me.Append(nil, e.t, conn, "Warning", "MY-010055", "Server", "IP address '10.0.7.31' could not be resolved: Name or service not known"))
		} else {
			d.rs.add(pMyErr, e.t, d.me.Append(nil, e.t, conn, "Warning", "MY-013360", "Server", "Plugin mysql_native_password reported: ''mysql_native_password' is deprecated and will be removed in a future release. Please use caching_sha2_password instead'"))
		}
	}
}

// herring: kafka-2 is restarted for a configuration change at 13:18; its
// clients and peers complain for two minutes, then everything is fine.
func (d *demo) herring() {
	r := d.nrng
	const ctl = "kafka.controller.KafkaController"
	const part = "kafka.cluster.Partition"
	const nc = "org.apache.kafka.clients.NetworkClient"
	t := herringStart
	d.kafkaLine(pCtrl, t, "INFO", "[Controller id=1] Shutting down broker 2", ctl)
	d.kafkaLine(pCtrl, t.Add(ms(3)), "DEBUG", "[Controller id=1] All shutting down brokers: 2", ctl)
	d.kafkaLine(pCtrl, t.Add(ms(3)), "DEBUG", "[Controller id=1] Live brokers: 1,3", ctl)
	down := t.Add(ms(2295))
	d.kafkaLine(pCtrl, down, "INFO", "[Controller id=1] Newly added brokers: , deleted brokers: 2, bounced brokers: , all live brokers: 1,3", ctl)
	d.kafkaLine(pCtrl, down.Add(ms(1)), "INFO", "[Controller id=1] Broker failure callback for 2", ctl)
	d.kafkaLine(pCtrl, herringEnd, "INFO", "[Controller id=1] Newly added brokers: 2, deleted brokers: , bounced brokers: , all live brokers: 1,2,3", ctl)
	d.kafkaLine(pCtrl, herringEnd.Add(ms(1)), "INFO", "[Controller id=1] New broker startup callback for 2", ctl)
	d.kafkaLine(pCtrl, herringEnd.Add(ms(212)), "INFO", "[Controller id=1] Updated broker epochs cache: HashMap(1 -> 4294967328, 2 -> 4294967412, 3 -> 4294967355)", ctl)
	d.kafkaLine(pCtrl, lt(13, 23, 2, 5), "INFO", "[Controller id=1] Starting replica leader election (PREFERRED) for partitions invoice-issue-2,invoice-issue-5 triggered by AutoTriggered", ctl)

	// Broker 1 takes over the partitions kafka-2 led, and its fetcher from
	// kafka-2 fails.
	t1 := t.Add(ms(312))
	d.kafkaLine(pKafka, t1, "INFO", "[ReplicaFetcherManager on broker 1] Removed fetcher for partitions HashSet(invoice-issue-2, invoice-issue-5)", "kafka.server.ReplicaFetcherManager")
	for i, p := range []int{2, 5} {
		d.kafkaLine(pKafka, t1.Add(ms(6+i)), "INFO", fmt.Sprintf("[Partition invoice-issue-%d broker=1] invoice-issue-%d starts at leader epoch 8 from offset %d with partition epoch 15, high watermark %d, ISR [1,3], adding replicas [] and removing replicas [] . Previous leader epoch was 7.", p, p, 87954+int64(p)*31, 87954+int64(p)*31), part)
	}
	te := t.Add(ms(840))
	b := d.kf.Append(nil, te, "INFO", "[ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Error sending fetch request (sessionId=1043271187, epoch=88211) to node 2:", "org.apache.kafka.clients.FetchSessionHandler")
	b = AppendJavaTrace(b, &JavaException{Class: "java.io.IOException", Message: "Connection to 2 was disconnected before the response was read", Frames: []string{
		"org.apache.kafka.clients.NetworkClientUtils.sendAndReceive(NetworkClientUtils.java:99)",
		"kafka.server.BrokerBlockingSender.sendRequest(BrokerBlockingSender.scala:113)",
		"kafka.server.RemoteLeaderEndPoint.fetch(RemoteLeaderEndPoint.scala:79)",
		"kafka.server.AbstractFetcherThread.processFetchRequest(AbstractFetcherThread.scala:316)",
		"kafka.server.AbstractFetcherThread.$anonfun$maybeFetch$3(AbstractFetcherThread.scala:130)",
		"kafka.server.AbstractFetcherThread.$anonfun$maybeFetch$3$adapted(AbstractFetcherThread.scala:129)",
		"scala.Option.foreach(Option.scala:437)",
		"kafka.server.AbstractFetcherThread.maybeFetch(AbstractFetcherThread.scala:129)",
		"kafka.server.AbstractFetcherThread.doWork(AbstractFetcherThread.scala:112)",
		"kafka.server.ReplicaFetcherThread.doWork(ReplicaFetcherThread.scala:98)",
		"org.apache.kafka.server.util.ShutdownableThread.run(ShutdownableThread.java:127)",
	}})
	d.rs.add(pKafka, te, b)
	for i, dt := 0, ms(1900); i < 4; i, dt = i+1, dt+jitter(r, ms(900), ms(1200)) {
		d.kafkaLine(pKafka, te.Add(dt), "WARN", "[ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Connection to node 2 (kafka-2.kafka.svc/10.0.3.12:9092) could not be established. Broker may not be available.", nc)
	}
	d.kafkaLine(pKafka, te.Add(ms(6210)), "INFO", "[ReplicaFetcherManager on broker 1] Removed fetcher for partitions HashSet(invoice-issue-1, invoice-issue-4)", "kafka.server.ReplicaFetcherManager")
	ts := t.Add(ms(10377))
	for i, p := range []string{"invoice-issue-0", "invoice-issue-3", "__consumer_offsets-12", "audit-log-0"} {
		tp := ts.Add(ms(i * 4))
		hw := 88102 + int64(i)*97
		d.kafkaLine(pKafka, tp, "INFO", fmt.Sprintf("[Partition %s broker=1] Shrinking ISR from 1,2,3 to 1,3. Leader: (highWatermark: %d, endOffset: %d). Out of sync replicas: (brokerId: 2, endOffset: %d, lastCaughtUpTimeMs: %d).", p, hw, hw+1, hw-2, herringStart.UnixMilli()+210), part)
		d.kafkaLine(pKafka, tp.Add(ms(2)), "INFO", fmt.Sprintf("[Partition %s broker=1] ISR updated to 1,3 and version updated to %d", p, 21+i), part)
	}
	tx := herringEnd.Add(ms(9412))
	for i, p := range []string{"invoice-issue-0", "invoice-issue-3", "__consumer_offsets-12", "audit-log-0"} {
		tp := tx.Add(ms(i * 37))
		d.kafkaLine(pKafka, tp, "INFO", fmt.Sprintf("[Partition %s broker=1] Expanding ISR from 1,3 to 1,3,2", p), part)
		d.kafkaLine(pKafka, tp.Add(ms(2)), "INFO", fmt.Sprintf("[Partition %s broker=1] ISR updated to 1,3,2 and version updated to %d", p, 22+i), part)
	}
	d.kafkaLine(pKafka, lt(13, 23, 2, 19), "INFO", "[ReplicaFetcherManager on broker 1] Removed fetcher for partitions HashSet(invoice-issue-2, invoice-issue-5)", "kafka.server.ReplicaFetcherManager")

	// order-service's producer and the consumer fetching from kafka-2.
	sp := func(t time.Time, level, thread, logger, msg string) {
		d.rs.add(pSpring, t, d.sp.Append(nil, t, level, thread, logger, msg))
	}
	prod := "kafka-producer-network-thread | producer-1"
	tp := t.Add(ms(402))
	sp(tp, "INFO", prod, nc, "[Producer clientId=producer-1] Node 2 disconnected.")
	sp(tp.Add(ms(88)), "WARN", prod, "org.apache.kafka.clients.producer.internals.Sender", "[Producer clientId=producer-1] Got error produce response with correlation id 88213 on topic-partition invoice-issue-2, retrying (2147483646 attempts left). Error: NOT_LEADER_OR_FOLLOWER")
	sp(tp.Add(ms(88)), "WARN", prod, "org.apache.kafka.clients.producer.internals.Sender", "[Producer clientId=producer-1] Received invalid metadata error in produce request on partition invoice-issue-2 due to org.apache.kafka.common.errors.NotLeaderOrFollowerException: For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.. Going to request metadata update now")
	for i, dt := 0, ms(700); i < 6; i, dt = i+1, dt+jitter(r, ms(800), ms(1300)) {
		sp(tp.Add(dt), "WARN", prod, nc, "[Producer clientId=producer-1] Connection to node 2 (kafka-2.kafka.svc/10.0.3.12:9092) could not be established. Broker may not be available.")
	}
	c2 := d.kafka.cons[1]
	tc := t.Add(ms(515))
	sp(tc, "INFO", c2.thread, nc, c2.tag()+"Node 2 disconnected.")
	sp(tc.Add(ms(2)), "INFO", c2.thread, "org.apache.kafka.clients.FetchSessionHandler", c2.tag()+"Error sending fetch request (sessionId=1780051912, epoch=4417) to node 2:")
	b = d.sp.Append(nil, tc.Add(ms(3)), "WARN", c2.thread, nc, c2.tag()+"Connection to node 2 (kafka-2.kafka.svc/10.0.3.12:9092) could not be established. Broker may not be available.")
	d.rs.add(pSpring, tc.Add(ms(3)), b)
	for dt := ms(1100); dt < 140*time.Second; dt += jitter(r, ms(4000), ms(9000)) {
		sp(tc.Add(dt), "WARN", c2.thread, nc, c2.tag()+"Connection to node 2 (kafka-2.kafka.svc/10.0.3.12:9092) could not be established. Broker may not be available.")
	}
}
