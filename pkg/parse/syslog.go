package parse

import (
	"bytes"
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// BSD syslog (RFC 3164) as rsyslog, syslog-ng, macOS syslogd and
// journalctl's short output write it:
//
//	[<PRI>]Aug 15 14:22:17 host program[pid]: message
//	2023-08-15T14:22:17.123456+08:00 host program[pid]: message   (rsyslog high-precision template)
//
// Year-less stamps take their year from the file time (yearInfer). The text
// carries no level; only a <PRI> prefix gives one. Lines starting with
// whitespace continue the previous record (Filebeat's rule for syslog);
// other lines that are not syslog are rejected. Kernel lines keep their
// uptime stamp as a field, and OOM-killer lines name the killed process.

func init() {
	Register(&Format{
		ID:          "syslog",
		Description: "BSD syslog (RFC 3164, rsyslog ISO variant): host, program[pid], optional <PRI>; kernel uptime and OOM-killer fields; indented lines continue",
		Example: "Aug 15 14:22:17 web-01 sshd[1234]: Failed password for invalid user admin from 203.0.113.9 port 52144 ssh2\n" +
			"Aug 15 14:22:18 web-01 kernel: [12345.678901] Out of memory: Killed process 4321 (java) total-vm:8388608kB, anon-rss:4194304kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:9000kB oom_score_adj:0\n" +
			"2023-08-15T14:22:19.123456+08:00 web-01 systemd[1]: Started Session 42 of user deploy.",
		Specificity: 10,
		New: func(ctx *Context) Decoder {
			return &syslogDecoder{loc: ctx.Loc, years: yearInfer{ref: ctx.ModTime}, dst: syslogDST{loc: ctx.Loc}}
		},
	})
}

type syslogDecoder struct {
	loc   *time.Location
	years yearInfer
	prev  time.Time // the last record's time
	dst   syslogDST
}

func (d *syslogDecoder) Decode(line []byte, ev *event.Event, cur *event.Event) Verdict {
	if len(line) == 0 {
		return Reject
	}
	if line[0] == ' ' || line[0] == '\t' {
		if cur != nil {
			return Continue
		}
		return Reject
	}
	i, sev := syslogPRI(line)
	if i < 0 {
		return Reject
	}
	if i > 0 && i+1 < len(line) && isDigit(line[i]) && line[i+1] == ' ' {
		return Reject // "<165>1 ": RFC 5424
	}
	b := line[i:]
	var st stamp
	var ok bool
	iso := false
	if len(b) > 0 && isDigit(b[0]) {
		if len(b) < 20 || b[10] != 'T' {
			return Reject
		}
		if st, ok = parseISO(b, d.loc); !ok {
			return Reject
		}
		iso = true
	} else if st, ok = parseSyslogStamp(b, d.loc, &d.years); !ok {
		return Reject
	}
	j := i + st.n
	if j >= len(line) || line[j] != ' ' {
		return Reject
	}
	for j < len(line) && line[j] == ' ' {
		j++
	}
	if iso && syslog5424Shape(line[j:]) {
		return Reject
	}
	s := ev.Raw
	msgStart := j
	var host, program, pid string
	rest := s[j:]
	if !strings.HasPrefix(rest, "--- ") && !strings.HasPrefix(rest, "last message repeated") {
		h := rest
		if k := strings.IndexByte(h, ' '); k >= 0 {
			h = h[:k]
		}
		if h == "" || h[0] == '[' || LevelOf(strings.Trim(h, ":")) != event.LevelNone {
			return Reject // "Aug 15 14:22:17 ERROR ...": not syslog
		}
		if h[len(h)-1] == ':' || strings.Contains(h, "]:") { // no host: "Aug 15 14:22:17 sshd[12]: ..."
			program, pid, msgStart = syslogTag(s, j)
		} else {
			host = h
			msgStart = j + len(h)
			if msgStart < len(s) {
				msgStart++
				program, pid, msgStart = syslogTag(s, msgStart)
			}
		}
	}
	if iso && program == "" {
		return Reject // an ISO stamp and a word: too weak to claim the line
	}
	if !st.zoned {
		st.t = d.dst.settle(st.t, d.prev)
	}
	d.prev = st.t
	st.apply(&ev.Time, &ev.Precision, &ev.Zoned)
	if sev >= 0 {
		ev.Level = syslogSeverity(sev)
	}
	ev.Message = s[msgStart:]
	ev.Fields = ev.Fields[:0] // fields a decoder tried before this one left are dropped
	reserveFields(ev, 4)      // room for the usual fields: the slab's, or one allocation
	if host != "" {
		ev.Fields = append(ev.Fields, event.Field{Key: "host", Value: host})
	}
	if program != "" {
		ev.Fields = append(ev.Fields, event.Field{Key: "program", Value: program})
	}
	if pid != "" {
		ev.Fields = append(ev.Fields, event.Field{Key: "pid", Value: pid})
	}
	if program == "kernel" {
		syslogKernel(ev)
	}
	return Start
}

// syslogPRI reads an optional "<PRI>" prefix. It returns the index after it
// (0 when there is none, -1 when it is malformed) and the severity (-1 when
// there is none).
func syslogPRI(b []byte) (int, int) {
	if b[0] != '<' {
		return 0, -1
	}
	pri, j := 0, 1
	for j < len(b) && j < 4 && isDigit(b[j]) {
		pri = pri*10 + int(b[j]-'0')
		j++
	}
	if j == 1 || j >= len(b) || b[j] != '>' || pri > 191 {
		return -1, -1
	}
	return j + 1, pri & 7
}

// syslogTag reads "program[pid]: " at s[i:]. It returns the program, the
// pid and where the message starts; without a tag the message starts at i.
// A tag may hold spaces ("Google Chrome[85294]:") only when it carries a
// [pid]; for macOS launchd's "com.apple.xpc.launchd[1] (com.apple.x[42]):"
// the program is the part before the first [pid].
func syslogTag(s string, i int) (program, pid string, msgStart int) {
	rest := s[i:]
	lim := rest
	if len(lim) > 256 {
		lim = lim[:256]
	}
	end := strings.Index(lim, ": ")
	if end < 0 {
		if len(rest) <= 256 && strings.HasSuffix(rest, ":") {
			end = len(rest) - 1
		} else {
			return "", "", i
		}
	}
	tag := rest[:end]
	if tag == "" || strings.IndexByte(tag, '\t') >= 0 {
		return "", "", i
	}
	msgStart = i + end + 1
	if msgStart < len(s) {
		msgStart++ // the space after ':'
	}
	lb := strings.IndexByte(tag, '[')
	if lb > 0 {
		rb := strings.IndexByte(tag[lb:], ']')
		if rb > 1 && syslogDigits(tag[lb+1:lb+rb]) && (lb+rb+1 == len(tag) || tag[lb+rb+1] == ' ') {
			return tag[:lb], tag[lb+1 : lb+rb], msgStart
		}
	}
	if strings.IndexByte(tag, ' ') >= 0 {
		return "", "", i
	}
	return tag, "", msgStart
}

func syslogDigits(s string) bool {
	if s == "" || len(s) > 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// syslogDST settles zone-less times in the hour a DST fall-back repeats.
// Such a wall clock names two instants; the earlier is taken, unless it
// would put the record before the previous one while the later would not
// (the log has moved on into the repeated hour). It keeps the bounds of the
// zone period it last looked at, so most lines cost one comparison.
type syslogDST struct {
	loc    *time.Location
	lo, hi time.Time // times strictly inside need no check
	fixed  bool      // a zone without transitions
}

func (z *syslogDST) settle(t, prev time.Time) time.Time {
	if z.fixed || z.loc == nil || z.loc == time.UTC {
		return t
	}
	if t.After(z.lo) && t.Before(z.hi) {
		return t
	}
	start, end := t.In(z.loc).ZoneBounds()
	if start.IsZero() && end.IsZero() {
		z.fixed = true
		return t
	}
	z.lo, z.hi = time.Unix(-1<<40, 0), time.Unix(1<<40, 0)
	if !start.IsZero() {
		z.lo = start.Add(3 * time.Hour)
	}
	if !end.IsZero() {
		z.hi = end.Add(-3 * time.Hour)
	}
	w := t.In(z.loc)
	same := func(a time.Time) bool {
		aw := a.In(z.loc)
		return aw.Hour() == w.Hour() && aw.Minute() == w.Minute() && aw.Second() == w.Second() && aw.Day() == w.Day()
	}
	earlier, later := t, t
	for _, shift := range [...]time.Duration{time.Hour, 30 * time.Minute, 2 * time.Hour} {
		if same(t.Add(-shift)) {
			earlier = t.Add(-shift)
			break
		}
		if same(t.Add(shift)) {
			later = t.Add(shift)
			break
		}
	}
	if !prev.IsZero() && earlier.Before(prev) && !later.Before(prev) {
		return later
	}
	return earlier
}

// syslogKernel reads a kernel line: the uptime stamp "[12345.678901]" (kept
// as kernel_uptime and cut from the message) and the OOM killer's report.
func syslogKernel(ev *event.Event) {
	m := ev.Message
	if len(m) > 3 && m[0] == '[' {
		k := 1
		for k < len(m) && m[k] == ' ' {
			k++
		}
		ns := k
		for k < len(m) && (isDigit(m[k]) || m[k] == '.') {
			k++
		}
		if k > ns && k < len(m) && m[k] == ']' {
			ev.Fields = append(ev.Fields, event.Field{Key: "kernel_uptime", Value: m[ns:k]})
			k++
			for k < len(m) && m[k] == ' ' {
				k++
			}
			m = m[k:]
			ev.Message = m
		}
	}
	syslogOOM(ev, m)
}

// syslogOOM extracts the OOM killer's facts:
//
//	Out of memory: Killed process 4321 (java) total-vm:..., anon-rss:4194304kB, ...
//	Memory cgroup out of memory: Killed process 4321 (java) ...
//	Killed process 11726, UID 498, (mysqld) total-vm:7823732kB, anon-rss:2539268kB, ...
//	Out of memory: Kill process 27438 (R) score 31 or sacrifice child
//	java invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0
func syslogOOM(ev *event.Event, m string) {
	if k := strings.Index(m, " invoked oom-killer"); k > 0 {
		w := m[:k]
		if sp := strings.LastIndexByte(w, ' '); sp >= 0 {
			w = w[sp+1:]
		}
		ev.Set("oom_invoker", w)
		return
	}
	k := strings.Index(m, "Killed process ")
	n := len("Killed process ")
	if k < 0 {
		if k = strings.Index(m, "Kill process "); k < 0 {
			return
		}
		n = len("Kill process ")
	}
	if k > 0 && m[k-1] != ' ' {
		return
	}
	r := m[k+n:]
	d := 0
	for d < len(r) && isDigit(r[d]) {
		d++
	}
	if d == 0 {
		return
	}
	ev.Set("oom_pid", r[:d])
	if p := strings.IndexByte(r, '('); p >= 0 && p < 32 {
		name := r[p+1:]
		end := -1
		for q := 0; q < len(name) && q < 64; q++ {
			if name[q] == ')' && (q+1 == len(name) || name[q+1] == ' ' || name[q+1] == ',') {
				end = q
				break
			}
		}
		if end > 0 {
			ev.Set("oom_process", name[:end])
		}
	}
	if a := strings.Index(r, "anon-rss:"); a >= 0 {
		v := r[a+len("anon-rss:"):]
		e := 0
		for e < len(v) && v[e] != ',' && v[e] != ' ' {
			e++
		}
		ev.Set("anon_rss", v[:e])
	}
}

// syslog5424Shape reports the part of an RFC 5424 line after its timestamp
// when it has no <PRI>: "host app procid msgid [sd|-]" with a numeric or
// nil procid.
func syslog5424Shape(b []byte) bool {
	i := 0
	for f := 0; f < 4; f++ {
		s := i
		for i < len(b) && b[i] != ' ' {
			i++
		}
		if i == s || i >= len(b) {
			return false
		}
		if f == 2 { // procid
			tok := b[s:i]
			if !(len(tok) == 1 && tok[0] == '-') && !syslogDigits(string(tok)) {
				return false
			}
		}
		i++
	}
	if i >= len(b) {
		return false
	}
	switch b[i] {
	case '-':
		return i+1 == len(b) || b[i+1] == ' '
	case '[':
		return i+1 < len(b) && b[i+1] != ' ' && b[i+1] != ']' && bytes.IndexByte(b[i:], ']') > 0
	}
	return false
}
