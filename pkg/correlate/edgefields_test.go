package correlate

import (
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

// TestEdgeFields: edgeFields gives what two Get calls give, the first of
// repeated keys included, an empty first value hiding a later one.
func TestEdgeFields(t *testing.T) {
	f := func(kv ...string) []event.Field {
		var fs []event.Field
		for i := 0; i+1 < len(kv); i += 2 {
			fs = append(fs, event.Field{Key: kv[i], Value: kv[i+1]})
		}
		return fs
	}
	for _, fs := range [][]event.Field{
		nil,
		f("status", "502"),
		f("upstream", "10.0.0.1:80"),
		f("target", "db:3306", "upstream", "10.0.0.1:80"),
		f("upstream", "", "upstream", "10.0.0.2:80", "target", "a", "target", "b"),
		f("Upstream", "x", "targets", "y", "upstream ", "z"),
	} {
		ev := &event.Event{Fields: fs}
		wantUp, _ := ev.Get("upstream")
		wantTarget, _ := ev.Get("target")
		if up, target := edgeFields(fs); up != wantUp || target != wantTarget {
			t.Errorf("edgeFields(%v) = %q, %q; Get gives %q, %q", fs, up, target, wantUp, wantTarget)
		}
	}
}
