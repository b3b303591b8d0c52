package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rca-dev/rca/internal/gen"
	"github.com/rca-dev/rca/pkg/event"
	"github.com/rca-dev/rca/pkg/parse"
	"github.com/rca-dev/rca/pkg/report"
)

// The hostile suite: every command on damaged and malicious bundles
// (testdata/hostile, plus the cases that cannot live in git, made here).
// What a user must get in every case: exit 0 with a warning naming each
// file that was skipped or cut short, and the rest read; no panic; line
// accounts that add up; nothing from the logs acting on the terminal or
// the Markdown viewer; nothing written anywhere. README "Reliability"
// lists the cases and points here.

const hostileDir = "../../testdata/hostile"

// TestMain lets a test run rca as a child process (re-executing the test
// binary): for real exit codes, stderr, peak RSS, and another user.

type childResult struct {
	stdout, stderr string
	code           int
	maxRSS         int64 // bytes, the child's peak (0 when it could not tell)
}

// runChild runs rca with args in a child process, as another user when
// cred is set (the test binary is then copied where that user can run it).
func runChild(t *testing.T, cred *syscall.Credential, args ...string) childResult {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if cred != nil {
		dir := worldDir(t)
		if err := copyFile(bin, filepath.Join(dir, "rca.test"), 0o755); err != nil {
			t.Fatal(err)
		}
		bin = filepath.Join(dir, "rca.test")
	}
	rssFile := filepath.Join(worldDir(t), "rss")
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "RCA_TEST_CHILD=1", "RCA_TEST_RSS_FILE="+rssFile)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	r := childResult{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errorsAs(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("run %v: %v", args, err)
	}
	if b, err := os.ReadFile(rssFile); err == nil {
		fmt.Sscan(string(b), &r.maxRSS)
	}
	return r
}

func errorsAs(err error, ee **exec.ExitError) bool {
	e, ok := err.(*exec.ExitError)
	if ok {
		*ee = e
	}
	return ok
}

// worldDir is a temporary folder every user can enter and read.
func worldDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "rca-hostile-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func copyFile(src, dst string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		return copyFile(p, target, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// hermetic keeps a test away from the user's formats and config.
func hermetic(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("NO_COLOR", "")
	t.Setenv("CLICOLOR_FORCE", "")
}

// Evil file names made on disk by the tests (git should not carry them).
var evilFileNames = []string{"\x1b]0;pwned\x07\x1b[2Jname.log", "tab\tand\nnewline.log", "\u202egol.exe"}

// hostileBundle is the committed hostile bundle plus the cases that cannot
// live in git: a FIFO, devices (through symbolic links), a socket, a
// symbolic link loop and one to a folder, and file names carrying escape
// sequences.
func hostileBundle(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bundle")
	copyTree(t, hostileDir, dir)
	sp := filepath.Join(dir, "special")
	if err := os.MkdirAll(sp, 0o755); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(syscall.Mkfifo(filepath.Join(sp, "fifo.log"), 0o644))
	must(os.Symlink("/dev/null", filepath.Join(sp, "null.log")))
	must(os.Symlink("/dev/zero", filepath.Join(sp, "zero.log")))
	must(os.Symlink("loop-b.log", filepath.Join(sp, "loop-a.log")))
	must(os.Symlink("loop-a.log", filepath.Join(sp, "loop-b.log")))
	must(os.Symlink("..", filepath.Join(sp, "parent")))
	if l, err := net.Listen("unix", filepath.Join(sp, "s.sock")); err == nil {
		t.Cleanup(func() { l.Close() })
	} else {
		t.Logf("no unix socket case: %v", err)
	}
	names := filepath.Join(dir, "names")
	must(os.MkdirAll(names, 0o755))
	for _, n := range evilFileNames {
		must(os.WriteFile(filepath.Join(names, n), []byte("2023-08-15T06:00:00.000Z ERROR a file with a hostile name\n"), 0o644))
	}
	return dir
}

// terminalClean fails when s carries a byte or rune that acts on a
// terminal: C0 controls but tab and newline, DEL, C1 controls, bidi
// overrides.
func terminalClean(t *testing.T, what, s string) {
	t.Helper()
	for i, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			lo := max(0, i-40)
			t.Errorf("%s: raw %U at byte %d: %q", what, r, i, s[lo:min(len(s), i+40)])
			return
		}
	}
}

var panicRE = regexp.MustCompile(`(?m)^(panic:|goroutine \d+ \[|fatal error:)`)

// statsOf reads the --stats document from stderr.
func statsOf(t *testing.T, stderr string) statsJSON {
	t.Helper()
	i := strings.Index(stderr, "{\n")
	if i < 0 {
		t.Fatalf("no --stats document in stderr:\n%s", stderr)
	}
	var st statsJSON
	if err := json.Unmarshal([]byte(stderr[i:]), &st); err != nil {
		t.Fatalf("--stats: %v", err)
	}
	return st
}

