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
