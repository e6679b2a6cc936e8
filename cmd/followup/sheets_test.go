package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

// sheetEnv is a migrated database with two reps, and the environment pointing at it.
func sheetEnv(t *testing.T) (func(string) string, *storage.DB) {
	t.Helper()
	dsn := storagetest.NewDSN(t)
	db, err := storage.Open(context.Background(), dsn, storage.WithKeyring(storagetest.Keyring()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, p := range []followup.Person{
		{SlackID: "U0REP00001", Name: "wang", RealName: "Wang Wei", TZ: "Asia/Shanghai"},
		{SlackID: "U0REP00002", Name: "li", RealName: "Li Na", TZ: "Asia/Shanghai"},
	} {
		if _, err := db.SavePerson(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	return envOf(map[string]string{"DATABASE_URL": dsn, "DEFAULT_TIMEZONE": "Asia/Shanghai", "PII_KEY": storagetest.PIIKey}), db
}

const sheetHeader = "客户编号,客户名称,所属行业,联系人,联系方式,客户等级,首次接触时间,跟进日期,跟进方式,跟进内容,客户反馈,下一步计划,负责人"

var sheetRows = []string{
	",百川商贸,零售,王经理,13800005678,高价值客户,2024-03-01,2024-05-10,电话,电话沟通价格方案,对价格有疑虑,3天内发送定制方案,Wang Wei",
	",百川商贸,零售,王经理,13800005678,高价值客户,,2024-05-14,拜访,上门演示定制方案,很满意,下月再次电话确认需求,wang",
	",华信科技,软件,赵工,13900001111,潜力客户,,2024-05-12,视频会议,演示方案A,对方案A感兴趣,5月20日前发送培训资料,Li Na",
}

// dues are the next steps' due times, by text, as the database has them.
func dues(t *testing.T, db *storage.DB) map[string]time.Time {
	t.Helper()
	var rows []struct {
		Text  string    `db:"text"`
		DueAt time.Time `db:"due_at"`
	}
	if err := db.SQLX().Select(&rows, `SELECT text, due_at FROM next_actions`); err != nil {
		t.Fatal(err)
	}
	out := map[string]time.Time{}
	for _, r := range rows {
		out[r.Text] = r.DueAt
	}
	return out
}

func checkImported(t *testing.T, db *storage.DB) {
	t.Helper()
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	want := map[string]time.Time{
		"发送定制方案":   time.Date(2024, 5, 13, 9, 0, 0, 0, shanghai), // 3天内, from 10 May
		"再次电话确认需求": time.Date(2024, 6, 14, 9, 0, 0, 0, shanghai), // 下月, from 14 May
		"发送培训资料":   time.Date(2024, 5, 20, 9, 0, 0, 0, shanghai), // 5月20日前
	}
	got := dues(t, db)
	if len(got) != len(want) {
		t.Fatalf("next steps = %v, want %v", got, want)
	}
	for text, at := range want {
		if !got[text].Equal(at) {
			t.Errorf("%s due %v, want %v", text, got[text], at)
		}
	}
	var customers, followUps int
	db.SQLX().Get(&customers, `SELECT count(*) FROM customers`)
	db.SQLX().Get(&followUps, `SELECT count(*) FROM follow_ups WHERE source = 'import'`)
	if customers != 2 || followUps != 3 {
		t.Errorf("%d customers and %d follow-ups, want 2 and 3", customers, followUps)
	}
}

func TestImportCSVFromExcelInChina(t *testing.T) {
	env, db := sheetEnv(t)
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(strings.Join(append([]string{sheetHeader}, sheetRows...), "\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "跟进记录.csv")
	if err := os.WriteFile(path, []byte(gbk), 0o600); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	if err := run(context.Background(), []string{"import", path, "--dry-run"}, env, &out); err != nil {
		t.Fatalf("dry run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Dry run") || !strings.Contains(out.String(), "customers: 2 created") {
		t.Errorf("dry run said:\n%s", out.String())
	}
	if got := dues(t, db); len(got) != 0 {
		t.Fatalf("a dry run wrote %v", got)
	}

	out.Reset()
	if err := run(context.Background(), []string{"import", path}, env, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	for _, want := range []string{"customers: 2 created, 0 matched", "follow-ups: 3 created", "next steps: 3 created", "skipped as already imported: 0"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	checkImported(t, db)

	out.Reset()
	if err := run(context.Background(), []string{"import", path}, env, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "follow-ups: 0 created") || !strings.Contains(out.String(), "skipped as already imported: 3") {
		t.Errorf("re-import said:\n%s", out.String())
	}
	checkImported(t, db)
}

func TestImportXLSX(t *testing.T) {
	env, db := sheetEnv(t)
	f := excelize.NewFile()
	sh := f.GetSheetName(0)
	f.SetCellValue(sh, "A1", "客户跟进记录表")
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	for r, line := range append([]string{sheetHeader}, sheetRows...) {
		for c, v := range strings.Split(line, ",") {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
			if d, err := time.Parse(time.DateOnly, v); err == nil && r > 0 {
				f.SetCellValue(sh, cell, d) // a real date cell, shown as Excel's locale pleases
				f.SetCellStyle(sh, cell, cell, dateStyle)
				continue
			}
			f.SetCellValue(sh, cell, v)
		}
	}
	path := filepath.Join(t.TempDir(), "sheet.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"import", path}, env, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	checkImported(t, db)
}

func TestImportNamesBadRows(t *testing.T) {
	env, db := sheetEnv(t)
	path := filepath.Join(t.TempDir(), "bad.csv")
	lines := append([]string{sheetHeader}, sheetRows...)
	lines = append(lines, ",新公司,,,,VIP客户,,2024-05-15,电话,问价格,,,Wang Wei") // row 5: VIP is no tier
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"import", path}, env, &out)
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") {
		t.Errorf("err = %v, want nothing imported", err)
	}
	if !strings.Contains(out.String(), "row 5, 客户等级: “VIP客户” is not a tier") {
		t.Errorf("report does not name row 5 and its column:\n%s", out.String())
	}
	if got := dues(t, db); len(got) != 0 {
		t.Errorf("a failed import wrote %v", got)
	}
	if err := run(context.Background(), []string{"import", filepath.Join(t.TempDir(), "missing.xlsx")}, env, &out); err == nil {
		t.Error("a missing file imported")
	}
}

func TestExportRoundTrip(t *testing.T) {
	env, _ := sheetEnv(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "src.csv")
	if err := os.WriteFile(src, []byte(strings.Join(append([]string{sheetHeader}, sheetRows...), "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"import", src}, env, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	exported := filepath.Join(dir, "followups.xlsx")
	if err := run(context.Background(), []string{"export", "followups", "--out", exported}, env, &out); err != nil {
		t.Fatalf("export: %v", err)
	}
	env2, db2 := sheetEnv(t)
	out.Reset()
	if err := run(context.Background(), []string{"import", exported}, env2, &out); err != nil {
		t.Fatalf("import of the export: %v\n%s", err, out.String())
	}
	checkImported(t, db2)

	var first, second bytes.Buffer
	if err := run(context.Background(), []string{"export", "followups", "--format", "csv", "--out", "-", "--lang", "en"}, env, &first); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"export", "followups", "--format", "csv", "--out", "-", "--lang", "en"}, env2, &second); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Errorf("export, import, export changed the sheet:\n%s\n---\n%s", first.String(), second.String())
	}
	if !strings.HasPrefix(first.String(), "\uFEFFCustomer code,Customer,") {
		t.Errorf("--lang en headers: %q", strings.SplitN(first.String(), "\n", 2)[0])
	}

	t.Run("customers and the review", func(t *testing.T) {
		var csv bytes.Buffer
		if err := run(context.Background(), []string{"export", "customers", "--format", "csv", "--out", "-"}, env, &csv); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(csv.String()), "\r\n")
		if len(lines) != 3 || !strings.Contains(lines[0], "客户编号,客户名称") || !strings.Contains(csv.String(), "百川商贸,企业,零售,S") {
			t.Errorf("customers export:\n%s", csv.String())
		}
		var review bytes.Buffer
		if err := run(context.Background(), []string{"export", "review", "--from", "2024-05-06", "--to", "2024-05-12", "--format", "csv", "--out", "-"}, env, &review); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(review.String(), "Li Na,1,") || !strings.Contains(review.String(), "Wang Wei,1,") || !strings.Contains(review.String(), "合计,2,") {
			t.Errorf("review of 6-12 May: one follow-up each, two in all:\n%s", review.String())
		}
		if err := run(context.Background(), []string{"export", "customers", "--from", "2024-05-01"}, env, &review); err == nil {
			t.Error("customers --from accepted")
		}
		if err := run(context.Background(), []string{"export", "deals"}, env, &review); err == nil {
			t.Error("export deals accepted")
		}
	})
}
