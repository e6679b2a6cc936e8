package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followuphq/followup"
)

// reviewTextsSQL reads what was said in the period's follow-ups logged by the people in
// scope (as the digest counts follow-ups, by who logged them): summary and feedback as one
// text, the latest first, at most $5 of them. $1 all, $2 team ids, $3 from, $4 to. The
// follow-ups are found through their rep's index, as the digest finds them.
const reviewTextsSQL = `
SELECT f.summary || E'\n' || f.feedback
FROM follow_ups f
WHERE f.rep_id IN (` + scopeSQL + `) AND f.happened_at >= $3 AND f.happened_at < $4
ORDER BY f.happened_at DESC, f.id DESC
LIMIT $5`

// reviewComplaintsSQL counts the complaints about the scope's customers: received and
// resolved in the period, and open or in progress now. $1 all, $2 team ids, $3 from, $4 to.
const reviewComplaintsSQL = `
SELECT count(*) FILTER (WHERE k.received_at >= $3 AND k.received_at < $4) AS received,
       count(*) FILTER (WHERE k.status = 'open') AS open,
       count(*) FILTER (WHERE k.status = 'in_progress') AS in_progress,
       count(*) FILTER (WHERE k.status = 'resolved' AND k.resolved_at >= $3 AND k.resolved_at < $4) AS resolved
FROM complaints k
JOIN customers c ON c.id = k.customer_id
WHERE $1 OR c.owner_id IN (` + scopeSQL + `)`

// WeeklyDigest is Digest with the weekly review's figures (followup.Review), all read in
// one snapshot: conversion by tier, lost reasons and cycle time by the funnel's rules for
// the customers of the people in scope, the period's frequent terms, and complaint counts.
// Days of the cycle time are counted in loc, the reader's zone.
func (db *DB) WeeklyDigest(ctx context.Context, scope followup.DigestScope, from, to time.Time, loc *time.Location) (followup.Digest, error) {
	d := followup.Digest{From: from, To: to}
	if !to.After(from) {
		return d, followup.Errorf(followup.EINVALID, "A digest period must end after it starts.")
	}
	err := db.inSnapshot(ctx, func(tx *sqlx.Tx) error {
		if err := digest(ctx, tx, &d, scope.All, teamArray(scope.TeamIDs)); err != nil {
			return err
		}
		r, err := review(ctx, tx, scope, from, to, loc)
		d.Review = r
		return err
	})
	if err != nil {
		return followup.Digest{}, err
	}
	return d, nil
}

func review(ctx context.Context, tx *sqlx.Tx, scope followup.DigestScope, from, to time.Time, loc *time.Location) (*followup.Review, error) {
	r := &followup.Review{}
	args := funnelArgs(followup.FunnelScope{DigestScope: scope}, from, to, loc)
	if err := funnelClosed(ctx, tx, args, &r.Tiers, &r.Reasons, &r.WonCustomers, &r.CycleDays); err != nil {
		return nil, err
	}
	var texts []string
	if err := tx.SelectContext(ctx, &texts, reviewTextsSQL, args[0], args[1], from, to, followup.ReviewTextsRead); err != nil {
		return nil, fmt.Errorf("review texts: %w", err)
	}
	r.Requests = followup.FrequentTerms(texts, followup.ReviewTermsMinCount, followup.ReviewTermsShown)
	var k struct {
		Received   int `db:"received"`
		Open       int `db:"open"`
		InProgress int `db:"in_progress"`
		Resolved   int `db:"resolved"`
	}
	if err := tx.GetContext(ctx, &k, reviewComplaintsSQL, args[0], args[1], from, to); err != nil {
		return nil, fmt.Errorf("review complaints: %w", err)
	}
	r.Complaints = followup.ComplaintCounts(k)
	return r, nil
}
