package followup

import "time"

// ActionStatus is where a next action stands.
type ActionStatus string

// The action statuses. Only open and snoozed actions are reminded.
const (
	ActionOpen      ActionStatus = "open"
	ActionDone      ActionStatus = "done"
	ActionSnoozed   ActionStatus = "snoozed"
	ActionCancelled ActionStatus = "cancelled"
)

// NextAction is a planned step with an owner and a due time (下一步计划).
type NextAction struct {
	ID           int64
	CustomerID   int64
	CustomerCode string
	CustomerName string
	FollowUpID   int64
	OwnerID      string
	Text         string
	DueAt        time.Time
	Status       ActionStatus
	CreatedAt    time.Time
	DoneAt       *time.Time
}

// Overdue reports whether the action is still pending after its due time.
func (a NextAction) Overdue(now time.Time) bool {
	return (a.Status == ActionOpen || a.Status == ActionSnoozed) && a.DueAt.Before(now)
}
