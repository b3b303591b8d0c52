package parse

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// mysqlCollapse collapses runs of whitespace like the slow-log message.
func mysqlCollapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestMySQLSlowBeats checks every expected event of the beats mysql/slowlog
// files: count, first line, @timestamp, duration, query, user, host,
// client, thread, schema and the row/lock counters; and detection.
//
// Filebeat's @timestamp is the entry's "SET timestamp=" (when the query
// started). rca keeps a zoned "# Time:" (5.7+, when the entry was
// written, microseconds): there the check is that it lies within
// query_time + 1s after @timestamp. Zone-less stamps resolve to the
// epoch, which must equal @timestamp.
func TestMySQLSlowBeats(t *testing.T) {
	total := 0
	for _, name := range mysqlBeatsFiles(t, "slowlog") {
		t.Run(name, func(t *testing.T) {
			text := mysqlReadCorpus(t, "beats", "mysql", "slowlog", name)
			exp := mysqlExpected(t, mysqlCorpusPath(t, "beats", "mysql", "slowlog", name+"-expected.json"))
			evs, st := decodeText(t, MySQLSlowID, "-02:00", text)
			evs = mysqlEvents(evs)
			if name == "mysql-debian-5.7.19.log" {
				// The file was cut after the "# Time:" line of a next entry, which
				// Filebeat drops (exclude_lines); rca keeps it as an entry with no query.
				last := evs[len(evs)-1]
				if last.Lines != 1 || !strings.HasPrefix(last.Message, "# Time: ") ||
					!last.Time.Equal(mustTime(t, "2018-04-26T18:50:32.437295Z")) {
					t.Errorf("trailing stamp = %+v", last)
				}
				evs = evs[:len(evs)-1]
			}
			if len(evs) != len(exp) {
				t.Fatalf("got %d events, want %d (stats %+v)", len(evs), len(exp), st)
			}
			for i, x := range exp {
				e := &evs[i]
				where := fmt.Sprintf("event %d (line %d)", i, e.Line)
				// log.offset is the "# User@Host:" line; rca's entry starts at "# Time:" when there is one.
				off := int64(x["log.offset"].(float64))
				if e.Offset != off {
					first, _, _ := strings.Cut(e.Raw, "\n")
					if !strings.HasPrefix(first, "# Time: ") || e.Offset+int64(len(first))+1 != off {
						t.Errorf("%s: offset %d, want %d", where, e.Offset, off)
					}
				}
				qt := mysqlField(e, "query_time_s")
				// Filebeat's duration went through a float32 (153.883481 s -> 153883488000 ns).
				dur := x["event.duration"].(float64) / 1e9
				if !mysqlSameNumber(qt, dur, max(2e-6, dur*1e-7)) {
					t.Errorf("%s: query_time_s %q, want duration %v ns", where, qt, x["event.duration"])
				}
				want := mustTime(t, x["@timestamp"].(string))
				if e.Precision == 6 {
					d := e.Time.Sub(want)
					if d < 0 || d > time.Duration(x["event.duration"].(float64))+time.Second {
						t.Errorf("%s: time %v, @timestamp %v, duration %v", where, e.Time, want, x["event.duration"])
					}
				} else if !e.Time.Equal(want) || !e.Zoned {
					t.Errorf("%s: time %v (zoned %v), want %v", where, e.Time, e.Zoned, want)
				}
				// Filebeat's multi-line rule also swallowed a server header that follows
				// a query (a restart); rca keeps those lines out of the entry.
				var qlines []string
				for _, l := range strings.Split(x["mysql.slowlog.query"].(string), "\n") {
					if mysqlSlowServerHeader([]byte(l)) {
						break
					}
					qlines = append(qlines, l)
				}
				q := mysqlCollapse(strings.Join(qlines, "\n"))
				if len(q) > mysqlSlowMaxMessage {
					if !strings.HasPrefix(q, e.Message) || len(e.Message) < mysqlSlowMaxMessage-4 {
						t.Errorf("%s: capped message %q", where, e.Message)
					}
				} else if e.Message != q {
					t.Errorf("%s: message\n got %q\nwant %q", where, e.Message, q)
				}
				if e.Level != "" {
					t.Errorf("%s: level %q", where, e.Level)
				}
				check := func(key, beatsKey string, num bool) {
					v, ok := x[beatsKey]
					got := mysqlField(e, key)
					switch {
					case !ok:
						if got != "" && beatsKey != "mysql.slowlog.last_errno" {
							t.Errorf("%s: %s = %q, Filebeat has no %s", where, key, got, beatsKey)
						}
					case num:
						if !mysqlSameNumber(got, v, 1e-9) {
							t.Errorf("%s: %s = %q, want %v", where, key, got, v)
						}
					case got != mysqlExpStr(v):
						t.Errorf("%s: %s = %q, want %q", where, key, got, mysqlExpStr(v))
					}
				}
				check("user", "user.name", false)
				check("host", "source.domain", false)
				check("client", "source.ip", false)
				check("thread", "mysql.thread_id", false)
				check("db", "mysql.slowlog.schema", false)
				check("lock_time_s", "mysql.slowlog.lock_time.sec", true)
				check("rows_sent", "mysql.slowlog.rows_sent", true)
				check("rows_examined", "mysql.slowlog.rows_examined", true)
				check("rows_affected", "mysql.slowlog.rows_affected", true)
				check("bytes_sent", "mysql.slowlog.bytes_sent", true)
				check("trx_id", "mysql.slowlog.innodb.trx_id", false)
				check("innodb_lock_wait_s", "mysql.slowlog.innodb.rec_lock_wait.sec", true)
				check("innodb_io_wait_s", "mysql.slowlog.innodb.io_r_wait.sec", true)
				check("innodb_queue_wait_s", "mysql.slowlog.innodb.queue_wait.sec", true)
				if v, ok := x["mysql.slowlog.last_errno"]; ok && v.(float64) != 0 {
					check("error_code", "mysql.slowlog.last_errno", true)
				} else if got := mysqlField(e, "error_code"); got != "" {
					t.Errorf("%s: error_code %q", where, got)
				}
				for _, k := range []string{"full_scan", "full_join", "tmp_table_on_disk", "filesort_on_disk"} {
					v, ok := x["mysql.slowlog."+k]
					got := mysqlField(e, k)
					if ok != (got != "") || ok && (got == "Yes") != v.(bool) {
						t.Errorf("%s: %s = %q, want %v", where, k, got, v)
					}
				}
				total++
			}
			_, det := decodeText(t, "", "-02:00", text)
			if det.Format != MySQLSlowID {
				t.Errorf("detected %q (%.2f), runner-up %q (%.2f)", det.Format, det.Confidence, det.RunnerUp, det.RunnerUpConfidence)
			}
		})
	}
	t.Logf("%d expected events checked", total)
}

