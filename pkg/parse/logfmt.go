package parse

import (
	"bytes"
	"strings"

	"github.com/rca-dev/rca/pkg/event"
)

// logfmt: key=value pairs, values bare or double-quoted with backslash
// escapes, as logrus's text formatter, Go kit, Grafana and Prometheus write
// them. A record needs a time key (time, ts, t, timestamp...) that parses;
// level (level, lvl, severity...) and message (msg, message) keys are read
// when present, everything else becomes fields. Keys share the JSON
// decoder's vocabulary (jsonClassify), learned once per key per input.

func init() {
	Register(&Format{
		ID:          "logfmt",
		Description: "logfmt key=value lines (logrus text formatter, Go kit, Grafana, Prometheus): time/ts/t, level/lvl, msg",
		Example: `time=2023-08-15T14:22:17.123Z level=error msg="connect failed" err="dial tcp 10.0.3.7:3306: connect: connection refused" component=db` + "\n" +
			`logger=sqlstore t=2023-08-15T14:22:18.456789012Z level=warn msg="Database locked, sleeping then retrying" error="database is locked" retry=0`,
		Specificity: 10,
		New: func(ctx *Context) Decoder {
			return &logfmtDecoder{
				times:  structuredTime{loc: ctx.Loc, years: yearInfer{ref: ctx.ModTime}},
				keyIdx: map[string]int32{},
				timeID: -1,
			}
		},
	})
}

type logfmtDecoder struct {
	times     structuredTime
	keyIdx    map[string]int32
	keys      []jsonKey
	tmpKey    jsonKey
	timeID    int32 // learned time key
	fieldHint int
}

const logfmtMaxKeys = 4096

func (d *logfmtDecoder) lookup(k []byte) (int32, *jsonKey) {
	if id, ok := d.keyIdx[string(k)]; ok {
		return id, &d.keys[id]
	}
	key := jsonClassify(string(k))
	if len(d.keys) >= logfmtMaxKeys {
		d.tmpKey = key
		return -1, &d.tmpKey
	}
	id := int32(len(d.keys))
	d.keys = append(d.keys, key)
	d.keyIdx[string(k)] = id
	return id, &d.keys[id]
}

// logfmtKeyByte reports a byte that may appear in a key.
func logfmtKeyByte(c byte) bool {
	return c > ' ' && c != '=' && c != '"' && c < 0x7f
}

func (d *logfmtDecoder) Decode(line []byte, ev *event.Event, _ *event.Event) Verdict {
	if len(line) < 5 || !(isLetter(line[0]) || line[0] == '_' || line[0] == '@') {
		return Reject
	}
	var (
		times        [4]jsonCand
		nt           int
		level, msg   jsonCand
		pairs, words int
		generic      int
	)
	if d.fieldHint > 0 {
		ev.Fields = ev.Fields[:0]
		reserveFields(ev, d.fieldHint)
	}
	s := ev.Raw
	i := 0
	for i < len(line) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			break
		}
		ks := i
		for i < len(line) && logfmtKeyByte(line[i]) {
			i++
		}
		if i == ks || i >= len(line) || line[i] != '=' {
			// a bare word or stray quote: not a pair
			if pairs == 0 {
				ev.Fields = ev.Fields[:0]
				return Reject
			}
			words++
			for i < len(line) && line[i] != ' ' && line[i] != '\t' {
				i++
			}
			continue
		}
		ke := i
		i++ // '='
		vs, ve, esc := i, i, false
		if i < len(line) && line[i] == '"' {
			end, e, ok := jsonStrEnd(line, i+1)
			vs, ve, esc = i+1, end, e
			i = end
			if ok {
				i++
			}
		} else {
			for i < len(line) && line[i] != ' ' && line[i] != '\t' {
				i++
			}
			ve = i
		}
		pairs++
		id, k := d.lookup(line[ks:ke])
		c := jsonCand{id: id, prio: k.prio, set: true, str: true, esc: esc, vs: vs, ve: ve}
		switch k.role {
		case jsonRoleSkip:
			continue
		case jsonRoleTime:
			if nt < len(times) && ve > vs {
				times[nt] = c
				nt++
			}
			continue
		case jsonRoleLevel:
			if !level.set || c.prio < level.prio {
				level = c
			}
			continue
		case jsonRoleMsg:
			if !msg.set || c.prio < msg.prio {
				msg = c
			}
		case jsonRoleStack:
			continue
		}
		if k.field == "" || ve <= vs {
			continue
		}
		v := s[vs:ve]
		if esc {
			if len(v) > 4*structuredMaxValue {
				v = v[:4*structuredMaxValue]
			}
			v = structuredUnescapeJSON(v)
		}
		structuredAdd(ev, k.field, v, k.known, &generic)
	}
	if pairs < 2 || words > pairs || nt == 0 {
		ev.Fields = ev.Fields[:0]
		return Reject
	}
	// Time: the learned key first, then by priority.
	var st stamp
	found := false
	for !found {
		best := -1
		for j := 0; j < nt; j++ {
			if !times[j].set {
				continue
			}
			if d.timeID >= 0 && times[j].id == d.timeID {
				best = j
				break
			}
			if best < 0 || times[j].prio < times[best].prio {
				best = j
			}
		}
		if best < 0 {
			break
		}
		c := &times[best]
		c.set = false
		if st, found = d.times.parse(line[c.vs:c.ve]); found {
			d.timeID = c.id
		}
	}
	if !found {
		ev.Fields = ev.Fields[:0]
		return Reject
	}
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	if level.set {
		v := line[level.vs:level.ve]
		if lvl, ok := levelWord(bytes.TrimSpace(v)); ok {
			ev.Level = lvl
		} else if len(v) > 0 && isDigit(v[0]) {
			ev.Level = structuredNumLevel(v, false)
		}
	}
	if ev.Level == event.LevelNone {
		if stt, ok := ev.Get("status"); ok && structuredHTTPStatus(stt) {
			ev.Level = httpLevel(stt)
		}
	}
	if msg.set {
		m := s[msg.vs:msg.ve]
		if msg.esc {
			m = structuredUnescapeJSON(m)
		}
		ev.Message = strings.TrimRight(m, "\r\n")
	} else {
		ev.Message = s
	}
	if n := len(ev.Fields) + 2; n > d.fieldHint && n <= structuredMaxFields+16 {
		d.fieldHint = n
	}
	return Start
}
