package report

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The HTML report is checked in a real browser: Debian's chromium,
// headless. .ci/run installs it; locally the test skips when it is absent
// (apt-get install -y chromium). Save the screenshot the README shows with
//
//	go test ./pkg/report -run HTMLInChromium -screenshot ../../docs/report-html.png
var screenshotOut = flag.String("screenshot", "", "copy the headless Chromium screenshot of the demo HTML report to `FILE`")

// findChromium returns the browser binary, or "" when there is none.
func findChromium() string {
	if p := os.Getenv("RCA_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func needChromium(t *testing.T) string {
	t.Helper()
	bin := findChromium()
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium not found in CI: .ci/run should have installed it (apt-get install -y chromium)")
		}
		t.Skip("chromium not found: install Debian's chromium package (apt-get install -y chromium) to run the HTML report's browser test")
	}
	return bin
}

// browserRun is what one headless Chromium run left behind.
type browserRun struct {
	stdout   string   // the DOM with --dump-dom
	console  []string // console messages (CSP violations, script errors)
	requests []string // URLs the page asked the network for
}

// runChromium loads a local page in headless Chromium with the network
// shut (every host name resolves to nothing, so no request leaves the
// machine even if the page asked for one), records console messages and
// the network log, and runs with the given extra flags.
func runChromium(t *testing.T, bin, page string, extra ...string) browserRun {
	t.Helper()
	dir := t.TempDir()
	netlog := filepath.Join(dir, "netlog.json")
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + filepath.Join(dir, "profile"),
		"--host-resolver-rules=MAP * ~NOTFOUND",
		"--enable-logging=stderr", "--v=0",
		"--log-net-log=" + netlog,
	}
	args = append(append(args, extra...), "file://"+page)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, stderr.String())
	}
	var run browserRun
	run.stdout = stdout.String()
	for _, l := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(l, ":CONSOLE") {
			run.console = append(run.console, l)
		}
	}
	run.requests = pageRequests(t, netlog)
	return run
}

