package followup

import (
	"testing"
	"time"
)

// scheduleTestMoment reads "2006-01-02 15:04" in loc, so that every case names its moment
// outright instead of depending on the machine's clock.
func scheduleTestMoment(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	m, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatalf("bad test moment %q: %v", s, err)
	}
	return m
}

// scheduleTestNew builds a schedule from its configuration strings; calendar "" means none.
func scheduleTestNew(t testing.TB, zone, hours, days, calendar string) WorkSchedule {
	t.Helper()
	h, err := ParseWorkHours(hours)
	if err != nil {
		t.Fatalf("ParseWorkHours(%q): %v", hours, err)
	}
	d, err := ParseWorkDays(days)
	if err != nil {
		t.Fatalf("ParseWorkDays(%q): %v", days, err)
	}
	s := WorkSchedule{Location: calendarTestLocation(t, zone), Hours: h, Days: d}
	if calendar != "" {
		s.Calendar = calendarTestBuiltin(t, calendar)
	}
	return s
}

// scheduleTestReps are the two reps of most tests: one in Shanghai on China's calendar and one
// in New York with no holiday calendar, whose clocks change in March and November.
func scheduleTestReps(t testing.TB) (shanghai, newYork WorkSchedule) {
	return scheduleTestNew(t, "Asia/Shanghai", "09:00-18:00", "Mon-Fri", "cn"),
		scheduleTestNew(t, "America/New_York", "09:00-17:00", "Mon-Fri", "")
}

func TestWorkScheduleIsWorkingDay(t *testing.T) {
	shanghai, _ := scheduleTestReps(t)
	noCalendar := shanghai
	noCalendar.Calendar = nil
	for _, tc := range []struct {
		day             string
		want, wantNoCal bool
	}{
		{"2026-11-18", true, true},   // an ordinary Wednesday
		{"2026-11-21", false, false}, // an ordinary Saturday
		{"2026-10-01", false, true},  // National Day, a Thursday
		{"2026-10-03", false, false}, // inside the break, a Saturday
		{"2026-10-08", true, true},   // the Thursday after the break
		{"2026-10-10", true, false},  // make-up Saturday
		{"2026-10-11", false, false}, // the Sunday after it stays off
		{"2026-09-20", true, false},  // make-up Sunday before National Day
		{"2026-02-14", true, false},  // make-up Saturday before Spring Festival
		{"2026-02-23", false, true},  // last day of Spring Festival, a Monday
		{"2026-01-04", true, false},  // make-up Sunday after New Year
		{"2025-01-26", true, false},  // 2025's Spring Festival make-up Sunday
		{"2025-10-08", false, true},  // 2025's merged National Day and Mid-Autumn break
	} {
		t.Run(tc.day, func(t *testing.T) {
			day := calendarTestDay(t, tc.day)
			if got, want := shanghai.IsWorkingDay(day), tc.want; got != want {
				t.Errorf("cn: IsWorkingDay(%s) = %v, want %v", tc.day, got, want)
			}
			if got, want := noCalendar.IsWorkingDay(day), tc.wantNoCal; got != want {
				t.Errorf("no calendar: IsWorkingDay(%s) = %v, want %v", tc.day, got, want)
			}
		})
	}
}

