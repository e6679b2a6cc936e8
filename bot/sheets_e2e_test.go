package bot_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/sheet"
	"github.com/followuphq/followup/storage/storagetest"
)

// A follow-up sheet as a team keeps it, with its Chinese headers: two customers, three
// follow-ups, owned by the two reps by real name and by handle.
const teamSheet = "客户编号,客户名称,所属行业,联系人,联系方式,客户等级,首次接触时间,跟进日期,跟进方式,跟进内容,客户反馈,下一步计划,负责人\n" +
	",百川商贸,零售,王经理,138-0000-5678,高价值客户,2026-09-01,2026-11-02,电话,电话沟通价格方案,对价格有疑虑,3天内发送定制方案,Wang Wei\n" +
	",百川商贸,零售,王经理,138-0000-5678,高价值客户,,2026-11-16,拜访,上门演示定制方案,很满意,下周二再次电话确认需求,wang\n" +
	"C202609001,华信科技,软件,赵工,13900001111,流失风险客户,,2026-11-10,微信,了解续费意向,还在考虑,11月20日前发送报价,li\n"

// register makes people known to the bot, as their first use of it does.
func (h *harness) register(users ...string) {
	h.t.Helper()
	for _, u := range users {
		h.command(u, "help")
	}
}

// shareFile is user dropping a file into their DM with the bot, with a comment: the fake
// stores it, and Slack's file_share message event reaches the bot.
func (h *harness) shareFile(user, name string, content []byte, comment, eventID string) string {
	h.t.Helper()
	file, ts := h.slack.ShareFile(user, h.dmChannel(user), name, content, comment)
	h.sayEvent(map[string]any{
		"type": "message", "subtype": "file_share", "channel": h.dmChannel(user), "channel_type": "im", "user": user,
		"text": comment, "ts": ts, "event_ts": ts, "upload": false, "files": []slack.File{file},
	}, eventID)
	return ts
}

// replyText is the bot's reply in the thread of ts, all its messages joined.
func (h *harness) replyText(user, ts string) string {
	var texts []string
	for _, m := range h.thread(user, ts) {
		texts = append(texts, m.Text)
	}
	return strings.Join(texts, "\n")
}

