package correlate

import (
	"strings"
	"testing"
)

// dbLinkFailureSimple is dbLinkFailure written plainly: a search for each
// phrase.
func dbLinkFailureSimple(msg string) bool {
	for _, p := range dbLinkFailures {
		if strings.Contains(msg, p.text) {
			return true
		}
	}
	return false
}

// dbLinkTexts are messages for TestDBLinkFailure and seeds of
// FuzzDBLinkFailure, with whether they are a link failure.
var dbLinkTexts = []struct {
	msg  string
	want bool
}{
	{"", false},
	{"t", false},
	{"Communications link failure", true},
	{"Communications link failur", false},
	{"HikariPool-1 - Connection is not available, request timed out after 30000ms (total=0, active=0, idle=0, waiting=3)", true},
	{"HikariPool-1 - Connection is not available, request timed out after 30000ms (total=10, active=10, idle=0, waiting=3)", false},
	{"Could not open JDBC Connection for transaction", true},
	{"org.springframework.jdbc.CannotGetJdbcConnectionException: Unable to acquire JDBC Connection", true},
	{"Could not create connection to database server. Attempted reconnect 3 times.", true},
	{"Can't connect to MySQL server on '10.0.2.20:3306' (111)", true},
	{"Connection to the database failed: timeout", true},
	{"FATAL: the database system is shutting down", true},
	{"FATAL: terminating connection due to administrator command", true},
	{"upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.15.164, server: api.invoice.example.com, request: \"POST /api/invoice HTTP/1.1\", upstream: \"http://10.0.2.7:8080/api/invoice\", host: \"api.invoice.example.com:9443\"", false},
	{"connect() failed (111: Connection refused) while connecting to upstream", false},
	{"the the database system is shutting dow", false},
	{"ttotal=0, active=0", true},
	{"CCommunications link failure at the end", true},
	{"UUnable to acquire JDBC Connectio", false},
}

func TestDBLinkFailure(t *testing.T) {
	for _, c := range dbLinkTexts {
		if got := dbLinkFailure(c.msg); got != c.want {
			t.Errorf("dbLinkFailure(%q) = %v, want %v", c.msg, got, c.want)
		}
		if got := dbLinkFailureSimple(c.msg); got != c.want {
			t.Errorf("dbLinkFailureSimple(%q) = %v, want %v", c.msg, got, c.want)
		}
	}
}

// FuzzDBLinkFailure compares dbLinkFailure with dbLinkFailureSimple.
func FuzzDBLinkFailure(f *testing.F) {
	for _, c := range dbLinkTexts {
		f.Add(c.msg)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := dbLinkFailure(s), dbLinkFailureSimple(s); got != want {
			t.Fatalf("dbLinkFailure(%q) = %v, the simple way %v", s, got, want)
		}
	})
}

func BenchmarkDBLinkFailure(b *testing.B) {
	msg := dbLinkTexts[13].msg
	for b.Loop() {
		dbLinkFailure(msg)
	}
}

func BenchmarkDBLinkFailureSimple(b *testing.B) {
	msg := dbLinkTexts[13].msg
	for b.Loop() {
		dbLinkFailureSimple(msg)
	}
}
