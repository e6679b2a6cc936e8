// Package scheduler runs followup's cron jobs: next-action reminders, tier-cadence nudges,
// complaint deadlines, escalations and manager digests. Jobs are plain methods taking a
// context, so tests call them directly with a fixed clock; robfig/cron only triggers them.
// Work is claimed in Postgres (FOR UPDATE SKIP LOCKED on the reminders outbox), so any
// number of replicas may run the scheduler without sending anything twice.
//
// The jobs arrive with the reminders issue; the outbox table they use is already part of
// the schema (storage/migrations).
package scheduler
