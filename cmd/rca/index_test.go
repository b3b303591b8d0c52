package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain keeps the commands' default index (the user cache directory)
// out of the real cache while the tests run analyze.

func TestIndexSearchCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	out, stderr, code := run(t, "index", "--index", dir, demoBundle)
	if code != 0 || !strings.Contains(out, "13 indexed") {
		t.Fatalf("index: exit %d: %s%s", code, out, stderr)
	}
	out, _, _ = run(t, "index", "--index", dir, demoBundle)
	if !strings.Contains(out, "13 files unchanged, 0 indexed") {
		t.Errorf("second index run: %s", out)
	}
	out, stderr, code = run(t, "search", "--index", dir, `"Lock wait timeout"`)
	if code != 0 {
		t.Fatalf("search: exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) == 0 || !strings.Contains(lines[0], "order-service error Lock wait timeout") || !strings.Contains(lines[0], "(order-service/application.log:") {
		t.Errorf("search output: %q", lines[0])
	}
	// on a terminal (here forced) the words the query matched are marked;
	// piped output has no escape byte
	if strings.Contains(out, "\x1b") {
		t.Errorf("piped search output has an escape byte")
	}
	colored, _, _ := run(t, "search", "--index", dir, "--color", "always", `"Lock wait timeout"`)
	if !strings.Contains(colored, "\x1b[1;35mLock\x1b[0m \x1b[1;35mwait\x1b[0m") {
		t.Errorf("--color always: the phrase's words are not marked: %q", strings.SplitN(colored, "\n", 2)[0])
	}
	out, _, _ = run(t, "search", "--index", dir, "--facet", "source", "kind:upstream_unavailable")
	if !strings.HasPrefix(out, "1203\tgateway\n") {
		t.Errorf("facet: %q", out)
	}
	out, _, _ = run(t, "search", "--index", dir, "--output", "jsonl", "--count", "kind:database_lock")
	if strings.TrimSpace(out) != "78" {
		t.Errorf("count: %q", out)
	}
	// --sort score: the same hits, the events holding every word first
	byTime, _, _ := run(t, "search", "--index", dir, "timed out upstream")
	byScore, _, code := run(t, "search", "--index", dir, "--sort", "score", "timed out upstream")
	ts, ss := strings.Split(strings.TrimSpace(byTime), "\n"), strings.Split(strings.TrimSpace(byScore), "\n")
	if code != 0 || len(ts) != len(ss) || len(ss) < 2 {
		t.Fatalf("--sort score: exit %d, %d lines, by time %d", code, len(ss), len(ts))
	}
	if !strings.Contains(ss[0], "upstream timed out") || strings.Contains(ss[len(ss)-1], "upstream timed out") {
		t.Errorf("--sort score: first %q, last %q", ss[0], ss[len(ss)-1])
	}
	sort.Strings(ts)
	sort.Strings(ss)
	if strings.Join(ts, "\n") != strings.Join(ss, "\n") {
		t.Errorf("--sort score changed the hits, not only their order")
	}
	out, _, _ = run(t, "index", "--index", dir, "--status")
	if !strings.Contains(out, "events:   10544") {
		t.Errorf("status: %s", out)
	}
	// analyze updates the index on the way through (here: nothing to do).
	if _, stderr, code := run(t, "analyze", "--index", dir, demoBundle); code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, stderr)
	}
}

// TestIndexKill9 kills rca index mid-build and checks that the next run
// completes a correct index.
func TestIndexKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "rca")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	bundle := filepath.Join(tmp, "bundle")
	for _, sub := range []string{"a"} {
		if out, err := exec.Command("cp", "-r", demoBundle, filepath.Join(bundle, sub)).CombinedOutput(); err != nil {
			os.MkdirAll(bundle, 0o755)
			if out, err = exec.Command("cp", "-r", demoBundle, filepath.Join(bundle, sub)).CombinedOutput(); err != nil {
				t.Fatalf("cp: %v %s", err, out)
			}
		}
	}
	dir := filepath.Join(tmp, "ix")
	cmd := exec.Command(bin, "index", "--index", dir, bundle)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	out, err := exec.Command(bin, "index", "--index", dir, bundle).CombinedOutput()
	if err != nil {
		t.Fatalf("rerun: %v\n%s", err, out)
	}
	t.Logf("rerun: %s", out)
	fresh := filepath.Join(tmp, "fresh")
	if out, err := exec.Command(bin, "index", "--index", fresh, bundle).CombinedOutput(); err != nil {
		t.Fatalf("fresh: %v\n%s", err, out)
	}
	for _, q := range []string{`"auto leader balancing"`, "level:debug", "-level:info", "kind:upstream_unavailable"} {
		a, err1 := exec.Command(bin, "search", "--index", dir, "--output", "jsonl", "--", q).Output()
		b, err2 := exec.Command(bin, "search", "--index", fresh, "--output", "jsonl", "--", q).Output()
		if err1 != nil || err2 != nil {
			t.Fatalf("search %s: %v %v", q, err1, err2)
		}
		if string(a) != string(b) || len(a) == 0 {
			t.Errorf("search %s after kill -9: %d bytes, fresh build %d bytes", q, len(a), len(b))
		}
	}
}
