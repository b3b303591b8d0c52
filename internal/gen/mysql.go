package gen

import (
	"strconv"
	"time"
)

// MySQLError writes MySQL 8.0 error-log lines. With the default
// log_timestamps=UTC the stamp is UTC with microseconds and a Z:
//
//	2023-08-15T06:22:17.123456Z 0 [Warning] [MY-010055] [Server] IP address '10.0.7.31' could not be resolved: Name or service not known
type MySQLError struct {
	k *Clock
}

// NewMySQLError returns an error-log writer; loc is UTC for the default
// log_timestamps=UTC (a server with log_timestamps=SYSTEM writes its offset).
func NewMySQLError(loc *time.Location) *MySQLError { return &MySQLError{k: NewClock(loc)} }

// Append appends one line (with its newline). prio is "System", "ERROR",
// "Warning" or "Note"; code like "MY-010055"; subsystem "Server", "InnoDB",
// "Repl".
func (w *MySQLError) Append(b []byte, t time.Time, thread int64, prio, code, subsystem, msg string) []byte {
	c := w.k.at(t)
	b = appendDate(b, c, '-')
	b = append(b, 'T')
	b = appendHMS(b, c)
	b = append(b, '.')
	b = appendFrac(b, t.Nanosecond(), 6)
	b = appendOffset(b, c.off, true, true)
	b = append(b, ' ')
	b = appendInt(b, thread)
	b = append(b, " ["...)
	b = append(b, prio...)
	b = append(b, "] ["...)
	b = append(b, code...)
	b = append(b, "] ["...)
	b = append(b, subsystem...)
	b = append(b, "] "...)
	b = append(b, msg...)
	return append(b, '\n')
}

// SlowLog writes MySQL 8.0 slow-query-log entries:
//
//	# Time: 2023-08-15T06:22:31.402113Z
//	# User@Host: order_svc[order_svc] @  [10.0.2.5]  Id:  1843
//	# Query_time: 12.402113  Lock_time: 11.900231 Rows_sent: 0  Rows_examined: 3214877
//	use invoice;
//	SET timestamp=1692080539;
//	SELECT ...;
//
// "use db;" is written when the entry's database differs from the last one
// written, as the server does.
type SlowLog struct {
	k      *Clock
	lastDB string
}

// NewSlowLog returns a slow-log writer (loc UTC for log_timestamps=UTC).
func NewSlowLog(loc *time.Location) *SlowLog { return &SlowLog{k: NewClock(loc)} }

// SlowQuery is one slow-log entry.
type SlowQuery struct {
	End          time.Time // when the statement finished: the "# Time:" stamp
	User         string    // account user, e.g. "order_svc"
	Host         string    // client host name, "" when only the IP is known
	IP           string
	ID           int64 // connection id
	QueryTime    time.Duration
	LockTime     time.Duration
	RowsSent     int64
	RowsExamined int64
	DB           string
	SQL          string // without the trailing ';'
}

// Header appends the lines mysqld writes when it opens the slow log.
func (w *SlowLog) Header(b []byte, version, port, socket string) []byte {
	b = append(b, "/usr/sbin/mysqld, Version: "...)
	b = append(b, version...)
	b = append(b, " (MySQL Community Server - GPL). started with:\nTcp port: "...)
	b = append(b, port...)
	b = append(b, "  Unix socket: "...)
	b = append(b, socket...)
	b = append(b, "\nTime                 Id Command    Argument\n"...)
	w.lastDB = ""
	return b
}

// Append appends one entry (several lines, each with its newline).
func (w *SlowLog) Append(b []byte, q *SlowQuery) []byte {
	c := w.k.at(q.End)
	b = append(b, "# Time: "...)
	b = appendDate(b, c, '-')
	b = append(b, 'T')
	b = appendHMS(b, c)
	b = append(b, '.')
	b = appendFrac(b, q.End.Nanosecond(), 6)
	b = appendOffset(b, c.off, true, true)
	b = append(b, "\n# User@Host: "...)
	b = append(b, q.User...)
	b = append(b, '[')
	b = append(b, q.User...)
	b = append(b, "] @ "...)
	b = append(b, q.Host...)
	b = append(b, " ["...)
	b = append(b, q.IP...)
	b = append(b, "]  Id: "...)
	id := strconv.FormatInt(q.ID, 10)
	for i := len(id); i < 5; i++ {
		b = append(b, ' ')
	}
	b = append(b, id...)
	b = append(b, "\n# Query_time: "...)
	b = appendSeconds(b, q.QueryTime, 6)
	b = append(b, "  Lock_time: "...)
	b = appendSeconds(b, q.LockTime, 6)
	b = append(b, " Rows_sent: "...)
	b = appendInt(b, q.RowsSent)
	b = append(b, "  Rows_examined: "...)
	b = appendInt(b, q.RowsExamined)
	b = append(b, '\n')
	if q.DB != "" && q.DB != w.lastDB {
		b = append(b, "use "...)
		b = append(b, q.DB...)
		b = append(b, ";\n"...)
		w.lastDB = q.DB
	}
	b = append(b, "SET timestamp="...)
	b = appendInt(b, q.End.Add(-q.QueryTime).Unix())
	b = append(b, ";\n"...)
	b = append(b, q.SQL...)
	return append(b, ";\n"...)
}
