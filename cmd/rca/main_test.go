package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain serves two purposes. Run with RCA_TEST_CHILD=1 the test binary
// is rca itself (the hostile suite runs it as a subprocess to measure its
// memory and to kill it); otherwise it pins what reports depend on and
// hides the user's terminal settings, then runs the tests.
func TestMain(m *testing.M) {
	if os.Getenv("RCA_TEST_CHILD") == "1" {
		code := exitCode(newRootCmd(os.Stdout, os.Stderr).Execute(), os.Stderr)
		// The child's own peak RSS: VmHWM of its address space. (getrusage's
		// maxrss would include the parent's, inherited through the fork.)
		if f := os.Getenv("RCA_TEST_RSS_FILE"); f != "" {
			if b, err := os.ReadFile("/proc/self/status"); err == nil {
				for _, l := range strings.Split(string(b), "\n") {
					var kb int64
					if _, err := fmt.Sscanf(l, "VmHWM: %d kB", &kb); err == nil {
						os.WriteFile(f, []byte(fmt.Sprint(kb*1024)), 0o644)
					}
				}
			}
		}
		os.Exit(code)
	}
	// rca analyze updates a search index in the user's cache directory:
	// the tests get a temporary one, removed at the end.
	cache, err := os.MkdirTemp("", "rca-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", cache)
	os.Setenv("HOME", cache)
	os.Unsetenv("RCA_INDEX")
	reportNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) // generated_at of every report in these tests
	// The user's terminal settings must not change what the tests see;
	// tests that need one set it with t.Setenv.
	for _, k := range []string{"CLICOLOR_FORCE", "NO_COLOR", "COLUMNS", "LINES", "PAGER", "RCA_PAGER", "LESS"} {
		os.Unsetenv(k)
	}
	code := m.Run()
	os.RemoveAll(cache)
	os.Exit(code)
}
