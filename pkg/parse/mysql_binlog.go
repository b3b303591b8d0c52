package parse

import (
	"encoding/base64"
	"encoding/binary"
	"strconv"
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// MySQLBinlogID is the id of the mysqlbinlog / mariadb-binlog text format.
const MySQLBinlogID = "mysql-binlog"

func init() {
	Register(&Format{
		ID: MySQLBinlogID,
		Description: "text output of mysqlbinlog [-v] / mariadb-binlog: one event per transaction (GTID or BEGIN ... " +
			"COMMIT/Xid) or per non-transactional binlog event (Start, Rotate, Stop, Incident, Previous-GTIDs...)",
		Example: "#230815 14:22:17 server id 1  end_log_pos 235 CRC32 0x6ca3b1ff \tGTID\tlast_committed=12\tsequence_number=13\trbr_only=yes\toriginal_committed_timestamp=1692080537123456\timmediate_commit_timestamp=1692080537123456\ttransaction_length=318\n" +
			"/*!50718 SET TRANSACTION ISOLATION LEVEL READ COMMITTED*//*!*/;\n" +
			"# original_commit_timestamp=1692080537123456 (2023-08-15 14:22:17.123456 CST)\n" +
			"# immediate_commit_timestamp=1692080537123456 (2023-08-15 14:22:17.123456 CST)\n" +
			"/*!80001 SET @@session.original_commit_timestamp=1692080537123456*//*!*/;\n" +
			"SET @@SESSION.GTID_NEXT= '3e11fa47-71ca-11e1-9e33-c80aa9429562:23'/*!*/;\n" +
			"# at 235\n" +
			"#230815 14:22:17 server id 1  end_log_pos 318 CRC32 0x1b7e3a20 \tQuery\tthread_id=12\texec_time=0\terror_code=0\n" +
			"SET TIMESTAMP=1692080537/*!*/;\n" +
			"BEGIN\n" +
			"/*!*/;\n" +
			"# at 318\n" +
			"#230815 14:22:17 server id 1  end_log_pos 381 CRC32 0x9d4c1f02 \tTable_map: `invoice`.`invoice` mapped to number 92\n" +
			"# at 381\n" +
			"#230815 14:22:17 server id 1  end_log_pos 430 CRC32 0x5a8e2c11 \tWrite_rows: table id 92 flags: STMT_END_F\n" +
			"### INSERT INTO `invoice`.`invoice`\n" +
			"### SET\n" +
			"###   @1=1001\n" +
			"###   @2='2023-08-15'\n" +
			"# at 430\n" +
			"#230815 14:22:17 server id 1  end_log_pos 461 CRC32 0x2f7a9b3c \tXid = 4521\n" +
			"COMMIT/*!*/;\n" +
			"# at 461\n" +
			"#230815 14:25:03 server id 1  end_log_pos 508 CRC32 0x8372f001 \tRotate to binlog.000002  pos: 4",
		Specificity: 20,
		Multiline:   true,
		NoFallback:  true,
		New:         func(ctx *Context) Decoder { return &mysqlBinlogDecoder{loc: ctx.Loc} },
	})
}

// mysqlBinlogDecoder reads mysqlbinlog's text output.
//
// Design: one event per transaction, not per binlog event. A transaction
// (a GTID / Anonymous_GTID event, or a bare "Query BEGIN" in 5.5 and
// without GTIDs, up to its Xid+COMMIT, COMMIT or ROLLBACK; a DDL after its
// GTID is a transaction of one statement) is what committed, so it is the
// unit a root-cause analysis asks about: the same GTID applied twice, the
// same change applied under two xids (change_hash), a long transaction
// (duration_s), replication lag (replication_lag_ms), a statement that
// failed on the source (error_code). Its member events (Table_map, rows
// events with their -v row images, Xid) fold in, which also keeps a
// one-row INSERT from becoming five timeline entries. Events outside
// transactions (Start / format description, Previous-GTIDs, Rotate, Stop,
// Incident, MariaDB's Gtid list and Binlog checkpoint) are events of
// their own. A record starts at the "#YYMMDD HH:MM:SS server id" header
// of its first event; the "# at N" line before a header is the position
// of the next record, folded into the one before (the header comments at
// the top of the output, before any event, are kept as unparsed lines).
//
// Fields: event_type (of the first event), position ("# at" of the first
// event), log_pos (end_log_pos of the last event, so position..log_pos is
// the --start-position/--stop-position range of the whole transaction),
// server_id, gtid, xid, thread_id, exec_time, error_code, db, table
// (first table touched), statement (INSERT/UPDATE/DELETE for rows events,
// the SQL verb otherwise), rows (row images printed by -v), change_hash
// (FNV-64a of the row images, and of statement text with its SET
// TIMESTAMP for statement-based events), duration_s, rollback,
// next_file (Rotate), version (Start).
//
// Time: the commit time. MySQL 8.0 GTID events carry
// immediate_commit_timestamp (microseconds, UTC: the commit on this
// server; original_committed_timestamp is the commit on the source, and
// their difference is replication_lag_ms). Otherwise the header stamp of
// the latest event (the Xid's: COMMIT). Header stamps are in the local
// time of the machine mysqlbinlog ran on, which need not be the server's.
// The decoder learns that offset from epochs printed next to a stamp: the
// binary event header at the start of a BINLOG '...' block (the format
// description event prints one first thing), "SET TIMESTAMP=" of a Query
// event, and 8.0's "# original_commit_timestamp=N (local time)" comments.
// Until it has one (e.g. --base64-output=DECODE-ROWS output before the
// first Query event) it reads stamps in the input's zone.
type mysqlBinlogDecoder struct {
	loc      *time.Location
	off      int64 // learned offset of the header stamps (wall - UTC), seconds
	offKnown bool
	pos      string // the last "# at N": the position of the next event
	stamp    mysqlBinlogStamp

	state    int
	inBase64 bool
	b64First bool      // the next line is the first of a BINLOG '...' block
	lastType string    // type of the last event header
	lastWall time.Time // its stamp (wall-clock digits in a UTC time)
	lastTS   []byte    // the "SET TIMESTAMP=" value of the current Query event
	minWall  time.Time
	maxWall  time.Time
	commitTS bool // the record time is a commit timestamp
	msgRank  int
	stmt     int // lines of the current statement seen (Query events)
	rows     int
	hash     uint64
	hashed   bool
	dirty    bool // rows / hash changed since the fields were last set
}

// Record states.
const (
	mysqlBinNone    = iota // no record open
	mysqlBinEvent          // an event outside transactions: the next header starts a record
	mysqlBinTrxHead        // a GTID (or Intvar/User_var/Rand) event: the next events belong to it
	mysqlBinQuery          // a Query event whose statement decides: BEGIN opens, anything else ends it
	mysqlBinTrxOpen        // inside BEGIN ... COMMIT
	mysqlBinDone           // the transaction ended; trailing lines fold
)

// Message ranks: a better source of an event's message replaces a worse one.
const (
	mysqlBinMsgHeader   = 1 // the first event's description
	mysqlBinMsgTableMap = 2 // "Table_map: `db`.`t` mapped to number 92"
	mysqlBinMsgXA       = 2 // "XA COMMIT X'7478',X'',1"
	mysqlBinMsgRowImage = 3 // "INSERT INTO `db`.`t`" from a -v row image
	mysqlBinMsgSQL      = 4 // statement text, MariaDB's "#Q>", MySQL's Rows_query
)

const (
	mysqlFNVOffset = 14695981039346656037
	mysqlFNVPrime  = 1099511628211
)

func (d *mysqlBinlogDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if cur == nil {
		d.state, d.inBase64 = mysqlBinNone, false
	}
	if d.inBase64 {
		if len(line) > 0 && line[0] == '\'' { // "'/*!*/;" closes a BINLOG '...' block
			d.inBase64 = false
			return d.fold(cur)
		}
		if !mysqlHasPrefix(line, "# at ") && !mysqlBinlogIsHeader(line) {
			if d.b64First {
				d.b64First = false
				d.base64Stamp(line, cur)
			}
			return d.fold(cur)
		}
		d.inBase64 = false // a block that was never closed
	}
	if len(line) == 0 {
		return d.fold(cur)
	}
	raw := ev.Raw
	switch line[0] {
	case '#':
		if mysqlBinlogIsHeader(line) {
			return d.header(line, ev, cur)
		}
		switch {
		case mysqlHasPrefix(line, "# at "):
			if j := mysqlDigitsEnd(line, 5); j > 5 {
				d.pos = raw[5:j]
			}
			return d.fold(cur)
		case cur == nil:
			return Reject
		case mysqlHasPrefix(line, "###"):
			d.rowImage(line, raw, cur)
		case mysqlHasPrefix(line, "#Q> "):
			d.message(cur, raw[4:], mysqlBinMsgSQL)
		case d.lastType == "Rows_query" && mysqlHasPrefix(line, "# "):
			d.message(cur, raw[2:], mysqlBinMsgSQL)
		case mysqlHasPrefix(line, "# original_commit_timestamp="), mysqlHasPrefix(line, "# immediate_commit_timestamp="):
			d.commitComment(line, raw, cur)
		case mysqlHasPrefix(line, "# End of log file"):
			d.finish(cur)
		}
		return Absorb
	case 'S':
		switch {
		case cur == nil:
			return Reject
		case mysqlHasPrefix(line, "SET TIMESTAMP="):
			d.setTimestamp(line, cur)
			return Absorb
		case mysqlHasPrefix(line, "SET @@SESSION.GTID_NEXT= '"):
			i := len("SET @@SESSION.GTID_NEXT= '")
			if j := strings.IndexByte(raw[i:], '\''); j > 0 {
				if g := raw[i : i+j]; g != "ANONYMOUS" && g != "AUTOMATIC" {
					cur.Set("gtid", g)
				}
			}
			return Absorb
		case mysqlHasPrefix(line, "SET @@") || mysqlHasPrefix(line, "SET INSERT_ID=") ||
			mysqlHasPrefix(line, "SET LAST_INSERT_ID=") || mysqlHasPrefix(line, "SET @`"):
			return Absorb // session state, Intvar, Rand and User_var events
		case string(line) == "START TRANSACTION":
			d.begin()
			return Absorb
		}
	case '/':
		if cur == nil {
			return Reject
		}
		if mysqlHasPrefix(line, "/*!*/;") && d.state == mysqlBinQuery && d.stmt > 0 {
			d.state = mysqlBinDone // the end of a statement that was not BEGIN
			d.finish(cur)
		}
		return Absorb
	case 'B':
		switch {
		case cur == nil:
			return Reject
		case mysqlHasPrefix(line, "BINLOG '"):
			d.inBase64, d.b64First = true, true
			return Absorb
		case string(line) == "BEGIN":
			d.begin()
			return Absorb
		}
	case 'C':
		if cur != nil && (string(line) == "COMMIT/*!*/;" || string(line) == "COMMIT") && d.inTrx() {
			d.state = mysqlBinDone
			d.finish(cur)
			return Absorb
		}
	case 'R':
		if cur != nil && (string(line) == "ROLLBACK/*!*/;" || string(line) == "ROLLBACK") && d.inTrx() {
			d.state = mysqlBinDone
			cur.Set("rollback", "true")
			if cur.Level == event.LevelNone {
				cur.Level = event.LevelWarn
			}
			d.finish(cur)
			return Absorb
		}
	case 'u':
		if cur != nil && mysqlHasPrefix(line, "use `") {
			if j := strings.IndexByte(raw[5:], '`'); j > 0 {
				if _, ok := cur.Get("db"); !ok {
					cur.Set("db", raw[5:5+j])
				}
			}
			return Absorb
		}
	case 'D':
		if mysqlHasPrefix(line, "DELIMITER ") {
			return d.fold(cur)
		}
	}
	if cur == nil {
		return Reject
	}
	d.statement(line, raw, cur)
	return Absorb
}

// fold keeps a line in the open record, or rejects it when there is none.
func (d *mysqlBinlogDecoder) fold(cur *event.Event) Verdict {
	if cur == nil {
		return Reject
	}
	return Absorb
}

func (d *mysqlBinlogDecoder) inTrx() bool {
	return d.state == mysqlBinTrxOpen || d.state == mysqlBinTrxHead || d.state == mysqlBinQuery
}

// begin opens a transaction: "BEGIN" in a Query event, "BEGIN" / "START
// TRANSACTION" in the body of a MariaDB GTID event.
func (d *mysqlBinlogDecoder) begin() {
	if d.state == mysqlBinTrxHead || d.state == mysqlBinQuery {
		d.state = mysqlBinTrxOpen
	}
}

// statement reads a line of a Query event's statement (or other text).
func (d *mysqlBinlogDecoder) statement(line []byte, raw string, cur *event.Event) {
	if d.state != mysqlBinQuery && d.state != mysqlBinTrxOpen {
		return
	}
	if d.stmt == 0 && len(line) > 3 && line[0] == 'X' && line[1] == 'A' && line[2] == ' ' {
		// XA START opens like BEGIN; XA PREPARE / XA COMMIT / XA ROLLBACK end the record.
		if mysqlHasPrefix(line, "XA START") {
			d.state = mysqlBinTrxOpen
		} else if mysqlHasPrefix(line, "XA PREPARE") || mysqlHasPrefix(line, "XA COMMIT") || mysqlHasPrefix(line, "XA ROLLBACK") {
			d.state = mysqlBinDone
		}
		d.message(cur, raw, mysqlBinMsgXA)
		d.stmt++
		return
	}
	if d.stmt == 0 {
		// A statement's hash includes its timestamp: the same statement
		// run again later (a purge job) differs, the same event applied
		// twice (a replayed binlog) does not.
		d.addHash(d.lastTS)
		if kind := mysqlSQLVerb(line); kind != "" {
			if _, ok := cur.Get("statement"); !ok {
				cur.Set("statement", kind)
			}
		}
		d.message(cur, raw, mysqlBinMsgSQL)
	}
	d.stmt++
	d.addHash(line)
}

// rowImage reads the -v pseudo-SQL of a rows event: "### INSERT INTO
// `db`.`t`", "### UPDATE `db`.`t`", "### DELETE FROM `db`.`t`", then
// "### SET" / "### WHERE" and "###   @1=..." lines.
func (d *mysqlBinlogDecoder) rowImage(line []byte, raw string, cur *event.Event) {
	d.addHash(line)
	if len(line) < 5 || line[4] != 'I' && line[4] != 'U' && line[4] != 'D' {
		return // "###   @1=...", "### SET", "### WHERE": most lines
	}
	var kind string
	var i int
	switch {
	case mysqlHasPrefix(line, "### INSERT INTO "):
		kind, i = "INSERT", len("### INSERT INTO ")
	case mysqlHasPrefix(line, "### UPDATE "):
		kind, i = "UPDATE", len("### UPDATE ")
	case mysqlHasPrefix(line, "### DELETE FROM "):
		kind, i = "DELETE", len("### DELETE FROM ")
	default:
		return
	}
	d.rows++
	d.dirty = true
	if d.rows > 1 {
		return
	}
	if _, ok := cur.Get("statement"); !ok {
		cur.Set("statement", kind)
	}
	d.table(raw[i:], cur)
	d.message(cur, raw[4:], mysqlBinMsgRowImage)
}

// table sets db and table from "`db`.`t`" (or "db.t", as 5.5 prints them)
// unless already known.
func (d *mysqlBinlogDecoder) table(s string, cur *event.Event) {
	if _, ok := cur.Get("table"); ok {
		return
	}
	if end := strings.IndexAny(s, " \t"); end >= 0 {
		s = s[:end]
	}
	dot := strings.Index(s, "`.`")
	db, tbl := "", ""
	switch {
	case dot > 0 && s[0] == '`' && dot+4 <= len(s) && s[len(s)-1] == '`':
		db, tbl = s[1:dot], s[dot+3:len(s)-1]
	default:
		if k := strings.IndexByte(s, '.'); k > 0 {
			db, tbl = s[:k], s[k+1:]
		}
	}
	if tbl == "" {
		return
	}
	cur.Set("table", tbl)
	if _, ok := cur.Get("db"); !ok {
		cur.Set("db", db)
	}
}

func (d *mysqlBinlogDecoder) addHash(line []byte) {
	h := d.hash
	if !d.hashed {
		h = mysqlFNVOffset
	}
	h = mysqlFNV(h, line)
	h ^= '\n'
	h *= mysqlFNVPrime
	d.hash, d.hashed, d.dirty = h, true, true
}

// mysqlFNV continues the FNV-64a hash h over b. Eight bytes are loaded at
// a time and hashed in order (the hash is the byte-at-a-time one): the
// row images of a binlog are most of its bytes, and a loop step per byte
// cost half as much again as the hash step.
func mysqlFNV(h uint64, b []byte) uint64 {
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		h = (h ^ w&0xff) * mysqlFNVPrime
		h = (h ^ w>>8&0xff) * mysqlFNVPrime
		h = (h ^ w>>16&0xff) * mysqlFNVPrime
		h = (h ^ w>>24&0xff) * mysqlFNVPrime
		h = (h ^ w>>32&0xff) * mysqlFNVPrime
		h = (h ^ w>>40&0xff) * mysqlFNVPrime
		h = (h ^ w>>48&0xff) * mysqlFNVPrime
		h = (h ^ w>>56) * mysqlFNVPrime
		b = b[8:]
	}
	for _, c := range b {
		h = (h ^ uint64(c)) * mysqlFNVPrime
	}
	return h
}

