package event

import "testing"

func TestFieldsSetGet(t *testing.T) {
	var e Event
	e.Set("status", "503")
	e.Set("client", "-")
	e.Set("upstream", "")
	e.Set("status", "502")
	if got, ok := e.Get("status"); !ok || got != "502" {
		t.Errorf(`Get("status") = %q, %v, want "502", true`, got, ok)
	}
	if _, ok := e.Get("client"); ok {
		t.Errorf(`Get("client") found a "-" placeholder, want it dropped`)
	}
	if len(e.Fields) != 1 {
		t.Errorf("len(Fields) = %d, want 1", len(e.Fields))
	}
}

func TestLevelRank(t *testing.T) {
	order := []Level{LevelNone, LevelTrace, LevelDebug, LevelInfo, LevelNotice, LevelWarn, LevelError, LevelFatal}
	for i := 1; i < len(order); i++ {
		if order[i].Rank() <= order[i-1].Rank() {
			t.Errorf("%q.Rank() = %d, not above %q.Rank() = %d", order[i], order[i].Rank(), order[i-1], order[i-1].Rank())
		}
	}
}
