// Package report renders an analysis (event.Report) for people and
// programs: JSON (the report-v1 contract), text for a terminal, a pager, a
// file or grep (lipgloss styles, tablewriter tables), Markdown for tickets,
// and one self-contained HTML page with an inline SVG timeline chart; the
// same forms of a diff (event.Diff, `rca diff`; its HTML page shares the
// report page's style sheet); and `rca timeline` rows, as they stream.
//
// It computes nothing: everything it shows is in the Report value (the
// chart draws Report.Series); the one thing it decides is layout. Times
// are UTC. Text from logs is untrusted: terminal output escapes control
// bytes (Terminal), Markdown escapes table syntax and HTML (MarkdownCell),
// HTML goes through html/template. Widths are measured with lipgloss.Width,
// never len, so wide runes and styles do not break alignment; styled
// output uses a fixed 16-colour profile and never queries the terminal.
// Without a width, nothing is cut and every record is one line.
package report