// message replaces the record's message with a better source.
func (d *mysqlBinlogDecoder) message(cur *event.Event, s string, rank int) {
	if rank > d.msgRank {
		cur.Message = strings.TrimRight(s, " \t")
		d.msgRank = rank
	}
}

// finish sets the fields that sum up the record so far.
func (d *mysqlBinlogDecoder) finish(cur *event.Event) {
	if !d.dirty || cur == nil {
		return
	}
	d.dirty = false
	if d.rows > 0 {
		cur.Set("rows", strconv.Itoa(d.rows))
	}
	if d.hashed {
		cur.Set("change_hash", strconv.FormatUint(d.hash, 16))
	}
	if s := int64(d.maxWall.Sub(d.minWall) / time.Second); s > 0 {
		cur.Set("duration_s", strconv.FormatInt(s, 10))
	}
}

// instant converts a header stamp to UTC.
func (d *mysqlBinlogDecoder) instant(wall time.Time) (time.Time, bool) {
	if d.offKnown {
		return wall.Add(-time.Duration(d.off) * time.Second), true
	}
	return mysqlWallIn(wall, d.loc), false
}

// mysqlBinlogIsHeader: "#230815 14:22:17 server id ..." (or "#230815  9:08:40").
func mysqlBinlogIsHeader(line []byte) bool {
	return len(line) > 20 && line[0] == '#' && isDigit(line[1]) && isDigit(line[6]) && line[7] == ' '
}

