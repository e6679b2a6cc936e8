package followup_test

import (
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup"
)

var sheetToday = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// records builds a sheet from lines of comma-separated cells, numbered from 1.
func records(lines ...string) []followup.SheetRecord {
	out := make([]followup.SheetRecord, len(lines))
	for i, l := range lines {
		out[i] = followup.SheetRecord{Row: i + 1, Cells: strings.Split(l, ",")}
	}
	return out
}

const zhHeader = "客户编号,客户名称,所属行业,联系人,联系方式,客户等级,首次接触时间,跟进日期,跟进方式,跟进内容,客户反馈,下一步计划,负责人"

func TestFindSheetLayout(t *testing.T) {
	t.Run("Chinese headers under a title row", func(t *testing.T) {
		l, problems := followup.FindSheetLayout(records("客户跟进记录表", "序号,"+zhHeader+",备注"))
		if problems != nil {
			t.Fatal(problems)
		}
		if got, want := l.HeaderRow, 2; got != want {
			t.Errorf("header row = %d, want %d", got, want)
		}
		for c := followup.ColCode; c <= followup.ColOwner; c++ {
			if !l.Has(c) {
				t.Errorf("column %d not found", c)
			}
		}
		if got, want := strings.Join(l.Ignored, "|"), "序号|备注"; got != want {
			t.Errorf("ignored = %q, want %q", got, want)
		}
	})
	t.Run("English headers in any case and spelling", func(t *testing.T) {
		l, problems := followup.FindSheetLayout(records("Customer Name,Follow up date (YYYY-MM-DD),SUMMARY,Next Step,owner*"))
		if problems != nil {
			t.Fatal(problems)
		}
		for _, c := range []followup.SheetColumn{followup.ColName, followup.ColDate, followup.ColSummary, followup.ColNext, followup.ColOwner} {
			if !l.Has(c) {
				t.Errorf("column %d not found", c)
			}
		}
	})
	t.Run("no header", func(t *testing.T) {
		_, problems := followup.FindSheetLayout(records("a,b,c", "1,2,3"))
		if len(problems) != 1 || problems[0].Reason != followup.ProblemNoHeader {
			t.Errorf("problems = %v, want no_header", problems)
		}
	})
	t.Run("a column named twice", func(t *testing.T) {
		_, problems := followup.FindSheetLayout(records("客户名称,跟进日期,跟进内容,日期"))
		if len(problems) != 1 || problems[0].Reason != followup.ProblemDuplicateColumn || problems[0].Column != "日期" {
			t.Errorf("problems = %v, want duplicate_column on 日期", problems)
		}
	})
}

func TestParseSheetRow(t *testing.T) {
	l, _ := followup.FindSheetLayout(records(zhHeader))
	parse := func(line string) (followup.SheetRow, []followup.SheetProblem) {
		return followup.ParseSheetRow(l, followup.SheetRecord{Row: 7, Cells: strings.Split(line, ",")}, sheetToday)
	}

	t.Run("a full row", func(t *testing.T) {
		r, problems := parse("c2024001,百川商贸,零售,王经理,138-0000-5678,高价值客户,2024-03-01,2024/5/10,电话,电话沟通价格方案,对价格有疑虑,3天内发送定制方案,Wang Wei")
		if problems != nil {
			t.Fatal(problems)
		}
		if r.CustomerCode != "C2024001" || r.CustomerName != "百川商贸" || r.ContactPhone != "13800005678" || r.Tier != followup.TierS || r.ChurnRisk {
			t.Errorf("customer fields = %+v", r)
		}
		if !r.Day.Equal(day(2024, 5, 10)) || !r.FirstContact.Equal(day(2024, 3, 1)) || r.HasClock {
			t.Errorf("days = %v, %v", r.Day, r.FirstContact)
		}
		if r.Method != followup.MethodPhone || r.Mood != followup.MoodHesitant || r.Owner != "Wang Wei" {
			t.Errorf("method %s, mood %s, owner %q", r.Method, r.Mood, r.Owner)
		}
		if r.Next == nil || r.Next.Text != "发送定制方案" || !r.Next.Due.Equal(day(2024, 5, 13)) || r.Next.Status != "" {
			t.Errorf("next = %+v, want 发送定制方案 due 13 May", r.Next)
		}
	})
	t.Run("next steps are due relative to the follow-up", func(t *testing.T) {
		for _, tc := range []struct {
			next, text string
			due        time.Time
		}{
			{"send training material before May 20", "send training material", day(2024, 5, 20)},
			{"call again next month", "call again", day(2024, 6, 10)},
			{"下周二上门演示", "上门演示", day(2024, 5, 14)},
			{"offer 5% discount and stronger after-sales commitment", "offer 5% discount and stronger after-sales commitment", time.Time{}},
		} {
			r, problems := parse(",Acme,,,,,,2024-05-10,,called about plan A,," + tc.next + ",")
			if problems != nil {
				t.Fatalf("%s: %v", tc.next, problems)
			}
			if r.Next.Text != tc.text || !r.Next.Due.Equal(tc.due) {
				t.Errorf("%s: next = %q due %v, want %q due %v", tc.next, r.Next.Text, r.Next.Due, tc.text, tc.due)
			}
		}
	})
	t.Run("every problem of the row, with its column", func(t *testing.T) {
		_, problems := parse(",,,,12ab,VIP,,2024-13-01,飞鸽传书,,,,")
		want := map[string]string{"客户名称": followup.ProblemNoCustomer, "联系方式": followup.ProblemBadPhone, "客户等级": followup.ProblemBadTier,
			"跟进日期": followup.ProblemBadDate, "跟进方式": followup.ProblemBadMethod, "跟进内容": followup.ProblemRequired}
		if len(problems) != len(want) {
			t.Fatalf("problems = %v, want %d", problems, len(want))
		}
		for _, p := range problems {
			if got := want[p.Column]; got != p.Reason || p.Row != 7 {
				t.Errorf("problem %+v, want reason %s on row 7", p, got)
			}
			if p.Column == "联系方式" && p.Value != "" {
				t.Errorf("the phone problem quotes %q: phone numbers stay out of reports", p.Value)
			}
		}
	})
	t.Run("a follow-up in the future is a typo", func(t *testing.T) {
		_, problems := parse(",Acme,,,,,,2042-05-10,,called,,,")
		if len(problems) != 1 || problems[0].Reason != followup.ProblemFutureDate {
			t.Errorf("problems = %v, want future_date", problems)
		}
	})
}

