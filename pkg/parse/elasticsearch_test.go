package parse

import (
	"strings"
	"testing"
)

// TestElasticsearchBeats checks every expected event of Filebeat's
// elasticsearch/server (plain-text) and logstash/log (plain) test files:
// count, offset, @timestamp, log.level, multi-line folding, message,
// logger (elasticsearch.component / logstash.log.module), node name,
// index name and id, pipeline id; and that detection picks the format.
func TestElasticsearchBeats(t *testing.T) {
	files := [][]string{
		{"beats", "elasticsearch", "server", "test.log"},
		{"beats", "elasticsearch", "server", "elasticsearch.624.log"},
		{"beats", "logstash", "log", "logstash-plain.log"},
		{"beats", "logstash", "log", "logstash-plain-7.4.log"},
	}
	total := 0
	for _, f := range files {
		t.Run(f[len(f)-1], func(t *testing.T) {
			got, exp := appCheckBeatsCommon(t, ElasticsearchID, f...)
			for i, x := range exp {
				e := &got[i]
				logger, _ := x["elasticsearch.component"].(string)
				if m, ok := x["logstash.log.module"].(string); ok {
					logger = m
				}
				if l := appField(e, "logger"); l != logger {
					t.Errorf("event %d: logger %q, want %q", i, l, logger)
				}
				for k, f := range map[string]string{"elasticsearch.node.name": "node", "elasticsearch.index.name": "index",
					"elasticsearch.index.id": "index_uuid", "logstash.log.pipeline_id": "pipeline_id"} {
					w, _ := x[k].(string)
					if v := appField(e, f); v != w {
						t.Errorf("event %d: %s %q, want %q", i, f, v, w)
					}
				}
				// Filebeat's pipeline takes the JvmGcMonitorService brackets
				// ("[gc][young][N][M]", "[gc][N]") apart into gc fields;
				// rca keeps them in the message.
				// A trailing blank line glued by Filebeat's multiline rule
				// ends its message with "\n"; rca counts it as empty.
				msg := strings.TrimRight(x["message"].(string), "\n")
				if logger == "o.e.m.j.JvmGcMonitorService" {
					if !strings.HasPrefix(e.Message, "[gc]") || !strings.Contains(msg, "[gc]") && !strings.HasSuffix(e.Message, msg) {
						t.Errorf("event %d: gc message %q", i, e.Message)
					}
					continue
				}
				if e.Message != msg {
					t.Errorf("event %d: message %q, want %q", i, e.Message, msg)
				}
			}
			total += len(exp)
		})
	}
	t.Logf("%d expected events checked", total)
}

// TestElasticsearchMultilineCount: Filebeat's test_multiline.py reads
// elasticsearch-multiline-log.log (ES 2.x) as 20 events with the rule
// "a line not starting with [ continues the previous".
func TestElasticsearchMultilineCount(t *testing.T) {
	text := appCorpus(t, "beats", "filebeat-tests-files", "elasticsearch-multiline-log.log")
	evs, st := decodeText(t, ElasticsearchID, "UTC", text)
	if st.Events != 20 || st.Unparsed != 0 {
		t.Fatalf("stats %+v", st)
	}
	e := evs[0]
	if appField(&e, "node") != "Zach" || appField(&e, "logger") != "node" || e.Message != "version[2.0.0], pid[48553], build[de54438/2015-10-22T08:09:48Z]" {
		t.Errorf("first event %+v", e)
	}
	var traced int
	for _, e := range evs {
		if appField(&e, "exception") == "MergeMappingException" {
			traced++
		}
	}
	if traced != 4 {
		t.Errorf("%d events with MergeMappingException, want 4", traced)
	}
	if _, dst := decodeText(t, "", "UTC", text); dst.Format != ElasticsearchID {
		t.Errorf("detected %q", dst.Format)
	}
}

func TestElasticsearchRejects(t *testing.T) {
	d := Lookup(ElasticsearchID).New(&Context{Loc: appLoc(t, "UTC"), ModTime: testModTime})
	for _, l := range []string{
		"[2021-03-12 15:31:30.492][1][warning][runtime] [source/common/runtime/runtime_features.cc:82] Unable to use runtime singleton",
		"[2023-08-15 14:22:17,123] INFO starting (kafka.server.KafkaServer)",
		"[2023-08-15 14:22:17] ERROR | order-service | poll() timeout",
	} {
		if v := d.Decode([]byte(l), appEvent(l), nil); v != Reject {
			t.Errorf("%q: verdict %d, want Reject", l, v)
		}
	}
}

func FuzzElasticsearch(f *testing.F) {
	fuzzFormat(f, ElasticsearchID,
		"[2018-05-17T08:29:12,177][INFO ][o.e.c][p] [n] [i/u] m\nx\n",
		"[2015-12-06 01:44:16,735][DEBUG][a.b] [Zach] [x][0] y\n\tat z\n")
}

func BenchmarkElasticsearch(b *testing.B) {
	lines := appCorpus(b, "beats", "elasticsearch", "server", "test.log") + appCorpus(b, "beats", "elasticsearch", "server", "elasticsearch.624.log")
	appBench(b, ElasticsearchID, appRepeat(lines, 4<<20))
}
