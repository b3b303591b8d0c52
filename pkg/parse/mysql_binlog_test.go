package parse

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// The testdata/mysql/binlog-*.txt files were written for these tests in
// the exact syntax mysqlbinlog / mariadb-binlog print (no public corpus
// has such output under a usable licence): header comments, "# at N",
// event headers, session SET lines, BINLOG blocks whose event headers
// carry the right epoch, -v row images, trailer.

func mysqlBinlogTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "mysql", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type mysqlBinlogWant struct {
	line   int64
	time   string
	prec   int
	level  event.Level
	msg    string
	fields map[string]string
}

func mysqlCheckBinlog(t *testing.T, evs []event.Event, want []mysqlBinlogWant) {
	t.Helper()
	evs = mysqlEvents(evs)
	if len(evs) != len(want) {
		for _, e := range evs {
			t.Logf("line %d %v %q %v", e.Line, e.Time, e.Message, e.Fields)
		}
		t.Fatalf("got %d events, want %d", len(evs), len(want))
	}
	for i, w := range want {
		e := &evs[i]
		if e.Line != w.line || !e.Time.Equal(mustTime(t, w.time)) || e.Precision != w.prec || !e.Zoned ||
			e.Level != w.level || e.Message != w.msg {
			t.Errorf("event %d: line %d %v p%d zoned=%v %q %q, want line %d %s p%d %q %q",
				i, e.Line, e.Time, e.Precision, e.Zoned, e.Level, e.Message, w.line, w.time, w.prec, w.level, w.msg)
		}
		if len(e.Fields) != len(w.fields) {
			t.Errorf("event %d: fields %v, want %v", i, e.Fields, w.fields)
		}
		for k, v := range w.fields {
			if got := mysqlField(e, k); got != v {
				t.Errorf("event %d: %s = %q, want %q", i, k, got, v)
			}
		}
	}
}

// TestMySQLBinlog80: MySQL 8.0 "mysqlbinlog -vv" output (GTIDs, row
// images), read with the wrong zone: the header stamps are in +08:00
// (mysqlbinlog's zone), which the decoder learns from the epochs.
func TestMySQLBinlog80(t *testing.T) {
	text := mysqlBinlogTestdata(t, "binlog-mysql-8.0.txt")
	const uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562"
	want := []mysqlBinlogWant{
		{7, "2023-08-15T06:20:01Z", 0, "", "Start: binlog v 4, server v 8.0.34 created 230815 14:20:01 at startup",
			map[string]string{"event_type": "Start", "server_id": "1", "position": "4", "log_pos": "126", "version": "8.0.34"}},
		{15, "2023-08-15T06:20:01Z", 0, "", "Previous-GTIDs",
			map[string]string{"event_type": "Previous-GTIDs", "server_id": "1", "position": "126", "log_pos": "197"}},
		{18, "2023-08-15T06:22:17.123456Z", 6, "", "INSERT INTO `invoice`.`invoice`",
			map[string]string{"event_type": "GTID", "server_id": "1", "position": "197", "log_pos": "515", "gtid": uuid + ":23",
				"thread_id": "12", "exec_time": "0", "db": "invoice", "table": "invoice", "statement": "INSERT", "xid": "4521",
				"rows": "1", "change_hash": "caa400b592e60143"}},
		// The same row image applied again under another GTID and xid: same change_hash.
		{60, "2023-08-15T06:22:18.004211Z", 6, "", "INSERT INTO `invoice`.`invoice`",
			map[string]string{"event_type": "GTID", "server_id": "1", "position": "515", "log_pos": "833", "gtid": uuid + ":24",
				"thread_id": "13", "exec_time": "0", "db": "invoice", "table": "invoice", "statement": "INSERT", "xid": "4524",
				"rows": "1", "change_hash": "caa400b592e60143"}},
		// A long transaction (BEGIN 14:22:20, commit 14:24:05) replicated 1.5 s late.
		{102, "2023-08-15T06:24:05Z", 6, "", "UPDATE `invoice`.`payment`",
			map[string]string{"event_type": "GTID", "server_id": "1", "position": "833", "log_pos": "1211", "gtid": uuid + ":25",
				"thread_id": "14", "exec_time": "0", "db": "invoice", "table": "payment", "statement": "UPDATE", "xid": "4529",
				"rows": "2", "change_hash": "6b076569dc5e3139", "duration_s": "105", "replication_lag_ms": "1500"}},
		{147, "2023-08-15T06:24:30.271001Z", 6, "", "ALTER TABLE `invoice` ADD COLUMN note varchar(64)",
			map[string]string{"event_type": "GTID", "server_id": "1", "position": "1211", "log_pos": "1423", "gtid": uuid + ":26",
				"thread_id": "12", "exec_time": "0", "xid": "4530", "db": "invoice", "statement": "ALTER", "change_hash": "23e2a049bd1b605c"}},
		{171, "2023-08-15T06:25:03Z", 0, "", "Rotate to binlog.000002  pos: 4",
			map[string]string{"event_type": "Rotate", "server_id": "1", "position": "1423", "log_pos": "1470", "next_file": "binlog.000002"}},
	}
	for _, zone := range []string{"UTC", "+08:00", "-05:00"} {
		t.Run(zone, func(t *testing.T) {
			evs, st := decodeText(t, MySQLBinlogID, zone, text)
			if st.Unparsed != 6 { // the five header comment lines and the first "# at 4"
				t.Errorf("unparsed %d", st.Unparsed)
			}
			mysqlCheckBinlog(t, evs, want)
		})
	}
	if _, st := decodeText(t, "", "", text); st.Format != MySQLBinlogID {
		t.Errorf("detected %q", st.Format)
	}
}

