// Package bot is followup's Slack edge: it verifies and decodes what Slack sends (slash
// commands, interactions, typeahead options, events), answers inside Slack's 3-second window,
// builds Block Kit views with pure functions, and speaks English and Chinese.
package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// Store is the persistence the bot needs; storage.DB implements it.
type Store interface {
	Ping(ctx context.Context) error
	SavePerson(ctx context.Context, p followup.Person) (followup.Person, error)
	FindPerson(ctx context.Context, slackID string) (followup.Person, error)
	CreateCustomer(ctx context.Context, nc followup.NewCustomer) (followup.Customer, error)
	FindDuplicateCustomers(ctx context.Context, nc followup.NewCustomer) ([]followup.Customer, error)
	FindCustomer(ctx context.Context, id int64) (followup.Customer, error)
	SearchCustomers(ctx context.Context, query string, limit int, vis followup.Visibility) ([]followup.Customer, error)
	ResolveCustomer(ctx context.Context, ref string, vis followup.Visibility) ([]followup.Customer, error)
	ShareCustomer(ctx context.Context, customerID int64, person, by string) error
	CustomerShares(ctx context.Context, customerID int64) ([]string, error)
	FindPersonalData(ctx context.Context, customerID int64) (followup.PersonalData, error)
	RevealPersonalData(ctx context.Context, customerID int64, viewerID, surface string) (followup.PersonalData, error)
	FindAuditTrail(ctx context.Context, customerID, before int64, limit int) ([]followup.AuditEntry, error)
	CreateFollowUp(ctx context.Context, nf followup.NewFollowUp) (followup.FollowUp, error)
	CreateAction(ctx context.Context, customerID, followUpID int64, a followup.NewAction) (followup.NextAction, error)
	FindFollowUps(ctx context.Context, customerID int64, limit int) ([]followup.FollowUp, error)
	FindPendingActions(ctx context.Context, ownerID string, limit int) ([]followup.NextAction, error)
	FindCustomerPendingActions(ctx context.Context, customerID int64) ([]followup.NextAction, error)
	FindAction(ctx context.Context, id int64) (followup.NextAction, error)
	CompleteAction(ctx context.Context, id int64, by string) (followup.NextAction, error)
	SnoozeAction(ctx context.Context, id int64, by string, until time.Time) (followup.NextAction, error)
	ReassignAction(ctx context.Context, id int64, by, to string) (followup.NextAction, error)
	ReassignCustomer(ctx context.Context, id int64, by, to string) error
	FindPastCadence(ctx context.Context, ownerID string, now time.Time, limit int) ([]followup.Customer, error)
	ManagedTeamIDs(ctx context.Context, managerID string) ([]int64, error)
	Digest(ctx context.Context, scope followup.DigestScope, from, to time.Time) (followup.Digest, error)
	SaveTeam(ctx context.Context, s followup.TeamSettings, by string) (int64, error)
	SetLocale(ctx context.Context, slackID, locale string) error
	FindFollowUp(ctx context.Context, id int64) (followup.FollowUp, error)
	ReplaceFollowUp(ctx context.Context, oldID int64, nf followup.NewFollowUp) (followup.FollowUp, error)
	DeleteFollowUp(ctx context.Context, id int64, by string) error
	ImportSheet(ctx context.Context, s followup.Sheet, o followup.ImportOptions) (followup.ImportReport, error)
	ExportCustomers(ctx context.Context, scope followup.DigestScope) ([]followup.CustomerRecord, []followup.Person, error)
	ExportFollowUps(ctx context.Context, scope followup.DigestScope, from, to time.Time) ([]followup.FollowUpRecord, []followup.Person, error)
	RecordExport(ctx context.Context, actorID, what string, rows int, surface string) error
	FindPeople(ctx context.Context) ([]followup.Person, error)
	SetStage(ctx context.Context, customerID int64, by string, m followup.StageMove) (followup.Customer, bool, error)
	Funnel(ctx context.Context, scope followup.FunnelScope, from, to time.Time, loc *time.Location) (followup.Funnel, error)
	WeeklyDigest(ctx context.Context, scope followup.DigestScope, from, to time.Time, loc *time.Location) (followup.Digest, error)
	HandOver(ctx context.Context, by, from, to string) (followup.HandOver, error)
	TeamManager(ctx context.Context, teamID int64) (string, error)
	FindScheduleSettings(ctx context.Context, slackID string) (followup.ScheduleSettings, error)
	CreateComplaint(ctx context.Context, nc followup.NewComplaint) (followup.Complaint, error)
	FindComplaint(ctx context.Context, id int64) (followup.Complaint, error)
	StartComplaint(ctx context.Context, id int64, by string) (followup.Complaint, error)
	ResolveComplaint(ctx context.Context, id int64, r followup.ComplaintResolution) (followup.Complaint, error)
	ReassignComplaint(ctx context.Context, id int64, by, to string) (followup.Complaint, error)
	FindCustomerComplaints(ctx context.Context, customerID int64, limit int) ([]followup.Complaint, error)
	FindHandlerComplaints(ctx context.Context, handlerID string, limit int) ([]followup.Complaint, error)
	CreateSurvey(ctx context.Context, ns followup.NewSurvey) (followup.Survey, error)
	FindCustomerSurveys(ctx context.Context, customerID int64, limit int) ([]followup.Survey, error)
}

