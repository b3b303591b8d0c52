package gen

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// The order-service's Kafka consumers, simulated: three listener threads
// (Spring Kafka concurrency=3, AckMode.RECORD, max.poll.records=20,
// max.poll.interval.ms=120000, range assignor) in group order-group on topic
// invoice-issue (6 partitions, keyed by the buyer's tax number). A thread
// polls a batch, processes its records one by one and commits each record's
// offset; if a batch takes longer than max.poll.interval.ms the heartbeat
// thread leaves the group, the broker rebalances, the partitions go to other
// members and the record still in flight is delivered again.

const (
	maxPollRecords  = 20
	maxPollInterval = 120 * time.Second
	lockWaitTimeout = 50 * time.Second
	tableRowsBase   = 3214877 // rows in invoice at 12:30
)

var never = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

type kmsg struct {
	p       int
	off     int64
	at      time.Time // appended to the partition
	inv     string
	order   int
	buyer   buyer
	amount  int64 // cents
	created time.Time
	commits []time.Time // commits of transactions that inserted this invoice
	inserts []*BinlogTx
	skipped bool
}

type kpart struct {
	log        []*kmsg
	base       int64
	committed  int // index in log of the committed offset
	lastCommit time.Time
}

type kconsumer struct {
	n        int
	client   string
	thread   string
	member   string
	inGroup  bool // member of the group (as far as the broker knows)
	stale    bool // left or was removed; finds out on its next commit or poll
	joined   bool // joined the pending rebalance
	parts    []int
	pos      map[int]int
	t        time.Time // next action
	lastPoll time.Time
	batch    []*kmsg
	waiting  bool // blocked in poll until the rebalance completes
	conn     int64
	pending  *kmsg // processed (or being processed), offset not yet committed
}

type lockHold struct {
	from, until time.Time
}

type kgroup struct {
	d           *demo
	parts       [6]*kpart
	cons        [3]*kconsumer
	gen         int
	rebalancing bool
	rebStart    time.Time
	uuidSeq     int
	orderLocks  map[int][]lockHold
	orderCount  map[int][]time.Time // commit times of order_info increments
	nextConn    int64
	heartbeat   string
}

func newKGroup(d *demo) *kgroup {
	g := &kgroup{d: d, gen: 41, orderLocks: map[int][]lockHold{}, orderCount: map[int][]time.Time{}, nextConn: 18431,
		heartbeat: "kafka-coordinator-heartbeat-thread | " + group}
	bases := [6]int64{88102, 88391, 87954, 88230, 88017, 88166}
	for i := range g.parts {
		g.parts[i] = &kpart{base: bases[i]}
	}
	for i := range g.cons {
		c := &kconsumer{n: i + 1, client: fmt.Sprintf("consumer-%s-%d", group, i+1),
			thread:  fmt.Sprintf("org.springframework.kafka.KafkaListenerEndpointContainer#0-%d-C-1", i),
			inGroup: true, pos: map[int]int{}, t: never, lastPoll: demoStart, conn: 18401 + int64(i)*7}
		c.member = g.newMember(c)
		c.parts = []int{2 * i, 2*i + 1}
		g.cons[i] = c
	}
	return g
}

func (g *kgroup) newMember(c *kconsumer) string {
	g.uuidSeq++
	r := g.d.nrng
	return fmt.Sprintf("%s-%08x-%04x-4%03x-%04x-%012x", c.client, r.Uint32(), r.IntN(1<<16), r.IntN(1<<12), 0x8000|r.IntN(1<<14), r.Uint64()&(1<<48-1))
}

// produce appends a message to its partition (called by the gateway for
// every accepted POST /api/invoice).
func (g *kgroup) produce(at time.Time, inv string, order int, b buyer, amount int64, created time.Time) {
	p := partitionOf(b.taxNum)
	kp := g.parts[p]
	m := &kmsg{p: p, off: kp.base + int64(len(kp.log)), at: at, inv: inv, order: order, buyer: b, amount: amount, created: created}
	kp.log = append(kp.log, m)
}

func (g *kgroup) spring(t time.Time, level, thread, logger, msg string) {
	d := g.d
	d.rs.add(pSpring, t, d.sp.Append(nil, t, level, thread, logger, msg))
}

func (g *kgroup) springTrace(t time.Time, level, thread, logger, msg string, e *JavaException) {
	d := g.d
	b := d.sp.Append(nil, t, level, thread, logger, msg)
	d.rs.add(pSpring, t, AppendJavaTrace(b, e))
}

