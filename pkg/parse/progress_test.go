package parse

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/rca-dev/rca/pkg/event"
)

// TestProgressReachesTheTotal reads the demo bundle, which has a .gz
// rotation, and checks that Progress reports exactly the bytes a progress
// line takes as the total: Size for plain inputs, PackedSize (the
// compressed bytes) for a decompressed one.
func TestProgressReachesTheTotal(t *testing.T) {
	plan, err := NewPlan([]string{"../../testdata/bundles/invoice-outage"}, Options{MaxLine: DefaultMaxLine})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	packed := 0
	for _, in := range plan.Inputs {
		switch {
		case in.Skipped != "":
		case in.Size > 0:
			total += in.Size
		case in.PackedSize > 0:
			total += in.PackedSize
			packed++
		}
	}
	if packed == 0 {
		t.Fatal("the demo bundle has no input read through decompression")
	}
	var read atomic.Int64
	_, err = plan.Run(context.Background(), Options{MaxLine: DefaultMaxLine, Progress: func(n int64) { read.Add(n) }},
		func(*event.Event) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if read.Load() != total {
		t.Errorf("progress reported %d bytes, the total is %d", read.Load(), total)
	}
}
