// Package config loads followup's settings from the environment, applies the defaults of
// DESIGN §2 in one place and validates them, naming the variable at fault.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/pii"
)

// Config is every setting followup reads from its environment.
type Config struct {
	SlackBotToken      string
	SlackSigningSecret string
	SlackAppToken      string // set: Socket Mode
	SlackAPIURL        string // where the Web API client sends calls; tests point it at a fake

	DatabaseURL string
	RedisURL    string
	RedisMode   string // single, sentinel or cluster
	DBMaxConns  int    // Postgres connections per replica

	CommandRateLimit int // slash commands and DMs one person may send a replica per minute; 0: no limit

	HTTPAddr        string
	DebugAddr       string // set: Go's pprof profiles on their own listener
	LogLevel        slog.Level
	DefaultTimezone *time.Location
	DefaultLocale   string
	AdminSlackIDs   []string

	Scheduler    bool // SCHEDULER=off runs a web-only replica
	ClaimLease   time.Duration
	ReminderCron string
	CadenceCron  string
	DigestCron   string
	WorkHours    followup.WorkHours
	WorkDays     followup.WorkDays
	Calendar     string // the default holiday calendar; teams may pick another

	// ComplaintDeadline is how long a complaint may stay open, in its handler's working
	// days and hours.
	ComplaintDeadline followup.ComplaintDeadline

	// PIIKey is the current key for personal data (PII_KEY): it seals everything written.
	// PIIOldKeys (PII_KEY_OLD) only open what they sealed before a rotation; `followup
	// rotate-key` re-seals that under PIIKey, after which they can be dropped.
	PIIKey     []byte
	PIIOldKeys [][]byte
}

// Defaults, in one place. The cron specs are robfig/cron specs (5 fields or @descriptors).
const (
	DefaultHTTPAddr     = ":3000"
	DefaultSlackAPIURL  = "https://slack.com/api/"
	DefaultReminderCron = "@every 1m"
	DefaultCadenceCron  = "*/15 * * * *"
	DefaultDigestCron   = "0 9 * * 1-5"
	DefaultWorkHours    = "09:00-18:00"
	DefaultWorkDays     = "Mon-Fri"
	DefaultTimezone     = "UTC"
	// DefaultClaimLease is how long a replica's claim on a reminder lasts before another
	// replica may send it instead (the replica died between claiming and sending).
	DefaultClaimLease = 2 * time.Minute
	// DefaultCommandRateLimit lets a person send a burst of 60 commands or DMs, then one a
	// second: far above what a rep types, far below what a runaway script sends.
	DefaultCommandRateLimit = 60
	// DefaultComplaintDeadline is two working days of the handler's.
	DefaultComplaintDeadline = "2d"
)

