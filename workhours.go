package followup

import (
	"fmt"
	"strings"
	"time"
)

// WorkHours is the daily window in which reminders may reach a person, in their time zone.
type WorkHours struct {
	Start time.Duration // since midnight
	End   time.Duration // since midnight, after Start
}

// ParseWorkHours reads "09:00-18:00".
func ParseWorkHours(s string) (WorkHours, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return WorkHours{}, fmt.Errorf("want HH:MM-HH:MM, got %q", s)
	}
	start, err1 := parseClock(from)
	end, err2 := parseClock(to)
	if err1 != nil || err2 != nil || end <= start {
		return WorkHours{}, fmt.Errorf("want HH:MM-HH:MM with the end after the start, got %q", s)
	}
	return WorkHours{Start: start, End: end}, nil
}

func parseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// String renders the window as it is written in configuration.
func (w WorkHours) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", int(w.Start.Hours()), int(w.Start.Minutes())%60, int(w.End.Hours()), int(w.End.Minutes())%60)
}

// WorkDays is the set of weekdays on which reminders may arrive.
type WorkDays [7]bool

// ParseWorkDays reads "Mon-Fri", "Mon,Wed,Fri" or "Sun-Thu" (ranges wrap around the week).
func ParseWorkDays(s string) (WorkDays, error) {
	var days WorkDays
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		from, to, isRange := strings.Cut(part, "-")
		first, ok1 := weekday(from)
		last, ok2 := first, true
		if isRange {
			last, ok2 = weekday(to)
		}
		if !ok1 || !ok2 {
			return WorkDays{}, fmt.Errorf("want weekdays such as Mon-Fri or Mon,Wed,Fri, got %q", s)
		}
		for d := first; ; d = (d + 1) % 7 {
			days[d] = true
			if d == last {
				break
			}
		}
	}
	return days, nil
}

func weekday(s string) (time.Weekday, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 3 {
		return 0, false
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.HasPrefix(strings.ToLower(d.String()), s) {
			return d, true
		}
	}
	return 0, false
}

// Has reports whether d is a working day.
func (w WorkDays) Has(d time.Weekday) bool { return w[d] }
