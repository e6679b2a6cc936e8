package followup

import (
	"regexp"
	"strings"
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
	Email     string // from the Slack profile when the app may read it; "" otherwise
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

// DisplayName is how the person is named to others: the real name, else the Slack handle,
// else the Slack id.
func (p Person) DisplayName() string {
	switch {
	case p.RealName != "":
		return p.RealName
	case p.Name != "":
		return p.Name
	}
	return p.SlackID
}

// slackIDSuffix finds a Slack id at the end of a reference: "Wang Wei (U0REP00001)" as an
// export writes an ambiguous name, or a <@U0REP00001> mention.
var slackIDSuffix = regexp.MustCompile(`(?:[(（]\s*|<@)([UW][A-Z0-9]{2,})\s*(?:[)）]|(?:\|[^>]*)?>)\s*$`)

// MatchPeople finds who ref names among people: by Slack id (also as a mention or in
// brackets after a name), else by email, else by handle or real name, all ignoring case. More
// than one match means ref is ambiguous; none, that it names nobody known.
func MatchPeople(people []Person, ref string) []Person {
	ref = strings.TrimSpace(ref)
	if m := slackIDSuffix.FindStringSubmatch(ref); m != nil {
		ref = m[1]
	}
	ref = strings.TrimPrefix(ref, "@")
	if ref == "" {
		return nil
	}
	var byEmail, byName []Person
	for _, p := range people {
		switch {
		case strings.EqualFold(p.SlackID, ref):
			return []Person{p}
		case p.Email != "" && strings.EqualFold(p.Email, ref):
			byEmail = append(byEmail, p)
		case p.Name != "" && strings.EqualFold(p.Name, ref), p.RealName != "" && strings.EqualFold(p.RealName, ref):
			byName = append(byName, p)
		}
	}
	if len(byEmail) > 0 {
		return byEmail
	}
	return byName
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