func (g *kgroup) broker(t time.Time, msg string) {
	d := g.d
	d.rs.add(pKafka, t, d.kf.Append(nil, t, "INFO", "[GroupCoordinator 1]: "+msg, "kafka.coordinator.group.GroupCoordinator"))
}

func (c *kconsumer) tag() string {
	return "[Consumer clientId=" + c.client + ", groupId=" + group + "] "
}

const (
	lCoord     = "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator"
	lContainer = "org.springframework.kafka.listener.KafkaMessageListenerContainer"
	lListener  = "com.example.invoice.order.kafka.InvoiceIssueListener"
	lTaxClient = "com.example.invoice.order.client.TaxAdapterClient"
	lSQL       = "org.hibernate.engine.jdbc.spi.SqlExceptionHelper"
)

func partList(ps []int) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = fmt.Sprintf("%s-%d", topic, p)
	}
	return strings.Join(s, ", ")
}

// simulate runs the consumers from the start of the bundle to its end.
func (g *kgroup) simulate() {
	for _, c := range g.cons {
		for _, p := range c.parts {
			c.pos[p] = g.parts[p].committed
		}
		c.t = g.nextArrival(c, demoStart)
	}
	for {
		// The next event: a consumer's action or a poll timer expiring.
		var next *kconsumer
		nextT := never
		expire := false
		for _, c := range g.cons {
			if c.inGroup && !c.stale && !c.waiting && (c.pending != nil || len(c.batch) > 0) {
				if e := c.lastPoll.Add(maxPollInterval); e.Before(nextT) && e.Before(c.t) {
					next, nextT, expire = c, e, true
				}
			}
			if !c.waiting && c.t.Before(nextT) {
				next, nextT, expire = c, c.t, false
			}
		}
		if next == nil || !nextT.Before(demoEnd) {
			return
		}
		if expire {
			g.pollExpired(next, nextT)
			continue
		}
		g.step(next)
	}
}

// nextArrival is when an idle consumer next has a record to fetch.
func (g *kgroup) nextArrival(c *kconsumer, after time.Time) time.Time {
	best := never
	for _, p := range c.parts {
		kp := g.parts[p]
		if i := c.pos[p]; i < len(kp.log) {
			at := kp.log[i].at
			if at.Before(after) {
				at = after
			}
			if at.Before(best) {
				best = at
			}
		}
	}
	if best == never {
		return never
	}
	return best.Add(jitter(g.d.crng, ms(2), ms(40)))
}

// step performs a consumer's next action: commit the record it just
// processed, start the next record of its batch, or poll.
func (g *kgroup) step(c *kconsumer) {
	if c.pending != nil {
		m := c.pending
		c.pending = nil
		g.commit(c, m, c.t)
		return
	}
	if len(c.batch) > 0 {
		m := c.batch[0]
		c.batch = c.batch[1:]
		c.pending = m
		c.t = g.process(c, m, c.t)
		return
	}
	g.poll(c)
}

// commit commits a processed record's offset, or fails when the consumer
// is no longer in the group.
func (g *kgroup) commit(c *kconsumer, m *kmsg, t time.Time) {
	if c.stale || !c.inGroup {
		g.spring(t, "INFO", c.thread, lCoord, c.tag()+"Failing OffsetCommit request since the consumer is not part of an active group")
		g.springTrace(t.Add(ms(1)), "ERROR", c.thread, lContainer, "Consumer exception", commitFailedTrace())
		g.d.facts.commitFailed = append(g.d.facts.commitFailed, factEvent{t: t, who: c.client})
		c.batch = nil
		c.t = t.Add(ms(3))
		return
	}
	kp := g.parts[m.p]
	idx := int(m.off - kp.base)
	if idx+1 > kp.committed {
		kp.committed = idx + 1
	}
	kp.lastCommit = t
	c.pos[m.p] = max(c.pos[m.p], idx+1)
	c.t = t.Add(ms(1))
}

