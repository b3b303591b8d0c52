package report

import (
	"bytes"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// table is a borderless table of plain (unstyled, escaped) cells: columns
// two spaces apart, one row per line, so that grep, cut and awk can take
// it. Styles are applied to the rendered lines, never to cells, so widths
// are measured on plain text.
type table struct {
	header []string
	rows   [][]string
	indent int          // spaces before every line
	shrink []int        // columns to narrow, in this order, when too wide
	right  map[int]bool // right-aligned columns
}

// tableLine is one rendered line: the header or data row `row`.
type tableLine struct {
	text   string
	header bool
	row    int
}

// minShrunk is the narrowest a shrinkable column gets.
const minShrunk = 8

// render lays the table out in at most width columns (0: no limit),
// cutting cells of the shrinkable columns with "…" where needed.
func (t *table) render(width int) []tableLine {
	n := len(t.header)
	widths := make([]int, n)
	for i, h := range t.header {
		widths[i] = lipgloss.Width(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			widths[i] = max(widths[i], lipgloss.Width(c))
		}
	}
	if width > 0 {
		total := t.indent + 2*(n-1)
		for _, w := range widths {
			total += w
		}
		for _, col := range t.shrink {
			if total <= width {
				break
			}
			floor := max(minShrunk, lipgloss.Width(t.header[col]))
			cut := min(total-width, max(widths[col]-floor, 0))
			widths[col] -= cut
			total -= cut
		}
	}
	rows := make([][]string, len(t.rows))
	for i, r := range t.rows {
		rows[i] = make([]string, n)
		for j, c := range r {
			rows[i][j] = fit(c, widths[j])
		}
	}
	lines := t.layout(rows)
	if len(lines) != len(rows)+1 {
		lines = t.plainLayout(rows, widths) // never expected: tablewriter split a row
	}
	out := make([]tableLine, len(lines))
	prefix := strings.Repeat(" ", t.indent)
	for i, l := range lines {
		out[i] = tableLine{text: prefix + strings.TrimRight(l, " "), header: i == 0, row: i - 1}
	}
	return out
}

// layout renders the cells with tablewriter: no borders, no wrapping, no
// case changes, two spaces between columns.
func (t *table) layout(rows [][]string) []string {
	n := len(t.header)
	aligns := make([]tw.Align, n)
	padding := make([]tw.Padding, n)
	for i := range aligns {
		aligns[i] = tw.AlignLeft
		if t.right[i] {
			aligns[i] = tw.AlignRight
		}
		padding[i] = tw.Padding{Left: "", Right: "  ", Overwrite: true}
	}
	padding[n-1] = tw.PaddingNone
	cell := func() tw.CellConfig {
		return tw.CellConfig{
			Formatting: tw.CellFormatting{AutoWrap: tw.WrapNone, AutoFormat: tw.Off},
			Alignment:  tw.CellAlignment{Global: tw.AlignLeft, PerColumn: aligns},
			Padding:    tw.CellPadding{Global: tw.PaddingNone, PerColumn: padding},
		}
	}
	var buf bytes.Buffer
	tbl := tablewriter.NewTable(&buf,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders:  tw.BorderNone,
			Symbols:  tw.NewSymbols(tw.StyleNone),
			Settings: tw.Settings{Lines: tw.LinesNone, Separators: tw.SeparatorsNone},
		})),
		tablewriter.WithEastAsian(tw.Off), // widths must not depend on the locale
		tablewriter.WithConfig(tablewriter.Config{
			Header:   cell(),
			Row:      cell(),
			Behavior: tw.Behavior{TrimSpace: tw.Off, TrimLine: tw.Off},
		}),
	)
	tbl.Header(t.header)
	for _, r := range rows {
		if err := tbl.Append(r); err != nil {
			return nil
		}
	}
	if err := tbl.Render(); err != nil {
		return nil
	}
	return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
}

// plainLayout pads the cells itself; the fallback of layout.
func (t *table) plainLayout(rows [][]string, widths []int) []string {
	line := func(cells []string) string {
		var b strings.Builder
		for i, c := range cells {
			if i > 0 {
				b.WriteString("  ")
			}
			if t.right[i] {
				b.WriteString(strings.Repeat(" ", max(widths[i]-lipgloss.Width(c), 0)) + c)
			} else {
				b.WriteString(pad(c, widths[i]))
			}
		}
		return b.String()
	}
	out := []string{line(t.header)}
	for _, r := range rows {
		out = append(out, line(r))
	}
	return out
}
