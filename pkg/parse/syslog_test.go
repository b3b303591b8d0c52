package parse

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

func TestSyslogLines(t *testing.T) {
	cases := []struct {
		name string
		line string
		want structuredWant
	}{
		{"sshd", "Aug 15 14:22:17 web-01 sshd[1234]: Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2",
			structuredWant{time: "2023-08-15T06:22:17Z", prec: 0, msg: "Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2",
				fields: map[string]string{"host": "web-01", "program": "sshd", "pid": "1234"}}},
		{"padded day, no pid", "Aug  5 03:10:01 web-01 CRON: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
			structuredWant{time: "2023-08-04T19:10:01Z", prec: 0, msg: "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
				fields: map[string]string{"host": "web-01", "program": "CRON", "pid": ""}}},
		{"PRI prefix", "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
			structuredWant{time: "2022-10-11T14:14:15Z", prec: 0, level: event.LevelError, msg: "'su root' failed for lonvick on /dev/pts/8",
				fields: map[string]string{"host": "mymachine", "program": "su"}}},
		{"rsyslog high precision", "2023-08-15T14:22:17.123456+08:00 web-01 postfix/smtpd[4242]: connect from unknown[203.0.113.7]",
			structuredWant{time: "2023-08-15T06:22:17.123456Z", prec: 6, zoned: true, msg: "connect from unknown[203.0.113.7]",
				fields: map[string]string{"host": "web-01", "program": "postfix/smtpd", "pid": "4242"}}},
		{"no host", "Aug 15 14:22:17 sshd[1234]: Connection closed by 10.0.0.1 port 22",
			structuredWant{time: "2023-08-15T06:22:17Z", prec: 0, msg: "Connection closed by 10.0.0.1 port 22",
				fields: map[string]string{"host": "", "program": "sshd", "pid": "1234"}}},
		{"program with spaces", "Dec 13 11:35:57 a-mac-with-esc-key Google Chrome[85294]: objc[85294]: __weak variable at 0x60000a8499d0",
			structuredWant{time: "2022-12-13T03:35:57Z", prec: 0, msg: "objc[85294]: __weak variable at 0x60000a8499d0",
				fields: map[string]string{"host": "a-mac-with-esc-key", "program": "Google Chrome", "pid": "85294"}}},
		{"launchd sub-job", "Dec 13 11:38:45 a-mac-with-esc-key com.apple.xpc.launchd[1] (com.apple.quicklook[21498]): Endpoint has been activated through legacy launch(3) APIs.",
			structuredWant{time: "2022-12-13T03:38:45Z", prec: 0, msg: "Endpoint has been activated through legacy launch(3) APIs.",
				fields: map[string]string{"host": "a-mac-with-esc-key", "program": "com.apple.xpc.launchd", "pid": "1"}}},
		{"repeated", "Apr 4 03:39:57 --- last message repeated 1 time ---",
			structuredWant{time: "2023-04-03T19:39:57Z", prec: 0, msg: "--- last message repeated 1 time ---", fields: map[string]string{"host": "", "program": ""}}},
		{"kernel OOM kill", "Aug 15 14:22:17 web-01 kernel: [12345.678901] Out of memory: Killed process 4321 (java) total-vm:8388608kB, anon-rss:4194304kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:9000kB oom_score_adj:0",
			structuredWant{time: "2023-08-15T06:22:17Z", prec: 0, msg: "Out of memory: Killed process 4321 (java) total-vm:8388608kB, anon-rss:4194304kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:9000kB oom_score_adj:0",
				fields: map[string]string{"host": "web-01", "program": "kernel", "kernel_uptime": "12345.678901", "oom_pid": "4321", "oom_process": "java", "anon_rss": "4194304kB"}}},
		{"kernel OOM padded uptime, odd name", "May 15 23:09:30 ubuntu-s-1vcpu-2gb-ams3-01 kernel: [  518.061172] Out of memory: Killed process 15925 ((resolved)) total-vm:168424kB, anon-rss:4064kB, file-rss:3584kB, shmem-rss:0kB",
			structuredWant{time: "2023-05-15T15:09:30Z", prec: 0, msg: "Out of memory: Killed process 15925 ((resolved)) total-vm:168424kB, anon-rss:4064kB, file-rss:3584kB, shmem-rss:0kB",
				fields: map[string]string{"kernel_uptime": "518.061172", "oom_pid": "15925", "oom_process": "(resolved)", "anon_rss": "4064kB"}}},
		{"memory cgroup", "Aug 15 14:22:17 node-3 kernel: Memory cgroup out of memory: Killed process 9876 (node) total-vm:1234567kB, anon-rss:524288kB, file-rss:1024kB, shmem-rss:0kB, UID:1000 pgtables:2048kB oom_score_adj:999",
			structuredWant{time: "2023-08-15T06:22:17Z", prec: 0, msg: "Memory cgroup out of memory: Killed process 9876 (node) total-vm:1234567kB, anon-rss:524288kB, file-rss:1024kB, shmem-rss:0kB, UID:1000 pgtables:2048kB oom_score_adj:999",
				fields: map[string]string{"oom_pid": "9876", "oom_process": "node", "anon_rss": "524288kB", "kernel_uptime": ""}}},
		{"RHEL 6 killed process", "Mar  2 17:35:10 server1 kernel: [2858609.598568] Killed process 11726, UID 498, (mysqld) total-vm:7823732kB, anon-rss:2539268kB, file-rss:768kB",
			structuredWant{time: "2023-03-02T09:35:10Z", prec: 0, msg: "Killed process 11726, UID 498, (mysqld) total-vm:7823732kB, anon-rss:2539268kB, file-rss:768kB",
				fields: map[string]string{"oom_pid": "11726", "oom_process": "mysqld", "anon_rss": "2539268kB"}}},
		{"old kernel kill", "May 07 21:43:54 doom kernel: Out of memory: Kill process 27438 (R) score 31 or sacrifice child",
			structuredWant{time: "2023-05-07T13:43:54Z", prec: 0, msg: "Out of memory: Kill process 27438 (R) score 31 or sacrifice child",
				fields: map[string]string{"oom_pid": "27438", "oom_process": "R", "anon_rss": ""}}},
		{"oom invoker", "Aug 15 14:22:17 web-01 kernel: [12345.670001] java invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0",
			structuredWant{time: "2023-08-15T06:22:17Z", prec: 0, msg: "java invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0",
				fields: map[string]string{"oom_invoker": "java", "oom_pid": "", "kernel_uptime": "12345.670001"}}},
		{"reaper is not a kill", "May 15 23:09:30 h kernel: [  518.053407] oom_reaper: reaped process 15784 (python3), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
			structuredWant{time: "2023-05-15T15:09:30Z", prec: 0, msg: "oom_reaper: reaped process 15784 (python3), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
				fields: map[string]string{"oom_pid": "", "anon_rss": ""}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs, st := decodeText(t, "syslog", "+08:00", c.line+"\n")
			if st.Events != 1 || len(evs) != 1 {
				t.Fatalf("stats %+v", st)
			}
			structuredCheck(t, c.name, evs[0], c.want)
			if _, st := decodeText(t, "", "+08:00", c.line+"\n"); st.Format != "syslog" {
				t.Errorf("detected %q", st.Format)
			}
		})
	}
}

