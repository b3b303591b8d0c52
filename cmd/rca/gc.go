package main

import (
	"os"
	"runtime/debug"
)

// GC settings for a streaming run: the live heap is small and bounded (a
// reorder window per file, the analyzer's bounded tables), while the bytes
// allocated and dropped are many times the input. Go's default (collect
// when the heap doubles) then spends about a tenth of the CPU collecting. rca
// lets the heap grow to three times the live data between collections, and
// caps the total with a soft memory limit so that growth never costs more
// than memLimit. GOGC and GOMEMLIMIT, when set, win.
const (
	gcPercent = 200
	memLimit  = 384 << 20
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memLimit)
	}
}
