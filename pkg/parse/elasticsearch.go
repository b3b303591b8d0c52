package parse

import (
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// elasticsearch: the bracketed log4j2 layout of Elasticsearch's plain-text
// server log and of Logstash's logstash-plain.log:
//
//	[%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n        (Elasticsearch 5-7)
//	[%d{ISO8601}][%-5p][%-25c] [node] %m%n                          (Elasticsearch 2.x)
//	[%d{ISO8601}][%-5p][%-25c]%notEmpty{[%X{pipeline.id}]} %m%n     (Logstash)
//
// A line not starting with '[' continues the previous record (stack
// traces, multi-line SQL or JSON bodies), as Filebeat's elasticsearch and
// logstash modules fold them. Fields: logger; for Elasticsearch the node
// name ("node", the first bracket of the message) and, when the next
// bracket is an index marker, "index" ("name" of "[name/uuid]"); for
// Logstash the pipeline_id. The message starts after those brackets.

// ElasticsearchID is the id of the Elasticsearch/Logstash plain-text format.
const ElasticsearchID = "elasticsearch"

func init() {
	Register(&Format{
		ID:          ElasticsearchID,
		Description: "Elasticsearch and Logstash plain-text log: [time][LEVEL][logger] [node] message; continuation lines fold",
		Example: "[2018-05-17T08:29:12,177][INFO ][o.e.c.m.MetaDataCreateIndexService] [vWNJsZ3] [test-filebeat-modules] creating index, cause [auto(bulk api)], templates [test-filebeat-modules], shards [5]/[1], mappings [doc]\n" +
			"[2018-07-03T11:45:52,666][WARN ][r.suppressed             ] path: /_xpack/monitoring/_bulk, params: {system_id=logstash, system_api_version=2, interval=1s}\n" +
			"org.elasticsearch.cluster.block.ClusterBlockException: blocked by: [SERVICE_UNAVAILABLE/2/no master];\n" +
			"        at org.elasticsearch.cluster.block.ClusterBlocks.globalBlockedException(ClusterBlocks.java:165) ~[elasticsearch-5.6.3.jar:5.6.3]\n" +
			"[2019-11-20T19:04:48,468][ERROR][logstash.outputs.elasticsearch][.monitoring-logstash] Encountered a retryable error. Will Retry with exponential backoff...",
		Specificity: 25,
		Multiline:   true,
		Segmentable: true,
		New:         func(ctx *Context) Decoder { return &esDecoder{loc: ctx.Loc} },
	})
}

type esDecoder struct {
	loc *time.Location
}

func (d *esDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if len(line) < 12 || line[0] != '[' || !isDigit(line[1]) {
		if cur != nil && (len(line) == 0 || line[0] != '[') {
			javaNoteException(cur, ev.Raw)
			return Continue
		}
		return Reject
	}
	st, ok := parseISO(line[1:], d.loc)
	if !ok {
		return Reject
	}
	s := ev.Raw
	i := 1 + st.n
	if i+1 >= len(s) || s[i] != ']' || s[i+1] != '[' {
		return Reject
	}
	// [LEVEL]
	i += 2
	e := strings.IndexByte(s[i:], ']')
	if e < 0 || e > 12 {
		return Reject
	}
	lw := javaTrimSpaces(s[i : i+e])
	lvl, ok := javaUpperLevel(lw)
	if !ok {
		if lw != "DEPRECATION" {
			return Reject
		}
		lvl = event.LevelWarn
	}
	i += e + 1
	// [logger]
	if i >= len(s) || s[i] != '[' {
		return Reject
	}
	e = javaMatchBracket(s, i)
	if e < 0 {
		return Reject
	}
	logger := javaTrimSpaces(s[i+1 : e])
	if !javaLoggerName(logger) {
		return Reject
	}
	i = e + 1
	logstash := strings.HasPrefix(logger, "logstash.") || strings.HasPrefix(logger, "org.logstash.")
	var pipeline string
	if i < len(s) && s[i] == '[' { // Logstash's [pipeline.id]
		e = strings.IndexByte(s[i:], ']')
		if e < 0 {
			return Reject
		}
		pipeline = s[i+1 : i+e]
		i += e + 1
		logstash = true
	}
	if i < len(s) {
		if s[i] != ' ' {
			return Reject
		}
		i++
	}
	var node, index string
	if !logstash {
		if n, end, ok := esBracket(s, i); ok {
			node, i = n, end
			if x, end, ok := esBracket(s, i); ok && x != "" && !strings.Contains(x, " ") {
				index, i = x, end
			}
		}
	}
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	ev.Level = lvl
	ev.Message = s[i:]
	ev.Fields = ev.Fields[:0]
	reserveFields(ev, 4) // one allocation at most for the usual fields
	ev.Set("logger", logger)
	ev.Set("node", node)
	if index != "" {
		name, uuid, _ := strings.Cut(index, "/")
		ev.Set("index", name)
		ev.Set("index_uuid", uuid)
	}
	ev.Set("pipeline_id", pipeline)
	return Start
}

// esBracket reads a "[text] " group without nested brackets at s[i:] and
// returns its text and the index after the following space.
func esBracket(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '[' {
		return "", i, false
	}
	e := strings.IndexAny(s[i+1:], "[]")
	if e < 0 || s[i+1+e] != ']' {
		return "", i, false
	}
	end := i + 1 + e + 1
	switch {
	case end == len(s):
		return s[i+1 : i+1+e], end, true
	case s[end] == ' ':
		return s[i+1 : i+1+e], end + 1, true
	}
	return "", i, false
}
