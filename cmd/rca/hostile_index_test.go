package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/rca-dev/rca/pkg/report"
)

// The hostile suite, continued: rca index, search and timeline, and the
// HTML report, on the hostile bundle (hostile_test.go).

// hostileRun is what one run of rca must give: its exit code, no panic,
// nothing on stdout or stderr that acts on a terminal.
func hostileRun(t *testing.T, wantCode int, args ...string) (stdout, stderr string) {
	t.Helper()
	stdout, stderr, code := run(t, args...)
	name := strings.Join(args, " ")
	if code != wantCode {
		t.Errorf("rca %q: exit %d, want %d:\n%s", name, code, wantCode, stderr)
	}
	if panicRE.MatchString(stderr) {
		t.Errorf("rca %q: panic:\n%s", name, stderr)
	}
	terminalClean(t, fmt.Sprintf("rca %q stdout", name), stdout)
	terminalClean(t, fmt.Sprintf("rca %q stderr", name), stderr)
	return stdout, stderr
}

// eventKeys is the multiset of file, line and message of JSON events, one
// a line (rca parse, rca search -o jsonl), sorted.
func eventKeys(t *testing.T, jsonl string) []string {
	t.Helper()
	var out []string
	for i, l := range strings.Split(strings.TrimSuffix(jsonl, "\n"), "\n") {
		if l == "" {
			continue
		}
		var m struct {
			File    string
			Line    int64
			Message string
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %d is not JSON: %v: %q", i+1, err, l)
		}
		out = append(out, fmt.Sprintf("%q:%d %q", m.File, m.Line, m.Message))
	}
	sort.Strings(out)
	return out
}

