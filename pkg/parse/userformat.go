package parse

// User-defined formats: formats described in a YAML or JSON file (see
// docs/formats-file.md) instead of compiled in. Each one is a regular
// expression with named groups (time, level, message, any other group
// becomes a field), an optional time layout, zone and level words, and
// sample lines that are decoded when the file loads.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rca-dev/rca/pkg/event"
	"gopkg.in/yaml.v3"
)

// Limits on a formats file. Go regexps are RE2 (linear time, no
// backtracking), so a user regex cannot blow up on a hostile line; these
// caps bound the work a file can ask for.
const (
	MaxFormatsFileSize = 1 << 20 // bytes
	MaxFormatsPerFile  = 256
	MaxUserRegexLen    = 4096 // bytes of regex source
	maxUserSamples     = 100  // samples per format
	maxUserIDLen       = 64
	maxUserSpecificity = 100

	// DefaultUserSpecificity is the detection specificity of a user format
	// that does not set one: above product formats (20), so a user format
	// wins detection on lines a built-in format reads just as well.
	DefaultUserSpecificity = 100
)

// FormatsFileError is a problem in a formats file. Error() reads
// "path:line: format "id": problem", leaving out what is unknown.
type FormatsFileError struct {
	Path string
	Line int    // 1-based; 0 when the problem has no one line
	ID   string // the format's id; "" for file-level problems
	Msg  string
}

