package gen

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"gopkg.in/yaml.v3"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Checks every line of a generated bundle against the syntax of the format
// its file holds, parses its timestamps with the zones rca.yaml declares,
// and checks that they are in order and inside the bundle's time window.

var (
	reAccess   = regexp.MustCompile(`^(\S+) - (\S+) \[(\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] "([A-Z]+) (\S+) (HTTP/\d\.\d)" (\d{3}) (\d+) "([^"]*)" "([^"]*)" (\d+\.\d{3}) (\S+) (\S+)$`)
	reNgxErr   = regexp.MustCompile(`^(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}) \[(error|warn|crit|notice|info)\] \d+#\d+: (\*\d+ )?\S.*$`)
	reSpring   = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})) (TRACE|DEBUG| INFO| WARN|ERROR) \d+ --- \[[\w-]+\] \[.{15}\] .{40} : .*$`)
	reKafka    = regexp.MustCompile(`^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3})\] (TRACE|DEBUG|INFO|WARN|ERROR) .* \([\w.$]+\)$|^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3})\] INFO .*:$`)
	reMyErr    = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z) \d+ \[(System|ERROR|Warning|Note)\] \[MY-\d{6}\] \[(Server|InnoDB|Repl)\] \S.*$`)
	rePipe     = regexp.MustCompile(`^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\] (DEBUG|INFO|WARN|ERROR) \| [\w-]+ \| \S.*$`)
	reSyslog   = regexp.MustCompile(`^([A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}) [\w.-]+ [\w./-]+(\[\d+\])?: .*$`)
	reTraceAt  = regexp.MustCompile(`^\tat [\w$./<>-]+\.[\w$<>-]+\([^)]*\)$`)
	reTraceMor = regexp.MustCompile(`^\t\.\.\. \d+ more$`)
	reTraceExc = regexp.MustCompile(`^(Caused by: )?[a-z][\w.]*\.[A-Z][\w$]*(Exception|Error)[\w$]*(: .*)?$`)
	reSlowTime = regexp.MustCompile(`^# Time: (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)$`)
	reSlowUser = regexp.MustCompile(`^# User@Host: \w+\[\w+\] @ \S* \[[\d.]+\]  Id: +\d+$`)
	reSlowQT   = regexp.MustCompile(`^# Query_time: \d+\.\d{6}  Lock_time: \d+\.\d{6} Rows_sent: \d+  Rows_examined: \d+$`)
	reSlowSet  = regexp.MustCompile(`^SET timestamp=\d{10};$`)
	reBinHead  = regexp.MustCompile(`^#(\d{6} [ \d]\d:\d{2}:\d{2}) server id \d+  end_log_pos (\d+) CRC32 0x[0-9a-f]{8} \t(Start|Previous-GTIDs|GTID|Query|Table_map|Write_rows|Update_rows|Delete_rows|Xid)`)
	reBinAt    = regexp.MustCompile(`^# at (\d+)$`)
)

type bundleCheck struct {
	t        *testing.T
	zones    map[string]*time.Location
	from, to time.Time
}

func isTrace(l string) bool {
	return reTraceAt.MatchString(l) || reTraceMor.MatchString(l) || reTraceExc.MatchString(l)
}

func readAll(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = bufio.NewReader(f)
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return string(b)
}