// TestMySQLBinlogMariaDB: mariadb-binlog -v output: Gtid list, Binlog
// checkpoint, "GTID 0-1-23 trans" with the BEGIN in its body,
// Annotate_rows, a "GTID ... ddl" standalone statement, xid in the Query
// header. mariadb-binlog ran in +01:00.
func TestMySQLBinlogMariaDB(t *testing.T) {
	text := mysqlBinlogTestdata(t, "binlog-mariadb-10.4.txt")
	want := []mysqlBinlogWant{
		{6, "2019-03-11T13:10:41Z", 0, "", "Start: binlog v 4, server v 10.4.28-MariaDB-log created 190311 14:10:41 at startup",
			map[string]string{"event_type": "Start", "server_id": "1", "position": "4", "log_pos": "256", "version": "10.4.28-MariaDB-log"}},
		{17, "2019-03-11T13:10:41Z", 0, "", "Gtid list [0-1-22]",
			map[string]string{"event_type": "Gtid_list", "server_id": "1", "position": "256", "log_pos": "299"}},
		{19, "2019-03-11T13:10:41Z", 0, "", "Binlog checkpoint mariadb-bin.000003",
			map[string]string{"event_type": "Binlog_checkpoint", "server_id": "1", "position": "299", "log_pos": "344"}},
		{21, "2019-03-11T13:12:05Z", 0, "", "update escalations set nextcheck=1552313525 where escalationid=124212",
			map[string]string{"event_type": "GTID", "server_id": "1", "position": "344", "log_pos": "702", "gtid": "0-1-23",
				"db": "zabbix", "table": "escalations", "statement": "UPDATE", "xid": "5346375262", "rows": "1", "change_hash": "d8a4c8e68208744f"}},
		{46, "2019-03-11T13:13:40Z", 0, "", "create table t(t int)",
			map[string]string{"event_type": "GTID", "server_id": "1", "position": "702", "log_pos": "843", "gtid": "0-1-24",
				"thread_id": "821", "exec_time": "0", "xid": "1678", "db": "testdb", "statement": "CREATE", "change_hash": "f9d2d741579c23c6"}},
	}
	evs, st := decodeText(t, MySQLBinlogID, "UTC", text)
	if st.Unparsed != 5 {
		t.Errorf("unparsed %d", st.Unparsed)
	}
	mysqlCheckBinlog(t, evs, want)
	if _, st := decodeText(t, "", "", text); st.Format != MySQLBinlogID {
		t.Errorf("detected %q", st.Format)
	}
}

