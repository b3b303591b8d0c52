package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rca-dev/rca/internal/gen"
)

func writeScenario(t *testing.T, name string, seed int64) string {
	t.Helper()
	s, ok := gen.ScenarioByName(name)
	if !ok {
		t.Fatalf("no scenario %s", name)
	}
	dir := t.TempDir()
	if err := s.Write(dir, seed); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestDiffCommand runs `rca diff` as CI would: two good runs agree (exit 0,
// no findings even with --fail-on any); a failing run has NEW errors, the
// JSON document follows rca.diff/v1 and --fail-on new-error exits 3.
func TestDiffCommand(t *testing.T) {
	good1, good2 := writeScenario(t, "steady", 1), writeScenario(t, "steady", 2)
	bad := writeScenario(t, "mysql-down-loud", 3)

	stdout, stderr, code := run(t, "diff", "--fail-on", "any", good1, good2)
	if code != 0 || !strings.Contains(stdout, "No difference") {
		t.Errorf("good vs good: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	stdout, stderr, code = run(t, "diff", "--format", "json", "--fail-on", "new-error", "--baseline", good1, "--baseline", good2, bad)
	if code != 3 {
		t.Errorf("--fail-on new-error: exit %d, want 3 (stderr %s)", code, stderr)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if raw["schema"] != "rca.diff/v1" {
		t.Errorf("schema = %v", raw["schema"])
	}
	checkNoNullArrays(t, "diff", raw)
	var doc struct {
		Baseline []struct{ Path string }
		Target   []struct{ Path string }
		Summary  struct {
			BaselineRuns int `json:"baseline_runs"`
		}
		Findings []struct {
			Change, Source, Template string
			TemplateID               string `json:"template_id"`
			Level                    *string
			BaselineCount            int64 `json:"baseline_count"`
			TargetCount              int64 `json:"target_count"`
			First                    *struct {
				File string
				Line int64
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary.BaselineRuns != 2 || len(doc.Baseline) == 0 || len(doc.Target) == 0 {
		t.Errorf("runs %d, %d baseline inputs, %d target inputs", doc.Summary.BaselineRuns, len(doc.Baseline), len(doc.Target))
	}
	if len(doc.Findings) == 0 {
		t.Fatal("no findings")
	}
	f := doc.Findings[0]
	if f.Change != "new" || f.Level == nil || (*f.Level != "error" && *f.Level != "fatal") || f.First == nil || f.First.File == "" || f.First.Line == 0 || f.TemplateID == "" {
		t.Errorf("first finding = %+v, want a NEW error with its file:line", f)
	}

	stdout, _, code = run(t, "diff", "--format", "markdown", "--top", "5", good1, bad)
	if code != 0 || !strings.Contains(stdout, "| level | change |") || !strings.Contains(stdout, "| error | new |") && !strings.Contains(stdout, "| fatal | new |") {
		t.Errorf("markdown: exit %d:\n%s", code, stdout)
	}
	stdout, _, code = run(t, "diff", good1, bad)
	if code != 0 || !strings.Contains(stdout, "new") || !strings.Contains(stdout, "first ") {
		t.Errorf("text: exit %d:\n%s", code, stdout)
	}
	if _, _, code = run(t, "diff", good1); code != 1 {
		t.Errorf("one path without --baseline: exit %d, want 1", code)
	}
	if _, _, code = run(t, "diff", "--fail-on", "sometimes", good1, bad); code != 1 {
		t.Errorf("bad --fail-on: exit %d, want 1", code)
	}
}

// TestDiffHTMLOutput writes the diff as HTML, to stdout and to a file
// named by --output (the format from its extension; the file is written
// before --fail-on exits 3).
func TestDiffHTMLOutput(t *testing.T) {
	good, bad := writeScenario(t, "steady", 1), writeScenario(t, "mysql-down-loud", 3)
	stdout, stderr, code := run(t, "diff", "--format", "html", good, bad)
	if code != 0 || !strings.HasPrefix(stdout, "<!DOCTYPE html>") || !strings.Contains(stdout, "<h2>Findings</h2>") {
		t.Errorf("--format html: exit %d (%s):\n%.500s", code, stderr, stdout)
	}
	out := filepath.Join(t.TempDir(), "diff.html")
	stdout, stderr, code = run(t, "diff", "--output", out, "--fail-on", "new-error", good, bad)
	if code != 3 || stdout != "" {
		t.Errorf("--output with --fail-on new-error: exit %d, stdout %q, stderr %s; want 3 and nothing on stdout", code, stdout, stderr)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("--output: %v", err)
	}
	if !strings.HasPrefix(string(page), "<!DOCTYPE html>") || !strings.Contains(string(page), `<span class="badge new">new</span>`) {
		t.Errorf("%s is not the HTML diff:\n%.500s", out, page)
	}
	md := filepath.Join(t.TempDir(), "diff.md")
	if _, _, code := run(t, "diff", "--output", md, good, good); code != 0 {
		t.Errorf("--output .md: exit %d", code)
	} else if b, _ := os.ReadFile(md); !strings.Contains(string(b), "**No difference:**") {
		t.Errorf("%s:\n%s", md, b)
	}
	if _, _, code := run(t, "diff", "--output", filepath.Join(t.TempDir(), "diff.xyz"), good, bad); code != 1 {
		t.Errorf("--output with an unknown extension: exit %d, want 1", code)
	}
}
