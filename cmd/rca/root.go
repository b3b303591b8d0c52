package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// globalOptions are the flags every command shares.
type globalOptions struct {
	formatsFiles []string
	cpuProfile   string
	memProfile   string
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:   "rca",
		Short: "Log correlation and root-cause analysis for outage log bundles",
		Long: `rca reads the logs an outage leaves behind — gateway, application, Kafka,
MySQL and system logs, in folders or archives — detects each format, puts every
timestamp in UTC and merges them into one timeline.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringArrayVar(&g.formatsFiles, "formats-file", nil, "load user-defined formats from a YAML/JSON `FILE` (repeatable)")
	root.PersistentFlags().StringVar(&g.cpuProfile, "cpuprofile", "", "write a CPU profile to `FILE` (for developers)")
	_ = root.PersistentFlags().MarkHidden("cpuprofile")
	root.PersistentFlags().StringVar(&g.memProfile, "memprofile", "", "write a heap profile to `FILE` at exit: what the last collection found live (for developers)")
	_ = root.PersistentFlags().MarkHidden("memprofile")
	var prof *os.File
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if g.cpuProfile == "" {
			return nil
		}
		f, err := os.Create(g.cpuProfile)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		prof = f
		return pprof.StartCPUProfile(f)
	}
	root.PersistentPostRun = func(cmd *cobra.Command, args []string) {
		if prof != nil {
			pprof.StopCPUProfile()
			prof.Close()
		}
		if g.memProfile != "" {
			if f, err := os.Create(g.memProfile); err == nil {
				_ = pprof.WriteHeapProfile(f) // as of the last collection, not forced: the run's own state
				f.Close()
			}
		}
	}
	root.AddCommand(newParseCmd(g, stdout, stderr))
	root.AddCommand(newFormatsCmd(g, stdout, stderr))
	root.AddCommand(newAnalyzeCmd(g, stdout, stderr))
	root.AddCommand(newPatternsCmd(g, stdout, stderr))
	root.AddCommand(newDiffCmd(g, stdout, stderr))
	root.AddCommand(newTimelineCmd(g, stdout, stderr))
	root.AddCommand(newManCmd(root))
	root.AddCommand(newIndexCmd(g, stdout, stderr))
	root.AddCommand(newSearchCmd(g, stdout, stderr))
	return root
}
