package parse

import (
	"strings"
	"testing"
)

// springLines are Spring Boot lines as Boot prints them: the reference
// documentation's examples (2.x, 3.3 without and 3.4+ with the application
// name) and lines of real Kafka-consuming services quoted in public issues.
var springLines = []string{
	"2019-03-05 10:57:51.112  INFO 45469 --- [           main] org.apache.catalina.core.StandardEngine  : Starting Servlet Engine: Apache Tomcat/7.0.52",
	"2019-03-05 10:57:51.253  INFO 45469 --- [ost-startStop-1] o.a.c.c.C.[Tomcat].[localhost].[/]       : Initializing Spring embedded WebApplicationContext",
	"2024-04-18T19:56:04.218Z  INFO 14537 --- [           main] o.s.b.d.f.logexample.MyApplication       : Starting MyApplication using Java 17.0.11 with PID 14537 (/opt/apps/myapp.jar started by myuser in /opt/apps/)",
	"2025-05-10T01:34:33.608Z  INFO 88909 --- [myapp] [           main] o.s.b.d.f.logexample.MyApplication       : Starting MyApplication using Java 17.0.15 with PID 88909 (/opt/apps/myapp.jar started by myuser in /opt/apps/)",
	"2021-01-21 21:56:41.382  WARN 18 --- [ntainer#0-0-C-1] org.apache.kafka.clients.NetworkClient   : [Consumer clientId=consumer-email-1, groupId=email] Connection to node -1 (localhost/127.0.0.1:9092) could not be established. Broker may not be available.",
	"2021-09-28 10:21:01.443  INFO 21868 --- [-consumer-0-C-1] o.a.k.c.c.internals.AbstractCoordinator  : [Consumer clientId=consumer-2, groupId=dbserver1-ddl-consumer] Discovered group coordinator 172.17.0.4:9092 (id: 2147483646 rack: null)",
	"2023-08-15T14:22:17.123+08:00 ERROR 12345 --- [order-service] [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception",
	"java.lang.IllegalStateException: order 42 has no lines",
	"\tat com.example.order.web.OrderController.submit(OrderController.java:57) ~[classes/:na]",
	"Caused by: org.springframework.web.client.ResourceAccessException: I/O error on POST request for \"http://tax-svc:8080/v1/quote\": Connection refused",
	"\t... 12 more",
	"2023-08-15T06:22:18.001Z  WARN 12345 --- [order-service] [nio-8080-exec-2] [0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331] c.e.o.web.OrderController                : slow request 1200ms",
	"2023-08-15 14:22:19.500 DEBUG [order-service,5f0e2b3c4d5e6f70,9a1c2b3d4e5f6071] 12345 --- [nio-8080-exec-3] c.e.o.web.OrderController                : GET /orders/42",
}

func TestSpringBoot(t *testing.T) {
	text := strings.Join(springLines, "\n")
	evs, st := decodeText(t, SpringBootID, "UTC", text)
	if st.Events != 9 || st.Continuation != 4 || st.Unparsed != 0 {
		t.Fatalf("stats %+v", st)
	}
	want := []struct {
		time, level, pid, app, thread, logger, msg string
	}{
		{"2019-03-05T10:57:51.112Z", "info", "45469", "", "main", "org.apache.catalina.core.StandardEngine", "Starting Servlet Engine: Apache Tomcat/7.0.52"},
		{"2019-03-05T10:57:51.253Z", "info", "45469", "", "ost-startStop-1", "o.a.c.c.C.[Tomcat].[localhost].[/]", "Initializing Spring embedded WebApplicationContext"},
		{"2024-04-18T19:56:04.218Z", "info", "14537", "", "main", "o.s.b.d.f.logexample.MyApplication", "Starting MyApplication using Java 17.0.11 with PID 14537 (/opt/apps/myapp.jar started by myuser in /opt/apps/)"},
		{"2025-05-10T01:34:33.608Z", "info", "88909", "myapp", "main", "o.s.b.d.f.logexample.MyApplication", "Starting MyApplication using Java 17.0.15 with PID 88909 (/opt/apps/myapp.jar started by myuser in /opt/apps/)"},
		{"2021-01-21T21:56:41.382Z", "warn", "18", "", "ntainer#0-0-C-1", "org.apache.kafka.clients.NetworkClient", "[Consumer clientId=consumer-email-1, groupId=email] Connection to node -1 (localhost/127.0.0.1:9092) could not be established. Broker may not be available."},
		{"2021-09-28T10:21:01.443Z", "info", "21868", "", "-consumer-0-C-1", "o.a.k.c.c.internals.AbstractCoordinator", "[Consumer clientId=consumer-2, groupId=dbserver1-ddl-consumer] Discovered group coordinator 172.17.0.4:9092 (id: 2147483646 rack: null)"},
		{"2023-08-15T06:22:17.123Z", "error", "12345", "order-service", "nio-8080-exec-1", "o.a.c.c.C.[.[.[/].[dispatcherServlet]", "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception"},
		{"2023-08-15T06:22:18.001Z", "warn", "12345", "order-service", "nio-8080-exec-2", "c.e.o.web.OrderController", "slow request 1200ms"},
		{"2023-08-15T14:22:19.5Z", "debug", "12345", "order-service", "nio-8080-exec-3", "c.e.o.web.OrderController", "GET /orders/42"},
	}
	for i, w := range want {
		e := &evs[i]
		if !e.Time.Equal(mustTime(t, w.time)) || string(e.Level) != w.level || appField(e, "pid") != w.pid || appField(e, "app") != w.app ||
			appField(e, "thread") != w.thread || appField(e, "logger") != w.logger || appFirstLine(e.Message) != w.msg {
			t.Errorf("event %d = %v %q pid=%q app=%q thread=%q logger=%q %q", i, e.Time, e.Level,
				appField(e, "pid"), appField(e, "app"), appField(e, "thread"), appField(e, "logger"), appFirstLine(e.Message))
		}
	}
	if e := &evs[6]; appField(e, "exception") != "java.lang.IllegalStateException" || appField(e, "cause") != "org.springframework.web.client.ResourceAccessException" || e.Lines != 5 || !e.Zoned {
		t.Errorf("trace event: exception %q cause %q lines %d zoned %v", appField(e, "exception"), appField(e, "cause"), e.Lines, e.Zoned)
	}
	if e := &evs[7]; appField(e, "trace_id") != "0af7651916cd43dd8448eb211c80319c" || appField(e, "span_id") != "b7ad6b7169203331" {
		t.Errorf("correlation: %v", e.Fields)
	}
	if e := &evs[8]; appField(e, "trace_id") != "5f0e2b3c4d5e6f70" || appField(e, "span_id") != "9a1c2b3d4e5f6071" {
		t.Errorf("sleuth: %v", e.Fields)
	}
	// the Kafka client enricher ran on the Spring records
	if e := &evs[4]; appField(e, "client_id") != "consumer-email-1" || appField(e, "group") != "email" || appField(e, "node") != "-1" || appField(e, "target") != "localhost:9092" {
		t.Errorf("kafka client fields: %v", e.Fields)
	}
	if _, dst := decodeText(t, "", "UTC", text); dst.Format != SpringBootID {
		t.Errorf("detected %q (%.2f), runner-up %q (%.2f)", dst.Format, dst.Confidence, dst.RunnerUp, dst.RunnerUpConfidence)
	}
}

