package followup

import "time"

// ComplaintStatus is where a complaint stands.
type ComplaintStatus string

// The complaint statuses. Anything not resolved is open work for the team.
const (
	ComplaintOpen       ComplaintStatus = "open"
	ComplaintInProgress ComplaintStatus = "in_progress"
	ComplaintResolved   ComplaintStatus = "resolved"
)

// Complaint is a customer's complaint and how it was handled (投诉).
type Complaint struct {
	ID           int64
	CustomerID   int64
	CustomerCode string
	CustomerName string
	ReceivedAt   time.Time
	Content      string
	HandlerID    string // Slack user id of whoever handles it; empty while nobody does
	Status       ComplaintStatus
	Resolution   string
	ResolvedAt   *time.Time
	Satisfied    *bool // nil until the customer was asked
}

// Open reports whether the complaint still needs handling.
func (c Complaint) Open() bool { return c.Status != ComplaintResolved }
