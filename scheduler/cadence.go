package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/followuphq/followup"
)

// CheckCadences nudges owners of customers past their tier cadence, escalates what stayed
// overdue to managers (actions and complaints by working days, cadences by a multiple of
// the interval),
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
	if err := s.escalateComplaints(ctx, now); err != nil {
		return err
	}
	return s.Drain(ctx)
}

// escalateActions escalates actions overdue by the policy's working days in their owner's
// calendar.
func (s *Scheduler) escalateActions(ctx context.Context, now time.Time) error {
	return escalateOverdue(ctx, s, now, "actions", s.store.FindActionEscalations,
		func(e followup.ActionEscalation) (string, time.Time) { return e.Action.OwnerID, e.Action.DueAt },
		s.store.EnqueueActionEscalation)
}

// escalateComplaints escalates complaints still open the policy's working days after their
// deadline, by the rule of overdue actions, counted in the handler's calendar (the owner's
// when nobody handles it): the handler is the one who is late.
func (s *Scheduler) escalateComplaints(ctx context.Context, now time.Time) error {
	return escalateOverdue(ctx, s, now, "complaints", s.store.FindComplaintEscalations,
		func(e followup.ComplaintEscalation) (string, time.Time) {
			return e.Complaint.ResponsibleID(), *e.Complaint.DueAt // the store finds only complaints with a deadline
		},
		s.store.EnqueueComplaintEscalation)
}

// escalateOverdue enqueues the escalation of every candidate that is overdue by the
// policy's working days in the calendar of whoever is late (late gives them and the due
// time). The store pre-filters by calendar days, which are never more than working days.
func escalateOverdue[E any](ctx context.Context, s *Scheduler, now time.Time, what string,
	find func(context.Context, time.Time) ([]E, error),
	late func(E) (personID string, due time.Time),
	enqueue func(context.Context, E, time.Time) error) error {
	candidates, err := find(ctx, now.AddDate(0, 0, -s.cfg.Policy.ActionWorkingDays))
	if err != nil {
		return fmt.Errorf("find overdue %s: %w", what, err)
	}
	for _, c := range candidates {
		id, due := late(c)
		who, err := s.store.FindPerson(ctx, id)
		if err != nil {
			return fmt.Errorf("find who is late on %s: %w", what, err)
		}
		if s.cfg.Policy.ActionEscalatesAt(due, s.schedule(ctx, who)).After(now) {
			continue
		}
		if err := enqueue(ctx, c, now); err != nil {
			return fmt.Errorf("enqueue escalation of %s: %w", what, err)
		}
	}
	return nil
}
