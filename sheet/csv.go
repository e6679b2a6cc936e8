package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/followuphq/followup"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// ReadCSV reads a CSV file into records numbered as a spreadsheet program shows them: the
// blank lines it skips count as rows, and a cell with line breaks stays one row.
func ReadCSV(data []byte) ([]followup.SheetRecord, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffDelimiter(text)
	r.FieldsPerRecord = -1 // rows of a sheet end where their last filled cell does
	r.LazyQuotes = true    // 他说"可以" in an unquoted cell is text, not a broken file
	var out []followup.SheetRecord
	row, endLine := 0, 0
	for {
		cells, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("the CSV file cannot be read at line %d: %w", pe.StartLine, pe.Err)
			}
			return nil, fmt.Errorf("read CSV: %w", err)
		}
		line, _ := r.FieldPos(0)
		row += line - endLine // one row per line since the last record ended, blank ones included
		endLine = line
		for i, c := range cells {
			endLine += strings.Count(c, "\n")
			cells[i] = unescapeFormula(c)
		}
		out = append(out, followup.SheetRecord{Row: row, Cells: cells})
	}
}

// decodeText turns the bytes of a CSV file into text. Excel writes UTF-8 with a byte-order
// mark ("CSV UTF-8"), UTF-16 with one ("Unicode text"), and, in Chinese Windows, plain
// "CSV" in the ANSI code page, GBK, which GB18030 contains.
func decodeText(data []byte) (string, error) {
	var text []byte
	var err error
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		text = data[len(bomUTF8):]
	case bytes.HasPrefix(data, bomUTF16LE), bytes.HasPrefix(data, bomUTF16BE):
		text, err = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
	case utf8.Valid(data):
		text = data
	default:
		text, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	}
	if err != nil || bytes.IndexByte(text, 0) >= 0 || !utf8.Valid(text) {
		return "", ErrNotSpreadsheet
	}
	return string(text), nil
}

// sniffDelimiter picks the separator the first line uses most outside quotes: a comma,
// unless Excel wrote semicolons (locales with a decimal comma) or tabs ("Unicode text").
func sniffDelimiter(text string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range text {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '\n':
			return bestDelimiter(counts)
		case r == ',' || r == ';' || r == '\t':
			counts[r]++
		}
	}
	return bestDelimiter(counts)
}

func bestDelimiter(counts map[rune]int) rune {
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// formulaStarts are the characters that make a spreadsheet program read a CSV cell as a
// formula: an exported customer name such as =HYPERLINK(...) must stay text.
const formulaStarts = "=+-@\t\r"

// escapeFormula protects a cell the way OWASP recommends, with a leading apostrophe, which
// spreadsheet programs hide; unescapeFormula takes it off again on import.
func escapeFormula(s string) string {
	if s != "" && strings.ContainsRune(formulaStarts, rune(s[0])) {
		return "'" + s
	}
	return s
}

func unescapeFormula(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStarts, rune(s[1])) {
		return s[1:]
	}
	return s
}

// writeCSV writes t as Excel reads CSV best: UTF-8 with a byte-order mark (without one,
// Excel in China reads the file as GBK) and CRLF line ends.
func writeCSV(w io.Writer, t followup.SheetTable) error {
	if _, err := w.Write(bomUTF8); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(t.Header); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	for _, row := range t.Rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = escapeFormula(c)
		}
		if err := cw.Write(cells); err != nil {
			return fmt.Errorf("write CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}
