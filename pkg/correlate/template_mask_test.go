package correlate

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// tmplFeatures is the union of tmplFeat over w's bytes, as tmplMask gathers it.
func tmplFeatures(w string) uint16 {
	var f uint16
	for i := 0; i < len(w); i++ {
		f |= tmplFeat[w[i]]
	}
	return f
}

// tmplCheckFastPaths fails when a fast path of masking gives another answer
// than the general one for the whitespace-free word w.
func tmplCheckFastPaths(t *testing.T, w string) {
	t.Helper()
	f := tmplFeatures(w)
	if tmplPlainWord(w, f) {
		if got := string(tmplMaskWord(nil, w, f)); got != w {
			t.Fatalf("tmplPlainWord(%q) = true, but tmplMaskWord gives %q", w, got)
		}
		// tmplMask gives such a word no flags without looking
		if fl := tmplWordFlags([]byte(w)); fl != 0 && f&tmplHasAngle == 0 && len(w) != 2 {
			t.Fatalf("tmplWordFlags(%q) = %d for a word without '<'", w, fl)
		}
	}
}

// tmplFastPathWords are word shapes near the edges of the fast paths.
var tmplFastPathWords = []string{
	"client:", "server:", "upstream:", "request:", "host:", "reason:",
	"(reason:", "Leader:", "replicas:", "word", "Word,", "ERROR", "(x)", "[y]",
	"dead:beef::", "dead:beef", "a::b", "::", "[::]", "[::]:", "fe:ed:fa:ce:be:ef",
	"a:b:c:d:e:f", "ab:cd", "localhost:", "localhost:http", "x:y", ":", "::::",
	"abcdefab-abcd-abcd-abcd-abcdefabcdef", "abcdefab-abcd-abcd-abcd-abcdefabcde",
	"consumer-order-group", "order-group", "-", "--", "<*>", "<*>:", "<>", "<=",
	"C:", "C:\\x", "http://x", "a@b.com", "~/x", "./x", "x.y", "__consumer_offsets",
	"abc:def:", "a:", ":a", "café:", "µs:", "expired.)", "available.", "x.y.",
	"x.-y", "a..b", "a.b.com", "www.example.com", "(kafka-2.kafka.svc", "e.g.",
	"i.e.,", "...", ".x", "..x", "x._y", "mapred.job.id", "java.io.File",
}

func TestTemplateMaskFastPaths(t *testing.T) {
	for _, w := range tmplFastPathWords {
		tmplCheckFastPaths(t, w)
	}
	// random words over the bytes the fast paths look at
	const alphabet = "abcdefxyzABCFZ:::---__..//@~\\()[]{}<>*=,;'\"|%#+!?09\xc2\xb5"
	rng := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	for range 200000 {
		sb.Reset()
		for n := 1 + rng.IntN(40); n > 0; n-- {
			sb.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		tmplCheckFastPaths(t, sb.String())
	}
}

// tmplCheckTakeWords fails when tmplMask's shortcut, taking the masked words
// of msg as the tokens when none joins the one before it, gives other tokens
// than collapsing the words does.
func tmplCheckTakeWords(t *testing.T, msg string, maxTok int, quoted bool) {
	t.Helper()
	var fast, slow tmplLine
	if fast.words(msg, maxTok, quoted) || len(fast.rawEnd) > maxTok {
		return
	}
	slow.raw = append(slow.raw, fast.raw...)
	slow.rawEnd = append(slow.rawEnd, fast.rawEnd...)
	slow.flag = append(slow.flag, fast.flag...)
	fast.takeWords()
	slow.collapse(maxTok)
	tmplCheckSameTokens(t, msg, &fast, "taken", &slow, "collapsed")
}

// tmplCheckSameTokens fails when lines a and b, two ways of masking msg, hold
// other tokens.
func tmplCheckSameTokens(t *testing.T, msg string, a *tmplLine, aWay string, b *tmplLine, bWay string) {
	t.Helper()
	if a.n() != b.n() {
		t.Fatalf("mask(%q): %d tokens %s, %d %s", msg, a.n(), aWay, b.n(), bWay)
	}
	for i := 0; i < a.n(); i++ {
		if string(a.tok(i)) != string(b.tok(i)) || a.isValue(i) != b.isValue(i) {
			t.Fatalf("mask(%q): token %d %s %q (value %v), %s %q (value %v)",
				msg, i, aWay, a.tok(i), a.isValue(i), bWay, b.tok(i), b.isValue(i))
		}
	}
}

// tmplJoinWords are words that join their neighbours in collapse, or nearly.
var tmplJoinWords = []string{
	"64", "MB", "KB)", "18.4", "(18.4", "bytes", "sec", "ms.", "Fri", "Jun", "JUNE", "Junk",
	"17", "07:07:00", "2005", "blk_1", "blk_2", "<*>", "()", "[]", "x", "to", "from",
	"10.0.0.1:", "11:", "(uid=0)", "1,2,3", "(", ")", "[1]", "{", "a:1", "\"q\"", "'q'",
}

func TestTemplateMaskTakeWords(t *testing.T) {
	msgs, _ := tmplBenchMessages(1 << 18)
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		words := make([]string, 1+rng.IntN(12))
		for i := range words {
			words[i] = tmplJoinWords[rng.IntN(len(tmplJoinWords))]
		}
		msgs = append(msgs, strings.Join(words, " "))
	}
	for _, msg := range msgs {
		for _, maxTok := range []int{DefaultMaxTokens, 4} {
			tmplCheckTakeWords(t, msg, maxTok, false)
			tmplCheckTakeWords(t, msg, maxTok, true)
		}
	}
}

