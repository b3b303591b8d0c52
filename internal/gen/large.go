package gen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

// DefaultLargeSize is the size WriteLarge is usually asked for.
const DefaultLargeSize = 1 << 30

// The large bundle covers one day, 2023-08-15 in Asia/Shanghai.
var (
	largeStart = time.Date(2023, 8, 15, 0, 0, 0, 0, Shanghai)
	largeSpan  = 24 * time.Hour
)

// gen produces one record (one or more complete lines) at t. big says
// whether a long record (a stack trace, a multi-row event) still fits the
// file's budget.
type genFunc func(b []byte, t time.Time, big bool) []byte

// source builds a file's generator; header and footer, when set, are
// written before the first and after the last record.
type source struct {
	gen    genFunc
	header func(b []byte, t time.Time) []byte
	footer func(b []byte) []byte
}

type largeFile struct {
	path   string
	weight float64 // share of the bundle's bytes
	gz     bool
	group  string // files of one rotation group split the day between them, oldest first
	make   func(r *rand.Rand) source
}

func largeLayout() []largeFile {
	return []largeFile{
		{path: "gateway/access.log.2.gz", weight: 1.5, gz: true, group: "access", make: newAccessSource},
		{path: "gateway/access.log.1", weight: 16, group: "access", make: newAccessSource},
		{path: "gateway/access.log", weight: 16, group: "access", make: newAccessSource},
		{path: "gateway/error.log", weight: 3, make: newNginxErrorSource},
		{path: "order-service/application.log", weight: 15, make: func(r *rand.Rand) source { return newSpringSource(r, "order-service", Shanghai) }},
		{path: "billing-service/application.log", weight: 7, make: func(r *rand.Rand) source { return newSpringSource(r, "billing-service", Berlin) }},
		{path: "kafka/server.log.1", weight: 4, group: "kafka", make: newKafkaSource},
		{path: "kafka/server.log", weight: 8, group: "kafka", make: newKafkaSource},
		{path: "kafka/controller.log", weight: 1, make: newControllerSource},
		{path: "mysql/error.log", weight: 2, make: newMySQLErrorSource},
		{path: "mysql/slow.log", weight: 3, make: newSlowSource},
		{path: "mysql/binlog.000101.txt", weight: 8, group: "binlog", make: func(r *rand.Rand) source { return newBinlogSource(r, 1931000, 88100000) }},
		{path: "mysql/binlog.000102.txt", weight: 6, group: "binlog", make: func(r *rand.Rand) source { return newBinlogSource(r, 1931000+binlogGNOGap, 88100000+binlogGNOGap) }},
		{path: "tax-adapter/client.jsonl", weight: 4, make: newJSONSource},
		{path: "tax-adapter/tax-adapter.log", weight: 3, make: newPipeSource},
		{path: "node/syslog", weight: 2, make: newSyslogSource},
	}
}

// binlogGNOGap separates the GTID numbers of the two binlog files: enough
// transactions for any size the benchmarks use (~1.4 KB each).
const binlogGNOGap = 50_000_000

const largeConfig = `# rca bundle config: zones for timestamps that carry none
timezones:
  gateway: Asia/Shanghai        # nginx error.log (access logs carry +0800)
  tax-adapter: Asia/Shanghai    # tax-adapter.log (client.jsonl carries Z)
  node: Asia/Shanghai           # syslog (no zone, no year)
  kafka: UTC                    # server.log*, controller.log
  mysql: Asia/Kolkata           # binlog text (error/slow logs carry Z)
`

