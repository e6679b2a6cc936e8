package bot

import (
	"context"
	"fmt"

	"github.com/followuphq/followup"
)

// The bot's side of the access policy: followup.Allowed decides; these gather what it
// needs about the person asking and the customer or team asked about, and say no politely.
// Every surface asks through them (lists through followup.Viewer.Visibility, which storage
// turns into the same rule in SQL).

// viewer is p with the teams p manages, read afresh: who manages whom is not cached, so a
// team set up on another replica counts at once.
func (b *Bot) viewer(ctx context.Context, p followup.Person) (followup.Viewer, error) {
	teams, err := b.store.ManagedTeamIDs(ctx, p.SlackID)
	if err != nil {
		return followup.Viewer{Person: p}, fmt.Errorf("teams managed: %w", err)
	}
	return followup.Viewer{Person: p, ManagedTeamIDs: teams}, nil
}

// can reports whether p may do perm on customer c. It asks with what is at hand first (p
// and the owner: an admin or the owner is answered at once, as most requests are) and
// looks up the teams p manages and the owner's team, then the shares, only when still
// refused: Allowed never refuses what more facts would allow.
func (b *Bot) can(ctx context.Context, p followup.Person, perm followup.Permission, c followup.Customer) (bool, error) {
	v := followup.Viewer{Person: p}
	r := followup.Resource{OwnerID: c.OwnerID}
	if followup.Allowed(v, perm, r) {
		return true, nil
	}
	v, err := b.viewer(ctx, p)
	if err != nil {
		return false, err
	}
	if len(v.ManagedTeamIDs) > 0 {
		owner, err := b.store.FindPerson(ctx, c.OwnerID) // their team as it is now, not as cached
		if err != nil {
			return false, fmt.Errorf("customer's owner: %w", err)
		}
		if r = followup.CustomerResource(c, owner, nil); followup.Allowed(v, perm, r) {
			return true, nil
		}
	}
	if perm == followup.SeeCustomer || perm == followup.WorkOnCustomer {
		if r.SharedWith, err = b.store.CustomerShares(ctx, c.ID); err != nil {
			return false, fmt.Errorf("customer's shares: %w", err)
		}
	}
	return followup.Allowed(v, perm, r), nil
}

// canManageTeam reports whether p may see and manage team id's work.
func (b *Bot) canManageTeam(ctx context.Context, p followup.Person, id int64) (bool, error) {
	v, err := b.viewer(ctx, p)
	if err != nil {
		return false, err
	}
	return followup.Allowed(v, followup.ManageTeam, followup.TeamResource(id)), nil
}

// isAdmin reports whether p may administer followup.
func isAdmin(p followup.Person) bool {
	return followup.Allowed(followup.Viewer{Person: p}, followup.Administer, followup.Resource{})
}

// visibility is which customers p may see, for the queries that list them.
func (b *Bot) visibility(_ context.Context, p followup.Person) (followup.Visibility, error) {
	return p.Visibility(), nil
}

// errDenied is the access policy's refusal; failureText turns it into the polite answer,
// which names nothing the person may not see.
var errDenied = followup.Errorf(followup.EFORBIDDEN, "Not allowed.")

// customerFor loads customer id for p to do perm on: the customer, or an ENOTFOUND or
// EFORBIDDEN error (ids arrive in button values and form fields, which anyone can forge).
func (b *Bot) customerFor(ctx context.Context, p followup.Person, perm followup.Permission, id int64) (followup.Customer, error) {
	c, err := b.store.FindCustomer(ctx, id)
	if err != nil {
		return c, err
	}
	ok, err := b.can(ctx, p, perm, c)
	switch {
	case err != nil:
		return followup.Customer{}, err
	case !ok:
		b.log.InfoContext(ctx, "access denied", "user", p.SlackID, "permission", perm, "customer", id)
		return followup.Customer{}, errDenied
	}
	return c, nil
}
