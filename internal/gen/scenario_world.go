package gen

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// The scenario platform: an online shop behind an nginx gateway
// (api.shop.example.com), with Spring Boot services (orders, payments,
// fulfillment), Go services (catalog, storefront), Kafka, MySQL 8 or
// MariaDB and a host's syslog. A scenario picks 4 to 7 of these, sets the
// failures of the dependencies (impairments), writes the lines of the
// component at fault, and lets the traffic simulation write everything
// else: what each client sees and logs, with its retries.

// Source names: the first folder of each file in a bundle.
const (
	svcGateway     = "gateway"
	svcOrders      = "orders"
	svcPayments    = "payments"
	svcFulfillment = "fulfillment"
	svcCatalog     = "catalog"
	svcStorefront  = "storefront"
	svcKafka       = "kafka"
	svcMySQL       = "mysql"
	svcMariaDB     = "mariadb"
	svcNode        = "node-2" // the host orders runs on
)

// Addresses of the platform.
const (
	shopHost      = "api.shop.example.com"
	gatewayAddr   = "10.0.1.10:443"
	ordersAddr    = "10.0.2.5:8080"
	paymentsAddr  = "10.0.2.6:8080"
	catalogAddr   = "10.0.2.7:8080"
	dbIP          = "10.0.3.7"
	dbAddr        = "10.0.3.7:3306"
	dbHost        = "db-primary.shop.internal"
	inventoryHost = "inventory.shop.svc.cluster.local"
	paygateHost   = "api.paygate.example.com"
	paygateURL    = "https://api.paygate.example.com/v2/charges"
	smtpHost      = "smtp.mailrelay.example.com"
)

// impairment is how a dependency fails a call.
type impairment int

const (
	impOK          impairment = iota
	impRefused                // nothing listens: connection refused
	impHang                   // connects or not, never answers: timeouts
	impLockWait               // the statement waits on row locks until innodb_lock_wait_timeout
	impUnknownHost            // the name does not resolve
	impPoolFull               // the client's own pool has no free connection
	impDiskFull               // writes fail: the table is full / errno 28
	impBrokerDown             // one Kafka broker is gone
)

type impSpan struct {
	dep      string
	callers  []string // nil: every caller
	from, to time.Time
	imp      impairment
}

type span struct{ from, to time.Time }

func (s span) has(t time.Time) bool { return !t.Before(s.from) && t.Before(s.to) }

// world is one bundle under construction.
type world struct {
	name      string
	r         *rand.Rand // incident
	nr        *rand.Rand // traffic and noise
	rs        *recSet
	start     time.Time
	end       time.Time
	t0        time.Time // onset of the incident
	herring   time.Time // onset of the red herring
	herrKind  string
	srcs      map[string]bool
	zone      map[string]*time.Location // zone of each source's clock
	zoneLess  map[string]bool           // sources with zone-less files: rca.yaml timezones
	skew      map[string]time.Duration
	skewSrc   string
	topology  bool
	imps      []impSpan
	down      map[string][]span // services not accepting connections
	gwDown    []span            // gateway not listening
	gwTLS     []span            // gateway serving a certificate clients reject
	notes     []string          // timeline for TRUTH.md
	noHerring bool
	// everyHerring: every red herring the services allow, each once (a
	// good run with its harmless trouble; overrides noHerring)
	everyHerring bool

	nginx      *Nginx
	conn       int64
	apps       map[string]*javaApp
	goes       map[string]*goApp
	kafka      []*broker
	db         *dbServer
	node       *Syslog
	nodeUptime time.Duration

	orderSeq int
	shipSeq  int
	paySeq   int
	slow     []SlowQuery
	txs      []*BinlogTx
	binlog   bool
	consumed []orderMsg       // messages for the consumer, in produce order
	consumer func(m orderMsg) // scenario override of the consumer; nil = normal

	breaker      *pspBreaker
	redeliverCap int               // batches redelivered after a failed commit
	coordID      int               // broker coordinating the fulfillment group (0: broker 1)
	startupApp   string            // service deployed at the start of the bundle
	brokerStop   map[int]time.Time // brokers whose log ends early
	dbQuiet      []span            // database writes nothing
	herrings     []string          // red herrings the scenario allows
	herrEnd      time.Time
	sluggish     map[string][]span // services answering slowly (GC thrash)
	post         []func()          // run after the traffic
}

