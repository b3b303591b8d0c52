package gen

import (
	"fmt"
	"time"
)

// setup declares a scenario's services, the service deployed at the start
// of the bundle (its startup prints the deprecated-config warning), the
// red herrings it may draw, and skews one source's clock.
func (w *world) setup(startup string, herrings []string, srcs ...string) {
	w.use(srcs...)
	w.startupApp = startup
	w.herrings = herrings
	w.skewOne()
}

func dur(r interface{ IntN(int) int }, loS, hiS int) time.Duration {
	return time.Duration(loS*1000+r.IntN((hiS-loS)*1000+1)) * time.Millisecond
}

// scenarioMySQLDownLoud: MySQL 8 hits an InnoDB assertion and crashes
// (signal 6, crash banner and backtrace in its error log); the container
// restarts it a few minutes later. orders' pooled connections break
// (Communications link failure), then its requests wait 30 s for a
// connection and fail with Connection refused at the root; catalog's Go
// driver gets "connect: connection refused" from 10.0.3.7:3306; the gateway
// answers 500/503 and mobile clients retry. The consumer's writes fail too.
func scenarioMySQLDownLoud() Scenario {
	return Scenario{
		Name: "mysql-down-loud",
		Truth: Truth{Service: svcMySQL, Kinds: []string{"database_unavailable"},
			AlsoAcceptable: []Cause{{svcMySQL, "process_restart"}},
			Note:           "mysqld crashed on an InnoDB assertion and was restarted; naming the restart of mysql is accepted as the same fact."},
		Story: "MySQL crashes on an InnoDB assertion (loud: assertion, signal 6, backtrace) and restarts minutes later; every client of the database fails meanwhile.",
		build: func(w *world) {
			w.setup(svcOrders, []string{herringCDN, herringSMTP, herringRedeploy}, svcGateway, svcOrders, svcCatalog, svcFulfillment, svcKafka, svcMySQL)
			up := w.t0.Add(dur(w.r, 240, 420))
			w.impair(svcMySQL, w.t0, up, impRefused)
			w.dbQuiet = append(w.dbQuiet, span{w.t0, up})
			w.note(w.t0, "mysqld crashes (InnoDB assertion, signal 6)")
			w.note(up, "mysqld ready for connections again")
			d := w.db
			t := w.t0
			d.log(t, 0, "ERROR", "MY-013183", "InnoDB", "Assertion failure: row0upd.cc:2917:err == DB_SUCCESS thread 140093356603136")
			d.raw(t, "InnoDB: We intentionally generate a memory trap.\nInnoDB: Submit a detailed bug report to http://bugs.mysql.com.\nInnoDB: If you get repeated assertion failures or crashes, even\nInnoDB: immediately after the mysqld startup, there may be\nInnoDB: corruption in the InnoDB tablespace. Please refer to\nInnoDB: http://dev.mysql.com/doc/refman/8.0/en/forcing-innodb-recovery.html\nInnoDB: about forcing recovery.\n")
			ts := t.Add(w.skew[svcMySQL]).UTC()
			d.raw(t.Add(time.Millisecond), ts.Format("2006-01-02T15:04:05Z")+" UTC - mysqld got signal 6 ;\nMost likely, you have hit a bug, but this error can also be caused by malfunctioning hardware.\nBuildID[sha1]=a2b4e7d29c3f1e0b7d5a6c8e9f0a1b2c3d4e5f60\nThread pointer: 0x7f6c2c0a1000\nAttempting backtrace. You can use the following information to find out\nwhere mysqld died. If you see no messages after this, something went\nterribly wrong...\nstack_bottom = 7f6c9d7f3bf0 thread_stack 0x100000\n/usr/sbin/mysqld(my_print_stacktrace(unsigned char const*, unsigned long)+0x41) [0x55d0f8a2c8e1]\n/usr/sbin/mysqld(print_fatal_signal(int)+0x2a2) [0x55d0f78b3f12]\n/usr/sbin/mysqld(my_server_abort()+0x75) [0x55d0f78b4065]\n/usr/sbin/mysqld(my_abort()+0xe) [0x55d0f8a26d3e]\n/usr/sbin/mysqld(ut_dbg_assertion_failed(char const*, char const*, unsigned long)+0x349) [0x55d0f8ccf419]\n/usr/sbin/mysqld(row_upd_step(que_thr_t*)+0x1b4) [0x55d0f8b9c8a4]\n/lib/x86_64-linux-gnu/libc.so.6(+0x94ac3) [0x7f6cb6a94ac3]\nThe manual page at http://dev.mysql.com/doc/mysql/en/crashing.html contains\ninformation that should help you find out what is causing the crash.\n")
			t = up.Add(-dur(w.r, 20, 40))
			d.log(t, 0, "System", "MY-010116", "Server", "/usr/sbin/mysqld (mysqld 8.0.36) starting as process 1")
			d.log(t.Add(30*time.Millisecond), 1, "System", "MY-013576", "InnoDB", "InnoDB initialization has started.")
			d.log(up.Add(-2*time.Second), 1, "System", "MY-013577", "InnoDB", "InnoDB initialization has ended.")
			d.log(up.Add(-900*time.Millisecond), 0, "Warning", "MY-010068", "Server", "CA certificate ca.pem is self signed.")
			d.log(up.Add(-600*time.Millisecond), 0, "System", "MY-013602", "Server", "Channel mysql_main configured to support TLS. Encrypted connections are now supported for this channel.")
			d.log(up, 0, "System", "MY-010931", "Server", "/usr/sbin/mysqld: ready for connections. Version: '8.0.36'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.")
			w.run()
		},
	}
}