func TestSyslogRejects(t *testing.T) {
	for _, line := range []string{
		"Header1: abc",
		"<165>1 2023-08-15T14:22:17.123+08:00 web-01 app 1234 ID47 - msg",
		"2022-08-27T14:22:01.613Z space01.global-acme.entp NSX 3106 - [abc@6876 comp=\"abc-edge\"] keep-alive",
		"2023-08-15T14:22:17.123Z INFO main: started",
		"2023-08-15 14:22:17 web-01 sshd[1]: space instead of T",
		"Aug 15 14:22:17 ERROR something failed: badly",
		"<999>Aug 15 14:22:17 web-01 sshd[1]: bad PRI",
		"\tat com.example.Foo(Foo.java:1)",
	} {
		d := Lookup("syslog").New(&Context{Loc: time.UTC, ModTime: testModTime})
		if v := d.Decode([]byte(line), &event.Event{Raw: line}, nil); v != Reject {
			t.Errorf("%q: verdict %v, want Reject", line, v)
		}
	}
}

func TestSyslogContinuation(t *testing.T) {
	text := "Aug 16 00:32:15 Tims-Air syslogd[314]: Configuration Notice:\n\tASL Module \"com.apple.cdscheduler\" claims selected messages.\n  second\nnot syslog\n"
	evs, st := decodeText(t, "syslog", "", text)
	if st.Events != 1 || st.Continuation != 2 || st.Unparsed != 1 {
		t.Fatalf("stats %+v", st)
	}
	if want := "Configuration Notice:\n\tASL Module \"com.apple.cdscheduler\" claims selected messages.\n  second"; evs[0].Message != want {
		t.Errorf("message %q", evs[0].Message)
	}
}