func (e *FormatsFileError) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.ID != "" {
		fmt.Fprintf(&b, "format %q: ", e.ID)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// userSpec is one format as the file writes it.
type userSpec struct {
	ID          string            `yaml:"id"`
	Description string            `yaml:"description"`
	Regex       string            `yaml:"regex"`
	TimeLayout  string            `yaml:"time_layout"`
	Epoch       string            `yaml:"epoch"`
	Timezone    string            `yaml:"timezone"`
	Multiline   bool              `yaml:"multiline"`
	NoFallback  bool              `yaml:"no_fallback"`
	Specificity *int              `yaml:"specificity"`
	LevelMap    map[string]string `yaml:"level_map"`
	Samples     []string          `yaml:"samples"`
}

var userKeys = []string{"id", "description", "regex", "time_layout", "epoch", "timezone", "multiline", "no_fallback", "specificity", "level_map", "samples"}

// userKeyHints maps keys people write by habit to the one meant.
var userKeyHints = map[string]string{
	"name": "id", "pattern": "regex", "regexp": "regex", "re": "regex",
	"layout": "time_layout", "time_format": "time_layout", "timestamp_layout": "time_layout", "timestamp_format": "time_layout", "format": "time_layout",
	"tz": "timezone", "zone": "timezone", "time_zone": "timezone", "location": "timezone",
	"levels": "level_map", "level_words": "level_map", "levelmap": "level_map",
	"example": "samples", "examples": "samples", "sample": "samples", "lines": "samples",
	"priority": "specificity", "fallback": "no_fallback", "multi_line": "multiline",
	"desc": "description", "unix": "epoch", "epoch_unit": "epoch",
}

var userIDRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// userCompiled is everything a user format's decoders share.
type userCompiled struct {
	id     string
	re     *regexp.Regexp // as written
	fast   *regexp.Regexp // re without a tail that matches the rest of any line
	filter userPrefilter
	// tail: fast lacks re's trailing ".*$" (or "(?P<name>.*)$"), which always
	// matches the rest of a line: a match of fast extends to the line's end
	// and tailGroup (when >= 0) spans from fast's match end to there.
	tail      bool
	tailNoNL  bool // the tail was ".", which does not match '\n'
	tailEnd   bool // the tail ended with "$"
	tailGroup int

	timeGroup   int // capture group index
	levelGroup  int // -1 when absent
	msgGroup    int // -1 when absent
	statusGroup int // a "status" field: the level of an access log without a level group; -1 when absent
	fields      []userField

	layout       string // Go layout; "" to read like the generic format
	layoutYear   bool   // the layout carries a year
	layoutZoned  bool   // the layout carries an offset or zone name
	layoutPrec   int    // fixed fraction digits the layout writes; -1 when variable or none
	epochUnit    int64  // nanoseconds per unit; 0 when not an epoch
	epochName    string // "s", "ms", "us", "ns"
	loc          *time.Location
	levelMap     map[string]event.Level // lower-case keys
	levelMapLong int                    // longest key
}

type userField struct {
	group int
	key   string
}

// userPrefilter is a cheap test every line must pass before the regexp
// runs; it is derived from the regexp, so a line it rejects cannot match.
type userPrefilter struct {
	lit      []byte     // literal the match starts with
	anchored bool       // the match starts at the start of the line
	lineMode bool       // anchored by (?m)^, which also matches after a '\n'
	first    *[256]bool // bytes an anchored match can start with; nil when any
}

func (p *userPrefilter) pass(line []byte) bool {
	if p.lineMode && bytes.IndexByte(line, '\n') >= 0 {
		return true // lines hold no '\n'; should one, leave it to the regexp
	}
	if p.anchored {
		if p.first != nil && (len(line) == 0 || !p.first[line[0]]) {
			return false
		}
		return len(p.lit) == 0 || bytes.HasPrefix(line, p.lit)
	}
	return len(p.lit) == 0 || bytes.Contains(line, p.lit)
}

// userDecoder decodes one input with a user format.
type userDecoder struct {
	c     *userCompiled
	loc   *time.Location
	years yearInfer
	times *timeLearner // when the format has no layout and no epoch
}

func (c *userCompiled) newDecoder(ctx *Context) *userDecoder {
	loc := ctx.Loc
	if c.loc != nil {
		loc = c.loc
	}
	if loc == nil {
		loc = time.UTC
	}
	d := &userDecoder{c: c, loc: loc, years: yearInfer{ref: ctx.ModTime}}
	if c.layout == "" && c.epochUnit == 0 {
		d.times = newTimeLearner(&Context{Loc: loc, ModTime: ctx.ModTime})
	}
	return d
}

// userWhy says why a line was not read; validation turns it into words.
type userWhy uint8

const (
	userOK userWhy = iota
	userNoMatch
	userBadTime
)

func (d *userDecoder) Decode(line []byte, ev *event.Event, _ *event.Event) Verdict {
	v, _ := d.decode(line, ev)
	return v
}

// userMatch is a match of a user format's regex.
type userMatch struct {
	m    []int // capture indexes of fast (of re when full)
	end  int   // end of re's match
	full bool  // m is re's own
}

// match runs the prefilter and the regexp; read groups with group.
func (c *userCompiled) match(line []byte) (userMatch, bool) {
	if !c.filter.pass(line) {
		return userMatch{}, false
	}
	m := c.fast.FindSubmatchIndex(line)
	if m == nil {
		return userMatch{}, false
	}
	end := m[1]
	if c.tail {
		i := -1
		if c.tailNoNL {
			i = bytes.IndexByte(line[end:], '\n')
		}
		switch {
		case i < 0:
			end = len(line)
		case c.tailEnd:
			// ".*$" cannot pass the '\n', so re may match elsewhere or
			// not at all. Lines hold no '\n'; should one, ask re itself.
			if m = c.re.FindSubmatchIndex(line); m == nil {
				return userMatch{}, false
			}
			return userMatch{m: m, end: m[1], full: true}, true
		default:
			end += i
		}
	}
	return userMatch{m: m, end: end}, true
}

// group returns the bounds of re's capture group i (-1, -1 when it did
// not take part in the match).
func (c *userCompiled) group(um userMatch, i int) (int, int) {
	if c.tail && !um.full && i == c.tailGroup {
		return um.m[1], um.end
	}
	return um.m[2*i], um.m[2*i+1]
}

func (d *userDecoder) decode(line []byte, ev *event.Event) (Verdict, userWhy) {
	c := d.c
	m, ok := c.match(line)
	if !ok {
		return Reject, userNoMatch
	}
	end := m.end
	raw := ev.Raw
	if len(raw) != len(line) { // the contract says they are the same bytes; be safe
		raw = string(line)
	}
	ts, te := c.group(m, c.timeGroup)
	if ts < 0 {
		return Reject, userBadTime
	}
	st, ok := d.readTime(raw, line, ts, te)
	if !ok || st.t.IsZero() {
		return Reject, userBadTime
	}
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)

	ev.Level = event.LevelNone
	switch {
	case c.msgGroup >= 0:
		if s, e := c.group(m, c.msgGroup); s >= 0 {
			ev.Message = raw[s:e]
		}
	case c.levelGroup < 0:
		ev.Message, ev.Level = restAndLevel(raw, end)
	default:
		ev.Message = strings.TrimLeft(raw[end:], " \t:-|")
	}
	if c.levelGroup >= 0 {
		if s, e := c.group(m, c.levelGroup); s >= 0 {
			ev.Level = c.level(line[s:e])
		}
	} else if c.statusGroup >= 0 && ev.Level == event.LevelNone {
		if s, e := c.group(m, c.statusGroup); s >= 0 && e-s == 3 && isDigit(line[s]) && isDigit(line[s+1]) && isDigit(line[s+2]) {
			ev.Level = httpLevel(raw[s:e])
		}
	}
	if len(c.fields) > 0 {
		ev.Fields = make([]event.Field, 0, len(c.fields))
		for _, f := range c.fields {
			if s, e := c.group(m, f.group); s >= 0 {
				ev.Set(f.key, raw[s:e])
			}
		}
	}
	return Start, userOK
}