// hostileWant is what rca must do with one input of the hostile bundle.
type hostileWant struct {
	skip            string // substring of the skip reason; "" when read whole
	lines, events   int64  // -1: not checked
	unparsed, empty int64
	encoding        string
}

func read(lines, events int64) hostileWant { return hostileWant{lines: lines, events: events} }
func skipped(why string) hostileWant       { return hostileWant{skip: why, lines: -1, events: -1} }

// hostileCases is what rca does with each input; README's Reliability
// table says the same in words.
var hostileCases = map[string]hostileWant{
	"README.md":                                 {skip: "documentation", lines: 0},
	"empty/empty.log":                           read(0, 0),
	"empty/blank.log":                           {lines: 4, empty: 4},
	"binary/app.log":                            read(5, 5),
	"binary/core.4242":                          skipped("binary file (ELF executable)"),
	"binary/dashboard.png":                      skipped("binary file (PNG image)"),
	"nul/nul.log":                               {lines: 4, events: 4},
	"encoding/invalid-utf8.log":                 read(3, 3),
	"encoding/utf16le-bom.log":                  {lines: 3, events: 3, encoding: "utf-16le"},
	"encoding/utf16be-bom.log":                  {lines: 3, events: 3, encoding: "utf-16be"},
	"encoding/utf16le-nobom.log":                {lines: 3, events: 3, encoding: "utf-16le"},
	"encoding/utf8-bom.log":                     read(2, 2),
	"endings/crlf.log":                          read(4, 4),
	"endings/cr.log":                            read(4, 4),
	"endings/mixed.log":                         read(4, 4),
	"time/far.log":                              {lines: 6, events: 5, unparsed: 1}, // year 1 is no time (the zero instant): kept unparsed
	"time/backwards.log":                        read(6, 6),
	"archives/truncated.log.gz":                 {skip: "unexpected EOF", lines: 99, events: 99},
	"archives/no-central-directory.zip":         skipped("corrupt zip"),
	"archives/bad-crc.zip!/app/app.log":         {skip: "checksum error", lines: 3, events: 3},
	"archives/duplicate-names.zip!/app/dup.log": read(1, 1),
	"archives/garbage.tar.gz":                   skipped("binary data"),
	"archives/evil.tar.gz!/logs/app.log":        read(1, 1),
	"archives/evil.tar.gz!/etc/cron.d/rca-hostile-absolute.log":    read(1, 1),
	"archives/evil.tar.gz!/tmp/rca-hostile-dotdot.log":             read(1, 1),
	"archives/evil.tar.gz!/rca-hostile-inner-dotdot.log":           read(1, 1),
	"archives/evil.tar.gz!/C:/Windows/rca-hostile-backslash.log":   read(1, 1),
	"archives/evil.tar.gz!/logs/\x1b]0;pwned\x07\x1b[2Jescape.log": read(1, 1),
	"archives/evil.tar.gz!/logs/new\nline.log":                     read(1, 1),
	"archives/evil.tar.gz!/logs/passwd.log":                        skipped("symbolic link in an archive (to /etc/passwd), not followed"),
	"archives/evil.tar.gz!/logs/hard.log":                          skipped("hard link in an archive"),
	"archives/evil.tar.gz!/logs/null":                              skipped("device in an archive"),
	"archives/evil.tar.gz!/logs/fifo":                              skipped("named pipe in an archive"),
	"injection/web.log":                                            read(450, 450),
	"special/fifo.log":                                             skipped("not a regular file (named pipe)"),
	"special/null.log":                                             skipped("not a regular file (device)"),
	"special/zero.log":                                             skipped("not a regular file (device)"),
	"special/loop-a.log":                                           skipped("too many levels of symbolic links"),
	"special/loop-b.log":                                           skipped("too many levels of symbolic links"),
	"special/parent":                                               skipped("symbolic link to a folder, not followed"),
	"special/s.sock":                                               skipped("not a regular file (socket)"),
}

