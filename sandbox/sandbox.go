// Package sandbox runs followup without Slack: an in-process stand-in for Slack's Web API
// (bot/slackfake) with a few demo users, and a web page on the bot's own HTTP server where
// one can act as a rep, a manager or an admin. Everything the page does reaches the bot
// the way Slack would deliver it: signed slash commands, interactivity payloads, options
// requests and Events API callbacks posted to the bot's /slack/* endpoints.
//
// The sandbox is for trying followup locally. It never starts when Slack credentials are
// configured (see cmd/followup).
package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/storage"
)

// Demo users. The ids are fixed so that data saved in one run still belongs to the same
// people in the next.
const (
	RepID     = "U0SBREP001"
	RepZHID   = "U0SBREPZH1"
	ManagerID = "U0SBMGR001"
	AdminID   = "U0SBADMIN1"
)

// channelID is the channel slash commands are run in.
const channelID = "C0SANDBOX01"

// User is a demo member of the stand-in workspace.
type User struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Role   string `json:"role"`  // rep, manager or admin
	Label  string `json:"label"` // what the user picker shows
	TZ     string `json:"tz"`
	Locale string `json:"locale"`
}

// Users are the demo users, in the order the page offers them.
var Users = []User{
	{ID: RepID, Name: "Wang Wei", Role: "rep", Label: "Rep — Wang Wei", TZ: "Asia/Shanghai", Locale: "en-US"},
	{ID: RepZHID, Name: "赵敏", Role: "rep", Label: "Rep (中文) — 赵敏", TZ: "Asia/Shanghai", Locale: "zh-CN"},
	{ID: ManagerID, Name: "Chen Jing", Role: "manager", Label: "Manager — Chen Jing", TZ: "Asia/Shanghai", Locale: "en-US"},
	{ID: AdminID, Name: "Alex Admin", Role: "admin", Label: "Admin — Alex Admin", TZ: "Asia/Shanghai", Locale: "en-US"},
}

// Config configures a Sandbox.
type Config struct {
	// DB, when set, lets Seed see whether demo data is needed and move a few demo
	// deadlines into the past so that reminders show up at once.
	DB *storage.DB
	// Logger receives the sandbox's own log lines; nil discards them.
	Logger *slog.Logger
}

// Sandbox is a running Slack stand-in plus the state of the web page.
type Sandbox struct {
	cfg    Config
	log    *slog.Logger
	fake   *slackfake.Server
	secret string
	client *http.Client

	mu         sync.Mutex
	viewOwner  map[string]string       // fake view id -> user who opened it
	lastActor  string                  // who acted last: views opened since belong to them
	urls       map[string]urlInfo      // response_url -> who it was issued for
	replies    map[string][]*reply     // user -> ephemeral replies, oldest first
	seenResp   int                     // how many of fake.AllResponses were applied
	overlays   map[string][]*modalView // user -> views from response_action push/update
	said       map[string][]said       // user -> DMs the user sent the bot
	seq        int
	dmChannels map[string]string
	seeding    bool // Seed is acting: what the bot answers it is not shown on the page
}

type urlInfo struct {
	user   string
	target string // reply id replace_original replaces; "" appends
}

// reply is an ephemeral answer: a slash command's response or a response_url post.
type reply struct {
	ID     string    `json:"id"`
	At     time.Time `json:"at"`
	Text   string    `json:"text"`
	Blocks any       `json:"blocks,omitempty"`
	Source string    `json:"source"` // "command", "response_url"
}

type said struct {
	TS   string
	Text string
}

// New starts the Slack stand-in with the demo users. Close it when done.
func New(cfg Config) (*Sandbox, error) {
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("sandbox: signing secret: %w", err)
	}
	token := make([]byte, 12)
	if _, err := rand.Read(token); err != nil {
		return nil, fmt.Errorf("sandbox: token: %w", err)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Sandbox{
		cfg:        cfg,
		log:        log,
		fake:       slackfake.New(slackfake.WithToken("xoxb-sandbox-" + hex.EncodeToString(token))),
		secret:     hex.EncodeToString(secret),
		client:     &http.Client{Timeout: 20 * time.Second},
		viewOwner:  map[string]string{},
		urls:       map[string]urlInfo{},
		replies:    map[string][]*reply{},
		overlays:   map[string][]*modalView{},
		said:       map[string][]said{},
		dmChannels: map[string]string{},
	}
	for _, u := range Users {
		s.fake.AddUser(slack.User{ID: u.ID, Name: u.Name, RealName: u.Name, TZ: u.TZ, Locale: u.Locale,
			Profile: slack.UserProfile{RealName: u.Name, DisplayName: u.Name}})
	}
	return s, nil
}

// Close stops the Slack stand-in.
func (s *Sandbox) Close() { s.fake.Close() }

// APIURL is the Web API base URL for slack.OptionAPIURL.
func (s *Sandbox) APIURL() string { return s.fake.APIURL() }

// BotToken is the bot token the stand-in accepts.
func (s *Sandbox) BotToken() string { return s.fake.Token() }

// SigningSecret is the secret the sandbox signs requests to the bot with; random per run.
func (s *Sandbox) SigningSecret() string { return s.secret }

// AdminID is the demo admin, for the bot's ADMIN_SLACK_IDS.
func (s *Sandbox) AdminID() string { return AdminID }

// Fake is the Slack stand-in, for tests.
func (s *Sandbox) Fake() *slackfake.Server { return s.fake }

func knownUser(id string) bool {
	for _, u := range Users {
		if u.ID == id {
			return true
		}
	}
	return false
}

func userName(id string) string {
	for _, u := range Users {
		if u.ID == id {
			return u.Name
		}
	}
	if id == slackfake.BotUserID {
		return "followup"
	}
	return id
}

// dmChannel returns the bot's DM with user, opening it on the stand-in.
func (s *Sandbox) dmChannel(ctx context.Context, user string) (string, error) {
	s.mu.Lock()
	ch, ok := s.dmChannels[user]
	s.mu.Unlock()
	if ok {
		return ch, nil
	}
	c, _, _, err := s.fake.Client().OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	s.dmChannels[user] = c.ID
	s.mu.Unlock()
	return c.ID, nil
}