// level maps a level group: the format's level_map first, then the words
// every format knows.
func (c *userCompiled) level(b []byte) event.Level {
	if len(c.levelMap) > 0 && len(b) <= c.levelMapLong {
		var buf [64]byte
		for i, ch := range b {
			if ch >= 'A' && ch <= 'Z' {
				ch += 'a' - 'A'
			}
			buf[i] = ch
		}
		if l, ok := c.levelMap[string(buf[:len(b)])]; ok {
			return l
		}
	}
	l, _ := levelWord(b)
	return l
}

// readTime reads the time group raw[s:e].
func (d *userDecoder) readTime(raw string, line []byte, s, e int) (stamp, bool) {
	c := d.c
	switch {
	case c.epochUnit != 0:
		return userEpoch(line[s:e], c.epochUnit)
	case c.layout != "":
		return d.layoutTime(raw[s:e])
	default:
		if s == e {
			return stamp{}, false
		}
		if isDigit(line[s]) {
			if st, ok := userEpochAuto(line[s:e]); ok {
				return st, true
			}
		}
		st, ok := d.times.prefix(line[s:e])
		if !ok || st.n != e-s {
			return stamp{}, false
		}
		return st, true
	}
}

// userEpochAuto reads a whole group of 10, 13, 16 or 19 digits, with an
// optional fraction, as an epoch number in s, ms, us or ns by its length,
// as the generic format does with a leading epoch.
func userEpochAuto(b []byte) (stamp, bool) {
	st, ok := epochNumber(b)
	if !ok || st.n != len(b) {
		return stamp{}, false
	}
	return st, true
}

