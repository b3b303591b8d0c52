package correlate

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// tmplFeatures is the union of tmplFeat over w's bytes, as tmplMask gathers it.
func tmplFeatures(w string) uint8 {
	var f uint8
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

func FuzzTemplateMaskFastPaths(f *testing.F) {
	for _, w := range tmplFastPathWords {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, w := range strings.Fields(in) {
			tmplCheckFastPaths(t, w)
		}
	})
}