func TestWorkScheduleWithin(t *testing.T) {
	shanghai, newYork := scheduleTestReps(t)
	for _, tc := range []struct {
		name     string
		schedule WorkSchedule
		at       string
		want     bool
	}{
		{"working morning", shanghai, "2026-11-18 10:00", true},
		{"before the start", shanghai, "2026-11-18 08:59", false},
		{"at the start", shanghai, "2026-11-18 09:00", true},
		{"last minute", shanghai, "2026-11-18 17:59", true},
		{"at the end", shanghai, "2026-11-18 18:00", false},
		{"weekend", shanghai, "2026-11-21 10:00", false},
		{"holiday", shanghai, "2026-10-01 10:00", false},
		{"make-up Saturday", shanghai, "2026-10-10 10:00", true},
		{"New York afternoon", newYork, "2026-11-18 16:30", true},
		{"New York after 17:00", newYork, "2026-11-18 17:30", false},
		{"New York on China's holiday", newYork, "2026-10-01 10:00", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at := scheduleTestMoment(t, tc.schedule.Location, tc.at)
			if got, want := tc.schedule.Within(at), tc.want; got != want {
				t.Errorf("Within(%s) = %v, want %v", tc.at, got, want)
			}
			// The moment is the same whatever zone it is written in.
			if got, want := tc.schedule.Within(at.UTC()), tc.want; got != want {
				t.Errorf("Within(%v) = %v, want %v", at.UTC(), got, want)
			}
		})
	}
}

func TestWorkScheduleNextWorkingMoment(t *testing.T) {
	shanghai, newYork := scheduleTestReps(t)
	everyDayNewYork := scheduleTestNew(t, "America/New_York", "09:00-17:00", "Mon-Sun", "")
	for _, tc := range []struct {
		name     string
		schedule WorkSchedule
		at, want string // in the schedule's zone
	}{
		{"within: now", shanghai, "2026-11-18 10:00", "2026-11-18 10:00"},
		{"at the start", shanghai, "2026-11-18 09:00", "2026-11-18 09:00"},
		{"before hours: today's start", shanghai, "2026-11-18 07:30", "2026-11-18 09:00"},
		{"just after midnight", shanghai, "2026-11-18 00:01", "2026-11-18 09:00"},
		{"exactly at the end: next day", shanghai, "2026-11-18 18:00", "2026-11-19 09:00"},
		{"evening: next day", shanghai, "2026-11-18 22:00", "2026-11-19 09:00"},
		{"Friday 22:00: Monday", shanghai, "2026-11-20 22:00", "2026-11-23 09:00"},
		{"Saturday: Monday", shanghai, "2026-11-21 11:00", "2026-11-23 09:00"},
		{"National Day: after the break", shanghai, "2026-10-01 10:00", "2026-10-08 09:00"},
		{"eve of National Day", shanghai, "2026-09-30 19:00", "2026-10-08 09:00"},
		{"Friday before a make-up Saturday", shanghai, "2026-10-09 19:00", "2026-10-10 09:00"},
		{"make-up Saturday before Spring Festival", shanghai, "2026-02-14 18:30", "2026-02-24 09:00"},
		{"New York Friday 22:00: Monday", newYork, "2026-11-20 22:00", "2026-11-23 09:00"},
		// Clocks go forward on Sunday 2026-03-08: Monday 09:00 is EDT, 13:00 UTC, not 14:00.
		{"New York over spring-forward", newYork, "2026-03-06 20:00", "2026-03-09 09:00"},
		// Clocks go back on Sunday 2026-11-01: Monday 09:00 is EST, 14:00 UTC, not 13:00.
		{"New York over fall-back", newYork, "2026-10-30 18:00", "2026-11-02 09:00"},
		{"New York on the spring-forward day", everyDayNewYork, "2026-03-07 20:00", "2026-03-08 09:00"},
		{"New York on the fall-back day", everyDayNewYork, "2026-10-31 20:00", "2026-11-01 09:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc := tc.schedule.Location
			at, want := scheduleTestMoment(t, loc, tc.at), scheduleTestMoment(t, loc, tc.want)
			got := tc.schedule.NextWorkingMoment(at)
			if !got.Equal(want) {
				t.Errorf("NextWorkingMoment(%s) = %v, want %v", tc.at, got.In(loc), want)
			}
			// A UTC moment from the database gives the same answer.
			if got := tc.schedule.NextWorkingMoment(at.UTC()); !got.Equal(want) {
				t.Errorf("NextWorkingMoment(%v) = %v, want %v", at.UTC(), got.In(loc), want)
			}
			if !tc.schedule.Within(got) {
				t.Errorf("Within(NextWorkingMoment(%s)) = false, want true", tc.at)
			}
		})
	}
}

