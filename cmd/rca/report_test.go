package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Regenerate the goldens after a deliberate change (ranking, layout):
//
//	go test ./pkg/report ./cmd/rca -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

const goldenDir = "../../testdata/golden"

// checkGolden compares got with testdata/golden/name, or rewrites it with
// -update. The whole file is compared.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run: go test ./pkg/report ./cmd/rca -run Golden -update)", err)
	}
	if got != string(want) {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		for i := 0; i < max(len(wl), len(gl)); i++ {
			if i >= len(wl) || i >= len(gl) || wl[i] != gl[i] {
				w, g := "", ""
				if i < len(wl) {
					w = wl[i]
				}
				if i < len(gl) {
					g = gl[i]
				}
				t.Errorf("%s differs from the golden file at line %d:\n\twant: %q\n\tgot:  %q\nif intended: go test ./pkg/report ./cmd/rca -run Golden -update", name, i+1, w, g)
				return
			}
		}
	}
}

// TestGoldenCLI runs the commands as a user would, output piped.
func TestGoldenCLI(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
	}{
		{"invoice-outage.analyze.txt", []string{"analyze", demoBundle}},
		{"invoice-outage.timeline.tsv", []string{"timeline", "--level", "warn", "--since", "2023-08-15T06:19:00Z", "--until", "2023-08-15T06:24:00Z", demoBundle}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			stdout, stderr, code := run(t, tt.args...)
			if code != 0 {
				t.Fatalf("rca %s: exit %d: %s", strings.Join(tt.args, " "), code, stderr)
			}
			checkGolden(t, tt.golden, stdout)
		})
	}
}

// TestAnalyzeTextMatchesRendererGoldens: the flags reach the renderer
// (the goldens are pkg/report's, written by its golden test).
func TestAnalyzeTextMatchesRendererGoldens(t *testing.T) {
	if *update {
		t.Skip("pkg/report rewrites these goldens")
	}
	for golden, args := range map[string][]string{
		"invoice-outage.text-80.txt":       {"analyze", "--width", "80", demoBundle},
		"invoice-outage.text-80-color.ans": {"analyze", "--width", "80", "--color", "always", demoBundle},
		"invoice-outage.md":                {"analyze", "--format", "md", demoBundle},
		"invoice-outage.html":              {"analyze", "--format", "html", demoBundle},
	} {
		want, err := os.ReadFile(filepath.Join(goldenDir, golden))
		if err != nil {
			t.Fatal(err)
		}
		stdout, _, _ := run(t, args...)
		// the renderer's goldens come from version "golden"
		stdout = strings.ReplaceAll(stdout, "rca "+version, "rca golden")
		if stdout != string(want) {
			t.Errorf("rca %s differs from %s", strings.Join(args, " "), golden)
		}
	}
}