// scenarioMySQLDownSilent: the VM running MySQL is paused by its
// hypervisor (a storage stall): mysqld writes nothing at all — no
// shutdown, no error — for several minutes. Clients see reads time out,
// then connection attempts time out. When the VM resumes, the log goes on
// as if nothing happened, and the slow log records the statements that
// were in flight with query times as long as the pause.
func scenarioMySQLDownSilent() Scenario {
	return Scenario{
		Name: "mysql-down-silent",
		Truth: Truth{Service: svcMySQL, Kinds: []string{"silence", "database_unavailable", "timeout"},
			Note: "mysql logs nothing during the outage; only its silence (the binlog stops) and its clients' timeouts show it."},
		Story: "The MySQL host freezes: its logs just stop, with no shutdown line; clients' reads and connects time out until it resumes.",
		build: func(w *world) {
			w.setup(svcPayments, []string{herringCDN, herringSMTP, herringWebhook}, svcGateway, svcOrders, svcCatalog, svcPayments, svcMySQL, svcNode)
			w.binlog = true
			up := w.t0.Add(dur(w.r, 300, 480))
			w.impair(svcMySQL, w.t0, up, impHang)
			w.dbQuiet = append(w.dbQuiet, span{w.t0, up})
			w.note(w.t0, "the MySQL VM stalls: no log line from mysql until it resumes")
			w.note(up, "the VM resumes")
			w.post = append(w.post, func() {
				// no transaction commits during the stall
				kept := w.txs[:0]
				for _, tx := range w.txs {
					if !(span{w.t0, up}).has(tx.Commit) {
						kept = append(kept, tx)
					}
				}
				w.txs = kept
				for i := 0; i < 3+w.r.IntN(3); i++ {
					start := w.t0.Add(-time.Duration(w.r.IntN(2000)) * time.Millisecond)
					end := up.Add(time.Duration(w.r.IntN(400)) * time.Millisecond)
					w.slow = append(w.slow, SlowQuery{End: end, User: "orders", IP: "10.0.2.5", ID: 7700 + int64(i), QueryTime: end.Sub(start), LockTime: time.Duration(w.r.IntN(200)) * time.Microsecond,
						RowsSent: 1, RowsExamined: 1, DB: "shop", SQL: fmt.Sprintf("SELECT o.id, o.status, o.total FROM orders o WHERE o.id = %d", w.orderSeq-w.r.IntN(900))})
				}
			})
			w.run()
		},
	}
}

// scenarioKafkaBrokerDown: the host of broker kafka-2 dies. Its log just
// ends; kafka-1 and kafka-3 lose their fetchers from it ("Connection to
// node 2 ... Broker may not be available"), take over its leaderships and
// shrink the ISRs that held it. The orders topic has min.insync.replicas=2
// and replication factor 2, so partitions 1 and 4 refuse acks=all writes
// (NOT_ENOUGH_REPLICAS): orders' publishes there time out and the API
// answers 503. fulfillment's group coordinator was kafka-2: it rediscovers
// one and rebalances. The broker comes back ten minutes later.
func scenarioKafkaBrokerDown() Scenario {
	return Scenario{
		Name:  "kafka-broker-down",
		Truth: Truth{Service: "kafka-2", Kinds: []string{"kafka_broker_unavailable", "silence"}},
		Story: "Broker kafka-2's host dies: its log stops; producers and consumers report it unavailable, the other brokers shrink ISRs; acks=all writes to its partitions fail.",
		build: func(w *world) {
			w.setup(svcOrders, []string{herringCDN, herringSMTP, herringReport}, svcGateway, svcOrders, svcFulfillment, "kafka-1", "kafka-2", "kafka-3", svcMySQL)
			w.coordID = 3
			back := w.t0.Add(dur(w.r, 540, 720))
			w.brokerStop[2] = w.t0
			w.impair(svcKafka, w.t0.Add(12*time.Second), back.Add(20*time.Second), impBrokerDown, svcOrders)
			w.note(w.t0, "kafka-2's host dies")
			w.note(back, "kafka-2 starts again")
			w.post = append(w.post, func() { w.kafkaBrokerDown(back) })
			w.run()
		},
	}
}

