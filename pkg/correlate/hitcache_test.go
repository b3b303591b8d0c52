package correlate

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

// TestClassifierHasCache: no rule or extractor literal holds a '\n', so
// NewClassifier keeps a hitCache and split runs.
func TestClassifierHasCache(t *testing.T) {
	if testClassifier().cache == nil {
		t.Fatal("NewClassifier kept no hitCache: some literal holds a '\\n'")
	}
}

// TestHitCache: a text is stored the second time it is offered, found only
// under its hash and with its exact text, and its slot goes to the next text
// stored there.
func TestHitCache(t *testing.T) {
	h := newHitCache()
	a, b := strings.Repeat("a", 100), strings.Repeat("b", 100)
	ha := h.hash(a)
	var one, two bitset
	one.set(3)
	two.set(7)
	steps := []struct {
		op   string // put, get
		s    string
		hs   uint64
		hits *bitset
		want *bitset // get: nil for a miss
	}{
		{"get", a, ha, nil, nil},
		{"put", a, ha, &one, nil},
		{"get", a, ha, nil, nil}, // offered once: only noted
		{"put", a, ha, &one, nil},
		{"get", a, ha, nil, &one},
		{"get", b, ha, nil, nil},                  // same hash, other text
		{"get", a[:99] + "b", ha, nil, nil},       // differs in the last byte
		{"get", a, ha + hitCacheSlots, nil, &one}, // the slot decides, the text confirms
		{"put", b, ha + hitCacheSlots, &two, nil}, // another seen slot: noted
		{"put", b, ha + hitCacheSlots, &two, nil}, // stored, in a's slot
		{"get", a, ha, nil, nil},                  // evicted
		{"get", b, ha + hitCacheSlots, nil, &two}, // b is there
		{"get", b, ha + 2*hitCacheSlots, nil, &two},
		{"get", b, ha + 1, nil, nil},                 // another slot: empty
		{"put", a, ha + hitSeenSlots<<32, &one, nil}, // same seen slot as ha, other hash: noted
		{"get", a, ha, nil, nil},
	}
	for i, st := range steps {
		switch st.op {
		case "put":
			h.put(st.s, st.hs, st.hits)
		case "get":
			e := h.get(st.s, st.hs)
			switch {
			case st.want == nil && e != nil:
				t.Fatalf("step %d: get(%.8q..., %x) = %v, want a miss", i, st.s, st.hs, e.hits)
			case st.want != nil && (e == nil || e.hits != *st.want):
				t.Fatalf("step %d: get(%.8q..., %x) = %v, want %v", i, st.s, st.hs, e, *st.want)
			}
		}
	}
}

// stackTrace is a Spring-style trace of n frames.
func stackTrace(n int) string {
	return "org.springframework.web.client.ResourceAccessException: I/O error on POST request\n" +
		strings.Repeat("\tat com.example.invoice.order.client.TaxAdapterClient.register(TaxAdapterClient.java:71)\n", n)
}

