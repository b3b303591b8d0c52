package parse

import (
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// MySQLErrorID is the id of the MySQL/MariaDB error log format.
const MySQLErrorID = "mysql-error"

func init() {
	Register(&Format{
		ID: MySQLErrorID,
		Description: "MySQL/MariaDB/Percona error log (mysqld.err): 5.1-5.5 \"YYMMDD H:MM:SS\", MariaDB/5.6 " +
			"\"YYYY-MM-DD HH:MM:SS thread\", 5.7/8.0 ISO-8601 with thread, [Level], [MY-code] [Subsystem]; " +
			"mysqld_safe lines and crash banners; unstamped lines (InnoDB dumps, stack traces) fold into the line before",
		Example: "2023-08-15T06:22:17.123456Z 12 [ERROR] [MY-012574] [InnoDB] Unable to lock ./ibdata1 error: 11\n" +
			"2023-08-15T06:22:18.201734Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.0.34'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.\n" +
			"2019-10-08  9:06:57 0 [Note] InnoDB: Using Linux native AIO\n" +
			"150105  9:08:40 [Note] Plugin 'FEDERATED' is disabled.\n" +
			"150105  9:08:40 InnoDB: Completed initialization of buffer pool\n" +
			"InnoDB: The first specified data file ./ibdata1 did not exist:",
		Specificity: 20,
		Multiline:   true,
		NoFallback:  true,
		New:         func(ctx *Context) Decoder { return &mysqlErrorDecoder{loc: ctx.Loc} },
	})
}

// mysqlErrorDecoder reads one error log. Every line that starts with a date
// (YYYY-MM-DD or YYMMDD) in one of MySQL's layouts starts an event; any
// other line folds into the event before it, as Filebeat's mysql module
// does (InnoDB status and deadlock dumps, "Version: ..." after "ready for
// connections", stack traces after a crash banner).
//
// Field mapping: thread (connection id: 5.7+/MariaDB; MySQL 5.6 prints the
// process id there), tid (InnoDB's hex OS thread handle in 5.6 lines),
// error_code (MY-012574), subsystem (InnoDB, Server, Repl...; also taken
// from an "InnoDB: " or "WSREP: " message prefix), program (mysqld_safe),
// and user/host/client/db from "Access denied for user" and "Aborted
// connection" lines. Levels: Note and System are info, Warning warn, ERROR
// error; crash banners ("mysqld got signal") and InnoDB assertion failures
// are fatal; unbracketed 5.5 "InnoDB: Error..." / "InnoDB: Warning..."
// lines get error / warn.
type mysqlErrorDecoder struct {
	loc  *time.Location
	last time.Time // last record time: the date for "HH:MM:SS UTC - mysqld got signal" banners
	ts   stampCache
}

const (
	mysqlStampISOT     = iota // 2017-12-01T12:02:38.123456Z (5.7, 8.0)
	mysqlStampISOSpace        // 2019-10-08  9:06:57 (MariaDB 10.x, MySQL 5.6)
	mysqlStampShort           // 150105  9:08:40 (MySQL <= 5.5, MariaDB < 10.1, mysqld_safe)
)

func (d *mysqlErrorDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if len(line) < 8 || !isDigit(line[0]) {
		return mysqlFold(ev, cur)
	}
	var st stamp
	var ok bool
	kind := mysqlStampShort
	switch {
	case len(line) > 11 && line[4] == '-':
		st, ok = d.ts.iso(line, d.loc)
		kind = mysqlStampISOSpace
		if line[10] == 'T' || line[10] == 't' {
			kind = mysqlStampISOT
		}
	case line[2] == ':':
		return d.crashClock(line, ev, cur)
	default:
		st, ok = parseShortDate(line, d.loc)
	}
	if !ok {
		return mysqlFold(ev, cur)
	}
	raw := ev.Raw
	i := mysqlSkipBlank(line, st.n)
	// A fresh event (every line's: the format has no fallback) takes
	// the distinct keys below without a look for them.
	fresh := len(ev.Fields) == 0
	structured := false // the line has MySQL's structure after the stamp

	// Connection id (decimal), or InnoDB's OS thread handle in hex, which
	// 5.6 glues to "InnoDB:" in deadlock reports ("7f72c0043700InnoDB: ...").
	if j := mysqlHexEnd(line, i); j > i {
		tok := raw[i:j]
		digits := mysqlDigitsEnd(line, i) == j
		sep := j == len(line) || line[j] == ' ' || line[j] == '\t'
		if !sep && mysqlHasPrefix(line[j:], "InnoDB:") {
			sep = !digits
		}
		switch {
		case sep && digits && j-i <= 20:
			freshSet(ev, "thread", tok, fresh)
			structured = true
			i = mysqlSkipBlank(line, j)
		case sep && !digits && j-i >= 8 && kind != mysqlStampShort:
			freshSet(ev, "tid", tok, fresh)
			structured = true
			i = mysqlSkipBlank(line, j)
		}
	}
	// [Level] [MY-012574] [InnoDB]
	if i < len(line) && line[i] == '[' {
		if k := strings.IndexByte(raw[i:], ']'); k > 1 && k <= 12 {
			if lvl, ok := levelWord(line[i+1 : i+k]); ok {
				ev.Level = lvl
				structured = true
				i = mysqlSkipBlank(line, i+k+1)
				if mysqlHasPrefix(line[i:], "[MY-") {
					if k := strings.IndexByte(raw[i:], ']'); k > 0 {
						freshSet(ev, "error_code", raw[i+1:i+k], fresh)
						i = mysqlSkipBlank(line, i+k+1)
						if i < len(line) && line[i] == '[' {
							if k := strings.IndexByte(raw[i:], ']'); k > 1 && k < 40 {
								freshSet(ev, "subsystem", raw[i+1:i+k], fresh)
								i = mysqlSkipBlank(line, i+k+1)
							}
						}
					}
				}
			}
		}
	}
	end := mysqlTrimRight(line, len(line))
	if end < i {
		end = i
	}
	msg := raw[i:end]
	switch {
	case strings.HasPrefix(msg, "UTC - mysqld got signal"), strings.HasPrefix(msg, "- mysqld got signal"):
		msg = msg[strings.IndexByte(msg, '-')+2:]
		structured = true
	case strings.HasPrefix(msg, "mysqld_safe "):
		freshSet(ev, "program", "mysqld_safe", fresh)
		structured = true
	}
	if !structured && kind != mysqlStampShort {
		// An ISO-stamped line without MySQL's thread or [Level]: not a
		// record of this log (e.g. a client tool's output); keep it with
		// the record before, as the multi-line rule does.
		return mysqlFold(ev, cur)
	}
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	ev.Message = msg
	mysqlErrorMessage(ev, msg, fresh)
	d.last = ev.Time
	return Start
}

// mysqlErrorMessage sets the fields and levels that the message text
// carries. fresh tells that ev has no fields but those Decode set (thread,
// tid, error_code, subsystem, program): the user, host, client and db
// fields, each set once, are then appended without a look for them.
func mysqlErrorMessage(ev *event.Event, msg string, fresh bool) {
	switch {
	case strings.HasPrefix(msg, "InnoDB:"):
		if _, ok := ev.Get("subsystem"); !ok {
			ev.Set("subsystem", "InnoDB")
		}
		body := strings.TrimLeft(msg[len("InnoDB:"):], " ")
		switch {
		case strings.HasPrefix(body, "Assertion failure"):
			ev.Level = event.LevelFatal
		case ev.Level != event.LevelNone:
		case strings.HasPrefix(body, "Error"), strings.HasPrefix(body, "ERROR"):
			ev.Level = event.LevelError
		case strings.HasPrefix(body, "Warning"), strings.HasPrefix(body, "WARNING"):
			ev.Level = event.LevelWarn
		}
	case strings.HasPrefix(msg, "WSREP: "):
		if _, ok := ev.Get("subsystem"); !ok {
			ev.Set("subsystem", "WSREP")
		}
	case strings.HasPrefix(msg, "mysqld got signal"), strings.HasPrefix(msg, "mysqld got exception"),
		strings.HasPrefix(msg, "Assertion failure"):
		ev.Level = event.LevelFatal
	}
	if strings.IndexByte(msg, '\'') < 0 { // both forms below quote their values
		return
	}
	if k := strings.Index(msg, "Access denied for user '"); k >= 0 {
		s := msg[k+len("Access denied for user "):]
		if at := strings.Index(s, "'@'"); at > 0 {
			freshSet(ev, "user", s[1:at], fresh)
			if host, _, ok := mysqlQuoted(s, at+2); ok {
				freshSet(ev, "host", host, fresh)
				if mysqlIsIP(host) {
					freshSet(ev, "client", host, fresh)
				}
			}
		}
	} else if k := strings.Index(msg, "Aborted connection "); k >= 0 {
		s := msg[k:]
		if j := strings.Index(s, " db: "); j > 0 {
			if db, _, ok := mysqlQuoted(s, j+len(" db: ")); ok && db != "unconnected" {
				freshSet(ev, "db", db, fresh)
			}
		}
		if j := strings.Index(s, " user: "); j > 0 {
			if u, _, ok := mysqlQuoted(s, j+len(" user: ")); ok && u != "unauthenticated" {
				freshSet(ev, "user", u, fresh)
			}
		}
		if j := strings.Index(s, " host: "); j > 0 {
			if h, _, ok := mysqlQuoted(s, j+len(" host: ")); ok {
				freshSet(ev, "host", h, fresh)
				if mysqlIsIP(h) {
					freshSet(ev, "client", h, fresh)
				}
			}
		}
	}
}

// crashClock reads the crash banner MySQL 5.5-8.0.2x writes from its signal
// handler with only a UTC time of day: "13:45:46 UTC - mysqld got signal 11 ;".
// The date is the one of the record before (rolling over midnight); without
// one the line folds.
func (d *mysqlErrorDecoder) crashClock(line []byte, ev *event.Event, cur *event.Event) Verdict {
	h, m, s, _, _, end, ok := clock(line, 0)
	if !ok || d.last.IsZero() || !mysqlHasPrefix(line[end:], " UTC - mysqld got signal") {
		return mysqlFold(ev, cur)
	}
	y, mo, day := d.last.Date()
	t := time.Date(y, mo, day, h, m, s, 0, time.UTC)
	if t.Before(d.last.Add(-12 * time.Hour)) {
		t = t.AddDate(0, 0, 1)
	}
	ev.Time, ev.Precision, ev.Zoned = t, 0, true
	ev.Message = ev.Raw[end+len(" UTC - "):]
	ev.Level = event.LevelFatal
	d.last = t
	return Start
}

// mysqlHexEnd is the end of the run of hex digits starting at b[i:].
func mysqlHexEnd(b []byte, i int) int {
	for i < len(b) {
		c := b[i]
		if !isDigit(c) && (c|0x20 < 'a' || c|0x20 > 'f') {
			break
		}
		i++
	}
	return i
}
