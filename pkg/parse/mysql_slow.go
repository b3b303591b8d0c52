package parse

import (
	"encoding/binary"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rca-dev/rca/pkg/event"
)

// MySQLSlowID is the id of the MySQL/MariaDB/Percona slow query log format.
const MySQLSlowID = "mysql-slow"

// mysqlSlowMaxMessage caps the query text kept as an entry's message.
const mysqlSlowMaxMessage = 1024

func init() {
	Register(&Format{
		ID: MySQLSlowID,
		Description: "MySQL/MariaDB/Percona slow query log: one event per entry (\"# Time:\", \"# User@Host:\", " +
			"\"# Query_time:\" and extra \"#\" lines, \"use db;\", \"SET timestamp=\", the query); message is the query",
		Example: "# Time: 2023-08-15T06:22:17.123456Z\n" +
			"# User@Host: app[app] @ app-host [10.0.0.8]  Id:    12\n" +
			"# Query_time: 31.234567  Lock_time: 0.000123 Rows_sent: 1  Rows_examined: 4823112\n" +
			"use invoice;\n" +
			"SET timestamp=1692080506;\n" +
			"SELECT id, total FROM invoice\n" +
			"  WHERE customer_id = 42 ORDER BY created_at DESC LIMIT 1;",
		Specificity: 20,
		NoFallback:  true,
		New: func(ctx *Context) Decoder {
			return &mysqlSlowDecoder{loc: ctx.Loc, mod: ctx.ModTime}
		},
	})
}

// Where an entry's time came from.
const (
	mysqlSlowTimeNone  = iota // nothing yet: a placeholder until "SET timestamp="
	mysqlSlowTimeZoned        // "# Time:" with Z or an offset (5.7+): kept
	mysqlSlowTimeLocal        // "# Time:" without zone (<= 5.6, MariaDB), in the input's zone
	mysqlSlowTimeCarry        // no "# Time:": the last one of the file (5.x writes it once per second)
)

// mysqlSlowDecoder reads one slow log. An entry starts at "# Time:" or, when
// none precedes it, at "# User@Host:"; its "#" header lines, "use",
// "SET timestamp=" and query lines fold in (Absorb). The server's start-up
// header ("mysqld, Version: ... started with:", "Tcp port: ...", "Time  Id
// Command  Argument") is not an entry: those lines are rejected, so they
// are kept as unparsed lines.
//
// Time: a zoned "# Time:" (5.7+, microseconds, when the entry was written)
// is the event time. A zone-less "# Time:" (5.x, MariaDB; server local
// time) and the carried-over stamp of an entry without one give way to
// the entry's "SET timestamp=" epoch when both name the same moment in
// some zone (a whole quarter-hour apart): that is the exact instant
// whatever zone the server ran in. They disagree when the session set its
// own timestamp (replication SQL thread, SET TIMESTAMP); then the stamp
// stays. An entry with neither takes "SET timestamp=" (until that line it
// holds the input's modification time as a placeholder, as a record needs
// a time when it starts).
//
// Message: the statement, whitespace collapsed, capped at 1 KiB (an entry
// cut before its statement keeps its first line). Fields: user (the
// account before "[...]" in User@Host), host, client (IP), thread (Id: /
// Thread_id:), db (use / Schema:), query_time_s, lock_time_s, rows_sent,
// rows_examined, rows_affected, bytes_sent, error_code (a non-zero
// Last_errno / Errno), killed, full_scan, full_join, tmp_table_on_disk,
// filesort_on_disk, trx_id and the InnoDB waits innodb_lock_wait_s,
// innodb_io_wait_s, innodb_queue_wait_s (Percona).
type mysqlSlowDecoder struct {
	loc *time.Location
	mod time.Time

	last      time.Time // instant of the last "# Time:" of the file
	lastWall  time.Time // its wall clock (digits in a UTC time), when zone-less
	lastZoned bool
	lastPrec  int
	haveLast  bool

	// the open entry
	phase     int // 0 none, 1 "#" header lines, 2 after use/SET timestamp, 3 in the query
	hasUser   bool
	timeSrc   int
	wall      time.Time
	queryTime int64 // whole seconds, rounded up: slack when matching stamps
	msg       []byte
	capped    bool
}

