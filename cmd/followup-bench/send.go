package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"
)

// sendActionText marks the next actions the send test makes due.
const sendActionText = "bench: send reminder"

// sendDue is how many reminders the send test has the scheduler deliver.
const sendDue = 10_000

// slackMessagesPerSecond is the most chat.postMessage calls a second Slack lets one
// workspace sustain ("several hundred per minute", SLACK.md §4): a sender faster than
// this is held back by Slack, not by itself.
const slackMessagesPerSecond = 10

// sendProgressSQL counts the send test's reminders by outcome, the distinct messages that
// carried them, and the span from the first enqueued to the last sent.
const sendProgressSQL = `
SELECT count(*) FILTER (WHERE r.status = 'sent') AS sent,
       count(*) FILTER (WHERE r.status IN ('pending', 'sending')) AS waiting,
       count(*) FILTER (WHERE r.status = 'failed') AS failed,
       count(DISTINCT r.message_ts) FILTER (WHERE r.status = 'sent') AS messages,
       COALESCE(EXTRACT(epoch FROM max(r.sent_at) - min(r.created_at)), 0) AS seconds
FROM reminders r JOIN next_actions a ON a.id = r.action_id
WHERE a.text = $1`

type sendProgress struct {
	Sent     int     `db:"sent"`
	Waiting  int     `db:"waiting"`
	Failed   int     `db:"failed"`
	Messages int     `db:"messages"`
	Seconds  float64 `db:"seconds"`
}

// runSend times the reminder sender end to end: sendDue next actions fall due, and the real
// bot (bin/followup serve with its scheduler on, every second, at any hour) enqueues,
// claims and sends their reminders to the fake Slack, one message a rep a claim (a bundle
// when several are due). Measured from the first reminder enqueued to the last recorded as
// sent, off the reminders' own timestamps. The fake Slack answers at once and never rate
// limits, so what is measured is the sender's own ceiling.
func runSend(ctx context.Context, e *env, o options, r *report, stdout io.Writer) error {
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	cleanup := func() error {
		_, err := db.SQLX().ExecContext(context.WithoutCancel(ctx), "DELETE FROM next_actions WHERE text = $1", sendActionText)
		return err
	}
	if err := cleanup(); err != nil {
		return err
	}
	defer cleanup()
	if _, err := db.SQLX().ExecContext(ctx, insertDueSQL, sendDue, time.Now().Add(-time.Second), sendActionText); err != nil {
		return fmt.Errorf("insert due actions: %w", err)
	}
	if _, err := db.SQLX().ExecContext(ctx, "ANALYZE next_actions"); err != nil {
		return err
	}

	s, err := startServer(ctx, e, o.Bot, "SCHEDULER=on", "REMINDER_CRON=@every 1s",
		"CADENCE_CRON=@yearly", "DIGEST_CRON=@yearly", // only the reminders of the due actions
		"WORK_HOURS=00:00-23:59", "WORK_DAYS=Mon-Sun") // nobody's reminders wait for the morning
	if err != nil {
		return err
	}
	var p sendProgress
	deadline := time.Now().Add(3 * time.Minute)
	for {
		if err := db.SQLX().GetContext(ctx, &p, sendProgressSQL, sendActionText); err != nil {
			s.kill()
			return err
		}
		if p.Sent+p.Failed >= sendDue && p.Waiting == 0 {
			break
		}
		if time.Now().After(deadline) {
			s.kill()
			return fmt.Errorf("send: after 3 minutes %d of %d reminders sent, %d failed, %d waiting; the bot's last lines:\n%s",
				p.Sent, sendDue, p.Failed, p.Waiting, s.lastLines.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := s.Stop(); err != nil {
		return err
	}

	perSecond := func(n int) float64 { return float64(n) / max(p.Seconds, 1e-3) }
	fmt.Fprintf(stdout, "send: %d reminders sent in %d messages, %d failed, in %.2f s: %.0f messages/s, %.0f reminders/s\n",
		p.Sent, p.Messages, p.Failed, p.Seconds, perSecond(p.Messages), perSecond(p.Sent))
	r.check(fmt.Sprintf("send %s due reminders to the fake Slack (%s messages, a bundle per rep per claim)", thousands(sendDue), thousands(p.Messages)),
		fmt.Sprintf("%.2f s: %.0f messages/s, %.0f reminders/s; %d failed", p.Seconds, perSecond(p.Messages), perSecond(p.Sent), p.Failed),
		"limited only by Slack (≈"+strconv.Itoa(slackMessagesPerSecond)+" messages/s a workspace)",
		p.Failed == 0 && p.Sent == sendDue && perSecond(p.Messages) >= slackMessagesPerSecond)
	return nil
}