// TestHostileIndexSearch indexes the whole hostile bundle and searches it:
// rca index warns about every input it skips, as parse does; a search for
// everything (the empty query) returns exactly the events rca parse reads (archive members
// of one name included); results, facets and histograms on a terminal
// carry no raw control sequence, jsonl keeps the text as it was; a query
// with control bytes or markup is an ordinary query or a usage error,
// never a crash; nothing is written but the index.
func TestHostileIndexSearch(t *testing.T) {
	hermetic(t)
	dir := hostileBundle(t)
	idx := filepath.Join(t.TempDir(), "idx")
	r := runChild(t, nil, "index", "--index", idx, dir)
	if r.code != 0 || panicRE.MatchString(r.stderr) {
		t.Fatalf("rca index: exit %d:\n%s", r.code, r.stderr)
	}
	terminalClean(t, "rca index stdout", r.stdout)
	terminalClean(t, "rca index stderr", r.stderr)
	for p, w := range hostileCases {
		if w.skip == "" || w.skip == "documentation" || (p == "special/s.sock" && !strings.Contains(r.stderr, "s.sock")) {
			continue
		}
		if want := "rca: warning: " + report.Terminal(p) + ": "; !strings.Contains(r.stderr, want) {
			t.Errorf("rca index: no warning naming %q (%s):\n%s", p, w.skip, r.stderr)
		}
	}
	again, _ := hostileRun(t, 0, "index", "--index", idx, dir)
	if !strings.Contains(again, " 0 indexed, 0 grown") {
		t.Errorf("second rca index read inputs again: %s", again)
	}

	parsed, _ := hostileRun(t, 0, "parse", "-q", dir)
	want := eventKeys(t, parsed)
	// The empty query is every event ('*' would miss messages that are
	// only stop words, like "after").
	all, _ := hostileRun(t, 0, "search", "--index", idx, "-o", "jsonl", "")
	if got := eventKeys(t, all); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("search '' found %d events, rca parse reads %d; missing %v, extra %v", len(got), len(want),
			head(setDiff(want, got)), head(setDiff(got, want)))
	}
	if n, _ := hostileRun(t, 0, "search", "--index", idx, "--count", ""); strings.TrimSpace(n) != fmt.Sprint(len(want)) {
		t.Errorf("search --count '' = %s, want %d", strings.TrimSpace(n), len(want))
	}

	for _, tc := range []struct {
		args []string
		code int
		want []string // in stdout
	}{
		{[]string{"pwned"}, 0, []string{`refused \x1b]0;pwned-title\x07 (injection/web.log:`}},
		{[]string{"kind:connection_refused"}, 0, []string{`benign\x0dFORGED`, `secret\x08\x08`, `\u202eevil\u202c`, `\u009b31mC1-CSI`}},
		{[]string{"level:error"}, 0, []string{`(archives/evil.tar.gz!/logs/\x1b]0;pwned\x07\x1b[2Jescape.log:1)`, `(archives/evil.tar.gz!/logs/new⏎ line.log:1)`, `(names/\x1b]0;pwned\x07\x1b[2Jname.log:1)`}},
		{[]string{"--facet", "source", "*"}, 0, []string{"450\tinjection\n"}},
		{[]string{"--facet", "kind", "level:error"}, 0, []string{"\tconnection_refused\n"}},
		{[]string{"--facet", "level", "*"}, 0, []string{"\terror\n"}},
		{[]string{"--histogram", "1m", "*"}, 0, []string{"1970-01-01T00:00:00Z\t1\n", "2023-08-15T06:40:00Z\t"}},
		{[]string{"--source", "injection", "--level", "error", "--kind", "connection_refused", "--count", "*"}, 0, []string{"90\n"}},
		{[]string{"--since", "2023-08-15T06:40:00Z", "--until", "2023-08-15T06:41:00Z", "connection"}, 0, []string{`\x1b[31;1mRED\x1b[0m`}},
		{[]string{"\x1b]0;pwned\x07\x1b[2J\r\b"}, 0, nil},
		{[]string{"-o", "jsonl", "--", "-level:info"}, 0, []string{`"message":"connect to db.internal:5432 failed: connection refused \u001b]0;pwned-title\u0007"`}},
		{[]string{"<script>alert(1)</script>"}, 1, nil},
		{[]string{"\"unterminated \x1b[2J"}, 1, nil},
		{[]string{"--facet", "\x1b[2Jsource", "*"}, 1, nil},
	} {
		out, stderr := hostileRun(t, tc.code, append([]string{"search", "--index", idx}, tc.args...)...)
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("rca search %q: stdout lacks %q:\n%.2000q", tc.args, w, out)
			}
		}
		if tc.code != 0 && !strings.HasPrefix(stderr, "rca: ") {
			t.Errorf("rca search %q: stderr %q, want an rca: message", tc.args, stderr)
		}
	}

	// Sources named after hostile file names, in results and facets.
	names := t.TempDir()
	for _, n := range evilFileNames {
		if err := os.WriteFile(filepath.Join(names, n), []byte("2023-08-15T06:00:00.000Z ERROR boom\n2023-08-15T06:00:01.000Z INFO fine\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	idx2 := filepath.Join(t.TempDir(), "idx")
	hostileRun(t, 0, "index", "--index", idx2, names)
	for _, args := range [][]string{{"*"}, {"--facet", "source", "*"}, {"--facet", "source", "level:info"}} {
		out, _ := hostileRun(t, 0, append([]string{"search", "--index", idx2}, args...)...)
		if !strings.Contains(out, `\x1b]0;pwned\x07\x1b[2Jname`) {
			t.Errorf("rca search %q: the hostile source is not shown escaped:\n%q", args, out)
		}
	}
}

func setDiff(a, b []string) []string {
	in := map[string]int{}
	for _, s := range b {
		in[s]++
	}
	var out []string
	for _, s := range a {
		if in[s] > 0 {
			in[s]--
			continue
		}
		out = append(out, s)
	}
	return out
}

func head(s []string) []string { return s[:min(5, len(s))] }

// TestHostileTimeline runs rca timeline on the hostile bundle piped (TSV),
// in the terminal layout with colour, and with every filter: exit 0, a
// warning per skipped input, one record per line, nothing raw.
func TestHostileTimeline(t *testing.T) {
	hermetic(t)
	dir := hostileBundle(t)
	own := regexp.MustCompile(`\x1b\[[0-9;]*m`) // rca's own SGR colours
	for _, args := range [][]string{
		{},
		{"--color", "always", "--width", "200"},
		{"--color", "always", "--width", "40"},
		{"--level", "warn"},
		{"--kind", "any", "--source-name", "injection,names"},
		{"--kind", "connection_refused", "--since", "2023-08-15T06:40:00Z", "--until", "2023-08-15T06:45:00Z"},
		{"--gap", "1ms"},
	} {
		name := strings.Join(args, " ")
		out, stderr, code := run(t, append(append([]string{"timeline"}, args...), dir)...)
		if code != 0 || panicRE.MatchString(stderr) {
			t.Errorf("rca timeline %s: exit %d:\n%s", name, code, stderr)
			continue
		}
		terminalClean(t, "rca timeline "+name+" stderr", stderr)
		if !strings.Contains(stderr, "rca: warning: binary/core.4242: binary file (ELF executable)") {
			t.Errorf("rca timeline %s: no warning for the ELF file:\n%s", name, stderr)
		}
		colored := strings.Contains(name, "always")
		if colored {
			if !own.MatchString(out) {
				t.Errorf("rca timeline %s: no colour", name)
			}
			out = own.ReplaceAllString(out, "")
		}
		terminalClean(t, "rca timeline "+name+" stdout", out)
		if out == "" {
			t.Errorf("rca timeline %s: no events", name)
		}
		if colored {
			continue
		}
		for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if n := strings.Count(l, "\t"); n != 6 {
				t.Errorf("rca timeline %s: line %d has %d tabs, want 6: %q", name, i+1, n, l)
				break
			}
		}
	}
}

// markupBundle is a small bundle whose folder, file and archive member
// names and messages carry HTML and script: for the HTML and Markdown
// reports. The injection folder of the hostile bundle comes along.
func markupBundle(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "markup")
	copyTree(t, filepath.Join(hostileDir, "injection"), filepath.Join(dir, "injection"))
	folder := filepath.Join(dir, "<script>alert(4)<")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	line := "2023-08-15T06:40:%02d.000Z ERROR upstream timeout javascript:alert(5) </style><style>body{display:none}\n"
	var b strings.Builder
	for s := range 20 {
		fmt.Fprintf(&b, line, s)
	}
	if err := os.WriteFile(filepath.Join(folder, `"onmouseover="alert(6).log`), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var tz bytes.Buffer
	gz := gzip.NewWriter(&tz)
	tw := tar.NewWriter(gz)
	for i, name := range []string{"</style><script>alert(1)</script>/javascript:alert(1).log", "svc/<img src=x onerror=alert(3)>.log"} {
		body := strings.Repeat(fmt.Sprintf("2023-08-15T06:40:0%d.000Z ERROR connection refused </title></style><script>alert(2)</script>\n", i), 10)
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	gz.Close()
	if err := os.WriteFile(filepath.Join(dir, "evil-html.tar.gz"), tz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestHostileHTML: script, links, style and title breakers in messages,
// file names, member names and service names stay text in the HTML report
// (and the page stays free of control bytes, whether it is opened in a
// browser or printed to a terminal); the Markdown report escapes them.
func TestHostileHTML(t *testing.T) {
	hermetic(t)
	dir := markupBundle(t)
	page, _ := hostileRun(t, 0, "analyze", "--no-index", "--format", "html", dir)
	if !strings.Contains(page, "INC-1") {
		t.Fatalf("no incident in the page:\n%.3000q", page)
	}
	for _, want := range []string{`&lt;script&gt;alert(4)&lt;`, `&lt;img src=x onerror=alert(3)&gt;`, `&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;`, `javascript:alert(5)`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks the escaped text %q", want)
		}
	}
	for _, bad := range []*regexp.Regexp{regexp.MustCompile(`(?i)<script`), regexp.MustCompile(`(?i)<img`), regexp.MustCompile(`(?i)<style>body`)} {
		if loc := bad.FindStringIndex(page); loc != nil {
			t.Errorf("page carries %q raw at byte %d", page[loc[0]:loc[1]], loc[0])
		}
	}
	// Event handlers and javascript: occur only as text, never in a tag.
	for _, m := range regexp.MustCompile(`(?i)\bon\w+\s*=|javascript:`).FindAllStringIndex(page, -1) {
		if lt, gt := strings.LastIndexByte(page[:m[0]], '<'), strings.LastIndexByte(page[:m[0]], '>'); lt > gt {
			t.Errorf("page has %q inside a tag at byte %d: %.80q", page[m[0]:m[1]], m[0], page[lt:])
		}
	}
	if n := strings.Count(page, "</style>"); n != 1 {
		t.Errorf("page has %d </style>, want its own one", n)
	}
	if n := strings.Count(strings.ToLower(page), "</title>"); n != strings.Count(strings.ToLower(page), "<title") {
		t.Errorf("a title was closed by log text")
	}
	md, _ := hostileRun(t, 0, "analyze", "--no-index", "--format", "markdown", dir)
	for _, bad := range []string{"<script", "<img", "</style>"} {
		if strings.Contains(md, bad) {
			t.Errorf("markdown report carries %q raw", bad)
		}
	}
	if regexp.MustCompile(`[^\\]\]\(javascript`).MatchString(md) {
		t.Errorf("markdown report carries a live link")
	}
}

// TestHostileIndexFileChangesWhileRead: a log appended to and one
// truncated while `rca index` reads them. The run ends with exit 0 and a
// warning for each change it saw; a search then answers from the files as
// they are (the truncated lines are not found, nothing fails); once the
// files are still, the next `rca index` brings the index up to date: it
// holds every line rca parse reads.
func TestHostileIndexFileChangesWhileRead(t *testing.T) {
	hermetic(t)
	dir := t.TempDir()
	line := "2023-08-15T06:00:00.000Z INFO a line of a live log, long enough to take a while\n"
	body := strings.Repeat(line, 50000)
	needle := "2023-08-15T06:00:00.000Z INFO the needle\n"
	body = strings.Repeat(line, 9) + needle + body[:len(line)*29990] + needle + body[len(line)*30000:]
	grow, shrink := filepath.Join(dir, "grow.log"), filepath.Join(dir, "shrink.log")
	os.WriteFile(grow, []byte(body), 0o644)
	os.WriteFile(shrink, []byte(body), 0o644)
	stop := churnFiles(grow, shrink, line)
	idx := filepath.Join(t.TempDir(), "idx")
	out, stderr, code := run(t, "index", "--index", idx, dir)
	stop()
	if code != 0 || panicRE.MatchString(stderr) {
		t.Fatalf("rca index: exit %d:\n%s", code, stderr)
	}
	t.Logf("%s%s", out, stderr)
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if l != "" && !strings.Contains(l, "while read") {
			t.Errorf("rca index: unexpected message %q", l)
		}
	}
	os.Truncate(shrink, 4096+17) // in case the writer stopped before it
	want := []string{"grow.log:10", "grow.log:30001", "shrink.log:10"}
	needles := func(when string) {
		t.Helper()
		out, _ := hostileRun(t, 0, "search", "--index", idx, "-o", "jsonl", "needle")
		var got []string
		for _, k := range eventKeys(t, out) {
			got = append(got, strings.ReplaceAll(strings.Fields(k)[0], `"`, ""))
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: search needle = %v, want %v", when, got, want)
		}
	}
	needles("after the changes")
	hostileRun(t, 0, "index", "--index", idx, dir)
	needles("after the next rca index")
	parsed, _ := hostileRun(t, 0, "parse", "-q", dir)
	status, _ := hostileRun(t, 0, "index", "--status", "--index", idx)
	if want := fmt.Sprintf("events:   %d ", strings.Count(parsed, "\n")); !strings.Contains(status, want) {
		t.Errorf("index after the files were still: %q, want %q", status, want)
	}
}