func TestSpringBootRejects(t *testing.T) {
	d := Lookup(SpringBootID).New(&Context{Loc: appLoc(t, "UTC"), ModTime: testModTime})
	for _, l := range []string{
		"2023-08-15 14:22:17,123 [main] INFO  com.example.App - started",
		"2023-08-15 14:22:17,123 - tax_adapter.client - ERROR - message",
		"2023-08-15 14:22:17.123  INFO 12345 --- c.e.o.OrderServiceApplication : no thread",
		"2023-08-15 14:22:17.123  INFO 12345 --- [main] c.e.o.OrderServiceApplication no colon",
	} {
		if v := d.Decode([]byte(l), appEvent(l), nil); v != Reject {
			t.Errorf("%q: verdict %d, want Reject", l, v)
		}
	}
}

func FuzzSpringBoot(f *testing.F) {
	fuzzFormat(f, SpringBootID, strings.Join(springLines, "\n"),
		"2023-08-15 14:22:17.123  INFO [a,b] 1 --- [x] [y] [0af7651916cd43dd8448eb2-b] l : m\n\tat x\n",
		"2023-08-15 14:22:17.123 ERROR  --- [ main] l :\n")
}

func BenchmarkSpringBoot(b *testing.B) {
	appBench(b, SpringBootID, appRepeat(strings.Join(springLines, "\n")+"\n", 4<<20))
}

// TestJavaLoggerByte checks the logger-name byte table against the rule it
// stands for: letters, digits and ._$-[]/#@.
func TestJavaLoggerByte(t *testing.T) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		want := 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || strings.IndexByte("._$-[]/#@", b) >= 0
		if javaLoggerByte[b] != want {
			t.Errorf("javaLoggerByte[%q] = %v, want %v", b, javaLoggerByte[b], want)
		}
	}
}

// FuzzJavaMatchBracket holds javaMatchBracket's quick path to the nested
// count on any text and start.
func FuzzJavaMatchBracket(f *testing.F) {
	for _, s := range []string{"[main]", "[a[b]c] x", "[[]", "]]", "x[y]", "[order-service] [ntainer#0-2-C-1]"} {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, s string, i int) {
		if i < 0 || i > len(s) {
			return
		}
		if got, want := javaMatchBracket(s, i), javaMatchNested(s, i); got != want {
			t.Fatalf("javaMatchBracket(%q, %d) = %d, want %d", s, i, got, want)
		}
	})
}

// loggerEndSimple is javaLoggerEnd a byte at a time.
func loggerEndSimple(s string, i int) int {
	for i < len(s) && javaLoggerByte[s[i]] {
		i++
	}
	return i
}

// TestJavaLoggerEnd: javaLoggerEnd stops where the byte-at-a-time loop
// does, at each offset of names of every length around the four-byte
// step, ended by a space, another byte or the text's end.
func TestJavaLoggerEnd(t *testing.T) {
	for _, s := range []string{"", "a", "ab", "abc", "abcd", "abcde", "c.e.o.web.OrderController                : x",
		"o.a.c.c.C.[Tomcat].[localhost].[/]       : x", "Foo$Bar:", "abc d", "abcd efgh", "abcdefg!", "ab\x00cd", "é.x"} {
		for i := 0; i <= len(s); i++ {
			if got, want := javaLoggerEnd(s, i), loggerEndSimple(s, i); got != want {
				t.Errorf("javaLoggerEnd(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
	}
}

// FuzzJavaLoggerEnd holds javaLoggerEnd to the byte-at-a-time loop.
func FuzzJavaLoggerEnd(f *testing.F) {
	f.Add("c.e.o.web.OrderController                : x", 0)
	f.Add("abcdefg h", 3)
	f.Fuzz(func(t *testing.T, s string, i int) {
		if i < 0 || i > len(s) {
			return
		}
		if got, want := javaLoggerEnd(s, i), loggerEndSimple(s, i); got != want {
			t.Fatalf("javaLoggerEnd(%q, %d) = %d, want %d", s, i, got, want)
		}
	})
}
