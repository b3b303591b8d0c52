package parse

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// JSON lines: one object per line as zap, logrus, slog, bunyan, pino, ECS
// loggers, log4j2's JsonLayout, journalctl -o json, Docker's json-file
// driver and Elasticsearch write. The decoder scans each line once with a
// small byte scanner (no map[string]any, no reflection); what each key
// means (time, level, message, a field and its snake_case name) is worked
// out once per key per input and cached, and the time layout is learned
// from the first value and reused.
//
// Multi-line records: a line starting with '{' whose braces do not balance
// opens a record that the following lines continue until they do
// (pretty-printed objects, Elasticsearch's JSON stack traces); then the
// whole record is parsed again. A record that breaks (a line ending inside
// a string, a closing brace too many, a new top-level '{', or more than
// jsonMaxLines lines) stops there, so a truncated record cannot swallow
// the rest of the file.

const (
	jsonMaxDepth = 4         // nested objects flattened into dotted fields
	jsonMaxLines = 2000      // lines one multi-line record may span
	jsonMaxBytes = 512 << 10 // bytes one multi-line record may span
	jsonMaxKeys  = 4096      // distinct key paths cached per input
)

func init() {
	Register(&Format{
		ID:          "json",
		Description: "JSON lines: zap, logrus, slog, bunyan, pino, ECS, log4j2 JsonLayout, journald, Docker json-file, Elasticsearch; multi-line objects fold",
		Example: `{"level":"error","ts":1692080537.1234567,"logger":"db","caller":"db/pool.go:87","msg":"connect failed","error":"dial tcp 10.0.3.7:3306: connect: connection refused"}` + "\n" +
			`{"time":"2023-08-15T14:22:18.456789+08:00","level":"INFO","msg":"retrying","attempt":2}`,
		Specificity: 10,
		New:         func(ctx *Context) Decoder { return newJSONDecoder(ctx) },
	})
}

// Roles of a key.
const (
	jsonRoleField uint8 = iota
	jsonRoleSkip
	jsonRoleTime
	jsonRoleLevel
	jsonRoleMsg
	jsonRoleStack
	jsonRoleSec  // log4j2 instant.epochSecond
	jsonRoleNano // log4j2 instant.nanoOfSecond
)

// jsonKey is what one key path means in this input.
type jsonKey struct {
	role   uint8
	prio   int8
	python bool   // a numeric level on Python's scale (levelno)
	mongo  bool   // MongoDB's one-letter severity
	field  string // field key, or "" for none
	known  bool   // field is a well-known key
	docker bool   // the "log" key of Docker's json-file driver
	stream bool   // the "stream" key (stdout/stderr)
	skim   bool   // field is one a skim keeps (skimField)
}

// jsonCand is one value found for a role in the current record.
type jsonCand struct {
	id     int32 // key id, -1 when uncached
	prio   int8
	set    bool
	str    bool // a string value; vs..ve exclude the quotes
	esc    bool // the string has backslash escapes
	vs, ve int
}

// jsonRec collects one record's values during the scan.
type jsonRec struct {
	times   [4]jsonCand
	nt      int
	level   jsonCand
	levelPy bool
	levelMg bool
	msg     jsonCand
	msgLog  bool // the message came from Docker's "log" key
	stack   jsonCand
	sec     jsonCand
	nano    jsonCand
	stream  jsonCand
	generic int
}

type jsonDecoder struct {
	loc     *time.Location
	modTime time.Time
	times   structuredTime
	keyIdx  map[string]int32
	keys    []jsonKey
	paths   []string  // key path by id
	seq     []jsonSeq // keys by position in the previous record
	ord     int       // position of the next key in the current record
	tmpKey  jsonKey
	path    []byte
	rec     jsonRec

	fieldHint int   // fields records of this input tend to have
	timeID    int32 // learned time key, -1 until the first record
	lastTime  time.Time

	// open multi-line record
	open     bool
	depth    int
	lines    int
	objStart int
	buf      []byte
	inferred bool // the open record started with a borrowed time

	// Docker json-file continuation folding
	lastDocker bool
	lastStream string
	inner      *jsonDecoder // for JSON a container wrote

	skimming  bool          // a skim reads the record: only skimField's fields are added
	skimState jsonTimeState // what the last skim would have set (see skimmed)
}

