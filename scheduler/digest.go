package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/followuphq/followup"
)

// EnqueueDigests queues today's digest for every manager. The key holds the date, so
// replicas whose cron fires together, or a rerun, queue it once; the send waits for the
// manager's working hours like any reminder.
func (s *Scheduler) EnqueueDigests(ctx context.Context) error {
	now := s.now()
	managers, err := s.store.DigestRecipients(ctx)
	if err != nil {
		return fmt.Errorf("digest recipients: %w", err)
	}
	for _, m := range managers {
		day := now.In(m.Location(s.cfg.DefaultTimezone)).Format(time.DateOnly)
		if _, err := s.store.EnqueueDigest(ctx, "digest:"+m.SlackID+":"+day, m.SlackID, now); err != nil {
			return fmt.Errorf("enqueue digest: %w", err)
		}
	}
	return s.Drain(ctx)
}

// sendDigest computes and sends a manager's digest: the last day, or on Fridays (in their
// time zone) the week with the weekly review.
func (s *Scheduler) sendDigest(ctx context.Context, now time.Time, to followup.Person, sched followup.WorkSchedule) error {
	teams, err := s.store.ManagedTeamIDs(ctx, to.SlackID)
	if err != nil {
		return fmt.Errorf("managed teams: %w", err)
	}
	scope := followup.DigestScope{TeamIDs: teams} // recipients are managers; admins ask on demand
	var d followup.Digest
	if now.In(sched.Location).Weekday() == time.Friday {
		d, err = s.store.WeeklyDigest(ctx, scope, now.Add(-7*24*time.Hour), now, sched.Location)
	} else {
		d, err = s.store.Digest(ctx, scope, now.Add(-24*time.Hour), now)
	}
	if err != nil {
		return fmt.Errorf("compute digest: %w", err)
	}
	return s.notify.SendDigest(ctx, to, d)
}
