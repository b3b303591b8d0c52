package parse

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// TestLog4j2Datadog checks the generic log4j samples of Datadog's kafka
// pipeline tests (zone-less stamps read as UTC); the relative-time
// TTCCLayout sample ("54 [main] INFO ...") has no usable time and must not
// become a timed event.
func TestLog4j2Datadog(t *testing.T) {
	n := 0
	for i, tc := range appYAML(t, "datadog-integrations-core", "kafka", "assets", "logs", "kafka_tests.yaml") {
		if strings.HasPrefix(tc.Sample, "[") {
			continue // the Kafka broker line: TestKafkaServerDatadog
		}
		n++
		evs, st := decodeText(t, Log4j2ID, "UTC", tc.Sample)
		if tc.Result.Timestamp == 1 { // "no usable time"
			if st.Events != 0 || st.Unparsed != 1 {
				t.Errorf("sample %d (%q): stats %+v, want one unparsed line", i, tc.Sample, st)
			}
			if dev, _ := decodeText(t, "", "UTC", tc.Sample); len(appTimed(dev)) != 0 {
				t.Errorf("sample %d: detection made a timed event %+v", i, dev[0])
			}
			continue
		}
		if len(evs) != 1 || evs[0].Unparsed {
			t.Fatalf("sample %d: events %+v", i, evs)
		}
		e := &evs[0]
		if !e.Time.Equal(appMillis(tc.Result.Timestamp)) {
			t.Errorf("sample %d: time %v", i, e.Time)
		}
		if e.Level != LevelOf(tc.Result.Status) || e.Message != tc.Result.Message {
			t.Errorf("sample %d: level %q message %q", i, e.Level, e.Message)
		}
		for path, field := range map[string]string{"logger.name": "logger", "logger.thread_name": "thread", "line": "line"} {
			w, ok := appYAMLPath(tc.Result.Custom, path)
			if !ok {
				w = ""
			}
			if iv, isInt := w.(int); isInt {
				w = strconv.Itoa(iv)
			}
			if appField(e, field) != w {
				t.Errorf("sample %d: %s %q, want %v", i, field, appField(e, field), w)
			}
		}
		if _, dst := decodeText(t, "", "UTC", tc.Sample); dst.Format != Log4j2ID {
			t.Errorf("sample %d: detected %q", i, dst.Format)
		}
	}
	if n != 3 {
		t.Fatalf("%d log4j samples, want 3", n)
	}
}

// TestLog4j2Layouts: the default layouts, written in the exact syntax
// log4j2/logback print.
func TestLog4j2Layouts(t *testing.T) {
	text := strings.Join([]string{
		"2023-08-15 14:22:17,123 [http-nio-8080-exec-1] ERROR com.example.order.OrderService - Order 42 failed",
		"org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection",
		"\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:277)",
		"Caused by: org.hibernate.exception.JDBCConnectionException: Unable to acquire JDBC Connection",
		"\t... 48 common frames omitted",
		"Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.",
		"\t... 60 common frames omitted",
		"2023-08-15 14:22:18,001 WARN  [main] c.e.o.OrderController:88 - slow request 1200ms",
		"2023-08-15T14:22:19.5+02:00 INFO [pool-1-thread-1] OrderJob : tick",
		"2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster for application appattempt_1445144423722_0020_000001",
		"2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200",
	}, "\n")
	evs, st := decodeText(t, Log4j2ID, "UTC", text)
	if st.Events != 5 || st.Continuation != 6 || st.Unparsed != 0 {
		t.Fatalf("stats %+v", st)
	}
	want := []struct {
		time, level, thread, logger, line, msg string
	}{
		{"2023-08-15T14:22:17.123Z", "error", "http-nio-8080-exec-1", "com.example.order.OrderService", "", "Order 42 failed"},
		{"2023-08-15T14:22:18.001Z", "warn", "main", "c.e.o.OrderController", "88", "slow request 1200ms"},
		{"2023-08-15T12:22:19.5Z", "info", "pool-1-thread-1", "OrderJob", "", "tick"},
		{"2015-10-18T18:01:47.978Z", "info", "main", "org.apache.hadoop.mapreduce.v2.app.MRAppMaster", "", "Created MRAppMaster for application appattempt_1445144423722_0020_000001"},
		{"2015-07-29T17:41:44.747Z", "info", "QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774", "", "", "Notification time out: 3200"},
	}
	for i, w := range want {
		e := &evs[i]
		if !e.Time.Equal(mustTime(t, w.time)) || string(e.Level) != w.level || appField(e, "thread") != w.thread ||
			appField(e, "logger") != w.logger || appField(e, "line") != w.line || appFirstLine(e.Message) != w.msg {
			t.Errorf("event %d = %v %q thread=%q logger=%q line=%q %q", i, e.Time, e.Level, appField(e, "thread"), appField(e, "logger"), appField(e, "line"), appFirstLine(e.Message))
		}
	}
	if appField(&evs[0], "exception") != "org.springframework.dao.DataAccessResourceFailureException" ||
		appField(&evs[0], "cause") != "java.sql.SQLTransientConnectionException" {
		t.Errorf("exception %q cause %q", appField(&evs[0], "exception"), appField(&evs[0], "cause"))
	}
	if !evs[2].Zoned || evs[2].Precision != 1 || evs[0].Zoned || evs[0].Precision != 3 {
		t.Errorf("zoned/precision: %v %d, %v %d", evs[2].Zoned, evs[2].Precision, evs[0].Zoned, evs[0].Precision)
	}
}