// TestMySQLBinlog55: MySQL 5.5 statement-based output without GTIDs or
// CRC32: a transaction starts at its "Query BEGIN"; an autocommitted
// statement that failed on the source (error_code) is an error; Stop.
func TestMySQLBinlog55(t *testing.T) {
	text := mysqlBinlogTestdata(t, "binlog-mysql-5.5.txt")
	want := []mysqlBinlogWant{
		{5, "2016-12-09T14:18:50Z", 0, "", "Start: binlog v 4, server v 5.5.53-0ubuntu0.12.04.1-log created 161209 14:18:50 at startup",
			map[string]string{"event_type": "Start", "server_id": "1", "position": "4", "log_pos": "107", "version": "5.5.53-0ubuntu0.12.04.1-log"}},
		{12, "2016-12-09T14:37:59Z", 0, "", "INSERT INTO orders (customer_id, total)",
			map[string]string{"event_type": "Query", "server_id": "1", "position": "107", "log_pos": "358", "thread_id": "37",
				"exec_time": "0", "db": "shop", "statement": "INSERT", "xid": "1187", "change_hash": "492bcc0d16b9b809"}},
		{38, "2016-12-09T14:38:10Z", 0, event.LevelError, "DELETE FROM audit_log WHERE created < '2016-01-01'",
			map[string]string{"event_type": "Query", "server_id": "1", "position": "358", "log_pos": "470", "thread_id": "38",
				"exec_time": "3", "error_code": "1317", "statement": "DELETE", "change_hash": "683ad1479b5e899e"}},
		{43, "2016-12-09T14:39:00Z", 0, "", "Stop",
			map[string]string{"event_type": "Stop", "server_id": "1", "position": "470", "log_pos": "489"}},
	}
	evs, _ := decodeText(t, MySQLBinlogID, "+03:00", text)
	mysqlCheckBinlog(t, evs, want)
	if _, st := decodeText(t, "", "", text); st.Format != MySQLBinlogID {
		t.Errorf("detected %q", st.Format)
	}
}

// TestMySQLBinlogEdges: output that starts inside a transaction, without
// -v, with --base64-output=DECODE-ROWS (no epoch before the first Query),
// an artificial zero-time Rotate, a rolled-back transaction and an
// Incident.
func TestMySQLBinlogEdges(t *testing.T) {
	text := strings.Join([]string{
		"#700101  8:00:00 server id 1  end_log_pos 0 \tRotate to binlog.000007  pos: 4",
		"# at 424",
		"#230815 14:22:17 server id 1  end_log_pos 484 CRC32 0x5a8e2c11 \tWrite_rows: table id 92 flags: STMT_END_F",
		"### INSERT INTO `invoice`.`invoice`",
		"### SET",
		"###   @1=1001",
		"# at 484",
		"#230815 14:22:17 server id 1  end_log_pos 515 CRC32 0x2f7a9b3c \tXid = 4521",
		"COMMIT/*!*/;",
		"# at 515",
		"#230815 14:22:30 server id 1  end_log_pos 580 CRC32 0x0c1d2e3f \tAnonymous_GTID\tlast_committed=1\tsequence_number=2\trbr_only=yes",
		"SET @@SESSION.GTID_NEXT= 'ANONYMOUS'/*!*/;",
		"# at 580",
		"#230815 14:22:30 server id 1  end_log_pos 655 CRC32 0x4a5b6c7d \tQuery\tthread_id=13\texec_time=0\terror_code=0",
		"SET TIMESTAMP=1692080550/*!*/;",
		"BEGIN",
		"/*!*/;",
		"# at 655",
		"#230815 14:22:30 server id 1  end_log_pos 718 CRC32 0x8e9fa0b1 \tTable_map: `invoice`.`payment` mapped to number 93",
		"# at 718",
		"#230815 14:22:30 server id 1  end_log_pos 770 CRC32 0xc2d3e4f5 \tDelete_rows: table id 93 flags: STMT_END_F",
		"# at 770",
		"#230815 14:22:31 server id 1  end_log_pos 843 CRC32 0x06172839 \tQuery\tthread_id=13\texec_time=0\terror_code=0",
		"SET TIMESTAMP=1692080551/*!*/;",
		"ROLLBACK",
		"/*!*/;",
		"# at 843",
		"#230815 14:23:00 server id 1  end_log_pos 910 CRC32 0x1a2b3c4d \tIncident: LOST_EVENTS",
		"RELOAD DATABASE; # Shall generate syntax error",
	}, "\n")
	want := []mysqlBinlogWant{
		// Before any epoch is seen, stamps are read in the input zone (+08:00 here).
		{3, "2023-08-15T06:22:17Z", 0, "", "INSERT INTO `invoice`.`invoice`",
			map[string]string{"event_type": "Write_rows", "server_id": "1", "position": "424", "log_pos": "515", "statement": "INSERT",
				"db": "invoice", "table": "invoice", "xid": "4521", "rows": "1", "change_hash": "5353d8df5e59f573"}},
		{11, "2023-08-15T06:22:31Z", 0, event.LevelWarn, "Table_map: `invoice`.`payment` mapped to number 93",
			map[string]string{"event_type": "Anonymous_GTID", "server_id": "1", "position": "515", "log_pos": "843", "thread_id": "13",
				"exec_time": "0", "db": "invoice", "table": "payment", "statement": "DELETE", "rollback": "true", "duration_s": "1"}},
		{28, "2023-08-15T06:23:00Z", 0, event.LevelError, "Incident: LOST_EVENTS",
			map[string]string{"event_type": "Incident", "server_id": "1", "position": "843", "log_pos": "910"}},
	}
	evs, st := decodeText(t, MySQLBinlogID, "+08:00", text)
	if st.Unparsed != 2 { // the artificial Rotate and the "# at 424" before any record
		t.Errorf("unparsed %d", st.Unparsed)
	}
	// Stamps before the first epoch use the input zone: with the wrong one
	// the first record is off, the rest are exact.
	mysqlCheckBinlogZoned(t, evs, want)
	evs, _ = decodeText(t, MySQLBinlogID, "UTC", text)
	if e := mysqlEvents(evs); !e[0].Time.Equal(mustTime(t, "2023-08-15T14:22:17Z")) || e[0].Zoned ||
		!e[1].Time.Equal(mustTime(t, "2023-08-15T06:22:31Z")) || !e[1].Zoned {
		t.Errorf("wrong zone: %v %v / %v %v", e[0].Time, e[0].Zoned, e[1].Time, e[1].Zoned)
	}
}

