package main

import (
	"io"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// globalOptions are the flags every command shares.
type globalOptions struct {
	formatsFiles []string
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
	root.AddCommand(newParseCmd(g, stdout, stderr))
	root.AddCommand(newFormatsCmd(g, stdout, stderr))
	root.AddCommand(newAnalyzeCmd(g, stdout, stderr))
	return root
}
