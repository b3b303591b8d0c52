package parse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// mysqlBenchText repeats real lines (the corpus files when present, else
// the format's example) to about 4 MB.
func mysqlBenchText(b *testing.B, id string, files ...string) string {
	var parts []string
	for _, f := range files {
		if data, err := os.ReadFile(f); err == nil {
			parts = append(parts, strings.TrimRight(string(data), "\n")+"\n")
		}
	}
	if len(parts) == 0 {
		parts = append(parts, Lookup(id).Example+"\n")
	}
	unit := strings.Join(parts, "")
	return strings.Repeat(unit, 4<<20/len(unit)+1)
}

// mysqlBench measures the whole read path (ReadInput: line splitting,
// folding, accounting) and, separately, the format's decoder alone on
// pre-split lines, to tell the decoder's cost from the framework's.
func mysqlBench(b *testing.B, id, text string) {
	f := Lookup(id)
	b.Run("ReadInput", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			spec := Spec{Path: "bench.log", Source: "bench", ModTime: testModTime, Loc: time.UTC, Format: f}
			n := 0
			if _, err := ReadInput(strings.NewReader(text), spec, func(*event.Event) { n++ }); err != nil || n == 0 {
				b.Fatalf("%d events, %v", n, err)
			}
		}
	})
	b.Run("Decoder", func(b *testing.B) {
		lines := strings.Split(text, "\n")
		bs := make([][]byte, len(lines))
		for i, l := range lines {
			bs[i] = []byte(l)
		}
		ctx := &Context{Loc: time.UTC, ModTime: testModTime}
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			dec := f.New(ctx)
			var cur *event.Event
			starts := 0
			for j, l := range bs {
				if len(l) == 0 {
					continue
				}
				ev := &event.Event{Raw: lines[j]}
				switch dec.Decode(l, ev, cur) {
				case Start:
					cur = ev
					starts++
				case Reject:
					if !f.Multiline {
						cur = nil
					}
				}
			}
			if starts == 0 {
				b.Fatal("no records")
			}
		}
	})
}

func mysqlBenchCorpus(sub ...string) []string {
	m, _ := filepath.Glob(filepath.Join(append([]string{"..", "..", "..", "shared", "corpus"}, sub...)...))
	var out []string
	for _, f := range m {
		if !strings.HasSuffix(f, ".json") {
			out = append(out, f)
		}
	}
	return out
}

func BenchmarkMySQLError(b *testing.B) {
	files := append(mysqlBenchCorpus("beats", "mysql", "error", "*.log"), mysqlBenchCorpus("lnav", "test", "logfile_mysql_error.0")...)
	mysqlBench(b, MySQLErrorID, mysqlBenchText(b, MySQLErrorID, files...))
}

func BenchmarkMySQLSlow(b *testing.B) {
	files := append(mysqlBenchCorpus("beats", "mysql", "slowlog", "*.log"), mysqlBenchCorpus("lnav", "test", "logfile_mysql_slow.0")...)
	mysqlBench(b, MySQLSlowID, mysqlBenchText(b, MySQLSlowID, files...))
}

func BenchmarkMySQLBinlog(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("testdata", "mysql", "binlog-*.txt"))
	mysqlBench(b, MySQLBinlogID, mysqlBenchText(b, MySQLBinlogID, files...))
}