// syslogTestYears gives year-less stamps a year independently of
// yearInfer: the reference's year, one less when the first month lies after
// the reference month, plus one at each December/November -> January/February.
type syslogTestYears struct {
	ref  time.Time
	year int
	last time.Month
	set  bool
}

func (y *syslogTestYears) at(t *testing.T, raw string, loc *time.Location) time.Time {
	t.Helper()
	f := strings.Fields(raw)
	tm, err := time.Parse("Jan 2 15:04:05", strings.Join(f[:3], " "))
	if err != nil {
		t.Fatalf("%q: %v", raw, err)
	}
	m := tm.Month()
	switch {
	case !y.set:
		ref := y.ref.In(loc)
		y.year, y.set = ref.Year(), true
		if m > ref.Month() {
			y.year--
		}
	case y.last >= time.November && m <= time.February:
		y.year++
	}
	y.last = m
	return time.Date(y.year, m, tm.Day(), tm.Hour(), tm.Minute(), tm.Second(), 0, loc).UTC()
}

// TestSyslogBeats checks every expected event of filebeat's system module
// samples: count, offset, host, program, pid, message, and the time
// (@timestamp where the harness kept it, else the stamp's wall clock with
// the year inferred from the test file time).
func TestSyslogBeats(t *testing.T) {
	loc, _ := LoadZone("-02:00")
	for _, f := range []string{
		"syslog/darwin-syslog-sample.log", "syslog/darwin-syslog.log", "syslog/suse-syslog.log", "syslog/tz-offset.log",
		"auth/auth-ubuntu1204.log", "auth/secure-rhel7.log", "auth/test.log", "auth/timestamp.log",
	} {
		t.Run(f, func(t *testing.T) {
			parts := append([]string{"beats", "system"}, strings.Split(f, "/")...)
			text := structuredCorpus(t, parts...)
			parts[len(parts)-1] += "-expected.json"
			exp := structuredExpected(t, parts...)
			evs, st := decodeText(t, "syslog", "-02:00", text)
			evs = structuredParsed(evs)
			if st.Unparsed != 0 || len(evs) < len(exp) {
				t.Fatalf("%d events (stats %+v), want at least %d", len(evs), st, len(exp))
			}
			if len(exp) < 100 && len(evs) != len(exp) {
				t.Fatalf("%d events, want %d", len(evs), len(exp))
			}
			years := syslogTestYears{ref: testModTime}
			stamps := 0
			for i, x := range exp {
				e := evs[i]
				name := fmt.Sprintf("event %d (line %d)", i, e.Line)
				if off := int64(x["log.offset"].(float64)); e.Offset != off {
					t.Errorf("%s: offset %d, want %d", name, e.Offset, off)
				}
				if ts, ok := x["@timestamp"].(string); ok {
					stamps++
					// filebeat writes milliseconds
					if !e.Time.Truncate(time.Millisecond).Equal(mustTime(t, ts)) {
						t.Errorf("%s: time %v, want %s", name, e.Time, ts)
					}
				} else if isDigit(e.Raw[0]) { // an RFC 3339 stamp; the harness dropped @timestamp for the whole dataset
					if want := mustTime(t, strings.Fields(e.Raw)[0]); !e.Time.Equal(want) {
						t.Errorf("%s: time %v, want %v", name, e.Time, want)
					}
				} else if want := years.at(t, e.Raw, loc); !e.Time.Equal(want) {
					t.Errorf("%s: time %v, want %v", name, e.Time, want)
				}
				host, _ := x["host.hostname"].(string)
				if structuredField(e, "host") != host {
					t.Errorf("%s: host %q, want %q", name, structuredField(e, "host"), host)
				}
				prog, _ := x["process.name"].(string)
				if i := strings.Index(prog, "[1] ("); i > 0 {
					// Filebeat keeps launchd's "[1] (sub-job)" in the name; rca splits the pid off
					if structuredField(e, "pid") != "1" {
						t.Errorf("%s: pid %q, want 1", name, structuredField(e, "pid"))
					}
					prog = prog[:i]
				} else {
					pid := ""
					if p, ok := x["process.pid"].(float64); ok {
						pid = strconv.Itoa(int(p))
					}
					if structuredField(e, "pid") != pid {
						t.Errorf("%s: pid %q, want %q", name, structuredField(e, "pid"), pid)
					}
				}
				if structuredField(e, "program") != prog {
					t.Errorf("%s: program %q, want %q", name, structuredField(e, "program"), prog)
				}
				if msg, ok := x["message"].(string); ok && e.Message != msg {
					t.Errorf("%s: message\n%q\nwant\n%q", name, e.Message, msg)
				}
				_, multi := x["log.flags"]
				if multi != (e.Lines > 1) {
					t.Errorf("%s: %d lines, multiline %v", name, e.Lines, multi)
				}
				if e.Level != event.LevelNone {
					t.Errorf("%s: level %q without a PRI", name, e.Level)
				}
			}
			if (f == "syslog/tz-offset.log" || f == "auth/timestamp.log") != (stamps > 0) {
				t.Errorf("%d expected events with @timestamp", stamps)
			}
			if _, st := decodeText(t, "", "-02:00", text); st.Format != "syslog" {
				t.Errorf("detected %q (runner-up %q)", st.Format, st.RunnerUp)
			}
		})
	}
}