// mysqlBinlogHeader is one event header line.
type mysqlBinlogHeader struct {
	wall     time.Time
	serverID string
	endPos   string
	desc     int    // index of the event description in the line
	typ      string // event type: Query, Xid, GTID, Table_map, Write_rows, Rotate...
}

// mysqlBinlogParseHeader reads "#230815 14:22:17 server id 1  end_log_pos 235
// CRC32 0x3f6c2a55 \tGTID\t...". The CRC32 part is absent before 5.6.
// The stamp is read through c, which keeps the last one read: the events
// of a transaction mostly share their header's second.
func mysqlBinlogParseHeader(line []byte, raw string, c *mysqlBinlogStamp) (mysqlBinlogHeader, bool) {
	var h mysqlBinlogHeader
	st, ok := c.read(line)
	if !ok {
		return h, false
	}
	h.wall = st.t
	i := 1 + st.n
	if !mysqlHasPrefix(line[i:], " server id ") {
		return h, false
	}
	i += len(" server id ")
	j := mysqlDigitsEnd(line, i)
	if j == i {
		return h, false
	}
	h.serverID = raw[i:j]
	i = mysqlSkipBlank(line, j)
	if !mysqlHasPrefix(line[i:], "end_log_pos ") {
		return h, false
	}
	i += len("end_log_pos ")
	j = mysqlDigitsEnd(line, i)
	if j == i {
		return h, false
	}
	h.endPos = raw[i:j]
	i = mysqlSkipBlank(line, j)
	if mysqlHasPrefix(line[i:], "CRC32 0x") {
		i = mysqlSkipBlank(line, mysqlTokenEnd(line, i+len("CRC32 ")))
	}
	h.desc = i
	j = i
	for j < len(line) && line[j] != ':' && line[j] != ' ' && line[j] != '\t' {
		j++
	}
	h.typ = raw[i:j]
	switch {
	case h.typ == "Gtid" && mysqlHasPrefix(line[j:], " list"):
		h.typ = "Gtid_list"
	case h.typ == "Binlog" && mysqlHasPrefix(line[j:], " checkpoint"):
		h.typ = "Binlog_checkpoint"
	case h.typ == "":
		return h, false
	}
	return h, true
}

