package sheet

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/followuphq/followup"
)

// Unzipped limits for an XLSX file: far above any real follow-up sheet of MaxSheetBytes,
// far below what a zip bomb would take.
const (
	unzipLimit    = 512 << 20
	unzipXMLLimit = 128 << 20
)

// readXLSX reads every visible worksheet. Cells are read raw, not as Excel would display
// them: a date cell gives its serial number, which followup.ParseSheetDate reads, instead
// of a locale's rendering such as 5/10/24, and a phone number its digits rather than
// 1.38E+10. Blank rows are left out; the others keep their row numbers.
func readXLSX(data []byte) ([]followup.SheetData, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: unzipXMLLimit})
	if err != nil {
		return nil, fmt.Errorf("this .xlsx file cannot be opened (%w): save it again from Excel, or as CSV", err)
	}
	defer f.Close()
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil && *props.Date1904 {
		return nil, ErrDate1904
	}
	var out []followup.SheetData
	for _, name := range f.GetSheetList() {
		if visible, err := f.GetSheetVisible(name); err == nil && !visible {
			continue // lists behind drop-downs, scratch work
		}
		records, err := readWorksheet(f, name)
		if err != nil {
			return nil, err
		}
		out = append(out, followup.SheetData{Name: name, Records: records})
	}
	return out, nil
}

func readWorksheet(f *excelize.File, name string) ([]followup.SheetRecord, error) {
	rows, err := f.Rows(name)
	if err != nil {
		return nil, fmt.Errorf("read sheet %s: %w", name, err)
	}
	defer rows.Close()
	var out []followup.SheetRecord
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("read sheet %s, row %d: %w", name, n, err)
		}
		if blank(cells) {
			continue
		}
		out = append(out, followup.SheetRecord{Row: n, Cells: cells})
		if len(out) > followup.MaxSheetRows+20 {
			break // followup.ParseSheet refuses the sheet; the rest need not be read
		}
	}
	return out, rows.Error()
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// writeXLSX writes t as one worksheet: a bold, frozen header row, date columns as date
// cells and number columns as numbers, so that Excel sorts and filters them.
func writeXLSX(w io.Writer, t followup.SheetTable) error {
	f := excelize.NewFile()
	defer f.Close()
	name := sheetName(t.Name)
	if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	styles, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, max(1, len(t.Header)), 18); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	header := make([]any, len(t.Header))
	for i, h := range t.Header {
		header[i] = excelize.Cell{StyleID: styles.header, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	for i, row := range t.Rows {
		cells := make([]any, len(row))
		for j, v := range row {
			kind := followup.SheetText
			if j < len(t.Kinds) {
				kind = t.Kinds[j]
			}
			cells[j] = styles.cell(kind, v)
		}
		axis, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(axis, cells); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

type styles struct{ header, date, moment int }

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	dateFmt, momentFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return s, fmt.Errorf("write xlsx: %w", err)
	}
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return s, fmt.Errorf("write xlsx: %w", err)
	}
	if s.moment, err = f.NewStyle(&excelize.Style{CustomNumFmt: &momentFmt}); err != nil {
		return s, fmt.Errorf("write xlsx: %w", err)
	}
	return s, nil
}

// cell is a value as XLSX stores it: dates and numbers typed, everything else text (never a
// formula: excelize writes strings as strings).
func (s styles) cell(kind followup.SheetKind, v string) any {
	switch kind {
	case followup.SheetDate:
		if t, err := time.Parse(time.DateOnly, v); err == nil {
			return excelize.Cell{StyleID: s.date, Value: t}
		}
		if t, err := time.Parse("2006-01-02 15:04", v); err == nil {
			return excelize.Cell{StyleID: s.moment, Value: t}
		}
	case followup.SheetNumber:
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return v
}

// sheetName makes a worksheet name Excel accepts: at most 31 characters, none of : \ / ? * [ ].
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	if strings.TrimSpace(name) == "" {
		return "Sheet1"
	}
	return name
}