func (d *userDecoder) layoutTime(v string) (stamp, bool) {
	c := d.c
	t, err := time.ParseInLocation(c.layout, v, d.loc)
	if err != nil {
		return stamp{}, false
	}
	if !c.layoutYear {
		y := d.years.yearFor(t.Month(), d.loc)
		day := t.Day()
		t = time.Date(y, t.Month(), day, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
		if t.Day() != day { // Feb 29 in a year without one
			return stamp{}, false
		}
	}
	prec := c.layoutPrec
	if prec < 0 {
		prec = userFracDigits(v)
	}
	return stamp{t: t.UTC(), n: len(v), prec: prec, zoned: c.layoutZoned}, true
}

// userFracDigits counts the fraction digits of a clock "...:SS.fff" in v
// (Go's parser accepts a fraction after the seconds the layout did not
// write, so the layout alone does not tell).
func userFracDigits(v string) int {
	for i := len(v) - 1; i >= 3; i-- {
		if (v[i] == '.' || v[i] == ',') && isDigit(v[i-1]) && isDigit(v[i-2]) && v[i-3] == ':' {
			n := 0
			for j := i + 1; j < len(v) && isDigit(v[j]); j++ {
				n++
			}
			if n > 0 {
				return min(n, 9)
			}
		}
	}
	return 0
}

// userEpoch reads "1692080537", "1692080537.123" (seconds and a fraction)
// or "1692080537123" in the given unit. It accepts instants between 1971
// and 2200, as the other epoch readers do.
func userEpoch(b []byte, unit int64) (stamp, bool) {
	i := 0
	var v int64
	for i < len(b) && isDigit(b[i]) {
		if v > (1<<63-1-9)/10 {
			return stamp{}, false
		}
		v = v*10 + int64(b[i]-'0')
		i++
	}
	if i == 0 {
		return stamp{}, false
	}
	var ns int64
	prec := 0
	switch unit {
	case 1e6:
		prec = 3
	case 1e3:
		prec = 6
	case 1:
		prec = 9
	}
	if i < len(b) {
		if (b[i] != '.' && b[i] != ',') || i+1 == len(b) {
			return stamp{}, false
		}
		scale := unit / 10
		for _, ch := range b[i+1:] {
			if !isDigit(ch) {
				return stamp{}, false
			}
			if scale > 0 {
				ns += int64(ch-'0') * scale
				scale /= 10
				prec++
			}
		}
	}
	perSec := int64(1e9) / unit
	sec := v / perSec
	ns += (v % perSec) * unit
	if sec < 31536000 || sec >= 7258118400 { // 1971-01-01 .. 2200-01-01
		return stamp{}, false
	}
	return stamp{t: time.Unix(sec, ns).UTC(), n: len(b), prec: prec, zoned: true}, true
}

var userEpochUnits = map[string]int64{"s": 1e9, "ms": 1e6, "us": 1e3, "ns": 1}

// LoadFormatsFile reads, validates and compiles the formats in a YAML or
// JSON formats file (docs/formats-file.md). Every format's samples are
// decoded and must each give a record start with a time. Errors are
// *FormatsFileError values naming the file, the line, the format and the
// problem. The formats are not registered (see RegisterUserFormats).
func LoadFormatsFile(path string) ([]*Format, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, MaxFormatsFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > MaxFormatsFileSize {
		return nil, &FormatsFileError{Path: path, Msg: fmt.Sprintf("file is larger than %d bytes", MaxFormatsFileSize)}
	}
	return userLoadFormats(path, data)
}

// userLoadFormats is LoadFormatsFile on file contents.
func userLoadFormats(path string, data []byte) ([]*Format, error) {
	ferr := func(line int, id, format string, args ...any) error {
		return &FormatsFileError{Path: path, Line: line, ID: id, Msg: fmt.Sprintf(format, args...)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := 0, strings.TrimPrefix(err.Error(), "yaml: ")
		if _, err := fmt.Sscanf(msg, "line %d: ", &line); err == nil {
			msg = msg[strings.Index(msg, ": ")+2:]
		}
		if strings.Contains(msg, "cannot start any token") && bytes.Contains(data, []byte("\n\t")) {
			msg += " (YAML indents with spaces, not tabs)"
		}
		return nil, ferr(line, "", "%s", msg)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, ferr(0, "", `empty file; want a top-level "formats:" list (see docs/formats-file.md)`)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, ferr(root.Line, "", `want a mapping with one key, "formats:", holding a list of formats`)
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "formats" {
			return nil, ferr(k.Line, "", `unknown top-level key %q; the file holds one key, "formats:", a list of formats`, k.Value)
		}
		list = v
	}
	if list == nil {
		return nil, ferr(root.Line, "", `no "formats:" key`)
	}
	if list.Kind == yaml.ScalarNode && list.Tag == "!!null" {
		return nil, nil
	}
	if list.Kind != yaml.SequenceNode {
		return nil, ferr(list.Line, "", `"formats" must be a list (each item starting with "- id: ...")`)
	}
	if len(list.Content) > MaxFormatsPerFile {
		return nil, ferr(list.Line, "", "%d formats; at most %d per file", len(list.Content), MaxFormatsPerFile)
	}
	var out []*Format
	seen := map[string]int{}
	for i, item := range list.Content {
		f, err := userCompileFormat(path, i+1, item)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[f.ID]; dup {
			return nil, ferr(item.Line, f.ID, "id already used by the format at line %d", prev)
		}
		seen[f.ID] = item.Line
		out = append(out, f)
	}
	return out, nil
}

// userCompileFormat validates one list item and builds its Format.
func userCompileFormat(path string, n int, item *yaml.Node) (*Format, error) {
	id := ""
	ferr := func(line int, format string, args ...any) error {
		e := &FormatsFileError{Path: path, Line: line, ID: id, Msg: fmt.Sprintf(format, args...)}
		if id == "" {
			e.Msg = fmt.Sprintf("format #%d: %s", n, e.Msg)
		}
		return e
	}
	if item.Kind != yaml.MappingNode {
		return nil, ferr(item.Line, "want a mapping (id: ..., regex: ..., samples: ...)")
	}
	keyLine := map[string]int{}
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		keyLine[k.Value] = v.Line
		if k.Value == "id" && v.Kind == yaml.ScalarNode {
			id = v.Value
		}
	}
	for i := 0; i+1 < len(item.Content); i += 2 {
		k := item.Content[i]
		if !userKnownKey(k.Value) {
			return nil, ferr(k.Line, "unknown key %q%s", k.Value, userKeyHint(k.Value))
		}
	}
	var spec userSpec
	if err := item.Decode(&spec); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			line, msg := 0, te.Errors[0]
			if _, err := fmt.Sscanf(msg, "line %d: ", &line); err == nil {
				msg = msg[strings.Index(msg, ": ")+2:]
			}
			return nil, ferr(line, "%s", msg)
		}
		return nil, ferr(item.Line, "%v", err)
	}
	at := func(key string) int {
		if l, ok := keyLine[key]; ok {
			return l
		}
		return item.Line
	}

	// id
	switch {
	case spec.ID == "":
		return nil, ferr(item.Line, `no "id"`)
	case len(spec.ID) > maxUserIDLen || !userIDRe.MatchString(spec.ID):
		return nil, ferr(at("id"), "id %q: use lower-case letters, digits and '-' (at most %d, not starting with '-')", spec.ID, maxUserIDLen)
	}
	if f := Lookup(spec.ID); f != nil && !userIsFormat(f) {
		return nil, ferr(at("id"), "id clashes with the built-in format %q; choose another id", spec.ID)
	}

	// regex
	if spec.Regex == "" {
		return nil, ferr(item.Line, `no "regex"`)
	}
	if len(spec.Regex) > MaxUserRegexLen {
		return nil, ferr(at("regex"), "regex is %d bytes long; at most %d", len(spec.Regex), MaxUserRegexLen)
	}
	c, err := userCompileRegex(spec.Regex)
	if err != nil {
		return nil, ferr(at("regex"), "regex: %v", err)
	}
	re := c.re
	c.id = spec.ID
	groups := map[string]string{}
	for i, name := range re.SubexpNames() {
		if name == "" {
			continue
		}
		key := userSnake(name)
		if prev, dup := groups[key]; dup {
			return nil, ferr(at("regex"), "regex groups %q and %q both name %q", prev, name, key)
		}
		groups[key] = name
		switch key {
		case "time":
			c.timeGroup = i
		case "level":
			c.levelGroup = i
		case "message":
			c.msgGroup = i
		default:
			c.fields = append(c.fields, userField{group: i, key: key})
			if key == "status" {
				c.statusGroup = i
			}
		}
	}
	if c.timeGroup < 0 {
		return nil, ferr(at("regex"), "regex has no (?P<time>...) group")
	}
	if c.tail && (c.tailGroup == c.timeGroup || c.tailGroup == c.levelGroup) {
		c.fast, c.tail = c.re, false // keep them simple; no gain worth it
	}

	// time
	if spec.Epoch != "" && spec.TimeLayout != "" {
		return nil, ferr(at("epoch"), `"epoch" and "time_layout" both set; use one`)
	}
	if spec.Epoch != "" {
		unit, ok := userEpochUnits[spec.Epoch]
		if !ok {
			return nil, ferr(at("epoch"), "epoch %q: want s, ms, us or ns", spec.Epoch)
		}
		if spec.Timezone != "" {
			return nil, ferr(at("timezone"), `"timezone" has no effect on an epoch time; remove it`)
		}
		c.epochUnit, c.epochName = unit, spec.Epoch
	}
	if spec.TimeLayout != "" {
		c.layout = spec.TimeLayout
		if msg := userCheckLayout(c); msg != "" {
			return nil, ferr(at("time_layout"), "%s", msg)
		}
	}
	if spec.Timezone != "" {
		loc, err := LoadZone(spec.Timezone)
		if err != nil {
			return nil, ferr(at("timezone"), "timezone: %v", err)
		}
		c.loc = loc
	}

	// levels
	if len(spec.LevelMap) > 0 {
		c.levelMap = map[string]event.Level{}
		for word, lv := range spec.LevelMap {
			l := LevelOf(lv)
			if l == event.LevelNone {
				return nil, ferr(at("level_map"), "level_map: %q: %q is not a level (trace, debug, info, notice, warn, error, fatal)", word, lv)
			}
			if word == "" || len(word) > 64 {
				return nil, ferr(at("level_map"), "level_map: word %q: want 1 to 64 bytes", word)
			}
			c.levelMap[userLowerASCII(word)] = l
			c.levelMapLong = max(c.levelMapLong, len(word))
		}
		if c.levelGroup < 0 {
			return nil, ferr(at("level_map"), "level_map is set but the regex has no (?P<level>...) group")
		}
	}

	spc := DefaultUserSpecificity
	if spec.Specificity != nil {
		spc = *spec.Specificity
		if spc < 0 || spc > maxUserSpecificity {
			return nil, ferr(at("specificity"), "specificity %d: want 0 to %d", spc, maxUserSpecificity)
		}
	}

	// samples
	if len(spec.Samples) == 0 {
		return nil, ferr(at("samples"), `no "samples"; give at least one real line of the format`)
	}
	if len(spec.Samples) > maxUserSamples {
		return nil, ferr(at("samples"), "%d samples; at most %d", len(spec.Samples), maxUserSamples)
	}
	sampleLines := userSampleLines(item)
	for i, s := range spec.Samples {
		s = strings.TrimRight(s, "\r\n")
		spec.Samples[i] = s
		line := at("samples")
		if i < len(sampleLines) {
			line = sampleLines[i]
		}
		if strings.ContainsAny(s, "\r\n") {
			return nil, ferr(line, "sample %d holds a line break; give each record's first line as its own sample", i+1)
		}
		if isBlank([]byte(s)) {
			return nil, ferr(line, "sample %d is empty", i+1)
		}
		if msg := c.checkSample(s); msg != "" {
			return nil, ferr(line, "sample %d%s", i+1, msg)
		}
	}

	desc := strings.TrimSpace(spec.Description)
	if desc == "" {
		desc = "user format from " + path
	}
	f := &Format{
		ID:          spec.ID,
		Description: desc,
		Example:     strings.Join(spec.Samples, "\n"),
		Specificity: spc,
		Multiline:   spec.Multiline,
		NoFallback:  spec.NoFallback,
		New:         func(ctx *Context) Decoder { return c.newDecoder(ctx) },
	}
	userCompiledOf.Store(f, c)
	return f, nil
}

