package followup

import (
	"testing"
	"time"
)

func TestParseComplaintDeadline(t *testing.T) {
	for in, want := range map[string]ComplaintDeadline{
		"2d": {Days: 2}, "16h": {Hours: 16}, "1d4h": {Days: 1, Hours: 4}, " 3 D ": {Days: 3}, "0d8h": {Hours: 8},
	} {
		got, err := ParseComplaintDeadline(in)
		if err != nil || got != want {
			t.Errorf("ParseComplaintDeadline(%q) = %+v, %v; want %+v", in, got, err, want)
		}
		if again, err := ParseComplaintDeadline(got.String()); err != nil || again != got {
			t.Errorf("%+v.String() = %q does not read back: %+v, %v", got, got.String(), again, err)
		}
	}
	for _, in := range []string{"", "2", "d", "0d", "0h", "4h1d", "-1d", "61d", "1441h", "two days", "2 weeks", "2d2d"} {
		if got, err := ParseComplaintDeadline(in); err == nil {
			t.Errorf("ParseComplaintDeadline(%q) = %+v, want an error", in, got)
		}
	}
}

func TestComplaintDeadlineDueAt(t *testing.T) {
	shanghai, newYork := scheduleTestReps(t)
	sh := func(s string) time.Time { return scheduleTestMoment(t, shanghai.Location, s) }
	for _, tc := range []struct {
		name     string
		deadline string
		s        WorkSchedule
		received time.Time
		want     time.Time
	}{
		{"two working days from a Wednesday morning", "2d", shanghai, sh("2026-11-18 10:00"), sh("2026-11-20 10:00")},
		{"received on a Thursday: the weekend does not count", "2d", shanghai, sh("2026-11-19 15:30"), sh("2026-11-23 15:30")},
		{"received on Friday night: counted from Monday's opening", "2d", shanghai, sh("2026-11-20 20:00"), sh("2026-11-25 09:00")},
		{"received on a Sunday", "2d", shanghai, sh("2026-11-22 11:00"), sh("2026-11-25 09:00")},
		{"National Day's week off does not count", "2d", shanghai, sh("2026-09-30 15:00"), sh("2026-10-09 15:00")},
		{"the make-up Saturday after it does", "2d", shanghai, sh("2026-10-08 11:00"), sh("2026-10-10 11:00")},
		{"hours: the rest of the day, then the next", "16h", shanghai, sh("2026-11-18 10:00"), sh("2026-11-19 17:00")},
		{"hours: over a weekend", "4h", shanghai, sh("2026-11-20 16:00"), sh("2026-11-23 11:00")},
		{"hours that end the day end at its close", "8h", shanghai, sh("2026-11-18 10:00"), sh("2026-11-18 18:00")},
		{"hours from before opening", "2h", shanghai, sh("2026-11-18 07:00"), sh("2026-11-18 11:00")},
		{"days then hours", "1d4h", shanghai, sh("2026-11-18 10:00"), sh("2026-11-19 14:00")},
		{"in the handler's own zone and hours", "1d", newYork,
			scheduleTestMoment(t, newYork.Location, "2026-11-25 16:30"), scheduleTestMoment(t, newYork.Location, "2026-11-26 16:30")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseComplaintDeadline(tc.deadline)
			if err != nil {
				t.Fatal(err)
			}
			if got := d.DueAt(tc.received, tc.s); !got.Equal(tc.want) {
				t.Errorf("%s after %s = %s, want %s", tc.deadline, tc.received, got.In(tc.s.Location), tc.want)
			}
		})
	}
	if got, want := (ComplaintDeadline{}).DueAt(sh("2026-11-18 10:00"), shanghai), sh("2026-11-20 10:00"); !got.Equal(want) {
		t.Errorf("the zero deadline is due %s, want the default two working days (%s)", got, want)
	}
}

func TestAddWorkingHoursEdges(t *testing.T) {
	shanghai, _ := scheduleTestReps(t)
	at := scheduleTestMoment(t, shanghai.Location, "2026-11-18 10:00")
	if got := shanghai.AddWorkingHours(at, 0); !got.Equal(at) {
		t.Errorf("no hours from %s = %s, want the same moment", at, got)
	}
	never := shanghai
	never.Days = WorkDays{}
	if got, want := never.AddWorkingHours(at, 3*time.Hour), at.Add(3*time.Hour); !got.Equal(want) {
		t.Errorf("a schedule without working days: %s, want the hours added as they are (%s)", got, want)
	}
	noHours := shanghai
	noHours.Hours = WorkHours{}
	if got, want := noHours.AddWorkingHours(at, 3*time.Hour), at.Add(3*time.Hour); !got.Equal(want) {
		t.Errorf("a schedule without working hours: %s, want %s", got, want)
	}
}

func TestStartAndEndOfWorkingDay(t *testing.T) {
	shanghai, _ := scheduleTestReps(t)
	sh := func(s string) time.Time { return scheduleTestMoment(t, shanghai.Location, s) }
	for from, want := range map[string]string{
		"2026-11-18 20:00": "2026-11-19 09:00", // Wednesday night: Thursday morning
		"2026-11-20 10:00": "2026-11-23 09:00", // Friday: Monday
		"2026-09-30 11:00": "2026-10-08 09:00", // before National Day: after it
		"2026-11-21 10:00": "2026-11-23 09:00", // a Saturday: Monday
	} {
		if got := shanghai.StartOfWorkingDay(sh(from), 1); !got.Equal(sh(want)) {
			t.Errorf("next working day after %s opens %s, want %s", from, got.In(shanghai.Location), want)
		}
	}
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC) // a date as a picker gives it
	if got, want := shanghai.EndOfWorkingDay(day), sh("2026-11-20 18:00"); !got.Equal(want) {
		t.Errorf("end of 20 Nov = %s, want %s", got, want)
	}
	noHours := shanghai
	noHours.Hours = WorkHours{}
	if got, want := noHours.EndOfWorkingDay(day), sh("2026-11-21 00:00"); !got.Equal(want) {
		t.Errorf("end of 20 Nov without working hours = %s, want midnight after it", got)
	}
}

