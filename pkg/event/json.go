package event

import (
	"math/bits"
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendJSON appends the event as one JSON object in the shape of the
// events-v1 contract (shared/spec/events-v1.md) and returns the extended
// buffer. Keys come in a fixed order so output is stable; the template keys
// appear only when a template was assigned. Invalid UTF-8 in log text is
// replaced with U+FFFD so the output is always valid JSON.
func (e *Event) AppendJSON(b []byte) []byte {
	b = append(b, `{"time":`...)
	if e.Time.IsZero() {
		b = append(b, "null"...)
	} else {
		b = append(b, '"')
		b = AppendTime(b, e.Time, e.Precision)
		b = append(b, '"')
	}
	b = append(b, `,"source":`...)
	b = AppendString(b, e.Source)
	b = append(b, `,"file":`...)
	b = AppendString(b, e.File)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, e.Line, 10)
	b = append(b, `,"offset":`...)
	b = strconv.AppendInt(b, e.Offset, 10)
	b = append(b, `,"format":`...)
	b = AppendString(b, e.Format)
	b = append(b, `,"level":`...)
	b = appendNullable(b, string(e.Level))
	b = append(b, `,"message":`...)
	b = AppendString(b, e.Message)
	b = append(b, `,"kind":`...)
	b = appendNullable(b, e.Kind)
	b = append(b, `,"fields":{`...)
	for i, f := range e.Fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, f.Key)
		b = append(b, ':')
		b = AppendString(b, f.Value)
	}
	b = append(b, `},"lines":`...)
	b = strconv.AppendInt(b, int64(e.Lines), 10)
	b = append(b, `,"unparsed":`...)
	b = strconv.AppendBool(b, e.Unparsed)
	if e.TemplateID != "" {
		b = append(b, `,"template_id":`...)
		b = AppendString(b, e.TemplateID)
		b = append(b, `,"template":`...)
		b = AppendString(b, e.Template)
	}
	return append(b, '}')
}

func appendNullable(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return AppendString(b, s)
}

// AppendTime appends t in RFC 3339 UTC with prec fraction digits, at least
// milliseconds: 2023-08-15T06:22:17.123Z.
func AppendTime(b []byte, t time.Time, prec int) []byte {
	t = t.UTC()
	prec = max(3, min(prec, 9))
	if y, mo, d := t.Date(); y >= 0 && y <= 9999 {
		// written out: AppendFormat parses its layout each call
		h, mi, s := t.Clock()
		b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
			byte('0'+mo/10), byte('0'+mo%10), '-', byte('0'+d/10), byte('0'+d%10), 'T',
			byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':', byte('0'+s/10), byte('0'+s%10))
	} else {
		b = t.AppendFormat(b, "2006-01-02T15:04:05")
	}
	b = append(b, '.')
	ns := t.Nanosecond()
	var digits [9]byte
	for i := 8; i >= 0; i-- {
		digits[i] = byte('0' + ns%10)
		ns /= 10
	}
	b = append(b, digits[:prec]...)
	return append(b, 'Z')
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string. Control characters (including
// ESC, so terminal escapes in logs stay inert, and the C1 controls, line
// separators and bidi overrides of InertRune) are escaped; invalid UTF-8
// becomes U+FFFD.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight bytes at a time up to the first that needs a look: most
		// log text is printable ASCII, which goes out as it is.
		for i+8 <= len(s) {
			if m := needsLook(le64(s[i : i+8])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if InertRune(r) {
			// C1 controls (U+009B is a one-rune CSI to some terminals),
			// line separators and bidi overrides: escaped, so JSON piped
			// to a terminal stays inert; the decoded string is unchanged.
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// needsLook has the high bit set in each byte of x (eight bytes of a
// string, the first lowest) that AppendString cannot copy as it is:
// unprintable ones, '"' and '\\'. Bits may also be set above such a byte
// (a borrow), never below the first one, so the lowest set bit is exact.
// TestNeedsLook checks it byte by byte.
func needsLook(x uint64) uint64 {
	q, bs := x^('"'*swarOnes), x^('\\'*swarOnes)
	return unprintable(x) | ((q-swarOnes)&^q|(bs-swarOnes)&^bs)&swarHighs // a zero byte: a quote, a backslash
}

// unprintable has the high bit set in each byte of x that is below 0x20,
// DEL, or 0x80 and above (the lowest set bit exact, as for needsLook).
func unprintable(x uint64) uint64 {
	del := x ^ (0x7f * swarOnes)
	return ((x-0x20*swarOnes)&^x | (del-swarOnes)&^del | x) & swarHighs
}

const (
	swarOnes  = 0x0101010101010101
	swarHighs = 0x8080808080808080
)

// PrintableASCII reports whether s holds only printable ASCII: no byte
// below 0x20, no DEL, none of 0x80 or more (eight bytes at a time).
func PrintableASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if unprintable(le64(s[i:i+8])) != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			return false
		}
	}
	return true
}

// le64 is the first eight bytes of s, little-endian (one load).
func le64(s string) uint64 {
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// InertRune reports the non-ASCII runes that must not reach a terminal or a
// viewer raw: the C1 controls U+0080–U+009F (U+009B is a one-rune CSI and
// U+009D an OSC to some terminals), the line and paragraph separators, and
// the bidirectional overrides and isolates that reorder displayed text
// ("Trojan source").
func InertRune(r rune) bool {
	switch {
	case r >= 0x80 && r < 0xa0:
		return true
	case r == '\u2028' || r == '\u2029':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}
