package followup

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zoneinfo files
)

// dueTestLocation loads a time zone or stops the test.
func dueTestLocation(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

// dueTestNow is the reference moment of most tests: Wednesday 2026-11-18 10:00 in Shanghai.
func dueTestNow(t testing.TB) (time.Time, *time.Location) {
	loc := dueTestLocation(t, "Asia/Shanghai")
	return time.Date(2026, 11, 18, 10, 0, 0, 0, loc), loc
}

// dueCase is one ParseDue expectation. want is "2006-01-02" for a day,
// "2006-01-02 15:04" for a moment, or "" when no due date must be found.
type dueCase struct {
	text, want, phrase string
}

// checkDue runs cases against ParseDue at now in loc.
func checkDue(t *testing.T, now time.Time, loc *time.Location, cases []dueCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			checkDueHints(t, tc.text)
			got, ok := ParseDue(tc.text, now, loc)
			if tc.want == "" {
				if ok {
					t.Fatalf("ParseDue(%q) = %s %q, want no due date", tc.text, got.At, got.Phrase)
				}
				return
			}
			if !ok {
				t.Fatalf("ParseDue(%q) found no due date, want %s", tc.text, tc.want)
			}
			layout, wantTime := "2006-01-02", false
			if strings.Contains(tc.want, ":") {
				layout, wantTime = "2006-01-02 15:04", true
			}
			want, err := time.ParseInLocation(layout, tc.want, loc)
			if err != nil {
				t.Fatal(err)
			}
			if !got.At.Equal(want) {
				t.Errorf("At = %s, want %s", got.At, want)
			}
			if got.At.Location() != loc {
				t.Errorf("At is in %s, want %s", got.At.Location(), loc)
			}
			if got, want := got.HasTime, wantTime; got != want {
				t.Errorf("HasTime = %v, want %v", got, want)
			}
			phrase := tc.phrase
			if phrase == "" {
				phrase = tc.text
			}
			if got, want := got.Phrase, phrase; got != want {
				t.Errorf("Phrase = %q, want %q", got, want)
			}
		})
	}
}

// checkDueHints fails when a recognizer's regexp matches text (folded) although none of
// its hints is there: the hint would then hide a date. Every table case and every fuzz
// input goes through it.
func checkDueHints(t *testing.T, text string) {
	t.Helper()
	s := dueFold(text).s
	for i, r := range dueRecognizers {
		if r.re.MatchString(s) && !dueHinted(s, r.hints, nil) {
			t.Errorf("date recognizer %d (%s) matches %q, which holds none of its hints %q", i, r.re, text, r.hints)
		}
	}
	for i, r := range dueTimeRecognizers {
		if r.re.MatchString(s) && !dueHinted(s, r.hints, nil) {
			t.Errorf("time recognizer %d (%s) matches %q, which holds none of its hints %q", i, r.re, text, r.hints)
		}
	}
	for _, m := range quickLogMarkers {
		if m.re.MatchString(s) && !strings.Contains(s, m.hint) {
			t.Errorf("quick-log marker %s matches %q without %q", m.re, text, m.hint)
		}
	}
}