// userCompiledOf marks the Formats built from files (and so tells user
// formats from built-in ones) and keeps their compiled form for tests.
var userCompiledOf sync.Map // *Format -> *userCompiled

func userIsFormat(f *Format) bool {
	_, ok := userCompiledOf.Load(f)
	return ok
}

// checkSample decodes one sample as a new input would, and says what is
// wrong in words (starting with ": " or " "), or "" when it reads.
func (c *userCompiled) checkSample(s string) string {
	d := c.newDecoder(&Context{Loc: time.UTC, ModTime: time.Now()})
	ev := &event.Event{Raw: s}
	v, why := d.decode([]byte(s), ev)
	if v == Start && !ev.Time.IsZero() && ev.Time.Location() == time.UTC {
		return ""
	}
	if why == userNoMatch {
		return " does not match the regex"
	}
	m := c.re.FindStringSubmatchIndex(s) // the regex as written, for the words
	tv := ""
	if m != nil && m[2*c.timeGroup] >= 0 {
		tv = s[m[2*c.timeGroup]:m[2*c.timeGroup+1]]
	}
	switch {
	case tv == "":
		return ": the time group matched nothing"
	case c.epochUnit != 0:
		return fmt.Sprintf(": time %q is not an epoch number in %s between 1971 and 2200", tv, c.epochName)
	case c.layout != "":
		loc := c.loc
		if loc == nil {
			loc = time.UTC
		}
		if _, err := time.ParseInLocation(c.layout, tv, loc); err != nil {
			return fmt.Sprintf(": time %q does not parse with layout %q: %v", tv, c.layout, err)
		}
		return fmt.Sprintf(": time %q does not parse with layout %q (no such day in the inferred year)", tv, c.layout)
	}
	learner := newTimeLearner(&Context{Loc: time.UTC, ModTime: time.Now()})
	if st, ok := learner.prefix([]byte(tv)); ok && st.n < len(tv) {
		return fmt.Sprintf(": time %q: only %q of it reads as a timestamp; narrow the time group or set time_layout", tv, tv[:st.n])
	}
	return fmt.Sprintf(": time %q is not a timestamp rca reads by itself; set time_layout (a Go layout) or epoch", tv)
}