// TestMySQLSlowLnav: lnav's Percona sample; lnav shows each entry at its
// "# Time:" (milliseconds).
func TestMySQLSlowLnav(t *testing.T) {
	text := mysqlReadCorpus(t, "lnav", "test", "logfile_mysql_slow.0")
	evs, st := decodeText(t, "", "", text)
	if st.Format != MySQLSlowID || st.Unparsed != 0 {
		t.Fatalf("detected %q, stats %+v", st.Format, st)
	}
	want := []string{"23:45:57.678", "23:45:58.073", "23:45:58.456", "23:45:58.470", "23:46:00.565", "23:46:00.584"}
	lines := []int{8, 7, 7, 7, 7, 7}
	if len(evs) != len(want) {
		t.Fatalf("got %d events", len(evs))
	}
	for i, w := range want {
		e := &evs[i]
		if got := e.Time.Format("15:04:05.000"); got != w || e.Time.Format("2006-01-02") != "2021-01-26" || e.Lines != lines[i] {
			t.Errorf("event %d at %s (%d lines), want %s", i, got, e.Lines, w)
		}
		if mysqlField(e, "user") != "owncloud" || mysqlField(e, "host") != "localhost" || mysqlField(e, "db") != "owncloud" {
			t.Errorf("event %d fields %v", i, e.Fields)
		}
	}
	if evs[1].Message != "SELECT `class`, `entity`, `events` FROM `oc_flow_operations` WHERE `events` <> '[]' GROUP BY `class`, `entity`, `events`;" {
		t.Errorf("message %q", evs[1].Message)
	}
}

