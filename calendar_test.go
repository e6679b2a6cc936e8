package followup

import (
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zoneinfo files
)

// calendarTestLocation loads a time zone or stops the test.
func calendarTestLocation(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

// calendarTestBuiltin loads a built-in calendar or stops the test.
func calendarTestBuiltin(t testing.TB, name string) *Calendar {
	t.Helper()
	c, err := BuiltinCalendar(name)
	if err != nil {
		t.Fatalf("BuiltinCalendar(%q): %v", name, err)
	}
	return c
}

// calendarTestDay is midnight UTC on a "2006-01-02" date.
func calendarTestDay(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatalf("bad test date %q: %v", s, err)
	}
	return d
}

func TestParseCalendar(t *testing.T) {
	const text = "\uFEFF# a test calendar\r\n" +
		"\r\n" +
		"2026-10-01..2026-10-03 Holiday 国庆节 National Day   # inline comments are fine\r\n" +
		"  2026-10-10   workday   国庆节调休\r\n" +
		"2026-12-25 holiday Christmas\n" +
		"2026-12-26 workday\n"
	c, err := ParseCalendar("test", strings.NewReader(text))
	if err != nil {
		t.Fatalf("ParseCalendar: %v", err)
	}
	if got, want := c.Name(), "test"; got != want {
		t.Errorf("Name() = %q, want %q", got, want)
	}
	for _, tc := range []struct {
		day         string
		holiday     string // "" when the day is no holiday
		makeUpWorks bool
	}{
		{"2026-09-30", "", false},
		{"2026-10-01", "国庆节 National Day", false},
		{"2026-10-03", "国庆节 National Day", false},
		{"2026-10-04", "", false},
		{"2026-10-10", "", true},
		{"2026-12-25", "Christmas", false},
		{"2026-12-26", "", true},
		{"2027-10-01", "", false}, // a year the file does not list
	} {
		t.Run(tc.day, func(t *testing.T) {
			day := calendarTestDay(t, tc.day)
			name, ok := c.Holiday(day)
			if got, want := ok, tc.holiday != ""; got != want {
				t.Errorf("Holiday(%s) ok = %v, want %v", tc.day, got, want)
			}
			if got, want := name, tc.holiday; got != want {
				t.Errorf("Holiday(%s) name = %q, want %q", tc.day, got, want)
			}
			if got, want := c.MakeUpWorkday(day), tc.makeUpWorks; got != want {
				t.Errorf("MakeUpWorkday(%s) = %v, want %v", tc.day, got, want)
			}
		})
	}
}

func TestCalendarReadsTheDateInTheTimesOwnLocation(t *testing.T) {
	shanghai := calendarTestLocation(t, "Asia/Shanghai")
	newYork := calendarTestLocation(t, "America/New_York")
	c := calendarTestBuiltin(t, "cn")

	// 2026-09-30 20:00 UTC is already 2026-10-01 04:00 in Shanghai.
	instant := time.Date(2026, 9, 30, 20, 0, 0, 0, time.UTC)
	if _, ok := c.Holiday(instant); ok {
		t.Errorf("Holiday(%v) = true, want false: the UTC date is 2026-09-30", instant)
	}
	if _, ok := c.Holiday(instant.In(shanghai)); !ok {
		t.Errorf("Holiday(%v) = false, want true: the Shanghai date is 2026-10-01", instant.In(shanghai))
	}
	// Late evening in New York is still the same date there.
	if _, ok := c.Holiday(time.Date(2026, 10, 1, 23, 30, 0, 0, newYork)); !ok {
		t.Error("Holiday(2026-10-01 23:30 New York) = false, want true")
	}
}

func TestNilCalendarHasNoHolidays(t *testing.T) {
	var c *Calendar
	day := calendarTestDay(t, "2026-10-01")
	if _, ok := c.Holiday(day); ok {
		t.Error("nil Calendar: Holiday = true, want false")
	}
	if c.MakeUpWorkday(day) {
		t.Error("nil Calendar: MakeUpWorkday = true, want false")
	}
	if got, want := c.Name(), ""; got != want {
		t.Errorf("nil Calendar: Name() = %q, want %q", got, want)
	}
}

func TestParseCalendarErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string // parts of the error message
	}{
		{"bad date", "# ok\n2026-10-01 holiday A\n2026-13-01 holiday B\n", []string{"line 3", "2026-13-01"}},
		{"no such day", "2026-02-30 holiday A\n", []string{"line 1", "2026-02-30"}},
		{"short date", "\n2026-1-1 holiday A\n", []string{"line 2", "2026-1-1"}},
		{"bad range end", "2026-10-01..2026-10-0x holiday A\n", []string{"line 1", "2026-10-0x"}},
		{"backwards range", "\n\n2026-10-07..2026-10-01 holiday A\n", []string{"line 3", "ends before it starts"}},
		{"range too long", "2026-01-01..2062-01-01 holiday A\n", []string{"line 1", "longer than"}},
		{"no kind", "2026-10-01\n", []string{"line 1", "holiday|workday"}},
		{"bad kind", "2026-10-01 vacation A\n", []string{"line 1", `"vacation"`}},
		{"holiday without a name", "2026-10-01 holiday # the name is in the comment\n", []string{"line 1", "needs a name"}},
		{"duplicate day", "2026-10-01..2026-10-07 holiday A\n2026-10-10 workday\n2026-10-07 workday\n", []string{"line 3", "2026-10-07", "line 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCalendar("test", strings.NewReader(tc.text))
			if err == nil {
				t.Fatalf("ParseCalendar(%q) = %v, want an error", tc.text, c)
			}
			if got, want := ErrorCode(err), EINVALID; got != want {
				t.Errorf("ErrorCode = %q, want %q (%v)", got, want, err)
			}
			msg := ErrorMessage(err)
			for _, part := range tc.want {
				if !strings.Contains(msg, part) {
					t.Errorf("message %q does not contain %q", msg, part)
				}
			}
		})
	}
}

func TestBuiltinCalendarsParse(t *testing.T) {
	names := BuiltinCalendarNames()
	for _, want := range []string{"cn", "none"} {
		found := false
		for _, name := range names {
			found = found || name == want
		}
		if !found {
			t.Errorf("BuiltinCalendarNames() = %q, want it to include %q", names, want)
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			c := calendarTestBuiltin(t, name)
			if got, want := c.Name(), name; got != want {
				t.Errorf("Name() = %q, want %q", got, want)
			}
		})
	}
}

func TestBuiltinCalendarUnknown(t *testing.T) {
	for _, name := range []string{"", "xx", "cn.txt", "../calendars/cn", "CN"} {
		t.Run(name, func(t *testing.T) {
			c, err := BuiltinCalendar(name)
			if err == nil {
				t.Fatalf("BuiltinCalendar(%q) = %v, want an error", name, c)
			}
			if got, want := ErrorCode(err), EINVALID; got != want {
				t.Errorf("ErrorCode = %q, want %q", got, want)
			}
			if msg := ErrorMessage(err); !strings.Contains(msg, "cn") {
				t.Errorf("message %q does not list the built-in calendars", msg)
			}
		})
	}
}

func TestBuiltinCalendarNoneHasNoHolidays(t *testing.T) {
	c := calendarTestBuiltin(t, "none")
	for day := calendarTestDay(t, "2025-01-01"); day.Year() < 2027; day = day.AddDate(0, 0, 1) {
		if name, ok := c.Holiday(day); ok {
			t.Fatalf("Holiday(%s) = %q, want none", day.Format(time.DateOnly), name)
		}
		if c.MakeUpWorkday(day) {
			t.Fatalf("MakeUpWorkday(%s) = true, want false", day.Format(time.DateOnly))
		}
	}
}

// TestCNCalendarMatchesTheNotices checks the cn data against the totals of the State
// Council's notices, so that a mistyped date in calendars/cn.txt fails here.
func TestCNCalendarMatchesTheNotices(t *testing.T) {
	c := calendarTestBuiltin(t, "cn")
	for _, tc := range []struct {
		year              int
		holidays, workday int
	}{
		// 2025: 1 + 8 + 3 + 5 + 3 + 8 days off; 1/26, 2/8, 4/27, 9/28 and 10/11 worked.
		{2025, 28, 5},
		// 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 days off; 1/4, 2/14, 2/28, 5/9, 9/20 and 10/10 worked.
		{2026, 33, 6},
	} {
		t.Run(strconv.Itoa(tc.year), func(t *testing.T) {
			holidays, workdays := 0, 0
			for day := time.Date(tc.year, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() == tc.year; day = day.AddDate(0, 0, 1) {
				if _, ok := c.Holiday(day); ok {
					holidays++
				}
				if c.MakeUpWorkday(day) {
					workdays++
					// China's make-up workdays are always weekend days.
					if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
						t.Errorf("make-up workday %s is a %s", day.Format(time.DateOnly), wd)
					}
				}
			}
			if got, want := holidays, tc.holidays; got != want {
				t.Errorf("%d holidays, want %d", got, want)
			}
			if got, want := workdays, tc.workday; got != want {
				t.Errorf("%d make-up workdays, want %d", got, want)
			}
		})
	}
}
