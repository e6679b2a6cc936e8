package scheduler_test

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot"
	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/internal/logtest"
	"github.com/followuphq/followup/internal/testclock"
	"github.com/followuphq/followup/scheduler"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

// TestMain fails the run when anything the scheduler or the bot logged during it holds
// personal data, a token or a secret.
func TestMain(m *testing.M) { os.Exit(logtest.Main(m, storagetest.Main, storagetest.PIIKey)) }

const (
	repSH   = "U0SHANGHAI"
	repNY   = "U0NEWYORK1"
	manager = "U0MANAGER1"
)

// env is the scheduler running on real Postgres and Redis, sending through the real bot
// to the fake Slack, with a fixed clock.
type env struct {
	t     *testing.T
	clock *testclock.Clock
	db    *storage.DB
	slack *slackfake.Server
	bot   *bot.Bot
	sched *scheduler.Scheduler
}

var (
	shanghai, _ = time.LoadLocation("Asia/Shanghai")
	newYork, _  = time.LoadLocation("America/New_York")
)

// newEnv starts at Wednesday 18 Nov 2026 10:00 Shanghai (02:00 UTC).
func newEnv(t *testing.T, cfg scheduler.Config) *env {
	t.Helper()
	e := &env{t: t, clock: testclock.New(time.Date(2026, 11, 18, 2, 0, 0, 0, time.UTC))}
	e.slack = slackfake.NewTest(t, slackfake.WithClock(e.clock.Now))
	for _, u := range []slack.User{
		{ID: repSH, Name: "wang", TZ: "Asia/Shanghai", Locale: "en-US"},
		{ID: repNY, Name: "li", TZ: "America/New_York", Locale: "en-US"},
		{ID: manager, Name: "boss", TZ: "Asia/Shanghai", Locale: "zh-CN"},
	} {
		e.slack.AddUser(u)
	}
	e.db = storagetest.NewDB(t, storage.WithClock(e.clock.Now))
	state, _ := storagetest.NewRedis(t)
	// A client that gives up, as production's does (30 s there): a Slack call that hangs
	// must end as a failure the scheduler retries, not block it.
	api := e.slack.Client(slack.OptionHTTPClient(&http.Client{Timeout: 2 * time.Second}))
	e.bot = bot.New(bot.Config{SigningSecret: "s"}, e.db, state, api, bot.WithClock(e.clock.Now))
	t.Cleanup(e.bot.Wait)
	e.sched = scheduler.New(cfg, e.db, e.bot, scheduler.WithClock(e.clock.Now))
	for _, p := range []followup.Person{
		{SlackID: repSH, Name: "wang", TZ: "Asia/Shanghai", Locale: "en"},
		{SlackID: repNY, Name: "li", TZ: "America/New_York", Locale: "en"},
		{SlackID: manager, Name: "boss", TZ: "Asia/Shanghai", Locale: "zh-CN", Role: followup.RoleManager},
	} {
		if _, err := e.db.SavePerson(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// customer adds a customer owned by owner.
func (e *env) customer(owner, name string, tier followup.Tier) followup.Customer {
	e.t.Helper()
	c, err := e.db.CreateCustomer(context.Background(), followup.NewCustomer{
		Name: name, Kind: followup.KindCompany, Industry: "Retail", Tier: tier, Source: "referral", OwnerID: owner,
		Contact: followup.Contact{Name: "Zhang", Phone: "13800000000"},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// logWithAction logs a follow-up now with a next action due at due.
func (e *env) logWithAction(c followup.Customer, text string, due time.Time) followup.NextAction {
	e.t.Helper()
	fu, err := e.db.CreateFollowUp(context.Background(), followup.NewFollowUp{
		CustomerID: c.ID, RepID: c.OwnerID, HappenedAt: e.clock.Now(), Method: followup.MethodPhone,
		Summary: "Discussed the quote", Source: "test",
		Next: &followup.NewAction{Text: text, DueAt: due, OwnerID: c.OwnerID},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return fu.Actions[0]
}

// run runs a job and fails the test on error.
func (e *env) run(job func(context.Context) error) {
	e.t.Helper()
	if err := job(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.bot.Wait()
}

// dms returns the messages the bot posted to user's DM.
func (e *env) dms(user string) []slackfake.Message { return e.slack.Messages(user) }

// mentions counts the DMs to user whose text or blocks contain s.
func (e *env) mentions(user, s string) int {
	n := 0
	for _, m := range e.dms(user) {
		if contains(m, s) {
			n++
		}
	}
	return n
}
