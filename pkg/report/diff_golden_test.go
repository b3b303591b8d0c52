package report

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rca-dev/rca/internal/gen"
	"github.com/rca-dev/rca/pkg/correlate"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/parse"
)

var (
	diffOnce sync.Once
	diffDoc  *event.Diff
	diffErr  error
)

// demoDiff is `rca diff` of two generated runs of the scenario platform:
// a good one (steady, seed 1) and a failing one (mysql-down-loud, seed
// 1), with generated_at pinned. The generator writes the same bytes for a
// seed, so the diff is the same on every machine.
func demoDiff(t *testing.T) *event.Diff {
	t.Helper()
	diffOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rca-diff-golden-")
		if err != nil {
			diffErr = err
			return
		}
		defer os.RemoveAll(dir)
		var runs []string
		for _, name := range []string{"steady", "mysql-down-loud"} {
			s, _ := gen.ScenarioByName(name)
			p := filepath.Join(dir, name)
			if diffErr = s.Write(p, 1); diffErr != nil {
				return
			}
			runs = append(runs, p)
		}
		d := correlate.NewDiffer(correlate.DiffConfig{}, 1)
		var ins [2][]event.InputSummary
		for i, p := range runs {
			var po parse.Options
			plan, err := parse.NewPlan([]string{p}, po)
			if err != nil {
				diffErr = err
				return
			}
			cls := correlate.NewClassifier()
			po.Transform = func(ev *event.Event) { cls.Classify(ev) }
			stats, err := plan.Run(context.Background(), po, func(ev *event.Event) error {
				d.Observe(i, ev)
				return nil
			})
			if err != nil {
				diffErr = err
				return
			}
			for _, s := range stats {
				if s.Ignored {
					continue
				}
				path := s.Path
				if i == 0 {
					path = "steady: " + path
				}
				ins[i] = append(ins[i], event.InputSummary{Path: path, Source: s.Source, Format: event.Ptr(s.Format), Timezone: s.Timezone,
					Lines: s.Lines, Events: s.Events, Continuation: s.Continuation, Unparsed: s.Unparsed, Empty: s.Empty,
					First: event.Time{Time: s.First}, Last: event.Time{Time: s.Last}, Skipped: event.Ptr(s.Skipped)})
			}
		}
		diffDoc = d.Finish(ins[0], ins[1], event.Tool{Name: "rca", Version: "golden"})
		diffDoc.GeneratedAt = event.Time{Time: goldenNow}
	})
	if diffErr != nil {
		t.Fatalf("diff of generated runs: %v", diffErr)
	}
	return diffDoc
}

// TestGoldenDiff keeps one golden per diff format (text, Markdown, HTML,
// JSON) of the same pair of runs.
func TestGoldenDiff(t *testing.T) {
	d := demoDiff(t)
	if len(d.Findings) == 0 {
		t.Fatal("no findings: the golden would show nothing")
	}
	render := map[string]func(*bytes.Buffer) error{
		"steady-vs-mysql-down-loud.diff.txt":  func(b *bytes.Buffer) error { return WriteDiffText(b, d, Options{Width: 120}) },
		"steady-vs-mysql-down-loud.diff.md":   func(b *bytes.Buffer) error { return WriteDiffMarkdown(b, d) },
		"steady-vs-mysql-down-loud.diff.html": func(b *bytes.Buffer) error { return WriteDiffHTML(b, d, Options{Title: "mysql-down-loud"}) },
		"steady-vs-mysql-down-loud.diff.json": func(b *bytes.Buffer) error { return WriteDiffJSON(b, d) },
	}
	for name, f := range render {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := f(&b); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name, b.Bytes())
		})
	}
}

// TestDiffHTMLSelfContained checks the diff page as the report page is
// checked: nothing loaded, no script, URLs only in text; and that it has
// the report page's style sheet.
func TestDiffHTMLSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := WriteDiffHTML(&b, demoDiff(t), Options{Title: "mysql-down-loud"}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	checkSelfContained(t, page)
	var rep bytes.Buffer
	if err := WriteHTML(&rep, demoReport(t), Options{}); err != nil {
		t.Fatal(err)
	}
	css := func(p string) string {
		i, j := strings.Index(p, "<style>"), strings.Index(p, ".badge.new {")
		if i < 0 || j < 0 {
			return p[i:strings.Index(p, "</style>")]
		}
		return p[i:j]
	}
	if !strings.HasPrefix(css(rep.String())+".badge.new {", css(page)+".badge.new {") || len(css(page)) < 1000 {
		t.Errorf("the diff page does not start its style sheet with the report page's")
	}
	for _, want := range []string{"<h2>Findings</h2>", `<span class="badge new">new</span>`, "mysql/error.log:17", "No difference"} {
		if want == "No difference" {
			if strings.Contains(page, want) {
				t.Errorf("a diff with findings says %q", want)
			}
			continue
		}
		if !strings.Contains(page, want) {
			t.Errorf("the diff page lacks %q", want)
		}
	}
}

// TestDiffHTMLEscapesLogText renders a diff whose log text, field values
// and file names try to inject markup.
func TestDiffHTMLEscapesLogText(t *testing.T) {
	evil := `</td><script>alert(1)</script><img src=x onerror=alert(2)>`
	d := &event.Diff{Schema: event.DiffSchema, Baseline: []event.InputSummary{{Path: evil, Source: evil}}, Target: []event.InputSummary{},
		Findings: []event.DiffFinding{
			{Change: event.ChangeNew, Source: `"><svg onload=alert(3)>`, Template: evil, Level: event.Ptr("error"), Ratio: 9,
				First: &event.Occurrence{File: `<b>f</b>.log`, Line: 3, Message: evil + "\x1b[31m"}},
			{Change: event.ChangeNewValue, Source: "api", Template: "t", Field: event.Ptr("status"), Value: event.Ptr(evil), Level: event.Ptr("error" + evil), Ratio: 1},
		}}
	var b bytes.Buffer
	if err := WriteDiffHTML(&b, d, Options{Title: "<b>x</b>"}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script>", "<img src=x", "<svg onload", "<b>", "\x1b"} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("log text reached the page unescaped: %q", bad)
		}
	}
}

// TestDiffHTMLInChromium loads the diff page in headless Chromium with
// the network shut: no console message, no request, the findings in the
// DOM.
func TestDiffHTMLInChromium(t *testing.T) {
	bin := needChromium(t)
	var b bytes.Buffer
	if err := WriteDiffHTML(&b, demoDiff(t), Options{Title: "mysql-down-loud"}); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(t.TempDir(), "diff.html")
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := runChromium(t, bin, page, "--dump-dom")
	if len(dom.console) > 0 {
		t.Errorf("console messages while loading the diff page:\n%s", strings.Join(dom.console, "\n"))
	}
	if len(dom.requests) > 0 {
		t.Errorf("the diff page made network requests: %q", dom.requests)
	}
	for _, want := range []string{"<h2>Findings</h2>", `class="badge new"`, "mysql/error.log:17"} {
		if !strings.Contains(dom.stdout, want) {
			t.Errorf("the DOM lacks %q", want)
		}
	}
}