// TestLog4j2TimeOfDay: DefaultConfiguration's %d{HH:mm:ss.SSS} takes its
// date from the file's modification time and rolls over at midnight.
func TestLog4j2TimeOfDay(t *testing.T) {
	text := strings.Join([]string{
		"23:59:58.100 [main] INFO  com.example.App - almost midnight",
		"23:59:59.900 [main] DEBUG com.example.App - still the same day",
		"00:00:00.250 [main] WARN  com.example.App - next day",
		"00:00:00.200 [worker-1] INFO  com.example.App - slightly out of order, same day",
	}, "\n")
	// testModTime is 2023-08-16 00:00 UTC: the first line (23:59:58) is
	// later in the day than the file's last write, so it is the day before.
	evs, _ := decodeText(t, Log4j2ID, "UTC", text)
	for i, w := range []string{"2023-08-15T23:59:58.1Z", "2023-08-15T23:59:59.9Z", "2023-08-16T00:00:00.25Z", "2023-08-16T00:00:00.2Z"} {
		if !evs[i].Time.Equal(mustTime(t, w)) {
			t.Errorf("event %d: %v, want %s", i, evs[i].Time, w)
		}
	}
	// A file written later that day, in another zone: the modification
	// date in that zone is the date.
	loc := time.FixedZone("+08:00", 8*3600)
	spec := Spec{Path: "app.log", Source: "app", ModTime: time.Date(2023, 8, 16, 18, 0, 0, 0, loc), Loc: loc, Format: Lookup(Log4j2ID)}
	var got []time.Time
	if _, err := ReadInput(strings.NewReader("14:22:17.123 [main] ERROR com.example.App - boom\n"), spec, func(e *event.Event) { got = append(got, e.Time) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Equal(mustTime(t, "2023-08-16T06:22:17.123Z")) {
		t.Errorf("got %v", got)
	}
}

// TestLog4j2LnavJava: lnav's Java sample (a Spring-style custom log4j2
// pattern with padded [thread] and logger columns), all 20 lines.
func TestLog4j2LnavJava(t *testing.T) {
	text := appCorpus(t, "lnav", "test", "logfile_java.0")
	evs, st := decodeText(t, "", "UTC", text)
	if st.Format != Log4j2ID || st.Events != 20 || st.Lines != 20 {
		t.Fatalf("stats %+v", st)
	}
	e := &evs[0]
	if !e.Time.Equal(mustTime(t, "2025-01-24T07:00:30.139Z")) || e.Level != "info" || appField(e, "thread") != "background-preinit" ||
		appField(e, "logger") != "Version" || e.Message != "HV000001: Hibernate Validator 8.0.1.Final" {
		t.Errorf("first event %+v", e)
	}
	if evs[6].Message != "\t/objroot/iorroot/activators/activator-ts_one.ior" || appField(&evs[4], "thread") != "arm-thread-pool1-thread-1" {
		t.Errorf("events 4, 6: %q %q", appField(&evs[4], "thread"), evs[6].Message)
	}
}

// TestLog4j2Loghub compares with loghub's structured CSV (level, thread,
// logger, content) for every line of its Hadoop, Spark and ZooKeeper
// samples.
func TestLog4j2Loghub(t *testing.T) {
	for _, sys := range []string{"Hadoop", "Spark", "Zookeeper"} {
		t.Run(sys, func(t *testing.T) {
			text := appCorpus(t, "loghub", sys, sys+"_2k.log")
			rows, err := csv.NewReader(strings.NewReader(appCorpus(t, "loghub", sys, sys+"_2k.log_structured.csv"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			evs, st := decodeText(t, "", "UTC", text)
			if st.Format != Log4j2ID || st.Events != 2000 {
				t.Fatalf("stats %+v", st)
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			for i, r := range rows[1:] {
				e := &evs[i]
				if e.Level != LevelOf(r[col["Level"]]) || strings.TrimSpace(e.Message) != strings.TrimSpace(r[col["Content"]]) {
					t.Errorf("line %d: %q %q, want %q %q", i+1, e.Level, e.Message, r[col["Level"]], r[col["Content"]])
				}
				if sys == "Hadoop" && (appField(e, "thread") != r[col["Process"]] || appField(e, "logger") != r[col["Component"]]) {
					t.Errorf("line %d: thread %q logger %q", i+1, appField(e, "thread"), appField(e, "logger"))
				}
				if sys == "Spark" && appField(e, "logger") != r[col["Component"]] {
					t.Errorf("line %d: logger %q", i+1, appField(e, "logger"))
				}
			}
		})
	}
}

// TestLog4j2LnavSpark: lnav's Spark executor log (yy/MM/dd stamps).
func TestLog4j2LnavSpark(t *testing.T) {
	text := appCorpus(t, "lnav", "test", "logfile_spark.0")
	evs, st := decodeText(t, "", "UTC", text)
	if st.Format != Log4j2ID || st.Events != 399 || st.Unparsed != 0 {
		t.Fatalf("stats %+v", st)
	}
	e := &evs[0]
	if !e.Time.Equal(mustTime(t, "2017-06-09T20:10:40Z")) || e.Level != "info" || appField(e, "logger") != "executor.CoarseGrainedExecutorBackend" ||
		e.Message != "Registered signal handlers for [TERM, HUP, INT]" {
		t.Errorf("first event %+v", e)
	}
}

func TestLog4j2Rejects(t *testing.T) {
	d := Lookup(Log4j2ID).New(&Context{Loc: appLoc(t, "UTC"), ModTime: testModTime})
	for _, l := range []string{
		"54 [main] INFO MyApp.foo.bar - Entering application.",
		"2023-08-15 14:22:17.123  INFO 12345 --- [           main] c.e.o.OrderServiceApplication            : Started",
		"2023-08-15 14:22:17,123 - tax_adapter.client - ERROR - message",
		"2023-08-15 14:22:17,123 ERROR tax_adapter.client: message",
		"2023-08-15 14:22:17,123:ERROR:tax_adapter.client:message",
		"2023-08-15T14:22:17.123456Z 0 [Warning] [MY-010068] [Server] CA certificate ca.pem is self signed.",
		"2023-08-15 14:22:17.123 UTC [123] LOG:  checkpoint starting: time",
		"00:00:00.000 foo DEBUG  some super duper message",
	} {
		if v := d.Decode([]byte(l), appEvent(l), nil); v != Reject {
			t.Errorf("%q: verdict %d, want Reject", l, v)
		}
	}
}

func FuzzLog4j2(f *testing.F) {
	fuzzFormat(f, Log4j2ID,
		"23:59:59.999 [a] INFO b - c\n00:00:00.000 [a] INFO b - d\n",
		"2015-07-29 17:41:44,747 - INFO  [Q[m=1]/0:2181:F@774] - N\n\tat x\n",
		"2000-09-07 14:07:44 INFO org.foo.bar:32 - E\n54 [main] INFO x - y\n",
		"17/06/09 20:10:40 INFO spark.SecurityManager: Changing view acls to: yarn,curi\n")
}

func BenchmarkLog4j2(b *testing.B) {
	lines := strings.Join([]string{
		"2023-08-15 14:22:17,123 [http-nio-8080-exec-1] ERROR com.example.order.OrderService - Order 42 failed",
		"org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection",
		"\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:277)",
		"\t... 48 common frames omitted",
		"2023-08-15 14:22:18,001 WARN  [main] c.e.o.OrderController:88 - slow request 1200ms",
		"2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster for application appattempt_1445144423722_0020_000001",
		"2000-09-07 14:07:41,508 [main] INFO  MyApp - Entering application.",
	}, "\n") + "\n"
	appBench(b, Log4j2ID, appRepeat(lines, 4<<20))
}