// TestHostileBundleParse runs `rca parse --stats` on the whole hostile
// bundle and checks each input against hostileCases, the accounting of
// every input and of the totals, the events against the stats, and that
// stderr names every skipped input, escaped.
func TestHostileBundleParse(t *testing.T) {
	hermetic(t)
	dir := hostileBundle(t)
	stdout, stderr, code := run(t, "parse", "--stats", dir)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	terminalClean(t, "stderr", stderr)
	st := statsOf(t, stderr)
	seen := map[string]bool{}
	var lines, events, unparsed int64
	for _, in := range st.Inputs {
		if in.Events+in.Continuation+in.Unparsed+in.Empty != in.Lines {
			t.Errorf("%q: accounting does not add up: %+v", in.Path, in)
		}
		lines += in.Lines
		events += in.Events
		unparsed += in.Unparsed
		reason := ""
		if in.SkipReason != nil {
			reason = *in.SkipReason
		}
		if in.Skipped != (reason != "") {
			t.Errorf("%q: skipped=%v with reason %q", in.Path, in.Skipped, reason)
		}
		if in.Skipped && !in.Ignored && !strings.Contains(stderr, "rca: warning: "+report.Terminal(in.Path)+": ") {
			t.Errorf("%q skipped (%s) without a warning naming it", in.Path, reason)
		}
		if strings.HasPrefix(in.Path, "names/") {
			seen[in.Path] = true
			if in.Events != 1 {
				t.Errorf("%q: %+v", in.Path, in)
			}
			continue
		}
		w, ok := hostileCases[in.Path]
		if !ok {
			t.Errorf("input %q (%s) has no expectation in hostileCases", in.Path, reason)
			continue
		}
		seen[in.Path] = true
		if !strings.Contains(reason, w.skip) || (w.skip == "" && reason != "") {
			t.Errorf("%q: skip reason %q, want %q", in.Path, reason, w.skip)
		}
		enc := ""
		if in.Encoding != nil {
			enc = *in.Encoding
		}
		if (w.lines >= 0 && in.Lines != w.lines) || (w.events >= 0 && in.Events != w.events) || in.Unparsed != w.unparsed || in.Empty != w.empty || enc != w.encoding {
			t.Errorf("%q: lines %d events %d unparsed %d empty %d encoding %q; want %d %d %d %d %q", in.Path,
				in.Lines, in.Events, in.Unparsed, in.Empty, enc, w.lines, w.events, w.unparsed, w.empty, w.encoding)
		}
	}
	for p := range hostileCases {
		if !seen[p] && !(p == "special/s.sock" && !strings.Contains(stderr, "s.sock")) {
			t.Errorf("input %q missing from the stats", p)
		}
	}
	if st.Totals.Lines != lines || st.Totals.Events != events {
		t.Errorf("totals %+v disagree with the inputs (%d lines, %d events)", st.Totals, lines, events)
	}
	n := int64(strings.Count(stdout, "\n"))
	if n != events+unparsed {
		t.Errorf("%d JSON lines out, want events + unparsed = %d", n, events+unparsed)
	}
	for i, l := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("output line %d is not JSON: %v: %q", i+1, err, l)
		}
	}
	terminalClean(t, "JSON events", stdout)
}

// TestHostileBundleEveryCommand runs every command and output format on
// the whole bundle, in a child process (a real exit code and stderr, no
// panic or goroutine dump), and checks that nothing reaching a terminal
// carries raw control sequences.
func TestHostileBundleEveryCommand(t *testing.T) {
	hermetic(t)
	dir := hostileBundle(t)
	for _, args := range [][]string{
		{"parse", dir},
		{"parse", "-o", "tsv", dir},
		{"parse", "--templates", "-q", dir},
		{"analyze", dir},
		{"analyze", "--width", "300", dir},
		{"analyze", "--format", "json", dir},
		{"analyze", "--format", "markdown", dir},
		{"analyze", "--format", "html", dir},
		{"timeline", dir},
		{"diff", hostileDir, dir},
		{"diff", "--format", "markdown", hostileDir, dir},
		{"patterns", dir},
		{"patterns", "-o", "jsonl", dir},
		{"formats", "detect", dir},
	} {
		name := strings.Join(args[:len(args)-1], " ")
		r := runChild(t, nil, args...)
		if r.code != 0 {
			t.Errorf("rca %s: exit %d:\n%s", name, r.code, r.stderr)
		}
		if panicRE.MatchString(r.stderr) {
			t.Errorf("rca %s: panic:\n%s", name, r.stderr)
		}
		terminalClean(t, "rca "+name+" stderr", r.stderr)
		terminalClean(t, "rca "+name+" stdout", r.stdout)
		if args[0] != "formats" && !strings.Contains(r.stderr, "rca: warning: binary/core.4242: binary file (ELF executable)") {
			t.Errorf("rca %s: no warning for the ELF file:\n%s", name, r.stderr)
		}
		if strings.Contains(r.stdout, "evil.example") && !strings.Contains(name, "json") && strings.Contains(r.stdout, "\x1b]8") {
			t.Errorf("rca %s: OSC 8 link reached the output raw", name)
		}
	}
}

