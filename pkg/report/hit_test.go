package report

import (
	"testing"
	"time"

	"github.com/rca-dev/rca/pkg/event"
)

func TestHitFormatter(t *testing.T) {
	ev := &event.Event{Time: time.Date(2023, 8, 15, 6, 22, 30, 727e6, time.UTC), Source: "db", Level: "error",
		Message: "a\x1b[2Jb timeout here\nsecond line timeout", File: "db/error.log", Line: 7}
	msg := ev.Message
	at := func(w string, from int) [2]int {
		for i := from; i+len(w) <= len(msg); i++ {
			if msg[i:i+len(w)] == w {
				return [2]int{i, i + len(w)}
			}
		}
		t.Fatalf("no %q", w)
		return [2]int{}
	}
	first := at("timeout", 0)
	second := at("timeout", first[1]) // on the second line: not shown
	marks := [][2]int{first, second}
	for _, tc := range []struct {
		color bool
		want  string
	}{
		{false, `2023-08-15T06:22:30.727Z db error a\x1b[2Jb timeout here (db/error.log:7)`},
		{true, "\x1b[2m2023-08-15T06:22:30.727Z\x1b[0m db \x1b[31merror\x1b[0m a\\x1b[2Jb \x1b[1;35mtimeout\x1b[0m here\x1b[36m (db/error.log:7)\x1b[0m"},
	} {
		if got := string(NewHitFormatter(tc.color).Append(nil, ev, marks)); got != tc.want {
			t.Errorf("color %v:\n got %q\nwant %q", tc.color, got, tc.want)
		}
	}
}