func (w *world) kafkaBrokerDown(back time.Time) {
	r := w.r
	var k1, k2, k3 *broker
	for _, k := range w.kafka {
		switch k.id {
		case 1:
			k1 = k
		case 2:
			k2 = k
		case 3:
			k3 = k
		}
	}
	t0 := w.t0
	for _, k := range []*broker{k1, k3} {
		te := t0.Add(time.Duration(200+r.IntN(600)) * time.Millisecond)
		k.logEx(te, "INFO", fmt.Sprintf("[ReplicaFetcher replicaId=%d, leaderId=2, fetcherId=0] Error sending fetch request (sessionId=%d, epoch=%d) to node 2:", k.id, 1000000000+r.IntN(900000000), 40000+r.IntN(9000)), "org.apache.kafka.clients.FetchSessionHandler",
			&JavaException{Class: "java.io.IOException", Message: "Connection to 2 was disconnected before the response was read", Frames: []string{
				"org.apache.kafka.clients.NetworkClientUtils.sendAndReceive(NetworkClientUtils.java:99)",
				"kafka.server.BrokerBlockingSender.sendRequest(BrokerBlockingSender.scala:113)",
				"kafka.server.RemoteLeaderEndPoint.fetch(RemoteLeaderEndPoint.scala:79)",
				"kafka.server.AbstractFetcherThread.processFetchRequest(AbstractFetcherThread.scala:316)",
				"kafka.server.AbstractFetcherThread.maybeFetch(AbstractFetcherThread.scala:129)",
				"org.apache.kafka.server.util.ShutdownableThread.run(ShutdownableThread.java:130)"}})
		for dt := 1500 * time.Millisecond; dt < 18*time.Second; dt += time.Duration(1000+r.IntN(1200)) * time.Millisecond {
			k.log(te.Add(dt), "WARN", fmt.Sprintf("[ReplicaFetcher replicaId=%d, leaderId=2, fetcherId=0] Connection to node 2 (%s) could not be established. Broker may not be available.", k.id, kafkaNode(2)), lNetClient)
		}
		tl := t0.Add(18*time.Second + time.Duration(r.IntN(900))*time.Millisecond)
		k.log(tl, "INFO", fmt.Sprintf("[ReplicaFetcherManager on broker %d] Removed fetcher for partitions HashSet(orders-%d, payments-audit-%d)", k.id, []int{1, 4}[k.id/3], k.id), "kafka.server.ReplicaFetcherManager")
		for _, p := range []string{fmt.Sprintf("orders-%d", []int{0, 3}[k.id/3]), fmt.Sprintf("__consumer_offsets-%d", 11+k.id), fmt.Sprintf("clickstream-%d", 2+k.id)} {
			hw := 1880000 + int64(r.IntN(90000))
			ts := t0.Add(30*time.Second + time.Duration(r.IntN(2000))*time.Millisecond)
			k.log(ts, "INFO", fmt.Sprintf("[Partition %s broker=%d] Shrinking ISR from %d,2 to %d. Leader: (highWatermark: %d, endOffset: %d). Out of sync replicas: (brokerId: 2, endOffset: %d, lastCaughtUpTimeMs: %d).", p, k.id, k.id, k.id, hw, hw+3, hw-1, t0.UnixMilli()-120), "kafka.cluster.Partition")
			k.log(ts.Add(3*time.Millisecond), "INFO", fmt.Sprintf("[Partition %s broker=%d] ISR updated to %d and version updated to %d", p, k.id, k.id, 30+r.IntN(20)), "kafka.cluster.Partition")
			tx := back.Add(time.Duration(15000+r.IntN(8000)) * time.Millisecond)
			k.log(tx, "INFO", fmt.Sprintf("[Partition %s broker=%d] Expanding ISR from %d to %d,2", p, k.id, k.id, k.id), "kafka.cluster.Partition")
		}
	}
	// kafka-2 comes back
	k2.log(back, "INFO", "Registered kafka:type=kafka.Log4jController MBean", "kafka.utils.Log4jControllerRegistration$")
	k2.log(back.Add(400*time.Millisecond), "INFO", "starting", "kafka.server.KafkaServer")
	k2.log(back.Add(6*time.Second), "WARN", "Stopping serving logs in dir /var/lib/kafka/data", "kafka.log.LogManager")
	k2.log(back.Add(6100*time.Millisecond), "INFO", "[KafkaServer id=2] Recovering unflushed segment 1874002 in log orders-1 (kafka.log.LogLoader)", "kafka.log.LogLoader")
	k2.log(back.Add(11*time.Second), "INFO", "[KafkaServer id=2] started", "kafka.server.KafkaServer")
	// orders' producer
	if a := w.apps[svcOrders]; a != nil {
		tag := "[Producer clientId=producer-1] "
		tp := t0.Add(time.Duration(300+r.IntN(500)) * time.Millisecond)
		a.log(tp, "INFO", producerThr, lNetClient, tag+"Node 2 disconnected.")
		for dt := 800 * time.Millisecond; dt < 20*time.Second; dt += time.Duration(900+r.IntN(400)) * time.Millisecond {
			a.log(tp.Add(dt), "WARN", producerThr, lNetClient, fmt.Sprintf("%sConnection to node 2 (%s) could not be established. Broker may not be available.", tag, kafkaNode(2)))
		}
		corr := 880000 + r.IntN(90000)
		for t := t0.Add(20 * time.Second); t.Before(back.Add(20 * time.Second)); t = t.Add(time.Duration(700+r.IntN(1600)) * time.Millisecond) {
			corr += 1 + r.IntN(20)
			a.log(t, "WARN", producerThr, lSender, fmt.Sprintf("%sGot error produce response with correlation id %d on topic-partition orders-%d, retrying (2147483646 attempts left). Error: NOT_ENOUGH_REPLICAS", tag, corr, []int{1, 4}[r.IntN(2)]))
		}
	}
	// fulfillment's consumer: its coordinator was kafka-2
	if a := w.apps[svcFulfillment]; a != nil {
		tag := "[Consumer clientId=consumer-fulfillment-1, groupId=fulfillment] "
		tc := t0.Add(time.Duration(400+r.IntN(500)) * time.Millisecond)
		a.log(tc, "INFO", consumerThr, lNetClient, tag+"Node 2 disconnected.")
		a.log(tc.Add(2*time.Millisecond), "INFO", consumerThr, lAbsCoord, fmt.Sprintf("%sGroup coordinator %s:9092 (id: 2147483645 rack: null) is unavailable or invalid due to cause: coordinator unavailable. isDisconnected: true. Rediscovery will be attempted.", tag, kafkaHost(2)))
		for dt := 600 * time.Millisecond; dt < 19*time.Second; dt += time.Duration(1000+r.IntN(900)) * time.Millisecond {
			a.log(tc.Add(dt), "WARN", consumerThr, lNetClient, fmt.Sprintf("%sConnection to node 2 (%s) could not be established. Broker may not be available.", tag, kafkaNode(2)))
		}
		td := tc.Add(19500 * time.Millisecond)
		a.log(td, "INFO", consumerThr, lAbsCoord, fmt.Sprintf("%sDiscovered group coordinator %s:9092 (id: 2147483644 rack: null)", tag, kafkaHost(3)))
		a.log(td.Add(5*time.Millisecond), "INFO", consumerThr, lCoordinator, tag+"Revoke previously assigned partitions orders-0, orders-1, orders-2, orders-3, orders-4, orders-5")
		w.rejoin(a, k3, consumerThr, tag, "consumer-fulfillment-1-"+hexUUID(r), "orders-0, orders-1", 57, td.Add(10*time.Millisecond))
	}
}