// TestMySQLBinlogPayloadXA: an 8.0.20+ compressed transaction
// (Transaction_Payload with its events printed inside, Rows_query text),
// pasted with spaces instead of tabs; and an XA transaction prepared in one
// record and committed in another.
func TestMySQLBinlogPayloadXA(t *testing.T) {
	text := strings.Join([]string{
		"# at 574",
		"#200507 23:53:53 server id 2099  end_log_pos 649        Anonymous_GTID  last_committed=2        sequence_number=3        rbr_only=yes    original_committed_timestamp=1588866833066696   immediate_commit_timestamp=1588866833066696      transaction_length=284",
		"/*!50718 SET TRANSACTION ISOLATION LEVEL READ COMMITTED*//*!*/;",
		"# original_commit_timestamp=1588866833066696 (2020-05-07 23:53:53.066696 CST)",
		"SET @@SESSION.GTID_NEXT= 'ANONYMOUS'/*!*/;",
		"# at 649",
		"#200507 23:53:53 server id 2099  end_log_pos 858        Transaction_Payload             payload_size=180 compression_type=ZSTD   uncompressed_size=243",
		"# Start of compressed events!",
		"# at 858",
		"#200507 23:53:53 server id 2099  end_log_pos 858        Query   thread_id=77    exec_time=0     error_code=0",
		"SET TIMESTAMP=1588866833/*!*/;",
		"BEGIN",
		"/*!*/;",
		"# at 858",
		"#200507 23:53:53 server id 2099  end_log_pos 858        Rows_query",
		"# insert into t_s select * from t",
		"# at 858",
		"#200507 23:53:53 server id 2099  end_log_pos 858        Table_map: `tempdb`.`t_s` mapped to number 157",
		"# at 858",
		"#200507 23:53:53 server id 2099  end_log_pos 858        Write_rows: table id 157 flags: STMT_END_F",
		"### INSERT INTO `tempdb`.`t_s`",
		"### SET",
		"###   @1=1 /* INT meta=0 nullable=0 is_null=0 */",
		"# at 858",
		"#200507 23:53:53 server id 2099  end_log_pos 858        Xid = 4682",
		"COMMIT/*!*/;",
		"# End of compressed events!",
		"# at 858",
		"#200507 23:54:10 server id 2099  end_log_pos 937 CRC32 0x1c2d3e4f \tGTID\tlast_committed=3\tsequence_number=4\trbr_only=yes\toriginal_committed_timestamp=1588866850000001\timmediate_commit_timestamp=1588866850000001\ttransaction_length=400",
		"SET @@SESSION.GTID_NEXT= '3e11fa47-71ca-11e1-9e33-c80aa9429562:30'/*!*/;",
		"# at 937",
		"#200507 23:54:10 server id 2099  end_log_pos 1040 CRC32 0x2d3e4f50 \tQuery\tthread_id=78\texec_time=0\terror_code=0",
		"SET TIMESTAMP=1588866850/*!*/;",
		"XA START X'7478',X'',1",
		"/*!*/;",
		"# at 1040",
		"#200507 23:54:10 server id 2099  end_log_pos 1103 CRC32 0x3e4f5061 \tTable_map: `tempdb`.`t_s` mapped to number 157",
		"# at 1103",
		"#200507 23:54:10 server id 2099  end_log_pos 1150 CRC32 0x4f506172 \tWrite_rows: table id 157 flags: STMT_END_F",
		"### INSERT INTO `tempdb`.`t_s`",
		"### SET",
		"###   @1=2 /* INT meta=0 nullable=0 is_null=0 */",
		"# at 1150",
		"#200507 23:54:10 server id 2099  end_log_pos 1246 CRC32 0x50617283 \tQuery\tthread_id=78\texec_time=0\terror_code=0",
		"SET TIMESTAMP=1588866850/*!*/;",
		"XA END X'7478',X'',1",
		"/*!*/;",
		"# at 1246",
		"#200507 23:54:10 server id 2099  end_log_pos 1290 CRC32 0x61728394 \tXA PREPARE X'7478',X'',1",
		"XA PREPARE X'7478',X'',1",
		"/*!*/;",
		"# at 1290",
		"#200507 23:54:15 server id 2099  end_log_pos 1369 CRC32 0x728394a5 \tGTID\tlast_committed=4\tsequence_number=5\trbr_only=no\toriginal_committed_timestamp=1588866855000002\timmediate_commit_timestamp=1588866855000002\ttransaction_length=160",
		"SET @@SESSION.GTID_NEXT= '3e11fa47-71ca-11e1-9e33-c80aa9429562:31'/*!*/;",
		"# at 1369",
		"#200507 23:54:15 server id 2099  end_log_pos 1450 CRC32 0x8394a5b6 \tQuery\tthread_id=78\texec_time=0\terror_code=0",
		"SET TIMESTAMP=1588866855/*!*/;",
		"XA COMMIT X'7478',X'',1",
		"/*!*/;",
	}, "\n")
	want := []mysqlBinlogWant{
		{2, "2020-05-07T15:53:53.066696Z", 6, "", "insert into t_s select * from t",
			map[string]string{"event_type": "Anonymous_GTID", "server_id": "2099", "position": "574", "log_pos": "858", "thread_id": "77",
				"exec_time": "0", "db": "tempdb", "table": "t_s", "statement": "INSERT", "xid": "4682", "rows": "1", "change_hash": "368eaed0b0b72082"}},
		{29, "2020-05-07T15:54:10.000001Z", 6, "", "INSERT INTO `tempdb`.`t_s`",
			map[string]string{"event_type": "GTID", "server_id": "2099", "position": "858", "log_pos": "1290", "gtid": "3e11fa47-71ca-11e1-9e33-c80aa9429562:30",
				"thread_id": "78", "exec_time": "0", "db": "tempdb", "table": "t_s", "statement": "INSERT", "rows": "1", "change_hash": "6c7b13a67cc28185"}},
		{53, "2020-05-07T15:54:15.000002Z", 6, "", "XA COMMIT X'7478',X'',1",
			map[string]string{"event_type": "GTID", "server_id": "2099", "position": "1290", "log_pos": "1450", "gtid": "3e11fa47-71ca-11e1-9e33-c80aa9429562:31",
				"thread_id": "78", "exec_time": "0"}},
	}
	evs, st := decodeText(t, MySQLBinlogID, "+08:00", text)
	if st.Unparsed != 1 {
		t.Errorf("unparsed %d", st.Unparsed)
	}
	mysqlCheckBinlog(t, evs, want)
}

