package storage

import (
	"context"

	"github.com/followuphq/followup"
)

// CommitGroup commits nfs as one group, the way the grouper does when they arrive
// together, and returns each one's outcome: tests pin down what a group does without
// racing to form one.
func (db *DB) CommitGroup(ctx context.Context, nfs []followup.NewFollowUp) ([]followup.FollowUp, []error) {
	group := make([]*pendingFollowUp, len(nfs))
	for i, nf := range nfs {
		group[i] = &pendingFollowUp{ctx: ctx, nf: nf, done: make(chan followUpResult, 1)}
	}
	db.grouper.commit(group)
	fus, errs := make([]followup.FollowUp, len(nfs)), make([]error, len(nfs))
	for i, p := range group {
		r := <-p.done
		fus[i], errs[i] = r.fu, r.err
	}
	return fus, errs
}