// mysqlBinlogStamp is the last header stamp read ("230815 14:22:17"
// after the '#'), as text and as read.
type mysqlBinlogStamp struct {
	text [24]byte
	st   stamp
	ok   bool
}

// read reads the stamp of a header line. A line whose stamp has the text
// of the last one, followed by the blank that ends a stamp, reads as it.
func (c *mysqlBinlogStamp) read(line []byte) (stamp, bool) {
	if c.ok {
		if n := c.st.n; len(line) > n+1 && line[n+1] == ' ' && string(line[1:n+1]) == string(c.text[:n]) {
			return c.st, true
		}
	}
	st, ok := parseShortDate(line[1:], time.UTC)
	if ok && st.n <= len(c.text) && len(line) > st.n+1 && line[st.n+1] == ' ' {
		copy(c.text[:], line[1:st.n+1])
		c.st, c.ok = st, true
	}
	return st, ok
}

// mysqlBinlogStandalone: event types that are never part of a transaction.
func mysqlBinlogStandalone(typ string) bool {
	switch typ {
	case "Start", "Format_desc", "Previous-GTIDs", "Rotate", "Stop", "Gtid_list", "Binlog_checkpoint",
		"Incident", "Heartbeat", "Start_encryption":
		return true
	}
	return false
}

// mysqlBinlogRowsKind maps a rows event type to its statement kind.
func mysqlBinlogRowsKind(typ string) string {
	switch {
	case strings.HasPrefix(typ, "Write_rows"):
		return "INSERT"
	case strings.HasPrefix(typ, "Update_rows"), strings.HasPrefix(typ, "Partial_update_rows"):
		return "UPDATE"
	case strings.HasPrefix(typ, "Delete_rows"):
		return "DELETE"
	}
	return ""
}