// mysqlCheckBinlogZoned is mysqlCheckBinlog for records whose stamps may
// have been read in the input zone (Zoned false).
func mysqlCheckBinlogZoned(t *testing.T, evs []event.Event, want []mysqlBinlogWant) {
	t.Helper()
	cp := append([]event.Event(nil), evs...)
	for i := range cp {
		cp[i].Zoned = true
	}
	mysqlCheckBinlog(t, cp, want)
}

func FuzzMySQLBinlog(f *testing.F) {
	fuzzFormat(f, MySQLBinlogID,
		"DELIMITER /*!*/;\n# at 4\n#230815 14:20:01 server id 1  end_log_pos 126 CRC32 0x3f6c2a55 \tStart: binlog v 4, server v 8.0.34 created 230815 14:20:01\nBINLOG '\nERnbZA8BAAAAegAAAH4AAAAAAIhP\n'/*!*/;\n",
		"#190311 14:12:05 server id 1  end_log_pos 386 \tGTID 0-1-23 trans\nSTART TRANSACTION\n# at 386\n# at 478\n#190311 14:12:05 server id 1  end_log_pos 478 \tAnnotate_rows:\n#Q> update t set a=1\n### UPDATE `a`.`b`\nCOMMIT/*!*/;\n",
		"#161209 14:38:10 server id 1  end_log_pos 470 \tQuery\tthread_id=38\texec_time=3\terror_code=1317\tXid = \nSET TIMESTAMP=1481294290/*!*/;\nuse `\nDELETE FROM x\n/*!*/;\n# original_commit_timestamp=1692080537123456 (2023-08-15 14:22:17.123456 CST)\n")
}