// Load reads the environment through getenv and validates it. All problems are reported
// together on one line, each naming its variable.
func Load(getenv func(string) string) (Config, error) {
	var problems []string
	bad := func(name, format string, args ...any) {
		problems = append(problems, name+" "+fmt.Sprintf(format, args...))
	}
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}

	c := Config{
		SlackBotToken:      get("SLACK_BOT_TOKEN", ""),
		SlackSigningSecret: get("SLACK_SIGNING_SECRET", ""),
		SlackAppToken:      get("SLACK_APP_TOKEN", ""),
		SlackAPIURL:        get("SLACK_API_URL", DefaultSlackAPIURL),
		DatabaseURL:        get("DATABASE_URL", ""),
		RedisURL:           get("REDIS_URL", ""),
		HTTPAddr:           get("HTTP_ADDR", DefaultHTTPAddr),
		DebugAddr:          get("DEBUG_ADDR", ""),
		ReminderCron:       get("REMINDER_CRON", DefaultReminderCron),
		CadenceCron:        get("CADENCE_CRON", DefaultCadenceCron),
		DigestCron:         get("DIGEST_CRON", DefaultDigestCron),
	}
	if !strings.HasSuffix(c.SlackAPIURL, "/") {
		c.SlackAPIURL += "/" // slack-go appends method names to this prefix
	}

	if c.SlackBotToken != "" && !strings.HasPrefix(c.SlackBotToken, "xoxb-") {
		bad("SLACK_BOT_TOKEN", "must be a bot token starting with xoxb-")
	}
	if c.SlackAppToken != "" && !strings.HasPrefix(c.SlackAppToken, "xapp-") {
		bad("SLACK_APP_TOKEN", "must be an app-level token starting with xapp-")
	}
	if !strings.HasPrefix(c.SlackAPIURL, "http://") && !strings.HasPrefix(c.SlackAPIURL, "https://") {
		bad("SLACK_API_URL", "must be an http(s) URL")
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		bad("DATABASE_URL", "must be a postgres:// URL")
	}
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
		bad("REDIS_URL", "must be a redis:// or rediss:// URL")
	}
	switch c.RedisMode = get("REDIS_MODE", "single"); c.RedisMode {
	case "single", "sentinel", "cluster":
	default:
		bad("REDIS_MODE", "must be single, sentinel or cluster")
	}
	if n, err := strconv.Atoi(get("COMMAND_RATE_LIMIT", strconv.Itoa(DefaultCommandRateLimit))); err != nil || n < 0 || n > 100_000 {
		bad("COMMAND_RATE_LIMIT", "must be a number of commands a minute per person, 0 for no limit")
	} else {
		c.CommandRateLimit = n
	}
	if n, err := strconv.Atoi(get("DB_MAX_CONNS", "20")); err != nil || n < 1 || n > 1000 {
		bad("DB_MAX_CONNS", "must be a number of connections from 1 to 1000")
	} else {
		c.DBMaxConns = n
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		bad("HTTP_ADDR", "must be host:port or :port, got %q", c.HTTPAddr)
	}
	if _, _, err := net.SplitHostPort(c.DebugAddr); c.DebugAddr != "" && err != nil {
		bad("DEBUG_ADDR", "must be host:port, e.g. 127.0.0.1:6060, got %q", c.DebugAddr)
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL", "info"))); err != nil {
		bad("LOG_LEVEL", "must be debug, info, warn or error")
	}
	tz, err := time.LoadLocation(get("DEFAULT_TIMEZONE", DefaultTimezone))
	if err != nil {
		bad("DEFAULT_TIMEZONE", "must be an IANA time zone such as Asia/Shanghai")
	}
	c.DefaultTimezone = tz
	switch c.DefaultLocale = get("DEFAULT_LOCALE", followup.LocaleEN); c.DefaultLocale {
	case followup.LocaleEN, followup.LocaleZH:
	default:
		bad("DEFAULT_LOCALE", "must be en or zh-CN")
	}
	for _, id := range strings.Split(get("ADMIN_SLACK_IDS", ""), ",") {
		if id = strings.TrimSpace(id); id != "" {
			c.AdminSlackIDs = append(c.AdminSlackIDs, id)
		}
	}
	switch strings.ToLower(get("SCHEDULER", "on")) {
	case "on", "true", "1", "yes":
		c.Scheduler = true
	case "off", "false", "0", "no":
	default:
		bad("SCHEDULER", "must be on or off")
	}
	if d, err := time.ParseDuration(get("REMINDER_LEASE", DefaultClaimLease.String())); err != nil || d < time.Second {
		bad("REMINDER_LEASE", "must be a duration of at least 1s, such as 2m")
	} else {
		c.ClaimLease = d
	}
	parser := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	for name, spec := range map[string]string{"REMINDER_CRON": c.ReminderCron, "CADENCE_CRON": c.CadenceCron, "DIGEST_CRON": c.DigestCron} {
		if _, err := parser.Parse(spec); err != nil {
			bad(name, "is not a cron spec (%v)", err)
		}
	}
	if c.WorkHours, err = followup.ParseWorkHours(get("WORK_HOURS", DefaultWorkHours)); err != nil {
		bad("WORK_HOURS", "%v", err)
	}
	if c.WorkDays, err = followup.ParseWorkDays(get("WORK_DAYS", DefaultWorkDays)); err != nil {
		bad("WORK_DAYS", "%v", err)
	}
	c.Calendar = get("HOLIDAY_CALENDAR", "none")
	if _, err := followup.BuiltinCalendar(c.Calendar); err != nil {
		bad("HOLIDAY_CALENDAR", "must be one of %s", strings.Join(followup.BuiltinCalendarNames(), ", "))
	}
	if c.ComplaintDeadline, err = followup.ParseComplaintDeadline(get("COMPLAINT_DEADLINE", DefaultComplaintDeadline)); err != nil {
		bad("COMPLAINT_DEADLINE", "%v", err)
	}
	if key := get("PII_KEY", ""); key != "" {
		if c.PIIKey, err = decodeKey(key); err != nil {
			bad("PII_KEY", "must be 32 bytes, base64-encoded (openssl rand -base64 32)")
		}
	}
	if old := get("PII_KEY_OLD", ""); old != "" {
		for i, key := range strings.Split(old, ",") {
			k, err := decodeKey(strings.TrimSpace(key))
			if err != nil {
				bad("PII_KEY_OLD", "key %d must be 32 bytes, base64-encoded; separate several with commas", i+1)
				continue
			}
			c.PIIOldKeys = append(c.PIIOldKeys, k)
		}
		if c.PIIKey == nil {
			bad("PII_KEY_OLD", "needs PII_KEY, the current key, beside it")
		}
	}
	if len(problems) > 0 {
		return c, fmt.Errorf("config: %s", strings.Join(sortedProblems(problems), "; "))
	}
	return c, nil
}