// jsonTimeState is the decoder state that reading a record's time sets
// and a later record's time depends on: the learned time key, the last
// time, and structuredTime's learned layout, misses and year (its stamp
// cache is only a cache).
type jsonTimeState struct {
	timeID   int32
	lastTime time.Time
	kind     uint8
	layout   string
	zoned    bool
	prec     int
	misses   int
	years    yearInfer
}

// timeState returns the decoder's jsonTimeState.
func (d *jsonDecoder) timeState() jsonTimeState {
	t := &d.times
	return jsonTimeState{d.timeID, d.lastTime, t.kind, t.layout, t.zoned, t.prec, t.misses, t.years}
}

// setTimeState sets the decoder's jsonTimeState to s.
func (d *jsonDecoder) setTimeState(s *jsonTimeState) {
	t := &d.times
	d.timeID, d.lastTime = s.timeID, s.lastTime
	t.kind, t.layout, t.zoned, t.prec, t.misses, t.years = s.kind, s.layout, s.zoned, s.prec, s.misses, s.years
}

func newJSONDecoder(ctx *Context) *jsonDecoder {
	return &jsonDecoder{
		loc:     ctx.Loc,
		modTime: ctx.ModTime,
		times:   structuredTime{loc: ctx.Loc, years: yearInfer{ref: ctx.ModTime}},
		keyIdx:  map[string]int32{},
		timeID:  -1,
	}
}

// Scan results.
const (
	jsonDone uint8 = iota
	jsonTrunc
	jsonBad
)

func (d *jsonDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if d.open {
		if cur == nil {
			d.open = false
		} else if len(line) > 0 && line[0] != '{' {
			if v := d.continueRecord(line, cur); v != Reject {
				return v
			}
		} else {
			d.open = false // a new top-level object: the open one was broken
		}
	}
	start := 0
	prefix := ""
	if len(line) == 0 {
		d.lastDocker = false
		return Reject
	}
	if line[0] != '{' {
		if start = jsonComposePrefix(line); start < 0 {
			d.lastDocker = false
			return Reject
		}
		prefix = strings.TrimRight(ev.Raw[:start], " |")
	}
	d.rec = jsonRec{}
	d.path = d.path[:0]
	d.ord = 0
	if d.fieldHint > 0 {
		reserveFields(ev, d.fieldHint)
	}
	end, st := d.walk(line, ev.Raw, start, 0, ev)
	if n := len(ev.Fields) + 2; n > d.fieldHint && n <= structuredMaxFields+16 {
		d.fieldHint = n
	}
	if st == jsonBad {
		ev.Fields = ev.Fields[:0]
		d.lastDocker = false
		return Reject
	}
	hasTime := d.finish(line, ev.Raw, start, end, st == jsonDone, ev)
	if prefix != "" {
		structuredAdd(ev, "container", prefix, true, &d.rec.generic)
	}
	opening, depth := false, 0
	if st == jsonTrunc {
		var inStr bool
		depth, inStr = jsonDepth(line[start:], 0)
		opening = !inStr && depth > 0
	}
	if !opening {
		if !hasTime {
			ev.Fields = ev.Fields[:0]
			d.lastDocker = false
			return Reject
		}
		if v, ok := d.dockerFold(ev, cur); ok {
			return v
		}
		if d.rec.msgLog && d.rec.stream.set {
			d.dockerInner(line, ev)
		}
		return Start
	}
	// A multi-line record opens here.
	if !hasTime {
		t := d.lastTime
		if t.IsZero() {
			t = d.modTime.UTC()
		}
		if t.IsZero() {
			ev.Fields = ev.Fields[:0]
			return Reject
		}
		ev.Time, ev.Precision, ev.Zoned = t, 0, true
		d.inferred = true
	} else {
		d.inferred = false
	}
	d.open, d.lines, d.objStart, d.depth = true, 1, start, depth
	d.buf = append(d.buf[:0], line...)
	d.lastDocker = false
	return Start
}

