package followup

import (
	"sync"
	"time"
)

// Role is what a person may do.
type Role string

// The roles: reps log, managers see their team and get digests, admins set things up.
const (
	RoleRep     Role = "rep"
	RoleManager Role = "manager"
	RoleAdmin   Role = "admin"
)

// Locales the interface speaks.
const (
	LocaleEN = "en"
	LocaleZH = "zh-CN"
)

// NormalizeLocale maps a Slack locale such as "zh-CN", "zh-TW" or "en-US" onto a locale the
// interface speaks, falling back to def.
func NormalizeLocale(slackLocale, def string) string {
	switch {
	case len(slackLocale) >= 2 && slackLocale[:2] == "zh":
		return LocaleZH
	case len(slackLocale) >= 2 && slackLocale[:2] == "en":
		return LocaleEN
	}
	return def
}

// Person is a Slack user known to followup. Time zone and locale come from Slack's users.info
// and decide when reminders arrive and which language they read.
type Person struct {
	SlackID   string
	Name      string
	RealName  string
	TZ        string // IANA name, e.g. Asia/Shanghai
	Locale    string // LocaleEN or LocaleZH
	Role      Role
	TeamID    *int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Location returns the person's time zone, or def when it is unknown.
func (p Person) Location(def *time.Location) *time.Location {
	if loc := LoadLocation(p.TZ); loc != nil {
		return loc
	}
	return def
}

// locations holds the time zones loaded so far, by IANA name (nil for an unknown name):
// time.LoadLocation reads and parses the zone file on every call, and every date the bot
// shows a person goes through their zone.
var locations sync.Map

// LoadLocation returns the time zone named name, or nil when name is empty or unknown. A
// workspace has a handful of zones, each loaded once.
func LoadLocation(name string) *time.Location {
	if name == "" {
		return nil
	}
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = nil
	}
	locations.Store(name, loc)
	return loc
}

// Team is a group of reps with a manager.
type Team struct {
	ID        int64
	Name      string
	ManagerID string
}

// TeamSettings is what an admin sets for a team: who leads it, who is in it, and when and
// how often its people are reminded. Empty fields keep the deployment's defaults.
type TeamSettings struct {
	Name      string
	ManagerID string
	MemberIDs []string
	Calendar  string
	WorkHours string
	WorkDays  string
	Cadence   map[Tier]int // days per tier; missing tiers use the default cadence
}