func TestSchedulesFor(t *testing.T) {
	utc := time.UTC
	days, _ := ParseWorkDays("Mon-Fri")
	s := NewSchedules(utc, WorkHours{Start: 9 * time.Hour, End: 18 * time.Hour}, days, "cn")
	shanghai := calendarTestLocation(t, "Asia/Shanghai")

	def := s.For(Person{SlackID: "U1"}, ScheduleSettings{})
	if def.Location != utc || def.Hours.String() != "09:00-18:00" || def.Calendar.Name() != "cn" {
		t.Errorf("defaults = %v %v %q", def.Location, def.Hours, def.Calendar.Name())
	}
	team := s.For(Person{SlackID: "U1"}, ScheduleSettings{TeamTimezone: "Asia/Shanghai", WorkHours: "10:00-19:00", WorkDays: "Sun-Thu", Calendar: "none"})
	if team.Location.String() != shanghai.String() || team.Hours.String() != "10:00-19:00" || !team.Days.Has(time.Sunday) || team.Days.Has(time.Friday) || team.Calendar.Name() != "none" {
		t.Errorf("team settings = %v %v %v %q", team.Location, team.Hours, team.Days, team.Calendar.Name())
	}
	own := s.For(Person{SlackID: "U1", TZ: "America/New_York"}, ScheduleSettings{TeamTimezone: "Asia/Shanghai", WorkHours: "nonsense"})
	if own.Location.String() != "America/New_York" || own.Hours.String() != "09:00-18:00" {
		t.Errorf("own zone over the team's, bad hours ignored: %v %v", own.Location, own.Hours)
	}
}

func TestNewComplaintValidate(t *testing.T) {
	now := time.Date(2026, 11, 18, 2, 0, 0, 0, time.UTC)
	good := NewComplaint{CustomerID: 1, ReceivedAt: now.Add(-time.Hour), Content: "The delivery was two weeks late", HandlerID: "U1", DueAt: now.Add(48 * time.Hour), CreatedBy: "U2"}
	if err := good.Validate(now); err != nil {
		t.Fatalf("a good complaint: %v", err)
	}
	long := make([]rune, MaxTextLen+1)
	for i := range long {
		long[i] = '字'
	}
	for field, change := range map[string]func(*NewComplaint){
		"customer":    func(n *NewComplaint) { n.CustomerID = 0 },
		"content":     func(n *NewComplaint) { n.Content = "" },
		"received_at": func(n *NewComplaint) { n.ReceivedAt = now.Add(time.Minute) },
		"handler":     func(n *NewComplaint) { n.HandlerID = "" },
		"due_on":      func(n *NewComplaint) { n.DueAt = now.Add(-time.Minute) },
	} {
		n := good
		change(&n)
		fe, _ := n.Validate(now).(FieldErrors)
		if len(fe) != 1 || fe[field] == "" {
			t.Errorf("%s broken: errors %v, want one on %s", field, fe, field)
		}
	}
	n := good
	n.Content = "  " + string(long) + " "
	n.Normalize()
	if fe, _ := n.Validate(now).(FieldErrors); fe["content"] != tooLong(MaxTextLen) {
		t.Errorf("an over-long complaint: %v", fe)
	}
	n.Content = " \n "
	n.Normalize()
	if fe, _ := n.Validate(now).(FieldErrors); fe["content"] == "" {
		t.Errorf("a blank complaint is accepted")
	}
}

func TestComplaintResolutionValidate(t *testing.T) {
	yes := true
	if err := (ComplaintResolution{Resolution: "Replaced the units", Satisfied: &yes}).Validate(); err != nil {
		t.Errorf("a good resolution: %v", err)
	}
	fe, _ := (ComplaintResolution{Resolution: "   "}).Validate().(FieldErrors)
	if fe["resolution"] == "" || fe["satisfied"] == "" {
		t.Errorf("an empty resolution: %v, want both fields", fe)
	}
}

func TestComplaintOverdue(t *testing.T) {
	now := time.Date(2026, 11, 18, 2, 0, 0, 0, time.UTC)
	due := now.Add(-time.Minute)
	if !(Complaint{Status: ComplaintInProgress, DueAt: &due}).Overdue(now) {
		t.Errorf("an open complaint past its deadline is not overdue")
	}
	if (Complaint{Status: ComplaintResolved, DueAt: &due}).Overdue(now) || (Complaint{Status: ComplaintOpen}).Overdue(now) {
		t.Errorf("a resolved complaint, or one without a deadline, is overdue")
	}
}

func TestComplaintResponsibleID(t *testing.T) {
	if got := (Complaint{HandlerID: "U1", OwnerID: "U2"}).ResponsibleID(); got != "U1" {
		t.Errorf("with a handler: %s, want the handler", got)
	}
	if got := (Complaint{OwnerID: "U2"}).ResponsibleID(); got != "U2" {
		t.Errorf("without a handler: %s, want the customer's owner", got)
	}
}
