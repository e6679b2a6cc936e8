package storage

import (
	"context"
	"errors"
	"time"

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

// errNeverAnswered is CommitQueued's outcome for a follow-up the grouper lost.
var errNeverAnswered = errors.New("never answered")

// CommitQueued puts nfs in a grouper's queue in this order before any worker runs, then
// lets one worker take them all: tests pin down how the queue is split into groups.
func (db *DB) CommitQueued(ctx context.Context, nfs []followup.NewFollowUp) []error {
	g := &grouper{db: db, queue: make(chan *pendingFollowUp, len(nfs)), closed: true}
	queued := make([]*pendingFollowUp, len(nfs))
	for i, nf := range nfs {
		queued[i] = &pendingFollowUp{ctx: ctx, nf: nf, done: make(chan followUpResult, 1)}
		g.queue <- queued[i]
	}
	close(g.queue)
	worked := make(chan struct{})
	go func() { g.work(); close(worked) }()
	select {
	case <-worked:
	case <-time.After(30 * time.Second): // a worker stuck answering one caller twice
		return []error{errors.New("the worker never finished")}
	}
	errs := make([]error, len(nfs))
	for i, p := range queued {
		select {
		case r := <-p.done:
			errs[i] = r.err
		default:
			errs[i] = errNeverAnswered
		}
	}
	return errs
}
