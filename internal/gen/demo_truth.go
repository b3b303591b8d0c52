package gen

import (
	"fmt"
	"strings"
	"time"
)

// facts are what happened in a demo run, for TRUTH.md.
type facts struct {
	taxRejected    int
	breaker        []factEvent
	pollTimeouts   []factEvent
	inflight       []factEvent
	rebalances     []factEvent
	generations    []factEvent
	commitFailed   []factEvent
	lockWaits      []factEvent
	lockTimeouts   int
	watchdog       []factEvent
	first504       time.Time
	last5xx        time.Time
	gateway504     int
	gateway503     int
	gatewayLimited int
	gtids          []factGTID
	dups           []string // invoice numbers inserted twice

	firstTaxJSON       time.Time
	firstTaxPipe       time.Time
	firstTaxWarnSpring time.Time
	firstTaxSlow       time.Time
	firstReadTimeout   time.Time
	first503           time.Time
	firstLimited       time.Time
	firstLockTimeout   time.Time
}

func setFirst(p *time.Time, t time.Time) {
	if p.IsZero() || t.Before(*p) {
		*p = t
	}
}

type factEvent struct {
	t        time.Time
	who, msg string
}

type factGTID struct {
	mark          string
	gtid          GTID
	start, commit time.Time
	thread        int64
}

// both formats an instant as local time and UTC.
func both(t time.Time) string {
	return t.In(Shanghai).Format("15:04:05.000") + " +08:00 (" + t.UTC().Format("15:04:05.000") + "Z)"
}

// markDuplicates labels the binlog transactions of invoices inserted twice.
func (d *demo) markDuplicates() {
	for _, kp := range d.kafka.parts {
		for _, m := range kp.log {
			if len(m.inserts) < 2 {
				continue
			}
			d.facts.dups = append(d.facts.dups, m.inv)
			for i, tx := range m.inserts {
				tx.mark = fmt.Sprintf("%s #%d (order %d, %s-%d@%d)", m.inv, i+1, m.order, topic, m.p, m.off)
			}
		}
	}
}

type tlEntry struct {
	t     time.Time
	where string
	what  string
}

