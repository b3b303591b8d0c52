// Command rca reads an outage's log bundle and explains it.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/rca-dev/rca/pkg/report"
)

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd(os.Stdout, os.Stderr).ExecuteContext(ctx)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitError carries an exit code other than 1 (e.g. --fail-on met).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// exitCode maps a command's error to the process exit code, printing the
// message: 0 success, 1 failure, others as the error says.
func exitCode(err error, stderr interface{ Write([]byte) (int, error) }) int {
	if err == nil {
		return 0
	}
	// Messages may quote the bundle (an rca.yaml key, an archive name):
	// escaped, line breaks kept.
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintf(stderr, "rca: %s\n", report.TerminalLines(ee.msg))
		}
		return ee.code
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "rca: interrupted")
		return 130
	}
	if errors.Is(err, syscall.EPIPE) {
		return 0 // the reader of our output went away (| head): not a failure
	}
	fmt.Fprintf(stderr, "rca: %s\n", report.TerminalLines(err.Error()))
	return 1
}