// splitTexts are messages whose head split cuts at its first '\n', with
// literals on either side of the cut, across it, and past the head.
var splitTexts = []string{
	"Tax registration failed after 2 attempts\n" + stackTrace(20),
	"call failed: connection refused\n" + stackTrace(20),                   // rule literal ends at the cut
	"call failed\nconnection refused: tax-adapter:8090\n" + stackTrace(20), // begins right after it
	"call failed: connection\nrefused\n" + stackTrace(20),                  // split by it: no literal
	"x\n" + stackTrace(20) + "Caused by: java.net.ConnectException: Connection refused: db-1/10.0.3.7:3306\n",
	"x\n" + stackTrace(60) + "Caused by: java.net.ConnectException: Connection refused: db-1/10.0.3.7:3306\n" + stackTrace(60),
	"x\n" + stackTrace(60) + "\tat x(Connection refused.java:1)\n" + stackTrace(60), // past the head, not a Caused by
	"connection refused\n" + stackTrace(60) + "java.net.UnknownHostException: tax-adapter\n",
	// a not literal in the rest, the rule's literal in the first line
	"IP address '10.0.7.31' could not be resolved: Name or service not known\n" + strings.Repeat("detail line of the warning\n", 20),
	"could not be resolved: Name or service not known\n" + "ip address '10.0.7.31'\n" + strings.Repeat("detail line of the warning\n", 20),
	// a signal literal only in the rest (info level: the signal gate)
	"container event\nContainer invoice in pod invoice-7d9c5 was terminated: reason=OOMKilled exitCode=137\n" + stackTrace(10),
	"Traceback (most recent call last):\n" + strings.Repeat("  File \"/app/invoice.py\", line 42, in save\n    db.commit()\n", 100) +
		"pymysql.err.OperationalError: (1205, 'Lock wait timeout exceeded; try restarting transaction')\n",
	"short\n" + strings.Repeat("y", hitCacheMin) + strings.Repeat("z", splitMin), // one long line after a short one
	strings.Repeat("no newline at all, just a long line ", 20),
	strings.Repeat("w", splitMin) + "\n" + strings.Repeat("v", hitCacheMin), // rest too short to split
}

// windowHits is what classify leaves in w.hits for text: with the cache
// (split) when c has one, else the gate and a scan of the whole window.
func windowHits(c *Classifier, text string, failure bool) bitset {
	var w window
	w.cut(text)
	gate, gateLits := &c.all.gate, &c.ruleLits
	if !failure {
		gate, gateLits = &c.signal, &c.signalLits
	}
	if len(w.segs[0]) > splitMin && c.cache != nil {
		c.split(&w, gate, gateLits)
	} else if w.pass(gate) {
		c.scan(&w, &c.all)
	}
	return w.hits
}

// TestSplitHits: split finds every literal of the window, as a scan of its
// segments does, or none when there is no gate literal among them; again
// and again, as the rest goes into the cache and comes out of it.
func TestSplitHits(t *testing.T) {
	c := NewClassifier() // a cache of its own
	for _, text := range splitTexts {
		var w window
		w.cut(text)
		var all bitset
		c.scan(&w, &c.all)
		all = w.hits
		for _, failure := range []bool{true, false} {
			gateLits := &c.ruleLits
			if !failure {
				gateLits = &c.signalLits
			}
			for round := 0; round < 4; round++ {
				got := windowHits(c, text, failure)
				if got != all && (got != bitset{} || all.intersects(gateLits)) {
					t.Fatalf("%.60q (failure %v, round %d): hits %v, want %v", text, failure, round, got, all)
				}
			}
		}
	}
	// a rest split twice is in the cache
	c = NewClassifier()
	text := splitTexts[0]
	rest := text[strings.IndexByte(text, '\n')+1:]
	windowHits(c, text, true)
	windowHits(c, text, true)
	if c.cache.get(rest, c.cache.hash(rest)) == nil {
		t.Errorf("a rest split twice is not in the cache")
	}
}

// uncachedClassifier is a Classifier without a cache: classify as before
// split.
var uncachedClassifier = sync.OnceValue(func() *Classifier {
	c := NewClassifier()
	c.cache = nil
	return c
})

// checkCachedClassify fails t when the cached classifier c differs from
// the uncached one in kind, rule or facts for an event of msg, classified
// three times (a repeated rest is cached on its second sighting). It
// reports with Errorf, and may run on goroutines of its own.
func checkCachedClassify(t *testing.T, c *Classifier, format string, level event.Level, msg string) {
	t.Helper()
	ref := uncachedClassifier()
	want := &event.Event{Format: format, Level: level, Message: msg}
	wk, wr := ref.classify(want)
	for round := 0; round < 3; round++ {
		got := &event.Event{Format: format, Level: level, Message: msg}
		gk, gr := c.classify(got)
		if gk != wk || gr != wr {
			t.Errorf("%.80q (%s, round %d): kind %q rule %d, uncached %q rule %d", msg, level, round, gk, gr, wk, wr)
			return
		}
		if len(got.Fields) != len(want.Fields) {
			t.Errorf("%.80q (%s, round %d): facts %v, uncached %v", msg, level, round, got.Fields, want.Fields)
			return
		}
		for i := range got.Fields {
			if got.Fields[i] != want.Fields[i] {
				t.Errorf("%.80q (%s, round %d): facts %v, uncached %v", msg, level, round, got.Fields, want.Fields)
				return
			}
		}
	}
}

