package parse

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

// TestMySQLErrorBeats checks every expected event of the beats mysql/error
// files: count, line (log.offset), @timestamp instant, message, level,
// thread, error code and subsystem; and that detection picks mysql-error.
func TestMySQLErrorBeats(t *testing.T) {
	total := 0
	for _, name := range mysqlBeatsFiles(t, "error") {
		t.Run(name, func(t *testing.T) {
			text := mysqlReadCorpus(t, "beats", "mysql", "error", name)
			exp := mysqlExpected(t, mysqlCorpusPath(t, "beats", "mysql", "error", name+"-expected.json"))
			evs, st := decodeText(t, MySQLErrorID, "-02:00", text)
			if st.Unparsed != 0 {
				t.Errorf("%d unparsed lines", st.Unparsed)
			}
			evs = mysqlEvents(evs)
			if len(exp) < 100 && len(evs) != len(exp) {
				t.Fatalf("got %d events, want %d", len(evs), len(exp))
			}
			if len(evs) < len(exp) {
				t.Fatalf("got %d events, want at least %d", len(evs), len(exp))
			}
			for i, x := range exp {
				e := &evs[i]
				where := fmt.Sprintf("event %d (line %d)", i, e.Line)
				if off := int64(x["log.offset"].(float64)); e.Offset != off {
					t.Errorf("%s: offset %d, want %d", where, e.Offset, off)
				}
				if ts, ok := x["@timestamp"].(string); !ok {
					t.Errorf("%s: expected event has no @timestamp", where)
				} else if want := mustTime(t, ts); !mysqlMs(e.Time).Equal(want) {
					t.Errorf("%s: time %v, want %v", where, e.Time, want)
				}
				msg := strings.TrimRight(x["message"].(string), "\n")
				if code, ok := x["event.code"].(string); ok {
					// Filebeat leaves "[MY-010116] [Server] " in the message; rca moves them to fields.
					msg = strings.TrimPrefix(msg, "["+code+"] ["+x["event.provider"].(string)+"] ")
					if got := mysqlField(e, "error_code"); got != code {
						t.Errorf("%s: error_code %q, want %q", where, got, code)
					}
					if got := mysqlField(e, "subsystem"); got != x["event.provider"] {
						t.Errorf("%s: subsystem %q, want %q", where, got, x["event.provider"])
					}
				}
				if e.Message != msg {
					t.Errorf("%s: message\n got %q\nwant %q", where, e.Message, msg)
				}
				wantLvl := event.LevelNone
				if l, ok := x["log.level"].(string); ok {
					wantLvl = LevelOf(l)
				}
				if e.Level != wantLvl {
					t.Errorf("%s: level %q, want %q", where, e.Level, wantLvl)
				}
				if th, ok := x["mysql.thread_id"]; ok {
					if got := mysqlField(e, "thread"); got != mysqlExpStr(th) {
						t.Errorf("%s: thread %q, want %v", where, got, th)
					}
				} else if got := mysqlField(e, "thread"); got != "" {
					t.Errorf("%s: thread %q, want none", where, got)
				}
				// Filebeat folds a blank line into the event before it; rca counts it as empty.
				_, multi := x["log.flags"]
				end := int(e.Offset) + len(e.Raw) + 1
				blankNext := end < len(text) && text[end] == '\n'
				if multi != (e.Lines > 1 || blankNext) {
					t.Errorf("%s: %d lines, multiline flag %v", where, e.Lines, multi)
				}
				total++
			}
			_, det := decodeText(t, "", "-02:00", text)
			if det.Format != MySQLErrorID {
				t.Errorf("detected %q (%.2f), runner-up %q (%.2f)", det.Format, det.Confidence, det.RunnerUp, det.RunnerUpConfidence)
			}
		})
	}
	t.Logf("%d expected events checked", total)
}

