package sheet_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/sheet"
)

const csvText = "客户名称,跟进日期,跟进内容\r\n百川商贸,2024-05-10,电话沟通\r\n"

func readOne(t *testing.T, data []byte) []followup.SheetRecord {
	t.Helper()
	sheets, err := sheet.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(sheets) != 1 {
		t.Fatalf("read %d sheets, want 1", len(sheets))
	}
	return sheets[0].Records
}

func TestReadCSVEncodings(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(csvText))
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(strings.ReplaceAll(csvText, ",", "\t")))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"UTF-8":                 []byte(csvText),
		"UTF-8 with a BOM":      append([]byte{0xEF, 0xBB, 0xBF}, csvText...),
		"GBK (Excel in China)":  gbk,
		"UTF-16 tab-separated":  utf16,
		"semicolons (Excel EU)": []byte(strings.ReplaceAll(csvText, ",", ";")),
	} {
		t.Run(name, func(t *testing.T) {
			recs := readOne(t, data)
			if len(recs) != 2 {
				t.Fatalf("records = %+v", recs)
			}
			if got, want := strings.Join(recs[0].Cells, "|"), "客户名称|跟进日期|跟进内容"; got != want {
				t.Errorf("header = %q, want %q", got, want)
			}
			if got, want := recs[1].Cells[0], "百川商贸"; got != want {
				t.Errorf("cell = %q, want %q", got, want)
			}
		})
	}
}

func TestReadCSVRowNumbers(t *testing.T) {
	// Row 3 is blank and row 4's summary has a line break: a spreadsheet shows the record
	// after it on row 5, as the file's sixth line.
	data := "h1,h2\na,b\n\nc,\"two\nlines\"\nd,e\n"
	recs := readOne(t, []byte(data))
	var rows []int
	for _, r := range recs {
		rows = append(rows, r.Row)
	}
	if got, want := rows, []int{1, 2, 4, 5}; !equalInts(got, want) {
		t.Errorf("rows = %v, want %v", got, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestReadRefusesOtherFiles(t *testing.T) {
	if _, err := sheet.Read(bytes.NewReader([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0})); !errors.Is(err, sheet.ErrOldExcel) {
		t.Errorf("an .xls file: err = %v, want ErrOldExcel", err)
	}
	if _, err := sheet.Read(bytes.NewReader([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))); err == nil {
		t.Error("a PNG was read as a sheet")
	}
	big := bytes.Repeat([]byte("a,b\n"), followup.MaxSheetBytes/4+1)
	if _, err := sheet.Read(bytes.NewReader(big)); !errors.Is(err, sheet.ErrTooLarge) {
		t.Errorf("a file over the limit: err = %v, want ErrTooLarge", err)
	}
}

func TestWriteCSVProtectsFormulas(t *testing.T) {
	table := followup.SheetTable{Header: []string{"客户名称", "联系方式"}, Kinds: []followup.SheetKind{followup.SheetText, followup.SheetText},
		Rows: [][]string{{"=HYPERLINK(\"http://x\")", "+8613800005678"}, {"普通", "-"}}}
	var buf bytes.Buffer
	if err := sheet.Write(&buf, sheet.CSV, table); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFF") {
		t.Error("no byte-order mark: Excel in China would read the file as GBK")
	}
	if !strings.Contains(out, `"'=HYPERLINK(""http://x"")"`) || !strings.Contains(out, "'+8613800005678") {
		t.Errorf("formula cells not escaped:\n%s", out)
	}
	recs := readOne(t, buf.Bytes())
	if got, want := recs[1].Cells[0], "=HYPERLINK(\"http://x\")"; got != want {
		t.Errorf("read back %q, want %q", got, want)
	}
	if got, want := recs[1].Cells[1], "+8613800005678"; got != want {
		t.Errorf("read back %q, want %q", got, want)
	}
}

func TestXLSXRoundTrip(t *testing.T) {
	table := followup.SheetTable{
		Name:   "跟进记录: 5/2024",
		Header: []string{"客户名称", "跟进日期", "下一步截止日期", "跟进次数"},
		Kinds:  []followup.SheetKind{followup.SheetText, followup.SheetDate, followup.SheetDate, followup.SheetNumber},
		Rows:   [][]string{{"百川商贸", "2024-05-10", "2024-05-13 15:00", "3"}, {"Acme", "", "", "0"}},
	}
	var buf bytes.Buffer
	if err := sheet.Write(&buf, sheet.XLSX, table); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if shown, _ := f.GetCellValue("跟进记录- 5-2024", "B2"); shown != "2024-05-10" {
		t.Errorf("B2 shows %q, want a date cell shown as 2024-05-10", shown)
	}
	if typ, _ := f.GetCellType("跟进记录- 5-2024", "D2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("D2 is of type %v, want a number", typ)
	}

	sheets, err := sheet.Read(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	recs := sheets[0].Records
	if len(recs) != 3 || recs[1].Row != 2 {
		t.Fatalf("records = %+v", recs)
	}
	d, _, _, ok := followup.ParseSheetDate(recs[1].Cells[1])
	if !ok || !d.Equal(time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date cell read as %q", recs[1].Cells[1])
	}
	d, clock, _, ok := followup.ParseSheetDate(recs[1].Cells[2])
	if !ok || !d.Equal(time.Date(2024, 5, 13, 0, 0, 0, 0, time.UTC)) || clock != 15*time.Hour {
		t.Errorf("moment cell read as %q", recs[1].Cells[2])
	}
}

func TestReadXLSXSkipsHiddenSheetsAndKeepsRowNumbers(t *testing.T) {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "客户跟进记录表")
	f.SetCellValue("Sheet1", "A3", "客户名称")
	f.SetCellValue("Sheet1", "A5", "百川商贸")
	f.SetCellValue("Sheet1", "B5", 13800005678)
	f.NewSheet("lists")
	f.SetCellValue("lists", "A1", "电话")
	f.SetSheetVisible("lists", false)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	sheets, err := sheet.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(sheets) != 1 || sheets[0].Name != "Sheet1" {
		t.Fatalf("sheets = %+v, want Sheet1 alone", sheets)
	}
	recs := sheets[0].Records
	if len(recs) != 3 || recs[1].Row != 3 || recs[2].Row != 5 {
		t.Errorf("records = %+v, want rows 1, 3 and 5", recs)
	}
	if got, want := recs[2].Cells[1], "13800005678"; got != want {
		t.Errorf("a number cell read as %q, want its digits %q", got, want)
	}
}

// FuzzReadCSV checks that any bytes either fail with an error or give records that a
// sheet can hold: valid text, row numbers that only grow.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(csvText))
	f.Add([]byte("a;b;c\n\"x\ny\";2;3\n\n4;5;6"))
	f.Add([]byte{0xEF, 0xBB, 0xBF, 'a', ',', '"', 'b'})
	f.Add([]byte{0xFF, 0xFE, 'a', 0, ',', 0, 'b', 0})
	f.Add([]byte{0xB0, 0xD9, 0xB4, 0xA8, ',', '1'})
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := sheet.ReadCSV(data)
		if err != nil {
			return
		}
		last := 0
		for _, r := range recs {
			if r.Row <= last {
				t.Fatalf("row %d after row %d", r.Row, last)
			}
			last = r.Row
			for _, c := range r.Cells {
				if !utf8.ValidString(c) {
					t.Fatalf("cell %q is not UTF-8", c)
				}
			}
		}
	})
}