func (d *mysqlSlowDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if cur == nil {
		d.phase = 0
	}
	if len(line) > 0 && line[0] == '#' {
		switch {
		case mysqlHasPrefix(line, "# Time: "):
			return d.timeLine(line, ev)
		case mysqlHasPrefix(line, "# User@Host: "):
			if d.phase == 1 && !d.hasUser {
				d.userHost(line, ev.Raw, cur)
				return Absorb
			}
			d.start(ev)
			d.userHost(line, ev.Raw, ev)
			return Start
		case d.phase == 0:
			return Reject
		case d.phase == 1:
			d.attrs(line, ev.Raw, cur)
			return Absorb
		}
		// After "SET timestamp=" a "#" line is the statement
		// ("# administrator command: Quit;") or part of it.
		d.query(line, ev.Raw, cur)
		return Absorb
	}
	if d.phase == 0 || mysqlSlowServerHeader(line) {
		return Reject
	}
	if d.phase < 3 {
		switch {
		case mysqlHasPrefix(line, "SET timestamp="):
			d.setTimestamp(line, cur)
			d.phase = 2
			return Absorb
		case mysqlHasPrefix(line, "use ") && line[len(line)-1] == ';':
			if db := mysqlTrimRight(line, len(line)-1); db > 4 {
				cur.Set("db", strings.Trim(ev.Raw[4:db], "`"))
			}
			d.phase = 2
			return Absorb
		}
	}
	d.query(line, ev.Raw, cur)
	return Absorb
}

// mysqlSlowServerHeader recognizes the three lines mysqld writes when it
// opens the slow log.
func mysqlSlowServerHeader(line []byte) bool {
	if len(line) < 10 {
		return false
	}
	switch line[0] {
	case 'T':
		return mysqlHasPrefix(line, "Tcp port: ") || mysqlHasPrefix(line, "TCP Port: ") || // Windows: "TCP Port: 3306, Named Pipe: MySQL"
			(mysqlHasPrefix(line, "Time") && mysqlIndex(line, "Id Command") > 0)
	}
	return mysqlHasSuffix(line, ". started with:") && mysqlIndex(line, ", Version: ") > 0
}

func mysqlHasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

// start opens an entry on ev.
func (d *mysqlSlowDecoder) start(ev *event.Event) {
	d.phase, d.hasUser, d.queryTime, d.capped = 1, false, 0, false
	d.msg = d.msg[:0]
	ev.Message = ev.Raw // until the query is read
	if ev.Fields == nil {
		ev.Fields = make([]event.Field, 0, 16)
	}
	if d.haveLast {
		d.timeSrc, d.wall = mysqlSlowTimeCarry, d.lastWall
		ev.Time, ev.Precision, ev.Zoned = d.last, d.lastPrec, d.lastZoned
		return
	}
	// No time is known before "SET timestamp=": a placeholder that it replaces.
	d.timeSrc = mysqlSlowTimeNone
	ev.Time, ev.Precision, ev.Zoned = d.mod.UTC(), 0, false
	if d.mod.IsZero() {
		ev.Time = time.Unix(0, 0).UTC()
	}
}

// timeLine starts an entry at "# Time: 2023-08-15T06:22:17.123456Z",
// "# Time: 150105  9:08:40" or "# Time: 190311 14:10:41".
func (d *mysqlSlowDecoder) timeLine(line []byte, ev *event.Event) Verdict {
	b := line[len("# Time: "):]
	var wall stamp
	var ok bool
	if len(b) > 10 && b[4] == '-' {
		wall, ok = parseISO(b, time.UTC)
	} else {
		b = b[mysqlSkipBlank(b, 0):]
		wall, ok = parseShortDate(b, time.UTC)
	}
	if !ok {
		if d.phase == 0 {
			return Reject
		}
		return Absorb
	}
	d.haveLast, d.lastPrec, d.lastZoned = true, wall.prec, wall.zoned
	if wall.zoned {
		d.last, d.lastWall = wall.t, time.Time{}
	} else {
		d.last, d.lastWall = mysqlWallIn(wall.t, d.loc), wall.t
	}
	d.start(ev)
	d.timeSrc = mysqlSlowTimeLocal
	if wall.zoned {
		d.timeSrc = mysqlSlowTimeZoned
	}
	return Start
}