// TestMySQLSlowEntries: variants the corpus lacks and the time rules.
func TestMySQLSlowEntries(t *testing.T) {
	text := strings.Join([]string{
		`C:\Program Files\MySQL\MySQL Server 5.6\bin\mysqld.exe, Version: 5.6.51-log (MySQL Community Server (GPL)). started with:`,
		"TCP Port: 3306, Named Pipe: MySQL",
		"Time                 Id Command    Argument",
		"# Time: 230815 14:22:17", // server in +08:00, input zone UTC: the epoch wins
		"# User@Host: app[app] @ app-host [10.0.0.8]  Id:    12",
		"# Query_time: 31.234567  Lock_time: 0.000123 Rows_sent: 1  Rows_examined: 4823112",
		"use invoice;",
		"SET timestamp=1692080506;",
		"SELECT id,\ttotal  FROM invoice",
		"   WHERE customer_id = 42;",
		"# User@Host: app[app] @ app-host [10.0.0.8]  Id:    13", // same second: no "# Time:"
		"# Query_time: 0.000100  Lock_time: 0.000033 Rows_sent: 0  Rows_examined: 0",
		"SET timestamp=1692080537;",
		"# administrator command: Quit;",
		"# Time: 230815 14:22:20", // a replicated statement: its SET timestamp is the source's
		"# User@Host: system user[] @  []  Id:     5",
		"# Query_time: 2.000000  Lock_time: 0.000000 Rows_sent: 0  Rows_examined: 1",
		"SET timestamp=1692000000;",
		"UPDATE t SET a = 1 WHERE id = 7;",
	}, "\n")
	evs, st := decodeText(t, MySQLSlowID, "UTC", text)
	if st.Events != 3 || st.Unparsed != 3 || st.Continuation != 13 {
		t.Fatalf("stats %+v", st)
	}
	evs = mysqlEvents(evs)
	a, b, c := &evs[0], &evs[1], &evs[2]
	if !a.Time.Equal(time.Unix(1692080506, 0)) || !a.Zoned || a.Message != "SELECT id, total FROM invoice WHERE customer_id = 42;" ||
		mysqlField(a, "user") != "app" || mysqlField(a, "host") != "app-host" || mysqlField(a, "client") != "10.0.0.8" ||
		mysqlField(a, "thread") != "12" || mysqlField(a, "db") != "invoice" || mysqlField(a, "query_time_s") != "31.234567" ||
		mysqlField(a, "rows_examined") != "4823112" {
		t.Errorf("entry 1 = %v %q %v", a.Time, a.Message, a.Fields)
	}
	if !b.Time.Equal(time.Unix(1692080537, 0)) || b.Message != "# administrator command: Quit;" || mysqlField(b, "thread") != "13" {
		t.Errorf("entry 2 = %v %q %v", b.Time, b.Message, b.Fields)
	}
	// 14:22:20 read as UTC is not a whole-quarter-hour away from the
	// source's epoch: the stamp stays.
	if !c.Time.Equal(mustTime(t, "2023-08-15T14:22:20Z")) || c.Zoned || mysqlField(c, "user") != "system user" ||
		mysqlField(c, "host") != "" || mysqlField(c, "client") != "" {
		t.Errorf("entry 3 = %v %v %v", c.Time, c.Zoned, c.Fields)
	}

	// A long query is collapsed and capped at a rune boundary.
	long := "# Time: 2023-08-15T06:22:17.123456Z\n# User@Host: a[a] @ h []\nSET timestamp=1692080537;\nSELECT '" +
		strings.Repeat("é", 600) + "';\n"
	evs, _ = decodeText(t, MySQLSlowID, "", long)
	if m := evs[0].Message; len(m) > mysqlSlowMaxMessage || len(m) < mysqlSlowMaxMessage-1 || !strings.HasPrefix(m, "SELECT 'éé") {
		t.Errorf("capped message %d bytes %q...", len(m), m[:20])
	}
	// An entry without any stamp takes SET timestamp.
	evs, _ = decodeText(t, MySQLSlowID, "", "# User@Host: a[a] @ h []\n# Query_time: 1.5  Lock_time: 0 Rows_sent: 0  Rows_examined: 0\nSET timestamp=1692080537;\nDO 1;\n")
	if !evs[0].Time.Equal(time.Unix(1692080537, 0)) || evs[0].Message != "DO 1;" {
		t.Errorf("unstamped entry = %v %q", evs[0].Time, evs[0].Message)
	}
}

func FuzzMySQLSlow(f *testing.F) {
	fuzzFormat(f, MySQLSlowID,
		"# Time: 150105  9:08:40\n# User@Host: a[b] @ h [1.2.3.4]  Id: 1\n# Thread_id: 5  Schema:   QC_hit: No\nuse d;\nSET timestamp=1420448920;\nselect 1;\n# User@Host: a[b] @  []\nSET timestamp=1;\n",
		"mysqld, Version: 10.2.12-MariaDB-log (mariadb.org binary distribution). started with:\nTcp port: 0  Unix socket: /x\nTime                 Id Command    Argument\n# Time: 190117 16:04:03\n",
		"# User@Host: [\n# Query_time: 9999999999999999999.1 Lock_time: \nSET timestamp=\nuse ;\n")
}

func TestMySQLSlowNeedsCollapse(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"", false},
		{"SELECT 1", false},
		{"SELECT  1", true},
		{"SELECT\t1", true},
		{"SELECT 1\r", true},
		{" SELECT 1 ", false},
		{"a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9  x", true},
		{"x ", false},
	}
	for _, tt := range tests {
		if got := mysqlSlowNeedsCollapse([]byte(tt.s)); got != tt.want {
			t.Errorf("mysqlSlowNeedsCollapse(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
	// every position of each pattern, in lines of every length up to 40
	byByte := func(b []byte) bool {
		for i, c := range b {
			if c == '\t' || c == '\r' || (c == ' ' && i+1 < len(b) && b[i+1] == ' ') {
				return true
			}
		}
		return false
	}
	for n := 0; n <= 40; n++ {
		for _, pat := range []string{"\t", "\r", "  ", " ", "\x08", "\x89", "\x20\xa0", "\xa0\x20"} {
			for at := 0; at+len(pat) <= n; at++ {
				b := []byte(strings.Repeat("ab c", n)[:n])
				copy(b[at:], pat)
				if got, want := mysqlSlowNeedsCollapse(b), byByte(b); got != want {
					t.Errorf("mysqlSlowNeedsCollapse(%q) = %v, want %v", b, got, want)
				}
			}
		}
	}
}