// poll is a consumer's poll(): rejoin when the group rebalances, else fetch.
func (g *kgroup) poll(c *kconsumer) {
	t := c.t
	c.lastPoll = t
	if c.stale {
		// Left the group (poll timeout) or was fenced: give the partitions up
		// as lost and join again as a new member.
		g.spring(t, "INFO", c.thread, lCoord, c.tag()+"Giving away all assigned partitions as lost since generation/memberID has been reset,indicating that consumer is in old state or no longer part of the group")
		if len(c.parts) > 0 {
			g.spring(t.Add(ms(1)), "INFO", c.thread, lCoord, c.tag()+"Lost previously assigned partitions "+partList(c.parts))
			g.spring(t.Add(ms(1)), "INFO", c.thread, lContainer, group+": partitions lost: ["+partList(c.parts)+"]")
		}
		c.parts = nil
		c.stale = false
		g.spring(t.Add(ms(2)), "INFO", c.thread, lCoord, c.tag()+"(Re-)joining group")
		c.member = g.newMember(c)
		state := "Stable"
		if g.rebalancing {
			state = "PreparingRebalance"
		}
		tb := t.Add(ms(4))
		g.broker(tb, fmt.Sprintf("Dynamic member with unknown member id joins group %s in %s state. Created a new member id %s and request the member to rejoin with this id.", group, state, c.member))
		reason := "need to re-join with the given member-id: " + c.member
		g.spring(tb.Add(ms(2)), "INFO", c.thread, lCoord, c.tag()+"Request joining group due to: "+reason)
		g.spring(tb.Add(ms(2)), "INFO", c.thread, lCoord, c.tag()+"(Re-)joining group")
		c.inGroup = true
		if !g.rebalancing {
			g.startRebalance(tb.Add(ms(3)), fmt.Sprintf("Adding new member %s with group instance id None; client reason: %s", c.member, reason))
		}
		g.join(c, tb.Add(ms(3)))
		return
	}
	if g.rebalancing {
		if !c.joined {
			if len(c.parts) > 0 {
				g.spring(t, "INFO", c.thread, lCoord, c.tag()+"Revoke previously assigned partitions "+partList(c.parts))
				g.spring(t.Add(ms(1)), "INFO", c.thread, lContainer, group+": partitions revoked: ["+partList(c.parts)+"]")
			}
			g.spring(t.Add(ms(2)), "INFO", c.thread, lCoord, c.tag()+"(Re-)joining group")
			g.join(c, t.Add(ms(3)))
		}
		return
	}
	// Fetch what has arrived in the assigned partitions.
	var batch []*kmsg
	for len(batch) < maxPollRecords {
		var best *kmsg
		for _, p := range c.parts {
			kp := g.parts[p]
			i := c.pos[p]
			if i < len(kp.log) && !kp.log[i].at.After(t) {
				if best == nil || kp.log[i].at.Before(best.at) {
					best = kp.log[i]
				}
			}
		}
		if best == nil {
			break
		}
		batch = append(batch, best)
		c.pos[best.p]++
	}
	if len(batch) > 0 {
		c.batch = batch
		c.t = t.Add(jitter(g.d.crng, ms(1), ms(6)))
		return
	}
	c.t = g.nextArrival(c, t)
}

// pollExpired: the heartbeat thread notices that the listener thread has
// not polled for max.poll.interval.ms and leaves the group.
func (g *kgroup) pollExpired(c *kconsumer, t time.Time) {
	t = t.Add(jitter(g.d.crng, ms(5), ms(2900))) // heartbeat.interval.ms=3000
	g.spring(t, "WARN", g.heartbeat, lCoord, c.tag()+"consumer poll timeout has expired. This means the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is spending too much time processing messages. You can address this either by increasing max.poll.interval.ms or by reducing the maximum size of batches returned in poll() with max.poll.records.")
	g.spring(t.Add(ms(1)), "INFO", g.heartbeat, lCoord, c.tag()+fmt.Sprintf("Member %s sending LeaveGroup request to coordinator kafka-1.kafka.svc:9092 (id: 2147483646 rack: null) due to consumer poll timeout has expired.", c.member))
	tb := t.Add(ms(3))
	reason := fmt.Sprintf("Removing member %s on LeaveGroup; client reason: consumer poll timeout has expired.", c.member)
	if !g.rebalancing {
		g.startRebalance(tb, reason)
	}
	g.broker(tb.Add(ms(1)), fmt.Sprintf("Member MemberMetadata(memberId=%s, groupInstanceId=None, clientId=%s, clientHost=/10.0.2.5, sessionTimeoutMs=45000, rebalanceTimeoutMs=120000, supportedProtocols=List(range, cooperative-sticky)) has left group %s through explicit `LeaveGroup`; client reason: consumer poll timeout has expired.", c.member, c.client, group))
	g.d.facts.pollTimeouts = append(g.d.facts.pollTimeouts, factEvent{t: t, who: c.client, msg: c.member})
	c.inGroup, c.stale, c.joined = false, true, false
	if c.pending != nil {
		g.d.facts.inflight = append(g.d.facts.inflight, factEvent{t: t, who: c.client, msg: fmt.Sprintf("%s-%d@%d %s", topic, c.pending.p, c.pending.off, c.pending.inv)})
	}
	g.maybeComplete(tb.Add(ms(2)))
}