// TestMySQLBinlogChangeHash: statement-based events hash their statement
// with its timestamp, so a purge job that runs the same DELETE every
// minute gives different hashes while a replayed event (same statement,
// same timestamp, new xid) gives the same one.
func TestMySQLBinlogChangeHash(t *testing.T) {
	trx := func(pos int, hhmmss string, ts int64, xid int) string {
		return strings.Join([]string{
			"# at " + strconv.Itoa(pos),
			"#230815 " + hhmmss + " server id 1  end_log_pos " + strconv.Itoa(pos+70) + " \tQuery\tthread_id=9\texec_time=0\terror_code=0",
			"SET TIMESTAMP=" + strconv.FormatInt(ts, 10) + "/*!*/;",
			"BEGIN",
			"/*!*/;",
			"# at " + strconv.Itoa(pos+70),
			"#230815 " + hhmmss + " server id 1  end_log_pos " + strconv.Itoa(pos+160) + " \tQuery\tthread_id=9\texec_time=0\terror_code=0",
			"SET TIMESTAMP=" + strconv.FormatInt(ts, 10) + "/*!*/;",
			"DELETE FROM sessions WHERE expires < NOW()",
			"/*!*/;",
			"# at " + strconv.Itoa(pos+160),
			"#230815 " + hhmmss + " server id 1  end_log_pos " + strconv.Itoa(pos+191) + " \tXid = " + strconv.Itoa(xid),
			"COMMIT/*!*/;",
		}, "\n")
	}
	text := trx(100, "06:22:17", 1692080537, 10) + "\n" + trx(300, "06:23:17", 1692080597, 11) + "\n" + trx(500, "06:23:17", 1692080597, 12) + "\n"
	evs, _ := decodeText(t, MySQLBinlogID, "UTC", text)
	evs = mysqlEvents(evs)
	if len(evs) != 3 {
		t.Fatalf("got %d events", len(evs))
	}
	h := []string{mysqlField(&evs[0], "change_hash"), mysqlField(&evs[1], "change_hash"), mysqlField(&evs[2], "change_hash")}
	if h[0] == "" || h[0] == h[1] || h[1] != h[2] {
		t.Errorf("hashes %q", h)
	}
	for i, e := range evs {
		if mysqlField(&e, "statement") != "DELETE" || e.Message != "DELETE FROM sessions WHERE expires < NOW()" ||
			mysqlField(&e, "xid") != strconv.Itoa(10+i) {
			t.Errorf("event %d: %q %v", i, e.Message, e.Fields)
		}
	}
}

func TestMySQLFNV(t *testing.T) {
	tests := []string{"", "a", "1234567", "12345678", "123456789", "###   @2='2023-08-15 14:22:17' /* DATETIME(0) meta=0 nullable=0 is_null=0 */", "\xff\x00\x80 mixed bytes \xfe"}
	for _, s := range tests {
		want := uint64(mysqlFNVOffset)
		for i := 0; i < len(s); i++ {
			want ^= uint64(s[i])
			want *= mysqlFNVPrime
		}
		if got := mysqlFNV(mysqlFNVOffset, []byte(s)); got != want {
			t.Errorf("mysqlFNV(%q) = %x, want %x (byte at a time)", s, got, want)
		}
	}
}

