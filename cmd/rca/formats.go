package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/rca-dev/rca/pkg/parse"
	"github.com/rca-dev/rca/pkg/report"
	"github.com/spf13/cobra"
)

func newFormatsCmd(g *globalOptions, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "formats",
		Short: "List the log formats rca reads, with an example line of each",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := loadUserFormats(g); err != nil {
				return err
			}
			for _, f := range parse.Formats() {
				from := ""
				if file, ok := parse.UserFormatFile(f.ID); ok {
					from = " (from " + file + ")"
				}
				fmt.Fprintf(stdout, "%s%s\n  %s\n", f.ID, from, f.Description)
				for _, l := range strings.Split(f.Example, "\n") {
					fmt.Fprintf(stdout, "    %s\n", l)
				}
			}
			return nil
		},
	}
	var ingest ingestFlags
	detect := &cobra.Command{
		Use:   "detect PATH...",
		Short: "Show the format detected for each file, its confidence and the runner-up",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := loadUserFormats(g); err != nil {
				return err
			}
			plan, _, err := ingest.plan(args)
			if err != nil {
				return err
			}
			dets := plan.Detect(cmd.Context())
			tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "INPUT\tSOURCE\tFORMAT\tCONFIDENCE\tRUNNER-UP\tCONFIDENCE\tZONE")
			for _, d := range dets {
				// Paths and reasons come from the bundle: escaped.
				d.Path, d.Source, d.Skipped, d.Zone = report.Terminal(d.Path), report.Terminal(d.Source), report.Terminal(d.Skipped), report.Terminal(d.Zone)
				if d.Skipped != "" {
					fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\t(skipped: %s)\n", d.Path, d.Source, d.Skipped)
					continue
				}
				ru, ruc := "-", "-"
				if d.RunnerUp != "" {
					ru, ruc = d.RunnerUp, fmt.Sprintf("%.2f", d.RunnerUpConfidence)
				}
				how := fmt.Sprintf("%.2f", d.Confidence)
				if d.Forced {
					how = "forced"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Path, d.Source, d.Format, how, ru, ruc, d.Zone)
			}
			return tw.Flush()
		},
	}
	ingest.register(detect, "format")
	cmd.AddCommand(detect)
	return cmd
}

// loadUserFormats registers the formats of the per-user config location
// (formats.yaml and formats.d/ under the user config folder) and of each
// --formats-file, in that order.
func loadUserFormats(g *globalOptions) error {
	paths := append(parse.UserFormatPaths(), g.formatsFiles...)
	if len(paths) == 0 {
		return nil
	}
	if _, err := parse.RegisterUserFormats(paths...); err != nil {
		return fmt.Errorf("formats file: %w", err)
	}
	return nil
}