func TestImportSpreadsheetSentInDM(t *testing.T) {
	h := newHarness(t)
	h.register(rep, rep2, admin)

	t.Run("a rep is refused politely", func(t *testing.T) {
		ts := h.shareFile(rep, "跟进记录.csv", []byte(teamSheet), "", "EvSheet0001")
		if got := h.replyText(rep, ts); !strings.Contains(got, "Importing spreadsheets is for admins") {
			t.Errorf("reply = %q", got)
		}
		if n := h.count(`SELECT count(*) FROM follow_ups`); n != 0 {
			t.Errorf("a rep's file imported %d follow-ups", n)
		}
		if n := len(h.slack.CallsTo(slackfake.MethodDownload)); n != 0 {
			t.Errorf("a rep's file was downloaded %d times", n)
		}
	})

	t.Run("a dry run reports and writes nothing", func(t *testing.T) {
		ts := h.shareFile(admin, "跟进记录.csv", []byte(teamSheet), "dry run please", "EvSheet0002")
		got := h.replyText(admin, ts)
		for _, want := range []string{"Dry run", "customers: 2 created, 0 matched", "follow-ups: 3 created"} {
			if !strings.Contains(got, want) {
				t.Errorf("reply lacks %q:\n%s", want, got)
			}
		}
		if n := h.count(`SELECT count(*) FROM customers`); n != 0 {
			t.Errorf("a dry run created %d customers", n)
		}
	})

	t.Run("an admin's file is imported", func(t *testing.T) {
		ts := h.shareFile(admin, "跟进记录.csv", []byte(teamSheet), "", "EvSheet0003")
		got := h.replyText(admin, ts)
		for _, want := range []string{"Imported *跟进记录.csv*: 3 rows", "customers: 2 created", "follow-ups: 3 created", "next steps: 3 created (2 open"} {
			if !strings.Contains(got, want) {
				t.Errorf("reply lacks %q:\n%s", want, got)
			}
		}
		if n := len(h.slack.CallsTo(slackfake.MethodDownload)); n != 2 {
			t.Errorf("downloads = %d, want 2 (the dry run and this)", n)
		}
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		newYork, _ := time.LoadLocation("America/New_York")
		for text, want := range map[string]time.Time{
			"发送定制方案":   time.Date(2026, 11, 5, 9, 0, 0, 0, shanghai),  // 3天内 after 2 Nov, in Wang's zone
			"再次电话确认需求": time.Date(2026, 11, 24, 9, 0, 0, 0, shanghai), // 下周二 after Mon 16 Nov
			"发送报价":     time.Date(2026, 11, 20, 9, 0, 0, 0, newYork),  // 11月20日前, in Li's zone
		} {
			var due time.Time
			if err := h.db.SQLX().Get(&due, `SELECT due_at FROM next_actions WHERE text = $1`, text); err != nil {
				t.Fatalf("%s: %v", text, err)
			}
			if !due.Equal(want) {
				t.Errorf("%s due %v, want %v", text, due, want)
			}
		}
		if n := h.count(`SELECT count(*) FROM customers WHERE name = '华信科技' AND code = 'C202609001' AND churn_risk AND tier = 'B' AND owner_id = $1`, rep2); n != 1 {
			t.Error("华信科技 not imported with its code, churn flag and owner")
		}
		// The sheet's phone numbers are sealed like the form's.
		storagetest.AssertNoPlaintext(t, h.db, "13800005678", "13900001111")
	})

	t.Run("sending it again imports nothing new", func(t *testing.T) {
		ts := h.shareFile(admin, "跟进记录.csv", []byte(teamSheet), "", "EvSheet0004")
		if got := h.replyText(admin, ts); !strings.Contains(got, "follow-ups: 0 created") || !strings.Contains(got, "skipped as already imported: 3") {
			t.Errorf("reply = %q", got)
		}
		if n := h.count(`SELECT count(*) FROM follow_ups`); n != 3 {
			t.Errorf("follow-ups = %d, want 3", n)
		}
	})

	t.Run("a sheet with a bad row imports nothing and names the row", func(t *testing.T) {
		bad := teamSheet + ",新客户,,,,A,,2026-11-31,电话,问价格,,,Wang Wei\n" + ",另一个,,,,A,,2026-11-12,电话,问价格,,,Zhao Min\n"
		ts := h.shareFile(admin, "新记录.csv", []byte(bad), "", "EvSheet0005")
		got := h.replyText(admin, ts)
		for _, want := range []string{"Nothing was imported", "row 5, 跟进日期: “2026-11-31” is not a date", "row 6, 负责人: “Zhao Min” matches nobody"} {
			if !strings.Contains(got, want) {
				t.Errorf("reply lacks %q:\n%s", want, got)
			}
		}
		if n := h.count(`SELECT count(*) FROM customers WHERE name IN ('新客户', '另一个')`); n != 0 {
			t.Errorf("%d customers of the bad sheet were created", n)
		}
	})

	t.Run("a default owner named in the message", func(t *testing.T) {
		sheet := teamSheet + ",另一个,,,,A,,2026-11-12,电话,问价格,,,Zhao Min\n"
		ts := h.shareFile(admin, "新记录.csv", []byte(sheet), "owner <@"+rep2+">", "EvSheet0006")
		if got := h.replyText(admin, ts); !strings.Contains(got, "customers: 1 created, 2 matched") {
			t.Errorf("reply = %q", got)
		}
		if n := h.count(`SELECT count(*) FROM customers WHERE name = '另一个' AND owner_id = $1`, rep2); n != 1 {
			t.Error("the unmatched owner's row did not go to the mentioned person")
		}
	})

	t.Run("a file that is no spreadsheet", func(t *testing.T) {
		ts := h.shareFile(admin, "photo.png", []byte("\x89PNG\r\n"), "", "EvSheet0007")
		if got := h.replyText(admin, ts); !strings.Contains(got, "*photo.png* is neither") {
			t.Errorf("reply = %q", got)
		}
	})

	t.Run("in Chinese", func(t *testing.T) {
		h.register(repZH)
		ts := h.shareFile(repZH, "跟进记录.csv", []byte(teamSheet), "", "EvSheet0008")
		if got := h.replyText(repZH, ts); !strings.Contains(got, "只有管理员可以导入表格") {
			t.Errorf("reply = %q", got)
		}
	})
}