// scenarioSlowConsumerDBLocks: a settlement job opens a transaction that
// updates shipments and is left open for a quarter of an hour. fulfillment's
// inserts into shipments wait on its row locks until
// innodb_lock_wait_timeout (50 s) and fail with "Lock wait timeout
// exceeded"; each record takes 50 s, the batches take longer than
// max.poll.interval.ms, the consumer is kicked out of the group (poll
// timeout, LeaveGroup, rebalance, CommitFailedException) and gets its batch
// again. The slow log shows the blocked statements with Lock_time ≈ 50 s.
func scenarioSlowConsumerDBLocks() Scenario {
	return Scenario{
		Name: "slow-consumer-db-locks",
		Truth: Truth{Service: svcMySQL, Kinds: []string{"database_lock", "slow_query"},
			AlsoAcceptable: []Cause{{svcFulfillment, "database_lock"}},
			Note:           "The consumer's poll timeouts and rebalances are symptoms; the lock waits are the cause (named at the database, or as database_lock at the blocked consumer)."},
		Story: "A long open transaction holds row locks on shipments; the Kafka consumer's inserts wait 50 s each, its poll loop exceeds max.poll.interval.ms, it is kicked out and rebalances again and again.",
		build: func(w *world) {
			w.setup(svcFulfillment, []string{herringCDN, herringSMTP, herringWebhook}, svcGateway, svcOrders, svcFulfillment, svcKafka, svcMySQL)
			w.redeliverCap = 3
			end := w.t0.Add(dur(w.r, 720, 960))
			w.impair(svcMySQL, w.t0, end, impLockWait, svcFulfillment)
			w.note(w.t0, "settlement job's transaction takes row locks on shipments and stays open")
			w.note(end, "the settlement transaction is rolled back (DBA kills it)")
			w.post = append(w.post, func() {
				w.db.log(end, 0, "Warning", "MY-010914", "Server", fmt.Sprintf("Aborted connection %d to db: 'shop' user: 'settlement' host: '10.0.9.20' (Got an error reading communication packets).", w.db.conn+17))
			})
			w.run()
		},
	}
}

// scenarioThirdPartyTimeout: the payment provider's API stops answering
// (it has no logs here). payments' charges hang until the 10 s read
// timeout, its resilience4j circuit breaker opens and half-opens in
// cycles, checkout answers 504/503 and clients retry. The bundle declares
// a topology naming the provider "paygate".
func scenarioThirdPartyTimeout() Scenario {
	return Scenario{
		Name:  "third-party-api-timeout",
		Truth: Truth{Service: "paygate", Kinds: []string{"timeout", "upstream_unavailable"}, Note: "paygate is the external API (topology: api.paygate.example.com:443); it leaves no logs."},
		Story: "The external payment API hangs; payments' calls time out behind a circuit breaker that keeps opening; checkout fails.",
		build: func(w *world) {
			w.setup(svcPayments, []string{herringCDN, herringSMTP, herringReport}, svcGateway, svcOrders, svcPayments, svcCatalog, svcMySQL)
			w.topology = true
			end := w.t0.Add(dur(w.r, 600, 840))
			w.impair("paygate", w.t0, end, impHang)
			w.note(w.t0, "api.paygate.example.com stops answering")
			w.note(end, "api.paygate.example.com answers again")
			w.run()
		},
	}
}

