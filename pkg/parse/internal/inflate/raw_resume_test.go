package inflate

import (
	"bytes"
	stdflate "compress/flate"
	"io"
	"testing"
)

// TestRawPointsResume: points of raw DEFLATE data resume as raw data (no
// gzip trailer expected after the last block).
func TestRawPointsResume(t *testing.T) {
	smallOut(t, 3000)
	data := logText(t)[:300_000]
	raw := stdDeflate(data, stdflate.DefaultCompression)
	z := NewRawReader(bytes.NewReader(raw))
	var ps []taken
	for {
		ps = append(ps, takePoint(t, z, data))
		if _, err := io.CopyN(io.Discard, z, 20_000); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	for _, tk := range ps {
		checkResume(t, raw, data, tk, bytes.NewReader(raw[tk.p.Bit/8:]))
	}
}