func TestParseDue(t *testing.T) {
	now, loc := dueTestNow(t) // Wednesday 2026-11-18 10:00
	families := map[string][]dueCase{
		"relative days": {
			{"today", "2026-11-18", ""},
			{"TODAY", "2026-11-18", ""},
			{"今天", "2026-11-18", ""},
			{"今日", "2026-11-18", ""},
			{"tomorrow", "2026-11-19", ""},
			{"Tomorrow", "2026-11-19", ""},
			{"tmrw", "2026-11-19", ""},
			{"明天", "2026-11-19", ""},
			{"明日", "2026-11-19", ""},
			{"call back the day after tomorrow", "2026-11-20", "day after tomorrow"},
			{"后天", "2026-11-20", ""},
		},
		"weeks and months": {
			{"next week", "2026-11-23", ""},
			{"下周", "2026-11-23", ""},
			{"下个星期", "2026-11-23", ""},
			{"follow up next month", "2026-12-18", "next month"},
			{"下月", "2026-12-18", ""},
			{"下个月", "2026-12-18", ""},
		},
		// "end of week" is Friday (the working week), 周末 is Sunday (the weekend).
		"ends of periods": {
			{"end of week", "2026-11-20", ""},
			{"send it by the end of the week", "2026-11-20", "by the end of the week"},
			{"this week", "2026-11-20", ""},
			{"本周内", "2026-11-20", ""},
			{"end of next week", "2026-11-27", ""},
			{"下周内", "2026-11-27", ""},
			{"this weekend", "2026-11-22", ""},
			{"周末", "2026-11-22", ""},
			{"周末前", "2026-11-22", ""},
			{"下周末", "2026-11-29", ""},
			{"end of month", "2026-11-30", ""},
			{"by end of the month", "2026-11-30", ""},
			{"月底", "2026-11-30", ""},
			{"月底前", "2026-11-30", ""},
			{"本月内", "2026-11-30", ""},
			{"end of next month", "2026-12-31", ""},
			{"下个月底", "2026-12-31", ""},
			{"下月初", "", ""}, // early next month: no single day
		},
		"counts of days, weeks and months": {
			{"send the revised quote in 3 days", "2026-11-21", "in 3 days"},
			{"within 3 days", "2026-11-21", ""},
			{"3 days", "2026-11-21", ""},
			{"in three days", "2026-11-21", ""},
			{"3 days from now", "2026-11-21", ""},
			{"in a week", "2026-11-25", ""},
			{"in 2 weeks", "2026-12-02", ""},
			{"within two weeks", "2026-12-02", ""},
			{"in a month", "2026-12-18", ""},
			{"3天内", "2026-11-21", ""},
			{"3日内", "2026-11-21", ""},
			{"3天后", "2026-11-21", ""},
			{"三天内", "2026-11-21", ""},
			{"十天内", "2026-11-28", ""},
			{"二十天后", "2026-12-08", ""},
			{"两周后", "2026-12-02", ""},
			{"两周内", "2026-12-02", ""},
			{"2周后", "2026-12-02", ""},
			{"一个星期内", "2026-11-25", ""},
			{"3个月内", "2027-02-18", ""},
		},
		// A bare weekday is strictly after today; "next X" is in next week.
		"english weekdays": {
			{"Friday", "2026-11-20", ""},
			{"call on Friday", "2026-11-20", "on Friday"},
			{"by Friday", "2026-11-20", ""},
			{"before Friday", "2026-11-20", ""},
			{"fri", "2026-11-20", ""},
			{"mon", "2026-11-23", ""},
			{"wednesday", "2026-11-25", ""},
			{"next Monday", "2026-11-23", ""},
			{"next Wednesday", "2026-11-25", ""},
			{"next Friday", "2026-11-27", ""},
			{"Friday next week", "2026-11-27", ""},
			{"this Friday", "2026-11-20", ""},
			{"this Wednesday", "2026-11-18", ""},
			{"by sat", "2026-11-21", ""},
		},
		"chinese weekdays": {
			{"周五", "2026-11-20", ""},
			{"星期五", "2026-11-20", ""},
			{"礼拜五", "2026-11-20", ""},
			{"周三", "2026-11-25", ""},
			{"周日", "2026-11-22", ""},
			{"周天", "2026-11-22", ""},
			{"星期日", "2026-11-22", ""},
			{"下周一", "2026-11-23", ""},
			{"下周三", "2026-11-25", ""},
			{"下周五", "2026-11-27", ""},
			{"本周五", "2026-11-20", ""},
			{"这周五", "2026-11-20", ""},
			{"本周三", "2026-11-18", ""}, // this week's, even if today
			{"周五前", "2026-11-20", ""},
			{"周五之前", "2026-11-20", ""},
			{"请在周五前发送方案", "2026-11-20", "在周五前"},
			{"最迟在周五前", "2026-11-20", ""},
			{"确认一下周一的会议", "2026-11-23", "周一"}, // 一下 + 周一, not 下周一
		},
		"dates": {
			{"2027-05-20", "2027-05-20", ""},
			{"2027/5/20", "2027-05-20", ""},
			{"2026-12-01", "2026-12-01", ""},
			{"5/20", "2027-05-20", ""},
			{"11/18", "2026-11-18", ""},
			{"11/17", "2027-11-17", ""}, // no year: the next one
			{"12/25/2026", "2026-12-25", ""},
			{"by 1/2", "2027-01-02", ""},
			{"May 20", "2027-05-20", ""},
			{"may 20th", "2027-05-20", ""},
			{"20 May", "2027-05-20", ""},
			{"20th of May", "2027-05-20", ""},
			{"Dec 1", "2026-12-01", ""},
			{"December 1, 2026", "2026-12-01", ""},
			{"5月20日", "2027-05-20", ""},
			{"5月20号", "2027-05-20", ""},
			{"2026年12月1日", "2026-12-01", ""},
			{"十二月一日", "2026-12-01", ""},
			{"5月20日前", "2027-05-20", ""},
			{"5月20日之前", "2027-05-20", ""},
			{"5月底", "2027-05-31", ""},
			{"11月底", "2026-11-30", ""},
			{"下个月20号", "2026-12-20", ""},
			{"本月25号", "2026-11-25", ""},
			{"2月29日", "2028-02-29", ""},
			{"Friday, 11/20", "2026-11-20", ""}, // both name the same day
		},
		"times of day": {
			{"by Friday 3pm", "2026-11-20 15:00", ""},
			{"tomorrow at 3pm", "2026-11-19 15:00", ""},
			{"3pm tomorrow", "2026-11-19 15:00", ""},
			{"3pm on Friday", "2026-11-20 15:00", ""},
			{"tomorrow 15:00", "2026-11-19 15:00", ""},
			{"tomorrow 3:30 p.m.", "2026-11-19 15:30", ""},
			{"tomorrow at noon", "2026-11-19 12:00", ""},
			{"tonight 8:30", "2026-11-18 20:30", ""},
			{"3pm", "2026-11-18 15:00", ""},
			{"下周一上午10点", "2026-11-23 10:00", ""},
			{"明天下午3点", "2026-11-19 15:00", ""},
			{"明天下午3点前", "2026-11-19 15:00", ""},
			{"周五晚上8点", "2026-11-20 20:00", ""},
			{"今晚8点", "2026-11-18 20:00", ""},
			{"明天10点半", "2026-11-19 10:30", ""},
			{"明天中午", "2026-11-19 12:00", ""},
			{"下午3点", "2026-11-18 15:00", ""},
			{"２０２６年１１月２０日下午３点", "2026-11-20 15:00", ""},
			{"明天3点", "2026-11-19", "明天"}, // 3点 could be 03:00 or 15:00
			{"call at 3", "", ""},
		},
		"full-width and spacing": {
			{"３天内", "2026-11-21", ""},
			{"ｂｙ Ｆｒｉｄａｙ", "2026-11-20", ""},
			{"１１／２０", "2026-11-20", ""},
			{"in   3   days", "2026-11-21", ""},
			{"下周一上午１０点", "2026-11-23 10:00", ""},
			{"5 月 20 日", "2027-05-20", ""},
		},
		"not dates": {
			{"", "", ""},
			{"send 3 samples", "", ""},
			{"5% discount", "", ""},
			{"offer 1/2 price", "", ""},
			{"1.5/20", "", ""},
			{"5/20-5/25", "", ""}, // a range: which end?
			{"check the monitor", "", ""},
			{"sat down with Wang", "", ""},
			{"mondays", "", ""},
			{"saturnalia", "", ""},
			{"一周一次", "", ""},  // once a week
			{"每周一", "", ""},   // every Monday
			{"看一下周报", "", ""}, // the weekly report
			{"说明日期", "", ""},  // explain the date
			{"试用3天", "", ""},  // a 3-day trial
			{"3 business days", "", ""},
		},
		"past and impossible": {
			{"yesterday", "", ""},
			{"昨天", "", ""},
			{"last Friday", "", ""},
			{"上周五", "", ""},
			{"3 days ago", "", ""},
			{"3天前", "", ""},
			{"for 3 days", "", ""},
			{"over the past 2 weeks", "", ""},
			{"本周一", "", ""}, // this week's Monday was two days ago
			{"2026-11-01", "", ""},
			{"Nov 17, 2026", "", ""},
			{"2027-02-30", "", ""},
			{"2/30", "", ""},
			{"13月1日", "", ""},
			{"today 9am", "", ""}, // already past at 10:00
			{"9am", "", ""},
			{"下下周一", "", ""}, // the week after next: not supported
		},
		"ambiguous": {
			{"tomorrow or Friday", "", ""},
			{"明天或者后天", "", ""},
			{"5/20 and 6/1", "", ""},
		},
		// Possessives name a thing, not a deadline, so they do not compete with the real date.
		"possessives": {
			{"today's notes", "", ""},
			{"review tomorrow's agenda", "", ""},
			{"send today's notes tomorrow", "2026-11-19", "tomorrow"},
		},
		"chinese words around dates": {
			{"明天前往客户处", "2026-11-19", "明天"}, // 前往 is "go to", not 前
			{"现在周五开会", "2026-11-20", "周五"},  // the 在 belongs to 现在
		},
	}
	for name, cases := range families {
		t.Run(name, func(t *testing.T) { checkDue(t, now, loc, cases) })
	}
}

