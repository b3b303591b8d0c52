package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/term"
)

// getenv reads the environment; tests replace it.
var getenv = os.Getenv

// useColor decides on ANSI colour for w: --color always/never; else
// CLICOLOR_FORCE (not "0") forces it, NO_COLOR or TERM=dumb turn it off,
// and otherwise colour goes only to a terminal.
func useColor(flag string, w io.Writer) (bool, error) {
	switch flag {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto", "":
	default:
		return false, fmt.Errorf("--color %q: want auto, always or never", flag)
	}
	if v := getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true, nil
	}
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false, nil
	}
	return isTerminal(w), nil
}

// isTerminal reports whether w is a terminal (and TERM is not "dumb").
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd()) && !strings.EqualFold(getenv("TERM"), "dumb")
}

// termSize is the size of the terminal w, or 0, 0 when w is none. $COLUMNS
// and $LINES win when set (as in shells and less).
func termSize(w any) (width, height int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0, 0
	}
	width, height, err := term.GetSize(f.Fd())
	if err != nil {
		width, height = 80, 24
	}
	if c, err := strconv.Atoi(getenv("COLUMNS")); err == nil && c > 0 {
		width = c
	}
	if l, err := strconv.Atoi(getenv("LINES")); err == nil && l > 0 {
		height = l
	}
	return width, height
}
