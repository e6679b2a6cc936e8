package followup

import "time"

// ReminderKind says what a reminder is about.
type ReminderKind string

// The reminder kinds the scheduler sends.
const (
	ReminderAction            ReminderKind = "action"             // a next action came due
	ReminderCadence           ReminderKind = "cadence"            // a customer passed its tier cadence
	ReminderEscalationAction  ReminderKind = "escalation_action"  // an action stayed overdue: tell the manager
	ReminderEscalationCadence ReminderKind = "escalation_cadence" // a customer stayed past cadence: tell the manager
	ReminderDigest            ReminderKind = "digest"             // a manager's digest, computed when sent

	ReminderComplaint           ReminderKind = "complaint"            // a complaint reached its deadline: tell the handler
	ReminderEscalationComplaint ReminderKind = "escalation_complaint" // a complaint stayed open past it: tell the manager
)

// ReminderStatus is where a reminder is in the outbox.
type ReminderStatus string

// The outbox states. Failed is final and visible; nothing is dropped silently.
const (
	ReminderPending   ReminderStatus = "pending"
	ReminderSending   ReminderStatus = "sending"
	ReminderSent      ReminderStatus = "sent"
	ReminderFailed    ReminderStatus = "failed"
	ReminderCancelled ReminderStatus = "cancelled"
)

// Reminder is one message in the outbox, with what its recipient needs to read it.
type Reminder struct {
	ID          int64
	Kind        ReminderKind
	DedupKey    string
	RecipientID string
	SendAfter   time.Time
	Attempts    int
	Status      ReminderStatus

	Action       *NextAction // for action reminders and their escalations
	Complaint    *Complaint  // for complaint reminders and their escalations
	Customer     Customer
	OwnerID      string     // the rep responsible, for escalations sent to a manager
	LastFollowUp *FollowUp  // the latest logged contact, for context in one line
	DueSince     *time.Time // when the cadence contact fell due, for cadence reminders
}

// RateLimitError says the chat service refused a send for now and when to try again.
type RateLimitError struct {
	After time.Duration
	Err   error
}

// Error implements the error interface.
func (e *RateLimitError) Error() string { return "rate limited, retry after " + e.After.String() }

// Unwrap returns the underlying error.
func (e *RateLimitError) Unwrap() error { return e.Err }

// ScheduleSettings are the overrides a person and their team may set on when reminders
// reach them; empty fields fall back to the deployment's defaults.
type ScheduleSettings struct {
	TeamTimezone string
	WorkHours    string // the person's, else the team's
	WorkDays     string
	Calendar     string // the team's calendar name
}

// ActionEscalation is an overdue action whose owner has a manager to tell.
type ActionEscalation struct {
	Action    NextAction
	ManagerID string
}