// scenarioGatewayTLSReload: an operator installs a renewed certificate
// with the wrong key and reloads nginx: the reload fails (SSL_CTX_use_
// PrivateKey_file ... key values mismatch) and the old config stays. The
// deploy script then restarts the container: nginx cannot start (the same
// [emerg], once "bind() ... Address already in use" while the old master
// drains); nothing listens on :443 for minutes. The fix installs the right
// key but only the leaf certificate: nginx starts, clients reject the
// chain (x509: certificate signed by unknown authority). The full chain
// ends it. The storefront, which calls the public API, logs it all; the
// gateway's access log falls silent.
func scenarioGatewayTLSReload() Scenario {
	return Scenario{
		Name:  "gateway-tls-config-after-reload",
		Truth: Truth{Service: svcGateway, Kinds: []string{"tls_error", "config_error"}},
		Story: "A certificate renewal with a mismatched key breaks nginx's reload and restart; the gateway refuses connections, then serves an incomplete chain.",
		build: func(w *world) {
			w.setup(svcOrders, []string{herringCDN, herringSMTP}, svcGateway, svcStorefront, svcOrders, svcCatalog, svcMySQL)
			w.topology = true
			r := w.r
			restart := w.t0.Add(dur(r, 30, 60))
			fix1 := restart.Add(dur(r, 240, 360))
			fix2 := fix1.Add(dur(r, 180, 300))
			w.gwDown = append(w.gwDown, span{restart, fix1})
			w.gwTLS = append(w.gwTLS, span{fix1, fix2})
			w.note(w.t0, "nginx reload with a renewed certificate and a mismatched key fails")
			w.note(restart, "the deploy script restarts nginx; it cannot start")
			w.note(fix1, "right key, incomplete chain: nginx starts, clients reject the certificate")
			w.note(fix2, "full chain installed and reloaded")
			ne := func(t time.Time, level string, pid int, text string) {
				e := &NginxError{Level: level, PID: pid, Text: text}
				w.put(svcGateway, "gateway/error.log", t, func(b []byte, t time.Time) []byte { return w.nginx.AppendError(b, t, e) })
			}
			key := `SSL_CTX_use_PrivateKey_file("/etc/nginx/ssl/api.shop.example.com.key") failed (SSL: error:0B080074:x509 certificate routines:X509_check_private_key:key values mismatch)`
			t := w.t0
			ne(t, "notice", 1, fmt.Sprintf("signal 1 (SIGHUP) received from %d, reconfiguring", 48000+r.IntN(1000)))
			ne(t.Add(2*time.Millisecond), "notice", 1, "reconfiguring")
			ne(t.Add(9*time.Millisecond), "emerg", 1, key)
			t = restart
			ne(t, "notice", 1, fmt.Sprintf("signal 3 (SIGQUIT) received from %d, shutting down", 49000+r.IntN(1000)))
			for _, p := range []int{29, 30, 31, 32} {
				ne(t.Add(time.Millisecond), "notice", p, "gracefully shutting down")
				ne(t.Add(40*time.Millisecond), "notice", p, "exiting")
				ne(t.Add(41*time.Millisecond), "notice", p, "exit")
			}
			ne(t.Add(60*time.Millisecond), "notice", 1, "exit")
			ne(t.Add(900*time.Millisecond), "emerg", 1, "bind() to 0.0.0.0:443 failed (98: Address already in use)")
			back := time.Second
			for ta := t.Add(2 * time.Second); ta.Before(fix1.Add(-2 * time.Second)); ta = ta.Add(back) {
				ne(ta, "emerg", 1, key)
				if back < time.Minute {
					back *= 2
				}
			}
			start := func(t time.Time) {
				ne(t, "notice", 1, "using the \"epoll\" event method")
				ne(t, "notice", 1, "nginx/1.25.4")
				ne(t, "notice", 1, "built by gcc 12.2.0 (Debian 12.2.0-14)")
				ne(t, "notice", 1, "OS: Linux 6.1.0-18-cloud-amd64")
				ne(t, "notice", 1, "getrlimit(RLIMIT_NOFILE): 1048576:1048576")
				ne(t.Add(time.Millisecond), "notice", 1, "start worker processes")
				for _, p := range []int{29, 30, 31, 32} {
					ne(t.Add(2*time.Millisecond), "notice", 1, fmt.Sprintf("start worker process %d", p))
				}
			}
			start(fix1)
			ne(fix2, "notice", 1, fmt.Sprintf("signal 1 (SIGHUP) received from %d, reconfiguring", 50000+r.IntN(1000)))
			ne(fix2.Add(time.Millisecond), "notice", 1, "reconfiguring")
			ne(fix2.Add(30*time.Millisecond), "notice", 1, "start worker processes")
			w.run()
		},
	}
}

// scenarioPoolExhaustion: a code path added to orders for a partner's
// bulk export opens a JDBC connection and never closes it. HikariCP's leak
// detection warns (ProxyLeakTask "Apparent connection leak detected") as
// the ten connections leak one by one; then every request waits 30 s for a
// connection and fails ("Connection is not available, request timed out
// after 30000ms (total=10, active=10, idle=0, waiting=N)"). MySQL is
// healthy throughout and payments, on the same database, works. An
// operator restarts orders.
func scenarioPoolExhaustion() Scenario {
	return Scenario{
		Name:  "pool-exhaustion-db-healthy",
		Truth: Truth{Service: svcOrders, Kinds: []string{"database_connection_error", "resource_exhausted"}, Note: "The database is healthy; orders leaked its pool's connections."},
		Story: "orders leaks JDBC connections until its HikariCP pool is empty; its requests time out waiting for a connection while MySQL and other services are fine.",
		build: func(w *world) {
			w.setup(svcPayments, []string{herringCDN, herringWebhook, herringReport}, svcGateway, svcOrders, svcPayments, svcMySQL, svcKafka)
			r := w.r
			a := w.apps[svcOrders]
			leakStart := w.t0.Add(-dur(r, 360, 600))
			restart := w.t0.Add(dur(r, 540, 780))
			w.impair(svcMySQL, w.t0, restart, impPoolFull, svcOrders)
			w.note(leakStart, "partner export starts leaking orders' connections")
			w.note(w.t0, "orders' pool is empty")
			w.note(restart, "orders restarted by an operator")
			step := w.t0.Sub(leakStart) / 10
			for i := 0; i < 10; i++ {
				tl := leakStart.Add(time.Duration(i) * step).Add(time.Duration(r.IntN(3000)) * time.Millisecond)
				th := fmt.Sprintf("http-nio-8080-exec-%d", 1+r.IntN(10))
				a.logEx(tl.Add(60*time.Second), "WARN", "HikariPool-1 housekeeper", lHikariLeak, fmt.Sprintf("Connection leak detection triggered for com.mysql.cj.jdbc.ConnectionImpl@%s on thread %s, stack trace follows", hexID(r, 8), th),
					&JavaException{Class: "java.lang.Exception", Message: "Apparent connection leak detected", Frames: []string{
						"com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:127)",
						"org.springframework.jdbc.datasource.DataSourceUtils.fetchConnection(DataSourceUtils.java:160)",
						"org.springframework.jdbc.datasource.DataSourceUtils.doGetConnection(DataSourceUtils.java:118)",
						"org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:388)",
						a.pkg + ".export.PartnerExportService.streamOrders(PartnerExportService.java:112)",
						a.pkg + ".export.PartnerExportController.export(PartnerExportController.java:41)"}})
			}
			w.post = append(w.post, func() {
				t := restart
				a.log(t, "INFO", "SpringApplicationShutdownHook", lHikariDS, "HikariPool-1 - Shutdown initiated...")
				a.log(t.Add(30*time.Second), "WARN", "SpringApplicationShutdownHook", lHikariPool, "HikariPool-1 - Timed-out waiting for add connection tasks to complete.")
				a.log(t.Add(30*time.Second+5*time.Millisecond), "INFO", "SpringApplicationShutdownHook", lHikariDS, "HikariPool-1 - Shutdown completed.")
				a.startup(t.Add(33*time.Second), false)
			})
			w.down[svcOrders] = append(w.down[svcOrders], span{restart.Add(31 * time.Second), restart.Add(45 * time.Second)})
			w.run()
		},
	}
}

