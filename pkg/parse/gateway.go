package parse

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

// Byte scanners shared by the gateway formats (nginx, ingress-nginx, Envoy,
// HAProxy): quoted strings, bracketed values, nginx-style value lists
// ("10.0.0.1:80, 10.0.0.2:80" and "10.0.0.1:80 : 10.0.0.2:80"), durations in
// seconds, and the common/combined access-log line itself.

// gatewaySkipSpaces returns the index of the first non-space at or after i.
func gatewaySkipSpaces(b []byte, i int) int {
	for i < len(b) && b[i] == ' ' {
		i++
	}
	return i
}

// gatewayTokenEnd returns the index of the first space at or after i.
func gatewayTokenEnd(b []byte, i int) int {
	for i < len(b) && b[i] != ' ' {
		i++
	}
	return i
}

// gatewayQuoteEnd returns the index of the quote closing the string opened
// at b[i] (which must be '"'), or -1. A backslash escapes the next byte
// (Apache writes \" inside values). A quote counts as closing only when a
// space or the end of the line follows, so a stray unescaped quote inside a
// user agent does not cut it short; when no quote qualifies, the last quote
// of the line closes the string.
//
// Quotes and backslashes are found with bytes.IndexByte (a user agent is
// a hundred bytes or more, without either, on most lines).
func gatewayQuoteEnd(b []byte, i int) int {
	last := -1
	bs := -2 // the next backslash at or after j; -1: none left; -2: not looked for
	for j := i + 1; j < len(b); {
		if bs != -1 && bs < j {
			bs = indexByteFrom(b, j, '\\')
		}
		q := indexByteFrom(b, j, '"')
		if bs >= 0 && (q < 0 || bs < q) {
			j = bs + 2 // the escaped byte is skipped
			continue
		}
		if q < 0 {
			break
		}
		if q+1 == len(b) || b[q+1] == ' ' {
			return q
		}
		last = q
		j = q + 1
	}
	return last
}

// indexByteFrom is the index of the first c in b at or after i, or -1.
func indexByteFrom(b []byte, i int, c byte) int {
	if k := bytes.IndexByte(b[i:], c); k >= 0 {
		return i + k
	}
	return -1
}

// indexVia is strings.Index(s, sub) for a non-empty sub, found from the
// occurrences of sub[k] (IndexByte), a byte of sub rarer in the text than
// sub[0], where strings.Index starts: the '(' of " (" (a blank is every
// sixth byte of a message). strings.Index also compares sub at every
// offset of an s of 64 bytes or less, a few instructions a byte.
func indexVia(s, sub string, k int) int {
	for i, last := k, len(s)-len(sub)+k; i <= last; i++ {
		j := strings.IndexByte(s[i:last+1], sub[k])
		if j < 0 {
			return -1
		}
		i += j
		if s[i-k] == sub[0] && s[i-k:i-k+len(sub)] == sub {
			return i - k
		}
	}
	return -1
}

// lastIndex is strings.LastIndex(s, sep) for a sep that occurs seldom in
// s: the forward search, repeated past each occurrence, runs on the
// vectorized strings.Index, where LastIndex hashes every byte (an nginx
// error line's ", client: " is near its end, but cost LastIndex 2,500
// instructions).
func lastIndex(s, sep string) int {
	last := -1
	for from := 0; from <= len(s); {
		i := strings.Index(s[from:], sep)
		if i < 0 {
			break
		}
		last = from + i
		from = last + 1
	}
	return last
}

// Kinds of gatewayItem.
const (
	gatewayBare    = 't' // a bare token or a bare value list
	gatewayQuotedK = 'q' // "..." (s, e exclude the quotes)
	gatewayBracket = 'b' // [...] (s, e exclude the brackets)
	gatewayKV      = 'k' // key=value or key="value" (value in s, e; key in ks, ke)
)

// gatewayItem is one value of a space-separated tail of fields.
type gatewayItem struct {
	kind   byte
	s, e   int  // the value
	ks, ke int  // the key of a key=value item
	sep    bool // a bare value holds a list separator (gatewayListSep >= 0)
}