func TestParseDueNewYork(t *testing.T) {
	loc := dueTestLocation(t, "America/New_York")
	t.Run("ordinary day", func(t *testing.T) {
		now := time.Date(2026, 11, 18, 10, 0, 0, 0, loc) // Wednesday
		checkDue(t, now, loc, []dueCase{
			{"tomorrow 3pm", "2026-11-19 15:00", ""},
			{"by Friday", "2026-11-20", ""},
			{"next Monday 9:30am", "2026-11-23 09:30", ""},
		})
	})
	t.Run("across the spring DST change", func(t *testing.T) {
		now := time.Date(2026, 3, 7, 10, 0, 0, 0, loc) // Saturday; clocks go forward on Sunday
		checkDue(t, now, loc, []dueCase{
			{"tomorrow", "2026-03-08", ""},
			{"in 2 days", "2026-03-09", ""},
			{"tomorrow 3pm", "2026-03-08 15:00", ""},
		})
		got, _ := ParseDue("in 2 days", now, loc)
		if got, want := got.At.Hour(), 0; got != want {
			t.Errorf("in 2 days: hour = %d, want %d (midnight, not 24h later)", got, want)
		}
	})
}

func TestParseDueReferenceDays(t *testing.T) {
	shanghai := dueTestLocation(t, "Asia/Shanghai")
	t.Run("now in another zone", func(t *testing.T) {
		now := time.Date(2026, 11, 17, 18, 0, 0, 0, time.UTC) // 02:00 on the 18th in Shanghai
		checkDue(t, now, shanghai, []dueCase{{"today", "2026-11-18", ""}})
	})
	t.Run("nil location uses now's", func(t *testing.T) {
		now := time.Date(2026, 11, 18, 10, 0, 0, 0, shanghai)
		got, ok := ParseDue("tomorrow", now, nil)
		if want := time.Date(2026, 11, 19, 0, 0, 0, 0, shanghai); !ok || !got.At.Equal(want) {
			t.Errorf("ParseDue = %v, %v; want %s", got.At, ok, want)
		}
	})
	t.Run("month end clamps", func(t *testing.T) {
		now := time.Date(2027, 1, 31, 10, 0, 0, 0, shanghai)
		checkDue(t, now, shanghai, []dueCase{
			{"next month", "2027-02-28", ""},
			{"下个月", "2027-02-28", ""},
			{"in 1 month", "2027-02-28", ""},
		})
	})
	t.Run("on a Sunday", func(t *testing.T) {
		now := time.Date(2026, 11, 22, 10, 0, 0, 0, shanghai)
		checkDue(t, now, shanghai, []dueCase{
			{"Monday", "2026-11-23", ""},
			{"next Monday", "2026-11-23", ""}, // weeks start on Monday
			{"Sunday", "2026-11-29", ""},
			{"this Sunday", "2026-11-22", ""},
			{"周末", "2026-11-22", ""},
			{"下周五", "2026-11-27", ""},
			{"end of week", "", ""}, // this week's Friday is over
			{"本周五", "", ""},
		})
	})
	t.Run("on a Friday", func(t *testing.T) {
		now := time.Date(2026, 11, 20, 10, 0, 0, 0, shanghai)
		checkDue(t, now, shanghai, []dueCase{
			{"Friday", "2026-11-27", ""}, // strictly after today
			{"本周五", "2026-11-20", ""},
			{"end of week", "2026-11-20", ""},
		})
	})
}

