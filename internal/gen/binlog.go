package gen

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Binlog writes the text `mysqlbinlog --base64-output=DECODE-ROWS -v`
// prints for a MySQL 8.0 row-based binary log with GTIDs. Event header
// times ("#230815 11:52:17") are in the zone of the host mysqlbinlog ran on
// and carry no offset; the "# original_commit_timestamp" comments repeat
// the commit instant in microseconds with that zone's abbreviation.
//
// A transaction prints as: GTID event (with SET @@SESSION.GTID_NEXT), Query
// event "BEGIN", then per row change a Table_map event and a
// Write_rows/Update_rows/Delete_rows event with its "###" pseudo-SQL, then
// an Xid event and "COMMIT/*!*/;". Each event starts with "# at POS" and
// its header line gives end_log_pos, the start of the next event; positions
// are consistent across the file. CRC32 values are made up.
type Binlog struct {
	k        *Clock
	rng      *rand.Rand
	ServerID int
	UUID     string // server_uuid, the GTID source id
	Version  string // "8.0.34"
	pos      int64
	seq      int64 // sequence_number within this file
	gno      int64 // next GTID transaction number
	xid      int64
	tables   map[string]int
	nextTbl  int
	thread   int64 // pseudo_thread_id last printed
	started  bool  // session variables printed
}

// NewBinlog returns a writer for mysqlbinlog output rendered in zone loc.
// firstGNO is the GTID number of the first transaction written, firstXid
// its Xid.
func NewBinlog(loc *time.Location, rng *rand.Rand, serverID int, uuid, version string, firstGNO, firstXid int64) *Binlog {
	return &Binlog{k: NewClock(loc), rng: rng, ServerID: serverID, UUID: uuid, Version: version,
		gno: firstGNO, xid: firstXid, tables: map[string]int{}, nextTbl: 108}
}

// Pos returns the binlog position after the last event written.
func (w *Binlog) Pos() int64 { return w.pos }

// NextGNO returns the GTID number the next transaction will get.
func (w *Binlog) NextGNO() int64 { return w.gno }

// appendHeader appends "#YYMMDD HH:MM:SS server id N  end_log_pos P CRC32 0x... \t".
func (w *Binlog) appendHeader(b []byte, t time.Time, end int64) []byte {
	c := w.k.at(t)
	b = append(b, '#')
	b = append2(b, c.year%100)
	b = append2(b, c.month)
	b = append2(b, c.day)
	b = append(b, ' ')
	if c.hour < 10 {
		b = append(b, ' ', byte('0'+c.hour))
	} else {
		b = append2(b, c.hour)
	}
	b = append(b, ':')
	b = append2(b, c.min)
	b = append(b, ':')
	b = append2(b, c.sec)
	b = append(b, " server id "...)
	b = appendInt(b, int64(w.ServerID))
	b = append(b, "  end_log_pos "...)
	b = appendInt(b, end)
	b = append(b, " CRC32 0x"...)
	b = appendHex8(b, w.rng.Uint32())
	return append(b, " \t"...)
}

func appendHex8(b []byte, v uint32) []byte {
	const hex = "0123456789abcdef"
	for s := 28; s >= 0; s -= 4 {
		b = append(b, hex[v>>uint(s)&0xf])
	}
	return b
}

func (w *Binlog) appendAt(b []byte) []byte {
	b = append(b, "# at "...)
	b = appendInt(b, w.pos)
	return append(b, '\n')
}

// appendCreated appends "YYMMDD HH:MM:SS" as the Start event prints it.
func (w *Binlog) appendShort(b []byte, t time.Time) []byte {
	c := w.k.at(t)
	b = append2(b, c.year%100)
	b = append2(b, c.month)
	b = append2(b, c.day)
	b = append(b, ' ')
	if c.hour < 10 {
		b = append(b, ' ', byte('0'+c.hour))
	} else {
		b = append2(b, c.hour)
	}
	b = append(b, ':')
	b = append2(b, c.min)
	b = append(b, ':')
	return append2(b, c.sec)
}