// TestSyslogLnav: lnav's syslog samples with the file times its test
// script sets (touch -t), and the times lnav asserts (EXPECTED.md).
func TestSyslogLnav(t *testing.T) {
	lines := func(evs []event.Event) []string {
		var out []string
		for _, e := range evs {
			out = append(out, e.Time.Format("Jan 02 15:04:05 2006"))
		}
		return out
	}
	check := func(t *testing.T, got []string, want ...string) {
		t.Helper()
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("times\n%q\nwant\n%q", got, want)
		}
	}
	t.Run("logfile_syslog.0", func(t *testing.T) {
		evs, st := structuredDecodeSpec(t, "", time.UTC, time.Date(2007, 11, 3, 9, 23, 0, 0, time.UTC), structuredCorpus(t, "lnav", "test", "logfile_syslog.0"))
		if st.Format != "syslog" || st.Events != 4 {
			t.Fatalf("stats %+v", st)
		}
		check(t, lines(evs), "Nov 03 09:23:38 2007", "Nov 03 09:23:38 2007", "Nov 03 09:23:38 2007", "Nov 03 09:47:02 2007")
		structuredCheck(t, "first", evs[0], structuredWant{time: "2007-11-03T09:23:38Z", prec: 0, msg: "lookup(file): lookup for foobar failed",
			fields: map[string]string{"host": "veridian", "program": "automount", "pid": "7998"}})
	})
	t.Run("logfile_syslog.1 year end", func(t *testing.T) {
		evs, _ := structuredDecodeSpec(t, "syslog", time.UTC, time.Date(2007, 11, 3, 9, 23, 0, 0, time.UTC), structuredCorpus(t, "lnav", "test", "logfile_syslog.1"))
		check(t, lines(evs), "Dec 03 09:23:38 2006", "Dec 03 09:23:38 2006", "Dec 03 09:23:38 2006", "Jan 03 09:47:02 2007")
	})
	t.Run("logfile_syslog_with_header.0", func(t *testing.T) {
		evs, st := structuredDecodeSpec(t, "", time.UTC, time.Date(2007, 11, 3, 9, 23, 0, 0, time.UTC), structuredCorpus(t, "lnav", "test", "logfile_syslog_with_header.0"))
		if st.Format != "syslog" || st.Events != 4 || st.Unparsed != 2 {
			t.Fatalf("stats %+v", st)
		}
		check(t, lines(structuredParsed(evs)), "Nov 03 09:23:38 2007", "Nov 03 09:23:38 2007", "Nov 03 09:23:38 2007", "Nov 03 09:47:02 2007")
	})
	t.Run("logfile_syslog_with_mixed_times.0", func(t *testing.T) {
		evs, st := structuredDecodeSpec(t, "", time.UTC, time.Date(2015, 9, 13, 9, 23, 0, 0, time.UTC), structuredCorpus(t, "lnav", "test", "logfile_syslog_with_mixed_times.0"))
		if st.Format != "syslog" || st.Events != 13 {
			t.Fatalf("stats %+v", st)
		}
		// lnav clamps times that go backwards (line 6, line 12) to the previous
		// line's; rca keeps the times the lines carry.
		check(t, lines(evs), "Sep 13 00:58:45 2015", "Sep 13 00:59:30 2015", "Sep 13 01:23:54 2015", "Sep 13 03:12:04 2015",
			"Sep 13 03:12:04 2015", "Sep 13 01:25:39 2015", "Sep 13 03:12:04 2015", "Sep 13 03:12:58 2015", "Sep 13 03:46:03 2015",
			"Sep 13 03:46:03 2015", "Sep 13 03:46:03 2015", "Sep 13 03:13:16 2015", "Sep 13 03:46:03 2015")
		if structuredField(evs[1], "host") != "Tim-Stacks-iMac.local" || structuredField(evs[0], "pid") != "0" {
			t.Errorf("fields %v %v", evs[0].Fields, evs[1].Fields)
		}
	})
	t.Run("logfile_syslog.3 continuation", func(t *testing.T) {
		evs, st := decodeText(t, "", "", structuredCorpus(t, "lnav", "test", "logfile_syslog.3"))
		if st.Format != "syslog" || st.Events != 7 || st.Continuation != 10 {
			t.Fatalf("stats %+v", st)
		}
		if want := "Configuration Notice:\n\tASL Module \"com.apple.cdscheduler\" claims selected messages.\n\tThose messages may not appear in standard system log files or in the ASL database."; evs[2].Message != want {
			t.Errorf("message %q", evs[2].Message)
		}
	})
	t.Run("logfile_dst.0", func(t *testing.T) {
		la, err := LoadZone("America/Los_Angeles")
		if err != nil {
			t.Fatal(err)
		}
		evs, st := structuredDecodeSpec(t, "", la, time.Date(2013, 11, 4, 0, 0, 0, 0, time.UTC), structuredCorpus(t, "lnav", "test", "logfile_dst.0"))
		if st.Format != "syslog" || st.Events != 10 {
			t.Fatalf("stats %+v", st)
		}
		// 01:xx repeats on 2013-11-03: the first pass is PDT (-07), the
		// second (lines 6-8, going back to 01:24) PST (-08).
		want := []string{"08:01:03", "08:13:04", "08:23:29", "08:41:30", "08:59:14", "09:24:56", "09:38:13", "09:50:16", "10:08:19", "10:25:02"}
		for i, w := range want {
			if got := evs[i].Time.Format("15:04:05"); got != w || evs[i].Time.Day() != 3 {
				t.Errorf("line %d: %v, want 2013-11-03 %sZ", i+1, evs[i].Time, w)
			}
		}
	})
	t.Run("DST fall-back, second occurrence chosen by Go", func(t *testing.T) {
		berlin, err := LoadZone("Europe/Berlin")
		if err != nil {
			t.Fatal(err)
		}
		text := "Oct 29 01:50:00 h a: x\nOct 29 02:10:00 h a: x\nOct 29 02:50:00 h a: x\nOct 29 02:05:00 h a: x\nOct 29 03:10:00 h a: x\n"
		evs, _ := structuredDecodeSpec(t, "syslog", berlin, time.Date(2023, 11, 1, 0, 0, 0, 0, time.UTC), text)
		want := []string{"23:50:00", "00:10:00", "00:50:00", "01:05:00", "02:10:00"}
		for i, w := range want {
			if got := evs[i].Time.Format("15:04:05"); got != w {
				t.Errorf("line %d: %v, want %sZ", i+1, evs[i].Time, w)
			}
		}
	})
}