// header handles an event header: it continues the open transaction or
// starts a record.
func (d *mysqlBinlogDecoder) header(line []byte, ev *event.Event, cur *event.Event) Verdict {
	raw := ev.Raw
	h, ok := mysqlBinlogParseHeader(line, raw, &d.stamp)
	if !ok || (line[1]-'0')*10+line[2]-'0' >= 69 { // h.wall.Year() >= 2069: "#YY" read as 20YY
		// Not a header, or an artificial event with a zero timestamp
		// ("#700101  1:00:00 ... Rotate to ..." from --read-from-remote-server).
		return d.fold(cur)
	}
	trxStart := h.typ == "GTID" || h.typ == "Anonymous_GTID"
	member := cur != nil && !trxStart && !mysqlBinlogStandalone(h.typ) &&
		(d.state == mysqlBinTrxHead || d.state == mysqlBinTrxOpen)
	if !member {
		d.finish(cur)
		d.startRecord(h, ev)
		cur = ev
	} else {
		if h.endPos != "0" { // events inside a Transaction_payload print end_log_pos 0
			cur.Set("log_pos", h.endPos)
		}
		if h.wall.Before(d.minWall) {
			d.minWall, d.dirty = h.wall, true
		}
		if h.wall.After(d.maxWall) {
			d.maxWall, d.dirty = h.wall, true
		}
	}
	d.lastType, d.lastWall, d.stmt, d.pos = h.typ, h.wall, 0, ""
	d.lastTS = d.lastTS[:0]
	if !d.commitTS {
		cur.Time, cur.Zoned = d.instant(h.wall)
		cur.Precision = 0
	}
	desc := raw[h.desc:]
	switch h.typ {
	case "GTID":
		if rest := desc[len("GTID"):]; len(rest) > 1 && rest[0] == ' ' && isDigit(rest[1]) {
			// MariaDB: "GTID 0-1-23 trans", "GTID 0-1-2 ddl", "GTID 0-1-1 trans thread_id=6"
			g := rest[1:]
			if k := strings.IndexByte(g, ' '); k > 0 {
				g = g[:k]
			}
			cur.Set("gtid", g)
			d.kv(mysqlBinlogScan(desc), desc, cur)
		} else {
			it := mysqlBinlogScan(desc)
			d.commitStamps(&it, desc, cur)
			d.kv(it, desc, cur)
		}
	case "Anonymous_GTID":
		it := mysqlBinlogScan(desc)
		d.commitStamps(&it, desc, cur)
	case "Query":
		if d.state == mysqlBinTrxHead || d.state == mysqlBinNone || d.state == mysqlBinEvent || d.state == mysqlBinDone {
			d.state = mysqlBinQuery
		}
		d.kv(mysqlBinlogScan(desc), desc, cur)
	case "Xid":
		if k := strings.Index(desc, "= "); k > 0 {
			cur.Set("xid", desc[k+2:])
		}
	case "Table_map":
		if k := strings.Index(desc, ": "); k > 0 {
			d.table(desc[k+2:], cur)
		}
		d.message(cur, desc, mysqlBinMsgTableMap)
	case "Rotate":
		if rest, ok := strings.CutPrefix(desc, "Rotate to "); ok {
			if k := strings.IndexAny(rest, " \t"); k > 0 {
				cur.Set("next_file", rest[:k])
			}
		}
	case "Start":
		if k := strings.Index(desc, "server v "); k > 0 {
			v := desc[k+len("server v "):]
			if e := strings.IndexByte(v, ' '); e > 0 {
				cur.Set("version", v[:e])
			}
		}
	case "Incident":
		cur.Level = event.LevelError
	default:
		if kind := mysqlBinlogRowsKind(h.typ); kind != "" {
			if _, ok := cur.Get("statement"); !ok {
				cur.Set("statement", kind)
			}
		}
	}
	if member {
		d.finish(cur)
		return Absorb
	}
	return Start
}