// Header appends mysqlbinlog's preamble, the Format_description event of a
// binlog created at t (the file is still open, hence the warning) and the
// Previous-GTIDs event listing the GTIDs of earlier files (1..firstGNO-1).
func (w *Binlog) Header(b []byte, created time.Time) []byte {
	b = append(b, "# The proper term is pseudo_replica_mode, but we use this compatibility alias\n"+
		"# to make the statement usable on server versions 8.0.24 and older.\n"+
		"/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=1*/;\n"+
		"/*!50003 SET @OLD_COMPLETION_TYPE=@@COMPLETION_TYPE,COMPLETION_TYPE=0*/;\n"+
		"DELIMITER /*!*/;\n"...)
	w.pos = 4
	b = w.appendAt(b)
	w.pos = 126
	b = w.appendHeader(b, created, w.pos)
	b = append(b, "Start: binlog v 4, server v "...)
	b = append(b, w.Version...)
	b = append(b, " created "...)
	b = w.appendShort(b, created)
	b = append(b, "\n# Warning: this binlog is either in use or was not closed properly.\n"...)
	b = w.appendAt(b)
	w.pos += 71
	b = w.appendHeader(b, created, w.pos)
	b = append(b, "Previous-GTIDs\n# "...)
	if w.gno > 1 {
		b = append(b, w.UUID...)
		b = append(b, ":1-"...)
		b = appendInt(b, w.gno-1)
	} else {
		b = append(b, "[empty]"...)
	}
	return append(b, '\n')
}

// Footer appends what mysqlbinlog prints after the last event.
func (w *Binlog) Footer(b []byte) []byte {
	return append(b, "SET @@SESSION.GTID_NEXT= 'AUTOMATIC' /* added by mysqlbinlog */ /*!*/;\n"+
		"DELIMITER ;\n"+
		"# End of log file\n"+
		"/*!50003 SET COMPLETION_TYPE=@OLD_COMPLETION_TYPE*/;\n"+
		"/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=0*/;\n"...)
}

// RowChange is one row event of a transaction. Values are already in
// mysqlbinlog -v syntax: numbers bare (7730021, 1280.00), strings and
// temporal values quoted ('INV-20230815-004211', '2023-08-15 14:21:09'),
// NULL as NULL; see BinStr.
type RowChange struct {
	Kind   byte // 'I' insert, 'U' update, 'D' delete
	DB     string
	Table  string
	Before []string // Update, Delete: the row before (WHERE)
	After  []string // Insert, Update: the row after (SET)
}

// BinlogTx is one committed transaction.
type BinlogTx struct {
	Start    time.Time // first statement: header time of GTID, BEGIN and row events
	Commit   time.Time // COMMIT: Xid header time and original_commit_timestamp
	ThreadID int64
	Changes  []RowChange
	// LastCommitted is how many transactions back the last one this one
	// depends on committed (1 for a serial history; 0 means 1).
	LastCommitted int64

	mark string // demo bookkeeping: a label TRUTH.md refers to
}

// GTID is the GTID a transaction written by AppendTx got.
type GTID struct {
	UUID string
	GNO  int64
	Xid  int64
	Pos  int64 // position of its GTID event
	End  int64 // end_log_pos of its Xid event
}

func (g GTID) String() string { return g.UUID + ":" + strconv.FormatInt(g.GNO, 10) }