// tmplCheckRecentWords fails when masking msg with line l, whose recent
// words may hold msg's words or others with the same hash, gives other tokens
// than masking it with a new line.
func tmplCheckRecentWords(t *testing.T, l *tmplLine, msg string) {
	t.Helper()
	var fresh tmplLine
	tmplMask(l, msg, DefaultMaxTokens, false)
	tmplMask(&fresh, msg, DefaultMaxTokens, false)
	tmplCheckSameTokens(t, msg, l, "with recent words", &fresh, "without")
}

func TestTemplateMaskRecentWords(t *testing.T) {
	msgs, _ := tmplBenchMessages(1 << 18)
	// more words than the table holds, many of one length and ending
	for i := range 3 * tmplRecentSize {
		msgs = append(msgs, fmt.Sprintf("from 10.0.%d.%d: %d KB, host%02d.example.com:%d, <%d>", i%7, i%13, i, i%11, i%5, i%3))
	}
	var l tmplLine
	for _, msg := range append(msgs, msgs...) {
		tmplCheckRecentWords(t, &l, msg)
	}
}

func FuzzTemplateMaskFastPaths(f *testing.F) {
	for _, w := range tmplFastPathWords {
		f.Add(w)
	}
	f.Add(strings.Join(tmplJoinWords, " "))
	f.Fuzz(func(t *testing.T, in string) {
		for _, w := range strings.Fields(in) {
			tmplCheckFastPaths(t, w)
		}
		for _, maxTok := range []int{DefaultMaxTokens, 3} {
			tmplCheckTakeWords(t, in, maxTok, false)
			tmplCheckTakeWords(t, in, maxTok, true)
		}
		var l tmplLine
		for _, msg := range strings.Split(in+"\n"+in, "\n") {
			tmplCheckRecentWords(t, &l, msg)
		}
	})
}

// tmplRefWords is words the plain way, the reference its fast paths are held
// to: every word through tmplMaskWord and tmplWordFlags, every pair of
// neighbours through tmplJoins, one append at a time.
func tmplRefWords(l *tmplLine, msg string, maxTok int, quoted bool) (joins bool) {
	l.raw, l.rawEnd, l.flag = l.raw[:0], l.rawEnd[:0], l.flag[:0]
	prev, prevEnd := -1, 0
	n, far := 0, 2*maxTok+8
	i := 0
	for i < len(msg) {
		for i < len(msg) && tmplIs(msg[i], tmplCSpace) {
			i++
		}
		if i >= len(msg) {
			break
		}
		if n > far {
			l.raw = append(l.raw, tmplWild...)
			l.rawEnd = append(l.rawEnd, int32(len(l.raw)))
			l.raw = append(l.raw, ' ')
			l.flag = append(l.flag, tmplFVar|tmplFOpen)
			break
		}
		j := i
		start := len(l.raw)
		if quoted && (msg[i] == '"' || msg[i] == '\'') {
			if k := tmplQuoteEnd(msg, i); k > 0 {
				l.raw = append(l.raw, msg[i])
				l.raw = append(l.raw, tmplWild...)
				l.raw = append(l.raw, msg[i])
				for j = k; j < len(msg) && !tmplIs(msg[j], tmplCSpace); j++ {
					l.raw = append(l.raw, msg[j])
				}
			}
		}
		if j == i {
			for j < len(msg) && !tmplIs(msg[j], tmplCSpace) {
				j++
			}
			l.raw = tmplMaskWord(l.raw, msg[i:j], tmplFeatures(msg[i:j]))
		}
		f := tmplWordFlags(l.raw[start:])
		if prev >= 0 && tmplJoins(l.raw[prev:prevEnd], l.flag[len(l.flag)-1], l.raw[start:], f) {
			joins = true
		}
		i = j
		prev, prevEnd = start, len(l.raw)
		n++
		l.rawEnd = append(l.rawEnd, int32(len(l.raw)))
		l.raw = append(l.raw, ' ')
		l.flag = append(l.flag, f)
	}
	return joins
}

