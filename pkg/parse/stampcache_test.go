package parse

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"
)

// TestStampCache reads sequences of stamps through one cache: each must
// read as written (want), as a reading without the cache does, and the
// cache must have been used where the head repeats (hit).
func TestStampCache(t *testing.T) {
	ny, err := LoadZone("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := LoadZone("Asia/Shanghai")
	ams, err := LoadZone("Europe/Amsterdam") // +1:19:32 to +1:20 at 1937-06-30T22:40:28Z
	if err != nil {
		t.Fatal(err)
	}
	type step struct {
		clf   bool // parseCLF's layout, else parseISO's
		in    string
		loc   *time.Location
		want  string // RFC 3339 UTC; "" when the stamp is rejected
		hit   bool
		n     int
		prec  int
		zoned bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"second boundary", []step{
			{false, "2023-08-15 14:22:17,998 INFO", sh, "2023-08-15T06:22:17.998Z", false, 23, 3, false},
			{false, "2023-08-15 14:22:17,999 INFO", sh, "2023-08-15T06:22:17.999Z", true, 23, 3, false},
			{false, "2023-08-15 14:22:18,000 INFO", sh, "2023-08-15T06:22:18Z", true, 23, 3, false},
			{false, "2023-08-15 14:22:18 INFO", sh, "2023-08-15T06:22:18Z", true, 19, 0, false},
			{false, "2023-08-15 14:22:18.5 INFO", sh, "2023-08-15T06:22:18.5Z", true, 21, 1, false},
			{false, "2023-08-15 14:22:18.1234567891 x", sh, "2023-08-15T06:22:18.123456789Z", true, 30, 9, false},
		}},
		{"minute boundary, seconds the full reading rejects", []step{
			{false, "2023-08-15 14:22:59.9 x", sh, "2023-08-15T06:22:59.9Z", false, 21, 1, false},
			{false, "2023-08-15 14:22:07 x", sh, "2023-08-15T06:22:07Z", true, 19, 0, false},
			{false, "2023-08-15 14:22:60 x", sh, "2023-08-15T06:22:59Z", true, 19, 0, false},
			{false, "2023-08-15 14:22:61 x", sh, "", true, 0, 0, false},
			{false, "2023-08-15 14:22:70 x", sh, "", true, 0, 0, false},
			{false, "2023-08-15 14:22:5x x", sh, "", true, 0, 0, false},
			{false, "2023-08-15 14:22:00 x", sh, "2023-08-15T06:22:00Z", true, 19, 0, false},
			{false, "2023-08-15 14:23:00 x", sh, "2023-08-15T06:23:00Z", false, 19, 0, false},
			{true, "15/Aug/2023:14:23:00 +0800]", sh, "2023-08-15T06:23:00Z", false, 26, 0, true},
			{true, "15/Aug/2023:14:23:41 +0800]", sh, "2023-08-15T06:23:41Z", true, 26, 0, true},
			{true, "15/Aug/2023:14:23:41 +0100]", sh, "2023-08-15T13:23:41Z", true, 26, 0, true},
			{true, "15/Aug/2023:14:23:42]", sh, "2023-08-15T06:23:42Z", true, 20, 0, false},
		}},
		{"offset changes within a second", []step{
			{true, "15/Aug/2023:14:22:17 +0800] \"GET", time.UTC, "2023-08-15T06:22:17Z", false, 26, 0, true},
			{true, "15/Aug/2023:14:22:17 +0800] \"GET", time.UTC, "2023-08-15T06:22:17Z", true, 26, 0, true},
			{true, "15/Aug/2023:14:22:17 +0000] \"GET", time.UTC, "2023-08-15T14:22:17Z", true, 26, 0, true},
			{true, "15/Aug/2023:14:22:17 -0130] \"GET", time.UTC, "2023-08-15T15:52:17Z", true, 26, 0, true},
			{true, "15/Aug/2023:14:22:17] \"GET", sh, "2023-08-15T06:22:17Z", false, 20, 0, false},
			{true, "15/Aug/2023:14:22:17.250] \"GET", sh, "2023-08-15T06:22:17.25Z", true, 24, 3, false},
			{true, "15/Aug/2023:14:22:17.250] \"GET", time.UTC, "2023-08-15T14:22:17.25Z", false, 24, 3, false},
			{false, "2023-08-15T14:22:17Z x", time.UTC, "2023-08-15T14:22:17Z", false, 20, 0, true},
			{false, "2023-08-15T14:22:17+02:00 x", time.UTC, "2023-08-15T12:22:17Z", true, 25, 0, true},
			{false, "2023-08-15T14:22:17.1 x", time.UTC, "2023-08-15T14:22:17.1Z", true, 21, 1, false},
		}},
		{"DST ends: the repeated hour", []step{
			{false, "2023-11-05 01:30:00.100 a", ny, "2023-11-05T05:30:00.1Z", false, 23, 3, false},
			{false, "2023-11-05 01:30:00.200 a", ny, "2023-11-05T05:30:00.2Z", true, 23, 3, false},
			{false, "2023-11-05 01:30:00.300-05:00 a", ny, "2023-11-05T06:30:00.3Z", true, 29, 3, true},
			{false, "2023-11-05 01:30:00.400-04:00 a", ny, "2023-11-05T05:30:00.4Z", true, 29, 3, true},
			{false, "2023-11-05 01:30:00.500 a", ny, "2023-11-05T05:30:00.5Z", true, 23, 3, false},
		}},
		{"DST starts: the skipped hour (Go reads 02:30 at the offset before)", []step{
			{false, "2023-03-12 01:59:59.900 a", ny, "2023-03-12T06:59:59.9Z", false, 23, 3, false},
			{false, "2023-03-12 02:30:00.000 a", ny, "2023-03-12T06:30:00Z", false, 23, 3, false},
			{false, "2023-03-12 02:30:00.500 a", ny, "2023-03-12T06:30:00.5Z", true, 23, 3, false},
			{false, "2023-03-12 03:00:00.000 a", ny, "2023-03-12T07:00:00Z", false, 23, 3, false},
		}},
		{"a minute the zone changes its offset in keeps only its second", []step{
			{false, "1937-07-01 00:00:10 a", ams, "1937-06-30T22:40:38Z", false, 19, 0, false},
			{false, "1937-07-01 00:00:20 a", ams, "1937-06-30T22:40:48Z", false, 19, 0, false},
			{false, "1937-07-01 00:00:20.5 a", ams, "1937-06-30T22:40:48.5Z", true, 21, 1, false},
			{false, "1937-07-01 00:00:40 a", ams, "1937-06-30T22:40:40Z", false, 19, 0, false},
		}},
		{"rejected dates are not kept", []step{
			{false, "2023-02-30 10:00:00 x", time.UTC, "", false, 0, 0, false},
			{false, "2023-02-30 10:00:00 x", time.UTC, "", false, 0, 0, false},
			{false, "2023-02-28 10:00:00 x", time.UTC, "2023-02-28T10:00:00Z", false, 19, 0, false},
			{false, "2023-02-28 10:00:00", time.UTC, "2023-02-28T10:00:00Z", false, 19, 0, false},
			{true, "28/Feb/2023:10:00:00", time.UTC, "2023-02-28T10:00:00Z", false, 20, 0, false},
		}},
	}
	for _, tt := range tests {
		var c stampCache
		for i, s := range tt.steps {
			b := []byte(s.in)
			read, plain := c.iso, parseISO
			if s.clf {
				read, plain = c.clf, parseCLF
			}
			hit := c.hit(b, s.loc, map[bool]byte{true: stampCLF, false: stampISO}[s.clf])
			st, ok := read(b, s.loc)
			ref, refOK := plain(b, s.loc)
			if ok != refOK || st != ref {
				t.Errorf("%s #%d: cached read of %q = %v %v, uncached %v %v", tt.name, i, s.in, st, ok, ref, refOK)
			}
			if hit != s.hit {
				t.Errorf("%s #%d: %q hit the cache: %v, want %v", tt.name, i, s.in, hit, s.hit)
			}
			if s.want == "" {
				if ok {
					t.Errorf("%s #%d: read(%q) = %v, want failure", tt.name, i, s.in, st.t)
				}
				continue
			}
			if !ok {
				t.Errorf("%s #%d: read(%q) failed", tt.name, i, s.in)
				continue
			}
			if got := st.t.Format(time.RFC3339Nano); got != s.want || st.n != s.n || st.prec != s.prec || st.zoned != s.zoned {
				t.Errorf("%s #%d: read(%q) = %s n=%d prec=%d zoned=%v, want %s n=%d prec=%d zoned=%v",
					tt.name, i, s.in, got, st.n, st.prec, st.zoned, s.want, s.n, s.prec, s.zoned)
			}
		}
	}
}

