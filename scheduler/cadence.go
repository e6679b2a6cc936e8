package scheduler

import (
	"context"
	"fmt"
	"time"
)

// CheckCadences nudges owners of customers past their tier cadence, escalates what stayed
// overdue to managers (actions by working days, cadences by a multiple of the interval),
// flags customers left alone long enough as churn risks, and sends what is due.
func (s *Scheduler) CheckCadences(ctx context.Context) error {
	now := s.now()
	if _, err := s.store.EnqueueCadenceReminders(ctx, now); err != nil {
		return fmt.Errorf("enqueue cadence reminders: %w", err)
	}
	if _, _, err := s.store.EscalateCadence(ctx, now, s.cfg.Policy.CadenceFactor, s.cfg.Policy.ChurnFactor); err != nil {
		return fmt.Errorf("escalate cadences: %w", err)
	}
	if err := s.escalateActions(ctx, now); err != nil {
		return err
	}
	return s.Drain(ctx)
}

// escalateActions escalates actions overdue by the policy's working days in their owner's
// calendar. The store pre-filters by calendar days, which are never more than working days.
func (s *Scheduler) escalateActions(ctx context.Context, now time.Time) error {
	overdueSince := now.AddDate(0, 0, -s.cfg.Policy.ActionWorkingDays)
	candidates, err := s.store.FindActionEscalations(ctx, overdueSince)
	if err != nil {
		return fmt.Errorf("find overdue actions: %w", err)
	}
	for _, c := range candidates {
		owner, err := s.store.FindPerson(ctx, c.Action.OwnerID)
		if err != nil {
			return fmt.Errorf("find owner: %w", err)
		}
		if s.cfg.Policy.ActionEscalatesAt(c.Action.DueAt, s.schedule(ctx, owner)).After(now) {
			continue
		}
		if err := s.store.EnqueueActionEscalation(ctx, c, now); err != nil {
			return fmt.Errorf("enqueue escalation: %w", err)
		}
	}
	return nil
}
