package parse

import (
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// kafka-server: the log4j layout of Kafka brokers (server.log,
// controller.log, state-change.log, log-cleaner.log; also ZooKeeper and
// the Confluent Platform services started by the same scripts):
//
//	[%d] %p %m (%c)%n
//	[2023-08-15 14:22:17,123] ERROR [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Error for partition invoice-events-3 at offset 12 (kafka.server.ReplicaFetcherThread)
//
// and the variant some deployments configure for state-change.log,
//
//	[%d] [%-5p] [%t] [%c] - %m%n
//
// The message is the text between the level and the trailing
// "(logger.class)" (or "(logger.class:line)"); "class" is that logger
// (the field the Filebeat kafka module calls kafka.log.class); "component"
// is the bracketed "[...]" or "[...]:" that opens the message, left out of
// the message as Filebeat does. A line not starting with '[' continues the
// previous record (stack traces; multi-line config dumps, whose
// " (kafka.server.KafkaConfig)" closes the record on a line of its own).
//
// Also extracted when the line names them: broker (the broker id of the
// component: "Broker id=1", "KafkaServer id=1", "brokerId=1", "broker=1",
// "replicaId=1", "on broker 1", "GroupCoordinator 1"), controller
// ("Controller id=1", "controllerId=1"), leader ("leaderId=2"), topic and
// partition ("partition invoice-events-3", "partition=invoice-events-3"),
// group ("group order-group"), node and target as for Kafka client lines
// ("Connection to node 2 (kafka-2/10.0.4.3:9092) ...", "targetBrokerId=2",
// "connected to 10.0.4.3:9092 (id: 2 rack: null)"), thread (the variant's
// [%t]), line.

// KafkaServerID is the id of the Kafka broker log format.
const KafkaServerID = "kafka-server"

func init() {
	Register(&Format{
		ID:          KafkaServerID,
		Description: "Kafka broker log4j layout ([time] LEVEL [component] message (logger)) for server, controller and state-change logs; continuation lines fold",
		Example: "[2023-08-15 14:22:17,123] ERROR [ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0] Error for partition invoice-events-3 at offset 12 (kafka.server.ReplicaFetcherThread)\n" +
			"org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.\n" +
			"[2019-07-23 09:12:56,388] INFO [GroupCoordinator 0]: Preparing to rebalance group test_consumer in state PreparingRebalance with old generation 14 (__consumer_offsets-7) (reason: Adding new member) (kafka.coordinator.group.GroupCoordinator)\n" +
			"[2020-03-23 15:34:09,096] INFO Kafka version: 5.4.1-ce (org.apache.kafka.common.utils.AppInfoParser:117)\n" +
			"[2020-04-23 00:28:21,796] [WARN ] [kafka-request-handler-7] [state.change.logger] - [Broker id=1] Ignoring LeaderAndIsr request from controller 1 with correlation id 1 epoch 27 for partition orders-0 since its associated leader epoch 5 is not higher than the current leader epoch 5",
		Specificity: 30,
		Multiline:   true,
		Segmentable: true,
		New:         func(ctx *Context) Decoder { return &kafkaServerDecoder{loc: ctx.Loc} },
	})
}

type kafkaServerDecoder struct {
	loc *time.Location
	ts  stampCache
}

func (d *kafkaServerDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if len(line) < 26 || line[0] != '[' || !isDigit(line[1]) {
		if cur != nil && (len(line) == 0 || line[0] != '[') {
			d.cont(ev.Raw, cur)
			return Continue
		}
		return Reject
	}
	st, ok := d.ts.iso(line[1:], d.loc)
	// log4j's %d is "yyyy-MM-dd HH:mm:ss,SSS"
	if !ok || st.zoned || st.prec != 3 || line[1+st.n-4] != ',' {
		return Reject
	}
	s := ev.Raw
	i := 1 + st.n
	if i+2 >= len(s) || s[i] != ']' || s[i+1] != ' ' {
		return Reject
	}
	i += 2
	var lvl event.Level
	var class, thread string
	end := len(s)
	if s[i] == '[' { // [LEVEL] [thread] [logger] - msg
		var groups [3]string
		for k := range groups {
			if i >= len(s) || s[i] != '[' {
				return Reject
			}
			e := javaMatchBracket(s, i)
			if e < 0 {
				return Reject
			}
			groups[k] = s[i+1 : e]
			i = e + 1
			if i < len(s) && s[i] == ' ' {
				i++
			}
		}
		if lvl, ok = javaUpperLevel(javaTrimSpaces(groups[0])); !ok {
			return Reject
		}
		thread, class = groups[1], groups[2]
		if !strings.HasPrefix(s[i:], "- ") {
			return Reject
		}
		i += 2
	} else {
		e := strings.IndexByte(s[i:], ' ')
		if e < 0 {
			e = len(s) - i
		}
		if lvl, ok = javaUpperLevel(s[i : i+e]); !ok {
			return Reject
		}
		i = min(i+e+1, len(s))
		if c, at := kafkaTrailingClass(s); at > i {
			class, end = c, at
		}
	}
	var component string
	if i < end && s[i] == '[' {
		if e := javaMatchBracket(s[:end], i); e > 0 {
			switch {
			case e+1 == end:
				component, i = s[i+1:e], end
			case s[e+1] == ' ':
				component, i = s[i+1:e], e+2
			case s[e+1] == ':' && (e+2 == end || s[e+2] == ' '):
				component, i = s[i+1:e], min(e+3, end)
			}
		}
	}
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	ev.Level = lvl
	ev.Message = s[i:end]
	ev.Fields = ev.Fields[:0]
	reserveFields(ev, 8) // one allocation at most for the usual fields
	name, lineNo := javaSplitLine(class)
	ev.Set("class", name)
	ev.Set("line", lineNo)
	ev.Set("component", component)
	ev.Set("thread", thread)
	kafkaComponentIDs(ev, component)
	kafkaTopicPartition(ev, component)
	if _, ok := ev.Get("topic"); !ok {
		kafkaTopicPartition(ev, ev.Message)
	}
	kafkaGroup(ev, ev.Message)
	if strings.Contains(ev.Message, "onnect") { // (dis)connected, Connection to node ...
		if _, ok := ev.Get("node"); !ok {
			if n := kafkaClientNode(ev.Message); n != "" {
				ev.Set("node", n)
			}
		}
		if t := kafkaClientTarget(ev.Message); t != "" {
			ev.Set("target", t)
		}
	}
	return Start
}

// cont handles a continuation line: an exception class, or the
// " (logger)" line that closes a multi-line message.
func (d *kafkaServerDecoder) cont(raw string, cur *event.Event) {
	if len(raw) > 3 && raw[0] == ' ' && raw[1] == '(' {
		if _, ok := cur.Get("class"); !ok {
			if c, at := kafkaTrailingClass(raw); at == 0 {
				name, lineNo := javaSplitLine(c)
				cur.Set("class", name)
				cur.Set("line", lineNo)
			}
		}
		return
	}
	javaNoteException(cur, raw)
}

// kafkaTrailingClass finds the " (logger.class)" that ends a line and
// returns the logger and the index of the space before it (-1 if none).
func kafkaTrailingClass(s string) (string, int) {
	if len(s) < 4 || s[len(s)-1] != ')' {
		return "", -1
	}
	from := max(0, len(s)-256) // logger names are short; lines may not be
	o := strings.LastIndexByte(s[from:], '(')
	if o < 0 {
		return "", -1
	}
	o += from
	if o < 1 || s[o-1] != ' ' {
		return "", -1
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
			return "", -1
		}
	}
	if !dot || !isLetter(c[0]) {
		return "", -1
	}
	return c, o - 1
}

