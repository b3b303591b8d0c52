// Package gen writes synthetic log bundles in the exact syntax real systems
// print, for rca's tests, demos and benchmarks. It writes no parsers.
//
// # Line writers
//
// One writer per system, each appending one record for a given instant in
// that system's zone (a Clock caches the wall-clock fields per second, so
// writers cost a few appends per line and no allocation):
//
//   - Nginx (nginx.go): access lines in the "combined" format with
//     " $request_time $upstream_addr $upstream_status" appended
//     (NginxLogFormat; "-" when nginx answered itself; no multi-upstream
//     lists), and error-log lines with the request context.
//
//   - Spring (spring.go): Spring Boot 3 logback default lines (with the
//     application name, as Boot 3.2+ prints it: %5p, %15.15t, logback's
//     %-40.40logger{39} abbreviation) and Java stack traces as
//     Throwable.printStackTrace prints them ("Caused by:", "... N more"
//     computed from the frames shared with the enclosing trace).
//
//   - Kafka (kafka.go): broker log4j lines "[2023-08-15 06:22:17,123] INFO ... (logger)".
//
//   - MySQLError and SlowLog (mysql.go): MySQL 8.0 error-log lines
//     ("2023-08-15T06:22:17.123456Z 0 [Warning] [MY-010055] [Server] ...")
//     and slow-log entries ("# Time:", "# User@Host:", "# Query_time:",
//     "use db;" when the database changes, "SET timestamp=", the statement).
//
//   - Binlog (binlog.go): `mysqlbinlog --base64-output=DECODE-ROWS -v` text
//     of a GTID, row-based binary log: preamble, Format_description and
//     Previous-GTIDs events, then per transaction GTID (with
//     SET @@SESSION.GTID_NEXT), Query BEGIN, Table_map and
//     Write_rows/Update_rows/Delete_rows with "###" pseudo-SQL, Xid and
//     COMMIT/*!*/;. "# at N"
//     always equals the previous event's end_log_pos. Header times are the
//     wall clock of the host mysqlbinlog ran on, without offset; event
//     sizes are realistic approximations and CRC32 values are made up.
//
//   - Pipe (pipe.go): the in-house "[2023-08-15 14:22:17] ERROR | tax-adapter | msg" format.
//
//   - JSONLog (json.go): zap-style JSON lines (level, ts, logger, caller,
//     msg, then fields) with ISO 8601 times.
//
//   - Syslog (syslog.go): RFC 3164 lines as rsyslog stores them ("Aug 15
//     14:22:17 host tag[pid]: msg", no year, no zone), including kernel
//     OOM-killer sequences.
//
// For example (tests in writers_test.go pin these exact lines):
//
//	10.0.0.7 - - [15/Aug/2023:14:22:17 +0800] "POST /api/invoice HTTP/1.1" 503 197 "-" "okhttp/4.9.3" 30.001 10.0.2.5:8080 503
//	2023/08/15 14:22:17 [error] 31#31: *4821 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.7, server: api.invoice.example.com, request: "POST /api/invoice HTTP/1.1", upstream: "http://10.0.2.5:8080/api/invoice", host: "api.invoice.example.com:9443"
//	2023-08-15T14:22:17.123+08:00  INFO 1 --- [order-service] [ntainer#0-0-C-1] o.a.k.c.c.internals.ConsumerCoordinator  : [Consumer clientId=consumer-order-group-1, groupId=order-group] ...
//	[2023-08-15 06:22:17,123] INFO [GroupCoordinator 1]: Preparing to rebalance group order-group ... (kafka.coordinator.group.GroupCoordinator)
//	2023-08-15T06:22:17.123456Z 0 [Warning] [MY-010055] [Server] IP address '10.0.7.31' could not be resolved: Name or service not known
//	#230815 11:52:17 server id 1  end_log_pos 276 CRC32 0x1a2b3c4d 	GTID	last_committed=0	sequence_number=1	rbr_only=yes	...
//	[2023-08-15 14:22:17] ERROR | tax-adapter | POST https://api.tax.example.gov/v2/invoices/verify: HTTP 503 - Service Unavailable
//	{"level":"error","ts":"2023-08-15T06:22:17.123Z","logger":"taxclient","msg":"tax authority request failed","status":503,"latency_ms":30012,...}
//	Aug 15 14:22:17 node-3 kernel: [8823412.551512] Memory cgroup out of memory: Killed process 28790 (java) ...
//
// # The demo bundle
//
// WriteDemo writes testdata/bundles/invoice-outage: about 2.9 MB of logs
// of an electronic-invoice platform from 12:30 to 14:45 on 2023-08-15
// (+08:00), with the outage rca was built for. Its TRUTH.md, generated
// from the run, gives the expected root cause (the third-party tax
// authority API answering 503 from 14:19:40.214 +08:00, then hanging), the
// causal chain, a timeline with exact times in +08:00 and UTC, the
// duplicate transactions in the binlog and line counts. The story is a
// small simulation, not a script: a Poisson request stream with client
// retries and nginx limit_req at the gateway; order-service's three Kafka
// consumer threads (poll batches, per-record commits, max.poll.interval,
// LeaveGroup, eager range rebalances, redelivery of in-flight records) in
// front of a tax adapter with retries and a circuit breaker; row locks
// and lock-wait timeouts in MySQL; plus noise and a red herring (a Kafka
// broker restart an hour earlier). Zones: Asia/Shanghai (gateway,
// order-service, tax-adapter pipe logs), UTC (Kafka, MySQL error and slow
// logs, JSON), Asia/Kolkata (the binlog text's headers); rca.yaml declares
// the zones of the zone-less files. The gateway's access log is rotated
// (access.log.2.gz, access.log.1, access.log). File modification times are
// set to each file's last line. TestDemoBundleUpToDate checks that the
// committed bundle equals WriteDemo's output byte for byte; regenerate it
// with
//
//	go test ./internal/gen -run TestDemoBundleUpToDate -update
//	# or: go run ./scripts/gen demo testdata/bundles/invoice-outage
//
// # The large bundle
//
// WriteLarge writes about size bytes (within a few tenths of a percent)
// of one day of the same platform's logs for benchmarks: 16 files (nginx
// access, rotated and gzipped; nginx error; two Spring Boot services in
// Asia/Shanghai and Europe/Berlin with stack traces; Kafka server (rotated)
// and controller; MySQL error and slow logs and two binlog texts; JSON;
// pipe; syslog), about 1% error lines. Each file has its own seeded PCG
// stream and is written through a 256 KiB buffer by a pool of
// GOMAXPROCS workers, so memory stays flat (a few MiB) whatever the size:
//
//	go run ./scripts/gen large -size 1GB -seed 1 /tmp/bundle
//	go test ./internal/gen -run XXX -bench WriteLarge -benchtime 3x
//
// # Determinism
//
// All randomness comes from math/rand/v2 PCG sources seeded by the caller
// (the demo uses fixed seeds); no map iteration order, clock or
// environment leaks into the output, so the same seed writes the same
// bytes. Gzip output is deterministic for a given Go release (no name or
// time in the header); the demo test compares .gz files by content.
package gen