// AppendTx appends one transaction. Transactions must be appended in
// commit order, as the server writes them.
func (w *Binlog) AppendTx(b []byte, tx *BinlogTx) ([]byte, GTID) {
	w.seq++
	lc := tx.LastCommitted
	if lc <= 0 {
		lc = 1
	}
	last := w.seq - lc
	if last < 0 {
		last = 0
	}
	db := "invoice"
	if len(tx.Changes) > 0 {
		db = tx.Changes[0].DB
	}
	// Event sizes (bytes), close to what the server writes.
	const gtidSize, xidSize = 79, 31
	beginSize := int64(73 + len(db))
	var sizes []int64
	total := gtidSize + beginSize + xidSize
	for i := range tx.Changes {
		ch := &tx.Changes[i]
		tm := int64(40 + len(ch.DB) + len(ch.Table) + 3*max(len(ch.Before), len(ch.After)))
		rows := int64(40) + rowBytes(ch.Before) + rowBytes(ch.After)
		sizes = append(sizes, tm, rows)
		total += tm + rows
	}
	commitUS := tx.Commit.UnixMicro()
	g := GTID{UUID: w.UUID, GNO: w.gno, Xid: w.xid, Pos: w.pos}

	// GTID event.
	b = w.appendAt(b)
	w.pos += gtidSize
	b = w.appendHeader(b, tx.Start, w.pos)
	b = append(b, "GTID\tlast_committed="...)
	b = appendInt(b, last)
	b = append(b, "\tsequence_number="...)
	b = appendInt(b, w.seq)
	b = append(b, "\trbr_only=yes\toriginal_committed_timestamp="...)
	b = appendInt(b, commitUS)
	b = append(b, "\timmediate_commit_timestamp="...)
	b = appendInt(b, commitUS)
	b = append(b, "\ttransaction_length="...)
	b = appendInt(b, total)
	b = append(b, "\n/*!50718 SET TRANSACTION ISOLATION LEVEL READ COMMITTED*//*!*/;\n"...)
	for _, name := range [2]string{"original", "immediate"} {
		b = append(b, "# "...)
		b = append(b, name...)
		b = append(b, "_commit_timestamp="...)
		b = appendInt(b, commitUS)
		b = append(b, " ("...)
		c := w.k.at(tx.Commit)
		b = appendDate(b, c, '-')
		b = append(b, ' ')
		b = appendHMS(b, c)
		b = append(b, '.')
		b = appendFrac(b, tx.Commit.Nanosecond(), 6)
		b = append(b, ' ')
		b = append(b, c.abbr...)
		b = append(b, ")\n"...)
	}
	b = append(b, "/*!80001 SET @@session.original_commit_timestamp="...)
	b = appendInt(b, commitUS)
	b = append(b, "*//*!*/;\n"...)
	ver := versionID(w.Version)
	b = append(b, "/*!80014 SET @@session.original_server_version="...)
	b = append(b, ver...)
	b = append(b, "*//*!*/;\n/*!80014 SET @@session.immediate_server_version="...)
	b = append(b, ver...)
	b = append(b, "*//*!*/;\nSET @@SESSION.GTID_NEXT= '"...)
	b = append(b, w.UUID...)
	b = append(b, ':')
	b = appendInt(b, w.gno)
	b = append(b, "'/*!*/;\n"...)

	// Query event: BEGIN.
	b = w.appendAt(b)
	w.pos += beginSize
	b = w.appendHeader(b, tx.Start, w.pos)
	b = append(b, "Query\tthread_id="...)
	b = appendInt(b, tx.ThreadID)
	b = append(b, "\texec_time=0\terror_code=0\nSET TIMESTAMP="...)
	b = appendInt(b, tx.Start.Unix())
	b = append(b, "/*!*/;\n"...)
	if !w.started {
		b = append(b, "SET @@session.pseudo_thread_id="...)
		b = appendInt(b, tx.ThreadID)
		b = append(b, "/*!*/;\n"+
			"SET @@session.foreign_key_checks=1, @@session.sql_auto_is_null=0, @@session.unique_checks=1, @@session.autocommit=1/*!*/;\n"+
			"SET @@session.sql_mode=1168113696/*!*/;\n"+
			"SET @@session.auto_increment_increment=1, @@session.auto_increment_offset=1/*!*/;\n"+
			"/*!\\C utf8mb4 *//*!*/;\n"+
			"SET @@session.character_set_client=255,@@session.collation_connection=255,@@session.collation_server=255/*!*/;\n"+
			"SET @@session.lc_time_names=0/*!*/;\n"+
			"SET @@session.collation_database=DEFAULT/*!*/;\n"+
			"/*!80011 SET @@session.default_collation_for_utf8mb4=255*//*!*/;\n"...)
		w.started = true
		w.thread = tx.ThreadID
	} else if tx.ThreadID != w.thread {
		b = append(b, "SET @@session.pseudo_thread_id="...)
		b = appendInt(b, tx.ThreadID)
		b = append(b, "/*!*/;\n"...)
		w.thread = tx.ThreadID
	}
	b = append(b, "BEGIN\n/*!*/;\n"...)

	// Row events.
	for i := range tx.Changes {
		ch := &tx.Changes[i]
		key := ch.DB + "." + ch.Table
		id, ok := w.tables[key]
		if !ok {
			id = w.nextTbl
			w.nextTbl++
			w.tables[key] = id
		}
		b = w.appendAt(b)
		w.pos += sizes[2*i]
		b = w.appendHeader(b, tx.Start, w.pos)
		b = append(b, "Table_map: `"...)
		b = append(b, ch.DB...)
		b = append(b, "`.`"...)
		b = append(b, ch.Table...)
		b = append(b, "` mapped to number "...)
		b = appendInt(b, int64(id))
		b = append(b, "\n# has_generated_invisible_primary_key=0\n"...)
		b = w.appendAt(b)
		w.pos += sizes[2*i+1]
		b = w.appendHeader(b, tx.Start, w.pos)
		switch ch.Kind {
		case 'I':
			b = append(b, "Write_rows: table id "...)
		case 'U':
			b = append(b, "Update_rows: table id "...)
		default:
			b = append(b, "Delete_rows: table id "...)
		}
		b = appendInt(b, int64(id))
		b = append(b, " flags: STMT_END_F\n"...)
		switch ch.Kind {
		case 'I':
			b = appendRowSQL(b, "### INSERT INTO `", ch, nil, ch.After)
		case 'U':
			b = appendRowSQL(b, "### UPDATE `", ch, ch.Before, ch.After)
		default:
			b = appendRowSQL(b, "### DELETE FROM `", ch, ch.Before, nil)
		}
	}

	// Xid event.
	b = w.appendAt(b)
	w.pos += xidSize
	b = w.appendHeader(b, tx.Commit, w.pos)
	b = append(b, "Xid = "...)
	b = appendInt(b, w.xid)
	b = append(b, "\nCOMMIT/*!*/;\n"...)
	g.End = w.pos
	w.gno++
	w.xid++
	return b, g
}

