package parse

import (
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// CRI container logs, as containerd and CRI-O write them under
// /var/log/pods: "<RFC 3339 time> <stream> <tag> <message>", where the tag
// is F for a full line or P for a partial one that the next line of the
// same stream continues. A message that is itself a JSON object is read
// for its level, message and fields.

func init() {
	Register(&Format{
		ID:          "cri",
		Description: "Kubernetes CRI container logs (containerd, CRI-O): time, stream, F/P tag, message; partial lines join",
		Example:     "2017-09-12T22:32:21.212861448Z stdout F 2017-09-12 22:32:21.212 [INFO][88] table.go 710: Invalidating dataplane cache",
		Specificity: 20,
		New: func(ctx *Context) Decoder {
			return &criDecoder{loc: ctx.Loc, inner: newJSONDecoder(ctx)}
		},
	})
}

type criDecoder struct {
	loc     *time.Location
	partial bool   // the last line was a partial (P) one
	stream  string // its stream
	inner   *jsonDecoder
}

func (d *criDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	wasPartial := d.partial
	d.partial = false
	if len(line) < 28 || !isDigit(line[0]) {
		return Reject
	}
	st, ok := parseISO(line, d.loc)
	if !ok || !st.zoned || st.n >= len(line) || line[st.n] != ' ' {
		return Reject
	}
	i := st.n + 1
	var stream string
	switch {
	case strings.HasPrefix(ev.Raw[i:], "stdout "):
		stream = "stdout"
	case strings.HasPrefix(ev.Raw[i:], "stderr "):
		stream = "stderr"
	default:
		return Reject
	}
	i += 7
	if i >= len(line) || (line[i] != 'F' && line[i] != 'P') {
		return Reject
	}
	partial := line[i] == 'P'
	for i < len(line) && line[i] != ' ' { // further tags, ':'-separated
		i++
	}
	ms := len(line)
	if i < len(line) {
		ms = i + 1
	}
	msg := ev.Raw[ms:]
	if wasPartial && cur != nil && stream == d.stream {
		d.partial = partial
		if len(cur.Message)+len(msg) < maxEventBytes {
			cur.Message += msg
		}
		return Absorb
	}
	d.partial, d.stream = partial, stream
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	ev.Message = msg
	ev.Fields = append(ev.Fields, event.Field{Key: "stream", Value: stream})
	if len(msg) > 1 && msg[0] == '{' {
		d.innerJSON(line, ms, ev)
	} else {
		ev.Level = structuredTextLevel(line[ms:], msg)
	}
	return Start
}

// innerJSON reads a JSON message for its level, message and fields; the
// CRI time stays.
func (d *criDecoder) innerJSON(line []byte, ms int, ev *event.Event) {
	j := d.inner
	j.rec = jsonRec{}
	j.path = j.path[:0]
	j.ord = 0
	n := len(ev.Fields)
	end, st := j.walk(line, ev.Raw, ms, 0, ev)
	if st == jsonBad {
		ev.Fields = ev.Fields[:n]
		return
	}
	scratch := event.Event{Fields: ev.Fields}
	j.finish(line, ev.Raw, ms, end, st == jsonDone, &scratch)
	ev.Fields, ev.Level = scratch.Fields, scratch.Level
	if j.rec.msg.set {
		ev.Message = scratch.Message
	}
}