// pageRequests reads a Chromium net log and returns the URLs of requests
// made on behalf of a file:// page. The browser's own background requests
// (updates, time) are not the page's: they carry no file:// isolation key.
func pageRequests(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("net log: %v", err)
	}
	var log struct {
		Events []struct {
			Params map[string]any `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		// a log cut short (the browser exited while writing) lacks its end
		s := strings.TrimSuffix(strings.TrimSpace(string(data)), ",") + "]}"
		if err2 := json.Unmarshal([]byte(s), &log); err2 != nil {
			t.Fatalf("net log %s: %v", path, err)
		}
	}
	var out []string
	for _, e := range log.Events {
		url, _ := e.Params["url"].(string)
		nik, _ := e.Params["network_isolation_key"].(string)
		if url != "" && strings.Contains(nik, "file://") {
			out = append(out, url)
		}
	}
	return out
}

// TestChromiumHarnessCatchesRequestsAndConsole makes sure the checks below
// can fail: a page that loads an image from the network and logs to the
// console is caught on both counts.
func TestChromiumHarnessCatchesRequestsAndConsole(t *testing.T) {
	bin := needChromium(t)
	page := filepath.Join(t.TempDir(), "bad.html")
	bad := `<!DOCTYPE html><html><head><title>bad</title></head><body>` +
		`<img src="http://rca.invalid/x.png"><script>console.error("rca-harness-check")</script></body></html>`
	if err := os.WriteFile(page, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	run := runChromium(t, bin, page, "--dump-dom")
	if !strings.Contains(strings.Join(run.console, "\n"), "rca-harness-check") {
		t.Errorf("console message not caught; console lines: %q", run.console)
	}
	if !strings.Contains(strings.Join(run.requests, "\n"), "rca.invalid") {
		t.Errorf("network request not caught; requests: %q", run.requests)
	}
}

// TestHTMLInChromium loads the demo's HTML report in headless Chromium:
// no console message, no network request, the chart in the DOM, and a
// screenshot in which the chart is drawn (incident shading and error bars
// present, the plot not blank).
func TestHTMLInChromium(t *testing.T) {
	bin := needChromium(t)
	var b bytes.Buffer
	if err := WriteHTML(&b, demoReport(t), Options{Title: "invoice-outage"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	dom := runChromium(t, bin, page, "--dump-dom")
	if len(dom.console) > 0 {
		t.Errorf("console messages while loading the report:\n%s", strings.Join(dom.console, "\n"))
	}
	if len(dom.requests) > 0 {
		t.Errorf("the report made network requests: %q", dom.requests)
	}
	for _, want := range []string{`<svg class="chart"`, `class="err"`, `class="shade"`, `class="mark first"`, "INC-1", "api.tax.example.gov"} {
		if !strings.Contains(dom.stdout, want) {
			t.Errorf("the DOM lacks %q", want)
		}
	}

	shot := filepath.Join(dir, "report.png")
	run := runChromium(t, bin, page, "--hide-scrollbars", "--window-size=1280,1000", "--screenshot="+shot)
	if len(run.console) > 0 || len(run.requests) > 0 {
		t.Errorf("screenshot run: console %q, requests %q", run.console, run.requests)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	st := chartPixels(img)
	t.Logf("screenshot %v: %+v", img.Bounds().Size(), st)
	if st.shade < 2000 {
		t.Errorf("incident shading: %d pixels, want at least 2000 (is the chart drawn?)", st.shade)
	}
	if st.red < 500 {
		t.Errorf("error bars: %d red pixels in the chart rows, want at least 500", st.red)
	}
	if st.bottom-st.top < 100 {
		t.Errorf("the shaded plot is %d pixels high, want at least 100 (five lanes)", st.bottom-st.top)
	}
	if st.inkShare < 0.05 {
		t.Errorf("the plot is %.1f%% non-white, want at least 5%% (blank chart?)", st.inkShare*100)
	}
	if *screenshotOut != "" {
		data, err := os.ReadFile(shot)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(*screenshotOut, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// pixelStats summarises a screenshot's chart: the pale orange of the
// incident windows, where it is (the plot's rows), the error bars' red in
// those rows, and how much of that band is not white.
type pixelStats struct {
	shade, red  int
	top, bottom int
	inkShare    float64
}

func chartPixels(img image.Image) pixelStats {
	b := img.Bounds()
	rgb := func(x, y int) (int, int, int) {
		r, g, bl, _ := img.At(x, y).RGBA()
		return int(r >> 8), int(g >> 8), int(bl >> 8)
	}
	// the incident shade: #fb8f44 at 18% over white or the lane stripe
	isShade := func(r, g, bl int) bool {
		return r >= 240 && g >= 215 && g <= 240 && bl >= 195 && bl <= 228 && r-bl >= 20
	}
	isRed := func(r, g, bl int) bool { return r >= 150 && g <= 90 && bl <= 100 }
	// The plot is the longest run of rows crossed by incident shading
	// (at least 10 shaded pixels each, gaps of a few rows allowed where a
	// bar or a line crosses the whole window): stray tinted pixels of
	// text anti-aliasing elsewhere make no such run.
	st := pixelStats{top: -1}
	runTop, last := -1, -100
	for y := b.Min.Y; y < b.Max.Y; y++ {
		n := 0
		for x := b.Min.X; x < b.Max.X; x++ {
			if isShade(rgb(x, y)) {
				n++
			}
		}
		st.shade += n
		if n < 10 {
			continue
		}
		if y-last > 4 {
			runTop = y
		}
		last = y
		if y-runTop > st.bottom-st.top {
			st.top, st.bottom = runTop, y
		}
	}
	if st.top < 0 {
		return st
	}
	ink, all := 0, 0
	for y := st.top; y <= st.bottom; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl := rgb(x, y)
			all++
			if r < 240 || g < 240 || bl < 240 {
				ink++
			}
			if isRed(r, g, bl) {
				st.red++
			}
		}
	}
	st.inkShare = float64(ink) / float64(max(all, 1))
	return st
}

// TestHTMLSelfContained checks the page itself: a CSP that forbids every
// load, no script, no external reference; URLs appear only as escaped
// log text.
func TestHTMLSelfContained(t *testing.T) {
	var b bytes.Buffer
	rep := demoReport(t)
	if err := WriteHTML(&b, rep, Options{Title: "invoice-outage"}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if !strings.Contains(page, "<svg") {
		t.Errorf("page lacks its chart")
	}
	checkSelfContained(t, page)
}

// checkSelfContained checks a page: a CSP that forbids every load, no
// script, no external reference; URLs appear only as escaped log text.
func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	for _, want := range []string{`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`, "</html>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)<script`), regexp.MustCompile(`(?i)<(link|iframe|object|embed|img|base)\b`),
		regexp.MustCompile(`(?i)\s(src|href|xlink:href|action|srcset|poster)\s*=`), regexp.MustCompile(`(?i)url\(|@import|@font-face`),
	} {
		if loc := bad.FindStringIndex(page); loc != nil {
			t.Errorf("page has %q at byte %d", page[loc[0]:loc[1]], loc[0])
		}
	}
	// Every http(s):// is inside text (log messages), never in a tag.
	for _, m := range regexp.MustCompile(`(?i)https?://`).FindAllStringIndex(page, -1) {
		lt, gt := strings.LastIndexByte(page[:m[0]], '<'), strings.LastIndexByte(page[:m[0]], '>')
		if gt < lt {
			t.Errorf("URL inside a tag at byte %d: %.80q", m[0], page[lt:])
		}
		if style := strings.Index(page, "</style>"); m[0] < style {
			t.Errorf("URL in the style sheet at byte %d", m[0])
		}
	}
}

// TestHTMLEscapesLogText renders a report whose log text tries to inject
// markup.
func TestHTMLEscapesLogText(t *testing.T) {
	rep := demoReport(t)
	evil := *rep
	evil.Incidents = append(evil.Incidents[:0:0], rep.Incidents...)
	inc := evil.Incidents[0]
	inc.Causes = append(inc.Causes[:0:0], inc.Causes...)
	c := inc.Causes[0]
	c.Summary = `</blockquote><script>alert(1)</script><img src=x onerror=alert(2)>`
	c.Service = `"><svg onload=alert(3)>`
	inc.Causes[0] = c
	evil.Incidents[0] = inc
	var b bytes.Buffer
	if err := WriteHTML(&b, &evil, Options{Title: "<b>x</b>"}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script>", "<img src=x", "<svg onload", "<b>x</b>"} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("log text reached the page unescaped: %q", bad)
		}
	}
}

func TestChartPixelsOfBlankImage(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	if st := chartPixels(img); st.shade != 0 || st.red != 0 || st.top != -1 {
		t.Errorf("chartPixels(white) = %+v, want nothing found", st)
	}
}
