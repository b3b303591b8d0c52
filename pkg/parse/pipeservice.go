package parse

import (
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// pipe-service: a pipe-separated application layout that names its service
// in every line:
//
//	[2023-08-15 14:22:17] ERROR | order-service | KafkaConsumer:: poll() timeout, last message received 3m ago
//	[2023-08-15 14:22:17.123] WARN  | billing | ...
//
// The service named in the line wins over the source's folder name: it
// becomes ev.Source and the field "service". Lines that do not start a
// record (stack traces) fold into the previous one.

// PipeServiceID is the id of the pipe-separated service format.
const PipeServiceID = "pipe-service"

func init() {
	Register(&Format{
		ID:          PipeServiceID,
		Description: "[time] LEVEL | service | message (the service sets the event source); continuation lines fold",
		Example: "[2023-08-15 14:22:17] ERROR | order-service | KafkaConsumer:: poll() timeout, last message received 3m ago\n" +
			"[2023-08-15 14:22:17.123] WARN  | billing-service | invoice INV-2023-0042 retry 2/5\n" +
			"java.net.SocketTimeoutException: Read timed out\n" +
			"\tat java.base/java.net.SocketInputStream.socketRead0(Native Method)",
		Specificity: 25,
		Multiline:   true,
		Segmentable: true,
		New:         func(ctx *Context) Decoder { return &pipeDecoder{loc: ctx.Loc} },
	})
}

type pipeDecoder struct {
	loc *time.Location
	ts  stampCache
}

func (d *pipeDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if len(line) < 22 || line[0] != '[' || !isDigit(line[1]) {
		if cur != nil {
			javaNoteException(cur, ev.Raw)
			return Continue
		}
		return Reject
	}
	st, ok := d.ts.iso(line[1:], d.loc)
	if !ok {
		return Reject
	}
	s := ev.Raw
	i := 1 + st.n
	if i+1 >= len(s) || s[i] != ']' || s[i+1] != ' ' {
		return Reject
	}
	i += 2
	e := strings.IndexByte(s[i:], '|')
	if e <= 0 || e > 12 || s[i+e-1] != ' ' {
		return Reject
	}
	lvl, ok := levelWord([]byte(javaTrimSpaces(s[i : i+e])))
	if !ok {
		return Reject
	}
	i += e + 1
	e = strings.IndexByte(s[i:], '|')
	if e < 0 || e > 128 {
		return Reject
	}
	svc := javaTrimSpaces(s[i : i+e])
	if svc == "" || strings.IndexByte(svc, ' ') >= 0 {
		return Reject
	}
	i += e + 1
	if i < len(s) && s[i] == ' ' {
		i++
	}
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	ev.Level = lvl
	ev.Message = s[i:]
	ev.Source = svc
	ev.Set("service", svc)
	return Start
}