// setTimestamp reads "SET timestamp=1692080537;" and settles the time.
func (d *mysqlSlowDecoder) setTimestamp(line []byte, cur *event.Event) {
	i := len("SET timestamp=")
	e, ok := mysqlAtoi(line[i:mysqlDigitsEnd(line, i)])
	if !ok || e <= 0 {
		return
	}
	slack := 2 + d.queryTime
	use := false
	switch d.timeSrc {
	case mysqlSlowTimeNone:
		use = true
	case mysqlSlowTimeLocal, mysqlSlowTimeCarry:
		if !d.wall.IsZero() {
			_, use = mysqlZoneOffset(d.wall, e, slack)
		} else { // carried zoned stamp
			diff := cur.Time.Unix() - e
			use = diff >= -slack && diff <= slack
		}
	}
	if use {
		cur.Time, cur.Precision, cur.Zoned = time.Unix(e, 0).UTC(), 0, true
		d.timeSrc = mysqlSlowTimeZoned
	}
}

// userHost reads "# User@Host: app[app] @ app-host [10.0.0.8]  Id:    12".
func (d *mysqlSlowDecoder) userHost(line []byte, raw string, ev *event.Event) {
	d.hasUser = true
	s := raw[len("# User@Host: "):]
	at := strings.Index(s, " @ ")
	if at < 0 {
		return
	}
	who := s[:at]
	user := who
	if b := strings.IndexByte(who, '['); b >= 0 {
		user = who[:b]
		if user == "" && strings.HasSuffix(who, "]") {
			user = who[b+1 : len(who)-1]
		}
	}
	ev.Set("user", user)
	rest := s[at+3:]
	if b := strings.Index(rest, "["); b >= 0 {
		ev.Set("host", strings.TrimSpace(rest[:b]))
		if e := strings.IndexByte(rest[b:], ']'); e > 0 {
			ev.Set("client", rest[b+1:b+e])
			rest = rest[b+e+1:]
		}
	}
	if k := strings.Index(rest, "Id:"); k >= 0 {
		r := strings.TrimLeft(rest[k+3:], " ")
		n := 0
		for n < len(r) && isDigit(r[n]) {
			n++
		}
		ev.Set("thread", r[:n])
	}
}

// attrs reads the "# Key: value  Key: value" lines of an entry's header:
// "# Query_time: ...", MariaDB's "# Thread_id: 5  Schema: db  QC_hit: No",
// Percona's "# Schema: db  Last_errno: 0  Killed: 0", InnoDB statistics...
func (d *mysqlSlowDecoder) attrs(line []byte, raw string, cur *event.Event) {
	i := 1
	for i < len(line) {
		i = mysqlSkipBlank(line, i)
		k := mysqlTokenEnd(line, i)
		if k == i {
			break
		}
		if line[k-1] != ':' || k-i < 2 {
			i = k
			continue
		}
		key := line[i : k-1]
		v := mysqlSkipBlank(line, k)
		ve := mysqlTokenEnd(line, v)
		if ve > v && line[ve-1] == ':' { // "Schema:   QC_hit: No": no value
			i = v
			continue
		}
		i = ve
		d.attr(key, raw[v:ve], cur)
	}
}

