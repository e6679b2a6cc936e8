package followup

import "time"

// AuditEntry is one row of the audit log: who did what to which record, from where. Rows
// are only ever added (DESIGN §3: sensitive fields are audited when read or changed).
type AuditEntry struct {
	ID       int64
	At       time.Time
	ActorID  string // a Slack user id, or "cli"
	Action   string // one of the Audit… actions, or another record's verb (reassign, delete...)
	Entity   string // customer, follow_up, team, sheet, pii...
	EntityID string
	Surface  string         // slack, cli, sandbox... "" when unknown
	Detail   map[string]any // e.g. {"field": "contact_phone"} of a view
}

// Audit actions about customers and their personal data.
const (
	AuditCreate = "create" // a customer was added; detail "fields" lists the personal fields it set
	AuditView   = "view"   // someone saw a personal field in full; detail "field" names it
	AuditReseal = "reseal" // personal data was sealed again under the current key (rotate-key)
	AuditShare  = "share"  // a customer was shared with a rep; detail "with" names them
)
