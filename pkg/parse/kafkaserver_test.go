package parse

import (
	"strconv"
	"strings"
	"testing"
)

// TestKafkaServerBeats checks every expected event of Filebeat's kafka
// module test files: count, offset, @timestamp, log.level, message (the
// first line: Filebeat's message stops before the folded trace),
// kafka.log.class, kafka.log.component, kafka.log.thread and
// kafka.log.trace.class; and that detection picks kafka-server.
func TestKafkaServerBeats(t *testing.T) {
	files := []string{"controller-2.0.0.log", "controller.log", "server-2.0.0.log", "server.log",
		"state-change-1.1.0.log", "state-change-2.0.0.log", "state-change-2.2.2.log", "state-change.log"}
	total := 0
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			got, exp := appCheckBeatsCommon(t, KafkaServerID, "beats", "kafka", "log", f)
			for i, x := range exp {
				e := &got[i]
				msg, comp := x["message"].(string), x["kafka.log.component"].(string)
				if comp == "delete" {
					// Filebeat's grok took "[delete]" from the middle of
					// "... cleanup.policy -> [delete], flush.ms -> ..." as the
					// component; the line has none.
					if appField(e, "component") != "" || !strings.HasSuffix(e.Message, msg) {
						t.Errorf("event %d: component %q message %q", i, appField(e, "component"), e.Message)
					}
				} else {
					if comp == "unknown" {
						comp = ""
					}
					if c := appField(e, "component"); c != comp {
						t.Errorf("event %d: component %q, want %q", i, c, comp)
					}
					if m := appFirstLine(e.Message); m != msg {
						t.Errorf("event %d: message %q, want %q", i, m, msg)
					}
				}
				if c := appField(e, "class"); c != x["kafka.log.class"] {
					t.Errorf("event %d: class %q, want %q", i, c, x["kafka.log.class"])
				}
				if th, ok := x["kafka.log.thread"]; ok && appField(e, "thread") != th {
					t.Errorf("event %d: thread %q, want %q", i, appField(e, "thread"), th)
				}
				if tc, ok := x["kafka.log.trace.class"]; ok && appField(e, "exception") != tc {
					t.Errorf("event %d: exception %q, want %q", i, appField(e, "exception"), tc)
				}
			}
			total += len(exp)
		})
	}
	t.Logf("%d expected kafka events checked", total)
}

// TestKafkaServerDatadog checks the Kafka broker and Confluent Platform
// samples of Datadog's log-pipeline tests (zone-less stamps read as UTC).
func TestKafkaServerDatadog(t *testing.T) {
	var tests []appYAMLTest
	for _, tc := range appYAML(t, "datadog-integrations-core", "kafka", "assets", "logs", "kafka_tests.yaml") {
		if strings.HasPrefix(tc.Sample, "[") {
			tests = append(tests, tc)
		}
	}
	tests = append(tests, appYAML(t, "datadog-integrations-core", "confluent_platform", "assets", "logs", "confluent_platform_tests.yaml")...)
	if len(tests) != 5 {
		t.Fatalf("%d samples, want 5", len(tests))
	}
	for i, tc := range tests {
		evs, _ := decodeText(t, KafkaServerID, "UTC", tc.Sample)
		if len(evs) != 1 || evs[0].Unparsed {
			t.Fatalf("sample %d: %d events", i, len(evs))
		}
		e := &evs[0]
		if !e.Time.Equal(appMillis(tc.Result.Timestamp)) {
			t.Errorf("sample %d: time %v, want %v", i, e.Time, appMillis(tc.Result.Timestamp))
		}
		if st, _ := appYAMLPath(tc.Result.Custom, "status"); e.Level != LevelOf(st.(string)) {
			t.Errorf("sample %d: level %q, want %v", i, e.Level, st)
		}
		if lg, _ := appYAMLPath(tc.Result.Custom, "logger.name"); appField(e, "class") != lg {
			t.Errorf("sample %d: class %q, want %v", i, appField(e, "class"), lg)
		}
		if ln, ok := appYAMLPath(tc.Result.Custom, "line"); ok && appField(e, "line") != strconv.Itoa(ln.(int)) {
			t.Errorf("sample %d: line %q, want %v", i, appField(e, "line"), ln)
		}
		if k, ok := appYAMLPath(tc.Result.Custom, "error.kind"); ok && appField(e, "exception") != k {
			t.Errorf("sample %d: exception %q, want %v", i, appField(e, "exception"), k)
		}
		// Datadog keeps "[ProducerStateManager partition=my_partition]" in
		// the message; rca (like Filebeat) moves it to component.
		want := tc.Result.Message
		if c := appField(e, "component"); c != "" {
			want = strings.TrimPrefix(want, "["+c+"] ")
		}
		if m := appFirstLine(e.Message); m != want {
			t.Errorf("sample %d: message %q, want %q", i, m, want)
		}
	}
}