// gatewayNextItem reads the item starting at or after i. Bare tokens joined
// by nginx's list separators (a token ending in ',' followed by another, or
// a lone ':' between two) form one item when lists is set.
func gatewayNextItem(b []byte, i int, lists bool) (it gatewayItem, next int, ok bool) {
	i = gatewaySkipSpaces(b, i)
	if i >= len(b) {
		return it, i, false
	}
	switch b[i] {
	case '"':
		j := gatewayQuoteEnd(b, i)
		if j < 0 {
			return gatewayItem{kind: gatewayQuotedK, s: i + 1, e: len(b)}, len(b), true
		}
		return gatewayItem{kind: gatewayQuotedK, s: i + 1, e: j}, j + 1, true
	case '[':
		j := bytes.IndexByte(b[i:], ']')
		if j < 0 {
			return gatewayItem{kind: gatewayBracket, s: i + 1, e: len(b)}, len(b), true
		}
		return gatewayItem{kind: gatewayBracket, s: i + 1, e: i + j}, i + j + 1, true
	}
	end := gatewayTokenEnd(b, i)
	if eq := gatewayKeyEnd(b, i, end); eq > i {
		v := eq + 1
		if v < len(b) && b[v] == '"' {
			j := gatewayQuoteEnd(b, v)
			if j < 0 {
				j = len(b)
			}
			return gatewayItem{kind: gatewayKV, ks: i, ke: eq, s: v + 1, e: j}, min(j+1, len(b)), true
		}
		e := end
		if lists {
			e = gatewayListEnd(b, end)
		}
		return gatewayItem{kind: gatewayKV, ks: i, ke: eq, s: v, e: e}, e, true
	}
	sep := false
	if lists {
		e := gatewayListEnd(b, end)
		sep = e != end // joined over ", " or " : "
		end = e
	}
	if !sep {
		sep = bytes.IndexByte(b[i:end], ',') >= 0
	}
	return gatewayItem{kind: gatewayBare, s: i, e: end, sep: sep}, end, true
}

// gatewayKeyEnd returns the index of the '=' of a key=value token b[i:end]
// whose key is a word ([A-Za-z0-9_-]+ starting with a letter), or -1.
func gatewayKeyEnd(b []byte, i, end int) int {
	if i >= end || !isLetter(b[i]) {
		return -1
	}
	for j := i + 1; j < end; j++ {
		c := b[j]
		switch {
		case c == '=':
			return j
		case isLetter(c) || isDigit(c) || c == '_' || c == '-':
		default:
			return -1
		}
	}
	return -1
}

// gatewayListEnd extends a bare token ending at end over nginx's list
// separators: "a, b" and "a : b".
func gatewayListEnd(b []byte, end int) int {
	for end < len(b) {
		switch {
		case b[end-1] == ',' && end+1 < len(b) && b[end] == ' ' && gatewayListElem(b[end+1]):
			end = gatewayTokenEnd(b, end+1)
		case end+3 < len(b) && b[end] == ' ' && b[end+1] == ':' && b[end+2] == ' ' && gatewayListElem(b[end+3]):
			end = gatewayTokenEnd(b, end+3)
		default:
			return end
		}
	}
	return end
}

// gatewayListElem: c may start an element of a bare value list.
func gatewayListElem(c byte) bool {
	return c != '"' && c != '[' && c != ' '
}

// gatewayListLast is the last element of a value list (the effective
// upstream or status after retries), or v itself.
func gatewayListLast(v string) string {
	for i := len(v) - 1; i >= 0; i-- {
		if v[i] == ' ' || v[i] == ',' {
			return v[i+1:]
		}
	}
	return v
}

// gatewayIsList reports whether v holds more than one element.
func gatewayIsList(v string) bool { return gatewayListSep(v) >= 0 }

// gatewayListSep is the index of the first list separator (space or
// comma) in v, or -1.
func gatewayListSep(v string) int {
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' || v[i] == ',' {
			return i
		}
	}
	return -1
}

// gatewayMicros parses a duration in seconds ("0.123", "12") to
// microseconds; digits past the sixth decimal are dropped.
func gatewayMicros(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var v int64
	i := 0
	for ; i < len(s) && isDigit(s[i]); i++ {
		if i > 9 {
			return 0, false
		}
		v = v*10 + int64(s[i]-'0')
	}
	if i == 0 {
		return 0, false
	}
	v *= 1e6
	if i < len(s) {
		if s[i] != '.' || i+1 == len(s) {
			return 0, false
		}
		scale := int64(1e5)
		for i++; i < len(s); i++ {
			if !isDigit(s[i]) {
				return 0, false
			}
			v += int64(s[i]-'0') * scale
			scale /= 10
		}
	}
	return v, true
}