func appendRowSQL(b []byte, head string, ch *RowChange, where, set []string) []byte {
	b = append(b, head...)
	b = append(b, ch.DB...)
	b = append(b, "`.`"...)
	b = append(b, ch.Table...)
	b = append(b, "`\n"...)
	if where != nil {
		b = append(b, "### WHERE\n"...)
		b = appendCols(b, where)
	}
	if set != nil {
		b = append(b, "### SET\n"...)
		b = appendCols(b, set)
	}
	return b
}

func appendCols(b []byte, vals []string) []byte {
	for i, v := range vals {
		b = append(b, "###   @"...)
		b = appendInt(b, int64(i+1))
		b = append(b, '=')
		b = append(b, v...)
		b = append(b, '\n')
	}
	return b
}

// rowBytes approximates a row image's size in the binary event.
func rowBytes(vals []string) int64 {
	if vals == nil {
		return 0
	}
	n := int64(1 + (len(vals)+7)/8)
	for _, v := range vals {
		switch {
		case strings.HasPrefix(v, "'") && len(v) == 21 && v[5] == '-' && v[14] == ':': // DATETIME
			n += 5
		case strings.HasPrefix(v, "'"):
			n += int64(len(v) - 1)
		case strings.Contains(v, "."):
			n += 6
		case v == "NULL":
		default:
			n += 8
		}
	}
	return n
}

// versionID turns "8.0.34" into "80034".
func versionID(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) != 3 {
		return "80034"
	}
	a, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	p, _ := strconv.Atoi(parts[2])
	return strconv.Itoa(a*10000 + m*100 + p)
}

// BinStr quotes a string value as mysqlbinlog -v prints it.
func BinStr(s string) string {
	if strings.ContainsAny(s, `'\`) {
		s = strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s)
	}
	return "'" + s + "'"
}

// BinDatetime formats a DATETIME value (wall clock of t, no zone).
func BinDatetime(t time.Time) string {
	return "'" + t.Format("2006-01-02 15:04:05") + "'"
}
