package parse

import (
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

func TestSyslog5424Lines(t *testing.T) {
	bom := "\xEF\xBB\xBF"
	cases := []struct {
		name string
		line string
		want structuredWant
	}{
		{"RFC 5424 example 1, BOM", "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - " + bom + "'su root' failed for lonvick on /dev/pts/8",
			structuredWant{time: "2003-10-11T22:14:15.003Z", prec: 3, zoned: true, level: event.LevelError, msg: "'su root' failed for lonvick on /dev/pts/8",
				fields: map[string]string{"host": "mymachine.example.com", "program": "su", "pid": "", "msgid": "ID47"}}},
		{"RFC 5424 example 2", "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
			structuredWant{time: "2003-08-24T12:14:15.000003Z", prec: 6, zoned: true, level: event.LevelNotice, msg: "%% It's time to make the do-nuts.",
				fields: map[string]string{"host": "192.0.2.1", "program": "myproc", "pid": "8710", "msgid": ""}}},
		{"RFC 5424 example 3, SD", `<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] ` + bom + "An application event log entry...",
			structuredWant{time: "2003-10-11T22:14:15.003Z", prec: 3, zoned: true, level: event.LevelNotice, msg: "An application event log entry...",
				fields: map[string]string{"program": "evntslog", "sd_example_sdid_32473_iut": "3", "sd_example_sdid_32473_event_source": "Application", "sd_example_sdid_32473_event_id": "1011"}}},
		{"RFC 5424 example 4, two SD elements, no message", `<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]`,
			structuredWant{time: "2003-10-11T22:14:15.003Z", prec: 3, zoned: true, level: event.LevelNotice,
				fields: map[string]string{"sd_example_priority_32473_class": "high", "sd_example_sdid_32473_iut": "3"}}},
		{"SD escapes", `<11>1 2023-08-15T06:22:18.456Z web-01 nginx 2211 - [meta@1 q="say \"hi\" \] \\ ok" level="warn"] upstream timed out`,
			structuredWant{time: "2023-08-15T06:22:18.456Z", prec: 3, zoned: true, level: event.LevelError, msg: "upstream timed out",
				fields: map[string]string{"sd_meta_1_q": `say "hi" ] \ ok`, "sd_meta_1_level": "warn"}}},
		{"no PRI, level from SD", `2022-08-27T14:22:01.888Z space01.global-acme.entp NSX 4828 SWITCHING [abc@6876 comp="abc-edge" level="WARN"] dynamic arp entry is created`,
			structuredWant{time: "2022-08-27T14:22:01.888Z", prec: 3, zoned: true, level: event.LevelWarn, msg: "dynamic arp entry is created",
				fields: map[string]string{"host": "space01.global-acme.entp", "program": "NSX", "pid": "4828", "msgid": "SWITCHING", "sd_abc_6876_comp": "abc-edge"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs, st := decodeText(t, "syslog5424", "+08:00", c.line+"\n")
			if st.Events != 1 || len(evs) != 1 {
				t.Fatalf("stats %+v", st)
			}
			structuredCheck(t, c.name, evs[0], c.want)
			if _, st := decodeText(t, "", "+08:00", c.line+"\n"); st.Format != "syslog5424" {
				t.Errorf("detected %q", st.Format)
			}
		})
	}
}

func TestSyslog5424Rejects(t *testing.T) {
	for _, line := range []string{
		"<34>1 - mymachine su - ID47 - no time",
		"<34>Oct 11 22:14:15 mymachine su: 3164",
		"2023-08-15T14:22:19.123456+08:00 web-01 systemd[1]: Started Session 42 of user deploy.",
		"2022-08-27T14:22:01.613Z host app notapid - - msg",
		"<34>1 2003-10-11T22:14:15.003Z host app - ID47 x not sd",
	} {
		d := Lookup("syslog5424").New(&Context{Loc: time.UTC})
		if v := d.Decode([]byte(line), &event.Event{Raw: line}, nil); v != Reject {
			t.Errorf("%q: verdict %v, want Reject", line, v)
		}
	}
}

// TestSyslog5424Lnav: lnav's logfile_with_zones.0 mixes Z and +03:00; its
// captured outputs show the instants in UTC and in America/Los_Angeles.
func TestSyslog5424Lnav(t *testing.T) {
	text := structuredCorpus(t, "lnav", "test", "logfile_with_zones.0")
	for _, zone := range []string{"", "America/Los_Angeles", "America/New_York"} {
		evs, st := decodeText(t, "", zone, text)
		if st.Format != "syslog5424" || st.Events != 3 || st.Timezone != "embedded" {
			t.Fatalf("stats %+v", st)
		}
		want := []string{"2022-08-27T14:22:01.613Z", "2022-08-27T14:22:01.694554Z", "2022-08-27T14:22:01.888Z"}
		for i, w := range want {
			if !evs[i].Time.Equal(mustTime(t, w)) || !evs[i].Zoned {
				t.Errorf("zone %q line %d: %v", zone, i+1, evs[i].Time)
			}
		}
		la, _ := LoadZone("America/Los_Angeles")
		if g := evs[0].Time.In(la).Format("Jan 02 15:04:05 2006"); g != "Aug 27 07:22:01 2022" {
			t.Errorf("in LA %s", g)
		}
		structuredCheck(t, "cron", evs[1], structuredWant{time: want[1], prec: 6, zoned: true,
			msg:    "(root) CMD (   /usr/bin/nice -n 10 /opt/acme/bin/mem_usage_monitor.py >/dev/null 2>&1)",
			fields: map[string]string{"host": "space01.global-acme.entp", "program": "CRON", "pid": "20856", "msgid": ""}})
		if evs[0].Level != event.LevelInfo || structuredField(evs[0], "sd_abc_6876_s2comp") != "fork-monitor" {
			t.Errorf("first %q %v", evs[0].Level, evs[0].Fields)
		}
	}
}

func TestSyslog5424SDCap(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("<14>1 2023-08-15T06:22:18Z h a 1 - [x@1")
	for i := 0; i < 40; i++ {
		sb.WriteString(` p="v"`)
	}
	sb.WriteString("] m")
	evs, _ := decodeText(t, "syslog5424", "", sb.String())
	if n := len(evs[0].Fields); n != 3+syslog5424MaxSD || evs[0].Message != "m" {
		t.Errorf("%d fields, message %q", n, evs[0].Message)
	}
}

func FuzzSyslog5424(f *testing.F) {
	fuzzFormat(f, "syslog5424",
		`<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"][examplePriority@32473 class="high"]`,
		"2022-08-27T17:22:01.694554+03:00 space01 CRON 20856 - -  (root) CMD\n<34>1 2003-10-11T22:14:15.003Z h su - ID47 [a b=\"\\\"] \xEF\xBB\xBFmsg",
	)
}

func BenchmarkSyslog5424(b *testing.B) {
	text := structuredBenchText(8<<20,
		`<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry...`,
		`2022-08-27T14:22:01.888Z space01.global-acme.entp NSX 4828 SWITCHING [abc@6876 comp="abc-edge" subcomp="datapathd" s2comp="neigh" tname="dp-learning3" level="INFO"] dynamic arp entry(28b18eb1-3575-4179-956b-aae009433d27, 10.12.160.4) is created`,
		`<11>1 2023-08-15T06:22:18.456Z web-01 nginx 2211 - - upstream timed out (110: Connection timed out)`,
	)
	structuredBench(b, "syslog5424", text)
}
