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
	Customer     Customer
	OwnerID      string     // the rep responsible, for escalations sent to a manager
	LastFollowUp *FollowUp  // the latest logged contact, for context in one line
	DueSince     *time.Time // when the cadence contact fell due, for cadence reminders
}
