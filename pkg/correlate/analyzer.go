package correlate

import (
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// Config tunes an analysis. The zero value is usable.
type Config struct {
	// Bucket is the width of the time buckets the tests count in; 0 picks
	// one from the bundle's span (about 360 buckets, 10 s to 10 min).
	Bucket time.Duration
	// FDR is the false-discovery rate of the burst and silence tests
	// (Benjamini–Hochberg over every bucket of every series). Default 0.001.
	FDR float64
	// Topology adds what the logs do not say: service addresses and
	// dependencies.
	Topology *Topology
	// NoSkew turns off clock-skew estimation and correction.
	NoSkew bool
	// Since and Until keep only events in [Since, Until) when set.
	Since, Until time.Time
	// MaxRecords caps the notable events kept (warnings, errors, classified
	// kinds); beyond it events are still counted but not kept as evidence.
	MaxRecords int
	// Now stamps the report; zero means time.Now.
	Now time.Time
	// Classified says events reach Observe already classified (by
	// Analyzer.Classify, run where they are read, in parallel).
	Classified bool
}

const (
	volumeBucket      = 10 * time.Second // resolution of the per-source volume counters
	defaultFDR        = 0.001
	defaultMaxRecords = 2_000_000
	maxMessageKept    = 300
	// maxMessageBytes bounds the message text kept for evidence and
	// timeline rows. Past it a record keeps its message only when it
	// starts a run of its (source, template, level), the line a timeline
	// row shows; a repeat inside a run is shown by its template's text.
	maxMessageBytes = 64 << 20
)

// Analyzer turns a stream of events into a report. Feed it every event
// with Observe (in time order, from one goroutine), then call Finish once.
// Memory is bounded: per source a template miner (capped) and volume
// counters per 10 s; per notable event a compact record (capped by
// Config.MaxRecords).
type Analyzer struct {
	cfg         Config
	cls         *Classifier
	bounded     bool // Config.Since or Until is set, see outside
	sources     []*sourceState
	bySrc       map[string]int32
	lastSrc     int32  // the source the last source call returned, which usually comes again
	lastFile    string // the file name fileRef looked up last, and its ref
	lastFileRef int32
	recs        records
	names       []string // interned file names and addresses; names[0] is ""
	nameIdx     map[string]int32
	edges       map[edgeKey]int64 // caller source -> address, from access logs and targets
	first       time.Time
	last        time.Time
	events      int64
	errors      int64
	warns       int64
	dropped     int64                 // notable events over MaxRecords
	runs        map[runKey]int32      // runLast's index per run key, for the runs firstRuns do not hold
	runLast     []time.Time           // the last record's time per run
	oddLevel    map[event.Level]int32 // levelCode of the levels not in levelByRank
	msgBytes    int64                 // message bytes kept in recs
	msgCap      int64                 // maxMessageBytes; tests lower it
	slabs       []*strings.Builder    // the blocks keepText copies messages into, the last one current
	kinds       []string              // interned kinds (record.kind); kinds[0] is ""
	kindIdx     map[string]int32
	// tmpls are the templates records refer to (record.tmpl; numbered by
	// sourceState.tmplFirst), and tmplSeen their first sightings. An index
	// stands for its pointer: a template folded later shows its
	// survivor's id through it, as the pointer does.
	tmpls       []*Template
	tmplSeen    []time.Time
	firstRuns   []firstRun // per template index: the run of its first level kept
	lastKind    string     // the kind kindRef looked up last, and its index
	lastKindRef int32
	// miners: one template miner per source name, shared by the baseline
	// runs and the target so that their messages meet in the same templates
	miners   map[string]*Miner
	base     *baseline         // good runs (ObserveBaseline); nil: none
	volRatio map[int32]float64 // per source, set by Finish when base != nil
	locals   []*localCounts    // counters of plain events taken by Local
}

// sourceState is what the analyzer keeps per source.
type sourceState struct {
	name      string
	miner     *Miner
	volume    map[int64]int64 // events per 10 s bucket (unix time / 10 s)
	bucket    tally[int64]    // Observe's run of volume, not yet in it (Finish adds it)
	events    int64
	first     time.Time
	last      time.Time
	formats   map[string]int64
	format    tally[string]        // Observe's run of formats, not yet in it
	tmplFirst map[*Template]int32  // a.tmpls index of the templates seen (their first sighting: a.tmplSeen)
	firstByID map[string]time.Time // by final template id, set by settleTemplates
	// overWarn and overErr count, per 10 s bucket as volume, the warnings
	// and errors not kept as records (past Config.MaxRecords), so that the
	// report's series still count them.
	overWarn, overErr map[int64]int64
}

// widen stretches the span [*first, *last] (zero: empty) to hold [lo, hi].
func widen(first, last *time.Time, lo, hi time.Time) {
	if first.IsZero() || lo.Before(*first) {
		*first = lo
	}
	if hi.After(*last) {
		*last = hi
	}
}

// outside reports whether t is outside Config.Since and Until; callers
// test a.bounded first, inline.
func (a *Analyzer) outside(t time.Time) bool {
	return (!a.cfg.Since.IsZero() && t.Before(a.cfg.Since)) || (!a.cfg.Until.IsZero() && !t.Before(a.cfg.Until))
}

// countOver counts a warning or error that is not kept as a record.
func (s *sourceState) countOver(t time.Time, rank int) {
	var m *map[int64]int64
	switch {
	case rank >= event.LevelError.Rank():
		m = &s.overErr
	case rank == event.LevelWarn.Rank():
		m = &s.overWarn
	default:
		return
	}
	if *m == nil {
		*m = map[int64]int64{}
	}
	(*m)[t.Unix()/int64(volumeBucket/time.Second)]++
}

// record is a notable event: a warning or worse, or one with a kind. It is
// kept small (56 bytes): a bundle of several GB has millions. It holds no
// pointers, so that the collector does not scan the records' chunks: its
// time is a Unix second and nanosecond (UTC, as event times), its kind,
// template and message are indices into the analyzer's tables (see
// Analyzer.kindOf, tmplOf and msgOf).
type record struct {
	sec    int64 // the time, corrected for skew once estimated: Unix seconds
	line   int64
	nsec   int32 // and nanoseconds
	src    int32
	file   int32 // a.names index
	target int32 // a.names index; 0: none
	kind   int32 // a.kinds index; 0: none
	tmpl   int32 // a.tmpls index
	msgBlk int32 // a.slabs index of the kept message
	msgOff int32 // its offset in that block
	msgLen uint16
	rank   int8 // the level's rank (event.Level.Rank)
	dbLink bool // the message is a client's failure to reach its database
}

// time is the record's time (UTC).
func (r *record) time() time.Time { return time.Unix(r.sec, int64(r.nsec)).UTC() }

// key is the record's time as an event.TimeKey.
func (r *record) key() event.TimeKey { return event.TimeKey{Sec: r.sec, Nsec: int64(r.nsec)} }

// setTime sets the record's time to t.
func (r *record) setTime(t time.Time) { r.sec, r.nsec = t.Unix(), int32(t.Nanosecond()) }

// before reports whether r's time is before q's.
func (r *record) before(q *record) bool {
	return r.sec < q.sec || r.sec == q.sec && r.nsec < q.nsec
}

// kindOf is the record's kind ("" when none).
func (a *Analyzer) kindOf(r *record) string { return a.kinds[r.kind] }

// tmplOf is the template the miner returned for the record's message.
func (a *Analyzer) tmplOf(r *record) *Template { return a.tmpls[r.tmpl] }

// msgOf is the message text the record kept ("" past maxMessageBytes, see
// message).
func (a *Analyzer) msgOf(r *record) string {
	if r.msgLen == 0 {
		return ""
	}
	return a.slabs[r.msgBlk].String()[r.msgOff : r.msgOff+int32(r.msgLen)]
}

// levelByRank names a level from its rank.
var levelByRank = [...]event.Level{event.LevelNone, event.LevelTrace, event.LevelDebug, event.LevelInfo, event.LevelNotice, event.LevelWarn, event.LevelError, event.LevelFatal}

// level is the record's level.
func (r *record) level() event.Level { return levelByRank[r.rank] }

// runKey names a run of repeats: a timeline row's (source, template,
// level), the source and template by their a.tmpls index (numbered per
// source), the level by its levelCode, so that the key hashes as one
// 8-byte word.
type runKey struct {
	tmpl  int32
	level int32
}

// firstRun is a template's (a.tmpls index) run at one level: the level's
// levelCode and the run's runLast index, or -1 before the first record
// keepMessage sees. The runs of other levels are in Analyzer.runs: a
// template's lines mostly have one level, and this saves a map lookup.
type firstRun struct {
	level, run int32
}

type edgeKey struct {
	src  int32
	addr string
}

// NewAnalyzer makes an analyzer.
func NewAnalyzer(cfg Config) *Analyzer {
	if cfg.FDR <= 0 {
		cfg.FDR = defaultFDR
	}
	if cfg.MaxRecords <= 0 {
		cfg.MaxRecords = defaultMaxRecords
	}
	return &Analyzer{cfg: cfg, cls: NewClassifier(), bounded: !cfg.Since.IsZero() || !cfg.Until.IsZero(), bySrc: map[string]int32{}, edges: map[edgeKey]int64{},
		runs: map[runKey]int32{}, msgCap: maxMessageBytes, names: []string{""}, nameIdx: map[string]int32{"": 0}, miners: map[string]*Miner{},
		kinds: []string{""}, kindIdx: map[string]int32{"": 0}}
}

// miner is the template miner of a source.
func (a *Analyzer) miner(name string) *Miner {
	m := a.miners[name]
	if m == nil {
		m = NewMiner(MinerConfig{})
		a.miners[name] = m
	}
	return m
}

// intern returns the one copy of s the analyzer keeps (see ref).
func (a *Analyzer) intern(s string) string { return a.names[a.ref(s)] }

// ref is the index of s in a.names, added when new.
func (a *Analyzer) ref(s string) int32 {
	if i, ok := a.nameIdx[s]; ok {
		return i
	}
	i := int32(len(a.names))
	a.names = append(a.names, s)
	a.nameIdx[s] = i
	return i
}

// fileRef is a.ref(f) for an event's file name, remembering the last one:
// a run of notable events often comes from one file.
func (a *Analyzer) fileRef(f string) int32 {
	if f != a.lastFile {
		a.lastFileRef = a.ref(f)
		a.lastFile = a.names[a.lastFileRef]
	}
	return a.lastFileRef
}

// name is the string a.ref gave i for.
func (a *Analyzer) name(i int32) string { return a.names[i] }

func (a *Analyzer) source(name string) int32 {
	if int(a.lastSrc) < len(a.sources) && a.sources[a.lastSrc].name == name {
		return a.lastSrc
	}
	i, ok := a.bySrc[name]
	if !ok {
		i = a.newSource(name)
	}
	a.lastSrc = i
	return i
}

// newSource numbers a source seen for the first time.
func (a *Analyzer) newSource(name string) int32 {
	i := int32(len(a.sources))
	a.bySrc[name] = i
	a.sources = append(a.sources, &sourceState{
		name: name, miner: a.miner(name), volume: map[int64]int64{},
		formats: map[string]int64{}, tmplFirst: map[*Template]int32{},
	})
	return i
}

// Observe takes one event: it classifies it (setting ev.Kind and facts),
// assigns its template, and updates the counters. Unparsed lines count for
// nothing but the totals: they have no time of their own.
func (a *Analyzer) Observe(ev *event.Event) {
	if ev.Unparsed || ev.Time.IsZero() {
		return
	}
	if a.bounded && a.outside(ev.Time) {
		return
	}
	kind := ev.Kind
	if !a.cfg.Classified {
		kind = a.cls.Classify(ev)
	}
	si := a.source(ev.Source)
	s := a.sources[si]
	s.bucket.add(s.volume, ev.Time.Unix()/int64(volumeBucket/time.Second))
	s.events++
	s.format.add(s.formats, ev.Format)
	widen(&s.first, &s.last, ev.Time, ev.Time)
	widen(&a.first, &a.last, ev.Time, ev.Time)
	a.events++
	rank := ev.Level.Rank()
	switch {
	case rank >= event.LevelError.Rank():
		a.errors++
	case rank == event.LevelWarn.Rank():
		a.warns++
	}
	up, target := edgeFields(ev.Fields)
	if up != "" {
		a.edges[edgeKey{si, a.intern(up)}]++
	}
	if kind == "" && rank < event.LevelWarn.Rank() {
		return
	}
	// Only notable events are mined: templates serve the tests of warnings
	// and errors and their novelty ("new among this source's warnings and
	// errors"), and mining every info line would cost a serial pass over
	// the whole bundle.
	line := firstLine(ev.Message)
	tmpl := s.miner.Add(line)
	ti, seen := s.tmplFirst[tmpl]
	if !seen {
		ti = int32(len(a.tmpls))
		a.tmpls = append(a.tmpls, tmpl)
		a.tmplSeen = append(a.tmplSeen, ev.Time)
		a.firstRuns = append(a.firstRuns, firstRun{run: -1})
		s.tmplFirst[tmpl] = ti
	}
	ev.TemplateID, ev.Template = tmpl.ID, tmpl.Text
	if a.recs.len() >= a.cfg.MaxRecords {
		a.dropped++
		s.countOver(ev.Time, rank)
		return
	}
	var tref int32
	if target != "" {
		tref = a.ref(target)
		a.edges[edgeKey{si, a.names[tref]}]++
	}
	r := record{
		sec: ev.Time.Unix(), nsec: int32(ev.Time.Nanosecond()), src: si, kind: a.kindRef(kind), tmpl: ti, rank: int8(rank),
		file: a.fileRef(ev.File), line: ev.Line, target: tref,
		dbLink: dbLinkKind(kind) && dbLinkFailure(line),
	}
	r.msgBlk, r.msgOff, r.msgLen = a.keepMessage(ti, ev, line, rank)
	a.recs.add(r)
}

// edgeFields returns the values of the first fields named "upstream" and
// "target" ("" when none): what Get would, in one pass over the fields.
func edgeFields(fs []event.Field) (up, target string) {
	var haveUp, haveTarget bool
	for i := range fs {
		switch fs[i].Key {
		case "upstream":
			if !haveUp {
				up, haveUp = fs[i].Value, true
			}
		case "target":
			if !haveTarget {
				target, haveTarget = fs[i].Value, true
			}
		}
	}
	return up, target
}

// kindRef is the index of kind in a.kinds, added when new.
func (a *Analyzer) kindRef(kind string) int32 {
	if kind == "" {
		return 0
	}
	if kind == a.lastKind {
		return a.lastKindRef
	}
	i, ok := a.kindIdx[kind]
	if !ok {
		i = int32(len(a.kinds))
		a.kinds = append(a.kinds, kind)
		a.kindIdx[kind] = i
	}
	a.lastKind, a.lastKindRef = kind, i
	return i
}

// keepMessage is the message a record keeps of ev (whose message's first
// line is line, and whose template index is ti): every one while the kept
// text is under maxMessageBytes, past it only the first of a run (a line
// more than timelineGap after the last of its source, template and level),
// so that memory stays bounded on any bundle while every timeline row
// keeps its line.
func (a *Analyzer) keepMessage(ti int32, ev *event.Event, line string, rank int) (blk, off int32, n uint16) {
	level := a.levelCode(ev.Level, rank)
	tr := &a.firstRuns[ti]
	ri, seen := tr.run, true
	switch {
	case ri < 0:
		ri, seen = int32(len(a.runLast)), false
		*tr = firstRun{level, ri}
		a.runLast = append(a.runLast, ev.Time)
	case tr.level != level:
		k := runKey{ti, level}
		if ri, seen = a.runs[k]; !seen {
			ri = int32(len(a.runLast))
			a.runs[k] = ri
			a.runLast = append(a.runLast, ev.Time)
		}
	}
	last := a.runLast[ri]
	a.runLast[ri] = ev.Time
	if a.msgBytes >= a.msgCap && seen && ev.Time.Sub(last) <= timelineGap {
		return 0, 0, 0
	}
	blk, off, n = a.keepText(line)
	a.msgBytes += int64(n)
	return blk, off, n
}

// levelCode numbers level (of the given rank) for runKey: its rank when it
// is one of the normalized levels, else a number past them, one per
// distinct level.
func (a *Analyzer) levelCode(level event.Level, rank int) int32 {
	if levelByRank[rank] == level {
		return int32(rank)
	}
	c, ok := a.oddLevel[level]
	if !ok {
		if a.oddLevel == nil {
			a.oddLevel = map[event.Level]int32{}
		}
		c = int32(len(levelByRank) + len(a.oddLevel))
		a.oddLevel[level] = c
	}
	return c
}

// msgSlab is the size of the blocks keepText copies messages into.
const msgSlab = 64 << 10

// keepText copies capMessage(line), line being a message's first line, into
// the analyzer's current message block rather than into an allocation of
// its own, and returns where it is: the block (a.slabs index), the offset
// and the length (at most maxMessageKept+len(ellipsis)). Records keep their
// messages to the end, so the blocks waste only their tails.
func (a *Analyzer) keepText(line string) (blk, off int32, n uint16) {
	s, cut := cutLine(line)
	size := len(s)
	if cut {
		size += len(ellipsis)
	}
	if len(a.slabs) == 0 || a.slabs[len(a.slabs)-1].Cap()-a.slabs[len(a.slabs)-1].Len() < size {
		b := new(strings.Builder)
		b.Grow(max(msgSlab, size))
		a.slabs = append(a.slabs, b)
	}
	slab := a.slabs[len(a.slabs)-1]
	at := slab.Len()
	slab.WriteString(s)
	if cut {
		slab.WriteString(ellipsis)
	}
	return int32(len(a.slabs) - 1), int32(at), uint16(size)
}

// message is the text a record shows: its line, or its template's text
// when the line was not kept (see keepMessage).
func (a *Analyzer) message(r *record) string {
	if msg := a.msgOf(r); msg != "" {
		return msg
	}
	return a.tmplOf(r).Text
}

// Classify sets an event's kind and facts. Unlike Observe it is safe for
// concurrent use: run it where events are read, and set Config.Classified.
func (a *Analyzer) Classify(ev *event.Event) { a.cls.Classify(ev) }

// firstLine is a message's first line: templates are mined on it alone.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// capMessage keeps the first line, cut at maxMessageKept bytes on a rune
// boundary, copied so the event's text can be freed.
func capMessage(s string) string {
	s, cut := capLine(s)
	if cut {
		return s + ellipsis
	}
	return strings.Clone(s)
}

// ellipsis ends a message capMessage cut.
const ellipsis = "…"

// capLine is s's first line, cut at maxMessageKept bytes on a rune
// boundary, and whether it was cut (capMessage then adds the ellipsis).
func capLine(s string) (string, bool) { return cutLine(firstLine(s)) }

// cutLine is capLine for a first line.
func cutLine(s string) (string, bool) {
	if len(s) <= maxMessageKept {
		return s, false
	}
	cut := maxMessageKept
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut], true
}

// settleTemplates maps each source's templates to their final ids. The
// miner folds related templates as it learns (a pointer it returned then
// shows the survivor's id), so series, novelty and timeline rows are keyed
// by the final id, and a template's first sighting is the earliest of all
// that folded into it.
func (a *Analyzer) settleTemplates() {
	for _, s := range a.sources {
		s.firstByID = make(map[string]time.Time, len(s.tmplFirst))
		for t, ti := range s.tmplFirst {
			first := a.tmplSeen[ti]
			if f, ok := s.firstByID[t.ID]; !ok || first.Before(f) {
				s.firstByID[t.ID] = first
			}
		}
	}
}

// firstSeen is when a record's (final) template was first seen.
func (a *Analyzer) firstSeen(r *record) (time.Time, bool) {
	t, ok := a.sources[r.src].firstByID[a.tmplOf(r).ID]
	return t, ok
}