// tmplCheckWords fails when words, with the recent words of l, masks msg
// into other words, flags or joins than tmplRefWords does.
func tmplCheckWords(t *testing.T, l *tmplLine, msg string, maxTok int, quoted bool) {
	t.Helper()
	var ref tmplLine
	want := tmplRefWords(&ref, msg, maxTok, quoted)
	got := l.words(msg, maxTok, quoted)
	if got != want || string(l.raw) != string(ref.raw) || fmt.Sprint(l.rawEnd) != fmt.Sprint(ref.rawEnd) || string(l.flag) != string(ref.flag) {
		t.Fatalf("words(%q, %d, %v):\n got %q %v %v joins %v\nwant %q %v %v joins %v", msg, maxTok, quoted,
			l.raw, l.rawEnd, l.flag, got, ref.raw, ref.rawEnd, ref.flag, want)
	}
}

func TestTemplateMaskWords(t *testing.T) {
	msgs, _ := tmplBenchMessages(1 << 18)
	msgs = append(msgs, tmplFastPathWords...)
	msgs = append(msgs, strings.Join(tmplFastPathWords, " "), strings.Join(tmplJoinWords, "  \t"),
		"", " ", "x", " x ", "\"a b\" 'c' \"d", strings.Repeat("1 ", 200), strings.Repeat("a ", 200))
	var l tmplLine
	for _, msg := range msgs {
		for _, maxTok := range []int{DefaultMaxTokens, 3} {
			tmplCheckWords(t, &l, msg, maxTok, false)
			tmplCheckWords(t, &l, msg, maxTok, true)
		}
	}
}

func FuzzTemplateMaskWords(f *testing.F) {
	for _, w := range tmplFastPathWords {
		f.Add(w)
	}
	f.Add(strings.Join(tmplJoinWords, " "))
	f.Add("upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.15.164, server: api.invoice.example.com, request: \"POST /api/invoice HTTP/1.1\", upstream: \"http://10.0.2.7:8080/api/invoice\", host: \"api.invoice.example.com:9443\"")
	f.Add("Shrinking ISR from 1,2,3 to 1,3. Leader: (highWatermark: 1204233, endOffset: 1204240). Out of sync replicas: (brokerId: 2, endOffset: 1204101, lastCaughtUpTimeMs: 1692067473642).")
	f.Add("open() \"/x\" failed (2: No such file), client: 10.0.0.1, server: a.example.com\n10.0.0.2,\n64 KB\nblk_1 blk_2")
	f.Fuzz(func(t *testing.T, in string) {
		var l tmplLine
		lines := strings.Split(in, "\n")
		msgs := append(lines, lines...)
		// lines that share their first and last words with the one
		// before, as tmplPrevLines takes them
		for _, x := range lines {
			msgs = append(msgs, lines[0]+" "+x+" "+lines[len(lines)-1], lines[0]+x+lines[len(lines)-1])
		}
		for _, msg := range msgs {
			for _, maxTok := range []int{DefaultMaxTokens, 3} {
				tmplCheckWords(t, &l, msg, maxTok, false)
				tmplCheckWords(t, &l, msg, maxTok, true)
			}
		}
	})
}

