package gen

import (
	"fmt"
	"strings"
	"time"
)

// SkimNginx is an nginx access log made to test skimming (the parse
// pipeline's reading plain records in part): 4xx and 5xx
// lines among the plain ones, error-log lines with continuations, a clock
// that goes back by more than the reorder window holds, and lines longer
// than 200 bytes (cut at that --max-line).
func SkimNginx() string {
	var b strings.Builder
	at := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	for i := 0; i < 4000; i++ {
		switch {
		case i == 2000:
			at = at.Add(-20 * time.Minute)
		case i%500 == 250:
			fmt.Fprintf(&b, "%s [error] 7#7: *%d connect() failed (111: Connection refused) while connecting to upstream\n  more\n", at.Format("2006/01/02 15:04:05"), i)
		case i%700 == 0:
			b.WriteString("10.0.0.1 - - [" + strings.Repeat("x", 300) + "\n")
		case i%900 == 450:
			fmt.Fprintf(&b, "10.0.0.9 - - [%s] \"GET /%s HTTP/1.1\" 200 1 \"-\" \"c\" 0.001 10.0.2.9:8080 200\n", at.Format("02/Jan/2006:15:04:05 -0700"), strings.Repeat("p", 250))
		}
		status := []string{"200", "201", "304", "200", "404", "503", "200", "502"}[i%8]
		fmt.Fprintf(&b, "10.0.%d.%d - - [%s] \"GET /api/item/%d HTTP/1.1\" %s %d \"-\" \"curl/8.1\" 0.%03d 10.0.2.%d:8080 %s\n",
			i%7, i%250, at.Format("02/Jan/2006:15:04:05 -0700"), i, status, 100+i%900, i%1000, 5+i%3, status)
		if i%3 == 0 {
			at = at.Add(time.Second)
		}
	}
	return b.String()
}

// SkimJava is a Spring Boot log (kafka: a Kafka server log) made to
// test skimming in a Multiline format: plain records, warnings and
// errors, plain records a trace follows (whose cause makes them notable),
// blank lines between records, a clock that goes back by more than the
// reorder window holds, and long lines.
func SkimJava(kafka bool) string {
	var b strings.Builder
	at := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	for i := 0; i < 3000; i++ {
		if i == 1500 {
			at = at.Add(-20 * time.Minute)
		}
		level := []string{"INFO", "INFO", "DEBUG", "INFO", "WARN", "INFO", "ERROR", "INFO"}[i%8]
		msg := fmt.Sprintf("handled request %d in %d ms", i, i%97)
		if i%400 == 7 {
			msg += " " + strings.Repeat("q", 250)
		}
		if kafka {
			fmt.Fprintf(&b, "[%s] %s [ReplicaFetcher replicaId=1, leaderId=%d, fetcherId=0] %s (kafka.server.ReplicaFetcherThread)\n",
				at.Format("2006-01-02 15:04:05,000"), level, i%3, msg)
		} else {
			fmt.Fprintf(&b, "%s %5s 4242 --- [nio-8080-exec-%d] c.e.o.web.OrderController                : %s\n",
				at.Format("2006-01-02 15:04:05.000"), level, i%9, msg)
		}
		switch {
		case i%50 == 3 && i < 1000, i%5 == 3 && i >= 2200 && i < 2500: // a plain start its trace makes notable (a signal at any level), sparse then a burst
			b.WriteString("java.lang.IllegalStateException: retry failed\n\tat com.example.Order.submit(Order.java:57)\n")
			b.WriteString("Caused by: java.lang.IllegalStateException: worker OOMKilled\n\t... 12 more\n")
		case i%60 == 5:
			b.WriteString("\tat com.example.Order.plain(Order.java:1)\n")
		case i%70 == 9:
			b.WriteString("\n   \n")
		}
		if i%2 == 0 {
			at = at.Add(time.Second)
		}
	}
	return b.String()
}
