// Package report renders an analysis (event.Report) for people and
// programs: JSON (the report-v1 contract), plain or coloured text for a
// terminal, and Markdown for tickets. It computes nothing: everything it
// shows is in the Report value. Text from logs is untrusted: terminal
// output escapes control bytes, Markdown escapes table syntax and HTML.
package report
