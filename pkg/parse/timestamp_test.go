package parse

import (
	"testing"
	"time"
)

func TestTimestampReaders(t *testing.T) {
	sh, _ := LoadZone("Asia/Shanghai")
	tests := []struct {
		name  string
		parse func([]byte, *time.Location) (stamp, bool)
		in    string
		loc   *time.Location
		want  string
		n     int
		prec  int
		zoned bool
	}{
		{"iso space comma", parseISO, "2023-08-15 14:22:17,123 INFO", sh, "2023-08-15T06:22:17.123Z", 23, 3, false},
		{"iso T Z micro", parseISO, "2023-08-15T06:22:17.123456Z x", time.UTC, "2023-08-15T06:22:17.123456Z", 27, 6, true},
		{"iso offset colon", parseISO, "2023-08-15T14:22:17.123+08:00", time.UTC, "2023-08-15T06:22:17.123Z", 29, 3, true},
		{"iso offset compact", parseISO, "2023-08-15T14:22:17+0800]", time.UTC, "2023-08-15T06:22:17Z", 24, 0, true},
		{"iso nanos", parseISO, "2023-08-15T06:22:17.123456789Z", time.UTC, "2023-08-15T06:22:17.123456789Z", 30, 9, true},
		{"slash date", parseISO, "2023/08/15 14:22:17 [error]", sh, "2023-08-15T06:22:17Z", 19, 0, false},
		{"mariadb one-digit hour", parseISO, "2019-10-08  9:06:57 0 [Note]", time.UTC, "2019-10-08T09:06:57Z", 19, 0, false},
		{"python dash not zone", parseISO, "2023-08-15 14:22:17,123 - tax - ERROR", time.UTC, "2023-08-15T14:22:17.123Z", 23, 3, false},
		{"clf", parseCLF, "15/Aug/2023:14:22:17 +0800] \"GET", time.UTC, "2023-08-15T06:22:17Z", 26, 0, true},
		{"mysql short", parseShortDate, "150105  9:08:40 [Note]", time.UTC, "2015-01-05T09:08:40Z", 15, 0, false},
		{"binlog", parseShortDate, "230815 14:22:17 server id 1", sh, "2023-08-15T06:22:17Z", 15, 0, false},
	}
	for _, tt := range tests {
		st, ok := tt.parse([]byte(tt.in), tt.loc)
		if !ok {
			t.Errorf("%s: parse(%q) failed", tt.name, tt.in)
			continue
		}
		if got := st.t.Format(time.RFC3339Nano); got != tt.want || st.n != tt.n || st.prec != tt.prec || st.zoned != tt.zoned {
			t.Errorf("%s: parse(%q) = %s n=%d prec=%d zoned=%v, want %s n=%d prec=%d zoned=%v",
				tt.name, tt.in, got, st.n, st.prec, st.zoned, tt.want, tt.n, tt.prec, tt.zoned)
		}
	}
	for _, bad := range []string{"2023-02-30 10:00:00", "2023-13-01 10:00:00", "2023-08-15 25:00:00", "20230815", "2023-08-15"} {
		if st, ok := parseISO([]byte(bad), time.UTC); ok {
			t.Errorf("parseISO(%q) = %v, want failure", bad, st.t)
		}
	}
}

func TestSyslogYearInference(t *testing.T) {
	// lnav's logfile_syslog.1 expectation: file time 2007-11-03, lines from
	// December then January take 2006 then 2007.
	y := yearInfer{ref: time.Date(2007, 11, 3, 9, 23, 0, 0, time.UTC)}
	for _, c := range []struct{ in, want string }{
		{"Dec  3 09:23:38 host x", "2006-12-03T09:23:38Z"},
		{"Jan  3 09:47:02 host x", "2007-01-03T09:47:02Z"},
		{"Jan 13 09:47:02.5 host x", "2007-01-13T09:47:02.5Z"},
	} {
		st, ok := parseSyslogStamp([]byte(c.in), time.UTC, &y)
		if !ok || st.t.Format(time.RFC3339Nano) != c.want {
			t.Errorf("parseSyslogStamp(%q) = %v %v, want %s", c.in, st.t, ok, c.want)
		}
	}
}

func TestEpochMagnitude(t *testing.T) {
	want := time.Date(2023, 8, 15, 6, 22, 17, 0, time.UTC)
	for _, c := range []struct {
		v    int64
		frac string
		prec int
	}{{1692080537, "", 0}, {1692080537000, "", 3}, {1692080537000000, "", 6}, {1692080537000000000, "", 9}, {1692080537, "000", 3}} {
		got, prec, ok := epochTime(c.v, []byte(c.frac))
		if !ok || !got.Equal(want) || prec != c.prec {
			t.Errorf("epochTime(%d, %q) = %v prec %d ok %v, want %v prec %d", c.v, c.frac, got, prec, ok, want, c.prec)
		}
	}
}

func FuzzTimestampReaders(f *testing.F) {
	for _, s := range []string{"2023-08-15 14:22:17,123", "15/Aug/2023:14:22:17 +0800", "230815 14:22:17", "Aug 15 14:22:17", "2023-08-15T14:22:17.1+08:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		y := yearInfer{ref: testModTime}
		for _, st := range []func() (stamp, bool){
			func() (stamp, bool) { return parseISO(b, time.UTC) },
			func() (stamp, bool) { return parseCLF(b, time.UTC) },
			func() (stamp, bool) { return parseShortDate(b, time.UTC) },
			func() (stamp, bool) { return parseSyslogStamp(b, time.UTC, &y) },
		} {
			if r, ok := st(); ok && (r.n > len(b) || r.t.Location() != time.UTC) {
				t.Fatalf("%q: n=%d of %d, loc %v", s, r.n, len(b), r.t.Location())
			}
		}
	})
}
