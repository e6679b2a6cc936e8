package followup

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"
)

// calendarFiles holds the built-in holiday calendars; calendars/README.md describes the format.
// An embed.FS is read-only, so this is not mutable state.
//
//go:embed calendars/*.txt
var calendarFiles embed.FS

// maxCalendarRange bounds a DATE..DATE range so that a typo in a year ("2026-01-01..2062-01-01")
// is reported instead of quietly turning decades into holidays.
const maxCalendarRange = 366

// Calendar is a set of public holidays and make-up workdays (China's 调休上班日: weekend days
// worked to bridge a long break). It changes which days are working days; the weekly work
// days of a WorkSchedule decide the rest. A nil *Calendar has no holidays.
type Calendar struct {
	name     string
	holidays map[civilDate]string // date → holiday name
	workdays map[civilDate]bool   // make-up workdays
}

// civilDate is a day on the calendar, independent of any time zone.
type civilDate struct {
	year  int
	month time.Month
	day   int
}

// dateOf returns t's date in t's own location.
func dateOf(t time.Time) civilDate {
	y, m, d := t.Date()
	return civilDate{y, m, d}
}

// ParseCalendar reads a calendar in the format of calendars/README.md: one entry per line,
//
//	2026-10-01..2026-10-07 holiday 国庆节 National Day
//	2026-10-10 workday 国庆节调休 make-up workday
//
// with blank lines and # comments ignored. name is the calendar's name, used in errors.
// Errors are EINVALID and name the line, so that an admin editing the file finds the mistake.
func ParseCalendar(name string, r io.Reader) (*Calendar, error) {
	c := &Calendar{name: name, holidays: map[civilDate]string{}, workdays: map[civilDate]bool{}}
	seenOn := map[civilDate]int{} // date → line that listed it, to report duplicates
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n == 1 {
			// Editors on Windows like to start a UTF-8 file with a byte order mark.
			line = strings.TrimPrefix(line, "\uFEFF")
		}
		line, _, _ = strings.Cut(line, "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if len(fields) < 2 {
			return nil, Errorf(EINVALID, "calendar %s line %d: want DATE[..DATE] holiday|workday NAME, got %q", name, n, strings.TrimSpace(line))
		}
		first, last, err := parseDateRange(fields[0])
		if err != nil {
			return nil, Errorf(EINVALID, "calendar %s line %d: %v", name, n, err)
		}
		kind, label := strings.ToLower(fields[1]), strings.Join(fields[2:], " ")
		switch kind {
		case "holiday":
			if label == "" {
				return nil, Errorf(EINVALID, "calendar %s line %d: a holiday needs a name", name, n)
			}
		case "workday":
		default:
			return nil, Errorf(EINVALID, "calendar %s line %d: want holiday or workday, got %q", name, n, kind)
		}
		for day := first; !day.After(last); day = day.AddDate(0, 0, 1) {
			d := dateOf(day)
			if prev, dup := seenOn[d]; dup {
				return nil, Errorf(EINVALID, "calendar %s line %d: %s is already listed on line %d", name, n, day.Format(time.DateOnly), prev)
			}
			seenOn[d] = n
			if kind == "holiday" {
				c.holidays[d] = label
			} else {
				c.workdays[d] = true
			}
		}
	}
	switch err := sc.Err(); {
	case errors.Is(err, bufio.ErrTooLong):
		return nil, Errorf(EINVALID, "calendar %s: a line is longer than %d bytes", name, bufio.MaxScanTokenSize)
	case err != nil:
		return nil, fmt.Errorf("read calendar %s: %w", name, err)
	}
	return c, nil
}

// parseDateRange reads "2026-10-01" or "2026-10-01..2026-10-07" as dates at midnight UTC,
// where a day is always 24 hours long and stepping through the range is safe.
func parseDateRange(s string) (first, last time.Time, err error) {
	from, to, isRange := strings.Cut(s, "..")
	if first, err = time.Parse(time.DateOnly, from); err != nil {
		return first, last, fmt.Errorf("%q is not a date such as 2026-10-01", from)
	}
	if !isRange {
		return first, first, nil
	}
	if last, err = time.Parse(time.DateOnly, to); err != nil {
		return first, last, fmt.Errorf("%q is not a date such as 2026-10-07", to)
	}
	switch days := int(last.Sub(first).Hours() / 24); {
	case days < 0:
		return first, last, fmt.Errorf("the range %s ends before it starts", s)
	case days >= maxCalendarRange:
		return first, last, fmt.Errorf("the range %s is longer than %d days", s, maxCalendarRange)
	}
	return first, last, nil
}

// Name returns the calendar's name, e.g. "cn".
func (c *Calendar) Name() string {
	if c == nil {
		return ""
	}
	return c.name
}

// Holiday reports whether day's date (in day's own location) is a public holiday, and its name.
func (c *Calendar) Holiday(day time.Time) (name string, ok bool) {
	if c == nil {
		return "", false
	}
	name, ok = c.holidays[dateOf(day)]
	return name, ok
}

// MakeUpWorkday reports whether day's date (in day's own location) is a working day whatever
// the weekday, such as a Saturday worked in exchange for a longer holiday.
func (c *Calendar) MakeUpWorkday(day time.Time) bool {
	return c != nil && c.workdays[dateOf(day)]
}

// BuiltinCalendar returns the built-in calendar called name (see BuiltinCalendarNames).
// An unknown name is EINVALID: it comes from a setting an admin chose.
func BuiltinCalendar(name string) (*Calendar, error) {
	// Looking the name up in the list, rather than opening calendars/<name>.txt directly,
	// keeps names such as "../x" or "cn.txt" from meaning anything.
	for _, known := range BuiltinCalendarNames() {
		if known != name {
			continue
		}
		f, err := calendarFiles.Open(path.Join("calendars", name+".txt"))
		if err != nil {
			return nil, Errorf(EINTERNAL, "calendar %s: %v", name, err)
		}
		defer f.Close()
		return ParseCalendar(name, f)
	}
	return nil, Errorf(EINVALID, "unknown holiday calendar %q; the built-in calendars are %s", name, strings.Join(BuiltinCalendarNames(), ", "))
}

// BuiltinCalendarNames returns the names of the built-in calendars, sorted, e.g. ["cn", "none"].
func BuiltinCalendarNames() []string {
	entries, err := fs.ReadDir(calendarFiles, "calendars")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder exists
	}
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".txt"); ok && !e.IsDir() {
			names = append(names, name)
		}
	}
	return names
}