// skim reads a record of one line that starts with '{' as Decode does,
// message included (the classifier reads a JSON record's message, not
// only its level), but of its fields only those skimField names. A line while a multi-line record
// is open, one that opens such a record (that later lines may continue),
// one with a compose prefix, and a Docker json-file record (the next one
// may fold into it) are not skimmed. The time state Decode would set is
// kept for skimmed; the decoder's own is left as it was.
func (d *jsonDecoder) skim(line []byte, ev *event.Event) bool {
	if d.open || len(line) == 0 || line[0] != '{' {
		return false
	}
	d.rec = jsonRec{}
	d.path = d.path[:0]
	d.ord = 0
	d.skimming = true
	end, st := d.walk(line, ev.Raw, 0, 0, ev) // sets no time state: finish does
	d.skimming = false
	if st == jsonBad {
		return false
	}
	if st == jsonTrunc {
		if depth, inStr := jsonDepth(line, 0); !inStr && depth > 0 {
			return false // opens a multi-line record
		}
	}
	saved := d.timeState()
	ok := d.finish(line, ev.Raw, 0, end, st == jsonDone, ev) && !(d.rec.msgLog && d.rec.stream.set)
	if ok {
		d.skimState = d.timeState()
	}
	d.setTimeState(&saved)
	return ok
}

// skimmed sets what Decode sets for a record skim read.
func (d *jsonDecoder) skimmed() {
	d.setTimeState(&d.skimState)
	d.lastDocker = false
}

// whole is false: skim reads only the fields a plain record is counted by.
func (d *jsonDecoder) whole() bool { return false }

// continueRecord handles a line while a multi-line record is open.
func (d *jsonDecoder) continueRecord(line []byte, cur *event.Event) Verdict {
	depth, inStr := jsonDepth(line, d.depth)
	if !jsonContinuationStart(line) || inStr || depth < 0 || d.lines >= jsonMaxLines || len(d.buf)+len(line) >= jsonMaxBytes {
		d.open = false
		if d.inferred {
			cur.Set("time_inferred", "true")
		}
		return Reject
	}
	d.buf = append(d.buf, '\n')
	d.buf = append(d.buf, line...)
	d.lines++
	d.depth = depth
	if depth == 0 {
		d.open = false
		d.complete(cur)
	}
	return Absorb
}

// jsonContinuationStart reports a line that can continue a JSON value: it
// starts, after indentation, with a JSON token.
func jsonContinuationStart(b []byte) bool {
	i := jsonWS(b, 0)
	if i >= len(b) {
		return true // a blank line inside a value
	}
	switch c := b[i]; {
	case c == '"', c == '{', c == '}', c == '[', c == ']', c == ',', c == ':', c == '-', isDigit(c):
		return true
	case c == 't':
		return bytes.HasPrefix(b[i:], []byte("true"))
	case c == 'f':
		return bytes.HasPrefix(b[i:], []byte("false"))
	case c == 'n':
		return bytes.HasPrefix(b[i:], []byte("null"))
	}
	return false
}

// complete parses a finished multi-line record and updates the open event.
func (d *jsonDecoder) complete(cur *event.Event) {
	s := string(d.buf)
	var fresh event.Event
	d.rec = jsonRec{}
	d.path = d.path[:0]
	d.ord = 0
	end, st := d.walk(d.buf, s, d.objStart, 0, &fresh)
	if st == jsonBad {
		return
	}
	if d.finish(d.buf, s, d.objStart, end, st == jsonDone, &fresh) {
		cur.Time, cur.Precision, cur.Zoned = fresh.Time, fresh.Precision, fresh.Zoned
	} else if d.inferred {
		cur.Set("time_inferred", "true")
	}
	if fresh.Level != event.LevelNone {
		cur.Level = fresh.Level
	}
	cur.Message = fresh.Message
	for _, f := range fresh.Fields {
		if _, ok := cur.Get(f.Key); !ok {
			cur.Fields = append(cur.Fields, f)
		}
	}
}

// dockerFold folds a Docker json-file record into the previous one when it
// continues it: its text starts with whitespace (a stack frame, an indented
// line) or "Caused by:", on the same stream.
func (d *jsonDecoder) dockerFold(ev *event.Event, cur *event.Event) (Verdict, bool) {
	r := &d.rec
	if !r.msgLog || !r.stream.set {
		d.lastDocker = false
		return 0, false
	}
	stream := ev.Raw[r.stream.vs:r.stream.ve]
	prev, prevStream := d.lastDocker, d.lastStream
	d.lastDocker, d.lastStream = true, stream
	if !prev || cur == nil || stream != prevStream {
		return 0, false
	}
	raw := ev.Raw[r.msg.vs:r.msg.ve]
	if !(strings.HasPrefix(raw, " ") || strings.HasPrefix(raw, `\t`) || strings.HasPrefix(raw, "Caused by: ")) {
		return 0, false
	}
	if len(cur.Message)+len(ev.Message) < maxEventBytes {
		cur.Message += "\n" + ev.Message
	}
	return Absorb, true
}