// TestMySQLErrorLnav: lnav's MySQL 8 sample and the times lnav asserts.
func TestMySQLErrorLnav(t *testing.T) {
	text := mysqlReadCorpus(t, "lnav", "test", "logfile_mysql_error.0")
	evs, st := decodeText(t, "", "", text)
	if st.Format != MySQLErrorID {
		t.Fatalf("detected %q", st.Format)
	}
	want := []struct {
		time, level, thread, code, sub, msg string
	}{
		{"2020-08-06T14:25:02.835618Z", "info", "0", "MY-012487", "InnoDB", "DDL log recovery : begin"},
		{"2020-08-06T14:25:02.936146Z", "warn", "0", "MY-010068", "Server", "CA certificate /var/mysql/sslinfo/cacert.pem is self signed."},
		{"2020-08-06T14:25:02.963127Z", "info", "0", "MY-010253", "Server", "IPv6 is available."},
		{"2020-08-06T14:25:03.109022Z", "info", "5", "MY-010051", "Server", "Event Scheduler: scheduler thread started with id 5"},
	}
	if len(evs) != len(want) {
		t.Fatalf("got %d events", len(evs))
	}
	for i, w := range want {
		e := &evs[i]
		if !e.Time.Equal(mustTime(t, w.time)) || e.Precision != 6 || !e.Zoned || string(e.Level) != w.level ||
			mysqlField(e, "thread") != w.thread || mysqlField(e, "error_code") != w.code ||
			mysqlField(e, "subsystem") != w.sub || e.Message != w.msg {
			t.Errorf("event %d = %v p%d %q %v %q", i, e.Time, e.Precision, e.Level, e.Fields, e.Message)
		}
	}
}