func (g *kgroup) startRebalance(t time.Time, reason string) {
	g.rebalancing = true
	g.rebStart = t
	g.broker(t, fmt.Sprintf("Preparing to rebalance group %s in state PreparingRebalance with old generation %d (__consumer_offsets-12) (reason: %s)", group, g.gen, reason))
	g.d.facts.rebalances = append(g.d.facts.rebalances, factEvent{t: t, msg: reason})
	// Members learn of it from their next heartbeat; idle ones rejoin then.
	for _, c := range g.cons {
		c.joined = false
		if !c.inGroup || c.stale {
			continue
		}
		hb := t.Add(jitter(g.d.crng, ms(100), ms(2900)))
		g.spring(hb, "INFO", g.heartbeat, lCoord, c.tag()+"Request joining group due to: group is already rebalancing")
		if len(c.batch) == 0 && c.pending == nil && c.t.After(hb) {
			c.t = hb.Add(ms(2))
		}
	}
}

func (g *kgroup) join(c *kconsumer, t time.Time) {
	c.joined = true
	c.waiting = true
	c.t = t
	g.maybeComplete(t)
}

// maybeComplete finishes the rebalance once every member has rejoined.
func (g *kgroup) maybeComplete(t time.Time) {
	if !g.rebalancing {
		return
	}
	var members []*kconsumer
	last := t
	for _, c := range g.cons {
		if !c.inGroup || c.stale {
			continue
		}
		if !c.joined {
			return
		}
		members = append(members, c)
		if c.t.After(last) {
			last = c.t
		}
	}
	g.rebalancing = false
	if len(members) == 0 {
		return
	}
	g.gen++
	t = last.Add(jitter(g.d.crng, ms(20), ms(300)))
	g.broker(t, fmt.Sprintf("Stabilized group %s generation %d (__consumer_offsets-12) with %d members", group, g.gen, len(members)))
	// Range assignment over members ordered by member id.
	sortStable(members, func(a, b **kconsumer) bool { return (*a).member < (*b).member })
	leader := members[0]
	per, extra := 6/len(members), 6%len(members)
	next := 0
	var assign []string
	for i, c := range members {
		n := per
		if i < extra {
			n++
		}
		c.parts = nil
		for k := 0; k < n; k++ {
			c.parts = append(c.parts, next)
			next++
		}
		assign = append(assign, fmt.Sprintf("%s=Assignment(partitions=[%s])", c.member, partList(c.parts)))
	}
	gen := fmt.Sprintf("Generation{generationId=%d, memberId='%%s', protocol='range'}", g.gen)
	for _, c := range members {
		g.spring(t.Add(ms(2)), "INFO", c.thread, lCoord, c.tag()+"Successfully joined group with generation "+fmt.Sprintf(gen, c.member))
	}
	g.spring(t.Add(ms(4)), "INFO", leader.thread, lCoord, leader.tag()+fmt.Sprintf("Finished assignment for group at generation %d: {%s}", g.gen, strings.Join(assign, ", ")))
	g.broker(t.Add(ms(6)), fmt.Sprintf("Assignment received from leader %s for group %s for generation %d. The group has %d members, 0 of which are static.", leader.member, group, g.gen, len(members)))
	g.d.facts.generations = append(g.d.facts.generations, factEvent{t: t, msg: fmt.Sprintf("generation %d with %d members", g.gen, len(members))})
	for _, c := range members {
		ts := t.Add(jitter(g.d.crng, ms(8), ms(40)))
		g.spring(ts, "INFO", c.thread, lCoord, c.tag()+"Successfully synced group in generation "+fmt.Sprintf(gen, c.member))
		g.spring(ts.Add(ms(1)), "INFO", c.thread, lCoord, c.tag()+"Notifying assignor about the new Assignment(partitions=["+partList(c.parts)+"])")
		g.spring(ts.Add(ms(1)), "INFO", c.thread, lCoord, c.tag()+"Adding newly assigned partitions: "+partList(c.parts))
		c.pos = map[int]int{}
		for _, p := range c.parts {
			kp := g.parts[p]
			c.pos[p] = kp.committed
			g.spring(ts.Add(ms(3)), "INFO", c.thread, lCoord, c.tag()+fmt.Sprintf("Setting offset for partition %s-%d to the committed offset FetchPosition{offset=%d, offsetEpoch=Optional[7], currentLeader=LeaderAndEpoch{leader=Optional[kafka-1.kafka.svc:9092 (id: 1 rack: null)], epoch=7}}", topic, p, kp.base+int64(kp.committed)))
		}
		g.spring(ts.Add(ms(4)), "INFO", c.thread, lContainer, group+": partitions assigned: ["+partList(c.parts)+"]")
		c.waiting = false
		c.joined = false
		c.lastPoll = ts
		c.t = ts.Add(ms(5))
	}
}