// WriteLarge writes a deterministic, realistic bundle of about size bytes
// on disk into dir, for benchmarks: one day of an e-invoice platform's logs
// in the formats rca reads (nginx access and error logs with rotated and
// gzipped files, Spring Boot logs with stack traces in two zones, Kafka
// broker and controller logs, MySQL error and slow logs and binlog text,
// JSON lines, the pipe format, syslog), about 1% of the lines errors. The
// same seed writes the same bytes. Files are written concurrently, each
// through a buffered stream: memory does not grow with size.
func WriteLarge(dir string, size int64, seed int64) error {
	if size <= 0 {
		return fmt.Errorf("gen: size must be positive")
	}
	files := largeLayout()
	var total float64
	for _, f := range files {
		total += f.weight
	}
	// Content budgets: a compressed file holds ~7 times its share (it is
	// counted by its size on disk); the others get their share.
	raw := func(f largeFile) float64 {
		if f.gz {
			return 7 * f.weight
		}
		return f.weight
	}
	// Each rotation group splits the day in proportion to its files'
	// content, so the traffic rate is the same in all of them.
	groupTotal := map[string]float64{}
	for _, f := range files {
		if f.group != "" {
			groupTotal[f.group] += raw(f)
		}
	}
	type job struct {
		f        largeFile
		idx      int
		budget   int64
		from, to time.Time
	}
	groupDone := map[string]float64{}
	jobs := make([]job, len(files))
	for i, f := range files {
		from, to := largeStart, largeStart.Add(largeSpan)
		if g := f.group; g != "" {
			from = largeStart.Add(time.Duration(float64(largeSpan) * groupDone[g] / groupTotal[g]))
			groupDone[g] += raw(f)
			to = largeStart.Add(time.Duration(float64(largeSpan) * groupDone[g] / groupTotal[g]))
		}
		jobs[i] = job{f: f, idx: i, from: from, to: to}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cfg := []byte(largeConfig)
	if err := os.WriteFile(filepath.Join(dir, "rca.yaml"), cfg, 0o644); err != nil {
		return err
	}
	// Compressed files first: their size on disk is known only once written
	// (the content budget assumes ~7:1); the others share what is left.
	left := size - int64(len(cfg))
	leftWeight := total
	for i := range jobs {
		j := &jobs[i]
		if !j.f.gz {
			continue
		}
		j.budget = int64(float64(size) * raw(j.f) / total)
		n, err := writeLargeFile(dir, j.f, j.budget, j.from, j.to, seed, j.idx)
		if err != nil {
			return err
		}
		left -= n
		leftWeight -= j.f.weight
	}
	var plain []job
	for _, j := range jobs {
		if !j.f.gz {
			j.budget = int64(float64(left) * j.f.weight / leftWeight)
			plain = append(plain, j)
		}
	}
	// Largest first, on as many workers as there are CPUs.
	sortStable(plain, func(a, b *job) bool { return a.budget > b.budget })
	work := make(chan job)
	errs := make(chan error, len(plain))
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				_, err := writeLargeFile(dir, j.f, j.budget, j.from, j.to, seed, j.idx)
				errs <- err
			}
		}()
	}
	for _, j := range plain {
		work <- j
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// writeLargeFile writes one file: records at times spread evenly (by bytes)
// over [from, to) until budget content bytes are written. It returns the
// file's size on disk.
func writeLargeFile(dir string, f largeFile, budget int64, from, to time.Time, seed int64, idx int) (int64, error) {
	r := rand.New(rand.NewPCG(uint64(seed), uint64(idx)*0x9E3779B97F4A7C15+1))
	src := f.make(r)
	s, err := createStream(dir, f.path, f.gz)
	if err != nil {
		return 0, err
	}
	span := float64(to.Sub(from))
	buf := make([]byte, 0, 64<<10)
	if src.header != nil {
		buf = src.header(buf, from)
	}
	var t time.Time
	for s.raw+int64(len(buf)) < budget {
		done := float64(s.raw+int64(len(buf))) / float64(budget)
		t = from.Add(time.Duration(done*span) + time.Duration(r.IntN(1000))*time.Microsecond)
		big := budget-s.raw-int64(len(buf)) > 24<<10
		buf = src.gen(buf, t, big)
		if len(buf) >= 48<<10 {
			if err := s.write(buf, t); err != nil {
				s.close()
				return 0, err
			}
			buf = buf[:0]
		}
	}
	if src.footer != nil {
		buf = src.footer(buf)
	}
	if len(buf) > 0 {
		if err := s.write(buf, t); err != nil {
			s.close()
			return 0, err
		}
	}
	return s.close()
}