func TestExportCommand(t *testing.T) {
	h := newHarness(t)
	h.register(rep, rep2, admin, boss)
	h.shareFile(admin, "跟进记录.csv", []byte(teamSheet), "", "EvExport001")
	ctx := context.Background()
	if _, err := h.db.SaveTeam(ctx, followup.TeamSettings{Name: "East", ManagerID: boss, MemberIDs: []string{rep}}, admin); err != nil {
		t.Fatal(err)
	}

	// exported reads the last file the bot shared in user's DM.
	exported := func(user string) (slackfake.File, []followup.SheetRecord) {
		t.Helper()
		files := h.slack.Files()
		if len(files) == 0 {
			t.Fatal("no file uploaded")
		}
		f := files[len(files)-1]
		if !f.Completed || len(f.Channels) != 1 || f.Channels[0] != h.dmChannel(user) {
			t.Fatalf("file %s shared in %v, want %s's DM", f.Name, f.Channels, user)
		}
		sheets, err := sheet.Read(bytes.NewReader(f.Content))
		if err != nil {
			t.Fatal(err)
		}
		return f, sheets[0].Records
	}

	t.Run("an admin gets every customer", func(t *testing.T) {
		status, res := h.command(admin, "export customers")
		if status != 200 || !strings.Contains(res.Text, "Preparing your export") {
			t.Fatalf("answer = %d %q", status, res.Text)
		}
		f, recs := exported(admin)
		if !strings.HasPrefix(f.Name, "customers-2026111") || !strings.HasSuffix(f.Name, ".xlsx") || !strings.Contains(f.InitialComment, "2 rows") {
			t.Errorf("file %q, comment %q", f.Name, f.InitialComment)
		}
		if len(recs) != 3 || recs[0].Cells[0] != "Customer code" || recs[1].Cells[1] != "华信科技" && recs[2].Cells[1] != "华信科技" {
			t.Errorf("records = %+v", recs)
		}
		for _, m := range []string{"files.getUploadURLExternal", slackfake.MethodUpload, "files.completeUploadExternal"} {
			if len(h.slack.CallsTo(m)) == 0 {
				t.Errorf("no call to %s", m)
			}
		}
	})

	t.Run("follow-ups as CSV in Chinese import back", func(t *testing.T) {
		h.command(admin, "export followups csv zh")
		f, recs := exported(admin)
		if !strings.HasSuffix(f.Name, ".csv") || len(recs) != 4 || recs[0].Cells[0] != "客户编号" {
			t.Fatalf("file %s, records %+v", f.Name, recs)
		}
		ts := h.shareFile(admin, f.Name, f.Content, "", "EvExport002")
		if got := h.replyText(admin, ts); !strings.Contains(got, "follow-ups: 0 created") || !strings.Contains(got, "skipped as already imported: 3") {
			t.Errorf("re-importing the export: %q", got)
		}
	})

	t.Run("a manager gets their team's customers", func(t *testing.T) {
		h.command(boss, "export customers")
		_, recs := exported(boss)
		if len(recs) != 2 || recs[1].Cells[1] != "百川商贸" {
			t.Errorf("the manager of Wang's team got %+v, want 百川商贸 alone", recs)
		}
	})

	t.Run("a rep is refused", func(t *testing.T) {
		before := len(h.slack.Files())
		_, res := h.command(rep, "export customers")
		if !strings.Contains(res.Text, "Exports are for managers and admins") {
			t.Errorf("answer = %q", res.Text)
		}
		if got := len(h.slack.Files()); got != before {
			t.Errorf("a rep's export uploaded a file")
		}
	})

	t.Run("usage", func(t *testing.T) {
		for _, text := range []string{"export", "export deals", "export customers --from 2026-11-01", "export followups --from soon"} {
			if _, res := h.command(admin, text); !strings.Contains(res.Text, "/followup export customers|followups|review") {
				t.Errorf("%q answered %q", text, res.Text)
			}
		}
	})

	t.Run("an export that cannot be uploaded is said so", func(t *testing.T) {
		h.slack.FailNextError("files.getUploadURLExternal", 1, "internal_error")
		h.command(admin, "export review")
		msgs := h.slack.Messages(admin)
		if last := msgs[len(msgs)-1]; !strings.Contains(last.Text, "could not be sent") {
			t.Errorf("last DM = %q", last.Text)
		}
	})
}