// dockerInner reads the text a container wrote for a level: a JSON line's
// level, message and fields (the Docker time stays), or a leading level word
// (after a leading timestamp) of a text line.
func (d *jsonDecoder) dockerInner(line []byte, ev *event.Event) {
	m := ev.Message
	var b []byte
	if r := &d.rec; !r.msg.esc {
		b = line[r.msg.vs : r.msg.vs+len(m)]
	} else {
		b = []byte(m)
	}
	if len(m) < 2 || m[0] != '{' {
		ev.Level = structuredTextLevel(b, m)
		return
	}
	if d.inner == nil {
		d.inner = newJSONDecoder(&Context{Loc: d.loc, ModTime: d.modTime})
	}
	j := d.inner
	j.rec, j.path, j.ord = jsonRec{}, j.path[:0], 0
	n := len(ev.Fields)
	end, st := j.walk(b, m, 0, 0, ev)
	if st == jsonBad {
		ev.Fields = ev.Fields[:n]
		return
	}
	scratch := event.Event{Fields: ev.Fields}
	j.finish(b, m, 0, end, st == jsonDone, &scratch)
	ev.Fields, ev.Level = scratch.Fields, scratch.Level
	if j.rec.msg.set {
		ev.Message = scratch.Message
	}
}

// structuredTextLevel finds a level word at the start of a text message, or
// after a leading ISO timestamp: "ERROR ...", "[warn] ...",
// "2023-08-15 06:22:17.123 INFO [main] ...". b holds the bytes of s.
func structuredTextLevel(b []byte, s string) event.Level {
	i := 0
	if len(b) > 0 && isDigit(b[0]) {
		st, ok := parseISO(b, time.UTC)
		if !ok {
			return event.LevelNone
		}
		i = st.n
	}
	_, lvl := restAndLevel(s, i)
	return lvl
}

// jsonComposePrefix recognizes docker compose's "service  | " prefix before
// the object and returns the index of its '{', or -1.
func jsonComposePrefix(b []byte) int {
	i := 0
	for i < len(b) && i < 64 && (isLetter(b[i]) || isDigit(b[i]) || b[i] == '_' || b[i] == '-' || b[i] == '.') {
		i++
	}
	if i == 0 || i >= len(b) || b[i] != ' ' {
		return -1
	}
	for i < len(b) && b[i] == ' ' {
		i++
	}
	if i+2 < len(b) && b[i] == '|' && b[i+1] == ' ' && b[i+2] == '{' {
		return i + 2
	}
	return -1
}

// jsonWS skips JSON whitespace from b[i]. A byte above ' ' is tested first:
// that ends the common call at once.
func jsonWS(b []byte, i int) int {
	for i < len(b) && b[i] <= ' ' && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// jsonStrEnd finds the closing quote of a string whose body starts at b[i].
// It returns its index, whether the body has escapes, and false when the
// input ends first. Words of eight bytes are tested for a quote or a
// backslash at once (a byte loop cost ~17 instructions a byte); a string
// without escapes that ends within jsonStrWords words is done here (keys
// and most values), the rest goes on in jsonStrEndSlow. Kept small so
// that PGO inlines it (cost 163: over the plain budget).
func jsonStrEnd(b []byte, i int) (int, bool, bool) {
	start := i
	for lim := i + 8*jsonStrWords; i+8 <= len(b) && i < lim; i += 8 {
		if m := jsonStrStops(binary.LittleEndian.Uint64(b[i:])); m != 0 {
			if i += bits.TrailingZeros64(m) >> 3; b[i] == '"' {
				return i, false, true
			}
			break
		}
	}
	return jsonStrEndSlow(b, start, i)
}

// jsonStrWords is how many words of eight bytes jsonStrEnd tests.
const jsonStrWords = 8

// jsonStrStops marks the quotes and backslashes among the eight bytes of a
// little-endian word: the lowest set bit of the result is the high bit of
// the first such byte (a byte equals c where w^c has a zero byte; bits above
// the first zero byte may be wrong, those below it are not).
func jsonStrStops(w uint64) uint64 {
	return swarZeros(w^(swarOnes*'"')) | swarZeros(w^(swarOnes*'\\'))
}

// jsonStrEndSlow goes on with jsonStrEnd's search at b[i] for a string
// whose body starts at b[start]; b[start:i] holds no quote or backslash.
func jsonStrEndSlow(b []byte, start, i int) (int, bool, bool) {
	esc := false
	for lim := min(len(b), i+24); i < lim; i++ {
		switch b[i] {
		case '"':
			return i, esc, true
		case '\\':
			esc = true
			i++
		}
	}
	for i < len(b) {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return len(b), esc || bytes.IndexByte(b[start:], '\\') >= 0, false
		}
		k := i + j
		n := 0
		for p := k - 1; p >= start && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return k, esc || bytes.IndexByte(b[start:k], '\\') >= 0, true
		}
		i, esc = k+1, true // the quote is escaped: the string has an escape
	}
	// Input ends in a string, after an escaped quote (esc) or in the byte
	// loop, which then read all of it.
	return len(b), esc, false
}

