package index

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/rca-dev/rca/pkg/event"
)

// TestRangeValueIsParseFloat checks rangeValue's integer path against
// strconv.ParseFloat, and that everything else is left to it.
func TestRangeValueIsParseFloat(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"0", true}, {"200", true}, {"0503", true}, {"999999999999999", true},
		{"9999999999999999", true}, {"12345678901234567890", true}, {"1.5", true},
		{"0.123", true}, {"-1", true}, {"+7", true}, {"1e3", true}, {"NaN", true},
		{"inf", true}, {"0x1p-2", true}, {"", false}, {"-", false}, {"1_000", true},
		{"12a", false}, {"a12", false}, {" 1", false}, {"1 ", false}, {"١٢", false},
	}
	for _, tt := range tests {
		got, ok := rangeValue(tt.in)
		want, err := strconv.ParseFloat(tt.in, 64)
		if ok != tt.ok || ok != (err == nil) {
			t.Errorf("rangeValue(%q): ok %v, want %v (ParseFloat: %v)", tt.in, ok, tt.ok, err)
			continue
		}
		if ok && math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("rangeValue(%q) = %v, ParseFloat %v", tt.in, got, want)
		}
	}
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 100000; i++ {
		b := make([]byte, 1+r.IntN(17))
		for j := range b {
			b[j] = "0123456789"[r.IntN(10)]
		}
		s := string(b)
		got, ok := rangeValue(s)
		want, err := strconv.ParseFloat(s, 64)
		if !ok || err != nil || got != want {
			t.Fatalf("rangeValue(%q) = %v, %v; ParseFloat %v, %v", s, got, ok, want, err)
		}
	}
}

