package parse

import (
	"strings"

	"github.com/rca-dev/rca/pkg/event"
)

// Kafka Java client lines inside application logs (Spring Boot, log4j,
// JSON...). The client prefixes its messages with its identity:
//
//	[Consumer clientId=consumer-order-group-1, groupId=order-group] ...
//	[Consumer instanceId=pod-1, clientId=consumer-order-group-1, groupId=order-group] ...
//	[Producer clientId=producer-1] ...
//	[Producer clientId=producer-tx-1, transactionalId=tx-1] ...
//	[AdminClient clientId=adminclient-1] ...
//
// The enricher sets client_id, group (groupId), client_type (consumer,
// producer, admin; the lower-cased word otherwise, e.g. "worker" for
// Kafka Connect), and from the text after the prefix, when it names them:
// node ("node 1", "Node -1", "(id: 2147483646 rack: null)"), target
// ("(kafka-1/10.0.4.2:9092)" gives kafka-1:9092, "(/10.0.4.2:9092)"
// gives 10.0.4.2:9092, "coordinator kafka-2:9092 (id: ...)" gives
// kafka-2:9092), topic and partition ("partition invoice-events-3",
// "{invoice-events=LEADER_NOT_AVAILABLE}"). Fields the format already set
// are kept.

func init() {
	addEnricher(kafkaClientEnrich)
}

// indexClientID is strings.Index(m, "clientId="), found from the '='
// signs: every record start's message is searched, few hold a '=', and
// 'c', where the library's search starts, is in most.
func indexClientID(m string) int {
	const id = "clientId"
	for from := 0; ; {
		j := strings.IndexByte(m[from:], '=')
		if j < 0 {
			return -1
		}
		j += from
		if j >= len(id) && m[j-len(id):j] == id {
			return j - len(id)
		}
		from = j + 1
	}
}

func kafkaClientEnrich(ev *event.Event) {
	m := ev.Message
	b := indexClientID(m)
	if b < 0 {
		return
	}
	o := strings.LastIndexByte(m[:b], '[')
	if o < 0 || b-o > 48 {
		return
	}
	c := strings.IndexByte(m[b:], ']')
	if c < 0 {
		return
	}
	inner := m[o+1 : b+c]
	sp := strings.IndexByte(inner, ' ')
	if sp <= 0 {
		return
	}
	typ := inner[:sp]
	for i := 0; i < len(typ); i++ {
		if !isLetter(typ[i]) {
			return
		}
	}
	switch typ {
	case "Consumer":
		gatewaySetNew(ev, "client_type", "consumer")
	case "Producer":
		gatewaySetNew(ev, "client_type", "producer")
	case "AdminClient":
		gatewaySetNew(ev, "client_type", "admin")
	default:
		gatewaySetNew(ev, "client_type", strings.ToLower(typ))
	}
	for kv := inner[sp+1:]; kv != ""; {
		var pair string
		pair, kv, _ = strings.Cut(kv, ", ")
		k, v, ok := strings.Cut(pair, "=")
		if !ok {
			continue
		}
		switch k {
		case "clientId":
			gatewaySetNew(ev, "client_id", v)
		case "groupId":
			gatewaySetNew(ev, "group", v)
		}
	}
	rest := m[b+c+1:]
	if n := kafkaClientNode(rest); n != "" {
		gatewaySetNew(ev, "node", n)
	}
	if t := kafkaClientTarget(rest); t != "" {
		gatewaySetNew(ev, "target", t)
	}
	if _, ok := ev.Get("topic"); !ok {
		if !kafkaTopicPartition(ev, rest) {
			if i := indexVia(rest, " : {", 3); i >= 0 { // metadata errors: {topic=ERROR_CODE}
				t := rest[i+4:]
				if e := strings.IndexByte(t, '='); e > 0 && strings.IndexAny(t[:e], " ,{}") < 0 {
					ev.Set("topic", t[:e])
				}
			}
		}
	}
}

// kafkaClientNode finds "node N" / "Node N" or "(id: N rack: ...)".
func kafkaClientNode(s string) string {
	for from := 0; from < len(s); {
		j := indexVia(s[from:], "ode ", 1)
		if j < 0 {
			break
		}
		j += from
		from = j + 4
		if j == 0 || (s[j-1] != 'n' && s[j-1] != 'N') || (j > 1 && s[j-2] != ' ') {
			continue
		}
		if v := kafkaInt(s[j+4:]); v != "" {
			return v
		}
	}
	if j := indexVia(s, "(id: ", 0); j >= 0 {
		return kafkaInt(s[j+5:])
	}
	return ""
}

// kafkaClientTarget finds the broker address a message names: the
// "(host/ip:port)" after "node N", or the "host:port" before "(id: ".
func kafkaClientTarget(s string) string {
	for from := 0; from < len(s); {
		j := indexVia(s[from:], " (", 1)
		if j < 0 {
			break
		}
		j += from
		from = j + 2
		e := strings.IndexByte(s[j+2:], ')')
		if e < 0 {
			break
		}
		in := s[j+2 : j+2+e]
		sl := strings.IndexByte(in, '/')
		if sl < 0 || strings.IndexByte(in, ' ') >= 0 {
			continue
		}
		host, addr := in[:sl], in[sl+1:]
		p := strings.LastIndexByte(addr, ':')
		if p <= 0 || kafkaInt(addr[p+1:]) != addr[p+1:] {
			continue
		}
		if host == "" {
			return addr
		}
		return host + addr[p:]
	}
	if j := indexVia(s, " (id: ", 1); j > 0 {
		// the word before, from its last '[', '(', '{' or '=' on
		// ("leader=Optional[kafka-1:9092 (id: 1 ..."), read back once
		k := j - 1
		for k >= 0 && !kafkaAddrStop[s[k]] {
			k--
		}
		t := s[k+1 : j]
		if p := strings.LastIndexByte(t, ':'); p > 0 && p < len(t)-1 && kafkaInt(t[p+1:]) == t[p+1:] {
			return t
		}
	}
	return ""
}

// kafkaAddrStop marks the bytes that end, read back, the host:port before
// " (id: ": ' ', '[', '(', '{' and '=' (a table: one load a byte).
var kafkaAddrStop = [256]bool{' ': true, '[': true, '(': true, '{': true, '=': true}
