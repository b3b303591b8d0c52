package parse

import (
	"slices"
	"strings"
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

// The one-pass readers of kafkaserver.go held to the simple readers they
// replace: kafkaTrailingClass to a LastIndexByte search and a check of
// the name, kafkaComponent to a digit-by-digit id search followed by
// kafkaTopicPartition, kafkaPartitionAt to LastIndexByte and kafkaInt,
// kafkaConnect to strings.Contains.

// kafkaTrailingClassSimple finds the last '(' of the last 256 bytes and
// checks the name after it.
func kafkaTrailingClassSimple(s string) (name, line string, at int) {
	if len(s) < 4 || s[len(s)-1] != ')' {
		return "", "", -1
	}
	from := max(0, len(s)-256)
	o := strings.LastIndexByte(s[from:], '(')
	if o < 0 {
		return "", "", -1
	}
	o += from
	if o < 1 || s[o-1] != ' ' {
		return "", "", -1
	}
	c := s[o+1 : len(s)-1]
	dot := false
	for i := 0; i < len(c); i++ {
		ch := c[i]
		switch {
		case ch == '.':
			dot = true
		case isLetter(ch) || isDigit(ch) || ch == '_' || ch == '$' || ch == ':':
		default:
			return "", "", -1
		}
	}
	if !dot || !isLetter(c[0]) {
		return "", "", -1
	}
	name, line = javaSplitLine(c)
	return name, line, o - 1
}

// kafkaIDKeysSimple are the id keys in one list.
var kafkaIDKeysSimple = [...]struct{ key, field string }{
	{"Broker id=", "broker"}, {"KafkaServer id=", "broker"}, {"brokerId=", "broker"},
	{"broker=", "broker"}, {"replicaId=", "broker"}, {"on broker ", "broker"},
	{"on Broker ", "broker"}, {"GroupCoordinator ", "broker"}, {"TransactionCoordinator id=", "broker"},
	{"Controller id=", "controller"}, {"controllerId=", "controller"}, {"Controller ", "controller"},
	{"on controller ", "controller"}, {"leaderId=", "leader"}, {"targetBrokerId=", "node"},
}

// kafkaComponentSimple visits each number of c once and looks at the
// words before it, then looks for "artition" with strings.Index.
func kafkaComponentSimple(ev *event.Event, c string) bool {
	for i := 0; i < len(c); {
		if !isDigit(c[i]) {
			i++
			continue
		}
		j := i
		for j < len(c) && isDigit(c[j]) {
			j++
		}
		if i == 0 || (c[i-1] != '=' && c[i-1] != ' ') {
			i = j
			continue
		}
		for _, k := range kafkaIDKeysSimple {
			if strings.HasSuffix(c[:i], k.key) {
				if _, ok := ev.Get(k.field); !ok {
					ev.Set(k.field, c[i:j])
				}
				break
			}
		}
		i = j
	}
	kafkaTopicPartitionSimple(ev, c)
	_, ok := ev.Get("topic")
	return ok
}

// kafkaGroupSimple is kafkaGroup lower-casing every candidate word, as it
// did before kafkaNotWord spared it the words no case of which is a stop
// word.
func kafkaGroupSimple(ev *event.Event, s string) {
	for from := 0; from < len(s); {
		j := strings.Index(s[from:], "group ")
		if j < 0 {
			return
		}
		j += from
		from = j + 6
		if j > 0 && s[j-1] != ' ' {
			continue
		}
		e := j + 6
		for e < len(s) && s[e] != ' ' && s[e] != ',' && s[e] != ')' && s[e] != ']' {
			e++
		}
		g := s[j+6 : e]
		switch strings.ToLower(g) {
		case "", "in", "is", "with", "has", "to", "the", "from", "for", "and", "or", "of", "coordinator",
			"metadata", "generation", "member", "members", "state", "id", "instance", "since", "due", "because", "was":
			continue
		}
		ev.Set("group", g)
		return
	}
}

// kafkaTopicPartitionSimple is kafkaTopicPartition with the topic read
// by LastIndexByte and kafkaInt.
func kafkaTopicPartitionSimple(ev *event.Event, s string) {
	for from := 0; from < len(s); {
		j := strings.Index(s[from:], "artition")
		if j < 0 {
			return
		}
		j += from
		from = j + 8
		if j == 0 || (s[j-1] != 'p' && s[j-1] != 'P') || (j > 1 && s[j-2] != ' ' && s[j-2] != '[' && s[j-2] != '(' && s[j-2] != ',') {
			continue
		}
		k := j + 8
		if k >= len(s) || (s[k] != ' ' && s[k] != '=') {
			continue
		}
		k++
		e := k
		for e < len(s) && (isLetter(s[e]) || isDigit(s[e]) || s[e] == '.' || s[e] == '_' || s[e] == '-') {
			e++
		}
		tp := s[k:e]
		d := strings.LastIndexByte(tp, '-')
		if d <= 0 || d == len(tp)-1 {
			continue
		}
		p := tp[d+1:]
		if kafkaInt(p) != p {
			continue
		}
		ev.Set("topic", tp[:d])
		ev.Set("partition", p)
		return
	}
}

// checkKafkaScans compares the readers on s.
func checkKafkaScans(t *testing.T, s string) {
	t.Helper()
	gn, gl, ga := kafkaTrailingClass(s)
	wn, wl, wa := kafkaTrailingClassSimple(s)
	if gn != wn || gl != wl || ga != wa {
		t.Errorf("kafkaTrailingClass(%q) = %q, %q, %d; want %q, %q, %d", s, gn, gl, ga, wn, wl, wa)
	}
	for _, prior := range [][]event.Field{nil, {{Key: "class", Value: "a.B"}, {Key: "component", Value: "x"}}} {
		got := &event.Event{Fields: slices.Clone(prior)}
		want := &event.Event{Fields: slices.Clone(prior)}
		if g, w := kafkaComponent(got, s), kafkaComponentSimple(want, s); g != w || !slices.Equal(got.Fields, want.Fields) {
			t.Errorf("kafkaComponent(%q) = %v %v; want %v %v", s, g, got.Fields, w, want.Fields)
		}
		got = &event.Event{Fields: slices.Clone(prior)}
		want = &event.Event{Fields: slices.Clone(prior)}
		g := kafkaTopicPartition(got, s)
		kafkaTopicPartitionSimple(want, s)
		_, w := want.Get("topic")
		if g != w || !slices.Equal(got.Fields, want.Fields) {
			t.Errorf("kafkaTopicPartition(%q) = %v %v; want %v %v", s, g, got.Fields, w, want.Fields)
		}
	}
	if g, w := kafkaConnect(s), strings.Contains(s, "onnect"); g != w {
		t.Errorf("kafkaConnect(%q) = %v, want %v", s, g, w)
	}
	wp := strings.Index(s, "partition")
	if u := strings.Index(s, "Partition"); u >= 0 && (wp < 0 || u < wp) {
		wp = u
	}
	if gp := kafkaIndexPartition(s); gp != wp {
		t.Errorf("kafkaIndexPartition(%q) = %d, want %d", s, gp, wp)
	}
	got, want := &event.Event{}, &event.Event{}
	kafkaGroup(got, s)
	kafkaGroupSimple(want, s)
	if !slices.Equal(got.Fields, want.Fields) {
		t.Errorf("kafkaGroup(%q) = %v, want %v", s, got.Fields, want.Fields)
	}
	glv, gok := kafkaLevel(s)
	wlv, wok := javaUpperLevel(s)
	if glv != wlv || gok != wok {
		t.Errorf("kafkaLevel(%q) = %q, %v; want %q, %v", s, glv, gok, wlv, wok)
	}
}

var kafkaScanCases = []string{
	"",
	"Preparing to rebalance group order-group in state PreparingRebalance", "group In group ID group Was group, group order_1",
	"group \u212Aelvin group generation group GENERATION-1 group caf\u00e9 group \xffis group is\xff",
	"x",
	"[2023-08-15 14:22:17,123] INFO starting (kafka.server.KafkaServer)",
	"[2020-03-23 15:34:09,096] INFO Kafka version: 5.4.1-ce (org.apache.kafka.common.utils.AppInfoParser:117)",
	"a (b.c:)",
	"a (b.c:x)",
	"a (b:c.d:12)",
	"a (1b.c)",
	"a (bc)",
	"a ()",
	"(a.b)",
	"a(b.c)",
	"a (b.c) (d.e)",
	"a (b.c d.e)",
	"a (b.c-d)",
	"a (x$Y.z_1)",
	" (kafka.server.KafkaConfig)",
	"x (" + strings.Repeat("a.", 130) + "b)",
	"x (" + strings.Repeat("a.", 126) + "b)",
	"ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0",
	"LocalLog partition=audit-log-3, dir=/var/lib/kafka/data",
	"ProducerStateManager partition=__consumer_offsets-12",
	"Partition order-events-3 broker=1",
	"partition x-1",
	"Partition=x-1",
	"apartition x-1 partition y-2",
	"partition x-a partition y-2",
	"partition -1 partition y-2",
	"partition x- (partition y-22)",
	"[partition x--3",
	"partition=--3 partition=a-4",
	"partition=a-1-2",
	"partition=a-b1",
	"partition",
	"partitionx-1",
	"GroupCoordinator 1",
	"GroupMetadataManager brokerId=1",
	"Controller id=1",
	"Controller 2 Controller id=3",
	"Broker id=1 on broker 2 brokerId=3",
	"TransactionCoordinator id=0",
	"KafkaServer id=7",
	"on controller 4, leaderId=5 targetBrokerId=6",
	"on Broker 12x",
	"broker=01 broker=2",
	"test-3 kafka-logs-10 id=1",
	"=1 1 d=1 r 1",
	"Connection to node 2 (kafka-2/10.0.4.3:9092) could not be established.",
	"disconnected",
	"onnect",
	"onnec",
	"connnect",
	"ccccc onnecc onnect",
	"Partition x-1 partition y-2",
	"partition x-1 Partition y-2",
	"xPartition a-1 partition b-2",
	"Partition q, Partition=r-1",
	"partition q (Partition=r-1) partition s-2",
	"PPartition x-1 ppartition y-2 partition z-3",
	"Partitio partitio Partition",
	"partition", "Partition", "xpartition", "1234567partition", "12345678partition", "123456789partition",
	"pPpPpPpPpPpPpPpPpPpPpPpartition", "\x00partition\x00\x00", "ppppppppppppppppPartition", "pPartitionpartition",
	"\x7fpartition", "\xf0Partitio\xd0artition partition",
	"INFO", "WARN", "ERROR", "DEBUG", "TRACE", "FATAL", "INF", "info", "WARNING", "INFO ", "ERR", "NOTICE",
}

func TestKafkaScans(t *testing.T) {
	for _, s := range kafkaScanCases {
		checkKafkaScans(t, s)
	}
}

// TestKafkaIDKeys: kafkaIDKeyOf picks its list by the key's next to last
// byte, and takes the first key that ends the text: the keys of each list
// have that byte, none ends another, and the lists hold the keys.
func TestKafkaIDKeys(t *testing.T) {
	var all []kafkaIDKey
	for _, k := range kafkaIDKeysD {
		if k.key[len(k.key)-2] != 'd' {
			t.Errorf("%q in kafkaIDKeysD", k.key)
		}
		all = append(all, k)
	}
	for _, k := range kafkaIDKeysR {
		if k.key[len(k.key)-2] != 'r' {
			t.Errorf("%q in kafkaIDKeysR", k.key)
		}
		all = append(all, k)
	}
	bits := map[string]uint8{"broker": kafkaIDBroker, "controller": kafkaIDController, "leader": kafkaIDLeader, "node": kafkaIDNode}
	for i, a := range all {
		if bits[a.field] != a.bit {
			t.Errorf("%q: field %s, bit %d", a.key, a.field, a.bit)
		}
		for j, b := range all {
			if i != j && strings.HasSuffix(a.key, b.key) {
				t.Errorf("%q ends with %q", a.key, b.key)
			}
		}
	}
	if len(all) != len(kafkaIDKeysSimple) {
		t.Fatalf("%d keys, want %d", len(all), len(kafkaIDKeysSimple))
	}
	for _, k := range kafkaIDKeysSimple {
		if g := kafkaIDKeyOf("x " + k.key); g == nil || g.key != k.key || g.field != k.field {
			t.Errorf("kafkaIDKeyOf(%q) = %v", k.key, g)
		}
	}
}

// FuzzKafkaScans holds the one-pass readers to the simple ones.
func FuzzKafkaScans(f *testing.F) {
	for _, s := range kafkaScanCases {
		f.Add(s)
	}
	f.Fuzz(checkKafkaScans)
}

// checkKafkaLoggerMemo holds kafkaLoggerMemo.trailing to kafkaTrailingClass
// on the lines of text, read in turn through one memo, each twice.
func checkKafkaLoggerMemo(t *testing.T, text string) {
	t.Helper()
	var m kafkaLoggerMemo
	for _, s := range strings.Split(text, "\n") {
		for range 2 {
			gn, gl, ga := m.trailing(s)
			wn, wl, wa := kafkaTrailingClass(s)
			if gn != wn || gl != wl || ga != wa {
				t.Errorf("trailing(%q) = %q, %q, %d; want %q, %q, %d", s, gn, gl, ga, wn, wl, wa)
			}
		}
	}
}

// kafkaLoggerMemoCases are line sequences for kafkaLoggerMemo: ends kept
// then met in longer and shorter lines, in lines whose logger starts
// earlier, after a byte that is not a blank, at the 256-byte bound, and
// with more loggers than slots.
var kafkaLoggerMemoCases = []string{
	strings.Join(kafkaScanCases, "\n"),
	"a (b.c)\nxa (b.c)\na (b.c)\n(b.c)\n (b.c)\nx(b.c)\nab.c (b.c)\na (xb.c)\na (b.c)",
	"m (kafka.log.LocalLog)\nn (kafka.log.LocalLog)\nn (x.kafka.log.LocalLog)\nn (kafka.log.LocalLog)\n(kafka.log.LocalLog)\n  (kafka.log.LocalLog)",
	"m (org.apache.kafka.common.utils.AppInfoParser:117)\nm (org.apache.kafka.common.utils.AppInfoParser:117)\nm (a.AppInfoParser:117)\nm (a.AppInfoParser:x17)",
	"m (a.b1)\nm (a.b2)\nm (a.b3)\nm (a.b4)\nm (a.b5)\nm (a.b6)\nm (a.b7)\nm (a.b8)\nm (a.b9)\nm (a.b1)\nm (a.b9)\nm (a.b2)",
	"m (" + strings.Repeat("a.", 29) + "bc)\n" + strings.Repeat("x", 200) + " (" + strings.Repeat("a.", 29) + "bc)\n" + strings.Repeat("x", 300) + " (" + strings.Repeat("a.", 29) + "bc)",
	"m (" + strings.Repeat("a.", 30) + "bc)\nn (" + strings.Repeat("a.", 30) + "bc)",
	"m (ab.cdefgh)\nm\x00(ab.cdefgh)\nm (ab.cdefgh)\nm (b.cdefgh)\nm (abb.cdefgh)",
}

func TestKafkaLoggerMemo(t *testing.T) {
	for _, text := range kafkaLoggerMemoCases {
		checkKafkaLoggerMemo(t, text)
	}
}

// FuzzKafkaLoggerMemo holds kafkaLoggerMemo.trailing to kafkaTrailingClass
// on line sequences.
func FuzzKafkaLoggerMemo(f *testing.F) {
	for _, text := range kafkaLoggerMemoCases {
		f.Add(text)
	}
	f.Fuzz(checkKafkaLoggerMemo)
}