// ---- record processing --------------------------------------------------

// phase names the tax authority's state at t.
func taxState(t time.Time) string {
	switch {
	case t.Before(taxFirst503):
		return "up"
	case t.Before(taxHang):
		return "503"
	case t.Before(taxFlapping):
		return "hang"
	case t.Before(taxUp):
		return "503"
	}
	return "up"
}

// tableRows is the size of the invoice table at t (for Rows_examined).
func tableRows(t time.Time) int64 {
	return tableRowsBase + int64(t.Sub(demoStart)/(17*time.Second))
}

// scanTime is how long the full scan of invoice (no index on tax_num) takes
// at t: ~1.5 s on a quiet server, much longer while locking reads pile up.
func (g *kgroup) scanTime(t time.Time) time.Duration {
	r := g.d.crng
	switch {
	case t.Before(taxHang.Add(-5 * time.Second)):
		return jitter(r, ms(1300), ms(2150))
	case t.Before(lt(14, 31, 10, 0)):
		return jitter(r, ms(2400), ms(8200))
	case t.Before(lt(14, 32, 0, 0)):
		return jitter(r, ms(1800), ms(3600))
	}
	return jitter(r, ms(1300), ms(2150))
}

func money(cents int64) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }

// process handles one record on consumer c from start; it returns when the
// listener returned (after the database commit).
func (g *kgroup) process(c *kconsumer, m *kmsg, start time.Time) time.Time {
	d := g.d
	r := d.crng
	// 1. The duplicate check: a consistent (non-locking) read, a full scan.
	scan := g.scanTime(start)
	scanEnd := start.Add(scan)
	selectSQL := fmt.Sprintf("SELECT id, status FROM invoice WHERE tax_num = '%s' AND invoice_no = '%s'", m.buyer.taxNum, m.inv)
	if scan > 2*time.Second {
		d.slow = append(d.slow, SlowQuery{End: scanEnd, User: "order_svc", IP: "10.0.2.5", ID: c.conn, QueryTime: scan,
			LockTime: jitter(r, 2*time.Microsecond, 9*time.Microsecond), RowsExamined: tableRows(start), DB: "invoice", SQL: selectSQL})
	}
	for _, ct := range m.commits {
		if ct.Before(start) {
			g.spring(scanEnd, "INFO", c.thread, lListener, fmt.Sprintf("Invoice %s already exists, skipping redelivered record %s-%d@%d", m.inv, topic, m.p, m.off))
			m.skipped = true
			return scanEnd.Add(ms(2))
		}
	}
	// 2. The transaction: insert the invoice, count it on the order.
	txStart := scanEnd.Add(jitter(r, ms(2), ms(6)))
	upd := txStart.Add(jitter(r, ms(1), ms(3)))
	wait := time.Duration(0)
	for _, h := range g.orderLocks[m.order] {
		if h.from.Before(upd) && h.until.After(upd) && h.until.Sub(upd) > wait {
			wait = h.until.Sub(upd)
		}
	}
	if wait > lockWaitTimeout {
		// Lock wait timeout: rolled back; the error handler redelivers.
		te := upd.Add(lockWaitTimeout)
		g.lockWaitFailure(c.thread, te, true)
		d.slow = append(d.slow, SlowQuery{End: te, User: "order_svc", IP: "10.0.2.5", ID: c.conn, QueryTime: lockWaitTimeout + jitter(r, ms(2), ms(4)),
			LockTime: lockWaitTimeout + jitter(r, 0, ms(2)), RowsExamined: 1, DB: "invoice", SQL: fmt.Sprintf("UPDATE order_info SET status = 'INVOICED', invoice_count = invoice_count + 1, updated_at = '%s' WHERE order_id = %d", m.created.In(Shanghai).Format("2006-01-02 15:04:05"), m.order)})
		return g.process(c, m, te.Add(ms(3)))
	}
	acquired := upd.Add(wait)
	if wait > 2*time.Second {
		d.slow = append(d.slow, SlowQuery{End: acquired.Add(ms(1)), User: "order_svc", IP: "10.0.2.5", ID: c.conn, QueryTime: wait + ms(1),
			LockTime: wait, RowsSent: 0, RowsExamined: 1, DB: "invoice", SQL: fmt.Sprintf("UPDATE order_info SET status = 'INVOICED', invoice_count = invoice_count + 1, updated_at = '%s' WHERE order_id = %d", m.created.In(Shanghai).Format("2006-01-02 15:04:05"), m.order)})
		d.facts.lockWaits = append(d.facts.lockWaits, factEvent{t: acquired, who: c.client, msg: fmt.Sprintf("%.1f s on order_info row %d", wait.Seconds(), m.order)})
	}
	count := 0
	for _, ct := range g.orderCount[m.order] {
		if !ct.After(acquired) {
			count++
		}
	}
	// 3. Register the invoice with the tax authority, inside the transaction.
	at := acquired.Add(jitter(r, ms(1), ms(4)))
	var lastErr *JavaException
	ok := false
	for attempt := 1; attempt <= 2; attempt++ {
		res := d.tax.call(at, m, c)
		switch res.outcome {
		case "ok":
			ok = true
			at = res.at
		case "503":
			body := `{"error":"tax_authority_unavailable","message":"HTTP 503 - Service Unavailable"}`
			if res.rejected {
				body = `{"error":"circuit_open","message":"tax authority circuit breaker is open"}`
			}
			msg := fmt.Sprintf(`503 Service Unavailable: "%s"`, body)
			lastErr = taxHTTP503Trace(msg)
			if attempt < 2 {
				g.spring(res.at, "WARN", c.thread, lTaxClient, fmt.Sprintf("Tax registration of %s failed (attempt %d/2): %s; retrying in 2000 ms", m.inv, attempt, msg))
				setFirst(&d.facts.firstTaxWarnSpring, res.at)
			}
			at = res.at.Add(2 * time.Second)
		case "hang":
			to := at.Add(30 * time.Second)
			lastErr = taxTimeoutTrace()
			if attempt < 2 {
				g.spring(to, "WARN", c.thread, lTaxClient, fmt.Sprintf(`Tax registration of %s failed (attempt %d/2): I/O error on POST request for "%s": Read timed out; retrying in 2000 ms`, m.inv, attempt, taxAdapterEP))
			}
			setFirst(&d.facts.firstReadTimeout, to)
			at = to.Add(2 * time.Second)
		}
		if ok {
			break
		}
	}
	if !ok {
		at = at.Add(-2 * time.Second)
	}
	commit := at.Add(jitter(r, ms(3), ms(9)))
	status := "ISSUED"
	if !ok {
		status = "PENDING_TAX"
	}
	// 4. The binlog transaction.
	created := BinDatetime(m.created.In(Shanghai))
	row := []string{BinStr(m.inv), fmt.Sprint(m.order), BinStr(m.buyer.taxNum), BinStr(m.buyer.name), money(m.amount), money(m.amount * 13 / 100), BinStr("ISSUING"), created}
	after := append([]string(nil), row...)
	after[6] = BinStr(status)
	before := "'PAID'"
	if count > 0 {
		before = "'INVOICED'"
	}
	tx := &BinlogTx{Start: txStart, Commit: commit, ThreadID: c.conn, Changes: []RowChange{
		{Kind: 'I', DB: "invoice", Table: "invoice", After: row},
		{Kind: 'U', DB: "invoice", Table: "order_info",
			Before: []string{fmt.Sprint(m.order), before, fmt.Sprint(count), created},
			After:  []string{fmt.Sprint(m.order), "'INVOICED'", fmt.Sprint(count + 1), created}},
		{Kind: 'U', DB: "invoice", Table: "invoice", Before: row, After: after},
	}}
	d.txs = append(d.txs, tx)
	m.inserts = append(m.inserts, tx)
	m.commits = append(m.commits, commit)
	g.orderLocks[m.order] = append(g.orderLocks[m.order], lockHold{from: acquired, until: commit})
	g.orderCount[m.order] = append(g.orderCount[m.order], commit)
	took := commit.Sub(start)
	if ok {
		g.spring(commit.Add(ms(1)), "INFO", c.thread, lListener, fmt.Sprintf("Issued invoice %s for order %d (buyer %s, %s CNY) in %d ms", m.inv, m.order, m.buyer.taxNum, money(m.amount), took.Milliseconds()))
	} else {
		g.springTrace(commit.Add(ms(1)), "ERROR", c.thread, lListener, fmt.Sprintf("Tax registration of %s failed after 2 attempts; invoice saved as PENDING_TAX for the retry job (order %d, %s-%d@%d, %d ms)", m.inv, m.order, topic, m.p, m.off, took.Milliseconds()), lastErr)
	}
	return commit.Add(ms(2))
}

