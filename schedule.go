package followup

import "time"

// maxScheduleSearch bounds, in days, the search for a working day. The longest real break is
// about nine days, so a year and a margin never cuts a real search short; the bound is there so
// that a schedule without any working day (no weekly work days, no make-up workdays) ends.
const maxScheduleSearch = 400

// WorkSchedule says when a person may be reached.
type WorkSchedule struct {
	Location *time.Location // the person's time zone; nil means UTC
	Hours    WorkHours
	Days     WorkDays
	Calendar *Calendar // nil: no holidays
}

// location returns the schedule's time zone, UTC when none is set, so that a zero schedule
// never panics in time.Time.In.
func (s WorkSchedule) location() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// IsWorkingDay reports whether day's date is a working day: never on a holiday, always on a
// make-up workday, otherwise when its weekday is one of Days. Like the Calendar, it reads the
// date in day's own location; to ask about a moment, pass t.In(s.Location).
func (s WorkSchedule) IsWorkingDay(day time.Time) bool {
	if _, holiday := s.Calendar.Holiday(day); holiday {
		return false
	}
	if s.Calendar.MakeUpWorkday(day) {
		return true
	}
	return s.Days.Has(day.Weekday())
}

// Within reports whether t falls inside the working hours of a working day in the schedule's
// time zone. The window includes its start and excludes its end: at 18:00 of 09:00-18:00 the
// day is over.
func (s WorkSchedule) Within(t time.Time) bool {
	local := t.In(s.location())
	if !s.IsWorkingDay(local) {
		return false
	}
	return !t.Before(clockOn(local, s.Hours.Start)) && t.Before(clockOn(local, s.Hours.End))
}

// NextWorkingMoment returns when something due at t may reach the person: t itself when it is
// Within the schedule, else the start of the next working period (today's start when t is
// before it on a working day, else the start of the next working day).
//
// A schedule that can never be reached (empty Hours, or no working day in the next 400 days)
// returns t: delivering outside working hours is better than never delivering.
func (s WorkSchedule) NextWorkingMoment(t time.Time) time.Time {
	if s.Hours.End <= s.Hours.Start || s.Within(t) {
		return t
	}
	for i := range maxScheduleSearch + 1 {
		day := s.dayAfter(t, i)
		if !s.IsWorkingDay(day) {
			continue
		}
		// Today's start lies behind t once today's window has passed; tomorrow's never does.
		if start := clockOn(day, s.Hours.Start); start.After(t) {
			return start
		}
	}
	return t
}

// AddWorkingDays returns the same clock time n working days after t's date in the schedule's
// time zone, skipping non-working days, as in "2 working days overdue": from Friday 10:00, one
// working day later is Monday 10:00, or Tuesday when Monday is a holiday. t's own date is not
// counted, whether or not it is a working day. A negative n counts backwards.
//
// The clock time is kept across daylight-saving changes (a day is not always 24 hours). When a
// stretch of 400 days holds no working day the schedule has none to count, and n calendar days
// are added instead.
func (s WorkSchedule) AddWorkingDays(t time.Time, n int) time.Time {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	offset, idle := 0, 0
	for found := 0; found < n; {
		offset += step
		switch {
		case s.IsWorkingDay(s.dayAfter(t, offset)):
			found, idle = found+1, 0
		case idle >= maxScheduleSearch:
			offset = n * step
			found = n
		default:
			idle++
		}
	}
	local := t.In(s.location())
	y, m, d := local.Date()
	return time.Date(y, m, d+offset, local.Hour(), local.Minute(), local.Second(), local.Nanosecond(), local.Location())
}

