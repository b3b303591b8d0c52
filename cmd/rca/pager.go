package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
)

// pager is stdout for output a person reads on a terminal, like git's: it
// holds the first screenful back, and only when the output turns out
// longer than the screen does it start $PAGER (less by default, with
// LESS=FRX when LESS is unset: colours pass, short output quits) and feed
// it everything. Shorter output is written to the terminal as is.
type pager struct {
	out    io.Writer
	height int
	cmd    string

	buf    bytes.Buffer
	lines  int
	direct bool
	proc   *exec.Cmd
	pipe   io.WriteCloser
}

// newPager returns w itself when paging does not apply (no terminal,
// --no-pager, PAGER set empty or to cat), else a pager; call Close on
// the result when done.
func newPager(w io.Writer, noPager bool) io.WriteCloser {
	_, height := termSize(w)
	cmd := pagerCommand()
	if noPager || height <= 0 || cmd == "" {
		return nopCloser{w}
	}
	return &pager{out: w, height: height, cmd: cmd}
}

// pagerCommand is $RCA_PAGER, else $PAGER, else less; "" when set to
// nothing or to cat.
func pagerCommand() string {
	for _, k := range []string{"RCA_PAGER", "PAGER"} {
		if v, ok := os.LookupEnv(k); ok {
			v = strings.TrimSpace(v)
			if v == "" || v == "cat" {
				return ""
			}
			return v
		}
	}
	return "less"
}

func (p *pager) Write(b []byte) (int, error) {
	switch {
	case p.pipe != nil:
		return p.pipe.Write(b)
	case p.direct:
		return p.out.Write(b)
	}
	p.buf.Write(b)
	p.lines += bytes.Count(b, []byte{'\n'})
	if p.lines < p.height { // still fits with the prompt line below it
		return len(b), nil
	}
	if err := p.start(); err != nil {
		p.direct = true // no pager to be had: the terminal scrolls
		_, err := p.out.Write(p.buf.Bytes())
		p.buf.Reset()
		return len(b), err
	}
	_, err := p.pipe.Write(p.buf.Bytes())
	p.buf.Reset()
	return len(b), err
}

func (p *pager) start() error {
	c := exec.Command("sh", "-c", p.cmd)
	c.Stdout, c.Stderr = p.out, os.Stderr
	c.Env = os.Environ()
	if _, ok := os.LookupEnv("LESS"); !ok {
		c.Env = append(c.Env, "LESS=FRX")
	}
	if _, ok := os.LookupEnv("LV"); !ok {
		c.Env = append(c.Env, "LV=-c")
	}
	in, err := c.StdinPipe()
	if err != nil {
		return err
	}
	if err := c.Start(); err != nil {
		return err
	}
	p.proc, p.pipe = c, in
	return nil
}

// Close writes what is held back, or waits for the pager to quit.
func (p *pager) Close() error {
	if p.pipe == nil {
		if p.buf.Len() == 0 {
			return nil
		}
		_, err := p.out.Write(p.buf.Bytes())
		p.buf.Reset()
		return err
	}
	p.pipe.Close()
	p.proc.Wait() // the pager's exit status (the user quit early) is no error
	return nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