// TestTemplateMaskSharedWords masks lines that begin or end with the words
// of the line before (which tmplPrevLines takes as masked then) one after
// another with one line, and holds each to tmplRefWords.
func TestTemplateMaskSharedWords(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
	}{
		{"nginx", []string{
			`open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 172.16.26.7, server: api.example.com, request: "GET /favicon.ico HTTP/1.1", host: "api.example.com:9443"`,
			`open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 10.0.7.42, server: api.example.com, request: "GET /favicon.ico HTTP/1.1", host: "api.example.com:9443"`,
			`open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 10.0.7.42, server: api.example.com, request: "GET /favicon.ico HTTP/1.1", host: "api.example.com:9443"`,
			`open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: x, server: api.example.com, request: "GET /favicon.ico HTTP/1.1", host: "api.example.com:9443"`,
		}},
		{"whitespace", []string{
			"aaaaaaaa b c d e", "aaaaaaaa b  c d e", "aaaaaaaa b\tc d e", "aaaaaaaa b c d e ", "aaaaaaaa b c d e  ", "aaaaaaaa  b c d e",
			"aaaaaaaa b c", "aaaaaaaa b", "aaaaaaaa", "aaaaaaaa b c d e f g",
		}},
		{"joins", []string{
			// a value or unit next to the shared words, before or after
			"transfer done: 64 KB in 3 s, ok", "transfer done: 12 KB in 3 s, ok", "transfer done: x KB in 3 s, ok",
			"transfer done: 64 y in 3 s, ok", "transfer done: 64 KB in x s, ok", "transfer done: 64 KB 10 s, ok",
			"blocks blk_1 blk_2 blk_3 gone", "blocks blk_1 blk_4 blk_3 gone", "blocks x blk_4 blk_3 gone",
			"blocks blk_1 x blk_3 gone", "on Fri Jun 17 07:07:00 2005 up", "on Sat Jun 17 07:07:00 2005 up", "on Sat x 17 07:07:00 2005 up",
		}},
		{"overlap", []string{
			"a b a b a b a b", "a b a b a b", "a b a b a b a b a b", "a b a b x a b a b", "a b a b a b a b",
			"12345678 9 10", "12345678 9 11 10", "12345678 10",
		}},
		{"cap", []string{
			strings.Repeat("word ", 30) + "end", strings.Repeat("word ", 10) + "x " + strings.Repeat("word ", 20) + "end",
			strings.Repeat("word ", 12) + "end", strings.Repeat("word ", 13) + "end", strings.Repeat("word ", 14) + "end",
			strings.Repeat("word ", 12) + "end", strings.Repeat("word ", 6) + "x 1 2 " + strings.Repeat("word ", 6) + "end",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, maxTok := range []int{DefaultMaxTokens, 3} {
				var l tmplLine
				for _, msg := range append(tc.lines, tc.lines...) {
					tmplCheckWords(t, &l, msg, maxTok, false)
				}
			}
			// quoted masking keeps no lines, and lines kept before
			// it still serve
			var l tmplLine
			for i, msg := range tc.lines {
				tmplCheckWords(t, &l, msg, DefaultMaxTokens, i%2 == 0)
			}
		})
	}
}

// tmplCheckNumberWord fails when tmplNumberWord takes word w for a number or
// IPv4 address and tmplMaskWord and tmplWordFlags give it another form than
// maskWord's shortcut does.
func tmplCheckNumberWord(t *testing.T, w string) bool {
	t.Helper()
	ok, comma := tmplNumberWord(w)
	if !ok {
		return false
	}
	want, wantFlag := tmplWild, uint8(tmplFVar|tmplFOpen)
	if comma {
		want, wantFlag = tmplWildComma, tmplFVar
	}
	got := tmplMaskWord(nil, w, tmplFeatures(w))
	if string(got) != want || tmplWordFlags(got) != wantFlag {
		t.Fatalf("tmplNumberWord(%q) gives %q (flags %d), tmplMaskWord %q (flags %d)",
			w, want, wantFlag, got, tmplWordFlags(got))
	}
	var l tmplLine
	if got, f := l.maskWord(nil, w, tmplFeatures(w)); string(got) != want || f != wantFlag {
		t.Fatalf("maskWord(%q) = %q (flags %d), want %q (flags %d)", w, got, f, want, wantFlag)
	}
	return true
}

func TestTemplateMaskNumberWords(t *testing.T) {
	for _, c := range []struct {
		w  string
		ok bool
	}{
		{"0", true}, {"12345", true}, {"12345,", true}, {"007", true},
		{"10.0.0.1", true}, {"10.0.0.1,", true}, {"10.0.0.1:8080", true},
		{"10.0.0.1:65535,", true}, {"10.0.0.0/8", true}, {"255.255.255.255", true},
		{"", false}, {",", false}, {"1,,", false}, {"1,2", false}, {",1", false},
		{"1.", false}, {"1.5", false}, {"12.", false}, {"1.2.3", false},
		{"1.2.3.4.", false}, {"1.2.3.4.5", false}, {"1234.1.1.1", false},
		{"1.2.3.1234", false}, {"1.2.3.4:", false}, {"1.2.3.4:123456", false},
		{"1.2.3.4/", false}, {"1.2.3.4:80:", false}, {"1.2.3.4x", false},
		{"1..2.3", false}, {"12:30", false}, {"12:30:00", false}, {"1s", false},
		{"0x1f", false}, {"-1", false}, {"+1", false}, {"1;", false}, {"1)", false},
		{"(1)", false}, {"1.2.3.4]", false}, {"\u0661", false},
	} {
		if got := tmplCheckNumberWord(t, c.w); got != c.ok {
			t.Errorf("tmplNumberWord(%q) = %v, want %v", c.w, got, c.ok)
		}
	}
}

func FuzzTemplateMaskNumberWord(f *testing.F) {
	for _, w := range []string{"12345,", "10.0.0.1:8080", "10.0.0.0/8,", "1.2.3.4.", "1:2"} {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, w string) {
		if strings.IndexFunc(w, func(r rune) bool { return tmplFeat[byte(r)]&tmplHasSpace != 0 && r < 0x80 }) < 0 {
			tmplCheckNumberWord(t, w)
		}
	})
}