// startRecord opens a record on ev at header h.
func (d *mysqlBinlogDecoder) startRecord(h mysqlBinlogHeader, ev *event.Event) {
	d.commitTS, d.msgRank, d.rows, d.hash, d.hashed, d.dirty = false, 0, 0, 0, false, false
	d.minWall, d.maxWall = h.wall, h.wall
	d.inBase64 = false
	switch {
	case h.typ == "GTID" || h.typ == "Anonymous_GTID" || h.typ == "Intvar" || h.typ == "User_var" || h.typ == "Rand":
		d.state = mysqlBinTrxHead
	case h.typ == "Query":
		d.state = mysqlBinQuery
	case mysqlBinlogStandalone(h.typ):
		d.state = mysqlBinEvent
	default: // a file cut inside a transaction: Table_map, rows events, Xid...
		d.state = mysqlBinTrxOpen
	}
	reserveFields(ev, 12)
	ev.Set("event_type", h.typ)
	ev.Set("server_id", h.serverID)
	ev.Set("position", d.pos)
	ev.Set("log_pos", h.endPos)
	d.message(ev, ev.Raw[h.desc:], mysqlBinMsgHeader)
}

// mysqlBinlogItems are where the values of the key=value items of a
// header's description start (-1: not there), as the first
// strings.Index of each key gives them.
type mysqlBinlogItems struct {
	kv   [4]int // after "thread_id=", "exec_time=", "error_code=", "xid="
	imm  int    // after "immediate_commit_timestamp="
	orig int    // after "original_committed_timestamp="
	xid  int    // at "Xid = " (not after it)
}