// TestPipedOutputHasNoEscapes: output that is not a terminal carries no
// ANSI escape (ESC) byte, whatever the format, unless colour is forced.
func TestPipedOutputHasNoEscapes(t *testing.T) {
	t.Setenv("CLICOLOR_FORCE", "")
	for _, args := range [][]string{
		{"analyze", demoBundle},
		{"analyze", "--format", "markdown", demoBundle},
		{"analyze", "--format", "json", demoBundle},
		{"analyze", "--format", "html", demoBundle},
		{"timeline", demoBundle},
		{"timeline", "--color", "auto", "--kind", "any", demoBundle},
		{"patterns", demoBundle},
		{"parse", "--output", "tsv", demoBundle},
	} {
		stdout, stderr, code := run(t, args...)
		if code != 0 {
			t.Fatalf("rca %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
		if i := strings.IndexByte(stdout, 0x1b); i >= 0 {
			t.Errorf("rca %s: escape byte at %d: %q", strings.Join(args, " "), i, stdout[max(0, i-40):min(len(stdout), i+40)])
		}
		if strings.IndexByte(stderr, 0x1b) >= 0 {
			t.Errorf("rca %s: escape byte on stderr (a progress line?)", strings.Join(args, " "))
		}
	}
}

func TestColorForcedAndRefused(t *testing.T) {
	tests := []struct {
		env  map[string]string
		args []string
		ansi bool
	}{
		{map[string]string{"CLICOLOR_FORCE": "1"}, []string{"analyze", demoBundle}, true},
		{map[string]string{"CLICOLOR_FORCE": "1"}, []string{"analyze", "--color", "never", demoBundle}, false},
		{map[string]string{"CLICOLOR_FORCE": "0"}, []string{"analyze", demoBundle}, false},
		{map[string]string{"NO_COLOR": "1"}, []string{"analyze", "--color", "always", demoBundle}, true},
		{map[string]string{"NO_COLOR": "1"}, []string{"analyze", demoBundle}, false},
		{map[string]string{"CLICOLOR_FORCE": "1"}, []string{"timeline", "--level", "error", demoBundle}, true},
	}
	for _, tt := range tests {
		for k, v := range tt.env {
			t.Setenv(k, v)
		}
		stdout, _, code := run(t, tt.args...)
		if got := strings.IndexByte(stdout, 0x1b) >= 0; code != 0 || got != tt.ansi {
			t.Errorf("%v rca %s: exit %d, ANSI %v, want %v", tt.env, strings.Join(tt.args, " "), code, got, tt.ansi)
		}
		for k := range tt.env {
			t.Setenv(k, "")
		}
	}
}

func TestFailOnExitCodes(t *testing.T) {
	quiet := "2023-08-15T05:15:00Z"                                                           // before it: no incident
	incWarn := []string{"--since", "2023-08-15T05:10:00Z", "--until", "2023-08-15T05:40:00Z"} // INC-2 only: a warning
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"--fail-on", "none"}, 0},
		{[]string{"--fail-on", "critical"}, 3},
		{[]string{"--fail-on", "warning"}, 3},
		{[]string{"--fail-on", "any"}, 3},
		{[]string{"--fail-on", "critical", "--until", quiet}, 0},
		{[]string{"--fail-on", "any", "--until", quiet}, 0},
		{append([]string{"--fail-on", "critical"}, incWarn...), 0},
		{append([]string{"--fail-on", "warning"}, incWarn...), 3},
		{[]string{"--fail-on", "sometimes"}, 1},
	}
	for _, tt := range tests {
		args := append(append([]string{"analyze", "--format", "json"}, tt.args...), demoBundle)
		stdout, stderr, code := run(t, args...)
		if code != tt.code {
			t.Errorf("rca %s: exit %d, want %d\n%s", strings.Join(args, " "), code, tt.code, stderr)
		}
		if code == 3 && (!strings.Contains(stderr, "--fail-on") || !strings.HasPrefix(stdout, "{")) {
			t.Errorf("rca %s: exit 3 must still print the report and say why on stderr:\n%s", strings.Join(args, " "), stderr)
		}
	}
}

func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, format, want string
	}{
		{"report.html", "", "<!DOCTYPE html>"},
		{"ticket.md", "", "# rca analysis · invoice-outage"},
		{"report.json", "", `"schema": "rca.report/v1"`},
		{"report.txt", "", "rca analysis · invoice-outage"},
		{"report.txt", "json", `"schema": "rca.report/v1"`},
		{"REPORT.HTM", "", "<svg"},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		args := []string{"analyze", "--output", path, "--fail-on", "critical"}
		if tt.format != "" {
			args = append(args, "--format", tt.format)
		}
		stdout, stderr, code := run(t, append(args, demoBundle)...)
		if code != 3 || stdout != "" {
			t.Errorf("rca %s: exit %d (want 3: the file is written, then --fail-on applies), stdout %q, stderr %s", strings.Join(args, " "), code, stdout, stderr)
		}
		data, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(data), tt.want) {
			t.Errorf("%s: %v; lacks %q", tt.name, err, tt.want)
		}
		if bytes.IndexByte(data, 0x1b) >= 0 {
			t.Errorf("%s: a file gets no colour unless forced", tt.name)
		}
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", tt.name, fi.Mode().Perm())
		}
	}
	// failures leave nothing behind
	for _, args := range [][]string{
		{"analyze", "--output", filepath.Join(dir, "x.pdf"), demoBundle},
		{"analyze", "--output", filepath.Join(dir, "bad.html"), filepath.Join(dir, "no-such-bundle")},
		{"analyze", "--output", filepath.Join(dir, "bad2.html"), "--since", "yesterday-ish", demoBundle},
		{"analyze", "--output", filepath.Join(dir, "no-such-dir", "r.html"), demoBundle},
	} {
		if _, stderr, code := run(t, args...); code != 1 || stderr == "" {
			t.Errorf("rca %s: exit %d, want 1 with a message", strings.Join(args, " "), code)
		}
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if fmt.Sprint(names) != "[REPORT.HTM report.html report.json report.txt ticket.md]" {
		t.Errorf("files left in the output folder: %v", names)
	}
}

