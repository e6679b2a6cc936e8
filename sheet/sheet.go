// Package sheet reads and writes the spreadsheet files teams exchange with followup: CSV
// (as Excel writes it: UTF-8 with or without a byte-order mark, UTF-16, or GB18030/GBK in
// Chinese Windows; comma, semicolon or tab separated) and XLSX (with excelize). It turns a
// file into followup.SheetData and a followup.SheetTable into a file; what the cells mean is
// the root package's business.
package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/followuphq/followup"
)

// Format is a spreadsheet file format.
type Format string

// The formats followup reads and writes.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// ParseFormat reads a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case CSV, XLSX:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q: use csv or xlsx", s)
}

// FormatOf is the format a file name's extension says, or "" for another extension.
func FormatOf(name string) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt":
		return CSV
	case ".xlsx", ".xlsm":
		return XLSX
	}
	return ""
}

// ContentType is the MIME type of a file in format f.
func (f Format) ContentType() string {
	if f == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv"
}

// ErrTooLarge is returned for a file over followup.MaxSheetBytes.
var ErrTooLarge = fmt.Errorf("the file is larger than %d MB: split it into several files", followup.MaxSheetBytes>>20)

// ErrNotSpreadsheet is returned for a file that is no text in any encoding Excel writes,
// nor an XLSX workbook: an image, a PDF.
var ErrNotSpreadsheet = errors.New("this file is not a spreadsheet: import a .csv or .xlsx file")

// ErrDate1904 refuses workbooks in the 1904 date system: their date cells hold other
// serial numbers, and which cells are dates is not known while reading.
var ErrDate1904 = errors.New("this workbook uses the 1904 date system (an option of older Mac Excel): turn it off under Excel's calculation options, or save the sheet as CSV, and import again")

// ErrOldExcel is returned for an .xls file (Excel 97-2003), which only Excel reads well.
var ErrOldExcel = errors.New("this is an old Excel file (.xls) or an encrypted workbook: save it as .xlsx or CSV (UTF-8) and import that")

// Magic numbers at the start of a file: XLSX is a zip archive; .xls files and encrypted
// workbooks are OLE compound documents.
var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Read reads a spreadsheet file, whatever its name says: the content tells XLSX from CSV,
// since files are renamed and Slack's file types are guesses. It reads at most
// followup.MaxSheetBytes.
func Read(r io.Reader) ([]followup.SheetData, error) {
	data, err := io.ReadAll(io.LimitReader(r, followup.MaxSheetBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read file: %w", err)
	}
	if len(data) > followup.MaxSheetBytes {
		return nil, ErrTooLarge
	}
	switch {
	case bytes.HasPrefix(data, zipMagic):
		return readXLSX(data)
	case bytes.HasPrefix(data, oleMagic):
		return nil, ErrOldExcel
	}
	records, err := ReadCSV(data)
	if err != nil {
		return nil, err
	}
	return []followup.SheetData{{Records: records}}, nil
}

// Write writes t to w in format f.
func Write(w io.Writer, f Format, t followup.SheetTable) error {
	if f == XLSX {
		return writeXLSX(w, t)
	}
	return writeCSV(w, t)
}