// mysqlBinlogKeys are the keys of mysqlBinlogItems.kv, in its order.
var mysqlBinlogKeys = [...]string{"thread_id=", "exec_time=", "error_code=", "xid="}

// mysqlBinlogScan finds the items of a header's description. Every key
// holds one '=' (at its end, but for "Xid = "), so the first occurrence of
// a key is the first '=' it ends (or, for "Xid = ", holds): one search for
// each '=' (a GTID header has six) instead of one search over the whole
// description for each key.
func mysqlBinlogScan(desc string) mysqlBinlogItems {
	it := mysqlBinlogItems{kv: [4]int{-1, -1, -1, -1}, imm: -1, orig: -1, xid: -1}
	for i := 0; ; {
		e := strings.IndexByte(desc[i:], '=')
		if e < 0 {
			return it
		}
		p := i + e
		i = p + 1
		pre := desc[:i]
		var at *int
		switch {
		case p < 3:
			continue
		case desc[p-1] == 'd' && strings.HasSuffix(pre, "thread_id="):
			at = &it.kv[0]
		case desc[p-1] == 'e' && strings.HasSuffix(pre, "exec_time="):
			at = &it.kv[1]
		case desc[p-1] == 'e' && strings.HasSuffix(pre, "error_code="):
			at = &it.kv[2]
		case desc[p-1] == 'd' && strings.HasSuffix(pre, "xid="):
			at = &it.kv[3]
		case desc[p-1] == 'p' && strings.HasSuffix(pre, "immediate_commit_timestamp="):
			at = &it.imm
		case desc[p-1] == 'p' && strings.HasSuffix(pre, "original_committed_timestamp="):
			at = &it.orig
		case p >= 4 && strings.HasPrefix(desc[p-4:], "Xid = "):
			if it.xid < 0 {
				it.xid = p - 4
			}
			continue
		default:
			continue
		}
		if *at < 0 {
			*at = i
		}
	}
}

// kv reads the key=value items of a Query or MariaDB GTID header:
// "thread_id=12\texec_time=0\terror_code=0" and an xid ("\tXid = 29" in
// MySQL 8 DDL, "\txid=1678" in MariaDB). it is mysqlBinlogScan(desc).
func (d *mysqlBinlogDecoder) kv(it mysqlBinlogItems, desc string, cur *event.Event) {
	for ki, k := range it.kv {
		if k < 0 {
			continue
		}
		key, v := mysqlBinlogKeys[ki], desc[k:]
		n := 0
		for n < len(v) && isDigit(v[n]) {
			n++
		}
		if n == 0 {
			continue
		}
		v = v[:n]
		switch key {
		case "thread_id=":
			if _, ok := cur.Get("thread_id"); !ok {
				cur.Set("thread_id", v)
			}
		case "exec_time=":
			if old, ok := cur.Get("exec_time"); !ok || len(v) > len(old) || len(v) == len(old) && v > old {
				cur.Set("exec_time", v)
			}
		case "error_code=":
			if v != "0" {
				cur.Set("error_code", v)
				cur.Level = event.LevelError
			}
		case "xid=":
			cur.Set("xid", v)
		}
	}
	if k := it.xid; k > 0 {
		cur.Set("xid", desc[k+len("Xid = "):])
	}
}

// commitStamps reads MySQL 8's commit timestamps from a GTID header:
// immediate_commit_timestamp (this server) is the record time. it is
// mysqlBinlogScan(desc).
func (d *mysqlBinlogDecoder) commitStamps(it *mysqlBinlogItems, desc string, cur *event.Event) {
	var imm, orig int64
	var ok1, ok2 bool
	if it.imm >= 0 {
		imm, ok1 = mysqlBinlogUsec(desc[it.imm:])
	}
	if it.orig >= 0 {
		orig, ok2 = mysqlBinlogUsec(desc[it.orig:])
	}
	if ok1 {
		d.setCommit(imm, cur)
	}
	if ok1 && ok2 && imm > orig {
		cur.Set("replication_lag_ms", strconv.FormatInt((imm-orig)/1000, 10))
	}
}

