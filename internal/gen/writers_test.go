package gen

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// at17 is 2023-08-15 14:22:17.123456 +08:00 (06:22:17.123456Z).
var at17 = time.Date(2023, 8, 15, 6, 22, 17, 123456000, time.UTC)

func TestNginxAccessLine(t *testing.T) {
	n := NewNginx(Shanghai)
	got := string(n.AppendAccess(nil, at17, &Access{Client: "10.0.0.7", Method: "POST", URI: "/api/invoice", Proto: "HTTP/1.1",
		Status: 503, Bytes: 197, UserAgent: "okhttp/4.9.3", RequestTime: 30001 * time.Millisecond, Upstream: "10.0.2.5:8080", UpstreamStatus: 503}))
	want := `10.0.0.7 - - [15/Aug/2023:14:22:17 +0800] "POST /api/invoice HTTP/1.1" 503 197 "-" "okhttp/4.9.3" 30.001 10.0.2.5:8080 503` + "\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	got = string(n.AppendAccess(nil, at17, &Access{Client: "10.0.0.2", Method: "GET", URI: "/health", Proto: "HTTP/1.1", Status: 404, Bytes: NginxErrorPageBytes(404), UserAgent: "ELB-HealthChecker/2.0"}))
	want = `10.0.0.2 - - [15/Aug/2023:14:22:17 +0800] "GET /health HTTP/1.1" 404 146 "-" "ELB-HealthChecker/2.0" 0.000 - -` + "\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// A zone west of UTC.
	ny := mustZone("America/New_York")
	got = string(NewNginx(ny).AppendAccess(nil, at17, &Access{Client: "1.2.3.4", User: "bob", Method: "GET", URI: "/", Proto: "HTTP/1.0", Status: 200, Bytes: 1, Referer: "http://x/", UserAgent: "curl/8.0"}))
	want = `1.2.3.4 - bob [15/Aug/2023:02:22:17 -0400] "GET / HTTP/1.0" 200 1 "http://x/" "curl/8.0" 0.000 - -` + "\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestNginxErrorLine(t *testing.T) {
	got := string(NewNginx(Shanghai).AppendError(nil, at17, &NginxError{Level: "error", PID: 31, Conn: 4821,
		Text:   "upstream timed out (110: Connection timed out) while reading response header from upstream",
		Client: "10.0.0.7", Server: "api.invoice.example.com", Request: "POST /api/invoice HTTP/1.1",
		Upstream: "http://10.0.2.5:8080/api/invoice", Host: "api.invoice.example.com:9443"}))
	want := `2023/08/15 14:22:17 [error] 31#31: *4821 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.7, server: api.invoice.example.com, request: "POST /api/invoice HTTP/1.1", upstream: "http://10.0.2.5:8080/api/invoice", host: "api.invoice.example.com:9443"` + "\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestNginxErrorPageBytes(t *testing.T) {
	// nginx 1.2x with server_tokens off.
	for status, want := range map[int]int{404: 146, 502: 150, 503: 190, 504: 160} {
		if got := NginxErrorPageBytes(status); got != want {
			t.Errorf("%d: got %d, want %d", status, got, want)
		}
	}
}