// attr maps one slow-log attribute to a field.
func (d *mysqlSlowDecoder) attr(key []byte, val string, cur *event.Event) {
	if val == "" {
		return
	}
	switch string(key) {
	case "Query_time":
		cur.Set("query_time_s", val)
		d.queryTime = 0
		whole := val
		if dot := strings.IndexByte(val, '.'); dot > 0 {
			whole = val[:dot]
		}
		if n, err := strconv.ParseInt(whole, 10, 64); err == nil && n >= 0 && n < 1<<40 {
			d.queryTime = n + 1
		}
	case "Lock_time":
		cur.Set("lock_time_s", val)
	case "Rows_sent":
		cur.Set("rows_sent", val)
	case "Rows_examined":
		cur.Set("rows_examined", val)
	case "Rows_affected":
		cur.Set("rows_affected", val)
	case "Thread_id":
		if _, ok := cur.Get("thread"); !ok {
			cur.Set("thread", val)
		}
	case "Schema":
		cur.Set("db", val)
	case "Last_errno", "Errno":
		if val != "0" {
			cur.Set("error_code", val)
		}
	case "Killed":
		if val != "0" {
			cur.Set("killed", val)
		}
	case "Bytes_sent":
		cur.Set("bytes_sent", val)
	case "Full_scan":
		cur.Set("full_scan", val)
	case "Full_join":
		cur.Set("full_join", val)
	case "Tmp_table_on_disk":
		cur.Set("tmp_table_on_disk", val)
	case "Filesort_on_disk":
		cur.Set("filesort_on_disk", val)
	case "InnoDB_rec_lock_wait":
		cur.Set("innodb_lock_wait_s", val)
	case "InnoDB_IO_r_wait":
		cur.Set("innodb_io_wait_s", val)
	case "InnoDB_queue_wait":
		cur.Set("innodb_queue_wait_s", val)
	case "InnoDB_trx_id":
		cur.Set("trx_id", val)
	}
}

// query appends one line of the statement to the message, whitespace
// collapsed, up to mysqlSlowMaxMessage bytes. A first line that needs no
// collapsing is used as is (a substring of the raw line).
func (d *mysqlSlowDecoder) query(line []byte, raw string, cur *event.Event) {
	first := d.phase < 3
	d.phase = 3
	if d.capped {
		return
	}
	a := mysqlSkipBlank(line, 0)
	b := mysqlTrimRight(line, len(line))
	if a >= b {
		return
	}
	if first && b-a <= mysqlSlowMaxMessage && !mysqlSlowNeedsCollapse(line[a:b]) {
		cur.Message = raw[a:b]
		d.msg = append(d.msg[:0], line[a:b]...)
		return
	}
	if len(d.msg) > 0 {
		d.msg = append(d.msg, ' ')
	}
	space := false
	for _, c := range line[a:b] {
		if c == ' ' || c == '\t' || c == '\r' {
			space = true
			continue
		}
		if space {
			d.msg = append(d.msg, ' ')
			space = false
		}
		d.msg = append(d.msg, c)
	}
	if len(d.msg) >= mysqlSlowMaxMessage {
		n := mysqlSlowMaxMessage
		for n > 0 && !utf8.RuneStart(d.msg[n]) {
			n--
		}
		d.msg = d.msg[:n]
		d.capped = true
	}
	cur.Message = string(d.msg)
}

// mysqlSlowNeedsCollapse reports a tab, a CR or two spaces in a row: what
// query collapses. Eight bytes are tested at a time (a byte is equal to c
// where x^c has a zero byte): a loop testing every byte three ways cost
// more than the rest of the entry.
func mysqlSlowNeedsCollapse(b []byte) bool {
	zero := func(v uint64) bool { return swarZeros(v) != 0 }
	i := 0
	for ; i+9 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		y := binary.LittleEndian.Uint64(b[i+1:]) // the next byte of each
		if zero(x^(swarOnes*'\t')) || zero(x^(swarOnes*'\r')) || zero(x^(swarOnes*' ')|y^(swarOnes*' ')) {
			return true
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '\t' || c == '\r' || c == ' ' && i+1 < len(b) && b[i+1] == ' ' {
			return true
		}
	}
	return false
}