// TestStampCacheTransitions reads every second of the minutes around each
// offset change of some zones through one cache, with and without a
// fraction: each reads as without the cache, whether the zone changes on a
// minute (DST) or within one (local mean time), forward or back.
func TestStampCacheTransitions(t *testing.T) {
	n := 0
	for _, name := range []string{"America/New_York", "Europe/Amsterdam", "Africa/Monrovia", "Pacific/Apia",
		"Australia/Lord_Howe", "Europe/Dublin", "Asia/Kolkata", "America/St_Johns"} {
		loc, err := LoadZone(name)
		if err != nil {
			t.Fatal(err)
		}
		var c stampCache
		from := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
		for tr := from; tr.Year() < 2040; {
			_, end := tr.In(loc).ZoneBounds()
			if end.IsZero() {
				break
			}
			tr = end
			before, after := tr.Add(-time.Second).In(loc), tr.In(loc)
			for _, at := range []time.Time{before, after} {
				wall := time.Date(at.Year(), at.Month(), at.Day(), at.Hour(), at.Minute(), 0, 0, time.UTC)
				for s := -60; s < 120; s++ {
					w := wall.Add(time.Duration(s) * time.Second)
					for _, in := range []string{w.Format("2006-01-02 15:04:05") + " x", w.Format("2006-01-02 15:04:05") + ".25 x"} {
						got, want := fmtStamp(c.iso([]byte(in), loc)), fmtStamp(parseISO([]byte(in), loc))
						if got != want {
							t.Fatalf("%s: cached read of %q = %s, want %s", name, in, got, want)
						}
						n++
					}
				}
			}
		}
	}
	if n < 100000 {
		t.Errorf("only %d stamps read", n)
	}
}