// checkBundle checks every file of the bundle in dir. It returns the number
// of lines checked.
func checkBundle(t *testing.T, dir string, from, to time.Time) int {
	t.Helper()
	c := &bundleCheck{t: t, zones: readZones(t, filepath.Join(dir, "rca.yaml")), from: from, to: to}
	n := 0
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if rel == "rca.yaml" || rel == "TRUTH.md" {
			return nil
		}
		n += c.file(rel, readAll(t, path))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func readZones(t *testing.T, path string) map[string]*time.Location {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Timezones map[string]string `yaml:"timezones"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatalf("rca.yaml: %v", err)
	}
	zones := map[string]*time.Location{}
	for k, v := range cfg.Timezones {
		loc, err := time.LoadLocation(v)
		if err != nil {
			t.Fatalf("rca.yaml: %v", err)
		}
		zones[k] = loc
	}
	return zones
}

func (c *bundleCheck) file(rel, text string) int {
	t := c.t
	src, _, _ := strings.Cut(rel, "/")
	loc := c.zones[src]
	if loc == nil {
		loc = time.UTC
	}
	if !strings.HasSuffix(text, "\n") {
		t.Errorf("%s: does not end with a newline", rel)
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	base := filepath.Base(rel)
	var last time.Time
	stamp := func(i int, layout, s string, l *time.Location, ordered bool) {
		ts, err := time.ParseInLocation(layout, s, l)
		if err != nil {
			t.Errorf("%s:%d: time %q: %v", rel, i+1, s, err)
			return
		}
		if ts.Before(c.from) || ts.After(c.to) {
			t.Errorf("%s:%d: time %v outside the bundle's window [%v, %v]", rel, i+1, ts.UTC(), c.from.UTC(), c.to.UTC())
		}
		if ordered && ts.Before(last.Add(-time.Millisecond)) {
			t.Errorf("%s:%d: time %v before the previous line's %v", rel, i+1, ts.UTC(), last.UTC())
		}
		if ts.After(last) {
			last = ts
		}
	}
	bad := 0
	fail := func(i int, what string) {
		bad++
		if bad <= 5 {
			t.Errorf("%s:%d: not %s: %q", rel, i+1, what, lines[i])
		}
	}
	switch {
	case strings.HasPrefix(base, "access.log"):
		for i, l := range lines {
			m := reAccess.FindStringSubmatch(l)
			if m == nil {
				fail(i, "an nginx access line")
				continue
			}
			stamp(i, "02/Jan/2006:15:04:05 -0700", m[3], loc, true)
		}
	case base == "error.log" && src == "gateway":
		for i, l := range lines {
			m := reNgxErr.FindStringSubmatch(l)
			if m == nil {
				fail(i, "an nginx error line")
				continue
			}
			stamp(i, "2006/01/02 15:04:05", m[1], loc, true)
		}
	case strings.HasPrefix(base, "application.log"):
		for i, l := range lines {
			if m := reSpring.FindStringSubmatch(l); m != nil {
				stamp(i, "2006-01-02T15:04:05.000Z07:00", m[1], loc, true)
			} else if i == 0 || !isTrace(l) {
				fail(i, "a Spring Boot line or a stack trace line")
			}
		}
	case strings.HasPrefix(base, "server.log") || base == "controller.log":
		for i, l := range lines {
			if m := reKafka.FindStringSubmatch(l); m != nil {
				s := m[1]
				if s == "" {
					s = m[3]
				}
				stamp(i, "2006-01-02 15:04:05,000", s, loc, true)
			} else if i == 0 || !isTrace(l) {
				fail(i, "a Kafka log4j line or a stack trace line")
			}
		}
	case base == "error.log" && src == "mysql":
		for i, l := range lines {
			m := reMyErr.FindStringSubmatch(l)
			if m == nil {
				fail(i, "a MySQL error-log line")
				continue
			}
			stamp(i, time.RFC3339Nano, m[1], loc, true)
		}
	case base == "slow.log":
		c.slow(rel, lines, stamp, fail)
	case strings.HasPrefix(base, "binlog."):
		c.binlog(rel, lines, loc, stamp, fail)
		checkBinlogPositions(t, rel, text)
	case strings.HasSuffix(base, ".jsonl"):
		for i, l := range lines {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				fail(i, "a JSON object")
				continue
			}
			ts, _ := m["ts"].(string)
			lv, _ := m["level"].(string)
			msg, _ := m["msg"].(string)
			if lv == "" || msg == "" || !strings.HasPrefix(l, `{"level":"`) {
				fail(i, "a zap line with level, ts and msg")
				continue
			}
			stamp(i, "2006-01-02T15:04:05.000Z0700", ts, loc, true)
		}
	case strings.HasSuffix(base, ".log") && (src == "tax-adapter" || src == "order-service"):
		for i, l := range lines {
			m := rePipe.FindStringSubmatch(l)
			if m == nil {
				fail(i, "a pipe-format line")
				continue
			}
			stamp(i, "2006-01-02 15:04:05", m[1], loc, true)
		}
	case base == "syslog":
		for i, l := range lines {
			m := reSyslog.FindStringSubmatch(l)
			if m == nil {
				fail(i, "an RFC 3164 syslog line")
				continue
			}
			stamp(i, "2006 Jan _2 15:04:05", strconv.Itoa(c.from.In(loc).Year())+" "+m[1], loc, true)
		}
	default:
		t.Errorf("%s: no check for this file", rel)
	}
	if bad > 5 {
		t.Errorf("%s: %d bad lines in all", rel, bad)
	}
	return len(lines)
}