// TestMySQLErrorLines: layouts the corpus lacks, in the syntax each server
// version writes.
func TestMySQLErrorLines(t *testing.T) {
	type f = map[string]string
	cases := []struct {
		name, line string
		time       string // RFC 3339; the input zone is +08:00
		prec       int
		zoned      bool
		level      event.Level
		msg        string
		fields     f
	}{
		{"8.0 error", "2023-08-15T06:22:17.123456Z 12 [ERROR] [MY-012574] [InnoDB] Unable to lock ./ibdata1 error: 11",
			"2023-08-15T06:22:17.123456Z", 6, true, event.LevelError, "Unable to lock ./ibdata1 error: 11",
			f{"thread": "12", "error_code": "MY-012574", "subsystem": "InnoDB"}},
		{"8.0 repl", "2023-08-15T06:22:19.000412Z 31 [ERROR] [MY-010584] [Repl] Slave SQL for channel '': Worker 1 failed executing transaction '3e11fa47-71ca-11e1-9e33-c80aa9429562:23' at master log binlog.000002, end_log_pos 4521; Error 'Duplicate entry '1001' for key 'invoice.PRIMARY'' on query. Default database: 'invoice'. Query: 'INSERT INTO invoice VALUES (1001)', Error_code: MY-001062",
			"2023-08-15T06:22:19.000412Z", 6, true, event.LevelError,
			"Slave SQL for channel '': Worker 1 failed executing transaction '3e11fa47-71ca-11e1-9e33-c80aa9429562:23' at master log binlog.000002, end_log_pos 4521; Error 'Duplicate entry '1001' for key 'invoice.PRIMARY'' on query. Default database: 'invoice'. Query: 'INSERT INTO invoice VALUES (1001)', Error_code: MY-001062",
			f{"thread": "31", "error_code": "MY-010584", "subsystem": "Repl"}},
		{"8.0 access denied", "2022-10-14T09:16:02.430542Z 63707 [Note] [MY-010926] [Server] Access denied for user 'root'@'10.0.16.79' (using password: YES)",
			"2022-10-14T09:16:02.430542Z", 6, true, event.LevelInfo, "Access denied for user 'root'@'10.0.16.79' (using password: YES)",
			f{"thread": "63707", "error_code": "MY-010926", "subsystem": "Server", "user": "root", "host": "10.0.16.79", "client": "10.0.16.79"}},
		{"8.0 aborted", "2026-09-27T10:06:00.000000Z 12 [Note] [MY-010914] [Server] Aborted connection 12 to db: 'shop' user: 'app' host: '172.18.0.5' (Got an error reading communication packets).",
			"2026-09-27T10:06:00Z", 6, true, event.LevelInfo, "Aborted connection 12 to db: 'shop' user: 'app' host: '172.18.0.5' (Got an error reading communication packets).",
			f{"thread": "12", "error_code": "MY-010914", "subsystem": "Server", "db": "shop", "user": "app", "host": "172.18.0.5", "client": "172.18.0.5"}},
		{"8.0 crash banner", "2024-02-14T19:24:28Z UTC - mysqld got signal 11 ;",
			"2024-02-14T19:24:28Z", 0, true, event.LevelFatal, "mysqld got signal 11 ;", f{}},
		{"5.7 system zone", "2019-05-20T07:39:56.179550+08:00 295 [Note] InnoDB: Transactions deadlock detected, dumping detailed information.",
			"2019-05-19T23:39:56.17955Z", 6, true, event.LevelInfo, "InnoDB: Transactions deadlock detected, dumping detailed information.",
			f{"thread": "295", "subsystem": "InnoDB"}},
		{"5.7 mysqld_safe", "2017-12-01T12:02:38.123456Z mysqld_safe Logging to '/var/log/mysql/error.log'.",
			"2017-12-01T12:02:38.123456Z", 6, true, event.LevelNone, "mysqld_safe Logging to '/var/log/mysql/error.log'.",
			f{"program": "mysqld_safe"}},
		{"mariadb access denied", "2026-10-02  9:26:33 31 [Warning] Access denied for user 'root'@'localhost'",
			"2026-10-02T01:26:33Z", 0, false, event.LevelWarn, "Access denied for user 'root'@'localhost'",
			f{"thread": "31", "user": "root", "host": "localhost"}},
		{"mariadb crash", "2019-10-16 17:24:15 0 [ERROR] mysqld got signal 6 ;",
			"2019-10-16T09:24:15Z", 0, false, event.LevelFatal, "mysqld got signal 6 ;", f{"thread": "0"}},
		{"5.6", "2015-01-05 09:08:40 1234 [Note] InnoDB: Using atomics to ref count buffer pool pages",
			"2015-01-05T01:08:40Z", 0, false, event.LevelInfo, "InnoDB: Using atomics to ref count buffer pool pages",
			f{"thread": "1234", "subsystem": "InnoDB"}},
		{"5.6 innodb thread", "2015-01-05 09:08:40 7f3a2b4c5700 InnoDB: Error: unable to create temporary file; errno: 2",
			"2015-01-05T01:08:40Z", 0, false, event.LevelError, "InnoDB: Error: unable to create temporary file; errno: 2",
			f{"tid": "7f3a2b4c5700", "subsystem": "InnoDB"}},
		{"5.6 deadlock glued", "2016-06-15 20:28:25 7f72c0043700InnoDB: transactions deadlock detected, dumping detailed information.",
			"2016-06-15T12:28:25Z", 0, false, event.LevelNone, "InnoDB: transactions deadlock detected, dumping detailed information.",
			f{"tid": "7f72c0043700", "subsystem": "InnoDB"}},
		{"5.5", "150105  9:08:40 [Note] Plugin 'FEDERATED' is disabled.",
			"2015-01-05T01:08:40Z", 0, false, event.LevelInfo, "Plugin 'FEDERATED' is disabled.", f{}},
		{"5.5 innodb warning", "150105  9:08:40  InnoDB: Warning: a long semaphore wait:",
			"2015-01-05T01:08:40Z", 0, false, event.LevelWarn, "InnoDB: Warning: a long semaphore wait:", f{"subsystem": "InnoDB"}},
		{"5.5 assertion", "150105  9:08:41  InnoDB: Assertion failure in thread 139637071542016 in file btr0cur.c line 244",
			"2015-01-05T01:08:41Z", 0, false, event.LevelFatal, "InnoDB: Assertion failure in thread 139637071542016 in file btr0cur.c line 244", f{"subsystem": "InnoDB"}},
		{"5.5 mysqld_safe", "150105 09:08:39 mysqld_safe Starting mysqld daemon with databases from /var/lib/mysql",
			"2015-01-05T01:08:39Z", 0, false, event.LevelNone, "mysqld_safe Starting mysqld daemon with databases from /var/lib/mysql", f{"program": "mysqld_safe"}},
		{"5.1 crash", "141220 19:07:30 - mysqld got signal 11 ;",
			"2014-12-20T11:07:30Z", 0, false, event.LevelFatal, "mysqld got signal 11 ;", f{}},
		{"docker entrypoint", "2023-08-15 06:22:17+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.0.34-1.el8 started.",
			"2023-08-15T06:22:17Z", 0, true, event.LevelInfo, "[Entrypoint]: Entrypoint script for MySQL Server 8.0.34-1.el8 started.", f{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs, _ := decodeText(t, MySQLErrorID, "+08:00", c.line)
			if len(evs) != 1 || evs[0].Unparsed {
				t.Fatalf("got %d events (%v)", len(evs), evs)
			}
			e := &evs[0]
			if !e.Time.Equal(mustTime(t, c.time)) || e.Precision != c.prec || e.Zoned != c.zoned {
				t.Errorf("time %v p%d zoned=%v, want %s p%d zoned=%v", e.Time, e.Precision, e.Zoned, c.time, c.prec, c.zoned)
			}
			if e.Level != c.level {
				t.Errorf("level %q, want %q", e.Level, c.level)
			}
			if e.Message != c.msg {
				t.Errorf("message %q, want %q", e.Message, c.msg)
			}
			if len(e.Fields) != len(c.fields) {
				t.Errorf("fields %v, want %v", e.Fields, c.fields)
			}
			for k, v := range c.fields {
				if got := mysqlField(e, k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// TestMySQLErrorMultiline: crash reports, deadlock dumps and InnoDB
// continuation lines fold into the stamped line before them.
func TestMySQLErrorMultiline(t *testing.T) {
	text := strings.Join([]string{
		"150421 21:45:46 InnoDB: 5.5.37 started; log sequence number 88876119",
		"13:45:46 UTC - mysqld got signal 11 ;",
		"This could be because you hit a bug. It is also possible that this binary",
		"or one of the libraries it was linked against is corrupt, improperly built,",
		"",
		"key_buffer_size=16777216",
		"Thread pointer: 0x0",
		"stack_bottom = 0 thread_stack 0x40000",
		"/usr/local/mysql/bin/mysqld(my_print_stacktrace+0x35)[0x7cea25]",
		"2016-06-15 20:28:25 7f72c0043700InnoDB: transactions deadlock detected, dumping detailed information.",
		"2016-06-15 20:28:25 7f72c0043700",
		"*** (1) TRANSACTION:",
		"TRANSACTION 151506716, ACTIVE 30 sec inserting",
		"mysql tables in use 1, locked 1",
		"2023-12-14T10:23:57.105934Z 4151727 [Note] InnoDB: ",
		"*** (1) TRANSACTION:  ",
	}, "\n")
	evs, st := decodeText(t, MySQLErrorID, "+06:00", text)
	if st.Events != 5 || st.Continuation != 10 || st.Empty != 1 || st.Unparsed != 0 {
		t.Fatalf("stats %+v", st)
	}
	crash := evs[1]
	if crash.Level != event.LevelFatal || !crash.Time.Equal(mustTime(t, "2015-04-21T13:45:46Z")) || crash.Lines != 7 ||
		!strings.HasPrefix(crash.Message, "mysqld got signal 11 ;\nThis could be") {
		t.Errorf("crash = %v %q %d %q", crash.Time, crash.Level, crash.Lines, crash.Message)
	}
	if evs[3].Message != "*** (1) TRANSACTION:\nTRANSACTION 151506716, ACTIVE 30 sec inserting\nmysql tables in use 1, locked 1" ||
		mysqlField(&evs[3], "tid") != "7f72c0043700" {
		t.Errorf("stamp-only header = %q %v", evs[3].Message, evs[3].Fields)
	}
	if evs[4].Message != "InnoDB:\n*** (1) TRANSACTION:  " {
		t.Errorf("5.7 dump = %q", evs[4].Message)
	}
	// A crash banner with no dated line before it cannot be placed: it folds.
	evs, st = decodeText(t, MySQLErrorID, "", "13:45:46 UTC - mysqld got signal 11 ;\n")
	if st.Unparsed != 1 || len(evs) != 1 {
		t.Errorf("lone banner: %+v", st)
	}
	// The time-of-day banner rolls over midnight.
	evs, _ = decodeText(t, MySQLErrorID, "", "2023-08-15T23:59:59.5Z 0 [Note] x\n00:00:01 UTC - mysqld got signal 6 ;\n")
	if !evs[1].Time.Equal(mustTime(t, "2023-08-16T00:00:01Z")) {
		t.Errorf("rollover: %v", evs[1].Time)
	}
}

// TestMySQLErrorNotOurs: ISO-stamped lines without MySQL's structure do
// not start records, so other products' logs are not read as MySQL.
func TestMySQLErrorNotOurs(t *testing.T) {
	text := "2023-08-15 14:22:17,123 WARN cache refresh took 1200ms\n2023-08-15 14:22:18,001 INFO done\n"
	_, st := decodeText(t, "", "", text)
	if st.Format == MySQLErrorID {
		t.Errorf("a log4j-style file was detected as %s", st.Format)
	}
}

func FuzzMySQLError(f *testing.F) {
	fuzzFormat(f, MySQLErrorID,
		"150105  9:08:40 [Note] x\nInnoDB: y\n13:45:46 UTC - mysqld got signal 11 ;\n",
		"2016-06-15 20:28:25 7f72c0043700InnoDB: z\n2016-06-15 20:28:25 7f72c0043700\n*** (1)\n",
		"2022-10-14T09:16:02.430542Z 1 [Note] [MY-010926] [Server] Access denied for user 'r'@'",
		"2026-09-27T10:06:00Z 12 [Note] Aborted connection 12 to db: 'shop user: 'app' host: '1",
		"191015  9:46:45\t    13 Query\tSHOW STATUS\n")
}