// TestHostileInjection checks the escaping of the injection payloads in
// every rendering of `rca analyze` (they are the evidence and timeline of
// the one incident), in patterns, TSV and stderr: inert on a terminal and
// in Markdown, kept as they were in JSON.
func TestHostileInjection(t *testing.T) {
	hermetic(t)
	dir := filepath.Join(hostileDir, "injection")
	text, _, code := run(t, "analyze", "--width", "2000", dir)
	if code != 0 || !strings.Contains(text, "INC-1") {
		t.Fatalf("exit %d, want an incident:\n%s", code, text)
	}
	terminalClean(t, "text report", text)
	for _, want := range []string{`\x1b[31;1mRED\x1b[0m`, `benign\x0dFORGED`} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks the escaped payload %q", want)
		}
	}
	colored, _, _ := run(t, "analyze", "--color", "always", "--width", "2000", dir)
	own := regexp.MustCompile(`\x1b\[[0-9;]*m`) // rca's own SGR colours only
	terminalClean(t, "coloured text report", own.ReplaceAllString(colored, ""))
	if !own.MatchString(colored) {
		t.Errorf("--color always wrote no colour")
	}

	md, _, _ := run(t, "analyze", "--format", "markdown", dir)
	terminalClean(t, "markdown report", md)
	for _, bad := range []string{"<script", "<img", "| cell |", " `code`", "**bold**"} {
		if strings.Contains(md, bad) {
			t.Errorf("markdown report carries %q raw", bad)
		}
	}
	if regexp.MustCompile(`[^\\]\]\(javascript`).MatchString(md) {
		t.Errorf("markdown report carries a live link")
	}
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, "| ") && strings.Contains(l, "connection refused") {
			if cells := len(regexp.MustCompile(`(^|[^\\])\|`).FindAllString(l, -1)); cells != 5 && cells != 8 {
				t.Errorf("a table row has %d cell separators (payload broke the table): %s", cells, l)
			}
		}
	}

	js, _, _ := run(t, "analyze", "--format", "json", dir)
	terminalClean(t, "JSON report", js)
	var rep struct {
		Incidents []struct {
			Timeline []struct{ Message string } `json:"timeline"`
		} `json:"incidents"`
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil || len(rep.Incidents) == 0 {
		t.Fatalf("JSON report: %v", err)
	}
	kept := 0
	for _, tl := range rep.Incidents[0].Timeline {
		for _, p := range gen.HostilePayloads {
			if strings.Contains(tl.Message, p) {
				kept++
			}
		}
	}
	if kept == 0 {
		t.Errorf("JSON report does not keep any payload as it was")
	}

	ev, _, _ := run(t, "parse", "-q", dir)
	terminalClean(t, "JSON events", ev)
	got := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(ev), "\n") {
		var m struct{ Message string }
		json.Unmarshal([]byte(l), &m)
		for _, p := range gen.HostilePayloads {
			if strings.HasSuffix(m.Message, p) {
				got[p] = true
			}
		}
	}
	if len(got) != len(gen.HostilePayloads) {
		t.Errorf("JSON events keep %d of the %d payloads as they were", len(got), len(gen.HostilePayloads))
	}
	tsv, _, _ := run(t, "parse", "-q", "-o", "tsv", dir)
	terminalClean(t, "TSV", tsv)
	for i, l := range strings.Split(strings.TrimSuffix(tsv, "\n"), "\n") {
		if n := strings.Count(l, "\t"); n != 3 {
			t.Fatalf("TSV line %d has %d tabs: %q", i+1, n, l)
		}
	}
	pat, _, _ := run(t, "patterns", dir)
	terminalClean(t, "patterns", pat)
}

