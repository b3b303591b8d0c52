package parse

import "github.com/rca-dev/rca/pkg/event"

// levelWord maps a level word as logging libraries write it (any case) to a
// normalized level. It knows the names of log4j/logback, Python, Go's slog
// and zap, syslog severities, MySQL 8 ("System", "Note") and Java's
// java.util.logging (SEVERE, FINE...).
func levelWord(b []byte) (event.Level, bool) {
	if len(b) == 0 || len(b) > 11 {
		return event.LevelNone, false
	}
	var buf [11]byte
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	switch string(buf[:len(b)]) {
	case "trace", "trc", "finest", "finer", "verbose", "debug2", "debug3", "debug4", "debug5":
		return event.LevelTrace, true
	case "debug", "dbg", "fine", "config":
		return event.LevelDebug, true
	case "info", "inf", "information", "informational", "note", "system":
		return event.LevelInfo, true
	case "notice":
		return event.LevelNotice, true
	case "warn", "warning", "wrn":
		return event.LevelWarn, true
	case "error", "err", "eror", "severe", "crit", "critical", "dpanic":
		return event.LevelError, true
	case "fatal", "ftl", "panic", "alert", "emerg", "emergency":
		return event.LevelFatal, true
	}
	return event.LevelNone, false
}

// LevelOf normalizes a level name; it returns "" for a word that is not one.
func LevelOf(s string) event.Level {
	l, _ := levelWord([]byte(s))
	return l
}

// syslogSeverity maps an RFC 5424 severity (PRI & 7) to a level.
func syslogSeverity(sev int) event.Level {
	switch sev {
	case 0, 1:
		return event.LevelFatal
	case 2, 3:
		return event.LevelError
	case 4:
		return event.LevelWarn
	case 5:
		return event.LevelNotice
	case 6:
		return event.LevelInfo
	default:
		return event.LevelDebug
	}
}

// httpLevel is the level of an access-log line with the given status:
// 5xx counts as error, 4xx as warn, anything else as info.
func httpLevel(status string) event.Level {
	if len(status) == 3 {
		switch status[0] {
		case '5':
			return event.LevelError
		case '4':
			return event.LevelWarn
		}
	}
	return event.LevelInfo
}
