package gen

import (
	"container/heap"
	"fmt"
	"time"
)

// The gateway (nginx on api.invoice.example.com:9443) and the order-service
// web side behind it: steady API traffic from ERP integrations and the web
// console, the load balancer's health checks, and clients retrying 5xx.

type client struct {
	ip, ua, referer string
	erp             bool // retries 5xx automatically (3 retries, exponential back-off)
	queue           bool // an ERP with a submission queue: resubmits its backlog in a loop on errors
	storming        bool
	tokens          float64 // nginx limit_req bucket for POST /api/invoice
	tokensAt        time.Time
}

type endpoint int

const (
	epInvGet endpoint = iota
	epInvSearch
	epOrderGet
	epInvPost
	epOrderPost
	epReport
	epHealth
)

type httpReq struct {
	t       time.Time
	seq     int
	cl      *client
	ep      endpoint
	attempt int
	buyer   buyer
	order   int
	storm   bool // part of a client's resubmission loop
}

type reqHeap []*httpReq

func (h reqHeap) Len() int { return len(h) }
func (h reqHeap) Less(i, j int) bool {
	if !h[i].t.Equal(h[j].t) {
		return h[i].t.Before(h[j].t)
	}
	return h[i].seq < h[j].seq
}
func (h reqHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *reqHeap) Push(x any)   { *h = append(*h, x.(*httpReq)) }
func (h *reqHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

var (
	erpAgents = []string{"okhttp/4.9.3", "Apache-HttpClient/4.5.13 (Java/1.8.0_372)", "python-requests/2.31.0", "Go-http-client/1.1", "okhttp/3.14.9"}
	webAgent  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/115.0.0.0 Safari/537.36"
	lbAgent   = "ELB-HealthChecker/2.0"
	consoleUI = "https://console.invoice.example.com/invoices"
)

const (
	lWeb     = "com.example.invoice.order.web.ApiExceptionHandler"
	lTomcat  = "org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/].[dispatcherServlet]"
	apiRate  = 0.5 // requests per second, steady
	poolFrom = "14:22:24"
)

// gateway outage windows (order-service endpoints).
var (
	poolExhausted = lt(14, 22, 24, 0) // Hikari pool held by blocked quota queries
	outageTail    = lt(14, 30, 30, 0) // blocked quota queries drain
	recovered     = lt(14, 31, 5, 0)  // latencies back to normal
	sqlDateFrom   = "2023-08-01 00:00:00"
)

func (d *demo) makeClients() (erp []*client, web []*client, bulk *client) {
	r := d.nrng
	for i := 0; i < 16; i++ {
		erp = append(erp, &client{ip: fmt.Sprintf("10.0.%d.%d", 5+i%3, 11+r.IntN(200)), ua: erpAgents[r.IntN(len(erpAgents))], erp: true, queue: i%3 == 0})
	}
	for i := 0; i < 9; i++ {
		web = append(web, &client{ip: fmt.Sprintf("10.0.8.%d", 20+r.IntN(200)), ua: webAgent, referer: consoleUI})
	}
	bulk = &client{ip: "10.0.5.23", ua: "Apache-HttpClient/4.5.13 (Java/1.8.0_372)", erp: true, queue: true}
	return
}

// gateway generates every request and its consequences.
func (d *demo) gateway() {
	r := d.rng
	erp, web, bulk := d.makeClients()
	h := &reqHeap{}
	seq := 0
	push := func(q *httpReq) {
		seq++
		q.seq = seq
		heap.Push(h, q)
	}
	// Steady API traffic: a Poisson stream.
	for t := demoStart.Add(time.Duration(r.ExpFloat64() / apiRate * float64(time.Second))); t.Before(demoEnd); t = t.Add(time.Duration(r.ExpFloat64() / apiRate * float64(time.Second))) {
		var cl *client
		if r.IntN(10) < 7 {
			cl = erp[r.IntN(len(erp))]
		} else {
			cl = web[r.IntN(len(web))]
		}
		w := r.IntN(1000)
		var ep endpoint
		switch {
		case w < 380:
			ep = epInvGet
		case w < 520:
			ep = epInvSearch
		case w < 780:
			ep = epOrderGet
		case w < 880:
			ep = epInvPost
		case w < 996:
			ep = epOrderPost
		default:
			ep = epReport
		}
		push(&httpReq{t: t, cl: cl, ep: ep, buyer: d.buyers[r.IntN(len(d.buyers))]})
	}
	// The ERP's bulk submission for one buyer, just before the outage.
	for i, t := 0, lt(14, 19, 30, 118); i < 26; i, t = i+1, t.Add(jitter(r, ms(560), ms(980))) {
		push(&httpReq{t: t, cl: bulk, ep: epInvPost, buyer: d.burst})
	}
	// Health checks from the two load balancer nodes, every 30 s.
	for _, lb := range []struct {
		ip  string
		off time.Duration
	}{{"10.0.0.2", ms(7312)}, {"10.0.0.3", ms(41877)}} {
		cl := &client{ip: lb.ip, ua: lbAgent}
		for t := demoStart.Add(lb.off); t.Before(demoEnd); t = t.Add(60*time.Second + jitter(r, 0, ms(4))) {
			push(&httpReq{t: t, cl: cl, ep: epHealth})
		}
	}
	for h.Len() > 0 {
		q := heap.Pop(h).(*httpReq)
		if !q.t.Before(demoEnd) {
			continue
		}
		status, end := d.serve(q)
		if q.storm {
			// The resubmission loop goes on until the platform answers again.
			if q.t.Before(outageTail) {
				push(&httpReq{t: q.t.Add(jitter(r, ms(1600), ms(4200))), cl: q.cl, ep: epInvPost, buyer: q.buyer, storm: true})
			} else {
				q.cl.storming = false
			}
			continue
		}
		if status >= 500 && q.cl.queue && !q.cl.storming && !q.t.Before(taxHang) && q.t.Before(outageTail) {
			q.cl.storming = true
			push(&httpReq{t: end.Add(jitter(r, ms(300), ms(900))), cl: q.cl, ep: epInvPost, buyer: q.buyer, storm: true})
		}
		if status >= 500 && q.cl.erp && q.attempt < 3 {
			back := time.Duration(1<<q.attempt)*time.Second + jitter(r, 0, ms(500))
			push(&httpReq{t: end.Add(back), cl: q.cl, ep: q.ep, attempt: q.attempt + 1, buyer: q.buyer, order: q.order})
		} else if status >= 500 && !q.cl.erp && q.cl.referer != "" && q.attempt < 2 && r.IntN(2) == 0 {
			push(&httpReq{t: end.Add(jitter(r, 4*time.Second, 15*time.Second)), cl: q.cl, ep: q.ep, attempt: q.attempt + 1, buyer: q.buyer, order: q.order})
		}
	}
}

// serve answers one request and records its lines; it returns the status
// and when the response ended.
func (d *demo) serve(q *httpReq) (int, time.Time) {
	r := d.rng
	d.conn++
	conn := d.conn
	t := q.t
	pid := 31 + r.IntN(4)
	a := Access{Client: q.cl.ip, Proto: "HTTP/1.1", UserAgent: q.cl.ua, Referer: q.cl.referer}
	thread := fmt.Sprintf("http-nio-8080-exec-%d", 1+r.IntN(48))
	switch q.ep {
	case epHealth:
		a.Method, a.URI, a.Status = "GET", "/health", 404
		a.Bytes = NginxErrorPageBytes(404)
		d.rs.add(pNginxErr, t, d.nginx.AppendError(nil, t, &NginxError{Level: "error", PID: pid, Conn: conn,
			Text: `open() "/usr/share/nginx/html/health" failed (2: No such file or directory)`, Client: q.cl.ip, Server: apiHost,
			Request: "GET /health HTTP/1.1", Host: "10.0.1.10:9443"}))
		d.rs.add(pAccess, t, d.nginx.AppendAccess(nil, t, &a))
		return 404, t
	case epReport:
		a.Method, a.URI = "GET", "/api/report/daily?date=2023-08-14"
		dur := jitter(r, ms(2100), ms(5800))
		end := t.Add(dur)
		a.Status, a.Bytes, a.RequestTime, a.Upstream, a.UpstreamStatus = 200, 1200000+r.IntN(2600000), dur, reportUp, 200
		d.rs.add(pNginxErr, t.Add(dur-ms(300)), d.nginx.AppendError(nil, t.Add(dur-ms(300)), &NginxError{Level: "warn", PID: pid, Conn: conn,
			Text:   fmt.Sprintf("an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/%d/%02d/%010d while reading upstream", r.IntN(10), r.IntN(100), 1000+r.IntN(90000)),
			Client: q.cl.ip, Server: apiHost, Request: "GET " + a.URI + " HTTP/1.1", Upstream: "http://" + reportUp + a.URI, Host: apiHostPort, Referrer: q.cl.referer}))
		d.slow = append(d.slow, SlowQuery{End: end.Add(-ms(40)), User: "report_svc", IP: "10.0.2.9", ID: 18522, QueryTime: dur - ms(90), LockTime: jitter(r, ms(0), ms(1)),
			RowsSent: 14, RowsExamined: tableRows(t), DB: "invoice",
			SQL: "SELECT DATE(created_at) AS d, status, COUNT(*) AS n, SUM(amount) AS total FROM invoice WHERE created_at >= '2023-08-14 00:00:00' AND created_at < '2023-08-15 00:00:00' GROUP BY d, status"})
		d.rs.add(pAccess, end, d.nginx.AppendAccess(nil, end, &a))
		return 200, end
	}
	a.Upstream = orderUp
	if q.order == 0 {
		switch q.ep {
		case epInvPost:
			d.invOrder += 1 + r.IntN(2)
			q.order = d.invOrder
		default:
			q.order = d.orderSeq - r.IntN(2000)
		}
	}
	switch q.ep {
	case epInvGet:
		a.Method, a.URI = "GET", fmt.Sprintf("/api/invoice/INV-20230815-%06d", d.invSeq-r.IntN(min(d.invSeq-3000, 700)))
	case epInvSearch:
		a.Method, a.URI = "GET", fmt.Sprintf("/api/invoice?taxNum=%s&page=%d", q.buyer.taxNum, 1+r.IntN(3))
	case epOrderGet:
		a.Method, a.URI = "GET", fmt.Sprintf("/api/order/%d", q.order)
	case epInvPost:
		a.Method, a.URI = "POST", "/api/invoice"
	case epOrderPost:
		a.Method, a.URI = "POST", "/api/order"
	}
	req := a.Method + " " + a.URI + " HTTP/1.1"
	if q.storm {
		// limit_req zone=invoice_submit rate=6r/m burst=3 nodelay: the
		// resubmission loops are rejected by nginx itself.
		cl := q.cl
		if cl.tokensAt.IsZero() {
			cl.tokens = 3
		} else {
			cl.tokens = min(3, cl.tokens+t.Sub(cl.tokensAt).Minutes()*6)
		}
		cl.tokensAt = t
		if cl.tokens < 1 {
			excess := 3 + (1 - cl.tokens)
			dur := jitter(r, 0, ms(1))
			a.Status, a.Bytes, a.RequestTime, a.Upstream = 503, NginxErrorPageBytes(503), dur, ""
			d.rs.add(pNginxErr, t, d.nginx.AppendError(nil, t, &NginxError{Level: "error", PID: pid, Conn: conn,
				Text: fmt.Sprintf("limiting requests, excess: %.3f by zone \"invoice_submit\"", excess), Client: q.cl.ip, Server: apiHost, Request: req, Host: apiHostPort}))
			d.rs.add(pAccess, t.Add(dur), d.nginx.AppendAccess(nil, t.Add(dur), &a))
			d.facts.gatewayLimited++
			setFirst(&d.facts.firstLimited, t)
			d.facts.last5xx = maxTime(d.facts.last5xx, t)
			return 503, t.Add(dur)
		}
		cl.tokens--
	}
	// Authentication and validation failures, at any time.
	if r.IntN(100) == 0 {
		dur := jitter(r, ms(3), ms(11))
		a.Status, a.Bytes, a.RequestTime, a.UpstreamStatus = 401, 0, dur, 401
		d.rs.add(pAccess, t.Add(dur), d.nginx.AppendAccess(nil, t.Add(dur), &a))
		return 401, t.Add(dur)
	}
	post := q.ep == epInvPost
	var dur time.Duration
	outcome := "ok"
	switch {
	case t.Before(taxFirst503) || !t.Before(recovered):
	case t.Before(taxHang):
		outcome = "slowA"
	case t.Before(outageTail):
		pool := !t.Before(poolExhausted)
		x := r.IntN(100)
		switch {
		case post && !pool:
			outcome = map[bool]string{true: "504", false: "slow"}[x < 85]
		case post:
			outcome = "503"
			if x >= 82 {
				outcome = map[bool]string{true: "504", false: "slow"}[x < 94]
			}
		case pool && x < 62:
			outcome = "503"
		default:
			outcome = "slowGet"
		}
	default:
		outcome = "tail"
	}
	if q.ep == epOrderPost && outcome == "504" {
		outcome = "503"
	}
	scan := jitter(r, ms(1300), ms(2150))
	switch outcome {
	case "503":
		dur = ms(3000) + jitter(r, ms(2), ms(25))
		end := t.Add(dur)
		a.Status, a.Bytes, a.RequestTime, a.UpstreamStatus = 503, 128+len(a.URI), dur, 503
		g := d.kafka
		g.spring(end.Add(-ms(6)), "WARN", thread, lSQL, "SQL Error: 0, SQLState: null")
		g.spring(end.Add(-ms(5)), "ERROR", thread, lSQL, "HikariPool-1 - Connection is not available, request timed out after 3000ms.")
		d.facts.gateway503++
		setFirst(&d.facts.first503, end)
		d.facts.last5xx = maxTime(d.facts.last5xx, end)
		d.rs.add(pAccess, end, d.nginx.AppendAccess(nil, end, &a))
		return 503, end
	case "504":
		dur = 30*time.Second + jitter(r, ms(0), ms(4))
		end := t.Add(dur)
		a.Status, a.Bytes, a.RequestTime, a.UpstreamStatus = 504, NginxErrorPageBytes(504), dur, 504
		d.rs.add(pNginxErr, end, d.nginx.AppendError(nil, end, &NginxError{Level: "error", PID: pid, Conn: conn,
			Text:   "upstream timed out (110: Connection timed out) while reading response header from upstream",
			Client: q.cl.ip, Server: apiHost, Request: req, Upstream: "http://" + orderUp + a.URI, Host: apiHostPort, Referrer: q.cl.referer}))
		d.rs.add(pAccess, end, d.nginx.AppendAccess(nil, end, &a))
		if d.facts.first504.IsZero() {
			d.facts.first504 = end
		}
		d.facts.last5xx = maxTime(d.facts.last5xx, end)
		d.facts.gateway504++
		// order-service goes on waiting for the row locks until InnoDB gives up.
		te := t.Add(ms(8) + lockWaitTimeout + jitter(r, ms(1), ms(30)))
		g := d.kafka
		g.lockWaitFailure(thread, te, false)
		g.springTrace(te.Add(ms(4)), "ERROR", thread, lTomcat, "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.dao.CannotAcquireLockException: JDBC exception executing SQL [SELECT COALESCE(SUM(amount), 0) FROM invoice WHERE tax_num = ? AND created_at >= ? FOR UPDATE] [Lock wait timeout exceeded; try restarting transaction] [n/a]; SQL [n/a]] with root cause", webLockRootCause())
		d.slow = append(d.slow, SlowQuery{End: te.Add(-ms(1)), User: "order_svc", IP: "10.0.2.5", ID: 18440 + int64(r.IntN(10)), QueryTime: lockWaitTimeout + jitter(r, ms(0), ms(4)),
			LockTime: lockWaitTimeout + jitter(r, 0, ms(2)), RowsSent: 0, RowsExamined: int64(r.IntN(int(tableRows(t)))), DB: "invoice", SQL: quotaSQL(q.buyer)})
		return 504, end
	case "slow", "tail", "slowA":
		var wait time.Duration
		switch outcome {
		case "slow":
			wait = jitter(r, 7*time.Second, 27*time.Second)
		case "tail":
			wait = jitter(r, 2*time.Second, 10*time.Second)
		default:
			wait = jitter(r, ms(400), 4*time.Second)
		}
		if !post {
			dur = jitter(r, ms(300), ms(2900))
			break
		}
		dur = scan + wait + jitter(r, ms(15), ms(40))
		d.slow = append(d.slow, SlowQuery{End: t.Add(scan + wait + ms(5)), User: "order_svc", IP: "10.0.2.5", ID: 18440 + int64(r.IntN(10)), QueryTime: scan + wait,
			LockTime: wait, RowsSent: 1, RowsExamined: tableRows(t), DB: "invoice", SQL: quotaSQL(q.buyer)})
	case "slowGet":
		dur = jitter(r, ms(300), ms(2900))
	default:
		switch q.ep {
		case epInvPost:
			dur = scan + jitter(r, ms(15), ms(40))
			if scan > 2*time.Second {
				d.slow = append(d.slow, SlowQuery{End: t.Add(scan + ms(5)), User: "order_svc", IP: "10.0.2.5", ID: 18440 + int64(r.IntN(10)), QueryTime: scan,
					LockTime: jitter(r, 5*time.Microsecond, 40*time.Microsecond), RowsSent: 1, RowsExamined: tableRows(t), DB: "invoice", SQL: quotaSQL(q.buyer)})
			}
			if !t.Before(herringStart) && t.Before(herringEnd) {
				dur += jitter(r, ms(300), ms(2600)) // producer retries while kafka-2 restarts
			}
		case epInvSearch:
			dur = scan + jitter(r, ms(10), ms(30))
			if scan > 2*time.Second {
				d.slow = append(d.slow, SlowQuery{End: t.Add(scan + ms(4)), User: "order_svc", IP: "10.0.2.5", ID: 18440 + int64(r.IntN(10)), QueryTime: scan,
					LockTime: jitter(r, 2*time.Microsecond, 9*time.Microsecond), RowsSent: 20, RowsExamined: tableRows(t), DB: "invoice",
					SQL: fmt.Sprintf("SELECT id, invoice_no, order_id, amount, status, created_at FROM invoice WHERE tax_num = '%s' ORDER BY created_at DESC LIMIT 20", q.buyer.taxNum)})
			}
		default:
			dur = jitter(r, ms(12), ms(160))
		}
	}
	end := t.Add(dur)
	a.RequestTime = dur
	switch q.ep {
	case epInvPost:
		if r.IntN(50) == 0 {
			a.Status, a.Bytes, a.UpstreamStatus = 400, 96+r.IntN(60), 400
			break
		}
		inv := d.nextInvoice()
		a.Status, a.Bytes, a.UpstreamStatus = 202, 48+len(inv), 202
		amount := int64(20000 + r.IntN(2000000))
		d.kafka.produce(end.Add(-ms(3)), inv, q.order, q.buyer, amount, t)
	case epOrderPost:
		a.Status, a.Bytes, a.UpstreamStatus = 201, 62, 201
		id := d.nextOrder()
		if !end.Before(binlogCreated) {
			d.txs = append(d.txs, &BinlogTx{Start: end.Add(-ms(9)), Commit: end.Add(-ms(4)), ThreadID: 18440 + int64(r.IntN(10)), Changes: []RowChange{
				{Kind: 'I', DB: "invoice", Table: "order_info", After: []string{fmt.Sprint(id), "'PAID'", "0", BinDatetime(t.In(Shanghai))}},
			}})
		}
	case epInvGet, epOrderGet:
		if r.IntN(40) == 0 {
			a.Status, a.Bytes, a.UpstreamStatus = 404, 94, 404
		} else {
			a.Status, a.Bytes, a.UpstreamStatus = 200, 640+r.IntN(1400), 200
		}
	case epInvSearch:
		a.Status, a.Bytes, a.UpstreamStatus = 200, 2100+r.IntN(7000), 200
	}
	d.rs.add(pAccess, end, d.nginx.AppendAccess(nil, end, &a))
	return a.Status, end
}

func quotaSQL(b buyer) string {
	return fmt.Sprintf("SELECT COALESCE(SUM(amount), 0) FROM invoice WHERE tax_num = '%s' AND created_at >= '%s' FOR UPDATE", b.taxNum, sqlDateFrom)
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