// kafkaComponentIDs sets broker, controller, leader and node from the ids
// of a component ("ReplicaFetcher replicaId=1, leaderId=2, fetcherId=0").
// It visits each number once and looks at the words before it.
func kafkaComponentIDs(ev *event.Event, c string) {
	for i := 0; i < len(c); {
		if !isDigit(c[i]) {
			i++
			continue
		}
		j := i
		for j < len(c) && isDigit(c[j]) {
			j++
		}
		if i == 0 || (c[i-1] != '=' && c[i-1] != ' ') { // "test-3", "kafka-logs-10"
			i = j
			continue
		}
		pre := c[:i]
		for _, k := range kafkaIDKeys {
			if strings.HasSuffix(pre, k.key) {
				if _, ok := ev.Get(k.field); !ok {
					ev.Set(k.field, c[i:j])
				}
				break
			}
		}
		i = j
	}
}

var kafkaIDKeys = [...]struct{ key, field string }{
	{"Broker id=", "broker"}, {"KafkaServer id=", "broker"}, {"brokerId=", "broker"},
	{"broker=", "broker"}, {"replicaId=", "broker"}, {"on broker ", "broker"},
	{"on Broker ", "broker"}, {"GroupCoordinator ", "broker"}, {"TransactionCoordinator id=", "broker"},
	{"Controller id=", "controller"}, {"controllerId=", "controller"}, {"Controller ", "controller"},
	{"on controller ", "controller"}, {"leaderId=", "leader"}, {"targetBrokerId=", "node"},
}

// kafkaInt returns the (possibly negative) integer that starts s.
func kafkaInt(s string) string {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j == i {
		return ""
	}
	return s[:j]
}

// kafkaTopicPartition sets topic and partition from the first
// "partition topic-N" or "partition=topic-N" of s.
func kafkaTopicPartition(ev *event.Event, s string) {
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

// kafkaGroup sets group from "group <id>" (a consumer group name, not one
// of the words that follow "group" in Kafka's messages).
func kafkaGroup(ev *event.Event, s string) {
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
		k := j + 6
		e := k
		for e < len(s) && s[e] != ' ' && s[e] != ',' && s[e] != ')' && s[e] != ']' {
			e++
		}
		g := s[k:e]
		switch strings.ToLower(g) {
		case "", "in", "is", "with", "has", "to", "the", "from", "for", "and", "or", "of", "coordinator",
			"metadata", "generation", "member", "members", "state", "id", "instance", "since", "due", "because", "was":
			continue
		}
		ev.Set("group", g)
		return
	}
}