func TestParseTierWord(t *testing.T) {
	for _, tc := range []struct {
		in    string
		tier  followup.Tier
		churn bool
	}{
		{"S", followup.TierS, false}, {"a", followup.TierA, false}, {"Ｂ", followup.TierB, false},
		{"高价值客户", followup.TierS, false}, {"潜力客户", followup.TierA, false}, {"普通客户", followup.TierB, false},
		{"流失风险客户", followup.TierB, true}, {"A（流失风险）", followup.TierA, true}, {"S (churn risk)", followup.TierS, true},
		{"S：重点客户（每天）", followup.TierS, false}, {"C: low priority (monthly)", followup.TierC, false}, {"B级", followup.TierB, false},
	} {
		tier, churn, ok := followup.ParseTierWord(tc.in)
		if !ok || tier != tc.tier || churn != tc.churn {
			t.Errorf("ParseTierWord(%q) = %s, %v, %v; want %s, %v", tc.in, tier, churn, ok, tc.tier, tc.churn)
		}
	}
	for _, in := range []string{"VIP", "Big", "D", "scary"} {
		if tier, _, ok := followup.ParseTierWord(in); ok {
			t.Errorf("ParseTierWord(%q) = %s, want no tier", in, tier)
		}
	}
}

func TestParseMethodWord(t *testing.T) {
	for in, want := range map[string]followup.Method{
		"电话": followup.MethodPhone, "拜访": followup.MethodVisit, "视频会议": followup.MethodVideo, "邮件": followup.MethodEmail,
		"短信": followup.MethodSMS, "微信/IM": followup.MethodIM, "客户来访": followup.MethodInbound, "其他": followup.MethodOther,
		"customer visit": followup.MethodInbound, "Visit": followup.MethodVisit, "Video meeting": followup.MethodVideo,
		"上门拜访并演示": followup.MethodVisit, "inbound": followup.MethodInbound,
	} {
		if got, ok := followup.ParseMethodWord(in); !ok || got != want {
			t.Errorf("ParseMethodWord(%q) = %s, %v; want %s", in, got, ok, want)
		}
	}
}

func TestParseSheetDate(t *testing.T) {
	for _, tc := range []struct {
		in    string
		day   time.Time
		clock time.Duration
	}{
		{"2024-05-10", day(2024, 5, 10), 0}, {"2024/5/1", day(2024, 5, 1), 0}, {"2024.05.10", day(2024, 5, 10), 0},
		{"2024年5月10日", day(2024, 5, 10), 0}, {"20240510", day(2024, 5, 10), 0}, {"２０２４－０５－１０", day(2024, 5, 10), 0},
		{"2024-05-10 14:30", day(2024, 5, 10), 14*time.Hour + 30*time.Minute}, {"2024-05-10T09:05:00", day(2024, 5, 10), 9*time.Hour + 5*time.Minute},
		{"45422", day(2024, 5, 10), 0}, {"45422.5", day(2024, 5, 10), 12 * time.Hour},
	} {
		d, clock, hasClock, ok := followup.ParseSheetDate(tc.in)
		if !ok || !d.Equal(tc.day) || clock != tc.clock || hasClock != (tc.clock != 0) {
			t.Errorf("ParseSheetDate(%q) = %v %v %v %v, want %v %v", tc.in, d, clock, hasClock, ok, tc.day, tc.clock)
		}
	}
	for _, in := range []string{"2024-02-30", "05/10/2024", "2024", "next week", "2024-05-10 25:00", ""} {
		if d, _, _, ok := followup.ParseSheetDate(in); ok {
			t.Errorf("ParseSheetDate(%q) = %v, want refused", in, d)
		}
	}
}