// AddWorkingHours returns the moment d of working time after t: only time inside the
// schedule's working hours on working days counts, as in "resolve within 8 working hours".
// From Friday 16:00 with 09:00-18:00, four working hours later is Monday 11:00. A deadline
// that uses up a day exactly ends at that day's closing time, not at the next opening.
//
// A schedule that can never be reached (empty Hours, or no working day in the next 400
// days) has no working time to count, and d is added as it is.
func (s WorkSchedule) AddWorkingHours(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	if s.Hours.End <= s.Hours.Start {
		return t.Add(d)
	}
	for range maxScheduleSearch + 1 {
		from := s.NextWorkingMoment(t)
		if !s.Within(from) {
			break // NextWorkingMoment found no working day
		}
		closing := clockOn(from.In(s.location()), s.Hours.End)
		if left := closing.Sub(from); d <= left {
			return from.Add(d)
		}
		d -= closing.Sub(from)
		t = closing
	}
	return t.Add(d)
}

// StartOfWorkingDay returns the opening time of the working day n working days after t's
// date (n = 1: the next working day), in the schedule's time zone: when something "due the
// next working day" should reach the person that morning.
func (s WorkSchedule) StartOfWorkingDay(t time.Time, n int) time.Time {
	return clockOn(s.AddWorkingDays(t, n).In(s.location()), s.Hours.Start)
}

// EndOfWorkingDay returns the closing time of working hours on day's date in the schedule's
// time zone, for a deadline given as a date: "resolve by Friday" means by Friday's close,
// whether or not Friday is a working day.
func (s WorkSchedule) EndOfWorkingDay(day time.Time) time.Time {
	y, m, d := day.Date()
	end := s.Hours.End
	if end <= s.Hours.Start {
		end = 24 * time.Hour // no working hours: the day's end
	}
	return clockOn(time.Date(y, m, d, 12, 0, 0, 0, s.location()), end)
}

// dayAfter returns noon on the date i days after t's date in the schedule's time zone. Noon
// exists on every date (daylight-saving changes happen at night), and time.Date normalises
// day overflow, so this walks dates rather than adding 24-hour steps that drift on DST days.
func (s WorkSchedule) dayAfter(t time.Time, i int) time.Time {
	local := t.In(s.location())
	y, m, d := local.Date()
	return time.Date(y, m, d+i, 12, 0, 0, 0, local.Location())
}

// clockOn returns the wall-clock time since (since midnight) on day's date in day's location.
// It sets the clock fields rather than adding since to midnight, so that 09:00 stays 09:00 on
// the day the clocks change. A time inside a spring-forward gap comes out an hour off, as
// time.Date documents.
func clockOn(day time.Time, since time.Duration) time.Time {
	y, m, d := day.Date()
	h, mi, sec := int(since/time.Hour), int(since%time.Hour/time.Minute), int(since%time.Minute/time.Second)
	return time.Date(y, m, d, h, mi, sec, int(since%time.Second), day.Location())
}

// EscalationPolicy says when overdue work goes to the manager and when a customer is flagged.
// A zero or negative field takes its default, so EscalationPolicy{} behaves like
// DefaultEscalationPolicy().
type EscalationPolicy struct {
	ActionWorkingDays int     // an action overdue by this many working days is escalated (default 2)
	CadenceFactor     float64 // a customer past its cadence by this multiple of the interval is escalated (default 2: escalate at lastTouch + 2×interval)
	ChurnFactor       float64 // beyond this multiple the customer is flagged churn risk (default 3)
}

// DefaultEscalationPolicy is a real team's playbook: the manager hears of an action two
// working days overdue and of a customer left alone for twice its cadence; three times the
// cadence marks the customer a churn risk.
func DefaultEscalationPolicy() EscalationPolicy {
	return EscalationPolicy{ActionWorkingDays: 2, CadenceFactor: 2, ChurnFactor: 3}
}

// withDefaults replaces unset fields with the defaults.
func (p EscalationPolicy) withDefaults() EscalationPolicy {
	def := DefaultEscalationPolicy()
	if p.ActionWorkingDays <= 0 {
		p.ActionWorkingDays = def.ActionWorkingDays
	}
	if p.CadenceFactor <= 0 {
		p.CadenceFactor = def.CadenceFactor
	}
	if p.ChurnFactor <= 0 {
		p.ChurnFactor = def.ChurnFactor
	}
	return p
}

