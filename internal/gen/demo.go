package gen

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// The demo bundle: the 2023-08-15 e-invoice outage. See TRUTH.md (written
// by demoTruth) for the story; every time below is Asia/Shanghai (+08:00).

// Paths in the bundle.
const (
	pAccess   = "gateway/access.log" // split into access.log.2.gz, access.log.1, access.log
	pNginxErr = "gateway/error.log"
	pSpring   = "order-service/application.log"
	pWatch    = "order-service/consumer-watchdog.log"
	pTaxPipe  = "tax-adapter/tax-adapter.log"
	pTaxJSON  = "tax-adapter/client.jsonl"
	pKafka    = "kafka/server.log"
	pCtrl     = "kafka/controller.log"
	pMyErr    = "mysql/error.log"
	pSlow     = "mysql/slow.log"
	pBinlog   = "mysql/binlog.000042.txt"
)

// lt is a wall-clock time on 2023-08-15 in Asia/Shanghai.
func lt(h, m, s, ms int) time.Time {
	return time.Date(2023, 8, 15, h, m, s, ms*int(time.Millisecond), Shanghai)
}

// The story's fixed points (Asia/Shanghai).
var (
	demoStart     = lt(12, 30, 0, 0)
	demoEnd       = lt(14, 45, 0, 0)
	binlogCreated = lt(14, 9, 52, 407)  // binlog.000042 rotated in (max_binlog_size)
	taxFirst503   = lt(14, 19, 40, 214) // the tax authority API starts answering 503
	taxHang       = lt(14, 21, 35, 500) // ... and then stops answering at all
	taxFlapping   = lt(14, 29, 20, 0)   // answers again, with fast 503s
	taxUp         = lt(14, 29, 50, 0)   // healthy again
	breakerTrip   = lt(14, 28, 40, 812) // tax-adapter's circuit breaker opens
	herringStart  = lt(13, 18, 2, 117)  // kafka-2 rolling restart (red herring)
	herringEnd    = lt(13, 20, 31, 904)
	rotate1       = lt(13, 0, 0, 0) // logrotate: access.log.2.gz | access.log.1
	rotate2       = lt(14, 0, 0, 0) // logrotate: access.log.1 | access.log
)

const (
	apiHost      = "api.invoice.example.com"
	apiHostPort  = "api.invoice.example.com:9443"
	orderUp      = "10.0.2.5:8080"
	reportUp     = "10.0.2.9:8080"
	taxURL       = "https://api.tax.example.gov/v2/invoices/verify"
	taxAdapterEP = "http://tax-adapter.invoice.svc:8090/api/v1/invoices/register"
	topic        = "invoice-issue"
	group        = "order-group"
	binlogUUID   = "5d0e5c8e-2f41-11ee-9a7b-0242ac120003"
	mysqlVersion = "8.0.34"
)

type buyer struct {
	taxNum string
	name   string
}

// demo is the state of one WriteDemo run.
type demo struct {
	rs *recSet

	rng   *rand.Rand // gateway traffic
	crng  *rand.Rand // consumers, tax adapter, database
	nrng  *rand.Rand // background noise
	brng  *rand.Rand // binlog CRCs
	nginx *Nginx
	sp    *Spring
	wd    *Pipe
	tp    *Pipe
	tj    *JSONLog
	kf    *Kafka
	me    *MySQLError

	conn     int64 // nginx connection counter
	invSeq   int
	orderSeq int
	invOrder int // orders that get invoiced, in order
	buyers   []buyer
	burst    buyer // the ERP's bulk submission at 14:19:30

	slow []SlowQuery
	txs  []*BinlogTx

	kafka *kgroup
	tax   *taxAdapter
	facts facts
}

func newDemo() *demo {
	d := &demo{
		rs:       newRecSet(),
		rng:      rand.New(rand.NewPCG(20230815, 1)),
		crng:     rand.New(rand.NewPCG(20230815, 2)),
		nrng:     rand.New(rand.NewPCG(20230815, 3)),
		brng:     rand.New(rand.NewPCG(20230815, 4)),
		nginx:    NewNginx(Shanghai),
		sp:       NewSpring("order-service", 1, Shanghai),
		wd:       NewPipe(Shanghai),
		tp:       NewPipe(Shanghai),
		tj:       NewJSONLog(time.UTC),
		kf:       NewKafka(time.UTC),
		me:       NewMySQLError(time.UTC),
		conn:     1482210,
		invSeq:   3868,
		orderSeq: 7730400,
		invOrder: 7727100,
	}
	d.buyers = makeBuyers(d.nrng, 36)
	for _, b := range d.buyers {
		if partitionOf(b.taxNum) == 1 {
			d.burst = b
			break
		}
	}
	d.tax = &taxAdapter{d: d}
	d.kafka = newKGroup(d)
	return d
}

