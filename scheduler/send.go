package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/followuphq/followup"
)

// SendDueReminders puts every action that came due, and every complaint whose deadline
// came, in the outbox, then claims and sends what is due, round after round, until nothing
// is left for now.
func (s *Scheduler) SendDueReminders(ctx context.Context) error {
	now := s.now()
	if _, err := s.store.EnqueueActionReminders(ctx, now); err != nil {
		return fmt.Errorf("enqueue action reminders: %w", err)
	}
	if _, err := s.store.EnqueueComplaintReminders(ctx, now); err != nil {
		return fmt.Errorf("enqueue complaint reminders: %w", err)
	}
	return s.Drain(ctx)
}

// Drain claims due reminders and sends them until none is left. Each round's claim is this
// sender's alone, so replicas draining together never send one twice.
func (s *Scheduler) Drain(ctx context.Context) error {
	for ctx.Err() == nil {
		now := s.now()
		batch, err := s.store.ClaimReminders(ctx, now, s.cfg.BatchSize)
		if err != nil {
			return fmt.Errorf("claim reminders: %w", err)
		}
		if len(batch) == 0 {
			return nil
		}
		for _, group := range byRecipient(batch) {
			if err := s.deliver(ctx, now, group); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// byRecipient splits a claim (ordered by recipient) into one group per person.
func byRecipient(rs []followup.Reminder) [][]followup.Reminder {
	var groups [][]followup.Reminder
	for i, r := range rs {
		if i == 0 || r.RecipientID != rs[i-1].RecipientID {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], r)
	}
	return groups
}

// deliver sends one person's claimed reminders: later, when it is outside their working
// hours; not at all, for actions closed or complaints resolved meanwhile; otherwise in one message (a bundle when
// several are due at once) and digests on their own. Only store failures are returned;
// send failures are recorded on the reminders.
func (s *Scheduler) deliver(ctx context.Context, now time.Time, group []followup.Reminder) error {
	to, err := s.store.FindPerson(ctx, group[0].RecipientID)
	if err != nil {
		return fmt.Errorf("find recipient: %w", err)
	}
	sched := s.schedule(ctx, to)
	if !sched.Within(now) {
		s.count("deferred", group)
		return s.store.DeferReminders(ctx, ids(group), sched.NextWorkingMoment(now))
	}
	var live, stale, digests []followup.Reminder
	for _, r := range group {
		switch {
		case r.Kind == followup.ReminderDigest:
			digests = append(digests, r)
		case r.Kind == followup.ReminderAction && r.Action == nil: // the action was deleted (an undone follow-up)
			stale = append(stale, r)
		case r.Action != nil && r.Action.Status != followup.ActionOpen && r.Action.Status != followup.ActionSnoozed,
			r.Action != nil && r.Action.DueAt.After(now): // snoozed again since it was queued
			stale = append(stale, r)
		case (r.Kind == followup.ReminderComplaint || r.Kind == followup.ReminderEscalationComplaint) &&
			(r.Complaint == nil || !r.Complaint.Open()): // resolved, or gone, since it was queued
			stale = append(stale, r)
		default:
			live = append(live, r)
		}
	}
	if len(stale) > 0 {
		s.count("cancelled", stale)
		if err := s.store.CancelReminders(ctx, ids(stale)); err != nil {
			return fmt.Errorf("cancel stale reminders: %w", err)
		}
	}
	if len(live) > 0 {
		channel, ts, err := s.notify.SendReminders(ctx, to, live)
		if err := s.record(ctx, now, live, channel, ts, err); err != nil {
			return err
		}
	}
	for _, d := range digests {
		err := s.sendDigest(ctx, now, to, sched)
		if err := s.record(ctx, now, []followup.Reminder{d}, "", "", err); err != nil {
			return err
		}
	}
	return nil
}

// record stores the outcome of a send: sent; put back until Slack's Retry-After on a rate
// limit; or a counted failure retried with backoff, ending as failed after MaxAttempts.
func (s *Scheduler) record(ctx context.Context, now time.Time, rs []followup.Reminder, channel, ts string, sendErr error) error {
	var limited *followup.RateLimitError
	var err error
	switch {
	case sendErr == nil:
		s.count("sent", rs)
		err = s.store.MarkRemindersSent(ctx, ids(rs), now, channel, ts)
	case errors.As(sendErr, &limited):
		s.count("rate_limited", rs)
		s.log.WarnContext(ctx, "reminder rate limited", "recipient", rs[0].RecipientID, "retry_after", limited.After)
		err = s.store.DeferReminders(ctx, ids(rs), now.Add(limited.After))
	default:
		outcome := "retried"
		if rs[0].Attempts+1 >= s.cfg.MaxAttempts {
			outcome = "failed"
		}
		s.count(outcome, rs)
		s.log.ErrorContext(ctx, "reminder not sent", "recipient", rs[0].RecipientID, "attempt", rs[0].Attempts+1, "err", sendErr)
		err = s.store.FailReminders(ctx, ids(rs), now.Add(backoff(rs[0].Attempts)), sendErr.Error(), s.cfg.MaxAttempts)
	}
	if err != nil {
		return fmt.Errorf("record reminder outcome: %w", err)
	}
	return nil
}

// backoff is the wait before retry n+1: 30 s doubling, at most 30 minutes.
func backoff(attempts int) time.Duration {
	d := 30 * time.Second << min(attempts, 6)
	return min(d, 30*time.Minute)
}

func ids(rs []followup.Reminder) []int64 {
	out := make([]int64, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// schedule is when a person may be reached: their own or their team's settings over the
// deployment's defaults, in their time zone.
func (s *Scheduler) schedule(ctx context.Context, p followup.Person) followup.WorkSchedule {
	set, err := s.store.FindScheduleSettings(ctx, p.SlackID)
	if err != nil {
		s.log.WarnContext(ctx, "schedule settings unavailable; using defaults", "person", p.SlackID, "err", err)
	}
	return s.schedules.For(p, set)
}