// orderMsg is one record on the orders topic.
type orderMsg struct {
	t         time.Time
	order     int
	partition int
	offset    int64
	amount    string
	customer  int
}

var scenarioZones = []string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Shanghai", "America/Sao_Paulo", "Australia/Sydney"}

func newWorld(s Scenario, seed int64) *world {
	a, b := scenarioSeed(s.Name, seed)
	w := &world{
		name: s.Name,
		r:    rand.New(rand.NewPCG(a, b)),
		nr:   rand.New(rand.NewPCG(a^0x5bd1e995, b+1)),
		rs:   newRecSet(),
		srcs: map[string]bool{}, zone: map[string]*time.Location{}, zoneLess: map[string]bool{},
		skew: map[string]time.Duration{}, down: map[string][]span{}, brokerStop: map[int]time.Time{}, sluggish: map[string][]span{},
		apps: map[string]*javaApp{}, goes: map[string]*goApp{},
		conn: 2_000_000 + int64(rand.New(rand.NewPCG(a, 7)).IntN(900_000)),
	}
	day := time.Date(2024, 4, 16, 0, 0, 0, 0, time.UTC).AddDate(0, 0, w.r.IntN(60))
	w.start = day.Add(time.Duration(6+w.r.IntN(10))*time.Hour + time.Duration(w.r.IntN(60))*time.Minute + time.Duration(w.r.IntN(60))*time.Second)
	length := time.Duration(65+w.r.IntN(26)) * time.Minute
	w.end = w.start.Add(length)
	w.t0 = w.end.Add(-time.Duration(15+w.r.IntN(11))*time.Minute - time.Duration(w.r.IntN(60))*time.Second)
	back := time.Duration(20+w.r.IntN(21)) * time.Minute
	if lim := w.t0.Sub(w.start) - 8*time.Minute; back > lim {
		back = lim
	}
	w.herring = w.t0.Add(-back).Add(time.Duration(w.r.IntN(60)) * time.Second)
	w.orderSeq = 480000 + w.r.IntN(20000)
	w.shipSeq = 91000 + w.r.IntN(9000)
	w.paySeq = 1000000 + w.r.IntN(100000)
	return w
}

// use adds services to the bundle with zones picked for them.
func (w *world) use(names ...string) {
	for _, n := range names {
		w.srcs[n] = true
		loc := mustZone(scenarioZones[w.r.IntN(len(scenarioZones))])
		w.zone[n] = loc
		switch n {
		case svcGateway:
			w.nginx = NewNginx(loc)
			w.zoneLess[n] = true
		case svcOrders:
			w.apps[n] = newJavaApp(w, n, "com.example.shop.orders", "OrdersApplication", ordersAddr, loc)
		case svcPayments:
			w.apps[n] = newJavaApp(w, n, "com.example.shop.payments", "PaymentsApplication", paymentsAddr, loc)
		case svcFulfillment:
			w.apps[n] = newJavaApp(w, n, "com.example.shop.fulfillment", "FulfillmentApplication", "10.0.2.8:8080", loc)
		case svcCatalog:
			w.goes[n] = newGoApp(w, n, catalogAddr, loc)
		case svcStorefront:
			w.goes[n] = newGoApp(w, n, "10.0.2.9:3000", loc)
		case svcKafka:
			w.kafka = []*broker{newBroker(w, svcKafka, 1, loc)}
			w.zoneLess[n] = true
		case "kafka-1", "kafka-2", "kafka-3":
			w.kafka = append(w.kafka, newBroker(w, n, int(n[len(n)-1]-'0'), loc))
			w.zoneLess[n] = true
		case svcMySQL:
			w.db = newDBServer(w, n, false, loc)
			w.zoneLess[n] = true // binlog headers
		case svcMariaDB:
			w.db = newDBServer(w, n, true, loc)
			w.zoneLess[n] = true
		case svcNode:
			w.node = NewSyslog("node-2", loc)
			w.nodeUptime = time.Duration(3_000_000+w.r.IntN(5_000_000)) * time.Second
			w.zoneLess[n] = true
		}
	}
}