// TestSameString checks sameString against ==: strings that share their bytes
// and strings that only hold equal bytes.
func TestSameString(t *testing.T) {
	status := "status"
	copied := string([]byte("status"))
	tests := []struct {
		a, b string
		want bool
	}{
		{status, status, true},
		{status, copied, true},
		{status, status[:5], false},
		{status, "statue", false},
		{"", "", true},
		{"", status[:0], true},
		{status[1:], "tatus", true},
	}
	for _, tt := range tests {
		if got := sameString(tt.a, tt.b); got != tt.want || got != (tt.a == tt.b) {
			t.Errorf("sameString(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestAddMakesDigest checks the digest add makes when it is not given
// one against digest, over the demo events in blocks (fields new to a
// block and fields seen before), and that the block sums the same
// digests either way.
func TestAddMakesDigest(t *testing.T) {
	evs := demoEvents(t)
	var made, given blockBuilder
	w := &fileWork{}
	for i, ev := range evs {
		if i%BlockSize == 0 {
			made, given = blockBuilder{}, blockBuilder{}
		}
		want := digest(ev)
		if got := w.add(&made, ev, 0, false); got != want {
			t.Fatalf("event %d (%s:%d): add made digest %x, want %x", i, ev.File, ev.Line, got, want)
		}
		if got := w.add(&given, ev, want, true); got != want {
			t.Fatalf("event %d: add returned %x for a given digest %x", i, got, want)
		}
		if made.b.Digest != given.b.Digest {
			t.Fatalf("event %d: block digests %x and %x", i, made.b.Digest, given.b.Digest)
		}
	}
}

// TestWorkOf checks workOf against the map it stands in for: the same work
// for an input's File whichever string holds its bytes, none for a path
// that is not an input, from several goroutines at once (go test -race),
// and the right part of a split input for each offset.
func TestWorkOf(t *testing.T) {
	paths := []string{"a.log", "b.log", "gateway/access.log", ""}
	u := &Update{work: map[string]*fileWork{}}
	for _, p := range paths[:3] {
		u.work[p] = &fileWork{path: p}
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				p := paths[(g+i)%len(paths)]
				if i%3 == 0 {
					p = string([]byte(p)) // equal bytes elsewhere
				}
				if got, want := u.workOf(p), u.work[p]; got != want {
					t.Errorf("workOf(%q) = %v, want %v", p, got, want)
					return
				}
				if u.workOf("c.log") != nil {
					t.Errorf("workOf(c.log) found a work")
					return
				}
			}
		}()
	}
	wg.Wait()

	w := u.work["a.log"]
	w.action = Full
	w.st = &FileState{}
	starts := []int64{0, 100, 250, 900}
	if !u.Split("a.log", starts) {
		t.Fatal("Split refused")
	}
	for _, tt := range []struct {
		off  int64
		part int
	}{{0, 0}, {99, 0}, {100, 1}, {249, 1}, {250, 2}, {899, 2}, {900, 3}, {1 << 40, 3}, {-1, 0}} {
		if got := w.part(tt.off); got != w.parts[tt.part] {
			t.Errorf("part(%d) is not part %d", tt.off, tt.part)
		}
	}
}

// TestAddAliasedStrings: add must not keep an event's strings, which may
// alias the line being read (parse.Options.Observe sees skimmed records
// so). Every event is written into one buffer, rewritten for the next,
// and its strings made from that buffer's bytes; the blocks must be the
// ones the events' own strings make. The events include key=value fields
// whose keys change at the same position, and sources that change, from
// line to line, whose bytes then lie where the last line's did.
func TestAddAliasedStrings(t *testing.T) {
	evs := demoEvents(t)
	for i := 0; i < 3000; i++ {
		ev := &event.Event{File: "kv.log", Line: int64(i + 1), Offset: int64(i * 40), Lines: 1,
			Time: time.Date(2023, 8, 15, 6, 0, i%60, 0, time.UTC), Level: event.LevelInfo, Format: "logfmt",
			Source: []string{"alpha", "bravo"}[i%2], Message: "tick " + strconv.Itoa(i%7)}
		ev.Fields = []event.Field{{Key: []string{"user", "host", "path"}[i%3], Value: strconv.Itoa(i % 5)},
			{Key: "status", Value: []string{"200", "503"}[i/100%2]}, {Key: "latency_ms", Value: strconv.Itoa(i % 300)}}
		evs = append(evs, ev)
	}
	buf := make([]byte, 1<<20)
	alias := func(ev *event.Event) *event.Event {
		n := 0
		put := func(s string) string {
			if n+len(s) > len(buf) {
				t.Fatalf("event %s:%d too large for the test's buffer", ev.File, ev.Line)
			}
			copy(buf[n:], s)
			p := unsafe.String(&buf[n], len(s))
			n += len(s)
			return p
		}
		a := *ev
		a.Source, a.Format, a.Kind, a.Message = put(ev.Source), put(ev.Format), put(ev.Kind), put(ev.Message)
		a.Level = event.Level(put(string(ev.Level)))
		a.Fields = make([]event.Field, len(ev.Fields))
		for i, f := range ev.Fields {
			a.Fields[i] = event.Field{Key: put(f.Key), Value: put(f.Value)}
		}
		a.Raw = unsafe.String(&buf[0], max(n, 1))
		return &a
	}
	var own, aliased blockBuilder
	w := &fileWork{}
	for i, ev := range evs {
		if i%BlockSize == 0 {
			if i > 0 {
				sameBlock(t, i, &aliased, &own)
			}
			own, aliased = blockBuilder{}, blockBuilder{}
		}
		d := w.add(&own, ev, 0, false)
		if got := w.add(&aliased, alias(ev), 0, false); got != d {
			t.Fatalf("event %d (%s:%d): digest %x, with aliased strings %x", i, ev.File, ev.Line, got, d)
		}
		for j := range buf[:min(len(buf), 4096)] {
			buf[j] = 'x' // the line is gone
		}
	}
	sameBlock(t, len(evs), &aliased, &own)
}

// sameBlock fails t unless got's block and sketch are want's.
func sameBlock(t *testing.T, at int, got, want *blockBuilder) {
	t.Helper()
	if got.b != want.b {
		t.Fatalf("before event %d: block %+v, want %+v", at, got.b, want.b)
	}
	g, w := got.sk.appendFolded(nil), want.sk.appendFolded(nil)
	if !bytes.Equal(g, w) {
		t.Fatalf("before event %d: the sketches differ", at)
	}
}

// TestSplitObserveRace: the parts of a split input are observed from
// goroutines of their own while others write the input's data file; go
// test -race finds no race (Observe read the input's error unlocked), and
// the input's blocks are all there.
func TestSplitObserveRace(t *testing.T) {
	x, err := Open(t.TempDir(), Options{Paths: []string{"/nowhere"}, Config: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	u, err := x.Begin([]Input{{Path: "a.log", Size: 1 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	if !u.Split("a.log", []int64{0, 1 << 19}) {
		t.Fatal("Split refused")
	}
	var wg sync.WaitGroup
	for k := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3 * BlockSize {
				u.Observe(&event.Event{File: "a.log", Line: int64(k*100000 + i + 1), Offset: int64(k<<19 + i*10), Lines: 1,
					Time: time.Unix(int64(i), 0), Level: event.LevelInfo, Message: "m " + strconv.Itoa(i)})
			}
		}()
	}
	wg.Wait()
	s, err := u.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if s.Events != int64(6*BlockSize) || s.Blocks != 6 {
		t.Fatalf("%d events in %d blocks, want %d in 6", s.Events, s.Blocks, 6*BlockSize)
	}
}