var (
	buyerCities = []string{"Shanghai", "Suzhou", "Hangzhou", "Ningbo", "Nanjing", "Wuxi", "Hefei", "Xiamen", "Qingdao"}
	buyerWords  = []string{"Hengrui", "Jinlong", "Huaxin", "Dongfang", "Tianyi", "Ruifeng", "Minsheng", "Yuanda", "Kaida", "Xinhe", "Baosheng", "Lianhua"}
	buyerKinds  = []string{"Trading Co., Ltd.", "Logistics Co., Ltd.", "Technology Co., Ltd.", "Import & Export Co., Ltd.", "Catering Management Co., Ltd.", "Pharmaceutical Co., Ltd."}
)

// uscc is the alphabet of the 18-character unified social credit code.
const uscc = "0123456789ABCDEFGHJKLMNPQRTUWXY"

func makeBuyers(r *rand.Rand, n int) []buyer {
	out := make([]buyer, 0, n)
	seen := map[string]bool{}
	for len(out) < n {
		var sb strings.Builder
		sb.WriteString("9131")
		sb.WriteString(fmt.Sprintf("%04d", 100+r.IntN(9800)))
		sb.WriteString("MA")
		for sb.Len() < 18 {
			sb.WriteByte(uscc[r.IntN(len(uscc))])
		}
		name := buyerCities[r.IntN(len(buyerCities))] + " " + buyerWords[r.IntN(len(buyerWords))] + " " + buyerKinds[r.IntN(len(buyerKinds))]
		if seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, buyer{taxNum: sb.String(), name: name})
	}
	return out
}

// partitionOf is the producer's partition for a message keyed by the
// buyer's tax number (6 partitions).
func partitionOf(taxNum string) int {
	h := fnv.New32a()
	h.Write([]byte(taxNum))
	return int(h.Sum32() % 6)
}

func (d *demo) nextInvoice() string {
	d.invSeq++
	return fmt.Sprintf("INV-20230815-%06d", d.invSeq)
}

func (d *demo) nextOrder() int {
	d.orderSeq += 1 + d.rng.IntN(3)
	return d.orderSeq
}

// jitter returns a random duration in [lo, hi).
func jitter(r *rand.Rand, lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(r.Int64N(int64(hi-lo)))
}

// ms returns a duration of n milliseconds.
func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// WriteDemo writes the invoice-outage demo bundle into dir: the logs of an
// electronic-invoice platform around its 2023-08-15 14:20 (+08:00) outage,
// an rca.yaml declaring the zones of its zone-less sources, and TRUTH.md,
// the expected root cause and causal chain. The output is deterministic:
// the same bytes on every run.
func WriteDemo(dir string) error {
	d := newDemo()
	d.run()
	return d.write(dir)
}

func (d *demo) run() {
	d.noise()
	d.herring()
	d.gateway()
	d.tax.breakerSchedule()
	d.kafka.simulate()
	d.markDuplicates()
	d.watchdog()
}

