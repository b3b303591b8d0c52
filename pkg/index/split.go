package index

// A large file may be read in segments, one goroutine each (parse's
// Options.SplitFile). Its events then come from several goroutines at
// once, each segment's in file order. The update keeps one part per
// segment, each building its own blocks as a whole input would (parts
// share the input's data file, under its lock), and Commit joins the
// parts' blocks in segment order: the file's state is then as if it had
// been read whole, but for block boundaries at the segment starts.

// Split sets the input with this display path up to be observed in
// segments starting at the given byte offsets (the first is 0; each is the
// offset of an event's first line). It reports false, and the input must
// be read whole, unless the input is indexed whole from its start by this
// update (not unchanged, not a grown tail) and no other input shares its
// path. It must be called before the input's events are observed.
func (u *Update) Split(path string, starts []int64) bool {
	w := u.work[path]
	if w == nil || w.action != Full || w.dup || w.parts != nil || len(starts) < 2 || starts[0] != 0 {
		return false
	}
	for i := 1; i < len(starts); i++ {
		if starts[i] <= starts[i-1] {
			return false
		}
	}
	w.starts = starts
	w.parts = make([]*fileWork, len(starts))
	for k := range w.parts {
		w.parts[k] = &fileWork{action: Full, path: path, dir: w.dir, st: &FileState{}, pendEnd: -1, parent: w}
	}
	return true
}

// part is the part of a split input that holds the event at offset off.
func (w *fileWork) part(off int64) *fileWork {
	lo, hi := 0, len(w.starts) // the first start past off is in [lo, hi]
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if w.starts[m] > off {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return w.parts[max(lo-1, 0)]
}

// join closes the parts' blocks and makes them the input's, in order. A
// part's last plain block ends where the next segment starts.
func (w *fileWork) join() {
	st := w.st
	for k, p := range w.parts {
		p.flush(&p.plain, false)
		p.flush(&p.notable, true)
		if n := len(p.st.Blocks); n > 0 && k+1 < len(w.parts) && p.st.Blocks[n-1].End == 0 {
			p.st.Blocks[n-1].End = w.starts[k+1]
		}
		st.Blocks = append(st.Blocks, p.st.Blocks...)
		st.NotableBlocks = append(st.NotableBlocks, p.st.NotableBlocks...)
		st.Events += p.st.Events
		st.Notable += p.st.Notable
		if p.st.Events > 0 {
			st.LastDigest, st.LastNotable = p.st.LastDigest, p.st.LastNotable
		}
		w.added += p.added
		w.addedNotable += p.addedNotable
		if p.err != nil && w.err == nil {
			w.err = p.err
		}
	}
	w.parts = nil
}
