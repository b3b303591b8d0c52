package parse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/rca-dev/rca/pkg/event"
)

// ReadFrom reads part of input i of the plan: from byte off, which must be
// where line number line starts, up to byte end (0: the input's end), with
// the format whose id is given (detected when "" or unknown). Events are
// numbered (Line, Offset) as a read of the whole input numbers them, pass
// through opts.Transform and opts.Observe, and reach emit in file order, from the calling
// goroutine. It reads the input even when the plan marks it skipped (so
// that a caller can leave an input out of Run and read part of it). Only a
// plain file on disk is read from the middle; any other
// input (compressed, an archive member) is read from its start, and its
// events before line are dropped.
//
// A decoder's state from before off (a year that rolled over, a time-only
// layout's date) is not known to a read from the middle: a caller that needs
// exactly the events of a whole read must check them (the index compares
// digests).
func (p *Plan) ReadFrom(ctx context.Context, i int, format string, off, line, end int64, opts Options, emit func(*event.Event)) (Stats, error) {
	in := &p.Inputs[i]
	spec := p.specs[i]
	if f := Lookup(format); f != nil {
		spec.Format = f
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var r io.Reader
	if in.diskPath != "" && in.Size >= 0 {
		f, err := os.Open(in.diskPath)
		if err != nil {
			return Stats{Path: in.Path, Source: in.Source}, fmt.Errorf("read %s: %w", in.Path, err)
		}
		defer f.Close()
		if end <= 0 || end > in.Size {
			end = in.Size
		}
		r = io.NewSectionReader(f, off, max(0, end-off))
	} else {
		rc, err := in.Open()
		if err != nil {
			return Stats{Path: in.Path, Source: in.Source}, fmt.Errorf("read %s: %w", in.Path, err)
		}
		defer rc.Close()
		r, off, line = rc, 0, max(line, 1)
	}
	first := line
	if off > 0 {
		line-- // ReadInput numbers from 1
	} else {
		line = 0
	}
	stopped := false
	st, err := ReadInput(ctxReader{ctx: ctx, r: r}, spec, func(ev *event.Event) {
		if stopped {
			return
		}
		ev.Line += line
		ev.Offset += off
		if end > 0 && ev.Offset >= end {
			stopped = true
			cancel() // the rest is not wanted
			return
		}
		if ev.Line < first {
			return
		}
		if opts.Transform != nil {
			opts.Transform(ev)
		}
		if opts.Observe != nil {
			opts.Observe(ev)
		}
		emit(ev)
	})
	if stopped && errors.Is(err, context.Canceled) && ctx.Err() != nil {
		err = nil
	}
	return st, err
}

// DiskPath is the file on disk whose bytes the input is, or "" for an
// archive member or a decompressed stream.
func (in *Input) DiskPath() string { return in.diskPath }
