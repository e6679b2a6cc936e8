package storage_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/sheet"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// importNow is 1 June 2024, 10:00 in Shanghai.
var importNow = time.Date(2024, 6, 1, 10, 0, 0, 0, shanghai)

func sheetDB(t *testing.T) *storage.DB {
	t.Helper()
	db := storagetest.NewDB(t, storage.WithClock(func() time.Time { return importNow }))
	for _, p := range []followup.Person{
		{SlackID: "U0REP00001", Name: "wang", RealName: "Wang Wei", TZ: "Asia/Shanghai", Locale: "zh-CN"},
		{SlackID: "U0REP00002", Name: "li", RealName: "Li Na", Email: "li.na@example.com", TZ: "Asia/Shanghai", Locale: "en"},
	} {
		if _, err := db.SavePerson(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

const zhHeader = "客户编号,客户名称,所属行业,联系人,联系方式,客户等级,首次接触时间,跟进日期,跟进方式,跟进内容,客户反馈,下一步计划,负责人"

// followUpSheet is a team's sheet: a title row, the header, and four follow-ups of three
// customers (rows 3 to 6).
var followUpSheet = []string{
	"客户跟进记录表",
	zhHeader,
	",百川商贸,零售,王经理,138-0000-5678,高价值客户,2024-03-01,2024-05-10,电话,电话沟通价格方案,对价格有疑虑,3天内发送定制方案,Wang Wei",
	",百川商贸,零售,王经理,138-0000-5678,高价值客户,,2024-05-14,拜访,上门演示定制方案,很满意,下月再次电话确认需求,wang",
	"C202401007,Acme Trading,Manufacturing,Li,li@acme.example,潜力客户,2024/4/2,2024-05-12 14:30,Video meeting,Demo of plan A,interested in plan A,send training material before May 20,U0REP00001",
	",老客户,教育,张老师,13900001111,流失风险客户,,2024年5月13日,微信,了解续费意向,还在考虑,offer 5% discount and stronger after-sales commitment,li.na@example.com",
}

func records(lines []string) []followup.SheetRecord {
	out := make([]followup.SheetRecord, len(lines))
	for i, l := range lines {
		out[i] = followup.SheetRecord{Row: i + 1, Cells: strings.Split(l, ",")}
	}
	return out
}

func importOptions() followup.ImportOptions {
	return followup.ImportOptions{File: "sheet.csv", ActorID: "cli", Surface: "cli", Location: time.UTC, WorkStart: 9 * time.Hour}
}

func importLines(t *testing.T, db *storage.DB, o followup.ImportOptions, lines []string) (followup.ImportReport, error) {
	t.Helper()
	s := followup.ParseSheet(records(lines), followup.SheetToday(importNow, shanghai))
	return db.ImportSheet(context.Background(), s, o)
}

// tableCounts counts the rows an import may write.
func tableCounts(t *testing.T, db *storage.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"customers", "contacts", "follow_ups", "next_actions", "stage_changes", "customer_code_counters"} {
		var n int
		if err := db.SQLX().Get(&n, "SELECT count(*) FROM "+table); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

type actionRow struct {
	Customer string     `db:"customer"`
	Text     string     `db:"text"`
	DueAt    time.Time  `db:"due_at"`
	Status   string     `db:"status"`
	DoneAt   *time.Time `db:"done_at"`
	Owner    string     `db:"owner_id"`
}

func actionRows(t *testing.T, db *storage.DB) []actionRow {
	t.Helper()
	var rows []actionRow
	if err := db.SQLX().Select(&rows, `SELECT c.name AS customer, a.text, a.due_at, a.status, a.done_at, a.owner_id
		FROM next_actions a JOIN customers c ON c.id = a.customer_id ORDER BY a.due_at, a.id`); err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestImportSheet(t *testing.T) {
	ctx := context.Background()
	db := sheetDB(t)
	report, err := importLines(t, db, importOptions(), followUpSheet)
	if err != nil {
		t.Fatal(err)
	}
	want := followup.ImportReport{File: "sheet.csv", Rows: 4, CustomersCreated: 3, FollowUpsCreated: 4, ActionsCreated: 4,
		ActionsOpen: 3, ActionsOverdue: 2, ActionsDone: 1}
	report.Problems, report.IgnoredColumns = nil, nil
	if !reflect.DeepEqual(report, want) {
		t.Errorf("report = %+v\nwant     %+v", report, want)
	}

	t.Run("customers", func(t *testing.T) {
		matches, err := db.ResolveCustomer(ctx, "百川商贸", followup.Visibility{All: true})
		if err != nil || len(matches) != 1 {
			t.Fatalf("百川商贸: %v %v", matches, err)
		}
		c := matches[0]
		if c.Tier != followup.TierS || c.ChurnRisk || c.Industry != "零售" || c.OwnerID != "U0REP00001" || c.Stage != followup.StageLead {
			t.Errorf("百川商贸 = %+v", c)
		}
		if got, want := c.Code, "C202406001"; got != want {
			t.Errorf("generated code = %s, want %s", got, want)
		}
		if c.FirstContactOn == nil || c.FirstContactOn.Format(time.DateOnly) != "2024-03-01" {
			t.Errorf("first contact = %v, want 2024-03-01", c.FirstContactOn)
		}
		if want := time.Date(2024, 5, 14, 12, 0, 0, 0, shanghai); c.LastTouchAt == nil || !c.LastTouchAt.Equal(want) {
			t.Errorf("last touch = %v, want %v (the later follow-up, at noon)", c.LastTouchAt, want)
		}
		d, _ := db.RevealPersonalData(ctx, c.ID, "cli", "cli")
		if contacts := d.Contacts; len(contacts) != 1 || contacts[0].Name != "王经理" || contacts[0].Phone != "13800005678" || !contacts[0].Primary {
			t.Errorf("contacts = %+v", contacts)
		}
		acme, _ := db.ResolveCustomer(ctx, "C202401007", followup.Visibility{All: true})
		if len(acme) != 1 || acme[0].Name != "Acme Trading" || acme[0].Tier != followup.TierA {
			t.Errorf("Acme = %+v, want the sheet's code kept", acme)
		}
		if d, _ := db.RevealPersonalData(ctx, acme[0].ID, "cli", "cli"); len(d.Contacts) != 1 || d.Contacts[0].Email != "li@acme.example" || d.Contacts[0].Phone != "" {
			t.Errorf("an email in 联系方式: contacts = %+v", d.Contacts)
		}
		// What the sheet held is sealed: no phone or email in the clear, in any table.
		storagetest.AssertNoPlaintext(t, db, "13800005678", "13900001111", "li@acme.example")
		old, _ := db.ResolveCustomer(ctx, "老客户", followup.Visibility{All: true})
		if len(old) != 1 || old[0].Tier != followup.TierB || !old[0].ChurnRisk || old[0].OwnerID != "U0REP00002" {
			t.Errorf("流失风险客户 = %+v, want tier B with the churn flag, owned by the email's person", old)
		}
	})

	t.Run("follow-ups", func(t *testing.T) {
		acme, _ := db.ResolveCustomer(ctx, "Acme Trading", followup.Visibility{All: true})
		fus, _ := db.FindFollowUps(ctx, acme[0].ID, 10)
		if len(fus) != 1 {
			t.Fatalf("Acme follow-ups = %+v", fus)
		}
		f := fus[0]
		if want := time.Date(2024, 5, 12, 14, 30, 0, 0, shanghai); !f.HappenedAt.Equal(want) {
			t.Errorf("happened at %v, want %v: the sheet's time in the owner's zone", f.HappenedAt, want)
		}
		if f.Method != followup.MethodVideo || f.Summary != "Demo of plan A" || f.Feedback != "interested in plan A" ||
			f.Mood != followup.MoodPositive || f.Source != "import" || f.RepID != "U0REP00001" {
			t.Errorf("follow-up = %+v", f)
		}
	})

	t.Run("next steps are due relative to the follow-up", func(t *testing.T) {
		at := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 9, 0, 0, 0, shanghai) }
		doneAt := time.Date(2024, 5, 14, 12, 0, 0, 0, shanghai)
		want := []actionRow{
			{"百川商贸", "发送定制方案", at(5, 13), "done", &doneAt, "U0REP00001"},                                           // 3天内 from 10 May; done: the visit of 14 May came next
			{"Acme Trading", "send training material", at(5, 20), "open", nil, "U0REP00001"},                       // before May 20
			{"老客户", "offer 5% discount and stronger after-sales commitment", at(5, 20), "open", nil, "U0REP00002"}, // no date: tier B's 7 days
			{"百川商贸", "再次电话确认需求", at(6, 14), "open", nil, "U0REP00001"},                                             // 下月 from 14 May
		}
		got := actionRows(t, db)
		if len(got) != len(want) {
			t.Fatalf("next steps = %+v", got)
		}
		for i := range want {
			g, w := got[i], want[i]
			if g.Customer != w.Customer || g.Text != w.Text || !g.DueAt.Equal(w.DueAt) || g.Status != w.Status || g.Owner != w.Owner ||
				(g.DoneAt == nil) != (w.DoneAt == nil) || g.DoneAt != nil && !g.DoneAt.Equal(*w.DoneAt) {
				t.Errorf("next step %d = %+v\nwant %+v", i, g, w)
			}
		}
	})

	t.Run("importing it again changes nothing", func(t *testing.T) {
		before := tableCounts(t, db)
		again, err := importLines(t, db, importOptions(), followUpSheet)
		if err != nil {
			t.Fatal(err)
		}
		if again.CustomersCreated != 0 || again.CustomersMatched != 3 || again.FollowUpsCreated != 0 || again.ActionsCreated != 0 || again.RowsSkipped != 4 {
			t.Errorf("second import = %+v, want 3 matched, 4 skipped, nothing created", again)
		}
		if after := tableCounts(t, db); !reflect.DeepEqual(after, before) {
			t.Errorf("counts after re-import = %v, before %v", after, before)
		}
	})
}

func TestImportSheetAllOrNothing(t *testing.T) {
	db := sheetDB(t)
	before := tableCounts(t, db)
	lines := append(append([]string(nil), followUpSheet...),
		",坏数据公司,,,,,,2024-02-30,电话,问价格,,,",        // row 7: no such date
		",无主公司,,,,,,2024-05-20,电话,问价格,,,Zhao Min", // row 8: nobody is called Zhao Min
	)
	report, err := importLines(t, db, importOptions(), lines)
	var se *followup.SheetError
	if !errors.As(err, &se) || followup.ErrorCode(err) != followup.EINVALID {
		t.Fatalf("err = %v, want a *SheetError", err)
	}
	type problem struct {
		row            int
		column, reason string
	}
	var got []problem
	for _, p := range report.Problems {
		got = append(got, problem{p.Row, p.Column, p.Reason})
	}
	want := []problem{{7, "跟进日期", followup.ProblemBadDate}, {8, "负责人", followup.ProblemUnknownOwner}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %v, want %v", got, want)
	}
	if report.FollowUpsCreated != 0 || report.CustomersCreated != 0 {
		t.Errorf("a failed import reports %+v as created", report)
	}
	if after := tableCounts(t, db); !reflect.DeepEqual(after, before) {
		t.Errorf("a failed import wrote: %v, before %v", after, before)
	}

	t.Run("a default owner takes the rows of unknown owners", func(t *testing.T) {
		o := importOptions()
		o.DefaultOwner = "U0REP00002"
		_, err := importLines(t, db, o, append(append([]string(nil), followUpSheet...), lines[len(lines)-1]))
		if err != nil {
			t.Fatal(err)
		}
		c, _ := db.ResolveCustomer(context.Background(), "无主公司", followup.Visibility{All: true})
		if len(c) != 1 || c[0].OwnerID != "U0REP00002" {
			t.Errorf("无主公司 = %+v, want owned by the default owner", c)
		}
	})
	t.Run("a default owner nobody is", func(t *testing.T) {
		o := importOptions()
		o.DefaultOwner = "U0NOBODY01"
		if _, err := importLines(t, db, o, followUpSheet); followup.ErrorCode(err) != followup.EINVALID {
			t.Errorf("err = %v, want invalid", err)
		}
	})
}

func TestImportSheetDryRun(t *testing.T) {
	db := sheetDB(t)
	before := tableCounts(t, db)
	o := importOptions()
	o.DryRun = true
	dry, err := importLines(t, db, o, followUpSheet)
	if err != nil {
		t.Fatal(err)
	}
	if after := tableCounts(t, db); !reflect.DeepEqual(after, before) {
		t.Errorf("a dry run wrote: %v, before %v", after, before)
	}
	real, err := importLines(t, db, importOptions(), followUpSheet)
	if err != nil {
		t.Fatal(err)
	}
	dry.DryRun = false
	if !reflect.DeepEqual(dry, real) {
		t.Errorf("dry run reported %+v\nthe import did    %+v", dry, real)
	}
}

func TestImportSheetMatchesExistingCustomers(t *testing.T) {
	ctx := context.Background()
	db := sheetDB(t)
	acme, err := db.CreateCustomer(ctx, followup.NewCustomer{Name: "Acme Trading", Code: "C202401007", Kind: followup.KindCompany,
		Industry: "Steel", Tier: followup.TierC, Source: "expo", OwnerID: "U0REP00002", Contact: followup.Contact{Name: "Zhou", Phone: "13700000000"}})
	if err != nil {
		t.Fatal(err)
	}
	baichuan, err := db.CreateCustomer(ctx, followup.NewCustomer{Name: "百川商贸", Kind: followup.KindCompany, Industry: "零售",
		Tier: followup.TierA, Source: "expo", OwnerID: "U0REP00002", Contact: followup.Contact{Name: "王经理", Phone: "13800005678"}})
	if err != nil {
		t.Fatal(err)
	}
	// Logged in Slack after the sheet's last row about 百川商贸: the sheet's steps are behind it.
	if _, err := db.CreateFollowUp(ctx, followup.NewFollowUp{CustomerID: baichuan.ID, RepID: "U0REP00002", Method: followup.MethodPhone,
		HappenedAt: time.Date(2024, 5, 20, 15, 0, 0, 0, shanghai), Summary: "confirmed the order", Source: "modal"}); err != nil {
		t.Fatal(err)
	}
	report, err := importLines(t, db, importOptions(), followUpSheet)
	if err != nil {
		t.Fatal(err)
	}
	if report.CustomersMatched != 2 || report.CustomersCreated != 1 {
		t.Errorf("report = %+v, want Acme (by code) and 百川商贸 (by name) matched", report)
	}
	got, _ := db.FindCustomer(ctx, acme.ID)
	if got.Tier != followup.TierC || got.Industry != "Steel" || got.OwnerID != "U0REP00002" {
		t.Errorf("Acme = %+v, want it left as it was", got)
	}
	for _, a := range actionRows(t, db) {
		if a.Customer == "百川商贸" && (a.Status != "done" || a.DoneAt == nil) {
			t.Errorf("%s: %s, want done: a later follow-up exists in followup", a.Text, a.Status)
		}
	}

	t.Run("a code on another customer's row", func(t *testing.T) {
		_, err := importLines(t, db, importOptions(), []string{zhHeader, "C202401007,Beta Ltd,,,,,,2024-05-10,电话,called,,,wang"})
		var se *followup.SheetError
		if !errors.As(err, &se) || len(se.Problems) != 1 || se.Problems[0].Reason != followup.ProblemCodeNameClash || se.Problems[0].Row != 2 {
			t.Errorf("err = %v, want code_name_clash on row 2", err)
		}
	})
	t.Run("a name two customers have", func(t *testing.T) {
		if _, err := db.CreateCustomer(ctx, followup.NewCustomer{Name: "acme trading", Kind: followup.KindCompany, Industry: "x",
			Tier: followup.TierB, Source: "x", OwnerID: "U0REP00001", Contact: followup.Contact{Name: "x", Phone: "13600000000"}}); err != nil {
			t.Fatal(err)
		}
		_, err := importLines(t, db, importOptions(), []string{zhHeader, ",ACME TRADING,,,,,,2024-05-10,电话,called,,,wang"})
		var se *followup.SheetError
		if !errors.As(err, &se) || len(se.Problems) != 1 || se.Problems[0].Reason != followup.ProblemAmbiguousName {
			t.Errorf("err = %v, want ambiguous_name", err)
		}
	})
}

// TestImportMatchesCustomersByPhone: a row without a code whose name matches nobody is the
// customer one of whose contacts has the row's phone, found by the phone's keyed hash;
// a number two customers share decides nothing.
func TestImportMatchesCustomersByPhone(t *testing.T) {
	ctx := context.Background()
	db := sheetDB(t)
	baichuan, err := db.CreateCustomer(ctx, followup.NewCustomer{Name: "百川商贸", Kind: followup.KindCompany, Industry: "零售",
		Tier: followup.TierA, Source: "expo", OwnerID: "U0REP00002", Contact: followup.Contact{Name: "王经理", Phone: "+86 138 0000 5678"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Shared One", "Shared Two"} {
		if _, err := db.CreateCustomer(ctx, followup.NewCustomer{Name: name, Kind: followup.KindCompany, Industry: "x",
			Tier: followup.TierB, Source: "x", OwnerID: "U0REP00001", Contact: followup.Contact{Name: "Front desk", Phone: "13700001234"}}); err != nil {
			t.Fatal(err)
		}
	}
	report, err := importLines(t, db, importOptions(), []string{zhHeader,
		",百川商贸有限公司,零售,王经理,138-0000-5678,,,2024-05-10,电话,电话沟通价格方案,,,wang",
		",Shared Three,x,Front desk,137 0000 1234,,,2024-05-11,电话,called,,,wang",
		"C209901001,Coded,x,Someone,13800005678,,,2024-05-12,电话,called,,,wang",
	})
	if err != nil {
		t.Fatal(err)
	}
	if report.CustomersMatched != 1 || report.CustomersCreated != 2 {
		t.Errorf("report = %+v, want 百川商贸 matched by phone, the shared number and the coded row created", report)
	}
	if fus, _ := db.FindFollowUps(ctx, baichuan.ID, 10); len(fus) != 1 || fus[0].Summary != "电话沟通价格方案" {
		t.Errorf("百川商贸's follow-ups = %+v, want the sheet's", fus)
	}
	if got, _ := db.ResolveCustomer(ctx, "百川商贸有限公司", followup.Visibility{All: true}); len(got) != 0 {
		t.Errorf("the name variant was created: %+v", got)
	}
	storagetest.AssertNoPlaintext(t, db, "13800005678", "13700001234")
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := sheetDB(t)
	if _, err := importLines(t, src, importOptions(), followUpSheet); err != nil {
		t.Fatal(err)
	}
	// Work done in Slack after the import: a follow-up with a next step at a time of day,
	// a step completed although no follow-up came after it.
	acme, _ := src.ResolveCustomer(ctx, "Acme Trading", followup.Visibility{All: true})
	if _, err := src.CreateFollowUp(ctx, followup.NewFollowUp{CustomerID: acme[0].ID, RepID: "U0REP00002", Method: followup.MethodInbound,
		HappenedAt: time.Date(2024, 5, 31, 16, 5, 0, 0, shanghai), Summary: "came to our office\nto sign", Feedback: "", Source: "modal",
		Next: &followup.NewAction{Text: "send the contract", DueAt: time.Date(2024, 6, 3, 15, 0, 0, 0, shanghai), OwnerID: "U0REP00002"}}); err != nil {
		t.Fatal(err)
	}
	var openID int64
	if err := src.SQLX().Get(&openID, `SELECT id FROM next_actions WHERE text = '再次电话确认需求'`); err != nil {
		t.Fatal(err)
	}
	if _, err := src.CompleteAction(ctx, openID, "U0REP00001"); err != nil {
		t.Fatal(err)
	}

	exportFile := func(db *storage.DB, format sheet.Format) []byte {
		t.Helper()
		table, err := followup.BuildExport(ctx, db, followup.ExportFollowUps, followup.DigestScope{All: true}, time.Time{}, time.Time{},
			followup.ExportOptions{Locale: followup.LocaleZH, Location: time.UTC, WorkStart: 9 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := sheet.Write(&buf, format, table); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	importFile := func(db *storage.DB, data []byte) followup.ImportReport {
		t.Helper()
		sheets, err := sheet.Read(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		report, err := db.ImportSheet(ctx, followup.ParseWorkbook(sheets, followup.SheetToday(importNow, shanghai)), importOptions())
		if err != nil {
			t.Fatal(err)
		}
		return report
	}
	for _, format := range []sheet.Format{sheet.XLSX, sheet.CSV} {
		t.Run(string(format), func(t *testing.T) {
			first := exportFile(src, format)
			dst := sheetDB(t)
			report := importFile(dst, first)
			if report.FollowUpsCreated != 5 || report.ActionsCreated != 5 || report.CustomersCreated != 3 {
				t.Errorf("import of the export = %+v", report)
			}
			if got, want := readBack(t, exportFile(dst, format)), readBack(t, first); !reflect.DeepEqual(got, want) {
				t.Errorf("export of the import differs:\n got %q\nwant %q", got, want)
			}
			if got, want := actionRows(t, dst), actionRows(t, src); !reflect.DeepEqual(stripDone(got), stripDone(want)) {
				t.Errorf("next steps differ:\n got %+v\nwant %+v", got, want)
			}
			t.Run("into the database it came from, it adds nothing", func(t *testing.T) {
				before := tableCounts(t, src)
				report := importFile(src, first)
				if report.FollowUpsCreated != 0 || report.RowsSkipped != 5 {
					t.Errorf("report = %+v, want every row skipped", report)
				}
				if after := tableCounts(t, src); !reflect.DeepEqual(after, before) {
					t.Errorf("counts = %v, before %v", after, before)
				}
			})
		})
	}
}

// readBack is a file's cells, as an import reads them.
func readBack(t *testing.T, data []byte) [][]string {
	t.Helper()
	sheets, err := sheet.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, r := range sheets[0].Records {
		out = append(out, r.Cells)
	}
	return out
}

// stripDone drops when steps were done: the sheet has no column for it.
func stripDone(rows []actionRow) []actionRow {
	out := make([]actionRow, len(rows))
	for i, r := range rows {
		r.DoneAt = nil
		out[i] = r
	}
	return out
}