// jsonSkip skips the object or array starting at b[i]. It returns the index
// after it, or false when the input ends first.
func jsonSkip(b []byte, i int) (int, bool) {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			end, _, ok := jsonStrEnd(b, i+1)
			if !ok {
				return len(b), false
			}
			i = end
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		}
		i++
	}
	return len(b), false
}

// jsonDepth scans a line for braces and brackets outside strings, starting
// at the given depth. It returns the depth at the end of the line, and
// whether the line ends inside a string. A depth below zero means more
// closers than openers.
func jsonDepth(b []byte, depth int) (int, bool) {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			end, _, ok := jsonStrEnd(b, i+1)
			if !ok {
				return depth, true
			}
			i = end
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				return depth, false
			}
		}
	}
	return depth, false
}

// walk reads the members of the object whose '{' is at b[i], reporting
// each scalar (and the arrays that matter) to leaf. s holds the same bytes
// as b. It returns the index after the closing '}' and a scan result.
func (d *jsonDecoder) walk(b []byte, s string, i int, depth int, ev *event.Event) (int, uint8) {
	i++
	for {
		i = jsonWS(b, i)
		if i >= len(b) {
			return i, jsonTrunc
		}
		switch b[i] {
		case '}':
			return i + 1, jsonDone
		case ',':
			i++
			continue
		case '"':
		default:
			return i, jsonBad
		}
		ks := i + 1
		ke, _, ok := jsonStrEnd(b, ks)
		if !ok {
			return len(b), jsonTrunc
		}
		// Compact JSON has no whitespace around the colon: look first.
		if i = ke + 1; i >= len(b) || b[i] != ':' {
			if i = jsonWS(b, i); i >= len(b) {
				return i, jsonTrunc
			}
			if b[i] != ':' {
				return i, jsonBad
			}
		}
		if i++; i >= len(b) || b[i] <= ' ' {
			if i = jsonWS(b, i); i >= len(b) {
				return i, jsonTrunc
			}
		}
		key := b[ks:ke]
		switch c := b[i]; {
		case c == '"':
			vs := i + 1
			ve, esc, ok := jsonStrEnd(b, vs)
			d.leaf(key, s, vs, ve, true, esc, ev)
			if !ok {
				return len(b), jsonTrunc
			}
			i = ve + 1
		case c == '{':
			if depth < jsonMaxDepth {
				pl := len(d.path)
				d.path = append(append(d.path, key...), '.')
				end, st := d.walk(b, s, i, depth+1, ev)
				d.path = d.path[:pl]
				if st != jsonDone {
					return end, st
				}
				i = end
			} else {
				end, ok := jsonSkip(b, i)
				if !ok {
					return end, jsonTrunc
				}
				i = end
			}
		case c == '[':
			end, ok := jsonSkip(b, i)
			id, k := d.lookup(key)
			if ok && k.role == jsonRoleStack && !d.rec.stack.set {
				d.rec.stack = jsonCand{id: id, set: true, vs: i, ve: end}
			}
			if !ok {
				return end, jsonTrunc
			}
			i = end
		default:
			vs := i
			for i < len(b) && !jsonScalarEnd[b[i]] {
				i++
			}
			if !(c == '-' || isDigit(c) || c == 't' || c == 'f' || c == 'n') {
				return i, jsonBad
			}
			if c != 'n' { // null carries nothing
				d.leaf(key, s, vs, i, false, false, ev)
			}
		}
	}
}