// TestHostileFileNames: names of files and archive members are shown
// escaped in warnings, the summary and `rca formats detect`, and stay as
// they are in JSON.
func TestHostileFileNames(t *testing.T) {
	hermetic(t)
	dir := t.TempDir()
	for _, n := range evilFileNames {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("2023-08-15T06:00:00.000Z ERROR x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "\x1b[2Jcore"), []byte("\x7fELF\x02\x01"), 0o644); err != nil {
		t.Fatal(err)
	}
	evil := filepath.Join(hostileDir, "archives", "evil.tar.gz")
	out, stderr, code := run(t, "parse", dir, evil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	terminalClean(t, "parse stderr", stderr)
	if !strings.Contains(stderr, `rca: warning: \x1b[2Jcore: binary file`) || !strings.Contains(stderr, `logs/\x1b]0;pwned\x07\x1b[2Jescape.log`) {
		t.Errorf("stderr does not show the hostile names escaped:\n%s", stderr)
	}
	files := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m struct{ File string }
		json.Unmarshal([]byte(l), &m)
		files[m.File] = true
	}
	for _, n := range append(evilFileNames, "evil.tar.gz!/logs/\x1b]0;pwned\x07\x1b[2Jescape.log", "evil.tar.gz!/logs/new\nline.log") {
		if !files[n] {
			t.Errorf("JSON events lack file %q as it is", n)
		}
	}
	det, _, code := run(t, "formats", "detect", dir, evil)
	if code != 0 {
		t.Fatalf("formats detect: exit %d", code)
	}
	terminalClean(t, "formats detect", det)
	if n := strings.Count(det, "\n"); n != 1+4+12 {
		t.Errorf("formats detect wrote %d lines, want a header and one per input (a name broke a line?):\n%s", n, det)
	}
	rep, _, _ := run(t, "analyze", dir, evil)
	terminalClean(t, "analyze", rep)
}

// TestHostileLongLine: a 50 MB line, alone in its file without a newline,
// and framed by ordinary lines: cut at --max-line, flagged and counted,
// with memory bounded. The peak RSS of a child process running each
// command is checked (not under -race, whose shadow memory dominates).
func TestHostileLongLine(t *testing.T) {
	hermetic(t)
	dir := t.TempDir()
	if err := gen.WriteLongLine(filepath.Join(dir, "one-line.log"), 50<<20, false); err != nil {
		t.Fatal(err)
	}
	if err := gen.WriteLongLine(filepath.Join(dir, "framed.log"), 50<<20, true); err != nil {
		t.Fatal(err)
	}
	r := runChild(t, nil, "parse", "--stats", dir)
	if r.code != 0 || panicRE.MatchString(r.stderr) {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	st := statsOf(t, r.stderr)
	want := map[string][2]int64{"one-line.log": {1, 1}, "framed.log": {3, 1}}
	for _, in := range st.Inputs {
		w := want[in.Path]
		if in.Lines != w[0] || in.CutLines != w[1] || in.Events+in.Unparsed != w[0] || in.Skipped {
			t.Errorf("%s: %+v, want %d lines, %d cut", in.Path, in, w[0], w[1])
		}
	}
	if st.Totals.Bytes < 100<<20 {
		t.Errorf("read %d bytes, want both files whole", st.Totals.Bytes)
	}
	for i, l := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		if len(l) > 2*parse.DefaultMaxLine+4096 {
			t.Errorf("output line %d is %d bytes: the long line was not cut", i+1, len(l))
		}
		if strings.Contains(l, "0123456789abcdef0123") && !strings.Contains(l, `"cut":"true"`) {
			t.Errorf("output line %d holds the long line without the cut flag", i+1)
		}
	}
	rss := map[string]int64{"parse": r.maxRSS}
	// analyze runs without its search index here: what is measured is that
	// the line is not held whole; the index's own memory (bleve) is the
	// index tests' business, and varied between 66 and 100 MiB run to run.
	for _, args := range [][]string{{"analyze", "--no-index"}, {"patterns"}, {"formats", "detect"}, {"parse", "-o", "tsv"}, {"timeline"}} {
		c := runChild(t, nil, append(args, dir)...)
		if c.code != 0 || panicRE.MatchString(c.stderr) {
			t.Errorf("rca %s: exit %d:\n%s", args[0], c.code, c.stderr)
		}
		rss[strings.Join(args, " ")] = c.maxRSS
	}
	// rca index: its memory is bleve's (logged, not bounded here); the
	// lines are indexed and found, the long ones by their first 64 KiB.
	idx := filepath.Join(t.TempDir(), "idx")
	c := runChild(t, nil, "index", "--index", idx, dir)
	if c.code != 0 || panicRE.MatchString(c.stderr) {
		t.Errorf("rca index: exit %d:\n%s", c.code, c.stderr)
	}
	t.Logf("peak RSS of rca index on two 50 MB lines: %.1f MiB", float64(c.maxRSS)/(1<<20))
	for q, want := range map[string]string{"": "4", "level:error": "2", "0123456789abcdef0123*": "2"} {
		if out, stderr, code := run(t, "search", "--index", idx, "--count", q); strings.TrimSpace(out) != want || code != 0 {
			t.Errorf("rca search --count %q = %q, exit %d, want %s: %s", q, out, code, want, stderr)
		}
	}
	for cmd, b := range rss {
		if b == 0 {
			t.Logf("rca %s: peak RSS unknown (no /proc/self/status)", cmd)
			continue
		}
		t.Logf("peak RSS of rca %s on two 50 MB lines: %.1f MiB", cmd, float64(b)/(1<<20))
		if !raceEnabled && b > 80<<20 {
			t.Errorf("rca %s: peak RSS %.1f MiB on a 50 MB line, want under 80 MiB (the line must not be held whole)", cmd, float64(b)/(1<<20))
		}
	}
}

// TestHostileBomb: decompression bombs (a .gz and a zip member) are stopped
// at the limits, named in a warning, and the run goes on with the rest.
// The limits are lowered (as a package variable) so that a 16 MiB bomb
// trips them.
func TestHostileBomb(t *testing.T) {
	hermetic(t)
	expandLimits = parse.Limits{BombBytes: 1 << 20, BombRatio: 50}
	t.Cleanup(func() { expandLimits = parse.Limits{} })
	dir := t.TempDir()
	if err := gen.WriteGzipBomb(filepath.Join(dir, "bomb.log.gz"), 16<<20); err != nil {
		t.Fatal(err)
	}
	if err := gen.WriteZipBomb(filepath.Join(dir, "bomb.zip"), 16<<20); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ok.log"), []byte("2023-08-15T06:00:00.000Z ERROR fine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"parse", "--stats"}, {"analyze"}, {"patterns"}} {
		stdout, stderr, code := run(t, append(args, dir)...)
		if code != 0 {
			t.Fatalf("rca %v: exit %d: %s", args, code, stderr)
		}
		for _, p := range []string{"bomb.log.gz", "bomb.zip!/bomb.log"} {
			if !strings.Contains(stderr, "rca: warning: "+p+": stopped after line") || !strings.Contains(stderr, "decompression bomb") {
				t.Errorf("rca %v: no bomb warning for %s:\n%s", args, p, stderr)
			}
		}
		if args[0] == "analyze" {
			continue
		}
		if !strings.Contains(stdout, "fine") || !strings.Contains(stdout, "honest") {
			t.Errorf("rca %v: the other inputs were not read", args)
		}
		if args[0] != "parse" {
			continue
		}
		for _, in := range statsOf(t, stderr).Inputs {
			if in.Events+in.Continuation+in.Unparsed+in.Empty != in.Lines {
				t.Errorf("%s: accounting does not add up: %+v", in.Path, in)
			}
			if in.Bytes > 8<<20 {
				t.Errorf("%s: read %d bytes, past the limits", in.Path, in.Bytes)
			}
		}
	}
	det, _, code := run(t, "formats", "detect", dir)
	if code != 0 || !strings.Contains(det, "bomb.log.gz") {
		t.Errorf("formats detect: exit %d\n%s", code, det)
	}
}