// scenarioDBDiskFull: the MariaDB data volume fills up. InnoDB cannot
// extend orders.ibd (OS error 28), the server warns "Disk is full writing
// ... (Errcode: 28 "No space left on device")"; every INSERT fails with
// "The table 'orders' is full" (1114) while reads go on. orders and the
// consumer fail on every write; checkout answers 500 and partners retry.
// A DBA purges old binary logs a quarter of an hour later.
func scenarioDBDiskFull() Scenario {
	return Scenario{
		Name:  "db-disk-full",
		Truth: Truth{Service: svcMariaDB, Kinds: []string{"resource_exhausted"}},
		Story: "MariaDB's data disk fills up: InnoDB write errors (errno 28), every write fails with 'table is full' while reads work.",
		build: func(w *world) {
			w.setup(svcFulfillment, []string{herringCDN, herringSMTP, herringRedeploy}, svcGateway, svcOrders, svcPayments, svcCatalog, svcFulfillment, svcMariaDB, svcKafka)
			r := w.r
			end := w.t0.Add(dur(r, 660, 900))
			w.impair(svcMariaDB, w.t0, end, impDiskFull)
			w.note(w.t0, "the MariaDB data volume is full")
			w.note(end, "old binary logs purged; writes succeed again")
			d := w.db
			d.log(w.t0.Add(-dur(r, 240, 400)), 0, "Warning", "", "", "mariadbd: Disk is full writing '/var/lib/mysql/#sql-temptable-1-4c1-2a.MAI' (Errcode: 28 \"No space left on device\"). Waiting for someone to free space... (Expect up to 60 secs delay for server to continue after freeing disk space)")
			for t := w.t0; t.Before(end); t = t.Add(dur(r, 20, 90)) {
				th := int64(40000 + r.IntN(9000))
				d.log(t, th, "ERROR", "", "InnoDB", fmt.Sprintf("Write to file ./shop/orders.ibd failed at offset %d, 1048576 bytes should have been written, only 0 were written. Operating system error number 28. Check that your OS and file system support files of this size. Check also that the disk is not full or a disk quota exceeded.", 125829120+r.IntN(40)*1048576))
				d.log(t, th, "ERROR", "", "InnoDB", "Error number 28 means 'No space left on device'")
			}
			for t := w.t0.Add(dur(r, 5, 30)); t.Before(end); t = t.Add(10 * time.Minute) {
				d.log(t, 0, "Warning", "", "", "mariadbd: Disk is full writing './mysql-bin.000214' (Errcode: 28 \"No space left on device\"). Waiting for someone to free space... (Expect up to 60 secs delay for server to continue after freeing disk space)")
				d.log(t, 0, "Warning", "", "", "mariadbd: Retry in 60 secs. Message reprinted in 600 secs")
			}
			w.run()
		},
	}
}