func FuzzSyslog(f *testing.F) {
	fuzzFormat(f, "syslog",
		"<34>Oct 11 22:14:15 mymachine su: 'su root' failed\n\tcontinued\n",
		"Dec 13 11:38:45 a-mac com.apple.xpc.launchd[1] (com.apple.quicklook[21498]): Endpoint\nApr 4 03:39:57 --- last message repeated 1 time ---\n",
		"2019-06-14T10:40:20.912134 localhost sudo: pam_unix(sudo-i:session): session opened\n",
		"May 15 23:09:30 h kernel: [  518.061172] Out of memory: Killed process 15925 ((resolved)) total-vm:168424kB, anon-rss:4064kB\n",
		"Aug 15 14:22:17 web-01 kernel: [1.1] java invoked oom-killer: gfp_mask=0x0\n",
	)
}

func BenchmarkSyslog(b *testing.B) {
	text := structuredBenchText(8<<20,
		"Feb 22 16:45:20 slave22 sshd[2738]: Failed password for root from 202.109.143.106 port 1786 ssh2",
		"Feb 22 16:45:20 slave22 sshd[2738]: pam_succeed_if(sshd:auth): requirement \"uid >= 1000\" not met by user \"root\"",
		"Feb  9 21:19:40 precise32 sudo: pam_unix(sudo:session): session opened for user root by vagrant(uid=1000)",
		"Aug 15 14:22:18 web-01 kernel: [12345.678901] Out of memory: Killed process 4321 (java) total-vm:8388608kB, anon-rss:4194304kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:9000kB oom_score_adj:0",
		"2018-08-14T14:30:02.203151+02:00 linux-sqrz systemd[4179]: Stopped target Basic System.",
	)
	structuredBench(b, "syslog", text)
}