// State is the short-lived conversation state the bot keeps in Redis; storage.Redis
// implements it. Losing it costs a user a retry, never a record.
type State interface {
	Ping(ctx context.Context) error
	SaveState(ctx context.Context, key string, v any, ttl time.Duration) error
	LoadState(ctx context.Context, key string, v any) error
	TakeState(ctx context.Context, key string, v any) error
	FirstDelivery(ctx context.Context, id string, ttl time.Duration) (bool, error)
	ForgetDelivery(ctx context.Context, id string) error
}

// Config is what the bot needs to know about its deployment.
type Config struct {
	SigningSecret   string
	DefaultLocale   string
	DefaultTimezone *time.Location
	WorkHours       followup.WorkHours
	WorkDays        followup.WorkDays
	Calendar        string // the default holiday calendar; "" for none
	AdminSlackIDs   []string
	Cadence         followup.Cadence
	// ComplaintDeadline is how long a complaint may stay open, in its handler's working
	// time (zero: followup.DefaultComplaintDeadline).
	ComplaintDeadline followup.ComplaintDeadline
	// HomeRefreshDelay groups Home tab refreshes per person (0: publish at every change).
	HomeRefreshDelay time.Duration
	// CommandsPerMinute bounds what one person may send this replica (slash commands and
	// direct messages): a burst of that many, refilled at that rate. 0 sets no limit.
	CommandsPerMinute int
}

// Bot handles Slack's requests. It is safe for concurrent use.
type Bot struct {
	cfg     Config
	store   Store
	state   State
	slack   *slack.Client
	now     func() time.Time
	log     *slog.Logger
	text    catalog
	async   sync.WaitGroup
	httpc   httpDoer
	metrics *metrics
	people  peopleCache
	homes   homeRounds
	limits  *commandLimits
	// schedules says when people work, for deadlines counted in working time.
	schedules followup.Schedules
}

// Option configures a Bot.
type Option func(*Bot)

// WithClock injects the clock used for signature windows, dates and timestamps.
func WithClock(now func() time.Time) Option { return func(b *Bot) { b.now = now } }

// WithLogger sets the logger; errors are logged once, here at the edge.
func WithLogger(l *slog.Logger) Option { return func(b *Bot) { b.log = l } }

// WithHTTPClient sets the client used to post to response_urls.
func WithHTTPClient(c httpDoer) Option { return func(b *Bot) { b.httpc = c } }

// New returns a Bot that stores records in store, keeps conversations in state and calls
// Slack through api.
func New(cfg Config, store Store, state State, api *slack.Client, opts ...Option) *Bot {
	if cfg.DefaultLocale == "" {
		cfg.DefaultLocale = followup.LocaleEN
	}
	if cfg.DefaultTimezone == nil {
		cfg.DefaultTimezone = time.UTC
	}
	if cfg.Cadence == nil {
		cfg.Cadence = followup.DefaultCadence()
	}
	if cfg.WorkHours.End == 0 {
		cfg.WorkHours = followup.WorkHours{Start: 9 * time.Hour, End: 18 * time.Hour}
	}
	if cfg.WorkDays == (followup.WorkDays{}) {
		cfg.WorkDays, _ = followup.ParseWorkDays("Mon-Fri")
	}
	if cfg.ComplaintDeadline == (followup.ComplaintDeadline{}) {
		cfg.ComplaintDeadline = followup.DefaultComplaintDeadline()
	}
	b := &Bot{
		cfg: cfg, store: store, state: state, slack: api,
		now: time.Now, log: slog.Default(), text: newCatalog(), httpc: defaultHTTPClient(),
		metrics: newMetrics(nil), limits: newCommandLimits(cfg.CommandsPerMinute),
		schedules: followup.NewSchedules(cfg.DefaultTimezone, cfg.WorkHours, cfg.WorkDays, cfg.Calendar),
	}
	for _, o := range opts {
		o(b)
	}
	return b
}

// asyncTimeout bounds work done after Slack was answered (confirmations, views.update).
const asyncTimeout = 30 * time.Second

// later runs fn after the request that asked for it has been answered, with its own
// context, and lets Wait find it at shutdown.
func (b *Bot) later(ctx context.Context, what string, fn func(ctx context.Context) error) {
	b.laterWithin(ctx, what, asyncTimeout, fn)
}

// laterWithin is later for work that may take longer than asyncTimeout.
func (b *Bot) laterWithin(ctx context.Context, what string, timeout time.Duration, fn func(ctx context.Context) error) {
	b.async.Add(1)
	go func() {
		defer b.async.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		defer cancel()
		if err := fn(ctx); err != nil {
			b.log.ErrorContext(ctx, "background work failed", "what", what, "err", err)
		}
	}()
}

// Wait blocks until the work started after answering Slack has finished.
func (b *Bot) Wait() { b.async.Wait() }