// TestHostileUnreadable: a file that cannot be opened (permission denied)
// is skipped with a warning naming it, the rest is read. chmod 000 denies
// nothing to root (tests run as root in CI), so as root rca runs as the
// user nobody in a child process.
func TestHostileUnreadable(t *testing.T) {
	hermetic(t)
	dir := worldDir(t)
	for _, d := range []string{"app", "locked"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ok := filepath.Join(dir, "app", "ok.log")
	secret := filepath.Join(dir, "app", "secret.log")
	os.WriteFile(ok, []byte("2023-08-15T06:00:00.000Z INFO readable\n"), 0o644)
	os.WriteFile(secret, []byte("2023-08-15T06:00:00.000Z INFO secret\n"), 0o000)
	os.WriteFile(filepath.Join(dir, "locked", "x.log"), []byte("2023-08-15T06:00:00.000Z INFO in a locked folder\n"), 0o644)
	if err := os.Chmod(filepath.Join(dir, "locked"), 0o000); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "locked"), 0o755) })
	var res childResult
	if os.Geteuid() != 0 {
		res = runChild(t, nil, "parse", dir)
	} else {
		nobody := &syscall.Credential{Uid: 65534, Gid: 65534}
		res = runChild(t, nobody, "parse", dir)
		if res.code != 0 && strings.Contains(res.stderr, "operation not permitted") {
			t.Skipf("running as root, and cannot run a child as nobody to be denied: %s", res.stderr)
		}
	}
	if res.code != 0 || panicRE.MatchString(res.stderr) {
		t.Fatalf("exit %d:\n%s", res.code, res.stderr)
	}
	for _, want := range []string{"rca: warning: app/secret.log: unreadable: permission denied", "rca: warning: locked: unreadable: permission denied"} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
		}
	}
	if !strings.Contains(res.stdout, "readable") || strings.Contains(res.stdout, "secret") {
		t.Errorf("stdout:\n%s", res.stdout)
	}
}

// TestHostileFileChangesWhileRead: a log appended to and one truncated
// while `rca parse` reads them (from other goroutines, as a live system
// would): the run ends, the accounts add up, and a change seen is named.
// churnFiles appends line to grow and, a moment later, truncates shrink,
// while a command reads them; stop ends it and waits.
func churnFiles(grow, shrink, line string) (stop func()) {
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		f, _ := os.OpenFile(grow, os.O_APPEND|os.O_WRONLY, 0)
		defer f.Close()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			default:
			}
			f.WriteString(line)
			if i == 200 {
				os.Truncate(shrink, 4096+17)
			}
			time.Sleep(50 * time.Microsecond)
		}
	}()
	return func() { close(done); <-stopped }
}

func TestHostileFileChangesWhileRead(t *testing.T) {
	hermetic(t)
	dir := t.TempDir()
	line := "2023-08-15T06:00:00.000Z INFO a line of a live log, long enough to take a while\n"
	grow, shrink := filepath.Join(dir, "grow.log"), filepath.Join(dir, "shrink.log")
	os.WriteFile(grow, []byte(strings.Repeat(line, 100000)), 0o644)
	os.WriteFile(shrink, []byte(strings.Repeat(line, 100000)), 0o644)
	stop := churnFiles(grow, shrink, line)
	_, stderr, code := run(t, "parse", "--stats", dir)
	stop()
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, in := range statsOf(t, stderr).Inputs {
		if in.Events+in.Continuation+in.Unparsed+in.Empty != in.Lines {
			t.Errorf("%s: accounting does not add up: %+v", in.Path, in)
		}
		if in.SkipReason != nil && !strings.Contains(*in.SkipReason, "while read") {
			t.Errorf("%s: %s", in.Path, *in.SkipReason)
		}
		t.Logf("%s: %d lines, %d bytes, %v", in.Path, in.Lines, in.Bytes, in.SkipReason != nil)
	}
}

