package gen

import "time"

// MariaDBError writes MariaDB 10.x/11.x error-log lines: the server's local
// time without zone, the hour padded with a space, the thread id, the
// bracketed level, then the message:
//
//	2024-03-12  9:41:07 0 [Note] InnoDB: Buffer pool(s) load completed at 240312  9:41:07
//	2024-03-12 10:02:55 0 [Warning] mariadbd: Disk is full writing './mysql-bin.000214' (Errcode: 28 "No space left on device"). Waiting for someone to free space... (Expect up to 60 secs delay for server to continue after freeing disk space)
type MariaDBError struct {
	k *Clock
}

// NewMariaDBError returns a writer for a server whose system zone is loc.
func NewMariaDBError(loc *time.Location) *MariaDBError { return &MariaDBError{k: NewClock(loc)} }

// Append appends one line (with its newline). level is "Note", "Warning"
// or "ERROR".
func (w *MariaDBError) Append(b []byte, t time.Time, thread int64, level, msg string) []byte {
	c := w.k.at(t)
	b = appendDate(b, c, '-')
	b = append(b, ' ')
	if c.hour < 10 {
		b = append(b, ' ', byte('0'+c.hour))
	} else {
		b = append2(b, c.hour)
	}
	b = append(b, ':')
	b = append2(b, c.min)
	b = append(b, ':')
	b = append2(b, c.sec)
	b = append(b, ' ')
	b = appendInt(b, thread)
	b = append(b, " ["...)
	b = append(b, level...)
	b = append(b, "] "...)
	b = append(b, msg...)
	return append(b, '\n')
}