// skewOne sets one source's clock 45-120 s off, picked among candidates.
func (w *world) skewOne(cands ...string) {
	if len(cands) == 0 {
		cands = sortedSet(w.srcs)
	}
	src := cands[w.r.IntN(len(cands))]
	d := time.Duration(45+w.r.IntN(76))*time.Second + time.Duration(w.r.IntN(1000))*time.Millisecond
	if w.r.IntN(2) == 0 {
		d = -d
	}
	w.skew[src] = d
	w.skewSrc = src
}

func (w *world) note(t time.Time, format string, args ...any) {
	w.notes = append(w.notes, t.UTC().Format("15:04:05.000Z")+"  "+fmt.Sprintf(format, args...))
}

func (w *world) impair(dep string, from, to time.Time, imp impairment, callers ...string) {
	w.imps = append(w.imps, impSpan{dep: dep, callers: callers, from: from, to: to, imp: imp})
}

// dep is how dep answers caller at t.
func (w *world) dep(caller, dep string, t time.Time) impairment {
	for _, s := range w.imps {
		if s.dep != dep || t.Before(s.from) || !t.Before(s.to) {
			continue
		}
		if s.callers != nil && !contains(s.callers, caller) {
			continue
		}
		return s.imp
	}
	return impOK
}

func (w *world) isDown(svc string, t time.Time) bool {
	for _, s := range w.down[svc] {
		if s.has(t) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// put writes one record of a source at t as that source's clock shows it.
func (w *world) put(src, path string, t time.Time, f func(b []byte, t time.Time) []byte) {
	ts := t.Add(w.skew[src])
	w.rs.add(path, ts, f(nil, ts))
}

// ---- the gateway --------------------------------------------------------

type gwClient struct {
	ip, ua, referer string
	retries         int // automatic retries of 502/503/504 (and 500 for partners)
	retry500        bool
}

type gwReq struct {
	t       time.Time
	seq     int
	cl      *gwClient
	method  string
	uri     string
	svc     string // "" nginx serves it itself
	attempt int
	probe   bool
}

type gwQueue []*gwReq

func (h gwQueue) Len() int { return len(h) }
func (h gwQueue) Less(i, j int) bool {
	if !h[i].t.Equal(h[j].t) {
		return h[i].t.Before(h[j].t)
	}
	return h[i].seq < h[j].seq
}
func (h gwQueue) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *gwQueue) Push(x any)   { *h = append(*h, x.(*gwReq)) }
func (h *gwQueue) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// resp is how a service answered a proxied request.
type resp struct {
	status  int
	lat     time.Duration
	bytes   int
	refused bool // nothing listening
}

const proxyReadTimeout = 60 * time.Second

var upstreamAddr = map[string]string{svcOrders: ordersAddr, svcPayments: paymentsAddr, svcCatalog: catalogAddr}

func (w *world) makeClients() []*gwClient {
	r := w.nr
	var out []*gwClient
	mobile := []string{"ShopApp/5.12.0 (iPhone; iOS 17.4.1; Scale/3.00)", "ShopApp/5.12.0 (Android 14; Pixel 7)", "okhttp/4.12.0"}
	for i := 0; i < 30; i++ {
		out = append(out, &gwClient{ip: fmt.Sprintf("100.%d.%d.%d", 64+r.IntN(60), r.IntN(256), 1+r.IntN(254)), ua: mobile[r.IntN(len(mobile))], retries: 2})
	}
	for i := 0; i < 20; i++ {
		out = append(out, &gwClient{ip: fmt.Sprintf("%d.%d.%d.%d", 80+r.IntN(100), r.IntN(256), r.IntN(256), 1+r.IntN(254)),
			ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36", referer: "https://shop.example.com/"})
	}
	for i := 0; i < 4; i++ {
		out = append(out, &gwClient{ip: fmt.Sprintf("198.51.100.%d", 10+r.IntN(200)), ua: "Apache-HttpClient/4.5.14 (Java/17.0.9)", retries: 3, retry500: true})
	}
	return out
}

// gateway runs the request stream through nginx.
func (w *world) gateway() {
	if w.nginx == nil {
		return
	}
	r := w.nr
	clients := w.makeClients()
	q := &gwQueue{}
	seq := 0
	push := func(x *gwReq) {
		seq++
		x.seq = seq
		heap.Push(q, x)
	}
	type route struct {
		w      int
		method string
		svc    string
		uri    func() string
	}
	routes := []route{
		{30, "GET", svcCatalog, func() string { return fmt.Sprintf("/api/catalog/products/%d", 10000+r.IntN(4000)) }},
		{8, "GET", svcCatalog, func() string {
			return "/api/catalog/search?q=" + []string{"shoes", "jacket", "lamp", "usb-c+cable", "coffee", "backpack"}[r.IntN(6)]
		}},
		{18, "GET", svcOrders, func() string { return fmt.Sprintf("/api/orders/%d", w.orderSeq-r.IntN(3000)) }},
		{9, "POST", svcOrders, func() string { return "/api/orders" }},
		{9, "POST", svcPayments, func() string { return "/api/payments" }},
		{5, "GET", svcPayments, func() string { return fmt.Sprintf("/api/payments/pay_%s", hexID(r, 14)) }},
		{6, "GET", "", func() string {
			return "/static/js/app." + []string{"3f9a1c", "b81e07", "77d0aa"}[r.IntN(3)] + ".js"
		}},
	}
	var live []route
	total := 0
	for _, rt := range routes {
		if rt.svc == "" || w.srcs[rt.svc] {
			live = append(live, rt)
			total += rt.w
		}
	}
	const rate = 0.35
	for t := w.start.Add(time.Duration(r.ExpFloat64() / rate * float64(time.Second))); t.Before(w.end); t = t.Add(time.Duration(r.ExpFloat64() / rate * float64(time.Second))) {
		x := r.IntN(total)
		for _, rt := range live {
			if x < rt.w {
				push(&gwReq{t: t, cl: clients[r.IntN(len(clients))], method: rt.method, uri: rt.uri(), svc: rt.svc})
				break
			}
			x -= rt.w
		}
	}
	// A monitoring probe configured with a path that does not exist: a 404
	// and an error-log line every 15 s, all day.
	probe := &gwClient{ip: "10.0.0.4", ua: "Blackbox-Exporter/0.24.0"}
	for t := w.start.Add(time.Duration(r.IntN(10000)) * time.Millisecond); t.Before(w.end); t = t.Add(15*time.Second + time.Duration(r.IntN(30))*time.Millisecond) {
		push(&gwReq{t: t, cl: probe, method: "GET", uri: "/healthz", probe: true})
	}
	// Internet scanners.
	for t := w.start.Add(time.Duration(r.IntN(300)) * time.Second); t.Before(w.end); t = t.Add(time.Duration(120+r.IntN(600)) * time.Second) {
		cl := &gwClient{ip: fmt.Sprintf("45.%d.%d.%d", r.IntN(256), r.IntN(256), 1+r.IntN(254)), ua: "Mozilla/5.0 zgrab/0.x"}
		for i, p := range []string{"/wp-login.php", "/.env", "/admin/config.php", "/.git/config"}[:1+r.IntN(4)] {
			push(&gwReq{t: t.Add(time.Duration(i*300) * time.Millisecond), cl: cl, method: "GET", uri: p, probe: true})
		}
	}
	for q.Len() > 0 {
		x := heap.Pop(q).(*gwReq)
		if !x.t.Before(w.end) {
			continue
		}
		if w.inSpans(w.gwDown, x.t) || w.inSpans(w.gwTLS, x.t) {
			// the connection fails before nginx logs anything; clients retry
			if x.cl.retries > x.attempt && !x.probe {
				y := *x
				y.attempt++
				y.t = x.t.Add(time.Duration(1+2*x.attempt)*time.Second + time.Duration(r.IntN(800))*time.Millisecond)
				push(&y)
			}
			continue
		}
		status := w.serveGateway(x)
		if x.cl.retries > x.attempt && (status == 502 || status == 503 || status == 504 || (status == 500 && x.cl.retry500)) {
			y := *x
			y.attempt++
			y.t = x.t.Add(time.Duration(1<<x.attempt)*time.Second + time.Duration(r.IntN(500))*time.Millisecond)
			push(&y)
		}
	}
}

func (w *world) inSpans(ss []span, t time.Time) bool {
	for _, s := range ss {
		if s.has(t) {
			return true
		}
	}
	return false
}

// serveGateway logs one request at the gateway and returns its status.
func (w *world) serveGateway(x *gwReq) int {
	r := w.nr
	w.conn += 1 + int64(r.IntN(3))
	pid := 29 + int(w.conn%4)
	a := &Access{Client: x.cl.ip, Method: x.method, URI: x.uri, Proto: "HTTP/1.1", Referer: x.cl.referer, UserAgent: x.cl.ua}
	req := x.method + " " + x.uri + " HTTP/1.1"
	nerr := func(t time.Time, level, text, upstream string) {
		e := &NginxError{Level: level, PID: pid, Conn: w.conn, Text: text, Client: x.cl.ip, Server: shopHost, Request: req, Upstream: upstream, Host: shopHost}
		w.put(svcGateway, "gateway/error.log", t, func(b []byte, t time.Time) []byte { return w.nginx.AppendError(b, t, e) })
	}
	done := x.t
	switch {
	case x.svc == "":
		if x.probe {
			a.Status = 404
			a.Bytes = NginxErrorPageBytes(404)
			a.RequestTime = 0
			nerr(x.t, "error", fmt.Sprintf(`open() "/usr/share/nginx/html%s" failed (2: No such file or directory)`, x.uri), "")
		} else {
			a.Status, a.Bytes, a.RequestTime = 200, 180000+r.IntN(90000), time.Duration(2+r.IntN(30))*time.Millisecond
		}
		done = x.t.Add(a.RequestTime)
	default:
		up := upstreamAddr[x.svc]
		url := "http://" + up + strings.SplitN(x.uri, "?", 2)[0]
		if i := strings.IndexByte(x.uri, '?'); i >= 0 {
			url = "http://" + up + x.uri
		}
		a.Upstream = up
		var rs resp
		if w.isDown(x.svc, x.t) {
			rs = resp{refused: true}
		} else {
			rs = w.serveApp(x)
			if w.inSpans(w.sluggish[x.svc], x.t) {
				rs.lat += time.Duration(2000+r.IntN(9000)) * time.Millisecond
			}
		}
		switch {
		case rs.refused:
			a.RequestTime = time.Duration(1+r.IntN(3)) * time.Millisecond
			a.Status, a.UpstreamStatus, a.Bytes = 502, 502, NginxErrorPageBytes(502)
			done = x.t.Add(a.RequestTime)
			nerr(done, "error", "connect() failed (111: Connection refused) while connecting to upstream", url)
		case rs.lat >= proxyReadTimeout:
			a.RequestTime = proxyReadTimeout + time.Duration(r.IntN(3))*time.Millisecond
			a.Status, a.UpstreamStatus, a.Bytes = 504, 504, NginxErrorPageBytes(504)
			done = x.t.Add(a.RequestTime)
			nerr(done, "error", "upstream timed out (110: Connection timed out) while reading response header from upstream", url)
		default:
			a.RequestTime = rs.lat + time.Duration(r.IntN(2))*time.Millisecond
			a.Status, a.UpstreamStatus, a.Bytes = rs.status, rs.status, rs.bytes
			done = x.t.Add(a.RequestTime)
		}
	}
	w.put(svcGateway, "gateway/access.log", done, func(b []byte, t time.Time) []byte { return w.nginx.AppendAccess(b, t, a) })
	return a.Status
}

// serveApp runs a proxied request in its service.
func (w *world) serveApp(x *gwReq) resp {
	switch x.svc {
	case svcOrders:
		return w.apps[svcOrders].serveOrders(x)
	case svcPayments:
		return w.apps[svcPayments].servePayments(x)
	case svcCatalog:
		return w.goes[svcCatalog].serveCatalog(x)
	}
	return resp{status: 404, bytes: 0}
}

// ---- writing ------------------------------------------------------------

func (w *world) write(dir string, s Scenario) error {
	files := map[string][]byte{}
	mtimes := map[string]time.Time{}
	for p := range w.rs.files {
		var b []byte
		var last time.Time
		for _, r := range w.rs.sorted(p) {
			b = append(b, r.data...)
			last = r.t
		}
		files[p], mtimes[p] = b, last
	}
	if w.db != nil && !w.db.maria {
		src := w.db.src
		sl := NewSlowLog(time.UTC)
		b := sl.Header(nil, "8.0.36", "3306", "/var/run/mysqld/mysqld.sock")
		sortStable(w.slow, func(a, b *SlowQuery) bool { return a.End.Before(b.End) })
		var last time.Time
		for i := range w.slow {
			q := w.slow[i]
			q.End = q.End.Add(w.skew[src])
			b = sl.Append(b, &q)
			last = q.End
		}
		files[src+"/slow.log"], mtimes[src+"/slow.log"] = b, last
		if w.binlog && len(w.txs) > 0 {
			files[src+"/binlog.000318.txt"], mtimes[src+"/binlog.000318.txt"] = w.renderBinlog()
		}
	}
	files["rca.yaml"] = []byte(w.config())
	files["TRUTH.md"] = []byte(w.truthDoc(s, files))
	for _, p := range sortedKeys(files) {
		if err := writeFile(dir, p, files[p], mtimes[p]); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) renderBinlog() ([]byte, time.Time) {
	src := w.db.src
	sortStable(w.txs, func(a, b **BinlogTx) bool { return (*a).Commit.Before((*b).Commit) })
	// the exported binlog file begins a while before the incident
	from := w.t0.Add(-6 * time.Minute)
	for len(w.txs) > 1 && w.txs[0].Commit.Before(from) {
		w.txs = w.txs[1:]
	}
	bl := NewBinlog(w.zone[src], rand.New(rand.NewPCG(uint64(len(w.txs)), 3)), 1, "3e11fa47-71ca-11e1-9e33-c80aa9429562", "8.0.36", 2208000, 40310000)
	created := w.txs[0].Start.Add(-time.Duration(40+w.r.IntN(600)) * time.Second)
	b := bl.Header(nil, created.Add(w.skew[src]))
	var last time.Time
	for _, tx := range w.txs {
		c := *tx
		c.Start, c.Commit = c.Start.Add(w.skew[src]), c.Commit.Add(w.skew[src])
		b, _ = bl.AppendTx(b, &c)
		last = c.Commit
	}
	return bl.Footer(b), last
}

// config writes rca.yaml: the zones of zone-less files, and the topology
// when the scenario declares one.
func (w *world) config() string {
	var b strings.Builder
	b.WriteString("# rca bundle config: zones of timestamps that carry none\ntimezones:\n")
	for _, s := range sortedSet(w.zoneLess) {
		fmt.Fprintf(&b, "  %s: %s\n", s, w.zone[s].String())
	}
	if w.topology {
		b.WriteString("topology:\n  services:\n")
		type svc struct {
			name  string
			addrs []string
			deps  []string
		}
		var list []svc
		add := func(name string, addrs []string, deps ...string) {
			var d []string
			for _, x := range deps {
				if w.srcs[x] || x == "paygate" || x == "inventory" {
					d = append(d, x)
				}
			}
			list = append(list, svc{name, addrs, d})
		}
		db := svcMySQL
		if w.db != nil {
			db = w.db.src
		}
		if w.srcs[svcGateway] {
			add(svcGateway, []string{gatewayAddr, shopHost + ":443"}, svcOrders, svcPayments, svcCatalog)
		}
		if w.srcs[svcOrders] {
			add(svcOrders, []string{ordersAddr, "orders.shop.svc.cluster.local:8080"}, db, svcKafka, "inventory")
		}
		if w.srcs[svcPayments] {
			add(svcPayments, []string{paymentsAddr, "payments.shop.svc.cluster.local:8080"}, db, "paygate")
			list = append(list, svc{"paygate", []string{paygateHost + ":443"}, nil})
		}
		if w.srcs[svcCatalog] {
			add(svcCatalog, []string{catalogAddr, "catalog.shop.svc.cluster.local:8080"}, db)
		}
		if w.srcs[svcStorefront] {
			add(svcStorefront, []string{"10.0.2.9:3000"}, svcGateway)
		}
		if w.srcs[svcFulfillment] {
			add(svcFulfillment, []string{"10.0.2.8:8080"}, db, svcKafka)
		}
		if w.db != nil {
			add(db, []string{dbAddr, dbHost + ":3306"})
		}
		if w.srcs[svcOrders] {
			list = append(list, svc{"inventory", []string{inventoryHost + ":8080"}, nil})
		}
		sort.Slice(list, func(i, j int) bool { return list[i].name < list[j].name })
		for _, s := range list {
			fmt.Fprintf(&b, "    %s:\n      addresses: [%s]\n", s.name, quoteList(s.addrs))
			if len(s.deps) > 0 {
				fmt.Fprintf(&b, "      depends_on: [%s]\n", strings.Join(s.deps, ", "))
			}
		}
	}
	return b.String()
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = `"` + x + `"`
	}
	return strings.Join(q, ", ")
}

func (w *world) truthDoc(s Scenario, files map[string][]byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Scenario %s\n\n%s\n\n", s.Name, s.Story)
	fmt.Fprintf(&b, "Expected top cause: %s\n", s.Truth)
	if s.Truth.Note != "" {
		fmt.Fprintf(&b, "\n%s\n", s.Truth.Note)
	}
	fmt.Fprintf(&b, "\nBundle: %s to %s (UTC).", w.start.UTC().Format(time.RFC3339), w.end.UTC().Format(time.RFC3339))
	if s.Truth.Service != "" {
		fmt.Fprintf(&b, " Incident onset %s; red herring (%s) from %s.", w.t0.UTC().Format("15:04:05Z"), w.herrKind, w.herring.UTC().Format("15:04:05Z"))
	}
	b.WriteString("\n\nZones of the sources' clocks:\n\n")
	for _, src := range sortedSet(w.srcs) {
		fmt.Fprintf(&b, "- %s: %s", src, w.zone[src])
		if d, ok := w.skew[src]; ok {
			fmt.Fprintf(&b, ", clock skewed %+.3fs", d.Seconds())
		}
		b.WriteString("\n")
	}
	if len(w.notes) > 0 {
		b.WriteString("\nTimeline (true UTC):\n\n")
		sort.Strings(w.notes)
		for _, n := range w.notes {
			b.WriteString("    " + n + "\n")
		}
	}
	b.WriteString("\nFiles:\n\n")
	for _, p := range sortedKeys(files) {
		if p == "TRUTH.md" {
			continue
		}
		fmt.Fprintf(&b, "- %s: %d bytes, %d lines\n", p, len(files[p]), strings.Count(string(files[p]), "\n"))
	}
	return b.String()
}