// lockWaitFailure logs a "Lock wait timeout exceeded" as Hibernate and the
// caller report it; listener=true for the Kafka listener, false for a web
// request (whose exception ends in the dispatcher servlet).
func (g *kgroup) lockWaitFailure(thread string, t time.Time, listener bool) {
	g.spring(t, "WARN", thread, lSQL, "SQL Error: 1205, SQLState: 40001")
	g.spring(t.Add(ms(1)), "ERROR", thread, lSQL, "Lock wait timeout exceeded; try restarting transaction")
	g.d.facts.lockTimeouts++
	setFirst(&g.d.facts.firstLockTimeout, t)
	_ = listener
}

// ---- the tax adapter ------------------------------------------------------

type taxResult struct {
	outcome  string // "ok", "503", "hang"
	at       time.Time
	rejected bool // by the circuit breaker
}

// taxAdapter is the tax-adapter service: it calls the tax authority's API
// for order-service, retrying a fast 503 once, behind a circuit breaker
// (sony/gobreaker: opens on consecutive failures, half-opens after 60 s).
type taxAdapter struct {
	d *demo
}

func (a *taxAdapter) pipe(t time.Time, level, msg string) {
	if level == "ERROR" && strings.HasPrefix(msg, "POST ") {
		setFirst(&a.d.facts.firstTaxPipe, t)
	}
	a.d.rs.add(pTaxPipe, t, a.d.tp.Append(nil, t, level, "tax-adapter", msg))
}

