package index

import (
	"reflect"
	"testing"
)

func TestHighlighter(t *testing.T) {
	msg := "Lock wait timeout exceeded; try restarting transaction on db-1 (timeouts: 3)"
	word := func(w string) [2]int {
		for i := 0; i+len(w) <= len(msg); i++ {
			if msg[i:i+len(w)] == w && (i+len(w) == len(msg) || !isWordByte(msg[i+len(w)])) && (i == 0 || !isWordByte(msg[i-1])) {
				return [2]int{i, i + len(w)}
			}
		}
		t.Fatalf("no word %q", w)
		return [2]int{}
	}
	for _, tc := range []struct {
		query string
		want  [][2]int
	}{
		{`timeout`, [][2]int{word("timeout")}},
		{`TIMEOUT`, [][2]int{word("timeout")}},
		{`"lock wait"`, [][2]int{word("Lock"), word("wait")}},
		{`timeout*`, [][2]int{word("timeout"), word("timeouts")}},
		{`/restart.*/`, [][2]int{word("restarting")}},
		{`transactoin~2`, [][2]int{word("transaction")}},
		{`lock -wait`, [][2]int{word("Lock")}},
		{`level:error AND source:mysql`, nil},
		{`the`, nil}, // a stop word is no part of the query
		{``, nil},
	} {
		h, err := Query{Text: tc.query}.Highlighter()
		if err != nil {
			t.Fatalf("%q: %v", tc.query, err)
		}
		if got := h(msg); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: marks %v, want %v", tc.query, got, tc.want)
		}
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
}
