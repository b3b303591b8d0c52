package parse

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The byte-at-a-time definitions the faster scanners must agree with.

func refQuoteEnd(b []byte, i int) int {
	last := -1
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			if j+1 == len(b) || b[j+1] == ' ' {
				return j
			}
			last = j
		}
	}
	return last
}

func refListLast(v string) string {
	if i := strings.LastIndexAny(v, " ,"); i >= 0 {
		return v[i+1:]
	}
	return v
}

// TestGatewayScannersAgree compares gatewayQuoteEnd, gatewayListLast and
// gatewayIsList with their definitions on random lines over the bytes that
// matter to them (quotes, backslashes, spaces, commas) and on edge cases.
func TestGatewayScannersAgree(t *testing.T) {
	lines := []string{
		`"`, `""`, `"\"`, `"\\"`, `"a\" b" c`, `"a"b" c`, `"a"b"`, `"ab\`, `"a" `, `"\"\"" x`,
		`"Mozilla/5.0 (X11; Linux x86_64) \"quoted\" Gecko" 0.1`, `" x "y" z`, "",
		"10.0.0.1:80, 10.0.0.2:80", "a : b", ",", " ", "abc",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = `"\ ,ab:`
	for range 20000 {
		var sb strings.Builder
		sb.WriteByte('"')
		for range rng.IntN(24) {
			sb.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		lines = append(lines, sb.String())
	}
	for _, l := range lines {
		b := []byte(l)
		for i := range b {
			if b[i] != '"' {
				continue
			}
			if got, want := gatewayQuoteEnd(b, i), refQuoteEnd(b, i); got != want {
				t.Fatalf("gatewayQuoteEnd(%q, %d) = %d, want %d", l, i, got, want)
			}
		}
		if got, want := gatewayListLast(l), refListLast(l); got != want {
			t.Fatalf("gatewayListLast(%q) = %q, want %q", l, got, want)
		}
		if got, want := gatewayIsList(l), strings.IndexAny(l, " ,") >= 0; got != want {
			t.Fatalf("gatewayIsList(%q) = %v, want %v", l, got, want)
		}
	}
}