// ActionEscalatesAt is when an action due at dueAt, still open, goes to the rep's manager:
// ActionWorkingDays working days after the rep could first be reminded of it, in the rep's
// schedule s. Counting from the first working moment rather than from dueAt gives the rep the
// full allowance: an action due on Friday night is first seen on Monday morning and escalates
// on Wednesday morning, not on Tuesday night.
func (p EscalationPolicy) ActionEscalatesAt(dueAt time.Time, s WorkSchedule) time.Time {
	return s.AddWorkingDays(s.NextWorkingMoment(dueAt), p.withDefaults().ActionWorkingDays)
}

// CadenceEscalatesAt is when a customer last touched at lastTouch, with a cadence of every,
// goes to the manager: lastTouch + CadenceFactor × every. Cadences are counted in calendar
// time, like Cadence.NextContactDue; the reminder itself still waits for working hours.
func (p EscalationPolicy) CadenceEscalatesAt(lastTouch time.Time, every time.Duration) time.Time {
	return lastTouch.Add(scaleDuration(every, p.withDefaults().CadenceFactor))
}

// ChurnRiskAt is when a customer last touched at lastTouch, with a cadence of every, is
// flagged as a churn risk: lastTouch + ChurnFactor × every.
func (p EscalationPolicy) ChurnRiskAt(lastTouch time.Time, every time.Duration) time.Time {
	return lastTouch.Add(scaleDuration(every, p.withDefaults().ChurnFactor))
}

// scaleDuration returns d × f, rounded to the nearest second: a factor such as 1.5 should not
// leave a reminder due at a stray nanosecond.
func scaleDuration(d time.Duration, f float64) time.Duration {
	return time.Duration(float64(d) * f).Round(time.Second)
}

// Schedules works out a person's WorkSchedule from the deployment's defaults and the
// overrides their team and they set, the same way wherever working time is counted (when a
// reminder may be sent, when an action escalates, when a complaint is due). The zero value
// is UTC, no working hours and no calendar; use NewSchedules.
type Schedules struct {
	Location  *time.Location // the deployment's time zone, for people whose own is unknown
	Hours     WorkHours
	Days      WorkDays
	Calendar  string // the default calendar's name; "" for none
	calendars map[string]*Calendar
}

// NewSchedules returns the deployment's schedule defaults with the built-in calendars loaded.
func NewSchedules(loc *time.Location, hours WorkHours, days WorkDays, calendar string) Schedules {
	s := Schedules{Location: loc, Hours: hours, Days: days, Calendar: calendar, calendars: map[string]*Calendar{}}
	for _, name := range BuiltinCalendarNames() {
		if c, err := BuiltinCalendar(name); err == nil {
			s.calendars[name] = c
		}
	}
	return s
}

// For returns when p may be reached: p's time zone (else their team's, else the
// deployment's); their own working hours and days, else their team's, else the defaults;
// their team's holiday calendar, else the default one. Settings that do not parse are
// ignored rather than trusted.
func (s Schedules) For(p Person, set ScheduleSettings) WorkSchedule {
	ws := WorkSchedule{Location: s.Location, Hours: s.Hours, Days: s.Days}
	if ws.Location == nil {
		ws.Location = time.UTC
	}
	if loc := LoadLocation(set.TeamTimezone); loc != nil {
		ws.Location = loc
	}
	ws.Location = p.Location(ws.Location)
	if h, err := ParseWorkHours(set.WorkHours); err == nil {
		ws.Hours = h
	}
	if d, err := ParseWorkDays(set.WorkDays); err == nil {
		ws.Days = d
	}
	name := set.Calendar
	if name == "" {
		name = s.Calendar
	}
	ws.Calendar = s.calendars[name]
	return ws
}