var cacheLevels = []event.Level{lvNone, lvInfo, lvWarn, lvError}

// TestCachedClassify: the cache changes no kind, rule or fact, on the
// split texts and every case of the classifier's table.
func TestCachedClassify(t *testing.T) {
	c := NewClassifier()
	for _, text := range splitTexts {
		for _, lv := range cacheLevels {
			checkCachedClassify(t, c, "", lv, text)
		}
	}
	for _, tc := range classifyCases {
		checkCachedClassify(t, c, tc.format, tc.level, tc.msg+"\n"+stackTrace(10))
	}
}

// springTraces are the first events with a stack trace of the test bundle's
// Spring Boot log, as the decoder leaves their messages (the text after the
// header, with the continuation lines).
func springTraces(tb testing.TB) []string {
	f, err := os.Open(filepath.Join("..", "..", "testdata", "bundles", "invoice-outage", "order-service", "application.log"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	var cur []string
	sc := bufio.NewScanner(f)
	for sc.Scan() && len(out) < 3 {
		line := sc.Text()
		if strings.HasPrefix(line, "20") { // a new event
			if len(cur) > 1 {
				out = append(out, strings.Join(cur, "\n"))
			}
			cur = cur[:0]
			if _, msg, ok := strings.Cut(line, " : "); ok {
				cur = append(cur, msg)
			}
			continue
		}
		if len(cur) > 0 {
			cur = append(cur, line)
		}
	}
	if len(out) == 0 {
		tb.Fatal("no stack trace in the Spring Boot log")
	}
	return out
}

// FuzzCachedClassify holds the cached classifier to the uncached one on
// multi-line messages: a first line, a rest, and pad frames that push
// the rest past the head (where Caused by and last lines are read).
func FuzzCachedClassify(f *testing.F) {
	for _, s := range springTraces(f) {
		first, rest, _ := strings.Cut(s, "\n")
		f.Add("spring-boot", "error", first, rest, uint8(0))
		f.Add("spring-boot", "info", first, rest, uint8(60))
	}
	for _, s := range splitTexts {
		first, rest, _ := strings.Cut(s, "\n")
		f.Add("", "warn", first, rest, uint8(0))
		f.Add("", "error", first, rest, uint8(150))
	}
	f.Add("python", "error", "Traceback (most recent call last):",
		"  File \"/app/report.py\", line 88, in build\n    rows = list(cursor)\nMemoryError", uint8(10))
	f.Add("mysql-error", "warn", "IP address '10.0.7.31' could not be resolved", "Name or service not known", uint8(3))
	c := NewClassifier()
	f.Fuzz(func(t *testing.T, format, level, first, rest string, pad uint8) {
		msg := first + "\n" + rest + "\n" + strings.Repeat("\tat x.Y.z(Y.java:1)\n", int(pad)) + rest
		checkCachedClassify(t, c, format, event.Level(level), msg)
	})
}

// TestCachedClassifyConcurrent: goroutines sharing a classifier, and so its
// cache, while rests go in and out of it, get what the uncached one gives
// (run with -race, it also checks the cache's publication).
func TestCachedClassifyConcurrent(t *testing.T) {
	c := NewClassifier()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				for j, text := range splitTexts {
					checkCachedClassify(t, c, "", cacheLevels[(g+i+j)%len(cacheLevels)], text)
				}
			}
		}()
	}
	wg.Wait()
}
