package gen

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
)

func dirSize(t testing.TB, dir string) int64 {
	var n int64
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWriteLargeDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	const size = 3 << 20
	if err := WriteLarge(a, size, 7); err != nil {
		t.Fatal(err)
	}
	if err := WriteLarge(b, size, 7); err != nil {
		t.Fatal(err)
	}
	fa, fb := listFiles(t, a), listFiles(t, b)
	if len(fa) != len(fb) || len(fa) < 15 {
		t.Fatalf("file lists differ or are short: %v vs %v", fa, fb)
	}
	for i, rel := range fa {
		if fb[i] != rel {
			t.Fatalf("file lists differ: %v vs %v", fa, fb)
		}
		x, y := readFileBytes(t, filepath.Join(a, rel)), readFileBytes(t, filepath.Join(b, rel))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", rel)
		}
	}
	// Another seed writes other bytes.
	c := t.TempDir()
	if err := WriteLarge(c, size, 8); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(readFileBytes(t, filepath.Join(a, "gateway/access.log")), readFileBytes(t, filepath.Join(c, "gateway/access.log"))) {
		t.Error("seeds 7 and 8 wrote the same access.log")
	}
}

func TestWriteLargeSize(t *testing.T) {
	for _, size := range []int64{1 << 20, 5_000_000, 24 << 20} {
		dir := t.TempDir()
		if err := WriteLarge(dir, size, 1); err != nil {
			t.Fatal(err)
		}
		got := dirSize(t, dir)
		if d := float64(got-size) / float64(size); d < -0.05 || d > 0.05 {
			t.Errorf("size %d: wrote %d bytes (%+.1f%%)", size, got, 100*d)
		} else {
			t.Logf("size %d: wrote %d bytes (%+.2f%%)", size, got, 100*d)
		}
	}
}

// TestWriteLargeSyntax checks every line of a large bundle.
func TestWriteLargeSyntax(t *testing.T) {
	dir := t.TempDir()
	if err := WriteLarge(dir, 6<<20, 3); err != nil {
		t.Fatal(err)
	}
	n := checkBundle(t, dir, largeStart.Add(-time.Minute), largeStart.Add(largeSpan+time.Minute))
	t.Logf("%d lines checked", n)
	// About 1% of the access lines are server errors.
	text := readAll(t, filepath.Join(dir, "gateway/access.log"))
	lines, errs := 0, 0
	for _, l := range bytes.Split([]byte(text), []byte{'\n'}) {
		if m := reAccess.FindSubmatch(l); m != nil {
			lines++
			if m[7][0] == '5' {
				errs++
			}
		}
	}
	if r := float64(errs) / float64(lines); r < 0.004 || r > 0.03 {
		t.Errorf("access.log: %d of %d lines are 5xx (%.2f%%)", errs, lines, 100*r)
	}
	fi, err := os.Stat(filepath.Join(dir, "kafka/server.log"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.ModTime().Before(largeStart) || fi.ModTime().After(largeStart.Add(largeSpan)) {
		t.Errorf("kafka/server.log mtime %v", fi.ModTime())
	}
}

// TestWriteLargeMemory checks that memory does not grow with the size.
func TestWriteLargeMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 64 MB")
	}
	peak := func(size int64) uint64 {
		runtime.GC()
		var mu sync.Mutex
		var max uint64
		done := make(chan struct{})
		go func() {
			var ms runtime.MemStats
			for {
				select {
				case <-done:
					return
				case <-time.After(5 * time.Millisecond):
				}
				runtime.ReadMemStats(&ms)
				mu.Lock()
				max = maxU(max, ms.HeapInuse)
				mu.Unlock()
			}
		}()
		if err := WriteLarge(t.TempDir(), size, 1); err != nil {
			t.Fatal(err)
		}
		close(done)
		mu.Lock()
		defer mu.Unlock()
		return max
	}
	small, big := peak(8<<20), peak(64<<20)
	t.Logf("peak heap in use: %d KiB for 8 MiB, %d KiB for 64 MiB", small>>10, big>>10)
	if big > 64<<20 || big > 4*small+(16<<20) {
		t.Errorf("peak heap %d for 64 MiB vs %d for 8 MiB: memory grows with size", big, small)
	}
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWriteLarge writes a 128 MB bundle per iteration (override with
// -benchtime, e.g. -benchtime=1x). Besides MB/s (wall clock) it reports
// MB per CPU-second, which does not depend on how busy the machine is.
func BenchmarkWriteLarge(b *testing.B) {
	const size = 128 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		b.StartTimer()
		c0 := cpuTime()
		if err := WriteLarge(dir, size, int64(i+1)); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c0
		b.StopTimer()
		os.RemoveAll(dir)
		b.StartTimer()
	}
	b.ReportMetric(float64(size)*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
}

// BenchmarkWriteDemo measures the demo bundle (~2.9 MB).
func BenchmarkWriteDemo(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if err := WriteDemo(b.TempDir()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendAccess(b *testing.B) {
	n := NewNginx(Shanghai)
	a := Access{Client: "10.0.0.7", Method: "POST", URI: "/api/invoice", Proto: "HTTP/1.1", Status: 503, Bytes: 197, UserAgent: "okhttp/4.9.3", RequestTime: 30001 * time.Millisecond, Upstream: "10.0.2.5:8080", UpstreamStatus: 503}
	buf := n.AppendAccess(nil, at17, &a)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	t := at17
	for i := 0; i < b.N; i++ {
		t = t.Add(time.Millisecond)
		buf = n.AppendAccess(buf[:0], t, &a)
	}
}

func BenchmarkAppendSpring(b *testing.B) {
	s := NewSpring("order-service", 1, Shanghai)
	msg := "[Consumer clientId=consumer-order-group-1, groupId=order-group] Revoke previously assigned partitions invoice-issue-0"
	buf := s.Append(nil, at17, "INFO", "org.springframework.kafka.KafkaListenerEndpointContainer#0-0-C-1", lCoord, msg)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	t := at17
	for i := 0; i < b.N; i++ {
		t = t.Add(time.Millisecond)
		buf = s.Append(buf[:0], t, "INFO", "org.springframework.kafka.KafkaListenerEndpointContainer#0-0-C-1", lCoord, msg)
	}
}