func (c *bundleCheck) slow(rel string, lines []string, stamp func(int, string, string, *time.Location, bool), fail func(int, string)) {
	state := 0 // 0 header, 1 after # Time, 2 after User@Host, 3 after Query_time (use/SET), 4 after SET (SQL)
	for i, l := range lines {
		switch {
		case i < 3:
			if !strings.HasPrefix(l, []string{"/usr/sbin/mysqld, Version: ", "Tcp port: ", "Time                 Id Command    Argument"}[i]) {
				fail(i, "the slow-log header")
			}
		case state != 1 && state != 2 && reSlowTime.MatchString(l):
			if state == 3 {
				fail(i, "a complete entry before it")
			}
			stamp(i, time.RFC3339Nano, reSlowTime.FindStringSubmatch(l)[1], time.UTC, true)
			state = 1
		case state == 1:
			if !reSlowUser.MatchString(l) {
				fail(i, "a # User@Host line")
			}
			state = 2
		case state == 2:
			if !reSlowQT.MatchString(l) {
				fail(i, "a # Query_time line")
			}
			state = 3
		case state == 3:
			if strings.HasPrefix(l, "use ") && strings.HasSuffix(l, ";") {
				continue
			}
			if !reSlowSet.MatchString(l) {
				fail(i, "SET timestamp=")
			}
			state = 4
		case state == 4:
			if !strings.HasSuffix(l, ";") || strings.HasPrefix(l, "#") {
				fail(i, "a statement")
			}
		default:
			fail(i, "a slow-log line")
		}
	}
}

func (c *bundleCheck) binlog(rel string, lines []string, loc *time.Location, stamp func(int, string, string, *time.Location, bool), fail func(int, string)) {
	for i, l := range lines {
		if !strings.HasPrefix(l, "#") || strings.HasPrefix(l, "# ") || strings.HasPrefix(l, "###") {
			continue
		}
		m := reBinHead.FindStringSubmatch(l)
		if m == nil {
			fail(i, "a binlog event header")
			continue
		}
		// Event header times need not be in order (a transaction's events
		// carry its start time; transactions are written at commit).
		stamp(i, "060102 15:04:05", strings.Replace(m[1], "  ", " 0", 1), loc, false)
	}
}

// checkBinlogPositions checks that every "# at N" is the end_log_pos of the
// event before it.
func checkBinlogPositions(t *testing.T, rel, text string) {
	t.Helper()
	var end int64 = 4
	n := 0
	for i, l := range strings.Split(text, "\n") {
		if m := reBinAt.FindStringSubmatch(l); m != nil {
			at, _ := strconv.ParseInt(m[1], 10, 64)
			if at != end {
				t.Errorf("%s:%d: # at %d, but the previous event ended at %d", rel, i+1, at, end)
				return
			}
			n++
		} else if m := reBinHead.FindStringSubmatch(l); m != nil {
			e, _ := strconv.ParseInt(m[2], 10, 64)
			if e <= end && n > 1 {
				t.Errorf("%s:%d: end_log_pos %d not after %d", rel, i+1, e, end)
				return
			}
			end = e
		}
	}
	if n == 0 {
		t.Errorf("%s: no events", rel)
	}
}

// firstDiff describes where two texts differ.
func firstDiff(a, b []byte) string {
	al := bytes.Split(a, []byte{'\n'})
	bl := bytes.Split(b, []byte{'\n'})
	for i := 0; i < len(al) && i < len(bl); i++ {
		if !bytes.Equal(al[i], bl[i]) {
			return "line " + strconv.Itoa(i+1) + ":\n  got  " + string(al[i]) + "\n  want " + string(bl[i])
		}
	}
	return "lengths differ: " + strconv.Itoa(len(al)) + " vs " + strconv.Itoa(len(bl)) + " lines"
}