// scenarioDuplicateReplay: fulfillment is redeployed with a new consumer
// group id (fulfillment-v2) and auto.offset.reset=earliest. The new group
// has no committed offsets, so it replays the orders topic from the
// start: every order of the last half hour (the topic's retention) comes again. Its listener writes the
// shipping-fee ledger entry in a transaction of its own before inserting
// the shipment: the binlog shows the same ledger transaction applied twice,
// and the shipment insert fails with "Duplicate entry ... for key
// 'shipments.uk_shipments_order'".
func scenarioDuplicateReplay() Scenario {
	return Scenario{
		Name: "duplicate-transaction-replay",
		Truth: Truth{Service: svcFulfillment, Kinds: []string{"duplicate_transaction"},
			Note: "fulfillment replayed the topic (new group id, auto.offset.reset=earliest) and applied its transactions twice."},
		Story: "A redeploy with a new consumer group id replays the orders topic; ledger transactions are applied twice and shipment inserts hit Duplicate entry.",
		build: func(w *world) {
			w.setup(svcOrders, []string{herringCDN, herringSMTP, herringWebhook}, svcGateway, svcOrders, svcCatalog, svcFulfillment, svcKafka, svcMySQL)
			w.binlog = true
			a := w.apps[svcFulfillment]
			r := w.r
			ready := w.t0.Add(dur(r, 9, 13))
			w.down[svcFulfillment] = append(w.down[svcFulfillment], span{w.t0, ready})
			w.note(w.t0, "fulfillment redeployed with group fulfillment-v2, auto.offset.reset=earliest")
			var shipped []orderMsg
			w.consumer = func(m orderMsg) {
				t := m.t.Add(time.Duration(20+w.nr.IntN(300)) * time.Millisecond)
				if t.After(w.t0) && t.Before(ready) {
					return // consumed by the replay below
				}
				w.shipSeq++
				a.log(t, "INFO", consumerThr, a.pkg+".listener.OrderListener", fmt.Sprintf("Created shipment SHP-%d for order %d (partition %d)", w.shipSeq, m.order, m.partition))
				w.shipTx(t, m)
				shipped = append(shipped, m)
			}
			w.post = append(w.post, func() {
				a.log(w.t0, "INFO", "SpringApplicationShutdownHook", lListenerCont, "fulfillment: Consumer stopped")
				a.startup(w.t0.Add(time.Second), true)
				tag := "[Consumer clientId=consumer-fulfillment-v2-1, groupId=fulfillment-v2] "
				t := ready
				for p := 0; p < 6; p++ {
					a.log(t.Add(time.Duration(p)*time.Millisecond), "INFO", consumerThr, lCoordinator, fmt.Sprintf("%sFound no committed offset for partition orders-%d", tag, p))
				}
				for p := 0; p < 6; p++ {
					a.log(t.Add(time.Duration(8+p)*time.Millisecond), "INFO", "org.springframework.kafka.KafkaListenerEndpointContainer#0-0-C-1", "org.apache.kafka.clients.consumer.internals.SubscriptionState",
						fmt.Sprintf("%sResetting offset for partition orders-%d to position FetchPosition{offset=%d, offsetEpoch=Optional.empty, currentLeader=LeaderAndEpoch{leader=Optional[%s:9092 (id: 1 rack: null)], epoch=12}}.", tag, p, 1700000+p*1000, kafkaHost(1)))
				}
				t = t.Add(600 * time.Millisecond)
				// the replay: everything the topic still holds (retention.ms=1800000), at ~25 records/s
				for _, m := range shipped {
					if m.t.Before(w.t0.Add(-30 * time.Minute)) {
						continue
					}
					t = t.Add(time.Duration(15+w.nr.IntN(50)) * time.Millisecond)
					w.shipSeq++
					w.txs = append(w.txs, &BinlogTx{Start: t.Add(-3 * time.Millisecond), Commit: t, ThreadID: 9100 + int64(w.nr.IntN(10)), Changes: []RowChange{
						{Kind: 'I', DB: "shop", Table: "ledger_entries", After: []string{fmt.Sprint(7000000 + w.shipSeq), fmt.Sprint(m.order), BinStr("SHIPPING_FEE"), "4.90", BinDatetime(t)}}}})
					t = t.Add(time.Duration(2+w.nr.IntN(5)) * time.Millisecond)
					msg := fmt.Sprintf("Duplicate entry '%d' for key 'shipments.uk_shipments_order'", m.order)
					a.sqlFail(t, consumerThr, 1062, "23000", msg)
					a.logEx(t.Add(time.Millisecond), "ERROR", consumerThr, "org.springframework.kafka.listener.DefaultErrorHandler", fmt.Sprintf("Backoff FixedBackOff{interval=0, currentAttempts=1, maxAttempts=0} exhausted for orders-%d@%d", m.partition, 1700000+m.partition*1000+m.order%997),
						&JavaException{Class: "java.sql.SQLIntegrityConstraintViolationException", Message: msg, Frames: []string{
							"com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:118)",
							"com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:122)",
							"com.mysql.cj.jdbc.ClientPreparedStatement.executeInternal(ClientPreparedStatement.java:916)",
							"com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)",
							a.pkg + ".listener.OrderListener.onOrderCreated(OrderListener.java:63)"}})
				}
				w.note(t, "replay caught up")
			})
			w.run()
		},
	}
}

// scenarioDNSFailure: a change to the cluster's DNS drops the record of
// inventory.shop.svc.cluster.local. orders reserves stock there before
// storing an order: every attempt fails with UnknownHostException (three
// retries each), order creation answers 500 and partner integrations retry.
// Nothing else is affected.
func scenarioDNSFailure() Scenario {
	return Scenario{
		Name: "dns-failure",
		Truth: Truth{Service: svcOrders, Kinds: []string{"dns_failure"},
			AlsoAcceptable: []Cause{{"inventory", "dns_failure"}},
			Note:           "DNS has no logs here; orders is the one client of the name that stopped resolving (inventory)."},
		Story: "inventory's service name stops resolving; orders' stock reservations fail with UnknownHostException and order creation fails.",
		build: func(w *world) {
			w.setup(svcOrders, []string{herringCDN, herringWebhook, herringReport}, svcGateway, svcOrders, svcPayments, svcMySQL, svcKafka)
			w.topology = true
			end := w.t0.Add(dur(w.r, 540, 780))
			w.impair("inventory", w.t0, end, impUnknownHost, svcOrders)
			w.note(w.t0, "inventory.shop.svc.cluster.local stops resolving")
			w.note(end, "DNS record restored")
			w.run()
		},
	}
}