func (a *taxAdapter) json(t time.Time, level, msg string, f ...Field) {
	if level == "error" {
		setFirst(&a.d.facts.firstTaxJSON, t)
	}
	for _, x := range f {
		if x.Key == "latency_ms" && x.Int > 30000 {
			setFirst(&a.d.facts.firstTaxSlow, t)
		}
	}
	a.d.rs.add(pTaxJSON, t, a.d.tj.Append(nil, t, level, "taxclient", "taxclient/client.go:142", msg, f...))
}

func (a *taxAdapter) transition(t time.Time, from, to string) {
	level := "WARN"
	if to == "open" {
		level = "ERROR"
	}
	a.pipe(t, level, fmt.Sprintf("circuit breaker tax-authority: state changed from %s to %s", from, to))
	a.d.facts.breaker = append(a.d.facts.breaker, factEvent{t: t, msg: from + " -> " + to})
}

// Breaker schedule: it opens at breakerTrip, half-opens 60 s later and
// probes the authority's health endpoint; the probe fails (the API is still
// flapping), so it opens again; the next probe, 60 s later, succeeds.
var (
	breakerHalf1  = breakerTrip.Add(60 * time.Second)
	breakerReopen = breakerHalf1.Add(ms(412))
	breakerHalf2  = breakerReopen.Add(60 * time.Second)
	breakerClosed = breakerHalf2.Add(ms(187))
)

// breakerSchedule writes the breaker's transitions and health probes.
func (a *taxAdapter) breakerSchedule() {
	health := Str("url", "https://api.tax.example.gov/v2/health")
	a.transition(breakerTrip, "closed", "open")
	a.transition(breakerHalf1, "open", "half-open")
	a.json(breakerReopen.Add(-ms(1)), "error", "tax authority health probe failed", Int("status", 503), Int("latency_ms", breakerReopen.Sub(breakerHalf1).Milliseconds()), health, Str("error", "HTTP 503 - Service Unavailable"))
	a.transition(breakerReopen, "half-open", "open")
	a.transition(breakerHalf2, "open", "half-open")
	a.json(breakerClosed.Add(-ms(1)), "info", "tax authority health probe succeeded", Int("status", 200), Int("latency_ms", breakerClosed.Sub(breakerHalf2).Milliseconds()), health)
	a.transition(breakerClosed, "half-open", "closed")
}