// gatewaySecondsToMs converts a duration in seconds, or a list of them (the
// time of each upstream tried), to milliseconds as a decimal string: the
// sum of the elements; "-" elements are skipped. ok is false when no
// element is a number.
func gatewaySecondsToMs(v string) (string, bool) {
	var total int64
	seen := false
	for len(v) > 0 {
		j := gatewayListSep(v)
		el := v
		if j >= 0 {
			el, v = v[:j], v[j+1:]
		} else {
			v = ""
		}
		if el == "" || el == ":" || el == "-" {
			continue
		}
		us, ok := gatewayMicros(el)
		if !ok {
			return "", false
		}
		total += us
		seen = true
	}
	if !seen {
		return "", false
	}
	return gatewayFormatMs(total), true
}

// gatewayFormatMs writes microseconds as milliseconds: "123", "0.5", "1500".
func gatewayFormatMs(us int64) string {
	if us%1000 == 0 {
		if ms := us / 1000; ms >= 0 && ms < int64(len(gatewayMsText)) {
			return gatewayMsText[ms]
		}
		return strconv.FormatInt(us/1000, 10)
	}
	var buf [32]byte
	b := strconv.AppendInt(buf[:0], us/1000, 10)
	b = append(b, '.')
	frac := us % 1000
	b = append(b, byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	for b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// gatewayMsText holds "0" to "999": most latencies are whole milliseconds
// under a second, and an access line would otherwise allocate one.
var gatewayMsText = func() (t [1000]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

// gatewayAllDigits reports a non-empty run of ASCII digits.
func gatewayAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// gatewayIsSeconds reports a duration in seconds as nginx writes it: digits,
// a point, digits ("0.003").
func gatewayIsSeconds(s string) bool {
	dot := strings.IndexByte(s, '.')
	return dot > 0 && gatewayAllDigits(s[:dot]) && gatewayAllDigits(s[dot+1:])
}

// gatewayIsHostPort reports "host:port", "[v6]:port" or "unix:/path".
func gatewayIsHostPort(s string) bool {
	if strings.HasPrefix(s, "unix:") {
		return len(s) > 5
	}
	i := strings.LastIndexByte(s, ':')
	return i > 0 && gatewayAllDigits(s[i+1:]) && s[0] != ':'
}

// gatewayIsRequestID reports a 32-digit hex id (nginx $request_id) or a UUID.
func gatewayIsRequestID(s string) bool {
	switch len(s) {
	case 32:
		for i := 0; i < len(s); i++ {
			if !isHex(s[i]) {
				return false
			}
		}
		return true
	case 36:
		for i := 0; i < len(s); i++ {
			if i == 8 || i == 13 || i == 18 || i == 23 {
				if s[i] != '-' {
					return false
				}
			} else if !isHex(s[i]) {
				return false
			}
		}
		return true
	}
	return false
}

func isHex(c byte) bool { return isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'f' }

// gatewaySplitHostPort splits "ip:port" (HAProxy writes IPv6 without
// brackets, so the last colon separates the port) into its parts. port is
// "" when the value has no numeric port.
func gatewaySplitHostPort(s string) (host, port string) {
	i := strings.LastIndexByte(s, ':')
	if i <= 0 || !gatewayAllDigits(s[i+1:]) {
		return s, ""
	}
	host = s[:i]
	if len(host) > 2 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	return host, s[i+1:]
}

// gatewayPublicIP reports an address that is an IP outside the private,
// loopback, link-local and unspecified ranges.
func gatewayPublicIP(s string) bool {
	a, ok := gatewayParseAddr(s)
	if !ok {
		return false
	}
	return !(a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified() || a.IsMulticast())
}

// gatewayParseAddr is netip.ParseAddr's answer, with dotted IPv4 (every
// access line's client) read here rather than through its error values.
func gatewayParseAddr(s string) (netip.Addr, bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '.': // ParseAddr reads IPv4 when a '.' comes before any ':' or '%'
			var f [4]uint8
			if !gatewayIPv4Fields(s, &f) {
				return netip.Addr{}, false
			}
			return netip.AddrFrom4(f), true
		case ':', '%':
			i = len(s)
		}
	}
	a, err := netip.ParseAddr(s)
	return a, err == nil
}

// gatewayIPv4Fields reads four decimal octets separated by dots, by the
// rules of net/netip: no empty field, no leading zero, none over 255.
func gatewayIPv4Fields(s string, f *[4]uint8) bool {
	val, pos, digits := 0, 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if digits == 1 && val == 0 {
				return false
			}
			val = val*10 + int(c-'0')
			digits++
			if val > 255 {
				return false
			}
		case c == '.':
			if i == 0 || i == len(s)-1 || s[i-1] == '.' || pos == 3 {
				return false
			}
			f[pos] = uint8(val)
			pos++
			val, digits = 0, 0
		default:
			return false
		}
	}
	if pos < 3 {
		return false
	}
	f[3] = uint8(val)
	return true
}

