package bot

import (
	"context"
	"time"

	"github.com/followuphq/followup"
)

func (b *Bot) loc(p followup.Person) *time.Location { return p.Location(b.cfg.DefaultTimezone) }

// today is midnight of the person's current day in their time zone.
func (b *Bot) today(p followup.Person) time.Time { return followup.DayOf(b.now(), b.loc(p)) }

// dueOnDay is when a next step "due on" a calendar day falls due: the start of that day's
// working hours in the owner's time zone, so the reminder reaches them that morning.
func (b *Bot) dueOnDay(day time.Time, p followup.Person) time.Time {
	loc := b.loc(p)
	d := followup.DayOf(day, loc)
	return d.Add(b.cfg.WorkHours.Start)
}

// happenedAt turns a picked calendar day into a moment: now when it is today, otherwise
// midday of that day, so the follow-up sorts sensibly among the day's others.
func (b *Bot) happenedAt(day time.Time, p followup.Person) time.Time {
	loc := b.loc(p)
	if followup.DayOf(day, loc).Equal(b.today(p)) {
		return b.now()
	}
	return followup.DayOf(day, loc).Add(12 * time.Hour)
}

// formatDay renders a date for a person in their locale and zone.
func (b *Bot) formatDay(t time.Time, p followup.Person) string {
	t = t.In(b.loc(p))
	if p.Locale == followup.LocaleZH {
		return t.Format("1月2日") + " " + [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[t.Weekday()]
	}
	if t.Year() != b.now().In(b.loc(p)).Year() {
		return t.Format("Mon 2 Jan 2006")
	}
	return t.Format("Mon 2 Jan")
}

// formatDate renders a calendar date (as storage reads a date column: midnight UTC) for a
// person, without moving it through their time zone.
func (b *Bot) formatDate(d time.Time, p followup.Person) string {
	y, m, day := d.UTC().Date()
	return b.formatDay(time.Date(y, m, day, 12, 0, 0, 0, b.loc(p)), p)
}

// formatMoment renders a date and a time of day for a person, for deadlines that fall
// within a day.
func (b *Bot) formatMoment(t time.Time, p followup.Person) string {
	return b.formatDay(t, p) + " " + t.In(b.loc(p)).Format("15:04")
}

// schedule is when p works, for deadlines counted in working time: their own and their
// team's settings over the deployment's defaults, as the scheduler counts it. Without the
// settings (the database did not answer) the defaults are used: a deadline a little off is
// better than none.
func (b *Bot) schedule(ctx context.Context, p followup.Person) followup.WorkSchedule {
	set, err := b.store.FindScheduleSettings(ctx, p.SlackID)
	if err != nil {
		b.log.WarnContext(ctx, "schedule settings unavailable; using defaults", "person", p.SlackID, "err", err)
	}
	return b.schedules.For(p, set)
}