// write renders every file into dir.
func (d *demo) write(dir string) error {
	files := map[string][]byte{}
	mtimes := map[string]time.Time{}
	join := func(recs []rec) ([]byte, time.Time) {
		var b []byte
		var last time.Time
		for _, r := range recs {
			b = append(b, r.data...)
			last = r.t
		}
		return b, last
	}
	// Access log, rotated hourly by logrotate (delaycompress: .1 stays plain).
	var a2, a1, a0 []rec
	for _, r := range d.rs.sorted(pAccess) {
		switch {
		case r.t.Before(rotate1):
			a2 = append(a2, r)
		case r.t.Before(rotate2):
			a1 = append(a1, r)
		default:
			a0 = append(a0, r)
		}
	}
	b2, t2 := join(a2)
	gz, err := gzipBytes(b2)
	if err != nil {
		return err
	}
	files["gateway/access.log.2.gz"], mtimes["gateway/access.log.2.gz"] = gz, t2
	files["gateway/access.log.1"], mtimes["gateway/access.log.1"] = join(a1)
	files["gateway/access.log"], mtimes["gateway/access.log"] = join(a0)

	for _, p := range []string{pNginxErr, pSpring, pWatch, pTaxPipe, pTaxJSON, pKafka, pCtrl, pMyErr} {
		files[p], mtimes[p] = join(d.rs.sorted(p))
	}
	files[pSlow], mtimes[pSlow] = d.renderSlow()
	files[pBinlog], mtimes[pBinlog] = d.renderBinlog()
	files["rca.yaml"] = []byte(demoConfig)
	files["TRUTH.md"] = []byte(d.truth(files))
	for _, p := range sortedKeys(files) {
		if err := writeFile(dir, p, files[p], mtimes[p]); err != nil {
			return err
		}
	}
	return nil
}

const demoConfig = `# rca bundle config: zones for timestamps that carry none
timezones:
  gateway: Asia/Shanghai        # nginx error.log (access logs carry +0800)
  order-service: Asia/Shanghai  # consumer-watchdog.log (application.log carries +08:00)
  tax-adapter: Asia/Shanghai    # tax-adapter.log (client.jsonl carries Z)
  kafka: UTC                    # server.log, controller.log (broker JVMs run in UTC)
  mysql: Asia/Kolkata           # binlog text: mysqlbinlog printed the DB host's zone (error/slow logs carry Z)

# what the collector knew of the system: addresses the logs use, and who calls whom
topology:
  services:
    gateway:
      depends_on: [order-service]
    order-service:
      addresses: ["10.0.2.5:8080", "10.0.2.5"]
      depends_on: [tax-adapter, mysql, kafka]
    tax-adapter:
      depends_on: [api.tax.example.gov]
`

// renderSlow writes the slow log: header, then entries in completion order.
func (d *demo) renderSlow() ([]byte, time.Time) {
	sl := NewSlowLog(time.UTC)
	b := sl.Header(nil, mysqlVersion, "3306", "/var/run/mysqld/mysqld.sock")
	sortStable(d.slow, func(a, b *SlowQuery) bool { return a.End.Before(b.End) })
	var last time.Time
	for i := range d.slow {
		b = sl.Append(b, &d.slow[i])
		last = d.slow[i].End
	}
	return b, last
}

// renderBinlog writes the binlog text: transactions committed after the
// file was created, in commit order.
func (d *demo) renderBinlog() ([]byte, time.Time) {
	sortStable(d.txs, func(a, b **BinlogTx) bool { return (*a).Commit.Before((*b).Commit) })
	w := NewBinlog(Kolkata, d.brng, 1, binlogUUID, mysqlVersion, 1842006, 9120311)
	b := w.Header(nil, binlogCreated)
	var last time.Time
	for i := range d.txs {
		tx := d.txs[i]
		if tx.Commit.Before(binlogCreated) {
			continue
		}
		var g GTID
		b, g = w.AppendTx(b, tx)
		if tx.mark != "" {
			d.facts.gtids = append(d.facts.gtids, factGTID{mark: tx.mark, gtid: g, commit: tx.Commit, start: tx.Start, thread: tx.ThreadID})
		}
		last = tx.Commit
	}
	b = w.Footer(b)
	return b, last
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStable(keys, func(a, b *string) bool { return *a < *b })
	return keys
}

// sortStable sorts s stably by less.
func sortStable[T any](s []T, less func(a, b *T) bool) {
	sort.SliceStable(s, func(i, j int) bool { return less(&s[i], &s[j]) })
}

// countLines counts the lines of the files whose names start with prefix
// that contain any of the words.
func countLines(files map[string][]byte, prefix string, words ...string) int {
	n := 0
	for p, b := range files {
		if !strings.HasPrefix(p, prefix) || strings.HasSuffix(p, ".gz") {
			continue
		}
		for _, l := range bytes.Split(b, []byte{'\n'}) {
			for _, w := range words {
				if bytes.Contains(l, []byte(w)) {
					n++
					break
				}
			}
		}
	}
	return n
}