// FuzzStampCache: a stamp read through a cache that holds another stamp's
// head reads as it does without the cache.
func FuzzStampCache(f *testing.F) {
	f.Add("2023-08-15 14:22:17,123 x", "2023-08-15 14:22:17,456+02:00 x")
	f.Add("15/Aug/2023:14:22:17 +0800]", "15/Aug/2023:14:22:17.5 -0000]")
	f.Add("2023-11-05 01:30:00.1 a", "2023-11-05 01:30:00.2Z a")
	ny, err := LoadZone("America/New_York")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("1937-07-01 00:00:10 a", "1937-07-01 00:00:40.5 a")
	f.Add("2011-12-29 23:59:10 a", "2011-12-29 23:59:50 a")
	ams, err := LoadZone("Europe/Amsterdam")
	if err != nil {
		f.Fatal(err)
	}
	apia, err := LoadZone("Pacific/Apia")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, loc := range []*time.Location{time.UTC, ny, ams, apia} {
			var c stampCache
			c.iso([]byte(a), loc)
			if got, want := fmtStamp(c.iso([]byte(b), loc)), fmtStamp(parseISO([]byte(b), loc)); got != want {
				t.Fatalf("iso %q after %q in %v: %s, want %s", b, a, loc, got, want)
			}
			c = stampCache{}
			c.clf([]byte(a), loc)
			if got, want := fmtStamp(c.clf([]byte(b), loc)), fmtStamp(parseCLF([]byte(b), loc)); got != want {
				t.Fatalf("clf %q after %q in %v: %s, want %s", b, a, loc, got, want)
			}
		}
	})
}