// userCheckLayout checks that a Go layout carries a date and settles what
// it says about year, zone and fraction digits.
func userCheckLayout(c *userCompiled) string {
	l := c.layout
	ref := time.Date(2001, 2, 3, 4, 5, 6, 123456789, time.UTC)
	same := func(t time.Time) bool { return t.Format(l) == ref.Format(l) }
	if same(ref.AddDate(0, 0, 1)) || same(ref.AddDate(0, 1, 0)) {
		return fmt.Sprintf("time_layout %q has no date (day and month); rca needs one. A layout is Go's reference time written the way the log writes it, e.g. \"2006-01-02 15:04:05.000\"", l)
	}
	c.layoutYear = !same(ref.AddDate(1, 0, 0))
	c.layoutZoned = strings.Contains(l, "Z07") || strings.Contains(l, "-07") || strings.Contains(l, "MST")
	for _, sep := range []string{".", ","} {
		if i := strings.Index(l, "05"+sep); i >= 0 {
			j := i + 3
			n := 0
			for j < len(l) && l[j] == '0' {
				j++
				n++
			}
			if n > 0 {
				c.layoutPrec = n
			}
		}
	}
	return ""
}

// userSampleLines returns the line of each sample in a format's mapping.
func userSampleLines(item *yaml.Node) []int {
	for i := 0; i+1 < len(item.Content); i += 2 {
		if item.Content[i].Value == "samples" && item.Content[i+1].Kind == yaml.SequenceNode {
			var out []int
			for _, s := range item.Content[i+1].Content {
				out = append(out, s.Line)
			}
			return out
		}
	}
	return nil
}

func userLowerASCII(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if ch >= 'A' && ch <= 'Z' {
			b[i] = ch + 'a' - 'A'
		}
	}
	return string(b)
}

func userKnownKey(k string) bool {
	for _, kk := range userKeys {
		if k == kk {
			return true
		}
	}
	return false
}

