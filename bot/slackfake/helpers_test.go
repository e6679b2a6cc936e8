package slackfake_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/followuphq/followup/bot/slackfake"
	"github.com/slack-go/slack"
)

// clock is a hand-moved clock for WithClock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// setup starts a fake on a hand-moved clock and a slack-go client pointed at it the way
// the bot is: slack.New(token, slack.OptionAPIURL(...)).
func setup(t *testing.T) (*slackfake.Server, *slack.Client, *clock) {
	t.Helper()
	clk := newClock()
	fake := slackfake.NewTest(t, slackfake.WithClock(clk.Now))
	api := slack.New(fake.Token(), slack.OptionAPIURL(fake.APIURL()))
	fake.AddUser(slack.User{ID: "U0REP00001", Name: "mei", RealName: "Mei Chen",
		TZ: "Asia/Shanghai", TZOffset: 28800, Locale: "zh-CN"})
	fake.AddUser(slack.User{ID: "U0MGR00001", Name: "sam", RealName: "Sam Ortiz",
		TZ: "America/New_York", TZOffset: -18000, Locale: "en-US"})
	return fake, api, clk
}

// slackError is the Slack error name inside err, "" if err is not an ok:false answer.
func slackError(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	return ""
}

// slackMessages are the response_metadata.messages of an ok:false answer.
func slackMessages(err error) []string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.ResponseMetadata.Messages
	}
	return nil
}

func containsMessage(msgs []string, part string) bool {
	for _, m := range msgs {
		if strings.Contains(m, part) {
			return true
		}
	}
	return false
}

func section(text string) slack.Block {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)
}

func plain(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, text, false, false)
}
