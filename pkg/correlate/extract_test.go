package correlate

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

// extractTexts are segments for checkExtractors: matches and near misses
// of the extractors' regexps, and long heads where the prefix comes late.
var extractTexts = []string{
	"connect() failed (111: Connection refused) while connecting to upstream",
	"(1234: Nope) (12: x) (7: Ok)",
	"at com.acme.Pool.get(Pool.java:88)\n\tat com.acme.Svc.run(Svc.java:12) (110: Connection timed out)",
	`request: "GET /api HTTP/1.1", upstream: "http://10.0.2.7:8080/api", status 503`,
	"returned HTTP 502 from kafka-1/10.0.3.7:9092 and /[::1]:2181",
	"ERROR 1045 (28000): Access denied; ER_ACCESS_DENIED_ERROR",
	"(", "(1", "(12: A", "(12: Ab", "((((1: Ab",
	strings.Repeat("at x.Y.z(Y.java:1)\n", 200) + "(113: No route to host)",
	// the from tests: a '/', "HTTP" or "rror " that cannot start a match
	// before one that can
	"at java.base/java.lang.Thread.run(Thread.java:833) to kafka-1/<unresolved>:9092",
	"GET /api/v1/orders/7717012 /default: /dead::beef:1:8080 /:: /1.2.3.4:99999 /1.2.3.4:5",
	"/fe80::1:2181] /::1:2181: /abc:def:12", "HTTP/1.1.1 200 HTTPHTTP/1.1\" 503 HTTP\f404 HTTP/2 HTTP",
	`"GET / HTTP/1.1", upstream HTTP 200x HTTP` + "\t\t502", "Error x, Error 12 Error 104: rror 1045 (28000)",
	"ERROR ERROR 1205: Lock wait", "rror 9",
	// upstreamSub: schemes without a host after them, hosts without a
	// port, bytes of UTF-8 and invalid UTF-8, misses before a match
	`upstream: "http:///x" upstream: "://x" upstream: "" upstream: "`, `upstream: "ab://`,
	`upstream: "HTTP://h:80" upstream: "h:" upstream: "h:8x"`, `upstream: "unix:/run/php.sock"`,
	"upstream: \"\xff\xfe:12\"", `upstream: "upstream: "a`, `Upstream: "x" upstream: "y:9`,
	`upstream: "https://[::1]:8080/" upstream: "http://h:0123456789012345"`, "upstream: \"a\nb:1\"",
	`upstream: "grpc://é.example:443/x"`, `upstream: "`, `upstream: "h`, `upstream: "1:2`,
	// httpStatusSub and requestForSub
	"HTTP/1.1 200", "HTTP/1 404x HTTP/1.x 200 HTTP\" 503_ HTTP \v200 HTTP\r\n201", "HTTP/2.0\"\t599é HTTP 600 HTTP 1999",
	"HTTPHTTP/1.1\" 502", "HTTP/1.1 50", `HTTP/"404`, "xHTTP 2005 HTTP 200",
	`I/O error on POST request for "http://tax-adapter.invoice.svc:8090/api/v1/invoices/register": Read timed out`,
	`request for "https://h" request for "httpx://h" request for "http://" request for "http:// h"`,
	`request for "ftp://h" request for "https:/h" request for "http://[::1]:80" request for "http://h:x"`,
	`request for "http://h#a:1" request for "http://é\xff:12a" request for "http`, `request for "https`,
	// verbURLSub
	"tax authority request timed out\nPost \"https://api.tax.example.gov/v2/invoices/verify\": context deadline exceeded",
	`GETS "http://a" get "http://a" TARGET "http://b:9" PUT "http://" Head "https://h:" "http://x" DELETE "http://d"`,
	`Patch  "http://a" PATCH"http://a" Post "https://Post "http://p:1/x"`, `Get "http`, `GET "httpx://`, `Get "http://[::1]:8"`,
}

// TestExtractorFind checks that each extractor's find gives what its
// regexp gives on the whole segment (checkExtractors).
func TestExtractorFind(t *testing.T) {
	for _, s := range extractTexts {
		checkExtractors(t, s)
	}
}

// FuzzExtractorFind holds find to the regexps on any segment.
func FuzzExtractorFind(f *testing.F) {
	for _, s := range extractTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkExtractors(t, s)
	})
}

// extractClassifier is one classifier for all checks.
var extractClassifier = sync.OnceValue(NewClassifier)

// checkExtractors fails t when an extractor's find differs from
// FindStringSubmatchIndex of its regexp on s.
func checkExtractors(t *testing.T, s string) {
	t.Helper()
	c := extractClassifier()
	for i := range c.extract {
		x := &c.extract[i]
		var buf [subCap]int
		if got, want := x.find(s, &buf), x.re.FindStringSubmatchIndex(s); !slices.Equal(got, want) {
			t.Fatalf("extractor %q on %q: find %v, regexp %v", x.re, s, got, want)
		}
	}
}