// userKeyHint suggests the key meant by an unknown one.
func userKeyHint(k string) string {
	lk := strings.ToLower(strings.ReplaceAll(k, "-", "_"))
	if userKnownKey(lk) {
		return fmt.Sprintf(" (did you mean %q?)", lk)
	}
	if h, ok := userKeyHints[lk]; ok {
		return fmt.Sprintf(" (did you mean %q?)", h)
	}
	best, bestD := "", 3
	for _, kk := range userKeys {
		if d := userEditDistance(lk, kk); d < bestD {
			best, bestD = kk, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return "; known keys: " + strings.Join(userKeys, ", ")
}

func userEditDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// userSnake turns a group name into a field key: requestId and RequestID
// become request_id.
func userSnake(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		ch := name[i]
		if ch >= 'A' && ch <= 'Z' {
			if i > 0 && name[i-1] != '_' {
				prevLower := name[i-1] >= 'a' && name[i-1] <= 'z' || isDigit(name[i-1])
				nextLower := i+1 < len(name) && name[i+1] >= 'a' && name[i+1] <= 'z'
				prevUpper := name[i-1] >= 'A' && name[i-1] <= 'Z'
				if prevLower || prevUpper && nextLower {
					b.WriteByte('_')
				}
			}
			ch += 'a' - 'A'
		}
		b.WriteByte(ch)
	}
	return b.String()
}

// userCompileRegex compiles a format's regex, its fast form and its
// prefilter. Group roles are left unset (-1).
func userCompileRegex(expr string) (*userCompiled, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	c := &userCompiled{re: re, fast: re, timeGroup: -1, levelGroup: -1, msgGroup: -1, statusGroup: -1, tailGroup: -1, layoutPrec: -1}
	c.filter = userPrefilterOf(re)
	if short, group, noNL, dollar, ok := userStripTail(expr); ok {
		if fast, err := regexp.Compile(short); err == nil && fast.NumSubexp() == re.NumSubexp()-min(group+1, 1) {
			c.fast, c.tail, c.tailNoNL, c.tailEnd, c.tailGroup = fast, true, noNL, dollar, group
		}
	}
	return c, nil
}

// userStripTail removes a trailing ".*$", ".*" or "(?P<name>.*)$" from a
// regex. Such a tail matches the rest of any line (lines hold no '\n'),
// and since it cannot fail, the regex without it prefers the same matches
// for every other group; but Go's matcher would walk it rune by rune, and
// a message is often most of the line. It returns the shorter regex, the
// index of the capture group removed (-1 for none), whether the tail was
// '.' without the s flag (which does not match '\n') and whether it ended
// with "$".
func userStripTail(expr string) (short string, group int, noNL, dollar, ok bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil || re.Op != syntax.OpConcat || len(re.Sub) < 2 {
		return "", -1, false, false, false
	}
	subs := re.Sub
	if last := subs[len(subs)-1]; last.Op == syntax.OpEndText { // not (?m)$, which also matches before a '\n'
		subs, dollar = subs[:len(subs)-1], true
	}
	if len(subs) < 2 {
		return "", -1, false, false, false
	}
	last := subs[len(subs)-1]
	group = -1
	if last.Op == syntax.OpCapture {
		group = last.Cap
		last = last.Sub[0]
	}
	if last.Op != syntax.OpStar || (last.Flags&syntax.NonGreedy != 0 && !dollar) {
		return "", -1, false, false, false
	}
	switch last.Sub[0].Op {
	case syntax.OpAnyCharNotNL:
		noNL = true
	case syntax.OpAnyChar:
	default:
		return "", -1, false, false, false
	}
	rest := &syntax.Regexp{Op: syntax.OpConcat, Flags: re.Flags, Sub: subs[:len(subs)-1]}
	return rest.String(), group, noNL, dollar, true
}

// userPrefilterOf derives the prefilter of a regex. regexp's own
// LiteralPrefix is used for unanchored regexes; it reports nothing for
// "^"-anchored ones (the usual case), so those are walked here: the
// literal the match must start with and the set of possible first bytes.
func userPrefilterOf(compiled *regexp.Regexp) userPrefilter {
	var p userPrefilter
	re, err := syntax.Parse(compiled.String(), syntax.Perl)
	if err != nil {
		return p
	}
	re = re.Simplify()
	body := re
	if re.Op == syntax.OpConcat && len(re.Sub) > 0 && (re.Sub[0].Op == syntax.OpBeginText || re.Sub[0].Op == syntax.OpBeginLine) {
		p.anchored, p.lineMode = true, re.Sub[0].Op == syntax.OpBeginLine
		body = &syntax.Regexp{Op: syntax.OpConcat, Sub: re.Sub[1:], Flags: re.Flags}
	}
	if !p.anchored {
		if prefix, _ := compiled.LiteralPrefix(); prefix != "" {
			p.lit = []byte(prefix)
		}
		return p
	}
	lit, _ := userLitPrefix(body, nil)
	if len(lit) > 0 {
		p.lit = []byte(string(lit))
	}
	var set [256]bool
	if userFirstBytes(body, &set) {
		p.first = &set
	}
	return p
}

// userLitPrefix appends the literal runes every match of re starts with;
// whole reports that re is nothing but that literal, so a walk may go on
// to what follows it.
func userLitPrefix(re *syntax.Regexp, out []rune) (_ []rune, whole bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return out, false
		}
		return append(out, re.Rune...), true
	case syntax.OpCapture:
		return userLitPrefix(re.Sub[0], out)
	case syntax.OpConcat:
		for _, s := range re.Sub {
			var w bool
			if out, w = userLitPrefix(s, out); !w {
				return out, false
			}
		}
		return out, true
	case syntax.OpEmptyMatch:
		return out, true
	}
	return out, false
}