func TestParseSheet(t *testing.T) {
	t.Run("blank rows are skipped, problems keep the spreadsheet's row numbers", func(t *testing.T) {
		s := followup.ParseSheet(records("标题", zhHeader, ",Acme,,,,,,2024-05-10,,called,,,", ",,,,,,,,,,,,", ",Acme,,,,,,soon,,called,,,"), sheetToday)
		if got, want := len(s.Rows), 1; got != want {
			t.Fatalf("rows = %d, want %d", got, want)
		}
		if len(s.Problems) != 1 || s.Problems[0].Row != 5 || s.Problems[0].Column != "跟进日期" {
			t.Errorf("problems = %v, want row 5's date", s.Problems)
		}
		if got, want := s.Problems[0].String(), `row 5, 跟进日期: “soon” is not a date: write it as 2024-05-10.`; got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	})
	t.Run("a header without rows", func(t *testing.T) {
		s := followup.ParseSheet(records(zhHeader), sheetToday)
		if len(s.Problems) != 1 || s.Problems[0].Reason != followup.ProblemEmpty {
			t.Errorf("problems = %v, want empty", s.Problems)
		}
	})
	t.Run("the first sheet with a header is read", func(t *testing.T) {
		s := followup.ParseWorkbook([]followup.SheetData{
			{Name: "说明", Records: records("填写说明")},
			{Name: "跟进记录", Records: records(zhHeader, ",Acme,,,,,,2024-05-10,,called,,,")},
		}, sheetToday)
		if s.Name != "跟进记录" || len(s.Rows) != 1 || len(s.Problems) != 0 {
			t.Errorf("sheet %q: %d rows, problems %v", s.Name, len(s.Rows), s.Problems)
		}
	})
}

func TestMatchPeople(t *testing.T) {
	people := []followup.Person{
		{SlackID: "U0REP00001", Name: "wang", RealName: "Wang Wei", Email: "wang@example.com"},
		{SlackID: "U0REP00002", Name: "li", RealName: "Li Na"},
		{SlackID: "U0REP00003", Name: "wei", RealName: "Wang Wei"},
	}
	for ref, want := range map[string]string{
		"U0REP00001": "U0REP00001", "u0rep00002": "U0REP00002", "WANG@example.com": "U0REP00001", "@li": "U0REP00002",
		"Li Na": "U0REP00002", "Wang Wei (U0REP00003)": "U0REP00003", "<@U0REP00002>": "U0REP00002",
	} {
		if m := followup.MatchPeople(people, ref); len(m) != 1 || m[0].SlackID != want {
			t.Errorf("MatchPeople(%q) = %v, want %s", ref, m, want)
		}
	}
	if m := followup.MatchPeople(people, "wang wei"); len(m) != 2 {
		t.Errorf("a shared real name matched %v, want both", m)
	}
	if m := followup.MatchPeople(people, "nobody"); len(m) != 0 {
		t.Errorf("an unknown name matched %v", m)
	}
}

// FuzzParseSheetRow checks that no row, however malformed, panics, and that what a row is
// read as obeys the rules an import relies on.
func FuzzParseSheetRow(f *testing.F) {
	f.Add("c2024001,百川商贸,零售,王经理,138-0000-5678,高价值客户,2024-03-01,2024/5/10,电话,电话沟通,对价格有疑虑,3天内发送定制方案,Wang Wei")
	f.Add(",Acme,,,,S (churn risk),,45422.5,customer visit,demo,interested,send the deck before May 20 3pm,U0REP00001")
	f.Add(",,,,12ab,VIP,,2024-13-01,飞鸽传书,,,,")
	l, _ := followup.FindSheetLayout(records(zhHeader + ",下一步截止日期,下一步状态"))
	f.Fuzz(func(t *testing.T, line string) {
		r, problems := followup.ParseSheetRow(l, followup.SheetRecord{Row: 3, Cells: strings.Split(line, ",")}, sheetToday)
		for _, p := range problems {
			if p.Row != 3 || p.Reason == "" || p.Message() == "" {
				t.Fatalf("problem %+v lacks its row or reason", p)
			}
		}
		if len(problems) > 0 {
			return
		}
		if r.CustomerCode == "" && r.CustomerName == "" || r.Summary == "" || r.Day.IsZero() || !r.Method.Valid() || !r.Mood.Valid() {
			t.Fatalf("row read without problems but incomplete: %+v", r)
		}
		if r.Tier != "" && !r.Tier.Valid() {
			t.Fatalf("tier %q", r.Tier)
		}
		if r.Day.After(sheetToday.AddDate(0, 0, 1)) {
			t.Fatalf("follow-up on %v, after today", r.Day)
		}
		if n := r.Next; n != nil && (n.Text == "" || !n.Due.IsZero() && n.Due.Before(r.Day)) {
			t.Fatalf("next step %+v before the follow-up on %v", n, r.Day)
		}
	})
}