func TestWriteFileAtomicKeepsOldFileOnFailure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, []byte("old report"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := writeFileAtomic(path, func(w io.Writer) error {
		fmt.Fprint(w, "half a rep")
		return fmt.Errorf("disk on fire")
	})
	if err == nil {
		t.Fatal("writeFileAtomic: no error from a failed write")
	}
	data, _ := os.ReadFile(path)
	entries, _ := os.ReadDir(filepath.Dir(path))
	if string(data) != "old report" || len(entries) != 1 {
		t.Errorf("after a failed write: %q and %d files, want the old report alone", data, len(entries))
	}
}

func TestAnalyzeHTMLFormat(t *testing.T) {
	stdout, _, code := run(t, "analyze", "--format", "html", demoBundle)
	if code != 0 || !strings.HasPrefix(stdout, "<!DOCTYPE html>") || !strings.Contains(stdout, "invoice-outage") {
		t.Errorf("exit %d, html:\n%.300s", code, stdout)
	}
	var rep map[string]any
	stdout, _, _ = run(t, "analyze", "--format", "json", demoBundle)
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep["generated_at"] != "2026-01-02T03:04:05.000Z" {
		t.Errorf("generated_at = %v, want the pinned time", rep["generated_at"])
	}
	if s, ok := rep["series"].([]any); !ok || len(s) != 5 {
		t.Errorf("series = %v, want one per source of the demo (5)", rep["series"])
	}
}

func TestCompletionAndMan(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		stdout, stderr, code := run(t, "completion", sh)
		if code != 0 || !strings.Contains(stdout, "rca") || len(stdout) < 500 {
			t.Errorf("rca completion %s: exit %d, %d bytes: %s", sh, code, len(stdout), stderr)
		}
	}
	// what the shell scripts ask for when <TAB> is pressed
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", ""}, []string{"analyze", "timeline", "parse", "patterns", "formats", "completion"}},
		{[]string{"__complete", "analyze", "--format", ""}, []string{"text", "json", "markdown", "html"}},
		{[]string{"__complete", "analyze", "--fail-on", ""}, []string{"none", "warning", "critical", "any"}},
		{[]string{"__complete", "timeline", "--kind", "conn"}, []string{"connection_refused", "connection_reset"}},
	}
	for _, tt := range tests {
		stdout, _, code := run(t, tt.args...)
		for _, w := range tt.want {
			if code != 0 || !strings.Contains(stdout, w+"\n") && !strings.Contains(stdout, w+"\t") {
				t.Errorf("rca %s: completions lack %q:\n%s", strings.Join(tt.args, " "), w, stdout)
			}
		}
	}
	if stdout, _, _ := run(t, "__complete", ""); strings.Contains(stdout, "man\t") || strings.Contains(stdout, "\nman\n") {
		t.Errorf("the hidden man command is offered as a completion")
	}
	dir := t.TempDir()
	if _, stderr, code := run(t, "man", dir); code != 0 {
		t.Fatalf("rca man: exit %d: %s", code, stderr)
	}
	for _, page := range []string{"rca.1", "rca-analyze.1", "rca-timeline.1", "rca-parse.1"} {
		data, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil || !strings.Contains(string(data), ".TH \"RCA\"") {
			t.Errorf("%s: %v\n%.200s", page, err, data)
		}
	}
}