func (d *mysqlBinlogDecoder) setCommit(usec int64, cur *event.Event) {
	if t, prec, ok := epochTime(usec, nil); ok {
		cur.Time, cur.Precision, cur.Zoned = t, prec, true
		d.commitTS = true
	}
}

// mysqlBinlogUsec reads the 15 to 17 digits of microseconds that start v
// ("1692080537123456", a key's value: mysqlBinlogScan found the key).
func mysqlBinlogUsec(v string) (int64, bool) {
	n := 0
	for n < len(v) && isDigit(v[n]) {
		n++
	}
	if n < 15 || n > 17 {
		return 0, false
	}
	var u int64 // 17 digits at most: no overflow (strconv.ParseInt cost ten times as much)
	for i := 0; i < n; i++ {
		u = u*10 + int64(v[i]-'0')
	}
	return u, u > 0
}

// commitComment reads "# original_commit_timestamp=1692080537123456
// (2023-08-15 14:22:17.123456 CST)": the local time in parentheses and
// the epoch give mysqlbinlog's zone offset.
func (d *mysqlBinlogDecoder) commitComment(line []byte, s string, cur *event.Event) {
	e := strings.IndexByte(s, '=')
	p := strings.IndexByte(s, '(')
	if e < 0 || p < e {
		return
	}
	usec, ok := mysqlBinlogUsec(s[e+1:])
	if !ok {
		return
	}
	if strings.HasPrefix(s, "# immediate") && !d.commitTS {
		d.setCommit(usec, cur)
	}
	wall, ok := parseISO(line[p+1:], time.UTC)
	if !ok || wall.zoned {
		return
	}
	diff := wall.t.UnixMicro() - usec
	if diff%(900*1e6) == 0 && diff <= 14*3600*1e6 && diff >= -14*3600*1e6 {
		d.off, d.offKnown = diff/1e6, true
	}
}

// base64Stamp reads the binary header of the first event in a BINLOG
// '...' block: its first four bytes are the event's timestamp as an epoch,
// the instant the header stamp printed above it shows in mysqlbinlog's
// local time. The format description event of every binlog prints such a
// block (unless --base64-output=DECODE-ROWS), so the offset is known from
// the first event on.
func (d *mysqlBinlogDecoder) base64Stamp(line []byte, cur *event.Event) {
	if len(line) < 8 || d.lastWall.IsZero() {
		return
	}
	var b [6]byte
	if n, err := base64.StdEncoding.Decode(b[:], line[:8]); err != nil || n != 6 {
		return
	}
	ts := int64(binary.LittleEndian.Uint32(b[:4]))
	if off, ok := mysqlZoneOffset(d.lastWall, ts, 0); ok {
		d.off, d.offKnown = off, true
		if !d.commitTS && cur != nil {
			cur.Time, cur.Zoned = d.instant(d.lastWall)
		}
	}
}

// setTimestamp reads "SET TIMESTAMP=1692080537/*!*/;" of a Query event:
// the same instant as its header stamp, so it gives the stamps' offset.
func (d *mysqlBinlogDecoder) setTimestamp(line []byte, cur *event.Event) {
	i := len("SET TIMESTAMP=")
	j := mysqlDigitsEnd(line, i)
	d.lastTS = append(d.lastTS[:0], line[i:j]...)
	e, ok := mysqlAtoi(line[i:j])
	if !ok || d.lastWall.IsZero() {
		return
	}
	if off, ok := mysqlZoneOffset(d.lastWall, e, 0); ok {
		d.off, d.offKnown = off, true
		if !d.commitTS {
			cur.Time, cur.Zoned = d.instant(d.lastWall)
		}
	}
}

// mysqlSQLVerb returns the statement kind of an SQL line ("INSERT",
// "CREATE"...) or "" for BEGIN, COMMIT and unknown words.
func mysqlSQLVerb(line []byte) string {
	i := mysqlSkipBlank(line, 0)
	j := i
	for j < len(line) && isLetter(line[j]) {
		j++
	}
	w := line[i:j]
	for _, v := range [...]string{"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "ALTER", "DROP",
		"TRUNCATE", "RENAME", "GRANT", "REVOKE", "LOAD", "CALL", "OPTIMIZE", "ANALYZE", "SET"} {
		if len(w) == len(v) && mysqlEqualFold(w, v) {
			return v
		}
	}
	return ""
}

// mysqlEqualFold compares ASCII letters case-insensitively.
func mysqlEqualFold(b []byte, s string) bool {
	for i := range b {
		if b[i]|0x20 != s[i]|0x20 {
			return false
		}
	}
	return true
}