func TestWorkScheduleNextWorkingMomentDSTInUTC(t *testing.T) {
	_, newYork := scheduleTestReps(t)
	// The same local 09:00 on either side of a clock change is a different hour in UTC; a
	// schedule that added 24-hour steps would land an hour off.
	for _, tc := range []struct {
		at   string
		want time.Time
	}{
		{"2026-03-06 20:00", time.Date(2026, 3, 9, 13, 0, 0, 0, time.UTC)},
		{"2026-10-30 18:00", time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.at, func(t *testing.T) {
			got := newYork.NextWorkingMoment(scheduleTestMoment(t, newYork.Location, tc.at))
			if !got.Equal(tc.want) {
				t.Errorf("NextWorkingMoment(%s) = %v, want %v", tc.at, got.UTC(), tc.want)
			}
		})
	}
}

func TestWorkScheduleAddWorkingDays(t *testing.T) {
	shanghai, newYork := scheduleTestReps(t)
	for _, tc := range []struct {
		name     string
		schedule WorkSchedule
		at       string
		n        int
		want     string
	}{
		{"zero", shanghai, "2026-11-18 10:00", 0, "2026-11-18 10:00"},
		{"midweek", shanghai, "2026-11-18 10:00", 2, "2026-11-20 10:00"},
		{"over a weekend", shanghai, "2026-11-20 10:00", 1, "2026-11-23 10:00"},
		{"over a weekend, two days", shanghai, "2026-11-19 15:30", 2, "2026-11-23 15:30"},
		{"from a Saturday", shanghai, "2026-11-21 10:00", 1, "2026-11-23 10:00"},
		{"over a holiday", shanghai, "2026-09-30 15:00", 1, "2026-10-08 15:00"},
		{"onto a make-up Saturday", shanghai, "2026-09-30 15:00", 3, "2026-10-10 15:00"},
		{"backwards over a weekend", shanghai, "2026-11-23 10:00", -1, "2026-11-20 10:00"},
		{"backwards over a holiday", shanghai, "2026-10-08 10:00", -1, "2026-09-30 10:00"},
		{"New York over spring-forward", newYork, "2026-03-06 10:00", 1, "2026-03-09 10:00"},
		{"New York over fall-back", newYork, "2026-10-30 10:00", 2, "2026-11-03 10:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc := tc.schedule.Location
			at, want := scheduleTestMoment(t, loc, tc.at), scheduleTestMoment(t, loc, tc.want)
			if got := tc.schedule.AddWorkingDays(at, tc.n); !got.Equal(want) {
				t.Errorf("AddWorkingDays(%s, %d) = %v, want %v", tc.at, tc.n, got.In(loc), want)
			}
			if got := tc.schedule.AddWorkingDays(at.UTC(), tc.n); !got.Equal(want) {
				t.Errorf("AddWorkingDays(%v, %d) = %v, want %v", at.UTC(), tc.n, got.In(loc), want)
			}
		})
	}
}

func TestWorkScheduleWithoutWorkingDays(t *testing.T) {
	shanghai, _ := scheduleTestReps(t)
	at := scheduleTestMoment(t, shanghai.Location, "2026-11-18 22:00")

	t.Run("no days at all", func(t *testing.T) {
		s := shanghai
		s.Days, s.Calendar = WorkDays{}, nil
		if got := s.NextWorkingMoment(at); !got.Equal(at) {
			t.Errorf("NextWorkingMoment = %v, want t itself %v", got, at)
		}
		// With nothing to count, working days degrade to calendar days.
		if got, want := s.AddWorkingDays(at, 2), at.AddDate(0, 0, 2); !got.Equal(want) {
			t.Errorf("AddWorkingDays(2) = %v, want %v", got, want)
		}
	})
	t.Run("only make-up workdays", func(t *testing.T) {
		s := shanghai
		s.Days = WorkDays{}
		at := scheduleTestMoment(t, s.Location, "2026-10-09 10:00")
		want := scheduleTestMoment(t, s.Location, "2026-10-10 09:00")
		if got := s.NextWorkingMoment(at); !got.Equal(want) {
			t.Errorf("NextWorkingMoment = %v, want %v", got, want)
		}
	})
	t.Run("no hours", func(t *testing.T) {
		s := shanghai
		s.Hours = WorkHours{}
		if got := s.NextWorkingMoment(at); !got.Equal(at) {
			t.Errorf("NextWorkingMoment = %v, want t itself %v", got, at)
		}
	})
	t.Run("zero schedule", func(t *testing.T) {
		var s WorkSchedule
		if s.Within(at) {
			t.Error("Within = true, want false")
		}
		if got := s.NextWorkingMoment(at); !got.Equal(at) {
			t.Errorf("NextWorkingMoment = %v, want t itself %v", got, at)
		}
	})
}