func (d *demo) truth(files map[string][]byte) string {
	f := &d.facts
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }

	// The timeline, from the recorded facts.
	var tl []tlEntry
	add := func(t time.Time, where, what string) {
		if !t.IsZero() {
			tl = append(tl, tlEntry{t, where, what})
		}
	}
	add(taxFirst503, "(tax authority)", "**root cause**: the tax authority API starts answering `HTTP 503 - Service Unavailable`")
	add(f.firstTaxJSON, "tax-adapter/client.jsonl", "first root-cause line: `\"status\":503` from the authority")
	add(f.firstTaxPipe, "tax-adapter/tax-adapter.log", "first ERROR `POST https://api.tax.example.gov/v2/invoices/verify: HTTP 503 - Service Unavailable`")
	add(f.firstTaxWarnSpring, "order-service/application.log", "first WARN `Tax registration of INV-... failed (attempt 1/2): 503 Service Unavailable`; records take ~7 s")
	add(taxHang, "(tax authority)", "the API stops answering: calls hang until timeouts")
	add(f.firstTaxSlow, "tax-adapter/client.jsonl", "first call with `latency_ms` > 30000")
	add(f.firstReadTimeout, "order-service/application.log", "first `Read timed out` calling tax-adapter (30 s RestTemplate timeout)")
	if len(f.watchdog) > 0 {
		add(f.watchdog[0].t, "order-service/consumer-watchdog.log", "`"+f.watchdog[0].msg+"`")
	}
	for _, e := range f.pollTimeouts {
		add(e.t, "order-service/application.log, kafka/server.log", "`"+e.who+"`: `consumer poll timeout has expired` (max.poll.interval.ms=120000), LeaveGroup; broker: `Preparing to rebalance group order-group`")
	}
	for _, e := range f.generations {
		add(e.t, "kafka/server.log", "`Stabilized group order-group "+strings.Replace(e.msg, " with ", " ... with ", 1)+"`; uncommitted records are delivered again")
	}
	for _, e := range f.commitFailed {
		add(e.t, "order-service/application.log", "`"+e.who+"`: `CommitFailedException` (the consumer was kicked out of the group while processing)")
	}
	for _, g := range f.gtids {
		if strings.Contains(g.mark, " #2 ") {
			add(g.commit, "mysql/binlog.000042.txt", "invoice "+strings.SplitN(g.mark, " ", 2)[0]+" committed a **second time**: GTID `"+g.gtid.String()+"`")
		}
	}
	add(f.first504, "gateway/access.log, gateway/error.log", "first **504** on `POST /api/invoice` (`upstream timed out (110: Connection timed out) while reading response header from upstream`)")
	add(f.first503, "gateway/access.log, order-service/application.log", "first **503** from order-service: `HikariPool-1 - Connection is not available, request timed out after 3000ms.`")
	add(f.firstLimited, "gateway/error.log", "first nginx `limiting requests` 503: ERP clients resubmit in loops")
	add(f.firstLockTimeout, "order-service/application.log, mysql/slow.log", "first `Lock wait timeout exceeded; try restarting transaction` (the quota query's locking full scan, `Lock_time: 50`)")
	for _, e := range f.breaker {
		add(e.t, "tax-adapter/tax-adapter.log", "circuit breaker tax-authority: "+e.msg)
	}
	add(taxFlapping, "(tax authority)", "the API answers again, with fast 503s")
	add(taxUp, "(tax authority)", "the API is healthy again")
	add(f.last5xx, "gateway/access.log", "last gateway 5xx; traffic is normal from ~14:31")
	sortStable(tl, func(a, b *tlEntry) bool { return a.t.Before(b.t) })

	w("# TRUTH: invoice-outage (2023-08-15)\n\n")
	w("Generated by `internal/gen` (`go run ./scripts/gen demo DIR`); every file in this bundle is\n")
	w("synthetic and reproducible byte for byte. Times are Asia/Shanghai (+08:00) and UTC.\n\n")
	w("## Expected root cause\n\n")
	w("**The third-party tax authority API (`%s`) failed.** From %s it\n", taxURL, both(taxFirst503))
	w("answered `HTTP 503 - Service Unavailable`, from %s it stopped answering\n", both(taxHang))
	w("(calls hung until the 30 s timeouts), and it was healthy again at %s.\n", both(taxUp))
	w("The component that shows it first is **tax-adapter**, the platform's client of that API: the first\n")
	w("root-cause line is `tax-adapter/client.jsonl` at %s (`\"status\":503`).\n\n", both(f.firstTaxJSON))
	w("Everything else is a downstream symptom, made worse by two latent flaws: order-service calls\n")
	w("tax-adapter *inside* its database transaction (a slow dependency becomes long-held row locks), and\n")
	w("`invoice.tax_num` has no index, so the duplicate check and the quota query scan the whole table\n")
	w("(~3.2 million rows, ~1.3-2.2 s on a quiet day: visible in `mysql/slow.log` all day) and the quota\n")
	w("query (`SELECT ... FOR UPDATE`) locks every row it scans.\n\n")

	w("## Causal chain\n\n")
	w("1. The tax authority answers 503: tax-adapter logs errors (`client.jsonl` `\"status\":503`,\n")
	w("   `tax-adapter.log` ERROR); order-service retries each registration once and saves the invoice as\n")
	w("   `PENDING_TAX`. Each Kafka record now takes ~7 s instead of ~2 s.\n")
	w("2. The API hangs: tax-adapter calls take 30 s (`latency_ms` > 30000; `503` from the authority's edge or\n")
	w("   `context deadline exceeded`), order-service gives up after 30 s (`java.net.SocketTimeoutException:\n")
	w("   Read timed out`) and retries, so a record holds its transaction and row locks for ~62 s.\n")
	w("3. The order-service consumer threads (Spring Kafka, concurrency 3, AckMode RECORD,\n")
	w("   max.poll.records=20, max.poll.interval.ms=120000) cannot finish their batches in 120 s: the\n")
	w("   heartbeat thread logs `consumer poll timeout has expired` and leaves the group, the broker\n")
	w("   rebalances (`Preparing to rebalance group order-group ... (reason: Removing member ... on\n")
	w("   LeaveGroup; client reason: consumer poll timeout has expired.)`), the partitions move and the\n")
	w("   record that was in flight is delivered again. The kicked consumer finishes it anyway, fails to\n")
	w("   commit its offset (`CommitFailedException`) and rejoins, which starts the next rebalance: a\n")
	w("   rebalance storm until the API recovers.\n")
	w("4. **Duplicate invoices.** The redelivered record's duplicate check is a consistent read that cannot\n")
	w("   see the other consumer's uncommitted row, `invoice` has no unique key on `invoice_no`, so both\n")
	w("   transactions commit: `mysql/binlog.000042.txt` holds the same\n")
	w("   ``### INSERT INTO `invoice`.`invoice` `` row image twice, under two GTIDs and Xids (see below). The\n")
	w("   second transaction's `UPDATE order_info` waited for the first one's row lock (slow-log entry with\n")
	w("   a long `Lock_time`), and its `invoice_count` goes 1 -> 2.\n")
	w("5. `POST /api/invoice` runs the quota query, a locking full scan that waits for the rows the\n")
	w("   consumers hold: nginx times out after 30 s (**504**, `upstream timed out`), InnoDB after 50 s\n")
	w("   (`Lock wait timeout exceeded; try restarting transaction`, slow-log `Lock_time: 50`). The waiting\n")
	w("   requests hold Hikari's 10 connections, so every endpoint fails after 3 s (**503**,\n")
	w("   `HikariPool-1 - Connection is not available`).\n")
	w("6. Retry amplification: ERP clients retry every 5xx (up to 3 times) and the ones with submission\n")
	w("   queues resubmit in loops, which nginx's `limit_req` rejects (**503**, `limiting requests`). The\n")
	w("   gateway is by far the loudest source.\n")
	w("7. tax-adapter's circuit breaker opens late, rejects calls, probes, and closes once the API is back;\n")
	w("   the lock queue drains and the gateway recovers at ~14:31.\n\n")

	w("## Timeline\n\n")
	w("| +08:00 | UTC | where | what |\n| --- | --- | --- | --- |\n")
	for _, e := range tl {
		w("| %s | %s | %s | %s |\n", e.t.In(Shanghai).Format("15:04:05.000"), e.t.UTC().Format("15:04:05.000Z"), e.where, e.what)
	}
	w("\n")

	w("## Duplicate invoices in mysql/binlog.000042.txt\n\n")
	w("| invoice (order, record) | GTID | Xid | `# at` | thread_id | BEGIN (+08:00) | COMMIT (+08:00) |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, g := range f.gtids {
		w("| %s | `%s` | %d | %d | %d | %s | %s |\n", g.mark, g.gtid, g.gtid.Xid, g.gtid.Pos, g.thread,
			g.start.In(Shanghai).Format("15:04:05.000"), g.commit.In(Shanghai).Format("15:04:05.000"))
	}
	w("\nThe binlog's `#230815 ...` event headers are Asia/Kolkata (+05:30) wall-clock times; `BEGIN` is the\n")
	w("header time of the GTID/BEGIN/row events, `COMMIT` that of the Xid event (`original_commit_timestamp`).\n\n")

	w("## What a correlation engine should conclude\n\n")
	w("- Root cause: the external tax authority API (503, then hanging), first seen in `tax-adapter` at\n")
	w("  %s. Not the gateway, not Kafka, not MySQL: they are downstream.\n", f.firstTaxJSON.UTC().Format("15:04:05Z"))
	w("- Order: tax-adapter errors -> order-service tax failures and consumer poll timeouts / rebalances ->\n")
	w("  duplicate commits in the binlog and lock waits in MySQL -> gateway 504/503 -> recovery ~06:31Z.\n")
	w("- The downstream components are far louder than the root cause:\n\n")
	w("| evidence | lines |\n| --- | ---: |\n")
	w("| gateway access 5xx (all access files) | %d (504: %d, 503 from order-service: %d, 503 from nginx limit_req: %d) |\n", f.gateway504+f.gateway503+f.gatewayLimited, f.gateway504, f.gateway503, f.gatewayLimited)
	w("| gateway error.log `upstream timed out` / `limiting requests` | %d / %d |\n", countLines(files, "gateway/error.log", "upstream timed out"), countLines(files, "gateway/error.log", "limiting requests"))
	w("| order-service ERROR lines | %d |\n", countLines(files, "order-service/application.log", " ERROR 1 --- "))
	w("| order-service `Lock wait timeout exceeded` (SqlExceptionHelper ERROR) | %d |\n", f.lockTimeouts)
	w("| mysql/slow.log entries (all day) | %d |\n", countLines(files, "mysql/slow.log", "# Time: "))
	w("| **root cause**: tax-adapter.log ERROR/WARN about the authority and its breaker | %d |\n", countLines(files, "tax-adapter/tax-adapter.log", "] ERROR | ", "rejecting register", "state changed"))
	w("| **root cause**: tax-adapter client.jsonl errors | %d |\n\n", countLines(files, "tax-adapter/client.jsonl", `"level":"error"`))

	w("## Noise and the red herring\n\n")
	w("- **Red herring**, 13:18:02-13:20:32 +08:00 (05:18-05:20Z): kafka-2 is restarted (controller.log\n")
	w("  `Shutting down broker 2`, server.log ISR shrink/expand and a fetcher `IOException`, `Connection to\n")
	w("  node 2 ... could not be established. Broker may not be available.` in server.log and\n")
	w("  order-service). An hour before the outage; everything recovers by 13:21.\n")
	w("- All day: `GET /health` 404s from the load balancers (and nginx `open() \".../health\" failed`\n")
	w("  errors), order-service `Tax code catalog is 2 versions behind` WARN every ~7 min, tax-adapter\n")
	w("  certificate WARN every 5 min, MySQL `MY-013360` (mysql_native_password deprecated) and `MY-010055`\n")
	w("  (monitoring host without PTR) warnings, nginx `buffered to a temporary file` warnings on report\n")
	w("  downloads, slow-log entries of ~2 s full scans, Kafka broker and controller housekeeping.\n\n")

	w("## Files, formats and zones\n\n")
	w("| file | format | timestamps |\n| --- | --- | --- |\n")
	w("| gateway/access.log, access.log.1, access.log.2.gz | nginx `combined` + `$request_time $upstream_addr $upstream_status` | `+0800` in the line; rotated hourly at 13:00 and 14:00 (logrotate, delaycompress) |\n")
	w("| gateway/error.log | nginx error log | zone-less, Asia/Shanghai (rca.yaml) |\n")
	w("| order-service/application.log | Spring Boot 3 logback default, Java stack traces | `+08:00` in the line |\n")
	w("| order-service/consumer-watchdog.log | pipe: `[ts] LEVEL \\| component \\| msg` | zone-less, Asia/Shanghai |\n")
	w("| tax-adapter/tax-adapter.log | pipe | zone-less, Asia/Shanghai |\n")
	w("| tax-adapter/client.jsonl | JSON lines (zap) | `Z` (UTC) |\n")
	w("| kafka/server.log, kafka/controller.log | Kafka log4j `[%%d] %%p %%m (%%c)` | zone-less, UTC |\n")
	w("| mysql/error.log | MySQL 8.0 error log | `Z` (UTC, log_timestamps=UTC) |\n")
	w("| mysql/slow.log | MySQL 8.0 slow query log | `# Time:` in `Z` (UTC) |\n")
	w("| mysql/binlog.000042.txt | `mysqlbinlog --base64-output=DECODE-ROWS -v` | zone-less `#230815 11:52:17` headers in the DB host's zone, Asia/Kolkata (+05:30) |\n\n")
	w("`rca.yaml` declares the zones of the zone-less sources. The generator sets each file's\n")
	w("modification time to its last line (git does not keep them).\n")
	return b.String()
}