// TestMySQLBinlogStampCache reads a sequence of header lines through one
// cache and checks each against a fresh parse.
func TestMySQLBinlogStampCache(t *testing.T) {
	lines := []string{
		"#230815 14:22:17 server id 1  end_log_pos 235",
		"#230815 14:22:17 server id 1  end_log_pos 318", // the same stamp: from the cache
		"#230815 14:22:17.5 server id 1  end_log_pos 318",
		"#230815 14:22:17 server id 1  end_log_pos 400",
		"#230815 14:22:18 server id 1  end_log_pos 461",
		"#230815  9:08:40 server id 1  end_log_pos 4",
		"#230815  9:08:40 server id 1  end_log_pos 9",
		"#230815  9:08:4",
		"#230815  9:08:40",
		"#991399 14:22:17 server id 1",
		"#230815 14:22:17",
	}
	var c mysqlBinlogStamp
	for _, l := range lines {
		got, gotOK := c.read([]byte(l))
		want, wantOK := parseShortDate([]byte(l)[1:], time.UTC)
		if got != want || gotOK != wantOK {
			t.Errorf("%q: %v %v, want %v %v", l, got, gotOK, want, wantOK)
		}
	}
}

func TestMySQLBinlogUsec(t *testing.T) {
	tests := []struct {
		s, key string
		want   int64
		ok     bool
	}{
		{"x immediate_commit_timestamp=1692080537123456\ttransaction_length=318", "immediate_commit_timestamp=", 1692080537123456, true},
		{"1692080537123456 (2023-08-15 14:22:17.123456 CST)", "", 1692080537123456, true},
		{"a=99999999999999999", "a=", 99999999999999999, true},
		{"a=000000000000000", "a=", 0, false},
		{"a=16920805371234", "a=", 0, false},
		{"a=169208053712345678", "a=", 0, false},
		{"b=1692080537123456", "a=", 0, false},
	}
	for _, tt := range tests {
		var got int64
		var ok bool
		if k := strings.Index(tt.s, tt.key); k >= 0 { // the value after the key, as the callers cut it
			got, ok = mysqlBinlogUsec(tt.s[k+len(tt.key):])
		}
		if got != tt.want || ok != tt.ok {
			t.Errorf("mysqlBinlogUsec(%q, %q) = %d, %v; want %d, %v", tt.s, tt.key, got, ok, tt.want, tt.ok)
		}
	}
}

// checkMySQLBinlogScan holds mysqlBinlogScan to one strings.Index for
// each key.
func checkMySQLBinlogScan(t *testing.T, desc string) {
	t.Helper()
	after := func(key string) int {
		if k := strings.Index(desc, key); k >= 0 {
			return k + len(key)
		}
		return -1
	}
	want := mysqlBinlogItems{imm: after("immediate_commit_timestamp="), orig: after("original_committed_timestamp="), xid: strings.Index(desc, "Xid = ")}
	for i, key := range mysqlBinlogKeys {
		want.kv[i] = after(key)
	}
	if got := mysqlBinlogScan(desc); got != want {
		t.Errorf("mysqlBinlogScan(%q) = %+v, want %+v", desc, got, want)
	}
}

var mysqlBinlogScanCases = []string{
	"",
	"=",
	"xid=",
	"Xid = ",
	"GTID\tlast_committed=0\tsequence_number=1\trbr_only=yes\toriginal_committed_timestamp=1692028801898738\timmediate_commit_timestamp=1692028801898738\ttransaction_length=1102",
	"Query\tthread_id=18402\texec_time=0\terror_code=0",
	"Query\tthread_id=12\texec_time=3\terror_code=1062\tXid = 29",
	"GTID 0-1-1 trans thread_id=6 xid=5 Xid = 7 xid=8 thread_id=9",
	"thread_id=thread_id=1 exec_time==2 error_code= error_code=3",
	"Xid = Xid = 1 Xid == 2",
	"aXid = 1",
	"xthread_id=1 _id=2 id= d=",
	"original_committed_timestamp=1 immediate_commit_timestamp=2 original_committed_timestamp=3",
	"timestamp= commit_timestamp=",
}

func TestMySQLBinlogScan(t *testing.T) {
	for _, desc := range mysqlBinlogScanCases {
		checkMySQLBinlogScan(t, desc)
	}
}

// FuzzMySQLBinlogScan holds mysqlBinlogScan to strings.Index.
func FuzzMySQLBinlogScan(f *testing.F) {
	for _, desc := range mysqlBinlogScanCases {
		f.Add(desc)
	}
	f.Fuzz(checkMySQLBinlogScan)
}