func TestEscalationPolicyActionEscalatesAt(t *testing.T) {
	shanghai, newYork := scheduleTestReps(t)
	for _, tc := range []struct {
		name     string
		policy   EscalationPolicy
		schedule WorkSchedule
		due      string
		want     string
	}{
		{"two working days", DefaultEscalationPolicy(), shanghai, "2026-11-18 10:00", "2026-11-20 10:00"},
		{"zero policy means default", EscalationPolicy{}, shanghai, "2026-11-18 10:00", "2026-11-20 10:00"},
		{"one working day", EscalationPolicy{ActionWorkingDays: 1}, shanghai, "2026-11-18 10:00", "2026-11-19 10:00"},
		// First seen on Monday 09:00, so the rep has until Wednesday 09:00.
		{"due Friday night", DefaultEscalationPolicy(), shanghai, "2026-11-20 22:00", "2026-11-25 09:00"},
		{"over the weekend", DefaultEscalationPolicy(), shanghai, "2026-11-19 11:00", "2026-11-23 11:00"},
		{"over National Day", DefaultEscalationPolicy(), shanghai, "2026-09-30 10:00", "2026-10-09 10:00"},
		{"due during National Day", DefaultEscalationPolicy(), shanghai, "2026-10-02 10:00", "2026-10-10 09:00"},
		{"New York over spring-forward", DefaultEscalationPolicy(), newYork, "2026-03-05 16:00", "2026-03-09 16:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc := tc.schedule.Location
			due, want := scheduleTestMoment(t, loc, tc.due), scheduleTestMoment(t, loc, tc.want)
			if got := tc.policy.ActionEscalatesAt(due, tc.schedule); !got.Equal(want) {
				t.Errorf("ActionEscalatesAt(%s) = %v, want %v", tc.due, got.In(loc), want)
			}
		})
	}
}

func TestEscalationPolicyCadence(t *testing.T) {
	const day = 24 * time.Hour
	lastTouch := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name                   string
		policy                 EscalationPolicy
		every                  time.Duration
		wantEscalate, wantRisk time.Duration // after lastTouch
	}{
		{"tier A by default", DefaultEscalationPolicy(), 3 * day, 6 * day, 9 * day},
		{"tier C by default", DefaultEscalationPolicy(), 30 * day, 60 * day, 90 * day},
		{"zero policy means default", EscalationPolicy{}, 7 * day, 14 * day, 21 * day},
		{"custom factors", EscalationPolicy{CadenceFactor: 1.5, ChurnFactor: 4}, day, 36 * time.Hour, 4 * day},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, want := tc.policy.CadenceEscalatesAt(lastTouch, tc.every), lastTouch.Add(tc.wantEscalate); !got.Equal(want) {
				t.Errorf("CadenceEscalatesAt = %v, want %v", got, want)
			}
			if got, want := tc.policy.ChurnRiskAt(lastTouch, tc.every), lastTouch.Add(tc.wantRisk); !got.Equal(want) {
				t.Errorf("ChurnRiskAt = %v, want %v", got, want)
			}
		})
	}
}
