package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/followuphq/followup"
)

// Store is the persistence the scheduler needs; storage.DB implements it.
type Store interface {
	EnqueueActionReminders(ctx context.Context, now time.Time) (int, error)
	EnqueueCadenceReminders(ctx context.Context, now time.Time) (int, error)
	EnqueueComplaintReminders(ctx context.Context, now time.Time) (int, error)
	FindActionEscalations(ctx context.Context, overdueSince time.Time) ([]followup.ActionEscalation, error)
	EnqueueActionEscalation(ctx context.Context, e followup.ActionEscalation, now time.Time) error
	FindComplaintEscalations(ctx context.Context, overdueSince time.Time) ([]followup.ComplaintEscalation, error)
	EnqueueComplaintEscalation(ctx context.Context, e followup.ComplaintEscalation, now time.Time) error
	EscalateCadence(ctx context.Context, now time.Time, escalateFactor, churnFactor float64) (escalated, flagged int, err error)
	EnqueueDigest(ctx context.Context, key, recipientID string, now time.Time) (bool, error)
	ClaimReminders(ctx context.Context, now time.Time, limit int) ([]followup.Reminder, error)
	MarkRemindersSent(ctx context.Context, ids []int64, now time.Time, channel, ts string) error
	DeferReminders(ctx context.Context, ids []int64, until time.Time) error
	FailReminders(ctx context.Context, ids []int64, retryAt time.Time, reason string, maxAttempts int) error
	CancelReminders(ctx context.Context, ids []int64) error
	FindPerson(ctx context.Context, slackID string) (followup.Person, error)
	FindScheduleSettings(ctx context.Context, slackID string) (followup.ScheduleSettings, error)
	DigestRecipients(ctx context.Context) ([]followup.Person, error)
	ManagedTeamIDs(ctx context.Context, managerID string) ([]int64, error)
	Digest(ctx context.Context, scope followup.DigestScope, from, to time.Time) (followup.Digest, error)
	WeeklyDigest(ctx context.Context, scope followup.DigestScope, from, to time.Time, loc *time.Location) (followup.Digest, error)
}

// Notifier delivers what the scheduler decided to send; the bot implements it with Slack.
type Notifier interface {
	// SendReminders sends one message to a person holding every reminder given (a bundle
	// when there are several) and returns where it landed.
	SendReminders(ctx context.Context, to followup.Person, rs []followup.Reminder) (channel, ts string, err error)
	// SendDigest sends a manager their digest.
	SendDigest(ctx context.Context, to followup.Person, d followup.Digest) error
}

// Config is when the jobs run and whom they may reach when.
type Config struct {
	ReminderCron    string
	CadenceCron     string
	DigestCron      string
	DefaultTimezone *time.Location
	WorkHours       followup.WorkHours
	WorkDays        followup.WorkDays
	Calendar        string // the default holiday calendar; "" for none
	Policy          followup.EscalationPolicy
	BatchSize       int // reminders claimed per round
	MaxAttempts     int // failed sends before a reminder ends as failed
}

// Scheduler runs the reminder, cadence and digest jobs.
type Scheduler struct {
	cfg       Config
	store     Store
	notify    Notifier
	now       func() time.Time
	log       *slog.Logger
	schedules followup.Schedules
	cron      *cron.Cron
	metrics   *metrics
}

// Option configures a Scheduler.
type Option func(*Scheduler)

// WithClock injects the clock the jobs read.
func WithClock(now func() time.Time) Option { return func(s *Scheduler) { s.now = now } }

// WithLogger sets the logger; each job logs its own failures.
func WithLogger(l *slog.Logger) Option { return func(s *Scheduler) { s.log = l } }

// New returns a Scheduler; Start runs it on cron, or call its jobs directly.
func New(cfg Config, store Store, notify Notifier, opts ...Option) *Scheduler {
	if cfg.DefaultTimezone == nil {
		cfg.DefaultTimezone = time.UTC
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 500
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 6
	}
	if cfg.Policy == (followup.EscalationPolicy{}) {
		cfg.Policy = followup.DefaultEscalationPolicy()
	}
	if cfg.WorkHours.End == 0 {
		cfg.WorkHours = followup.WorkHours{Start: 9 * time.Hour, End: 18 * time.Hour}
	}
	if cfg.WorkDays == (followup.WorkDays{}) {
		cfg.WorkDays, _ = followup.ParseWorkDays("Mon-Fri")
	}
	s := &Scheduler{cfg: cfg, store: store, notify: notify, now: time.Now, log: slog.Default(), metrics: newMetrics(),
		schedules: followup.NewSchedules(cfg.DefaultTimezone, cfg.WorkHours, cfg.WorkDays, cfg.Calendar)}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Start runs the jobs on their cron specs, in the default time zone. A job still running
// when its next turn comes is skipped, and a panic in one is logged, not fatal.
func (s *Scheduler) Start() error {
	s.cron = cron.New(
		cron.WithLocation(s.cfg.DefaultTimezone),
		cron.WithChain(cron.Recover(cronLogger{s.log}), cron.SkipIfStillRunning(cronLogger{s.log})),
	)
	jobs := []struct {
		name, spec string
		run        func(context.Context) error
	}{
		{"reminders", s.cfg.ReminderCron, s.SendDueReminders},
		{"cadences", s.cfg.CadenceCron, s.CheckCadences},
		{"digests", s.cfg.DigestCron, s.EnqueueDigests},
	}
	for _, j := range jobs {
		if _, err := s.cron.AddFunc(j.spec, s.runner(j.name, j.run)); err != nil {
			return fmt.Errorf("schedule %q: %w", j.spec, err)
		}
	}
	s.cron.Start()
	return nil
}

// Stop stops triggering jobs and waits for running ones to finish or ctx to end.
func (s *Scheduler) Stop(ctx context.Context) {
	if s.cron == nil {
		return
	}
	select {
	case <-s.cron.Stop().Done():
	case <-ctx.Done():
	}
}

// jobTimeout bounds one run of a job.
const jobTimeout = 5 * time.Minute

func (s *Scheduler) runner(name string, job func(context.Context) error) func() {
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), jobTimeout)
		defer cancel()
		start := time.Now()
		if err := job(ctx); err != nil {
			s.log.ErrorContext(ctx, "scheduled job failed", "job", name, "err", err)
		}
		s.metrics.jobs.WithLabelValues(name).Observe(time.Since(start).Seconds())
	}
}

// cronLogger adapts slog to robfig/cron's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
