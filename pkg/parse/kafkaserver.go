package parse

import (
	"math/bits"
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
	loc     *time.Location
	ts      stampCache
	loggers kafkaLoggerMemo
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
	var name, lineNo, thread string
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
		thread = groups[1]
		name, lineNo = javaSplitLine(groups[2])
		if !strings.HasPrefix(s[i:], "- ") {
			return Reject
		}
		i += 2
	} else {
		e := strings.IndexByte(s[i:], ' ')
		if e < 0 {
			e = len(s) - i
		}
		if lvl, ok = kafkaLevel(s[i : i+e]); !ok {
			return Reject
		}
		i = min(i+e+1, len(s))
		if c, l, at := d.loggers.trailing(s); at > i {
			name, lineNo, end = c, l, at
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
	// distinct keys on a fresh event: no look-up
	gatewayAdd(ev, "class", name)
	gatewayAdd(ev, "line", lineNo)
	gatewayAdd(ev, "component", component)
	gatewayAdd(ev, "thread", thread)
	if !kafkaComponent(ev, component) {
		kafkaTopicPartition(ev, ev.Message)
	}
	kafkaGroup(ev, ev.Message)
	if kafkaConnect(ev.Message) { // (dis)connected, Connection to node ...
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

// kafkaLevel is javaUpperLevel(w), with log4j's five level words read
// by a comparison: the general reader lower-cases the word into a buffer
// first.
func kafkaLevel(w string) (event.Level, bool) {
	switch w {
	case "INFO":
		return event.LevelInfo, true
	case "WARN":
		return event.LevelWarn, true
	case "ERROR":
		return event.LevelError, true
	case "DEBUG":
		return event.LevelDebug, true
	case "TRACE":
		return event.LevelTrace, true
	}
	return javaUpperLevel(w)
}

// cont handles a continuation line: an exception class, or the
// " (logger)" line that closes a multi-line message.
func (d *kafkaServerDecoder) cont(raw string, cur *event.Event) {
	if len(raw) > 3 && raw[0] == ' ' && raw[1] == '(' {
		if _, ok := cur.Get("class"); !ok {
			if name, lineNo, at := kafkaTrailingClass(raw); at == 0 {
				cur.Set("class", name)
				cur.Set("line", lineNo)
			}
		}
		return
	}
	javaNoteException(cur, raw)
}

// kafkaTrailingClass finds the " (logger.class)" that ends a line and
// returns the logger, split as javaSplitLine splits it ("Foo:117" gives
// Foo and 117), and the index of the space before it (-1 if none).
// It reads back from the ')' once: the logger is the text after the last
// '(' of the line's last 256 bytes (logger names are short; lines may not
// be), so a byte that may not be in a logger ends the search early.
func kafkaTrailingClass(s string) (name, line string, at int) {
	if len(s) < 4 || s[len(s)-1] != ')' {
		return "", "", -1
	}
	from := max(0, len(s)-256)
	var seen byte
	for o := len(s) - 2; o >= from; o-- {
		b := kafkaClassByte[s[o]]
		if b == 0 {
			if s[o] != '(' || o < 1 || s[o-1] != ' ' || seen&kafkaClassDot == 0 || !isLetter(s[o+1]) {
				return "", "", -1
			}
			c := s[o+1 : len(s)-1]
			if seen&kafkaClassColon == 0 { // no line number to split off
				return c, "", o - 1
			}
			name, line = javaSplitLine(c)
			return name, line, o - 1
		}
		seen |= b
	}
	return "", "", -1
}

// kafkaLoggerMemo remembers the " (logger)" ends of recent lines, so that
// a line ending in one of them gets its logger from a comparison
// instead of kafkaTrailingClass's byte-by-byte read back: a broker writes
// most of its lines through a handful of loggers. An end is kept as a copy
// (lines do not outlive their buffers), in a fixed number of slots taken
// in turn.
type kafkaLoggerMemo struct {
	ends [kafkaLoggerSlots]kafkaLoggerEnd
	next int // the slot the next new end goes to
}

// kafkaLoggerEnd is a remembered " (logger)" end.
type kafkaLoggerEnd struct {
	tail  uint64 // its last 8 bytes; 0: an empty slot (a kept end's last byte is ')')
	n     int    // its length
	colon bool   // the logger holds a ':' (javaSplitLine may split a line number off)
	text  [kafkaLoggerMax]byte
}

// Sizes of kafkaLoggerMemo: slots, and the longest end kept.
const (
	kafkaLoggerSlots = 8
	kafkaLoggerMax   = 64
)

// trailing is kafkaTrailingClass(s). A line that ends with a kept end
// gives what kafkaTrailingClass gave for the line that ended with it: the
// read back covers the same bytes, the logger and the " (" before it, and
// nothing else (its 256-byte bound counts from the end of the line).
func (m *kafkaLoggerMemo) trailing(s string) (name, line string, at int) {
	if len(s) < 8 || s[len(s)-1] != ')' {
		return kafkaTrailingClass(s)
	}
	tail := kafkaLoad8(s[len(s)-8:])
	for k := range m.ends {
		e := &m.ends[k]
		if e.tail != tail || e.n > len(s) || string(e.text[:e.n]) != s[len(s)-e.n:] {
			continue
		}
		at = len(s) - e.n
		c := s[at+2 : len(s)-1]
		if !e.colon {
			return c, "", at
		}
		name, line = javaSplitLine(c)
		return name, line, at
	}
	name, line, at = kafkaTrailingClass(s)
	if t := s[max(at, 0):]; at >= 0 && len(t) >= 8 && len(t) <= kafkaLoggerMax {
		e := &m.ends[m.next]
		m.next = (m.next + 1) % kafkaLoggerSlots
		e.tail, e.n = tail, len(t)
		e.colon = strings.IndexByte(t, ':') >= 0
		copy(e.text[:], t)
	}
	return name, line, at
}

// kafkaLoad8 reads s[:8] as a little-endian word (one load).
func kafkaLoad8(s string) uint64 {
	s = s[:8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// Bits of kafkaClassByte.
const (
	kafkaClassName  = 1 // a letter, digit, '_', '$' or ':'
	kafkaClassDot   = 2 // '.'
	kafkaClassColon = 4 // ':' (with kafkaClassName)
)

// kafkaClassByte marks the bytes of a trailing logger name (a table: one
// load a byte).
var kafkaClassByte = func() (t [256]byte) {
	for c := range t {
		switch b := byte(c); {
		case b == '.':
			t[c] = kafkaClassDot
		case b == ':':
			t[c] = kafkaClassName | kafkaClassColon
		case isLetter(b) || isDigit(b) || b == '_' || b == '$':
			t[c] = kafkaClassName
		}
	}
	return t
}()

// kafkaComponent reads a component ("ReplicaFetcher replicaId=1,
// leaderId=2, fetcherId=0", "LocalLog partition=orders-3, dir=/data"):
// it sets broker, controller, leader and node from the ids it names, then
// topic and partition from its first "partition topic-N" or
// "partition=topic-N" (as kafkaTopicPartition), and reports whether it
// set a topic. ev must have none of these fields yet.
//
// It reads the component once, looking at the byte pairs that may start
// either: a blank or '=' and a digit (an id, after a key kafkaIDKeyOf knows),
// and ' ', '[', '(' or ',' (or the start) and 'p' or 'P' ("partition").
// A byte that can be neither half of a pair skips the two pairs it is in.
func kafkaComponent(ev *event.Event, c string) bool {
	var set uint8 // the fields set, by kafkaIDKey.bit
	var topic, part string
	found := len(c) > 0 && (c[0] == 'p' || c[0] == 'P')
	if found {
		topic, part, found = kafkaPartitionAt(c, 1)
	}
	for i := 0; ; i++ {
		for i+1 < len(c) && kafkaCompByte[c[i+1]] == 0 {
			i += 2
		}
		if i+1 >= len(c) {
			break
		}
		t, u := kafkaCompByte[c[i+1]], kafkaCompByte[c[i]]
		if t&kafkaCompDigit != 0 && u&kafkaCompDelim != 0 {
			j := i + 2
			for j < len(c) && isDigit(c[j]) {
				j++
			}
			if k := kafkaIDKeyOf(c[:i+1]); k != nil && set&k.bit == 0 {
				set |= k.bit
				gatewayAdd(ev, k.field, c[i+1:j])
			}
		}
		if !found && t&kafkaCompP != 0 && u&kafkaCompBefore != 0 {
			topic, part, found = kafkaPartitionAt(c, i+2)
		}
	}
	if !found {
		return false
	}
	gatewayAdd(ev, "topic", topic)
	gatewayAdd(ev, "partition", part)
	return topic != "-" // gatewayAdd (as Set) keeps no "-"
}

// Bits of kafkaCompByte.
const (
	kafkaCompDelim  = 1 << iota // ' ' or '=': may end an id key
	kafkaCompDigit              // may start an id
	kafkaCompBefore             // ' ', '[', '(' or ',': may come before "partition"
	kafkaCompP                  // 'p' or 'P'
)

// kafkaCompByte marks the bytes kafkaComponent looks at (a table: one
// load a byte).
var kafkaCompByte = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = kafkaCompDigit
	}
	t[' '] = kafkaCompDelim | kafkaCompBefore
	t['='] = kafkaCompDelim
	t['['], t['('], t[','] = kafkaCompBefore, kafkaCompBefore, kafkaCompBefore
	t['p'], t['P'] = kafkaCompP, kafkaCompP
	return t
}()

// kafkaIDKey is a text that names the id after it, and the field the id
// goes to.
type kafkaIDKey struct {
	key, field string
	bit        uint8 // the field, as a bit
}

// kafkaIDKeyOf returns the key that pre ends with, or nil. The keys end
// in "d=", "r=" or "r " (TestKafkaIDKeys), and none ends another.
func kafkaIDKeyOf(pre string) *kafkaIDKey {
	if len(pre) < 2 {
		return nil
	}
	var keys []kafkaIDKey
	switch pre[len(pre)-2] {
	case 'd':
		keys = kafkaIDKeysD[:]
	case 'r':
		keys = kafkaIDKeysR[:]
	default:
		return nil
	}
	for i := range keys {
		if strings.HasSuffix(pre, keys[i].key) {
			return &keys[i]
		}
	}
	return nil
}

// Fields of kafkaIDKey, as bits.
const (
	kafkaIDBroker = 1 << iota
	kafkaIDController
	kafkaIDLeader
	kafkaIDNode
)

// kafkaIDKeysD and kafkaIDKeysR are the id keys whose next to last byte
// is 'd' and 'r'.
var (
	kafkaIDKeysD = [...]kafkaIDKey{
		{"Broker id=", "broker", kafkaIDBroker}, {"KafkaServer id=", "broker", kafkaIDBroker},
		{"brokerId=", "broker", kafkaIDBroker}, {"replicaId=", "broker", kafkaIDBroker},
		{"TransactionCoordinator id=", "broker", kafkaIDBroker},
		{"Controller id=", "controller", kafkaIDController}, {"controllerId=", "controller", kafkaIDController},
		{"leaderId=", "leader", kafkaIDLeader}, {"targetBrokerId=", "node", kafkaIDNode},
	}
	kafkaIDKeysR = [...]kafkaIDKey{
		{"broker=", "broker", kafkaIDBroker}, {"on broker ", "broker", kafkaIDBroker},
		{"on Broker ", "broker", kafkaIDBroker}, {"GroupCoordinator ", "broker", kafkaIDBroker},
		{"Controller ", "controller", kafkaIDController}, {"on controller ", "controller", kafkaIDController},
	}
)

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
// "partition topic-N" or "partition=topic-N" of s, and reports whether it
// set a topic.
func kafkaTopicPartition(ev *event.Event, s string) bool {
	for from := 0; from < len(s); {
		j := kafkaIndexPartition(s[from:])
		if j < 0 {
			return false
		}
		j += from
		from = j + 9
		if j > 0 && s[j-1] != ' ' && s[j-1] != '[' && s[j-1] != '(' && s[j-1] != ',' {
			continue
		}
		if topic, p, ok := kafkaPartitionAt(s, j+1); ok {
			ev.Set("topic", topic)
			ev.Set("partition", p)
			return topic != "-" // Set keeps no "-"
		}
	}
	return false
}

// kafkaIndexPartition returns the index of the first "partition" or
// "Partition" of s, or -1. It looks for their 'p' or 'P', a rare byte in
// Kafka's messages, eight bytes at a time: a byte whose 0x20 bit set makes
// it 'p' is one of the two.
func kafkaIndexPartition(s string) int {
	const ones, highs, ps = 0x0101010101010101, 0x8080808080808080, 0x7070707070707070
	if len(s) < 9 {
		return -1
	}
	last := len(s) - 9              // the last index "partition" may start at
	for i := 0; i <= last; i += 8 { // i+8 < len(s)
		x := kafkaLoad8(s[i:]) | 0x2020202020202020 ^ ps
		// a zero byte of x marks a candidate; the bits above the first
		// one may be false (a borrow), and each is checked
		for m := (x - ones) &^ x & highs; m != 0; m &= m - 1 {
			k := i + bits.TrailingZeros64(m)/8
			if k > last {
				return -1
			}
			if s[k]|0x20 == 'p' && s[k+1:k+9] == "artition" {
				return k
			}
		}
	}
	return -1
}

// kafkaPartitionAt reads the "artition topic-N" or "artition=topic-N" at
// s[j:] (the 'p' or 'P' before it, and what comes before that, are the
// caller's to check).
func kafkaPartitionAt(s string, j int) (topic, partition string, ok bool) {
	if !strings.HasPrefix(s[j:], "artition") {
		return "", "", false
	}
	k := j + 8
	if k >= len(s) || (s[k] != ' ' && s[k] != '=') {
		return "", "", false
	}
	k++
	e := k
	for e < len(s) && kafkaTopicByte[s[e]] {
		e++
	}
	// s[k:e] is "topic-N": its last '-' has only digits after it, one at least
	d := e - 1
	for d > k && isDigit(s[d]) {
		d--
	}
	if d == e-1 || d <= k || s[d] != '-' {
		return "", "", false
	}
	return s[k:d], s[d+1 : e], true
}

// kafkaTopicByte marks the bytes of a "topic-N": letters, digits, '.',
// '_' and '-' (a table: one load a byte).
var kafkaTopicByte = func() (t [256]bool) {
	for c := range t {
		b := byte(c)
		t[c] = isLetter(b) || isDigit(b) || b == '.' || b == '_' || b == '-'
	}
	return t
}()

// kafkaConnect reports whether s contains "onnect" (as strings.Contains
// would). It looks for the 'c' of each candidate, a rarer byte in Kafka's
// messages than the 'o' strings.Index starts from.
func kafkaConnect(s string) bool {
	for i := 4; i < len(s)-1; i++ {
		j := strings.IndexByte(s[i:len(s)-1], 'c')
		if j < 0 {
			return false
		}
		i += j
		if s[i-4:i] == "onne" && s[i+1] == 't' {
			return true
		}
	}
	return false
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
		if !kafkaNotWord(g) {
			switch strings.ToLower(g) {
			case "", "in", "is", "with", "has", "to", "the", "from", "for", "and", "or", "of", "coordinator",
				"metadata", "generation", "member", "members", "state", "id", "instance", "since", "due", "because", "was":
				continue
			}
		}
		ev.Set("group", g)
		return
	}
}

// kafkaNotWord reports whether s holds an ASCII byte that is not a letter
// ("order-group", "group_1"): then no case of s is a word of letters, as
// strings.ToLower keeps such a byte, and it spares kafkaGroup the call.
func kafkaNotWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x80 && !isLetter(c) {
			return true
		}
	}
	return false
}