// TestHostileNoWrites runs every command on the hostile bundle from an
// empty working folder, with HOME, TMPDIR, XDG_CONFIG_HOME and
// XDG_CACHE_HOME empty too, and checks that nothing was written anywhere
// but the index directories (--index, and analyze's default one in the
// cache) and the --output file: not there, not in the bundle, not where
// the evil archive's member names point.
func TestHostileNoWrites(t *testing.T) {
	dir := hostileBundle(t)
	home, tmp, cfg, cache, cwd, out := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("TMPDIR", tmp)
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Chdir(cwd)
	idx := filepath.Join(t.TempDir(), "idx")
	before := treeState(t, dir)
	for _, args := range [][]string{
		{"parse", dir}, {"parse", "-o", "tsv", "--templates", dir}, {"analyze", "--no-index", dir}, {"analyze", "-f", "json", "--no-index", dir},
		{"analyze", "-f", "markdown", "--no-index", dir}, {"analyze", "-f", "html", "--no-index", dir}, {"patterns", dir}, {"formats", "detect", dir}, {"formats"},
		{"timeline", dir}, {"timeline", "--color", "always", "--level", "warn", dir},
		{"index", "--index", idx, dir}, {"index", "--index", idx, "--status"}, {"search", "--index", idx, "*"},
		{"search", "--index", idx, "-o", "jsonl", "--", "-level:info"}, {"search", "--index", idx, "--facet", "source", "*"},
		{"analyze", "--quiet", "--output", filepath.Join(out, "report.html"), dir},
	} {
		if _, stderr, code := run(t, args...); code != 0 {
			t.Fatalf("rca %v: exit %d: %s", args, code, stderr)
		}
	}
	if after := treeState(t, dir); after != before {
		t.Errorf("the bundle changed:\nbefore %s\nafter  %s", before, after)
	}
	for _, d := range []string{home, tmp, cfg, cwd} {
		if ents, _ := os.ReadDir(d); len(ents) != 0 {
			t.Errorf("%s: rca wrote %v", d, ents)
		}
	}
	if ents, _ := os.ReadDir(filepath.Dir(idx)); len(ents) != 1 || ents[0].Name() != "idx" {
		t.Errorf("beside the --index folder: %v, want idx alone", ents)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 1 || ents[0].Name() != "report.html" {
		t.Errorf("--output folder holds %v, want report.html alone", ents)
	}
	// analyze without --no-index keeps its index in the cache: there only.
	filepath.WalkDir(cache, func(p string, d fs.DirEntry, err error) error {
		if rel, _ := filepath.Rel(cache, p); err == nil && !d.IsDir() && !strings.HasPrefix(rel, filepath.Join("rca", "index")+string(filepath.Separator)) {
			t.Errorf("cache: rca wrote %s outside rca/index", rel)
		}
		return nil
	})
	if ents, _ := os.ReadDir(filepath.Join(cache, "rca", "index")); len(ents) != 1 {
		t.Errorf("cache: %d index folders, want the bundle's one", len(ents))
	}
	for _, p := range []string{"/etc/cron.d/rca-hostile-absolute.log", "/tmp/rca-hostile-dotdot.log", filepath.Join(cwd, "..", "rca-hostile-inner-dotdot.log"),
		filepath.Join(filepath.Dir(dir), "rca-hostile-inner-dotdot.log")} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s exists: an archive member name was used as a path", p)
		}
	}
}

// treeState describes a folder tree: names, types, sizes, modes, times.
func treeState(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		b.WriteString(rel + " " + fi.Mode().String() + " " + fi.ModTime().String())
		if fi.Mode().IsRegular() {
			fmt.Fprintf(&b, " %d", fi.Size())
		}
		b.WriteString("\n")
		return nil
	})
	return b.String()
}