func TestSpringLine(t *testing.T) {
	s := NewSpring("order-service", 1, Shanghai)
	got := string(s.Append(nil, at17, "INFO", "org.springframework.kafka.KafkaListenerEndpointContainer#0-0-C-1",
		"org.apache.kafka.clients.consumer.internals.ConsumerCoordinator", "[Consumer clientId=consumer-order-group-1, groupId=order-group] Revoke previously assigned partitions invoice-issue-0"))
	want := "2023-08-15T14:22:17.123+08:00  INFO 1 --- [order-service] [ntainer#0-0-C-1] o.a.k.c.c.internals.ConsumerCoordinator  : [Consumer clientId=consumer-order-group-1, groupId=order-group] Revoke previously assigned partitions invoice-issue-0\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	got = string(s.Append(nil, at17, "ERROR", "main", "org.apache.kafka.clients.NetworkClient", "x"))
	want = "2023-08-15T14:22:17.123+08:00 ERROR 1 --- [order-service] [           main] org.apache.kafka.clients.NetworkClient   : x\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// UTC is written as Z, as logback's XXX does.
	got = string(NewSpring("a", 7, time.UTC).Append(nil, at17, "WARN", "kafka-coordinator-heartbeat-thread | order-group", "com.example.Short", "y"))
	want = "2023-08-15T06:22:17.123Z  WARN 7 --- [a] [d | order-group] com.example.Short                        : y\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestAbbreviateLogger(t *testing.T) {
	for in, want := range map[string]string{
		"org.apache.kafka.clients.consumer.internals.ConsumerCoordinator":                     "o.a.k.c.c.internals.ConsumerCoordinator",
		"org.springframework.kafka.listener.KafkaMessageListenerContainer":                    "o.s.k.l.KafkaMessageListenerContainer",
		"org.apache.kafka.clients.NetworkClient":                                              "org.apache.kafka.clients.NetworkClient",
		"org.hibernate.engine.jdbc.spi.SqlExceptionHelper":                                    "o.h.engine.jdbc.spi.SqlExceptionHelper",
		"org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/].[dispatcherServlet]": "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
	} {
		if got := AbbreviateLogger(in, 39); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}

func TestJavaTrace(t *testing.T) {
	e := &JavaException{Class: "java.lang.RuntimeException", Message: "outer", Frames: []string{"a.A.f(A.java:1)", "a.B.g(B.java:2)", "java.base/java.lang.Thread.run(Thread.java:833)"},
		Cause: &JavaException{Class: "java.net.SocketTimeoutException", Message: "Read timed out", Frames: []string{"x.X.read(X.java:9)", "a.B.g(B.java:2)", "java.base/java.lang.Thread.run(Thread.java:833)"}}}
	got := string(AppendJavaTrace(nil, e))
	want := "java.lang.RuntimeException: outer\n\tat a.A.f(A.java:1)\n\tat a.B.g(B.java:2)\n\tat java.base/java.lang.Thread.run(Thread.java:833)\n" +
		"Caused by: java.net.SocketTimeoutException: Read timed out\n\tat x.X.read(X.java:9)\n\t... 2 more\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// The demo's traces fold their causes' shared frames.
	tr := string(AppendJavaTrace(nil, taxTimeoutTrace()))
	if !strings.Contains(tr, "\nCaused by: java.net.SocketTimeoutException: Read timed out\n") || !strings.Contains(tr, "\t... 43 more\n") {
		t.Errorf("tax timeout trace:\n%s", tr)
	}
}

func TestKafkaLine(t *testing.T) {
	got := string(NewKafka(time.UTC).Append(nil, at17, "INFO", "[GroupCoordinator 1]: Preparing to rebalance group order-group in state PreparingRebalance with old generation 41 (__consumer_offsets-12) (reason: removing member consumer-order-group-1-0f972613 on LeaveGroup)", "kafka.coordinator.group.GroupCoordinator"))
	want := "[2023-08-15 06:22:17,123] INFO [GroupCoordinator 1]: Preparing to rebalance group order-group in state PreparingRebalance with old generation 41 (__consumer_offsets-12) (reason: removing member consumer-order-group-1-0f972613 on LeaveGroup) (kafka.coordinator.group.GroupCoordinator)\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestMySQLErrorLine(t *testing.T) {
	got := string(NewMySQLError(time.UTC).Append(nil, at17, 0, "Warning", "MY-010055", "Server", "IP address '10.0.7.31' could not be resolved: Name or service not known"))
	want := "2023-08-15T06:22:17.123456Z 0 [Warning] [MY-010055] [Server] IP address '10.0.7.31' could not be resolved: Name or service not known\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestSlowLogEntry(t *testing.T) {
	w := NewSlowLog(time.UTC)
	b := w.Header(nil, "8.0.34", "3306", "/var/run/mysqld/mysqld.sock")
	q := SlowQuery{End: at17, User: "order_svc", IP: "10.0.2.5", ID: 1843, QueryTime: 12402113 * time.Microsecond, LockTime: 11900231 * time.Microsecond,
		RowsExamined: 3214877, DB: "invoice", SQL: "SELECT id FROM invoice WHERE tax_num = '91310115MA1K4B2X7Q'"}
	b = w.Append(b, &q)
	q.End = q.End.Add(time.Second)
	b = w.Append(b, &q) // same db: no second "use"
	want := "/usr/sbin/mysqld, Version: 8.0.34 (MySQL Community Server - GPL). started with:\n" +
		"Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock\n" +
		"Time                 Id Command    Argument\n" +
		"# Time: 2023-08-15T06:22:17.123456Z\n" +
		"# User@Host: order_svc[order_svc] @  [10.0.2.5]  Id:  1843\n" +
		"# Query_time: 12.402113  Lock_time: 11.900231 Rows_sent: 0  Rows_examined: 3214877\n" +
		"use invoice;\n" +
		"SET timestamp=1692080524;\n" +
		"SELECT id FROM invoice WHERE tax_num = '91310115MA1K4B2X7Q';\n" +
		"# Time: 2023-08-15T06:22:18.123456Z\n" +
		"# User@Host: order_svc[order_svc] @  [10.0.2.5]  Id:  1843\n" +
		"# Query_time: 12.402113  Lock_time: 11.900231 Rows_sent: 0  Rows_examined: 3214877\n" +
		"SET timestamp=1692080525;\n" +
		"SELECT id FROM invoice WHERE tax_num = '91310115MA1K4B2X7Q';\n"
	if string(b) != want {
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}
}

func TestPipeAndJSONLines(t *testing.T) {
	got := string(NewPipe(Shanghai).Append(nil, at17, "ERROR", "tax-adapter", "POST https://api.tax.example.gov/v2/invoices/verify: HTTP 503 - Service Unavailable"))
	want := "[2023-08-15 14:22:17] ERROR | tax-adapter | POST https://api.tax.example.gov/v2/invoices/verify: HTTP 503 - Service Unavailable\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	got = string(NewJSONLog(time.UTC).Append(nil, at17, "error", "taxclient", "", "tax authority request failed",
		Int("status", 503), Int("latency_ms", 30012), Str("url", "https://api.tax.example.gov/v2/invoices/verify")))
	want = `{"level":"error","ts":"2023-08-15T06:22:17.123Z","logger":"taxclient","msg":"tax authority request failed","status":503,"latency_ms":30012,"url":"https://api.tax.example.gov/v2/invoices/verify"}` + "\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	got = string(NewJSONLog(Shanghai).Append(nil, at17, "info", "", "", "quote \" backslash \\ tab \t nl \n ctl \x01 é bad \xff"))
	want = `{"level":"info","ts":"2023-08-15T14:22:17.123+0800","msg":"quote \" backslash \\ tab \t nl \n ctl \u0001 é bad \ufffd"}` + "\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestSyslogLine(t *testing.T) {
	w := NewSyslog("node-3", Shanghai)
	got := string(w.Append(nil, at17, "kernel", 0, KernelStamp(8823412551512*time.Microsecond)+" Memory cgroup out of memory: Killed process 28790 (java)"))
	want := "Aug 15 14:22:17 node-3 kernel: [8823412.551512] Memory cgroup out of memory: Killed process 28790 (java)\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	got = string(w.Append(nil, time.Date(2023, 8, 5, 1, 2, 3, 0, time.UTC), "CRON", 21833, "(root) CMD (true)"))
	want = "Aug  5 09:02:03 node-3 CRON[21833]: (root) CMD (true)\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := KernelStamp(12345678 * time.Microsecond); got != "[   12.345678]" {
		t.Errorf("KernelStamp: %q", got)
	}
}