// call handles one register request from order-service arriving at t.
func (a *taxAdapter) call(t time.Time, m *kmsg, c *kconsumer) taxResult {
	d := a.d
	r := d.crng
	if !t.Before(breakerTrip) && t.Before(breakerClosed) {
		rt := t.Add(jitter(r, ms(1), ms(4)))
		a.pipe(rt, "WARN", fmt.Sprintf("circuit breaker tax-authority is open, rejecting register request for %s from order-service", m.inv))
		d.facts.taxRejected++
		return taxResult{outcome: "503", at: rt.Add(ms(1)), rejected: true}
	}
	url := Str("url", taxURL)
	inv := Str("invoice", m.inv)
	at := t.Add(jitter(r, ms(1), ms(3)))
	for attempt := 1; attempt <= 2; attempt++ {
		switch taxState(at) {
		case "up":
			lat := jitter(r, ms(118), ms(460))
			end := at.Add(lat)
			a.json(end, "info", "tax authority request completed", Int("status", 200), Int("latency_ms", lat.Milliseconds()), url, inv, Int("attempt", int64(attempt)))
			a.pipe(end.Add(ms(1)), "INFO", fmt.Sprintf("POST %s -> 200 OK (%d ms) invoice=%s", taxURL, end.Sub(t).Milliseconds(), m.inv))
			return taxResult{outcome: "ok", at: end.Add(ms(2))}
		case "503":
			lat := jitter(r, ms(164), ms(910))
			end := at.Add(lat)
			a.json(end, "error", "tax authority request failed", Int("status", 503), Int("latency_ms", lat.Milliseconds()), url, inv, Int("attempt", int64(attempt)), Str("error", "HTTP 503 - Service Unavailable"))
			if attempt < 2 {
				a.pipe(end.Add(ms(1)), "WARN", fmt.Sprintf("POST %s: HTTP 503 - Service Unavailable (attempt 1/2, %d ms), retrying in 500 ms invoice=%s", taxURL, lat.Milliseconds(), m.inv))
				at = end.Add(ms(500))
				continue
			}
			a.pipe(end.Add(ms(1)), "ERROR", fmt.Sprintf("POST %s: HTTP 503 - Service Unavailable (attempt %d/2, %d ms) invoice=%s", taxURL, attempt, end.Sub(t).Milliseconds(), m.inv))
			return taxResult{outcome: "503", at: end.Add(ms(2))}
		default: // hang: the authority's edge answers 503 after 30 s, or our client gives up
			if r.IntN(10) < 7 {
				lat := jitter(r, ms(30002), ms(30031))
				end := at.Add(lat)
				a.json(end, "error", "tax authority request failed", Int("status", 503), Int("latency_ms", lat.Milliseconds()), url, inv, Int("attempt", int64(attempt)), Str("error", "HTTP 503 - Service Unavailable"))
				a.pipe(end.Add(ms(1)), "ERROR", fmt.Sprintf("POST %s: HTTP 503 - Service Unavailable after %d ms invoice=%s", taxURL, lat.Milliseconds(), m.inv))
			} else {
				lat := jitter(r, ms(30000), ms(30004))
				end := at.Add(lat)
				a.json(end, "error", "tax authority request timed out", Int("latency_ms", lat.Milliseconds()), url, inv, Int("attempt", int64(attempt)),
					Str("error", `Post "`+taxURL+`": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`))
				a.pipe(end.Add(ms(1)), "ERROR", fmt.Sprintf("POST %s: timeout after %d ms (Client.Timeout exceeded while awaiting headers) invoice=%s", taxURL, lat.Milliseconds(), m.inv))
			}
			return taxResult{outcome: "hang", at: at.Add(30 * time.Second)}
		}
	}
	return taxResult{outcome: "503", at: at}
}

// ---- the watchdog ---------------------------------------------------------

// watchdog writes the order-service consumer watchdog's pipe log: every
// minute it reports how long ago the consumers last received (committed) a
// message on a partition that has messages waiting.
func (d *demo) watchdog() {
	g := d.kafka
	for t := demoStart.Add(55 * time.Second); t.Before(demoEnd); t = t.Add(time.Minute) {
		ts := t.Add(jitter(d.nrng, ms(3), ms(60)))
		lag := 0
		var oldest time.Duration
		for _, kp := range g.parts {
			var lastDone, firstWaiting time.Time
			waiting := 0
			for _, m := range kp.log {
				if m.at.After(ts) {
					break
				}
				doneAt := m.at
				done := m.skipped || len(m.commits) > 0
				if !m.skipped && len(m.commits) > 0 {
					doneAt = m.commits[0]
				}
				if done && !doneAt.After(ts) {
					lastDone = maxTime(lastDone, doneAt)
					continue
				}
				if waiting == 0 {
					firstWaiting = m.at
				}
				waiting++
			}
			lag += waiting
			if waiting > 0 {
				if age := ts.Sub(maxTime(lastDone, firstWaiting)); age > oldest {
					oldest = age
				}
			}
		}
		var msg, level string
		switch {
		case oldest >= 3*time.Minute:
			level, msg = "WARN", fmt.Sprintf("KafkaConsumer:: poll() timeout, last message received %dm ago", int(oldest/time.Minute))
			d.facts.watchdog = append(d.facts.watchdog, factEvent{t: ts, msg: msg})
		case lag > 0:
			level, msg = "INFO", fmt.Sprintf("KafkaConsumer:: group %s lag %d, last message received %ds ago", group, lag, int(math.Round(oldest.Seconds())))
		default:
			level, msg = "INFO", fmt.Sprintf("KafkaConsumer:: group %s lag 0", group)
		}
		d.rs.add(pWatch, ts, d.wd.Append(nil, ts, level, "order-service", msg))
	}
}