// jsonScalarEnd marks the bytes that end a number, true, false or null.
var jsonScalarEnd = func() (t [256]bool) {
	for _, c := range []byte(",}] \t\r\n") {
		t[c] = true
	}
	return t
}()

// lookup returns the id and meaning of the key path d.path+key (d.path
// holds the parent keys, each followed by a dot). Records of one input
// mostly repeat their keys in the same order, so the key at the same
// position of the previous record is tried before the map, compared in two
// parts: the path is put together only when that fails.
func (d *jsonDecoder) lookup(key []byte) (int32, *jsonKey) {
	pos := d.ord
	d.ord++
	pl := len(d.path)
	if pos < len(d.seq) {
		if e := &d.seq[pos]; len(e.path) == pl+len(key) && e.path[pl:] == string(key) && (pl == 0 || e.path[:pl] == string(d.path)) {
			return e.id, &d.keys[e.id]
		}
	}
	d.path = append(d.path, key...)
	id, k := d.lookupPath(pos)
	d.path = d.path[:pl]
	return id, k
}

// lookupPath finds or classifies the key path in d.path, and remembers it
// for position pos.
func (d *jsonDecoder) lookupPath(pos int) (int32, *jsonKey) {
	id, ok := d.keyIdx[string(d.path)]
	if !ok {
		k := jsonClassify(string(d.path))
		k.skim = skimField(k.field)
		if len(d.keys) >= jsonMaxKeys {
			d.tmpKey = k
			return -1, &d.tmpKey
		}
		id = int32(len(d.keys))
		d.keys = append(d.keys, k)
		d.keyIdx[string(d.path)] = id
	}
	if pos < 64 {
		e := jsonSeq{path: d.keyPath(id), id: id}
		if pos < len(d.seq) {
			d.seq[pos] = e
		} else if pos == len(d.seq) {
			d.seq = append(d.seq, e)
		}
	}
	return id, &d.keys[id]
}

// keyPath returns the cached path string of a key id.
func (d *jsonDecoder) keyPath(id int32) string {
	for len(d.paths) <= int(id) {
		d.paths = append(d.paths, "")
	}
	if d.paths[id] == "" {
		d.paths[id] = string(d.path)
	}
	return d.paths[id]
}

// jsonSeq is a key seen at one position of a record.
type jsonSeq struct {
	path string
	id   int32
}

// leaf handles one scalar value of a key under d.path. A candidate for a
// role is made only for a key that has one: most keys are plain fields.
func (d *jsonDecoder) leaf(key []byte, s string, vs, ve int, str, esc bool, ev *event.Event) {
	id, k := d.lookup(key)
	r := &d.rec
	if k.role != jsonRoleField {
		c := jsonCand{id: id, prio: k.prio, set: true, str: str, esc: esc, vs: vs, ve: ve}
		switch k.role {
		case jsonRoleSkip:
			return
		case jsonRoleTime:
			if r.nt < len(r.times) {
				r.times[r.nt] = c
				r.nt++
			}
			return
		case jsonRoleSec:
			r.sec = c
			return
		case jsonRoleNano:
			r.nano = c
			return
		case jsonRoleLevel:
			if !r.level.set || c.prio < r.level.prio {
				r.level, r.levelPy, r.levelMg = c, k.python, k.mongo
			}
			return
		case jsonRoleMsg:
			if str && (!r.msg.set || c.prio < r.msg.prio) {
				r.msg, r.msgLog = c, k.docker
			}
		case jsonRoleStack:
			if str && !r.stack.set {
				r.stack = c
			}
			return
		}
	}
	if k.stream && str {
		r.stream = jsonCand{id: id, prio: k.prio, set: true, str: str, esc: esc, vs: vs, ve: ve}
	}
	if k.field == "" {
		return
	}
	v := s[vs:ve]
	if esc {
		if len(v) > 4*structuredMaxValue {
			v = v[:4*structuredMaxValue]
		}
		v = structuredUnescapeJSON(v)
	}
	if d.skimming && !k.skim {
		// left out, but counted as structuredAdd counts it: a generic
		// field a skim keeps is kept only under the same cap
		if !k.known && v != "" && v != "-" && r.generic < structuredMaxFields {
			r.generic++
		}
		return
	}
	structuredAdd(ev, k.field, v, k.known, &r.generic)
}