// decodeKey reads a base64 key of pii.KeySize bytes.
func decodeKey(s string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if len(k) != pii.KeySize {
		return nil, fmt.Errorf("%d bytes, want %d", len(k), pii.KeySize)
	}
	return k, nil
}

// missingPIIKey is how a command that reads or writes personal data says it needs the key.
const missingPIIKey = "PII_KEY is required (32 bytes, base64: openssl rand -base64 32): it encrypts contacts' phones and emails and customers' ID numbers"

// RequirePIIKey checks that the personal data key is set, for the commands that read or
// write personal data outside the sandbox (import, export, rotate-key).
func (c Config) RequirePIIKey() error {
	if c.PIIKey == nil {
		return errors.New("config: " + missingPIIKey)
	}
	return nil
}

// RequireServe checks what `followup serve` cannot run without. Against a real workspace
// that includes PII_KEY: every new customer has a phone number, and a bot that cannot
// store one is no use.
func (c Config) RequireServe() error {
	var missing []string
	if c.DatabaseURL == "" {
		missing = append(missing, "DATABASE_URL is required (postgres://user:pass@host:5432/db)")
	}
	if c.RedisURL == "" {
		missing = append(missing, "REDIS_URL is required (redis://host:6379/0)")
	}
	if c.SlackBotToken == "" {
		missing = append(missing, "SLACK_BOT_TOKEN is required (the app's Bot User OAuth Token, xoxb-…)")
	}
	if c.SlackSigningSecret == "" && c.SlackAppToken == "" {
		missing = append(missing, "SLACK_SIGNING_SECRET is required (Basic Information → Signing Secret), or SLACK_APP_TOKEN for Socket Mode")
	}
	if c.PIIKey == nil {
		missing = append(missing, missingPIIKey)
	}
	if len(missing) > 0 {
		return fmt.Errorf("config: %s", strings.Join(missing, "; "))
	}
	return nil
}

// Sandbox reports whether no Slack credentials are set at all. `followup serve` then runs
// against the built-in Slack stand-in and its web page instead of Slack.
func (c Config) Sandbox() bool {
	return c.SlackBotToken == "" && c.SlackSigningSecret == "" && c.SlackAppToken == ""
}

// RequireSandbox checks what `followup serve` cannot run without in sandbox mode: the
// databases, but no Slack credentials.
func (c Config) RequireSandbox() error {
	var missing []string
	if c.DatabaseURL == "" {
		missing = append(missing, "DATABASE_URL is required (postgres://user:pass@host:5432/db)")
	}
	if c.RedisURL == "" {
		missing = append(missing, "REDIS_URL is required (redis://host:6379/0)")
	}
	if len(missing) > 0 {
		return fmt.Errorf("config: %s (with no SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET or SLACK_APP_TOKEN set, serve runs the local sandbox)", strings.Join(missing, "; "))
	}
	return nil
}

// LogValue prints the settings with every secret masked, so the config can be logged at
// start-up.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("slack_bot_token", mask(c.SlackBotToken)),
		slog.String("slack_signing_secret", mask(c.SlackSigningSecret)),
		slog.String("slack_app_token", mask(c.SlackAppToken)),
		slog.String("slack_api_url", c.SlackAPIURL),
		slog.String("database_url", maskURL(c.DatabaseURL)),
		slog.String("redis_url", maskURL(c.RedisURL)),
		slog.String("redis_mode", c.RedisMode),
		slog.Int("db_max_conns", c.DBMaxConns),
		slog.Int("command_rate_limit", c.CommandRateLimit),
		slog.String("http_addr", c.HTTPAddr),
		slog.String("debug_addr", c.DebugAddr),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("default_timezone", c.DefaultTimezone.String()),
		slog.String("default_locale", c.DefaultLocale),
		slog.Int("admins", len(c.AdminSlackIDs)),
		slog.Bool("scheduler", c.Scheduler),
		slog.String("reminder_lease", c.ClaimLease.String()),
		slog.String("reminder_cron", c.ReminderCron),
		slog.String("cadence_cron", c.CadenceCron),
		slog.String("digest_cron", c.DigestCron),
		slog.String("work_hours", c.WorkHours.String()),
		slog.String("holiday_calendar", c.Calendar),
		slog.String("complaint_deadline", c.ComplaintDeadline.String()),
		slog.Bool("pii_key", len(c.PIIKey) > 0),
		slog.Int("pii_old_keys", len(c.PIIOldKeys)),
	)
}