func fmtStamp(st stamp, ok bool) string {
	if !ok {
		return "rejected"
	}
	return fmt.Sprintf("%s n=%d prec=%d zoned=%v", st.t.Format(time.RFC3339Nano), st.n, st.prec, st.zoned)
}

// TestStampCacheLineEnd: the bytes after the fraction are compared as a
// word of 8, or as the exact rest of a shorter line.
func TestStampCacheLineEnd(t *testing.T) {
	var c stampCache
	for _, in := range []string{
		"2023-08-15T14:22:17.1+02:00", "2023-08-15T14:22:17.2+02:00", "2023-08-15T14:22:17.3+02",
		"2023-08-15T14:22:17.4+0230", "2023-08-15T14:22:17.5Z", "2023-08-15T14:22:17.6Zulu",
		"2023-08-15T14:22:17.7 +0100", "2023-08-15T14:22:17.8 +01", "2023-08-15T14:22:17.9 +0100x",
		"2023-08-15T14:22:17.1+02:00", "2023-08-15T14:22:17.1+02:001",
	} {
		got, want := fmtStamp(c.iso([]byte(in), time.UTC)), fmtStamp(parseISO([]byte(in), time.UTC))
		if got != want {
			t.Errorf("cached read of %q = %s, want %s", in, got, want)
		}
	}
}

// tzData is a TZif file for a zone with offset a (seconds east of UTC)
// until the instant at (Unix seconds) and offset b after it.
func tzData(a, b int32, at int64) []byte {
	buf := append([]byte("TZif"), make([]byte, 16)...)
	be := func(v uint32) { buf = binary.BigEndian.AppendUint32(buf, v) }
	for _, n := range []uint32{0, 0, 0, 1, 2, 8} { // isut, isstd, leap, transitions, types, chars
		be(n)
	}
	be(uint32(int32(at)))
	buf = append(buf, 1) // the type after the transition
	be(uint32(a))
	buf = append(buf, 0, 0) // not DST, name at 0
	be(uint32(b))
	buf = append(buf, 0, 4)
	return append(buf, "AAA\x00BBB\x00"...)
}

// TestStampCacheThreeOffsetMinute: a zone that goes from an offset of less
// than a minute west of UTC to one east of it reads one minute with the
// first offset, the second and the first again (time.Date's two lookups);
// no zone of the tz database does, but a custom one may, and the cache
// must not then read the minute with the offset of its ends.
func TestStampCacheThreeOffsetMinute(t *testing.T) {
	at := time.Date(2020, 1, 1, 12, 0, 40, 0, time.UTC).Unix()
	for _, z := range []struct{ a, b int32 }{{-30, 3600}, {-59, 60}, {-1, 1}, {30, -3600}, {-3600, 3600}} {
		loc, err := time.LoadLocationFromTZData("Synthetic", tzData(z.a, z.b, at))
		if err != nil {
			t.Fatal(err)
		}
		for _, fill := range []int{0, 1, 17, 30, 59} {
			for s := 0; s < 60; s++ {
				var c stampCache
				c.iso([]byte(fmt.Sprintf("2020-01-01 12:00:%02d x", fill)), loc)
				in := []byte(fmt.Sprintf("2020-01-01 12:00:%02d x", s))
				if got, want := fmtStamp(c.iso(in, loc)), fmtStamp(parseISO(in, loc)); got != want {
					t.Errorf("offsets %d/%d, cache filled at :%02d: %s read %s, want %s", z.a, z.b, fill, in, got, want)
				}
			}
		}
	}
}