// finish settles time, level and message of a scanned record. It reports
// whether the record has a time.
func (d *jsonDecoder) finish(b []byte, s string, objStart, objEnd int, complete bool, ev *event.Event) bool {
	r := &d.rec
	// Time: the learned key first, then the others by priority.
	var st stamp
	found := false
	usedID := int32(-1)
	for !found {
		best := -1
		for j := 0; j < r.nt; j++ {
			c := &r.times[j]
			if !c.set {
				continue
			}
			if d.timeID >= 0 && c.id == d.timeID {
				best = j
				break
			}
			if best < 0 || c.prio < r.times[best].prio {
				best = j
			}
		}
		if best < 0 {
			break
		}
		c := &r.times[best]
		c.set = false
		if st, found = d.times.parse(b[c.vs:c.ve]); found {
			usedID = c.id
		}
	}
	if !found && r.sec.set {
		if sec, ok := jsonInt(b[r.sec.vs:r.sec.ve]); ok && sec > 0 && sec < 7258118400 {
			var ns int64
			if r.nano.set {
				ns, _ = jsonInt(b[r.nano.vs:r.nano.ve])
				if ns < 0 || ns >= 1e9 {
					ns = 0
				}
			}
			st = stamp{t: time.Unix(sec, ns).UTC(), prec: 9, zoned: true}
			found = true
			usedID = r.sec.id
		}
	}
	if found {
		st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
		d.timeID = usedID
		d.lastTime = st.t
	}
	// Level.
	if r.level.set {
		v := b[r.level.vs:r.level.ve]
		if r.levelMg {
			ev.Level = jsonMongoLevel(v)
		} else if lvl, ok := levelWord(bytes.TrimSpace(v)); ok {
			ev.Level = lvl
		} else if len(v) > 0 && isDigit(v[0]) {
			ev.Level = structuredNumLevel(v, r.levelPy)
		}
	}
	if ev.Level == event.LevelNone {
		if st, ok := ev.Get("status"); ok && structuredHTTPStatus(st) {
			ev.Level = httpLevel(st)
		}
	}
	// Message.
	if r.msg.set {
		m := s[r.msg.vs:r.msg.ve]
		if r.msg.esc {
			m = structuredUnescapeJSON(m)
		}
		ev.Message = strings.TrimRight(m, "\r\n")
	} else if complete {
		ev.Message = s[objStart:objEnd]
	} else {
		ev.Message = s[objStart:]
	}
	if r.stack.set {
		if trace := jsonStackText(s, r.stack); trace != "" {
			ev.Message += "\n" + trace
		}
	}
	return found
}

// jsonMongoLevel maps MongoDB's severity letters.
func jsonMongoLevel(v []byte) event.Level {
	if len(v) == 0 || len(v) > 2 {
		return event.LevelNone
	}
	switch v[0] {
	case 'F':
		return event.LevelFatal
	case 'E':
		return event.LevelError
	case 'W':
		return event.LevelWarn
	case 'I':
		return event.LevelInfo
	case 'D':
		return event.LevelDebug
	}
	return event.LevelNone
}

// jsonStackText returns a stack trace value: a string, or an array of
// strings joined with newlines.
func jsonStackText(s string, c jsonCand) string {
	if c.str {
		v := s[c.vs:c.ve]
		if c.esc {
			v = structuredUnescapeJSON(v)
		}
		return strings.TrimRight(v, "\r\n")
	}
	var sb strings.Builder
	b := s[c.vs:c.ve]
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		end, esc, ok := jsonStrEnd([]byte(b), i+1) // rare: stack arrays only
		if !ok {
			break
		}
		v := b[i+1 : end]
		if esc {
			v = structuredUnescapeJSON(v)
		}
		if sb.Len() > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(v)
		i = end
	}
	return sb.String()
}