// gatewayURLHost returns the host[:port] of a URL ("http://10.0.2.5:8080/x"
// gives "10.0.2.5:8080"), or "" when s has no scheme.
func gatewayURLHost(s string) string {
	i := strings.Index(s, "://")
	if i <= 0 {
		return ""
	}
	h := s[i+3:]
	if strings.HasPrefix(h, "unix:") { // uwsgi://unix:/run/app.sock:
		return strings.TrimSuffix(h, ":")
	}
	if j := strings.IndexAny(h, "/?#"); j >= 0 {
		h = h[:j]
	}
	return h
}

// gatewayReset clears what a decoder may have filled in before it found
// that a line is not its own, so that the fallback gets a clean event.
func gatewayReset(ev *event.Event) {
	ev.Time = time.Time{}
	ev.Precision, ev.Zoned, ev.Level, ev.Message = 0, false, event.LevelNone, ""
	ev.Fields = ev.Fields[:0]
}

// gatewayAdd appends a field without looking for an existing one of the
// same name: for decoders filling a fresh event with distinct keys. Like
// Event.Set it drops empty values and "-".
func gatewayAdd(ev *event.Event, key, value string) {
	if value == "" || value == "-" {
		return
	}
	ev.Fields = append(ev.Fields, event.Field{Key: key, Value: value})
}

// gatewayRequest splits a request line "GET /x HTTP/1.1" and sets method,
// path and protocol. Lines without the three parts ("-", "", garbage) set
// nothing, or only what is recognizable.
func gatewayRequest(ev *event.Event, req string) {
	method, path, proto := gatewaySplitRequest(req)
	ev.Set("method", method)
	ev.Set("path", path)
	ev.Set("protocol", proto)
}

// gatewaySplitRequest splits a request line "GET /x HTTP/1.1" into method,
// path and protocol; the parts it does not find are "" (all three when
// the line has no method: "-", "", "- - -" of Envoy's TCP proxy).
func gatewaySplitRequest(req string) (method, path, proto string) {
	sp := strings.IndexByte(req, ' ')
	if sp <= 0 || req[:sp] == "-" {
		return "", "", ""
	}
	rest := req[sp+1:]
	if j := strings.LastIndexByte(rest, ' '); j >= 0 && strings.HasPrefix(rest[j+1:], "HTTP/") {
		return req[:sp], rest[:j], rest[j+1:]
	}
	return req[:sp], rest, ""
}

// gatewayRequestMessage is the message of an access-log line: the request
// line as written, a space, and the status ("GET /api/invoice HTTP/1.1 503").
// An empty request line gives the status alone.
func gatewayRequestMessage(raw string, rs, re, ss, se int) string {
	return (*textArena)(nil).requestMessage(raw, rs, re, ss, se)
}

// requestMessage is gatewayRequestMessage with the joined message built in
// t (allocated alone when t is nil).
func (t *textArena) requestMessage(raw string, rs, re, ss, se int) string {
	if rs >= re {
		return raw[ss:se]
	}
	if ss >= se {
		return raw[rs:re]
	}
	if t == nil {
		return raw[rs:re] + " " + raw[ss:se]
	}
	return t.join(raw[rs:re], raw[ss:se])
}