// userFirstBytes adds to set every byte a non-empty match of re can start
// with. It returns false when it cannot tell (re may match the empty
// string first, or any byte).
func userFirstBytes(re *syntax.Regexp, set *[256]bool) bool {
	addRune := func(r rune) {
		if r < utf8.RuneSelf {
			set[r] = true
			return
		}
		for b := 0x80; b < 0x100; b++ { // any multi-byte or invalid sequence
			set[b] = true
		}
	}
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return false
		}
		r := re.Rune[0]
		addRune(r)
		if re.Flags&syntax.FoldCase != 0 {
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				addRune(f)
			}
		}
		return true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
				set[r] = true
			}
			if hi >= utf8.RuneSelf {
				addRune(hi)
			}
		}
		return true
	case syntax.OpCapture, syntax.OpPlus:
		return userFirstBytes(re.Sub[0], set)
	case syntax.OpRepeat:
		return re.Min >= 1 && userFirstBytes(re.Sub[0], set)
	case syntax.OpConcat:
		return len(re.Sub) > 0 && userFirstBytes(re.Sub[0], set)
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if !userFirstBytes(s, set) {
				return false
			}
		}
		return true
	}
	return false
}

// Registered user formats: id -> the file that defined it.
var (
	userMu    sync.Mutex
	userFiles = map[string]string{}
)

// RegisterUserFormats loads the given formats files and registers their
// formats, replacing the user formats an earlier call registered (so a
// call is also a reload; a call with no paths removes them all). It is all
// or nothing: on any error nothing changes. An id defined in two files is
// an error naming both; a file given twice (the same file under two
// names too) is read once. It returns the ids registered, in file order.
func RegisterUserFormats(paths ...string) (loaded []string, err error) {
	type entry struct {
		f    *Format
		path string
	}
	var all []entry
	where := map[string]string{}
	var seen []os.FileInfo
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil {
			dup := false
			for _, s := range seen {
				dup = dup || os.SameFile(s, fi)
			}
			if dup {
				continue
			}
			seen = append(seen, fi)
		}
		fs, err := LoadFormatsFile(p)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			if prev, dup := where[f.ID]; dup {
				return nil, &FormatsFileError{Path: p, ID: f.ID, Msg: "id already defined in " + prev}
			}
			where[f.ID] = p
			all = append(all, entry{f, p})
		}
	}
	userMu.Lock()
	defer userMu.Unlock()
	for _, e := range all {
		if old := Lookup(e.f.ID); old != nil && !userIsFormat(old) {
			return nil, &FormatsFileError{Path: e.path, ID: e.f.ID, Msg: fmt.Sprintf("id clashes with the built-in format %q; choose another id", e.f.ID)}
		}
	}
	for id := range userFiles {
		if old := Lookup(id); old != nil {
			userCompiledOf.Delete(old)
		}
		unregister(id)
	}
	clear(userFiles)
	for _, e := range all {
		Register(e.f)
		userFiles[e.f.ID] = e.path
		loaded = append(loaded, e.f.ID)
	}
	return loaded, nil
}

// UserFormatFile returns the file a registered user format came from.
func UserFormatFile(id string) (string, bool) {
	userMu.Lock()
	defer userMu.Unlock()
	p, ok := userFiles[id]
	return p, ok
}

// UserFormatPaths returns the per-user formats files that exist, in load
// order: <config>/rca/formats.yaml, then <config>/rca/formats.d/*.yaml,
// *.yml and *.json sorted by name (hidden files skipped), where <config>
// is os.UserConfigDir() ($XDG_CONFIG_HOME or ~/.config on Linux,
// ~/Library/Application Support on macOS, %AppData% on Windows).
func UserFormatPaths() []string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return nil
	}
	base := filepath.Join(dir, "rca")
	var out []string
	isFile := func(p string) bool {
		fi, err := os.Stat(p)
		return err == nil && fi.Mode().IsRegular()
	}
	if p := filepath.Join(base, "formats.yaml"); isFile(p) {
		out = append(out, p)
	}
	ents, err := os.ReadDir(filepath.Join(base, "formats.d"))
	if err != nil {
		return out
	}
	var names []string
	for _, e := range ents {
		n := e.Name()
		switch strings.ToLower(filepath.Ext(n)) {
		case ".yaml", ".yml", ".json":
			if !strings.HasPrefix(n, ".") && isFile(filepath.Join(base, "formats.d", n)) {
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, filepath.Join(base, "formats.d", n))
	}
	return out
}