// jsonInt reads a JSON integer (a fraction is ignored).
func jsonInt(b []byte) (int64, bool) {
	var n int64
	i := 0
	for i < len(b) && isDigit(b[i]) && i < 18 {
		n = n*10 + int64(b[i]-'0')
		i++
	}
	return n, i > 0
}

// jsonClassify works out what a key path means.
func jsonClassify(path string) jsonKey {
	low := strings.ToLower(path)
	if strings.HasPrefix(low, "@fields.") { // logstash's old event schema
		low, path = low[8:], path[8:]
	}
	switch low {
	case "@timestamp":
		return jsonKey{role: jsonRoleTime, prio: 0}
	case "time":
		return jsonKey{role: jsonRoleTime, prio: 1}
	case "ts":
		return jsonKey{role: jsonRoleTime, prio: 2}
	case "timestamp":
		return jsonKey{role: jsonRoleTime, prio: 3}
	case "@t":
		return jsonKey{role: jsonRoleTime, prio: 4}
	case "t", "t.$date": // MongoDB: "t":{"$date":"..."}
		return jsonKey{role: jsonRoleTime, prio: 5}
	case "datetime", "date_time":
		return jsonKey{role: jsonRoleTime, prio: 6}
	case "__realtime_timestamp":
		return jsonKey{role: jsonRoleTime, prio: 7}
	case "timemillis", "time_millis", "timestamp_ms":
		return jsonKey{role: jsonRoleTime, prio: 8}
	case "instant.epochsecond":
		return jsonKey{role: jsonRoleSec}
	case "instant.nanoofsecond":
		return jsonKey{role: jsonRoleNano}
	case "date":
		return jsonKey{role: jsonRoleTime, prio: 10}
	case "started_at", "start_time", "starttime":
		return jsonKey{role: jsonRoleTime, prio: 11}
	case "eventtime", "event_time", "logtime", "log_time", "time_local", "time_iso8601":
		return jsonKey{role: jsonRoleTime, prio: 12}
	case "asctime", "created", "created_at":
		return jsonKey{role: jsonRoleTime, prio: 13}

	case "level":
		return jsonKey{role: jsonRoleLevel, prio: 0}
	case "lvl":
		return jsonKey{role: jsonRoleLevel, prio: 1}
	case "severity":
		return jsonKey{role: jsonRoleLevel, prio: 2}
	case "log.level":
		return jsonKey{role: jsonRoleLevel, prio: 3}
	case "loglevel", "log_level", "levelname", "level_name", "@l", "severitytext", "severity_text":
		return jsonKey{role: jsonRoleLevel, prio: 4}
	case "priority": // journald: a syslog severity
		return jsonKey{role: jsonRoleLevel, prio: 5}
	case "levelno":
		return jsonKey{role: jsonRoleLevel, prio: 6, python: true}
	case "s": // MongoDB: F, E, W, I, D1..D5
		return jsonKey{role: jsonRoleLevel, prio: 7, mongo: true}

	case "msg":
		return jsonKey{role: jsonRoleMsg, prio: 0}
	case "message":
		return jsonKey{role: jsonRoleMsg, prio: 1}
	case "@message", "@m", "@mt":
		return jsonKey{role: jsonRoleMsg, prio: 2}
	case "log":
		return jsonKey{role: jsonRoleMsg, prio: 3, docker: true}
	case "fields.message", "logevent.message", "body", "textpayload", "short_message":
		return jsonKey{role: jsonRoleMsg, prio: 4}
	case "event":
		return jsonKey{role: jsonRoleMsg, prio: 5}
	case "error", "err":
		return jsonKey{role: jsonRoleMsg, prio: 6, field: "error", known: true}

	case "stacktrace", "stack_trace", "stack", "exception", "exc_info", "error.stack_trace", "error.stack",
		"err.stack", "exception.stacktrace", "exception.stack_trace", "thrown.extendedstacktrace":
		return jsonKey{role: jsonRoleStack}

	case "stream":
		return jsonKey{field: "stream", known: true, stream: true}
	case "name": // bunyan's logger name
		return jsonKey{field: "logger", known: true}
	}
	if structuredSkipKey(low) {
		return jsonKey{role: jsonRoleSkip}
	}
	if wk := structuredWellKnown(low); wk != "" {
		return jsonKey{field: wk, known: true}
	}
	f := structuredSnake(path)
	return jsonKey{field: f, known: structuredKnownTarget(f)}
}
