package gen

import "time"

// Syslog writes RFC 3164 (BSD syslog) lines as rsyslog's traditional file
// format stores them: no PRI, no year, no zone, the day padded with a
// space, then the host and the tag:
//
//	Aug 15 14:22:17 node-3 kernel: [8823412.551512] Memory cgroup out of memory: Killed process 28790 (java) ...
//	Aug  5 09:01:02 node-3 CRON[21833]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)
type Syslog struct {
	Host string
	k    *Clock
}

// NewSyslog returns a writer for host whose system zone is loc.
func NewSyslog(host string, loc *time.Location) *Syslog { return &Syslog{Host: host, k: NewClock(loc)} }

// Append appends one line (with its newline). pid 0 writes the tag without
// "[pid]" (as the kernel's lines are).
func (w *Syslog) Append(b []byte, t time.Time, program string, pid int, msg string) []byte {
	c := w.k.at(t)
	b = append(b, monthAbbr[c.month]...)
	b = append(b, ' ')
	if c.day < 10 {
		b = append(b, ' ', byte('0'+c.day))
	} else {
		b = append2(b, c.day)
	}
	b = append(b, ' ')
	b = appendHMS(b, c)
	b = append(b, ' ')
	b = append(b, w.Host...)
	b = append(b, ' ')
	b = append(b, program...)
	if pid > 0 {
		b = append(b, '[')
		b = appendInt(b, int64(pid))
		b = append(b, ']')
	}
	b = append(b, ": "...)
	b = append(b, msg...)
	return append(b, '\n')
}

// KernelStamp formats the "[%5lu.%06lu]" uptime prefix of kernel lines.
func KernelStamp(uptime time.Duration) string {
	s := appendSeconds(nil, uptime, 6)
	b := []byte{'['}
	for i := len(s); i < 12; i++ { // the seconds are padded to 5 columns
		b = append(b, ' ')
	}
	b = append(b, s...)
	return string(append(b, ']'))
}