// TestHostileTimestamps: stamps far in the past and future and going
// backwards keep the output in time order and the spans readable.
func TestHostileTimestamps(t *testing.T) {
	hermetic(t)
	dir := filepath.Join(hostileDir, "time")
	out, _, code := run(t, "parse", "-q", dir)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	prev := ""
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m struct{ Time *string }
		json.Unmarshal([]byte(l), &m)
		if m.Time == nil {
			continue
		}
		if *m.Time < prev {
			t.Errorf("%s after %s: not in time order", *m.Time, prev)
		}
		prev = *m.Time
	}
	if prev != "9999-12-31T23:59:59.999Z" {
		t.Errorf("last time %s, want the year 9999 line", prev)
	}
	_, stderr, _ := run(t, "parse", "--stats", dir)
	for _, in := range statsOf(t, stderr).Inputs {
		if in.OutOfOrder != 0 {
			t.Errorf("%s: %d out of order: within the reorder window, want 0", in.Path, in.OutOfOrder)
		}
	}
	text, _, code := run(t, "analyze", dir)
	if code != 0 || !strings.Contains(text, "1970-01-01 00:00:00Z → 9999-12-31 23:59:59Z (2932896 days)") {
		t.Errorf("exit %d, span line:\n%s", code, text)
	}
	for _, f := range []string{"json", "markdown"} {
		if _, stderr, code := run(t, "analyze", "-f", f, dir); code != 0 {
			t.Errorf("analyze -f %s: exit %d: %s", f, code, stderr)
		}
	}
}

// TestHostileClockGoesBack: a file whose time runs backwards over 1,000
// lines (further than the 256-event reorder window) is read whole, in its
// own order where it cannot be sorted, and the user is told how many
// events are out of time order; analysis still runs.
func TestHostileClockGoesBack(t *testing.T) {
	hermetic(t)
	dir := t.TempDir()
	var b strings.Builder
	t0 := time.Date(2023, 8, 15, 6, 0, 0, 0, time.UTC)
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&b, "%s ERROR step %d\n", t0.Add(-time.Duration(i)*time.Second).Format("2006-01-02T15:04:05.000Z"), i)
	}
	os.WriteFile(filepath.Join(dir, "desc.log"), []byte(b.String()), 0o644)
	out, stderr, code := run(t, "parse", "--stats", dir)
	if code != 0 || strings.Count(out, "\n") != 1000 {
		t.Fatalf("exit %d, %d events", code, strings.Count(out, "\n"))
	}
	st := statsOf(t, stderr)
	if n := st.Inputs[0].OutOfOrder; n < 700 || n > 744 {
		t.Errorf("out_of_order = %d, want the 744 events past the window", n)
	}
	if !strings.Contains(stderr, "rca: warning: desc.log: time goes back further than rca reorders: ") {
		t.Errorf("no warning:\n%s", stderr)
	}
	for _, args := range [][]string{{"analyze"}, {"analyze", "-f", "json"}, {"patterns"}} {
		if _, stderr, code := run(t, append(args, dir)...); code != 0 || !strings.Contains(stderr, "out of time order") {
			t.Errorf("rca %v: exit %d:\n%s", args, code, stderr)
		}
	}
}

// TestHostileOutlierStampsKeepRootCause is a known problem, reported to
// the owner of pkg/correlate's ranking: two lines stamped 1970 and 9999
// added to the demo bundle stretch the span the analysis buckets are sized
// from (incidents.go bucketFor), the incidents merge into one of 2h20m and
// the top cause becomes the red herring (kafka) instead of
// api.tax.example.gov. Set RCA_KNOWN_ISSUES=1 to run it.
func TestHostileOutlierStampsKeepRootCause(t *testing.T) {
	if os.Getenv("RCA_KNOWN_ISSUES") == "" {
		t.Skip("known issue in pkg/correlate (bucket width from a span stretched by outlier stamps); RCA_KNOWN_ISSUES=1 runs it")
	}
	hermetic(t)
	dir := filepath.Join(t.TempDir(), "demo")
	copyTree(t, demoBundle, dir)
	os.WriteFile(filepath.Join(dir, "gateway", "zz.log"), []byte("9999-12-31T23:59:59Z ERROR far future\n1970-01-01T00:00:01Z ERROR epoch\n"), 0o644)
	out, _, _ := run(t, "analyze", dir)
	if !strings.Contains(out, "1.  90%  api.tax.example.gov") && !strings.Contains(out, "1. 100%  api.tax.example.gov") {
		t.Errorf("top cause changed by two outlier stamps:\n%s", out)
	}
}

// FuzzAppendTSV checks that a TSV line holds exactly its four columns and
// nothing that acts on a terminal, whatever the message and source.
func FuzzAppendTSV(f *testing.F) {
	for _, p := range gen.HostilePayloads {
		f.Add("web", p)
	}
	f.Add("\x1b[2Jsrc\t", "a\xffb\xc2\x9bc\u202e\n\r\t\\")
	f.Fuzz(func(t *testing.T, source, msg string) {
		ev := &event.Event{Source: source, Message: msg}
		line := string(appendTSV(nil, ev))
		if n := strings.Count(line, "\t"); n != 3 || strings.Contains(line, "\n") {
			t.Fatalf("TSV line %q has %d tabs", line, n)
		}
		for i, r := range line {
			if (r < 0x20 && r != '\t') || r == 0x7f || event.InertRune(r) || (r == utf8.RuneError && !strings.Contains(msg+source, "\ufffd")) {
				t.Fatalf("TSV line %q keeps %U at %d", line, r, i)
			}
		}
	})
}