func FuzzParseDue(f *testing.F) {
	for _, s := range []string{
		"send the revised quote in 3 days", "3天内发送定制方案", "by Friday 3pm", "下周一上午10点",
		"５月２０日", "next month", "5/20", "May 20th, 2027", "今晚8点", "本周五前", "yesterday",
		"一下周一", "下下周", "2/29", "tomorrow 25:99", "十一月三十日", "\xff明天", "today's",
	} {
		f.Add(s)
	}
	now, loc := dueTestNow(f)
	today := time.Date(2026, 11, 18, 0, 0, 0, 0, loc)
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 256 {
			// A one-line log is short. Long inputs reach no new code; they only
			// make the fuzzer's minimiser crawl, as every regexp scans them whole.
			t.Skip()
		}
		checkDueHints(t, text)
		got, ok := ParseDue(text, now, loc)
		if !ok {
			return
		}
		if got.At.Before(today) {
			t.Errorf("ParseDue(%q).At = %s, before today", text, got.At)
		}
		if got.HasTime && got.At.Before(now) {
			t.Errorf("ParseDue(%q).At = %s, before now", text, got.At)
		}
		if !got.HasTime && (got.At.Hour() != 0 || got.At.Minute() != 0) {
			t.Errorf("ParseDue(%q).At = %s, not the start of a day", text, got.At)
		}
		if got.Phrase == "" || !strings.Contains(text, got.Phrase) {
			t.Errorf("ParseDue(%q).Phrase = %q, not a substring", text, got.Phrase)
		}
	})
}
