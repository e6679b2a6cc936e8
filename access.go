package followup

import "slices"

// Permission is something a person may ask of followup. Allowed decides every one of them,
// for every surface (slash commands, forms, typeahead, buttons, the App Home, digests,
// exports): no handler decides on its own.
type Permission string

// The permissions.
const (
	// SeeCustomer: the customer's card (details, follow-ups, next steps), finding it in
	// the typeahead and in quick logs, being reminded about it.
	SeeCustomer Permission = "see_customer"
	// WorkOnCustomer: log follow-ups, plan and close its next steps, move it through the
	// funnel, record its complaints and surveys.
	WorkOnCustomer Permission = "work_on_customer"
	// SeePersonalData: its phones, emails and ID number unmasked (they are audited).
	SeePersonalData Permission = "see_personal_data"
	// ShareCustomer: let another rep see and work on it.
	ShareCustomer Permission = "share_customer"
	// ReassignCustomer: give it, or its next steps, to someone else.
	ReassignCustomer Permission = "reassign_customer"
	// ManageTeam (on a team): its digest, funnel and exports.
	ManageTeam Permission = "manage_team"
	// SeeRepFigures (on a person): their funnel and activity.
	SeeRepFigures Permission = "see_rep_figures"
	// HandOverFrom (on a person): give all their customers and open steps to someone else.
	HandOverFrom Permission = "hand_over_from"
	// HandOverTo (on a person): be the one a hand-over gives them to.
	HandOverTo Permission = "hand_over_to"
	// Administer: set up teams and managers, read the audit log, import spreadsheets,
	// see every team.
	Administer Permission = "administer"
)

// Resource is what a decision is about: a customer (its owner, the owner's team, the
// people it is shared with) or a team.
type Resource struct {
	OwnerID     string
	OwnerTeamID *int64 // nil: the owner is in no team (or it was not needed)
	SharedWith  []string
	TeamID      *int64 // for ManageTeam
}

// CustomerResource describes customer c owned by owner (whose team decides who manages
// them) and shared with the given people.
func CustomerResource(c Customer, owner Person, sharedWith []string) Resource {
	r := Resource{OwnerID: c.OwnerID, SharedWith: sharedWith}
	if owner.SlackID == c.OwnerID {
		r.OwnerTeamID = owner.TeamID
	}
	return r
}

// TeamResource describes a team.
func TeamResource(id int64) Resource { return Resource{TeamID: &id} }

// PersonResource describes a person, for what is decided about their work as a whole.
func PersonResource(p Person) Resource { return Resource{OwnerID: p.SlackID, OwnerTeamID: p.TeamID} }

// Allowed is followup's access policy, the one place it is written down:
//   - admins may do everything;
//   - a rep sees and works on the customers they own and those shared with them, and sees
//     the personal data of their own; they may share their own customers;
//   - a manager has, besides, every right on the customers of the reps of the teams they
//     manage (personal data, sharing and reassigning included), manages those teams, sees
//     those reps' figures and hands their books over within the teams (or to themselves);
//   - everyone sees their own figures; a rep does not hand their own book over;
//   - nobody else may do anything.
//
// More facts about r can only allow more, never less, so a caller may ask first with what
// it has at hand and fetch the rest (the owner's team, the shares) only when refused.
func Allowed(v Viewer, perm Permission, r Resource) bool {
	if v.SlackID == "" {
		return false
	}
	if v.Role == RoleAdmin {
		return true
	}
	owns := r.OwnerID != "" && r.OwnerID == v.SlackID
	manages := r.OwnerTeamID != nil && slices.Contains(v.ManagedTeamIDs, *r.OwnerTeamID)
	switch perm {
	case SeeCustomer, WorkOnCustomer:
		return owns || manages || r.OwnerID != "" && slices.Contains(r.SharedWith, v.SlackID)
	case SeePersonalData, ShareCustomer:
		return owns || manages
	case ReassignCustomer:
		return manages
	case SeeRepFigures:
		return owns || manages
	case HandOverFrom:
		return manages && !owns // a rep leaving does not pick who inherits their customers
	case HandOverTo:
		return manages || owns
	case ManageTeam:
		return r.TeamID != nil && slices.Contains(v.ManagedTeamIDs, *r.TeamID)
	}
	return false
}

// Visibility is which customers a viewer may see, as a list query filters them: Allowed's
// SeeCustomer rule for many customers at once. storage keeps the SQL that applies it, and
// reads who manages whom there, so a list is never filtered by a stale copy of it.
type Visibility struct {
	All      bool   // admins
	ViewerID string // their own customers, those shared with them, their teams' reps'
}

// Visibility returns the customers p may see, for list queries.
func (p Person) Visibility() Visibility {
	return Visibility{All: p.Role == RoleAdmin, ViewerID: p.SlackID}
}

// CanSeeRep reports whether viewer, managing the teams in managed, may see rep's figures.
func CanSeeRep(viewer Person, managed []int64, rep Person) bool {
	return Allowed(Viewer{Person: viewer, ManagedTeamIDs: managed}, SeeRepFigures, PersonResource(rep))
}

// CanHandOver reports whether actor, managing the teams in managed, may hand from's
// customers over to to. Nobody hands a book over to its owner.
func CanHandOver(actor Person, managed []int64, from, to Person) bool {
	v := Viewer{Person: actor, ManagedTeamIDs: managed}
	return from.SlackID != to.SlackID && Allowed(v, HandOverFrom, PersonResource(from)) && Allowed(v, HandOverTo, PersonResource(to))
}