// scenarioOOMRestartLoop: orders' heap grows past its cgroup limit after a
// cache change: the kernel's OOM killer kills its JVM (syslog: "java
// invoked oom-killer", "Memory cgroup out of memory: Killed process"),
// systemd restarts it ("Failed with result 'oom-kill'", "Scheduled restart
// job"), Spring starts again, and a few minutes later the same happens.
// Before each kill the service crawls (GC thrash); while it is down the
// gateway gets connection refused from 10.0.2.5:8080 (502).
func scenarioOOMRestartLoop() Scenario {
	return Scenario{
		Name: "oom-restart-loop",
		Truth: Truth{Service: svcOrders, Kinds: []string{"resource_exhausted", "process_restart"},
			AlsoAcceptable: []Cause{{svcNode, "resource_exhausted"}},
			Note:           "The OOM kills are logged by the kernel of node-2, orders' host; naming node-2's out-of-memory is accepted."},
		Story: "orders is OOM-killed by the kernel every few minutes and restarted by systemd; its clients get 502s while it is down.",
		build: func(w *world) {
			w.setup(svcOrders, []string{herringCDN, herringReport}, svcGateway, svcOrders, svcCatalog, svcMySQL, svcNode, svcKafka)
			r := w.r
			a := w.apps[svcOrders]
			kills := 3 + r.IntN(2)
			t := w.t0
			pid := 3100 + r.IntN(5000)
			for i := 1; i <= kills; i++ {
				w.sluggish[svcOrders] = append(w.sluggish[svcOrders], span{t.Add(-50 * time.Second), t})
				w.note(t, "orders OOM-killed (%d)", i)
				w.kernel(t, "java invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0")
				w.kernel(t.Add(120*time.Microsecond), fmt.Sprintf("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/orders.service,task_memcg=/system.slice/orders.service,task=java,pid=%d,uid=998", pid))
				w.kernel(t.Add(300*time.Microsecond), fmt.Sprintf("Memory cgroup out of memory: Killed process %d (java) total-vm:%dkB, anon-rss:%dkB, file-rss:%dkB, shmem-rss:0kB, UID:998 pgtables:%dkB oom_score_adj:0", pid, 7400000+r.IntN(300000), 2090000+r.IntN(6000), 20000+r.IntN(3000), 4400+r.IntN(300)))
				w.syslog(t.Add(40*time.Millisecond), "systemd", 1, "orders.service: A process of this unit has been killed by the OOM killer.")
				w.syslog(t.Add(60*time.Millisecond), "systemd", 1, "orders.service: Main process exited, code=killed, status=9/KILL")
				w.syslog(t.Add(61*time.Millisecond), "systemd", 1, "orders.service: Failed with result 'oom-kill'.")
				w.syslog(t.Add(62*time.Millisecond), "systemd", 1, fmt.Sprintf("orders.service: Consumed %dmin %d.%03ds CPU time.", 2+r.IntN(3), r.IntN(60), r.IntN(1000)))
				w.kernel(t.Add(50*time.Millisecond), fmt.Sprintf("oom_reaper: reaped process %d (java), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB", pid))
				rs := t.Add(5*time.Second + 100*time.Millisecond)
				w.syslog(rs, "systemd", 1, fmt.Sprintf("orders.service: Scheduled restart job, restart counter is at %d.", i))
				w.syslog(rs.Add(time.Millisecond), "systemd", 1, "Stopped orders.service - Orders service.")
				w.syslog(rs.Add(3*time.Millisecond), "systemd", 1, "Started orders.service - Orders service.")
				pid += 40 + r.IntN(300)
				a.sp.PID = pid
				ready := a.startup(rs.Add(200*time.Millisecond), false)
				w.down[svcOrders] = append(w.down[svcOrders], span{t, ready})
				t = ready.Add(dur(r, 150, 240))
			}
			w.note(t, "orders rolled back to the previous release (no more kills)")
			w.run()
		},
	}
}

// scenarioSteady: an ordinary hour. Steady traffic, the health-check 404s,
// the recurring warnings and errors of every service, a deploy at the
// start — and no incident. A report should list none.
func scenarioSteady() Scenario {
	return Scenario{
		Name:  "steady",
		Truth: Truth{Note: "No incident: only steady traffic and recurring noise."},
		Story: "Steady traffic and recurring noise only.",
		build: func(w *world) {
			w.setup(svcFulfillment, nil, svcGateway, svcOrders, svcPayments, svcCatalog, svcFulfillment, svcKafka, svcMySQL)
			w.noHerring = true
			w.run()
		},
	}
}

// scenarioSteadyHerrings: an ordinary hour whose harmless trouble happens
// too: every red herring of the suite (the catalog's CDN answering 502,
// the mail relay timing out, a partner's webhook answering 503, a redeploy
// of fulfillment, an analyst's heavy queries), each once, in its own part
// of the hour. Not an outage: the good run a failing scenario is compared
// with (`rca analyze --baseline`), so that what recurs harmlessly in good
// runs is not taken for news. Not part of Scenarios(): the analysis of
// the bundle alone does find the herrings' bursts.
func scenarioSteadyHerrings() Scenario {
	return Scenario{
		Name:  "steady-herrings",
		Truth: Truth{Note: "No outage: steady traffic, recurring noise and every red herring once."},
		Story: "Steady traffic, recurring noise, and each red herring of the suite once: the harmless trouble of a good run.",
		build: func(w *world) {
			w.setup(svcFulfillment, nil, svcGateway, svcOrders, svcPayments, svcCatalog, svcFulfillment, svcKafka, svcMySQL)
			w.everyHerring = true
			w.run()
		},
	}
}
