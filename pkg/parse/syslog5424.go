package parse

import (
	"bytes"
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// RFC 5424 syslog:
//
//	<PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]
//
// with "-" for absent values. The level comes from the PRI's severity;
// structured-data parameters become fields sd_<id>_<param> (capped); a BOM
// before the message is dropped. Lines forwarded without the "<PRI>VERSION "
// header (as some appliances write them) are read when the rest has the
// exact RFC 5424 shape.

const syslog5424MaxSD = 16 // structured-data fields kept per record

func init() {
	Register(&Format{
		ID:          "syslog5424",
		Description: "RFC 5424 syslog: <PRI>1 time host app procid msgid [structured data] message; level from PRI, SD params as fields",
		Example: `<165>1 2023-08-15T14:22:17.123+08:00 web-01 payments 1234 ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] charge failed: upstream timeout` + "\n" +
			`<11>1 2023-08-15T06:22:18.456Z web-01 nginx 2211 - - upstream timed out (110: Connection timed out)`,
		Specificity: 10,
		Segmentable: true,
		New: func(ctx *Context) Decoder {
			return &syslog5424Decoder{loc: ctx.Loc, sdKeys: map[string]string{}, lean: ctx.Lean}
		},
	})
}

type syslog5424Decoder struct {
	loc      *time.Location
	sdKeys   map[string]string // "id\x00param" -> field key
	keyBuf   []byte
	skimming bool // skim reads the line: no fields
	lean     bool // Context.Lean: skim leaves the fields out
}

// skim reads a line as Decode does, with Lean without its fields: none is
// one a plain record is classified or counted by (skimField), so a skim
// adds none. The message is kept (the classifier reads it). Decode keeps no
// state but its cache of field keys.
func (d *syslog5424Decoder) skim(line []byte, ev *event.Event) bool {
	d.skimming = d.lean
	v := d.Decode(line, ev, nil)
	d.skimming = false
	return v == Start
}

// skimmed does nothing: a record start sets no state.
func (d *syslog5424Decoder) skimmed() {}

// whole is true: without Lean, skim is Decode.
func (d *syslog5424Decoder) whole() bool { return true }

func (d *syslog5424Decoder) Decode(line []byte, ev *event.Event, _ *event.Event) Verdict {
	if len(line) < 20 {
		return Reject
	}
	s := ev.Raw
	i, sev := 0, -1
	bare := true // no "<PRI>VERSION " header
	if line[0] == '<' {
		if i, sev = syslogPRI(line); i < 0 {
			return Reject
		}
		v := i
		for i < len(line) && i < v+2 && isDigit(line[i]) {
			i++
		}
		if i == v || i >= len(line) || line[i] != ' ' {
			return Reject
		}
		i++
		bare = false
	}
	if i+20 > len(line) || !isDigit(line[i]) || line[i+10] != 'T' {
		return Reject // includes the NILVALUE time: nothing to order the record by
	}
	st, ok := parseISO(line[i:], d.loc)
	if !ok {
		return Reject
	}
	i += st.n
	if i >= len(line) || line[i] != ' ' {
		return Reject
	}
	i++
	if bare && !syslog5424Shape(line[i:]) {
		return Reject
	}
	var tok [4]string // host, app, procid, msgid
	for f := range tok {
		s0 := i
		for i < len(line) && line[i] != ' ' {
			i++
		}
		if i == s0 || i >= len(line) {
			return Reject
		}
		tok[f] = s[s0:i]
		i++
	}
	if i >= len(line) {
		return Reject // no structured data
	}
	if !d.skimming {
		ev.Fields = make([]event.Field, 0, 8)
		for f, key := range [...]string{"host", "program", "pid", "msgid"} {
			if tok[f] != "-" {
				ev.Fields = append(ev.Fields, event.Field{Key: key, Value: tok[f]})
			}
		}
	}
	// Structured data.
	sdLevel := event.LevelNone
	switch {
	case line[i] == '-':
		i++
	case line[i] == '[':
		n := 0
		i, sdLevel = d.structuredData(line, s, i, ev, &n)
	default:
		return Reject
	}
	for i < len(line) && line[i] == ' ' {
		i++
	}
	if bytes.HasPrefix(line[i:], utf8BOM) {
		i += len(utf8BOM)
	}
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	ev.Message = s[i:]
	if sev >= 0 {
		ev.Level = syslogSeverity(sev)
	} else {
		ev.Level = sdLevel
	}
	return Start
}

// structuredData reads SD elements starting at line[i] == '['. It returns
// the index after them and a level named by a "level" or "severity"
// parameter. A malformed element ends the structured data where it breaks.
func (d *syslog5424Decoder) structuredData(line []byte, s string, i int, ev *event.Event, n *int) (int, event.Level) {
	lvl := event.LevelNone
	for i < len(line) && line[i] == '[' {
		j := i + 1
		is := j
		for j < len(line) && line[j] != ' ' && line[j] != ']' && line[j] != '"' && line[j] != '=' {
			j++
		}
		if j == is || j >= len(line) {
			return i, lvl
		}
		id := s[is:j]
		for j < len(line) && line[j] == ' ' {
			j++
			ns := j
			for j < len(line) && line[j] != '=' && line[j] != ' ' && line[j] != ']' && line[j] != '"' {
				j++
			}
			if j == ns || j+1 >= len(line) || line[j] != '=' || line[j+1] != '"' {
				return i, lvl
			}
			name := s[ns:j]
			vs := j + 2
			ve, esc, ok := jsonStrEnd(line, vs)
			if !ok {
				return i, lvl
			}
			v := s[vs:ve]
			if esc {
				v = syslog5424Unescape(v)
			}
			if lvl == event.LevelNone && (strings.EqualFold(name, "level") || strings.EqualFold(name, "severity")) {
				lvl = LevelOf(v)
			}
			if *n < syslog5424MaxSD && v != "" && !d.skimming {
				ev.Fields = append(ev.Fields, event.Field{Key: d.sdKey(id, name), Value: structuredCap(v)})
				*n++
			}
			j = ve + 1
		}
		if j >= len(line) || line[j] != ']' {
			return i, lvl
		}
		i = j + 1
	}
	return i, lvl
}

// sdKey is the field key of an SD parameter: sd_<id>_<param>, snake_case.
func (d *syslog5424Decoder) sdKey(id, name string) string {
	d.keyBuf = append(append(append(d.keyBuf[:0], id...), 0), name...)
	if k, ok := d.sdKeys[string(d.keyBuf)]; ok {
		return k
	}
	k := strings.ReplaceAll(structuredSnake("sd_"+id+"_"+name), ".", "_")
	if len(d.sdKeys) < 1024 {
		d.sdKeys[string(d.keyBuf)] = k
	}
	return k
}

// syslog5424Unescape undoes the \" \\ \] escapes of a PARAM-VALUE.
func syslog5424Unescape(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) && (v[i+1] == '"' || v[i+1] == '\\' || v[i+1] == ']') {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}