func TestKafkaServerFields(t *testing.T) {
	text := strings.Join([]string{
		"[2023-08-15 14:22:17,123] ERROR [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Error for partition invoice-events-3 at offset 12 (kafka.server.ReplicaFetcherThread)",
		"org.apache.kafka.common.errors.NotLeaderOrFollowerException: For requests intended only for the leader, this error indicates that the broker is not the current leader.",
		"[2019-07-23 09:12:56,388] INFO [GroupCoordinator 0]: Preparing to rebalance group test_consumer in state PreparingRebalance with old generation 14 (__consumer_offsets-7) (reason: Adding new member) (kafka.coordinator.group.GroupCoordinator)",
		"[2018-10-31 15:09:30,396] INFO [RequestSendThread controllerId=10] Controller 10 connected to 10.122.220.20:9094 (id: 20 rack: null) for sending state change requests (kafka.controller.RequestSendThread)",
		"[2018-10-17 12:57:17,897] INFO [Log partition=test-3-0, dir=/tmp/kafka-logs-10] Truncating to 0 has no effect as the largest offset in the log is -1 (kafka.log.Log)",
		"[2018-10-17 12:57:15,993] INFO KafkaConfig values: ",
		"\tadvertised.host.name = null",
		"\tzookeeper.sync.time.ms = 2000",
		" (kafka.server.KafkaConfig)",
		"[2020-03-12 16:23:32,543] INFO [ProducerStateManager partition=my_partition] Writing producer snapshot at offset 172041391 (kafka.log.ProducerStateManager)",
		"[2023-08-15 14:22:18,001] WARN [Partition invoice-events-3 broker=1] Shrinking ISR from 1,2,3 to 1 (kafka.cluster.Partition)",
		"[2023-08-15 14:22:18,200] WARN [Controller id=1, targetBrokerId=2] Connection to node 2 (kafka-2/10.0.4.3:9092) could not be established. Broker may not be available. (org.apache.kafka.clients.NetworkClient)",
	}, "\n")
	evs, st := decodeText(t, KafkaServerID, "UTC", text)
	if st.Events != 8 || st.Continuation != 4 {
		t.Fatalf("stats %+v", st)
	}
	want := []map[string]string{
		{"broker": "1", "leader": "2", "topic": "invoice-events", "partition": "3", "exception": "org.apache.kafka.common.errors.NotLeaderOrFollowerException", "class": "kafka.server.ReplicaFetcherThread"},
		{"broker": "0", "group": "test_consumer", "component": "GroupCoordinator 0"},
		{"controller": "10", "node": "20", "target": "10.122.220.20:9094"},
		{"topic": "test-3", "partition": "0"},
		{"class": "kafka.server.KafkaConfig"},
		{"topic": "", "component": "ProducerStateManager partition=my_partition"},
		{"broker": "1", "topic": "invoice-events", "partition": "3"},
		{"controller": "1", "node": "2", "target": "kafka-2:9092", "class": "org.apache.kafka.clients.NetworkClient"},
	}
	for i, w := range want {
		for k, v := range w {
			if got := appField(&evs[i], k); got != v {
				t.Errorf("event %d: %s = %q, want %q", i, k, got, v)
			}
		}
	}
	if evs[4].Message != "KafkaConfig values: \n\tadvertised.host.name = null\n\tzookeeper.sync.time.ms = 2000\n (kafka.server.KafkaConfig)" {
		t.Errorf("config dump message %q", evs[4].Message)
	}
	if evs[1].Message != "Preparing to rebalance group test_consumer in state PreparingRebalance with old generation 14 (__consumer_offsets-7) (reason: Adding new member)" {
		t.Errorf("message %q", evs[1].Message)
	}
}

// TestKafkaServerRejects: lines of neighbouring formats are not read.
func TestKafkaServerRejects(t *testing.T) {
	d := Lookup(KafkaServerID).New(&Context{Loc: appLoc(t, "UTC"), ModTime: testModTime})
	for _, l := range []string{
		"[2023-08-15 14:22:17] ERROR | order-service | KafkaConsumer:: poll() timeout",
		"[2018-05-17T08:29:12,177][INFO ][o.e.c.m.MetaDataCreateIndexService] [vWNJsZ3] creating index",
		"[2021-03-12 15:31:30.492][1][warning][runtime] [source/common/runtime/runtime_features.cc:82] Unable to use runtime singleton",
		"[2023-08-15 14:22:17,123] starting (kafka.server.KafkaServer)",
	} {
		if v := d.Decode([]byte(l), appEvent(l), nil); v != Reject {
			t.Errorf("%q: verdict %d, want Reject", l, v)
		}
	}
}

func FuzzKafkaServer(f *testing.F) {
	fuzzFormat(f, KafkaServerID,
		"[2023-08-15 14:22:17,123] INFO [a] b (c.d)\n (x.y)\n",
		"[2020-04-23 00:28:21,796] [WARN ] [t] [l] - [Broker id=1] m\n",
		"[2023-08-15 14:22:17,123] INFO [x]: partition a-1 group g (k.l:1)\n")
}

func BenchmarkKafkaServer(b *testing.B) {
	lines := appCorpus(b, "beats", "kafka", "log", "server-2.0.0.log") + appCorpus(b, "beats", "kafka", "log", "controller.log")
	appBench(b, KafkaServerID, appRepeat(lines, 4<<20))
}