func TestBinlogTransaction(t *testing.T) {
	w := NewBinlog(Kolkata, rand.New(rand.NewPCG(1, 2)), 1, binlogUUID, "8.0.34", 1842006, 9120311)
	b := w.Header(nil, at17.Add(-time.Hour))
	start := at17
	tx := &BinlogTx{Start: start, Commit: start.Add(1500 * time.Millisecond), ThreadID: 18401, Changes: []RowChange{
		{Kind: 'I', DB: "invoice", Table: "invoice", After: []string{BinStr("INV-20230815-004211"), "7731187", BinStr("O'Brien"), "1280.00", BinDatetime(start.In(Shanghai))}},
		{Kind: 'U', DB: "invoice", Table: "order_info", Before: []string{"7731187", "'PAID'", "0"}, After: []string{"7731187", "'INVOICED'", "1"}},
	}}
	b, g := w.AppendTx(b, tx)
	b = w.Footer(b)
	s := string(b)
	for _, want := range []string{
		"# at 4\n#230815 10:52:17 server id 1  end_log_pos 126 CRC32 0x",
		" \tStart: binlog v 4, server v 8.0.34 created 230815 10:52:17\n# Warning: this binlog is either in use or was not closed properly.\n# at 126\n",
		" \tPrevious-GTIDs\n# " + binlogUUID + ":1-1842005\n# at 197\n#230815 11:52:17 server id 1  end_log_pos 276 CRC32 0x",
		" \tGTID\tlast_committed=0\tsequence_number=1\trbr_only=yes\toriginal_committed_timestamp=1692080538623456\timmediate_commit_timestamp=1692080538623456\ttransaction_length=",
		"# original_commit_timestamp=1692080538623456 (2023-08-15 11:52:18.623456 IST)\n",
		"SET @@SESSION.GTID_NEXT= '" + binlogUUID + ":1842006'/*!*/;\n# at 276\n",
		" \tQuery\tthread_id=18401\texec_time=0\terror_code=0\nSET TIMESTAMP=1692080537/*!*/;\nSET @@session.pseudo_thread_id=18401/*!*/;\n",
		"BEGIN\n/*!*/;\n# at ",
		" \tTable_map: `invoice`.`invoice` mapped to number 108\n# has_generated_invisible_primary_key=0\n",
		" \tWrite_rows: table id 108 flags: STMT_END_F\n### INSERT INTO `invoice`.`invoice`\n### SET\n###   @1='INV-20230815-004211'\n###   @2=7731187\n###   @3='O\\'Brien'\n###   @4=1280.00\n###   @5='2023-08-15 14:22:17'\n",
		"### UPDATE `invoice`.`order_info`\n### WHERE\n###   @1=7731187\n###   @2='PAID'\n###   @3=0\n### SET\n###   @1=7731187\n###   @2='INVOICED'\n###   @3=1\n",
		"#230815 11:52:18 server id 1  end_log_pos ",
		" \tXid = 9120311\nCOMMIT/*!*/;\nSET @@SESSION.GTID_NEXT= 'AUTOMATIC' /* added by mysqlbinlog */ /*!*/;\nDELIMITER ;\n# End of log file\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("binlog text lacks %q\n%s", want, s)
		}
	}
	if g.String() != binlogUUID+":1842006" || g.Xid != 9120311 || g.Pos != 197 || g.End != w.Pos() {
		t.Errorf("GTID %+v, pos %d", g, w.Pos())
	}
	checkBinlogPositions(t, "test", s)
}

func TestSeconds(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		n    int
		want string
	}{{30001 * time.Millisecond, 3, "30.001"}, {0, 3, "0.000"}, {1999999 * time.Microsecond, 3, "2.000"}, {12402113 * time.Microsecond, 6, "12.402113"}, {-time.Second, 3, "0.000"}} {
		if got := string(appendSeconds(nil, c.d, c.n)); got != c.want {
			t.Errorf("%v/%d: got %s, want %s", c.d, c.n, got, c.want)
		}
	}
	if got := string(appendPad(nil, 42, 6)); got != "000042" {
		t.Errorf("appendPad: %s", got)
	}
	if got := string(appendInt(nil, -1234567)); got != "-1234567" {
		t.Errorf("appendInt: %s", got)
	}
}
