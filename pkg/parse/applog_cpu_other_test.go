//go:build !unix

package parse

import "time"

// appCPUTime is not measured on this platform.
func appCPUTime() (time.Duration, bool) { return 0, false }
